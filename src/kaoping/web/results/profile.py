"""What a county's profile shows, read from published (or announced) assessments: dimension
scores against the category average, each indicator against its target or thresholds, the
score across periods, and the dimensions furthest above and below the category average."""

from __future__ import annotations

import functools
from statistics import mean
from typing import TYPE_CHECKING, Any

from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.lang import lang
from kaoping.web.results.models import Assessment

# kaoping.methodology (pydantic) is imported where it is used: management commands start
# without it.
if TYPE_CHECKING:
    from kaoping.methodology import Methodology


@functools.lru_cache(maxsize=16)
def _frozen(text: str) -> Methodology:
    from kaoping.methodology import loads

    return loads(text, source="assessment")


def frozen_methodology(assessment: Assessment) -> Methodology:
    """The methodology frozen with an assessment (its YAML text, parsed once per text); the
    period's methodology by key for an assessment stored without its inputs."""
    text = assessment.inputs.get("methodology") if assessment.inputs else None
    return _frozen(text) if text else methodology_of(assessment.methodology)


def _light(direction: str, value: float | None, indicator: Any) -> str:
    """green / red against the indicator's target or its lower-upper thresholds; '' if it has
    neither (or no value)."""
    if value is None:
        return ""
    if indicator.target is not None:
        target = float(indicator.target)
        good = value <= target if direction == "negative" else value >= target
        return "green" if good else "red"
    if indicator.lower is not None or indicator.upper is not None:
        low = -float("inf") if indicator.lower is None else float(indicator.lower)
        high = float("inf") if indicator.upper is None else float(indicator.upper)
        return "green" if low <= value <= high else "red"
    return ""


def _shares(methodology: Methodology, records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Unit -> dimension -> the points it scored there as a percentage of the dimension's
    points (分值) for its category, for an official methodology's radar (every axis to 100);
    dimensions without points are left out."""
    spec = methodology.official
    assert spec is not None
    out: dict[str, dict[str, Any]] = {}
    for record in records:
        category = record.get("category")
        mine: dict[str, Any] = {}
        for node in methodology.nodes():
            below = {i.id for i in node.scored_below}
            full = sum(r.points_for(category) for r in spec.scoring if r.indicator in below)
            got = (record.get("dimensions") or {}).get(node.id)
            if full > 0:
                mine[node.id] = None if got is None else round(100.0 * got / full, 4)
        out[record["unit"]] = mine
    return out


def profile(assessment: Assessment, code: str, history: list[Assessment]) -> dict[str, Any]:
    """The profile of unit ``code`` in ``assessment``; ``history``: the unit's assessments of
    every period (oldest first) for the trend.  KeyError if the unit is not in it."""
    record = next(r for r in assessment.results if r["unit"] == code)
    peers = [r for r in assessment.results if r.get("category") == record.get("category")]
    methodology = frozen_methodology(assessment)
    english = lang() == "en"
    names = {d.id: (d.name_en or d.name) if english else d.name for d in methodology.nodes()}
    dims = list(record.get("dimensions", {}))
    scores = {r["unit"]: r.get("dimensions", {}) for r in peers}
    if methodology.official is not None:  # points: as a share of the dimension's points
        scores = _shares(methodology, peers)
        dims = [d for d in dims if d in scores[code]]
    average = {
        d: mean(s[d] for s in scores.values() if s.get(d) is not None)
        for d in dims
        if any(s.get(d) is not None for s in scores.values())
    }
    dims = [d for d in dims if d in average]
    own = scores[code]
    gaps = sorted(((own[d] - average[d], d) for d in dims if own.get(d) is not None), reverse=True)
    values = {i: v for u, i, v in (assessment.inputs or {}).get("values", []) if u == code}
    from kaoping.assess.result import gap_mark  # pandas: only when a profile is built

    gaps_of = record.get("missing") or {}  # the figures not given, and how each was treated
    indicators = [
        {
            "id": ind.id,
            "name": (ind.name_en or ind.name) if english else ind.name,
            "unit": ind.unit or "",
            "value": values.get(ind.id),
            "target": ind.target,
            "light": _light(ind.direction, values.get(ind.id), ind),
            "gap": gap_mark(gaps_of[ind.id]) if ind.id in gaps_of else "",
            "estimate": (gaps_of.get(ind.id) or {}).get("value"),
            "gap_title": (
                (gaps_of[ind.id]["en"] if english else gaps_of[ind.id]["zh"])
                if ind.id in gaps_of
                else ""
            ),
        }
        for ind in methodology.indicators
    ]
    trend = []
    for past in history:
        mine = next((r for r in past.results if r["unit"] == code), None)
        if mine is not None and mine.get("score") is not None:
            trend.append({"period": past.period.code, "score": mine["score"],
                          "rank": mine.get("rank")})  # fmt: skip
    return {
        "record": record,
        "chart": {
            "dimensions": [names.get(d, d) for d in dims],
            "unit": [own.get(d) for d in dims],
            "average": [round(average[d], 4) for d in dims],
            # the radar's scale: 100, or more where a capped completion passes 100% of a
            # dimension's points (an official methodology)
            "max": max([100.0, *(v for s in scores.values() for v in s.values() if v is not None)]),
            "trend": trend,
        },
        "indicators": indicators,
        "estimated": bool(gaps_of),
        "policy": f"missing: {methodology.missing.method}",
        "strengths": [names.get(d, d) for gap, d in gaps[:2] if gap > 0],
        "weaknesses": [names.get(d, d) for gap, d in gaps[::-1][:2] if gap < 0],
    }
