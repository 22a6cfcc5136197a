"""Normalisation kernels: bring indicators with different units onto a common scale.

Every function takes a float64 matrix ``X`` of shape ``(n units, m indicators)``; ``NaN`` marks a
missing value and stays missing (imputation is the caller's choice, never a silent zero).
``directions`` holds one entry per indicator: ``+1`` positive (正向, larger is better), ``-1``
negative (逆向) and, where a normaliser supports it, ``0`` moderate (适度, best at an optimum
``t``).  After normalisation, higher is always better.

Negative directions are applied as COINr does — multiply the column by -1, then normalise — except
for the ratio normalisers (:func:`target`, :func:`fracmax`), where ``-x`` has no meaning and the
ratio is inverted instead.

A constant column (max == min over its non-missing values) cannot discriminate between units.  It
never produces ``NaN`` or ``inf``: the normalisers give it their "best" value (``hi``, ``m`` for
:func:`zscore`) and emit one :class:`~kaoping.methods.ConstantColumnWarning` listing every such
column, so that the caller can name the indicators.

:func:`treat` implements the JRC/COINr outlier treatment (winsorisation, then a log transform).

References
----------
.. [OECD2008] OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and
   User Guide*. OECD Publishing, Paris, Step 5 "Normalisation" (Table 3).
   https://doi.org/10.1787/9789264043466-en
.. [COINr] Becker, W. et al. (2022). COINr: An R package for developing composite indicators.
   *Journal of Open Source Software* 7(78), 4567. https://doi.org/10.21105/joss.04567
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from kaoping.methods._common import ConstantColumnWarning, FloatArray

__all__ = [
    "ColumnTreatment",
    "TreatmentReport",
    "dist2max",
    "fracmax",
    "goalposts",
    "minmax",
    "moderate_to_positive",
    "rank",
    "target",
    "treat",
    "vector",
    "zscore",
]


# --------------------------------------------------------------------------------------------
# helpers shared by the normalisers (and by kaoping.methods.weights)
# --------------------------------------------------------------------------------------------


def _as_matrix(X: ArrayLike, func: str) -> FloatArray:
    """``X`` as a 2-D float64 array (no copy when it already is one)."""
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(
            f"{func}: X must be a 2-D array (units x indicators), got shape {A.shape}; "
            "reshape a single indicator with X.reshape(-1, 1)."
        )
    if A.shape[0] == 0:
        raise ValueError(f"{func}: X has no rows (units); pass at least one unit.")
    return A


def _as_directions(
    directions: ArrayLike, m: int, func: str, *, moderate: bool = False
) -> FloatArray:
    """Validate ``directions`` (length m, values in {-1, +1}, or 0 if ``moderate``)."""
    d = np.asarray(directions, dtype=np.float64).reshape(-1)
    if d.shape != (m,):
        raise ValueError(
            f"{func}: directions must have one entry per indicator ({m}), got {d.size}."
        )
    allowed = (-1.0, 0.0, 1.0) if moderate else (-1.0, 1.0)
    bad = ~np.isin(d, allowed)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        if d[j] == 0.0:
            raise ValueError(
                f"{func}: directions[{j}] is 0 (moderate, 适度), which {func} does not support; "
                "transform moderate indicators first with "
                "kaoping.methods.normalize.moderate_to_positive(X, directions, optimum)."
            )
        raise ValueError(
            f"{func}: directions[{j}] = {float(d[j])!r}; use +1 (positive, 正向), "
            "-1 (negative, 逆向)"
            + (" or 0 (moderate, 适度, with an optimum)." if moderate else ".")
        )
    return d


def _per_column(value: ArrayLike | float, m: int, name: str, func: str) -> FloatArray:
    """A scalar or length-m vector as a float64 vector of length m."""
    v = np.asarray(value, dtype=np.float64)
    if v.ndim == 0:
        return np.full(m, float(v))
    v = v.reshape(-1)
    if v.shape != (m,):
        raise ValueError(f"{func}: {name} must be a scalar or have {m} entries, got {v.size}.")
    return v


def _col_min_max(X: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Column minimum and maximum ignoring NaN (NaN for an all-missing column), no warnings."""
    return np.fmin.reduce(X, axis=0), np.fmax.reduce(X, axis=0)


def _warn_constant(func: str, columns: Sequence[int], result: str) -> None:
    if columns:
        cols = [int(c) for c in columns]
        warnings.warn(
            ConstantColumnWarning(
                f"{func}: indicator column(s) {cols} are constant (max == min over the "
                f"non-missing values) and cannot discriminate between units; {result}. "
                "Check the data, or drop the indicator.",
                columns=cols,
            ),
            stacklevel=3,
        )


def _minmax_core(
    X: FloatArray,
    d: FloatArray,
    lo: float,
    hi: float,
    optimum: FloatArray | None,
) -> tuple[FloatArray, list[int]]:
    """Min-max kernel without the warning: returns ``(Y, constant column indices)``.

    ``d`` may contain 0 (moderate) only when ``optimum`` is given.  Temporaries: the output plus
    O(m) vectors (and a copy of the moderate columns, if any).
    """
    m = X.shape[1]
    mn, mx = _col_min_max(X)
    rng = mx - mn
    moderate = d == 0.0
    constant = rng == 0.0  # False for all-missing columns (rng is NaN)
    # y = (x - a_j) * b_j, then mapped to [lo, hi]
    a = np.where(d > 0, mn, mx)
    b = np.zeros(m)
    np.divide(np.where(d > 0, 1.0, -1.0), rng, out=b, where=rng > 0)
    b *= hi - lo
    Y = np.subtract(X, a)
    Y *= b
    Y += lo
    if moderate.any():
        assert optimum is not None
        idx = np.flatnonzero(moderate)
        dist = np.abs(X[:, idx] - optimum[idx])
        dmax = np.fmax.reduce(dist, axis=0)
        scale = np.zeros(idx.size)
        np.divide(hi - lo, dmax, out=scale, where=dmax > 0)
        Y[:, idx] = hi - dist * scale
        constant[idx] = dmax == 0.0
    const_idx = np.flatnonzero(constant)
    if const_idx.size:
        Y[:, const_idx] = np.where(np.isnan(X[:, const_idx]), np.nan, hi)
    return Y, [int(j) for j in const_idx]


# --------------------------------------------------------------------------------------------
# normalisers
# --------------------------------------------------------------------------------------------


def minmax(
    X: ArrayLike,
    directions: ArrayLike,
    lo: float = 0.0,
    hi: float = 1.0,
    optimum: ArrayLike | None = None,
) -> FloatArray:
    r"""Min-max (extreme value, 极差/极值) normalisation onto ``[lo, hi]``.

    .. math::

        y_{ij} = lo + (hi - lo)\,\frac{x_{ij} - \min_k x_{kj}}{\max_k x_{kj} - \min_k x_{kj}}
        \quad (d_j = +1), \qquad
        y_{ij} = lo + (hi - lo)\,\frac{\max_k x_{kj} - x_{ij}}{\max_k x_{kj} - \min_k x_{kj}}
        \quad (d_j = -1),

    and for a moderate indicator (:math:`d_j = 0`) with optimum :math:`t_j`

    .. math::

        y_{ij} = lo + (hi - lo)\left(1 - \frac{|x_{ij} - t_j|}{\max_k |x_{kj} - t_j|}\right).

    Minimum and maximum are taken over the non-missing values of each column.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw indicator values; NaN = missing.
    directions : array_like, shape (m,)
        +1 positive, -1 negative, 0 moderate (needs ``optimum``).
    lo, hi : float
        Target interval, ``lo < hi`` (e.g. 0-1, 0-100, or 1-100 before a geometric mean).
    optimum : array_like, shape (m,), optional
        Optimum :math:`t_j` of each moderate column (NaN elsewhere).

    Returns
    -------
    ndarray, shape (n, m)
        Normalised values in ``[lo, hi]``, higher is better; NaN where ``X`` is NaN.

    Raises
    ------
    ValueError
        Bad shapes, a direction outside {-1, 0, +1}, ``lo >= hi``, or a moderate column without
        an optimum.

    Warns
    -----
    ConstantColumnWarning
        Once, listing every constant column; those columns are set to ``hi``.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 5, "min-max";
    COINr ``n_minmax`` (Becker et al. 2022, https://doi.org/10.21105/joss.04567).

    Examples
    --------
    >>> minmax([[1.0, 10.0], [2.0, 30.0], [3.0, np.nan]], [1, -1])
    array([[0. , 1. ],
           [0.5, 0. ],
           [1. , nan]])
    """
    A = _as_matrix(X, "minmax")
    m = A.shape[1]
    d = _as_directions(directions, m, "minmax", moderate=True)
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise ValueError(f"minmax: need lo < hi, got lo={lo}, hi={hi}.")
    t: FloatArray | None = None
    if (d == 0).any():
        if optimum is None:
            cols = np.flatnonzero(d == 0).tolist()
            raise ValueError(
                f"minmax: column(s) {cols} are moderate (direction 0) but no optimum was given; "
                "pass optimum=[...] with the optimum value of each moderate indicator."
            )
        t = _per_column(optimum, m, "optimum", "minmax")
        missing = np.flatnonzero((d == 0) & ~np.isfinite(t))
        if missing.size:
            raise ValueError(
                f"minmax: moderate column(s) {missing.tolist()} have no finite optimum; "
                "give optimum[j] for every column with direction 0."
            )
    Y, const = _minmax_core(A, d, lo, hi, t)
    _warn_constant("minmax", const, f"they are set to hi={hi:g} for every unit")
    return Y


def dist2max(X: ArrayLike, directions: ArrayLike) -> FloatArray:
    r"""Distance to the maximum: :math:`y = 1 - (\max x - x)/(\max x - \min x)`.

    COINr's ``n_dist2max``; on ``[0, 1]`` it coincides with :func:`minmax`.  Negative
    indicators are multiplied by -1 first.

    .. math::

        y_{ij} = 1 - \frac{\max_k x_{kj} - x_{ij}}{\max_k x_{kj} - \min_k x_{kj}}

    Parameters
    ----------
    X : array_like, shape (n, m)
    directions : array_like, shape (m,)
        +1 or -1.

    Returns
    -------
    ndarray, shape (n, m)
        Values in [0, 1]; constant columns are 1 (with a ``ConstantColumnWarning``).

    References
    ----------
    COINr ``n_dist2max`` (Becker et al. 2022, https://doi.org/10.21105/joss.04567).

    Examples
    --------
    >>> dist2max([[2.0], [4.0], [10.0]], [1])
    array([[0.  ],
           [0.25],
           [1.  ]])
    """
    A = _as_matrix(X, "dist2max")
    d = _as_directions(directions, A.shape[1], "dist2max")
    Z = A * d
    mn, mx = _col_min_max(Z)
    rng = mx - mn
    const = np.flatnonzero(rng == 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = 1.0 - (mx - Z) / rng
    if const.size:
        Y[:, const] = np.where(np.isnan(A[:, const]), np.nan, 1.0)
    _warn_constant("dist2max", const.tolist(), "they are set to 1 for every unit")
    return Y


def zscore(
    X: ArrayLike,
    directions: ArrayLike,
    ddof: int = 1,
    m: float = 0.0,
    s: float = 1.0,
) -> FloatArray:
    r"""Standardisation (z-score), optionally rescaled to mean ``m`` and spread ``s``.

    .. math::

        y_{ij} = m + s\, d_j\,\frac{x_{ij} - \bar x_j}{\mathrm{sd}_j},\qquad
        \mathrm{sd}_j = \sqrt{\tfrac{1}{n_j - \mathrm{ddof}}\sum_i (x_{ij} - \bar x_j)^2}

    over the :math:`n_j` non-missing values of column j.

    Parameters
    ----------
    X : array_like, shape (n, m)
    directions : array_like, shape (m,)
        +1 or -1 (a negative indicator's z-score changes sign).
    ddof : int
        Delta degrees of freedom of the standard deviation (1 = sample sd, the default).
    m, s : float
        Location and scale of the result (``m + s*z``), e.g. ``m=100, s=10``.

    Returns
    -------
    ndarray, shape (n, m)
        A constant column (or one with at most ``ddof`` values) is set to ``m`` (z = 0), with a
        ``ConstantColumnWarning``.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 5, "standardisation";
    COINr ``n_zscore``.

    Examples
    --------
    >>> zscore([[1.0], [2.0], [3.0]], [1])
    array([[-1.],
           [ 0.],
           [ 1.]])
    """
    A = _as_matrix(X, "zscore")
    ncol = A.shape[1]
    d = _as_directions(directions, ncol, "zscore")
    ok = ~np.isnan(A)
    cnt = ok.sum(axis=0)
    mean = np.zeros(ncol)
    np.divide(np.nansum(A, axis=0), cnt, out=mean, where=cnt > 0)
    mn, mx = _col_min_max(A)
    dof = cnt - ddof
    constant = ((mx - mn) == 0.0) | ((dof <= 0) & (cnt > 0))
    Y = np.subtract(A, mean)
    ss = np.nansum(Y * Y, axis=0)
    sd = np.zeros(ncol)
    np.sqrt(np.divide(ss, dof, out=np.zeros(ncol), where=dof > 0), out=sd)
    scale = np.zeros(ncol)
    np.divide(s * d, sd, out=scale, where=(sd > 0) & ~constant)
    Y *= scale
    Y += m
    const = np.flatnonzero(constant)
    if const.size:
        Y[:, const] = np.where(np.isnan(A[:, const]), np.nan, m)
    _warn_constant("zscore", const.tolist(), f"they are set to m={m:g} (z = 0) for every unit")
    return Y


def vector(X: ArrayLike) -> FloatArray:
    r"""Vector (Euclidean) normalisation, the classic TOPSIS normalisation.

    .. math::

        r_{ij} = \frac{x_{ij}}{\sqrt{\sum_k x_{kj}^2}}

    (sum over the non-missing values).  Directions are not applied: TOPSIS handles them through
    its ideal and anti-ideal points.

    Parameters
    ----------
    X : array_like, shape (n, m)

    Returns
    -------
    ndarray, shape (n, m)
        A column whose values are all zero is returned as zeros, with a
        ``ConstantColumnWarning``.

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making*. Lecture Notes in
    Economics and Mathematical Systems 186, Springer, pp. 128-140 (TOPSIS).
    https://doi.org/10.1007/978-3-642-48318-9

    Examples
    --------
    >>> vector([[3.0], [4.0]])
    array([[0.6],
           [0.8]])
    """
    A = _as_matrix(X, "vector")
    norm = np.sqrt(np.nansum(A * A, axis=0))
    has_values = (~np.isnan(A)).any(axis=0)
    zero = np.flatnonzero((norm == 0.0) & has_values)
    inv = np.zeros_like(norm)
    np.divide(1.0, norm, out=inv, where=norm > 0)
    Y = A * inv
    _warn_constant("vector", zero.tolist(), "all their values are 0, so they are returned as 0")
    return Y


def target(
    X: ArrayLike,
    targets: ArrayLike,
    directions: ArrayLike,
    cap: float | None = None,
) -> FloatArray:
    r"""Completion rate against a target (目标完成率): ``x/t``, or ``t/x`` for negative indicators.

    .. math::

        y_{ij} = \frac{x_{ij}}{t_{ij}}\ (d_j = +1), \qquad
        y_{ij} = \frac{t_{ij}}{x_{ij}}\ (d_j = -1), \qquad
        y_{ij} \leftarrow \min(y_{ij}, \mathrm{cap}).

    Parameters
    ----------
    X : array_like, shape (n, m)
    targets : array_like, shape (m,) or (n, m)
        One target per indicator, or per unit and indicator (个性化目标); must be > 0
        (NaN = no target, the result is NaN).
    directions : array_like, shape (m,)
        +1 or -1.
    cap : float, optional
        Upper bound of the rate (e.g. 1.0, or 1.2 where over-fulfilment is rewarded).

    Returns
    -------
    ndarray, shape (n, m)

    Raises
    ------
    ValueError
        A target <= 0, a value <= 0 in a negative column (``t/x`` undefined), or ``cap <= 0``.

    References
    ----------
    The completion rate (目标完成率法) of Chinese official assessments (``shared/METHODS.md``,
    "Official scoring rules: completion"); OECD/JRC (2008) Handbook, Step 5, "distance to a
    reference" (ratio form).

    Examples
    --------
    >>> target([[50.0, 8.0], [120.0, 4.0]], [100.0, 4.0], [1, -1], cap=1.0)
    array([[0.5, 0.5],
           [1. , 1. ]])
    """
    A = _as_matrix(X, "target")
    n, m = A.shape
    d = _as_directions(directions, m, "target")
    T = np.asarray(targets, dtype=np.float64)
    if T.shape not in ((m,), (n, m)):
        raise ValueError(f"target: targets must have shape ({m},) or ({n}, {m}), got {T.shape}.")
    T2 = np.broadcast_to(T, (n, m))
    bad_t = T2 <= 0
    if bad_t.any():
        i, j = (int(v) for v in np.argwhere(bad_t)[0])
        raise ValueError(
            f"target: the target for unit {i}, indicator {j} is {float(T2[i, j])!r}; targets "
            "must be > 0 (use goalposts or minmax for indicators without a positive target)."
        )
    if cap is not None and not cap > 0:
        raise ValueError(f"target: cap must be > 0, got {cap!r}.")
    neg = d < 0
    bad_x = (A <= 0) & neg
    if bad_x.any():
        i, j = (int(v) for v in np.argwhere(bad_x)[0])
        raise ValueError(
            f"target: X[{i}, {j}] = {float(A[i, j])!r} in a negative indicator, where the rate is "
            "target / x and needs x > 0; use goalposts or minmax for this indicator."
        )
    Y = np.where(neg, T2 / np.where(neg, A, 1.0), A / T2)
    if cap is not None:
        np.minimum(Y, cap, out=Y)  # NaN stays NaN
    return Y


def rank(X: ArrayLike, directions: ArrayLike) -> FloatArray:
    r"""Percentile rank: :math:`(r - 1)/(n_j - 1)`, ties at the minimum rank.

    .. math::

        y_{ij} = \frac{r_{ij} - 1}{n_j - 1},\qquad
        r_{ij} = 1 + \#\{k : d_j x_{kj} < d_j x_{ij}\}

    where :math:`n_j` is the number of non-missing values of column j, so the worst unit gets 0
    and the best 1; tied units share the lowest of their ranks.

    Parameters
    ----------
    X : array_like, shape (n, m)
    directions : array_like, shape (m,)
        +1 or -1.

    Returns
    -------
    ndarray, shape (n, m)
        Values in [0, 1]; a constant column (or one with a single value) is 1 for every unit,
        with a ``ConstantColumnWarning``.

    References
    ----------
    COINr ``n_prank`` (percentile ranks); OECD/JRC (2008) Handbook, Step 5, "ranking".

    Examples
    --------
    >>> rank([[1.0], [2.0], [2.0], [5.0]], [1])
    array([[0.        ],
           [0.33333333],
           [0.33333333],
           [1.        ]])
    """
    A = _as_matrix(X, "rank")
    d = _as_directions(directions, A.shape[1], "rank")
    Z = A * d
    Y = np.full_like(Z, np.nan)
    const: list[int] = []
    for j in range(Z.shape[1]):  # loop over indicators only; each column is one sort
        col = Z[:, j]
        ok = ~np.isnan(col)
        v = col[ok]
        if v.size == 0:
            continue
        s = np.sort(v)
        if s[0] == s[-1]:
            Y[ok, j] = 1.0
            const.append(j)
            continue
        below = np.searchsorted(s, v, side="left")  # number of values strictly smaller
        Y[ok, j] = below / (v.size - 1)
    _warn_constant("rank", const, "they are set to 1 for every unit")
    return Y


def goalposts(
    X: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    directions: ArrayLike,
) -> FloatArray:
    r"""Goalposts (HDI / SDG-index form), truncated to [0, 1].

    .. math::

        y_{ij} = \operatorname{clip}\!\left(\frac{x_{ij} - L_j}{U_j - L_j}, 0, 1\right)
        \ (d_j = +1), \qquad
        y_{ij} = \operatorname{clip}\!\left(\frac{U_j - x_{ij}}{U_j - L_j}, 0, 1\right)
        \ (d_j = -1).

    Parameters
    ----------
    X : array_like, shape (n, m)
    lower, upper : array_like, shape (m,) or scalar
        The goalposts :math:`L_j < U_j`, in the indicator's own units.
    directions : array_like, shape (m,)
        +1 or -1.

    Returns
    -------
    ndarray, shape (n, m)

    References
    ----------
    UNDP (2020), *Human Development Report, Technical notes* (dimension indices);
    Sachs, J. et al. (2022), *Sustainable Development Report*, methodology (SDG Index);
    COINr ``n_goalposts``.

    Examples
    --------
    >>> goalposts([[20.0, 5.0], [85.0, 50.0]], [25.0, 0.0], [85.0, 40.0], [1, -1])
    array([[0.   , 0.875],
           [1.   , 0.   ]])
    """
    A = _as_matrix(X, "goalposts")
    m = A.shape[1]
    d = _as_directions(directions, m, "goalposts")
    L = _per_column(lower, m, "lower", "goalposts")
    U = _per_column(upper, m, "upper", "goalposts")
    bad = ~(U > L)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"goalposts: indicator {j} has lower={float(L[j])!r}, upper={float(U[j])!r}; the "
            "goalposts need lower < upper (for a negative indicator too, give the smaller "
            "value as lower)."
        )
    Y = np.where(d > 0, A - L, U - A) / (U - L)
    np.clip(Y, 0.0, 1.0, out=Y)
    return Y


def fracmax(X: ArrayLike, directions: ArrayLike) -> FloatArray:
    r"""Fraction of the best value: ``x / max`` (negative indicators: ``min / x``).

    .. math::

        y_{ij} = \frac{x_{ij}}{\max_k x_{kj}}\ (d_j = +1), \qquad
        y_{ij} = \frac{\min_k x_{kj}}{x_{ij}}\ (d_j = -1).

    For negative indicators this inverts the ratio instead of COINr's "multiply by -1" rule,
    which would make ``-x / max(-x)`` grow with ``x``; both forms need positive data.

    Parameters
    ----------
    X : array_like, shape (n, m)
        Positive values (every non-missing value of a column must be > 0).
    directions : array_like, shape (m,)
        +1 or -1.

    Returns
    -------
    ndarray, shape (n, m)
        Values in (0, 1], the best unit gets 1.

    Raises
    ------
    ValueError
        A column with a non-missing value <= 0.

    References
    ----------
    COINr ``n_fracmax``; the 极值法 ratio forms x/max and min/x of the Chinese evaluation
    literature.

    Examples
    --------
    >>> fracmax([[2.0, 2.0], [4.0, 8.0]], [1, -1])
    array([[0.5 , 1.  ],
           [1.  , 0.25]])
    """
    A = _as_matrix(X, "fracmax")
    d = _as_directions(directions, A.shape[1], "fracmax")
    bad = A <= 0
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"fracmax: X[{i}, {j}] = {float(A[i, j])!r}; x/max needs positive values. Use minmax "
            "(or shift the indicator) for indicators that can be zero or negative."
        )
    mn, mx = _col_min_max(A)
    return np.where(d > 0, A / mx, mn / A)


def moderate_to_positive(
    X: ArrayLike, directions: ArrayLike, optimum: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    r"""Turn moderate (适度) indicators into positive ones: the negated distance to the optimum.

    .. math::

        x'_{ij} = -|x_{ij} - t_j| \quad (d_j = 0), \qquad d'_j = +1;

    other columns are copied unchanged.  Use it before the normalisers (and weights) that only
    know +1 and -1.

    Parameters
    ----------
    X : array_like, shape (n, m)
    directions : array_like, shape (m,)
        +1, -1 or 0.
    optimum : array_like, shape (m,)
        Optimum :math:`t_j` of each moderate column (NaN elsewhere).

    Returns
    -------
    X2 : ndarray, shape (n, m)
        A new array.
    directions2 : ndarray, shape (m,)
        ``directions`` with every 0 replaced by +1.

    Examples
    --------
    >>> X2, d2 = moderate_to_positive([[1.0, 5.0], [2.0, 9.0]], [1, 0], [np.nan, 6.0])
    >>> X2
    array([[ 1., -1.],
           [ 2., -3.]])
    >>> d2
    array([1., 1.])
    """
    A = _as_matrix(X, "moderate_to_positive")
    m = A.shape[1]
    d = _as_directions(directions, m, "moderate_to_positive", moderate=True)
    t = _per_column(optimum, m, "optimum", "moderate_to_positive")
    mod = np.flatnonzero(d == 0)
    missing = mod[~np.isfinite(t[mod])]
    if missing.size:
        raise ValueError(
            f"moderate_to_positive: moderate column(s) {missing.tolist()} have no finite "
            "optimum; give optimum[j] for every column with direction 0."
        )
    X2 = A.copy()
    X2[:, mod] = -np.abs(A[:, mod] - t[mod])
    d2 = d.copy()
    d2[mod] = 1.0
    return X2, d2


# --------------------------------------------------------------------------------------------
# outlier treatment
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnTreatment:
    """What :func:`treat` did to one indicator column.

    Attributes
    ----------
    column : int
        Zero-based column index.
    action : {"none", "winsorised", "log"}
        ``"none"``: the column passed, or has fewer than 4 non-missing values (kurtosis
        undefined) and cannot be assessed;
        ``"winsorised"``: extreme values were pulled in until it passed; ``"log"``:
        winsorisation with ``max_points`` points was not enough, so the *original* column was
        log-transformed.
    points : int
        Number of cells winsorised (0 unless ``action == "winsorised"``).
    changes : tuple of (row, col, old, new)
        Every cell whose value changed.
    skew_before, kurt_before, skew_after, kurt_after : float
        Bias-corrected sample skewness and excess kurtosis before and after (NaN when there
        are fewer than 3, resp. 4, non-missing values).
    passes : bool
        Whether the treated column meets the thresholds (a log-transformed column may still
        fail; it is then reported, not treated further).
    """

    column: int
    action: Literal["none", "winsorised", "log"]
    points: int
    changes: tuple[tuple[int, int, float, float], ...]
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    passes: bool


@dataclass(frozen=True)
class TreatmentReport:
    """The per-column record of :func:`treat`, and the thresholds it used."""

    columns: tuple[ColumnTreatment, ...]
    skew_max: float
    kurt_max: float
    max_points: int

    @property
    def changes(self) -> tuple[tuple[int, int, float, float], ...]:
        """All changed cells ``(row, col, old, new)``, column by column."""
        return tuple(c for col in self.columns for c in col.changes)

    @property
    def treated(self) -> tuple[int, ...]:
        """Indices of the columns that were winsorised or log-transformed."""
        return tuple(c.column for c in self.columns if c.action != "none")


def _skew_kurt(v: FloatArray) -> tuple[float, float]:
    """Bias-corrected sample skewness G1 and excess kurtosis G2 of the non-missing values.

    The estimators of Excel's SKEW/KURT and pandas' ``skew``/``kurt`` (Joanes & Gill 1998):
    G1 needs n >= 3 and G2 n >= 4 (NaN otherwise); a constant sample gives 0, as in pandas.
    """
    x = v[~np.isnan(v)]
    n = x.size
    if n < 3:
        return math.nan, math.nan
    if x.min() == x.max():
        return 0.0, (0.0 if n >= 4 else math.nan)
    dev = x - x.mean()
    d2 = dev * dev
    m2 = float(d2.mean())
    m3 = float((d2 * dev).mean())
    m4 = float((d2 * d2).mean())
    g1 = m3 / m2**1.5
    skew = math.sqrt(n * (n - 1)) / (n - 2) * g1
    if n < 4:
        return skew, math.nan
    g2 = m4 / (m2 * m2) - 3.0
    kurt = ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurt


def _passes(skew: float, kurt: float, skew_max: float, kurt_max: float) -> bool:
    if math.isnan(skew) or math.isnan(kurt):
        return True  # too few values to assess: leave the column alone
    return abs(skew) < skew_max or kurt < kurt_max


def treat(
    X: ArrayLike,
    skew_max: float = 2.0,
    kurt_max: float = 3.5,
    max_points: int = 5,
) -> tuple[FloatArray, TreatmentReport]:
    r"""Outlier treatment as in the JRC/OECD practice and COINr's defaults.

    Each column is assessed with the bias-corrected sample skewness and excess kurtosis

    .. math::

        G_1 = \frac{\sqrt{n(n-1)}}{n-2}\,\frac{m_3}{m_2^{3/2}},\qquad
        G_2 = \frac{n-1}{(n-2)(n-3)}\left((n+1)\left(\frac{m_4}{m_2^2} - 3\right) + 6\right)

    (:math:`m_k` the central moments of the :math:`n` non-missing values; Excel's SKEW/KURT,
    pandas' ``skew``/``kurt``).  A column passes when :math:`|G_1| <` ``skew_max`` **or**
    :math:`G_2 <` ``kurt_max``.  A failing column is winsorised one step at a time: the maximum
    (when :math:`G_1 \ge 0`) or the minimum (when :math:`G_1 < 0`) is replaced by the next
    value inward, all cells tied at that extreme together; :math:`G_1, G_2` are recomputed after
    each step, and the steps stop when the column passes or ``max_points`` cells have been
    changed.  As in COINr, one step moves every tied cell, so the count can pass
    ``max_points`` by the size of the last tie.  If the column still fails, the winsorisation is
    discarded and the *original* column is transformed instead:

    .. math::

        x' = \ln\bigl(x - \min x + 0.01(\max x - \min x)\bigr).

    Parameters
    ----------
    X : array_like, shape (n, m)
        Raw values; NaN = missing (ignored, and left missing).
    skew_max : float
        Threshold on the absolute skewness (2.0).
    kurt_max : float
        Threshold on the excess kurtosis (3.5).
    max_points : int
        Maximum number of cells to winsorise per column (5).

    Returns
    -------
    X_treated : ndarray, shape (n, m)
        A new array.
    report : TreatmentReport
        Per column: the action, the cells changed ``(row, col, old, new)`` and skewness and
        kurtosis before and after.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 3 (outliers);
    COINr ``Treat``/``winsorise``/``log_CT`` (Becker et al. 2022,
    https://doi.org/10.21105/joss.04567); Joanes, D. N., Gill, C. A. (1998). Comparing measures
    of sample skewness and kurtosis. *The Statistician* 47(1), 183-189.
    https://doi.org/10.1111/1467-9884.00122

    Examples
    --------
    >>> x = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [100.0]])
    >>> Xt, report = treat(x)
    >>> report.columns[0].action, report.changes
    ('winsorised', ((6, 0, 100.0, 6.0),))
    """
    A = _as_matrix(X, "treat")
    if not skew_max > 0:
        raise ValueError(f"treat: skew_max must be > 0, got {skew_max!r}.")
    if not math.isfinite(kurt_max):
        raise ValueError(f"treat: kurt_max must be a finite number, got {kurt_max!r}.")
    if int(max_points) != max_points or max_points < 0:
        raise ValueError(f"treat: max_points must be a whole number >= 0, got {max_points!r}.")
    max_points = int(max_points)
    out = A.copy()
    records: list[ColumnTreatment] = []
    for j in range(A.shape[1]):
        orig = A[:, j]
        sk0, ku0 = _skew_kurt(orig)
        if _passes(sk0, ku0, skew_max, kurt_max):
            records.append(ColumnTreatment(j, "none", 0, (), sk0, ku0, sk0, ku0, True))
            continue
        x = orig.copy()
        ok = ~np.isnan(x)
        changed = np.zeros(x.size, dtype=bool)
        sk, ku = sk0, ku0
        while not _passes(sk, ku, skew_max, kurt_max) and int(changed.sum()) < max_points:
            vals = x[ok]
            extreme = vals.max() if sk >= 0 else vals.min()
            at = ok & (x == extreme)
            rest = x[ok & ~at]
            if rest.size == 0:
                break  # nothing left inward (cannot happen for a failing column)
            x[at] = rest.max() if sk >= 0 else rest.min()
            changed |= at
            sk, ku = _skew_kurt(x)
        if _passes(sk, ku, skew_max, kurt_max):
            rows = np.flatnonzero(changed)
            out[:, j] = x
            changes = tuple((int(i), j, float(orig[i]), float(x[i])) for i in rows)
            records.append(
                ColumnTreatment(j, "winsorised", int(rows.size), changes, sk0, ku0, sk, ku, True)
            )
            continue
        lo, hi = float(orig[ok].min()), float(orig[ok].max())
        logged = np.log(orig - lo + 0.01 * (hi - lo))  # NaN stays NaN
        out[:, j] = logged
        sk2, ku2 = _skew_kurt(logged)
        changes = tuple((int(i), j, float(orig[i]), float(logged[i])) for i in np.flatnonzero(ok))
        records.append(
            ColumnTreatment(
                j, "log", 0, changes, sk0, ku0, sk2, ku2, _passes(sk2, ku2, skew_max, kurt_max)
            )
        )
    return out, TreatmentReport(tuple(records), float(skew_max), float(kurt_max), max_points)
