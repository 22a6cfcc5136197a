"""Coupling coordination as labelled tables (kaoping.analysis.coupling): a methodology small
enough to work by hand through the real pipeline, the bundled demo cross-checked against the
kernel on the scores it prints, and the problems a researcher can run into, each naming the
unit, subsystem or option."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.analysis import coupling as module
from kaoping.analysis.coupling import class_counts, coupling, coupling_of, coupling_panel
from kaoping.assess import Result, assess
from kaoping.data import Panel
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import InputError, KaopingWarning
from kaoping.methodology import load, loads
from kaoping.methods.coupling import coordination

TINY = """\
id: tiny
name: 小例子
normalization: {method: minmax, range: [0, 100]}
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: x, name: 甲, direction: positive}
      - {id: y, name: 乙, direction: negative}
  - id: eco
    name: 生态
    indicators:
      - {id: z, name: 丙, direction: positive}
"""
# By hand: min-max to [0, 100] within each column (y negative), equal weights, arithmetic mean.
#   x: A 0, B 5, C 10, D 10 -> 0, 50, 100, 100     y: A 2, B 4, C 6, D 2 -> 100, 50, 0, 100
#   z: A 10, B 30, C 20, D 30 -> 0, 100, 50, 100
#   econ = (x + y) / 2: A 50, B 50, C 50, D 100;   eco = z: A 0, B 100, C 50, D 100
# Subsystem scores U = score / 100:
#   A (0.5, 0):   C = 0 (a zero subsystem), T = 0.25, D = 0                  -> 极度失调
#   B (0.5, 1):   C = 2 sqrt(0.5) / 1.5 = 0.9428090, T = 0.75,
#                 D = sqrt(0.9428090 * 0.75) = sqrt(0.7071068) = 0.8408964   -> 良好协调
#   C (0.5, 0.5): C = 1, T = 0.5, D = sqrt(0.5) = 0.7071068                  -> 中级协调
#   D (1, 1):     C = 1, T = 1, D = 1                                        -> 优质协调
VALUES = {
    "A": {"x": 0.0, "y": 2.0, "z": 10.0},
    "B": {"x": 5.0, "y": 4.0, "z": 30.0},
    "C": {"x": 10.0, "y": 6.0, "z": 20.0},
    "D": {"x": 10.0, "y": 2.0, "z": 30.0},
}
C_B = 2 * math.sqrt(0.5) / 1.5


def _panel(values: dict[str, dict[str, float]], periods: tuple[str, ...] = ("2024",)) -> Panel:
    rows = [
        {"unit": u, "indicator": k, "period": p, "value": v}
        for p in periods
        for u, ind in values.items()
        for k, v in ind.items()
    ]
    return Panel(pd.DataFrame(rows))


def _tiny(yaml: str = TINY) -> Result:
    return assess(loads(yaml), _panel(VALUES), "2024")


@pytest.fixture(scope="module")
def demo() -> Result:
    m = load("county_hqd")
    units = henan_units()
    return assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_coupling_of_a_tiny_assessment_as_worked_by_hand() -> None:
    table = coupling_of(_tiny())
    assert list(table.columns) == ["name", "C", "T", "D", "class", "class_en", "econ", "eco"]
    assert_allclose(table["econ"], [0.5, 0.5, 0.5, 1.0], rtol=1e-12)
    assert_allclose(table["eco"], [0.0, 1.0, 0.5, 1.0], rtol=1e-12)
    assert_allclose(table["C"], [0.0, C_B, 1.0, 1.0], rtol=1e-12)
    assert_allclose(table["T"], [0.25, 0.75, 0.5, 1.0], rtol=1e-12)
    assert_allclose(table["D"], [0.0, math.sqrt(C_B * 0.75), math.sqrt(0.5), 1.0], rtol=1e-12)
    assert list(table["class"]) == ["极度失调", "良好协调", "中级协调", "优质协调"]
    assert table.loc["D", "class_en"] == "High-quality coordination"


def test_coefficients_by_name_and_the_corrected_form() -> None:
    # a = (econ 0.75, eco 0.25): B's T = 0.75 * 0.5 + 0.25 * 1 = 0.625
    # wang2021 for B (0.5, 1): sqrt((1 - 0.5) * (0.5 / 1)) = sqrt(0.25) = 0.5
    table = coupling_of(_tiny(), coefficients={"eco": 0.25, "econ": 0.75}, form="wang2021")
    assert table.loc["B", "T"] == pytest.approx(0.625)
    assert table.loc["B", "C"] == pytest.approx(0.5)
    assert table.loc["B", "D"] == pytest.approx(math.sqrt(0.5 * 0.625))


def test_demo_matches_the_kernel_on_the_printed_dimension_scores(demo: Result) -> None:
    dims = [d.id for d in demo.methodology.dimensions]
    table = coupling_of(demo)
    assert list(table.columns[6:]) == dims
    expected = coordination(demo.table[dims].to_numpy(dtype=float) / 100.0)
    assert_allclose(table["D"], expected.D, rtol=1e-12)
    assert_allclose(table["C"], expected.C, rtol=1e-12)
    assert table["class"].notna().all()
    assert table.loc["410122", "name"] == "中牟县"


def test_two_named_subsystems_of_the_demo(demo: Result) -> None:
    table = coupling_of(demo, ["economy", "green"])
    expected = coordination(demo.table[["economy", "green"]].to_numpy(dtype=float) / 100.0)
    assert_allclose(table["C"], expected.C, rtol=1e-12)
    assert list(table.columns[6:]) == ["economy", "green"]


def test_unknown_and_repeated_subsystems_are_named(demo: Result) -> None:
    with pytest.raises(InputError) as info:
        coupling_of(demo, ["economy", "gren", "economy"])
    assert info.value.codes == ["analysis.unknown_subsystem", "analysis.repeated_subsystem"]
    assert "green" in info.value.problems[0].en  # the close match is suggested
    with pytest.raises(InputError) as info:
        coupling_of(demo, ["economy"])
    assert info.value.codes == ["analysis.coupling_too_few"]


def test_a_normalisation_without_a_range_asks_for_scale() -> None:
    yaml = TINY.replace("{method: minmax, range: [0, 100]}", "zscore")
    result = _tiny(yaml)
    with pytest.raises(InputError) as info:
        coupling_of(result)
    assert set(info.value.codes) == {"analysis.coupling_scale"}
    assert "zscore" in info.value.problems[0].en
    assert "scale" in info.value.problems[0].zh
    table = coupling_of(result, scale=(-5.0, 5.0))
    U = (result.table[["econ", "eco"]].to_numpy(dtype=float) + 5.0) / 10.0
    assert_allclose(table["D"], coordination(U).D, rtol=1e-12)
    with pytest.raises(InputError, match="下限小于上限；收到 1,1"):
        coupling_of(result, scale=(1.0, 1.0))


def test_topsis_dimensions_are_read_on_zero_to_one_hundred() -> None:
    yaml = TINY.replace("dimensions:", "aggregation: topsis\ndimensions:")
    result = _tiny(yaml)
    table = coupling_of(result)
    assert_allclose(table["econ"], result.table["econ"] / 100.0, rtol=1e-12)


def test_coupling_panel_has_a_period_column() -> None:
    periods = ("2023", "2024")
    m = loads(TINY)
    results = {p: assess(m, _panel(VALUES, periods), p) for p in periods}
    long = coupling_panel(results)
    assert list(long.columns[:3]) == ["period", "unit", "name"]
    assert list(long["period"]) == ["2023"] * 4 + ["2024"] * 4
    assert_allclose(long["D"][:4], long["D"][4:], rtol=1e-12)  # the same figures both years
    counts = class_counts(long, by="period")
    assert list(counts.columns) == ["class_en", "range", "2023", "2024"]
    assert counts.loc["良好协调", "2024"] == 1
    assert counts["2023"].sum() == 4


def test_class_counts_list_all_ten_classes_in_order() -> None:
    counts = class_counts(coupling_of(_tiny()))
    assert list(counts.index)[:2] == ["极度失调", "严重失调"]
    assert counts.loc["优质协调", "range"] == "[0.9, 1.0]"
    assert counts.loc["极度失调", "range"] == "[0.0, 0.1)"
    assert counts["units"].tolist() == [1, 0, 0, 0, 0, 0, 0, 1, 1, 1]


def test_coupling_of_a_frame_names_every_bad_cell() -> None:
    scores = pd.DataFrame(
        {"a": [0.2, 1.5, 0.0, "高"], "b": [0.4, 0.5, 0.0, 0.3]}, index=["u1", "u2", "u3", "u4"]
    )
    with pytest.raises(InputError) as info:
        coupling(scores)
    assert info.value.codes == ["analysis.coupling_not_a_number"]
    assert info.value.problems[0].where == "u4/a"
    scores.loc["u4", "a"] = 0.1
    with pytest.raises(InputError) as info:
        coupling(scores.astype(float))
    assert info.value.codes == ["analysis.coupling_out_of_range"]  # u3 (all 0) is no problem
    assert "u2" in info.value.problems[0].zh
    assert "1.5" in info.value.problems[0].en


def test_missing_scores_have_no_class() -> None:
    table = coupling(pd.DataFrame({"a": [0.2, np.nan], "b": [0.8, 0.5]}, index=["u1", "u2"]))
    assert table.loc["u1", "class"] == "初级协调"
    assert table["class"].isna().tolist() == [False, True]
    assert table["D"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("coefficients", "where"),
    [([0.5, 0.6], "coefficients"), ([0.5], "coefficients"), ({"a": 1.0}, "coefficients")],
)
def test_bad_coefficients_are_one_problem(coefficients: object, where: str) -> None:
    scores = pd.DataFrame({"a": [0.2], "b": [0.8]})
    with pytest.raises(InputError) as info:
        coupling(scores, coefficients=coefficients)  # type: ignore[arg-type]
    assert info.value.codes == ["analysis.coupling_coefficients"]
    assert info.value.problems[0].where == where


def test_unknown_form_and_a_single_subsystem_are_refused() -> None:
    with pytest.raises(InputError) as info:
        coupling(pd.DataFrame({"a": [0.2]}), form="fan")
    assert info.value.codes == ["analysis.coupling_form", "analysis.coupling_too_few"]
    with pytest.raises(InputError) as info:
        coupling(pd.DataFrame({"D": [0.2], "b": [0.3]}))
    assert info.value.codes == ["analysis.coupling_column_name"]


def test_closed_right_classes() -> None:
    # U = (0.01, 0.01): C = 1, T = 0.01, D = sqrt(0.01) = 0.1, on the edge of two classes
    frame = pd.DataFrame({"a": [0.01], "b": [0.01]})
    assert coupling(frame)["class"].iloc[0] == "严重失调"
    assert coupling(frame, closed="right")["class"].iloc[0] == "极度失调"


# --- fix round: probe items B7, B18, B19 ----------------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 6, 7, 11])
def test_the_suggested_coefficients_are_accepted(k: int) -> None:
    # B7: the example in the message must itself be valid (0.17 x 6 = 1.02 was suggested)
    scores = pd.DataFrame({f"s{i}": [0.2 + 0.05 * i] for i in range(k)})
    with pytest.raises(InputError) as info:
        coupling(scores, coefficients=[0.5, 0.5, 0.5][: 3 if k == 2 else 2])
    example = module.equal_coefficients(k)
    assert example in info.value.problems[0].zh
    a = [float(v) for v in example.split(",")]
    assert len(a) == k
    table = coupling(scores, coefficients=a)
    # T = sum a_i U_i by hand against the same coefficients
    assert table["T"].iloc[0] == pytest.approx(sum(ai * (0.2 + 0.05 * i) for i, ai in enumerate(a)))


def test_a_wrong_sum_is_shown_with_its_sum() -> None:
    with pytest.raises(InputError) as info:
        coupling(pd.DataFrame({"a": [0.2], "b": [0.8]}), coefficients=[0.5, 0.6])
    assert "收到 0.5,0.6（和为 1.1）" in info.value.problems[0].zh
    assert "(sum 1.1)" in info.value.problems[0].en


def test_a_unit_with_every_score_zero_is_left_out_with_a_warning() -> None:
    # B19: unit E (x 0, y 6, z 10) is the worst on every indicator: econ = eco = 0, C = 0/0
    values = {**VALUES, "E": {"x": 0.0, "y": 6.0, "z": 10.0}}
    result = assess(loads(TINY), _panel(values), "2024")
    with pytest.warns(KaopingWarning, match="E"):
        table = coupling_of(result)
    assert table.loc["E", ["C", "T", "D"]].isna().all()
    assert table["class"].isna().tolist() == [False, False, False, False, True]
    # the others as worked by hand above (B: D = sqrt(C_B * 0.75))
    assert table.loc["B", "D"] == pytest.approx(math.sqrt(C_B * 0.75), rel=1e-12)
    assert class_counts(table)["units"].sum() == 4
    zh, en = module.all_zero_note(["E"])
    assert "1 个单位" in zh
    assert "E" in zh
    assert "not counted" in en


def test_scores_outside_the_given_scale_are_one_problem_per_dimension() -> None:
    # B18: scale (0, 50): econ of D is 100 -> 2; eco of B and D is 100 -> 2 (C's 50 -> 1 is fine)
    with pytest.raises(InputError) as info:
        coupling_of(_tiny(), scale=(0.0, 50.0))
    assert info.value.codes == ["analysis.coupling_scale_exceeded"] * 2
    assert [p.where for p in info.value.problems] == ["scale", "scale"]
    econ, eco = info.value.problems
    assert "econ 有 1 个单位" in econ.zh
    assert "D" in econ.zh
    assert "0–50" in econ.zh
    assert "eco 有 2 个单位" in eco.zh
    assert "--scale" in eco.zh
    assert "百分制得分除以 100" not in eco.zh


def test_a_reversed_scale_is_shown_without_python_syntax() -> None:
    with pytest.raises(InputError) as info:
        coupling_of(_tiny(), scale=(100.0, 0.0))
    text = info.value.problems[0].zh + info.value.problems[0].en
    assert "收到 100,0" in text
    assert "(" not in info.value.problems[0].zh.replace("（", "")


def test_check_options_names_each_option_once_over_periods() -> None:
    m = loads(TINY)
    assert module.check_options(m) == ["econ", "eco"]
    with pytest.raises(InputError) as info:
        module.check_options(m, ["econ", "eco"], coefficients=[0.5], scale=(1.0, 0.0))
    assert [p.where for p in info.value.problems] == ["coefficients", "scale"]
    panel = _panel(VALUES, ("2023", "2024"))
    results = {p: assess(m, panel, p) for p in ("2023", "2024")}
    with pytest.raises(InputError) as info:
        coupling_panel(results, coefficients=[0.5, 0.6])
    assert len(info.value.problems) == 1  # not once per period
    assert info.value.problems[0].where == "coefficients"
