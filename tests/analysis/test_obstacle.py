"""Obstacle degrees of an assessment (kaoping.analysis.obstacle): a methodology small enough to
work by hand through the real pipeline, missing values skipped, a unit without deviation, the
normalisations that have no [0, 1] form, and the bundled demo's degrees against the kernel."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.analysis import obstacle as module
from kaoping.analysis.obstacle import obstacles
from kaoping.assess import Result, assess
from kaoping.data import Panel
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import InputError
from kaoping.methodology import load, loads
from kaoping.methods.obstacle import degree

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
# By hand: min-max to [0, 100] (y negative), rescaled to [0, 1]; effective weights
# F = (x 0.25, y 0.25, z 0.5) (equal within and between the two dimensions).
#   x: A 0, B 5, C 10, D 10 -> 0, 0.5, 1, 1     y: A 2, B 4, C 6, D 2 -> 1, 0.5, 0, 1
#   z: A 10, B 30, C 20, D 30 -> 0, 1, 0.5, 1
#   A: I = (1, 0, 1);     F I = (0.25, 0, 0.5), sum 0.75  -> O = (1/3, 0, 2/3)
#   B: I = (0.5, 0.5, 0); F I = (0.125, 0.125, 0), sum 0.25 -> O = (0.5, 0.5, 0)
#   C: I = (0, 1, 0.5);   F I = (0, 0.25, 0.25), sum 0.5 -> O = (0, 0.5, 0.5)
#   D: best everywhere: I = 0 -> O = 0, no deviation
# Dimensions: econ = x + y, eco = z: A (1/3, 2/3), B (1, 0), C (0.5, 0.5), D (0, 0).
VALUES = {
    "A": {"x": 0.0, "y": 2.0, "z": 10.0},
    "B": {"x": 5.0, "y": 4.0, "z": 30.0},
    "C": {"x": 10.0, "y": 6.0, "z": 20.0},
    "D": {"x": 10.0, "y": 2.0, "z": 30.0},
}


def _panel(values: dict[str, dict[str, float]]) -> Panel:
    rows = [
        {"unit": u, "indicator": k, "period": "2024", "value": v}
        for u, ind in values.items()
        for k, v in ind.items()
        if v is not None
    ]
    return Panel(pd.DataFrame(rows))


def _tiny(yaml: str = TINY, values: dict[str, dict[str, float]] = VALUES) -> Result:
    return assess(loads(yaml), _panel(values), "2024")


@pytest.fixture(scope="module")
def demo() -> Result:
    m = load("county_hqd")
    units = henan_units()
    return assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_tiny_assessment_as_worked_by_hand() -> None:
    obs = obstacles(_tiny())
    expected = np.array([[1 / 3, 0, 2 / 3], [0.5, 0.5, 0], [0, 0.5, 0.5], [0, 0, 0]])
    assert list(obs.indicators.columns) == ["x", "y", "z"]
    assert_allclose(obs.indicators.to_numpy(), expected, rtol=1e-12, atol=1e-15)
    dims = np.array([[1 / 3, 2 / 3], [1, 0], [0.5, 0.5], [0, 0]])
    assert_allclose(obs.dimensions.to_numpy(), dims)
    assert list(obs.dimensions.columns) == ["econ", "eco"]
    assert obs.no_deviation == ("D",)
    assert_allclose(obs.info["weight"], [0.25, 0.25, 0.5])
    assert list(obs.info["dimension"]) == ["econ", "econ", "eco"]
    assert_allclose(obs.normalized.loc["B"], [0.5, 0.5, 1.0])


def test_top_lists_the_largest_obstacles_ties_in_tree_order() -> None:
    top = obstacles(_tiny()).top(2)
    # A: z (2/3), x (1/3); B: x and y tie at 0.5 (x first); C: y and z tie (y first); D: none
    assert list(zip(top["unit"], top["rank"], top["indicator"], strict=True)) == [
        ("A", 1, "z"),
        ("A", 2, "x"),
        ("B", 1, "x"),
        ("B", 2, "y"),
        ("C", 1, "y"),
        ("C", 2, "z"),
    ]
    assert top.loc[0, "indicator_name"] == "丙"
    assert top.loc[0, "dimension"] == "eco"
    assert top.loc[0, "degree"] == pytest.approx(2 / 3)
    # zero degrees are not obstacles: B has only two positive ones
    assert len(obstacles(_tiny()).top(3).query("unit == 'B'")) == 2


def test_one_units_obstacles_largest_first() -> None:
    table = obstacles(_tiny()).unit("A")
    assert list(table.index) == ["z", "x", "y"]
    assert list(table["rank"].astype("object")) == [1, 2, pd.NA]
    assert_allclose(table["deviation"], [1.0, 1.0, 0.0])
    assert_allclose(table["value"], [0.0, 0.0, 1.0])
    with pytest.raises(InputError) as info:
        obstacles(_tiny()).unit("E")
    assert info.value.codes == ["analysis.unknown_unit"]


def test_top_needs_a_whole_number() -> None:
    with pytest.raises(ValueError, match="whole number >= 1"):
        obstacles(_tiny()).top(0)


def test_missing_values_are_skipped_for_that_unit() -> None:
    # missing: skip and B without x: the other columns keep their ranges (x: 0, 10, 10), so
    #   B: y 0.5, z 1 -> F I over the available = (-, 0.125, 0), sum 0.125 -> O = (NaN, 1, 0)
    yaml = TINY.replace("dimensions:", "missing: skip\ndimensions:")
    values = {**VALUES, "B": {"x": None, "y": 4.0, "z": 30.0}}
    obs = obstacles(_tiny(yaml, values))  # type: ignore[arg-type]
    row = obs.indicators.loc["B"]
    assert np.isnan(row["x"])
    assert_allclose(row[["y", "z"]], [1.0, 0.0])
    assert_allclose(obs.dimensions.loc["B"], [1.0, 0.0])
    assert_allclose(obs.indicators.loc["A"], [1 / 3, 0, 2 / 3])


@pytest.mark.parametrize("normalization", ["zscore", "vector", "target"])
def test_normalisations_without_a_zero_one_form_are_refused(normalization: str) -> None:
    yaml = TINY.replace("{method: minmax, range: [0, 100]}", normalization)
    if normalization == "target":
        yaml = yaml.replace("direction: positive}", "direction: positive, target: 20}")
        yaml = yaml.replace("direction: negative}", "direction: negative, target: 3}")
    with pytest.raises(InputError) as info:
        obstacles(_tiny(yaml))
    assert info.value.codes == ["analysis.obstacle_normalization"]
    assert normalization in info.value.problems[0].en
    assert "[0, 1]" in info.value.problems[0].zh


def test_percentile_ranks_are_read_as_they_are() -> None:
    # ranks of x: A 0, B 1/3, C and D tie at the top (2/3, ties at the minimum rank)
    obs = obstacles(_tiny(TINY.replace("{method: minmax, range: [0, 100]}", "rank")))
    assert_allclose(obs.normalized["x"], [0.0, 1 / 3, 2 / 3, 2 / 3])


def test_a_capped_completion_rate_is_accepted() -> None:
    yaml = TINY.replace("{method: minmax, range: [0, 100]}", "{method: target, cap: 1}")
    yaml = yaml.replace("direction: positive}", "direction: positive, target: 20}")
    yaml = yaml.replace("direction: negative}", "direction: negative, target: 3}")
    obs = obstacles(_tiny(yaml))
    # z / 20 capped at 1: A 0.5, B 1, C 1, D 1
    assert_allclose(obs.normalized["z"], [0.5, 1.0, 1.0, 1.0])


def test_demo_degrees_match_the_kernel_and_sum_to_one(demo: Result) -> None:
    obs = obstacles(demo)
    Y = demo.normalized.to_numpy(dtype=float) / 100.0
    w = demo.weights["effective_weight"].reindex(demo.normalized.columns).to_numpy(float)
    expected = degree(np.clip(Y, 0, 1), w).degrees
    assert_allclose(obs.indicators.to_numpy(), expected, rtol=1e-12)
    assert_allclose(obs.indicators.sum(axis=1), 1.0, rtol=1e-12)
    assert_allclose(obs.dimensions.sum(axis=1), 1.0, rtol=1e-12)
    # a dimension's degree is the sum over its indicators
    innovation = [i for i in obs.info.index if obs.info.at[i, "dimension"] == "innovation"]
    assert_allclose(obs.dimensions["innovation"], obs.indicators[innovation].sum(axis=1))
    assert_allclose(obs.levels[obs.dimensions.columns], obs.dimensions)
    top = obs.top(3)
    assert len(top) == 3 * len(demo.table)
    assert top.groupby("unit")["degree"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_an_official_result_is_refused() -> None:
    with pytest.raises(InputError) as info:
        obstacles(object())  # type: ignore[arg-type]
    assert info.value.codes == ["analysis.not_academic"]
