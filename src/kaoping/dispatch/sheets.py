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

import math
import os
from collections.abc import Iterable, Sequence
from typing import IO, Any, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.data._parse import clean_text
from kaoping.data._sheet import Grid
from kaoping.data._xlsx_write import HEADER_FILL
from kaoping.dispatch.columns import (
    GUIDE_SHEET,
    display_width,
    guide_sheet,
    load,
    plain,
    read_sheet,
    save,
    template_sheet,
)
from kaoping.dispatch.progress import parse_month, registry_frame
from kaoping.dispatch.schema import MONTHLY, REGISTRY, STATUSES, Column, column
from kaoping.errors import InputError, Problem, get_language

__all__ = [
    "GUIDE_SHEET",
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
NOTE_HEADER: Final = "说明（累计数低于上月或超过总投资时必填）"
"""The monthly template's header of the ``note`` column: it says when a note is needed (read
back as 说明, the bracket being read like a unit)."""

_COUNTY: Final = column(REGISTRY, "county")
_MONTHLY_READ: Final = (*MONTHLY, _COUNTY)
"""The monthly sheet's columns as read: the template also shows each project's county."""
_IDENTITY: Final = ("project", "name", "county", "month")
"""Columns the monthly template fills in itself: a row with nothing else is not a report."""

_COLOURS: Final = {
    "red": PatternFill("solid", fgColor="FF9999"),
    "yellow": PatternFill("solid", fgColor="FFE699"),
    "green": PatternFill("solid", fgColor="A9D08E"),
}
_COLOUR_ZH: Final = {"red": "红", "yellow": "黄", "green": "绿"}
_NEGATIVE_FIX: Final = (
    "请填写 0 或正数；调减的投资请在“说明”中解释。",
    "write 0 or more, and explain a reduction in the note.",
)
"""A negative figure: the fix says where a reduction is explained."""


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


# -- reading ---------------------------------------------------------------------------------


def _grid(file: str | os.PathLike[str] | IO[bytes], name: str | None, sheet: str) -> Grid:
    """The sheet called ``sheet`` of ``file`` (a path or a binary file-like object), else its
    first sheet (or the CSV file), named ``name`` in messages."""
    upload = load(file, name=name)
    try:
        return upload.grid(sheet)
    except InputError as error:
        if error.codes != ["data.missing_sheet"]:
            raise
        return upload.grid(None)


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
    read = read_sheet(
        grid,
        REGISTRY,
        prefix="dispatch",
        required=[c.name for c in REGISTRY if c.required],
        negative_fix=_NEGATIVE_FIX,
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
    read = read_sheet(
        grid,
        _MONTHLY_READ,
        prefix="dispatch",
        required=required,
        identity=_IDENTITY,
        negative_fix=_NEGATIVE_FIX,
    )
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
                values.append(plain(entry[col.name]))
            elif col.name == "month":
                values.append(month)
            else:
                value = report.get(col.name) if report is not None else None
                values.append(plain(value))
        rows.append(values)
    wb = Workbook()
    template_sheet(
        wb,
        MONTHLY_SHEET,
        _MONTHLY_TEMPLATE,
        rows,
        greyed=_IDENTITY,
        headers={"note": NOTE_HEADER},
    )
    guide_sheet(wb, _MONTHLY_TEMPLATE, _MONTHLY_NOTES)
    return save(wb)


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
                    str(project) if col.name == "project" else plain(entry.get(col.name))
                    for col in REGISTRY
                ]
            )
    wb = Workbook()
    template_sheet(wb, REGISTRY_SHEET, REGISTRY, rows)
    guide_sheet(wb, REGISTRY, _REGISTRY_NOTES)
    return save(wb)


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
    body = [[plain(v) for v in row] for row in rows]
    for row in body:
        ws.append(row)
    wrapped = set(wrap)
    for index, head in enumerate(heads, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widest = max([display_width(head)] + [display_width(r[index - 1]) for r in body[:300]])
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
    return save(wb)
