r"""The result of an observation event: each unit's points from the judges' scores, and its
rank within its group (观摩评比结果).

A judge :math:`j`'s **total** of unit :math:`u` is the sum of its criteria points,
:math:`T_{ju} = \sum_c s_{juc}`.  With :math:`J_u` the judges used for the unit (every judge
not excluded by the organiser and not flagged — unless kept, see
:func:`kaoping.observation.judge_flags`) and :math:`w_j` the judges' weights:

- ``mean``: :math:`\bar T_u = \frac{1}{|J_u|}\sum_{j \in J_u} T_{ju}`;
- ``trimmed`` (去掉一个最高分和一个最低分): with :math:`|J_u| \ge` ``trim_min_judges``, drop
  the judge with the highest total and the judge with the lowest (of tied totals one only, the
  judge whose id sorts first), then the mean of the others; with fewer judges the plain mean;
- ``weighted``: :math:`\bar T_u = \sum_{j \in J_u} w_j T_{ju} / \sum_{j \in J_u} w_j`;
- ``trimmed_weighted``: trim as ``trimmed``, then the weighted mean of the others.

A criterion's points are the same mean of :math:`s_{juc}` over the same kept judges, so that the
criteria add up to the total.  Ranks are competition ranks within the unit's group
(:func:`kaoping.methods.rank.within`: 1 = highest, tied totals share the smallest rank).

References
----------
Jiaozuo's quarterly 「全市重点项目暨产业转型攻坚观摩评价」, results per 县(市)组 and 城区组
(``shared/research/domain.md`` §4.6); dropping one highest and one lowest score as
:func:`kaoping.scoring.rules.judged` (``shared/METHODS.md``, "Official scoring rules:
judged"), here applied to each judge's total rather than per criterion, so that one judge's
scores of a unit are kept or dropped together.

Examples
--------
>>> from kaoping.observation import Criterion, EventSpec, Judge
>>> spec = EventSpec("E", "2026-Q1", {"组": ["A", "B"]}, [Criterion("项目", 10)],
...                  [Judge("J1", "甲"), Judge("J2", "乙")], aggregation="mean")
>>> scores = pd.DataFrame({"judge": ["J1", "J1", "J2", "J2"], "unit": ["A", "B", "A", "B"],
...                        "criterion": "项目", "score": [8, 6, 9, 6]})
>>> result = aggregate(spec, scores)
>>> result.table["total"].tolist(), result.table["rank"].tolist()
([8.5, 6.0], [1, 2])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kaoping.errors import InputError, Problem
from kaoping.methods.rank import within
from kaoping.observation.model import EventResult, EventSpec
from kaoping.observation.scores import (
    COLUMNS,
    check_scores,
    judge_flags,
    missing_scores,
    score_values,
    totals,
)

__all__ = ["aggregate", "kept_judges"]


def _missing_problems(spec: EventSpec, missing: pd.DataFrame) -> list[Problem]:
    problems = []
    for (judge, unit), rows in missing.groupby(["judge", "unit"], sort=False):
        names = list(rows["criterion"])
        problems.append(
            Problem(
                "observation.missing_score",
                f"评委 {judge} 还没有给 {spec.label(str(unit))} 的“{'、'.join(names)}”打分。"
                "请补齐，或由组织者把该评委排除在本次活动之外。",
                f"judge {judge} has not scored {spec.label(str(unit))} on "
                f"{', '.join(names)}; complete the scores, or let the organiser exclude the "
                "judge from the event.",
                f"{judge}/{unit}",
            )
        )
    return problems


def kept_judges(spec: EventSpec, totals: np.ndarray, ids: list[str]) -> np.ndarray:
    """For one unit, which of the judges ``ids`` (with their ``totals``) are used after
    trimming: a boolean mask."""
    keep = np.ones(len(ids), dtype=bool)
    if spec.aggregation in ("trimmed", "trimmed_weighted") and len(ids) >= spec.trim_min_judges:
        order = sorted(range(len(ids)), key=lambda k: ids[k])  # the first id among ties
        high = max(order, key=lambda k: totals[k])
        low = min(order, key=lambda k: totals[k])
        keep[high] = False
        keep[low] = False
    return keep


def aggregate(spec: EventSpec, scores: pd.DataFrame) -> EventResult:
    """The event's result: every unit's points, total and rank within its group.

    Parameters
    ----------
    spec : EventSpec
        The event.
    scores : pandas.DataFrame
        ``judge``, ``unit``, ``criterion``, ``score`` [, ``location``], one row a value.

    Returns
    -------
    EventResult
        See :class:`~kaoping.observation.model.EventResult`.

    Raises
    ------
    kaoping.errors.InputError
        Every problem of :func:`~kaoping.observation.check_scores`, a score missing
        (``observation.missing_score``, one per judge and unit naming the criteria), no judge
        left to use (``observation.no_judges_left``).
    """
    problems = check_scores(spec, scores)
    if any(p.code == "observation.missing_column" for p in problems):
        raise InputError(problems)
    missing = missing_scores(spec, scores)
    if len(missing):  # a value given but wrong is reported above, not again as missing
        given = {
            (str(j).strip(), str(u).strip(), str(c).strip())
            for j, u, c, v in zip(*(scores[k] for k in COLUMNS), strict=True)
            if not (v is None or (isinstance(v, float) and v != v) or str(v).strip() == "")
        }
        keys = zip(missing["judge"], missing["unit"], missing["criterion"], strict=True)
        missing = missing[[key not in given for key in keys]]
    problems += _missing_problems(spec, missing)
    if problems:
        raise InputError(problems)
    flags = judge_flags(spec, scores)
    left_out: dict[str, str] = {j: "excluded" for j in (x.id for x in spec.judges)
                                if j in spec.excluded}  # fmt: skip
    for judge, rows in flags.groupby("judge", sort=False):
        if judge not in spec.kept:
            left_out[str(judge)] = ",".join(rows["kind"])
    used = [j for j in spec.judges if j.id not in left_out]
    if not used:
        raise InputError(
            [
                Problem(
                    "observation.no_judges_left",
                    "所有评委都被排除或被标记为异常，无法计算结果。请保留至少一名被标记的评委。",
                    "every judge is excluded or flagged: nothing to compute; keep at least one "
                    "flagged judge.",
                    "kept",
                )
            ]
        )
    values = score_values(spec, scores)
    units = spec.units
    criteria = [c.name for c in spec.criteria]
    ids = [j.id for j in used]
    weights = np.array([j.weight for j in used], dtype="float64")
    if spec.aggregation in ("mean", "trimmed"):
        weights = np.ones(len(used))
    # (unit, judge, criterion) points of the judges used
    cube = (
        values[values["judge"].isin(ids)]
        .set_index(["unit", "judge", "criterion"])["score"]
        .reindex(pd.MultiIndex.from_product([units, ids, criteria]))
        .to_numpy()
        .reshape(len(units), len(ids), len(criteria))
    )
    judge_totals = cube.sum(axis=2)
    points = np.empty((len(units), len(criteria)))
    count = np.empty(len(units), dtype=int)
    for u in range(len(units)):
        keep = kept_judges(spec, judge_totals[u], ids)
        w = weights[keep]
        points[u] = (w[:, None] * cube[u][keep]).sum(axis=0) / w.sum()
        count[u] = int(keep.sum())
    group_of = spec.group_of
    table = pd.DataFrame(points, index=pd.Index(units, name="unit"), columns=criteria)
    table.insert(0, "group", [group_of[u] for u in units])
    table.insert(0, "name", [spec.names.get(u, u) for u in units])
    table["total"] = points.sum(axis=1)
    table["rank"] = within(table["total"].to_numpy(), table["group"].to_list()).astype(int)
    table["judges"] = count
    return EventResult(
        table=table,
        per_judge=totals(spec, scores),
        flags=flags,
        left_out=left_out,
        spec=spec,
    )
