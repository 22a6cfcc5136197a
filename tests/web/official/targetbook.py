"""Helpers of the targets tests: the targets workbook as openpyxl sees it, filled and sent back
as an uploaded file, and its columns found by their headers."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kaoping.web.official import targets

GDP = "地区生产总值增速（%）"
URBAN = "常住人口城镇化率（%）"


def download(actor: Any, period: Any) -> Workbook:
    """The period's targets workbook, opened."""
    return load_workbook(io.BytesIO(targets.targets_workbook(actor=actor, period=period)))


def as_file(book: Workbook, name: str = "目标值.xlsx") -> SimpleUploadedFile:
    """The workbook as an uploaded file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def column(sheet: Any, text: str, row: int = 2) -> int:
    """The column (1-based) whose header in ``row`` is ``text``."""
    return next(c.column for c in sheet[row] if c.value == text)


def row_of(sheet: Any, code: str) -> int:
    """The row of the unit ``code``."""
    return next(r[0].row for r in sheet.iter_rows(min_row=3) if r[0].value == code)


def put(sheet: Any, code: str, text: str, value: object) -> str:
    """Write ``value`` in the column ``text`` of the unit's row; its cell (``E3``)."""
    cell = sheet.cell(row_of(sheet, code), column(sheet, text))
    cell.value = value
    return str(cell.coordinate)
