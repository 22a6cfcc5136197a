"""What the pages show of an official assessment (考核评价) beyond the academic ranking: the
league table's columns (points, bonus, penalty, veto, 进位, awards), a county's 得分明细, the
awards (表彰名单), and what it takes a county to move up (margins).

Every number comes from the engine: the stored records (:meth:`OfficialResult.to_records`)
for the league table and the awards, the engine's result of the frozen inputs
(:func:`kaoping.web.results.services.result_of`) for the 得分明细 and its explanation, and
:func:`kaoping.analysis.margins.margins` on the frozen inputs for the margins (slow: computed
when a page asks, once per assessment, unit and goal, and kept).
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.cache import caches
from django.urls import reverse

from kaoping.web.lang import lang
from kaoping.web.results.models import Assessment
from kaoping.web.results.profile import frozen_methodology

GOALS = ("next", "tier")
"""The margins a county's page shows: one rank up, and the first tier (第一方阵)."""


def is_official(assessment: Assessment) -> bool:
    """Whether the assessment was computed by the engine's official path."""
    return bool(frozen_methodology(assessment).is_official)


def progress(record: dict[str, Any], compared: bool) -> str:
    """进位 as the engine labels it (:func:`kaoping.assess.official_result.change_label`):
    ``↑3``, ``↓1``, ``→``, ``新进`` (no comparable rank last period); "" when the assessment
    had no previous period to compare with (``compared`` False)."""
    from kaoping.assess.official_result import change_label

    if not compared:
        return ""
    return change_label(record.get("previous_rank"), record.get("rank_change")) or ""


def league_rows(assessment: Assessment, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The official columns of the league table's rows (in place, and returned): ``base``
    (the points before bonus and penalty: the indicator points, or the components' mix),
    ``progress`` (进位), ``awards_shown`` and ``vetoed``; each vetoed row (in the order given)
    a footnote number ``veto_note``."""
    compared = bool((assessment.inputs or {}).get("previous"))
    sep = ", " if lang() == "en" else "、"
    notes = 0
    for row in rows:
        score, bonus, penalty = row.get("score"), row.get("bonus"), row.get("penalty")
        row["base"] = None if score is None else score - (bonus or 0.0) + (penalty or 0.0)
        row["progress"] = progress(row, compared)
        row["awards_shown"] = sep.join(row.get("awards") or [])
        row["vetoed"] = bool(row.get("veto"))
        row["veto_text"] = "；".join(row.get("veto") or [])
        if row["vetoed"]:
            notes += 1
            row["veto_note"] = notes
    return rows


def evidence_files(frozen: list[list[Any]]) -> dict[int, list[dict[str, Any]]]:
    """Item id -> the evidence files an assessment counted with it (the digests frozen in its
    inputs' ``items``, in their order), each with its name as uploaded, its link and whether
    the browser shows it (PDF, images) or downloads it (Word, Excel).

    The link is the file's own (``evidence``), not the item's page: a published ranking's
    counted files open to every reader of the ranking (:func:`kaoping.web.official.items.
    may_read`), the item's page only to the office, the department that proposed it and the
    county it is about, and the 得分明细 is one page for all its readers."""
    from kaoping.web.official.items import INLINE
    from kaoping.web.official.models import Evidence

    digests = {int(row[0]): list(row[-1] or []) for row in frozen}
    stored = {
        (e.item_id, e.sha256): e
        for e in Evidence.objects.filter(item_id__in=digests).only(
            "pk", "item_id", "sha256", "name", "content_type"
        )
    }
    return {
        pk: [
            {
                "name": e.name,
                "url": reverse("evidence", args=[e.pk]),
                "inline": e.content_type in INLINE,
            }
            for sha in shas
            if (e := stored.get((pk, sha))) is not None
        ]
        for pk, shas in digests.items()
    }


def figure(value: float | None) -> str:
    """A figure as it is written: at most four decimals, no trailing zeros (6.5, 97350,
    0.56); "—" for none."""
    if value is None:
        return "—"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


_ITEM = re.compile(r"item #([0-9]+)")


def detail(assessment: Assessment, code: str) -> dict[str, Any] | None:
    """A county's 得分明细 from the engine's result of the frozen inputs: ``rows`` (each
    scored indicator: figure, target, completion, points, 分值 ``nominal``, the category's
    ``best`` and ``average`` points, the rule), ``lines`` (bonus, penalty and veto lines with
    the points that counted after the caps, the document, the evidence files counted with
    them, :func:`evidence_files`, and how many), ``vetoes`` (the reasons), ``awards``,
    ``explain`` (the engine's text, in Chinese), ``peers`` (how many units of its category);
    None if the unit is not scored."""
    from kaoping.methodology.official import RULES
    from kaoping.web.results.services import result_of

    result = result_of(assessment.inputs)
    table = result.table
    if code not in table.index or isinstance(table.loc[code, "gate"], str):
        return None
    methodology = result.methodology
    spec = methodology.official
    category = table.loc[code, "category"]
    same = table["category"] == category if isinstance(category, str) else table["category"].isna()
    peers = [p for p in table.index[same] if not isinstance(table.loc[p, "gate"], str)]
    group = result.points.loc[peers]
    best, average = group.max(), group.mean()
    english = lang() == "en"
    rows = []
    for item in spec.scoring:
        ident = item.indicator
        ind = methodology.indicator(ident)
        has = ident in result.targets.columns
        rows.append(
            {
                "id": ident,
                "name": (ind.name_en or ind.name) if english else ind.name,
                "unit": ind.unit or "",
                "value": _number(result.raw.loc[code, ident])
                if ident in result.raw.columns
                else None,
                "target": _number(result.targets.loc[code, ident]) if has else None,
                "completion": _number(result.completion.loc[code, ident])
                if ident in result.completion.columns
                else None,
                "points": _number(result.points.loc[code, ident]),
                "nominal": _number(result.nominal.loc[code, ident]),
                "best": _number(best[ident]),
                "average": _number(average[ident]),
                "rule": item.rule.method if english else RULES.get(item.rule.method, ""),
            }
        )
    frozen = (assessment.inputs or {}).get("items", [])
    counted = {int(pk): len(files) for pk, *_, files in frozen}
    files = evidence_files(frozen)
    lines = []
    for _, line in result.lines[result.lines["unit"] == code].iterrows():
        found = _ITEM.fullmatch(str(line["location"]))
        pk = int(found.group(1)) if found else None
        lines.append(
            {
                "kind": line["kind"],
                "name": line["name"],
                "asked": _number(line["points"]),
                "counted": _number(line["counted"]),
                "document": line["document"],
                "date": line["date"] if isinstance(line["date"], str) else "",
                "pk": pk,
                "files": files.get(pk, []) if pk is not None else [],
                "evidence": counted.get(pk, 0) if pk is not None else 0,
            }
        )
    for row in rows:
        row["value_shown"] = figure(row["value"])
        row["target_shown"] = figure(row["target"])
        row["completion_pct"] = None if row["completion"] is None else 100.0 * row["completion"]
    veto = table.loc[code, "veto"]
    awards = table.loc[code, "awards"]
    return {
        "rows": rows,
        "points": sum(r["points"] or 0.0 for r in rows),
        "nominal": sum(r["nominal"] or 0.0 for r in rows),
        "lines": lines,
        "vetoes": veto.split("；") if isinstance(veto, str) else [],
        "awards": awards.split("、") if isinstance(awards, str) else [],
        "explain": result.explain(code),
        "peers": len(peers),
        "category": category if isinstance(category, str) else "",
    }


# --- awards ---------------------------------------------------------------------------------


def awards(assessment: Assessment, names: dict[str, str]) -> dict[str, Any]:
    """The awards list (表彰名单) from the stored records: per award of the methodology, in
    its order, the units that have it and why (total and rank; for a category award the
    category rank; for the most improved the rank change); and the vetoed units, excluded
    from every award, with the reason.  ``names``: unit code -> the name to show."""
    methodology = frozen_methodology(assessment)
    spec = methodology.official
    records = assessment.results
    out = []
    for award in spec.awards if spec is not None else ():
        won = [r for r in records if award.name in (r.get("awards") or [])]
        if award.kind == "top_per_category":
            won.sort(key=lambda r: (r.get("category") or "", r.get("category_rank") or 0))
        elif award.kind == "most_improved":
            won.sort(key=lambda r: (-(r.get("rank_change") or 0), r.get("rank") or 0))
        else:
            won.sort(key=lambda r: r.get("rank") or 0)
        out.append(
            {
                "id": award.id,
                "name": award.name,
                "kind": award.kind,
                "n": award.n,
                "units": [{**r, "shown": names.get(r["unit"], r["unit"])} for r in won],
            }
        )
    vetoed = [
        {**r, "shown": names.get(r["unit"], r["unit"]), "veto_text": "；".join(r["veto"])}
        for r in records
        if r.get("veto")
    ]
    return {"awards": out, "vetoed": vetoed, "official": spec is not None}


# --- margins --------------------------------------------------------------------------------


def _margin_key(assessment: Assessment, code: str, goal: str) -> str:
    import kaoping

    return f"kaoping:margins:{kaoping.__version__}:{assessment.inputs_hash}:{code}:{goal}"


def margin(assessment: Assessment, code: str, goal: str) -> dict[str, Any]:
    """:func:`kaoping.analysis.margins.margins` of unit ``code`` for ``goal`` (``next`` or
    ``tier``) on the assessment's frozen inputs, as :meth:`Margin.to_dict` (Chinese and
    English both), computed once and kept in the default cache (keyed by the inputs' hash,
    the unit and the goal: the frozen inputs never change, so neither does the answer).  An
    engine refusal comes back as ``{"problems": [(zh, en), ...]}``."""
    store = caches["default"]
    key = _margin_key(assessment, code, goal)
    found: dict[str, Any] | None = store.get(key)
    if found is not None:
        return found
    found = _compute_margin(assessment.inputs, code, goal, assessment.results)
    store.set(key, found, timeout=None)
    return found


def _compute_margin(
    inputs: dict[str, Any], code: str, goal: str, records: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    from kaoping.analysis.margins import margins
    from kaoping.errors import InputError
    from kaoping.web.results.services import _engine

    methodology, panel, units = _engine(inputs)
    extra: dict[str, Any] = {}
    if methodology.is_official:
        from kaoping.web.official.inputs import engine_arguments

        extra = engine_arguments(inputs, methodology)
    # a vetoed unit reaches no tier whatever its figures (the engine's rule, and its note
    # says so): nothing to search
    vetoed = any(r["unit"] == code and r.get("veto") for r in records or ())
    searched: dict[str, Any] = {"indicators": []} if goal == "tier" and vetoed else {}
    try:
        found = margins(
            methodology, panel, code, inputs["period"], goal=goal, units=units, **extra,
            **searched,
        )  # fmt: skip
    except InputError as error:
        return {"problems": [(p.zh, p.en) for p in error]}
    return found.to_dict()


def amount(change: float, unit: str, english: bool) -> str:
    """A change in the indicator's own unit: ``+2.1 个百分点`` for a percentage, ``+3.2 亿元``,
    ``-10 μg/m³``."""
    sign = "+" if change > 0 else ""
    if unit == "%":
        shown = " percentage points" if english else " 个百分点"
    else:
        shown = f" {unit}" if unit else ""
    return f"{sign}{change:g}{shown}"


def margins_view(margins: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the margins page shows of each goal's margin (``margins``: goal -> the dict of
    :func:`margin`): ``goals`` (each with its label, whether it is reached, the points short
    and the unit that holds the boundary, notes, problems), and ``rows``: one per indicator
    searched, with its current figure and, per goal, the change that reaches it (or why not)."""
    english = lang() == "en"
    goals = []
    rows: dict[str, dict[str, Any]] = {}
    for goal in GOALS:
        found = margins.get(goal)
        if found is None:
            continue
        if "problems" in found:
            goals.append({"goal": goal, "problems": [en if english else zh
                                                     for zh, en in found["problems"]]})  # fmt: skip
            continue
        label = found["goal"]["en"] if english else found["goal"]["zh"]
        gap = found.get("gap")
        notes = [en if english else zh for zh, en in found.get("notes", [])]
        reachable = any(c["needed"] is not None for c in found["changes"])
        goals.append(
            {
                "goal": goal,
                "label": label,
                "reached": found["reached"],
                "gap": gap if gap is not None and gap > 0 else None,
                "holder": found.get("holder"),
                "notes": notes,
                "problems": [],
                # out of reach whatever the figures (a veto): the note says why, no column
                "blocked": not found["reached"] and bool(notes) and not reachable,
            }
        )
        if goals[-1]["blocked"]:
            continue
        for change in found["changes"]:
            row = rows.setdefault(
                change["indicator"],
                {
                    "indicator": change["indicator"],
                    "name": (change.get("name_en") or change["name"])
                    if english
                    else change["name"],
                    "unit": change["unit"],
                    "current": change["current"],
                    "by": {},
                },
            )
            if change["needed"] is not None:
                row["by"][goal] = {
                    "reachable": True,
                    "needed": change["needed"],
                    "change": amount(change["change"], change["unit"], english),
                }
            else:
                row["by"][goal] = {
                    "reachable": False,
                    "why": change["why_en"] if english else change["why_zh"],
                }
    columns = [g for g in goals if not (g["problems"] or g["blocked"] or g["reached"])]
    whys: dict[str, int] = {}  # why an indicator cannot alone -> its footnote's number
    listed = []
    for row in rows.values():  # the easiest first, as the engine lists them (the first goal's)
        cells = []
        for g in columns:
            found = row["by"].get(g["goal"]) or {}
            cell = {"label": g["label"], "reached": g["reached"], **found}
            if cell.get("why"):
                cell["note"] = whys.setdefault(cell["why"], len(whys) + 1)
            cells.append(cell)
        listed.append({**row, "cells": cells})
    notes = [{"n": n, "text": text} for text, n in whys.items()]
    moving = any(m.get("weights_move") for m in margins.values())
    reachable = any(c.get("reachable") for row in listed for c in row["cells"])
    return {"goals": goals, "columns": columns, "rows": listed, "whys": notes,
            "weights_move": moving, "reachable": reachable}  # fmt: skip
