"""An empty data-entry workbook (填报模板) for a methodology.

:func:`write_template` writes the xlsx file a county (or the city office) fills in: one row per
unit, one column per indicator headed by its Chinese name and unit, and a second sheet that
explains every indicator (definition, caliber, frequency, data owner, direction).  The filled
file is read back by :func:`kaoping.data.read_panel` as it is: the headers are the
methodology's names, the title row and the notes are skipped.

Example
-------
>>> import tempfile, pathlib
>>> from kaoping.methodology import load
>>> out = pathlib.Path(tempfile.mkdtemp()) / "template.xlsx"
>>> _ = write_template(load("county_hqd"), out, units=[("410883", "孟州市")], period="2024")
>>> from openpyxl import load_workbook
>>> wb = load_workbook(out)
>>> wb.sheetnames, wb["填报表"]["A3"].value, wb["填报表"]["D2"].value
(['填报表', '指标说明'], '410883', '地区生产总值（亿元）')
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.errors import get_language
from kaoping.methodology.model import DIRECTIONS, Indicator, Methodology

__all__ = ["header", "write_template"]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CONSTRAINT_FILL = PatternFill("solid", fgColor="FCE4D6")
_FIRST_ROWS = 400  # rows that get the number check when the template has no units


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


def header(indicator: Indicator) -> str:
    """The column header of an indicator: its Chinese name and unit, ``地区生产总值（亿元）``."""
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name


def write_template(
    methodology: Methodology,
    path: str | os.PathLike[str],
    *,
    units: Iterable[tuple[str, str]] = (),
    period: str | int | None = None,
) -> Path:
    """Write an empty data-entry workbook for ``methodology``.

    Parameters
    ----------
    methodology : Methodology
        Its indicators (scored and constraint) become the columns, in tree order.
    path : str or path-like
        The ``.xlsx`` file to write (replaced if it exists).
    units : iterable of (code, name)
        The rows, pre-filled with code and name; none gives an empty table.
    period : str or int, optional
        Pre-filled in the 年份 column of every unit row.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(
            _t(
                f"模板文件 {out} 的扩展名须为 .xlsx。",
                f"the template {out} must end in .xlsx.",
            )
        )
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # pragma: no cover - a new workbook has one worksheet
        raise TypeError("openpyxl gave no worksheet")
    ws.title = "填报表"
    indicators = methodology.indicators
    keys = ["代码", "名称", "年份"]
    ws.append(
        [
            f"《{methodology.name}》数据填报表：每行一个单位，每列一个指标；数值只填数字"
            "（百分比填 12.5，不带 %）；不详的留空。"
        ]
    )
    ws.append(keys + [header(i) for i in indicators])
    rows = list(units)
    for code, name in rows:
        ws.append([str(code), name, None if period is None else str(period)])
    _style_entry(ws, methodology, indicators, len(keys), max(len(rows), _FIRST_ROWS))
    _explain(wb, methodology, indicators)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _style_entry(
    ws: Worksheet,
    methodology: Methodology,
    indicators: tuple[Indicator, ...],
    nkeys: int,
    nrows: int,
) -> None:
    ws["A1"].font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=3, column=nkeys + 1)
    last_row = nrows + 2
    for col in range(1, nkeys + len(indicators) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = _HEADER_FILL
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 10 if col != 2 else 16
        if col <= nkeys:
            for row in range(3, last_row + 1):
                ws.cell(row=row, column=col).number_format = "@"  # codes and years as text
            continue
        indicator = indicators[col - nkeys - 1]
        ws.column_dimensions[letter].width = 14
        if not indicator.is_scored:
            cell.fill = _CONSTRAINT_FILL
        cell.comment = Comment(_describe(methodology, indicator), "kaoping", width=320, height=160)
    ws.row_dimensions[2].height = 48
    if indicators:
        first = get_column_letter(nkeys + 1)
        last = get_column_letter(nkeys + len(indicators))
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+300",
            formula2="1E+300",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="只能填数字 / Numbers only",
            error="请只填数字，百分比填 12.5（不带 %），不详的留空。"
            " Enter a number only (12.5 for 12.5%), or leave the cell empty.",
        )
        check.add(f"{first}3:{last}{last_row}")
        ws.add_data_validation(check)


def _describe(methodology: Methodology, indicator: Indicator) -> str:
    parent = methodology.parent_of(indicator.id)
    parts = [
        f"{indicator.name}（{indicator.id}）",
        f"方向：{DIRECTIONS[indicator.direction]}"
        + ("，不计分（约束性指标）" if not indicator.is_scored else ""),
    ]
    if parent is not None:
        parts.append(f"维度：{parent.name}")
    for label, value in (
        ("单位", indicator.unit),
        ("定义", indicator.definition),
        ("口径", indicator.caliber),
        ("频率", indicator.frequency),
        ("数据提供部门", indicator.owner),
    ):
        if value:
            parts.append(f"{label}：{value}")
    return "\n".join(parts)


def _explain(wb: Workbook, methodology: Methodology, indicators: tuple[Indicator, ...]) -> None:
    ws = wb.create_sheet("指标说明")
    columns = [
        ("指标代码", 22),
        ("指标名称", 28),
        ("英文名称", 36),
        ("单位", 12),
        ("方向", 10),
        ("所属维度", 12),
        ("定义", 60),
        ("统计口径", 50),
        ("频率", 8),
        ("数据提供部门", 18),
        ("表头写法", 30),
    ]
    ws.append([name for name, _ in columns])
    for indicator in indicators:
        parent = methodology.parent_of(indicator.id)
        direction = DIRECTIONS[indicator.direction]
        if indicator.direction == "moderate" and indicator.optimum is not None:
            direction += f"（最优值 {indicator.optimum:g}）"
        if not indicator.is_scored:
            direction += "，不计分"
        ws.append(
            [
                indicator.id,
                indicator.name,
                indicator.name_en or "",
                indicator.unit or "",
                direction,
                parent.name if parent is not None else "",
                indicator.definition or "",
                indicator.caliber or "",
                indicator.frequency or "",
                indicator.owner or "",
                header(indicator),
            ]
        )
    for col, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "C2"
