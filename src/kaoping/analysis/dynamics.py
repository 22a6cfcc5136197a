r"""Dynamics of a score over the periods of a panel: kernel density, Markov transitions, σ and β
convergence (核密度估计、马尔可夫链、σ收敛与β收敛).

Every function takes ``scores``: a DataFrame with one row per unit (index: unit code) and one
column per period, oldest first -- what :func:`kaoping.analysis.periods.score_frame` returns
for the composite score or for one dimension.  A missing score (NaN) leaves the unit out of
that period (and out of the transitions and the regression that need it); a score that is not
a number, or is infinite, is refused with the unit and the period named.

- :func:`kernel_density`: the Gaussian kernel density of the scores of each period on one grid
  common to all periods, Silverman's bandwidth per period unless one is given.
- :func:`markov`: the classical (Quah-style) Markov transition matrix between consecutive
  periods, of quantile classes of the pooled scores or of given classes (the tiers).
- :func:`sigma_convergence`: the dispersion of each period, the standard deviation of ln y
  (or the coefficient of variation).
- :func:`beta_convergence`: absolute β convergence, the OLS regression of the mean annual
  log growth on the initial log level (statsmodels), with its speed and half-life.

See METHODS.md, "The researcher's analyses".  Spatial Markov chains (Rey 2001) are not here.

References
----------
.. [Silverman1986] Silverman, B. W. (1986). *Density Estimation for Statistics and Data
   Analysis*. Chapman & Hall, London. https://doi.org/10.1201/9781315140919
.. [Quah1993] Quah, D. (1993). Empirical cross-section dynamics in economic growth. *European
   Economic Review* 37(2-3), 426-434.
.. [BarroSala1992] Barro, R. J., Sala-i-Martin, X. (1992). Convergence. *Journal of
   Political Economy* 100(2), 223-251. https://doi.org/10.1086/261816
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kaoping.errors import InputError, KaopingWarning, Problem, get_language
from kaoping.methods.density import gaussian_kde, silverman_bandwidth

if TYPE_CHECKING:
    from kaoping.assess import Result

__all__ = [
    "BetaConvergence",
    "KernelDensity",
    "Markov",
    "SigmaConvergence",
    "beta_convergence",
    "kernel_density",
    "markov",
    "sigma_convergence",
    "tier_labels",
]

Note = tuple[str, str]
"""A note to the reader: (Chinese, English)."""


# --------------------------------------------------------------------------------------------
# shared checks
# --------------------------------------------------------------------------------------------


def _scores(scores: pd.DataFrame, func: str, *, min_periods: int = 1) -> pd.DataFrame:
    """``scores`` as a float frame with str unit codes and str periods; every cell a number,
    NaN (missing) or refused with its unit and period."""
    if not isinstance(scores, pd.DataFrame):
        raise ValueError(
            f"{func}: scores must be a DataFrame of units x periods (index unit codes, one "
            f"column per period), got {type(scores).__name__}; build it with "
            "kaoping.analysis.periods.score_frame(results)."
        )
    units = [str(u) for u in scores.index]
    periods = [str(p) for p in scores.columns]
    frame = pd.DataFrame(
        scores.to_numpy(copy=True),
        index=pd.Index(units, name="unit"),
        columns=pd.Index(periods, name="period"),
    )
    problems: list[Problem] = []
    for label, what in (("unit", frame.index), ("period", frame.columns)):
        twice = sorted({str(v) for v in what[what.duplicated()]})
        if twice:
            zh = {"unit": "单位", "period": "时期"}[label]
            problems.append(
                Problem(
                    f"dynamics.duplicate_{label}",
                    f"{zh} {'、'.join(twice)} 出现了不止一次；每个{zh}只能有一行/列。",
                    f"{label} {', '.join(twice)} appears more than once; give each {label} once.",
                    label,
                )
            )
    if len(frame.columns) < min_periods:
        have = "、".join(periods) if periods else "无"
        problems.append(
            Problem(
                "dynamics.too_few_periods",
                f"至少需要 {min_periods} 个时期的得分，只有 {len(periods)} 个（{have}）；"
                f"请给出 {min_periods} 个或更多时期的得分。",
                f"needs the scores of at least {min_periods} period(s), got "
                f"{len(periods)} ({', '.join(periods) or 'none'}); give the scores of "
                f"{min_periods} or more periods.",
            )
        )
    elif frame.empty:
        problems.append(
            Problem(
                "dynamics.no_units",
                "没有任何单位的得分；请给出至少一个单位的得分。",
                "there are no units' scores; give the scores of at least one unit.",
            )
        )
    if problems:
        raise InputError(problems)
    numbers: pd.DataFrame = frame.apply(pd.to_numeric, errors="coerce").astype(np.float64)
    given = frame.notna().to_numpy()
    bad = (given & numbers.isna().to_numpy()) | np.isinf(numbers.to_numpy())
    for i, j in zip(*np.nonzero(bad), strict=True):
        unit, period, value = units[i], periods[j], str(frame.iat[i, j])
        problems.append(
            Problem(
                "dynamics.not_a_number",
                f"单位 {unit} 在 {period} 的得分不是有限的数值（收到“{value}”）；请给出数值，"
                "或留空表示缺失。",
                f"unit {unit}, period {period}: the score is not a finite number (got "
                f'"{value}"); give a number, or leave it empty for missing.',
                f"{unit}/{period}",
            )
        )
    if problems:
        raise InputError(problems)
    return numbers


def _note(zh: str, en: str) -> Note:
    """A note, also issued as a :class:`KaopingWarning` in the current language."""
    warnings.warn(KaopingWarning(zh if get_language() == "zh" else en), stacklevel=3)
    return (zh, en)


def _period_problem(code: str, func: str, period: str, zh: str, en: str) -> Problem:
    del func  # the messages name the period, not the function
    return Problem(f"dynamics.{code}", f"时期 {period}：{zh}", f"period {period}: {en}", period)


# --------------------------------------------------------------------------------------------
# kernel density
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KernelDensity:
    """Gaussian kernel densities of a score, one per period, on one common grid.

    Attributes
    ----------
    density : DataFrame
        Index: the grid points (name ``score``); one column per period, the density there.
    bandwidth : Series
        The bandwidth h of each period.
    n : Series
        The number of units (non-missing scores) of each period.
    rule : str
        ``"silverman"`` (h by Silverman's rule, per period) or ``"given"`` (one h for all).
    """

    density: pd.DataFrame
    bandwidth: pd.Series
    n: pd.Series
    rule: str

    @property
    def grid(self) -> np.ndarray:
        """The grid points, increasing."""
        return self.density.index.to_numpy(dtype=np.float64)

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.density.columns)

    def summary(self) -> pd.DataFrame:
        """Per period: ``n``, ``bandwidth``, the main peak's position ``peak_at`` and height
        ``peak_height`` (the grid point of the largest density), and ``peaks``, the number of
        local maxima on the grid (主峰位置、峰值与波峰数, as papers describe the curves)."""
        values = self.density.to_numpy()
        grid = self.grid
        inner = (values[1:-1] > values[:-2]) & (values[1:-1] > values[2:])
        top = values.argmax(axis=0)
        frame = pd.DataFrame(
            {
                "n": self.n.to_numpy(),
                "bandwidth": self.bandwidth.to_numpy(),
                "peak_at": grid[top],
                "peak_height": values[top, np.arange(values.shape[1])],
                "peaks": inner.sum(axis=0),
            },
            index=self.density.columns,
        )
        frame.index.name = "period"
        return frame


def kernel_density(
    scores: pd.DataFrame,
    *,
    bandwidth: Literal["silverman"] | float = "silverman",
    grid: Sequence[float] | np.ndarray | None = None,
    points: int = 256,
) -> KernelDensity:
    r"""The Gaussian kernel density of the scores of each period, on one common grid.

    .. math::

        \hat f_t(g) = \frac{1}{n_t h_t} \sum_{i=1}^{n_t}
            \varphi\!\left(\frac{g - y_{it}}{h_t}\right), \qquad
        h_t = 0.9 \min\!\left(s_t, \frac{\mathrm{IQR}_t}{1.34}\right) n_t^{-1/5}

    with :math:`\varphi` the standard normal density, :math:`s_t` the sample standard deviation
    of period t (``ddof=1``) and :math:`\mathrm{IQR}_t` its interquartile range (linear
    quantiles); when the IQR is 0, :math:`h_t = 0.9 s_t n_t^{-1/5}`
    (:func:`kaoping.methods.density.silverman_bandwidth`).

    Parameters
    ----------
    scores : DataFrame
        Units x periods (see the module's text).
    bandwidth : "silverman" or float
        Silverman's rule per period (default), or one bandwidth h > 0 for every period.
    grid : array_like, optional
        The points at which to evaluate, increasing.  Default: ``points`` evenly spaced points
        from the pooled minimum - 3 h to the pooled maximum + 3 h, h the largest bandwidth of
        the periods (so that every curve has fallen to about 1 % of a kernel's peak at both
        ends).
    points : int
        The number of grid points when ``grid`` is not given (>= 2).

    Returns
    -------
    KernelDensity

    Raises
    ------
    InputError
        A period has fewer than two scores, or (Silverman's rule) all its scores are equal.
    ValueError
        A bad ``bandwidth``, ``grid`` or ``points``.

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman &
    Hall, Sections 3.3 and 3.4.2. https://doi.org/10.1201/9781315140919

    Examples
    --------
    >>> scores = pd.DataFrame({"2020": [1.0, 2.0, 3.0, 4.0, 5.0], "2021": [2.0, 3, 4, 5, 6]},
    ...                       index=["a", "b", "c", "d", "e"])
    >>> kde = kernel_density(scores, points=5)
    >>> kde.bandwidth.round(4).tolist()
    [0.9736, 0.9736]
    >>> kde.density.shape
    (5, 2)
    """
    func = "kernel_density"
    rule = _bandwidth_rule(bandwidth)
    if grid is None and (isinstance(points, bool) or int(points) != points or points < 2):
        raise ValueError(
            f"{func}: points must be a whole number >= 2, got {points!r}; the default 256 "
            "draws a smooth curve."
        )
    frame = _scores(scores, func)
    problems: list[Problem] = []
    columns: dict[str, np.ndarray] = {}
    widths: dict[str, float] = {}
    for period in frame.columns:
        values = frame[period].dropna().to_numpy()
        if values.size < 2:
            problems.append(
                _period_problem(
                    "too_few_units", func, period,
                    f"只有 {values.size} 个单位有得分，核密度至少需要 2 个。",
                    f"only {values.size} unit(s) have a score; a density needs at least 2.",
                )
            )  # fmt: skip
            continue
        h = silverman_bandwidth(values) if rule == "silverman" else float(bandwidth)
        if h <= 0.0:
            problems.append(
                _period_problem(
                    "constant", func, period,
                    f"所有单位的得分都是 {values[0]:g}，无法按 Silverman 法则确定带宽；"
                    "请给出一个带宽。",
                    f"every unit scores {values[0]:g}, so Silverman's rule gives no "
                    "bandwidth; give one.",
                )
            )  # fmt: skip
            continue
        columns[period] = values
        widths[period] = h
    if problems:
        raise InputError(problems)
    if grid is None:
        pooled = np.concatenate(list(columns.values()))
        reach = 3.0 * max(widths.values())
        points_at = np.linspace(pooled.min() - reach, pooled.max() + reach, int(points))
    else:
        points_at = _grid(grid, func)
    density = pd.DataFrame(
        {p: gaussian_kde(v, points_at, widths[p]) for p, v in columns.items()},
        index=pd.Index(points_at, name="score"),
    )
    density.columns.name = "period"
    return KernelDensity(
        density=density,
        bandwidth=pd.Series(widths, name="bandwidth").rename_axis("period"),
        n=pd.Series({p: int(v.size) for p, v in columns.items()}, name="n").rename_axis("period"),
        rule=rule,
    )


def _bandwidth_rule(bandwidth: object) -> str:
    if bandwidth == "silverman":
        return "silverman"
    number = isinstance(bandwidth, int | float) and not isinstance(bandwidth, bool)
    if number and math.isfinite(bandwidth) and bandwidth > 0:  # type: ignore[arg-type,operator]
        return "given"
    raise ValueError(
        f"kernel_density: bandwidth must be 'silverman' or a positive number, got "
        f"{bandwidth!r}; use 'silverman' (Silverman's rule, per period) or e.g. 2.5."
    )


def _grid(grid: Sequence[float] | np.ndarray, func: str) -> np.ndarray:
    try:
        points = np.asarray(grid, dtype=np.float64)
    except (TypeError, ValueError):
        points = np.array([np.nan])
    if (
        points.ndim != 1
        or points.size < 1
        or not np.isfinite(points).all()
        or not (np.diff(points) > 0).all()
    ):
        raise ValueError(
            f"{func}: grid must be one or more finite, strictly increasing numbers, got "
            f"{grid!r}; e.g. numpy.linspace(0, 100, 256), or leave it out for the default."
        )
    return points


# --------------------------------------------------------------------------------------------
# Markov transitions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Markov:
    """A classical Markov transition matrix between consecutive periods, with its counts.

    Attributes
    ----------
    matrix : DataFrame
        :math:`P_{ab}`, the share of the units in class a in one period that are in class b in
        the next (index ``from``, columns ``to``, classes in order); a row whose class was never
        the start of a transition is NaN (and a note says so).
    transitions : DataFrame
        :math:`n_{ab}`, the number of unit-period pairs moving from a to b.
    counts : Series
        :math:`n_a = \\sum_b n_{ab}`, per class: the pairs that start in it (the ``n`` column
        of the tables papers print beside the matrix).
    initial, final : Series
        The share of the units in each class in the first and in the last period (units with
        a class in that period).
    classes : DataFrame
        Units x periods: the class of every unit in every period (NaN where missing).
    bounds : DataFrame or None
        Quantile classes: each class's ``lower`` and ``upper`` score (a class holds the scores
        in (lower, upper], the first one from the minimum); None for given classes.
    periods : tuple of str
    notes : tuple of (zh, en)
    """

    matrix: pd.DataFrame
    transitions: pd.DataFrame
    counts: pd.Series
    initial: pd.Series
    final: pd.Series
    classes: pd.DataFrame
    bounds: pd.DataFrame | None
    periods: tuple[str, ...]
    notes: tuple[Note, ...] = ()

    def table(self) -> pd.DataFrame:
        """The matrix as papers print it: ``n`` (:math:`n_a`) then one column per class."""
        out = self.matrix.copy()
        out.insert(0, "n", self.counts.to_numpy())
        return out


def markov(
    scores: pd.DataFrame,
    *,
    classes: int | Literal["tiers", "labels"] = 4,
    labels: pd.DataFrame | None = None,
    order: Sequence[str] | None = None,
) -> Markov:
    r"""The Markov transition matrix of the units' classes between consecutive periods.

    .. math::

        P_{ab} = \frac{n_{ab}}{n_a}, \qquad n_a = \sum_b n_{ab},

    with :math:`n_{ab}` the number of (unit, t) with class a in period t and class b in period
    t + 1, pooled over every pair of consecutive columns of ``scores`` (a unit missing in
    either period of a pair is not counted for it).  The matrix is the maximum likelihood
    estimate of a time-homogeneous first-order chain (Quah 1993).

    The classes:

    * ``classes=k`` (default 4): the k-quantiles of the scores pooled over units and periods,
      :math:`q_c` = the c/k quantile (NumPy's linear interpolation); class c holds the scores
      in :math:`(q_{c-1}, q_c]`, so **a score equal to a quantile goes to the lower class**
      (the convention of ``pandas.qcut`` and PySAL's ``mapclassify.Quantiles``).  Classes are
      named ``Q1`` (lowest) to ``Qk`` (highest).
    * ``classes="tiers"`` (or ``"labels"``) with ``labels``: the class of each unit and period
      given, e.g. the tiers (:func:`tier_labels`).  The classes' order is ``order`` if given,
      else the categories of ordered categorical columns (:func:`tier_labels` gives the
      methodology's tiers, best first), else the labels sorted.

    Parameters
    ----------
    scores : DataFrame
        Units x periods, at least two periods (see the module's text).
    classes : int or "tiers" or "labels"
    labels : DataFrame, optional
        Units x periods of class labels (NaN/None = no class), for ``classes="tiers"``;
        reindexed to the units and periods of ``scores``.
    order : sequence of str, optional
        The classes in order, for given labels.

    Returns
    -------
    Markov

    Raises
    ------
    InputError
        Fewer than two periods; labels without a period of ``scores`` or with a class not in
        ``order``.
    ValueError
        A bad ``classes``, or ``labels`` missing (or given with quantile classes).

    Warns
    -----
    KaopingWarning
        A class is never the start of a transition (n_a = 0): its row is NaN.

    References
    ----------
    Quah, D. (1993). Empirical cross-section dynamics in economic growth. *European Economic
    Review* 37(2-3), 426-434.

    Examples
    --------
    Two units, three periods, two given classes: a L→H, H→H; b L→L, L→H.  From L: 3 pairs,
    2 to H; from H: 1 pair, to H.

    >>> s = pd.DataFrame({"1": [1.0, 1], "2": [2.0, 1], "3": [2.0, 2]}, index=["a", "b"])
    >>> lab = pd.DataFrame({"1": ["L", "L"], "2": ["H", "L"], "3": ["H", "H"]}, index=["a", "b"])
    >>> m = markov(s, classes="labels", labels=lab, order=["L", "H"])
    >>> m.table().round(3)  # doctest: +NORMALIZE_WHITESPACE
    to    n      L      H
    from
    L     3  0.333  0.667
    H     1  0.000  1.000
    """
    func = "markov"
    frame = _scores(scores, func, min_periods=2)
    notes: list[Note] = []
    bounds: pd.DataFrame | None = None
    if isinstance(classes, str):
        if classes not in ("tiers", "labels"):
            raise _classes_error(classes)
        if labels is None:
            raise ValueError(
                f"markov: classes={classes!r} needs labels, a DataFrame of units x periods "
                "with each unit's class; build the tiers with tier_labels(results), or use "
                "classes=4 for quartiles."
            )
        names, codes = _given_classes(frame, labels, order)
    else:
        if isinstance(classes, bool) or int(classes) != classes or classes < 2:
            raise _classes_error(classes)
        if labels is not None or order is not None:
            raise ValueError(
                f"markov: labels/order are for given classes, but classes={classes!r} asks "
                "for quantile classes; pass classes='tiers' with the labels, or drop them."
            )
        names, codes, bounds = _quantile_classes(frame, int(classes))
    k = len(names)
    start, end = codes[:, :-1], codes[:, 1:]
    pair = (start >= 0) & (end >= 0)
    n_ab = np.bincount(start[pair] * k + end[pair], minlength=k * k).reshape(k, k)
    n_a = n_ab.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = np.where(n_a[:, None] > 0, n_ab / n_a[:, None], np.nan)
    index = pd.Index(names, name="from")
    to = pd.Index(names, name="to")
    never = [name for name, count in zip(names, n_a, strict=True) if count == 0]
    if never:
        listed_zh, listed_en = "、".join(never), ", ".join(never)
        notes.append(
            _note(
                f"类别 {listed_zh} 在各期之间没有作为起点的转移（n = 0），其转移概率无定义"
                "（该行留空）。",
                f"class {listed_en} {'is' if len(never) == 1 else 'are'} never the start of a "
                "transition (n = 0): the transition probabilities from "
                f"{'it' if len(never) == 1 else 'them'} are undefined (the row is left empty).",
            )
        )
    if not pair.any():
        notes.append(
            _note(
                "没有单位在相邻两期都有类别，转移矩阵为空。",
                "no unit has a class in two consecutive periods: the matrix is empty.",
            )
        )
    periods = tuple(frame.columns)
    labelled = pd.DataFrame(
        np.where(codes >= 0, np.asarray(names, dtype=object)[codes], None),
        index=frame.index,
        columns=frame.columns,
    )
    return Markov(
        matrix=pd.DataFrame(P, index=index, columns=to),
        transitions=pd.DataFrame(n_ab, index=index, columns=to),
        counts=pd.Series(n_a, index=index, name="n"),
        initial=_shares(codes[:, 0], names, "initial"),
        final=_shares(codes[:, -1], names, "final"),
        classes=labelled,
        bounds=bounds,
        periods=periods,
        notes=tuple(notes),
    )


def _classes_error(classes: object) -> ValueError:
    return ValueError(
        f"markov: classes must be a whole number >= 2 (quantile classes) or 'tiers', got "
        f"{classes!r}; e.g. classes=4 for quartiles."
    )


def _shares(codes: np.ndarray, names: Sequence[str], label: str) -> pd.Series:
    known = codes[codes >= 0]
    counts = np.bincount(known, minlength=len(names)).astype(np.float64)
    total = counts.sum()
    shares = counts / total if total > 0 else np.full(len(names), np.nan)
    return pd.Series(shares, index=pd.Index(list(names), name="class"), name=label)


def _quantile_classes(frame: pd.DataFrame, k: int) -> tuple[list[str], np.ndarray, pd.DataFrame]:
    values = frame.to_numpy()
    pooled = values[np.isfinite(values)]
    if pooled.size == 0:
        raise InputError(
            [Problem("dynamics.no_scores", "没有任何得分；请给出至少一个得分。",
                     "there are no scores at all; give at least one score.")]
        )  # fmt: skip
    cuts = np.quantile(pooled, np.arange(1, k) / k)
    codes = np.where(np.isfinite(values), np.searchsorted(cuts, values, side="left"), -1)
    names = [f"Q{c + 1}" for c in range(k)]
    lower = np.concatenate([[pooled.min()], cuts])
    upper = np.concatenate([cuts, [pooled.max()]])
    bounds = pd.DataFrame({"lower": lower, "upper": upper}, index=pd.Index(names, name="class"))
    return names, codes.astype(np.int64), bounds


def _given_classes(
    frame: pd.DataFrame, labels: pd.DataFrame, order: Sequence[str] | None
) -> tuple[list[str], np.ndarray]:
    if not isinstance(labels, pd.DataFrame):
        raise ValueError(
            f"markov: labels must be a DataFrame of units x periods, got "
            f"{type(labels).__name__}; build the tiers with tier_labels(results)."
        )
    given = labels.copy()
    given.index = pd.Index([str(u) for u in given.index])
    given.columns = pd.Index([str(p) for p in given.columns])
    absent = [p for p in frame.columns if p not in given.columns]
    if absent:
        raise InputError(
            [
                Problem(
                    "dynamics.labels_missing_period",
                    f"类别表中没有 {p} 期；请为每一期给出各单位的类别。",
                    f"the labels have no period {p}; give every unit's class for "
                    "every period of the scores.",
                    p,
                )
                for p in absent
            ]
        )
    if order is None:
        dtypes = [given[p].dtype for p in frame.columns]
        kinds = [d for d in dtypes if isinstance(d, pd.CategoricalDtype)]
        if len(kinds) == len(dtypes) and len(set(kinds)) == 1:
            order = [str(c) for c in kinds[0].categories]
    given = given.reindex(index=frame.index, columns=frame.columns).astype(object)
    cells = given.to_numpy()
    missing = pd.isna(cells)
    text = np.where(missing, "", cells.astype(str))
    names = (
        list(dict.fromkeys(str(c) for c in order))
        if order is not None
        else sorted(set(text[~missing].tolist()))
    )
    position = {name: c for c, name in enumerate(names)}
    units: list[str] = list(frame.index)
    periods: list[str] = list(frame.columns)
    problems = [
        Problem(
            "dynamics.unknown_class",
            f"单位 {units[i]} 在 {periods[j]} 的类别“{text[i, j]}”不在类别顺序"
            f"（{'、'.join(names)}）中；请把它加入类别顺序，或更正类别。",
            f'unit {units[i]}, period {periods[j]}: class "{text[i, j]}" is not one of '
            f"{', '.join(names)}; add it to the order, or correct the label.",
            f"{units[i]}/{periods[j]}",
        )
        for i, j in zip(*np.nonzero(~missing), strict=True)
        if text[i, j] not in position
    ]
    if problems:
        raise InputError(problems)
    codes = np.array(
        [[position[t] if not m else -1 for t, m in zip(row, miss, strict=True)]
         for row, miss in zip(text, missing, strict=True)],
        dtype=np.int64,
    ).reshape(cells.shape)  # fmt: skip
    return names, codes


def tier_labels(results: Mapping[str, Result]) -> pd.DataFrame:
    """Units x periods of the tier (方阵) of every unit in every period, as ordered categorical
    columns whose categories are the methodology's tiers, best first (missing: not in a tier,
    e.g. vetoed or not ranked) -- the ``labels`` of :func:`markov` with ``classes="tiers"``.

    Raises
    ------
    ValueError
        No results, or a methodology without tiers.
    """
    if not results:
        raise ValueError("tier_labels: results is empty; pass the results of the periods.")
    first = next(iter(results.values()))
    order = [t.name for t in first.methodology.tiers]
    if not order:
        raise ValueError(
            f"tier_labels: methodology {first.methodology.id} has no tiers; use quantile "
            "classes (markov(scores, classes=4)) instead."
        )
    dtype = pd.CategoricalDtype(order, ordered=True)
    frame = pd.DataFrame(
        {str(p): r.table["tier"].where(r.table["tier"].isin(order)) for p, r in results.items()}
    )
    frame = frame.astype(dtype)
    frame.index.name = "unit"
    frame.columns.name = "period"
    return frame


# --------------------------------------------------------------------------------------------
# σ convergence
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigmaConvergence:
    """The dispersion of a score in each period.

    Attributes
    ----------
    frame : DataFrame
        Index period; columns ``sigma`` (the measure), ``mean`` (of y) and ``n`` (units).
    measure : str
        ``"sd_log"`` or ``"cv"``.
    ddof : int
        The standard deviation's delta degrees of freedom (divisor n - ddof).
    """

    frame: pd.DataFrame
    measure: str
    ddof: int

    @property
    def sigma(self) -> pd.Series:
        """The measure per period."""
        return self.frame["sigma"]

    @property
    def converging(self) -> bool:
        """Whether the dispersion of the last period is below that of the first."""
        values = self.frame["sigma"].dropna()
        return bool(len(values) >= 2 and values.iloc[-1] < values.iloc[0])


def sigma_convergence(
    scores: pd.DataFrame, *, measure: Literal["sd_log", "cv"] = "sd_log", ddof: int = 0
) -> SigmaConvergence:
    r"""σ convergence: the dispersion of the scores in each period.

    .. math::

        \sigma_t = \sqrt{\frac{1}{n_t - \delta} \sum_{i=1}^{n_t}
            \left(\ln y_{it} - \overline{\ln y_t}\right)^2}
        \quad \text{(sd\_log)}, \qquad
        \mathrm{CV}_t = \frac{1}{\bar y_t}
            \sqrt{\frac{1}{n_t - \delta} \sum_{i=1}^{n_t} (y_{it} - \bar y_t)^2}
        \quad \text{(cv)},

    with :math:`\delta` = ``ddof``, by default 0: the population standard deviation, as
    Barro & Sala-i-Martin (1992) define the dispersion of log income (``ddof=1`` for the
    sample one).  The scores converge in the σ sense when :math:`\sigma_t` falls over time.

    Parameters
    ----------
    scores : DataFrame
        Units x periods (see the module's text).
    measure : "sd_log" or "cv"
        The standard deviation of ln y (default; needs every score > 0) or the coefficient of
        variation (needs a positive mean).
    ddof : int
        0 (default) or 1.

    Returns
    -------
    SigmaConvergence

    Raises
    ------
    InputError
        A score <= 0 with ``sd_log`` (the unit and period named), a period with fewer than
        ``ddof + 1`` scores, or (``cv``) a period whose mean is not positive.
    ValueError
        A bad ``measure`` or ``ddof``.

    References
    ----------
    Barro, R. J., Sala-i-Martin, X. (1992). Convergence. *Journal of Political Economy*
    100(2), 223-251. https://doi.org/10.1086/261816

    Examples
    --------
    Scores 1 and e in one period: ln y = 0 and 1, mean 0.5, so
    sigma = sqrt(((0 - 0.5)^2 + (1 - 0.5)^2) / 2) = 0.5; two equal scores give 0.

    >>> s = pd.DataFrame({"2020": [1.0, math.e], "2021": [2.0, 2.0]}, index=["a", "b"])
    >>> sigma_convergence(s).sigma.round(6).tolist()
    [0.5, 0.0]
    """
    func = "sigma_convergence"
    if measure not in ("sd_log", "cv"):
        raise ValueError(
            f"{func}: measure must be 'sd_log' or 'cv', got {measure!r}; 'sd_log' is the "
            "standard deviation of ln y, 'cv' the coefficient of variation."
        )
    if ddof not in (0, 1) or isinstance(ddof, bool):
        raise ValueError(f"{func}: ddof must be 0 (population) or 1 (sample), got {ddof!r}.")
    frame = _scores(scores, func)
    if measure == "sd_log":
        _positive(frame, func)
    problems: list[Problem] = []
    rows: dict[str, dict[str, float]] = {}
    for period in frame.columns:
        y = frame[period].dropna().to_numpy()
        if y.size <= ddof or y.size == 0:
            problems.append(
                _period_problem(
                    "too_few_units", func, period,
                    f"只有 {y.size} 个单位有得分，无法计算离散程度。",
                    f"only {y.size} unit(s) have a score; no dispersion can be computed.",
                )
            )  # fmt: skip
            continue
        mean = float(y.mean())
        if measure == "sd_log":
            sigma = float(np.std(np.log(y), ddof=ddof))
        elif mean > 0:
            sigma = float(np.std(y, ddof=ddof)) / mean
        else:
            problems.append(
                _period_problem(
                    "mean_not_positive", func, period,
                    f"得分均值为 {mean:g}，变异系数需要正的均值；请检查得分。",
                    f"the mean score is {mean:g}; the coefficient of variation needs a "
                    "positive mean: check the scores.",
                )
            )  # fmt: skip
            continue
        rows[period] = {"sigma": sigma, "mean": mean, "n": float(y.size)}
    if problems:
        raise InputError(problems)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["n"] = out["n"].astype(np.int64)
    out.index.name = "period"
    return SigmaConvergence(frame=out, measure=measure, ddof=int(ddof))


def _positive(frame: pd.DataFrame, func: str, periods: Sequence[str] | None = None) -> None:
    """Refuse scores <= 0 (their log is undefined), naming each unit and period."""
    part = frame if periods is None else frame[list(periods)]
    values = part.to_numpy()
    bad = np.isfinite(values) & (values <= 0)
    units: list[str] = list(part.index)
    columns: list[str] = list(part.columns)
    problems = [
        Problem(
            "dynamics.not_positive",
            f"单位 {units[i]} 在 {columns[j]} 的得分为 {values[i, j]:g}，取对数需要大于 0 的"
            "得分；请检查该得分，或改用全部大于 0 的得分。",
            f"unit {units[i]}, period {columns[j]}: the score is {values[i, j]:g}; its "
            "logarithm needs a score > 0: check it, or use scores that are all above 0.",
            f"{units[i]}/{columns[j]}",
        )
        for i, j in zip(*np.nonzero(bad), strict=True)
    ]
    if problems:
        raise InputError(problems)


# --------------------------------------------------------------------------------------------
# β convergence
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BetaConvergence:
    """Absolute β convergence between two periods: the OLS fit and what it implies.

    Attributes
    ----------
    start, end : str
        The periods compared; ``span`` is T, the years between them (2024-Q1 to 2025-Q1:
        1.0), or the periods between them when they cannot be read as years.
    span_unit : str
        ``"years"``, or ``"periods"`` (then ``speed`` is per period and ``half_life`` in
        periods, and a note says so).
    beta, se, t, p : float
        The slope on :math:`\\ln y_{i,\\mathrm{start}}`, its standard error, t statistic and
        two-sided p-value (t distribution with n - 2 degrees of freedom).
    alpha, alpha_se : float
        The constant and its standard error.
    r2 : float
        R².
    n : int
        The units in the regression (a score in both periods).
    speed : float
        The convergence speed :math:`\\theta = -\\ln(1 + T\\beta)/T` (NaN when
        :math:`1 + T\\beta \\le 0`).
    half_life : float
        :math:`\\ln 2 / \\theta`, the years to halve the gap (NaN unless :math:`\\theta > 0`).
    data : DataFrame
        Per unit in the regression: ``ln_start`` (x) and ``growth`` (y).
    notes : tuple of (zh, en)
    """

    start: str
    end: str
    span: float
    beta: float
    se: float
    t: float
    p: float
    alpha: float
    alpha_se: float
    r2: float
    n: int
    speed: float
    half_life: float
    data: pd.DataFrame
    notes: tuple[Note, ...] = ()
    span_unit: str = "years"

    @property
    def converging(self) -> bool:
        """β < 0: units that start lower grow faster (not a test: see ``p``)."""
        return self.beta < 0

    def summary(self) -> pd.Series:
        """The fit as one labelled Series (start, end, span, span_unit, beta, se, t, p, alpha,
        alpha_se, r2, n, speed, half_life)."""
        names = ("start", "end", "span", "span_unit", "beta", "se", "t", "p", "alpha",
                 "alpha_se", "r2", "n", "speed", "half_life")  # fmt: skip
        return pd.Series({k: getattr(self, k) for k in names}, dtype=object, name="beta")


def beta_convergence(
    scores: pd.DataFrame, *, start: str | None = None, end: str | None = None
) -> BetaConvergence:
    r"""Absolute β convergence: OLS of the mean log growth on the initial log level.

    .. math::

        \frac{1}{T} \ln\frac{y_{i,\mathrm{end}}}{y_{i,\mathrm{start}}}
            = \alpha + \beta \ln y_{i,\mathrm{start}} + \varepsilon_i, \qquad
        \theta = -\frac{\ln(1 + T\beta)}{T}, \qquad
        t_{1/2} = \frac{\ln 2}{\theta},

    fitted by ordinary least squares (statsmodels ``OLS``, classical standard errors
    :math:`\mathrm{se}(\hat\beta) = \sqrt{\hat\sigma^2 / \sum_i (x_i - \bar x)^2}`,
    :math:`\hat\sigma^2 = \sum_i e_i^2/(n - 2)`).  β < 0 means convergence: units that start
    lower grow faster; θ is the implied speed of convergence (the log-linearised form of
    Barro & Sala-i-Martin 1992, where :math:`(1 - e^{-\theta T})/T = -\beta`), and
    :math:`t_{1/2}` the time to close half the gap.  T is in years: 2020 → 2024 gives
    T = 4, a quarter counts 0.25 (2024-Q1 → 2025-Q1 gives T = 1), a half-year 0.5, a month
    1/12, so that θ is a speed per year whatever the periods; both periods must be of one kind
    (the forms of :func:`kaoping.data.parse_period`).  For other labels T is the number of
    columns between them, θ is per period and a note says so (``span_unit``).

    Parameters
    ----------
    scores : DataFrame
        Units x periods (see the module's text); every score used must be > 0.
    start, end : str, optional
        The two periods (default: the first and the last column); ``end`` after ``start``.

    Returns
    -------
    BetaConvergence

    Raises
    ------
    InputError
        A score <= 0 in either period (the unit and period named), a period not in
        ``scores``, ``end`` not after ``start``, or fewer than three units with both scores.

    References
    ----------
    Barro, R. J., Sala-i-Martin, X. (1992). Convergence. *Journal of Political Economy*
    100(2), 223-251. https://doi.org/10.1086/261816

    Examples
    --------
    Growth falling exactly linearly in the initial level: y_end = y_start^0.8 over T = 2, so
    growth = -0.1 ln y_start and β = -0.1 with a perfect fit.

    >>> y0 = [1.0, 2.0, 4.0, 8.0]
    >>> s = pd.DataFrame({"2020": y0, "2022": [v ** 0.8 for v in y0]}, index=list("abcd"))
    >>> fit = beta_convergence(s)
    >>> round(fit.beta, 6), round(fit.r2, 6), fit.span
    (-0.1, 1.0, 2.0)
    >>> round(fit.speed, 6)  # -ln(1 - 0.2)/2
    0.111572
    """
    func = "beta_convergence"
    frame = _scores(scores, func, min_periods=2)
    periods = list(frame.columns)
    first = periods[0] if start is None else str(start)
    last = periods[-1] if end is None else str(end)
    problems = [
        Problem(
            "dynamics.unknown_period",
            f"得分中没有 {p} 期；可选的期为 {'、'.join(periods)}。",
            f"the scores have no period {p}; the periods are {', '.join(periods)}.",
            p,
        )
        for p in dict.fromkeys((first, last))
        if p not in periods
    ]
    if problems:
        raise InputError(problems)
    span, unit = _span(first, last, periods)
    if span <= 0:
        raise InputError(
            [
                Problem(
                    "dynamics.end_not_after_start",
                    f"末期 {last} 必须在基期 {first} 之后。",
                    f"the end period {last} must come after the start period {first}.",
                    "end",
                )
            ]
        )
    pair = frame[[first, last]].dropna()
    _positive(pair, func)
    notes: list[Note] = []
    if unit == "periods":
        notes.append(
            (
                f"时期 {first}、{last} 不能换算为年份（可换算的形式如 2024、2024-Q3、2024-H1、"
                f"2024-06），T 按两者之间的期数计，T = {span:g}；收敛速度与半衰期以“期”为单位。",
                f"the periods {first} and {last} cannot be read as years (e.g. 2024, 2024-Q3, "
                f"2024-H1, 2024-06), so T counts the periods between them, T = {span:g}; the "
                "speed and the half-life are per period.",
            )
        )
    dropped = len(frame) - len(pair)
    if dropped:
        notes.append(
            (
                f"{dropped} 个单位在 {first} 或 {last} 缺少得分，未纳入回归。",
                f"{dropped} unit(s) without a score in {first} or {last} are left out.",
            )
        )
    n = len(pair)
    if n < 3:
        raise InputError(
            [
                Problem(
                    "dynamics.too_few_units",
                    f"只有 {n} 个单位在 {first} 和 {last} 都有得分，回归至少需要 3 个。",
                    f"only {n} unit(s) have scores in both {first} and {last}; the "
                    "regression needs at least 3.",
                    "scores",
                )
            ]
        )
    x = np.log(pair[first].to_numpy())
    g = np.log(pair[last].to_numpy() / pair[first].to_numpy()) / span
    if np.ptp(x) == 0:
        raise InputError(
            [
                Problem(
                    "dynamics.constant_start",
                    f"所有单位在基期 {first} 的得分相同，无法估计 β。",
                    f"every unit has the same score in {first}; β cannot be estimated.",
                    first,
                )
            ]
        )
    from statsmodels.regression.linear_model import OLS

    fit = OLS(g, np.column_stack([np.ones(n), x])).fit()
    alpha, beta = (float(v) for v in fit.params)
    alpha_se, se = (float(v) for v in fit.bse)
    base = 1.0 + span * beta
    speed = -math.log(base) / span if base > 0 else math.nan
    if not base > 0:
        notes.append(
            (
                f"1 + Tβ = {base:.4g} ≤ 0，收敛速度无定义。",
                f"1 + Tβ = {base:.4g} <= 0: the speed of convergence is undefined.",
            )
        )
    half_life = math.log(2.0) / speed if speed > 0 else math.nan
    return BetaConvergence(
        start=first,
        end=last,
        span=span,
        beta=beta,
        se=se,
        t=float(fit.tvalues[1]),
        p=float(fit.pvalues[1]),
        alpha=alpha,
        alpha_se=alpha_se,
        r2=float(fit.rsquared),
        n=n,
        speed=speed,
        half_life=half_life,
        data=pd.DataFrame({"ln_start": x, "growth": g}, index=pair.index),
        notes=tuple(notes),
        span_unit=unit,
    )


_IN_YEARS = (
    (re.compile(r"(\d+)"), "year", 1),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter", 4),
    (re.compile(r"(\d{4})-H([12])"), "half", 2),
    (re.compile(r"(\d{4})-(\d{2})"), "month", 12),
)


def _in_years(period: str) -> tuple[str, float] | None:
    """A period's kind and its start in years: ``2024`` -> 2024, ``2024-Q3`` -> 2024.5,
    ``2024-H2`` -> 2024.5, ``2024-06`` -> 2024 + 5/12 (the forms of
    :func:`kaoping.data.parse_period`, Chinese ones included); None for any other label."""
    from kaoping.data import parse_period

    parsed = parse_period(period, strict=False)
    text = parsed if isinstance(parsed, str) else period
    for pattern, kind, per_year in _IN_YEARS:
        if match := pattern.fullmatch(text):
            year = float(match.group(1))
            part = int(match.group(2)) - 1 if per_year > 1 else 0
            return kind, year + part / per_year
    return None


def _span(start: str, end: str, periods: Sequence[str]) -> tuple[float, str]:
    """T and its unit: the years between two periods of one kind (years, quarters, halves or
    months: 2024-Q1 to 2025-Q1 is 1 year), else the number of columns between them
    (``"periods"``)."""
    first, last = _in_years(start), _in_years(end)
    if first is not None and last is not None and first[0] == last[0]:
        return last[1] - first[1], "years"
    return float(periods.index(end) - periods.index(start)), "periods"
