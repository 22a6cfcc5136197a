"""Number, code and period parsing, through the public reader: one cell per case.

Each case writes a one-value CSV (and, for cell types only Excel has, an xlsx) and reads it
back; the expected values are what the text says written out by hand (e.g. "1,234.5" is one
thousand two hundred thirty-four and a half).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.data import read_panel
from kaoping.data._parse import Bad, parse_number
from kaoping.errors import InputError

INDICATORS = {"gdp": "gdp"}


def read_cell(tmp_path: Path, text: str) -> float:
    path = tmp_path / "data.csv"
    path.write_text(f'code,period,gdp\n410102,2024,"{text}"\n', encoding="utf-8")
    panel = read_panel(path, indicators=INDICATORS)
    return float(panel.frame["value"].iloc[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("12.5", 12.5),
        (" 12.5 ", 12.5),
        ("\u300012.5\u3000", 12.5),  # full-width spaces around
        ("１２.５", 12.5),  # full-width digits
        ("１２．５", 12.5),  # full-width digits and full-width point
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("１，２３４", 1234.0),  # full-width comma as a thousands separator
        ("-3.25", -3.25),
        ("－3.25", -3.25),  # full-width hyphen-minus
        ("\u22123.25", -3.25),  # Unicode minus sign
        ("+7", 7.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("2.5E-3", 0.0025),
        ("0", 0.0),
    ],
)
def test_numbers_are_read_leniently_where_unambiguous(
    tmp_path: Path, text: str, expected: float
) -> None:
    assert read_cell(tmp_path, text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", "-", "--", "—", "——", "/", "NA", "na", "N/A", "n/a", "缺", "无数据", "nan"]
)
def test_missing_markers_become_nan_without_error(tmp_path: Path, text: str) -> None:
    assert math.isnan(read_cell(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,3%", "百分号有歧义"),
        ("12.3%", "百分号有歧义"),
        ("12.3％", "百分号有歧义"),
        ("5‰", "百分号有歧义"),
        ("12,3", "不是数字"),  # a decimal comma, or a badly grouped thousands separator
        ("1,23,456", "不是数字"),  # Indian grouping: not thousands
        ("1 234", "不是数字"),
        ("12.5万", "不是数字"),
        ("¥12", "不是数字"),
        ("(12)", "不是数字"),
        ("abc", "不是数字"),
        ("1.2.3", "不是数字"),
        ("无", "不是数字"),  # "none" could mean zero: ambiguous, so not missing
        ("#DIV/0!", "Excel 公式的错误值"),
        ("inf", "不是数字"),
        ("1e999", "超出了数值范围"),
    ],
)
def test_ambiguous_or_bad_text_is_a_problem_naming_the_cell(
    tmp_path: Path, text: str, reason: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_cell(tmp_path, text)
    (problem,) = caught.value.problems
    assert problem.code == "data.not_a_number"
    assert problem.where == "data.csv!C2"
    assert problem.zh.startswith(f'"{text}" ')
    assert reason in problem.zh
    assert f'"{text}" is not a number' in problem.en or "out of the range" in problem.en


def test_percent_problem_message_reads_as_documented(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_cell(tmp_path, "12,3%")
    (problem,) = caught.value.problems
    assert problem.message("zh").startswith('data.csv!C2: "12,3%" 不是数字')
    assert "请去掉 %，按该指标的计量单位填写数字" in problem.zh
    assert "write the number without % in the indicator's unit" in problem.en


def read_xlsx_cell(tmp_path: Path, value: object, number_format: str | None = None) -> float:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["code", "period", "gdp"])
    sheet.append(["410102", "2024", None])
    sheet["C2"].value = value
    if number_format is not None:
        sheet["C2"].number_format = number_format
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    panel = read_panel(path, indicators=INDICATORS)
    return float(panel.frame["value"].iloc[0])


@pytest.mark.parametrize(
    ("value", "expected"), [(12, 12.0), (12.5, 12.5), (-0.25, -0.25), ("1,234.5", 1234.5)]
)
def test_xlsx_numbers(tmp_path: Path, value: object, expected: float) -> None:
    assert read_xlsx_cell(tmp_path, value) == expected


@pytest.mark.parametrize(
    ("value", "number_format", "reason"),
    [
        (True, None, "逻辑值"),
        (dt.datetime(2024, 6, 1), "yyyy-mm-dd", "日期"),
        (0.123, "0.0%", "百分比格式"),  # shows 12.3%: 12.3 or 0.123?
        ("=1+2", None, "没有保存计算结果"),  # openpyxl saves no cached value for formulas
    ],
)
def test_xlsx_cells_that_are_not_plain_numbers_are_problems(
    tmp_path: Path, value: object, number_format: str | None, reason: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_xlsx_cell(tmp_path, value, number_format)
    (problem,) = caught.value.problems
    assert problem.where == "data.xlsx!Sheet1!C2"
    assert reason in problem.zh


def test_percent_formatted_cell_shows_what_excel_displays(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_xlsx_cell(tmp_path, 0.123, "0.0%")
    (problem,) = caught.value.problems
    assert problem.code == "data.not_a_number"
    assert problem.zh.startswith('"12.3%" 不是数字')
    assert "holds 0.123" in problem.en


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (410102, "410102"),
        (410102.0, "410102"),
        ("410102", "410102"),
        ("410102.0", "410102"),
        (" 410102 ", "410102"),
        ("４１０１０２", "410102"),
        ("010203", "010203"),  # leading zeros kept
        ("A-01", "A-01"),  # parks may have non-numeric codes
    ],
)
def test_unit_codes(tmp_path: Path, cell: object, expected: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "period", "gdp"])
    sheet.append([cell, "2024", 1.0])
    path = tmp_path / "codes.xlsx"
    workbook.save(path)
    assert read_panel(path, indicators=INDICATORS).units == (expected,)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (2024, "2024"),
        (2024.0, "2024"),
        ("2024", "2024"),
        ("2024年", "2024"),
        ("2024年度", "2024"),
        ("2024-Q3", "2024-Q3"),
        ("2024q3", "2024-Q3"),
        ("2024 Q3", "2024-Q3"),
        ("2024年第3季度", "2024-Q3"),
        ("2024年第三季度", "2024-Q3"),
        ("2024-06", "2024-06"),
        ("2024-6", "2024-06"),
        ("2024年6月", "2024-06"),
        ("２０２４", "2024"),
    ],
)
def test_periods(tmp_path: Path, cell: object, expected: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "period", "gdp"])
    sheet.append(["410102", cell, 1.0])
    path = tmp_path / "periods.xlsx"
    workbook.save(path)
    assert read_panel(path, indicators=INDICATORS).periods == (expected,)


@pytest.mark.parametrize("cell", ["20243", "2024-13", "2024年3", "去年", 2024.5, 24])
def test_bad_periods_are_problems(tmp_path: Path, cell: object) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["code", "period", "gdp"])
    sheet.append(["410102", cell, 1.0])
    path = tmp_path / "periods.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_panel(path, indicators=INDICATORS)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        ("data.bad_period", "periods.xlsx!Sheet1!B2")
    ]


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{0,12})?", fullmatch=True))
def test_fast_path_for_plain_decimals_agrees_with_the_full_parser(text: str) -> None:
    # a leading space sends the same text down the full parser (clean_text, regexes)
    fast, slow = parse_number(text), parse_number(" " + text)
    assert fast == slow == float(text)


def test_fast_path_does_not_take_what_float_accepts_but_a_cell_must_not() -> None:
    assert isinstance(parse_number("1_000"), Bad)  # float("1_000") would be 1000.0
    assert isinstance(parse_number("1e999"), Bad)  # out of range
    assert isinstance(parse_number("inf"), Bad)
    value = parse_number("nan")  # a "no value" token: missing, not a number
    assert isinstance(value, float)
    assert math.isnan(value)
