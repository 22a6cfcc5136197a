"""Judges' scores (评议) of an official period: entered one judge and county at a time, or
uploaded as a sheet (评委打分表: 代码, 评委, 评分项, 分数), and aggregated by the engine as the
methodology says (the mean of the judges, the highest and lowest dropped with five judges or
more when ``trim`` is set: :func:`kaoping.scoring.rules.judged`).

Only the methodology's ``judged`` indicators take scores, only on their criteria, never above a
criterion's maximum; an upload replaces the period's scores, in one transaction.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import AuditEvent, Period, Unit
from kaoping.web.official.models import JudgedScore

JUDGES = 5
"""How many judges' rows the downloaded sheet has per county and criterion (the trimmed mean
needs five or more)."""


def criteria_of(methodology: Any) -> list[tuple[str, str, float]]:
    """``(indicator, criterion, maximum)`` of every judged indicator, in the methodology's
    order."""
    spec = methodology.official
    if spec is None:
        return []
    return [
        (row.indicator, str(criterion), float(top))
        for row in spec.scoring
        if row.rule.method == "judged"
        for criterion, top in row.rule.get("criteria")
    ]


def _require_judged(period: Period) -> Any:
    methodology = methodology_of(period.methodology)
    if not criteria_of(methodology):
        raise InputError(
            [
                Problem(
                    "web.no_judged",
                    f"{period.code} 的考核办法没有评委打分（评议）的指标。",
                    f"the methodology of {period.code} has no indicator scored by judges.",
                    "period",
                )
            ]
        )
    return methodology


def _check(
    methodology: Any, period: Period, rows: list[dict[str, Any]], where: str
) -> list[Problem]:
    """Every problem of scores ``rows`` (unit, judge, criterion, score, location)."""
    tops = {c: top for _, c, top in criteria_of(methodology)}
    units = set(Unit.objects.values_list("code", flat=True))
    problems: list[Problem] = []
    for row in rows:
        at = row.get("location") or where
        if row["unit"] not in units:
            problems.append(
                Problem(
                    "web.judged_unknown_unit",
                    f"没有单位 {row['unit']}：请填写参评单位的代码。",
                    f"there is no unit {row['unit']}: give an assessed unit's code.",
                    at,
                )
            )
        if row.get("period") not in (None, period.code):
            problems.append(
                Problem(
                    "web.judged_other_period",
                    f"这一行是 {row['period']} 年的分数，本期是 {period.code}。",
                    f"this row scores {row['period']}; this period is {period.code}.",
                    at,
                )
            )
        most = JudgedScore._meta.get_field("judge").max_length or 100
        if len(str(row["judge"])) > most:
            problems.append(
                Problem(
                    "web.judged_long_judge",
                    f"评委名称最多 {most} 个字，这一个有 {len(str(row['judge']))} 个：请缩短。",
                    f"a judge's name has at most {most} characters; this one has "
                    f"{len(str(row['judge']))}: shorten it.",
                    at,
                )
            )
        top = tops.get(row["criterion"])
        if top is None:
            problems.append(
                Problem(
                    "web.judged_unknown_criterion",
                    f"评分项 “{row['criterion']}” 不在本办法的评分项中：{'、'.join(tops)}。",
                    f"{row['criterion']!r} is not one of the methodology's criteria: "
                    f"{', '.join(tops)}.",
                    at,
                )
            )
        elif row["score"] > top:
            problems.append(
                Problem(
                    "web.judged_above_maximum",
                    f"分数 {row['score']:g} 超过评分项 {row['criterion']} 的满分 {top:g}。",
                    f"the score {row['score']:g} is above the maximum {top:g} of "
                    f"{row['criterion']}.",
                    at,
                )
            )
    return problems


def _editable(period: Period) -> None:
    from kaoping.web.results.models import Assessment

    if Assessment.objects.filter(period=period, status=Assessment.Status.PUBLISHED).exists():
        raise InputError(
            [
                Problem(
                    "web.judged_published",
                    f"{period.code} 的结果已经发布，评委打分不能再修改。",
                    f"the results of {period.code} are published: the judges' scores can no "
                    "longer change.",
                    "period",
                )
            ]
        )


def judged_upload(*, actor: Any, period: Period, filename: str, content: bytes) -> int:
    """Replace the period's judges' scores by those of an uploaded sheet; every problem at
    once, named by its cell, and nothing stored when there is one.  Returns how many scores."""
    from kaoping.data.events import read_judged

    access.require_reviewer(actor)
    methodology = _require_judged(period)
    _editable(period)
    name = Path(filename).name or "judged.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        frame = read_judged(path)  # the sheet's own problems, by cell
    rows = frame.to_dict("records")
    problems = _check(methodology, period, rows, name)
    if not rows:
        problems.append(
            Problem("web.judged_empty", f"{name} 中没有分数。", f"{name} holds no scores.", name)
        )
    if problems:
        raise InputError(problems)
    ids = dict(Unit.objects.values_list("code", "pk"))
    with transaction.atomic():
        removed, _ = JudgedScore.objects.filter(period=period).delete()
        JudgedScore.objects.bulk_create(
            JudgedScore(
                period=period,
                unit_id=ids[r["unit"]],
                judge=r["judge"],
                criterion=r["criterion"],
                score=r["score"],
            )
            for r in rows
        )
        AuditEvent.record(
            AuditEvent.Action.JUDGED_UPLOAD,
            actor,
            period=period,
            file=name,
            scores=len(rows),
            replaced=removed,
        )
    return len(rows)


def judged_enter(
    *, actor: Any, period: Period, unit: Unit, judge: str, scores: Mapping[str, str | float]
) -> int:
    """One judge's scores of one county, criterion -> score (an empty one removes it)."""
    from kaoping.data import parse_number

    access.require_reviewer(actor)
    methodology = _require_judged(period)
    _editable(period)
    judge = judge.strip()
    problems: list[Problem] = []
    if not judge:
        problems.append(Problem("web.judged_no_judge", "请填写评委。", "name the judge.", "judge"))
    rows, clear = [], []
    for criterion, raw in scores.items():
        if raw is None or str(raw).strip() == "":
            clear.append(criterion)
            continue
        value = parse_number(raw)
        if not isinstance(value, float) or not value >= 0:
            problems.append(
                Problem(
                    "web.judged_bad_score",
                    f"{criterion} 的分数应为不小于 0 的数，收到 “{raw}”。",
                    f"the score of {criterion} must be a number >= 0, got {raw!r}.",
                    criterion,
                )
            )
            continue
        rows.append({"unit": unit.code, "judge": judge, "criterion": criterion,
                     "score": value, "location": criterion})  # fmt: skip
    problems += _check(methodology, period, rows, "scores")
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        JudgedScore.objects.filter(
            period=period, unit=unit, judge=judge, criterion__in=clear
        ).delete()
        for r in rows:
            JudgedScore.objects.update_or_create(
                period=period, unit=unit, judge=judge, criterion=r["criterion"],
                defaults={"score": r["score"]},
            )  # fmt: skip
        AuditEvent.record(
            AuditEvent.Action.JUDGED_UPLOAD,
            actor,
            period=period,
            unit=unit.code,
            judge=judge,
            scores=len(rows),
        )
    return len(rows)


def judged_template(*, actor: Any, period: Period) -> bytes:
    """The judges' sheet to fill: a row per county, criterion and judge (评委1 … 评委5, to
    rename), the scores blank, each criterion's maximum beside it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    access.require_reviewer(actor)
    methodology = _require_judged(period)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "评委打分表"
    sheet.append(
        [f"{period.code} 评委打分表（{methodology.name}）：每行一名评委对一个单位一项评分项的分数"]
    )
    sheet.append(["代码", "名称", "评委", "评分项", "分数", "满分"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for unit in Unit.objects.order_by("code"):
        for _indicator, criterion, top in criteria_of(methodology):
            for j in range(1, JUDGES + 1):
                sheet.append([unit.code, unit.name, f"评委{j}", criterion, None, top])
                sheet.cell(sheet.max_row, 6).fill = grey
    for column, width in zip("ABCDEF", (10, 16, 10, 18, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        return out.read()


def judged_table(period: Period) -> dict[str, Any]:
    """The period's scores for the page: ``criteria`` (indicator, criterion, maximum),
    ``judges`` (names), and per unit its scores by judge and criterion and, per judged
    indicator, the aggregate the engine will use (share of the maximum)."""
    import numpy as np

    from kaoping.scoring import rules

    methodology = methodology_of(period.methodology)
    criteria = criteria_of(methodology)
    scores = list(
        JudgedScore.objects.filter(period=period)
        .order_by("unit__code", "judge", "criterion")
        .values_list("unit__code", "judge", "criterion", "score")
    )
    judges = sorted({j for _, j, _, _ in scores})
    units = list(Unit.objects.order_by("code").values_list("code", "name"))
    spec = methodology.official
    rows = []
    for code, name in units:
        mine = {(j, c): s for u, j, c, s in scores if u == code}
        aggregates = {}
        for row in spec.scoring if spec else ():
            if row.rule.method != "judged":
                continue
            crit = [str(c) for c, _ in row.rule.get("criteria")]
            cube = np.full((1, max(1, len(judges)), len(crit)), np.nan)
            for (j, c), s in mine.items():
                if c in crit:
                    cube[0, judges.index(j), crit.index(c)] = s
            means = rules.judged(cube, trim=bool(row.rule.get("trim")))
            total = sum(float(t) for _, t in row.rule.get("criteria"))
            aggregates[row.indicator] = (
                None if np.isnan(means).all() else float(np.nansum(means) / total)
            )
        rows.append({"code": code, "name": name, "scores": mine, "aggregates": aggregates})
    return {"criteria": criteria, "judges": judges, "rows": rows, "count": len(scores)}


__all__ = [
    "criteria_of",
    "judged_enter",
    "judged_table",
    "judged_template",
    "judged_upload",
]
