r"""Variance-based sensitivity: the Saltelli design and Jansen's estimators of Sobol' indices.

A model ``f`` of k independent uncertain inputs, each coded as a coordinate u_i in [0, 1)
(an inverse CDF, or the choice of one of several alternatives, turns u_i into the input), is
run on the n(k + 2) rows of the design that :func:`saltelli` returns: the base samples ``A``
and ``B`` and, for every input i, the matrix :math:`A_B^{(i)}` (``AB[i]``) whose column i
comes from ``B`` and whose other columns come from ``A``.  :func:`jansen` turns the outputs
into first-order indices S_i (the share of the output variance due to input i alone) and
total indices S_Ti (the share due to input i including all its interactions), with bootstrap
confidence intervals.  The outputs may be many at once — the rank of every county, say —
and are handled as one array, never one by one.

This is the design and the estimators the JRC's audits of composite indicators use (COINr's
``get_sensitivity``, with ``SA_sample`` and ``SA_estimate``), with two differences: COINr
estimates S_i with Saltelli et al. (2010), Table 2 (a), where this module uses Jansen's form
(b); and COINr resamples each index's terms separately with V held fixed, where this module
resamples the rows of the design once for all indices and recomputes V in every replicate
(COINr reports the 5% and 95% quantiles: ``confidence=0.9`` here).

The base sample is pseudo-random (``rng.random``), not the scrambled Sobol' sequence that
Saltelli et al. (2010) recommend: SciPy (``scipy.stats.qmc``) is not a dependency of kaoping.
Errors therefore fall as :math:`1/\sqrt{n}`; the bootstrap intervals report them.

References
----------
.. [Saltelli2010] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M.,
   Tarantola, S. (2010). Variance based sensitivity analysis of model output. Design and
   estimator for the total sensitivity index. *Computer Physics Communications* 181(2),
   259-270. https://doi.org/10.1016/j.cpc.2009.09.018
.. [Saltelli2002] Saltelli, A. (2002). Making best use of model evaluations to compute
   sensitivity indices. *Computer Physics Communications* 145(2), 280-297.
   https://doi.org/10.1016/S0010-4655(02)00280-1
.. [Jansen1999] Jansen, M. J. W. (1999). Analysis of variance designs for model output.
   *Computer Physics Communications* 117(1-2), 35-43.
   https://doi.org/10.1016/S0010-4655(98)00154-4
.. [Ishigami1990] Ishigami, T., Homma, T. (1990). An importance quantification technique in
   uncertainty analysis for computer models. *Proceedings of ISUMA '90*, 398-403
   (the test function of ``tests/analysis/test_sobol.py``).
.. [COINr] Becker, W., et al. COINr: composite indicator development and analysis in R,
   ``get_sensitivity()``. European Commission Joint Research Centre.
   https://bluefoxr.github.io/COINr/
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods import FloatArray

__all__ = ["SobolResult", "jansen", "saltelli"]

_Counts = NDArray[np.unsignedinteger[Any]]  # bootstrap resamples: times each row is drawn

_BUDGET = 1 << 20  # float64 elements (8 MiB) of one large temporary in jansen
_CHUNK = 64  # bootstrap replicates drawn and reduced together ...
_CHUNK_ELEMENTS = 1 << 20  # ... but no more than this many counts (r x n) at a time
_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True, eq=False)
class SobolResult:
    """The result of :func:`jansen`; arrays are read-only.

    For a single output (1-D ``yA``) the output axis p is absent.

    Attributes
    ----------
    first : ndarray, shape (k,) or (k, p)
        First-order indices S_i, NaN for an output without variance.
    total : ndarray, shape (k,) or (k, p)
        Total indices S_Ti, NaN for an output without variance.
    first_ci, total_ci : ndarray, shape (k, 2) or (k, p, 2), or None
        Bootstrap percentile intervals (lower, upper); None when ``n_boot == 0``.
    variance : ndarray, shape () or (p,)
        The output variance V of the 2n runs on A and B (ddof=1).
    """

    first: FloatArray
    total: FloatArray
    first_ci: FloatArray | None
    total_ci: FloatArray | None
    variance: FloatArray


# --------------------------------------------------------------------------------------------
# design
# --------------------------------------------------------------------------------------------


def saltelli(
    n: int, k: int, rng: np.random.Generator | int | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""The Saltelli design: base samples A and B and the k matrices :math:`A_B^{(i)}`.

    ``A`` and ``B`` are the two halves of one n x 2k sample of :math:`[0, 1)^{2k}`, and

    .. math::

        \left(A_B^{(i)}\right)_{jl} = \begin{cases} B_{jl} & l = i \\
        A_{jl} & l \neq i \end{cases}

    so that row j of :math:`A_B^{(i)}` differs from row j of A in coordinate i only (the
    "radial" arrangement around A of Saltelli et al. 2010, section 3).  The model is run
    n(k + 2) times: on A, on B and on every ``AB[i]``; pass the outputs to :func:`jansen`.

    The sample is pseudo-random, drawn with ``rng.random``: Saltelli et al. (2010) recommend
    a (scrambled) Sobol' low-discrepancy sequence, but SciPy, which provides one, is not a
    dependency of kaoping.  The same seed gives the same design on every run.

    Parameters
    ----------
    n : int
        Number of base samples (rows of A and B), >= 2.
    k : int
        Number of uncertain inputs, >= 1.
    rng : numpy.random.Generator, int or None
        Source of randomness, or a seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    A, B : ndarray, shape (n, k)
        Base samples in :math:`[0, 1)^k`.
    AB : ndarray, shape (k, n, k)
        ``AB[i]`` is A with column i taken from B.

    Raises
    ------
    ValueError
        ``n`` or ``k`` is not a whole number in range.

    References
    ----------
    Saltelli (2002), section 3; Saltelli et al. (2010), section 3 and Table 2.
    https://doi.org/10.1016/j.cpc.2009.09.018

    Examples
    --------
    >>> A, B, AB = saltelli(4, 3, rng=0)
    >>> A.shape, B.shape, AB.shape
    ((4, 3), (4, 3), (3, 4, 3))
    >>> bool(np.all(AB[1][:, [0, 2]] == A[:, [0, 2]]) and np.all(AB[1][:, 1] == B[:, 1]))
    True
    """
    n = _whole(n, "n", "基础样本数", "the number of base samples", 2, "saltelli")
    k = _whole(k, "k", "不确定输入的个数", "the number of uncertain inputs", 1, "saltelli")
    gen = np.random.default_rng(rng)
    X = gen.random((n, 2 * k))
    A = np.ascontiguousarray(X[:, :k])
    B = np.ascontiguousarray(X[:, k:])
    AB = np.repeat(A[np.newaxis], k, axis=0)
    i = np.arange(k)
    AB[i, :, i] = B.T  # AB[i][:, i] = B[:, i] for every i at once
    return A, B, AB


# --------------------------------------------------------------------------------------------
# estimators
# --------------------------------------------------------------------------------------------


def jansen(
    yA: ArrayLike,
    yB: ArrayLike,
    yAB: ArrayLike,
    *,
    n_boot: int = 0,
    rng: np.random.Generator | int | None = None,
    confidence: float = 0.95,
) -> SobolResult:
    r"""First-order and total Sobol' indices with Jansen's estimators, for many outputs at once.

    With :math:`y_A = f(A)`, :math:`y_B = f(B)` and :math:`y_{AB}^{(i)} = f(A_B^{(i)})` on the
    design of :func:`saltelli`, and V the variance (ddof=1) of the 2n outputs on A and B
    together:

    .. math::

        S_i = \frac{V - \frac{1}{2n}\sum_{j=1}^{n}
              \left(y_{B,j} - y_{AB,j}^{(i)}\right)^2}{V},
        \qquad
        S_{Ti} = \frac{\frac{1}{2n}\sum_{j=1}^{n}
                 \left(y_{A,j} - y_{AB,j}^{(i)}\right)^2}{V}.

    Row j of B and of :math:`A_B^{(i)}` share input i only, so half their mean squared
    difference estimates :math:`V - V_i` (Saltelli et al. 2010, Table 2 (b), after Jansen
    1999); rows of A and :math:`A_B^{(i)}` share every input but i, so half theirs estimates
    :math:`E[\operatorname{Var}(Y \mid X_{\sim i})] = S_{Ti} V` (Table 2 (f), Jansen 1999).
    Monte Carlo error can put an estimate slightly below 0 or above 1; it is not clipped.

    An output with V = 0 (the same value in all 2n runs) has no variance to apportion: its
    indices are NaN, without an error or a warning.  A NaN output makes the indices of that
    output NaN.

    With ``n_boot > 0`` the n rows of the design are resampled with replacement ``n_boot``
    times — the same rows of A, B and every :math:`A_B^{(i)}`, and the same resamples for
    every output, so that p outputs at once give what p separate calls give — V, S_i and
    S_Ti are recomputed on each resample, and the intervals are the percentiles
    :math:`(1 \mp c)/2` of the replicates (c = ``confidence``; linear interpolation as
    :func:`numpy.quantile`), skipping the rare replicate whose resampled outputs have no
    variance.  The work is done in blocks of outputs and of replicates, so memory stays
    bounded (a few tens of MiB beyond the inputs) whatever p and ``n_boot`` are.

    Parameters
    ----------
    yA, yB : array_like, shape (n,) or (n, p)
        Outputs of the model on A and on B; p outputs at once (e.g. the rank of every unit).
    yAB : array_like, shape (k, n) or (k, n, p)
        ``yAB[i]`` holds the outputs on ``AB[i]``.
    n_boot : int
        Number of bootstrap replicates; 0 (default) for no intervals.
    rng : numpy.random.Generator, int or None
        Source of randomness for the bootstrap, or a seed.  The same seed gives the same
        intervals on every run.
    confidence : float
        Coverage of the intervals, in (0, 1); default 0.95.

    Returns
    -------
    SobolResult

    Raises
    ------
    ValueError
        Shapes that do not fit the design, fewer than 2 rows, ``n_boot < 0`` or
        ``confidence`` outside (0, 1).

    References
    ----------
    Jansen (1999); Saltelli et al. (2010), Table 2 (b) and (f).
    https://doi.org/10.1016/j.cpc.2009.09.018 ; Efron, B., Tibshirani, R. J. (1993).
    *An Introduction to the Bootstrap*, ch. 13 (percentile intervals). Chapman & Hall.

    Examples
    --------
    A linear model of uniform inputs, :math:`y = u_1 + 2 u_2`: the variance shares are
    :math:`1/5` and :math:`4/5`, first-order and total alike.

    >>> A, B, AB = saltelli(4096, 2, rng=1)
    >>> c = np.array([1.0, 2.0])
    >>> res = jansen(A @ c, B @ c, AB @ c)
    >>> res.first.round(1), res.total.round(1)
    (array([0.2, 0.8]), array([0.2, 0.8]))
    """
    a, b, ab, single = _outputs(yA, yB, yAB)
    n_boot = _whole(n_boot, "n_boot", "自助法重抽样次数", "the bootstrap replicates", 0, "jansen")
    level = _confidence(confidence)
    k, n, p = ab.shape
    first = np.empty((k, p))
    total = np.empty((k, p))
    variance = np.empty(p)
    first_ci = np.empty((k, p, 2)) if n_boot else None
    total_ci = np.empty((k, p, 2)) if n_boot else None
    seed = int(np.random.default_rng(rng).integers(2**62)) if n_boot else 0
    cached = list(_resamples(seed, n, n_boot)) if 0 < n_boot * n <= 8 * _BUDGET else None
    terms = 2 * k + 2
    width = max(1, _BUDGET // (terms * max(n, n_boot)))
    for lo in range(0, p, width):
        cols = slice(lo, min(p, lo + width))
        a_c, b_c, ab_c = a[:, cols], b[:, cols], ab[:, :, cols]
        center = _center(a_c, b_c)
        ac, bc = a_c - center, b_c - center
        V = np.var(np.concatenate((ac, bc)), axis=0, ddof=1)
        # per row j, side by side so that one matrix product sums them all for a resample:
        # (yB - yAB_i)^2 (B and AB[i] share input i only), (yA - yAB_i)^2 (A and AB[i]
        # share every input but i), and the shifted outputs and their squares for V
        D = np.empty((n, terms, a_c.shape[1]))
        rows_ab = ab_c.transpose(1, 0, 2)  # (n, k, q)
        np.square(b_c[:, np.newaxis] - rows_ab, out=D[:, :k])
        np.square(a_c[:, np.newaxis] - rows_ab, out=D[:, k : 2 * k])
        D[:, 2 * k] = ac + bc
        D[:, 2 * k + 1] = np.square(ac) + np.square(bc)
        means = D[:, : 2 * k].mean(axis=0)
        variance[cols] = V
        first[:, cols] = _ratio(V - 0.5 * means[:k], V)
        total[:, cols] = _ratio(0.5 * means[k:], V)
        if first_ci is not None and total_ci is not None:
            chunks = iter(cached) if cached is not None else _resamples(seed, n, n_boot)
            first_ci[:, cols], total_ci[:, cols] = _bootstrap(D, chunks, n_boot, level)
    if single:
        return SobolResult(
            first=_frozen(first[:, 0]),
            total=_frozen(total[:, 0]),
            first_ci=None if first_ci is None else _frozen(first_ci[:, 0]),
            total_ci=None if total_ci is None else _frozen(total_ci[:, 0]),
            variance=_frozen(variance.reshape(())),
        )
    return SobolResult(
        first=_frozen(first),
        total=_frozen(total),
        first_ci=None if first_ci is None else _frozen(first_ci),
        total_ci=None if total_ci is None else _frozen(total_ci),
        variance=_frozen(variance),
    )


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _bootstrap(
    D: FloatArray, chunks: Iterator[tuple[int, _Counts]], n_boot: int, level: float
) -> tuple[FloatArray, FloatArray]:
    """Percentile intervals of S_i and S_Ti, shape (k, q, 2), for one block of q outputs.

    ``D`` (n, 2k + 2, q) holds, per row of the design, the k terms of S_i, the k terms of
    S_Ti, and the outputs on A and B shifted by a value of the data near their mean (an exact
    shift for integer outputs such as ranks), summed and squared.  A resample is a row of
    counts c_j (how often row j was drawn), so all its sums sum_j c_j D_j are one matrix
    product, and V is the one-pass (sum y^2 - (sum y)^2 / 2n) / (2n - 1), which loses
    little to rounding thanks to the shift.
    """
    n, terms, q = D.shape
    k = (terms - 2) // 2
    flat = D.reshape(n, terms * q)
    boot_first = np.empty((n_boot, k, q))
    boot_total = np.empty((n_boot, k, q))
    for start, counts in chunks:
        r = counts.shape[0]
        sums = (counts.astype(np.float64) @ flat).reshape(r, terms, q)
        S1, S2 = sums[:, 2 * k], sums[:, 2 * k + 1]  # (r, q)
        ss = S2 - np.square(S1) / (2 * n)  # sum of squared deviations
        # a resample whose outputs are all equal has no variance: NaN, not rounding noise
        Vb = np.where(ss > 4.0 * n * _EPS * S2, ss / (2 * n - 1), 0.0)[:, np.newaxis]
        boot_first[start : start + r] = _ratio(Vb - 0.5 * sums[:, :k] / n, Vb)
        boot_total[start : start + r] = _ratio(0.5 * sums[:, k : 2 * k] / n, Vb)
    return _percentiles(boot_first, level), _percentiles(boot_total, level)


def _resamples(seed: int, n: int, n_boot: int) -> Iterator[tuple[int, _Counts]]:
    """Bootstrap resamples of n rows as counts, chunk by chunk: (first replicate, (r, n)).

    Chunk c draws from its own generator, seeded with (seed, c), so that the resamples
    depend on the seed, n and n_boot only — not on the number of outputs or on how they are
    split into blocks (``_BUDGET``) — and can be drawn again for every block instead of
    being stored.  Counts are at most n: stored in the smallest unsigned integer type.
    """
    per = max(1, min(_CHUNK, _CHUNK_ELEMENTS // n))
    dtype = np.min_scalar_type(n)
    for c, start in enumerate(range(0, n_boot, per)):
        r = min(per, n_boot - start)
        rows = np.random.default_rng([seed, c]).integers(0, n, size=(r, n))
        flat = (rows + n * np.arange(r)[:, np.newaxis]).ravel()
        yield start, np.bincount(flat, minlength=r * n).reshape(r, n).astype(dtype)


def _percentiles(x: FloatArray, level: float) -> FloatArray:
    """Percentiles (1 -+ level)/2 along axis 0 of (R, k, q), ignoring NaN -> (k, q, 2).

    Linear interpolation between order statistics (NumPy's default ``linear`` method); NaN
    where every replicate is NaN.  No warnings (unlike ``np.nanquantile`` on all-NaN data).
    """
    srt = np.sort(x, axis=0)  # NaN sort last
    cnt = np.sum(~np.isnan(x), axis=0)  # (k, q)
    last = np.maximum(cnt - 1, 0)
    tail = (1.0 - level) / 2.0
    out = np.full((*cnt.shape, 2), np.nan)
    for j, prob in enumerate((tail, 1.0 - tail)):
        pos = prob * last
        below = np.floor(pos).astype(np.intp)
        above = np.minimum(below + 1, last)
        frac = pos - below
        v_lo = np.take_along_axis(srt, below[np.newaxis], axis=0)[0]
        v_hi = np.take_along_axis(srt, above[np.newaxis], axis=0)[0]
        out[..., j] = np.where(cnt > 0, v_lo + frac * (v_hi - v_lo), np.nan)
    return out


def _center(a: FloatArray, b: FloatArray) -> FloatArray:
    """Per column, the value of ``a`` nearest the mean of ``a`` and ``b`` (NaN if any is)."""
    mean: FloatArray = (a.sum(axis=0) + b.sum(axis=0)) / (2 * a.shape[0])
    if a.shape[1] == 0:
        return mean
    nearest = np.argmin(np.abs(a - mean), axis=0)  # the first NaN, if there is one
    value: FloatArray = np.take_along_axis(a, nearest[np.newaxis, :], axis=0)[0]
    return value


def _ratio(num: FloatArray, V: FloatArray) -> FloatArray:
    """``num / V`` broadcast over the last axis; NaN where V is not > 0 (no warning)."""
    out = np.full(np.broadcast_shapes(num.shape, V.shape), np.nan)
    np.divide(num, V, out=out, where=V > 0)
    return out


def _frozen(x: FloatArray) -> FloatArray:
    """A read-only C-contiguous copy (a 0-d array stays 0-d)."""
    x = x.copy(order="C")
    x.flags.writeable = False
    return x


def _outputs(
    yA: ArrayLike, yB: ArrayLike, yAB: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    """The outputs as float64 (n, p), (n, p), (k, n, p); True if they were single outputs."""
    a = np.asarray(yA, dtype=np.float64)
    b = np.asarray(yB, dtype=np.float64)
    ab = np.asarray(yAB, dtype=np.float64)
    if a.ndim not in (1, 2) or a.shape[0] < 2:
        raise ValueError(
            f"jansen：yA 应为 (n,) 或 (n, p) 数组且 n >= 2，收到形状 {a.shape}。"
            f"(jansen: yA must have shape (n,) or (n, p) with n >= 2 runs, one row per row of "
            f"A; got shape {a.shape}.)"
        )
    if b.shape != a.shape:
        raise ValueError(
            f"jansen：yB 的形状应与 yA 相同 {a.shape}，收到 {b.shape}。"
            f"(jansen: yB must have the shape of yA, {a.shape}; got {b.shape}. Run the model "
            "on B, which has as many rows as A.)"
        )
    if ab.ndim != a.ndim + 1 or ab.shape[1:] != a.shape or ab.shape[0] < 1:
        raise ValueError(
            f"jansen：yAB 的形状应为 (k, {', '.join(map(str, a.shape))})，收到 {ab.shape}。"
            f"(jansen: yAB must have shape (k, {', '.join(map(str, a.shape))}), yAB[i] being "
            f"the outputs on AB[i]; got {ab.shape}. Stack the k runs with np.stack.)"
        )
    if a.ndim == 1:
        return a[:, np.newaxis], b[:, np.newaxis], ab[..., np.newaxis], True
    return a, b, ab, False


def _whole(value: object, name: str, zh: str, en: str, minimum: int, func: str) -> int:
    """``value`` as an int >= ``minimum``, or a ValueError saying so."""
    try:
        v = None if isinstance(value, bool) else operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        v = None
    if v is None or v < minimum:
        raise ValueError(
            f"{func}：{name}（{zh}）必须是不小于 {minimum} 的整数，收到 {value!r}。"
            f"({func}: {name}, {en}, must be a whole number >= {minimum}; got {value!r}.)"
        )
    return v


def _confidence(value: object) -> float:
    try:
        c = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        c = float("nan")
    if not 0.0 < c < 1.0:
        raise ValueError(
            f"jansen：confidence（置信水平）必须在 0 与 1 之间，例如 0.95，收到 {value!r}。"
            f"(jansen: confidence must be in (0, 1), e.g. 0.95; got {value!r}.)"
        )
    return c
