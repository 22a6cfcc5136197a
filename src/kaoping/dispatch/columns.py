"""Sheets of :class:`~kaoping.dispatch.schema.Column`\\ s, read with every bad cell named and
written as templates to fill: what the dispatch's sheets (:mod:`kaoping.dispatch.sheets`) and
the chain workbook (:mod:`kaoping.chains.sheets`) have in common.

Reading: :func:`load` takes a path or an upload (bounded by
:data:`~kaoping.data._sheet.MAX_FILE_BYTES`, an upload named by its base name, never a server
path) and gives the :class:`~kaoping.data._sheet.Grid` of each sheet asked for;
:func:`read_sheet` finds the header in the first ten rows (Chinese, English, the field name or
an alias, with or without a unit in brackets), parses every cell by its column's kind
(:func:`parse_cell`) and returns the frame with ``_row`` (the sheet's row number),
``attrs["source"]`` (``名称.xlsx!项目库``) and ``attrs["columns"]`` (field name -> column
letter), together with every problem of the header and the cells, each naming its cell.  The
problem codes take the caller's prefix (``dispatch.not_a_number``, ``chains.bad_choice``).

Writing: :func:`template_sheet` (styled header, the required columns shaded, a comment on each
header, data validation for choices, flags and numbers, text and date formats, widths that
show the headers, the header row frozen), :func:`guide_sheet` (填表说明: each column in Chinese
and English, then notes) and :func:`save` (optionally with fixed times, so that the same
workbook is the same bytes).

Example
-------
>>> from openpyxl import Workbook
>>> from kaoping.dispatch.schema import Column
>>> cols = (Column("id", "编号", "id", "code", True), Column("n", "数量", "count", "number"))
>>> wb = Workbook()
>>> _ = template_sheet(wb, "表", cols, [["A1", "12x"]])
>>> read = read_sheet(load(io.BytesIO(save(wb)), name="x.xlsx").grid("表"), cols,
...                   prefix="demo", required=["id"])
>>> [(p.code, p.where) for p in read.problems]
[('demo.not_a_number', 'x.xlsx!表!B2')]
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from kaoping._files import read_regular
from kaoping.data._parse import (
    MISSING_TOKENS,
    Bad,
    clean_text,
    header_key,
    header_key_without_unit,
    parse_code,
    parse_number,
    parse_period,
    show,
)
from kaoping.data._sheet import MAX_FILE_BYTES, Grid, grid_from_bytes, is_blank, load_grid
from kaoping.data._xlsx_write import HEADER_FILL, style_reference
from kaoping.dispatch.schema import Column, column
from kaoping.errors import InputError, Problem

__all__ = [
    "BLANK_ROWS",
    "FIXED_TIME",
    "GUIDE_HEADS",
    "GUIDE_SHEET",
    "KIND_LABELS",
    "NEGATIVE_FIX",
    "Read",
    "Upload",
    "display_width",
    "guide_row",
    "guide_sheet",
    "load",
    "parse_cell",
    "plain",
    "read_sheet",
    "save",
    "template_sheet",
    "validation",
]

GUIDE_SHEET: Final = "填表说明"
"""The sheet of a template that explains its columns."""
BLANK_ROWS: Final = 200
"""Rows of an empty template that get the data validation and the cell formats."""
FIXED_TIME: Final = dt.datetime(2000, 1, 1)
"""The workbook properties' times (created, modified) of :func:`save` with ``fixed=True``."""
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)  # the zip entries' timestamp (the earliest a zip holds)
NEGATIVE_FIX: Final = ("请填写 0 或正数。", "write 0 or more.")
"""The fix :func:`parse_cell` gives for a negative number (zh, en), unless told another."""

_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_GREY_FILL = PatternFill("solid", fgColor="E7E6E6")
_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无"})
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_TEXT = re.compile(r"\d{4}-\d{2}")
_BAD_CODES: Final = {
    "number": "not_a_number",
    "date": "bad_date",
    "choice": "bad_choice",
    "bool": "bad_flag",
    "month": "bad_month",
    "code": "bad_code",
}
"""Column kind -> the code (after the prefix) of a cell that cannot be read as one."""


# -- the file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file read once (a workbook or a CSV), and the name messages give it."""

    source: str
    """What messages call the file: the name given, else its base name."""
    content: bytes

    def grid(self, sheet: str | None) -> Grid:
        """The cells of the sheet called ``sheet`` (None: the first, or the CSV file).

        Raises
        ------
        kaoping.errors.InputError
            As :func:`kaoping.data._sheet.grid_from_bytes`: ``data.missing_sheet`` when there is
            no such sheet, ``data.empty_file``, ``data.unreadable_file``, ``data.damaged_*``.
        """
        return grid_from_bytes(self.content, self.source, sheet)


def load(file: str | os.PathLike[str] | IO[bytes], *, name: str | None = None) -> Upload:
    """Read ``file`` — a path (a regular file) or a binary file-like object (an upload) — of
    at most :data:`~kaoping.data._sheet.MAX_FILE_BYTES`.

    An upload is named by the base name of ``name`` (else of its ``name`` attribute, else
    ``upload.xlsx``): a message never shows a server path.  A path is named ``name``, else its
    file name.

    Raises
    ------
    kaoping.errors.InputError
        ``data.file_not_found``, ``data.unreadable_file`` (not a regular file, too large).
    """
    if isinstance(file, str | os.PathLike):
        source = name or Path(file).name or os.fspath(file)
        try:
            content = read_regular(file, MAX_FILE_BYTES)
        except OSError:
            load_grid(file)  # raises the problem that names it: not found, a folder, too large
            raise
        return Upload(source, content)
    content = file.read(MAX_FILE_BYTES + 1)
    source = name or str(getattr(file, "name", "") or "upload.xlsx")
    source = Path(source).name or source  # an upload never names a server path
    if len(content) > MAX_FILE_BYTES:
        raise InputError(
            [
                Problem(
                    "data.unreadable_file",
                    f"无法读取文件：文件超过了 {MAX_FILE_BYTES:,} 字节的上限。"
                    "请只保留需要的工作表和数据。",
                    f"cannot read the file: it has more than the limit of "
                    f"{MAX_FILE_BYTES:,} bytes; keep only the sheets and data needed.",
                    source,
                )
            ]
        )
    return Upload(source, content)


# -- the cells -------------------------------------------------------------------------------


def _keys(columns: Sequence[Column]) -> dict[str, Column]:
    """Header key -> column, for the Chinese header, the English one, the field name and the
    aliases, each also without a trailing unit in brackets."""
    keys: dict[str, Column] = {}
    for col in columns:
        for text in (col.zh, col.en, col.name, *col.aliases):
            key = header_key(text)
            keys.setdefault(key, col)
            bare = header_key_without_unit(key)
            if bare:
                keys.setdefault(bare, col)
    return keys


def _match(keys: dict[str, Column], raw: object) -> Column | None:
    """The column a header names: exactly (also without its unit), else the one column whose
    Chinese header starts with it (``当年累计`` for 当年累计完成投资（万元）)."""
    key = header_key(raw).lstrip("*")
    if key in keys:
        return keys[key]
    bare = header_key_without_unit(key)
    if bare and bare in keys:
        return keys[bare]
    stem = bare or key
    if len(stem) < 2:
        return None
    starts = {id(c): c for k, c in keys.items() if k.startswith(stem) and c.zh[0] == stem[0]}
    return next(iter(starts.values())) if len(starts) == 1 else None


def _known(columns: Sequence[Column]) -> tuple[str, str]:
    return "、".join(c.zh for c in columns), ", ".join(c.en for c in columns)


def _date(raw: object) -> pd.Timestamp | Bad | None:
    """A date cell: an Excel date, or text ``2026-03-15``, ``2026/3/15``, ``2026年3月15日``,
    ``20260315``; a month alone (``2026-03``, ``2026年3月``) is its first day."""
    fix_zh = "请填写日期，如 2026-03-15（或设为 Excel 的日期格式）；不详的留空。"
    fix_en = (
        "write a date such as 2026-03-15 (or use an Excel date cell); leave it empty if unknown."
    )
    if raw is None:
        return None
    if isinstance(raw, dt.datetime | dt.date):
        return pd.Timestamp(raw).normalize()
    if not isinstance(raw, str):
        return Bad(f'"{show(raw)}" 不是日期。{fix_zh}', f'"{show(raw)}" is not a date; {fix_en}')
    text = clean_text(raw)
    if text.casefold() in MISSING_TOKENS:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        day = int(match.group(3)) if match.group(3) else 1
        try:
            return pd.Timestamp(dt.date(year, month, day))
        except ValueError:
            return Bad(
                f'"{raw}" 不是存在的日期（{year} 年 {month} 月没有 {day} 日，或月份不在 1–12）。'
                f"{fix_zh}",
                f'"{raw}" is not a date that exists (month {month} of {year} has no day {day}, '
                f"or the month is not 1-12); {fix_en}",
            )
    return Bad(f'"{raw}" 不是日期。{fix_zh}', f'"{raw}" is not a date; {fix_en}')


def _flag(raw: object) -> bool | Bad | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = clean_text(str(raw)).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text in MISSING_TOKENS:
        return None
    return Bad(
        f'"{show(raw)}" 不是“是”或“否”。请填写 是 或 否（也可写 Y/N、1/0）；不详的留空。',
        f'"{show(raw)}" is not yes or no; write 是 or 否 (Y/N or 1/0 also work); leave it '
        "empty if unknown.",
    )


def _month(raw: object) -> str | Bad | None:
    if raw is None:
        return None
    if isinstance(raw, dt.datetime | dt.date):  # Excel turns 2026-03 into a date
        return f"{raw.year:04d}-{raw.month:02d}"
    period = parse_period(raw)
    if period is None or isinstance(period, Bad):
        return period
    if not _MONTH_TEXT.fullmatch(period):
        return Bad(
            f'"{show(raw)}" 不是月份。请按 2026-03 或 2026年3月 的形式填写月份。',
            f'"{show(raw)}" is not a month; write the month as 2026-03.',
        )
    return period


def parse_cell(col: Column, raw: object, *, negative_fix: tuple[str, str] = NEGATIVE_FIX) -> object:
    """The value of one cell of ``col``: None (NaN for a number) when empty, else a float
    (``number``, never negative; ``longitude``/``latitude`` in degrees), a code as text, a
    :class:`pandas.Timestamp` (``date``), True/False (``bool``: 是/否, Y/N, 1/0), ``YYYY-MM``
    (``month``), one of the choices, or text; a :class:`~kaoping.data._parse.Bad` saying what
    is wrong and the fix when it is none of these (``negative_fix``: the fix of a negative
    number, zh and en).

    >>> parse_cell(Column("d", "签约时间", "signed on", "date"), "2026年3月15日")
    Timestamp('2026-03-15 00:00:00')
    >>> parse_cell(Column("p", "位置", "position", "choice", choices=("上游",)), "侧游").en
    '"侧游" is not one of the values of position; choose one of: 上游.'
    """
    if col.kind == "number":
        number = parse_number(raw)
        if isinstance(number, Bad) or math.isnan(number):
            return number
        if col.name == "longitude" and not -180 <= number <= 180:
            return Bad(
                f"经度 {show(raw)} 不在 -180 至 180 之间。请填写以度为单位的经度（如 113.24）。",
                f"longitude {show(raw)} is not between -180 and 180; write it in degrees "
                "(e.g. 113.24).",
            )
        if col.name == "latitude" and not -90 <= number <= 90:
            return Bad(
                f"纬度 {show(raw)} 不在 -90 至 90 之间。请填写以度为单位的纬度（如 35.21）。",
                f"latitude {show(raw)} is not between -90 and 90; write it in degrees "
                "(e.g. 35.21).",
            )
        if col.name not in ("longitude", "latitude") and number < 0:
            return Bad(
                f"{show(raw)} 是负数，{col.zh}不能为负。{negative_fix[0]}",
                f"{show(raw)} is negative, and {col.en} cannot be; {negative_fix[1]}",
            )
        return number
    if col.kind == "code":
        return parse_code(raw)
    if col.kind == "date":
        return _date(raw)
    if col.kind == "bool":
        return _flag(raw)
    if col.kind == "month":
        return _month(raw)
    if raw is None:
        return None
    text = clean_text(show(raw)) if not isinstance(raw, str) else clean_text(raw)
    if col.kind == "choice":
        if not text or text.casefold() in MISSING_TOKENS:
            return None
        if text not in col.choices:
            listed = "、".join(col.choices)
            return Bad(
                f'"{text}" 不是{col.zh}的可选值。请从下列值中选一个：{listed}。',
                f'"{text}" is not one of the values of {col.en}; choose one of: '
                f"{', '.join(col.choices)}.",
            )
        return text
    if isinstance(raw, dt.datetime | dt.date):
        return raw.strftime("%Y-%m-%d")
    kept = raw.strip() if isinstance(raw, str) else text  # names keep their full-width brackets
    return kept or None


# -- the sheet -------------------------------------------------------------------------------


@dataclass
class Read:
    """A sheet read: its frame and every problem of its header and cells."""

    frame: pd.DataFrame
    problems: list[Problem]


def read_sheet(
    grid: Grid,
    columns: Sequence[Column],
    *,
    prefix: str,
    required: Iterable[str],
    identity: Collection[str] | None = None,
    negative_fix: tuple[str, str] = NEGATIVE_FIX,
) -> Read:
    """The frame of a sheet of ``columns`` (header in one of the first ten rows), and every
    problem of its header and its cells, each naming its cell.

    Parameters
    ----------
    grid : Grid
        The sheet (:meth:`Upload.grid`).
    columns : sequence of Column
        The columns the sheet may have.
    prefix : str
        The problems' codes are ``{prefix}.unknown_column``, ``.duplicate_column``,
        ``.missing_column``, ``.not_a_number``, ``.bad_date``, ``.bad_choice``,
        ``.bad_flag``, ``.bad_month``, ``.bad_code``, ``.bad_cell``, ``.required``.
    required : iterable of str
        The fields whose column must be there and whose cells must be filled.
    identity : collection of str, optional
        Fields a template fills in itself: a row with nothing else filled is left out (a
        project not reported yet).  None: only an empty row is left out.
    negative_fix : (str, str)
        The fix of a negative number, zh and en (:func:`parse_cell`).

    Returns
    -------
    Read
        The frame: every column of ``columns`` (absent ones empty: NaN for numbers, else
        None), numbers as float64, dates as datetimes, the rest objects with None for empty,
        then ``_row``; ``attrs["source"]`` is ``grid.name`` and ``attrs["columns"]`` maps each
        field found to its column letter.  A bad cell is None in the frame.

    Raises
    ------
    kaoping.errors.InputError
        ``{prefix}.no_header``: no row of the first ten names two of the columns (or is a
        single cell naming one).
    """
    keys = _keys(columns)
    problems: list[Problem] = []
    header_at = None
    for position, (_, values) in enumerate(grid.rows[:10]):
        hits = [v for v in values if not is_blank(v) and _match(keys, v) is not None]
        if len(hits) >= 2 or (hits and len([v for v in values if not is_blank(v)]) == 1):
            header_at = position
            break
    if header_at is None:
        zh, en = _known([c for c in columns if c.required])
        raise InputError(
            [
                Problem(
                    f"{prefix}.no_header",
                    f"前 10 行中找不到表头。第一行请写列标题，至少包括：{zh}。",
                    f"no header row in the first 10 rows; the first row must name the columns, "
                    f"at least: {en}.",
                    grid.name,
                )
            ]
        )
    header_row, header = grid.rows[header_at]
    found: dict[str, int] = {}  # field name -> 1-based column
    for index, raw in enumerate(header, start=1):
        if is_blank(raw):
            continue
        col = _match(keys, raw)
        if col is None:
            zh, en = _known(columns)
            problems.append(
                Problem(
                    f"{prefix}.unknown_column",
                    f"不认识列标题“{show(raw)}”。请改为下列列标题之一（或删去这一列）：{zh}。",
                    f"unknown column header {show(raw)!r}; use one of these headers (or delete "
                    f"the column): {en}.",
                    grid.where(header_row, index),
                )
            )
        elif col.name in found:
            problems.append(
                Problem(
                    f"{prefix}.duplicate_column",
                    f"“{col.zh}”一列出现了两次（另一列在 "
                    f"{get_column_letter(found[col.name])} 列）。请只保留一列。",
                    f"the column {col.en} appears twice (also column "
                    f"{get_column_letter(found[col.name])}); keep one.",
                    grid.where(header_row, index),
                )
            )
        else:
            found[col.name] = index
    for name in required:
        if name not in found:
            col = column(tuple(columns), name)
            problems.append(
                Problem(
                    f"{prefix}.missing_column",
                    f"缺少必填的列“{col.zh}”。请在表头中加上这一列。",
                    f"the required column {col.en} ({col.zh}) is missing; add it to the header.",
                    grid.name,
                )
            )
    required_set = set(required)
    by_name = {c.name: c for c in columns}
    records: list[dict[str, object]] = []
    for number, values in grid.rows[header_at + 1 :]:

        def cell(index: int, row: list[object] = values) -> object:
            return row[index - 1] if index - 1 < len(row) else None

        raw = {name: cell(index) for name, index in found.items()}
        if all(is_blank(v) for v in raw.values()):
            continue
        if identity is not None and all(is_blank(v) for n, v in raw.items() if n not in identity):
            continue
        record: dict[str, object] = {"_row": number}
        for name, index in found.items():
            col = by_name[name]
            value = parse_cell(col, raw[name], negative_fix=negative_fix)
            if isinstance(value, Bad):
                code = _BAD_CODES.get(col.kind, "bad_cell")
                problems.append(
                    Problem(
                        f"{prefix}.{code}",
                        f"{col.zh}：{value.zh}",
                        f"{col.en}: {value.en}",
                        grid.where(number, index),
                    )
                )
                value = None
            elif name in required_set and (
                value is None or (isinstance(value, float) and math.isnan(value))
            ):
                problems.append(
                    Problem(
                        f"{prefix}.required",
                        f"“{col.zh}”必须填写。请填上这一格。",
                        f"{col.en} ({col.zh}) must be filled in; fill in this cell.",
                        grid.where(number, index),
                    )
                )
            record[name] = value
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=["_row", *found])
    for col in columns:
        if col.name not in frame.columns:
            frame[col.name] = np.nan if col.kind == "number" else None
        if col.kind == "number":
            frame[col.name] = pd.to_numeric(frame[col.name]).astype("float64")
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name])
        else:
            frame[col.name] = frame[col.name].astype(object).where(frame[col.name].notna(), None)
    frame["_row"] = frame["_row"].astype("int64")
    frame = frame[[*(c.name for c in columns), "_row"]]
    frame.attrs["source"] = grid.name
    frame.attrs["columns"] = {name: get_column_letter(index) for name, index in found.items()}
    return Read(frame, problems)


# -- writing ---------------------------------------------------------------------------------


def display_width(value: object) -> int:
    """How many columns of a fixed-width font ``value`` takes: 2 for each wide (CJK)
    character, 1 for any other.

    >>> display_width("签约金额（万元）"), display_width("amount")
    (16, 6)
    """
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def plain(value: object) -> object:
    """A frame's value as a cell: None for missing, dates as dates, numpy scalars as Python,
    True/False as 是/否."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


KIND_LABELS: Final = {
    "text": ("文本", "text"),
    "code": ("代码（文本）", "code (text)"),
    "number": ("数字", "number"),
    "date": ("日期，如 2026-03-15", "date, e.g. 2026-03-15"),
    "bool": ("是 / 否", "yes / no (是 / 否)"),
    "choice": ("从下拉列表中选", "one of the list"),
    "month": ("月份，如 2026-03", "month, e.g. 2026-03"),
}
"""What a cell of each kind holds, zh and en (the guide's 填写内容 and Type)."""


def validation(col: Column) -> DataValidation | None:
    """The data validation of ``col``'s cells: the list of a choice, 是/否 for a flag, a
    number from 0 (longitude and latitude in their ranges; the message names 万元 only for a
    column in 万元); None for the other kinds."""
    if col.kind == "choice":
        return DataValidation(
            type="list",
            formula1='"' + ",".join(col.choices) + '"',
            allow_blank=not col.required,
            showErrorMessage=True,
            errorTitle="不在可选值中 / Not in the list",
            error=f"请从下拉列表中选：{'、'.join(col.choices)}。Choose one of the list."[:255],
        )
    if col.kind == "bool":
        return DataValidation(
            type="list",
            formula1='"是,否"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="是或否 / Yes or no",
            error="请选“是”或“否”。Choose 是 (yes) or 否 (no).",
        )
    if col.kind == "number":
        low, high = {"longitude": ("-180", "180"), "latitude": ("-90", "90")}.get(
            col.name, ("0", "1E+300")
        )
        unit = "万元，" if "万元" in col.zh else ""
        return DataValidation(
            type="decimal",
            operator="between",
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="只能填数字 / Numbers only",
            error=f"{col.zh}只填数字（{unit}不带单位），不详的留空。"
            f" {col.en}: a number only, or leave it empty."[:255],
        )
    return None


def template_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: list[list[object]],
    *,
    greyed: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> Worksheet:
    """A sheet to fill, called ``title`` (the workbook's first, unused sheet is taken): header
    row (required columns shaded, a comment on each header), ``rows`` (cell values, see
    :func:`plain`), the ``greyed`` columns filled grey, data validation (:func:`validation`)
    and text or date formats down to at least :data:`BLANK_ROWS` rows, widths that show the
    headers and the values, the header row frozen (and the first two columns).  ``headers``:
    field -> a header other than the column's Chinese one."""
    ws = wb.active if wb.active is not None and wb.active.title == "Sheet" else None
    if not isinstance(ws, Worksheet):
        ws = wb.create_sheet(title)
    ws.title = title
    heads = [(headers or {}).get(c.name, c.zh) for c in columns]
    ws.append(heads)
    for values in rows:
        ws.append(values)
    greyed = set(greyed)
    last = max(len(rows), BLANK_ROWS) + 1
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        kind_zh = KIND_LABELS[col.kind][0]
        cell.comment = Comment(
            f"{col.zh}（{col.en}）\n{kind_zh}" + ("，必填" if col.required else ""),
            "kaoping",
            width=240,
            height=80,
        )
        widest = max(
            [display_width(heads[index - 1])] + [display_width(r[index - 1]) for r in rows[:200]]
        )
        ws.column_dimensions[letter].width = min(max(widest + 3, 10), 50)
        if col.kind in ("code", "month", "text", "choice"):
            for row in range(2, last + 1):
                ws.cell(row=row, column=index).number_format = "@"
        elif col.kind == "date":
            for row in range(2, last + 1):
                ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if col.name in greyed:
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=index).fill = _GREY_FILL
        rule = validation(col)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "C2" if len(columns) > 2 else "A2"
    return ws


GUIDE_HEADS: Final = (
    ("列", 6),
    ("表头", 30),
    ("英文 (English)", 32),
    ("填写内容", 28),
    ("Type", 22),
    ("必填 Required", 14),
    ("可选值 Choices", 34),
    ("也认的表头 Other headers", 36),
)
"""The guide's headers and their widths."""


def guide_row(index: int, col: Column) -> list[object]:
    """The guide's row of ``col``, the ``index``-th (1-based) column of its sheet."""
    kind_zh, kind_en = KIND_LABELS[col.kind]
    return [
        get_column_letter(index),
        col.zh,
        col.en,
        kind_zh,
        kind_en,
        "是 yes" if col.required else "",
        "、".join(col.choices) if col.choices else ("是、否" if col.kind == "bool" else ""),
        "、".join(col.aliases),
    ]


def guide_sheet(
    wb: Workbook, columns: Sequence[Column], notes: Sequence[tuple[str, str]]
) -> Worksheet:
    """The sheet 填表说明: each column of the sheet to fill (:func:`guide_row`), in Chinese and
    English, then the ``notes`` (zh, en)."""
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.append([h for h, _ in GUIDE_HEADS])
    for index, col in enumerate(columns, start=1):
        ws.append(guide_row(index, col))
    ws.append([])
    for zh, en in notes:
        ws.append(["", zh, en])
    style_reference(ws, [width for _, width in GUIDE_HEADS])
    return ws


def save(wb: Workbook, *, fixed: bool = False) -> bytes:
    """The workbook's bytes; with ``fixed``, its properties' times :data:`FIXED_TIME` and every
    zip entry's time the same, so that the same workbook is the same bytes."""
    out = io.BytesIO()
    if not fixed:
        wb.save(out)
        return out.getvalue()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    # openpyxl's Workbook.save stamps the modified time with the clock; its writer does not
    ExcelWriter(wb, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    out.seek(0)
    again = io.BytesIO()
    with (
        zipfile.ZipFile(out) as source,
        zipfile.ZipFile(again, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return again.getvalue()
