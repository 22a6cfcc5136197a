"""The configuration of an observation event (观摩评比) and its result.

Plain frozen dataclasses that store what they are given; :func:`check_spec` says what is wrong
with one (every problem at once), and :mod:`kaoping.observation.scores` checks the judges'
scores against it.  No pandas at import: the platform's models may read these names cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kaoping.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AGGREGATIONS",
    "Criterion",
    "EventResult",
    "EventSpec",
    "Judge",
    "check_spec",
]

AGGREGATIONS: Final = ("mean", "trimmed", "weighted", "trimmed_weighted")
"""The ways the judges' totals of a unit are combined (see :mod:`kaoping.observation`)."""

AGGREGATION_NAMES: Final = {
    "mean": ("平均", "mean"),
    "trimmed": ("去掉一个最高分和一个最低分后平均", "trimmed mean"),
    "weighted": ("按评委权重加权平均", "weighted mean"),
    "trimmed_weighted": ("去掉一个最高分和一个最低分后加权平均", "trimmed weighted mean"),
}


@dataclass(frozen=True)
class Criterion:
    """One scoring item (评分项) with its maximum points (满分) and a hint for the judges."""

    name: str
    maximum: float
    hint: str = ""


@dataclass(frozen=True)
class Judge:
    """One judge (评委): an id, a name, a role (市领导, 市直部门, 人大政协代表 …) and the weight
    of the judge's totals in the ``weighted`` aggregations."""

    id: str
    name: str
    role: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class EventSpec:
    """An observation event: its groups of units, criteria, judges and aggregation rule.

    Parameters
    ----------
    code, period : str
        The event's code and period (``"2026-Q1"``).
    groups : Mapping[str, Sequence[str]]
        Group name (县(市)组, 城区组) -> the codes of its units; units are ranked within their
        group.
    criteria, judges : Sequence
        The scoring items and the judges.
    aggregation : str
        ``mean``, ``trimmed``, ``weighted`` or ``trimmed_weighted``.
    trim_min_judges : int
        Trimming applies only when at least this many judges' totals are used (>= 3).
    far : float
        A judge whose totals are on average more than this share of the maximum total away
        from the other judges' mean is flagged ``far``.
    excluded : frozenset[str]
        Judges the organiser left out (their scores are neither required nor used).
    kept : frozenset[str]
        Flagged judges the organiser decided to keep.
    names : Mapping[str, str]
        Unit code -> name, for tables and messages.
    """

    code: str
    period: str
    groups: Mapping[str, Sequence[str]]
    criteria: Sequence[Criterion]
    judges: Sequence[Judge]
    aggregation: str = "trimmed"
    trim_min_judges: int = 5
    far: float = 0.15
    excluded: frozenset[str] = frozenset()
    kept: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def units(self) -> list[str]:
        """Every unit code, group by group, in the order given."""
        return [str(u) for members in self.groups.values() for u in members]

    @property
    def group_of(self) -> dict[str, str]:
        """Unit code -> its group."""
        return {str(u): str(g) for g, members in self.groups.items() for u in members}

    @property
    def maximum(self) -> float:
        """The maximum total of a unit: the sum of the criteria's maxima."""
        return float(sum(c.maximum for c in self.criteria))

    def label(self, unit: str) -> str:
        """``孟州市(410883)``, or the code alone without a name."""
        name = self.names.get(unit)
        return f"{name}({unit})" if name else unit


@dataclass(frozen=True)
class EventResult:
    """The result of :func:`kaoping.observation.aggregate`.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by unit: ``name``, ``group``, one column per criterion (the aggregated points),
        ``total``, ``rank`` (within its group, 1 = best, ties share the smallest rank),
        ``judges`` (how many judges' totals were used).
    per_judge : pandas.DataFrame
        Unit x judge: each judge's total of each unit (NaN where the judge did not score all
        criteria of the unit, e.g. an excluded judge).
    flags : pandas.DataFrame
        As :func:`kaoping.observation.judge_flags`.
    left_out : dict[str, str]
        Judge id -> why the judge's scores were not used: ``"excluded"`` (by the organiser),
        or the flags not overridden by ``kept``: ``"flat"``, ``"far"`` or ``"flat,far"``.
    spec : EventSpec or None
        The event computed.
    """

    table: pd.DataFrame
    per_judge: pd.DataFrame
    flags: pd.DataFrame
    left_out: dict[str, str]
    spec: EventSpec | None = None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def check_spec(spec: EventSpec) -> list[Problem]:
    """Every problem of the event's configuration, each naming the field and the fix."""
    out: list[Problem] = []

    def bad(code: str, zh: str, en: str, where: str) -> None:
        out.append(Problem(f"observation.{code}", zh, en, where))

    if spec.aggregation not in AGGREGATIONS:
        bad(
            "bad_aggregation",
            f"汇总方式 {spec.aggregation!r} 无效。请填写 mean（平均）、trimmed（去极值）、"
            "weighted（加权）或 trimmed_weighted（去极值加权）。",
            f"aggregation {spec.aggregation!r} is not known; use mean, trimmed, weighted or "
            "trimmed_weighted.",
            "aggregation",
        )
    k = spec.trim_min_judges
    if isinstance(k, bool) or not isinstance(k, int) or k < 3:
        bad(
            "bad_trim_min_judges",
            "去极值最少评委数须为不小于 3 的整数（去掉最高分和最低分后至少留下一个），"
            f"收到 {k!r}。",
            f"trim_min_judges must be an integer >= 3 (dropping the highest and the lowest "
            f"total must leave one); got {k!r}.",
            "trim_min_judges",
        )
    if not _is_number(spec.far) or not 0 < spec.far <= 1:
        bad(
            "bad_far",
            f"偏离阈值须为 0 到 1 之间的比例（如 0.15 表示满分总分的 15%），收到 {spec.far!r}。",
            f"far must be a share in (0, 1] (0.15 = 15 % of the maximum total); got {spec.far!r}.",
            "far",
        )
    if not spec.groups:
        bad(
            "no_groups",
            "观摩活动没有任何分组。请至少填写一个组别及其单位。",
            "the event has no group; give at least one group and its units.",
            "groups",
        )
    seen: dict[str, str] = {}
    for group, members in spec.groups.items():
        if not members:
            bad(
                "empty_group",
                f"组别 {group} 没有单位。请填写该组的单位，或删除该组。",
                f"group {group} has no unit; add its units or remove the group.",
                f"groups[{group}]",
            )
        for unit in members:
            u = str(unit)
            if u in seen:
                bad(
                    "duplicate_unit",
                    f"单位 {spec.label(u)} 在组别 {seen[u]} 和 {group} 中重复出现。"
                    "每个单位只能属于一个组。",
                    f"unit {spec.label(u)} is in group {seen[u]} and in {group}; a unit "
                    "belongs to one group only.",
                    f"groups[{group}]",
                )
            else:
                seen[u] = str(group)
    if not spec.criteria:
        bad(
            "no_criteria",
            "没有评分项。请至少填写一个评分项及其满分。",
            "the event has no criterion; give at least one criterion and its maximum.",
            "criteria",
        )
    names: set[str] = set()
    for i, c in enumerate(spec.criteria):
        if c.name in names:
            bad(
                "duplicate_criterion",
                f"评分项 {c.name} 重复。请删除或改名其中之一。",
                f"criterion {c.name} is given twice; remove or rename one.",
                f"criteria[{i}]",
            )
        names.add(c.name)
        if not _is_number(c.maximum) or not 0 < c.maximum < float("inf"):
            bad(
                "bad_maximum",
                f"评分项 {c.name} 的满分须为正数，收到 {c.maximum!r}。",
                f"the maximum of criterion {c.name} must be a positive number; got {c.maximum!r}.",
                f"criteria[{i}].maximum",
            )
    if not spec.judges:
        bad(
            "no_judges",
            "没有评委。请至少填写一名评委。",
            "the event has no judge; give at least one.",
            "judges",
        )
    ids: set[str] = set()
    for i, j in enumerate(spec.judges):
        if j.id in ids:
            bad(
                "duplicate_judge",
                f"评委编号 {j.id} 重复。每名评委的编号须唯一。",
                f"judge id {j.id} is given twice; each judge needs an id of their own.",
                f"judges[{i}]",
            )
        ids.add(j.id)
        if not _is_number(j.weight) or not 0 < j.weight < float("inf"):
            bad(
                "bad_weight",
                f"评委 {j.id} 的权重须为正数，收到 {j.weight!r}。",
                f"the weight of judge {j.id} must be a positive number; got {j.weight!r}.",
                f"judges[{i}].weight",
            )
    for field_name, chosen in (("excluded", spec.excluded), ("kept", spec.kept)):
        for judge in sorted(chosen - ids):
            bad(
                "unknown_judge",
                f"{'排除' if field_name == 'excluded' else '保留'}的评委 {judge} 不在评委名单中。"
                "请核对评委编号。",
                f"judge {judge} ({field_name}) is not among the event's judges; check the id.",
                field_name,
            )
    return out
