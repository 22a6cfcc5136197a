r"""Inequality: the Gini coefficient, Dagum's decomposition of it, Theil's T and L, the CV.

The measures of regional gaps (区域差异) that county-development papers report: how unequal the
units' scores are overall, and how much of it lies within groups of units (a category, a city)
and how much between them.  All kernels take a 1-D array ``y`` of values (one per unit) and,
for a decomposition, an equally long array of group labels; they return floats or small frozen
dataclasses of NumPy arrays.  No pandas: :mod:`kaoping.analysis.inequality` puts the unit and
group labels back.

* :func:`gini` -- :math:`G = \sum_i \sum_r |y_i - y_r| / (2 n^2 \mu)`, computed in
  :math:`O(n \log n)` from the sorted values.
* :func:`dagum` -- Dagum's (1997) decomposition :math:`G = G_w + G_{nb} + G_t` into
  within-group inequality, net between-group inequality and transvariation (the overlap of
  the groups' distributions), with the within-group :math:`G_{jj}`, the between-group
  :math:`G_{jh}` and the relative economic affluence :math:`D_{jh}` of every pair of groups.
  :math:`O(n \log n + n g)` for :math:`g` groups, by one sort and one sweep with running sums
  (never the :math:`n^2` pairs).
* :func:`theil_t`, :func:`theil_l` -- Theil's T and L (the mean log deviation) with their exact
  between/within decompositions.
* :func:`cv` -- the coefficient of variation, population standard deviation by default.

Values must be finite; the Gini coefficient and Dagum's decomposition need :math:`y \ge 0`
with a positive mean, the Theil indices :math:`y > 0` (a logarithm of every value).  A bad
value raises :class:`ValueError` naming its position.  See ``METHODS.md``, "The researcher's
analyses".

References
----------
.. [Dagum1997] Dagum, C. (1997). A new approach to the decomposition of the Gini income
   inequality ratio. *Empirical Economics* 22(4), 515-531. https://doi.org/10.1007/BF01205777
.. [Theil1967] Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.
.. [Shorrocks1980] Shorrocks, A. F. (1980). The class of additively decomposable inequality
   measures. *Econometrica* 48(3), 613-625. https://doi.org/10.2307/1913126
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods._common import FloatArray

__all__ = ["Dagum", "Theil", "cv", "dagum", "gini", "theil_l", "theil_t"]

IntArray = NDArray[np.int64]

# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------


def _as_values(
    y: ArrayLike, func: str, *, rule: Literal["nonnegative", "positive", "any"]
) -> FloatArray:
    """``y`` as a 1-D float64 array; every value finite and, per ``rule``, >= 0 or > 0."""
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(
            f"{func}: y must be a 1-D array of values (one per unit), got an array of shape "
            f"{arr.shape}; pass one period's values, e.g. y[:, t]."
        )
    if arr.size == 0:
        raise ValueError(f"{func}: y is empty; pass the values of at least one unit.")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{func}: y[{i}] is {float(arr[i])!r}; every value must be a finite number. Drop the "
            "units without a value (kaoping.analysis.inequality does) or fill them in."
        )
    if rule == "positive":
        bad = arr <= 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{func}: y[{i}] is {float(arr[i])!r}; Theil's indices take the logarithm of every "
                "value, so every value must be > 0. Use scores that are positive (e.g. min-max "
                "normalisation onto [lo, hi] with lo > 0) or report the Gini coefficient."
            )
    elif rule == "nonnegative":
        bad = arr < 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{func}: y[{i}] is {float(arr[i])!r}; the Gini coefficient compares non-negative "
                "amounts, so every value must be >= 0. Use non-negative scores (min-max "
                "normalisation, not z-scores)."
            )
    if rule != "any" and not arr.sum() > 0:
        raise ValueError(
            f"{func}: every value of y is 0, so the mean is 0 and relative inequality is "
            "undefined; check that the right values were passed."
        )
    return arr


def _as_groups(groups: ArrayLike | None, n: int, func: str) -> tuple[NDArray[Any], IntArray]:
    """The sorted distinct labels of ``groups`` and each unit's code into them."""
    if groups is None:
        return np.zeros(1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    arr = np.asarray(groups)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"{func}: groups must be a 1-D array with one label per value of y ({n}), got "
            f"shape {arr.shape}."
        )
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype.kind == "O":
        missing = np.fromiter(
            (v is None or (isinstance(v, float) and v != v) for v in arr), bool, count=n
        )
    else:
        missing = np.zeros(n, dtype=bool)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{func}: groups[{i}] is missing ({arr[i]!r}); every unit needs a group label. "
            "Drop the units without one or give them a group."
        )
    try:
        labels, codes = np.unique(arr, return_inverse=True)
    except TypeError:
        raise ValueError(
            f"{func}: the group labels cannot be sorted (mixed kinds such as numbers and "
            "text); give every label as text, e.g. groups.astype(str)."
        ) from None
    return labels, codes.reshape(-1).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Gini and CV
# --------------------------------------------------------------------------------------------


def _gini_sorted(x: FloatArray) -> float:
    """The Gini coefficient of already sorted (ascending) values with a positive sum.

    The coefficients 2k - n - 1 sum to 0, so the smallest value is subtracted first: the same
    number, with less cancellation, and exactly 0 for equal values (0.1 five times would
    otherwise give -2e-17)."""
    n = x.size
    k = np.arange(1, n + 1, dtype=np.float64)
    return float(np.dot(2.0 * k - (n + 1), x - x[0]) / (n * x.sum()))


def gini(y: ArrayLike) -> float:
    r"""The Gini coefficient of ``y`` (relative mean absolute difference over 2).

    .. math::

        G = \frac{\sum_{i=1}^n \sum_{r=1}^n |y_i - y_r|}{2 n^2 \mu}
          = \frac{\sum_{k=1}^n (2k - n - 1)\, y_{(k)}}{n^2 \mu}

    with :math:`\mu` the mean and :math:`y_{(1)} \le \dots \le y_{(n)}` the sorted values (the
    second form is the first summed over the sorted order: :math:`y_{(k)}` is larger than the
    :math:`k - 1` values before it and smaller than the :math:`n - k` after it).  No small-sample
    factor :math:`n/(n-1)`: :math:`G = 0` when all values are equal and
    :math:`G = 1 - 1/n` when one unit holds everything.

    Parameters
    ----------
    y : array_like, shape (n,)
        Finite values >= 0 with a positive mean.

    Returns
    -------
    float
        G in :math:`[0, 1 - 1/n]`.

    Raises
    ------
    ValueError
        ``y`` is not 1-D, is empty, has a non-finite or negative value (its position is
        named), or is all zeros.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna: C. Cuppini.  The form used here is
    that of [Dagum1997]_ and of PySAL's ``inequality.gini.Gini`` (whose published value for
    Mexico's states, 1940, it reproduces).

    Examples
    --------
    >>> round(gini([1.0, 2.0, 3.0, 6.0]), 6)  # sum |y_i - y_r| = 32, 2 n^2 mu = 96
    0.333333
    >>> gini([5.0, 5.0, 5.0])
    0.0
    """
    x = np.sort(_as_values(y, "gini", rule="nonnegative"))
    return _gini_sorted(x)


def cv(y: ArrayLike, ddof: int = 0) -> float:
    r"""The coefficient of variation of ``y``: its standard deviation over its mean.

    .. math::

        CV = \frac{1}{\mu} \sqrt{\frac{1}{n - \mathrm{ddof}} \sum_{i=1}^n (y_i - \mu)^2}

    ``ddof=0`` (the default) is the population standard deviation, the one papers on regional
    gaps and sigma convergence use (the units are all counties, not a sample of them);
    ``ddof=1`` is the sample standard deviation (what pandas' ``std`` gives by default).

    Parameters
    ----------
    y : array_like, shape (n,)
        Finite values with a positive mean.
    ddof : int
        Delta degrees of freedom, 0 (population, default) or 1 (sample); n must exceed it.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        A non-finite value (its position named), a mean <= 0, or ``ddof`` not 0 or 1 or not
        smaller than n.

    References
    ----------
    Williamson, J. G. (1965). Regional inequality and the process of national development.
    *Economic Development and Cultural Change* 13(4), 1-84. https://doi.org/10.1086/450136
    (the unweighted coefficient of variation of regional income).

    Examples
    --------
    >>> cv([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])  # sd 2 (population), mean 5
    0.4
    >>> round(cv([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], ddof=1), 6)  # sd sqrt(32/7)
    0.427618
    """
    if ddof not in (0, 1):
        raise ValueError(
            f"cv: ddof must be 0 (population standard deviation) or 1 (sample), got {ddof!r}."
        )
    x = _as_values(y, "cv", rule="any")
    if x.size <= ddof:
        raise ValueError(
            f"cv: ddof={ddof} needs more than {ddof} value(s), got {x.size}; use ddof=0."
        )
    mu = float(x.mean())
    if not mu > 0:
        raise ValueError(
            f"cv: the mean of y is {mu!r}; the coefficient of variation needs a positive mean. "
            "Use positive scores (e.g. min-max normalisation)."
        )
    return float(x.std(ddof=ddof) / mu)


# --------------------------------------------------------------------------------------------
# Dagum's decomposition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Dagum:
    r"""Dagum's (1997) decomposition of the Gini coefficient, :math:`G = G_w + G_{nb} + G_t`.

    Groups are ordered by increasing mean (ties: by label), as Dagum orders them, so that for
    :math:`j > h`, :math:`\mu_j \ge \mu_h` and :math:`D_{jh} \ge 0`.  The (g, g) matrices are
    indexed in that order.

    Attributes
    ----------
    groups : ndarray, shape (g,)
        The group labels, by increasing mean.
    n : ndarray of int, shape (g,)
        :math:`n_j`, units per group.
    mean : ndarray, shape (g,)
        :math:`\mu_j`.
    p, s : ndarray, shape (g,)
        Population shares :math:`p_j = n_j / n` and value shares
        :math:`s_j = n_j \mu_j / (n \mu)`.
    gini, within, net_between, transvariation : float
        :math:`G`, :math:`G_w`, :math:`G_{nb}`, :math:`G_t`.
    gini_jh : ndarray, shape (g, g)
        :math:`G_{jh}`, symmetric; its diagonal is the within-group :math:`G_{jj}`.
    d : ndarray, shape (g, g)
        :math:`d_{jh}`, the mean over all pairs of :math:`\max(y_{ji} - y_{hr}, 0)`; Dagum's
        :math:`q_{jh}` (:math:`p_{jh}` in some papers) is ``d[h, j]`` (see :attr:`q`).
    D : ndarray, shape (g, g)
        :math:`D_{jh} = (d_{jh} - q_{jh}) / (d_{jh} + q_{jh})`, antisymmetric, 0 on the
        diagonal and where the two groups are identical constants.
    within_jj : ndarray, shape (g,)
        Each group's term of :math:`G_w`: :math:`G_{jj} p_j s_j`.
    net_between_jh, transvariation_jh : ndarray, shape (g, g)
        Each pair's term of :math:`G_{nb}` and :math:`G_t` below the diagonal (:math:`j > h`),
        0 on and above it.
    """

    groups: NDArray[Any]
    n: IntArray
    mean: FloatArray
    p: FloatArray
    s: FloatArray
    gini: float
    within: float
    net_between: float
    transvariation: float
    gini_jh: FloatArray
    d: FloatArray
    D: FloatArray
    within_jj: FloatArray
    net_between_jh: FloatArray
    transvariation_jh: FloatArray

    @property
    def q(self) -> FloatArray:
        r""":math:`q_{jh}`: the mean over all pairs of :math:`\max(y_{hr} - y_{ji}, 0)`."""
        return self.d.T.copy()

    @property
    def within_gini(self) -> FloatArray:
        """:math:`G_{jj}` of each group (the diagonal of :attr:`gini_jh`)."""
        return np.diag(self.gini_jh).copy()

    @property
    def between(self) -> float:
        r"""The gross between-group part :math:`G_b = G_{nb} + G_t`."""
        return self.net_between + self.transvariation

    @property
    def shares(self) -> tuple[float, float, float]:
        """:math:`G_w / G`, :math:`G_{nb} / G`, :math:`G_t / G` (NaN when G = 0)."""
        if self.gini == 0:
            return (float("nan"),) * 3
        return (
            self.within / self.gini,
            self.net_between / self.gini,
            self.transvariation / self.gini,
        )


@numba.njit(cache=True)
def _pair_sums(ys: FloatArray, cs: IntArray, g: int) -> FloatArray:  # pragma: no cover - numba
    r"""A[j, h] = sum over i in group j, r in group h with y_r < y_i of (y_i - y_r).

    ``ys`` are the values sorted ascending and ``cs`` their group codes (0..g-1).  One sweep
    up the sorted values keeps, per group h, the count and the sum of the values met so far;
    a unit with value v exceeds them by ``count[h] * v - sum[h]`` in total.  Equal values are
    taken as one run (each adds what lies strictly below it before any of the run is counted),
    so that ties add exactly 0, not rounding noise.  This is the sorted merge of every pair of
    groups at once: O(n g) after the sort, and the n^2 differences are never formed.
    """
    A = np.zeros((g, g))
    count = np.zeros(g)
    total = np.zeros(g)
    n = ys.size
    k = 0
    while k < n:
        v = ys[k]
        end = k + 1
        while end < n and ys[end] == v:
            end += 1
        for i in range(k, end):
            j = cs[i]
            for h in range(g):
                A[j, h] += count[h] * v - total[h]
        for i in range(k, end):
            count[cs[i]] += 1.0
            total[cs[i]] += v
        k = end
    return np.maximum(A, 0.0)  # >= 0 exactly; rounding of values a few ulps apart aside


def dagum(y: ArrayLike, groups: ArrayLike) -> Dagum:
    r"""Dagum's decomposition of the Gini coefficient by groups of units.

    With :math:`g` groups ordered by mean (:math:`\mu_1 \le \dots \le \mu_g`), :math:`n_j` units
    and values :math:`y_{ji}` in group :math:`j`:

    .. math::

        G_{jj} &= \frac{\sum_{i} \sum_{r} |y_{ji} - y_{jr}|}{2 n_j^2 \mu_j}, \qquad
        G_{jh} = \frac{\sum_{i} \sum_{r} |y_{ji} - y_{hr}|}{n_j n_h (\mu_j + \mu_h)},

        p_j &= n_j / n, \qquad s_j = n_j \mu_j / (n \mu),

        d_{jh} &= \frac{1}{n_j n_h} \sum_i \sum_r \max(y_{ji} - y_{hr}, 0), \qquad
        q_{jh} = \frac{1}{n_j n_h} \sum_i \sum_r \max(y_{hr} - y_{ji}, 0), \qquad
        D_{jh} = \frac{d_{jh} - q_{jh}}{d_{jh} + q_{jh}},

        G_w &= \sum_j G_{jj} p_j s_j, \qquad
        G_{nb} = \sum_{j > h} G_{jh} (p_j s_h + p_h s_j) D_{jh}, \qquad
        G_t = \sum_{j > h} G_{jh} (p_j s_h + p_h s_j) (1 - D_{jh}),

    and :math:`G = G_w + G_{nb} + G_t` exactly (:math:`G_w` collects the pairs within a group,
    :math:`G_{nb} + G_t` the pairs across groups: the weights are chosen so that each pair sum
    appears once over :math:`2 n^2 \mu`).  :math:`d_{jh}` and :math:`q_{jh}` are Dagum's
    integrals :math:`\int dF_j(y) \int_0^y (y - x) dF_h(x)` for the empirical distributions:
    :math:`d_{jh} - q_{jh} = \mu_j - \mu_h` and :math:`d_{jh} + q_{jh}` is the mean absolute
    difference between the groups.  :math:`G_t` measures transvariation: units of a poorer
    group above units of a richer one.

    Computed in :math:`O(n \log n + n g)`: one sort of all values, then one sweep up them that
    keeps each group's running count and sum, from which every unit's total excess over each
    group's smaller values follows (a sorted merge of all pairs of groups at once); the
    :math:`n^2` differences are never formed.  :math:`G` itself
    comes from the sorted values (:func:`gini`), independently of the group sums, so
    ``within + net_between + transvariation == gini`` is a check, met to rounding.

    A group whose values are all 0 has :math:`G_{jj}` = 0 (no difference within it) rather
    than 0/0; its terms in the decomposition are 0 either way.

    Parameters
    ----------
    y : array_like, shape (n,)
        Finite values >= 0 with a positive mean.
    groups : array_like, shape (n,)
        Each unit's group label (text or numbers, no missing labels).

    Returns
    -------
    Dagum

    Raises
    ------
    ValueError
        A bad value of ``y`` (as :func:`gini`), ``groups`` of the wrong length, a missing
        label (its position named), or labels that cannot be sorted.

    References
    ----------
    [Dagum1997]_ (the decomposition; the subpopulations ordered by mean; :math:`D_{jh}` as
    the relative economic affluence of group j over group h).  The formulas here are those of
    ``METHODS.md``; the paper itself was not at hand to check them line by line, so they were
    checked by double loops over every pair and by the identities
    :math:`G = G_w + G_{nb} + G_t` and :math:`d_{jh} - q_{jh} = \mu_j - \mu_h`.

    Examples
    --------
    Groups A = (1, 3) and B = (2, 6): G = 1/3 = 1/8 + 1/6 + 1/24 (worked out in
    ``tests/methods/test_inequality.py``).

    >>> res = dagum([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    >>> res.groups.tolist()
    ['A', 'B']
    >>> [round(v, 6) for v in (res.gini, res.within, res.net_between, res.transvariation)]
    [0.333333, 0.125, 0.166667, 0.041667]
    >>> round(float(res.D[1, 0]), 6)
    0.8
    """
    x = _as_values(y, "dagum", rule="nonnegative")
    labels, codes = _as_groups(groups, x.size, "dagum")
    n = x.size
    g = labels.size
    n_j = np.bincount(codes, minlength=g).astype(np.int64)
    tot_j = np.bincount(codes, weights=x, minlength=g)
    order = np.argsort(tot_j / n_j, kind="stable")  # by mean; ties keep the label order
    rank = np.empty(g, dtype=np.int64)
    rank[order] = np.arange(g)
    codes = rank[codes]
    labels, n_j, tot_j = labels[order], n_j[order], tot_j[order]
    mu_j = tot_j / n_j

    sort = np.argsort(x, kind="stable")
    xs = x[sort]
    total = _gini_sorted(xs)
    A = _pair_sums(xs, codes[sort], g)

    nn = np.outer(n_j, n_j).astype(np.float64)
    abs_sums = A + A.T  # sum of |y_ji - y_hr| over all pairs of groups j and h
    denom = nn * (mu_j[:, None] + mu_j[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        gini_jh = np.where(abs_sums > 0, abs_sums / denom, 0.0)
        d = A / nn
        spread = d + d.T
        D = np.where(spread > 0, (d - d.T) / spread, 0.0)

    mu = x.sum() / n
    p = n_j / n
    s = tot_j / (n * mu)
    weights = np.outer(p, s) + np.outer(s, p)  # p_j s_h + p_h s_j
    below = np.tril(np.ones((g, g), dtype=bool), k=-1)
    pair = np.where(below, gini_jh * weights, 0.0)
    net_jh = pair * D
    trans_jh = pair * (1.0 - D)
    within_jj = np.diag(gini_jh) * p * s
    return Dagum(
        groups=labels,
        n=n_j,
        mean=mu_j,
        p=p,
        s=s,
        gini=total,
        within=float(within_jj.sum()),
        net_between=float(net_jh.sum()),
        transvariation=float(trans_jh.sum()),
        gini_jh=gini_jh,
        d=d,
        D=D,
        within_jj=within_jj,
        net_between_jh=net_jh,
        transvariation_jh=trans_jh,
    )


# --------------------------------------------------------------------------------------------
# Theil
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Theil:
    r"""A Theil index and its exact decomposition into between- and within-group parts.

    Groups are in the order of their labels (sorted).

    Attributes
    ----------
    index : {"T", "L"}
        Theil's T or L (mean log deviation).
    total, between, within : float
        The index, :math:`T_b` (or :math:`L_b`) and :math:`T_w` (or :math:`L_w`);
        ``between + within == total`` to rounding.
    groups : ndarray, shape (g,)
        The group labels (a single group labelled 0 when none were given).
    n : ndarray of int, shape (g,)
    mean : ndarray, shape (g,)
    weight : ndarray, shape (g,)
        The decomposition's group weights: the value shares :math:`s_g = n_g \mu_g / (n \mu)`
        for T, the population shares :math:`n_g / n` for L.
    group_index : ndarray, shape (g,)
        Each group's own index :math:`T_g` (or :math:`L_g`).
    between_g, within_g : ndarray, shape (g,)
        Each group's term of the between part (:math:`s_g \ln(\mu_g/\mu)`, or
        :math:`(n_g/n) \ln(\mu/\mu_g)`; a term can be negative, their sum cannot) and of the
        within part (:math:`s_g T_g`, or :math:`(n_g/n) L_g`).
    """

    index: Literal["T", "L"]
    total: float
    between: float
    within: float
    groups: NDArray[Any]
    n: IntArray
    mean: FloatArray
    weight: FloatArray
    group_index: FloatArray
    between_g: FloatArray
    within_g: FloatArray

    @property
    def shares(self) -> tuple[float, float]:
        """``between / total`` and ``within / total`` (NaN when the index is 0)."""
        if self.total == 0:
            return (float("nan"), float("nan"))
        return (self.between / self.total, self.within / self.total)


def _theil(y: ArrayLike, groups: ArrayLike | None, index: Literal["T", "L"]) -> Theil:
    func = "theil_t" if index == "T" else "theil_l"
    x = _as_values(y, func, rule="positive")
    labels, codes = _as_groups(groups, x.size, func)
    n, g = x.size, labels.size
    n_j = np.bincount(codes, minlength=g).astype(np.int64)
    tot_j = np.bincount(codes, weights=x, minlength=g)
    mu = x.sum() / n
    mu_j = tot_j / n_j
    r = x / mu
    rj = x / mu_j[codes]  # each value over its group's mean
    if index == "T":
        total = float(np.mean(r * np.log(r)))
        group_index = np.bincount(codes, weights=rj * np.log(rj), minlength=g) / n_j
        weight = tot_j / (n * mu)
        between_g = weight * np.log(mu_j / mu)
    else:
        total = float(np.mean(-np.log(r)))
        group_index = np.bincount(codes, weights=-np.log(rj), minlength=g) / n_j
        weight = n_j / n
        between_g = weight * np.log(mu / mu_j)
    within_g = weight * group_index
    return Theil(
        index=index,
        total=total,
        between=float(between_g.sum()),
        within=float(within_g.sum()),
        groups=labels,
        n=n_j,
        mean=mu_j,
        weight=weight,
        group_index=group_index,
        between_g=between_g,
        within_g=within_g,
    )


def theil_t(y: ArrayLike, groups: ArrayLike | None = None) -> Theil:
    r"""Theil's T index and its between/within decomposition.

    .. math::

        T = \frac{1}{n} \sum_{i=1}^n \frac{y_i}{\mu} \ln \frac{y_i}{\mu}
          = \underbrace{\sum_g s_g \ln \frac{\mu_g}{\mu}}_{T_b}
          + \underbrace{\sum_g s_g T_g}_{T_w},
        \qquad s_g = \frac{n_g \mu_g}{n \mu},

    :math:`T_g` the index within group :math:`g`.  0 when all values are equal, at most
    :math:`\ln n`.

    Parameters
    ----------
    y : array_like, shape (n,)
        Finite values > 0.
    groups : array_like, shape (n,), optional
        Each unit's group label; without it, one group (``between == 0``).

    Returns
    -------
    Theil

    Raises
    ------
    ValueError
        A value that is not finite or not > 0 (its position named), or bad ``groups`` (as
        :func:`dagum`).

    References
    ----------
    [Theil1967]_, ch. 4; the decomposition: [Shorrocks1980]_ (the generalised entropy
    :math:`GE(1)`).  The same T and :math:`T_b` as PySAL's ``inequality.theil.TheilD``.

    Examples
    --------
    >>> res = theil_t([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])  # mean 3
    >>> round(res.total, 6)  # ((1/3) ln(1/3) + (2/3) ln(2/3) + 2 ln 2) / 4
    0.187445
    >>> abs(res.between + res.within - res.total) < 1e-15
    True
    >>> theil_t([4.0, 4.0, 4.0]).total
    0.0
    """
    return _theil(y, groups, "T")


def theil_l(y: ArrayLike, groups: ArrayLike | None = None) -> Theil:
    r"""Theil's L index (the mean log deviation) and its between/within decomposition.

    .. math::

        L = \frac{1}{n} \sum_{i=1}^n \ln \frac{\mu}{y_i}
          = \underbrace{\sum_g \frac{n_g}{n} \ln \frac{\mu}{\mu_g}}_{L_b}
          + \underbrace{\sum_g \frac{n_g}{n} L_g}_{L_w},

    :math:`L_g` the index within group :math:`g`.  The weights are population shares, so the
    within part does not depend on how the groups' means differ.

    Parameters
    ----------
    y : array_like, shape (n,)
        Finite values > 0.
    groups : array_like, shape (n,), optional
        Each unit's group label; without it, one group.

    Returns
    -------
    Theil

    Raises
    ------
    ValueError
        As :func:`theil_t`.

    References
    ----------
    [Theil1967]_; the decomposition: [Shorrocks1980]_ (the generalised entropy :math:`GE(0)`).

    Examples
    --------
    >>> res = theil_l([1.0, 2.0, 4.0])  # mean 7/3: L = ln(7/3) - ln(8)/3
    >>> round(res.total, 6)
    0.154151
    """
    return _theil(y, groups, "L")
