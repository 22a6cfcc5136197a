"""The units table: read_units from xlsx/CSV, Units.from_frame, validity by year."""

from __future__ import annotations

import doctest
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kaoping.data import Units, read_units
from kaoping.data import units as units_module
from kaoping.errors import InputError

# the documented columns of Units.frame, in order (written out: the tests check UNIT_COLUMNS)
COLUMNS = ["name", "parent", "category", "kind", "valid_from", "valid_to", "successor", "note"]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "单位"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_read_units_xlsx_with_chinese_headers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "units.xlsx",
        [
            ["焦作市县级单位一览"],
            ["区划代码", "单位名称", "上级", "类别", "类型", "起始年份", "终止年份", "备注"],
            [410821, "修武县", 410800, "重点生态功能区", "县", None, None, ""],
            [
                "410871",
                "焦作城乡一体化示范区",
                "410800",
                "非重点生态功能区",
                "功能区",
                "2013年",
                None,
                "x",
            ],
            ["410728", "长垣县", "410700", None, "县", None, 2018, None],
        ],
    )
    units = read_units(path)
    assert units.codes == ("410821", "410871", "410728")
    assert units.names["410871"] == "焦作城乡一体化示范区"
    frame = units.frame
    assert list(frame.columns) == COLUMNS
    assert frame.index.name == "code"
    assert frame.loc["410871", "note"] == "x"  # 备注 is the note column
    assert pd.isna(frame.loc["410821", "note"])  # an empty cell is NA, not ""
    assert frame["successor"].isna().all()  # no successor column: NA everywhere
    assert frame.loc["410821", "parent"] == "410800"  # a number in Excel, text here
    assert frame.loc["410871", "valid_from"] == 2013
    assert pd.isna(frame.loc["410728", "category"])
    assert units.categories.to_dict()["410821"] == "重点生态功能区"
    assert units.is_valid("410728", "2018")
    assert not units.is_valid("410728", "2019-Q1")
    assert not units.is_valid("410871", "2012")
    assert units.is_valid("410871", "2013")
    assert units.is_valid("410821", "1949")  # no years: always valid
    assert not units.is_valid("999999", "2024")
    assert "410821" in units
    assert len(units) == 3
    assert list(units) == list(units.codes)


def test_read_units_csv_english_headers_keeps_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,valid_from,valid_to\n001,Park A,park,2019,\n002,Park B,park,,2023\n",
        encoding="utf-8",
    )
    units = read_units(path)
    assert units.codes == ("001", "002")
    assert units.name("002") == "Park B"
    assert units.validity("001") == "2019–"
    assert units.validity("002") == "–2023"


def test_read_units_csv_with_successor_and_note(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,parent,kind,valid_from,valid_to,successor,note\n"
        "410728,长垣县,新乡市,县,,2018,410783,2019年撤县设市\n"
        "410783,长垣市,新乡市,县级市,2019,,,\n"
        "410322,孟津县,洛阳市,县,,2020, 410308 ,\n"
        "410306,吉利区,洛阳市,市辖区,,2020,410308,与孟津县合设孟津区\n"
        "410308,孟津区,洛阳市,市辖区,2021,,,\n"
        '410399,某县,洛阳市,县,,2020,"410307、410308 410307",拆分\n'
        "410871,焦作城乡一体化示范区,焦作市,功能区,,,,统计用功能区，非行政区划\n",
        encoding="utf-8",
    )
    units = read_units(path)
    frame = units.frame
    assert frame.loc["410728", "successor"] == "410783"
    assert frame.loc["410322", "successor"] == "410308"  # spaces around the code are dropped
    assert frame.loc["410306", "successor"] == "410308"
    assert frame.loc["410399", "successor"] == "410307 410308"  # 、 accepted, repeat dropped
    assert frame["successor"].isna().tolist() == [False, True, False, False, True, False, True]
    assert frame.loc["410728", "note"] == "2019年撤县设市"
    assert frame.loc["410871", "note"] == "统计用功能区，非行政区划"
    assert pd.isna(frame.loc["410783", "note"])
    assert not units.is_valid("410728", "2019")
    assert units.is_valid("410783", "2019")


def test_successor_and_note_from_a_frame_with_chinese_headers() -> None:
    frame = pd.DataFrame(
        {
            "代码": [410728, 410381],
            "名称": ["长垣县", "偃师市"],
            "后继代码": [410783, "410307"],  # a number as Excel would give it, or text
            "说明": ["撤县设市", None],
        }
    )
    units = Units(frame)
    assert units.frame["successor"].tolist() == ["410783", "410307"]
    assert units.frame.loc["410728", "note"] == "撤县设市"
    for header in ("successor", "successors", "后继", "承继单位"):
        renamed = Units(pd.DataFrame({"code": ["1"], "name": ["a"], header: ["410783"]}))
        assert renamed.frame.loc["1", "successor"] == "410783"
    for header in ("note", "notes", "备注"):
        renamed = Units(pd.DataFrame({"code": ["1"], "name": ["a"], header: ["见说明"]}))
        assert renamed.frame.loc["1", "note"] == "见说明"


def test_read_units_reports_a_bad_successor_with_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "代码,名称,终止年份,后继\n"
        "410728,长垣县,2018,长垣市\n"
        "410322,孟津县,2020,410308 41030\n"
        "410306,吉利区,2020,410308\n"
        "410381,偃师市,2020,4103070\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_units(path)
    problems = caught.value.problems
    assert [(p.code, p.where) for p in problems] == [
        ("data.bad_code", "units.csv!D2"),
        ("data.bad_code", "units.csv!D3"),
        ("data.bad_code", "units.csv!D5"),
    ]
    assert "“长垣市” 不是六位数字的单位代码" in problems[0].zh
    assert "'41030' in the successor '410308 41030' is not a six-digit unit code" in problems[1].en
    assert "4103070" in problems[2].zh


def test_a_bad_successor_in_a_frame_names_row_and_column() -> None:
    frame = pd.DataFrame({"code": ["1", "2"], "name": ["a", "b"], "successor": ["410783", 4107.5]})
    with pytest.raises(InputError) as caught:
        Units(frame)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        ("data.bad_code", "units row 1, column successor")
    ]


def test_an_empty_table_has_every_column() -> None:
    units = Units(pd.DataFrame({"code": [], "name": []}))
    assert len(units) == 0
    assert list(units.frame.columns) == COLUMNS


def test_units_doctests() -> None:
    result = doctest.testmod(units_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_read_units_reports_every_problem_with_its_cell(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "units.xlsx",
        [
            ["代码", "名称", "起始年份", "终止年份"],
            ["410821", "修武县", None, None],
            [None, "博爱县", None, None],
            ["410823", None, None, None],
            ["410821", "修武县", None, None],
            ["410825", "温县", "去年", None],
            ["410826", "某县", 2020, 2010],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_units(path)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        ("data.missing_code", "units.xlsx!单位!A3"),
        ("data.missing_name", "units.xlsx!单位!B4"),
        ("data.duplicate_unit", "units.xlsx!单位!A5"),
        ("data.bad_year", "units.xlsx!单位!C6"),
        ("data.bad_year", "units.xlsx!单位!D7"),
    ]
    assert "units.xlsx!单位!A2" in caught.value.problems[2].zh


def test_read_units_without_name_column(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("code,category\n410821,a\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_units(path)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        ("data.missing_column", "units.csv!A1")
    ]


def test_from_frame_normalises_codes_and_accepts_a_code_index() -> None:
    frame = pd.DataFrame(
        {"名称": ["中原区", "二七区"], "类别": ["a", "b"]}, index=[410102, 410103.0]
    )
    frame.index.name = "代码"
    units = Units.from_frame(frame)
    assert units.codes == ("410102", "410103")
    assert units.categories.tolist() == ["a", "b"]
    assert pd.isna(units.frame.loc["410102", "valid_from"])


def test_from_frame_problems() -> None:
    frame = pd.DataFrame({"code": ["1", "1", None], "name": ["a", None, "c"]})
    with pytest.raises(InputError) as caught:
        Units(frame)
    assert caught.value.codes == ["data.missing_name", "data.duplicate_unit", "data.missing_code"]
    with pytest.raises(InputError) as caught:
        Units(pd.DataFrame({"id": ["1"]}))
    assert caught.value.codes == ["data.missing_column"]


def test_units_are_immutable() -> None:
    units = Units(pd.DataFrame({"code": ["1"], "name": ["a"]}))
    with pytest.raises(AttributeError):
        units._frame = pd.DataFrame()
    copy = units.frame
    copy.loc["1", "name"] = "changed"
    assert units.name("1") == "a"
    with pytest.raises(KeyError, match="no unit with code '2'"):
        units.name("2")
