"""Properties: what is written to a wide xlsx or CSV file reads back exactly.

The reference is the frame itself: any finite float written by openpyxl (xlsx) or as Python's
shortest round-trip repr (CSV) must come back bit-for-bit equal, and unit codes written as
text keep their leading zeros.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.data import Panel, read_panel, read_units

INDICATORS = ("gdp", "urban", "rd")
VOCABULARY = {i: i for i in INDICATORS}

codes = st.lists(
    st.text(alphabet="0123456789", min_size=1, max_size=12), min_size=1, max_size=8, unique=True
)
finite = st.floats(allow_nan=False, allow_infinity=False)
# openpyxl writes numbers with 16 significant digits ("%.16g"), so the xlsx property draws
# floats that have such a representation; the CSV property uses every finite float.
sixteen_digits = finite.map(lambda v: float(f"{v:.16g}")).filter(math.isfinite)
names = st.text(alphabet="中原区二七县市ABCxyz ", min_size=1, max_size=6).filter(str.strip)


@st.composite
def tables(
    draw: st.DrawFn, numbers: st.SearchStrategy[float] = finite
) -> tuple[list[str], list[str], list[list[float | None]]]:
    units = draw(codes)
    unit_names = [draw(names) for _ in units]
    cells = [[draw(numbers | st.none()) for _ in INDICATORS] for _ in units]
    return units, unit_names, cells


def write_wide(
    path: Path, units: list[str], unit_names: list[str], cells: list[list[float | None]]
) -> None:
    header = ["代码", "名称", "年份", *INDICATORS]
    rows = [[u, n, "2024", *row] for u, n, row in zip(units, unit_names, cells, strict=True)]
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    ["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row]
                )


def check_round_trip(
    path: Path, units: list[str], unit_names: list[str], cells: list[list[float | None]]
) -> None:
    write_wide(path, units, unit_names, cells)
    panel = read_panel(path, indicators=VOCABULARY)
    matrix = panel.matrix("2024", list(INDICATORS), units=units)
    assert matrix.index.tolist() == units
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            got = float(matrix.iat[i, j])
            if value is None:
                assert math.isnan(got)
            else:
                assert got == value  # -0.0 == 0.0: Excel has no negative zero
    assert set(panel.units) == set(units)
    assert panel.names == {u: n.strip() for u, n in zip(units, unit_names, strict=True)}
    # every cell of every written row is an observation, missing or not
    assert len(panel) == len(units) * len(INDICATORS)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(sixteen_digits))
def test_wide_xlsx_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[str], list[list[float | None]]],
) -> None:
    check_round_trip(tmp_path_factory.mktemp("xlsx") / "data.xlsx", *table)


@settings(max_examples=75, deadline=None)
@given(table=tables())
def test_wide_csv_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[str], list[list[float | None]]],
) -> None:
    check_round_trip(tmp_path_factory.mktemp("csv") / "data.csv", *table)


@settings(max_examples=50, deadline=None)
@given(units=codes, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_units_table_keeps_leading_zeros(
    tmp_path_factory: pytest.TempPathFactory, units: list[str], suffix: str
) -> None:
    path = tmp_path_factory.mktemp("units") / f"units{suffix}"
    rows = [["code", "name"], *[[u, f"单位{k}"] for k, u in enumerate(units)]]
    if suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    assert read_units(path).codes == tuple(units)


@settings(max_examples=75, deadline=None)
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(INDICATORS),
            st.sampled_from(["2023", "2024"]),
            st.floats(allow_nan=False, allow_infinity=False, width=64),
        ),
        unique_by=lambda t: t[:3],
    )
)
def test_matrix_holds_exactly_the_long_observations(
    cells: list[tuple[str, str, str, float]],
) -> None:
    frame = pd.DataFrame(cells, columns=["unit", "indicator", "period", "value"])
    panel = Panel(frame)
    assert len(panel) == len(cells)
    for period in panel.periods:
        matrix = panel.matrix(period, list(INDICATORS))
        observed = {(u, i): v for u, i, p, v in cells if p == period}
        present = matrix.notna().to_numpy()
        assert present.sum() == len(observed)
        for (unit, indicator), value in observed.items():
            assert matrix.loc[unit, indicator] == value
        assert np.all(matrix.index == sorted(matrix.index))
