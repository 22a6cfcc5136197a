"""Margins: what it takes a unit to reach a rank or a tier (差距与提升空间).

For one unit and a goal -- the next rank up, a rank r, a tier such as 第一方阵 -- the score gap
to the unit that holds the goal's boundary now, and, per indicator, the smallest change of
that indicator alone (in its own unit: "+2.1 个百分点", "+3 家") that makes the unit reach the
goal with every other figure fixed.  Found by re-scoring the real pipeline (academic or
official), not by a linear guess: normalisation, objective weights, targets' completion,
caps and tiers all move as they would, and the answer is checked -- at the value given the
goal is reached, one step of the figure's precision short of it it is not.

The search moves the figure in its good direction (up for a positive indicator, down for a
negative one) within the methodology's hard range and cross-checks (a figure the methodology
would refuse is never proposed), and bisects between the current value and the furthest
allowed one.  It assumes that moving a figure further in its good direction never costs the
unit its goal once reached: true of fixed weights; with objective weights (entropy, CRITIC ...)
the weights move with the figure and ``weights_move`` says so.  Indicators without a single
good direction (适度、约束), without a figure for the unit, or judged by people are not searched.
See METHODS.md, "Margins".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from kaoping.data import Panel, Units
from kaoping.errors import InputError, KaopingWarning, Problem
from kaoping.methodology import Methodology
from kaoping.methodology.model import OBJECTIVE_METHODS
from kaoping.methodology.plausibility import limits

MAX_STEPS = 60
"""Bisection steps per indicator at most (the bracket halves each step)."""


@dataclass(frozen=True)
class Goal:
    """What the unit is to reach: ``rank`` (at least this rank) or ``tier`` (this tier or a
    better one).  ``label`` says it in Chinese and English."""

    rank: int | None
    tier: str | None
    zh: str
    en: str


@dataclass(frozen=True)
class Change:
    """The smallest change of one indicator alone that reaches the goal.

    ``needed`` is the figure that reaches it (None: not reachable by this indicator alone,
    ``why`` says why), ``change`` = ``needed - current`` in the indicator's unit, ``step``
    the precision searched to (the figures' own decimals)."""

    indicator: str
    name: str
    unit: str
    current: float
    needed: float | None
    change: float | None
    step: float
    why_zh: str = ""
    why_en: str = ""
    name_en: str = ""

    @property
    def reachable(self) -> bool:
        return self.needed is not None


@dataclass(frozen=True)
class Margin:
    """A unit's distance to a goal: where it stands, who holds the goal's boundary and by how
    many points, and per indicator the change that would close the gap (best first)."""

    unit: str
    name: str
    period: str
    goal: Goal
    rank: int | None
    score: float | None
    tier: str | None
    reached: bool
    holder: str | None
    gap: float | None
    changes: tuple[Change, ...]
    weights_move: bool
    notes: tuple[tuple[str, str], ...] = ()
    """(zh, en) of what else the unit should know, e.g. a veto that keeps it out of every
    tier."""

    def frame(self) -> pd.DataFrame:
        """One row per indicator searched: indicator, name, unit, current, needed, change,
        step, why (zh)."""
        return pd.DataFrame(
            [
                {
                    "indicator": c.indicator,
                    "name": c.name,
                    "unit": c.unit,
                    "current": c.current,
                    "needed": c.needed,
                    "change": c.change,
                    "step": c.step,
                    "why": c.why_zh,
                }
                for c in self.changes
            ],
            columns=["indicator", "name", "unit", "current", "needed", "change", "step", "why"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "period": self.period,
            "goal": {"rank": self.goal.rank, "tier": self.goal.tier, "zh": self.goal.zh,
                     "en": self.goal.en},
            "rank": self.rank,
            "score": self.score,
            "tier": self.tier,
            "reached": self.reached,
            "holder": self.holder,
            "gap": self.gap,
            "weights_move": self.weights_move,
            "changes": [
                {"indicator": c.indicator, "name": c.name, "name_en": c.name_en, "unit": c.unit,
                 "current": c.current,
                 "needed": c.needed, "change": c.change, "step": c.step, "why_zh": c.why_zh,
                 "why_en": c.why_en}
                for c in self.changes
            ],
            "notes": list(self.notes),
        }  # fmt: skip


def margins(
    methodology: Methodology,
    panel: Panel,
    unit: str,
    period: str | int | None = None,
    *,
    goal: str | int = "next",
    units: Units | None = None,
    indicators: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    **official: Any,
) -> Margin:
    """What it takes ``unit`` to reach ``goal`` in ``period`` (see the module's text).

    Parameters
    ----------
    goal : str or int
        ``"next"`` (one rank up, the default), a rank (``3`` or ``"rank:3"``), ``"tier"`` (the
        first tier, e.g. 第一方阵) or ``"tier:第二方阵"``.
    indicators : sequence of str, optional
        The indicators to search (default: every scored one with a figure and a direction).
    progress : callable, optional
        Called with each indicator's id as its search starts (for a progress bar).
    **official
        ``targets``, ``events``, ``judged``, ``previous`` for an official methodology, as
        :func:`kaoping.assess`.

    Raises
    ------
    InputError
        The unit is not assessed, the goal is not one of the methodology's ranks or tiers,
        or the assessment itself refuses the data.
    """
    from kaoping.assess import assess

    code = str(unit)
    base_panel = _relevant(methodology, panel, period)

    def run(candidate: Panel) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", KaopingWarning)
            return assess(methodology, candidate, period, units=units, **official)

    result = run(base_panel)
    table = result.table
    if code not in table.index:
        raise InputError(
            [
                Problem(
                    "margins.unknown_unit",
                    f"单位 {code} 不在 {result.period} 的排名中。请给出参加排名的单位代码。",
                    f"unit {code} is not in the {result.period} ranking; give the code of a "
                    "ranked unit.",
                    "unit",
                )
            ]
        )
    known = {i.id for i in methodology.indicators}
    strange = [i for i in indicators or () if i not in known]
    if strange:
        raise InputError(
            [
                Problem(
                    "margins.unknown_indicator",
                    f"考核办法 {methodology.id} 中没有指标 {i}。",
                    f"methodology {methodology.id} has no indicator {i}.",
                    i,
                )
                for i in strange
            ]
        )
    wanted = _goal(goal, methodology, _rank(table, code))
    reached = _reached(wanted, methodology, table, code)
    holder, gap = _boundary(wanted, methodology, table, code)
    row = table.loc[code]
    notes: list[tuple[str, str]] = []
    if "veto" in table.columns and isinstance(row.get("veto"), str) and wanted.tier:
        notes.append((f"一票否决：{row['veto']}——无论数值如何都不进入方阵。",
                      f"vetoed: {row['veto']} -- no tier whatever the figures."))  # fmt: skip
    raw = result.raw
    searched = _candidates(methodology, result, code, indicators)
    changes: list[Change] = []
    if not reached:
        for ident in searched:
            if progress is not None:
                progress(ident)
            found = _search(
                methodology, base_panel, raw, code, ident, result.period,
                lambda p: _reached_or_none(run, p, wanted, methodology, code),
            )  # fmt: skip
            changes.append(replace(found, name_en=methodology.indicator(ident).name_en or ""))
    changes.sort(key=lambda c: (not c.reachable, _effort(c, raw)))
    weighting = methodology.weighting
    moving = weighting.method in OBJECTIVE_METHODS or (
        weighting.method == "combine" and weighting.objective in OBJECTIVE_METHODS
    )
    return Margin(
        unit=code,
        name=str(row.get("name") or code),
        period=result.period,
        goal=wanted,
        rank=_rank(table, code),
        score=_float(row.get("score")),
        tier=row.get("tier") if isinstance(row.get("tier"), str) else None,
        reached=reached,
        holder=holder,
        gap=gap,
        changes=tuple(changes),
        weights_move=methodology.official is None and moving,
        notes=tuple(notes),
    )


# --- the goal ------------------------------------------------------------------------------


def _goal(goal: str | int, methodology: Methodology, rank: int | None) -> Goal:
    text = str(goal).strip()
    tiers = [t.name for t in methodology.tiers]
    if text == "next":
        target = max(1, (rank or 1) - 1)
        return Goal(target, None, f"前进一位（第 {target} 名）", f"rank {target} (one up)")
    if text.startswith("rank:"):
        text = text[5:]
    if text.isdigit() and int(text) >= 1:
        return Goal(int(text), None, f"第 {int(text)} 名", f"rank {int(text)}")
    if text == "tier" and tiers:
        text = f"tier:{tiers[0]}"
    if text.startswith("tier:") and text[5:] in tiers:
        name = text[5:]
        tier = next(t for t in methodology.tiers if t.name == name)
        return Goal(None, name, f"进入{name}", tier.name_en or name)
    choices = "、".join(["next", "rank:N", *(f"tier:{t}" for t in tiers)])
    raise InputError(
        [
            Problem(
                "margins.bad_goal",
                f"目标 “{goal}” 无法识别：可用 {choices}。",
                f"goal {goal!r} is not understood; use one of {choices}.",
                "goal",
            )
        ]
    )


def _rank(table: pd.DataFrame, code: str) -> int | None:
    value: Any = table.loc[code, "rank"]
    return None if pd.isna(value) else int(value)


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _reached(goal: Goal, methodology: Methodology, table: pd.DataFrame, code: str) -> bool:
    if goal.rank is not None:
        rank = _rank(table, code)
        return rank is not None and rank <= goal.rank
    tiers = [t.name for t in methodology.tiers]
    tier = table.loc[code, "tier"]
    wanted = goal.tier or ""
    return isinstance(tier, str) and tier in tiers and tiers.index(tier) <= tiers.index(wanted)


def _reached_or_none(
    run: Callable[[Panel], Any], panel: Panel, goal: Goal, methodology: Methodology, code: str
) -> bool | None:
    """Whether the unit reaches the goal with these figures; None when the methodology
    refuses them (a hard range or a cross-check broken)."""
    try:
        result = run(panel)
    except InputError:
        return None
    return _reached(goal, methodology, result.table, code)


def _boundary(
    goal: Goal, methodology: Methodology, table: pd.DataFrame, code: str
) -> tuple[str | None, float | None]:
    """The unit that holds the goal's boundary now and the points the unit is short of it
    (None, 0 once reached)."""
    if _reached(goal, methodology, table, code):
        return None, 0.0
    score = _float(table.loc[code, "score"])
    ranked = table[table["rank"].notna()].sort_values("rank")
    if goal.rank is not None:
        at = ranked[ranked["rank"] <= goal.rank]
    else:
        tier = next(t for t in methodology.tiers if t.name == goal.tier)
        names = [t.name for t in methodology.tiers]
        better = names[: names.index(tier.name) + 1]
        at = ranked[ranked["tier"].isin(better)] if "tier" in ranked else ranked.iloc[:0]
        if at.empty and tier.min_score is not None and score is not None:
            return None, float(tier.min_score) - score
    if at.empty or score is None:
        return None, None
    last = at.index[-1]
    return str(last), float(at.loc[last, "score"]) - score


# --- the search ----------------------------------------------------------------------------


def _relevant(methodology: Methodology, panel: Panel, period: str | int | None) -> Panel:
    """The rows that re-scoring reads: ``period`` and the same period a year earlier
    (growth rules, year-on-year checks), or every earlier period where missing figures are
    carried forward.  Fewer rows make each of the search's assessments faster."""
    from kaoping.methodology.plausibility import previous_period

    periods = sorted(panel.periods)
    if not periods:
        return panel
    chosen = str(period) if period is not None else periods[-1]
    if methodology.missing.method == "carry_forward":
        kept = [p for p in periods if p <= chosen]
    else:
        kept = [p for p in (previous_period(chosen, periods), chosen) if p is not None]
    if len(kept) == len(periods):
        return panel
    frame = panel.frame
    return Panel._wrap(frame[frame["period"].isin(kept)])


def _candidates(
    methodology: Methodology, result: Any, code: str, wanted: Sequence[str] | None
) -> list[str]:
    scored = {i.id for i in methodology.scored_indicators}
    if methodology.official is not None:  # what the scoring table gives points for
        scored = {str(c) for c in result.points.columns} & {i.id for i in methodology.indicators}
    out = []
    for ind in methodology.indicators:
        if wanted is not None and ind.id not in wanted:
            continue
        if ind.id not in scored or ind.direction not in ("positive", "negative"):
            continue
        if ind.id not in result.raw.columns or pd.isna(result.raw.loc[code, ind.id]):
            continue
        out.append(ind.id)
    return out


def _step(values: pd.Series, whole: bool) -> float:
    """The figures' precision: 1 for whole numbers, else 10^-d for the most decimals the
    column shows (at most 4)."""
    if whole:
        return 1.0
    decimals = 0
    for v in values.dropna():
        text = f"{float(v):.6f}".rstrip("0").rstrip(".")
        if "." in text:
            decimals = max(decimals, len(text.split(".")[1]))
    return 10.0 ** -min(max(decimals, 1), 4)


def _with(panel: Panel, code: str, ident: str, period: str, value: float) -> Panel:
    frame = panel.frame.copy()
    mask = (frame["unit"] == code) & (frame["indicator"] == ident) & (frame["period"] == period)
    frame.loc[mask, "value"] = value
    return Panel._wrap(frame)


def _search(
    methodology: Methodology,
    panel: Panel,
    raw: pd.DataFrame,
    code: str,
    ident: str,
    period: str,
    reaches: Callable[[Panel], bool | None],
) -> Change:
    ind = methodology.indicator(ident)
    rules = limits(methodology, ind)
    figure: Any = raw.loc[code, ident]
    current = float(figure)
    sign = 1.0 if ind.direction == "positive" else -1.0
    step = _step(raw[ident], rules.whole)
    column = raw[ident].dropna().astype(float)
    span = max(float(column.max() - column.min()), abs(current), 1.0)
    far = current + sign * 4 * span  # past every unit's figure: normalisation saturates
    bound = rules.max if sign > 0 else rules.min
    if bound is not None and (far - bound) * sign > 0:
        far = float(bound)

    def at(value: float) -> bool | None:
        return reaches(_with(panel, code, ident, period, value))

    places = _places(step) + _places_of(current)

    def snap(value: float) -> float:  # onto the figures' grid, in the good direction, and
        steps = (value - current) / step  # written as the figure would be (1.2, not
        return round(current + sign * math.ceil(abs(steps) - 1e-9) * step, places)  # 1.2000..02)

    name, unit = ind.name, ind.unit or ""
    if (far - current) * sign <= 0:
        limit = ("已到考核办法允许的极限。", "already at the methodology's limit.")
        return Change(ident, name, unit, current, None, None, step, *limit)
    lo, hi = current, snap(far) if (snap(far) - far) * sign <= 0 else far
    outcome = at(hi)
    if outcome is None:  # a rule refuses the far end: find the furthest allowed figure
        ok, bad = lo, hi
        for _ in range(MAX_STEPS):
            if abs(bad - ok) <= step:
                break
            mid = (ok + bad) / 2
            if at(mid) is None:
                bad = mid
            else:
                ok = mid
        hi = ok
        outcome = at(hi) if hi != lo else False
        if not outcome:
            return Change(ident, name, unit, current, None, None, step,
                          "在考核办法的规则（范围、交叉校验）之内，仅靠这一项达不到。",
                          "not reachable by this indicator alone within the methodology's "
                          "rules (ranges, cross-checks).")  # fmt: skip
    elif not outcome:
        return Change(ident, name, unit, current, None, None, step,
                      "仅靠这一项达不到（已试到考核办法允许的范围或远超各单位的数值）。",
                      "not reachable by this indicator alone (tried to the methodology's "
                      "range or far past every unit's figure).")  # fmt: skip
    # small changes are the common answer: grow a step at a time, doubling, until the goal
    # is reached, then bisect what is left (fewer assessments than halving from the far end)
    reach = step
    while (current + sign * reach - hi) * sign < 0 and reach < MAX_STEPS * span:
        trial = snap(current + sign * reach)
        if at(trial):
            hi = trial
            break
        lo = trial
        reach *= 2
    for _ in range(MAX_STEPS):  # lo never reaches, hi does
        if abs(hi - lo) <= step * (1 + 1e-9):
            break
        mid = snap((lo + hi) / 2)
        if (mid - lo) * sign <= 0 or (hi - mid) * sign <= 0:
            mid = (lo + hi) / 2
        if at(mid):
            hi = mid
        else:
            lo = mid
    needed = snap(hi)
    if not at(needed):  # the grid point beyond hi (hi itself reaches)
        needed = hi
    change = needed - current
    return Change(ident, name, unit, current, _clean(needed, step), _clean(change, step), step)


def _places(step: float) -> int:
    """Decimal places of a step (0.01 -> 2, 1 -> 0)."""
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _places_of(value: float) -> int:
    """Decimal places a figure is written with (at most 6)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _clean(value: float, step: float) -> float:
    """``value`` rounded to the figures' decimals (floating point noise off)."""
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return round(value, decimals + 2)


def _effort(change: Change, raw: pd.DataFrame) -> float:
    """How big a change is, relative to the spread of the indicator's figures (to list the
    easiest first)."""
    if change.change is None:
        return math.inf
    spread = float(np.nanstd(raw[change.indicator].to_numpy(dtype=float))) or 1.0
    return abs(change.change) / spread


def describe(margin: Margin, english: bool = False) -> list[str]:
    """The margin in sentences, one per line (for the console and the web)."""
    lines: list[str] = []
    goal = margin.goal.en if english else margin.goal.zh
    if margin.reached:
        return [f"{margin.name} ({margin.unit}): {goal} — already reached." if english
                else f"{margin.name}（{margin.unit}）已{goal}。"]  # fmt: skip
    if margin.gap is not None and margin.holder:
        lines.append(
            f"{margin.name} ({margin.unit}) is {margin.gap:.2f} points short of {goal} "
            f"(held by {margin.holder})."
            if english
            else f"{margin.name}（{margin.unit}）距{goal}差 {margin.gap:.2f} 分（目前由 "
            f"{margin.holder} 保持）。"
        )
    for c in margin.changes:
        name = (c.name_en or c.name) if english else c.name
        if c.reachable:
            sign = "+" if (c.change or 0) > 0 else ""
            unit = "" if c.unit in ("", "%") else f" {c.unit}"
            if c.unit == "%":
                unit = " percentage points" if english else " 个百分点"
            lines.append(f"  {name}: {c.current:g} → {c.needed:g} ({sign}{c.change:g}{unit})")
        else:
            lines.append(f"  {name}: {c.why_en if english else c.why_zh}")
    if margin.weights_move:
        lines.append(
            "  (objective weights move with each figure: each change is re-scored with them)"
            if english
            else "  （客观赋权的权重随数值变化，以上每一项都已连同权重重新计算）"
        )
    return lines


__all__ = ["Change", "Goal", "Margin", "describe", "margins"]
