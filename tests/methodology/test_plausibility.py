"""Plausibility rules: hard and soft ranges, whole counts, year-on-year limits, cross-checks.

The cases are worked by hand; the figures the issue names (a -5 % tax share, 104.37 % gas
coverage, 100.86 % power reliability, 56.91 high-tech enterprises) are among them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kaoping as kp
from kaoping.errors import InputError
from kaoping.methodology import check_text, dumps, load, loads
from kaoping.methodology._rules import RuleSyntaxError
from kaoping.methodology.plausibility import (
    check,
    check_one,
    check_panel,
    limits,
    parse_rule,
    previous_period,
)

TEXT = """
id: demo
name: 示例
plausibility:
  checks:
    - {id: ratio, name: 收入比一致, rule: "ratio == urban / rural", tolerance: 0.01}
    - {id: part, name: 部分不超过总量, rule: "part <= total", tolerance: 0, severity: soft}
dimensions:
  - id: d
    name: 维度
    indicators:
      - {id: share, name: 燃气普及率, direction: 正向, unit: "%", kind: share, soft_min: 60}
      - {id: firms, name: 高新技术企业数, direction: 正向, unit: 家, kind: count}
      - {id: growth, name: 增速, direction: 正向, unit: "%", kind: growth,
         change: {absolute: 10}}
      - {id: amount, name: 总量, direction: 正向, kind: amount, change: {relative: 0.5}}
      - {id: ratio, name: 收入比, direction: 逆向, min: 0, max: 10, change: false}
      - {id: urban, name: 城镇收入, direction: 正向, kind: amount}
      - {id: rural, name: 农村收入, direction: 正向, kind: amount}
      - {id: part, name: 部分, direction: 正向}
      - {id: total, name: 总量二, direction: 正向}
"""


@pytest.fixture(scope="module")
def m() -> kp.Methodology:
    return loads(TEXT, "demo.yaml")


def codes(flags: list) -> list[tuple[str, str, str]]:
    return [(f.indicator, f.code, f.severity) for f in flags]


def test_the_kind_gives_the_hard_range_and_min_max_replace_it(m: kp.Methodology) -> None:
    assert (limits(m, "share").min, limits(m, "share").max) == (0.0, 100.0)
    assert (limits(m, "firms").min, limits(m, "firms").max, limits(m, "firms").whole) == (
        0.0,
        None,
        True,
    )
    assert limits(m, "growth").min == -100.0
    assert (limits(m, "ratio").min, limits(m, "ratio").max) == (0.0, 10.0)
    assert limits(m, "part").min is None  # no kind, no bound: anything goes


def test_the_issues_figures_are_refused(m: kp.Methodology) -> None:
    # a share above 100 and below 0, and a count that is not whole: all hard
    assert codes(check_one(m, {"share": 104.37})) == [("share", "plausibility.above_max", "hard")]
    assert codes(check_one(m, {"share": -5})) == [("share", "plausibility.below_min", "hard")]
    assert codes(check_one(m, {"firms": 56.91})) == [("firms", "plausibility.not_whole", "hard")]
    assert check_one(m, {"share": 100.0, "firms": 57.0}) == []  # the bounds are inclusive


def test_a_figure_outside_its_usual_range_needs_a_note(m: kp.Methodology) -> None:
    (flag,) = check_one(m, {"share": 55.0})
    assert (flag.code, flag.severity) == ("plausibility.soft_range", "soft")
    assert "60" in flag.zh
    problem = flag.problem("f.xlsx!A1")
    assert problem.where == "f.xlsx!A1"
    assert "说明" in problem.zh
    assert "note" in problem.en
    # an impossible figure is refused, not also asked about
    assert codes(check_one(m, {"share": -1.0})) == [("share", "plausibility.below_min", "hard")]


def test_year_on_year_limits(m: kp.Methodology) -> None:
    # the default ratio 3 (firms has none of its own): 20 -> 61 is 3.05 times
    assert codes(check_one(m, {"firms": 61}, {"firms": 20})) == [
        ("firms", "plausibility.change", "soft")
    ]
    assert check_one(m, {"firms": 60}, {"firms": 20}) == []  # exactly 3 times passes
    assert codes(check_one(m, {"firms": 6}, {"firms": 20})) == [
        ("firms", "plausibility.change", "soft")
    ]  # 0.3 < 1/3
    # absolute, in percentage points: 2 -> 12.5 is +10.5 pp
    flags = check_one(m, {"growth": 12.5}, {"growth": 2.0})
    assert codes(flags) == [("growth", "plausibility.change", "soft")]
    assert "+10.5个百分点" in flags[0].zh
    assert check_one(m, {"growth": 12.0}, {"growth": 2.0}) == []
    # relative: 100 -> 151 is +51 %
    assert codes(check_one(m, {"amount": 151}, {"amount": 100})) == [
        ("amount", "plausibility.change", "soft")
    ]
    assert check_one(m, {"amount": 149}, {"amount": 100}) == []
    # change: false turns the default off; no previous figure, nothing to compare
    assert check_one(m, {"ratio": 9.0}, {"ratio": 1.0}) == []
    assert check_one(m, {"firms": 900}, {"amount": 1}) == []


def test_cross_checks(m: kp.Methodology) -> None:
    # 40,000 / 20,000 = 2.00: 2.01 is within 1 %, 2.05 is not
    assert check_one(m, {"ratio": 2.01, "urban": 40_000, "rural": 20_000}) == []
    (flag,) = check_one(m, {"ratio": 2.05, "urban": 40_000, "rural": 20_000})
    assert (flag.code, flag.severity, flag.indicator) == ("plausibility.cross", "hard", "ratio")
    assert flag.indicators == ("ratio", "urban", "rural")
    assert "urban / rural = 2" in flag.zh
    # soft, and not evaluated when a figure is missing
    assert codes(check_one(m, {"part": 5, "total": 4})) == [("part", "plausibility.cross", "soft")]
    assert check_one(m, {"part": 5, "total": None}) == []
    assert check_one(m, {"part": 5, "total": 0.0}) != []
    # a division by zero is not a verdict
    assert check_one(m, {"ratio": 2.0, "urban": 1.0, "rural": 0.0}) == []


@pytest.mark.parametrize(
    "rule",
    ["import os", "a", "a < b < c", "__import__('os') <= 1", "a.b <= 1", "f(a) <= 1", "a ** 2 < 1"],
)
def test_a_rule_is_only_arithmetic_and_one_comparison(rule: str) -> None:
    with pytest.raises(RuleSyntaxError):
        parse_rule(rule)


def test_the_loader_reports_bad_rules_and_ranges_with_their_lines() -> None:
    text = """id: demo
name: 示例
plausibility:
  change: {ratio: 3, absolute: 2}
  checks:
    - {id: c, name: x, rule: "os.system(1) <= 1"}
    - {id: c, name: y, rule: "a <= nope"}
    - {id: e, name: z, rule: "a <= 1", severity: fatal}
dimensions:
  - id: d
    name: 维度
    indicators:
      - {id: a, name: 甲, direction: 正向, kind: sharee, min: 5, max: 1}
      - {id: b, name: 乙, direction: 正向, kind: share, soft_min: -3}
"""
    found = {(p.code, p.where) for p in check_text(text, "m.yaml")}
    assert found == {
        ("methodology.bad_change", "m.yaml:4"),
        ("methodology.bad_rule", "m.yaml:6"),
        ("methodology.duplicate_id", "m.yaml:7"),
        ("methodology.unknown_indicator", "m.yaml:7"),
        ("methodology.unknown_option", "m.yaml:8"),
        ("methodology.unknown_option", "m.yaml:13"),
        ("methodology.bad_range", "m.yaml:13"),
        ("methodology.bad_range", "m.yaml:14"),
    }


def test_rules_survive_the_yaml_round_trip(m: kp.Methodology) -> None:
    again = loads(dumps(m))
    assert again == m
    assert again.fingerprint() == m.fingerprint()


def test_the_default_methodology_declares_its_rules() -> None:
    m = load("county_hqd")
    # every indicator says what is possible: a kind, or a range written out
    assert [i.id for i in m.indicators if i.kind is None and i.min is None and i.max is None] == []
    assert {c.id for c in m.plausibility.checks} == {
        "income_ratio_consistent",
        "revenue_within_gdp",
    }


def test_previous_period_is_the_same_period_a_year_earlier() -> None:
    assert previous_period("2024", ["2023", "2024"]) == "2023"
    assert previous_period("2024-Q3", ["2024-Q2", "2023-Q3"]) == "2023-Q3"
    assert previous_period("2025-H1", ["2024-H2"]) is None


def test_a_matrix_and_its_rows_agree(m: kp.Methodology) -> None:
    current = pd.DataFrame(
        {"share": [50.0, 101.0, np.nan], "firms": [4.0, 2.5, 7.0]}, index=["u1", "u2", "u3"]
    )
    previous = pd.DataFrame({"firms": [1.0, 1.0]}, index=["u1", "u3"])
    flags = check(m, current, previous)
    assert [(f.unit, f.code) for f in flags] == [
        ("u1", "plausibility.soft_range"),
        ("u1", "plausibility.change"),
        ("u2", "plausibility.above_max"),
        ("u2", "plausibility.not_whole"),
        ("u3", "plausibility.change"),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(min_value=-200, max_value=300), st.just(math.nan)),
        min_size=1,
        max_size=12,
    )
)
def test_a_share_is_refused_exactly_when_outside_0_100(values: list[float]) -> None:
    m = loads(TEXT)
    frame = pd.DataFrame({"share": values}, index=[f"u{i}" for i in range(len(values))])
    hard = {f.unit for f in check(m, frame) if f.severity == "hard"}
    expected = {f"u{i}" for i, v in enumerate(values) if not math.isnan(v) and not 0 <= v <= 100}
    assert hard == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=8),
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=8),
)
def test_check_on_many_units_is_check_one_on_each(xs: list[float], ys: list[float]) -> None:
    m = loads(TEXT)
    n = min(len(xs), len(ys))
    current = pd.DataFrame({"amount": xs[:n], "firms": np.floor(ys[:n])})
    current.index = [f"u{i}" for i in range(n)]
    previous = pd.DataFrame({"amount": ys[:n]}, index=current.index)
    together = [(f.unit, f.code, f.zh) for f in check(m, current, previous)]
    one_by_one = [
        (code, f.code, f.zh)
        for code in current.index
        for f in check_one(m, current.loc[code].to_dict(), previous.loc[code].to_dict())
    ]
    assert together == one_by_one


def test_assess_refuses_impossible_figures_by_cell_and_notes_unusual_ones(
    tmp_path: Path,
) -> None:
    m = loads(TEXT)
    path = tmp_path / "d.csv"
    path.write_text(
        "代码,年份,燃气普及率,高新技术企业数,增速,总量,收入比,城镇收入,农村收入,部分,总量二\n"
        "410101,2023,70,10,5,100,2,40000,20000,1,2\n"
        "410102,2023,80,12,6,100,2,40000,20000,1,2\n"
        "410101,2024,104.37,56.91,6,100,2,40000,20000,1,2\n"
        "410102,2024,80,12,30,110,2.2,44000,20000.5,2,3\n",
        encoding="utf-8",
    )
    panel = kp.read_panel(path, indicators=m.name_to_id())
    with pytest.raises(InputError) as caught:
        kp.assess(m, panel, "2024")
    assert [(p.code, p.where) for p in caught.value] == [
        ("plausibility.above_max", "d.csv!C4"),
        ("plausibility.not_whole", "d.csv!D4"),
    ]
    fixed = path.read_text(encoding="utf-8").replace("104.37,56.91", "90,13")
    path.write_text(fixed, encoding="utf-8")
    panel = kp.read_panel(path, indicators=m.name_to_id())
    result = kp.assess(m, panel, "2024")
    notes = [(p.code, p.where) for p in result.notes]
    assert ("plausibility.change", "d.csv!E5") in notes  # growth 6 -> 30: +24 pp
    hard, soft = check_panel(m, panel, "2024")
    assert hard == []
    assert [p.where for p in soft] == ["d.csv!E5"]
