"""Aggregation: from a matrix of indicators to one composite score per unit.

Every function returns a score where **higher is better**.  Rows of ``Y``/``X`` are units
(counties), columns are indicators; NaN means missing.

Two families live here:

* **Weighted means** of *normalised* values ``Y`` (:func:`arithmetic`, :func:`geometric`,
  :func:`harmonic`, :func:`generalized`), the JRC/OECD Handbook's aggregation step.  They accept
  a batch of weight vectors ``w`` of shape ``(k, m)`` and then return ``(k, n)`` scores, so that
  the uncertainty analysis computes thousands of weightings in one matrix product.
* **Multi-criteria methods** on *raw* values ``X`` with their ``directions`` (+1 positive 正向,
  -1 negative 逆向): :func:`topsis`, :func:`gra`, :func:`vikor` (and :func:`vikor_sqr`),
  and the non-compensatory :func:`copeland`.  They normalise internally (fused for speed), and
  also accept a batch of weights.  Moderate indicators (适度) must first be turned into positive
  ones with ``kaoping.methods.normalize.moderate_to_positive``.
* **Composite indices of Compind's family**: :func:`bod` (Benefit of the Doubt, each unit's
  most favourable weights by linear programming, on normalised ``Y``) and the
  Mazziotta-Pareto indices :func:`mpi` and :func:`ampi` (a mean penalised by the unit's
  imbalance, on raw ``X`` with directions).  They return small result objects with the
  per-unit facts beside the scores.

Weights are expected to be non-negative and to sum to 1 (those of ``kaoping.methods.weights``
do); the kernels do not re-check them (``kaoping.assess`` validates once).

Missing values
--------------
* Weighted means, ``skipna=False`` (default): a unit with a missing value gets NaN.
  ``skipna=True``: each unit's weights are rescaled over its available indicators (COINr's
  convention), ``w_j -> w_j * W / W_avail`` with ``W = sum_j w_j`` and ``W_avail`` the sum over
  the unit's non-missing columns; complete units are unchanged.  A unit whose available share
  ``W_avail / W`` is below ``min_share`` (or zero) gets NaN.
* :func:`topsis`, :func:`gra`, :func:`vikor`, :func:`copeland`: a unit with any missing value
  gets a NaN score; the column statistics (norms, minima, maxima, ideal points) are computed
  over the non-missing values only, so one missing cell does not spoil the other units.

A constant column (max == min over its non-missing values) cannot discriminate between units:
:func:`topsis`, :func:`gra` and :func:`vikor` warn with
:class:`~kaoping.methods.ConstantColumnWarning` (carrying the column indices) and the column
gives every unit the same contribution, never NaN or inf.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.errors import KaopingWarning
from kaoping.methods._common import ConstantColumnWarning, FloatArray

__all__ = [
    "BoDResult",
    "MPIResult",
    "ampi",
    "arithmetic",
    "bod",
    "copeland",
    "generalized",
    "geometric",
    "gra",
    "harmonic",
    "mpi",
    "topsis",
    "vikor",
    "vikor_sqr",
]

_F = TypeVar("_F", bound=Callable[..., Any])

# Rows per chunk of the parallel column reduction.  Fixed (not derived from the number of
# threads) so that the partial sums, and therefore the results, are bit-identical on every
# machine.
_CHUNK_ROWS = 4_096

# Below this many array elements (or two chunks of rows) the kernels run on one thread: waking
# the thread pool costs more than it saves, and much more on a busy machine.
_PARALLEL_MIN_SIZE = 1 << 20

# TOPSIS's distance pass: each row is computed on its own, so its chunks (and whether they run
# in parallel) cannot change a result; the pass pays for threads from 2**17 elements.
_DIST_CHUNK_ROWS = 512
_DIST_PARALLEL_MIN_SIZE = 1 << 17

# Available weight shares are compared with ``min_share`` up to this slack, so that a share of
# 0.7000000000000001 computed from weights 0.1 * 7 is not "below 0.7".
_SHARE_SLACK = 1e-12

# Copeland: an outranking o_ab within this (relative to the total weight) of one half is a tie,
# so that rounding in sums like 0.1 + 0.4 versus 0.2 + 0.3 never decides a duel.
_COPELAND_TOL = 1e-10


def _njit(*, parallel: bool, fastmath: bool = False) -> Callable[[_F], _F]:
    """``numba.njit(cache=True)`` that keeps the decorated function's type for mypy.

    ``fastmath=True`` only allows LLVM to reassociate sums (so that reductions vectorise); it
    keeps NaN and inf semantics.
    """
    flags = {"reassoc", "contract", "nsz"} if fastmath else False

    def decorate(func: _F) -> _F:
        return cast(_F, numba.njit(cache=True, parallel=parallel, fastmath=flags)(func))

    return decorate


# --------------------------------------------------------------------------------------------
# input handling (cheap shape checks only: kernels are called on validated data)
# --------------------------------------------------------------------------------------------


def _as_matrix(Y: ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(Y, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of units x indicators; got an array of shape "
            f"{arr.shape}. Reshape a single unit with {name}[None, :] or a single indicator "
            f"with {name}[:, None]."
        )
    return arr


def _as_weights(w: ArrayLike, m: int) -> tuple[FloatArray, bool]:
    """Weights as a float64 array of shape (k, m) and whether the caller passed a batch."""
    arr = np.asarray(w, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[-1] != m:
        raise ValueError(
            f"w must have shape (m,) or a batch (k, m) with m = {m}, the number of indicator "
            f"columns; got shape {arr.shape}. Pass one weight per column of the data."
        )
    batch = arr.ndim == 2
    return (arr if batch else arr[None, :]), batch


def _as_directions(directions: ArrayLike, m: int) -> FloatArray:
    d = np.asarray(directions, dtype=np.float64)
    if d.ndim == 0:
        d = np.full(m, float(d))
    if d.shape != (m,):
        raise ValueError(
            f"directions must have one entry per indicator column (m = {m}); got shape {d.shape}."
        )
    bad = np.flatnonzero((d != 1.0) & (d != -1.0))
    if bad.size:
        j = int(bad[0])
        raise ValueError(
            f"directions must be +1 (positive 正向) or -1 (negative 逆向); column {j} has "
            f"{d[j]!r}. Turn moderate indicators (适度, direction 0) into positive ones first "
            f"with kaoping.methods.normalize.moderate_to_positive."
        )
    return d


def _require_positive(Y: FloatArray, what: str, *, allow_zero: bool = False) -> None:
    bad = (Y < 0) if allow_zero else (Y <= 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        need = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"{what} needs {need} values; normalise to a range such as [1, 100]. Found "
            f"{int(bad.sum())} value(s) {'< 0' if allow_zero else '<= 0'}, the first at row "
            f"{i}, column {j} (value {Y[i, j]!r})."
        )


def _warn_constant(lo: FloatArray, hi: FloatArray, method: str) -> None:
    constant = np.flatnonzero(lo == hi)
    if constant.size:
        cols = [int(j) for j in constant]
        warnings.warn(
            ConstantColumnWarning(
                f"{method}: indicator column(s) {cols} are constant (max == min), so they "
                f"cannot discriminate between units and give every unit the same contribution. "
                f"Consider dropping them.",
                cols,
            ),
            stacklevel=3,
        )


def _finish(out: FloatArray, batch: bool) -> FloatArray:
    return out if batch else out[0]


# --------------------------------------------------------------------------------------------
# weighted means
# --------------------------------------------------------------------------------------------


def _weighted_sum(T: FloatArray, w: ArrayLike, skipna: bool, min_share: float) -> FloatArray:
    """sum_j w_j t_ij, for w of shape (m,) -> (n,) or (k, m) -> (k, n), with missing values."""
    W, batch = _as_weights(w, T.shape[1])
    if not 0.0 <= min_share <= 1.0:
        raise ValueError(
            f"min_share is the minimum share of the total weight a unit must have available; "
            f"it must be in [0, 1], got {min_share!r}."
        )
    missing = np.isnan(T)
    row_missing = missing.any(axis=1)
    if not row_missing.any():
        return _finish(W @ T.T, batch)
    T0 = np.where(missing, 0.0, T)
    num = W @ T0.T
    if not skipna:
        num[:, row_missing] = np.nan
        return _finish(num, batch)
    avail = W @ (~missing).T.astype(np.float64)
    total = W.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rescaled = num * (total / avail)
        share = avail / total
    out = np.where(row_missing, rescaled, num)
    out[(avail <= 0) | (share < min_share - _SHARE_SLACK)] = np.nan
    return _finish(out, batch)


def arithmetic(
    Y: ArrayLike, w: ArrayLike, skipna: bool = False, min_share: float = 0.0
) -> FloatArray:
    r"""Weighted arithmetic mean (linear aggregation, 加权线性和).

    .. math::

        s_i = \sum_j w_j \, y_{ij}

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised indicator values, units in rows; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch of k weight vectors.
    skipna : bool, default False
        False: a unit with a missing value gets NaN.  True: its weights are rescaled over its
        available indicators, :math:`w_j \to w_j W / W_i^{avail}` (COINr's convention).
    min_share : float, default 0
        With ``skipna=True``, a unit whose available weight share :math:`W_i^{avail}/W` is
        below ``min_share`` gets NaN (e.g. 0.7 requires 70% of the weight to be present).

    Returns
    -------
    numpy.ndarray
        Shape (n,) for one weight vector, (k, n) for a batch (one matrix product ``w @ Y.T``).

    Raises
    ------
    ValueError
        If ``Y`` is not 2-D, ``w`` does not have one weight per column, or ``min_share`` is
        outside [0, 1].

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1 (additive
    aggregation).  Becker W. et al. (2022), COINr, ``a_amean`` (weights rescaled over the
    available values).

    Examples
    --------
    >>> Y = [[0.2, 0.8], [0.5, float("nan")]]
    >>> arithmetic(Y, [0.25, 0.75])
    array([0.65,  nan])
    >>> arithmetic(Y, [0.25, 0.75], skipna=True)
    array([0.65, 0.5 ])
    >>> arithmetic(Y, [0.25, 0.75], skipna=True, min_share=0.5)
    array([0.65,  nan])
    """
    return _weighted_sum(_as_matrix(Y, "Y"), w, skipna, min_share)


def geometric(
    Y: ArrayLike, w: ArrayLike, skipna: bool = False, min_share: float = 0.0
) -> FloatArray:
    r"""Weighted geometric mean (partially compensatory aggregation, 几何加权).

    .. math::

        s_i = \prod_j y_{ij}^{w_j} = \exp\Big(\sum_j w_j \ln y_{ij}\Big)

    Computed as ``exp(w @ log(Y).T)``, so a batch of weights is one matrix product.

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised indicator values, all > 0 (normalise to e.g. [1, 100]); NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch of k weight vectors.
    skipna, min_share
        Missing values, as in :func:`arithmetic` (the exponents are rescaled).

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (k, n).

    Raises
    ------
    ValueError
        If a value is <= 0 (the message gives their count and the first location), or on a
        shape mismatch.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1
    (geometric aggregation); UNDP Human Development Index since 2010.

    Examples
    --------
    >>> geometric([[1.0, 100.0]], [0.5, 0.5])
    array([10.])
    """
    Ya = _as_matrix(Y, "Y")
    _require_positive(Ya, "geometric mean")
    return np.exp(_weighted_sum(np.log(Ya), w, skipna, min_share))


def harmonic(
    Y: ArrayLike, w: ArrayLike, skipna: bool = False, min_share: float = 0.0
) -> FloatArray:
    r"""Weighted harmonic mean (the least compensatory of the three Pythagorean means).

    .. math::

        s_i = \Big(\sum_j \frac{w_j}{y_{ij}}\Big)^{-1}

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised indicator values, all > 0; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch of k weight vectors.
    skipna, min_share
        Missing values, as in :func:`arithmetic`.

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (k, n).

    Raises
    ------
    ValueError
        If a value is <= 0, or on a shape mismatch.

    References
    ----------
    Becker W. et al. (2022), COINr, ``a_hmean``; Bullen P. S. (2003), *Handbook of Means
    and Their Inequalities*, Kluwer, ch. II.

    Examples
    --------
    >>> harmonic([[1.0, 4.0]], [0.5, 0.5])
    array([1.6])
    """
    Ya = _as_matrix(Y, "Y")
    _require_positive(Ya, "harmonic mean")
    with np.errstate(divide="ignore"):  # all-zero weights: 1/0 = inf
        return 1.0 / _weighted_sum(1.0 / Ya, w, skipna, min_share)


def generalized(
    Y: ArrayLike, w: ArrayLike, p: float, skipna: bool = False, min_share: float = 0.0
) -> FloatArray:
    r"""Weighted generalized (power) mean of order ``p``.

    .. math::

        s_i = \Big(\sum_j w_j \, y_{ij}^{\,p}\Big)^{1/p}, \qquad
        p = 0: \ s_i = \prod_j y_{ij}^{w_j}

    ``p = 1`` is :func:`arithmetic`, ``p = 0`` :func:`geometric`, ``p = -1`` :func:`harmonic`;
    the mean increases with ``p`` (lower ``p`` = less compensation between indicators).

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised indicator values: > 0 when ``p <= 0``, >= 0 when ``p > 0``; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch of k weight vectors.
    p : float
        The order, finite.
    skipna, min_share
        Missing values, as in :func:`arithmetic`.

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (k, n).

    Raises
    ------
    ValueError
        If ``p`` is not finite, if values are out of the domain above, or on a shape mismatch.

    References
    ----------
    Bullen P. S. (2003), *Handbook of Means and Their Inequalities*, Kluwer, ch. III (power
    means); Becker W. et al. (2022), COINr, ``a_genmean``.

    Examples
    --------
    >>> generalized([[3.0, 4.0]], [0.5, 0.5], p=2)  # sqrt((9 + 16) / 2)
    array([3.53553391])
    """
    p = float(p)
    if not math.isfinite(p):
        raise ValueError(
            f"p must be a finite number; got {p!r}. Use p = 1 for the arithmetic, 0 for the "
            f"geometric and -1 for the harmonic mean."
        )
    if p == 0.0:
        return geometric(Y, w, skipna=skipna, min_share=min_share)
    if p == 1.0:
        return arithmetic(Y, w, skipna=skipna, min_share=min_share)
    Ya = _as_matrix(Y, "Y")
    _require_positive(Ya, f"generalized mean with p = {p:g}", allow_zero=p > 0)
    with np.errstate(divide="ignore"):  # all-zero weights with p < 0: 0 ** (1/p) = inf
        return _weighted_sum(Ya**p, w, skipna, min_share) ** (1.0 / p)


# --------------------------------------------------------------------------------------------
# TOPSIS (fused numba kernels)
# --------------------------------------------------------------------------------------------


@_njit(parallel=False)
def _stats_block(
    X: FloatArray, start: int, stop: int, ss: FloatArray, lo: FloatArray, hi: FloatArray
) -> None:
    """Sums of squares, minima and maxima of rows [start, stop) over the non-missing values."""
    m = X.shape[1]
    acc = np.zeros(m)
    mn = np.full(m, np.inf)
    mx = np.full(m, -np.inf)
    for i in range(start, stop):
        for j in range(m):  # branch-free selects, so that LLVM vectorises over the columns
            v = X[i, j]
            # read both extremes before either store: re-reading mn[j] after a store made LLVM
            # give up on vectorising this loop (2.2x slower at 3,000 x 100)
            lo_j = mn[j]
            hi_j = mx[j]
            acc[j] += v * v if v == v else 0.0  # NaN (v != v) adds nothing
            mn[j] = v if v < lo_j else lo_j  # comparisons with NaN are False
            mx[j] = v if v > hi_j else hi_j
    ss[:] = acc
    lo[:] = mn
    hi[:] = mx


@_njit(parallel=False)
def _reduce_stats(
    part_ss: FloatArray, part_lo: FloatArray, part_hi: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    nchunks, m = part_ss.shape
    ss = np.zeros(m)
    lo = np.full(m, np.inf)
    hi = np.full(m, -np.inf)
    for c in range(nchunks):
        for j in range(m):
            ss[j] += part_ss[c, j]
            lo[j] = min(lo[j], part_lo[c, j])
            hi[j] = max(hi[j], part_hi[c, j])
    return ss, lo, hi


@_njit(parallel=True)
def _column_stats_parallel(X: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Column sums of squares, minima and maxima in one parallel pass over the rows."""
    n, m = X.shape
    nchunks = max(1, (n + _CHUNK_ROWS - 1) // _CHUNK_ROWS)
    part_ss = np.empty((nchunks, m))
    part_lo = np.empty((nchunks, m))
    part_hi = np.empty((nchunks, m))
    for c in numba.prange(nchunks):
        start = c * _CHUNK_ROWS
        _stats_block(X, start, min(n, start + _CHUNK_ROWS), part_ss[c], part_lo[c], part_hi[c])
    return _reduce_stats(part_ss, part_lo, part_hi)


@_njit(parallel=False)
def _column_stats_serial(X: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """As :func:`_column_stats_parallel`, same chunks (bit-identical sums), one thread."""
    n, m = X.shape
    nchunks = max(1, (n + _CHUNK_ROWS - 1) // _CHUNK_ROWS)
    part_ss = np.empty((nchunks, m))
    part_lo = np.empty((nchunks, m))
    part_hi = np.empty((nchunks, m))
    for c in range(nchunks):
        start = c * _CHUNK_ROWS
        _stats_block(X, start, min(n, start + _CHUNK_ROWS), part_ss[c], part_lo[c], part_hi[c])
    return _reduce_stats(part_ss, part_lo, part_hi)


@_njit(parallel=False, fastmath=True)
def _topsis_block(
    X: FloatArray,
    c2: FloatArray,
    best: FloatArray,
    worst: FloatArray,
    out: FloatArray,
    start: int,
    stop: int,
) -> None:
    """C_i = D-/(D+ + D-), D+- = sqrt(sum_j c2_j (x_ij - best/worst_j)^2), rows [start, stop)."""
    m = X.shape[1]
    k = c2.shape[0]
    for i in range(start, stop):
        for r in range(k):
            dp = 0.0
            dm = 0.0
            for j in range(m):
                v = X[i, j]
                a = v - best[j]
                b = v - worst[j]
                dp += c2[r, j] * a * a
                dm += c2[r, j] * b * b
            sp = math.sqrt(dp)
            sm = math.sqrt(dm)
            total = sp + sm
            if total > 0.0:
                out[r, i] = sm / total
            elif total == 0.0:
                out[r, i] = 0.5  # at the ideal and the anti-ideal at once: every column constant
            else:
                out[r, i] = np.nan


@_njit(parallel=True)
def _topsis_rows_parallel(
    X: FloatArray, c2: FloatArray, best: FloatArray, worst: FloatArray
) -> FloatArray:
    n = X.shape[0]
    out = np.empty((c2.shape[0], n))
    nchunks = max(1, (n + _DIST_CHUNK_ROWS - 1) // _DIST_CHUNK_ROWS)
    for c in numba.prange(nchunks):
        start = c * _DIST_CHUNK_ROWS
        _topsis_block(X, c2, best, worst, out, start, min(n, start + _DIST_CHUNK_ROWS))
    return out


@_njit(parallel=False)
def _topsis_rows_serial(
    X: FloatArray, c2: FloatArray, best: FloatArray, worst: FloatArray
) -> FloatArray:
    n = X.shape[0]
    out = np.empty((c2.shape[0], n))
    _topsis_block(X, c2, best, worst, out, 0, n)
    return out


def topsis(
    X: ArrayLike,
    w: ArrayLike,
    directions: ArrayLike,
    normalization: Literal["vector", "minmax"] = "vector",
) -> FloatArray:
    r"""TOPSIS: relative closeness to the ideal solution (逼近理想解排序法).

    With the vector normalisation :math:`r_{ij} = x_{ij} / \sqrt{\sum_i x_{ij}^2}` (or min-max,
    ``normalization="minmax"``) and :math:`v_{ij} = w_j r_{ij}`:

    .. math::

        A^+_j = \max_i v_{ij} \ (\text{positive}),\ \min_i v_{ij} \ (\text{negative}),
        \qquad A^-_j = \text{the opposite}

        D^\pm_i = \sqrt{\sum_j (v_{ij} - A^\pm_j)^2}, \qquad C_i = \frac{D^-_i}{D^+_i + D^-_i}
        \in [0, 1]

    Both normalisations are a per-column scale :math:`s_j` (the norm, or max - min) of the raw
    values up to a shift, so the kernel works in raw units,
    :math:`D^+_i = \sqrt{\sum_j (w_j/s_j)^2 (x_{ij} - x^{best}_j)^2}`, in two passes over
    ``X`` (column statistics, then distances; multi-threaded for large ``X``) with no
    temporary of the size of ``X``.  C- and Fortran-ordered arrays are both read in place.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values, units in rows; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative), or a batch of k weight vectors.
    directions : array_like, shape (m,)
        +1 positive (正向, benefit), -1 negative (逆向, cost).
    normalization : {"vector", "minmax"}, default "vector"
        The classic vector normalisation, or min-max to [0, 1] (ideal = 1, anti-ideal = 0).

    Returns
    -------
    numpy.ndarray
        Closeness C in [0, 1], shape (n,) or (k, n).  A unit with a missing value gets NaN
        (column statistics use the non-missing values).  If every weighted column is constant,
        every unit is at the ideal and the anti-ideal at once and scores 0.5 (all tie).

    Raises
    ------
    ValueError
        On a shape mismatch, a direction other than +1/-1, or an unknown normalisation.

    Warns
    -----
    ConstantColumnWarning
        For constant columns (they contribute nothing).

    References
    ----------
    Hwang C.-L., Yoon K. (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, doi:10.1007/978-3-642-48318-9 (TOPSIS; worked example of
    buying a fighter aircraft, pp. 133-134).
    Opricovic S., Tzeng G.-H. (2004), Compromise solution by MCDM methods, *European Journal
    of Operational Research* 156, 445-455, section 3.

    Examples
    --------
    >>> X = [[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]]
    >>> topsis(X, [0.5, 0.5], [1, -1], normalization="minmax")
    array([0.5       , 0.30901699, 0.69098301])
    """
    Xa = _as_matrix(X, "X")
    m = Xa.shape[1]
    W, batch = _as_weights(w, m)
    d = _as_directions(directions, m)
    if normalization not in ("vector", "minmax"):
        raise ValueError(f"normalization must be 'vector' or 'minmax'; got {normalization!r}.")
    parallel = Xa.size >= _PARALLEL_MIN_SIZE and Xa.shape[0] >= 2 * _CHUNK_ROWS
    ss, lo, hi = (_column_stats_parallel if parallel else _column_stats_serial)(Xa)
    _warn_constant(lo, hi, "topsis")
    scale = np.sqrt(ss) if normalization == "vector" else hi - lo
    best = np.where(d > 0, hi, lo)
    worst = np.where(d > 0, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(scale > 0, W / scale, 0.0)
    c2 = np.ascontiguousarray(c * c)
    parallel = Xa.size >= _DIST_PARALLEL_MIN_SIZE and Xa.shape[0] >= 2 * _DIST_CHUNK_ROWS
    rows = _topsis_rows_parallel if parallel else _topsis_rows_serial
    out: FloatArray = rows(Xa, c2, best, worst)
    return _finish(out, batch)


# --------------------------------------------------------------------------------------------
# grey relational analysis and VIKOR
# --------------------------------------------------------------------------------------------


def _regret(Xa: FloatArray, d: FloatArray, method: str) -> FloatArray:
    """(best_j - x_ij) / (best_j - worst_j) in [0, 1]: 1 - minmax(X); 0 for constant columns."""
    lo = np.fmin.reduce(Xa, axis=0)
    hi = np.fmax.reduce(Xa, axis=0)
    _warn_constant(lo, hi, method)
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(d > 0, hi - Xa, Xa - lo) / span
    return np.where(span > 0, gap, np.where(np.isnan(Xa), np.nan, 0.0))


def gra(X: ArrayLike, w: ArrayLike, directions: ArrayLike, rho: float = 0.5) -> FloatArray:
    r"""Grey relational analysis (灰色关联分析): weighted grey relational grade.

    With :math:`y = \mathrm{minmax}(X, d)` in [0, 1] and the reference series all ones:

    .. math::

        \Delta_{ij} = |1 - y_{ij}|, \qquad
        \xi_{ij} = \frac{\Delta_{\min} + \rho \Delta_{\max}}{\Delta_{ij} + \rho \Delta_{\max}},
        \qquad s_i = \sum_j w_j \xi_{ij}

    with :math:`\Delta_{\min}, \Delta_{\max}` over all units and indicators.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch.
    directions : array_like, shape (m,)
        +1 positive, -1 negative.
    rho : float, default 0.5
        Distinguishing coefficient, in (0, 1].

    Returns
    -------
    numpy.ndarray
        Grade in (0, 1] when the weights sum to 1, shape (n,) or (k, n).  A unit with a missing
        value gets NaN; minima, maxima and :math:`\Delta_{\min}, \Delta_{\max}` use the
        non-missing values.  A constant column gives every unit :math:`y = 1` (the METHODS
        min-max convention), hence :math:`\xi = 1`; if every column is constant all
        :math:`\xi = 1`.

    Raises
    ------
    ValueError
        If ``rho`` is outside (0, 1], on a shape mismatch or a bad direction.

    Warns
    -----
    ConstantColumnWarning
        For constant columns.

    References
    ----------
    Deng J.-L. (1982), Control problems of grey systems, *Systems & Control Letters* 1(5),
    288-294; 邓聚龙 (1985), 《灰色系统（社会·经济）》, 国防工业出版社.

    Examples
    --------
    >>> gra([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]], [0.5, 0.5], [1, 1])
    array([0.66666667, 0.41666667, 0.75      ])
    """
    if not 0.0 < rho <= 1.0:
        raise ValueError(f"rho (distinguishing coefficient) must be in (0, 1]; got {rho!r}.")
    Xa = _as_matrix(X, "X")
    d = _as_directions(directions, Xa.shape[1])
    delta = _regret(Xa, d, "gra")
    dmin = float(np.fmin.reduce(delta, axis=None, initial=np.inf))
    dmax = float(np.fmax.reduce(delta, axis=None, initial=-np.inf))
    if dmax > 0:
        xi = (dmin + rho * dmax) / (delta + rho * dmax)
    else:  # every unit equals the reference everywhere
        xi = np.where(np.isnan(delta), np.nan, 1.0)
    return _weighted_sum(xi, w, skipna=False, min_share=0.0)


def vikor_sqr(
    X: ArrayLike, w: ArrayLike, directions: ArrayLike, v: float = 0.5
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""VIKOR's group utility S, individual regret R and compromise index Q (lower is better).

    With :math:`f^*_j` the best and :math:`f^-_j` the worst value of column j:

    .. math::

        S_i = \sum_j w_j \frac{f^*_j - f_{ij}}{f^*_j - f^-_j}, \qquad
        R_i = \max_j w_j \frac{f^*_j - f_{ij}}{f^*_j - f^-_j}

        Q_i = v \frac{S_i - S^*}{S^- - S^*} + (1 - v) \frac{R_i - R^*}{R^- - R^*}

    with :math:`S^* = \min_i S_i, S^- = \max_i S_i` (likewise R).  A term whose denominator is
    zero (all units equal in S, or in R) is taken as 0.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch.
    directions : array_like, shape (m,)
        +1 positive, -1 negative.
    v : float, default 0.5
        Weight of the strategy of "the majority of criteria" (group utility), in [0, 1].

    Returns
    -------
    S, R, Q : numpy.ndarray
        Each of shape (n,) or (k, n); NaN for units with a missing value (the best and worst
        values, and :math:`S^*, S^-, R^*, R^-`, use the other units).

    Raises
    ------
    ValueError
        If ``v`` is outside [0, 1], on a shape mismatch or a bad direction.

    Warns
    -----
    ConstantColumnWarning
        For constant columns (no regret on them for any unit).

    References
    ----------
    Opricovic S., Tzeng G.-H. (2004), Compromise solution by MCDM methods: a comparative
    analysis of VIKOR and TOPSIS, *European Journal of Operational Research* 156, 445-455,
    section 2, doi:10.1016/S0377-2217(03)00020-1.

    Examples
    --------
    >>> S, R, Q = vikor_sqr([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]], [0.5, 0.5], [1, 1])
    >>> S, R, Q
    (array([0.5 , 0.75, 0.25]), array([0.5 , 0.5 , 0.25]), array([0.75, 1.  , 0.  ]))
    """
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"v (weight of group utility) must be in [0, 1]; got {v!r}.")
    Xa = _as_matrix(X, "X")
    m = Xa.shape[1]
    W, batch = _as_weights(w, m)
    d = _as_directions(directions, m)
    D = _regret(Xa, d, "vikor")
    S = _weighted_sum(D, W, skipna=False, min_share=0.0)
    R = np.empty_like(S)
    for r in range(W.shape[0]):
        R[r] = np.max(D * W[r], axis=1)
    Q = v * _unit_range(S) + (1.0 - v) * _unit_range(R)
    return _finish(S, batch), _finish(R, batch), _finish(Q, batch)


def _unit_range(A: FloatArray) -> FloatArray:
    """(a - min) / (max - min) along the last axis, ignoring NaN; 0 where max == min."""
    lo = np.fmin.reduce(A, axis=-1, keepdims=True)
    hi = np.fmax.reduce(A, axis=-1, keepdims=True)
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = (A - lo) / span
    return np.where(span > 0, scaled, np.where(np.isnan(A), np.nan, 0.0))


def vikor(X: ArrayLike, w: ArrayLike, directions: ArrayLike, v: float = 0.5) -> FloatArray:
    r"""VIKOR compromise ranking as a higher-is-better score, :math:`1 - Q`.

    .. math::

        s_i = 1 - Q_i, \qquad
        Q_i = v \frac{S_i - S^*}{S^- - S^*} + (1 - v) \frac{R_i - R^*}{R^- - R^*}

    See :func:`vikor_sqr` for S, R, Q.  The score only ranks by Q; the acceptable-advantage and
    stability conditions of Opricovic & Tzeng are left to the caller (they need S and R).

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative, summing to 1), or a batch.
    directions : array_like, shape (m,)
        +1 positive, -1 negative.
    v : float, default 0.5
        Weight of group utility, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Score in [0, 1], shape (n,) or (k, n); NaN for units with a missing value.

    Raises
    ------
    ValueError
        As :func:`vikor_sqr`.

    References
    ----------
    Opricovic S., Tzeng G.-H. (2004), *European Journal of Operational Research* 156,
    445-455, doi:10.1016/S0377-2217(03)00020-1.

    Examples
    --------
    >>> vikor([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]], [0.5, 0.5], [1, 1])
    array([0.25, 0.  , 1.  ])
    """
    return 1.0 - vikor_sqr(X, w, directions, v)[2]


# --------------------------------------------------------------------------------------------
# Copeland (pairwise majority, non-compensatory)
# --------------------------------------------------------------------------------------------


@_njit(parallel=False)
def _incomplete_rows(Y: FloatArray) -> NDArray[np.bool_]:
    n, m = Y.shape
    bad = np.zeros(n, dtype=np.bool_)
    for a in range(n):
        for j in range(m):
            if Y[a, j] != Y[a, j]:
                bad[a] = True
                break
    return bad


@_njit(parallel=False, fastmath=True)
def _copeland_strand(
    Y: FloatArray,
    W: FloatArray,
    tol: FloatArray,
    bad: NDArray[np.bool_],
    first: int,
    stride: int,
    net: NDArray[np.int32],
) -> None:
    """Duels of rows a = first, first + stride, ... against every b > a; net[unit, weighting]."""
    n, m = Y.shape
    k = W.shape[0]
    sign = np.empty(m)
    for a in range(first, n, stride):
        if bad[a]:
            continue
        for b in range(a + 1, n):
            if bad[b]:
                continue
            if k == 1:  # fused: no sign buffer
                dab = 0.0
                for j in range(m):
                    diff = Y[a, j] - Y[b, j]
                    dab += W[0, j] * ((diff > 0.0) * 1.0 - (diff < 0.0) * 1.0)
                if dab > tol[0]:
                    net[a, 0] += 1
                    net[b, 0] -= 1
                elif dab < -tol[0]:
                    net[a, 0] -= 1
                    net[b, 0] += 1
                continue
            for j in range(m):
                diff = Y[a, j] - Y[b, j]
                sign[j] = (diff > 0.0) * 1.0 - (diff < 0.0) * 1.0
            for r in range(k):
                dab = 0.0
                for j in range(m):
                    dab += W[r, j] * sign[j]
                if dab > tol[r]:
                    net[a, r] += 1
                    net[b, r] -= 1
                elif dab < -tol[r]:
                    net[a, r] -= 1
                    net[b, r] += 1


@_njit(parallel=False)
def _copeland_total(net: NDArray[np.int32], bad: NDArray[np.bool_]) -> FloatArray:
    nstrands, n, k = net.shape
    out = np.zeros((k, n))
    for s in range(nstrands):
        for a in range(n):
            for r in range(k):
                out[r, a] += net[s, a, r]
    for a in range(n):
        if bad[a]:
            out[:, a] = np.nan
    return out


@_njit(parallel=True)
def _copeland_parallel(Y: FloatArray, W: FloatArray, tol: FloatArray, nstrands: int) -> FloatArray:
    """Copeland scores (wins - losses) for each weight row; each pair is compared once.

    Rows are dealt out round-robin to the strands so that the triangle b > a is balanced, and
    each strand owns its counters (integers: the total is exact whatever the strands).
    """
    bad = _incomplete_rows(Y)
    net = np.zeros((nstrands, Y.shape[0], W.shape[0]), dtype=np.int32)
    for s in numba.prange(nstrands):
        _copeland_strand(Y, W, tol, bad, s, nstrands, net[s])
    return _copeland_total(net, bad)


@_njit(parallel=False)
def _copeland_serial(Y: FloatArray, W: FloatArray, tol: FloatArray) -> FloatArray:
    bad = _incomplete_rows(Y)
    net = np.zeros((1, Y.shape[0], W.shape[0]), dtype=np.int32)
    _copeland_strand(Y, W, tol, bad, 0, 1, net[0])
    return _copeland_total(net, bad)


def copeland(Y: ArrayLike, w: ArrayLike) -> FloatArray:
    r"""Copeland score from weighted pairwise majorities (non-compensatory, 孔多塞/科普兰法).

    .. math::

        o_{ab} = \sum_j w_j [y_{aj} > y_{bj}] + \tfrac12 \sum_j w_j [y_{aj} = y_{bj}]

        s_a = \#\{b : o_{ab} > \tfrac12\} - \#\{b : o_{ab} < \tfrac12\}

    Since :math:`o_{ab} + o_{ba} = W = \sum_j w_j`, "more than one half" is decided as
    :math:`o_{ab} - o_{ba} = \sum_j w_j \operatorname{sign}(y_{aj} - y_{bj}) > 0`, which is the
    formula above when the weights sum to 1 and a majority of the total weight otherwise.  A
    difference within :math:`10^{-10} W` of zero is a tie, so rounding in sums of weights
    (0.1 + 0.4 against 0.2 + 0.3) never decides a duel.  Values are compared exactly.

    Each of the n(n-1)/2 pairs is compared once in a parallel numba kernel with O(n) memory
    (3,000 units x 100 indicators, 4.5 million pairs, take well under a second).

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Indicator values, higher is better (normalised, or raw with positive directions);
        NaN = missing.
    w : array_like, shape (m,) or (k, m)
        Weights (non-negative), or a batch (the pairwise signs are shared by the batch).

    Returns
    -------
    numpy.ndarray
        Integer-valued scores in [-(n-1), n-1], as float64, shape (n,) or (k, n).  A unit with
        a missing value gets NaN and is left out of the other units' duels.

    Raises
    ------
    ValueError
        On a shape mismatch.

    References
    ----------
    Copeland A. H. (1951), A reasonable social welfare function, University of Michigan
    seminar; Munda G., Nardo M. (2009), Noncompensatory/nonlinear composite indicators for
    ranking countries: a defensible setting, *Applied Economics* 41(12), 1513-1523;
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1.

    Examples
    --------
    >>> copeland([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]], [0.6, 0.4])
    array([ 2.,  0., -2.])
    """
    Ya = np.ascontiguousarray(_as_matrix(Y, "Y"))
    W, batch = _as_weights(w, Ya.shape[1])
    n = Ya.shape[0]
    tol = _COPELAND_TOL * np.maximum(np.abs(W).sum(axis=1), np.finfo(np.float64).tiny)
    W = np.ascontiguousarray(W)
    if n * n * Ya.shape[1] * W.shape[0] < 100 * _PARALLEL_MIN_SIZE:  # under ~50 ms
        small: FloatArray = _copeland_serial(Ya, W, tol)
        return _finish(small, batch)
    nstrands = max(1, min(n, 4 * numba.get_num_threads()))
    # Bound the per-strand counters (nstrands x n x k int32) to about 32 MB per call.
    kstep = max(1, (1 << 23) // (nstrands * max(n, 1)))
    out = np.empty((W.shape[0], n))
    for r0 in range(0, W.shape[0], kstep):
        part = slice(r0, r0 + kstep)
        out[part] = _copeland_parallel(Ya, np.ascontiguousarray(W[part]), tol[part], nstrands)
    return _finish(out, batch)


# --------------------------------------------------------------------------------------------
# Benefit of the Doubt (linear programming)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BoDResult:
    """The result of :func:`bod`.

    Attributes
    ----------
    scores : ndarray, shape (n,)
        Benefit-of-the-Doubt score in [0, 1]; NaN for a unit with a missing value.
    weights : ndarray, shape (n, m)
        Each unit's own optimal weights :math:`w_{ij}` (in the units of ``Y``'s reciprocal).
        Optimal weights need not be unique; these are the solver's (a vertex).
    shares : ndarray, shape (n, m)
        Each indicator's share of the unit's score, :math:`w_{ij} y_{ij} / s_i` (the "pie
        shares"; each row sums to 1); NaN where the score is 0 or missing.
    lower, upper : ndarray, shape (m,)
        The share bounds used (0 and 1 when not given).
    """

    scores: FloatArray
    weights: FloatArray
    shares: FloatArray
    lower: FloatArray
    upper: FloatArray


def _share_bound(value: ArrayLike | None, m: int, name: str, default: float) -> FloatArray:
    if value is None:
        return np.full(m, default)
    b = np.asarray(value, dtype=np.float64)
    if b.ndim == 0:
        b = np.full(m, float(b))
    if b.shape != (m,):
        raise ValueError(
            f"bod: {name} must be one share for every indicator or a list of {m} (one per "
            f"indicator column), got shape {b.shape}."
        )
    bad = np.flatnonzero(~((b >= 0.0) & (b <= 1.0)))
    if bad.size:
        j = int(bad[0])
        raise ValueError(
            f"bod: {name}[{j}] = {float(b[j])!r}; a bound on an indicator's share of the "
            "score must be between 0 and 1 (e.g. lower=0.02, upper=0.5)."
        )
    return b


def _undominated(Y: FloatArray, chunk: int = 256) -> NDArray[np.bool_]:
    """Rows of Y that no other row dominates (>= everywhere, > somewhere), one of each set of
    equal rows: w . y_k <= w . y_l for every w >= 0 when y_l dominates y_k, so only these
    rows' constraints can bind in :func:`bod`."""
    n = Y.shape[0]
    keep = np.ones(n, dtype=np.bool_)
    for start in range(0, n, chunk):
        block = Y[start : start + chunk]
        ge = (Y[None, :, :] >= block[:, None, :]).all(axis=2)  # ge[a, b]: y_b >= y_a
        gt = (Y[None, :, :] > block[:, None, :]).any(axis=2)
        equal = ge & ~gt
        earlier = np.arange(n)[None, :] < (start + np.arange(block.shape[0]))[:, None]
        keep[start : start + block.shape[0]] = ~((ge & gt) | (equal & earlier)).any(axis=1)
    return keep


def _pie_rows(y: FloatArray, lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Rows of A_ub (rhs 0) for lo_j <= w_j y_j / (w . y) <= hi_j, multiplied out."""
    m = y.size
    rows = []
    for j in np.flatnonzero(lo > 0):
        row = lo[j] * y  # lo_j (w . y) - w_j y_j <= 0
        row[j] -= y[j]
        rows.append(row)
    for j in np.flatnonzero(hi < 1):
        row = -hi[j] * y  # w_j y_j - hi_j (w . y) <= 0
        row[j] += y[j]
        rows.append(row)
    A = np.array(rows).reshape(-1, m)
    return A, np.zeros(A.shape[0])


def bod(
    Y: ArrayLike, *, lower: ArrayLike | None = None, upper: ArrayLike | None = None
) -> BoDResult:
    r"""Benefit of the Doubt (BoD): each unit's score under the weights most favourable to it.

    For every unit i, a linear programme (Melyn & Moesen 1991; Cherchye et al. 2007):

    .. math::

        s_i = \max_{w \ge 0} \sum_j w_j y_{ij}
        \quad\text{s.t.}\quad \sum_j w_j y_{kj} \le 1 \ \ \forall k,

        \text{optionally}\quad L_j \le \frac{w_j y_{ij}}{\sum_l w_l y_{il}} \le U_j
        \ \ \forall j,

    the bounds on each indicator's share of the unit's score being Cherchye et al.'s
    "pie-share" restrictions, linear once multiplied out:
    :math:`L_j \sum_l w_l y_{il} - w_j y_{ij} \le 0` and
    :math:`w_j y_{ij} - U_j \sum_l w_l y_{il} \le 0`.  The score is in [0, 1]; 1 means no
    weighting makes another unit look better than i (a unit best on any single indicator
    scores 1 without bounds).  Scores do not change when an indicator is rescaled by a
    positive constant.

    Solved with SciPy's ``linprog(method="highs")`` (HiGHS), one programme per unit.  Only
    the constraints that can bind are passed: a unit dominated by another (no better on any
    indicator) is implied by it, and — without share bounds — a unit already found to score
    below 1 can never bind (:math:`w \cdot y_k \le s_k < 1` for every feasible w); the optimum
    is that of the full programme.  The weights are finally rescaled so that
    :math:`\max_k \sum_j w_j y_{kj} \le 1` holds exactly.  About 0.5 s for 100 units x 40
    indicators; the time grows with the square of the number of units.

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised indicator values, higher is better, all >= 0 (e.g. min-max on [0, 1] or
        [0, 100]); NaN = missing.
    lower, upper : float or array_like, shape (m,), optional
        Bounds :math:`L_j, U_j` on the indicators' shares of each unit's score, in [0, 1];
        default no bounds (0 and 1).

    Returns
    -------
    BoDResult
        Scores, each unit's weights and pie shares, and the bounds used.  A unit with a
        missing value gets NaN (and is left out of the other units' constraints).

    Raises
    ------
    ValueError
        A negative or infinite value (naming the cell), no unit without missing values,
        bounds outside [0, 1] or of the wrong length, ``lower > upper`` for an indicator, or
        bounds no set of shares can meet (:math:`\sum_j L_j > 1` or :math:`\sum_j U_j < 1`).

    Warns
    -----
    KaopingWarning
        Units forced to a score of 0 because they have 0 on an indicator with a positive
        lower bound on its share.

    References
    ----------
    Melyn, W., Moesen, W. (1991). Towards a synthetic indicator of macroeconomic
    performance: unequal weighting when limited information is available. *Public Economics
    Research Paper* 17, KU Leuven.  Cherchye, L., Moesen, W., Rogge, N., Van Puyenbroeck, T.
    (2007). An introduction to 'benefit of the doubt' composite indicators. *Social
    Indicators Research* 82(1), 111-145, section 4 (pie-share restrictions).
    https://doi.org/10.1007/s11205-006-9029-7 ; Compind (R), ``ci_bod``, ``ci_bod_constr``.

    Examples
    --------
    >>> res = bod([[1.0, 0.2], [0.4, 1.0], [0.5, 0.5]])
    >>> res.scores.round(4)
    array([1.    , 1.    , 0.7609])
    >>> res.shares[2].round(4)
    array([0.5714, 0.4286])
    """
    from scipy.optimize import linprog

    Ya = _as_matrix(Y, "Y")
    n, m = Ya.shape
    lo = _share_bound(lower, m, "lower", 0.0)
    hi = _share_bound(upper, m, "upper", 1.0)
    crossed = np.flatnonzero(lo > hi)
    if crossed.size:
        j = int(crossed[0])
        raise ValueError(
            f"bod: lower[{j}] = {lo[j]:g} is above upper[{j}] = {hi[j]:g}; the lower bound of "
            "an indicator's share cannot exceed its upper bound."
        )
    if lo.sum() > 1.0 + 1e-12:
        raise ValueError(
            f"bod: the lower bounds of the shares sum to {lo.sum():g} > 1, so no unit's score "
            "can be split that way; lower them (they must sum to at most 1)."
        )
    if hi.sum() < 1.0 - 1e-12:
        raise ValueError(
            f"bod: the upper bounds of the shares sum to {hi.sum():g} < 1, so no unit's score "
            "can be split that way; raise them (they must sum to at least 1)."
        )
    finite = np.isfinite(Ya) | np.isnan(Ya)
    bad = ~finite | (Ya < 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"bod: Y[{i}, {j}] = {float(Ya[i, j])!r}; Benefit of the Doubt needs finite "
            "values >= 0, higher is better (normalise with min-max first)."
        )
    complete = ~np.isnan(Ya).any(axis=1)
    if not complete.any():
        raise ValueError(
            "bod: every unit has a missing value; impute the missing values first (a unit "
            "with a missing value gets no score and constrains no other unit)."
        )
    rows = np.flatnonzero(complete)
    Yc = np.ascontiguousarray(Ya[rows])
    keep = _undominated(Yc)  # the constraint rows that can bind
    unbounded = not ((lo > 0).any() or (hi < 1).any())
    scores = np.full(n, np.nan)
    weights = np.full((n, m), np.nan)
    shares = np.full((n, m), np.nan)
    forced: list[int] = []
    for pos, row in enumerate(rows):
        i = int(row)
        y = Yc[pos]
        if not (y > 0).any():
            scores[i], weights[i] = 0.0, 0.0
            continue
        if ((lo > 0) & (y == 0)).any():
            forced.append(i)
        A_pie, b_pie = _pie_rows(y, lo, hi)
        frontier = np.flatnonzero(keep)
        A_ub = np.vstack([Yc[frontier], y[None, :], A_pie])
        b_ub = np.concatenate([np.ones(frontier.size + 1), b_pie])
        res = linprog(-y, A_ub=A_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if res.status != 0:
            raise ValueError(
                f"bod: the linear programme of row {i} could not be solved "
                f"({res.message}); check that Y is normalised to a moderate range such "
                "as [0, 1] or [0, 100]."
            )
        w = np.clip(np.asarray(res.x, dtype=np.float64), 0.0, None)
        w = w / max(1.0, float((Yc @ w).max()))
        score = float(y @ w)
        scores[i] = min(score, 1.0)
        weights[i] = w
        if score > 0:
            shares[i] = w * y / score
        if unbounded and score < 1.0 - 1e-7:  # w . y_i <= score < 1 for every feasible w:
            keep[pos] = False  # its constraint never binds in the other units' programmes
    if forced:
        warnings.warn(
            KaopingWarning(
                f"bod: row(s) {forced} score 0 because they have 0 on an indicator whose share "
                "of the score has a positive lower bound; lower that bound or normalise so "
                "that the worst value is above 0."
            ),
            stacklevel=2,
        )
    return BoDResult(
        _readonly(scores), _readonly(weights), _readonly(shares), _readonly(lo), _readonly(hi)
    )


def _readonly(a: FloatArray) -> FloatArray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.flags.writeable = False
    return out


# --------------------------------------------------------------------------------------------
# Mazziotta-Pareto index (MPI) and its adjusted form (AMPI)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MPIResult:
    r"""The result of :func:`mpi` and :func:`ampi`.

    Attributes
    ----------
    scores : ndarray, shape (n,)
        The index :math:`M_i \mp S_i\,cv_i`; NaN for a unit with a missing value.
    mean, sd, cv : ndarray, shape (n,)
        Each unit's mean :math:`M_i`, standard deviation :math:`S_i` and coefficient of
        variation :math:`cv_i = S_i / M_i` of its standardised (or rescaled) values.
    values : ndarray, shape (n, m)
        The standardised values :math:`z_{ij}` (MPI) or rescaled values :math:`r_{ij}`
        (AMPI), higher is better.
    penalty : str
        ``"negative"`` or ``"positive"``.
    """

    scores: FloatArray
    mean: FloatArray
    sd: FloatArray
    cv: FloatArray
    values: FloatArray
    penalty: str


def _mpi_combine(V: FloatArray, penalty: str, ddof: int) -> MPIResult:
    """M_i -+ S_i cv_i over the columns of V (rows with a missing value -> NaN)."""
    m = V.shape[1]
    M = V.mean(axis=1)
    S = np.sqrt(((V - M[:, None]) ** 2).sum(axis=1) / (m - ddof))
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = S / M
    scores = M - S * cv if penalty == "negative" else M + S * cv
    return MPIResult(
        _readonly(scores), _readonly(M), _readonly(S), _readonly(cv), _readonly(V), penalty
    )


def _check_penalty(penalty: str, func: str) -> None:
    if penalty not in ("negative", "positive"):
        raise ValueError(
            f"{func}: penalty must be 'negative' (M - S cv, for an index where higher is "
            f"better, e.g. development) or 'positive' (M + S cv, where higher is worse, e.g. "
            f"poverty), got {penalty!r}."
        )


def mpi(
    X: ArrayLike,
    directions: ArrayLike,
    *,
    penalty: Literal["negative", "positive"] = "negative",
    ddof: int = 0,
) -> MPIResult:
    r"""Mazziotta-Pareto index (MPI): a mean penalised by the unit's imbalance across indicators.

    Each indicator is standardised to mean 100 and standard deviation 10 (sign flipped for a
    negative indicator), then each unit's values are averaged and penalised by their
    horizontal variability:

    .. math::

        z_{ij} = 100 \pm 10\,\frac{x_{ij} - M_{x_j}}{S_{x_j}},\qquad
        S_{x_j} = \sqrt{\tfrac1n \textstyle\sum_i (x_{ij} - M_{x_j})^2},

        M_{z_i} = \tfrac1m \textstyle\sum_j z_{ij},\quad
        S_{z_i} = \sqrt{\tfrac1m \textstyle\sum_j (z_{ij} - M_{z_i})^2},\quad
        cv_i = \frac{S_{z_i}}{M_{z_i}},

        \mathrm{MPI}^{\mp}_i = M_{z_i} \mp S_{z_i}\, cv_i.

    The negative penalty (default) is for an index where higher is better: a unit whose
    indicators are unbalanced scores below its mean; with every :math:`z_{ij}` equal there
    is no penalty.  Standard deviations are the population ones (``ddof=0``), as in
    Mazziotta & Pareto (2016); ``ddof=1`` uses the sample ones in both places, which
    reproduces Compind's ``ci_mpi`` applied to ``normalise_ci(method = 1, z.mean = 100,
    z.std = 10)`` (R's ``sd`` and ``var``).

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing (column statistics use the non-missing values; a
        unit with a missing value gets NaN).
    directions : array_like, shape (m,)
        +1 positive, -1 negative.
    penalty : {"negative", "positive"}
    ddof : {0, 1}
        Delta degrees of freedom of both standard deviations.

    Returns
    -------
    MPIResult
        Scores (around 100), each unit's mean, sd and cv, and the standardised values.

    Raises
    ------
    ValueError
        Fewer than 2 indicators, a shape mismatch, a bad direction, penalty or ddof.

    Warns
    -----
    ConstantColumnWarning
        For constant columns: every unit gets z = 100 there.

    References
    ----------
    Mazziotta, M., Pareto, A. (2016). On a generalized non-compensatory composite index for
    measuring socio-economic phenomena. *Social Indicators Research* 127(3), 983-1003,
    section 2. https://doi.org/10.1007/s11205-015-0998-2 ; De Muro, P., Mazziotta, M.,
    Pareto, A. (2011). Composite indices of development and poverty: an application to MDGs.
    *Social Indicators Research* 104(1), 1-18. https://doi.org/10.1007/s11205-010-9727-z ;
    Compind (R), ``ci_mpi``.

    Examples
    --------
    >>> X = [[1.0, 2.0], [1.0, 6.0], [3.0, 2.0], [3.0, 6.0]]
    >>> mpi(X, [1, 1]).scores  # z: (90, 90), (90, 110), (110, 90), (110, 110)
    array([ 90.,  99.,  99., 110.])
    """
    _check_penalty(penalty, "mpi")
    if ddof not in (0, 1):
        raise ValueError(f"mpi: ddof must be 0 (population sd) or 1 (sample sd), got {ddof!r}.")
    Xa = _as_matrix(X, "X")
    m = Xa.shape[1]
    if m < 2:
        raise ValueError(
            f"mpi: the Mazziotta-Pareto index combines at least 2 indicators, got {m}."
        )
    d = _as_directions(directions, m)
    ok = ~np.isnan(Xa)
    cnt = ok.sum(axis=0)
    M = np.divide(np.nansum(Xa, axis=0), cnt, out=np.zeros(m), where=cnt > 0)
    dev = np.where(ok, Xa - M, 0.0)
    S = np.sqrt(np.divide((dev**2).sum(axis=0), cnt - ddof, out=np.zeros(m), where=cnt > ddof))
    lo, hi = np.fmin.reduce(Xa, axis=0), np.fmax.reduce(Xa, axis=0)
    _warn_constant(lo, hi, "mpi")
    varies = hi > lo  # not S > 0: the rounded mean of equal values can differ from them
    with np.errstate(divide="ignore", invalid="ignore"):
        Z = np.where(varies & (S > 0), 100.0 + 10.0 * d * (Xa - M) / S, 100.0)
    Z = np.where(ok, Z, np.nan)
    return _mpi_combine(Z, penalty, ddof)


def ampi(
    X: ArrayLike,
    directions: ArrayLike,
    *,
    goalposts: tuple[ArrayLike, ArrayLike] | None = None,
    reference: ArrayLike | None = None,
    penalty: Literal["negative", "positive"] = "negative",
) -> MPIResult:
    r"""Adjusted Mazziotta-Pareto index (AMPI): min-max to goalposts, then the MPI penalty.

    Each indicator is rescaled between goalposts so that the reference maps to 100 and the
    values fall roughly in [70, 130]; then as in :func:`mpi`, with population sds:

    .. math::

        r_{ij} = 70 + 60\,\frac{x_{ij} - \mathrm{Min}_j}{\mathrm{Max}_j - \mathrm{Min}_j}
        \ \ (\text{positive}),\qquad
        r_{ij} = 70 + 60\,\frac{\mathrm{Max}_j - x_{ij}}{\mathrm{Max}_j - \mathrm{Min}_j}
        \ \ (\text{negative}),

        \mathrm{Min}_j = \mathrm{Ref}_j - \Delta_j,\quad
        \mathrm{Max}_j = \mathrm{Ref}_j + \Delta_j,\quad
        \Delta_j = \tfrac12 \bigl(\max_i x_{ij} - \min_i x_{ij}\bigr),

        \mathrm{AMPI}^{\mp}_i = M_{r_i} \mp S_{r_i}\, cv_{r_i},\qquad
        S_{r_i} = \sqrt{\tfrac1m \textstyle\sum_j (r_{ij} - M_{r_i})^2}.

    The reference defaults to the column mean (100 = the average of these units); for
    comparisons over time, give the goalposts (or the reference) of a base year and use the
    same ones every year — Compind's ``ci_ampi`` takes the reference values ``gp`` and
    :math:`\Delta` from the pooled panel.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing (a unit with a missing value gets NaN).
    directions : array_like, shape (m,)
        +1 positive, -1 negative.
    goalposts : (lower, upper), optional
        Each a scalar or shape (m,): :math:`\mathrm{Min}_j, \mathrm{Max}_j` themselves, in
        the indicators' units (``reference`` must then be None).
    reference : array_like, shape (m,), optional
        :math:`\mathrm{Ref}_j`; default the column means.
    penalty : {"negative", "positive"}

    Returns
    -------
    MPIResult
        Scores (around 100), each unit's mean, sd and cv, and the rescaled values.

    Raises
    ------
    ValueError
        Fewer than 2 indicators, both ``goalposts`` and ``reference``, a goalpost pair with
        ``upper <= lower``, a shape mismatch, a bad direction or penalty.

    Warns
    -----
    ConstantColumnWarning
        For constant columns without goalposts: every unit gets r = 100 there.

    References
    ----------
    Mazziotta, M., Pareto, A. (2016). On a generalized non-compensatory composite index for
    measuring socio-economic phenomena. *Social Indicators Research* 127(3), 983-1003,
    section 3 (AMPI). https://doi.org/10.1007/s11205-015-0998-2 ; Compind (R),
    ``ci_ampi``.

    Examples
    --------
    >>> X = [[1.0, 2.0], [1.0, 6.0], [3.0, 2.0], [3.0, 6.0]]
    >>> ampi(X, [1, 1]).scores  # r: (70, 70), (70, 130), (130, 70), (130, 130)
    array([ 70.,  91.,  91., 130.])
    """
    _check_penalty(penalty, "ampi")
    Xa = _as_matrix(X, "X")
    m = Xa.shape[1]
    if m < 2:
        raise ValueError(
            f"ampi: the adjusted Mazziotta-Pareto index combines at least 2 indicators, got {m}."
        )
    d = _as_directions(directions, m)
    ok = ~np.isnan(Xa)
    constant = np.zeros(m, dtype=bool)
    if goalposts is not None:
        if reference is not None:
            raise ValueError(
                "ampi: give either goalposts (Min_j, Max_j) or a reference (Ref_j, with "
                "Delta_j half the range), not both."
            )
        pair = tuple(goalposts)
        if len(pair) != 2:
            raise ValueError(
                f"ampi: goalposts must be a pair (lower, upper), got {len(pair)} items."
            )
        lo = _per_indicator(pair[0], m, "goalposts lower")
        hi = _per_indicator(pair[1], m, "goalposts upper")
        wrong = np.flatnonzero(~(hi > lo))
        if wrong.size:
            j = int(wrong[0])
            raise ValueError(
                f"ampi: goalposts for indicator column {j} are lower {lo[j]:g} and upper "
                f"{hi[j]:g}; the upper goalpost must be above the lower one."
            )
    else:
        cmin, cmax = np.fmin.reduce(Xa, axis=0), np.fmax.reduce(Xa, axis=0)
        _warn_constant(cmin, cmax, "ampi")
        cnt = ok.sum(axis=0)
        mean = np.divide(np.nansum(Xa, axis=0), cnt, out=np.zeros(m), where=cnt > 0)
        ref = mean if reference is None else _per_indicator(reference, m, "reference")
        delta = (cmax - cmin) / 2.0
        lo, hi = ref - delta, ref + delta
        constant = ~(delta > 0)
    span = np.where(constant, 1.0, hi - lo)
    R = np.where(d > 0, Xa - lo, hi - Xa) / span * 60.0 + 70.0
    R = np.where(constant, np.where(ok, 100.0, np.nan), R)
    return _mpi_combine(R, penalty, 0)


def _per_indicator(value: ArrayLike, m: int, name: str) -> FloatArray:
    v = np.asarray(value, dtype=np.float64)
    if v.ndim == 0:
        v = np.full(m, float(v))
    if v.shape != (m,) or not np.isfinite(v).all():
        raise ValueError(
            f"ampi: {name} must be a finite number or one per indicator column ({m}), got {v!r}."
        )
    return v
