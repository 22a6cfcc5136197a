"""Park star levels (开发区星级评定): eligible level, one step up a year, demotion below the gate.

Henan's park assessment gives star titles (一星级 … 五星级) from the annual score, and parks
that fall below a threshold (门槛) leave the list, demoted to 市级专业园区 (domain.md §5.1).
The rule, as the ``stars:`` block of a methodology gives it (:class:`StarRule`):

1. **Gate.**  A park whose score is below ``gate`` is demoted: star 0 (no star), whatever it
   held, ``gate`` True, change ``"demoted"`` (``"new"`` for a park with no previous star).
2. **Eligible level.**  Otherwise the park is *eligible* for the highest level ``L`` such that,
   for every level ``k <= L``, the score is at least ``min_score(k)`` and every indicator named
   in ``minima(k)`` is at least its minimum (``>=``; a missing value does not meet a minimum).
   A park above the gate but short of one star is eligible for 0.
3. **At most ``max_step_up`` up a year.**  With last year's star ``p`` (``previous``), the star
   is ``min(L, p + max_step_up)``; ``capped`` is True when the cap bit (``L > p + step``).  A
   park that is eligible for less than it held drops to ``L`` at once: there is no protection
   of a star already held, so **the star never exceeds the eligible level**.
4. **A new park** (no previous star: ``previous`` is None, lacks the park, or holds NA) starts
   at its eligible level, uncapped: the cap limits a rise from one year to the next, and a
   park rated for the first time has no year to rise from.  Its change is ``"new"``.

Change: ``"up"``, ``"down"``, ``"same"`` (against ``previous``), ``"new"`` or ``"demoted"``.
Rank: by score, 1 = best, ties share the lowest rank (1, 2, 2, 4).  Every park gets a reason
in Chinese and in English: which threshold it met and which it missed, whether the one-step cap
applied, or that it fell below the gate.

Worked example (levels 1–3 at 40, 50, 60, 3 stars also needing tax_per_mu >= 30, gate 30):
a park scoring 65 with tax_per_mu 35 is eligible for 3; with last year's 1 star it gets 2,
capped.  With tax_per_mu 20 it is eligible for 2 only (the 3-star minimum blocks it).  A park
scoring 25 gets 0, demoted, whatever it held.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from kaoping.methodology.model import Methodology, StarsSpec

__all__ = ["CHANGES", "RATE_COLUMNS", "StarLevelRule", "StarRule", "rate"]

CHANGES: Final[tuple[str, ...]] = ("up", "down", "same", "new", "demoted")
"""The values of the ``change`` column of :func:`rate`."""

RATE_COLUMNS: Final[tuple[str, ...]] = (
    "score",
    "rank",
    "eligible",
    "star",
    "previous",
    "change",
    "capped",
    "gate",
    "reason_zh",
    "reason_en",
)
"""The columns of the frame :func:`rate` returns (indexed by park)."""

_ZH_DIGITS: Final = "零一二三四五六七八九十"


@dataclass(frozen=True)
class StarLevelRule:
    """One level: the star, its lowest score, indicator minima and its names."""

    star: int
    min_score: float
    minima: Mapping[str, float] = field(default_factory=dict)
    name: str = ""
    name_en: str = ""

    @property
    def label_zh(self) -> str:
        """``三星级`` (the given name, else built from the star)."""
        return self.name or _star_zh(self.star)

    @property
    def label_en(self) -> str:
        """``3 stars`` (the given English name, else built from the star)."""
        return self.name_en or _star_en(self.star)


@dataclass(frozen=True)
class StarRule:
    """The star-level rule: levels 1..n, the gate (门槛) score, the yearly step-up limit.

    ``labels`` maps indicator ids to ``(name, English name, unit)`` for the reasons; without
    it the reasons name indicators by id.

    Raises
    ------
    ValueError
        When the levels are not 1..n in order with rising scores, the gate is above the first
        level, or ``max_step_up`` is below 1.
    """

    levels: tuple[StarLevelRule, ...]
    gate: float
    max_step_up: int = 1
    labels: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        stars = [level.star for level in self.levels]
        if stars != list(range(1, len(stars) + 1)):
            raise ValueError(f"star levels must be 1..n in order, got {stars}")
        scores = [level.min_score for level in self.levels]
        if any(b <= a for a, b in itertools.pairwise(scores)):
            raise ValueError(f"star min_scores must rise with the level, got {scores}")
        if scores and self.gate > scores[0]:
            raise ValueError(f"the gate {self.gate} is above the one-star score {scores[0]}")
        if self.max_step_up < 1:
            raise ValueError(f"max_step_up must be at least 1, got {self.max_step_up}")

    @classmethod
    def from_spec(
        cls, spec: StarsSpec | Mapping[str, Any], methodology: Methodology | None = None
    ) -> StarRule:
        """The rule of a ``stars:`` block (a :class:`StarsSpec` or its YAML mapping); the
        indicator names and units of the reasons come from ``methodology`` when given."""
        if not isinstance(spec, StarsSpec):
            spec = StarsSpec.model_validate(spec)
        labels: dict[str, tuple[str, str, str]] = {}
        if methodology is not None:
            for ind in methodology.indicators:
                labels[ind.id] = (ind.name, ind.name_en or ind.id, ind.unit or "")
        levels = tuple(
            StarLevelRule(
                star=level.star,
                min_score=float(level.min_score),
                minima={str(k): float(v) for k, v in level.minima.items()},
                name=level.name or "",
                name_en=level.name_en or "",
            )
            for level in spec.levels
        )
        return cls(levels, float(spec.gate), spec.max_step_up, labels)

    @classmethod
    def from_methodology(cls, methodology: Methodology) -> StarRule:
        """The rule of a methodology's ``stars:`` block; ValueError when it has none."""
        if methodology.stars is None:
            raise ValueError(f"methodology {methodology.id} has no stars: block")
        return cls.from_spec(methodology.stars, methodology)

    @property
    def top(self) -> int:
        """The highest star."""
        return len(self.levels)

    def label_zh(self, star: int) -> str:
        """``三星级``, or ``无星级`` for 0."""
        return self.levels[star - 1].label_zh if star >= 1 else "无星级"

    def label_en(self, star: int) -> str:
        """``3 stars``, or ``no star`` for 0."""
        return self.levels[star - 1].label_en if star >= 1 else "no star"

    def _indicator(self, ind: str) -> tuple[str, str, str]:
        return self.labels.get(ind, (ind, ind, ""))

    def eligible(self, score: float, values: Mapping[str, float]) -> tuple[int, str, str]:
        """The eligible level of one park and the sentence saying why (zh, en); the gate is
        not applied here."""
        reached = 0
        miss_zh = miss_en = ""
        for level in self.levels:
            if score < level.min_score:
                miss_zh = f"未达到{level.label_zh}分数线 {_num(level.min_score)}"
                miss_en = f"short of the {level.label_en} score of {_num(level.min_score)}"
                break
            short = [
                (ind, minimum, values.get(ind, math.nan))
                for ind, minimum in level.minima.items()
                if not (values.get(ind, math.nan) >= minimum)  # NaN does not meet it
            ]
            if short:
                parts_zh, parts_en = [], []
                for ind, minimum, value in short:
                    name, name_en, unit = self._indicator(ind)
                    got_zh = "无数据" if math.isnan(value) else f"为 {_num(value)}{unit}"
                    got_en = "has no value" if math.isnan(value) else f"is {_num(value)}{unit}"
                    parts_zh.append(f"{name}不低于 {_num(minimum)}{unit}，本园区{got_zh}")
                    parts_en.append(f"{name_en} of at least {_num(minimum)}{unit}; it {got_en}")
                miss_zh = f"{level.label_zh}还要求" + "；".join(parts_zh)
                miss_en = f"{level.label_en} also needs " + "; ".join(parts_en)
                break
            reached = level.star
        if reached == 0:
            zh = f"得分 {_num(score)}，{miss_zh}，不具备星级资格"
            en = f"score {_num(score)}, {miss_en}: not eligible for a star"
        else:
            level = self.levels[reached - 1]
            zh = f"得分 {_num(score)}，达到{level.label_zh}分数线 {_num(level.min_score)}"
            en = (
                f"score {_num(score)} reaches the {level.label_en} score of {_num(level.min_score)}"
            )
            if level.minima:
                met_zh = "、".join(self._indicator(i)[0] for i in level.minima)
                met_en = ", ".join(self._indicator(i)[1] for i in level.minima)
                zh += f"及{met_zh}门槛"
                en += f" and the {met_en} minimum"
            if miss_zh:
                zh += f"，{miss_zh}"
                en += f"; {miss_en}"
            zh += f"，可评{level.label_zh}"
            en += f": eligible for {level.label_en}"
        return reached, zh, en


def rate(
    scores: pd.Series,
    values: pd.DataFrame,
    previous: pd.Series | None,
    rule: StarRule,
) -> pd.DataFrame:
    """Rate every park: eligible level, star, change against last year, and why.

    Parameters
    ----------
    scores : pandas.Series
        Park -> the year's score (0..100), e.g. ``assess(...).table["score"]``; finite.
    values : pandas.DataFrame
        Park x indicator id: the raw values the minima are read from (parks or indicators it
        lacks count as missing values, which do not meet a minimum).
    previous : pandas.Series or None
        Park -> last year's star (0..n; NA or absent: a new park), or None for none at all.
    rule : StarRule

    Returns
    -------
    pandas.DataFrame
        Indexed by park (in the order of ``scores``), columns :data:`RATE_COLUMNS`: ``score``;
        ``rank`` (1 = best, ties share the lowest); ``eligible`` and ``star`` (0..n, int);
        ``previous`` (nullable Int64, NA for a new park); ``change`` (one of :data:`CHANGES`);
        ``capped`` (True when the one-step-a-year limit lowered the star); ``gate`` (True when
        the score is below the gate: demoted); ``reason_zh``, ``reason_en`` (full sentences).

    Raises
    ------
    ValueError
        When a score is not a finite number or a previous star is outside 0..n.

    Examples
    --------
    >>> rule = StarRule.from_spec({"gate": 30, "levels": [
    ...     {"star": 1, "min_score": 40}, {"star": 2, "min_score": 50},
    ...     {"star": 3, "min_score": 60, "minima": {"tax": 30}}]})
    >>> out = rate(pd.Series({"A": 65.0, "B": 25.0}), pd.DataFrame({"tax": {"A": 35.0}}),
    ...            pd.Series({"A": 1, "B": 2}), rule)
    >>> out[["rank", "eligible", "star", "change", "capped", "gate"]].values.tolist()
    [[1, 3, 2, 'up', True, False], [2, 0, 0, 'demoted', False, True]]
    >>> print(out.loc["A", "reason_en"])
    Score 65 reaches the 3 stars score of 60 and the tax minimum: eligible for 3 stars. Last \
year 1 star; at most one star up a year, so 2 stars.
    """
    bad = [str(k) for k, v in scores.items() if not _finite(v)]
    if bad:
        raise ValueError(f"scores must be finite numbers; not for {', '.join(bad[:5])}")
    index = scores.index
    prior: dict[Any, int | None] = {}
    for park in index:
        raw = previous.get(park) if previous is not None else None
        if raw is None or pd.isna(raw):
            prior[park] = None
            continue
        star = int(raw)
        if star != raw or not 0 <= star <= rule.top:
            raise ValueError(f"previous star of {park} must be 0..{rule.top}, got {raw!r}")
        prior[park] = star
    ranks = scores.astype(float).rank(method="min", ascending=False).astype(int)
    rows: list[dict[str, Any]] = []
    for park in index:
        score = float(scores[park])
        park_values: dict[str, float] = {}
        if park in values.index:
            for ind, value in values.loc[park].items():
                park_values[str(ind)] = float(value) if _finite(value) else math.nan
        eligible, why_zh, why_en = rule.eligible(score, park_values)
        before = prior[park]
        capped = False
        below = score < rule.gate
        if below:
            eligible, star = 0, 0
            change = "new" if before is None else "demoted"
            why_zh = f"得分 {_num(score)}，低于门槛 {_num(rule.gate)}"
            why_en = f"score {_num(score)} is below the gate (门槛) of {_num(rule.gate)}"
            if before is None:
                then_zh = "首次评定，不评星级（市级专业园区）"
                then_en = "rated for the first time: no star (a city-level park)"
            else:
                then_zh = f"上年{rule.label_zh(before)}，摘除星级，降为市级专业园区"
                then_en = (
                    f"last year {rule.label_en(before)}; every star is withdrawn and the park "
                    "is demoted to a city-level park"
                )
        elif before is None:
            star, change = eligible, "new"
            then_zh = f"首次评定，评为{rule.label_zh(star)}"
            then_en = f"rated for the first time: {rule.label_en(star)}"
        else:
            ceiling = before + rule.max_step_up
            star = min(eligible, ceiling)
            capped = eligible > ceiling
            change = "up" if star > before else "down" if star < before else "same"
            step_zh = "一" if rule.max_step_up == 1 else str(rule.max_step_up)
            step_en = "one star" if rule.max_step_up == 1 else f"{rule.max_step_up} stars"
            if capped:
                then_zh = (
                    f"上年{rule.label_zh(before)}，每年最多升{step_zh}级，评为{rule.label_zh(star)}"
                )
                then_en = (
                    f"last year {rule.label_en(before)}; at most {step_en} up a year, so "
                    f"{rule.label_en(star)}"
                )
            elif change == "up":
                then_zh = f"上年{rule.label_zh(before)}，升为{rule.label_zh(star)}"
                then_en = f"last year {rule.label_en(before)}; up to {rule.label_en(star)}"
            elif change == "down":
                then_zh = f"上年{rule.label_zh(before)}，降为{rule.label_zh(star)}"
                then_en = f"last year {rule.label_en(before)}; down to {rule.label_en(star)}"
            else:
                then_zh = f"与上年相同，保持{rule.label_zh(star)}"
                then_en = f"the same as last year: {rule.label_en(star)}"
        rows.append(
            {
                "score": score,
                "rank": int(ranks[park]),
                "eligible": int(eligible),
                "star": int(star),
                "previous": before,
                "change": change,
                "capped": bool(capped),
                "gate": bool(below),
                "reason_zh": f"{why_zh}。{then_zh}。",
                "reason_en": f"{_capital(why_en)}. {_capital(then_en)}.",
            }
        )
    out = pd.DataFrame(rows, index=index, columns=list(RATE_COLUMNS))
    out.index.name = "park"
    out["previous"] = out["previous"].astype("Int64")
    for column in ("rank", "eligible", "star"):
        out[column] = out[column].astype(int)
    for column in ("capped", "gate"):
        out[column] = out[column].astype(bool)
    return out


def _finite(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _num(value: float) -> str:
    """Two decimals at most, without trailing zeros: 65 -> "65", 62.345 -> "62.35"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _star_zh(star: int) -> str:
    return f"{_ZH_DIGITS[star]}星级" if 0 < star <= 10 else f"{star} 星级"


def _star_en(star: int) -> str:
    return "1 star" if star == 1 else f"{star} stars"
