"""kaoping.data.parks: the park registry (园区名录), its template and parks as units."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from kaoping.assess import assess
from kaoping.data import Panel
from kaoping.data.bundled import henan_units
from kaoping.data.parks import (
    PARK_COLUMNS,
    PARK_KINDS,
    PARK_SHEET,
    park_units,
    read_parks,
    write_parks_template,
)
from kaoping.errors import InputError
from kaoping.methodology import loads

HEADER = "代码,名称,英文名称,类型,所在县代码,所在县,主导产业,面积(平方公里),级别\n"
GOOD = (
    HEADER + "41088301,孟州市产业集聚区,Mengzhou Industrial Cluster,产业集聚区,410883,孟州市,"
    '"装备制造，皮毛加工",29.6,省级\n'
    + "41088201,沁阳市产业集聚区,,经济技术开发区,410882,,装备制造,20,\n"
)


def write(tmp_path: Path, text: str, name: str = "parks.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_registry_is_read_with_every_column(tmp_path: Path) -> None:
    parks = read_parks(write(tmp_path, GOOD))
    assert list(parks.columns) == list(PARK_COLUMNS)
    first = parks.iloc[0]
    assert first["code"] == "41088301"
    assert first["kind"] == "产业集聚区"
    assert first["industries"] == "装备制造、皮毛加工"  # ， becomes 、
    assert first["area_km2"] == pytest.approx(29.6)
    assert first["level"] == "省级"
    second = parks.iloc[1]
    assert second["kind"] == "经开区"  # the full name is accepted
    assert pd.isna(second["name_en"])
    assert pd.isna(second["level"])


def test_counties_fill_the_county_name_and_catch_unknown_codes(tmp_path: Path) -> None:
    parks = read_parks(write(tmp_path, GOOD), counties=henan_units())
    assert parks.loc[1, "county_name"] == "沁阳市"
    bad = HEADER + "P1,某园区,,开发区,419999,,,,\n"
    with pytest.raises(InputError) as caught:
        read_parks(write(tmp_path, bad), counties=henan_units())
    assert caught.value.codes == ["parks.unknown_county"]
    assert caught.value.problems[0].where == "parks.csv!E2"


def test_every_problem_is_reported_at_its_cell(tmp_path: Path) -> None:
    text = (
        HEADER
        + "P1,,,产业集聚区,410883,,,10,\n"  # row 2: no name
        + "P2,乙园区,,工业园,410883,,,10,\n"  # row 3: unknown kind
        + "P1,丙园区,,开发区,410883,,,10,\n"  # row 4: duplicate code
        + "P4,丁园区,,高新区,410883,,,-3,\n"  # row 5: area not positive
        + "P5,戊园区,,高新区,41088,,,abc,\n"  # row 6: county 5 digits, area not a number
        + ",己园区,,高新区,410883,,,1,\n"  # row 7: no code
    )
    with pytest.raises(InputError) as caught:
        read_parks(write(tmp_path, text))
    found = {(p.code, p.where) for p in caught.value.problems}
    assert found == {
        ("parks.missing_name", "parks.csv!B2"),
        ("parks.unknown_kind", "parks.csv!D3"),
        ("parks.duplicate_code", "parks.csv!A4"),
        ("parks.bad_area", "parks.csv!H5"),
        ("parks.bad_county_code", "parks.csv!E6"),
        ("parks.bad_area", "parks.csv!H6"),
        ("parks.missing_code", "parks.csv!A7"),
    }
    by_code = {p.code: p for p in caught.value.problems}
    kind = by_code["parks.unknown_kind"]
    assert "工业园" in kind.zh
    assert all(k in kind.zh for k in PARK_KINDS)
    assert all(k in kind.en for k in PARK_KINDS)
    assert "A2" in by_code["parks.duplicate_code"].zh  # names the first row too
    assert "41088" in by_code["parks.bad_county_code"].en


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_parks(write(tmp_path, "代码,名称\nP1,甲\n"))
    assert caught.value.codes == ["parks.missing_column"] * 2
    assert "类型" in caught.value.problems[0].zh
    assert "所在县代码" in caught.value.problems[1].zh


def test_a_workbook_without_the_sheet_says_which_sheets_it_has(tmp_path: Path) -> None:
    book = Workbook()
    assert book.active is not None
    book.active.title = "Sheet1"
    path = tmp_path / "parks.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_parks(path)
    assert caught.value.codes == ["data.missing_sheet"]
    assert PARK_SHEET in caught.value.problems[0].zh
    assert "Sheet1" in caught.value.problems[0].zh


def test_the_template_reads_back_to_the_same_registry(tmp_path: Path) -> None:
    parks = read_parks(write(tmp_path, GOOD))
    path = tmp_path / "template.xlsx"
    write_parks_template(path, parks)
    again = read_parks(path)
    pd.testing.assert_frame_equal(again, parks)
    # a buffer works as well; an empty template has the headers and the notes sheet
    buffer = io.BytesIO()
    write_parks_template(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == [PARK_SHEET, "填表说明"]
    assert [c.value for c in book[PARK_SHEET][1]][:4] == ["代码", "名称", "英文名称", "类型"]


def test_park_units_can_be_assessed(tmp_path: Path) -> None:
    """Two parks, one indicator: min-max gives 100 to the higher and 0 to the lower."""
    parks = read_parks(write(tmp_path, GOOD))
    units = park_units(parks)
    assert units.frame.loc["41088301", "parent"] == "410883"
    assert units.frame.loc["41088201", "kind"] == "经开区"
    assert "29.6 平方公里" in units.frame.loc["41088301", "note"]
    methodology = loads(
        "id: p\nname: 园区\ndimensions:\n"
        "  - {id: d, name: 维度, indicators: [{id: tax, name: 亩均税收, direction: positive}]}\n"
    )
    panel = Panel(
        pd.DataFrame(
            {
                "unit": ["41088301", "41088201"],
                "indicator": ["tax", "tax"],
                "period": ["2024", "2024"],
                "value": [30.0, 10.0],
            }
        )
    )
    table = assess(methodology, panel, 2024, units=units).table
    assert table.loc["41088301", "score"] == pytest.approx(100.0)
    assert table.loc["41088201", "score"] == pytest.approx(0.0)
    assert table.loc["41088301", "name"] == "孟州市产业集聚区"
