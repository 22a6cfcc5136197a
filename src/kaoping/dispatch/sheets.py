"""The dispatch's spreadsheets: the registry (项目库) and the monthly sheet (月调度表) read with
every bad cell named, their templates, and the month's results workbook.

A city keeps its key projects in a workbook, one row a project, and each month every unit
fills a sheet of the month's figures, one row a project.  :func:`read_registry` and
:func:`read_monthly` read them (xlsx or CSV; headers as :mod:`kaoping.dispatch.schema` names
them, in Chinese, in English, or one of the aliases cities write) into the frames the engine
computes on.  Every bad cell is collected and raised at once as one
:class:`~kaoping.errors.InputError`, each :class:`~kaoping.errors.Problem` naming its cell
(``名称.xlsx!项目库!F7``) and the fix.  The frames keep where each row came from: a column
``_row`` (the sheet's row number) and ``attrs["source"]`` (``名称.xlsx!项目库``) and
``attrs["columns"]`` (field name -> column letter), so that a later check — a county code the
platform does not know, a cumulative figure lower than last month's (:func:`check_reports`) —
can name the cell too.

:func:`monthly_template` and :func:`registry_template` write the sheets to fill, and
:func:`write_report` the month's results (progress, 序时进度, warnings, ranking, 三个一批, the
headline numbers).

Example
-------
>>> import io, pandas as pd
>>> reg = pd.DataFrame({"project": ["P1"], "name": ["示例项目"], "county": ["410821"],
...                     "total": [5000.0]})
>>> book = monthly_template(reg, "2026-03")
>>> frame = read_monthly(io.BytesIO(book), name="3月.xlsx", month="2026-03")
>>> len(frame)  # the row of a project not filled in yet is no report
0
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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
from kaoping.dispatch.progress import parse_month, registry_frame
from kaoping.dispatch.schema import MONTHLY, REGISTRY, STATUSES, Column, column
from kaoping.errors import InputError, Problem, get_language

__all__ = [
    "MONTHLY_SHEET",
    "NOTE_HEADER",
    "REGISTRY_SHEET",
    "check_reports",
    "monthly_template",
    "read_monthly",
    "read_registry",
    "registry_template",
    "write_report",
]

REGISTRY_SHEET: Final = "项目库"
MONTHLY_SHEET: Final = "月调度表"
GUIDE_SHEET: Final = "填表说明"
NOTE_HEADER: Final = "说明（累计数低于上月或超过总投资时必填）"
"""The monthly template's header of the ``note`` column: it says when a note is needed (read
back as 说明, the bracket being read like a unit)."""

_COUNTY: Final = column(REGISTRY, "county")
_MONTHLY_READ: Final = (*MONTHLY, _COUNTY)
"""The monthly sheet's columns as read: the template also shows each project's county."""
_IDENTITY: Final = ("project", "name", "county", "month")
"""Columns the monthly template fills in itself: a row with nothing else is not a report."""

_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_GREY_FILL = PatternFill("solid", fgColor="E7E6E6")
_COLOURS: Final = {
    "red": PatternFill("solid", fgColor="FF9999"),
    "yellow": PatternFill("solid", fgColor="FFE699"),
    "green": PatternFill("solid", fgColor="A9D08E"),
}
_COLOUR_ZH: Final = {"red": "红", "yellow": "黄", "green": "绿"}
_BLANK_ROWS = 200  # rows of an empty template that get the data validation
_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无"})
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_TEXT = re.compile(r"\d{4}-\d{2}")


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


# -- reading ---------------------------------------------------------------------------------


def _grid(file: str | os.PathLike[str] | IO[bytes], name: str | None, sheet: str) -> Grid:
    """The sheet called ``sheet`` of ``file`` (a path or a binary file-like object), else its
    first sheet (or the CSV file), named ``name`` in messages."""
    if isinstance(file, str | os.PathLike):
        source = name or Path(file).name

        def load(wanted: str | None) -> Grid:
            return load_grid(file, wanted)  # read_regular: a regular file within the limit

    else:
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

        def load(wanted: str | None) -> Grid:
            return grid_from_bytes(content, source, wanted)

    try:
        grid = load(sheet)
    except InputError as error:
        if error.codes != ["data.missing_sheet"]:
            raise
        grid = load(None)
    grid.source = source
    grid.__dict__.pop("_prefix", None)  # the cached "file!sheet!" of the old name
    return grid


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


def _is_missing_text(raw: object) -> bool:
    return is_blank(raw) or (isinstance(raw, str) and clean_text(raw).casefold() in MISSING_TOKENS)


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


def _parse(col: Column, raw: object) -> object:
    """The value of one cell of ``col``, None/NaN when empty, or a :class:`Bad`."""
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
                f"{show(raw)} 是负数，{col.zh}不能为负。"
                "请填写 0 或正数；调减的投资请在“说明”中解释。",
                f"{show(raw)} is negative, and {col.en} cannot be; write 0 or more, and explain "
                "a reduction in the note.",
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


@dataclass
class _Read:
    frame: pd.DataFrame
    problems: list[Problem]


def _read(
    grid: Grid, columns: Sequence[Column], *, required: Iterable[str], skip_unfilled: bool
) -> _Read:
    """The frame of a sheet of ``columns`` (header in one of the first ten rows), and every
    problem of its header and its cells."""
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
                    "dispatch.no_header",
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
                    "dispatch.unknown_column",
                    f"不认识列标题“{show(raw)}”。请改为下列列标题之一（或删去这一列）：{zh}。",
                    f"unknown column header {show(raw)!r}; use one of these headers (or delete "
                    f"the column): {en}.",
                    grid.where(header_row, index),
                )
            )
        elif col.name in found:
            problems.append(
                Problem(
                    "dispatch.duplicate_column",
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
                    "dispatch.missing_column",
                    f"缺少必填的列“{col.zh}”。请在表头中加上这一列。",
                    f"the required column {col.en} ({col.zh}) is missing; add it to the header.",
                    grid.name,
                )
            )
    required_set = set(required)
    records: list[dict[str, object]] = []
    for number, values in grid.rows[header_at + 1 :]:

        def cell(index: int, row: list[object] = values) -> object:
            return row[index - 1] if index - 1 < len(row) else None

        raw = {name: cell(index) for name, index in found.items()}
        if all(is_blank(v) for v in raw.values()):
            continue
        if skip_unfilled and all(is_blank(v) for n, v in raw.items() if n not in _IDENTITY):
            continue
        record: dict[str, object] = {"_row": number}
        for name, index in found.items():
            col = column(tuple(columns), name)
            value = _parse(col, raw[name])
            if isinstance(value, Bad):
                code = {
                    "number": "dispatch.not_a_number",
                    "date": "dispatch.bad_date",
                    "choice": "dispatch.bad_choice",
                    "bool": "dispatch.bad_flag",
                    "month": "dispatch.bad_month",
                    "code": "dispatch.bad_code",
                }.get(col.kind, "dispatch.bad_cell")
                problems.append(
                    Problem(
                        code,
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
                        "dispatch.required",
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
    return _Read(frame, problems)


def _cell(frame: pd.DataFrame, index: Any, name: str) -> str:
    """Where a value of ``frame`` came from: its cell when the frame was read from a sheet,
    else ``project.field``."""
    source = frame.attrs.get("source")
    if source and "_row" in frame.columns:
        letter = frame.attrs.get("columns", {}).get(name)
        row = int(frame["_row"].loc[index])
        return f"{source}!{letter}{row}" if letter else f"{source}!{row}"
    return f"{frame['project'].loc[index]!s}.{name}"


def _duplicates(frame: pd.DataFrame, keys: list[str], zh: str, en: str) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[tuple[object, ...], int] = {}
    for index in frame.index:
        key = tuple(
            str(frame.at[index, k]) if frame.at[index, k] is not None else None for k in keys
        )
        if any(k is None for k in key):
            continue
        if key in first:
            where_first = _cell(frame, first[key], keys[0])
            problems.append(
                Problem(
                    "dispatch.duplicate_project",
                    f"项目编号 {key[0]} {zh}（第一次在 {where_first}）。每个项目只填一行。",
                    f"project id {key[0]} {en} (first at {where_first}); give each project "
                    "one row.",
                    _cell(frame, index, keys[0]),
                )
            )
        else:
            first[key] = index
    return problems


def read_registry(
    file: str | os.PathLike[str] | IO[bytes], *, name: str | None = None
) -> pd.DataFrame:
    """Read a registry (项目库): one row a project, the columns of
    :data:`~kaoping.dispatch.schema.REGISTRY`.

    Parameters
    ----------
    file : path or binary file-like object
        An xlsx workbook (the sheet 项目库, else the first) or a CSV file (UTF-8 or GBK).
    name : str, optional
        What messages call the file (default: its file name); never a server path.

    Returns
    -------
    pandas.DataFrame
        Every column of REGISTRY (missing ones empty), numbers as floats, dates as datetimes,
        flags True/False/None, plus ``_row``; ``attrs["source"]`` and ``attrs["columns"]``.

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once: the file unreadable, an unknown or missing column, a number
        that is text, a bad date, a value not in a column's list, a required cell empty, a
        project id twice.
    """
    grid = _grid(file, name, REGISTRY_SHEET)
    read = _read(
        grid, REGISTRY, required=[c.name for c in REGISTRY if c.required], skip_unfilled=False
    )
    problems = read.problems + _duplicates(read.frame, ["project"], "出现了两次", "appears twice")
    if problems:
        raise InputError(problems)
    return read.frame


def read_monthly(
    file: str | os.PathLike[str] | IO[bytes], *, name: str | None = None, month: str | None = None
) -> pd.DataFrame:
    """Read a monthly dispatch sheet (月调度表): one row a project and month, the columns of
    :data:`~kaoping.dispatch.schema.MONTHLY` (and the county the template shows).

    A row with nothing filled in but its identity (项目编号, 项目名称, 县区代码, 月份 — what
    :func:`monthly_template` writes) is a project not reported yet and is left out.

    Parameters
    ----------
    file : path or binary file-like object
        An xlsx workbook (the sheet 月调度表, else the first) or a CSV file.
    name : str, optional
        What messages call the file (default: its file name).
    month : str, optional
        ``"YYYY-MM"``, the month reported: an empty 月份 cell (or no 月份 column) is this
        month, any other month in the sheet is a problem.

    Returns
    -------
    pandas.DataFrame
        As :func:`read_registry`, with the MONTHLY columns and ``county``.

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once, as :func:`read_registry`; also a month in the sheet that is not
        ``month``, and a project twice in the same month.
    """
    if month is not None:
        year, mon = parse_month(month)
        month = f"{year:04d}-{mon:02d}"
    grid = _grid(file, name, MONTHLY_SHEET)
    required = [c.name for c in MONTHLY if c.required and not (c.name == "month" and month)]
    read = _read(grid, _MONTHLY_READ, required=required, skip_unfilled=True)
    frame, problems = read.frame, read.problems
    if month is not None:
        for index in frame.index:
            raw = frame.at[index, "month"]
            value = None if raw is None else str(raw)
            if value is None:
                frame.at[index, "month"] = month
            elif value != month:
                problems.append(
                    Problem(
                        "dispatch.wrong_month",
                        f"这一行的月份是 {value}，而填报的是 {month}。"
                        f"请改为 {month}，或把这一行放到 {value} 的月调度表中上报。",
                        f"this row is for {value}, but the month reported is {month}; write "
                        f"{month}, or report the row in the sheet of {value}.",
                        _cell(frame, index, "month"),
                    )
                )
    problems += _duplicates(
        frame, ["project", "month"], "在同一个月出现了两次", "appears twice in the same month"
    )
    if problems:
        raise InputError(problems)
    return frame


# -- checks across months --------------------------------------------------------------------


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _label(col: Column) -> str:
    """The Chinese header without its unit: ``当年累计完成投资``."""
    return col.zh.split("（")[0]


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def check_reports(
    reports: pd.DataFrame, *, registry: pd.DataFrame, previous: pd.DataFrame | None
) -> list[Problem]:
    """The month's figures that contradict last month's or the project's total investment.

    For each report (a row of ``reports``, a :func:`read_monthly` frame or the platform's):

    - ``dispatch.cumulative_down``: 当年累计 (``ytd``) lower than in the project's latest
      earlier report of the same year, or 自开工累计 (``since_start``) lower than in its
      latest earlier report;
    - ``dispatch.above_total``: 本月完成投资 (``invested``) or 自开工累计 above the project's
      总投资 (``total`` in ``registry``).

    Each is waived when the row's ``note`` (说明/备注) is not empty: a correction of an earlier
    figure, or an approved rise of the total, is explained there.

    Parameters
    ----------
    reports : pandas.DataFrame
        ``project``, ``month`` and the figures; with ``_row`` and ``attrs`` (as
        :func:`read_monthly` returns them) the problems name cells, else ``project.field``.
    registry : pandas.DataFrame
        The registry (``project``, ``total``).
    previous : pandas.DataFrame or None
        Earlier reports (any months before; later ones are ignored).

    Returns
    -------
    list of Problem
        Empty when everything holds.

    Examples
    --------
    >>> reg = pd.DataFrame({"project": ["P1"], "county": ["1"], "total": [1000.0]})
    >>> last = pd.DataFrame({"project": ["P1"], "month": ["2026-02"], "ytd": [300.0]})
    >>> now = pd.DataFrame({"project": ["P1"], "month": ["2026-03"], "invested": [50.0],
    ...                     "ytd": [250.0], "note": [None]})
    >>> [p.code for p in check_reports(now, registry=reg, previous=last)]
    ['dispatch.cumulative_down']
    >>> now["note"] = ["2月数据多报，已更正"]
    >>> check_reports(now, registry=reg, previous=last)
    []
    """
    reg = registry_frame(registry) if len(registry) else None
    totals: dict[str, float] = {}
    if reg is not None:
        totals = {
            str(k): float(v) for k, v in reg["total"].items() if v is not None and not pd.isna(v)
        }
    earlier: dict[str, list[tuple[str, float | None, float | None]]] = {}
    if previous is not None and len(previous):
        prev = previous.copy()
        for name in ("ytd", "since_start"):
            if name not in prev.columns:
                prev[name] = np.nan
        prev["month"] = prev["month"].astype(str)
        for project, month, ytd, since in zip(
            prev["project"].astype(str), prev["month"], prev["ytd"], prev["since_start"],
            strict=True,
        ):  # fmt: skip
            earlier.setdefault(project, []).append((month, _number(ytd), _number(since)))
    for rows in earlier.values():
        rows.sort()
    problems: list[Problem] = []
    for index in reports.index:
        row = reports.loc[index]
        note = row.get("note")
        if not (note is None or pd.isna(note)) and clean_text(str(note)):
            continue
        project = str(row["project"])
        month = str(row["month"])
        ytd, since = _number(row.get("ytd")), _number(row.get("since_start"))
        invested = _number(row.get("invested"))
        before = [r for r in earlier.get(project, []) if r[0] < month]
        same_year = [r for r in before if r[0][:4] == month[:4] and r[1] is not None]
        if ytd is not None and same_year and ytd < (last := same_year[-1][1] or 0.0):
            problems.append(
                _down(reports, index, "ytd", project, month, same_year[-1][0], ytd, last)
            )
        with_since = [r for r in before if r[2] is not None]
        if since is not None and with_since and since < (last := with_since[-1][2] or 0.0):
            problems.append(
                _down(reports, index, "since_start", project, month, with_since[-1][0], since, last)
            )
        total = totals.get(project)
        for name, value in (("invested", invested), ("since_start", since)):
            if total is not None and value is not None and value > total:
                col = column(MONTHLY, name)
                problems.append(
                    Problem(
                        "dispatch.above_total",
                        f"项目 {project} {month} 的{_label(col)}为 {_fmt(value)} 万元，"
                        f"超过了项目总投资 {_fmt(total)} 万元。请核对数字；"
                        "若总投资已调整，请在“说明”中写明（并更新项目库）。",
                        f"project {project}, {month}: {col.en} is {_fmt(value)} (10k yuan), "
                        f"more than the project's total investment of {_fmt(total)}; check the "
                        "figure, or if the total was raised, say so in the note (and update "
                        "the registry).",
                        _cell(reports, index, name),
                    )
                )
    return problems


def _down(
    reports: pd.DataFrame,
    index: Any,
    name: str,
    project: str,
    month: str,
    last_month: str,
    value: float,
    last: float,
) -> Problem:
    col = column(MONTHLY, name)
    return Problem(
        "dispatch.cumulative_down",
        f"项目 {project} {month} 的{_label(col)}为 {_fmt(value)} 万元，低于 {last_month} 的 "
        f"{_fmt(last)} 万元：累计数不会减少。请核对数字；若是更正以前多报的数，请在“说明”中写明。",
        f"project {project}, {month}: {col.en} is {_fmt(value)} (10k yuan), lower than "
        f"{_fmt(last)} in {last_month}: a cumulative figure cannot fall; check the figure, or "
        "if it corrects an earlier overstatement, say so in the note.",
        _cell(reports, index, name),
    )


# -- writing ---------------------------------------------------------------------------------


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_KIND_ZH: Final = {
    "text": ("文本", "text"),
    "code": ("代码（文本）", "code (text)"),
    "number": ("数字", "number"),
    "date": ("日期，如 2026-03-15", "date, e.g. 2026-03-15"),
    "bool": ("是 / 否", "yes / no (是 / 否)"),
    "choice": ("从下拉列表中选", "one of the list"),
    "month": ("月份，如 2026-03", "month, e.g. 2026-03"),
}


def _validation(col: Column) -> DataValidation | None:
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
        return DataValidation(
            type="decimal",
            operator="between",
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="只能填数字 / Numbers only",
            error=f"{col.zh}只填数字（万元，不带单位），不详的留空。"
            f" {col.en}: a number only, or leave it empty."[:255],
        )
    return None


def _sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: list[list[object]],
    *,
    greyed: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> Worksheet:
    """A sheet to fill: header row (required columns shaded), ``rows``, the ``greyed`` columns
    filled grey, data validation, widths that show the headers, the header row frozen."""
    ws = wb.active if wb.active is not None and wb.active.title == "Sheet" else None
    if not isinstance(ws, Worksheet):
        ws = wb.create_sheet(title)
    ws.title = title
    heads = [(headers or {}).get(c.name, c.zh) for c in columns]
    ws.append(heads)
    for values in rows:
        ws.append(values)
    greyed = set(greyed)
    last = max(len(rows), _BLANK_ROWS) + 1
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        kind_zh = _KIND_ZH[col.kind][0]
        cell.comment = Comment(
            f"{col.zh}（{col.en}）\n{kind_zh}" + ("，必填" if col.required else ""),
            "kaoping",
            width=240,
            height=80,
        )
        widest = max(
            [_display_width(heads[index - 1])] + [_display_width(r[index - 1]) for r in rows[:200]]
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
        rule = _validation(col)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "C2" if len(columns) > 2 else "A2"
    return ws


def _guide(wb: Workbook, columns: Sequence[Column], notes: Sequence[tuple[str, str]]) -> None:
    """The sheet 填表说明: each column of the sheet to fill, in Chinese and English."""
    ws = wb.create_sheet(GUIDE_SHEET)
    heads = [
        ("列", 6),
        ("表头", 30),
        ("英文 (English)", 32),
        ("填写内容", 28),
        ("Type", 22),
        ("必填 Required", 14),
        ("可选值 Choices", 34),
        ("也认的表头 Other headers", 36),
    ]
    ws.append([h for h, _ in heads])
    for index, col in enumerate(columns, start=1):
        kind_zh, kind_en = _KIND_ZH[col.kind]
        ws.append(
            [
                get_column_letter(index),
                col.zh,
                col.en,
                kind_zh,
                kind_en,
                "是 yes" if col.required else "",
                "、".join(col.choices) if col.choices else ("是、否" if col.kind == "bool" else ""),
                "、".join(col.aliases),
            ]
        )
    ws.append([])
    for zh, en in notes:
        ws.append(["", zh, en])
    style_reference(ws, [width for _, width in heads])


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(value: object) -> object:
    """A frame's value as a cell: None for missing, dates as dates, numpy scalars as Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


_MONTHLY_TEMPLATE: Final = (
    column(MONTHLY, "project"),
    column(MONTHLY, "name"),
    _COUNTY,
    *(c for c in MONTHLY if c.name not in ("project", "name")),
)
_MONTHLY_NOTES: Final = (
    (
        "每行一个项目。灰色的项目编号、项目名称、县区代码、月份已填好，请勿修改；"
        "只填本月的数字和情况，金额单位为万元，只填数字。",
        "One row a project. The grey columns (id, name, county, month) are filled in: do not "
        "change them. Fill in the month's figures and facts; money in 10,000 yuan, numbers only.",
    ),
    (
        "当年累计、自开工累计不能低于上月；本月完成投资和自开工累计不能超过项目总投资。"
        "确有更正或总投资已调整的，请在“说明”列写明原因，否则该行会被退回。",
        "This year so far and since start cannot fall below last month's; this month's "
        "investment and the since-start total cannot exceed the project's total investment. "
        "Where a figure is corrected or the total was raised, explain it in the note column, "
        "or the row is refused.",
    ),
    (
        "没有填任何数字和情况的行视为未上报。",
        "A row with nothing filled in beyond its grey cells counts as not reported.",
    ),
)


def monthly_template(
    registry: pd.DataFrame, month: str, reports: pd.DataFrame | None = None
) -> bytes:
    """The month's sheet to fill (月调度表), one row a project of ``registry``.

    Project id, name, county and month are filled in and greyed; the figures of ``reports``
    for ``month`` (e.g. a draft saved on the platform) are filled in where given.  The note
    column's header says when a note is needed; a second sheet 填表说明 explains every
    column.  :func:`read_monthly` reads the filled sheet back.

    Parameters
    ----------
    registry : pandas.DataFrame
        The projects (``project``, ``name``, ``county``), in the order of the rows.
    month : str
        ``"YYYY-MM"``.
    reports : pandas.DataFrame, optional
        Reports to pre-fill (rows of other months are ignored).

    Returns
    -------
    bytes
        The xlsx workbook.
    """
    year, mon = parse_month(month)
    month = f"{year:04d}-{mon:02d}"
    reg = registry_frame(registry)
    known: dict[str, pd.Series] = {}
    if reports is not None and len(reports):
        mine = reports[reports["month"].astype(str) == month]
        known = {str(r["project"]): r for _, r in mine.iterrows()}
    rows: list[list[object]] = []
    for project, entry in reg.iterrows():
        report = known.get(str(project))
        values: list[object] = []
        for col in _MONTHLY_TEMPLATE:
            if col.name == "project":
                values.append(str(project))
            elif col.name in ("name", "county"):
                values.append(_plain(entry[col.name]))
            elif col.name == "month":
                values.append(month)
            else:
                value = report.get(col.name) if report is not None else None
                values.append(_plain(value))
        rows.append(values)
    wb = Workbook()
    _sheet(
        wb,
        MONTHLY_SHEET,
        _MONTHLY_TEMPLATE,
        rows,
        greyed=_IDENTITY,
        headers={"note": NOTE_HEADER},
    )
    _guide(wb, _MONTHLY_TEMPLATE, _MONTHLY_NOTES)
    return _save(wb)


_REGISTRY_NOTES: Final = (
    (
        "每行一个项目。项目编号、项目名称、县区代码（6 位行政区划代码）、总投资为必填"
        "（表头为橙色）。"
        "金额单位为万元，只填数字；日期填 2026-03-15；是/否列选“是”或“否”。",
        "One row a project. Project id, name, county code (6-digit) and total investment are "
        "required (orange headers). Money in 10,000 yuan, numbers only; dates as 2026-03-15; "
        "yes/no columns take 是 or 否.",
    ),
    (
        "项目编号在项目库中唯一，月调度表以它对应项目；已有项目再次导入时按编号更新。",
        "The project id is unique in the registry; the monthly sheets refer to projects by it, "
        "and importing a project again updates it.",
    ),
)


def registry_template(registry: pd.DataFrame | None = None) -> bytes:
    """The registry sheet (项目库): empty to fill, or ``registry``'s projects (an export that
    :func:`read_registry` reads back as it is).

    Returns
    -------
    bytes
        The xlsx workbook: the sheet 项目库 and 填表说明.
    """
    rows: list[list[object]] = []
    if registry is not None and len(registry):
        reg = registry_frame(registry)
        for project, entry in reg.iterrows():
            rows.append(
                [
                    str(project) if col.name == "project" else _plain(entry.get(col.name))
                    for col in REGISTRY
                ]
            )
    wb = Workbook()
    _sheet(wb, REGISTRY_SHEET, REGISTRY, rows)
    _guide(wb, REGISTRY, _REGISTRY_NOTES)
    return _save(wb)


# -- the month's results workbook ------------------------------------------------------------


def _table(
    wb: Workbook,
    title: str,
    heads: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    fills: dict[tuple[int, int], PatternFill] | None = None,
    wrap: Iterable[int] = (),
) -> Worksheet:
    """A results sheet: bold shaded header, frozen, numbers with two decimals, widths that
    show the headers and the values (``wrap``: 1-based columns of long text, wrapped)."""
    ws = wb.active if wb.active is not None and wb.active.title == "Sheet" else None
    if not isinstance(ws, Worksheet):
        ws = wb.create_sheet(title)
    ws.title = title
    ws.append(list(heads))
    body = [[_plain(v) for v in row] for row in rows]
    for row in body:
        ws.append(row)
    wrapped = set(wrap)
    for index, head in enumerate(heads, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widest = max([_display_width(head)] + [_display_width(r[index - 1]) for r in body[:300]])
        limit = 60 if index in wrapped else 40
        ws.column_dimensions[get_column_letter(index)].width = min(max(widest + 3, 8), limit)
    for r, row in enumerate(body, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
            if c in wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for (r, c), fill in (fills or {}).items():
        ws.cell(row=r, column=c).fill = fill
    ws.freeze_panes = "C2" if len(heads) > 3 else "A2"
    return ws


def _int(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _rounded(value: object, digits: int = 2) -> object:
    number = _number(value)
    return None if number is None else round(number, digits)


def write_report(
    registry: pd.DataFrame,
    reports: pd.DataFrame,
    month: str,
    *,
    rules: Any = "yinchuan",
    warnings: pd.DataFrame | None = None,
    plans: pd.DataFrame | None = None,
    tolerance_pp: float | None = None,
    all_new_industrial: int | None = None,
    counties: dict[str, str] | None = None,
) -> bytes:
    """The month's results workbook (月调度结果).

    Sheets: 项目 (each project's figures, 序时进度, lag, status and warning, the warning cell
    filled red, yellow or green), 县区排名 (the counties' figures and ranks), 红色预警 (the red
    projects and why), 三个一批 (the batch rates) and 头条数字 (the dashboard's headline
    questions, :mod:`kaoping.dispatch.questions`).

    Parameters
    ----------
    registry, reports : pandas.DataFrame
        The registry and the reports of every month up to ``month`` (as :func:`progress`).
    month : str
        ``"YYYY-MM"``.
    rules : str, path or mapping, default "yinchuan"
        The warning rules (:func:`kaoping.dispatch.alerts.load_rules`); ignored when
        ``warnings`` is given.
    warnings : pandas.DataFrame, optional
        The month's warnings already evaluated (``colour``, ``reason_zh``, ``reason_en``).
    plans, tolerance_pp
        As :func:`kaoping.dispatch.progress.progress`.
    all_new_industrial : int, optional
        The statistics' count of new industrial projects (:func:`new_starts`).
    counties : dict, optional
        County code -> name, for the sheets' county columns.

    Returns
    -------
    bytes
        The xlsx workbook.
    """
    from kaoping.dispatch.batches import RATES, batch_rates
    from kaoping.dispatch.progress import DEFAULT_TOLERANCE_PP, county_progress, progress
    from kaoping.dispatch.questions import new_starts, red_projects, special_bonds
    from kaoping.dispatch.rankings import MEASURES, county_measures, rank_counties

    year, mon = parse_month(month)
    month = f"{year:04d}-{mon:02d}"
    tolerance = DEFAULT_TOLERANCE_PP if tolerance_pp is None else tolerance_pp
    table = progress(registry, reports, month, plans=plans, tolerance_pp=tolerance)
    county_warnings: pd.DataFrame | None = None
    if warnings is None:
        from kaoping.dispatch.alerts import evaluate, load_rules

        ruleset = load_rules(rules)
        if getattr(ruleset, "level", "project") == "county":
            county_warnings = evaluate(
                ruleset, county_progress(table), registry=registry, reports=reports, month=month
            )
        else:
            warnings = evaluate(ruleset, table, registry=registry, reports=reports, month=month)
    names = counties or {}
    wb = Workbook()

    # 项目
    heads = [
        "项目编号", "项目名称", "县区", "重点级别", "本月完成投资（万元）", "当年累计（万元）",
        "自开工累计（万元）", "年度计划（万元）", "当年投资完成率（%）", "序时进度（%）",
        "滞后（百分点）", "状态", "预警", "预警原因",
    ]  # fmt: skip
    rows: list[list[object]] = []
    fills: dict[tuple[int, int], PatternFill] = {}
    for r, (project, row) in enumerate(table.iterrows(), start=2):
        colour = None if warnings is None else warnings["colour"].get(project)
        reason = None if warnings is None else warnings["reason_zh"].get(project)
        county = str(row["county"])
        rows.append(
            [
                str(project), row["name"], names.get(county, county), row["key_level"],
                _rounded(row["invested"]), _rounded(row["ytd"]), _rounded(row["since_start"]),
                _rounded(row["annual_plan"]), _rounded(row["completion_pct"], 1),
                _rounded(row["schedule_pct"], 1), _rounded(row["lag_pp"], 1), row["status"],
                _COLOUR_ZH.get(str(colour), None), reason or None,
            ]
        )  # fmt: skip
        if colour in _COLOURS:
            fills[r, 13] = fills[r, 12] = _COLOURS[str(colour)]
    _table(wb, "项目", heads, rows, fills=fills, wrap=[14])

    # 县区排名
    measures = county_measures(registry, table, month)
    ranked = rank_counties(measures)
    by_county = county_progress(table)
    heads = ["县区代码", "县区", "项目数", "当年累计（万元）", "年度计划（万元）"]
    for zh, _ in MEASURES.values():
        heads += [f"{zh}（%）", f"{zh}排名"]
    heads += list(STATUSES)
    if county_warnings is not None:
        heads += ["预警", "预警原因"]
    rows, fills = [], {}
    order = ranked.sort_values("completion_pct_rank", na_position="last").index
    for r, county in enumerate(order, start=2):
        line: list[object] = [
            str(county), names.get(str(county), str(county)),
            _int(measures.at[county, "projects"]), _rounded(measures.at[county, "ytd"]),
            _rounded(measures.at[county, "annual_plan"]),
        ]  # fmt: skip
        for key in MEASURES:
            rank = ranked.at[county, f"{key}_rank"]
            line += [_rounded(ranked.at[county, key], 1), _int(rank)]
        line += [_int(by_county.at[county, s]) for s in STATUSES]
        if county_warnings is not None:
            colour = county_warnings["colour"].get(county)
            line += [_COLOUR_ZH.get(str(colour)), county_warnings["reason_zh"].get(county)]
            if colour in _COLOURS:
                fills[r, len(line) - 1] = _COLOURS[str(colour)]
        rows.append(line)
    _table(
        wb,
        "县区排名",
        heads,
        rows,
        fills=fills,
        wrap=[len(heads)] if county_warnings is not None else [],
    )

    # 红色预警
    rows = []
    if warnings is not None:
        red = red_projects(table, warnings)
        for project, row in red.iterrows():
            county = str(row["county"])
            rows.append(
                [
                    str(project), row["name"], names.get(county, county), row["status"],
                    _rounded(row["completion_pct"], 1), _rounded(row["schedule_pct"], 1),
                    _rounded(row["lag_pp"], 1), row.get("rules"), row.get("reason_zh"),
                ]
            )  # fmt: skip
    heads = [
        "项目编号", "项目名称", "县区", "状态", "当年投资完成率（%）", "序时进度（%）",
        "滞后（百分点）", "触发的规则", "原因",
    ]  # fmt: skip
    ws = _table(wb, "红色预警", heads, rows, wrap=[9])
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=1).fill = _COLOURS["red"]

    # 三个一批
    end = pd.Timestamp(year=year, month=mon, day=1) + pd.offsets.MonthEnd(0)
    reg = registry_frame(registry)
    rows = []
    if reg["batch_role"].notna().any():
        rates = batch_rates(reg[reg["batch_role"].notna()].reset_index(), end)
        for batch, row in rates.iterrows():
            rows.append(
                [
                    str(batch), int(row["projects"]), int(row["signed"]), int(row["fulfilled"]),
                    int(row["started"]), int(row["produced"]), int(row["effective"]),
                    *(_rounded(row[c], 1) for c in RATES),
                ]
            )  # fmt: skip
    heads = ["期次", "项目数", "签约", "履约", "开工", "投产", "达效"]
    heads += [f"{zh}（%）" for zh in RATES.values()]
    _table(wb, "三个一批", heads, rows)

    # 头条数字
    starts = new_starts(registry, month, all_new_industrial=all_new_industrial)
    bonds = special_bonds(registry)
    n_red = 0 if warnings is None else int((warnings["colour"] == "red").sum())
    counts = table["status"].value_counts()
    share = "—" if math.isnan(starts.share_pct) else f"{starts.share_pct:.1f}%"
    rows = [
        [
            f"{year}年开工了多少个重点项目？占全市新开工工业项目的比重是多少？",
            f"{starts.key} 个重点项目开工建设（其中工业项目 {starts.key_industrial} 个），"
            f"占全市新开工工业项目（{starts.industrial} 个）的 {share}",
            f"{starts.key} key projects started ({starts.key_industrial} industrial), "
            f"{share} of the {starts.industrial} new industrial projects",
        ],
        [
            "专项债券项目有多少个、金额多少？",
            f"{bonds.projects} 个专项债券项目，{bonds.amount_yi:.1f} 亿元",
            f"{bonds.projects} special-bond projects, {bonds.amount_yi:.1f} 亿元 "
            f"({bonds.amount:,.0f} 万元)",
        ],
        [
            f"{month} 哪些项目亮红灯？为什么？",
            f"{n_red} 个项目红色预警，原因见“红色预警”页" if warnings is not None else "未评价预警",
            f"{n_red} red projects, reasons on the sheet 红色预警",
        ],
        [
            f"{month} 项目进度如何？",
            "，".join(f"{s} {int(counts.get(s, 0))} 个" for s in STATUSES),
            ", ".join(f"{s} {int(counts.get(s, 0))}" for s in STATUSES),
        ],
        [
            f"{year}年1–{mon}月完成投资多少？",
            f"当年累计 {float(table['ytd'].sum()):,.0f} 万元，为年度计划 "
            f"{float(table['annual_plan'].sum()):,.0f} 万元的 "
            + (
                f"{100 * table['ytd'].sum() / table['annual_plan'].sum():.1f}%"
                if table["annual_plan"].sum() > 0
                else "—"
            ),
            f"{float(table['ytd'].sum()):,.0f} (10k yuan) this year so far",
        ],
    ]
    ws = _table(wb, "头条数字", ["问题", "回答", "Answer (English)"], rows, wrap=[1, 2, 3])
    ws.freeze_panes = "A2"
    wb.move_sheet("头条数字", offset=-(len(wb.sheetnames) - 1))
    wb.active = 0
    return _save(wb)
