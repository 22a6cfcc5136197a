"""``assess_periods`` and ``score_frame``: each period assessed as ``assess`` does it alone."""

from __future__ import annotations

import pandas as pd
import pytest

from kaoping.analysis.periods import assess_periods, score_frame
from kaoping.assess import assess
from kaoping.data import bundled
from kaoping.errors import InputError
from kaoping.methodology import load


@pytest.fixture(scope="module")
def demo() -> tuple:
    methodology = load("county_hqd")
    units = bundled.henan_units()
    return methodology, bundled.demo_panel(methodology.name_to_id(), units), units


def test_each_period_is_the_assessment_of_that_period_alone(demo: tuple) -> None:
    methodology, panel, units = demo
    results = assess_periods(methodology, panel, ["2024", "2021"], units=units)
    assert list(results) == ["2021", "2024"]  # the panel's order, not the caller's
    alone = assess(methodology, panel, "2021", units=units)
    pd.testing.assert_series_equal(results["2021"].table["score"], alone.table["score"])


def test_score_frame_lays_periods_side_by_side_for_the_index_or_a_dimension(demo: tuple) -> None:
    methodology, panel, units = demo
    results = assess_periods(methodology, panel, ["2022", "2023"], units=units)
    frame = score_frame(results)
    assert list(frame.columns) == ["2022", "2023"]
    assert frame.loc["410122", "2023"] == results["2023"].table.loc["410122", "score"]
    green = score_frame(results, "green")
    assert green.loc["410882", "2022"] == results["2022"].table.loc["410882", "green"]


def test_unknown_periods_and_nodes_are_named(demo: tuple) -> None:
    methodology, panel, units = demo
    with pytest.raises(InputError) as err:
        assess_periods(methodology, panel, ["2019", "2031"], units=units)
    assert err.value.codes == ["analysis.unknown_period"] * 2
    results = assess_periods(methodology, panel, ["2024"], units=units)
    with pytest.raises(InputError, match="economy"):
        score_frame(results, "tier")


def test_an_official_methodology_is_refused_with_the_fix(demo: tuple) -> None:
    _, panel, units = demo
    with pytest.raises(InputError, match="county_hqd") as err:
        assess_periods(load("county_hqd_official"), panel, units=units)
    assert err.value.codes == ["analysis.official_methodology"]


def test_progress_is_called_after_each_period(demo: tuple) -> None:
    methodology, panel, units = demo
    calls: list[tuple[int, int]] = []
    assess_periods(
        methodology,
        panel,
        ["2020", "2021"],
        units=units,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 2), (2, 2)]
