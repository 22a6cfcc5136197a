"""The labelled inequality analysis (kaoping.analysis.inequality).

Reference values: the hand-worked Dagum and Theil example of tests/methods/test_inequality.py
(groups A = (1, 3) and B = (2, 6), here as two cities of four county codes), and the
brute-force double loops written there, applied to the bundled Henan demo's scores; the
city of a code by GB/T 2260 (its first four digits) and the demo's units table for the names.
"""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.analysis import inequality as module
from kaoping.analysis.inequality import (
    SUMMARY_COLUMNS,
    city_groups,
    inequality,
    inequality_panel,
)
from kaoping.errors import InputError, KaopingWarning, set_language

from ..methods.test_inequality import brute_dagum, brute_gini, brute_theil  # noqa: TID252

# A = 郑州市 (4101): 1, 3; B = 开封市 (4102): 2, 6 -- see tests/methods/test_inequality.py
HAND = pd.Series({"410122": 1.0, "410181": 3.0, "410221": 2.0, "410222": 6.0})


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh")


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.Series, object]:
    from kaoping.analysis.periods import assess_periods, score_frame
    from kaoping.data.bundled import demo_panel, henan_units
    from kaoping.methodology import load

    m = load("county_hqd")
    units = henan_units()
    results = assess_periods(m, demo_panel(m.name_to_id(), units), units=units)
    categories = results["2024"].table["category"]
    return score_frame(results), categories, units


def test_the_docstring_examples_run() -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# city groups
# --------------------------------------------------------------------------------------------


def test_city_groups_are_the_first_four_digits() -> None:
    groups = city_groups(pd.Index(["410122", "410181", "410871", "419001"]))
    assert groups.to_dict() == {
        "410122": "4101",
        "410181": "4101",
        "410871": "4108",
        "419001": "4190",
    }
    assert groups.name == "city"


def test_city_groups_take_the_city_names_from_the_units(demo: tuple[object, ...]) -> None:
    _, _, units = demo
    groups = city_groups(["410122", "410221", "419001"], units)  # type: ignore[arg-type]
    # 济源 (419001) has the province as its parent: no city, the prefix stays
    assert groups.tolist() == ["郑州市", "开封市", "4190"]


def test_city_groups_refuse_codes_that_are_not_six_digits() -> None:
    with pytest.raises(InputError) as info:
        city_groups(["410122", "4101", "zz0001"])
    assert info.value.codes == ["analysis.bad_code", "analysis.bad_code"]
    assert "4101" in str(info.value)
    assert "zz0001" in str(info.value)


# --------------------------------------------------------------------------------------------
# one set of values
# --------------------------------------------------------------------------------------------


def test_inequality_hand_worked_by_city() -> None:
    res = inequality(HAND, city_groups(HAND.index))
    s = res.summary
    assert list(s.index) == list(SUMMARY_COLUMNS)
    assert_allclose(
        s[["gini", "gini_within", "gini_net_between", "gini_transvariation"]],
        [1 / 3, 1 / 8, 1 / 6, 1 / 24],
        rtol=1e-14,
    )
    assert_allclose(s[["within_pct", "net_between_pct", "transvariation_pct"]],
                    [37.5, 50.0, 12.5], rtol=1e-13)  # fmt: skip
    assert s["n"] == 4
    assert s["mean"] == 3.0
    ref = brute_theil(HAND.tolist(), ["A", "A", "B", "B"])
    assert_allclose(s[["theil_t", "theil_t_between", "theil_t_within"]],
                    [ref["T"], ref["Tb"], ref["Tw"]], rtol=1e-13)  # fmt: skip
    assert_allclose(s[["theil_l", "theil_l_between", "theil_l_within"]],
                    [ref["L"], ref["Lb"], ref["Lw"]], rtol=1e-13)  # fmt: skip
    assert_allclose(s["cv"], np.std(HAND.to_numpy()) / 3.0, rtol=1e-15)

    assert res.dagum is not None
    within = res.dagum.within
    assert list(within.index) == ["4101", "4102"]  # by increasing mean
    assert_allclose(within["gini"], [0.25, 0.25])
    assert_allclose(within["contribution"], [1 / 24, 1 / 12], rtol=1e-14)
    assert_allclose(within["contribution_pct"], [12.5, 25.0], rtol=1e-13)
    between = res.dagum.between
    assert len(between) == 1
    row = between.iloc[0]
    assert (row["group_j"], row["group_h"]) == ("4102", "4101")  # the richer city is j
    assert_allclose(row[["gini", "d", "q", "D"]].astype(float), [5 / 12, 9 / 4, 1 / 4, 0.8],
                    rtol=1e-14)  # fmt: skip
    assert_allclose(row[["net_between_pct", "transvariation_pct"]].astype(float), [50.0, 12.5],
                    rtol=1e-13)  # fmt: skip
    assert res.dagum.matrix.loc["4102", "4101"] == pytest.approx(5 / 12, rel=1e-14)
    assert res.theil is not None
    assert_allclose(res.theil["value_share"], [1 / 3, 2 / 3], rtol=1e-15)
    assert_allclose(res.theil["theil_t_within"].sum(), s["theil_t_within"], rtol=1e-15)
    assert res.dropped == ()
    assert res.notes == ()


def test_inequality_without_groups() -> None:
    res = inequality(HAND)
    assert list(res.summary.index) == ["n", "mean", "gini", "theil_t", "theil_l", "cv"]
    assert res.summary["gini"] == pytest.approx(1 / 3, rel=1e-14)
    assert res.dagum is None
    assert res.theil is None
    assert res.summary["cv"] != inequality(HAND, ddof=1).summary["cv"]


def test_units_without_a_value_or_a_group_are_dropped_and_listed() -> None:
    values = pd.concat([HAND, pd.Series({"410223": np.nan, "410224": 5.0})])
    groups = city_groups(HAND.index)  # 410224 has no group
    res = inequality(values, groups)
    assert res.dropped == ("410223", "410224")
    assert res.summary["n"] == 4
    assert res.summary["gini"] == pytest.approx(1 / 3, rel=1e-14)


def test_a_negative_value_is_refused_naming_the_unit() -> None:
    values = HAND.copy()
    values["410181"] = -0.5
    with pytest.raises(InputError) as info:
        inequality(values)
    assert info.value.codes == ["analysis.negative_value"]
    assert "410181（-0.5）" in str(info.value)
    assert "410181 (-0.5)" in info.value.message("en")


def test_a_zero_value_leaves_out_theil_with_a_warning() -> None:
    values = HAND.copy()
    values["410181"] = 0.0
    with pytest.warns(KaopingWarning, match="410181"):
        res = inequality(values, city_groups(values.index))
    assert math.isnan(res.summary["theil_t"])
    assert math.isnan(res.summary["theil_l_between"])
    assert res.theil is None
    assert res.summary["gini"] == pytest.approx(brute_gini(values.tolist()), rel=1e-14)
    assert len(res.notes) == 1
    assert "410181" in res.notes[0][1]


def test_every_value_missing_or_zero_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        inequality(pd.Series({"410122": np.nan}))
    assert info.value.codes == ["analysis.no_values"]
    with pytest.raises(InputError) as info:
        inequality(pd.Series({"410122": 0.0, "410181": 0.0}))
    assert info.value.codes == ["analysis.zero_values"]


def test_bad_ddof_is_refused() -> None:
    with pytest.raises(ValueError, match="ddof must be 0"):
        inequality(HAND, ddof=2)


# --------------------------------------------------------------------------------------------
# every period
# --------------------------------------------------------------------------------------------


def test_panel_one_row_per_period_and_long_tables() -> None:
    scores = pd.DataFrame(
        {"2023": HAND, "2024": HAND * 2.0, "2025": [2.0, 2.0, np.nan, 2.0]}, index=HAND.index
    )
    out = inequality_panel(scores, city_groups(scores.index))
    assert list(out.summary.index) == ["2023", "2024", "2025"]
    assert out.summary.index.name == "period"
    assert_allclose(out.summary["gini"], [1 / 3, 1 / 3, 0.0], atol=1e-15)  # scale-free
    assert out.summary["n"].tolist() == [4, 4, 3]
    assert out.dropped == {"2023": (), "2024": (), "2025": ("410221",)}
    assert out.within is not None
    assert out.between is not None
    assert out.theil is not None
    assert list(out.within.columns[:2]) == ["period", "group"]
    assert len(out.within) == 6  # 3 periods x 2 cities
    assert len(out.between) == 3  # 3 periods x 1 pair
    assert out.between["period"].tolist() == ["2023", "2024", "2025"]
    assert_allclose(out.between["net_between"].iloc[:2], [1 / 6, 1 / 6], rtol=1e-14)
    assert out.by_period["2024"].summary["mean"] == 6.0


def test_panel_names_the_period_of_every_problem() -> None:
    scores = pd.DataFrame(
        {"2023": [1.0, -1.0], "2024": [np.nan, np.nan]}, index=["410122", "410181"]
    )
    with pytest.raises(InputError) as info:
        inequality_panel(scores)
    assert info.value.codes == ["analysis.negative_value", "analysis.no_values"]
    assert info.value.problems[0].zh.startswith("2023：")
    assert info.value.problems[1].en.startswith("2024: ")


def test_panel_warns_once_for_zero_values() -> None:
    scores = pd.DataFrame({"2023": [0.0, 1.0], "2024": [0.0, 2.0]}, index=["410122", "410181"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = inequality_panel(scores)
    assert len(caught) == 1
    assert "2023" in str(caught[0].message)
    assert "2024" in str(caught[0].message)
    assert out.summary["theil_t"].isna().all()
    assert out.within is None


def test_panel_on_the_demo_matches_the_double_loops(
    demo: tuple[pd.DataFrame, pd.Series, object],
) -> None:
    scores, categories, units = demo
    out = inequality_panel(scores, categories)
    assert list(out.summary.index) == ["2020", "2021", "2022", "2023", "2024"]
    y = scores["2024"]
    ref = brute_dagum(y.tolist(), categories.reindex(y.index).tolist())
    s = out.summary.loc["2024"]
    assert_allclose(s[["gini", "gini_within", "gini_net_between", "gini_transvariation"]],
                    [ref["G"], ref["Gw"], ref["Gnb"], ref["Gt"]], rtol=1e-12)  # fmt: skip
    assert_allclose(s["within_pct"] + s["net_between_pct"] + s["transvariation_pct"], 100.0,
                    rtol=1e-12)  # fmt: skip
    theil = brute_theil(y.tolist(), categories.reindex(y.index).tolist())
    assert_allclose(s[["theil_t", "theil_t_between", "theil_l"]],
                    [theil["T"], theil["Tb"], theil["L"]], rtol=1e-12)  # fmt: skip
    assert out.within is not None
    assert set(out.within["group"]) == {"重点生态功能区", "非重点生态功能区"}
    # by city: the demo's 102 counties lie in 17 cities (南阳市 11 … 漯河市 2)
    by_city = inequality_panel(scores, city_groups(scores.index, units))  # type: ignore[arg-type]
    assert by_city.within is not None
    assert by_city.within["period"].value_counts().tolist() == [17] * 5
    assert by_city.between is not None
    assert len(by_city.between) == 5 * 17 * 16 // 2
