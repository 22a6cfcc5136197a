"""What an official period's assessment is computed from, gathered and frozen, and turned back
into the engine's arguments.

An assessment of a period whose methodology has an ``official:`` section freezes, beside the
figures (``values``), units and methodology that every assessment freezes:

- ``sources``: indicator -> the department that supplied its figures for every county (its
  approved sheet, not the counties' own submissions);
- ``targets``: ``[unit, indicator, target]`` of every completion-scored indicator;
- ``items``: the approved bonus, penalty and veto items, ``[id, unit, kind, rule, points,
  document, date, [evidence sha256 …]]``;
- ``judged``: ``[unit, judge, criterion, score]``;
- ``previous``: the previous period's published ranking the rank change (进位) is read from
  (``assessment``, ``inputs_hash``, ``period``, ``ranks``: ``[unit, category, rank,
  category_rank]``), or None, and ``previous_values`` (its figures) where a growth rule reads
  the previous period.

:func:`engine_arguments` turns them into :func:`kaoping.assess`'s ``targets``, ``events``,
``judged`` and ``previous``; nothing else is read, so that a recomputation from the frozen
inputs gives every number again, bit for bit.
"""

from __future__ import annotations

import re
from typing import Any

from kaoping.errors import Problem
from kaoping.web.collection.models import Membership, Period, Role
from kaoping.web.official.models import DepartmentSheet, Item, JudgedScore, Review, Target

_OWNERS = re.compile(r"[、，,；;/]")


def owners(text: str | None) -> list[str]:
    """The departments an indicator's ``owner`` names, in order (``发展改革委、统计局`` -> both)."""
    return [o.strip() for o in _OWNERS.split(text or "") if o.strip()]


def departments() -> list[str]:
    """The departments that have an account on the platform, by name."""
    return sorted(
        set(
            Membership.objects.filter(role=Role.DEPARTMENT, user__is_active=True)
            .exclude(department="")
            .values_list("department", flat=True)
        )
    )


def suppliers(methodology: Any, known: list[str] | None = None) -> dict[str, str]:
    """Indicator id -> the department that supplies it: the first of the indicator's owners
    that has an account (``known``: those departments; default: the platform's).  Only an
    official methodology's figures are supplied by departments (the government's 考核); an
    academic period's figures all come from the counties."""
    if methodology.official is None:
        return {}
    have = set(departments() if known is None else known)
    out: dict[str, str] = {}
    for ind in methodology.indicators:
        for owner in owners(ind.owner):
            if owner in have:
                out[ind.id] = owner
                break
    return out


def indicators_of(methodology: Any, department: str) -> list[str]:
    """The indicators a department supplies under ``methodology``, in the methodology's order."""
    return [k for k, v in suppliers(methodology).items() if v == department]


def target_indicators(methodology: Any) -> list[str]:
    """The indicators scored against each county's target (rule ``completion``)."""
    spec = methodology.official
    if spec is None:
        return []
    return [r.indicator for r in spec.scoring if r.rule.method == "completion"]


def rule_of(methodology: Any, rule: str) -> tuple[str, Any] | None:
    """``(kind, item)`` of a bonus, penalty or veto item of the methodology by its id."""
    spec = methodology.official
    if spec is None:
        return None
    for kind, group in (("bonus", spec.bonus), ("penalty", spec.penalty), ("veto", spec.veto)):
        for item in group:
            if item.id == rule:
                return kind, item
    return None


def gather(
    period: Period, methodology: Any, codes: list[str], values: list[list[Any]]
) -> dict[str, Any]:
    """The official part of the frozen inputs of ``period`` for the ranked units ``codes``;
    ``values`` (the counties' approved figures) are replaced, for every indicator a
    department supplies, by that department's approved figures."""
    from kaoping.web.results.models import Assessment

    supplied = suppliers(methodology)
    ranked = set(codes)
    sheets = DepartmentSheet.objects.filter(
        period=period, status=Review.APPROVED, department__in=set(supplied.values())
    )
    given = {
        (code, indicator): float(value)
        for code, indicator, value in sheets.filter(values__value__isnull=False).values_list(
            "values__unit__code", "values__indicator", "values__value"
        )
        if supplied.get(indicator) is not None
    }
    rows = [r for r in values if r[1] not in supplied]
    rows += [[c, i, v] for (c, i), v in given.items() if c in ranked]
    rows.sort(key=lambda r: (r[0], r[1]))
    wanted = target_indicators(methodology)
    targets = [
        [code, indicator, float(value)]
        for code, indicator, value in Target.objects.filter(
            period=period, indicator__in=wanted, unit__code__in=ranked
        )
        .order_by("unit__code", "indicator")
        .values_list("unit__code", "indicator", "value")
    ]
    items = []
    for item in (
        Item.objects.filter(period=period, status=Item.Status.APPROVED, unit__code__in=ranked)
        .select_related("unit")
        .prefetch_related("evidence")
        .order_by("unit__code", "pk")
    ):
        items.append(
            [
                item.pk,
                item.unit.code,
                item.kind,
                item.rule,
                item.points,
                item.document,
                item.date.isoformat() if item.date else None,
                sorted(e.sha256 for e in item.evidence.all()),
            ]
        )
    judged = [
        [code, judge, criterion, float(score)]
        for code, judge, criterion, score in JudgedScore.objects.filter(
            period=period, unit__code__in=ranked
        )
        .order_by("unit__code", "judge", "criterion")
        .values_list("unit__code", "judge", "criterion", "score")
    ]
    out: dict[str, Any] = {
        "values": rows,
        "sources": {k: supplied[k] for k in sorted(supplied)},
        "targets": targets,
        "items": items,
        "judged": judged,
        "previous": None,
    }
    before = (
        Assessment.objects.filter(period=period.previous, status=Assessment.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
        if period.previous_id
        else None
    )
    if before is not None:
        out["previous"] = {
            "assessment": before.pk,
            "inputs_hash": before.inputs_hash,
            "period": before.period.code,
            "ranks": [
                [r["unit"], r.get("category"), r.get("rank"), r.get("category_rank")]
                for r in before.results
            ],
        }
        if _reads_previous_period(methodology):
            out["previous_values"] = before.inputs["values"]
    return out


def _reads_previous_period(methodology: Any) -> bool:
    spec = methodology.official
    return spec is not None and any(
        r.rule.method == "level_and_growth" and r.rule.get("growth") in (None, "previous")
        for r in spec.scoring
    )


def engine_arguments(inputs: dict[str, Any], methodology: Any) -> dict[str, Any]:
    """:func:`kaoping.assess`'s official arguments from frozen inputs."""
    import pandas as pd

    import kaoping

    period = inputs["period"]
    out: dict[str, Any] = {}
    if inputs.get("targets"):
        out["targets"] = kaoping.Panel(
            pd.DataFrame(inputs["targets"], columns=["unit", "indicator", "value"]).assign(
                period=period
            )
        )
    lines = []
    for pk, code, kind, rule, points, document, date, _evidence in inputs.get("items", []):
        found = rule_of(methodology, rule)
        per = float(found[1].points) if found and kind != "veto" else 1.0
        count = 1.0 if kind == "veto" or not per else float(points) / per
        lines.append(
            {
                "unit": code,
                "period": period,
                "item": rule,
                "count": count,
                "document": document,
                "date": date,
                "note": None,
                "location": f"item #{pk}",
            }
        )
    from kaoping.data.events import EVENT_COLUMNS, JUDGED_COLUMNS

    if lines:
        out["events"] = pd.DataFrame(lines, columns=list(EVENT_COLUMNS))
    if inputs.get("judged"):
        judged = [
            {"unit": u, "period": period, "judge": j, "criterion": c, "score": v,
             "location": f"{u}/{j}/{c}"}
            for u, j, c, v in inputs["judged"]
        ]  # fmt: skip
        out["judged"] = pd.DataFrame(judged, columns=list(JUDGED_COLUMNS))
    previous = inputs.get("previous")
    if previous:
        out["previous"] = pd.DataFrame(
            previous["ranks"], columns=["unit", "category", "rank", "category_rank"]
        ).set_index("unit")
    return out


def blocking(period: Period) -> list[Problem]:
    """What must be settled before an official assessment of ``period`` is shown to the
    counties or published: every department's sheet approved and every disputed figure
    answered (:func:`kaoping.web.official.sheets.blocking`), and no bonus, penalty or veto
    item still awaiting a decision."""
    from kaoping.web.official.sheets import blocking as sheets_blocking

    problems = sheets_blocking(period)
    waiting = list(
        Item.objects.filter(period=period, status=Item.Status.PROPOSED)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    if waiting:
        listed = "、".join(dict.fromkeys(f"{i.unit.code}（{i.unit.name}）" for i in waiting))
        listed_en = ", ".join(dict.fromkeys(f"{i.unit.code} ({i.unit.name})" for i in waiting))
        problems.append(
            Problem(
                "web.items_undecided",
                f"还有 {len(waiting)} 项加减分或否决事项待审定（{listed}）：请先批准或驳回，"
                "再重新计算。",
                f"{len(waiting)} bonus, penalty or veto item(s) await a decision ({listed_en}): "
                "approve or reject them, then compute again.",
                "items",
            )
        )
    return problems
