r"""Per-indicator scoring rules of official assessments (考核计分规则).

Each indicator of an official methodology (考核办法) names one rule that turns the units' values
into points.  Every function here scores the units of **one comparison group** (the caller
splits the units by category, 分类考核) and follows the same conventions:

* ``x`` is a 1-D float array, one value per unit; NaN is a missing value and scores NaN (the
  caller decides what a missing value is worth: 0 points, the group's lowest, an imputation);
  group statistics (best, worst, mean, ranks) are taken over the non-missing values only.
* ``points`` is the indicator's 分值 :math:`w`, a finite number > 0.
* ``direction`` is +1 (positive, 正向: larger is better) or -1 (negative, 逆向: smaller is
  better).  Moderate indicators (适度) are scored with :func:`bands`.
* Bad parameters raise :class:`ValueError` with an English message saying what to fix.  The
  methodology validator catches them earlier, in Chinese; these checks are the last line of
  defence.

The rules are vectorised over the units (no Python loop over units).  Their formulas and
sources are in each docstring and in ``shared/METHODS.md``, "Official scoring rules"; the
sources are catalogued in ``shared/research/domain.md``, section 3.1.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods import FloatArray
from kaoping.methods.rank import competition

__all__ = [
    "bands",
    "benchmark_ratio",
    "completion",
    "efficacy",
    "judged",
    "level_and_growth",
    "rank_points",
    "vs_average",
]


# --------------------------------------------------------------------------------------------
# parameter checks
# --------------------------------------------------------------------------------------------


def _number(value: object, rule: str, name: str) -> float:
    """``value`` as a float, or a ValueError naming the parameter."""
    if isinstance(value, bool):
        raise ValueError(f"{rule}: {name} must be a number; got {value!r}.")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{rule}: {name} must be a number; got {value!r}.") from None


def _values(x: ArrayLike, rule: str, name: str = "x") -> FloatArray:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{rule}: {name} must be numbers, one per unit of the group (NaN = missing)."
        ) from None
    if a.ndim != 1:
        raise ValueError(
            f"{rule}: {name} must be a 1-D array with one value per unit of the group; got an "
            f"array of shape {a.shape}."
        )
    return a


def _points(points: float, rule: str) -> float:
    w = _number(points, rule, "points")
    if not (math.isfinite(w) and w > 0):
        raise ValueError(
            f"{rule}: points (the indicator's 分值 w) must be a finite number > 0; got {points!r}."
        )
    return w


def _direction(direction: int, rule: str) -> float:
    d = _number(direction, rule, "direction")
    if d not in (1.0, -1.0):
        raise ValueError(
            f"{rule}: direction must be +1 (positive, 正向: larger is better) or -1 (negative, "
            f"逆向: smaller is better); got {direction!r}."
        )
    return d


def _fraction(value: float, rule: str, name: str, meaning: str) -> float:
    f = _number(value, rule, name)
    if not (0.0 <= f <= 1.0):
        raise ValueError(f"{rule}: {name} ({meaning}) must be in [0, 1]; got {value!r}.")
    return f


def _finite(value: float, rule: str, name: str, meaning: str, *, positive: bool = False) -> float:
    v = _number(value, rule, name)
    if not math.isfinite(v) or (positive and not v > 0):
        need = "a finite number > 0" if positive else "a finite number"
        raise ValueError(f"{rule}: {name} ({meaning}) must be {need}; got {value!r}.")
    return v


def _group_mean(a: FloatArray) -> float:
    """Mean of the non-missing values; NaN (without a warning) when there are none."""
    valid = ~np.isnan(a)
    k = int(np.count_nonzero(valid))
    return float(np.sum(a[valid]) / k) if k else math.nan


def _first(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


# --------------------------------------------------------------------------------------------
# 目标完成率法
# --------------------------------------------------------------------------------------------


def completion(
    x: ArrayLike,
    target: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    floor: float = 0.0,
    cap: float = 1.0,
    zero_below: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    r"""Target completion (目标完成率法): points in proportion to the completion rate.

    .. math::

        r_i = \frac{x_i}{t_i}\ (\text{positive}), \qquad
        r_i = \frac{t_i}{x_i}\ (\text{negative};\ r_i = +\infty \text{ when } x_i = 0),

        p_i = w \cdot \min\big(\max(r_i, \mathrm{floor}), \mathrm{cap}\big), \qquad
        p_i = 0 \text{ when } r_i < \mathrm{zero\_below}.

    With the defaults (floor 0, cap 1) a unit that reaches its target gets the full points
    and one that falls short gets its share: 「完成目标任务的得满分，未完成的按比例得分」.  A cap
    above 1 (e.g. 1.2) rewards over-fulfilment; a floor guarantees a minimum share; ``zero_below``
    gives nothing below a completion threshold (e.g. 0.5: less than half done scores 0).

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing.
    target : float or array_like, shape (n,)
        The target (目标值): one for the group, or one per unit (个性化目标).  Must be a finite
        number > 0 wherever ``x`` is not missing; a NaN target (no target set) gives NaN points
        and rate.
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向, rate x/t), -1 negative (逆向, rate t/x).
    floor : float, default 0.0
        Lowest rate that scores, :math:`0 \le \mathrm{floor} < \mathrm{cap}`.
    cap : float, default 1.0
        Highest rate that scores (finite; 1.2 where over-fulfilment is rewarded).
    zero_below : float, optional
        A rate below this scores 0 points, whatever the floor; :math:`0 \le` zero_below
        :math:`\le` cap.

    Returns
    -------
    points : numpy.ndarray, shape (n,)
        Points in :math:`[0, \mathrm{cap} \cdot w]`; NaN where ``x`` or the target is NaN.
    ratio : numpy.ndarray, shape (n,)
        The completion rate :math:`r_i` before floor and cap (for the report: 完成率 130%);
        +inf for a value of 0 in a negative indicator.

    Raises
    ------
    ValueError
        Bad ``points``, ``direction``, ``floor``, ``cap`` or ``zero_below``; a target that is
        not > 0 (or infinite) for a unit with a value (the message names the position); a
        value < 0 in a negative indicator (where t/x has no meaning); ``target`` not of one
        value or one per unit.

    References
    ----------
    招商专班 scoring rules, https://cnzsr.com/e/DoPrint/?classid=23&id=5569 : documents
    「得分=(新引进项目个数/时序目标任务)×分值」 and 「完成时序目标任务的得满分，未完成的按比例得分」
    (the rate times the points, capped at full points).  ``shared/METHODS.md``, "Official
    scoring rules: completion"; ``shared/research/domain.md`` section 3.1.

    Examples
    --------
    >>> pts, rate = completion([7.2, 8.0, 10.0], 8.0, points=5.0)
    >>> pts
    array([4.5, 5. , 5. ])
    >>> rate
    array([0.9 , 1.  , 1.25])
    >>> completion([2.0, 4.0, 0.0], 4.0, points=10.0, direction=-1, cap=1.2)[0]
    array([12., 10., 12.])
    """
    rule = "completion (目标完成率法)"
    a = _values(x, rule)
    w = _points(points, rule)
    d = _direction(direction, rule)
    lo = _finite(floor, rule, "floor", "the lowest completion rate that scores")
    hi = _finite(cap, rule, "cap", "the highest completion rate that scores")
    if not (0.0 <= lo < hi):
        raise ValueError(
            f"{rule}: need 0 <= floor < cap; got floor={floor!r}, cap={cap!r} (e.g. floor=0, "
            "cap=1, or cap=1.2 where over-fulfilment is rewarded)."
        )
    zb: float | None = None
    if zero_below is not None:
        zb = _finite(zero_below, rule, "zero_below", "the rate below which a unit scores 0")
        if not (0.0 <= zb <= hi):
            raise ValueError(
                f"{rule}: zero_below must be in [0, cap] = [0, {hi!r}]; got {zero_below!r} "
                "(e.g. 0.5: a completion rate below 50% scores 0)."
            )
    t = np.asarray(target, dtype=np.float64)
    try:
        t = np.broadcast_to(t, a.shape)
    except ValueError:
        raise ValueError(
            f"{rule}: target must be one number, or one per unit ({a.size}); got shape {t.shape}."
        ) from None
    observed = ~np.isnan(a)
    bad_t = observed & ~np.isnan(t) & ~((t > 0) & np.isfinite(t))
    if bad_t.any():
        i = _first(bad_t)
        where = f"target[{i}]" if np.ndim(target) else "target"
        raise ValueError(
            f"{rule}: {where} = {float(t[i])!r} for unit {i}; a target must be a finite number "
            "> 0 (NaN = no target, scored NaN). Use bands or efficacy for indicators without a "
            "positive target."
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if d > 0:
            ratio = a / t
        else:
            bad_x = a < 0
            if bad_x.any():
                i = _first(bad_x)
                raise ValueError(
                    f"{rule}: x[{i}] = {float(a[i])!r} is negative in a negative indicator "
                    "(逆向), where the rate is target / x; check the value, or score this "
                    "indicator with bands or vs_average."
                )
            # x == 0 (also -0.0) completes a negative target infinitely well: the cap applies.
            ratio = np.where(a == 0, np.inf, t / np.where(a == 0, 1.0, a))
    ratio = np.where(np.isnan(t), np.nan, ratio)
    pts = w * np.clip(ratio, lo, hi)
    if zb is not None:
        pts = np.where(ratio < zb, 0.0, pts)
    return pts, ratio


# --------------------------------------------------------------------------------------------
# 功效系数法
# --------------------------------------------------------------------------------------------


def _efficacy_fraction(
    a: FloatArray,
    d: float,
    base: float,
    satisfactory: float | None,
    unacceptable: float | None,
    rule: str,
) -> FloatArray:
    """The efficacy score as a share of w: in [base, 1], NaN where ``a`` is NaN."""
    given_h = (
        None
        if satisfactory is None
        else d * _finite(satisfactory, rule, "satisfactory", "满意值 x_h")
    )
    given_s = (
        None
        if unacceptable is None
        else d * _finite(unacceptable, rule, "unacceptable", "不允许值 x_s")
    )
    if given_h is not None and given_s is not None and not given_h > given_s:
        better = "above" if d > 0 else "below"
        raise ValueError(
            f"{rule}: the satisfactory value (满意值 x_h = {satisfactory!r}) must be {better} "
            f"the unacceptable value (不允许值 x_s = {unacceptable!r}) for a "
            f"{'positive' if d > 0 else 'negative'} indicator."
        )
    z = d * a  # oriented: larger is better
    valid = ~np.isnan(z)
    if not valid.any():
        return np.full(a.shape, np.nan)
    zh = float(z[valid].max()) if given_h is None else given_h
    zs = float(z[valid].min()) if given_s is None else given_s
    span = zh - zs
    if span > 0:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            s = np.clip((z - zs) / span, 0.0, 1.0)
        s = np.where(z >= zh, 1.0, s)  # reaching x_h scores full points (also if span overflows)
    elif given_s is not None and given_h is None:
        # A given x_s that no unit beats (the default x_h, the group's best, is not above it):
        # every unit is unacceptable.
        s = np.zeros(a.shape)
    else:
        # All values equal (x_h = x_s), or a given x_h that every unit reaches.
        s = np.ones(a.shape)
    s = np.where(valid, s, np.nan)
    # 1 - (1 - base)(1 - s) rather than base + (1 - base) s: exactly 1 when s = 1.
    frac: FloatArray = 1.0 - (1.0 - base) * (1.0 - s)
    return frac


def efficacy(
    x: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    base: float = 0.6,
    satisfactory: float | None = None,
    unacceptable: float | None = None,
) -> FloatArray:
    r"""Efficacy coefficient (功效系数法): base points plus a linear share between two goalposts.

    .. math::

        s_i = \operatorname{clip}\!\Big(\frac{x_i - x_s}{x_h - x_s},\ 0,\ 1\Big), \qquad
        p_i = w\,\big(\mathrm{base} + (1 - \mathrm{base})\, s_i\big)

    :math:`x_h` is the satisfactory value (满意值), by default the best value of the group (the
    maximum for a positive indicator, the minimum for a negative one); :math:`x_s` the
    unacceptable value (不允许值), by default the worst.  With base 0.6 this is the classic
    "60 + 40" form :math:`60 + 40 (x - x_s)/(x_h - x_s)`, scaled to the indicator's points: the
    worst unit gets 60% of :math:`w`, the best :math:`w`.

    A unit at or beyond :math:`x_h` gets :math:`w`, one at or beyond :math:`x_s` gets
    :math:`\mathrm{base}\cdot w`.  When all values are equal (:math:`x_h = x_s`) every unit
    gets :math:`w`.  When only one goalpost is given and the group's values lie entirely beyond
    it, the given one decides: a given :math:`x_h` that every unit reaches gives every unit
    :math:`w`; a given :math:`x_s` that no unit beats gives every unit
    :math:`\mathrm{base}\cdot w`.

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing (NaN points, and not used for the best and worst).
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向), -1 negative (逆向).
    base : float, default 0.6
        Share of :math:`w` that the unacceptable value scores, in [0, 1] (基本得分为权重的60%).
    satisfactory : float, optional
        :math:`x_h`; default the group's best value.
    unacceptable : float, optional
        :math:`x_s`; default the group's worst value.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[\mathrm{base}\cdot w, w]`; NaN where ``x`` is NaN.

    Raises
    ------
    ValueError
        Bad ``points``, ``direction`` or ``base``; ``satisfactory`` or ``unacceptable`` not
        finite; both given and :math:`x_h` not better than :math:`x_s`.

    References
    ----------
    Linyi county assessment, http://m.oceanchannel.com.cn/news/2012-04-23/29985.html :
    documents the efficacy coefficient method with the basic score at 60% of the weight
    (基本得分为权重的60%).  The 60-100 efficacy function,
    http://zzfengsheng.com/2016/0822/437482_5.shtml : documents
    :math:`60 + 40 (x - x_s)/(x_h - x_s)` with x_h the satisfactory and x_s the unacceptable
    value.  ``shared/METHODS.md``, "Official scoring rules: efficacy";
    ``shared/research/domain.md`` section 3.1.

    Examples
    --------
    >>> efficacy([10.0, 20.0, 30.0], points=10.0)
    array([ 6.,  8., 10.])
    >>> efficacy([10.0, 20.0, 30.0], points=10.0, direction=-1)
    array([10.,  8.,  6.])
    """
    rule = "efficacy (功效系数法)"
    a = _values(x, rule)
    w = _points(points, rule)
    d = _direction(direction, rule)
    b = _fraction(base, rule, "base", "the share of the points at the unacceptable value")
    result: FloatArray = w * _efficacy_fraction(a, d, b, satisfactory, unacceptable, rule)
    return result


# --------------------------------------------------------------------------------------------
# 对标平均
# --------------------------------------------------------------------------------------------


def vs_average(
    x: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    step: float,
    base: float = 0.6,
    per: Literal["point", "percent"] = "point",
    average: float | None = None,
) -> FloatArray:
    r"""Against the average (对标平均): base points at the average, ± ``step`` per point off it.

    .. math::

        \delta_i = d\,(x_i - \bar{x})\ (\text{per="point"}), \qquad
        \delta_i = d \cdot 100\,\frac{x_i - \bar{x}}{|\bar{x}|}\ (\text{per="percent"}),

        p_i = \operatorname{clip}\big(\mathrm{base}\cdot w + \mathrm{step}\cdot\delta_i,\ 0,\ w\big)

    with :math:`\bar{x}` the mean of the group's non-missing values (or ``average``, e.g. the
    provincial average) and :math:`d = \pm 1` the direction.  ``per="point"`` measures the
    distance in the indicator's own unit (percentage points for a rate: a growth rate of 8.5%
    against an average of 7% is 1.5 points above); ``per="percent"`` in percent of the average
    (meant for positive quantities such as revenue).

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing.
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向), -1 negative (逆向: below the average earns points).
    step : float
        Points added per point above the average (removed per point below); > 0.
    base : float, default 0.6
        Share of :math:`w` scored exactly at the average, in [0, 1].
    per : {"point", "percent"}, default "point"
        Unit of the distance to the average.
    average : float, optional
        The average to compare with; default the mean of the group's non-missing values.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[0, w]`; NaN where ``x`` is NaN.

    Raises
    ------
    ValueError
        Bad ``points``, ``direction``, ``step``, ``base``, ``per`` or ``average``;
        ``per="percent"`` with an average of 0.

    Notes
    -----
    The source below uses a stepped slope (base/20 points per point in the first 10-point band,
    base/40 in the next, ...); this function has one slope, ``step``.

    References
    ----------
    Provincial industrial-project assessment, https://code.fabao365.com/law_553012_2.html :
    documents a basic score at the average plus or minus points per percentage point above or
    below it (and 「年内没有开复工的项目,每个项目减0.33分」).  ``shared/METHODS.md``, "Official
    scoring rules: vs_average"; ``shared/research/domain.md`` section 3.1.

    Examples
    --------
    Average 7.0; 8.5 is 1.5 points above: 6 + 2 * 1.5 = 9; 4.0 is 3 below: 6 - 2 * 3 = 0.

    >>> vs_average([8.5, 7.0, 4.0, 8.5], points=10.0, step=2.0)
    array([9., 6., 0., 9.])
    """
    rule = "vs_average (对标平均)"
    a = _values(x, rule)
    w = _points(points, rule)
    d = _direction(direction, rule)
    st = _finite(step, rule, "step", "points per point above or below the average", positive=True)
    b = _fraction(base, rule, "base", "the share of the points at the average")
    if per not in ("point", "percent"):
        raise ValueError(
            f"{rule}: per must be 'point' (distance in the indicator's own unit, e.g. "
            f"percentage points) or 'percent' (percent of the average); got {per!r}."
        )
    if average is None:
        avg = _group_mean(a)
        if math.isnan(avg):  # no value in the group
            return np.full(a.shape, np.nan)
    else:
        avg = _finite(average, rule, "average", "the average to compare with")
    if per == "point":
        dev = a - avg
    else:
        if avg == 0:
            raise ValueError(
                f"{rule}: the average is 0, so a distance in percent of it is undefined; use "
                "per='point', or give average=..."
            )
        dev = 100.0 * (a - avg) / abs(avg)
    result: FloatArray = np.clip(b * w + st * (d * dev), 0.0, w)
    return result


# --------------------------------------------------------------------------------------------
# 排位赋分
# --------------------------------------------------------------------------------------------


def rank_points(
    x: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    table: Sequence[float] | None = None,
    decrement: float | None = None,
    proportional: bool = False,
) -> FloatArray:
    r"""Points by rank in the group (排位赋分).

    The rank :math:`r_i` is the competition rank of :math:`d\,x_i` (1 = best; tied units share
    the best rank of their tie, "1, 2, 2, 4"; see :func:`kaoping.methods.rank.competition`);
    :math:`n` is the number of units with a value.  One of:

    .. math::

        \text{table:}\quad p_i = T_{r_i}\ (r_i \le |T|), \quad 0 \text{ otherwise}

        \text{decrement:}\quad p_i = \max\big(w - \mathrm{decrement}\,(r_i - 1),\ 0\big)

        \text{proportional:}\quad p_i = w\,\frac{x_i}{\max_l x_l}\ (\text{positive}),\quad
        p_i = w\,\frac{\min_l x_l}{x_i}\ (\text{negative})

        \text{default (linear):}\quad p_i = w\,\frac{n - r_i + 1}{n}

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing (no rank, NaN points).
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向), -1 negative (逆向).
    table : sequence of float, optional
        Points for ranks 1, 2, ..., len(table), each in [0, w] and non-increasing (e.g.
        ``[20, 19, 18, 17, 16]``, 「排名1-5名的依次赋予20、19、18、17、16分」); worse ranks get 0.
    decrement : float, optional
        Points lost per place below the first (> 0), e.g. 0.1 (「每进1名扣0.1分」 read the other
        way); floored at 0.
    proportional : bool, default False
        Points in proportion to the best value (「按第1名的比例得分」); every value must be > 0.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[0, w]`; NaN where ``x`` is NaN.  Tied units get the same points.

    Raises
    ------
    ValueError
        Bad ``points`` or ``direction``; more than one of ``table``, ``decrement`` and
        ``proportional``; a table that is empty, not finite, outside [0, w] or increasing; a
        ``decrement`` that is not > 0; ``proportional`` with a value <= 0.

    References
    ----------
    Rule strings such as 「第1名得6分，第2-5名按第1名的比例得分」, 「排名1-5名的依次赋予20、19、18、
    17、16分」 and 「每进1名扣0.1分」 in the repository https://github.com/nima001/syqdemo (file
    ``.svn/pristine/58/586f44a4ba6596d9ec39900778d840a432deae1f.svn-base``): they document
    points by a rank table, by a fixed decrement per place, and in proportion to the first.
    ``shared/METHODS.md``, "Official scoring rules: rank_points";
    ``shared/research/domain.md`` section 3.1.

    Examples
    --------
    Ranks 3, 1, 1, 4 (two units tie for first, so nobody is second); linear: 20 * (4 - 3 + 1)/4
    = 10 and 20 * (4 - 4 + 1)/4 = 5:

    >>> rank_points([8.0, 9.0, 9.0, 5.0], points=20.0, table=[20, 19, 18])
    array([18., 20., 20.,  0.])
    >>> rank_points([8.0, 9.0, 9.0, 5.0], points=20.0)
    array([10., 20., 20.,  5.])
    """
    rule = "rank_points (排位赋分)"
    a = _values(x, rule)
    w = _points(points, rule)
    d = _direction(direction, rule)
    chosen = [
        name
        for name, given in (
            ("table", table is not None),
            ("decrement", decrement is not None),
            ("proportional", bool(proportional)),
        )
        if given
    ]
    if len(chosen) > 1:
        raise ValueError(
            f"{rule}: give at most one of table, decrement and proportional; got "
            f"{' and '.join(chosen)}."
        )
    valid = ~np.isnan(a)
    tab = np.empty(0)
    if table is not None:
        try:
            tab = np.asarray(table, dtype=np.float64)
        except (TypeError, ValueError):
            tab = np.full(1, np.nan)  # reported just below
        if tab.ndim != 1 or tab.size == 0 or not np.isfinite(tab).all():
            raise ValueError(
                f"{rule}: table must list finite points for ranks 1, 2, ...; got {table!r}."
            )
        if ((tab < 0) | (tab > w)).any():
            raise ValueError(
                f"{rule}: every entry of table must be within [0, points] = [0, {w!r}]; got "
                f"{tab.tolist()}."
            )
        if (np.diff(tab) > 0).any():
            raise ValueError(
                f"{rule}: table must not increase from one rank to the next (a better rank "
                f"never scores less); got {tab.tolist()}."
            )
    dec: float | None = None
    if decrement is not None:
        dec = _finite(decrement, rule, "decrement", "points lost per place", positive=True)
    if proportional:
        bad = valid & ~(a > 0)
        if bad.any():
            i = _first(bad)
            raise ValueError(
                f"{rule}: proportional points need values > 0; x[{i}] = {float(a[i])!r}. Use "
                "a table, a decrement or the linear default for this indicator."
            )
    if not valid.any():
        return np.full(a.shape, np.nan)
    r = competition(d * a)
    with np.errstate(invalid="ignore"):
        if table is not None:
            in_table = valid & (r <= tab.size)
            idx = np.where(in_table, r - 1.0, 0.0).astype(np.intp)
            out = np.where(in_table, tab[idx], 0.0)
        elif dec is not None:
            out = np.maximum(w - dec * (r - 1.0), 0.0)
        elif proportional:
            best = float(a[valid].max()) if d > 0 else float(a[valid].min())
            out = w * (a / best) if d > 0 else w * (best / a)
        else:
            n = float(np.count_nonzero(valid))
            out = w * ((n - r + 1.0) / n)
    result: FloatArray = np.where(valid, out, np.nan)
    return result


# --------------------------------------------------------------------------------------------
# 分档赋分
# --------------------------------------------------------------------------------------------


def bands(
    x: ArrayLike,
    points: float,
    *,
    bands: Sequence[tuple[float | None, float | None, float]],
) -> FloatArray:
    r"""Value bands (分档赋分): each band of values scores fixed points.

    .. math::

        p_i = \mathrm{pts}_k \ \text{ for the first band } k \text{ with }
        \mathrm{lo}_k \le x_i < \mathrm{hi}_k, \qquad p_i = 0 \text{ if no band matches.}

    The lower bound belongs to the band, the upper one does not (80亿以上 = 80 and above).
    Bands need not be ordered or contiguous and may overlap (the first match wins), so a
    moderate indicator (适度) can score highest in a middle band.

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing.
    points : float
        The indicator's 分值 :math:`w` (> 0).
    bands : sequence of (lo, hi, pts)
        ``lo`` None = :math:`-\infty`, ``hi`` None = :math:`+\infty`; ``lo < hi``; each
        ``pts`` in [0, w].

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[0, w]`; NaN where ``x`` is NaN.

    Raises
    ------
    ValueError
        Bad ``points``; no band; a band that is not (lo, hi, pts), has a bound that is not a
        finite number or None, has ``lo >= hi``, or points outside [0, w].

    References
    ----------
    Park self-evaluation sheet, https://max.book118.com/html/2020/1105/6044202045003015.shtm :
    documents value bands with fixed points (利润总额 80亿以上 3分, 20–80亿 2.4分 ...).
    ``shared/METHODS.md``, "Official scoring rules: bands"; ``shared/research/domain.md``
    section 3.1.

    Examples
    --------
    >>> spec = [(80.0, None, 3.0), (20.0, 80.0, 2.4), (None, 20.0, 1.0)]
    >>> bands([120.0, 80.0, 20.0, 5.0, float("nan")], points=3.0, bands=spec)
    array([3. , 3. , 2.4, 1. , nan])
    """
    rule = "bands (分档赋分)"
    a = _values(x, rule)
    w = _points(points, rule)
    spec = list(bands)
    if not spec:
        raise ValueError(f"{rule}: bands must list at least one band (lo, hi, pts).")
    lows: list[float] = []
    highs: list[float] = []
    pts: list[float] = []
    for k, band in enumerate(spec):
        try:
            lo, hi, p = band
        except (TypeError, ValueError):
            raise ValueError(
                f"{rule}: bands[{k}] must be (lo, hi, pts), e.g. (20, 80, 2.4); got {band!r}."
            ) from None
        lo_v = -math.inf if lo is None else _finite(lo, rule, f"bands[{k}] lo", "lower bound")
        hi_v = math.inf if hi is None else _finite(hi, rule, f"bands[{k}] hi", "upper bound")
        if not lo_v < hi_v:
            raise ValueError(
                f"{rule}: bands[{k}] has lo = {lo!r} >= hi = {hi!r}; a band holds lo <= x < hi."
            )
        p_v = _number(p, rule, f"bands[{k}] pts")
        if not (0.0 <= p_v <= w):
            raise ValueError(
                f"{rule}: bands[{k}] scores {p!r} points, outside [0, points] = [0, {w!r}]."
            )
        lows.append(lo_v)
        highs.append(hi_v)
        pts.append(p_v)
    lo_a = np.array(lows)
    hi_a = np.array(highs)
    open_hi = np.array([band[1] is None for band in spec])
    col = a[:, None]
    match = (col >= lo_a) & ((col < hi_a) | open_hi)  # NaN matches nothing
    first = match.argmax(axis=1)
    out = np.where(match.any(axis=1), np.array(pts)[first], 0.0)
    result: FloatArray = np.where(np.isnan(a), np.nan, out)
    return result


# --------------------------------------------------------------------------------------------
# 标杆比值法
# --------------------------------------------------------------------------------------------


def benchmark_ratio(
    x: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    benchmark: float | None = None,
    cap: float | None = None,
) -> FloatArray:
    r"""Benchmark ratio (标杆比值法): points in proportion to the value over a benchmark.

    .. math::

        p_i = w\,\frac{x_i}{b}\ (\text{positive}), \qquad
        p_i = w\,\frac{b}{x_i}\ (\text{negative}), \qquad
        p_i \leftarrow \min\big(\max(p_i, 0),\ \mathrm{cap}\cdot w\big)

    with :math:`b` the benchmark (a reference value, or by default the mean of the group's
    non-missing values).  This is the 亩均 (per-mu) form, e.g. 亩均税收 ÷ 24.097 × 30: a unit at
    the benchmark scores :math:`w`, one at twice the benchmark :math:`2w` unless capped.  A
    negative value of a positive indicator scores 0, never negative points.

    Parameters
    ----------
    x : array_like, shape (n,)
        The units' values; NaN = missing.
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向), -1 negative (逆向, b/x: values must be >= 0).
    benchmark : float, optional
        :math:`b` (> 0); default the group mean, which must then be > 0.
    cap : float, optional
        Highest score as a multiple of :math:`w` (> 0), e.g. 1.0 or 1.2; default uncapped.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[0, \mathrm{cap}\cdot w]` (:math:`[0, \infty)` uncapped); NaN where
        ``x`` is NaN.  A value of 0 in a negative indicator scores ``cap * w``.

    Raises
    ------
    ValueError
        Bad ``points``, ``direction``, ``benchmark`` or ``cap``; a group mean <= 0 used as the
        benchmark; a value < 0 in a negative indicator, or a value of 0 there without a cap
        (b/0 would be infinite points).

    References
    ----------
    亩均 scoring of 黄岩, https://www.chacewang.com/newsdetail/news430850.html : documents
    规上 = 亩均税收÷24.097×30 + 亩均增加值÷136.16×20 + ... (each value over its benchmark
    times the indicator's points).  ``shared/METHODS.md``, "Official scoring rules:
    benchmark_ratio"; ``shared/research/domain.md`` sections 3.1 and 6.

    Examples
    --------
    >>> benchmark_ratio([24.097, 48.194, 12.0485], points=30.0, benchmark=24.097, cap=1.2)
    array([30., 36., 15.])
    """
    rule = "benchmark_ratio (标杆比值法)"
    a = _values(x, rule)
    w = _points(points, rule)
    d = _direction(direction, rule)
    c: float | None = None
    if cap is not None:
        c = _finite(cap, rule, "cap", "the highest score as a multiple of points", positive=True)
    if benchmark is not None:
        b = _finite(benchmark, rule, "benchmark", "the reference value", positive=True)
    else:
        b = _group_mean(a)
        if math.isnan(b):  # no value in the group
            return np.full(a.shape, np.nan)
        if not b > 0:
            raise ValueError(
                f"{rule}: the group mean ({b!r}) would be the benchmark but is not > 0; give "
                "benchmark=... (a reference value > 0)."
            )
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if d > 0:
            pts = w * (a / b)
        else:
            bad = a < 0
            if bad.any():
                i = _first(bad)
                raise ValueError(
                    f"{rule}: x[{i}] = {float(a[i])!r} is negative in a negative indicator "
                    "(逆向), where the score is benchmark / x; check the value."
                )
            zero = a == 0
            if zero.any() and c is None:
                i = _first(zero)
                raise ValueError(
                    f"{rule}: x[{i}] = 0 in a negative indicator gives benchmark / 0 = infinite "
                    "points; give a cap (e.g. cap=1.2)."
                )
            pts = np.where(zero, np.inf, w * (b / np.where(zero, 1.0, a)))
    pts = np.maximum(pts, 0.0)
    if c is not None:
        pts = np.minimum(pts, c * w)
    result: FloatArray = pts
    return result


# --------------------------------------------------------------------------------------------
# 总量 + 增量
# --------------------------------------------------------------------------------------------


def level_and_growth(
    level: ArrayLike,
    growth: ArrayLike,
    points: float,
    direction: int = 1,
    *,
    a: float = 0.6,
    base: float = 0.6,
) -> FloatArray:
    r"""Level and growth (总量 + 增量): a weighted sum of two efficacy scores.

    .. math::

        p_i = w\,\big(a\, s^{\mathrm{level}}_i + (1 - a)\, s^{\mathrm{growth}}_i\big)

    where each :math:`s \in [\mathrm{base}, 1]` is the efficacy score of :func:`efficacy` with
    :math:`w = 1` and the default goalposts (the group's best and worst), computed separately
    for the level (e.g. 实际到位资金) and for its growth (e.g. 增幅), each over its own
    non-missing values.

    Parameters
    ----------
    level, growth : array_like, shape (n,)
        The units' level and growth; NaN = missing (NaN points if either is missing).
    points : float
        The indicator's 分值 :math:`w` (> 0).
    direction : {1, -1}, default 1
        +1 positive (正向), -1 negative (逆向), for both parts.
    a : float, default 0.6
        Share of the level, in [0, 1] (总量60% + 增幅40%).
    base : float, default 0.6
        The efficacy base of both parts, in [0, 1].

    Returns
    -------
    numpy.ndarray, shape (n,)
        Points in :math:`[\mathrm{base}\cdot w, w]`; NaN where ``level`` or ``growth`` is NaN.

    Raises
    ------
    ValueError
        Bad ``points``, ``direction``, ``a`` or ``base``; ``level`` and ``growth`` of
        different lengths.

    References
    ----------
    信阳 招商引资 monthly ranking,
    http://swj.xinyang.gov.cn/index.php?m=content&c=index&a=show&catid=6&id=2665 : documents
    the efficacy coefficient method applied to the total (总量, 60%) and the growth (增幅, 40%).
    ``shared/METHODS.md``, "Official scoring rules: level_and_growth";
    ``shared/research/domain.md`` section 3.1.

    Examples
    --------
    Level: 100 is worst (0.6), 300 best (1.0); growth: 12 best (1.0), 4 worst (0.6):
    10 * (0.6 * 0.6 + 0.4 * 1.0) = 7.6 and 10 * (0.6 * 1.0 + 0.4 * 0.6) = 8.4.

    >>> level_and_growth([100.0, 300.0], [12.0, 4.0], points=10.0)
    array([7.6, 8.4])
    """
    rule = "level_and_growth (总量+增量)"
    lv = _values(level, rule, "level")
    gr = _values(growth, rule, "growth")
    if lv.shape != gr.shape:
        raise ValueError(
            f"{rule}: level and growth must have one value per unit each; got {lv.size} and "
            f"{gr.size} values."
        )
    w = _points(points, rule)
    d = _direction(direction, rule)
    share = _fraction(a, rule, "a", "the share of the level")
    b = _fraction(base, rule, "base", "the efficacy base")
    s_l = _efficacy_fraction(lv, d, b, None, None, rule)
    s_g = _efficacy_fraction(gr, d, b, None, None, rule)
    # s_g + a (s_l - s_g): exactly 1 when both are 1; min() guards against a last-bit overshoot.
    result: FloatArray = np.minimum(w * (s_g + share * (s_l - s_g)), w)
    return result


# --------------------------------------------------------------------------------------------
# 评委打分
# --------------------------------------------------------------------------------------------


def judged(
    scores: ArrayLike,
    *,
    trim: bool = True,
    min_judges_for_trim: int = 5,
) -> FloatArray:
    r"""Judges' scores (评委打分): the (trimmed) mean over the judges, per unit and criterion.

    .. math::

        \bar{s}_{ic} = \frac{1}{|J_{ic}|} \sum_{j \in J_{ic}} s_{ijc}

    where :math:`J_{ic}` are the judges who scored unit :math:`i` on criterion :math:`c`, less
    one highest and one lowest score (去掉一个最高分和一个最低分) when ``trim`` and at least
    ``min_judges_for_trim`` judges scored it.  Ties are dropped once: of two equal highest
    scores, one stays.

    Parameters
    ----------
    scores : array_like, shape (units, judges, criteria)
        The judges' scores; NaN = that judge did not score that unit on that criterion.
    trim : bool, default True
        Drop one highest and one lowest score (when there are enough judges).
    min_judges_for_trim : int, default 5
        The fewest scores (non-missing) for which the trimming applies; at least 3.

    Returns
    -------
    numpy.ndarray, shape (units, criteria)
        The mean scores; NaN where no judge scored.

    Raises
    ------
    ValueError
        ``scores`` not 3-D; ``min_judges_for_trim`` not an integer >= 3.

    References
    ----------
    Zhoukou 2021 observation results, http://m.fjxmems.com/news/zhoukou/yw/2021-02-25/308512.html :
    documents per-unit scores from observation teams (川汇区 95.01 in the 区组).  Dropping the
    highest and lowest score is common practice but was not found in a published source
    (``shared/research/domain.md`` sections 3.1 and 10).  ``shared/METHODS.md``, "Official
    scoring rules: judged".

    Examples
    --------
    One unit, five judges, one criterion: drop 95 and 70, mean of 80, 85, 90 = 85.

    >>> judged([[[95.0], [80.0], [85.0], [70.0], [90.0]]])
    array([[85.]])
    >>> judged([[[95.0], [80.0], [85.0], [70.0], [90.0]]], trim=False)
    array([[84.]])
    """
    rule = "judged (评委打分)"
    S = _values_3d(scores, rule)
    if isinstance(min_judges_for_trim, bool):
        raise ValueError(f"{rule}: min_judges_for_trim must be an integer >= 3; got True/False.")
    try:
        k_min = operator.index(min_judges_for_trim)
    except TypeError:
        raise ValueError(
            f"{rule}: min_judges_for_trim must be an integer >= 3; got {min_judges_for_trim!r}."
        ) from None
    if k_min < 3:
        raise ValueError(
            f"{rule}: min_judges_for_trim must be >= 3 (dropping the highest and the lowest "
            f"score must leave one); got {k_min}."
        )
    units, judges, criteria = S.shape
    if judges == 0:
        return np.full((units, criteria), np.nan)
    k = np.count_nonzero(~np.isnan(S), axis=1)  # (units, criteria)
    ordered = np.sort(S, axis=1)  # per unit and criterion, ascending, NaN last
    pos = np.arange(judges)[None, :, None]
    kk = k[:, None, :]
    do_trim = bool(trim) & (kk >= k_min)
    keep = (pos < kk) & (~do_trim | ((pos >= 1) & (pos < kk - 1)))
    count = np.where(do_trim[:, 0, :], k - 2, k)
    total = np.where(keep, ordered, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)
    result: FloatArray = mean
    return result


def _values_3d(scores: ArrayLike, rule: str) -> FloatArray:
    try:
        S = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{rule}: scores must be numbers of shape (units, judges, criteria), NaN where a "
            "judge did not score."
        ) from None
    if S.ndim != 3:
        raise ValueError(
            f"{rule}: scores must have shape (units, judges, criteria); got an array of shape "
            f"{S.shape}. For one criterion, use scores[:, :, None]."
        )
    return S
