"""Values whose scores would overflow: refused by cell before any score is computed, on the
academic and the official path, and a guard that names the cells of a unit whose score still
came out infinite.

Doubles end at about 1.8e308: min-max of 1e308 and -1e308 divides by max - min = inf (every
score NaN), TOPSIS squares 1e200 (inf).  The engine's bound is 1e150 (pipeline.LARGEST)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kaoping.assess import assess, pipeline
from kaoping.data import Panel, read_panel
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import InputError
from kaoping.methodology import load, loads

M = """
id: m
name: 办法
aggregation: {agg}
dimensions:
  - id: d
    name: 维度
    indicators:
      - {{id: a, name: 甲, direction: positive}}
      - {{id: b, name: 乙, direction: negative}}
"""


def panel(tmp_path: Path, a: list[str]) -> Panel:
    rows = "\n".join(f"41082{i},2024,{x},{i}" for i, x in enumerate(a, start=1))
    path = tmp_path / "data.csv"
    path.write_text(f"代码,年份,甲,乙\n{rows}\n", encoding="utf-8")
    return read_panel(path, indicators={"甲": "a", "乙": "b"})


@pytest.mark.parametrize(
    ("agg", "values", "cells"),
    [
        ("arithmetic", ["1e308", "-1e308", "5"], ["data.csv!C2", "data.csv!C3"]),
        ("topsis", ["1e200", "3", "5"], ["data.csv!C2"]),
        ("arithmetic", ["1.7e308", "3", "5"], ["data.csv!C2"]),
    ],
)
def test_a_value_that_would_overflow_is_refused_by_cell(
    tmp_path: Path, agg: str, values: list[str], cells: list[str]
) -> None:
    with pytest.raises(InputError) as error:
        assess(loads(M.format(agg=agg)), panel(tmp_path, values))
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("assess.value_too_large", cell) for cell in cells
    ]


def test_values_up_to_the_bound_give_finite_scores(tmp_path: Path) -> None:
    result = assess(loads(M.format(agg="topsis")), panel(tmp_path, ["1e150", "-1e150", "5"]))
    assert np.isfinite(result.table["score"].to_numpy(dtype=float)).all()


def test_the_official_path_refuses_them_too() -> None:
    methodology = load("county_hqd_official")
    units = henan_units()
    data = demo_panel(methodology.name_to_id(), units)
    frame = data.frame.copy()
    first = frame.index[(frame["period"] == "2024")][0]
    frame.loc[first, "value"] = 1e300
    with pytest.raises(InputError) as error:
        assess(methodology, Panel.from_frame(frame), "2024", units=units)
    assert error.value.codes == ["assess.value_too_large"]
    assert error.value.problems[0].where == frame.loc[first, "location"]


def test_a_non_finite_score_names_the_units_largest_cell(tmp_path: Path) -> None:
    """The guard behind the bound: given an infinite score for the second unit, it names that
    unit's cell of largest magnitude (b = 2 > a = 0.5, so column D of row 3)."""
    data = panel(tmp_path, ["1", "0.5", "5"])
    X = data.matrix("2024", ["a", "b"]).to_numpy()
    codes, ids = list(data.units), ["a", "b"]
    pipeline._refuse_non_finite_scores(np.array([1.0, 2.0, 3.0]), X, codes, data, "2024", ids)
    with pytest.raises(InputError) as error:
        pipeline._refuse_non_finite_scores(
            np.array([1.0, np.inf, 3.0]), X, codes, data, "2024", ids
        )
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("assess.non_finite", "data.csv!D3")
    ]
    missing = X.copy()
    missing[0, 0] = np.nan  # NaN is a missing value's score (skip with min_share), not a fault
    pipeline._refuse_non_finite_scores(
        np.array([np.nan, 2.0, 3.0]), missing, codes, data, "2024", ids
    )  # no problem
