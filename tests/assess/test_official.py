"""The official path end to end, against a small example worked by hand.

Four counties, two categories (X: A, B; Y: C, D), three scored indicators and a red line:

==========  ====  =========  ====  =====  ===  ===  ===  ===
indicator   dir.  rule       X     Y      A    B    C    D
==========  ====  =========  ====  =====  ===  ===  ===  ===
g (growth)  +     completion 6     4      6.0  9.0  3.0  5.0   targets 6, 7.5, 4, 4; cap 1.2
p (PM2.5)   -     efficacy   2     4      40   50   30   35    base 0.6, peers = category
w (water)   +     bands      2     2      95   85   70   92    >=90: 2, [80, 90): 1
acc         C     veto >0    -     -      0    0    1    0
==========  ====  =========  ====  =====  ===  ===  ===  ===

By hand:
- g: A 6/6 = 1 -> 6; B 9/7.5 = 1.2 -> 6 x 1.2 = 7.2; C 3/4 = 0.75 -> 4 x 0.75 = 3;
  D 5/4 = 1.25, capped at 1.2 -> 4 x 1.2 = 4.8.
- p (smaller is better, within the category): X best 40 (A), worst 50 (B): A 2, B 2 x 0.6 = 1.2;
  Y best 30 (C), worst 35 (D): C 4, D 4 x 0.6 = 2.4.
- w: A 2, B 1, C 0 (no band), D 2.
- indicator points: A 10, B 9.4, C 7, D 9.2.
- events: hon (+1, cap 1 per unit) to A, to B twice (the second counts 0), to D; crit (-0.5) to D.
  Totals: A 11, B 10.4, C 7, D 9.7.
- ranks: A 1, B 2, D 3, C 4; in category: A 1, B 2 (X); D 1, C 2 (Y).
- veto: C (acc = 1 > 0) keeps score and rank, gets no tier and no award.
- tiers (max_rank 2, then the rest): A, B 第一方阵; D 第二方阵; C none.
- previous category ranks A 2, B 1, C 1, D 2 -> changes A +1, B -1, C -1, D +1.
- awards: top 1 overall: A; top 1 per category: A (X), D (Y, C is vetoed anyway);
  most improved 1: A and D tie at +1, both commended (ties at the cut are included).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kaoping.assess import OfficialResult, assess
from kaoping.data import Panel, Units
from kaoping.errors import InputError
from kaoping.methodology import loads

YAML = """\
id: tiny_official
name: 小例子
tiers: [{name: 第一方阵, max_rank: 2}, {name: 第二方阵}]
dimensions:
  - id: econ
    name: 经济
    indicators: [{id: g, name: 增速, direction: positive}]
  - id: green
    name: 绿色
    indicators:
      - {id: p, name: 细颗粒物, direction: negative}
      - {id: w, name: 水质, direction: positive}
      - {id: acc, name: 事故, direction: constraint}
official:
  categories: [X, Y]
  total_points: 10
  scoring:
    g: {points: {X: 6, Y: 4}, rule: {method: completion, cap: 1.2}}
    p: {points: {X: 2, Y: 4}, rule: efficacy}
    w:
      points: 2
      rule: {method: bands, bands: [{min: 90, points: 2}, {min: 80, max: 90, points: 1}]}
  bonus: [{id: hon, name: 荣誉, points: 1, cap: 1}]
  penalty: [{id: crit, name: 通报批评, points: 0.5}]
  veto: [{id: accident, name: 安全事故, indicator: acc, above: 0}]
  awards:
    - {id: top, name: 先进, top: 1}
    - {id: cat, name: 分类先进, top_per_category: 1}
    - {id: up, name: 进位, most_improved: 1}
"""

VALUES = {
    "A": {"g": 6.0, "p": 40, "w": 95, "acc": 0},
    "B": {"g": 9.0, "p": 50, "w": 85, "acc": 0},
    "C": {"g": 3.0, "p": 30, "w": 70, "acc": 1},
    "D": {"g": 5.0, "p": 35, "w": 92, "acc": 0},
}
TARGETS = {"A": 6.0, "B": 7.5, "C": 4.0, "D": 4.0}
EVENTS = [("A", "hon"), ("B", "hon"), ("B", "hon"), ("D", "hon"), ("D", "crit")]


def _panel(values: dict[str, dict[str, float]], period: str = "2024") -> Panel:
    rows = [
        {"unit": u, "indicator": k, "period": period, "value": float(v)}
        for u, ind in values.items()
        for k, v in ind.items()
    ]
    return Panel(pd.DataFrame(rows))


def _units() -> Units:
    return Units(
        pd.DataFrame({"code": list("ABCD"), "name": list("ABCD"), "category": ["X", "X", "Y", "Y"]})
    )


def _targets() -> Panel:
    return _panel({u: {"g": t} for u, t in TARGETS.items()})


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "unit": u,
                "period": "2024",
                "item": item,
                "count": 1.0,
                "document": f"文件{i}",
                "date": None,
                "note": None,
                "location": f"events.csv!C{i + 2}",
            }
            for i, (u, item) in enumerate(EVENTS)
        ]
    )


PREVIOUS = pd.DataFrame(
    {"category": ["X", "X", "Y", "Y"], "category_rank": [2, 1, 1, 2]}, index=list("ABCD")
)


@pytest.fixture(scope="module")
def result() -> OfficialResult:
    m = loads(YAML)
    out = assess(
        m,
        _panel(VALUES),
        "2024",
        units=_units(),
        targets=_targets(),
        events=_events(),
        previous=PREVIOUS,
    )
    assert isinstance(out, OfficialResult)
    return out


def test_points_per_indicator(result: OfficialResult) -> None:
    expected = pd.DataFrame(
        {"g": [6.0, 7.2, 3.0, 4.8], "p": [2.0, 1.2, 4.0, 2.4], "w": [2.0, 1.0, 0.0, 2.0]},
        index=list("ABCD"),
    )
    pd.testing.assert_frame_equal(
        result.points.loc[list("ABCD"), ["g", "p", "w"]], expected, check_names=False
    )
    np.testing.assert_allclose(result.completion.loc[list("ABCD"), "g"], [1.0, 1.2, 0.75, 1.25])


def test_totals_bonus_penalty_and_caps(result: OfficialResult) -> None:
    t = result.table.loc[list("ABCD")]
    np.testing.assert_allclose(t["indicator_points"], [10.0, 9.4, 7.0, 9.2])
    np.testing.assert_allclose(t["bonus"], [1.0, 1.0, 0.0, 1.0])
    np.testing.assert_allclose(t["penalty"], [0.0, 0.0, 0.0, 0.5])
    np.testing.assert_allclose(t["score"], [11.0, 10.4, 7.0, 9.7])
    counted = result.lines[result.lines["unit"] == "B"]["counted"].tolist()
    assert counted == [1.0, 0.0]  # the item's cap: the second award counts nothing


def test_ranks_veto_tiers_progress_awards(result: OfficialResult) -> None:
    t = result.table.loc[list("ABCD")]
    assert t["rank"].tolist() == [1, 2, 4, 3]
    assert t["category_rank"].tolist() == [1, 2, 2, 1]
    assert [x if isinstance(x, str) else None for x in t["tier"]] == [
        "第一方阵",
        "第一方阵",
        None,
        "第二方阵",
    ]
    assert isinstance(t.loc["C", "veto"], str)
    assert "安全事故" in t.loc["C", "veto"]
    assert t["rank_change"].tolist() == [1, -1, -1, 1]
    assert t["change"].tolist() == ["↑1", "↓1", "↓1", "↑1"]
    assert t.loc["A", "awards"] == "先进、分类先进、进位"
    assert t.loc["D", "awards"] == "分类先进、进位"
    assert pd.isna(t.loc["B", "awards"])
    assert pd.isna(t.loc["C", "awards"])  # vetoed


def test_records_carry_the_official_keys(result: OfficialResult) -> None:
    rec = {r["unit"]: r for r in result.to_records()}
    assert set(rec["A"]) >= {"points", "bonus", "penalty", "veto", "rank_change", "awards"}
    assert rec["C"]["veto"]
    assert rec["A"]["veto"] == []
    assert rec["A"]["points"] == {"g": 6.0, "p": 2.0, "w": 2.0}
    assert rec["A"]["awards"] == ["先进", "分类先进", "进位"]


def test_explain_names_gains_and_losses_in_chinese(result: OfficialResult) -> None:
    text = result.explain("B")
    assert "总分 10.40" in text
    assert "X第 2 位" in text
    # B against X: best p is 2 (A), B has 1.2 -> lost 0.80; w best 2, B 1 -> lost 1.00
    assert "比类别最高失分最多：水质（-1.00 分）；细颗粒物（-0.80 分）" in text
    assert "加分：荣誉 1 分" in text
    assert "加分：荣誉 0 分" in text
    assert "一票否决" in result.explain("C")


def test_workbook_has_the_official_sheets(result: OfficialResult, tmp_path: object) -> None:
    import pathlib

    from openpyxl import load_workbook

    path = result.to_excel(pathlib.Path(str(tmp_path)) / "r.xlsx")
    assert load_workbook(path).sheetnames == [
        "综合排名",
        "图表",  # the charts (tests/assess/test_excel_charts.py)
        "指标得分",
        "原始数据",
        "目标值",
        "完成率",
        "加减分及否决",
        "未填报的数值",
        "说明",
    ]


def test_missing_target_names_the_unit_and_indicator() -> None:
    m = loads(YAML)
    targets = _panel({u: {"g": t} for u, t in TARGETS.items() if u != "C"})
    with pytest.raises(InputError) as info:
        assess(m, _panel(VALUES), "2024", units=_units(), targets=targets)
    problem = info.value.problems[0]
    assert problem.code == "assess.missing_target"
    assert problem.where == "C/g/2024"
    assert "C" in problem.message("zh")
    assert "增速" in problem.message("zh")


def test_unknown_event_item_and_unit_are_named_by_cell() -> None:
    m = loads(YAML)
    events = _events()
    events.loc[0, "item"] = "nope"
    events.loc[1, "unit"] = "Z"
    with pytest.raises(InputError) as info:
        assess(m, _panel(VALUES), "2024", units=_units(), targets=_targets(), events=events)
    assert sorted((p.code, p.where) for p in info.value.problems) == [
        ("assess.event_unknown_unit", "events.csv!C3"),
        ("assess.unknown_item", "events.csv!C2"),
    ]


def test_a_category_outside_the_methodology_is_an_error() -> None:
    m = loads(YAML)
    units = Units(
        pd.DataFrame({"code": list("ABCD"), "name": list("ABCD"), "category": list("XXYZ")})
    )
    with pytest.raises(InputError) as info:
        assess(m, _panel(VALUES), "2024", units=units, targets=_targets())
    assert [p.code for p in info.value.problems] == ["assess.unknown_category"]


def test_missing_value_scores_zero_with_a_note() -> None:
    m = loads(YAML)
    values = {u: dict(v) for u, v in VALUES.items()}
    values["A"]["w"] = float("nan")
    out = assess(m, _panel(values), "2024", units=_units(), targets=_targets())
    assert out.points.loc["A", "w"] == 0.0
    assert [n.code for n in out.notes] == ["assess.missing_scored_zero"]


def test_progress_is_zero_when_nothing_changes(result: OfficialResult) -> None:
    m = loads(YAML)
    again = assess(m, _panel(VALUES), "2024", units=_units(), targets=_targets(), previous=result)
    assert again.table["rank_change"].tolist() == [0, 0, 0, 0]
    assert set(again.table["change"]) == {"→"}
    first = assess(m, _panel(VALUES), "2024", units=_units(), targets=_targets())
    assert set(first.table["change"]) == {"新进"}  # no previous ranks at all
