"""Panel: normalisation, matrices, locations, missing cells, selection, history, concat."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.data import Panel
from kaoping.errors import InputError


def small_panel() -> Panel:
    return Panel(
        pd.DataFrame(
            {
                "unit": ["410821", "410821", "410822", "410823", "410821"],
                "indicator": ["gdp", "urban", "gdp", "gdp", "gdp"],
                "period": ["2024", "2024", "2024", "2024", "2023"],
                "value": [10.0, 55.0, np.nan, 30.0, 9.0],
                "location": ["d.xlsx!S!C2", "d.xlsx!S!D2", "d.xlsx!S!C3", None, "old.csv!C2"],
                "name": ["修武县", "修武县", "博爱县", None, None],
            }
        )
    )


def test_from_frame_normalises_numbers_written_as_codes_and_periods() -> None:
    panel = Panel.from_frame(
        pd.DataFrame(
            {
                "unit": [410821, 410822.0],
                "indicator": ["gdp", " gdp "],
                "period": [2024, "2024年"],
                "value": ["1,234.5", None],
                "extra": [1, 2],
            }
        )
    )
    frame = panel.frame
    assert list(frame.columns) == [
        "unit",
        "indicator",
        "period",
        "value",
        "source",
        "location",
        "name",
    ]
    assert frame["unit"].tolist() == ["410821", "410822"]
    assert frame["indicator"].tolist() == ["gdp", "gdp"]
    assert frame["period"].tolist() == ["2024", "2024"]
    assert frame["value"].dtype == np.float64
    assert frame["value"].iloc[0] == 1234.5
    assert math.isnan(frame["value"].iloc[1])


def test_from_frame_problems_are_collected() -> None:
    frame = pd.DataFrame(
        {
            "unit": ["1", "1", None, "2"],
            "indicator": ["gdp", "gdp", "gdp", "gdp"],
            "period": ["2024", "2024", "2024", "2024"],
            "value": [1.0, 2.0, 3.0, np.inf],
        }
    )
    with pytest.raises(InputError) as caught:
        Panel(frame)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        ("data.missing_code", "row 2"),
        ("data.not_a_number", "row 3"),
        ("data.duplicate", "row 1"),
    ]
    with pytest.raises(InputError) as caught:
        Panel(frame.iloc[:2])
    assert [(p.code, p.where) for p in caught.value.problems] == [("data.duplicate", "row 1")]
    assert "row 0" in caught.value.problems[0].en
    with pytest.raises(InputError) as caught:
        Panel(pd.DataFrame({"unit": ["1"], "value": [1.0]}))
    assert caught.value.codes == ["data.bad_frame"]
    assert "indicator, period" in caught.value.problems[0].en


def test_properties() -> None:
    panel = small_panel()
    assert panel.units == ("410821", "410822", "410823")
    assert panel.indicators == ("gdp", "urban")
    assert panel.periods == ("2023", "2024")
    assert panel.names == {"410821": "修武县", "410822": "博爱县"}
    assert len(panel) == 5
    assert "3 units" in repr(panel)


def test_periods_sort_naturally() -> None:
    panel = Panel(
        pd.DataFrame(
            {
                "unit": ["a"] * 4,
                "indicator": ["x"] * 4,
                "period": ["2024-Q10", "2024-Q9", "2023", "2024-Q1"],
                "value": [1.0, 2.0, 3.0, 4.0],
            }
        )
    )
    assert panel.periods == ("2023", "2024-Q1", "2024-Q9", "2024-Q10")
    assert panel.history("2024-Q10").periods == ("2023", "2024-Q1", "2024-Q9")


def test_matrix_orders_rows_and_columns_and_fills_nan() -> None:
    panel = small_panel()
    default = panel.matrix("2024", ["urban", "gdp"])
    # units with any row in 2024, sorted; columns as asked
    assert default.index.tolist() == ["410821", "410822", "410823"]
    assert default.columns.tolist() == ["urban", "gdp"]
    assert default.dtypes.tolist() == [np.float64, np.float64]
    np.testing.assert_array_equal(
        default.to_numpy(), [[55.0, 10.0], [np.nan, np.nan], [np.nan, 30.0]]
    )
    ordered = panel.matrix(2024, ["gdp", "jobs"], units=["410823", "410821", "410999"])
    assert ordered.index.tolist() == ["410823", "410821", "410999"]
    np.testing.assert_array_equal(
        ordered.to_numpy(), [[30.0, np.nan], [10.0, np.nan], [np.nan, np.nan]]
    )
    assert panel.matrix("2023", ["gdp"]).to_dict() == {"gdp": {"410821": 9.0}}
    with pytest.raises(ValueError, match="must not repeat"):
        panel.matrix("2024", ["gdp", "gdp"])


def test_locations_and_missing() -> None:
    panel = small_panel()
    where = panel.locations("2024", ["gdp", "urban"])
    assert where.loc["410821"].tolist() == ["d.xlsx!S!C2", "d.xlsx!S!D2"]
    assert where.loc["410822"].tolist() == ["d.xlsx!S!C3", "410822/urban/2024"]
    assert where.loc["410823"].tolist() == ["410823/gdp/2024", "410823/urban/2024"]
    missing = panel.missing("2024", ["gdp", "urban"])
    assert [(p.code, p.where) for p in missing] == [
        ("data.missing_value", "d.xlsx!S!C3"),
        ("data.missing_value", "410822/urban/2024"),
        ("data.missing_value", "410823/urban/2024"),
    ]
    assert missing[0].en == (
        "unit 410822 (博爱县) has no value for indicator gdp in 2024: fill it in or choose an "
        "imputation (missing: mean|median|category_mean|carry_forward|skip) in the methodology."
    )
    assert "缺少指标 gdp 在 2024 的数值" in missing[0].zh
    assert panel.missing("2024", ["gdp"], units=["410821"]) == []


def test_select_history_and_concat() -> None:
    panel = small_panel()
    assert len(panel.select(period="2024")) == 4
    assert len(panel.select(period=["2023", 2024], units=["410821"])) == 3
    assert panel.select(indicators=["urban"]).units == ("410821",)
    assert panel.select(units=[410822]).units == ("410822",)
    history = panel.history("2024", indicators=["gdp"])
    assert history.frame[["unit", "period", "value"]].values.tolist() == [["410821", "2023", 9.0]]
    other = Panel(
        pd.DataFrame({"unit": ["410824"], "indicator": ["gdp"], "period": ["2024"], "value": [4.0]})
    )
    both = Panel.concat([panel, other])
    assert both.units == ("410821", "410822", "410823", "410824")
    assert len(Panel.concat([])) == 0
    with pytest.raises(InputError) as caught:
        Panel.concat([panel, panel.select(units=["410821"], period="2024")])
    assert caught.value.codes == ["data.duplicate", "data.duplicate"]
    assert caught.value.problems[0].where == "d.xlsx!S!C2"


def test_panel_is_immutable() -> None:
    panel = small_panel()
    with pytest.raises(AttributeError):
        panel._frame = pd.DataFrame()
    copy = panel.frame
    copy.loc[0, "value"] = -1.0
    assert panel.frame["value"].iloc[0] == 10.0
    matrix = panel.matrix("2024", ["gdp"])
    matrix.iloc[0, 0] = -1.0
    assert panel.matrix("2024", ["gdp"]).iloc[0, 0] == 10.0


def test_numpy_scalars_in_object_columns_are_numbers() -> None:
    frame = pd.DataFrame(
        {
            "unit": pd.Series([np.int64(410821), "410822"], dtype=object),
            "indicator": ["gdp", "gdp"],
            "period": pd.Series([np.int64(2024), np.float64(2024.0)], dtype=object),
            "value": pd.Series([np.int64(7), np.float32(0.5)], dtype=object),
        }
    )
    panel = Panel(frame)
    assert panel.units == ("410821", "410822")
    assert panel.periods == ("2024",)
    assert panel.frame["value"].tolist() == [7.0, 0.5]
    with pytest.raises(InputError) as caught:
        Panel(frame.assign(value=pd.Series([10**400, np.True_], dtype=object)))
    assert caught.value.codes == ["data.not_a_number", "data.not_a_number"]


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["410821", "410822", "410823", "410901"]),
            st.sampled_from(["gdp", "urban", "rd"]),
            st.sampled_from(["2023", "2024", "2024-Q3"]),
            st.one_of(st.floats(-1e6, 1e6), st.just(math.nan)),
            st.one_of(st.none(), st.sampled_from(["甲县", "乙县", "丙区"])),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda r: (r[0], r[1], r[2]),
    ),
    period=st.sampled_from(["2023", "2024", "2024-Q3", "2025"]),
    units=st.one_of(st.none(), st.lists(st.sampled_from(["410821", "410901", "410999"]),
                                        unique=True)),
)  # fmt: skip
def test_matrix_and_names_match_pivot_and_first_name(
    rows: list[tuple[str, str, str, float, str | None]], period: str, units: list[str] | None
) -> None:
    # Reference: pandas' pivot of the period's rows, reindexed to the asked units (default:
    # those with a row in the period, sorted) and indicators; names: the first non-empty
    # name of each unit in row order (drop_duplicates).
    frame = pd.DataFrame(rows, columns=["unit", "indicator", "period", "value", "name"])
    panel = Panel(frame)
    ids = ["rd", "gdp", "urban"]
    got = panel.matrix(period, ids, units=units)
    here = frame[frame["period"] == period]
    codes = sorted(here["unit"].unique()) if units is None else units
    want = here.pivot(index="unit", columns="indicator", values="value")
    want = want.reindex(index=codes, columns=ids).astype(float)
    assert got.index.tolist() == list(codes)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
    named = frame.dropna(subset=["name"]).drop_duplicates("unit")
    assert panel.names == dict(zip(named["unit"], named["name"], strict=True))


@settings(max_examples=80, deadline=None)
@given(
    runs=st.lists(
        st.tuples(st.sampled_from(["2024", "2023", "410821", "甲", "", "x" * 40]),
                  st.integers(1, 3000)),
        min_size=1, max_size=12,
    )
)  # fmt: skip
def test_factorize_by_runs_is_pandas_factorize(runs: list[tuple[str, int]]) -> None:
    # Reference: pandas.factorize itself, on columns of long runs (hashed run by run) and of
    # short ones (hashed value by value); equal values from different runs share a code.
    from kaoping.data.panel import _factorize

    values = np.array([v for v, k in runs for _ in range(k)], dtype=object)
    codes, uniques = _factorize(values)
    want_codes, want_uniques = pd.factorize(values)
    np.testing.assert_array_equal(codes, want_codes)
    assert uniques.tolist() == list(want_uniques)
