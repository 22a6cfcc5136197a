"""Data-entry workbooks (填报模板) for a methodology, wide and tall.

:func:`write_template` writes the *wide* xlsx file the city office (or a county) fills in: one
row per unit, one column per indicator headed by its Chinese name and unit, and a second sheet
that explains every indicator (definition, caliber, frequency, data owner, direction).  The
filled file is read back by :func:`kaoping.data.read_panel` as it is: the headers are the
methodology's names, the title row and the notes are skipped.

:func:`write_form` writes the *tall* form of one unit and period, one indicator per row (指标,
单位, 上期值, 本期值, 空缺原因, 说明, 口径与合理范围), which is how a county checks its own
figures against last year's; :func:`read_form` reads it back with the figures, the reasons for
blanks and the notes, every problem by cell.  Both carry the plausibility rules' hard ranges
as Excel data validation (:mod:`kaoping.methodology.plausibility`), so Excel refuses an
impossible figure as it is typed.

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

import functools
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.data import Bad, parse_number
from kaoping.data._parse import clean_text, header_key, parse_code, parse_period, show
from kaoping.data._sheet import Grid, is_blank, load_grid
from kaoping.data._xlsx_write import HEADER_FILL, style_reference
from kaoping.errors import InputError, Problem, get_language
from kaoping.methodology.model import DIRECTIONS, Indicator, Methodology
from kaoping.methodology.plausibility import limits

__all__ = [
    "BLANK_REASONS",
    "Form",
    "header",
    "is_form",
    "read_form",
    "write_form",
    "write_template",
]

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
        cell.fill = HEADER_FILL
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
        # the hard ranges of the plausibility rules, column by column: Excel's own check
        for offset, indicator in enumerate(indicators):
            column = get_column_letter(nkeys + 1 + offset)
            rule = _range_validation(methodology, indicator)
            if rule is not None:
                rule.add(f"{column}3:{column}{last_row}")
                ws.add_data_validation(rule)


def _range_validation(methodology: Methodology, indicator: Indicator) -> DataValidation | None:
    """Excel's data validation of an indicator's hard range (whole numbers for a count), with
    the rule as its error message; None when the indicator has no bound."""
    rules = limits(methodology, indicator)
    if rules.min is None and rules.max is None and not rules.whole:
        return None
    zh, en = rules.describe(indicator.unit)
    lo = "-1E+300" if rules.min is None else repr(float(rules.min))
    hi = "1E+300" if rules.max is None else repr(float(rules.max))
    return DataValidation(
        type="whole" if rules.whole else "decimal",
        operator="between",
        formula1=lo
        if not rules.whole
        else str(int(float(lo)))
        if rules.min is not None
        else "-2147483647",
        formula2=hi
        if not rules.whole
        else str(int(float(hi)))
        if rules.max is not None
        else "2147483647",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle=indicator.name[:32],
        prompt=zh[:255],
        errorTitle="超出合理范围 / Out of range",
        error=f"{indicator.name}{zh}。{en}."[:255],
    )


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
    style_reference(ws, [width for _, width in columns])


# -- the tall form of one unit -------------------------------------------------------------------

BLANK_REASONS: dict[str, str] = {"不详": "unknown", "不适用": "not_applicable"}
"""The reasons for a blank a form accepts (空缺原因), as written -> stored."""

_FORM_COLUMNS = (
    "指标代码",
    "指标",
    "计量单位",
    "上期值",
    "本期值",
    "空缺原因",
    "说明",
    "口径与合理范围",
)
_FORM_WIDTHS = (22, 34, 12, 14, 14, 10, 36, 60)
_VALUE, _REASON, _NOTE = 5, 6, 7  # 1-based columns of 本期值, 空缺原因, 说明
_UNIT_LABEL, _PERIOD_LABEL = "填报单位", "期次"


def write_form(
    methodology: Methodology,
    path: str | os.PathLike[str],
    *,
    unit: tuple[str, str],
    period: str,
    previous: dict[str, float] | None = None,
    values: dict[str, float | None] | None = None,
    notes: dict[str, str] | None = None,
    reasons: dict[str, str] | None = None,
) -> Path:
    """Write the tall form (one indicator per row) of one unit and period.

    Row 2 names the unit (填报单位: code, name) and the period (期次); the table below lists
    every indicator with its unit of measure, last period's figure (``previous``), this
    period's (``values``, pre-filled when given), the reason for a blank (``reasons``: stored
    values ``unknown``/``not_applicable``, written 不详/不适用), a note and its caliber and
    rules.  The figure cells carry the hard range as data validation; the reason cells a list.

    >>> import tempfile, pathlib
    >>> from kaoping.methodology import load
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "form.xlsx"
    >>> _ = write_form(load("county_hqd"), out, unit=("410883", "孟州市"), period="2024",
    ...                previous={"gdp": 412.5})
    >>> form = read_form(out, load("county_hqd"))
    >>> form.unit, form.period, form.values["gdp"], form.cells["gdp"]
    ('410883', '2024', None, 'form.xlsx!填报表!E4')
    """
    out = Path(path)
    previous, values = previous or {}, values or {}
    notes, reasons = notes or {}, reasons or {}
    written = {v: k for k, v in BLANK_REASONS.items()}
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # pragma: no cover - a new workbook has one worksheet
        raise TypeError("openpyxl gave no worksheet")
    ws.title = "填报表"
    ws.append(
        [
            f"《{methodology.name}》数据填报表（每行一个指标）：本期值只填数字（百分比填 12.5，"
            "不带 %）；空缺的须在“空缺原因”中选择不详或不适用；超出通常范围或与上期相差过大的，"
            "须在“说明”中写明原因。"
        ]
    )
    ws.append([_UNIT_LABEL, str(unit[0]), unit[1], _PERIOD_LABEL, str(period)])
    ws.append(list(_FORM_COLUMNS))
    for indicator in methodology.indicators:
        zh, _ = limits(methodology, indicator).describe(indicator.unit)
        caliber = "；".join(p for p in (indicator.caliber or "", zh) if p)
        ws.append(
            [
                indicator.id,
                indicator.name,
                indicator.unit or "",
                previous.get(indicator.id),
                values.get(indicator.id),
                written.get(reasons.get(indicator.id, "")),
                notes.get(indicator.id) or None,
                caliber,
            ]
        )
    _style_form(ws, methodology)
    _explain(wb, methodology, methodology.indicators)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _style_form(ws: Worksheet, methodology: Methodology) -> None:
    ws["A1"].font = Font(bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_FORM_COLUMNS))
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 48
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for col, width in enumerate(_FORM_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        head = ws.cell(row=3, column=col)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "E4"
    first, last = 4, 3 + len(methodology.indicators)
    reasons = DataValidation(
        type="list",
        formula1='"' + ",".join(BLANK_REASONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="空缺原因 / Reason for a blank",
        error="请选择“不详”或“不适用”。 Choose 不详 (not known) or 不适用 (not applicable).",
    )
    reasons.add(f"F{first}:F{last}")
    ws.add_data_validation(reasons)
    for row, indicator in enumerate(methodology.indicators, start=first):
        if not indicator.is_scored:
            ws.cell(row=row, column=2).fill = _CONSTRAINT_FILL
        for col in (1, 2, 3, 4, 8):
            ws.cell(row=row, column=col).alignment = Alignment(vertical="top", wrap_text=col == 8)
        rule = _range_validation(methodology, indicator)
        if rule is not None:
            rule.add(f"E{row}")
            ws.add_data_validation(rule)


@dataclass(frozen=True)
class Form:
    """A filled tall form: the unit and period it names, and per indicator id the figure
    (None: blank), the reason for a blank (``unknown``/``not_applicable``, '' when none), the
    note, and the address of its figure's cell (``form.xlsx!填报表!E7``)."""

    unit: str
    period: str
    values: dict[str, float | None]
    reasons: dict[str, str]
    notes: dict[str, str]
    cells: dict[str, str]


def is_form(path: str | os.PathLike[str]) -> bool:
    """Whether a file is a tall form (:func:`write_form`): its first rows hold 填报单位 and a
    header with 指标代码 and 本期值.  A file that cannot be read is not one."""
    try:
        grid = load_grid(path)
    except InputError:
        return False
    return _form_header(grid) is not None


def _form_header(grid: Grid) -> int | None:
    for position, (_, values) in enumerate(grid.rows[:10]):
        keys = {header_key(v) for v in values if isinstance(v, str)}
        if header_key("指标代码") in keys and header_key("本期值") in keys:
            return position
    return None


def read_form(path: str | os.PathLike[str], methodology: Methodology) -> Form:
    """Read a filled tall form back: every problem at once, each by its cell.

    Raises
    ------
    kaoping.errors.InputError
        ``form.not_a_form`` (no 指标代码/本期值 header), ``form.missing_unit``,
        ``form.missing_period``, ``data.bad_code``, ``data.bad_period``,
        ``form.unknown_indicator``, ``form.duplicate_indicator``, ``form.missing_indicator``
        (a row of the methodology deleted), ``data.not_a_number``, ``form.bad_reason``, and
        the file problems of :func:`kaoping.data.read_panel`.
    """
    grid = load_grid(path)
    position = _form_header(grid)
    if position is None:
        raise InputError(
            [
                Problem(
                    "form.not_a_form",
                    "这不是竖版填报表：前 10 行中没有含“指标代码”和“本期值”的表头。"
                    "请使用平台下载的竖版模板，或上传横版模板。",
                    "this is not a tall form: none of the first 10 rows is a header with 指标代码 "
                    "and 本期值; use the tall template downloaded from the platform, or the "
                    "wide one.",
                    grid.name,
                )
            ]
        )
    problems: list[Problem] = []
    unit, period = _form_keys(grid, position, problems)
    header_cells = grid.rows[position][1]
    columns = {header_key(v): k for k, v in enumerate(header_cells, start=1) if isinstance(v, str)}
    col = {name: columns.get(header_key(name)) for name in _FORM_COLUMNS}
    known = {i.id: i for i in methodology.indicators}
    by_name = {i.name: i.id for i in methodology.indicators}
    values: dict[str, float | None] = {}
    reasons: dict[str, str] = {}
    notes: dict[str, str] = {}
    cells: dict[str, str] = {}
    for row, cells_of_row in grid.rows[position + 1 :]:
        at = functools.partial(_at, cells_of_row, col)
        raw_id, raw_name = at("指标代码"), at("指标")
        if is_blank(raw_id) and is_blank(raw_name):
            continue
        ident = (
            clean_text(show(raw_id))
            if not is_blank(raw_id)
            else by_name.get(clean_text(show(raw_name)), "")
        )
        where_id = grid.where(row, col["指标代码"] or 1)
        if ident not in known:
            problems.append(
                Problem(
                    "form.unknown_indicator",
                    f"“{show(raw_id)}” 不是本考核办法的指标代码；请不要修改“指标代码”一列。",
                    f"{show(raw_id)!r} is not an indicator id of the methodology; do not change "
                    "the 指标代码 column.",
                    where_id,
                )
            )
            continue
        value_cell = grid.where(row, col["本期值"] or _VALUE)
        if ident in cells:
            problems.append(
                Problem(
                    "form.duplicate_indicator",
                    f"指标 {known[ident].name} 有两行（另一行在 {cells[ident]}）；请删去一行。",
                    f"indicator {ident} has two rows (the other at {cells[ident]}); delete one.",
                    where_id,
                )
            )
            continue
        cells[ident] = value_cell
        value = parse_number(at("本期值"))
        if isinstance(value, Bad):
            problems.append(Problem("data.not_a_number", value.zh, value.en, value_cell))
            values[ident] = None
        else:
            values[ident] = None if math.isnan(value) else value
        reason = at("空缺原因")
        if not is_blank(reason):
            written = clean_text(show(reason))
            if written not in BLANK_REASONS:
                problems.append(
                    Problem(
                        "form.bad_reason",
                        f"空缺原因“{written}”无效：请选择“不详”或“不适用”。",
                        f"the reason for a blank {written!r} is not one of 不详 (not known) or "
                        "不适用 (not applicable).",
                        grid.where(row, col["空缺原因"] or _REASON),
                    )
                )
            else:
                reasons[ident] = BLANK_REASONS[written]
        note = at("说明")
        if not is_blank(note):
            notes[ident] = clean_text(show(note))
    for ident, indicator in known.items():
        if ident not in cells and not any(p.code == "form.unknown_indicator" for p in problems):
            problems.append(
                Problem(
                    "form.missing_indicator",
                    f"表中没有指标 {indicator.name}（{ident}）的一行；请使用平台下载的完整模板。",
                    f"the form has no row for indicator {ident} ({indicator.name}); use the "
                    "complete template downloaded from the platform.",
                    grid.name,
                )
            )
    if problems:
        raise InputError(problems)
    assert unit is not None
    assert period is not None
    return Form(unit, period, values, reasons, notes, cells)


def _at(values: list[object], columns: dict[str, int | None], name: str) -> object:
    """The cell of a row under the header ``name`` (None beyond the row or without it)."""
    k = columns.get(name)
    return values[k - 1] if k is not None and k <= len(values) else None


def _form_keys(grid: Grid, header: int, problems: list[Problem]) -> tuple[str | None, str | None]:
    """The unit code and period written above the table (填报单位 …, 期次 …)."""
    unit: str | None = None
    period: str | None = None
    for row, values in grid.rows[:header]:
        for k, value in enumerate(values):
            label = clean_text(value) if isinstance(value, str) else ""
            following = values[k + 1] if k + 1 < len(values) else None
            where = grid.where(row, k + 2)
            if label == _UNIT_LABEL:
                code = parse_code(following)
                if isinstance(code, Bad):
                    problems.append(Problem("data.bad_code", code.zh, code.en, where))
                else:
                    unit = code
            elif label == _PERIOD_LABEL:
                parsed = parse_period(following)
                if isinstance(parsed, Bad):
                    problems.append(Problem("data.bad_period", parsed.zh, parsed.en, where))
                else:
                    period = parsed
    if unit is None:
        problems.append(
            Problem(
                "form.missing_unit",
                f"表头上方没有“{_UNIT_LABEL}”及其代码；请使用平台下载的模板。",
                f"there is no {_UNIT_LABEL} (unit) with its code above the table; use the "
                "template downloaded from the platform.",
                grid.name,
            )
        )
    if period is None:
        problems.append(
            Problem(
                "form.missing_period",
                f"表头上方没有“{_PERIOD_LABEL}”；请使用平台下载的模板。",
                f"there is no {_PERIOD_LABEL} (period) above the table; use the template "
                "downloaded from the platform.",
                grid.name,
            )
        )
    return unit, period
