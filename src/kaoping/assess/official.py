"""The official path (考核评价): an ``official:`` methodology + Panel + targets + events.

What a city or provincial office does with the counties' figures, step by step:

1. the entry gate (门槛): units outside it are not scored or ranked, and the table says why;
2. each indicator of the scoring table (计分表) scores every unit by its rule
   (:mod:`kaoping.scoring.rules`) against its target (目标值, per unit) or its peers — the
   units of its category (分类考核) by default — with the points of its category
   (统一指标、分类赋权); a missing value scores 0 (未报送不得分) or is an error;
3. components (e.g. indicators 80% + on-site observation 20%) each rescaled to 100, or the
   indicator points as they are;
4. bonus and penalty lines (加分/减分) from the events file, each with its evidence, capped per
   item and per unit;
5. veto items (一票否决): from a red line of an indicator or from the events file — the unit
   keeps its score and rank but gets no tier and no award;
6. total, competition rank overall and within category, rank change against the previous
   period within the same category (进位), tiers, awards (表彰).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kaoping.assess.official_result import OfficialResult, change_label
from kaoping.assess.pipeline import (
    _choose_period,
    _tiers,
    _unit_categories,
    _unit_names,
    refuse_huge_values,
)
from kaoping.data import Panel, Units
from kaoping.errors import InputError, Problem
from kaoping.methodology import Methodology
from kaoping.methodology.official import Item, OfficialSpec, ScoringItem
from kaoping.methodology.plausibility import check_panel
from kaoping.methods import rank
from kaoping.scoring import rules

__all__ = ["assess_official"]

_MODERATE_RULES = {"efficacy", "vs_average", "rank_points", "bands"}


def assess_official(
    methodology: Methodology,
    panel: Panel,
    period: str | int | None = None,
    *,
    units: Units | None = None,
    targets: Panel | None = None,
    events: pd.DataFrame | None = None,
    judged: pd.DataFrame | None = None,
    previous: Any = None,
) -> OfficialResult:
    """Score, rank, tier and commend every unit of ``panel`` in ``period``, officially.

    Parameters
    ----------
    methodology : Methodology
        A methodology with an ``official:`` section (:mod:`kaoping.methodology.official`).
    panel : Panel
        Observations; ``period`` is assessed (the previous period is read for growth rates).
    period : str or int, optional
        Default: the latest period of ``panel``.
    units : Units, optional
        Names and categories; required when the methodology has categories.
    targets : Panel, optional
        Targets (目标值) per unit, indicator and period (read like observations).  Where a unit
        has none, the scoring table's ``target`` or the indicator's ``target`` applies.
    events : pandas.DataFrame, optional
        Bonus, penalty and veto lines (:func:`kaoping.data.events.read_events`).
    judged : pandas.DataFrame, optional
        Judges' scores (:func:`kaoping.data.events.read_judged`) for ``judged`` indicators.
    previous : OfficialResult, Result or DataFrame, optional
        Last period's ranks (a frame indexed by unit with ``category`` and
        ``category_rank``): rank change (进位) and the most-improved award need them.

    Raises
    ------
    InputError
        Every problem at once: a unit's category not in the methodology, indicators without
        data, a missing target for a completion-scored indicator (naming the unit and the
        indicator), an unknown item in the events, a unit in the events that is not assessed.
    """
    spec = methodology.official
    if spec is None:
        raise ValueError(f"methodology {methodology.id} has no official section")
    period_str = _choose_period(panel, period)
    frame = panel.select(period=period_str)
    codes = sorted(set(frame.units))
    names = _unit_names(codes, units, panel)
    categories = _unit_categories(codes, units)
    problems: list[Problem] = []
    _check_categories(spec, codes, names, categories, units, problems)
    implausible, unusual = check_panel(
        methodology, panel, period_str, codes, dict(zip(codes, names, strict=True))
    )
    problems += implausible

    ids = [i.id for i in methodology.indicators]
    raw = frame.matrix(period_str, ids, codes)
    refuse_huge_values(raw, frame, period_str)
    needed = _needed(methodology, spec)
    present = set(frame.indicators)
    for ident in needed:
        if ident not in present:
            ind = methodology.indicator(ident)
            problems.append(
                Problem(
                    "assess.indicator_without_data",
                    f"期间 {period_str} 没有指标 {ident}（{ind.name}）的任何数据：请在数据文件中"
                    "增加这一列。",
                    f"no data for indicator {ident} ({ind.name}) in period {period_str}: add "
                    "the column to the data file.",
                    ident,
                )
            )
    gate = _gate(methodology, spec, raw) if all(g.indicator in present for g in spec.gate) else {}
    ranked = [c for c in codes if c not in gate]  # units outside the gate need no targets
    if spec.missing == "error":
        scored_ids = [r.indicator for r in spec.scoring if r.rule.method != "judged"]
        problems += panel.missing(period_str, [i for i in scored_ids if i in present], ranked)
    target_frame = _targets(methodology, spec, targets, period_str, codes, names, problems, gate)
    lines = _event_lines(spec, events, period_str, codes, problems)
    judged_scores = _judged(spec, judged, period_str, codes, problems)
    growth = _growth(methodology, spec, panel, period_str, codes, raw, problems)
    for row in spec.scoring:
        ind = methodology.indicator(row.indicator)
        if ind.direction == "moderate" and row.rule.method not in _MODERATE_RULES:
            problems.append(
                Problem(
                    "assess.moderate_rule",
                    f"指标 {ind.id}（{ind.name}）是适度指标，不能用 {row.rule.method} 计分；"
                    "请改用 efficacy、vs_average、rank_points 或 bands。",
                    f"indicator {ind.id} is moderate and cannot be scored by "
                    f"{row.rule.method}; use efficacy, vs_average, rank_points or bands.",
                    ind.id,
                )
            )
    if problems:
        raise InputError(problems)

    notes: list[Problem] = list(unusual)
    eligible = np.array([code not in gate for code in codes])
    cats = categories.to_numpy(dtype=object)
    groups = (
        cats
        if spec.compare_within == "category" and spec.categories
        else np.array(["*"] * len(codes), dtype=object)
    )
    scored = [r.indicator for r in spec.scoring]
    points = pd.DataFrame(np.nan, index=pd.Index(codes, name="unit"), columns=scored)
    nominal = pd.DataFrame(
        [[row.points_for(_cat(c)) for row in spec.scoring] for c in cats],
        index=points.index,
        columns=scored,
    )
    completion = pd.DataFrame(np.nan, index=points.index, columns=scored)
    for row in spec.scoring:
        ind = methodology.indicator(row.indicator)
        x = _values(row, raw, judged_scores)
        d = -1.0 if ind.direction == "negative" else 1.0
        if ind.direction == "moderate":
            x = -np.abs(x - float(ind.optimum or 0.0)) if row.rule.method != "bands" else x
        t = target_frame[row.indicator].to_numpy() if row.indicator in target_frame else None
        g = growth.get(row.indicator)
        try:
            pts, ratio = _score(
                row, x, d, t, g, nominal[row.indicator].to_numpy(), groups, eligible
            )
        except ValueError as exc:  # data the rule cannot score (e.g. a group mean <= 0)
            raise InputError(
                [
                    Problem(
                        "assess.rule_failed",
                        f"指标 {ind.id}（{ind.name}）按 {row.rule.method} 计分时数据不适用：{exc}"
                        "（位置按比较组内的顺序计）。请检查该指标的数值，或换一种计分方法。",
                        f"indicator {ind.id} ({ind.name}) cannot be scored by "
                        f"{row.rule.method} on these data: {exc} (positions within the "
                        "comparison group). Check its values or choose another rule.",
                        f"{ind.id}/{period_str}",
                    )
                ]
            ) from exc
        points[row.indicator] = pts
        if ratio is not None:
            completion[row.indicator] = ratio
    missing_cells = points.isna() & np.broadcast_to(eligible[:, None], points.shape)
    if missing_cells.to_numpy().any() and spec.missing == "zero":
        for code, ident in zip(*np.nonzero(missing_cells.to_numpy()), strict=True):
            notes.append(
                Problem(
                    "assess.missing_scored_zero",
                    f"{names[code]}（{codes[code]}）的指标 {scored[ident]} 没有数值，按 0 分计"
                    "（未报送不得分）。",
                    f"{names[code]} ({codes[code]}) has no value of {scored[ident]}: it scores 0.",
                    f"{codes[code]}/{scored[ident]}/{period_str}",
                )
            )
    points = points.where(~missing_cells, 0.0)
    indicator_total = points.sum(axis=1, min_count=1).where(eligible)

    table = pd.DataFrame(index=points.index)
    table["name"] = names
    table["category"] = categories
    components = _components(methodology, spec, points, nominal)
    if components:
        total_w = sum(c.weight for c in spec.components)
        base = sum(components[c.id] * c.weight / total_w for c in spec.components)
    else:
        base = indicator_total
    bonus, penalty, lines = _apply_items(spec, lines, codes)
    veto = _veto(methodology, spec, raw, lines)
    total = (base + bonus - penalty).where(eligible)
    table["score"] = total
    table["indicator_points"] = indicator_total
    for c in spec.components:
        table[f"component:{c.id}"] = components[c.id].where(eligible)
    table["bonus"] = bonus.where(eligible)
    table["penalty"] = penalty.where(eligible)
    score = total.to_numpy(dtype=np.float64)
    table["rank"] = rank.competition(score)
    table["category_rank"] = (
        rank.within(score, cats) if categories.notna().any() else np.full(len(codes), np.nan)
    )
    prev = _previous(previous)
    table["previous_rank"], table["rank_change"] = _progress(table, prev)
    table["change"] = [
        change_label(p, c)
        for p, c in zip(table["previous_rank"], table["rank_change"], strict=True)
    ]
    vetoed = np.array([code in veto for code in codes])
    tiers = _tiers(methodology, score, table["rank"].to_numpy())
    table["tier"] = [None if v else t for v, t in zip(vetoed, tiers, strict=True)]
    table["awards"] = _awards(spec, table, vetoed)
    table["veto"] = ["；".join(veto[c]) if c in veto else None for c in codes]
    table["gate"] = [gate.get(c) for c in codes]
    for node in methodology.nodes():
        cols = [i.id for i in node.scored_below if i.id in scored]
        table[node.id] = points[cols].sum(axis=1).where(eligible) if cols else np.nan
    return OfficialResult(
        methodology=methodology,
        period=period_str,
        table=table,
        raw=raw,
        targets=target_frame,
        completion=completion,
        points=points.where(np.broadcast_to(eligible[:, None], points.shape)),
        nominal=nominal,
        lines=lines,
        notes=tuple(notes),
    )


# --- inputs -----------------------------------------------------------------------------------


def _cat(value: object) -> str | None:
    return (
        None
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
        else str(value)
    )


def _check_categories(
    spec: OfficialSpec,
    codes: Sequence[str],
    names: Sequence[str],
    categories: pd.Series,
    units: Units | None,
    problems: list[Problem],
) -> None:
    if not spec.categories:
        return
    if units is None:
        problems.append(
            Problem(
                "assess.needs_units",
                f"本办法分类考核（{'、'.join(spec.categories)}），需要带“类别”列的单位表；"
                "命令行请加 --units。",
                f"this methodology scores by category ({', '.join(spec.categories)}) and needs "
                "a units table with a category column (--units on the command line).",
                "units",
            )
        )
        return
    for code, name in zip(codes, names, strict=True):
        cat = _cat(categories.get(code))
        if cat not in spec.categories:
            problems.append(
                Problem(
                    "assess.unknown_category",
                    f"{name}（{code}）的类别 {cat or '（空）'} 不在本办法的类别中："
                    f"{'、'.join(spec.categories)}。请在单位表中改正。",
                    f"the category {cat or '(empty)'} of {name} ({code}) is not one of the "
                    f"methodology's: {', '.join(spec.categories)}. Correct the units table.",
                    code,
                )
            )


def _needed(methodology: Methodology, spec: OfficialSpec) -> list[str]:
    out = [r.indicator for r in spec.scoring if r.rule.method != "judged"]
    out += [v.indicator for v in spec.veto if v.indicator]
    out += [g.indicator for g in spec.gate]
    for r in spec.scoring:
        if r.rule.method == "level_and_growth" and r.rule.get("growth") not in (None, "previous"):
            out.append(str(r.rule.get("growth")))
    return list(dict.fromkeys(out))


def _targets(
    methodology: Methodology,
    spec: OfficialSpec,
    targets: Panel | None,
    period: str,
    codes: Sequence[str],
    names: Sequence[str],
    problems: list[Problem],
    gate: Mapping[str, str],
) -> pd.DataFrame:
    ids = [r.indicator for r in spec.scoring if r.rule.method == "completion"]
    if targets is not None and len(targets):
        given = targets.select(period=period).matrix(period, ids, codes) if ids else None
    else:
        given = None
    out = pd.DataFrame(np.nan, index=pd.Index(codes, name="unit"), columns=ids)
    for ident in ids:
        row = spec.item(ident)
        ind = methodology.indicator(ident)
        fallback = (row.target if row is not None else None) or ind.target
        column = given[ident] if given is not None else pd.Series(np.nan, index=out.index)
        column = column.fillna(fallback if fallback is not None else np.nan)
        out[ident] = column
        for code, name in zip(codes, names, strict=True):
            value = column[code]
            if code in gate:
                continue
            if pd.isna(value):
                problems.append(
                    Problem(
                        "assess.missing_target",
                        f"{name}（{code}）缺少指标 {ident}（{ind.name}）{period} 年的目标值："
                        "该指标按目标完成率计分，请在目标值文件中补充，或在计分表中给出统一的 "
                        "target。",
                        f"{name} ({code}) has no {period} target for {ident} ({ind.name}), "
                        "which is scored by completion: add it to the targets file or give a "
                        "common target in the scoring table.",
                        f"{code}/{ident}/{period}",
                    )
                )
            elif value <= 0:
                problems.append(
                    Problem(
                        "assess.bad_target",
                        f"{name}（{code}）指标 {ident} 的目标值为 {value:g}，应大于 0。",
                        f"the target of {ident} for {name} ({code}) is {value:g}; it must be "
                        "above 0.",
                        f"{code}/{ident}/{period}",
                    )
                )
    return out


def _event_lines(
    spec: OfficialSpec,
    events: pd.DataFrame | None,
    period: str,
    codes: Sequence[str],
    problems: list[Problem],
) -> pd.DataFrame:
    columns = ["unit", "kind", "item", "name", "count", "points", "document", "date", "note"]
    if events is None or events.empty:
        return pd.DataFrame(columns=[*columns, "location"])
    items: dict[str, tuple[str, Any]] = {}
    for kind, group in (("bonus", spec.bonus), ("penalty", spec.penalty), ("veto", spec.veto)):
        for item in group:
            items[item.id] = (kind, item)
            items[item.name] = (kind, item)
    known = set(codes)
    records = []
    for _, line in events.iterrows():
        if line["period"] is not None and not pd.isna(line["period"]) and line["period"] != period:
            continue
        found = items.get(str(line["item"]))
        if found is None:
            names = "、".join(i.id for i in (*spec.bonus, *spec.penalty, *spec.veto)) or "无"
            problems.append(
                Problem(
                    "assess.unknown_item",
                    f"事项 “{line['item']}” 不是本办法的加分、减分或否决事项；"
                    f"本办法的事项：{names}。",
                    f"{line['item']!r} is not a bonus, penalty or veto item of the methodology; "
                    f"its items are {names}.",
                    line["location"],
                )
            )
            continue
        if line["unit"] not in known:
            problems.append(
                Problem(
                    "assess.event_unknown_unit",
                    f"单位 {line['unit']} 不在 {period} 年的参评单位中。",
                    f"unit {line['unit']} is not among the units assessed in {period}.",
                    line["location"],
                )
            )
            continue
        kind, item = found
        records.append(
            {
                "unit": line["unit"],
                "kind": kind,
                "item": item.id,
                "name": item.name,
                "count": float(line["count"]),
                "points": float(item.points) * float(line["count"]) if kind != "veto" else 0.0,
                "document": line["document"],
                "date": line["date"],
                "note": line["note"],
                "location": line["location"],
            }
        )
    return pd.DataFrame(records, columns=[*columns, "location"])


def _judged(
    spec: OfficialSpec,
    judged: pd.DataFrame | None,
    period: str,
    codes: Sequence[str],
    problems: list[Problem],
) -> dict[str, np.ndarray]:
    """Indicator id -> judged score as a fraction of the maximum, per unit (NaN: not judged)."""
    rows = [r for r in spec.scoring if r.rule.method == "judged"]
    if not rows:
        return {}
    if judged is None:
        problems.append(
            Problem(
                "assess.needs_judged",
                f"指标 {'、'.join(r.indicator for r in rows)} 按评委打分计分，需要评委打分表"
                "（命令行 --judged）。",
                f"{', '.join(r.indicator for r in rows)} are scored by judges: give the judged "
                "sheet (--judged).",
                "judged",
            )
        )
        return {}
    sheet = judged[[p is None or pd.isna(p) or p == period for p in judged["period"]]]
    out: dict[str, np.ndarray] = {}
    every = [str(c) for row in rows for c, _ in row.rule.get("criteria")]
    for _, bad in sheet[~sheet["criterion"].isin(every)].iterrows():  # of no judged indicator
        problems.append(
            Problem(
                "assess.unknown_criterion",
                f"评分项 “{bad['criterion']}” 不在评委打分指标"
                f"（{'、'.join(r.indicator for r in rows)}）的评分项中：{'、'.join(every)}。",
                f"criterion {bad['criterion']!r} is not one of the judged indicators' "
                f"({', '.join(r.indicator for r in rows)}): {', '.join(every)}.",
                bad["location"],
            )
        )
    for row in rows:
        criteria = dict(row.rule.get("criteria"))
        for _, over in sheet[sheet["criterion"].isin(list(criteria))].iterrows():
            if over["score"] > criteria[over["criterion"]]:
                problems.append(
                    Problem(
                        "assess.score_above_maximum",
                        f"分数 {over['score']:g} 超过评分项 {over['criterion']} 的满分 "
                        f"{criteria[over['criterion']]:g}。",
                        f"score {over['score']:g} is above the maximum "
                        f"{criteria[over['criterion']]:g} of {over['criterion']}.",
                        over["location"],
                    )
                )
        judges = sorted(set(sheet["judge"]))
        crit = list(criteria)
        cube = np.full((len(codes), max(1, len(judges)), len(crit)), np.nan)
        index = {c: i for i, c in enumerate(codes)}
        for _, s in sheet[~sheet["unit"].isin(list(index))].iterrows():
            problems.append(
                Problem(
                    "assess.judged_unknown_unit",
                    f"评委打分表中的单位 {s['unit']} 不在 {period} 年的参评单位中。",
                    f"unit {s['unit']} of the judged sheet is not among the units assessed in "
                    f"{period}.",
                    s["location"],
                )
            )
        for _, s in sheet.iterrows():
            if s["unit"] in index and s["criterion"] in criteria:
                cube[index[s["unit"]], judges.index(s["judge"]), crit.index(s["criterion"])] = s[
                    "score"
                ]
        means = rules.judged(cube, trim=bool(row.rule.get("trim")))
        total_max = sum(criteria.values())
        out[row.indicator] = np.nansum(means, axis=1) / total_max
        out[row.indicator][np.isnan(means).all(axis=1)] = np.nan
    return out


def _growth(
    methodology: Methodology,
    spec: OfficialSpec,
    panel: Panel,
    period: str,
    codes: Sequence[str],
    raw: pd.DataFrame,
    problems: list[Problem],
) -> dict[str, np.ndarray]:
    """Growth values of the level_and_growth indicators: named indicator or previous period."""
    out: dict[str, np.ndarray] = {}
    earlier = [p for p in panel.periods if p < period]
    for row in spec.scoring:
        if row.rule.method != "level_and_growth":
            continue
        source = row.rule.get("growth")
        if source not in (None, "previous"):
            out[row.indicator] = raw[str(source)].to_numpy(dtype=np.float64)
        elif earlier:
            before = panel.select(period=earlier[-1]).matrix(earlier[-1], [row.indicator], codes)
            now = raw[row.indicator].to_numpy(dtype=np.float64)
            then = before[row.indicator].to_numpy(dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[row.indicator] = np.where(then > 0, (now / then - 1.0) * 100.0, np.nan)
        else:
            ind = methodology.indicator(row.indicator)
            problems.append(
                Problem(
                    "assess.no_previous_period",
                    f"指标 {ind.id}（{ind.name}）按总量+增量计分，增量取自上一期，但数据中没有 "
                    f"{period} 之前的期间：请加入上一期的数据，或在计分表中用 growth 指定"
                    "增速指标。",
                    f"{ind.id} ({ind.name}) is scored by level and growth, the growth over the "
                    f"previous period, but the data has no period before {period}: add the "
                    "previous period, or name a growth indicator with growth: in the scoring "
                    "table.",
                    ind.id,
                )
            )
            out[row.indicator] = np.full(len(codes), np.nan)
    return out


# --- scoring ----------------------------------------------------------------------------------


def _values(row: ScoringItem, raw: pd.DataFrame, judged: Mapping[str, np.ndarray]) -> np.ndarray:
    if row.rule.method == "judged":
        return np.asarray(judged.get(row.indicator, np.full(len(raw), np.nan)), dtype=np.float64)
    return raw[row.indicator].to_numpy(dtype=np.float64)


def _score(
    row: ScoringItem,
    x: np.ndarray,
    d: float,
    t: np.ndarray | None,
    growth: np.ndarray | None,
    w_unit: np.ndarray,
    groups: np.ndarray,
    eligible: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Points of every unit (NaN for a missing value or a gated-out unit) and completion ratios.

    The rule runs once per comparison group; where the units of a group carry different points
    (categories compared together), once per distinct points value over the whole group.
    """
    pts = np.full(len(x), np.nan)
    ratio = np.full(len(x), np.nan) if row.rule.method == "completion" else None
    for key in dict.fromkeys(groups[eligible]):
        members = np.flatnonzero((groups == key) & eligible)
        for w in np.unique(w_unit[members]):
            mine = members[w_unit[members] == w]
            got, r = _rule(
                row, x[members], d, None if t is None else t[members], growth, members, float(w)
            )
            where = np.isin(members, mine)
            pts[mine] = got[where]
            if ratio is not None and r is not None:
                ratio[mine] = r[where]
    return pts, ratio


def _rule(
    row: ScoringItem,
    x: np.ndarray,
    d: float,
    t: np.ndarray | None,
    growth: np.ndarray | None,
    members: np.ndarray,
    w: float,
) -> tuple[np.ndarray, np.ndarray | None]:
    rule = row.rule
    m = rule.method
    if w == 0.0:
        return np.where(np.isnan(x), np.nan, 0.0), None
    if m == "completion":
        assert t is not None
        return rules.completion(
            x,
            t,
            w,
            d,
            floor=rule.get("floor"),
            cap=rule.get("cap"),
            zero_below=rule.get("zero_below"),
        )
    if m == "efficacy":
        return (
            rules.efficacy(
                x,
                w,
                d,
                base=rule.get("base"),
                satisfactory=rule.get("satisfactory"),
                unacceptable=rule.get("unacceptable"),
            ),
            None,
        )
    if m == "vs_average":
        return (
            rules.vs_average(
                x,
                w,
                d,
                step=rule.get("step"),
                base=rule.get("base"),
                per=rule.get("per"),
                average=rule.get("average"),
            ),
            None,
        )
    if m == "rank_points":
        return (
            rules.rank_points(
                x,
                w,
                d,
                table=rule.get("table"),
                decrement=rule.get("decrement"),
                proportional=bool(rule.get("proportional")),
            ),
            None,
        )
    if m == "bands":
        return rules.bands(x, w, bands=rule.get("bands")), None
    if m == "benchmark_ratio":
        return (
            rules.benchmark_ratio(x, w, d, benchmark=rule.get("benchmark"), cap=rule.get("cap")),
            None,
        )
    if m == "level_and_growth":
        g = growth[members] if growth is not None else np.full(len(x), np.nan)
        return rules.level_and_growth(x, g, w, d, a=rule.get("a"), base=rule.get("base")), None
    if m == "judged":
        return w * x, None
    raise AssertionError(m)  # pragma: no cover


def _components(
    methodology: Methodology, spec: OfficialSpec, points: pd.DataFrame, nominal: pd.DataFrame
) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    for c in spec.components:
        cols = [
            i.id
            for d in c.dimensions
            for i in methodology.dimension(d).scored_below
            if i.id in points.columns
        ]
        full = nominal[cols].sum(axis=1)
        out[c.id] = points[cols].sum(axis=1) / full.where(full > 0) * 100.0
    return out


def _apply_items(
    spec: OfficialSpec, lines: pd.DataFrame, codes: Sequence[str]
) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Bonus and penalty per unit after the caps per item and per unit; lines with the points
    each really counted for (``counted``)."""
    bonus = pd.Series(0.0, index=pd.Index(codes, name="unit"))
    penalty = pd.Series(0.0, index=bonus.index)
    lines = lines.copy()
    lines["counted"] = 0.0
    caps = dict(zip(("bonus", "penalty"), spec.unit_caps, strict=True))
    by_id: dict[str, Item] = {i.id: i for i in (*spec.bonus, *spec.penalty)}
    for kind, total in (("bonus", bonus), ("penalty", penalty)):
        mine = lines[lines["kind"] == kind]
        for code, unit_lines in mine.groupby("unit", sort=False):
            left_unit = caps[kind] if caps[kind] is not None else math.inf
            for item_id, item_lines in unit_lines.groupby("item", sort=False):
                cap = by_id[str(item_id)].cap
                left_item = cap if cap is not None else math.inf
                for idx, line in item_lines.iterrows():
                    take = min(float(line["points"]), left_item, left_unit)
                    lines.loc[idx, "counted"] = take
                    left_item -= take
                    left_unit -= take
                    total[code] += take
    return bonus, penalty, lines


def _veto(
    methodology: Methodology, spec: OfficialSpec, raw: pd.DataFrame, lines: pd.DataFrame
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in spec.veto:
        if v.indicator is None:
            continue
        ind = methodology.indicator(v.indicator)
        values = raw[v.indicator]
        for code, value in values.items():
            if pd.isna(value):
                continue
            if v.above is not None and value > v.above:
                out.setdefault(str(code), []).append(
                    f"{v.name}（{ind.name} = {value:g}，超过 {v.above:g}）"
                )
            elif v.below is not None and value < v.below:
                out.setdefault(str(code), []).append(
                    f"{v.name}（{ind.name} = {value:g}，低于 {v.below:g}）"
                )
    for _, line in lines[lines["kind"] == "veto"].iterrows():
        out.setdefault(str(line["unit"]), []).append(f"{line['name']}（依据：{line['document']}）")
    return out


def _gate(methodology: Methodology, spec: OfficialSpec, raw: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for g in spec.gate:
        values = raw[g.indicator]
        for code, value in values.items():
            if code in out:
                continue
            if pd.isna(value):
                out[str(code)] = f"未达门槛：{g.name}（{g.indicator} 无数据）"
            elif (g.min is not None and value < g.min) or (g.max is not None and value > g.max):
                out[str(code)] = f"未达门槛：{g.name}（{g.indicator} = {value:g}）"
    return out


def _previous(previous: Any) -> pd.DataFrame | None:
    if previous is None:
        return None
    table = previous.table if hasattr(previous, "table") else previous
    if not isinstance(table, pd.DataFrame):
        raise TypeError("previous must be a result or a DataFrame of ranks")
    return table


def _progress(table: pd.DataFrame, prev: pd.DataFrame | None) -> tuple[list[Any], list[Any]]:
    """Previous rank and the change (positive = up), within the same category.

    Without categories the whole field is the one group (the overall ranks are compared).  A
    unit that was not ranked before, or was ranked in another category, has no previous rank
    (新进).
    """
    before: list[Any] = []
    change: list[Any] = []
    for code, row in table.iterrows():
        p = None
        cat = _cat(row["category"])
        key = "category_rank" if cat is not None else "rank"
        if prev is not None and code in prev.index:
            old = prev.loc[code]
            old_cat = _cat(old.get("category"))
            old_rank = old.get(key, np.nan)
            if old_cat == cat and not pd.isna(old_rank):
                p = int(old_rank)
        now = row[key]
        before.append(p)
        change.append(None if p is None or pd.isna(now) else int(p - now))
    return before, change


def _awards(spec: OfficialSpec, table: pd.DataFrame, vetoed: np.ndarray) -> list[Any]:
    won: dict[str, list[str]] = {str(c): [] for c in table.index}
    ok = ~vetoed & table["rank"].notna().to_numpy()
    for award in spec.awards:
        if award.kind == "top":
            _best(table.index[ok], table["score"][ok], award.n, award.name, won)
        elif award.kind == "top_per_category":
            for _, members in table[ok].groupby("category", dropna=False):
                _best(members.index, members["score"], award.n, award.name, won)
        else:
            gains = table["rank_change"][ok]
            gains = gains[gains.notna() & (gains.astype(float) > 0)]
            _best(gains.index, gains.astype(float), award.n, award.name, won)
    return ["、".join(v) if v else None for v in won.values()]


def _best(index: pd.Index, values: pd.Series, n: int, name: str, won: dict[str, list[str]]) -> None:
    """The best ``n`` by value; units tied with the n-th are included."""
    if len(index) == 0:
        return
    v = values.to_numpy(dtype=np.float64)
    r = rank.competition(v)
    for code, k in zip(index, r, strict=True):
        if not np.isnan(k) and k <= n:
            won[str(code)].append(name)
