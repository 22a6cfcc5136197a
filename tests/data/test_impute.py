"""Imputation on a hand-worked example.

Seven units, two indicators (NaN = missing); categories eco = {a, b, c}, non = {d, e},
f has no category, g is the only unit of category park::

    unit  category  gdp   urban
    a     eco       10    40
    b     eco       .     44
    c     eco       20    .
    d     non       60    .
    e     non       .     49
    f     -         .     .
    g     park      .     47

Worked by hand:
- gdp observed {10, 20, 60}: mean 90/3 = 30, median 20.
- urban observed {40, 44, 49, 47}: mean 180/4 = 45, median (44 + 47)/2 = 45.5.
- category means: eco gdp (10 + 20)/2 = 15, eco urban (40 + 44)/2 = 42, non gdp 60, non urban
  49; f (no category) and g (park has no gdp) fall back to the overall means 30 and 45.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kaoping.data import IMPUTATION_METHODS, Imputation, Panel, impute

nan = np.nan
MATRIX = pd.DataFrame(
    {
        "gdp": [10.0, nan, 20.0, 60.0, nan, nan, nan],
        "urban": [40.0, 44.0, nan, nan, 49.0, nan, 47.0],
    },
    index=pd.Index(list("abcdefg"), name="unit"),
)
CATEGORIES = pd.Series(["eco", "eco", "eco", "non", "non", None, "park"], index=list("abcdefg"))
GAPS = [
    ("b", "gdp"),
    ("c", "urban"),
    ("d", "urban"),
    ("e", "gdp"),
    ("f", "gdp"),
    ("f", "urban"),
    ("g", "gdp"),
]


def filled_values(filled: pd.DataFrame) -> list[float]:
    return [float(filled.loc[u, j]) for u, j in GAPS]


def test_mean() -> None:
    filled, notes = impute(MATRIX, "mean", period="2024")
    assert filled_values(filled) == [30.0, 45.0, 45.0, 30.0, 30.0, 45.0, 30.0]
    assert [(n.unit, n.indicator) for n in notes] == GAPS  # unit by unit, columns in order
    assert notes[0] == Imputation(
        "b", "gdp", "2024", 30.0, "mean", "mean of 3 units", "平均值（3 个单位）"
    )
    assert not filled.isna().any().any()
    assert filled.loc["a", "gdp"] == 10.0  # observed cells untouched


def test_median() -> None:
    filled, notes = impute(MATRIX, "median")
    assert filled_values(filled) == [20.0, 45.5, 45.5, 20.0, 20.0, 45.5, 20.0]
    assert {n.note for n in notes} == {"median of 3 units", "median of 4 units"}
    assert notes[0].period is None


def test_category_mean_with_fallbacks() -> None:
    filled, notes = impute(MATRIX, "category_mean", categories=CATEGORIES)
    assert filled_values(filled) == [15.0, 42.0, 49.0, 60.0, 30.0, 45.0, 30.0]
    assert [n.note for n in notes] == [
        "mean of category eco (2 units)",
        "mean of category eco (2 units)",
        "mean of category non (1 unit)",
        "mean of category non (1 unit)",
        "the unit has no category: overall mean of 3 units",
        "the unit has no category: overall mean of 4 units",
        "no unit of category park has a value: overall mean of 3 units",
    ]
    assert notes[6].message("zh").startswith("类别 park 中没有单位有该指标的数值")


def test_category_mean_with_a_units_table_series_and_missing_unit() -> None:
    # a category Series that does not list f at all behaves like f having no category
    categories = CATEGORIES.drop("f")
    filled, _ = impute(MATRIX, "category_mean", categories=categories)
    assert filled_values(filled) == [15.0, 42.0, 49.0, 60.0, 30.0, 45.0, 30.0]


def history_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["b", "b", "b", "e", "e", "c"],
            "indicator": ["gdp", "gdp", "gdp", "gdp", "gdp", "urban"],
            "period": ["2022", "2023", "2025", "2023", "2024", "2024-Q1"],
            "value": [8.0, nan, 99.0, 55.0, 58.0, 41.0],
            "location": ["h.xlsx!S!C2", "h.xlsx!S!C3", None, None, None, None],
        }
    )


def test_carry_forward_uses_the_latest_earlier_value() -> None:
    # b.gdp: 2023 is missing, 2025 is later than 2024 -> 8 from 2022.
    # e.gdp: 2024 is the period itself -> 55 from 2023.
    # c.urban: "2024-Q1" sorts after "2024" -> not earlier; nothing else -> stays missing.
    filled, notes = impute(MATRIX, "carry_forward", history=history_frame(), period="2024")
    assert filled.loc["b", "gdp"] == 8.0
    assert filled.loc["e", "gdp"] == 55.0
    assert math.isnan(filled.loc["c", "urban"])
    assert math.isnan(filled.loc["f", "gdp"])
    by_cell = {(n.unit, n.indicator): n for n in notes}
    assert by_cell["b", "gdp"].note == "carried forward from 2022 (h.xlsx!S!C2)"
    assert by_cell["e", "gdp"].note == "carried forward from 2023"
    assert not by_cell["c", "urban"].imputed
    assert by_cell["c", "urban"].note.startswith("no earlier value")
    assert len(notes) == len(GAPS)


def test_carry_forward_with_a_panel_history() -> None:
    panel = Panel(history_frame())
    filled, _ = impute(MATRIX, "carry_forward", history=panel.history("2024"))
    assert filled.loc["b", "gdp"] == 8.0
    assert filled.loc["e", "gdp"] == 55.0


def test_a_column_without_values_stays_missing_and_is_reported() -> None:
    matrix = pd.DataFrame({"jobs": [nan, nan]}, index=["a", "b"])
    filled, notes = impute(matrix, "mean")
    assert filled["jobs"].isna().all()
    assert [n.imputed for n in notes] == [False, False]
    assert "stays missing" in notes[0].note


def test_skip_returns_a_copy_and_no_imputation() -> None:
    filled, notes = impute(MATRIX, "skip")
    assert notes == []
    pd.testing.assert_frame_equal(filled, MATRIX)
    assert filled is not MATRIX


def test_input_is_not_modified() -> None:
    before = MATRIX.copy()
    impute(MATRIX, "mean")
    pd.testing.assert_frame_equal(MATRIX, before)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="choose one of mean, median"):
        impute(MATRIX, "average")
    with pytest.raises(ValueError, match="needs categories"):
        impute(MATRIX, "category_mean")
    with pytest.raises(ValueError, match="needs history"):
        impute(MATRIX, "carry_forward")
    with pytest.raises(ValueError, match="repeats units a"):
        impute(pd.DataFrame({"x": [1.0, nan]}, index=["a", "a"]), "mean")
    assert IMPUTATION_METHODS == ("mean", "median", "category_mean", "carry_forward", "skip")


def test_integer_unit_labels_find_their_category() -> None:
    # units labelled by int codes (as a frame read without the reader might be): the category
    # Series keyed by text codes still applies.  Category x mean of 2 and 4 is 3.
    matrix = pd.DataFrame({"gdp": [2.0, 4.0, nan, 100.0]}, index=[410101, 410102, 410103, 410201])
    categories = pd.Series(["x", "x", "x", "y"], index=["410101", "410102", "410103", "410201"])
    filled, notes = impute(matrix, "category_mean", categories=categories)
    assert filled.loc[410103, "gdp"] == 3.0
    assert notes[0].unit == "410103"
