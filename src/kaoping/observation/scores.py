r"""The judges' scores of an observation event: what is wrong with them, what is missing, and
which judges look wrong (评委打分异常).

``scores`` is a long frame, one row a value: ``judge``, ``unit``, ``criterion``, ``score`` and
optionally ``location`` (where the value came from: ``event.xlsx!评分!D7``, a form field), which
every problem of that row names.

A judge's **total** of a unit, :math:`T_{ju} = \sum_c s_{juc}`, counts only when the judge
scored every criterion of the unit.  Flags, over the judges not excluded:

- ``flat``: all of a judge's totals are equal across at least two units (the judge did not
  discriminate);
- ``far``: the judge's mean distance from the others,

  .. math::

      d_j = \frac{1}{|U_j|} \sum_{u \in U_j}
            \frac{\bigl| T_{ju} - \overline{T}_{-j,u} \bigr|}{\sum_c M_c},

  exceeds :attr:`~kaoping.observation.EventSpec.far` (:math:`\overline{T}_{-j,u}` the plain
  mean of the other judges' totals of unit :math:`u`, :math:`M_c` the maxima, :math:`U_j` the
  units that the judge and at least one other judge scored completely).

References
----------
The flags follow the organiser's practice of reviewing a judge whose scores do not
discriminate or deviate far from the panel; no published rule was found
(``shared/research/domain.md`` §4.6, "Criteria/weights and judge rules: NOT FOUND"), so both
thresholds are settings of the event.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from kaoping.data._parse import Bad, parse_number, show
from kaoping.errors import Problem
from kaoping.observation.model import EventSpec, check_spec

__all__ = ["check_rows", "check_scores", "judge_flags", "missing_scores", "score_values", "totals"]

COLUMNS = ("judge", "unit", "criterion", "score")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _where(row: Any, has_location: bool) -> str:
    if has_location:
        location = _text(row.location)
        if location:
            return location
    return f"{_text(row.judge)}/{_text(row.unit)}/{_text(row.criterion)}"


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_scores(spec: EventSpec, scores: pd.DataFrame) -> list[Problem]:
    """Every problem of the event's configuration (:func:`~kaoping.observation.model.check_spec`)
    and of its scores, at once.

    A row's problems: an unknown judge, unit or criterion, a score that is not a number or
    outside ``0..maximum``, the same judge, unit and criterion a second time.  An empty score is
    not a problem here: it is not scored yet (:func:`missing_scores`).  The rows of an excluded
    judge are not checked: the organiser has left them out.

    Returns
    -------
    list[kaoping.errors.Problem]
        Codes ``observation.unknown_judge``, ``observation.unknown_unit``,
        ``observation.unknown_criterion``, ``observation.not_a_number``,
        ``observation.out_of_range``, ``observation.duplicate_score``,
        ``observation.missing_column`` and those of ``check_spec``; each ``where`` is the row's
        ``location`` when given, else ``judge/unit/criterion``.
    """
    return check_spec(spec) + check_rows(spec, scores)


def check_rows(spec: EventSpec, scores: pd.DataFrame) -> list[Problem]:
    """The problems of the scores' rows alone (:func:`check_scores` without the
    configuration's)."""
    problems: list[Problem] = []
    absent = [c for c in COLUMNS if c not in scores.columns]
    if absent:
        problems.append(
            Problem(
                "observation.missing_column",
                f"评分表缺少列：{'、'.join(absent)}。"
                "评分表须有 judge、unit、criterion、score 四列。",
                f"the scores lack the column(s) {', '.join(absent)}; they need judge, unit, "
                "criterion and score.",
                "scores",
            )
        )
        return problems
    judges = {j.id for j in spec.judges}
    units = set(spec.units)
    maxima = {c.name: float(c.maximum) for c in spec.criteria}
    has_location = "location" in scores.columns
    first: dict[tuple[str, str, str], str] = {}
    for row in scores.itertuples(index=False):
        judge, unit, criterion = _text(row.judge), _text(row.unit), _text(row.criterion)
        if judge in spec.excluded:
            continue
        where = _where(row, has_location)
        what_zh = f"评委 {judge or '（空）'} 对 {spec.label(unit) or '（空）'} 的“{criterion}”"
        what_en = f"judge {judge or '(empty)'}, unit {spec.label(unit) or '(empty)'}, {criterion!r}"
        known = True
        if judge not in judges:
            known = False
            problems.append(
                Problem(
                    "observation.unknown_judge",
                    f"{what_zh}：评委 {judge or '（空）'} 不在评委名单中。请核对评委编号，"
                    "或先把该评委加入名单。",
                    f"{what_en}: judge {judge or '(empty)'} is not among the event's judges; "
                    "check the id, or add the judge first.",
                    where,
                )
            )
        if unit not in units:
            known = False
            problems.append(
                Problem(
                    "observation.unknown_unit",
                    f"{what_zh}：单位代码 {unit or '（空）'} 不在任何组别中。请核对单位代码。",
                    f"{what_en}: unit code {unit or '(empty)'} is in no group of the event; "
                    "check the code.",
                    where,
                )
            )
        if criterion not in maxima:
            known = False
            problems.append(
                Problem(
                    "observation.unknown_criterion",
                    f"{what_zh}：评分项“{criterion}”不存在（评分项：{'、'.join(maxima)}）。"
                    "请改用其中之一。",
                    f"{what_en}: there is no criterion {criterion!r} (the criteria: "
                    f"{', '.join(maxima)}); use one of them.",
                    where,
                )
            )
        value = parse_number(row.score)
        if isinstance(value, Bad):
            problems.append(
                Problem(
                    "observation.not_a_number",
                    f"{what_zh}：{value.zh}",
                    f"{what_en}: {value.en}",
                    where,
                )
            )
            value = math.nan
        if known and not math.isnan(value) and not 0 <= value <= maxima[criterion]:
            top = maxima[criterion]
            problems.append(
                Problem(
                    "observation.out_of_range",
                    f"{what_zh}得分 {show(row.score)} 超出范围："
                    f"须在 0 到 {_fmt(top)}（满分）之间。",
                    f"{what_en}: the score {show(row.score)} is outside 0..{_fmt(top)} (the "
                    "maximum); correct it.",
                    where,
                )
            )
        if known and not math.isnan(value):
            key = (judge, unit, criterion)
            if key in first:
                problems.append(
                    Problem(
                        "observation.duplicate_score",
                        f"{what_zh}打了两次分（第一次在 {first[key]}）。请删除其中一个。",
                        f"{what_en} is scored twice (first at {first[key]}); remove one.",
                        where,
                    )
                )
            else:
                first[key] = where
    return problems


def score_values(spec: EventSpec, scores: pd.DataFrame) -> pd.DataFrame:
    """The valid scored values: known judge, unit and criterion, a number within range, the
    first of duplicates; columns ``judge``, ``unit``, ``criterion``, ``score`` (float)."""
    judges = {j.id for j in spec.judges}
    units = set(spec.units)
    maxima = {c.name: float(c.maximum) for c in spec.criteria}
    rows: dict[tuple[str, str, str], float] = {}
    for judge_raw, unit_raw, criterion_raw, raw in zip(*(scores[c] for c in COLUMNS), strict=True):
        judge, unit, criterion = _text(judge_raw), _text(unit_raw), _text(criterion_raw)
        if judge not in judges or unit not in units or criterion not in maxima:
            continue
        value = parse_number(raw)
        if isinstance(value, Bad) or math.isnan(value) or not 0 <= value <= maxima[criterion]:
            continue
        rows.setdefault((judge, unit, criterion), value)
    frame = pd.DataFrame(
        [(*key, value) for key, value in rows.items()], columns=list(COLUMNS)
    ).astype({"score": "float64"})
    return frame


def missing_scores(spec: EventSpec, scores: pd.DataFrame) -> pd.DataFrame:
    """Every judge (not excluded), unit and criterion without a valid score.

    Returns
    -------
    pandas.DataFrame
        Columns ``judge``, ``unit``, ``criterion``: judges, units and criteria in the event's
        order.
    """
    present = set()
    if all(c in scores.columns for c in COLUMNS):
        values = score_values(spec, scores)
        present = set(zip(values["judge"], values["unit"], values["criterion"], strict=True))
    rows = [
        (j.id, unit, c.name)
        for j in spec.judges
        if j.id not in spec.excluded
        for unit in spec.units
        for c in spec.criteria
        if (j.id, unit, c.name) not in present
    ]
    return pd.DataFrame(rows, columns=["judge", "unit", "criterion"], dtype=object)


def totals(spec: EventSpec, scores: pd.DataFrame) -> pd.DataFrame:
    """Unit x judge: each judge's total of each unit (NaN unless every criterion is scored);
    units and judges in the event's order."""
    values = score_values(spec, scores)
    units = spec.units
    judges = [j.id for j in spec.judges]
    if values.empty:
        return pd.DataFrame(np.nan, index=pd.Index(units, name="unit"), columns=judges)
    sums: pd.DataFrame = values.pivot_table(
        index="unit", columns="judge", values="score", aggfunc="sum"
    )
    counts: pd.DataFrame = values.pivot_table(
        index="unit", columns="judge", values="score", aggfunc="count"
    )
    total = sums.where(counts == len(spec.criteria))
    out = pd.DataFrame(total.reindex(index=units, columns=judges), dtype="float64")
    out.index.name = "unit"
    out.columns.name = "judge"
    return out


def judge_flags(spec: EventSpec, scores: pd.DataFrame) -> pd.DataFrame:
    """The judges whose totals look wrong: ``flat`` (all equal) or ``far`` (see the module).

    Judges the organiser excluded are not looked at, nor counted among the others.

    Returns
    -------
    pandas.DataFrame
        Columns ``judge``, ``kind`` (``"flat"`` | ``"far"``), ``value`` (the equal total; the
        mean distance as a share of the maximum total), ``zh``, ``en`` (why, and what the
        organiser can do); judges in the event's order, ``flat`` before ``far``.
    """
    frame = totals(spec, scores)
    active = [j.id for j in spec.judges if j.id not in spec.excluded]
    frame = frame[active]
    top = spec.maximum
    rows: list[dict[Hashable, object]] = []
    for judge in active:
        mine = frame[judge].dropna()
        if len(mine) >= 2 and mine.nunique() == 1:
            value = float(mine.iloc[0])
            rows.append(
                {
                    "judge": judge,
                    "kind": "flat",
                    "value": value,
                    "zh": f"评委 {judge} 给 {len(mine)} 个单位的总分全部为 {_fmt(value)}，"
                    "没有区分各单位。请核实；如确认有效，可保留该评委。",
                    "en": f"judge {judge} gave all {len(mine)} units the same total "
                    f"{_fmt(value)}, not telling them apart; check, and keep the judge if "
                    "the scores are meant.",
                }
            )
        if top <= 0:
            continue
        others = frame.drop(columns=[judge]).mean(axis=1, skipna=True)
        both = mine.index[others.reindex(mine.index).notna().to_numpy()]
        if len(both) == 0:
            continue
        distance = float((mine[both] - others[both]).abs().mean() / top)
        if distance > spec.far:
            rows.append(
                {
                    "judge": judge,
                    "kind": "far",
                    "value": distance,
                    "zh": f"评委 {judge} 的总分与其他评委的平均相差满分总分的 "
                    f"{100 * distance:.1f}%（阈值 {100 * spec.far:g}%）。请核实；"
                    "如确认有效，可保留该评委。",
                    "en": f"judge {judge}'s totals are on average {100 * distance:.1f} % of "
                    f"the maximum total away from the other judges' mean (threshold "
                    f"{100 * spec.far:g} %); check, and keep the judge if the scores are "
                    "meant.",
                }
            )
    out = pd.DataFrame(rows, columns=["judge", "kind", "value", "zh", "en"])
    return out.astype({"value": "float64"})
