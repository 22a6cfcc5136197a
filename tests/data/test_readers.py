"""read_panel: layouts, headers, encodings, and every problem reported with its exact cell.

The files are written here with openpyxl or as text; the expected values and cell addresses are
read off the rows as written (row 1 is the first row of the sheet, column A the first column).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.data import Units, read_panel
from kaoping.errors import InputError

INDICATORS = {
    "gdp_pc": "gdp_pc",
    "人均GDP": "gdp_pc",
    "GDP per capita": "gdp_pc",
    "urban": "urban",
    "城镇化率": "urban",
    "Urbanisation rate": "urban",
    "rd": "rd",
    "研发投入强度": "rd",
    "R&D intensity": "rd",
}


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def problems_of(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str | None]]:
    return [(p.code, p.where) for p in error.value.problems]


# -- wide layout -----------------------------------------------------------------------


def test_wide_xlsx_with_english_headers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "data.xlsx",
        [
            ["code", "name", "period", "GDP per capita", "Urbanisation rate"],
            ["410821", "Xiuwu", "2024", 86200, 55.2],
            ["410822", "Bo'ai", "2024", 91000.5, None],
        ],
    )
    panel = read_panel(path, indicators=INDICATORS)
    matrix = panel.matrix("2024", ["gdp_pc", "urban"])
    expected = pd.DataFrame(
        {"gdp_pc": [86200.0, 91000.5], "urban": [55.2, np.nan]},
        index=pd.Index(["410821", "410822"], name="unit"),
    )
    pd.testing.assert_frame_equal(matrix, expected, check_names=False, check_index_type=False)
    assert panel.names == {"410821": "Xiuwu", "410822": "Bo'ai"}
    locations = panel.locations("2024", ["gdp_pc", "urban"])
    assert locations.loc["410821", "gdp_pc"] == "data.xlsx!Sheet1!D2"
    assert locations.loc["410822", "urban"] == "data.xlsx!Sheet1!E3"
    assert set(panel.frame["source"]) == {"data.xlsx"}
    (gap,) = panel.missing("2024", ["gdp_pc", "urban"])
    assert gap.code == "data.missing_value"
    assert gap.where == "data.xlsx!Sheet1!E3"


def test_wide_csv_with_chinese_headers_units_in_brackets_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "区划代码,名称,年份,人均GDP（元）,城镇化率（%）,研发投入强度\n"
        '410821,修武县,2024,"86,200",55.2,1.8\n'
        "410822,博爱县,2024,91000,—,2.1\n",
        encoding="utf-8-sig",
    )
    panel = read_panel(path, indicators=INDICATORS)
    assert panel.indicators == ("gdp_pc", "urban", "rd")
    assert panel.names == {"410821": "修武县", "410822": "博爱县"}
    matrix = panel.matrix("2024", ["rd", "gdp_pc"])
    assert matrix.loc["410821"].tolist() == [1.8, 86200.0]
    assert math.isnan(panel.matrix("2024", ["urban"]).loc["410822", "urban"])
    assert panel.locations("2024", ["urban"]).loc["410822", "urban"] == "data.csv!E3"


def test_gbk_csv_as_written_by_chinese_excel(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    text = "代码,名称,年份,城镇化率\r\n410821,修武县,2024,55.2\r\n410823,武陟县,2024,48.0\r\n"
    path.write_bytes(text.encode("gbk"))
    panel = read_panel(path, indicators=INDICATORS)
    assert panel.names == {"410821": "修武县", "410823": "武陟县"}
    assert panel.matrix("2024", ["urban"])["urban"].tolist() == [55.2, 48.0]


def test_title_row_above_header_shifts_addresses(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "data.xlsx",
        [
            ["2024年焦作市县域经济主要指标"],
            [],
            ["序号", "代码", "单位", "人均GDP", "备注"],
            [1, 410821, "修武县", 86200, "快报数"],
            [2, 410822.0, "博爱县", None, None],
            [],
            ["注：数据来源于市统计局。"],
        ],
    )
    panel = read_panel(path, indicators=INDICATORS, period="2024")
    assert panel.units == ("410821", "410822")  # codes typed as numbers become text
    assert panel.periods == ("2024",)
    locations = panel.locations("2024", ["gdp_pc"])
    assert locations["gdp_pc"].tolist() == ["data.xlsx!Sheet1!D4", "data.xlsx!Sheet1!D5"]
    assert [p.where for p in panel.missing("2024", ["gdp_pc"])] == ["data.xlsx!Sheet1!D5"]


def test_named_sheet_and_several_periods(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "说明"
    first.append(["本工作簿的说明"])
    data = workbook.create_sheet("数据")
    data.append(["代码", "时期", "urban"])
    data.append(["410821", "2023年", 54.0])
    data.append(["410821", "2024年", 55.2])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    panel = read_panel(path, indicators=INDICATORS, sheet="数据")
    assert panel.periods == ("2023", "2024")
    assert panel.matrix("2023", ["urban"]).iloc[0, 0] == 54.0
    only = read_panel(path, indicators=INDICATORS, sheet="数据", period="2024")
    assert only.periods == ("2024",)
    assert only.frame["location"].tolist() == ["book.xlsx!数据!C3"]


def test_header_matching_ignores_case_width_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("CODE,Period, gdp  PER capita ,ＵＲＢＡＮ\n410821,2024,1,2\n", encoding="utf-8")
    panel = read_panel(path, indicators=INDICATORS)
    assert panel.indicators == ("gdp_pc", "urban")


# -- long layout -----------------------------------------------------------------------


def test_long_xlsx_with_indicator_names_in_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["代码", "名称", "指标", "年份", "数值", "数据来源"],
            ["410821", "修武县", "人均GDP", 2024, 86200, "统计局"],
            ["410821", "修武县", "urban", 2024, "55.2", "统计局"],
            ["410822", "博爱县", "GDP per capita", 2024, "缺", None],
        ],
    )
    panel = read_panel(path, indicators=INDICATORS)
    matrix = panel.matrix("2024", ["gdp_pc", "urban"])
    assert matrix.loc["410821"].tolist() == [86200.0, 55.2]
    assert math.isnan(matrix.loc["410822", "gdp_pc"])
    assert math.isnan(matrix.loc["410822", "urban"])
    missing = panel.missing("2024", ["gdp_pc", "urban"])
    # the empty value cell exists in the file; urban for 410822 has no row at all
    assert [p.where for p in missing] == ["long.xlsx!Sheet1!E4", "410822/urban/2024"]
    assert "mean|median|category_mean|carry_forward|skip" in missing[0].en


def test_long_csv_english_headers_and_period_argument(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("unit,indicator,value\n410821,rd,1.8\n410822,rd,2.1\n", encoding="utf-8")
    panel = read_panel(path, indicators=INDICATORS, period=2024, layout="long")
    assert panel.periods == ("2024",)
    assert panel.matrix("2024", ["rd"])["rd"].tolist() == [1.8, 2.1]
    assert panel.frame["location"].tolist() == ["long.csv!C2", "long.csv!C3"]


def test_long_layout_problems(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["unit", "indicator", "period", "value"],
            ["410821", "rd", "2024", 1.8],
            ["410821", "R&D intensity", "2024", 1.9],  # the same indicator again
            ["410822", "研发投入强", "2024", 2.0],  # typo
            ["410822", None, "2024", 2.0],
            ["410823", "urban", None, "x"],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS)
    assert problems_of(caught) == [
        ("data.duplicate", "long.xlsx!Sheet1!D3"),
        ("data.unknown_indicator", "long.xlsx!Sheet1!B4"),
        ("data.missing_indicator", "long.xlsx!Sheet1!B5"),
        ("data.missing_period", "long.xlsx!Sheet1!C6"),
        ("data.not_a_number", "long.xlsx!Sheet1!D6"),
    ]
    duplicate, unknown = caught.value.problems[:2]
    assert "long.xlsx!Sheet1!D2" in duplicate.zh
    assert "long.xlsx!Sheet1!D2" in duplicate.en
    assert "研发投入强度" in unknown.zh
    assert "(rd)" in unknown.en


def test_forced_long_layout_without_indicator_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["code", "period", "rd"], ["410821", "2024", 1.0]])
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, layout="long")
    assert problems_of(caught) == [
        ("data.missing_column", "d.xlsx!Sheet1!A1"),
        ("data.missing_column", "d.xlsx!Sheet1!A1"),
    ]


# -- every problem at once ---------------------------------------------------------------


def test_a_file_with_many_errors_reports_every_one_with_its_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    rows: list[list[object]] = [
        ["2024年焦作市县域经济主要指标"],
        [
            "序号",
            "区划代码",
            "名称",
            "人均GDP（元）",
            "城镇化率（%）",
            "研发投入强度",
            "研发投入强度x",
        ],
        [1, 410821, "修武县", "86,200", 55.2, 2.1, 1],
        [2, "410822", "博爱县", "12,3%", "—", 1.8, 1],
        [3, "410823", "武陟县", "abc", 48, None, 1],
        [4, None, "合计", 1, 2, 3, 1],
        [5, "410821", "修武县", 1, 2, 3, 1],
        [6, "410899", "某某县", 1, 2, 3, 1],
        [7, "410825", "温县", True, 0.5, 3, 1],
        ["注：数据来源于市统计局。"],
    ]
    for row in rows:
        sheet.append(row)
    sheet["E9"].number_format = "0%"
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    units = Units(
        pd.DataFrame(
            {
                "code": ["410821", "410822", "410823", "410825"],
                "name": ["修武县", "博爱县", "武陟县", "温县"],
            }
        )
    )
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, units=units, period="2024")
    assert problems_of(caught) == [
        ("data.unknown_indicator", "data.xlsx!Sheet1!G2"),
        ("data.not_a_number", "data.xlsx!Sheet1!D4"),
        ("data.not_a_number", "data.xlsx!Sheet1!D5"),
        ("data.missing_code", "data.xlsx!Sheet1!B6"),
        ("data.duplicate", "data.xlsx!Sheet1!B7"),
        ("data.unknown_unit", "data.xlsx!Sheet1!B8"),
        ("data.not_a_number", "data.xlsx!Sheet1!D9"),
        ("data.not_a_number", "data.xlsx!Sheet1!E9"),
    ]
    text = caught.value.message("zh").splitlines()
    assert text[1].startswith('data.xlsx!Sheet1!D4: "12,3%" 不是数字')
    assert text[4] == (
        "data.xlsx!Sheet1!B7: 单位 410821 在 2024 有两行：data.xlsx!Sheet1!B3 和 "
        "data.xlsx!Sheet1!B7。请删除或合并其中一行。"
    )
    assert "是否是 “研发投入强度”（rd）" in text[0]
    english = caught.value.message("en").splitlines()
    assert english[5].startswith("data.xlsx!Sheet1!B8: unit code 410899 is not in the units")


def test_problems_in_a_csv_name_the_cell_without_a_sheet(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("code,period,rd,foo\n410821,2024,1%,1\n,2024,2,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS)
    assert problems_of(caught) == [
        ("data.unknown_indicator", "data.csv!D1"),
        ("data.not_a_number", "data.csv!C2"),
        ("data.missing_code", "data.csv!A3"),
    ]


def test_unknown_unit_suggests_the_code_of_the_same_name(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["代码", "名称", "年份", "rd"],
            ["410812", "修武县", "2024", 1],
            ["410812", "修武县", "2023", 1],
        ],
    )
    units = Units(pd.DataFrame({"code": ["410821"], "name": ["修武县"]}))
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, units=units)
    (problem,) = caught.value.problems
    assert problem.where == "d.xlsx!Sheet1!A2"
    assert "单位表中 修武县 的代码是 410821" in problem.zh
    assert "d.xlsx!Sheet1!A3" in problem.zh  # the other row with the same code


def test_unit_outside_its_years_of_validity(tmp_path: Path) -> None:
    # 长垣县 (410728) became 长垣市 (410783) in 2019.
    units = Units(
        pd.DataFrame(
            {
                "code": ["410728", "410783"],
                "name": ["长垣县", "长垣市"],
                "valid_to": [2018, None],
                "valid_from": [None, 2019],
            }
        )
    )
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["代码", "年份", "rd"],
            ["410728", "2018", 1],
            ["410728", "2020", 1],
            ["410783", "2020", 1],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, units=units)
    assert problems_of(caught) == [("data.unit_not_valid", "d.xlsx!Sheet1!A3")]
    assert "–2018" in caught.value.problems[0].zh


def test_header_problems(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["code", "code", "rd", "研发投入强度", None, "urban"],
            ["410821", "410821", 1, 2, 5, 3],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS)
    assert problems_of(caught) == [
        ("data.duplicate_column", "d.xlsx!Sheet1!B1"),
        ("data.duplicate_column", "d.xlsx!Sheet1!D1"),
        ("data.missing_header", "d.xlsx!Sheet1!E1"),
        ("data.missing_column", "d.xlsx!Sheet1!A1"),  # no period column and no period=
    ]
    assert "d.xlsx!Sheet1!C1" in caught.value.problems[1].en


def test_no_header_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["单位", "rd"], ["修武县", 1]])
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS)
    assert problems_of(caught) == [("data.no_header", "d.xlsx!Sheet1")]


def test_header_without_rows_and_empty_files(tmp_path: Path) -> None:
    header_only = write_xlsx(tmp_path / "h.xlsx", [["code", "period", "rd"]])
    with pytest.raises(InputError) as caught:
        read_panel(header_only, indicators=INDICATORS)
    assert problems_of(caught) == [("data.empty_file", "h.xlsx!Sheet1")]
    empty_csv = tmp_path / "e.csv"
    empty_csv.write_text("\n \n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_panel(empty_csv, indicators=INDICATORS)
    assert problems_of(caught) == [("data.empty_file", "e.csv")]
    empty_sheet = write_xlsx(tmp_path / "s.xlsx", [])
    with pytest.raises(InputError) as caught:
        read_panel(empty_sheet, indicators=INDICATORS)
    assert problems_of(caught) == [("data.empty_file", "s.xlsx!Sheet1")]


def test_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["code"]], title="2024")
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, sheet="2023")
    (problem,) = caught.value.problems
    assert (problem.code, problem.where) == ("data.missing_sheet", "d.xlsx")
    assert "现有：2024" in problem.zh
    assert "it has: 2024" in problem.en


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_panel(tmp_path / "nope.xlsx", indicators=INDICATORS)
    assert caught.value.codes == ["data.file_not_found"]
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(InputError) as caught:
        read_panel(old, indicators=INDICATORS)
    assert caught.value.codes == ["data.unreadable_file"]
    assert ".xls" in caught.value.problems[0].zh
    fake = tmp_path / "fake.xlsx"
    fake.write_text("code,period\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_panel(fake, indicators=INDICATORS)
    assert caught.value.codes == ["data.unreadable_file"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(50))
    with pytest.raises(InputError) as caught:
        read_panel(broken, indicators=INDICATORS)
    assert caught.value.codes == ["data.unreadable_file"]
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"code\n\x81\x30\xff\xff\n")  # neither UTF-8 nor GB18030
    with pytest.raises(InputError) as caught:
        read_panel(binary, indicators=INDICATORS)
    assert caught.value.codes == ["data.unreadable_file"]


def test_sheet_given_for_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("code,period,rd\n410821,2024,1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, sheet="Sheet1")
    assert caught.value.codes == ["data.missing_sheet"]


def test_bad_arguments(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("code,period,rd\n410821,2024,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="layout"):
        read_panel(path, indicators=INDICATORS, layout="tall")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two indicators"):
        read_panel(path, indicators={"GDP": "gdp", "gdp": "gdp_total"})
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS, period="last year")
    assert caught.value.codes == ["data.bad_period"]


def test_tab_separated_text(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("code\tperiod\trd\n410821\t2024\t1.5\n", encoding="utf-8")
    panel = read_panel(path, indicators=INDICATORS)
    assert panel.frame["value"].tolist() == [1.5]
    assert panel.frame["location"].tolist() == ["d.txt!C2"]


def test_plain_and_formatted_cells_read_as_parse_number_reads_them_one_by_one(
    tmp_path: Path,
) -> None:
    # The wide reader parses plain cells (ASCII digits, optional decimals) of a whole file at
    # once and every other cell one by one; the reference is kaoping.data.parse_number applied
    # to each cell as written, which must give the same values, and the cell addresses.
    from kaoping.data._parse import parse_number

    cells = [
        ["12", "-3.5", "1,234.5"],
        [" 12 ", "１２.５", "—"],
        ["007", "1e3", "0.000"],
        ["12.", "", "3"],
    ]
    lines = ["code,period,gdp_pc,urban,rd"]
    lines += [f"41080{i},2024," + ",".join(f'"{c}"' for c in row) for i, row in enumerate(cells)]
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    panel = read_panel(path, indicators=INDICATORS)
    matrix = panel.matrix("2024", ["gdp_pc", "urban", "rd"])
    for i, row in enumerate(cells):
        for j, raw in enumerate(row):
            expected = parse_number(raw or None)
            assert isinstance(expected, float)
            got = matrix.iloc[i, j]
            assert got == expected or (math.isnan(got) and math.isnan(expected)), (raw, got)
    where = panel.locations("2024", ["rd"])
    assert where.loc["410803", "rd"] == "data.csv!E5"


_PLAIN = st.from_regex(r"\A-?[0-9]{1,20}(\.[0-9]{0,20})?\Z")
_CELL = st.one_of(
    _PLAIN,
    _PLAIN,
    st.sampled_from(["", " 12 ", "1,234.5", "—", "NA", "１２.５", "1e3", "-", "abc"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    grid=st.integers(1, 3).flatmap(
        lambda width: st.lists(
            st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=6
        )
    )
)
def test_any_grid_of_cells_reads_as_parse_number_reads_each_cell(
    tmp_path: Path, grid: list[list[str]]
) -> None:
    # Property: whichever path a row takes (all plain: joined and parsed at once; otherwise
    # cell by cell), every value is what kaoping.data.parse_number makes of its cell as
    # written -- plain decimals exactly float(text) -- and a bad cell is reported at its
    # address.  Rows of one, two or three indicators, trailing empty cells included.
    from kaoping.data._parse import Bad, parse_number

    names = ["gdp_pc", "urban", "rd"][: len(grid[0])]
    lines = ["code,period," + ",".join(names)]
    lines += [f"4108{i:02d},2024," + ",".join(f'"{c}"' for c in row) for i, row in enumerate(grid)]
    path = tmp_path / "grid.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [[parse_number(c or None) for c in row] for row in grid]
    bad = {
        f"grid.csv!{'CDE'[j]}{i + 2}"
        for i, row in enumerate(expected)
        for j, value in enumerate(row)
        if isinstance(value, Bad)
    }
    if bad:
        with pytest.raises(InputError) as error:
            read_panel(path, indicators=INDICATORS)
        assert {p.where for p in error.value.problems} == bad
        return
    matrix = read_panel(path, indicators=INDICATORS).matrix("2024", names)
    got = matrix.to_numpy()
    want = np.array(expected, dtype=np.float64)
    assert np.array_equal(got, want, equal_nan=True)


def test_column_letters_are_excel_s() -> None:
    # addresses name columns as Excel does; openpyxl's get_column_letter is the reference, over
    # every column a sheet can have (A .. XFD = 16,384)
    from openpyxl.utils import get_column_letter

    from kaoping.data._sheet import _letter

    assert [_letter(c) for c in range(1, 16_385)] == [
        get_column_letter(c) for c in range(1, 16_385)
    ]
