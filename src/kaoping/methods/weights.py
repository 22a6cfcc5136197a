"""Weighting kernels: objective (entropy, CRITIC, CV, PCA), expert (AHP), equal, combined.

Every function returns non-negative float64 weights that sum to 1.  Data-driven weights take the
raw matrix ``X`` (n units x m indicators, NaN = missing) and ``directions`` (+1 positive 正向,
-1 negative 逆向); missing values are ignored column by column, so ``n`` in a formula means the
number of non-missing values of that column.  Moderate (适度) indicators must first be turned into
positive ones with :func:`kaoping.methods.normalize.moderate_to_positive`.

An indicator that cannot discriminate (constant, or fewer than two non-missing values) gets
weight 0 and is named in a :class:`~kaoping.methods.ConstantColumnWarning`; when *no* indicator
can discriminate, the weights fall back to equal weights, with the same warning.

References
----------
.. [HwangYoon] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
   Applications*. Springer (entropy weights). https://doi.org/10.1007/978-3-642-48318-9
.. [CRITIC] Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights
   in multiple criteria problems: the CRITIC method. *Computers & Operations Research* 22(7),
   763-770. https://doi.org/10.1016/0305-0548(94)00059-H
.. [Saaty1977] Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures.
   *Journal of Mathematical Psychology* 15(3), 234-281.
   https://doi.org/10.1016/0022-2496(77)90033-5
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt
from numpy.typing import ArrayLike

from kaoping.errors import KaopingWarning
from kaoping.methods._common import ConstantColumnWarning, FloatArray
from kaoping.methods._log import _xlogx
from kaoping.methods.normalize import _as_directions, _as_matrix, _minmax_core

__all__ = [
    "RI_TABLES",
    "AHPResult",
    "FactorWeightsResult",
    "NegativeLoadingWarning",
    "PCAResult",
    "ahp",
    "combine",
    "critic",
    "cv",
    "entropy",
    "equal",
    "factor_weights",
    "pca",
]

try:  # numba is a dependency; the NumPy path keeps kaoping usable where it has no wheel yet
    import numba as _numba

    _prange: Callable[..., Any] = _numba.prange
    _HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    _numba = None  # type: ignore[assignment]
    _prange = range
    _HAVE_NUMBA = False


# --------------------------------------------------------------------------------------------
# equal
# --------------------------------------------------------------------------------------------


def equal(m: int) -> FloatArray:
    r"""Equal weights :math:`w_j = 1/m`.

    Parameters
    ----------
    m : int
        Number of indicators, >= 1.

    Returns
    -------
    ndarray, shape (m,)

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 6, "equal weighting".
    https://doi.org/10.1787/9789264043466-en

    Examples
    --------
    >>> equal(4)
    array([0.25, 0.25, 0.25, 0.25])
    """
    if int(m) != m or m < 1:
        raise ValueError(f"equal: m must be a whole number >= 1, got {m!r}.")
    return np.full(int(m), 1.0 / int(m))


def _fallback_equal(
    func: str, m: int, columns: list[int], why: str, stacklevel: int = 3
) -> FloatArray:
    warnings.warn(
        ConstantColumnWarning(
            f"{func}: {why}; no indicator can be weighted from the data, so equal weights "
            f"1/{m} are used. Check the data (units, missing values) or give the weights.",
            columns=columns,
        ),
        stacklevel=stacklevel,
    )
    return equal(m)


def _warn_zero_weight(func: str, columns: list[int], stacklevel: int = 3) -> None:
    if columns:
        warnings.warn(
            ConstantColumnWarning(
                f"{func}: indicator column(s) {columns} are constant or have fewer than two "
                "non-missing values, so they cannot discriminate between units and get "
                "weight 0. Check the data, or drop the indicator.",
                columns=columns,
            ),
            stacklevel=stacklevel,
        )


# --------------------------------------------------------------------------------------------
# entropy: numba kernels (two passes, no full-size temporaries) and a chunked NumPy fallback
# --------------------------------------------------------------------------------------------

_F = TypeVar("_F", bound=Callable[..., Any])
_LANES = 64  # partial sums per column in _sums_cols


def _njit(*, parallel: bool) -> Callable[[_F], _F]:
    """``numba.njit(cache=True, fastmath=False, error_model='numpy')``, typed for mypy.

    ``error_model='numpy'`` drops numba's division-by-zero check (a branch that stops the loop
    vectoriser) from the division inside :func:`~kaoping.methods._log._log`, whose divisor is
    in [1.7, 2.5].  Without numba the function is returned as is (and not called: the NumPy
    path runs).
    """

    def decorate(func: _F) -> _F:
        if not _HAVE_NUMBA:  # pragma: no cover
            return func
        jit = _numba.njit(cache=True, parallel=parallel, fastmath=False, error_model="numpy")
        return cast(_F, jit(func))

    return decorate


@_njit(parallel=False)
def _stats_block(
    X: FloatArray, start: int, stop: int, lo: FloatArray, hi: FloatArray, cnt: FloatArray
) -> None:
    """Fold rows ``start:stop`` of X into the running column min, max and non-missing count."""
    for i in range(start, stop):
        for j in range(X.shape[1]):  # branch-free selects, so that the loop over j vectorises
            v = X[i, j]
            lo_j = lo[j]  # both read before either store (see aggregate._stats_block)
            hi_j = hi[j]
            lo[j] = v if v < lo_j else lo_j  # comparisons with NaN are False: NaN is skipped
            hi[j] = v if v > hi_j else hi_j
            cnt[j] += 1.0 if v == v else 0.0


@_njit(parallel=False)
def _sums_block(
    X: FloatArray,
    start: int,
    stop: int,
    a: FloatArray,
    b: FloatArray,
    shift: float,
    S: FloatArray,
    T: FloatArray,
) -> None:
    """Add rows ``start:stop`` to S_j = sum y and T_j = sum y ln y, y = (x - a_j) b_j + shift.

    Branch-free, so that the loop over j vectorises (the log is
    :func:`~kaoping.methods._log._xlogx`): a missing x gives y = NaN, which adds 0 to both
    sums, as does y = 0 (0 ln 0 = 0); a subnormal y (< 2.2e-308) adds 0 to T (its y ln y is
    below 1.7e-305 in magnitude).  Rows are taken two at a time, ``S_j += y_ij + y_(i+1)j``:
    half the loads and stores of S and T (~25% faster); the order of the additions is fixed,
    so the sums are the same on every run.
    """
    m = X.shape[1]
    i = start
    while i + 1 < stop:
        for j in range(m):
            y0 = (X[i, j] - a[j]) * b[j] + shift
            y1 = (X[i + 1, j] - a[j]) * b[j] + shift
            S[j] += (y0 if y0 > 0.0 else 0.0) + (y1 if y1 > 0.0 else 0.0)
            T[j] += _xlogx(y0) + _xlogx(y1)
        i += 2
    if i < stop:  # an odd row left over
        for j in range(m):
            y = (X[i, j] - a[j]) * b[j] + shift
            S[j] += y if y > 0.0 else 0.0
            T[j] += _xlogx(y)


@_njit(parallel=True)
def _stats_rows(X: FloatArray, nblocks: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-block column min, max and count of a C-ordered X, blocks of rows in parallel.

    Returns three (nblocks, m) arrays; the caller reduces them over the blocks.
    """
    n, m = X.shape
    step = (n + nblocks - 1) // nblocks
    mins = np.full((nblocks, m), np.inf)
    maxs = np.full((nblocks, m), -np.inf)
    cnts = np.zeros((nblocks, m))
    for blk in _prange(nblocks):
        _stats_block(X, blk * step, min(n, (blk + 1) * step), mins[blk], maxs[blk], cnts[blk])
    return mins, maxs, cnts


@_njit(parallel=True)
def _sums_rows(
    X: FloatArray, a: FloatArray, b: FloatArray, shift: float, nblocks: int
) -> tuple[FloatArray, FloatArray]:
    """Per-block S and T of a C-ordered X (see :func:`_sums_block`), blocks in parallel."""
    n, m = X.shape
    step = (n + nblocks - 1) // nblocks
    S = np.zeros((nblocks, m))
    T = np.zeros((nblocks, m))
    for blk in _prange(nblocks):
        _sums_block(X, blk * step, min(n, (blk + 1) * step), a, b, shift, S[blk], T[blk])
    return S, T


@_njit(parallel=True)
def _stats_cols(XT: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Column min, max and count of X given as its C-ordered transpose (m, n), in parallel."""
    m, n = XT.shape
    mins = np.empty(m)
    maxs = np.empty(m)
    cnts = np.zeros(m)
    for j in _prange(m):
        lo = np.inf
        hi = -np.inf
        c = 0.0
        for i in range(n):
            v = XT[j, i]
            if v == v:
                lo = min(lo, v)
                hi = max(hi, v)
                c += 1.0
        mins[j] = lo
        maxs[j] = hi
        cnts[j] = c
    return mins, maxs, cnts


@_njit(parallel=False)
def _sums_col(xt: FloatArray, aj: float, bj: float, shift: float) -> tuple[float, float]:
    """S_j and T_j of one indicator's values ``xt`` (contiguous), terms as in :func:`_sums_block`.

    The column is summed in :data:`_LANES` interleaved partial sums (lane k takes the values
    i = k mod _LANES), so that the loop over the lanes vectorises without reassociating
    floating-point additions.
    """
    n = xt.size
    nfull = n - n % _LANES
    s_lane = np.zeros(_LANES)
    t_lane = np.zeros(_LANES)
    for i0 in range(0, nfull, _LANES):
        for k in range(_LANES):
            y = (xt[i0 + k] - aj) * bj + shift
            s_lane[k] += y if y > 0.0 else 0.0
            t_lane[k] += _xlogx(y)
    s = 0.0
    t = 0.0
    for i in range(nfull, n):
        y = (xt[i] - aj) * bj + shift
        s += y if y > 0.0 else 0.0
        t += _xlogx(y)
    return s + s_lane.sum(), t + t_lane.sum()


@_njit(parallel=False)
def _sums_cols_serial(
    XT: FloatArray, a: FloatArray, b: FloatArray, shift: float, S: FloatArray, T: FloatArray
) -> None:
    """S and T of X given as its C-ordered transpose (m, n), one column after another."""
    for j in range(XT.shape[0]):
        S[j], T[j] = _sums_col(XT[j], a[j], b[j], shift)


@_njit(parallel=True)
def _sums_cols(
    XT: FloatArray, a: FloatArray, b: FloatArray, shift: float
) -> tuple[FloatArray, FloatArray]:
    """S and T of X given as its C-ordered transpose (m, n), columns in parallel."""
    m = XT.shape[0]
    S = np.zeros(m)
    T = np.zeros(m)
    for j in _prange(m):
        S[j], T[j] = _sums_col(XT[j], a[j], b[j], shift)
    return S, T


# Below this many cells one thread is faster than waking the pool; above it the passes run in
# parallel.  Measured on an idle 2-core machine: at 3,000 x 100 (300k cells) two threads take
# 1.5 ms against 2.5 ms for one; on a busy machine the pool can be slower, so keep it above
# the tiny sizes where the wake-up dominates.
_PARALLEL_MIN_CELLS = 1 << 17
_CHUNK_ROWS = 1 << 15  # rows per block of the NumPy fallback


def _stats_numpy(X: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """NumPy fallback of the first pass, chunked over rows to bound memory."""
    m = X.shape[1]
    mins = np.full(m, np.nan)
    maxs = np.full(m, np.nan)
    cnts = np.zeros(m)
    for start in range(0, X.shape[0], _CHUNK_ROWS):
        C = X[start : start + _CHUNK_ROWS]
        mins = np.fmin(mins, np.fmin.reduce(C, axis=0))
        maxs = np.fmax(maxs, np.fmax.reduce(C, axis=0))
        cnts += (~np.isnan(C)).sum(axis=0)
    return mins, maxs, cnts


def _sums_numpy(
    X: FloatArray, a: FloatArray, b: FloatArray, shift: float
) -> tuple[FloatArray, FloatArray]:
    """NumPy fallback of the second pass, chunked over rows to bound memory."""
    m = X.shape[1]
    S = np.zeros(m)
    T = np.zeros(m)
    for start in range(0, X.shape[0], _CHUNK_ROWS):
        Y = X[start : start + _CHUNK_ROWS] - a
        Y *= b
        Y += shift
        Y[~(Y > 0)] = 0.0  # missing cells and y = 0 contribute nothing (0 ln 0 = 0)
        S += Y.sum(axis=0)
        L = np.log(Y, out=np.zeros_like(Y), where=Y > 0)
        L *= Y
        T += L.sum(axis=0)
    return S, T


def _entropy_passes(
    X: FloatArray, d: FloatArray, shift: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """The two passes over X: returns ``(mins, maxs, counts, S, T)`` per column.

    Paths: NumPy (no numba), one thread (small X), parallel over row blocks (large C-ordered X)
    or over columns (large Fortran-ordered X).
    """
    n, m = X.shape
    path = "numpy" if not _HAVE_NUMBA else "serial" if X.size < _PARALLEL_MIN_CELLS else "rows"
    if path == "rows" and X.flags.f_contiguous and not X.flags.c_contiguous:
        path = "cols"
    nblocks = 1
    if path == "numpy":
        mins, maxs, cnts = _stats_numpy(X)
    elif path == "serial":
        mins, maxs, cnts = np.full(m, np.inf), np.full(m, -np.inf), np.zeros(m)
        _stats_block(X, 0, n, mins, maxs, cnts)
    elif path == "cols":
        mins, maxs, cnts = _stats_cols(X.T)  # X.T is C-ordered (m, n): one run per indicator
    else:
        X = np.ascontiguousarray(X)
        # blocks of >= 32,768 cells, up to 8 per thread (for load balance)
        nblocks = max(1, min(X.size // 32_768, n, 8 * int(_numba.get_num_threads())))
        bmin, bmax, bcnt = _stats_rows(X, nblocks)
        mins, maxs, cnts = bmin.min(axis=0), bmax.max(axis=0), bcnt.sum(axis=0)
    present = cnts > 0
    inf = present & (np.isinf(mins) | np.isinf(maxs))
    if inf.any():
        j = int(np.flatnonzero(inf)[0])
        raise ValueError(
            f"entropy: indicator column {j} contains an infinite value; replace it "
            "(or mark it missing with NaN) before computing weights."
        )
    mins = np.where(present, mins, np.nan)
    maxs = np.where(present, maxs, np.nan)
    rng = maxs - mins
    a = np.where(present, np.where(d > 0, mins, maxs), 0.0)
    b = np.zeros(m)
    np.divide(np.where(d > 0, 1.0, -1.0), rng, out=b, where=rng > 0)
    if path == "numpy":
        S, T = _sums_numpy(X, a, b, shift)
    elif path == "serial":
        S, T = np.zeros(m), np.zeros(m)
        if X.flags.f_contiguous and not X.flags.c_contiguous:  # one run per indicator
            _sums_cols_serial(X.T, a, b, shift, S, T)
        else:
            _sums_block(X, 0, n, a, b, shift, S, T)
    elif path == "cols":
        S, T = _sums_cols(X.T, a, b, shift)
    else:
        bS, bT = _sums_rows(X, a, b, shift, nblocks)
        S, T = bS.sum(axis=0), bT.sum(axis=0)
    return mins, maxs, cnts, S, T


def entropy(
    X: ArrayLike,
    directions: ArrayLike,
    shift: float = 0.0,
    *,
    variant: Literal["minmax", "shares"] = "minmax",
) -> FloatArray:
    r"""Entropy weights (熵值法 / 熵权法).

    With :math:`Y` = :func:`~kaoping.methods.normalize.minmax` of ``X`` on [0, 1] (plus
    ``shift``) — or, with ``variant="shares"``, :math:`Y = X` itself (plus ``shift``) —
    for each indicator j over its :math:`n_j` non-missing values

    .. math::

        p_{ij} = \frac{y_{ij}}{\sum_i y_{ij}},\qquad
        e_j = -\frac{1}{\ln n_j}\sum_i p_{ij}\ln p_{ij}\ \ (0\ln 0 = 0),\qquad
        w_j = \frac{1 - e_j}{\sum_k (1 - e_k)}.

    It is computed without forming :math:`p` (or even :math:`Y`): with
    :math:`S_j = \sum_i y_{ij}` and :math:`T_j = \sum_i y_{ij}\ln y_{ij}`,

    .. math::

        e_j = -\frac{1}{\ln n_j}\left(\frac{T_j}{S_j} - \ln S_j\right),

    in two passes over ``X`` (column min/max/count, then :math:`S, T`), compiled with numba:
    on one thread below 2**17 cells, above it in parallel over row blocks (over columns when
    ``X`` is Fortran-ordered).  Memory beyond ``X`` is O(m).  *NumPy fallback:* when numba
    cannot be imported, the same two passes run in NumPy over blocks of 32,768 rows (one
    block-sized temporary at a time).  The straightforward formula above — ``Y = minmax(X, d);
    P = Y / Y.sum(0); e = -(P*log P).sum(0) / log n`` with ``0 log 0 = 0`` — gives the same
    weights but holds several full-size temporaries.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw values (negative values are fine: the min-max step comes first); NaN = missing.
        A float64 array in C or Fortran order is used without a copy.
    directions : array_like, shape (m,)
        +1 or -1.
    shift : float
        Non-negative constant added to every normalised value (``variant="shares"``: every
        raw value) before the entropy (the "translation" variant of Chinese papers, e.g.
        0.0001 or 0.01), so that no :math:`p_{ij}` is 0.
    variant : {"minmax", "shares"}
        ``"minmax"`` (default, METHODS.md): the shares are taken of the min-max normalised
        values.  ``"shares"``: of the raw values, :math:`p_{ij} = x_{ij} / \sum_i x_{ij}`,
        the convention of pymcdm (``entropy_weights``: sum normalisation of the raw matrix),
        scikit-criteria (``EntropyWeighter``: ``scipy.stats.entropy`` of the raw columns,
        in base n) and mcdm (``em``, on a matrix whose columns already sum to 1).  The raw
        values plus ``shift`` must then be non-negative (a shift at least minus the smallest
        value makes indicators such as growth rates usable) with a positive column sum, and
        ``directions`` play no part (they are still validated): the dispersion of the shares
        is the same whichever way is better, and none of those libraries uses them either.
        Unlike pymcdm, whose ``entropy_weights`` gives a column with a zero entry entropy 0
        (the largest weight), a zero share counts as :math:`0 \ln 0 = 0` here, as in mcdm.

    Returns
    -------
    ndarray, shape (m,)
        Non-negative weights summing to 1.

    Raises
    ------
    ValueError
        Bad shapes or directions, ``shift < 0``, an infinite value in ``X``, an unknown
        ``variant``, or (``variant="shares"``) a raw value below ``-shift`` or a column
        summing to 0, naming the column.

    Warns
    -----
    ConstantColumnWarning
        For indicators that are constant or have fewer than two non-missing values: their
        entropy is 1 and their weight 0.  If that holds for every indicator — in particular
        for a single unit (n = 1), where the entropy is undefined — equal weights are returned
        instead, with the warning.

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
    Applications*. Springer, section on the entropy method for attribute weights.
    https://doi.org/10.1007/978-3-642-48318-9 ; Shannon, C. E. (1948). A mathematical theory of
    communication. *Bell System Technical Journal* 27(3), 379-423.

    Examples
    --------
    >>> X = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 40.0]])
    >>> entropy(X, [1, -1]).round(4)
    array([0.4629, 0.5371])
    >>> entropy([[1.0, 2.0], [4.0, 16.0]], [-1, 1], variant="shares").round(6)
    array([0.358889, 0.641111])
    """
    A = _as_matrix(X, "entropy")
    n, m = A.shape
    d = _as_directions(directions, m, "entropy")
    shift = float(shift)
    if not (shift >= 0 and math.isfinite(shift)):
        raise ValueError(f"entropy: shift must be a finite number >= 0, got {shift!r}.")
    if variant == "shares":
        return _entropy_shares(A, shift)
    if variant != "minmax":
        raise ValueError(
            f"entropy: variant must be 'minmax' (shares of the min-max normalised values, the "
            f"default) or 'shares' (shares of the raw values), got {variant!r}."
        )
    mins, maxs, cnts, S, T = _entropy_passes(A, d, shift)
    return _entropy_weights(mins, maxs, cnts, S, T, n)


def _entropy_shares(A: FloatArray, shift: float) -> FloatArray:
    """Entropy weights of the raw shares p = (x + shift) / sum (x + shift), per column."""
    n = A.shape[0]
    present = ~np.isnan(A)
    if np.isinf(A).any():
        j = int(np.flatnonzero(np.isinf(A).any(axis=0))[0])
        raise ValueError(
            f"entropy: indicator column {j} contains an infinite value; replace it "
            "(or mark it missing with NaN) before computing weights."
        )
    negative = present & (A + shift < 0)
    if negative.any():
        i, j = (int(v) for v in np.argwhere(negative)[0])
        k = int(negative[:, j].sum())
        how = f"{k} negative value(s)" if shift == 0 else f"{k} value(s) below -shift = {-shift:g}"
        raise ValueError(
            f"entropy: variant='shares' takes shares of the raw values plus the shift "
            f"(p = (x + shift) / sum (x + shift)), which must be >= 0, but indicator column {j} "
            f"has {float(A[i, j])!r} at row {i} ({how} in that column). Give a shift >= "
            f"{-float(np.nanmin(A)):g}, or use the default variant='minmax', which normalises "
            "first, for indicators that can be negative (growth rates, balances)."
        )
    Y = np.where(present, A + shift, 0.0)
    S = Y.sum(axis=0)
    cnts = present.sum(axis=0).astype(np.float64)
    zero = np.flatnonzero((S <= 0) & (cnts > 0))
    if zero.size:
        j = int(zero[0])
        raise ValueError(
            f"entropy: variant='shares' needs each indicator's values to sum to more than 0, "
            f"but indicator column {j} is 0 for every unit, so its shares x / sum x are "
            "undefined. Drop the indicator, give a shift > 0, or use variant='minmax'."
        )
    L = np.log(Y, out=np.zeros_like(Y), where=Y > 0)
    T = (Y * L).sum(axis=0)
    mins = np.fmin.reduce(np.where(present, Y, np.nan), axis=0)
    maxs = np.fmax.reduce(np.where(present, Y, np.nan), axis=0)
    return _entropy_weights(mins, maxs, cnts, S, T, n, stacklevel=5)


def _entropy_weights(
    mins: FloatArray,
    maxs: FloatArray,
    cnts: FloatArray,
    S: FloatArray,
    T: FloatArray,
    n: int,
    stacklevel: int = 4,
) -> FloatArray:
    """Weights from the column sums of :func:`_entropy_passes` (or of the raw shares)."""
    m = cnts.size
    usable = (cnts >= 2) & (maxs > mins) & (S > 0)
    bad = [int(j) for j in np.flatnonzero(~usable)]
    if not usable.any():
        why = (
            "there is a single unit (n = 1), for which the entropy is undefined"
            if n == 1
            else f"every indicator column {bad} is constant or has fewer than two values"
        )
        return _fallback_equal("entropy", m, bad, why, stacklevel=stacklevel)
    e = np.ones(m)
    u = usable
    e[u] = -(T[u] / S[u] - np.log(S[u])) / np.log(cnts[u])
    div = np.clip(1.0 - e, 0.0, None)  # e <= 1 in exact arithmetic
    total = div.sum()
    if not total > 0:
        why = "every indicator has entropy 1 (no dispersion after the shift)"
        return _fallback_equal("entropy", m, bad, why, stacklevel=stacklevel)
    _warn_zero_weight("entropy", bad, stacklevel=stacklevel)
    return div / total


# --------------------------------------------------------------------------------------------
# CRITIC and CV
# --------------------------------------------------------------------------------------------


def _nan_std(Y: FloatArray, ddof: int = 1) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Column mean, sample sd and count over non-missing values, without warnings."""
    ok = ~np.isnan(Y)
    cnt = ok.sum(axis=0).astype(np.float64)
    mean = np.divide(np.nansum(Y, axis=0), cnt, out=np.zeros(Y.shape[1]), where=cnt > 0)
    dev = np.where(ok, Y - mean, 0.0)
    ss = np.einsum("ij,ij->j", dev, dev)
    var = np.divide(ss, cnt - ddof, out=np.zeros(Y.shape[1]), where=cnt > ddof)
    return mean, np.sqrt(var), cnt


def _pairwise_corr(Y: FloatArray) -> FloatArray:
    """Pearson correlation matrix; with missing values, pairwise-complete (like pandas)."""
    ok = ~np.isnan(Y)
    if ok.all():
        R = np.atleast_2d(np.corrcoef(Y, rowvar=False))
    else:
        M = ok.astype(np.float64)
        cnt = M.sum(axis=0)
        mean = np.divide(np.nansum(Y, axis=0), cnt, out=np.zeros(Y.shape[1]), where=cnt > 0)
        Y0 = np.where(ok, Y - mean, 0.0)  # centred first: less cancellation in the sums below
        npair = M.T @ M  # n_jk: rows where both j and k are present
        sx = Y0.T @ M  # sum of y_j over those rows
        sxx = (Y0 * Y0).T @ M
        sxy = Y0.T @ Y0
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = sxy - sx * sx.T / npair
            var_j = sxx - sx * sx / npair
            R = cov / np.sqrt(var_j * var_j.T)
    R = np.where(np.isfinite(R), R, 0.0)  # undefined (overlap < 2 or no spread): no redundancy
    # |r| within 1e-9 of 1 is perfect collinearity up to rounding (which the one-pass pairwise
    # sums can leave at ~1e-11): snap it, so that C_j = 0 exactly and rescaling an indicator
    # cannot turn rounding noise into weights.
    R = np.where(np.abs(R) > 1.0 - 1e-9, np.sign(R), R)
    np.fill_diagonal(R, 1.0)
    return R


def critic(X: ArrayLike, directions: ArrayLike) -> FloatArray:
    r"""CRITIC weights (Criteria Importance Through Intercriteria Correlation).

    With :math:`Y` = :func:`~kaoping.methods.normalize.minmax` of ``X`` on [0, 1]:

    .. math::

        s_j = \sqrt{\tfrac{1}{n_j - 1}\sum_i (y_{ij} - \bar y_j)^2},\qquad
        C_j = s_j \sum_k (1 - r_{jk}),\qquad
        w_j = \frac{C_j}{\sum_k C_k},

    :math:`r` the Pearson correlation matrix of :math:`Y` (pairwise-complete when values are
    missing).  Indicators that cannot discriminate (constant, or fewer than two values) get
    weight 0 and are left out of the other indicators' correlation sums.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw values; NaN = missing.
    directions : array_like, shape (m,)
        +1 or -1.

    Returns
    -------
    ndarray, shape (m,)
        Non-negative weights summing to 1.

    Warns
    -----
    ConstantColumnWarning
        For indicators given weight 0; equal weights when no indicator can discriminate.
    KaopingWarning
        When every usable indicator is perfectly correlated with the others (all
        :math:`C_j = 0`): equal weights over those indicators.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. *Computers & Operations Research* 22(7),
    763-770. https://doi.org/10.1016/0305-0548(94)00059-H

    Examples
    --------
    >>> X = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [2.0, 0.0, 2.0]])
    >>> critic(X, [1, 1, 1]).round(4)
    array([0.209 , 0.4612, 0.3297])
    """
    A = _as_matrix(X, "critic")
    m = A.shape[1]
    d = _as_directions(directions, m, "critic")
    Y, _ = _minmax_core(A, d, 0.0, 1.0, None)
    _, s, cnt = _nan_std(Y)
    usable = (cnt >= 2) & (s > 0)
    bad = [int(j) for j in np.flatnonzero(~usable)]
    if not usable.any():
        why = f"every indicator column {bad} is constant or has fewer than two values"
        return _fallback_equal("critic", m, bad, why)
    idx = np.flatnonzero(usable)
    w = np.zeros(m)
    if idx.size == 1:
        w[idx] = 1.0
    else:
        R = _pairwise_corr(Y[:, idx])
        C = s[idx] * (1.0 - R).sum(axis=1)
        total = C.sum()
        if total > 0:
            w[idx] = C / total
        else:
            warnings.warn(
                KaopingWarning(
                    f"critic: indicator columns {idx.tolist()} are all perfectly correlated, so "
                    "CRITIC cannot tell them apart; they get equal weights."
                ),
                stacklevel=2,
            )
            w[idx] = 1.0 / idx.size
    _warn_zero_weight("critic", bad)
    return w


def cv(X: ArrayLike) -> FloatArray:
    r"""Coefficient-of-variation weights (变异系数法).

    .. math::

        v_j = \frac{s_j}{\bar x_j},\qquad w_j = \frac{v_j}{\sum_k v_k},

    with :math:`\bar x_j` and the sample standard deviation :math:`s_j` (ddof = 1) over the
    non-missing values of column j.  The coefficient of variation is only meaningful for
    ratio-scale indicators with a positive mean; directions do not matter.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw values; NaN = missing.

    Returns
    -------
    ndarray, shape (m,)

    Raises
    ------
    ValueError
        An indicator (that is not constant) with a mean <= 0.

    Warns
    -----
    ConstantColumnWarning
        Constant indicators get weight 0; equal weights when all are constant.

    References
    ----------
    The coefficient-of-variation method (变异系数法) of Chinese evaluation practice, as fixed in
    ``shared/METHODS.md`` ("cv"); a relative-dispersion counterpart of the standard-deviation
    weights that CRITIC extends (Diakoulaki et al. 1995,
    https://doi.org/10.1016/0305-0548(94)00059-H).

    Examples
    --------
    >>> cv([[1.0, 10.0], [3.0, 12.0]]).round(4)
    array([0.8462, 0.1538])
    """
    A = _as_matrix(X, "cv")
    m = A.shape[1]
    mean, s, cnt = _nan_std(A)
    mn, mx = np.fmin.reduce(A, axis=0), np.fmax.reduce(A, axis=0)
    usable = (cnt >= 2) & (mx > mn)
    bad = [int(j) for j in np.flatnonzero(~usable)]
    if not usable.any():
        return _fallback_equal(
            "cv", m, bad, f"every indicator column {bad} is constant or has fewer than two values"
        )
    neg = np.flatnonzero(usable & ~(mean > 0))
    if neg.size:
        j = int(neg[0])
        raise ValueError(
            f"cv: indicator column {j} has mean {mean[j]:.6g}; the coefficient of variation "
            "needs a positive mean. Use entropy or critic weights for indicators that can be "
            "zero or negative."
        )
    v = np.where(usable, s / np.where(usable, mean, 1.0), 0.0)
    _warn_zero_weight("cv", bad)
    out: FloatArray = v / v.sum()
    return out


# --------------------------------------------------------------------------------------------
# combine
# --------------------------------------------------------------------------------------------


def combine(
    w_subjective: ArrayLike,
    w_objective: ArrayLike,
    alpha: float = 0.5,
    method: Literal["additive", "multiplicative"] = "additive",
) -> FloatArray:
    r"""Combine subjective (expert) and objective (data) weights (主客观组合赋权).

    Each input is first normalised to sum 1; then

    .. math::

        w_j = \alpha\, w^s_j + (1 - \alpha)\, w^o_j \quad\text{(additive)}, \qquad
        w_j = \frac{w^s_j\, w^o_j}{\sum_k w^s_k\, w^o_k} \quad\text{(multiplicative)}.

    Parameters
    ----------
    w_subjective, w_objective : array_like, shape (m,) or (k, m)
        Non-negative weights (a batch of k weight vectors is combined row by row).
    alpha : float
        Share of the subjective weights, in [0, 1] (additive only).
    method : {"additive", "multiplicative"}

    Returns
    -------
    ndarray, shape (m,) or (k, m)

    Raises
    ------
    ValueError
        Mismatched shapes, negative or non-finite weights, a weight vector summing to 0,
        ``alpha`` outside [0, 1], an unknown ``method``, or (multiplicative) no indicator with
        both weights positive.

    References
    ----------
    The linear and multiplicative synthesis of subjective and objective weights, e.g. Ma, J.,
    Fan, Z.-P., Huang, L.-H. (1999). A subjective and objective integrated approach to
    determine attribute weights. *European Journal of Operational Research* 112(2), 397-404.
    https://doi.org/10.1016/S0377-2217(98)00141-6

    Examples
    --------
    >>> combine([0.5, 0.3, 0.2], [0.2, 0.2, 0.6], alpha=0.5)
    array([0.35, 0.25, 0.4 ])
    >>> combine([0.5, 0.3, 0.2], [0.2, 0.2, 0.6], method="multiplicative").round(4)
    array([0.3571, 0.2143, 0.4286])
    """
    ws = np.asarray(w_subjective, dtype=np.float64)
    wo = np.asarray(w_objective, dtype=np.float64)
    if ws.shape != wo.shape or ws.ndim not in (1, 2) or ws.shape[-1] == 0:
        raise ValueError(
            "combine: w_subjective and w_objective must have the same shape (m,) or (k, m), "
            f"got {ws.shape} and {wo.shape}."
        )
    for name, w in (("w_subjective", ws), ("w_objective", wo)):
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(f"combine: {name} must be finite and non-negative, got {w}.")
        if (w.sum(axis=-1) <= 0).any():
            raise ValueError(f"combine: {name} sums to 0; give at least one positive weight.")
    ws = ws / ws.sum(axis=-1, keepdims=True)
    wo = wo / wo.sum(axis=-1, keepdims=True)
    if method == "additive":
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"combine: alpha must be in [0, 1], got {alpha!r}.")
        w = alpha * ws + (1.0 - alpha) * wo
    elif method == "multiplicative":
        w = ws * wo
        if (w.sum(axis=-1) <= 0).any():
            raise ValueError(
                "combine: no indicator has both a positive subjective and a positive objective "
                "weight, so the multiplicative combination is undefined; use method='additive'."
            )
    else:
        raise ValueError(f"combine: method must be 'additive' or 'multiplicative', got {method!r}.")
    out: FloatArray = w / w.sum(axis=-1, keepdims=True)
    return out


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------

# Random consistency indices RI(n), n = 1, 2, ...: the mean consistency index of random
# reciprocal matrices on the 1/9..9 scale.  Peers that report different CRs for the same matrix
# almost always differ only here, so the table is a named option reported with the result.
RI_TABLES: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        # Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York: the table
        # Chinese textbooks and papers print (n = 1..15; note 1.48 at n = 12, as printed).
        "saaty1980": (
            0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
            1.51, 1.48, 1.56, 1.57, 1.59,
        ),
        # Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. RWS
        # Publications, Pittsburgh, p. 31; the same values are given by Saaty & Tran (2007),
        # Mathematical and Computer Modelling 46(7-8), 962-975,
        # https://doi.org/10.1016/j.mcm.2007.03.022 (n = 1..15).  Transcription checked
        # against two independent implementations: AHPy (random_index="saaty", citing Saaty
        # 2005 p. 31) and R ahpsurvey::ahp.cr (citing Saaty & Tran 2007).
        "saaty2005": (
            0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49,
            1.52, 1.54, 1.56, 1.58, 1.59,
        ),
        # Donegan, H. A., Dodd, F. J. (1991). A note on Saaty's random indexes. Mathematical
        # and Computer Modelling 15(10), 135-137, https://doi.org/10.1016/0895-7177(91)90098-R
        # (n = 1..20).  Transcribed from AHPy (random_index="dd", citing this paper); not
        # checked against the paper itself.
        "donegan_dodd1991": (
            0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055,
            1.4213, 1.4497, 1.4643, 1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371,
        ),
    }
)  # fmt: skip

_RECIPROCAL_RTOL = 1e-6


@dataclass(frozen=True, eq=False)
class AHPResult:
    """The result of :func:`ahp`.

    Attributes
    ----------
    weights : ndarray, shape (n,)
        Principal right eigenvector (or, ``method="approximate"``, the column-normalised row
        means), normalised to sum 1 (read-only).
    lambda_max : float
        Principal eigenvalue (>= n; n exactly for a consistent matrix); with
        ``method="approximate"`` its estimate, the mean of :math:`(A w)_i / w_i`.
    ci : float
        Consistency index (lambda_max - n)/(n - 1); 0 for n <= 2.
    cr : float
        Consistency ratio CI/RI(n); 0 for n <= 2.
    ri_table : str
        Name of the random-index table (a key of ``RI_TABLES``, or ``"custom"``).
    ri : float
        The random index RI(n) used.
    consistent : bool
        ``cr < 0.10``.
    method : str
        ``"eigenvector"`` or ``"approximate"``: how the weights and lambda_max were found.
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    ri_table: str
    ri: float
    consistent: bool
    method: str = "eigenvector"


def _check_reciprocal(A: FloatArray) -> None:
    n = A.shape[0]
    bad = ~(np.isfinite(A) & (A > 0))
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"ahp: A[{i}, {j}] = {float(A[i, j])!r} (row {i + 1}, column {j + 1}); a pairwise "
            "comparison matrix needs finite positive entries (a_ij > 0, with a_ji = 1/a_ij)."
        )
    for i in range(n):
        for j in range(i, n):
            expected = 1.0 / A[j, i]
            if abs(A[i, j] - expected) > _RECIPROCAL_RTOL * max(abs(A[i, j]), expected):
                where = "the diagonal must be 1" if i == j else "a_ij must equal 1/a_ji"
                raise ValueError(
                    f"ahp: A[{i}, {j}] = {float(A[i, j])!r} (row {i + 1}, column {j + 1}) but "
                    f"1/A[{j}, {i}] = {float(expected)!r}; {where} (relative tolerance "
                    f"{_RECIPROCAL_RTOL:g}). Enter each judgement once and its reciprocal "
                    "opposite it."
                )


def ahp(
    A: ArrayLike,
    ri: str | float = "saaty1980",
    strict: bool = False,
    *,
    method: Literal["eigenvector", "approximate"] = "eigenvector",
) -> AHPResult:
    r"""AHP priority weights from a pairwise comparison matrix (层次分析法), with its consistency.

    The weights are the principal right eigenvector of the positive reciprocal matrix
    :math:`A` (:math:`a_{ii} = 1`, :math:`a_{ji} = 1/a_{ij}`), normalised to sum 1:

    .. math::

        A w = \lambda_{\max} w,\qquad
        CI = \frac{\lambda_{\max} - n}{n - 1},\qquad CR = \frac{CI}{RI(n)},

    and the judgements are deemed consistent when :math:`CR < 0.10`.  Entries need not be on
    the 1-9 scale (group judgements are geometric means of the experts' entries).

    ``method="approximate"`` is Saaty's approximation (和积法 in Chinese textbooks): each
    column normalised to sum 1, then the row means, with :math:`\lambda_{\max}` estimated
    from those weights,

    .. math::

        w_i = \frac1n \sum_j \frac{a_{ij}}{\sum_k a_{kj}},\qquad
        \hat\lambda_{\max} = \frac1n \sum_i \frac{(A w)_i}{w_i},

    and CI, CR as above from :math:`\hat\lambda_{\max}` (which is >= n for any positive
    w: :math:`\sum_i (Aw)_i/w_i = n + \sum_{i<j} (t_{ij} + 1/t_{ij})` with
    :math:`t_{ij} = a_{ij} w_j / w_i`).  For the eigenvector the same mean is exactly
    :math:`\lambda_{\max}`; for a consistent matrix (:math:`a_{ij} = v_i / v_j`) both
    methods give :math:`w = v / \sum v` and :math:`\lambda_{\max} = n`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Positive reciprocal matrix; ``A[i, j]`` says how much more important i is than j.
    ri : str or float
        Random-index table: ``"saaty1980"`` (default, the one Chinese papers print),
        ``"saaty2005"`` or ``"donegan_dodd1991"`` (see ``RI_TABLES``), or the value RI(n)
        itself.
    strict : bool
        Raise ``ValueError`` when ``CR >= 0.10`` instead of reporting ``consistent=False``.
    method : {"eigenvector", "approximate"}
        The principal eigenvector (default) or Saaty's column-normalised row means.

    Returns
    -------
    AHPResult
        Weights, lambda_max, CI, CR, the RI table and value, ``consistent`` and ``method``.

    Raises
    ------
    ValueError
        ``A`` not square, an entry that is not finite and positive, a pair that is not
        reciprocal (naming the cell), a matrix larger than the RI table, or — with
        ``strict=True`` — an inconsistent matrix (naming the judgement furthest from the
        derived weights).

    References
    ----------
    Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures. *Journal
    of Mathematical Psychology* 15(3), 234-281. https://doi.org/10.1016/0022-2496(77)90033-5 ;
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill (the approximate
    method: ch. 1, "normalise each column and average over the rows"); Saaty, T. L. (1990).
    How to make a decision: the analytic hierarchy process. *European Journal of Operational
    Research* 48(1), 9-26. https://doi.org/10.1016/0377-2217(90)90057-I

    Examples
    --------
    >>> res = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    >>> res.weights.round(4), round(res.lambda_max, 4), round(res.cr, 4), res.consistent
    (array([0.637 , 0.2583, 0.1047]), 3.0385, 0.0332, True)
    >>> approx = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], method="approximate")
    >>> approx.weights.round(4), round(approx.lambda_max, 4), round(approx.cr, 4)
    (array([0.6333, 0.2605, 0.1062]), 3.0387, 0.0334)
    """
    if method not in ("eigenvector", "approximate"):
        raise ValueError(
            f"ahp: method must be 'eigenvector' (the principal eigenvector, default) or "
            f"'approximate' (column-normalised row means), got {method!r}."
        )
    M = np.asarray(A, dtype=np.float64)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise ValueError(f"ahp: A must be a non-empty square matrix, got shape {M.shape}.")
    n = M.shape[0]
    _check_reciprocal(M)
    if isinstance(ri, str):
        if ri not in RI_TABLES:
            raise ValueError(
                f"ahp: unknown RI table {ri!r}; choose one of {sorted(RI_TABLES)} or pass the "
                "random index RI(n) as a number."
            )
        table = RI_TABLES[ri]
        if n > len(table):
            raise ValueError(
                f"ahp: the {ri!r} random-index table covers n <= {len(table)}, but A is "
                f"{n} x {n}; split the comparisons into smaller groups, choose another table, or "
                "pass RI(n) as a number."
            )
        ri_name, ri_value = ri, table[n - 1]
    else:
        ri_name, ri_value = "custom", float(ri)
        if not (ri_value > 0 or n <= 2):
            raise ValueError(f"ahp: a custom random index must be > 0, got {ri!r}.")
    if n <= 2:  # every positive reciprocal 1x1 or 2x2 matrix is consistent
        w = M[:, 0] / M[:, 0].sum()  # any column of a consistent matrix is proportional to w
        lam, ci, cr = float(n), 0.0, 0.0
    elif method == "approximate":
        w = (M / M.sum(axis=0, keepdims=True)).mean(axis=1)
        lam = float(np.mean((M @ w) / w))
        ci = max((lam - n) / (n - 1), 0.0)  # lambda estimate >= n; clip rounding noise
        cr = ci / ri_value
    else:
        vals, vecs = np.linalg.eig(M)
        k = int(np.argmax(vals.real))
        lam = float(vals[k].real)
        v = np.abs(vecs[:, k].real)  # Perron vector: one sign, real
        w = v / v.sum()
        ci = max((lam - n) / (n - 1), 0.0)  # lambda_max >= n; clip rounding noise
        cr = ci / ri_value
    weights = np.ascontiguousarray(w, dtype=np.float64)
    weights.flags.writeable = False
    consistent = bool(cr < 0.10)
    if strict and not consistent:
        ratio = M * weights[None, :] / weights[:, None]  # a_ij w_j / w_i = 1 when consistent
        i, j = (int(v) for v in np.unravel_index(np.argmax(np.abs(np.log(ratio))), ratio.shape))
        raise ValueError(
            f"ahp: the judgements are inconsistent: CR = {cr:.4f} >= 0.10 (RI table "
            f"{ri_name!r}, RI({n}) = {ri_value:g}). The judgement furthest from the derived "
            f"weights is A[{i}, {j}] = {M[i, j]:g} (row {i + 1}, column {j + 1}), where the "
            f"weights imply {weights[i] / weights[j]:.3g}; revise it and its reciprocal."
        )
    return AHPResult(weights, lam, ci, cr, ri_name, ri_value, consistent, method)


# --------------------------------------------------------------------------------------------
# PCA weights
# --------------------------------------------------------------------------------------------

# An eigenvalue counts as "greater than 1" (Kaiser's rule) only above 1 + this: the eigenvalues
# of an identity correlation matrix come out of LAPACK as 1 +- 1e-16.
_EIGEN_TOL = 1e-9


class NegativeLoadingWarning(KaopingWarning):
    """Some indicators load negatively on the components that PCA weights are taken from.

    ``columns`` holds the zero-based indices, so that the caller can name the indicators.
    """

    def __init__(self, message: str, columns: Sequence[int]) -> None:
        super().__init__(message)
        self.columns: tuple[int, ...] = tuple(int(c) for c in columns)


@dataclass(frozen=True, eq=False)
class PCAResult:
    """The result of :func:`pca`.

    Attributes
    ----------
    weights : ndarray, shape (m,)
        Non-negative weights summing to 1 (read-only); 0 for an indicator left out
        (constant over the units used).
    eigenvalues : ndarray, shape (p,)
        Eigenvalues of the correlation matrix of the p indicators used, in decreasing order
        (they sum to p).
    explained : ndarray, shape (p,)
        Each component's share of the total variance, :math:`\\lambda_k / p`.
    k : int
        Number of components the weights come from (1 for ``convention="coinr"``).
    loadings : ndarray, shape (m, k)
        Component matrix (SPSS's 成分矩阵): :math:`a_{jk} = e_{jk} \\sqrt{\\lambda_k}`, the
        correlation of indicator j with component k; rows of indicators left out are 0.
    coefficients : ndarray, shape (m,)
        The signed values the weights are the absolute values of, before scaling: the
        composite-score coefficients :math:`b_j` ("cn") or the first eigenvector
        :math:`e_{j1}` ("coinr", COINr's ``rotation[, 1]``).
    negative : tuple of int
        Columns whose coefficient is negative (a :class:`NegativeLoadingWarning` named them).
    convention : str
        ``"cn"`` or ``"coinr"``.
    n_used : int
        Units used: those with a value for every indicator (listwise deletion).
    """

    weights: FloatArray
    eigenvalues: FloatArray
    explained: FloatArray
    k: int
    loadings: FloatArray
    coefficients: FloatArray
    negative: tuple[int, ...]
    convention: str
    n_used: int


def _frozen(a: FloatArray) -> FloatArray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.flags.writeable = False
    return out


def _retained(lam: FloatArray, retain: str | float) -> int:
    """Number of components kept: Kaiser's eigenvalue > 1, or a cumulative share."""
    if retain == "eigen1":
        k = int(np.count_nonzero(lam > 1.0 + _EIGEN_TOL))
        if k == 0:  # only when every eigenvalue is 1: the indicators are uncorrelated
            warnings.warn(
                KaopingWarning(
                    "pca: no eigenvalue of the correlation matrix exceeds 1 (the indicators "
                    "are uncorrelated), so the first component alone is kept; its direction "
                    "is arbitrary and PCA weights mean little here. Consider equal weights."
                ),
                stacklevel=4,
            )
            k = 1
        return k
    if isinstance(retain, bool) or not isinstance(retain, (int, float)):
        raise ValueError(
            f"pca: retain must be 'eigen1' (components with eigenvalue > 1) or a cumulative "
            f"share of variance in (0, 1] such as 0.85, got {retain!r}."
        )
    share = float(retain)
    if not 0.0 < share <= 1.0:
        raise ValueError(
            f"pca: retain as a cumulative share of variance must be in (0, 1], got {retain!r}; "
            "for example 0.85 keeps the fewest components explaining at least 85%."
        )
    cum = np.cumsum(lam) / lam.sum()
    k = int(np.searchsorted(cum, share - 1e-12)) + 1
    return min(k, int(lam.size))


def _fix_signs(V: FloatArray) -> FloatArray:
    """Each eigenvector with a positive sum of entries (if the sum is 0 up to rounding, its
    largest entry positive, the first of equal ones): eigenvectors are defined up to sign."""
    total = V.sum(axis=0)
    mag = np.abs(V)
    first_big = np.argmax(mag >= mag.max(axis=0) - 1e-12, axis=0)
    big = V[first_big, np.arange(V.shape[1])]
    flip = np.where(np.abs(total) > 1e-10, total < 0, big < 0)
    return np.where(flip, -V, V)


def _standardized(
    X: ArrayLike, directions: ArrayLike | None, func: str
) -> tuple[int, int, FloatArray | None, npt.NDArray[np.intp], list[int]]:
    """The z-scores a PCA starts from: ``(m, n_used, Z, idx, bad)``.

    Negative indicators are multiplied by -1, units with a missing value are left out
    (listwise deletion, with a :class:`~kaoping.errors.KaopingWarning` at the caller's
    caller), and the columns ``idx`` that vary are standardised (ddof = 1); ``bad`` lists the
    constant columns.  ``Z`` is None when every column is constant.
    """
    A = _as_matrix(X, func)
    n, m = A.shape
    d = np.ones(m) if directions is None else _as_directions(directions, m, func)
    if np.isinf(A).any():
        j = int(np.flatnonzero(np.isinf(A).any(axis=0))[0])
        raise ValueError(
            f"{func}: indicator column {j} contains an infinite value; replace it (or mark it "
            "missing with NaN) before computing weights."
        )
    complete = ~np.isnan(A).any(axis=1)
    n_used = int(complete.sum())
    if n_used < 3:
        raise ValueError(
            f"{func}: only {n_used} of {n} units have a value for every indicator; PCA needs "
            "at least 3 complete units (rows with a missing value are left out). Impute the "
            "missing values first, or drop the indicators that are mostly missing."
        )
    if n_used < n:
        warnings.warn(
            KaopingWarning(
                f"{func}: {n - n_used} of {n} units have a missing value and are left out of "
                "the PCA (listwise deletion, as SPSS and COINr's get_PCA do); impute first to "
                "use every unit."
            ),
            stacklevel=3,
        )
    Xc = A[complete] * d
    usable = Xc.max(axis=0) > Xc.min(axis=0)
    bad = [int(j) for j in np.flatnonzero(~usable)]
    idx = np.flatnonzero(usable)
    if not usable.any():
        return m, n_used, None, idx, bad
    Z = Xc[:, idx]
    Z = (Z - Z.mean(axis=0)) / Z.std(axis=0, ddof=1)
    return m, n_used, Z, idx, bad


def pca(
    X: ArrayLike,
    directions: ArrayLike | None = None,
    *,
    convention: Literal["cn", "coinr"] = "cn",
    retain: str | float = "eigen1",
) -> PCAResult:
    r"""Weights from principal component analysis (主成分分析法), in two conventions.

    Negative indicators are first multiplied by -1 (``directions``), units with a missing
    value are left out (listwise deletion, as SPSS and COINr's ``get_PCA`` do), and the PCA
    is on the correlation matrix :math:`R` of the p indicators that vary (z-scores):
    :math:`R e_k = \lambda_k e_k`, :math:`\lambda_1 \ge \dots \ge \lambda_p`, each
    :math:`e_k` of unit length.

    **"cn"** — the 主成分分析法 of Chinese evaluation papers.  Keep the components with
    :math:`\lambda_k > 1` (Kaiser; or, ``retain=0.85``, the fewest whose cumulative share
    reaches 85 %).  Papers read SPSS's component matrix (成分矩阵), whose "loadings" are
    :math:`a_{jk} = e_{jk}\sqrt{\lambda_k}`, and divide them by :math:`\sqrt{\lambda_k}`;
    so the coefficients of the components are the eigenvectors themselves,
    :math:`c_{jk} = a_{jk}/\sqrt{\lambda_k} = e_{jk}`.  Then

    .. math::

        b_j = \frac{\sum_{k \le K} c_{jk}\,\lambda_k}{\sum_{k \le K} \lambda_k},\qquad
        w_j = \frac{|b_j|}{\sum_l |b_l|}.

    **"coinr"** — COINr's ``get_PCA`` (Becker et al. 2022): the loadings of the first
    component, ``prcomp(x, center = TRUE, scale = TRUE)$rotation[, 1]``, i.e. :math:`e_{j1}`,
    made non-negative and scaled to sum 1, :math:`w_j = |e_{j1}| / \sum_l |e_{l1}|`.  COINr
    itself stores the signed :math:`e_{j1}` as the weights; its aggregation divides by the
    sum of the weights, so when every loading has the same sign its effective weights are
    exactly these.  (Neither COINr nor this function squares the loadings; ``retain`` is
    not used.)

    *Signs.*  An eigenvector is defined up to its sign, and LAPACK, SPSS and R may return
    either.  Here every eigenvector is oriented so that the sum of its entries is positive
    (its largest entry positive, the first of equal ones, if that sum is 0), so that a
    component on which most indicators load positively reads as "more is better".  A
    negative :math:`b_j` (or :math:`e_{j1}`) means indicator j moves against the retained
    components; its weight is :math:`|b_j|` and a :class:`NegativeLoadingWarning` names it.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Indicator values (raw or normalised: z-scores make the scale irrelevant);
        NaN = missing.
    directions : array_like, shape (m,), optional
        +1 or -1 per indicator; default all +1 (values already "higher is better").
    convention : {"cn", "coinr"}
    retain : "eigen1" or float
        ``"cn"`` only: ``"eigen1"`` (default) keeps the components with eigenvalue > 1; a
        float in (0, 1] keeps the fewest components whose cumulative share of variance is at
        least that.

    Returns
    -------
    PCAResult
        Weights, eigenvalues, explained shares, k, the component matrix, the signed
        coefficients, the negative ones, the convention and the number of units used.

    Raises
    ------
    ValueError
        Bad shapes or directions, an unknown convention or ``retain``, an infinite value,
        or fewer than 3 units with every value present.

    Warns
    -----
    ConstantColumnWarning
        Indicators constant over the units used get weight 0 (equal weights if all are).
    NegativeLoadingWarning
        Some coefficients are negative.
    KaopingWarning
        Units left out for a missing value; no eigenvalue above 1.

    References
    ----------
    Jolliffe, I. T. (2002). *Principal Component Analysis*, 2nd ed. Springer, ch. 6
    (Kaiser's rule, cumulative variance). https://doi.org/10.1007/b98835 ;
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 6.1 (PCA).
    https://doi.org/10.1787/9789264043466-en ; Becker, W., Caperna, G., Del Sorbo, M.,
    Norlén, H., Papadimitriou, E., Saisana, M. (2022). COINr: an R package for developing
    composite indicators. *Journal of Open Source Software* 7(78), 4567.
    https://doi.org/10.21105/joss.04567 (``get_PCA``, R/PCA.R).

    Examples
    --------
    >>> X = [[1, 2, 3, 1], [2, 3, 1, 2], [3, 3, 2, 4], [4, 5, 5, 3], [5, 4, 4, 5], [6, 6, 2, 2]]
    >>> res = pca(X)
    >>> res.k, res.eigenvalues.round(4), res.weights.round(4)
    (2, array([2.2772, 1.0069, 0.6834, 0.0324]), array([0.2326, 0.1694, 0.2926, 0.3055]))
    >>> pca(X, convention="coinr").weights.round(4)
    array([0.3201, 0.292 , 0.1809, 0.2071])
    """
    if convention not in ("cn", "coinr"):
        raise ValueError(
            f"pca: convention must be 'cn' (主成分分析法 of Chinese papers: components with "
            f"eigenvalue > 1, b_j = sum_k e_jk lambda_k / sum_k lambda_k) or 'coinr' (COINr's "
            f"first-component loadings), got {convention!r}."
        )
    if convention == "cn" and retain != "eigen1":
        _retained(np.ones(1), retain)  # validate retain before the data
    m, n_used, Z, idx, bad = _standardized(X, directions, "pca")
    if Z is None:
        w = _fallback_equal("pca", m, bad, f"every indicator column {bad} is constant")
        empty = np.zeros(0)
        return PCAResult(
            _frozen(w), _frozen(empty), _frozen(empty), 0, _frozen(np.zeros((m, 0))),
            _frozen(np.zeros(m)), (), str(convention), n_used,
        )  # fmt: skip
    R = (Z.T @ Z) / (n_used - 1)
    lam, V = np.linalg.eigh(R)
    order = np.argsort(lam)[::-1]
    lam = np.clip(lam[order], 0.0, None)
    V = _fix_signs(V[:, order])
    explained = lam / lam.sum()
    k = 1 if convention == "coinr" else _retained(lam, retain)
    coef_used = V[:, :k] @ lam[:k] / lam[:k].sum() if convention == "cn" else V[:, 0]
    coefficients = np.zeros(m)
    coefficients[idx] = coef_used
    loadings = np.zeros((m, k))
    loadings[idx] = V[:, :k] * np.sqrt(lam[:k])
    w = np.abs(coefficients) / np.abs(coefficients).sum()  # > 0: e_k has a non-zero entry
    negative = tuple(int(j) for j in np.flatnonzero(coefficients < 0))
    if negative:
        what = "composite coefficient b_j" if convention == "cn" else "first-component loading"
        warnings.warn(
            NegativeLoadingWarning(
                f"pca: the {what} of indicator column(s) {list(negative)} is negative: these "
                "indicators move against the components the weights come from. Their weight "
                "is the absolute value; check their direction (正向/逆向), or drop them.",
                negative,
            ),
            stacklevel=2,
        )
    _warn_zero_weight("pca", bad, stacklevel=2)
    return PCAResult(
        _frozen(w), _frozen(lam), _frozen(explained), k, _frozen(loadings),
        _frozen(coefficients), negative, str(convention), n_used,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# factor-analysis weights of the OECD/JRC Handbook (PCA extraction, varimax, squared loadings)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FactorWeightsResult:
    """The result of :func:`factor_weights`.

    Attributes
    ----------
    weights : ndarray, shape (m,)
        Non-negative weights summing to 1 (read-only); 0 for an indicator left out
        (constant over the units used).
    eigenvalues : ndarray, shape (p,)
        Eigenvalues of the correlation matrix of the p indicators used, decreasing.
    explained : ndarray, shape (p,)
        Each component's share of the total variance, :math:`\\lambda_k / p`.
    k : int
        Number of factors retained.
    loadings : ndarray, shape (m, k)
        The varimax-rotated loadings :math:`\\tilde a_{jk}` (each factor turned so that its
        loadings sum to a positive number); rows of indicators left out are 0.
    squared : ndarray, shape (m, k)
        Squared rotated loadings scaled to unity sum within each factor,
        :math:`s_{jk} = \\tilde a_{jk}^2 / V_k` (each column sums to 1).
    factor_variance : ndarray, shape (k,)
        Variance explained by each rotated factor, :math:`V_k = \\sum_j \\tilde a_{jk}^2`
        (the Handbook's "Expl.Var"; they sum to :math:`\\sum_{k \\le K} \\lambda_k`).
    factor_weights : ndarray, shape (k,)
        Each factor's share of the explained variance, :math:`\\phi_k = V_k / \\sum_l V_l`
        (the Handbook's "Expl./Tot").
    factor : ndarray of int, shape (m,)
        The factor (0-based) each indicator is assigned to, the one with its largest
        :math:`s_{jk}`; -1 for an indicator left out.
    negative : tuple of int
        Columns whose rotated loading on their own factor is negative (a
        :class:`NegativeLoadingWarning` named them).
    n_used : int
        Units used: those with a value for every indicator (listwise deletion).
    rules_k : int
        Factors the eigenvalue and share rules alone keep (before the cumulative rule adds
        any; equal to ``k`` when ``factors`` is given).
    normalize : bool
        Whether the varimax used Kaiser's normalisation.
    """

    weights: FloatArray
    eigenvalues: FloatArray
    explained: FloatArray
    k: int
    loadings: FloatArray
    squared: FloatArray
    factor_variance: FloatArray
    factor_weights: FloatArray
    factor: npt.NDArray[np.int64]
    negative: tuple[int, ...]
    n_used: int
    rules_k: int
    normalize: bool


def _check_share(value: object, name: str, *, upper_open: bool) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    v = float(value) if ok else math.nan  # type: ignore[arg-type]
    if not (0.0 <= v < 1.0 if upper_open else 0.0 <= v <= 1.0):
        limit = "[0, 1)" if upper_open else "[0, 1]"
        raise ValueError(
            f"factor_weights: {name} must be a share of the total variance in {limit} (0 "
            f"switches the rule off), got {value!r}."
        )
    return v


def _factors_kept(
    lam: FloatArray, min_eigenvalue: float, min_share: float, min_cumulative: float
) -> tuple[int, int]:
    """``(k, rules_k)``: the Handbook's three rules.  ``rules_k`` counts the leading
    components with eigenvalue > ``min_eigenvalue`` and share > ``min_share``; if they explain
    less than ``min_cumulative`` together, components are added (in order) until they do."""
    share = lam / lam.sum()
    ok = (lam > min_eigenvalue + _EIGEN_TOL) & (share > min_share + _EIGEN_TOL)
    rules_k = int(np.argmin(ok)) if not ok.all() else int(ok.size)  # leading run of True
    k = max(rules_k, 1)
    if rules_k == 0:
        warnings.warn(
            KaopingWarning(
                f"factor_weights: no component has an eigenvalue above {min_eigenvalue:g} and a "
                f"share of variance above {min_share:.0%}, so the first alone is kept; "
                "factor weights mean little here. Consider equal weights, or give factors=."
            ),
            stacklevel=3,
        )
    cum = np.cumsum(share)
    if cum[k - 1] < min_cumulative - 1e-12:
        k = min(int(np.searchsorted(cum, min_cumulative - 1e-12)) + 1, int(lam.size))
    return k, rules_k


def _varimax(A: FloatArray, normalize: bool) -> FloatArray:
    """Varimax rotation of the loadings A (p x k) by statsmodels' ``rotate_factors``; with
    Kaiser's normalisation the rows are divided by the square root of their communality
    before the rotation and multiplied back after it.

    statsmodels' gradient projection stops when the gradient's norm is below 1e-5, so the
    rotated loadings are accurate to about 1e-5 (asking for 1e-8 can leave it iterating to
    its limit without getting closer); the weights, printed to 2-3 decimals, are not affected.
    """
    if A.shape[1] < 2:
        return A.copy()
    from statsmodels.multivariate.factor_rotation import rotate_factors

    h = np.sqrt((A**2).sum(axis=1)) if normalize else np.ones(A.shape[0])
    h = np.where(h > 0, h, 1.0)
    L, _ = rotate_factors(A / h[:, None], "varimax")
    return np.asarray(L, dtype=np.float64) * h[:, None]


def factor_weights(
    X: ArrayLike,
    directions: ArrayLike | None = None,
    *,
    factors: int | None = None,
    min_eigenvalue: float = 1.0,
    min_share: float = 0.10,
    min_cumulative: float = 0.60,
    normalize: bool = True,
) -> FactorWeightsResult:
    r"""Factor-analysis weights of the OECD/JRC Handbook (2008, section 6.1): principal
    components extraction, varimax rotation, squared loadings scaled to unity sum.

    As for :func:`pca`, negative indicators are first multiplied by -1, units with a missing
    value are left out (listwise deletion) and the p indicators that vary are standardised;
    :math:`R e_k = \lambda_k e_k` is the correlation matrix's eigen-decomposition and
    :math:`a_{jk} = e_{jk}\sqrt{\lambda_k}` the (unrotated) loadings.

    1. *Factors kept* (the Handbook's three rules, each a named option; 0 switches one off):
       the leading components with :math:`\lambda_k >` ``min_eigenvalue`` (1) and a share
       :math:`\lambda_k / p >` ``min_share`` (10 %); if they explain less than
       ``min_cumulative`` (60 %) together, the next ones are added until they do.  Or
       ``factors=K`` exactly (the Handbook keeps four for its TAI example, whose third and
       fourth eigenvalues are 0.98 and 0.89).
    2. *Varimax* (Kaiser 1958) of the K loadings, :math:`\tilde A = A T` with T orthogonal,
       by statsmodels' ``rotate_factors``; with ``normalize`` (Kaiser's normalisation, the
       default of SPSS and of R's ``varimax``) on the rows scaled to unit communality.
       Each rotated factor is turned so that its loadings sum to a positive number, and
       the factors keep the order of the components they were rotated from.
    3. *Squared loadings scaled to unity sum* within each factor, the factors' explained
       variance and its shares:

    .. math::

        V_k = \sum_j \tilde a_{jk}^2,\qquad s_{jk} = \frac{\tilde a_{jk}^2}{V_k},\qquad
        \phi_k = \frac{V_k}{\sum_{l \le K} V_l}.

    4. *Weights*: each indicator belongs to the factor :math:`k^*(j) = \arg\max_k s_{jk}`
       (the intermediate composite it enters), weighted there by :math:`s_{jk^*}`; the
       intermediate composites are weighted by :math:`\phi_k`, so

    .. math::

        w_j = \frac{s_{j k^*(j)}\,\phi_{k^*(j)}}{\sum_l s_{l k^*(l)}\,\phi_{k^*(l)}}.

    Rotation moves variance between the retained factors but not their total,
    :math:`\sum_k V_k = \sum_{k \le K} \lambda_k`.  A negative rotated loading on an
    indicator's own factor means it moves against that factor: its weight still comes from
    the square, and a :class:`NegativeLoadingWarning` names it.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Indicator values; NaN = missing.
    directions : array_like, shape (m,), optional
        +1 or -1 per indicator; default all +1.
    factors : int, optional
        Keep exactly this many factors (1 <= factors <= p); the three rules are then not used.
    min_eigenvalue : float
        Kaiser's rule: keep components whose eigenvalue exceeds this (default 1).
    min_share : float
        Keep components each explaining more than this share of the variance (default 0.10).
    min_cumulative : float
        The kept components must explain at least this share together (default 0.60).
    normalize : bool
        Kaiser's normalisation in the varimax (default True).

    Returns
    -------
    FactorWeightsResult

    Raises
    ------
    ValueError
        Bad shapes or directions, a rule or ``factors`` out of range, an infinite value, or
        fewer than 3 units with every value present.

    Warns
    -----
    ConstantColumnWarning
        Indicators constant over the units used get weight 0 (equal weights if all are).
    NegativeLoadingWarning
        An indicator's rotated loading on its own factor is negative.
    KaopingWarning
        Units left out for a missing value; no component passing the rules.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
    Guide*, section 6.1 "Weights based on principal components analysis or factor analysis"
    (Tables 16 and 17, the TAI example). https://doi.org/10.1787/9789264043466-en ;
    Nicoletti, G., Scarpetta, S., Boylaud, O. (2000). Summary indicators of product market
    regulation with an extension to employment protection legislation. OECD Economics
    Department Working Papers 226. https://doi.org/10.1787/215182844604 ;
    Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
    *Psychometrika* 23(3), 187-200. https://doi.org/10.1007/BF02289233

    Examples
    --------
    Two blocks, correlations 0.8 (x1, x2) and 0.6 (x3, x4), uncorrelated with each other:
    eigenvalues 1.8 and 1.6 kept, :math:`\phi = (1.8, 1.6)/3.4`, :math:`s = 1/2` for each
    indicator on its own factor, so :math:`w = (0.9, 0.9, 0.8, 0.8)/3.4`:

    >>> X = [[1, 7, 1, 7], [1, 7, -1, -7], [1, 1, 1, -1], [1, 1, -1, 1],
    ...      [-1, -1, 1, 7], [-1, -1, -1, -7], [-1, -7, 1, -1], [-1, -7, -1, 1]]
    >>> res = factor_weights(X)
    >>> res.k, res.factor.tolist(), res.eigenvalues.round(4), res.weights.round(4)
    (2, [0, 0, 1, 1], array([1.8, 1.6, 0.4, 0.2]), array([0.2647, 0.2647, 0.2353, 0.2353]))
    """
    if factors is not None and (isinstance(factors, bool) or int(factors) != factors):
        raise ValueError(
            f"factor_weights: factors must be a whole number of factors >= 1 (or None for "
            f"the eigenvalue, share and cumulative rules), got {factors!r}."
        )
    if isinstance(min_eigenvalue, bool) or not (
        isinstance(min_eigenvalue, (int, float)) and 0.0 <= min_eigenvalue < math.inf
    ):
        raise ValueError(
            f"factor_weights: min_eigenvalue must be a number >= 0 (1 is Kaiser's rule, 0 "
            f"switches it off), got {min_eigenvalue!r}."
        )
    share = _check_share(min_share, "min_share", upper_open=True)
    cumulative = _check_share(min_cumulative, "min_cumulative", upper_open=False)
    m, n_used, Z, idx, bad = _standardized(X, directions, "factor_weights")
    if Z is None:
        w = _fallback_equal("factor_weights", m, bad, f"every indicator column {bad} is constant")
        empty = np.zeros(0)
        return FactorWeightsResult(
            _frozen(w), _frozen(empty), _frozen(empty), 0, _frozen(np.zeros((m, 0))),
            _frozen(np.zeros((m, 0))), _frozen(empty), _frozen(empty),
            np.full(m, -1, dtype=np.int64), (), n_used, 0, bool(normalize),
        )  # fmt: skip
    p = int(idx.size)
    if factors is not None and not 1 <= int(factors) <= p:
        raise ValueError(
            f"factor_weights: factors must be between 1 and the number of indicators that vary "
            f"({p}), got {factors!r}."
        )
    R = (Z.T @ Z) / (n_used - 1)
    lam, V = np.linalg.eigh(R)
    order = np.argsort(lam)[::-1]
    lam = np.clip(lam[order], 0.0, None)
    V = _fix_signs(V[:, order])
    explained = lam / lam.sum()
    if factors is not None:
        k = rules_k = int(factors)
    else:
        k, rules_k = _factors_kept(lam, float(min_eigenvalue), share, cumulative)
    L = _fix_signs(_varimax(V[:, :k] * np.sqrt(lam[:k]), bool(normalize)))
    var_k = (L**2).sum(axis=0)
    S = L**2 / var_k
    phi = var_k / var_k.sum()
    own = np.argmax(S, axis=1)
    rows = np.arange(p)
    raw = S[rows, own] * phi[own]
    weights = np.zeros(m)
    weights[idx] = raw / raw.sum()
    loadings = np.zeros((m, k))
    loadings[idx] = L
    squared = np.zeros((m, k))
    squared[idx] = S
    factor = np.full(m, -1, dtype=np.int64)
    factor[idx] = own
    negative = tuple(int(idx[j]) for j in np.flatnonzero(L[rows, own] < 0))
    if negative:
        warnings.warn(
            NegativeLoadingWarning(
                f"factor_weights: the rotated loading of indicator column(s) {list(negative)} "
                "on its own factor is negative: these indicators move against the factor they "
                "are weighted in. Their weight comes from the squared loading; check their "
                "direction (正向/逆向), or drop them.",
                negative,
            ),
            stacklevel=2,
        )
    _warn_zero_weight("factor_weights", bad, stacklevel=2)
    return FactorWeightsResult(
        _frozen(weights), _frozen(lam), _frozen(explained), k, _frozen(loadings),
        _frozen(squared), _frozen(var_k), _frozen(phi), factor, negative, n_used, rules_k,
        bool(normalize),
    )  # fmt: skip
