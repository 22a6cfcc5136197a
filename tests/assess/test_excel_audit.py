"""The workbook's extra sheets (``write_workbook(..., extra_sheets=...)``) and the statistical
audit's sheet 统计审计 written through them: blocks one under the other, headers styled,
flagged cells filled, missing numbers empty, every column as wide as its widest value, printed
one page wide."""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaoping import errors
from kaoping.assess import Result, assess
from kaoping.assess.excel import MARK_FILL, SheetBlock, write_workbook
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import KaopingWarning
from kaoping.methodology import load


@cache
def demo() -> Result:
    m, units = load("county_hqd"), henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        out = assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)
    assert isinstance(out, Result)
    return out


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    before = errors._language
    errors.set_language("zh")
    yield
    errors._language = before


MARK = str(MARK_FILL.fgColor.rgb)[-6:]


def rgb(cell: Any) -> str | None:
    """A cell's fill colour without its alpha (openpyxl writes 00, XlsxWriter FF; Excel
    ignores it), None when the cell is not filled."""
    fill = cell.fill
    if fill.fill_type != "solid":
        return None
    return str(fill.fgColor.rgb)[-6:]


def width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_blocks_are_written_one_under_the_other(tmp_path: Path) -> None:
    first = pd.DataFrame({"名称": ["甲", "乙"], "值": [1.5, math.nan]})
    second = pd.DataFrame({"代码": ["a_long_indicator_code"], "r": [0.25]})
    marks = pd.DataFrame({"名称": [False, True], "值": [False, True]})
    path = tmp_path / "out.xlsx"
    write_workbook(
        demo(),
        path,
        extra_sheets={"附加": [SheetBlock("第一块", first, marks), SheetBlock("", second)]},
    )
    wb = load_workbook(path)
    assert "综合排名" in wb.sheetnames
    ws = wb["附加"]
    # row 1 title, row 2 header, rows 3-4 values, row 5 blank, row 6 the second header
    assert ws["A1"].value == "第一块"
    assert ws["A1"].font.bold
    assert [ws["A2"].value, ws["B2"].value] == ["名称", "值"]
    assert rgb(ws["A2"]) == "DDEBF7"  # the other sheets' header fill
    assert [ws["A3"].value, ws["B3"].value, ws["B4"].value] == ["甲", 1.5, None]
    assert rgb(ws["A4"]) == MARK
    assert rgb(ws["A3"]) != MARK
    assert ws["A5"].value is None
    assert [ws["A6"].value, ws["A7"].value, ws["B7"].value] == [
        "代码",
        "a_long_indicator_code",
        0.25,
    ]
    assert ws["B7"].number_format == "0.0000"
    assert ws.column_dimensions["A"].width >= width("a_long_indicator_code")
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # printed one page wide:
    assert ws.page_setup.fitToWidth in (1, None)  # 1 wide (the default when not written)
    assert ws.page_setup.fitToHeight == 0  # as many pages down as it takes
    assert ws.page_setup.orientation == "landscape"


def test_without_extra_sheets_the_workbook_is_as_before(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    write_workbook(demo(), path)
    before = load_workbook(path).sheetnames
    path2 = tmp_path / "extra.xlsx"
    write_workbook(demo(), path2, extra_sheets={"附加": []})
    after = before.index("说明") + 1
    assert load_workbook(path2).sheetnames == [*before[:after], "附加", *before[after:]]


def cut_off(ws: Worksheet) -> list[tuple[str, object]]:
    """The cells (not the blocks' titles) wider than their column."""
    titles = {c.row for c in ws["A"] if c.font.bold and ws.cell(c.row, 2).value is None}
    out = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in titles or cell.value is None or cell.font.bold:
                continue
            value = cell.value
            shown = f"{value:.2f}" if isinstance(value, float) and abs(value) >= 1 else value
            if isinstance(value, float) and abs(value) < 1:
                shown = f"{value:.4f}"
            if width(shown) > (ws.column_dimensions[cell.column_letter].width or 8):
                out.append((cell.coordinate, value))
    return out


def test_the_audit_sheet_has_its_four_tables_and_no_value_cut_off(tmp_path: Path) -> None:
    from kaoping.analysis.audit import audit, audit_blocks

    found = audit(demo())
    path = tmp_path / "audit.xlsx"
    write_workbook(demo(), path, extra_sheets={"统计审计": audit_blocks(found)})
    ws = load_workbook(path)["统计审计"]
    titles = [c.value for c in ws["A"] if c.font.bold and ws.cell(c.row, 2).value is None]
    assert [t.split("：")[0].split("（")[0] for t in titles] == [
        "各组内部一致性",
        "指标统计",
        "与上级、综合指数的相关系数",
        "组内需要注意的相关",
    ]
    assert cut_off(ws) == []
    # the flagged cells: the low alphas, the outliers' skewness and kurtosis, the weak r
    marked = {c.coordinate for row in ws.iter_rows() for c in row if rgb(c) == MARK}
    low = int(found.cronbach["low_alpha"].sum())
    outliers = int(found.indicators["outlier"].sum())
    weak = int(found.parent_correlations["flag_parent"].isin(["weak", "negative"]).sum())
    weak += int(found.parent_correlations["flag_index"].isin(["weak", "negative"]).sum())
    assert len(marked) == 2 * low + 3 * outliers + 2 * weak
    # English sheet headers under English
    errors.set_language("en")
    english = audit_blocks(found)
    assert english[0].frame.columns[4] == "Cronbach's alpha"
    assert english[1].title.startswith("Indicator statistics")
