"""The entry gate, components (indicators 80% + observation 20%) and judged scores.

Worked by hand:

- gate ``g >= 4``: C (g = 3) is outside; it gets no points, score or rank, and the table says
  why; the others are compared among themselves (efficacy of p over A, B, D only).
- components: ``econ`` (indicator g, 10 points) weighs 80 and ``obs`` (indicator j, judged, 10
  points) weighs 20; each is rescaled to 100.  Judges' scores for j (criteria 进度 max 60,
  质量 max 40), five judges for A, so its highest and lowest are dropped per criterion:
  A 进度 [50, 52, 54, 56, 60] -> mean of 52, 54, 56 = 54; 质量 [30, 31, 32, 33, 40] -> 32;
  A's judged total 86 of 100 -> j = 10 x 0.86 = 8.6 points -> obs component 86.
  B has two judges, no trimming: 进度 [40, 44] -> 42, 质量 [20, 30] -> 25 -> 67 -> 6.7 -> 67.
  g by efficacy (base 0.6) over A 6, B 9: A 10 x 0.6 = 6 -> econ 60; B 10 -> econ 100.
  Totals: A 0.8 x 60 + 0.2 x 86 = 65.2; B 0.8 x 100 + 0.2 x 67 = 93.4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kaoping.assess import assess
from kaoping.data import Panel, Units
from kaoping.errors import InputError
from kaoping.methodology import loads

GATED = """\
id: gated
name: 门槛
dimensions:
  - id: d
    name: 维度
    indicators:
      - {id: g, name: 增速, direction: positive}
      - {id: p, name: 细颗粒物, direction: negative}
official:
  total_points: 10
  scoring:
    g: {points: 5, rule: efficacy}
    p: {points: 5, rule: efficacy}
  gate: [{id: min_g, name: 增速不低于4, indicator: g, min: 4}]
"""

PARTS = """\
id: parts
name: 组成部分
dimensions:
  - id: econ
    name: 指标
    indicators: [{id: g, name: 增速, direction: positive}]
  - id: obs
    name: 观摩
    indicators: [{id: j, name: 观摩评比, direction: positive}]
official:
  total_points: 20
  scoring:
    g: {points: 10, rule: efficacy}
    j: {points: 10, rule: {method: judged, criteria: {进度: 60, 质量: 40}}}
  components:
    - {id: econ, name: 指标考核, weight: 80, dimensions: [econ]}
    - {id: obs, name: 观摩评比, weight: 20, dimensions: [obs]}
"""


def _panel(rows: list[tuple[str, str, float]]) -> Panel:
    return Panel(
        pd.DataFrame(
            [{"unit": u, "indicator": i, "period": "2024", "value": v} for u, i, v in rows]
        )
    )


def test_gate_excludes_a_unit_from_scores_ranks_and_peers() -> None:
    data = [
        ("A", "g", 6.0), ("A", "p", 40.0),
        ("B", "g", 9.0), ("B", "p", 50.0),
        ("C", "g", 3.0), ("C", "p", 10.0),
        ("D", "g", 5.0), ("D", "p", 45.0),
    ]  # fmt: skip
    out = assess(loads(GATED), _panel(data), "2024")
    t = out.table
    assert pd.isna(t.loc["C", "score"])
    assert pd.isna(t.loc["C", "rank"])
    assert "增速不低于4" in t.loc["C", "gate"]
    # p among A, B, D: best 40 (A), worst 50 (B); D = 45 -> s = 0.5 -> 5 x (0.6 + 0.2) = 4
    np.testing.assert_allclose(out.points.loc[["A", "B", "D"], "p"], [5.0, 3.0, 4.0])
    assert t["rank"].dropna().tolist() == sorted(t["rank"].dropna().tolist())
    assert "未参加排名" in out.explain("C")


def _judged() -> pd.DataFrame:
    rows = []
    for judge, (a1, a2) in enumerate(zip([50, 52, 54, 56, 60], [30, 31, 32, 33, 40], strict=True)):
        rows += [("A", f"J{judge}", "进度", a1), ("A", f"J{judge}", "质量", a2)]
    rows += [("B", "J0", "进度", 40), ("B", "J1", "进度", 44)]
    rows += [("B", "J0", "质量", 20), ("B", "J1", "质量", 30)]
    return pd.DataFrame(
        [
            {
                "unit": u,
                "period": None,
                "judge": j,
                "criterion": c,
                "score": float(s),
                "location": f"j.csv!D{i + 2}",
            }
            for i, (u, j, c, s) in enumerate(rows)
        ]
    )


def test_components_and_judged_scores() -> None:
    data = [("A", "g", 6.0), ("B", "g", 9.0)]
    out = assess(loads(PARTS), _panel(data), "2024", judged=_judged())
    np.testing.assert_allclose(out.points.loc[["A", "B"], "j"], [8.6, 6.7])
    np.testing.assert_allclose(out.table.loc[["A", "B"], "component:econ"], [60.0, 100.0])
    np.testing.assert_allclose(out.table.loc[["A", "B"], "component:obs"], [86.0, 67.0])
    np.testing.assert_allclose(out.table.loc[["A", "B"], "score"], [65.2, 93.4])
    assert out.header("component:obs") == "观摩评比"


def test_judged_scores_above_the_maximum_and_unknown_criteria_are_named() -> None:
    sheet = _judged()
    sheet.loc[0, "score"] = 61.0
    sheet.loc[1, "criterion"] = "创新"
    with pytest.raises(InputError) as info:
        assess(loads(PARTS), _panel([("A", "g", 6.0), ("B", "g", 9.0)]), "2024", judged=sheet)
    assert sorted((p.code, p.where) for p in info.value.problems) == [
        ("assess.score_above_maximum", "j.csv!D2"),
        ("assess.unknown_criterion", "j.csv!D3"),
    ]


def test_judged_indicator_without_a_sheet_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        assess(loads(PARTS), _panel([("A", "g", 6.0)]), "2024")
    assert info.value.codes == ["assess.needs_judged"]


def test_academic_methodology_refuses_official_inputs() -> None:
    academic = loads(GATED.split("official:")[0])
    with pytest.raises(TypeError, match="targets"):
        assess(academic, _panel([("A", "g", 1.0), ("A", "p", 1.0)]), "2024", targets=None)


def test_units_without_categories_for_a_categorised_methodology() -> None:
    text = GATED.replace("official:\n", "official:\n  categories: [X]\n")
    text = text.replace("points: 5, rule", "points: {X: 5}, rule")
    units = Units(pd.DataFrame({"code": ["A"], "name": ["甲"]}))
    with pytest.raises(InputError) as info:
        assess(loads(text), _panel([("A", "g", 6.0), ("A", "p", 1.0)]), "2024", units=units)
    assert info.value.codes == ["assess.unknown_category"]
    with pytest.raises(InputError) as info:
        assess(loads(text), _panel([("A", "g", 6.0), ("A", "p", 1.0)]), "2024")
    assert info.value.codes == ["assess.needs_units"]


# --- regressions found in review ---------------------------------------------------------------


def test_level_and_growth_without_a_previous_period_is_an_input_problem() -> None:
    text = GATED.replace("g: {points: 5, rule: efficacy}", "g: {points: 5, rule: level_and_growth}")
    text = text.replace("  gate: [{id: min_g, name: 增速不低于4, indicator: g, min: 4}]\n", "")
    with pytest.raises(InputError) as info:
        assess(loads(text), _panel([("A", "g", 6.0), ("A", "p", 1.0)]), "2024")
    assert info.value.codes == ["assess.no_previous_period"]


def test_progress_without_categories_compares_overall_ranks() -> None:
    text = GATED.replace("  gate: [{id: min_g, name: 增速不低于4, indicator: g, min: 4}]\n", "")
    text += "  awards: [{id: up, name: 进位, most_improved: 1}]\n"
    rows = [("A", "g", 9.0), ("A", "p", 1.0), ("B", "g", 5.0), ("B", "p", 2.0)]
    previous = pd.DataFrame({"category": [None, None], "rank": [2, 1]}, index=["A", "B"])
    out = assess(loads(text), _panel(rows), "2024", previous=previous)
    assert out.table.loc["A", "change"] == "↑1"
    assert out.table.loc["A", "awards"] == "进位"


def test_judged_scores_for_an_unknown_unit_are_named() -> None:
    sheet = _judged()
    sheet.loc[0, "unit"] = "Z"
    with pytest.raises(InputError) as info:
        assess(loads(PARTS), _panel([("A", "g", 6.0), ("B", "g", 9.0)]), "2024", judged=sheet)
    assert ("assess.judged_unknown_unit", "j.csv!D2") in [
        (p.code, p.where) for p in info.value.problems
    ]


def test_a_rule_that_cannot_score_the_data_is_an_input_problem() -> None:
    text = GATED.replace("p: {points: 5, rule: efficacy}", "p: {points: 5, rule: benchmark_ratio}")
    text = text.replace("  gate: [{id: min_g, name: 增速不低于4, indicator: g, min: 4}]\n", "")
    rows = [("A", "g", 6.0), ("A", "p", 0.0), ("B", "g", 9.0), ("B", "p", 0.0)]
    with pytest.raises(InputError) as info:
        assess(loads(text), _panel(rows), "2024")
    assert info.value.codes == ["assess.rule_failed"]
    assert "细颗粒物" in info.value.problems[0].zh


def test_two_judged_indicators_share_one_sheet() -> None:
    """Two judged indicators, each with its own criteria, scored from one sheet: neither's
    criteria are "unknown" to the other (a bug until issue 14).  By hand, one judge each:
    j: 进度 30 + 质量 20 = 50 of 100 -> 10 x 0.5 = 5 points; k: 服务 8 of 10 -> 4 x 0.8 = 3.2."""
    two = (
        PARTS.replace(
            "    indicators: [{id: j, name: 观摩评比, direction: positive}]",
            "    indicators: [{id: j, name: 观摩评比, direction: positive},\n"
            "                 {id: k, name: 营商评议, direction: positive}]",
        )
        .replace(
            "  components:",
            "    k: {points: 4, rule: {method: judged, criteria: {服务: 10}}}\n  components:",
        )
        .replace("total_points: 20", "total_points: 24")
    )
    rows = [("A", "1", "进度", 30), ("A", "1", "质量", 20), ("A", "1", "服务", 8)]
    sheet = pd.DataFrame(
        [{"unit": u, "period": None, "judge": j, "criterion": c, "score": float(s),
          "location": f"j.csv!D{i + 2}"} for i, (u, j, c, s) in enumerate(rows)]
    )  # fmt: skip
    out = assess(loads(two), _panel([("A", "g", 6.0)]), "2024", judged=sheet)
    np.testing.assert_allclose(out.points.loc["A", ["j", "k"]], [5.0, 3.2])
