"""Targets (目标下达): the city office issues each county's target of every indicator its
methodology scores against a target (rule ``completion``), from a workbook or one by one, and a
county reads its own.

Services, keyword-only, rights checked inside (as :mod:`kaoping.web.collection.services`):

- :func:`targets_workbook` the analyst's xlsx: one row per unit, for each target-bearing
  indicator last period's actual (grey, for reference) and the target (prefilled);
- :func:`targets_upload` reads it back: every problem at once by cell (``目标值!E7``), nothing
  saved when there is one;
- :func:`target_set` corrects one county's target, with a required reason;
- :func:`targets_for` a county's own targets (a reviewer's: any county's).

Targets can be changed until the period has a published assessment (which froze them with its
inputs, see :mod:`kaoping.web.official.inputs`); a closed period's targets can still be
corrected before publication.  Every change keeps its history (django-simple-history: who,
when, old -> new, why) and writes an audit event (``targets.upload``, ``targets.set``).
"""

from __future__ import annotations

import decimal
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value
from kaoping.web.official.inputs import target_indicators
from kaoping.web.official.models import Target

if TYPE_CHECKING:
    from kaoping.data._sheet import Grid
    from kaoping.methodology import Indicator, Methodology

SHEET = "目标值"
"""The sheet of the targets workbook (and the one read back; else the first sheet)."""
ACTUAL = "上年实际"
TARGET = "目标值"
KEYS = ("代码", "名称", "类别")
MAX_BYTES = 5 * 1024 * 1024
"""The largest targets workbook read (one of 3,000 units x 20 indicators is about 1 MB)."""
UPLOAD_REASON = "targets.upload"
"""The history reason of a target written by an upload (``targets.upload:<file name>``)."""

_CODE_HEADERS = {"代码", "单位代码", "行政区划代码", "区划代码", "code"}
_NAME_HEADERS = {"名称", "单位名称", "单位", "县（市、区）", "name"}
_CATEGORY_HEADERS = {"类别", "分类", "category"}
_XLSX_MAGIC = b"PK\x03\x04"
_HEADER_ROWS = 10  # the header row is looked for among the first rows (the title may be gone)


# --------------------------------------------------------------------------------------------
# what every service checks
# --------------------------------------------------------------------------------------------


def _official(period: Period) -> tuple[Methodology, list[Indicator]]:
    """The period's methodology and its target-bearing indicators, in the methodology's order;
    InputError when it scores none against a target (an academic methodology)."""
    methodology = methodology_of(period.methodology)
    ids = target_indicators(methodology)
    if not ids:
        raise InputError(
            [
                Problem(
                    "web.no_targets",
                    f"期次 {period.code} 的考核办法（{period.methodology}）不按目标完成率计分任何"
                    "指标，没有目标值可下达。",
                    f"the methodology of period {period.code} ({period.methodology}) scores no "
                    "indicator against a target: there are no targets to issue.",
                    "period",
                )
            ]
        )
    known = {i.id: i for i in methodology.indicators}
    return methodology, [known[i] for i in ids]


def is_frozen(period: Period) -> bool:
    """Whether the period has a published assessment: its targets are frozen with it."""
    from kaoping.web.results.models import Assessment

    return Assessment.objects.filter(period=period, status=Assessment.Status.PUBLISHED).exists()


def _require_changeable(period: Period) -> None:
    if is_frozen(period):
        raise PermissionDenied(
            _(
                "The targets of period %(period)s can no longer be changed: its results are "
                "published, and the published assessment holds the targets it was computed with."
            )
            % {"period": period.code}
        )


def _locked(period: Period) -> Period:
    """The period, locked for the transaction (a publication waits for the targets' save)."""
    return Period.objects.select_for_update().get(pk=period.pk)


def header(indicator: Indicator, what: str) -> str:
    """A column header of the workbook: ``地区生产总值增速（%）目标值`` (``what``: 目标值 or
    上年实际)."""
    from kaoping.methodology.template import header as name

    return f"{name(indicator)}{what}"


# --------------------------------------------------------------------------------------------
# reading: last period's actuals, the stored targets, the page's table and history
# --------------------------------------------------------------------------------------------


def last_actuals(period: Period) -> dict[tuple[str, str], float]:
    """(unit code, indicator) -> last period's actual: the figures frozen in the previous
    period's latest published assessment, else the approved figures of its submissions
    (nothing without a previous period)."""
    from kaoping.web.results.models import Assessment

    if period.previous_id is None:
        return {}
    published = (
        Assessment.objects.filter(period_id=period.previous_id, status=Assessment.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    if published is not None:
        return {(str(c), str(i)): float(v) for c, i, v in published.inputs.get("values", [])}
    rows = Value.objects.filter(
        submission__period_id=period.previous_id,
        submission__status=Submission.Status.APPROVED,
        value__isnull=False,
    ).values_list("submission__unit__code", "indicator", "value")
    return {(code, indicator): float(value) for code, indicator, value in rows}


def _stored(period: Period, ids: list[str]) -> dict[tuple[str, str], float]:
    rows = Target.objects.filter(period=period, indicator__in=ids).values_list(
        "unit__code", "indicator", "value"
    )
    return {(code, indicator): float(value) for code, indicator, value in rows}


def targets_for(*, actor: Any, period: Period, unit: Unit) -> dict[str, float]:
    """Indicator id -> the unit's target in ``period``, in the methodology's order (only the
    targets issued; none for an academic period).  A county reads only its own unit's, a
    reviewer any unit's; departments and viewers are refused."""
    if not (access.is_reviewer(actor) or access.unit_id_of(actor) == unit.pk):
        raise PermissionDenied(_("You may only see your own unit's targets."))
    return targets_of(period, unit)


def targets_of(period: Period, unit: Unit) -> dict[str, float]:
    """The unit's targets (a selector without a rights check: for a page that has checked
    them, such as the county's own form or the reviewer's review page)."""
    ids = target_indicators(methodology_of(period.methodology))
    found = dict(
        Target.objects.filter(period=period, unit=unit, indicator__in=ids).values_list(
            "indicator", "value"
        )
    )
    return {i: float(found[i]) for i in ids if i in found}


def common_target(methodology: Methodology, indicator: str) -> float | None:
    """The target the engine uses for a unit without its own: the scoring table's ``target``,
    else the indicator's (see ``kaoping.assess.official._targets``)."""
    spec = methodology.official
    row = spec.item(indicator) if spec is not None else None
    found = (row.target if row is not None else None) or methodology.indicator(indicator).target
    return None if found is None else float(found)


def targets_table(*, actor: Any, period: Period) -> dict[str, Any]:
    """What the analyst's targets page shows: ``indicators`` (id, name, unit), ``rows`` (one
    per unit: ``unit`` and ``cells``, each with ``indicator``, ``target``, ``last``), how many
    targets are ``set`` of the ``total``, and whether they are ``frozen``."""
    access.require_reviewer(actor)
    _, indicators = _official(period)
    ids = [i.id for i in indicators]
    stored = _stored(period, ids)
    last = last_actuals(period)
    rows = []
    for unit in Unit.objects.order_by("code"):
        cells = [
            {
                "indicator": i,
                "target": stored.get((unit.code, i)),
                "last": last.get((unit.code, i)),
            }
            for i in ids
        ]
        rows.append({"unit": unit, "cells": cells})
    return {
        "indicators": indicators,
        "rows": rows,
        "set": len(stored),
        "total": len(rows) * len(ids),
        "frozen": is_frozen(period),
    }


@dataclass(frozen=True)
class Change:
    """One change of a target, for the page's history."""

    when: Any
    who: str
    unit: Unit
    indicator: str
    old: float | None
    new: float
    reason: str
    file: str | None  # the workbook it came from (an upload), else None


def targets_history(*, actor: Any, period: Period, limit: int = 30) -> list[Change]:
    """The last ``limit`` changes of the period's targets, newest first: who, when, old ->
    new, and the reason (or the workbook they were uploaded from)."""
    access.require_reviewer(actor)
    model = Target.history.model
    latest = list(
        model.objects.filter(period_id=period.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    ids = {r.id for r in latest}
    # the value each change replaced: the record before it of the same target
    every: dict[int, list[Any]] = {}
    for record in (
        model.objects.filter(id__in=ids)
        .order_by("history_date", "history_id")
        .only("id", "history_id", "value")
    ):
        every.setdefault(record.id, []).append(record)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.unit_id for r in latest})}
    out = []
    for record in latest:
        chain = every[record.id]
        at = next(k for k, r in enumerate(chain) if r.history_id == record.history_id)
        reason = record.history_change_reason or ""
        file = None
        if reason.startswith(UPLOAD_REASON):
            file, reason = reason[len(UPLOAD_REASON) + 1 :], ""
        out.append(
            Change(
                when=record.history_date,
                who=record.history_user.username if record.history_user else "",
                unit=units[record.unit_id],
                indicator=record.indicator,
                old=chain[at - 1].value if at > 0 else None,
                new=record.value,
                reason=reason,
                file=file,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# completion (完成率), as the engine computes it
# --------------------------------------------------------------------------------------------


def direction_of(methodology: Methodology, indicator: str) -> int:
    """+1 or -1, as the engine's official path reads an indicator's direction for a rule
    (``kaoping.assess.official``: -1 for a negative indicator, else +1)."""
    return -1 if methodology.indicator(indicator).direction == "negative" else 1


def completion(value: float | None, target: float | None, direction: int) -> float | None:
    """The completion rate (完成率) of ``value`` against ``target``: the engine's own ratio
    (:func:`kaoping.scoring.rules.completion`, before its floor and cap): value / target for a
    positive indicator, target / value for a negative one (+inf for 0); None where it has
    none (no value or target, a target <= 0, a negative value of a negative indicator)."""
    from kaoping.scoring import rules

    if value is None or target is None or math.isnan(value) or math.isnan(target):
        return None
    try:
        _, ratio = rules.completion([value], target, 1.0, direction)
    except ValueError:
        return None
    return float(ratio[0])


def percent(ratio: float | None) -> str:
    """A completion rate as the form shows it: ``112.5%`` (one decimal, halves away from zero,
    as JavaScript's ``toFixed``, so that the page's live figure and this agree), ``∞`` for an
    infinite rate, empty for none."""
    if ratio is None or math.isnan(ratio):
        return ""
    if math.isinf(ratio):
        return "∞" if ratio > 0 else "-∞"
    hundred = ratio * 100
    if abs(hundred) >= 1e21:  # where toFixed gives the shortest text, as repr does
        return f"{hundred!r}%"
    exact = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)  # 1e21: 23 digits
    shown = exact.quantize(decimal.Decimal(hundred), decimal.Decimal("0.1"))
    return f"{shown}%"


# --------------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------------


def _width(text: str) -> float:
    """Excel's display width of a text: a CJK or full-width character counts two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def targets_workbook(*, actor: Any, period: Period) -> bytes:
    """The targets workbook of ``period`` (xlsx) for the analyst: sheet ``目标值``, a title row
    saying what it is, a frozen header (代码, 名称, 类别, then for each target-bearing indicator
    ``…上年实际`` in grey, for reference only, and ``…目标值``, prefilled with the current
    target), one row per unit, and Excel's check that a target is a number above 0.

    Refused (InputError) for a period whose methodology scores no indicator against a target.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    access.require_reviewer(actor)
    methodology, indicators = _official(period)
    ids = [i.id for i in indicators]
    stored = _stored(period, ids)
    last = last_actuals(period)
    units = list(Unit.objects.order_by("code"))
    previous = period.previous.code if period.previous else None

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    before = f"灰色列是上一期（{previous}）的实际值，只作参考，导入时不读取；" if previous else ""
    ws.append(
        [
            f"{period.code} 目标值下达表 ·《{methodology.name}》：每行一个单位。{before}"
            "在“目标值”列填写数字（百分比填 12.5，不带 %），须大于 0；留空的单元格不改变"
            "已下达的目标。可以调整列的顺序，但不要改列标题。"
        ]
    )
    headers = list(KEYS)
    for ind in indicators:
        headers += [header(ind, ACTUAL), header(ind, TARGET)]
    ws.append(headers)
    for unit in units:
        line: list[object] = [unit.code, unit.name, unit.category or None]
        for i in ids:
            line += [last.get((unit.code, i)), stored.get((unit.code, i))]
        ws.append(line)

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    grey_fill = PatternFill("solid", fgColor="EDEDED")
    grey_font = Font(color="595959")
    ws["A1"].font = Font(bold=True, size=12)
    ws.freeze_panes = "D3"
    ws.row_dimensions[2].height = 48
    last_row = len(units) + 2
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=col)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = head_fill
        letter = get_column_letter(col)
        # wide enough for the header in at most three lines (two for most)
        width = 10 if col == 1 else 14 if col <= len(KEYS) else _width(text) / 2 + 2
        ws.column_dimensions[letter].width = max(10, min(width, 24))
        if col == 1:
            for row in range(3, last_row + 1):
                ws.cell(row=row, column=col).number_format = "@"  # codes as text
        if col > len(KEYS) and (col - len(KEYS)) % 2 == 1:  # last period's actual: grey
            cell.fill = grey_fill
            for row in range(3, last_row + 1):
                ws.cell(row=row, column=col).fill = grey_fill
                ws.cell(row=row, column=col).font = grey_font
    if indicators and units:
        check = DataValidation(
            type="decimal",
            operator="greaterThan",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="目标值须大于 0 / Above 0",
            error="目标值只填大于 0 的数字，百分比填 12.5（不带 %）；留空则不改变已下达的目标。"
            " A target is a number above 0 (12.5 for 12.5%); leave it empty to keep the current.",
        )
        for k in range(len(indicators)):
            letter = get_column_letter(len(KEYS) + 2 * k + 2)
            check.add(f"{letter}3:{letter}{last_row}")
        ws.add_data_validation(check)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# reading the workbook back
# --------------------------------------------------------------------------------------------


def _file(file: Any) -> tuple[str, bytes]:
    """The uploaded file's name (its last part only: never a path) and content."""
    if isinstance(file, bytes | bytearray):
        return "upload.xlsx", bytes(file)
    name = Path(str(getattr(file, "name", "") or "upload.xlsx")).name or "upload.xlsx"
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise InputError([_too_large(name, size)])
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise InputError([_too_large(name, len(content))])
    return name, content


def _too_large(name: str, size: int) -> Problem:
    return Problem(
        "web.file_too_large",
        f"文件有 {size:,} 字节，超过了目标值表 {MAX_BYTES:,} 字节的上限：请只保留目标值表。",
        f"the file has {size:,} bytes, more than the {MAX_BYTES:,} a targets workbook may "
        "have: keep only the targets sheet.",
        name,
    )


def _grid(name: str, content: bytes) -> Grid:
    """The targets sheet of an uploaded workbook (the sheet 目标值, else the first)."""
    from kaoping.data._xlsx import read_xlsx

    if not content.startswith(_XLSX_MAGIC):
        raise InputError(
            [
                Problem(
                    "web.not_xlsx",
                    "这不是 Excel 工作簿（.xlsx）：请上传下载的目标值表，在 Excel/WPS 中填好后"
                    "另存为 .xlsx（不是 .xls 或 CSV）。",
                    "this is not an Excel workbook (.xlsx): upload the targets workbook you "
                    "downloaded, filled in and saved as .xlsx in Excel or WPS (not .xls or CSV).",
                    name,
                )
            ]
        )
    try:
        return read_xlsx(content, name, SHEET)
    except InputError as error:
        if not any(p.code == "data.missing_sheet" for p in error):
            raise
    return read_xlsx(content, name, None)


@dataclass
class _Columns:
    header_row: int
    code: int | None
    name: int | None
    targets: dict[int, str]  # column -> indicator id


def _at(grid: Grid, row: int, column: int) -> str:
    """A cell's address as the page names it: ``目标值!E7``."""
    from openpyxl.utils import get_column_letter

    return f"{grid.sheet}!{get_column_letter(column)}{row}" if grid.sheet else f"{row}"


def _columns(grid: Grid, indicators: list[Indicator], problems: list[Problem]) -> _Columns | None:
    """Which column is which, by its header (the columns may be in any order); every header
    that is not one of the workbook's is a problem."""
    from kaoping.data._parse import clean_text, header_key
    from kaoping.methodology.template import header as name_and_unit

    found = None
    for number, values in grid.rows[:_HEADER_ROWS]:
        if any(header_key(v) in {header_key(k) for k in _CODE_HEADERS} for v in values):
            found = number, values
            break
    if found is None:
        problems.append(
            Problem(
                "web.targets_no_header",
                "找不到列标题行（含“代码”一列）：请使用下载的目标值表，保留其第 2 行的列标题。",
                "no header row (with a 代码 column) was found: use the downloaded targets "
                "workbook and keep its header row (row 2).",
                grid.sheet or grid.source,
            )
        )
        return None
    row, values = found
    # header key -> what the column is: ("code",), ("target", id), ("actual", id) …
    kinds: dict[str, tuple[str, ...]] = {}
    for ind in indicators:
        for text in (name_and_unit(ind), ind.name, ind.id):
            kinds[header_key(text + TARGET)] = ("target", ind.id)
            kinds[header_key(text + ACTUAL)] = ("actual", ind.id)
    kinds |= {header_key(k): ("code",) for k in _CODE_HEADERS}
    kinds |= {header_key(k): ("name",) for k in _NAME_HEADERS}
    kinds |= {header_key(k): ("category",) for k in _CATEGORY_HEADERS}
    allowed = "、".join(header(i, TARGET) for i in indicators)
    cols = _Columns(row, None, None, {})
    seen: dict[tuple[str, ...], int] = {}
    for column, raw in enumerate(values, start=1):
        key = header_key(raw)
        if not key:
            continue  # a column without a header is not read (a note the analyst kept)
        text = clean_text(str(raw))
        where = _at(grid, row, column)
        kind = kinds.get(key)
        if kind is None:
            if key.endswith(header_key(TARGET)):
                problems.append(
                    Problem(
                        "web.targets_unknown_indicator",
                        f"列“{text}”不是本期按目标完成率计分的指标，无法下达目标。可下达目标的"
                        f"列有：{allowed}。请改正列标题，或删除这一列。",
                        f"the column {text!r} is not an indicator this period scores against a "
                        f"target, so no target can be issued for it. The target columns are: "
                        f"{allowed}. Correct the header or delete the column.",
                        where,
                    )
                )
            else:
                problems.append(
                    Problem(
                        "web.targets_unknown_column",
                        f"列“{text}”不是目标值表的列：请删除这一列，或清空它的标题"
                        "（没有标题的列不读取）。",
                        f"the column {text!r} is not one of the targets workbook's: delete it, or "
                        "clear its header (a column without a header is not read).",
                        where,
                    )
                )
            continue
        if kind in seen:
            problems.append(
                Problem(
                    "web.targets_duplicate_column",
                    f"列“{text}”与 {_at(grid, row, seen[kind])} 重复：每一列只能出现一次，"
                    "请删除其中一列。",
                    f"the column {text!r} repeats {_at(grid, row, seen[kind])}: each column "
                    "may appear once; delete one of them.",
                    where,
                )
            )
            continue
        seen[kind] = column
        if kind[0] == "code":
            cols.code = column
        elif kind[0] == "name":
            cols.name = column
        elif kind[0] == "target":
            cols.targets[column] = kind[1]
    if cols.code is None:  # pragma: no cover - the header row was found by its code column
        return None
    if not cols.targets:
        problems.append(
            Problem(
                "web.targets_no_column",
                f"表中没有任何目标值列：请使用下载的目标值表，目标值列为：{allowed}。",
                f"the sheet has no target column: use the downloaded targets workbook, whose "
                f"target columns are: {allowed}.",
                _at(grid, row, 1),
            )
        )
    return cols


def _cell(values: list[object], column: int) -> object:
    return values[column - 1] if column <= len(values) else None


def _number(grid: Grid, row: int, column: int, raw: object, problems: list[Problem]) -> float:
    """A target cell as a number (NaN: empty); a cell that is not a number is a problem."""
    from kaoping.data import Bad, parse_number

    where = _at(grid, row, column)
    if (row, column) in grid.formulas:
        problems.append(
            Problem(
                "data.formula_without_value",
                f"公式 {grid.formulas[row, column]} 没有保存计算结果：请在 Excel/WPS 中打开并"
                "保存一次，或直接填写数值。",
                f"the formula {grid.formulas[row, column]} has no saved result: open and save "
                "the file in Excel or WPS, or enter the value.",
                where,
            )
        )
        return math.nan
    if (row, column) in grid.percent and isinstance(raw, int | float):
        shown = f"{raw * 100:.10g}%"
        problems.append(
            Problem(
                "data.not_a_number",
                f"“{shown}”是百分比格式（实际存的是 {raw!r}），无法确定目标是 {raw * 100:.10g} "
                "还是它的百分之一：请把单元格格式改为“常规”，填写 12.5 这样的数字（不带 %）。",
                f"{shown!r} is formatted as a percentage (the cell holds {raw!r}), so it is "
                f"ambiguous whether {raw * 100:.10g} is meant: set the cell format to General and "
                "write the number, such as 12.5 (no %).",
                where,
            )
        )
        return math.nan
    value = parse_number(raw)
    if isinstance(value, Bad):
        problems.append(Problem("data.not_a_number", value.zh, value.en, where))
        return math.nan
    return value


def _read(
    grid: Grid, indicators: list[Indicator], problems: list[Problem]
) -> dict[tuple[str, str], float]:
    """(unit code, indicator) -> target of every filled target cell of the sheet."""
    from kaoping.data import Bad
    from kaoping.data._parse import clean_text, parse_code
    from kaoping.data._sheet import is_blank

    cols = _columns(grid, indicators, problems)
    if cols is None or cols.code is None:
        return {}
    names = {i.id: i.name for i in indicators}
    units = {u.code: u for u in Unit.objects.all()}
    out: dict[tuple[str, str], float] = {}
    first_row: dict[str, int] = {}
    for row, values in grid.rows:
        if row <= cols.header_row:
            continue
        raw_code = _cell(values, cols.code)
        filled = [c for c in cols.targets if not is_blank(_cell(values, c))]
        code = parse_code(raw_code)
        where = _at(grid, row, cols.code)
        if isinstance(code, Bad):
            problems.append(Problem("data.bad_code", code.zh, code.en, where))
            continue
        if code is None:
            if filled:
                problems.append(
                    Problem(
                        "web.targets_no_code",
                        f"第 {row} 行填了目标值，却没有单位代码：请填写单位代码，或删除这一行。",
                        f"row {row} has targets but no unit code: enter the unit's code or "
                        "delete the row.",
                        where,
                    )
                )
            continue
        unit = units.get(code)
        if unit is None:
            problems.append(
                Problem(
                    "web.unknown_unit",
                    f"没有代码为 {code} 的单位：请核对代码（下载的目标值表列出了平台上的全部"
                    "单位），或删除这一行。",
                    f"there is no unit with the code {code}: check the code (the downloaded "
                    "workbook lists every unit of the platform) or delete the row.",
                    where,
                )
            )
            continue
        if code in first_row:
            problems.append(
                Problem(
                    "web.targets_unit_twice",
                    f"单位 {code}（{unit.name}）在第 {first_row[code]} 行已经列过：每个单位只能"
                    "列一行，请合并这两行，或删除其中一行。",
                    f"the unit {code} ({unit.name}) is listed already in row {first_row[code]}: "
                    "each unit may have one row; merge the two rows or delete one.",
                    where,
                )
            )
            continue
        first_row[code] = row
        if cols.name is not None:  # a row moved against its code: the name says so
            name = _cell(values, cols.name)
            shown = "" if is_blank(name) else clean_text(str(name))
            if shown and shown not in (unit.name, unit.name_en):
                problems.append(
                    Problem(
                        "web.targets_name_mismatch",
                        f"代码 {code} 是{unit.name}，这一行的名称却是“{shown}”：请核对这一行的"
                        "代码和名称。",
                        f"the code {code} is {unit.name}, but the row's name is {shown!r}: check "
                        "the row's code and name.",
                        _at(grid, row, cols.name),
                    )
                )
        for column in filled:
            indicator = cols.targets[column]
            value = _number(grid, row, column, _cell(values, column), problems)
            if math.isnan(value):
                continue
            if not value > 0:
                problems.append(
                    Problem(
                        "web.target_not_positive",
                        f"{unit.name}的{names[indicator]}目标值为 {value:g}，须大于 0：请改正，"
                        "或留空（不改变已下达的目标）。",
                        f"the target of {names[indicator]} for {unit.name} is {value:g}; it must "
                        "be above 0: correct it, or leave it empty (the current one is kept).",
                        _at(grid, row, column),
                    )
                )
                continue
            out[code, indicator] = value
    return out


def targets_upload(*, actor: Any, period: Period, file: Any) -> int:
    """Issue the targets of a filled targets workbook (:func:`targets_workbook`); the number of
    targets written (new or changed) is returned.

    The columns are found by their headers, in any order; last period's actuals, the names
    and categories are not read (a name that is not its code's unit's is a problem: the row
    has moved).  An **empty target cell leaves that target as it is** — an upload never
    removes a target (an emptied cell and one never filled look the same); correct one on the
    page instead.  Every problem (not an xlsx, an unknown unit code or column, a cell that is
    not a number, a target <= 0, a unit listed twice …) is raised together as InputError, each
    named by its cell (``目标值!E7``), and then nothing is saved.  Refused after the period's
    results are published (PermissionDenied).
    """
    access.require_reviewer(actor)
    _, indicators = _official(period)
    _require_changeable(period)
    name, content = _file(file)
    grid = _grid(name, content)
    problems: list[Problem] = []
    found = _read(grid, indicators, problems)
    if problems:
        raise InputError(problems)
    units = {u.code: u for u in Unit.objects.filter(code__in={c for c, _ in found})}
    reason = f"{UPLOAD_REASON}:{name}"[:100]
    with transaction.atomic():
        current = _locked(period)
        _require_changeable(current)
        existing = {
            (t.unit.code, t.indicator): t
            for t in Target.objects.filter(period=current).select_related("unit")
        }
        new: list[Target] = []
        changed: list[Target] = []
        for (code, indicator), value in sorted(found.items()):
            target = existing.get((code, indicator))
            if target is None:
                new.append(
                    Target(period=current, unit=units[code], indicator=indicator, value=value)
                )
            elif target.value != value:
                target.value = value
                changed.append(target)
        if new:
            bulk_create_with_history(new, Target, default_user=actor, default_change_reason=reason)
        if changed:
            bulk_update_with_history(
                changed, Target, ["value"], default_user=actor, default_change_reason=reason
            )
        AuditEvent.record(
            AuditEvent.Action.TARGETS_UPLOAD,
            actor,
            period=current,
            file=name,
            units=len({c for c, _ in found}),
            created=len(new),
            changed=len(changed),
            unchanged=len(found) - len(new) - len(changed),
        )
    return len(new) + len(changed)


# --------------------------------------------------------------------------------------------
# one target
# --------------------------------------------------------------------------------------------


def target_set(
    *, actor: Any, period: Period, unit: Unit, indicator: str, value: object, reason: str
) -> Target:
    """Set one county's target of one indicator (a correction on the page), with the reason,
    which is kept in the target's history and in the audit log (with old and new).

    Every problem (an indicator not scored against a target, a value that is not a number
    above 0 or is the target already, no reason) is raised together as InputError, named by
    the form's field (``indicator``, ``value``, ``reason``).  Refused after the period's
    results are published (PermissionDenied)."""
    from kaoping.data import Bad, parse_number

    access.require_reviewer(actor)
    _, indicators = _official(period)
    _require_changeable(period)
    known = {i.id: i for i in indicators}
    problems: list[Problem] = []
    if indicator not in known:
        listed = "、".join(i.name for i in indicators)
        problems.append(
            Problem(
                "web.targets_unknown_indicator",
                f"{indicator or '（空）'} 不是本期按目标完成率计分的指标：请从 {listed} 中选择。",
                f"{indicator or '(empty)'} is not an indicator this period scores against a "
                f"target: choose one of {listed}.",
                "indicator",
            )
        )
    number = parse_number(value if value != "" else None)
    if isinstance(number, Bad):
        problems.append(Problem("data.not_a_number", number.zh, number.en, "value"))
    elif math.isnan(number):
        problems.append(
            Problem(
                "web.target_required",
                "请填写目标值（大于 0 的数字）。",
                "enter the target (a number above 0).",
                "value",
            )
        )
    elif not number > 0:
        problems.append(
            Problem(
                "web.target_not_positive",
                f"目标值为 {number:g}，须大于 0。",
                f"the target is {number:g}; it must be above 0.",
                "value",
            )
        )
    reason = (reason or "").strip()
    if not reason:
        problems.append(
            Problem(
                "web.target_reason_required",
                "修改目标值须说明原因（如所依据的文件）。",
                "say why the target is changed (e.g. the document it follows).",
                "reason",
            )
        )
    if problems:
        raise InputError(problems)
    assert isinstance(number, float)
    with transaction.atomic():
        current = _locked(period)
        _require_changeable(current)
        target = (
            Target.objects.select_for_update()
            .filter(period=current, unit=unit, indicator=indicator)
            .first()
        )
        old = None if target is None else target.value
        if old == number:
            raise InputError(
                [
                    Problem(
                        "web.target_unchanged",
                        f"{unit.name}的{known[indicator].name}目标值已经是 {number:g}，无需修改。",
                        f"the target of {known[indicator].name} for {unit.name} is {number:g} "
                        "already: nothing to change.",
                        "value",
                    )
                ]
            )
        if target is None:
            target = Target(period=current, unit=unit, indicator=indicator, value=number)
        else:
            target.value = number
        most = Target.history.model._meta.get_field("history_change_reason").max_length
        target._change_reason = reason if len(reason) <= most else reason[: most - 1] + "…"  # type: ignore[attr-defined]
        target._history_user = actor  # type: ignore[attr-defined]
        target.save()
        AuditEvent.record(
            AuditEvent.Action.TARGET_SET,
            actor,
            period=current,
            unit=unit.code,
            indicator=indicator,
            old=old,
            new=number,
            reason=reason,
        )
    return target
