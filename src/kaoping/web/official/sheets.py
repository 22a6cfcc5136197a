"""Departments' sheets (职能部门报送): a department supplies the figures of its indicators for
every county at once, on a page or in a workbook, and the city office reviews the sheet as it
reviews a county's submission; a county sees the figures supplied for it, read-only, and may
dispute one, which the office answers.

Services, keyword-only, one transaction each, rights checked here, every workflow action
written to the audit log (``sheet.*``, ``dispute.*``).  A figure is parsed as the engine parses
a cell and checked by the methodology's plausibility rules, the ones the counties' form uses
(:mod:`kaoping.methodology.plausibility`): a figure outside its hard range (or breaking a hard
cross-check between the department's own indicators) is refused, every problem at once, named
by county and indicator (or, in a workbook, by cell), and then nothing is stored.  A soft rule
(the usual range, the year-on-year limit) does not refuse a department's figure, which has no
note to explain it: it is shown beside the figure, to the department and to the reviewer (see
:func:`sheet_flags`), with the cross-checks between a department's figure and a county's own.

Which indicators a department supplies: :func:`kaoping.web.official.inputs.suppliers`, and only
in a period whose methodology is official (an academic period is collected as before, every
figure by the counties).
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import AuditEvent, Period, Unit, Value
from kaoping.web.collection.services import StaleEdit
from kaoping.web.official.access import department_of, require_department
from kaoping.web.official.inputs import suppliers
from kaoping.web.official.models import DepartmentSheet, DepartmentValue, Dispute, Review

if TYPE_CHECKING:
    from kaoping.methodology import Methodology
    from kaoping.methodology.plausibility import Flag

EDITABLE = (Review.DRAFT, Review.RETURNED)
"""A sheet its department may change (while the period is open)."""

SENT = (Review.SUBMITTED, Review.APPROVED)
"""A sheet whose figures a county sees (and may dispute): sent by its department."""

SHEET = "报送表"
"""The worksheet of a department's workbook (:func:`sheet_template`)."""

_DEPARTMENT_LABEL, _PERIOD_LABEL = "报送部门", "期次"
_CODE, _NAME = "代码", "名称"

_STATUS = {  # a sheet's status in a problem's two languages
    None: ("尚未开始填报", "not started"),
    Review.DRAFT: ("尚未报送", "not yet submitted"),
    Review.SUBMITTED: ("已报送、待审核", "submitted, awaiting review"),
    Review.RETURNED: ("已退回修改", "returned for correction"),
    Review.APPROVED: ("已审核通过", "approved"),
}

Cell = tuple[str, str]
"""A figure of a sheet: (unit code, indicator id)."""


# -- what a department supplies -----------------------------------------------------------------


def supplied(period: Period) -> dict[str, str]:
    """Indicator id -> the department that supplies its figures in ``period`` (the
    methodology's order); empty for an academic period, whose figures the counties give."""
    return suppliers(methodology_of(period.methodology))


def indicators_for(period: Period, department: str) -> list[str]:
    """The indicators ``department`` supplies in ``period``, in the methodology's order."""
    return [k for k, v in supplied(period).items() if v == department]


def field(code: str, indicator: str) -> str:
    """The name of a figure's field on the sheet's page (and the ``where`` of its problems)."""
    return f"{code}.{indicator}"


def can_view_sheet(user: Any, sheet: DepartmentSheet) -> bool:
    return access.is_reviewer(user) or department_of(user) == sheet.department


def can_edit_sheet(user: Any, sheet: DepartmentSheet) -> bool:
    """Its own department, while the period is open and the sheet a draft or returned."""
    return (
        department_of(user) == sheet.department
        and sheet.period.status == Period.Status.OPEN
        and sheet.status in EDITABLE
    )


def sheet_get_or_start(*, actor: Any, period: Period) -> DepartmentSheet:
    """The actor's department's sheet of ``period``, created empty when it has none; refused
    to every other role, and to a department that supplies nothing in the period."""
    department = require_department(actor)
    if not indicators_for(period, department):
        raise PermissionDenied(
            _("Your department supplies no figure in this period's methodology.")
        )
    sheet, _created = DepartmentSheet.objects.get_or_create(period=period, department=department)
    return sheet


def sheet_of(period: Period, department: str) -> DepartmentSheet | None:
    """A department's sheet of ``period`` (None: not started)."""
    return (
        DepartmentSheet.objects.filter(period=period, department=department)
        .select_related("period")
        .first()
    )


def figures_of(sheet: DepartmentSheet) -> dict[Cell, float | None]:
    """The sheet's figures, by (unit code, indicator)."""
    return {
        (code, indicator): value
        for code, indicator, value in sheet.values.values_list("unit__code", "indicator", "value")
    }


def previous_figures(period: Period, indicators: list[str]) -> dict[str, dict[str, float]]:
    """Last period's figures of ``indicators``, by unit code: a department's approved sheet
    where it had one, else the county's own (what the sheet shows beside each figure and
    the year-on-year rule compares with)."""
    before = period.previous
    out: dict[str, dict[str, float]] = defaultdict(dict)
    if before is None:
        return out
    for code, indicator, value in Value.objects.filter(
        submission__period=before, indicator__in=indicators, value__isnull=False
    ).values_list("submission__unit__code", "indicator", "value"):
        out[code][indicator] = float(value)
    for code, indicator, value in DepartmentValue.objects.filter(
        sheet__period=before,
        sheet__status=Review.APPROVED,
        indicator__in=indicators,
        value__isnull=False,
    ).values_list("unit__code", "indicator", "value"):
        out[code][indicator] = float(value)
    return out


# -- the rules ----------------------------------------------------------------------------------


def _label(code: str, names: Mapping[str, str]) -> tuple[str, str]:
    name = names.get(code)
    return (f"{code}（{name}）", f"{code} ({name})") if name else (code, code)


def _of_county(problem: Problem, code: str, names: Mapping[str, str]) -> Problem:
    """The problem with the county it is about in front."""
    zh, en = _label(code, names)
    return Problem(problem.code, f"{zh}：{problem.zh}", f"{en}: {problem.en}", problem.where)


def _frame(figures: Mapping[Cell, float | None], codes: list[str], indicators: list[str]) -> Any:
    import numpy as np
    import pandas as pd

    rows = [
        [np.nan if (v := figures.get((c, i))) is None else float(v) for i in indicators]
        for c in codes
    ]
    return pd.DataFrame(rows, index=codes, columns=indicators, dtype=np.float64)


def _flags(
    methodology: Methodology,
    figures: Mapping[Cell, float | None],
    indicators: list[str],
    previous: Mapping[str, Mapping[str, float]],
    others: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Flag]:
    """The plausibility flags of a sheet's figures: its indicators' rules, and with ``others``
    (each county's figures of other indicators) the cross-checks that involve one of them,
    each flag placed at the sheet's indicator it involves."""
    from kaoping.methodology.plausibility import Flag, check

    codes = sorted({c for c, _i in figures})
    if not codes:
        return []
    extra = sorted({i for row in (others or {}).values() for i in row} - set(indicators))
    every = {**figures}
    for code in codes:
        for indicator in extra:
            every[(code, indicator)] = (others or {}).get(code, {}).get(indicator)
    current = _frame(every, codes, indicators + extra)
    before = _frame(
        {(c, i): previous.get(c, {}).get(i) for c in codes for i in indicators}, codes, indicators
    )
    own = set(indicators)
    out = []
    mixed = others is not None
    for flag in check(methodology, current, before, indicators=None if mixed else indicators):
        involved = [i for i in flag.indicators if i in own]
        if not involved:
            continue  # the counties' own rule: their form says it
        if flag.indicator not in own:
            flag = Flag(
                flag.code, flag.severity, flag.unit, involved[0], flag.indicators, flag.zh, flag.en
            )
        out.append(flag)
    return out


def sheet_flags(sheet: DepartmentSheet) -> dict[Cell, list[Problem]]:
    """What the plausibility rules say of a sheet's saved figures, by (county, indicator), to
    be shown beside each one: the soft rules (unusual, not refused) and the cross-checks with
    each county's own approved figures (e.g. a county's budget revenue above the GDP the
    statistics bureau supplied)."""
    from kaoping.web.collection.models import Submission

    methodology = methodology_of(sheet.period.methodology)
    indicators = indicators_for(sheet.period, sheet.department)
    figures = {k: v for k, v in figures_of(sheet).items() if k[1] in indicators}
    others: dict[str, dict[str, float]] = defaultdict(dict)
    for code, indicator, value in Value.objects.filter(
        submission__period=sheet.period,
        submission__status=Submission.Status.APPROVED,
        value__isnull=False,
    ).values_list("submission__unit__code", "indicator", "value"):
        if indicator not in indicators:
            others[code][indicator] = float(value)
    previous = previous_figures(sheet.period, indicators)
    out: dict[Cell, list[Problem]] = {}
    for flag in _flags(methodology, figures, indicators, previous, others):
        problem = flag.problem(field(flag.unit, flag.indicator), note=False)
        out.setdefault((flag.unit, flag.indicator), []).append(problem)
    return out


# -- saving -------------------------------------------------------------------------------------


class SheetProblems(InputError):
    """A refused save's problems; ``cells`` holds those of one figure, by (code, indicator),
    for the page to show beside it."""

    def __init__(self, problems: list[Problem], cells: dict[Cell, list[Problem]]) -> None:
        super().__init__(problems)
        self.cells = cells


def _stale(current: DepartmentSheet, version: int) -> StaleEdit:
    return StaleEdit(
        _(
            "Someone else saved this sheet after you opened it (version %(new)d, you edited "
            "%(old)d). Reload the page to see their figures, then make your changes again."
        )
        % {"new": current.version, "old": version}
    )


def _refused() -> PermissionDenied:
    return PermissionDenied(
        _("This sheet cannot be changed: it is not your department's, or not open for editing.")
    )


def sheet_save(
    *,
    actor: Any,
    sheet: DepartmentSheet,
    values: Mapping[Cell, object],
    version: int,
) -> DepartmentSheet:
    """Save figures of a sheet: (unit code, indicator id) -> a number, or a cell's text
    (``"1,234.5"``), or None / ``""`` for a figure not given.

    ``version`` is the sheet's version when it was opened: if someone saved in between,
    :class:`~kaoping.web.collection.services.StaleEdit` is raised and nothing is written.
    Every problem (a county that does not exist, an indicator the department does not
    supply, text that is not a number, a figure outside its hard range) is raised together as
    :class:`SheetProblems`, each naming its county and indicator, and then nothing is saved.
    """
    return _save(actor, sheet, values, version)


def _save(
    actor: Any,
    sheet: DepartmentSheet,
    values: Mapping[Cell, object],
    version: int,
    *,
    cells: Mapping[Cell, str] | None = None,
    early: list[Problem] | None = None,
    source: str | None = None,
) -> DepartmentSheet:
    """:func:`sheet_save`; from a file (:func:`sheet_upload`), each problem at its cell
    (``cells``) and with the file's own problems (``early``) reported in the same go."""
    from kaoping.data import Bad, parse_number

    with transaction.atomic():
        current = (
            DepartmentSheet.objects.select_for_update().select_related("period").get(pk=sheet.pk)
        )
        if not can_edit_sheet(actor, current):
            raise _refused()
        if current.version != version:
            raise _stale(current, version)
        methodology = methodology_of(current.period.methodology)
        known = {i.id: i for i in methodology.indicators}
        own = indicators_for(current.period, current.department)
        units = {u.code: u for u in Unit.objects.all()}
        names = {code: u.name for code, u in units.items()}
        existing = {
            (v.unit.code, v.indicator): v
            for v in DepartmentValue.objects.filter(sheet=current).select_related("unit")
        }
        problems: list[Problem] = list(early or [])
        by_cell: dict[Cell, list[Problem]] = {}

        def refuse(key: Cell, problem: Problem) -> None:
            at = (cells or {}).get(key, source) if cells is not None else field(*key)
            located = Problem(problem.code, problem.zh, problem.en, at)
            problems.append(located)
            by_cell.setdefault(key, []).append(located)

        parsed: dict[Cell, float | None] = {}
        for (code, indicator), raw in values.items():
            key = (code, indicator)
            if code not in units:
                refuse(
                    key,
                    Problem(
                        "web.unknown_unit",
                        f"没有代码为 {code} 的县（市、区）：请使用平台下载的报送表中的代码。",
                        f"there is no county with the code {code}: use the codes of the sheet "
                        "downloaded from the platform.",
                    ),
                )
                continue
            if indicator not in own:
                name = known[indicator].name if indicator in known else indicator
                refuse(
                    key,
                    Problem(
                        "web.not_the_departments_indicator",
                        f"{name} 不是{current.department}报送的指标，不能在本表中填报。",
                        f"{name} is not an indicator {current.department} supplies: it cannot "
                        "be given on this sheet.",
                    ),
                )
                continue
            number = raw if isinstance(raw, float | int) else parse_number(raw or None)
            if isinstance(number, Bad):
                refuse(
                    key,
                    _of_county(
                        Problem("data.not_a_number", f"{known[indicator].name}：{number.zh}",
                                f"{known[indicator].name_en or indicator}: {number.en}"),
                        code, names,
                    ),
                )  # fmt: skip
                continue
            parsed[key] = None if math.isnan(float(number)) else float(number)
        # the rules see the whole sheet: what is saved, with what this save changes
        figures = {k: v.value for k, v in existing.items() if k[1] in own}
        figures.update(parsed)
        bad = set(by_cell)
        previous = previous_figures(current.period, own)
        for flag in _flags(methodology, figures, own, previous):
            key = (flag.unit, flag.indicator)
            if flag.severity == "hard" and key not in bad:
                refuse(key, _of_county(flag.problem(None), flag.unit, names))
        if problems:
            raise SheetProblems(problems, by_cell)
        changed = _write(actor, current, parsed, existing, units)
        current.version += 1
        current.save(update_fields=["version"])
        AuditEvent.record(
            AuditEvent.Action.SHEET_SAVE,
            actor,
            period=current.period,
            department=current.department,
            changed=[f"{c}/{i}" for c, i in changed],
            **({"file": source} if source else {}),
        )
    return current


def _write(
    actor: Any,
    sheet: DepartmentSheet,
    parsed: Mapping[Cell, float | None],
    existing: Mapping[Cell, DepartmentValue],
    units: Mapping[str, Unit],
) -> list[Cell]:
    new_rows: list[DepartmentValue] = []
    changed_rows: list[DepartmentValue] = []
    changed: list[Cell] = []
    for (code, indicator), value in sorted(parsed.items()):
        row = existing.get((code, indicator))
        if row is None:
            if value is None:
                continue  # nothing given, nothing saved
            row = DepartmentValue(sheet=sheet, unit=units[code], indicator=indicator, value=value)
            new_rows.append(row)
        elif row.value == value:
            continue
        else:
            row.value = value
            changed_rows.append(row)
        row._history_user = actor  # type: ignore[attr-defined]
        row._change_reason = "saved"  # type: ignore[attr-defined]
        changed.append((code, indicator))
    if new_rows:
        bulk_create_with_history(new_rows, DepartmentValue, default_user=actor)
    if changed_rows:
        bulk_update_with_history(changed_rows, DepartmentValue, ["value"], default_user=actor)
    return changed


# -- the workbook -------------------------------------------------------------------------------


def sheet_template(*, actor: Any, sheet: DepartmentSheet) -> bytes:
    """The sheet as an xlsx workbook: one row per county (代码, 名称), one column per indicator
    the department supplies, headed by its Chinese name and unit (``地区生产总值（亿元）``), the
    figures saved so far filled in; each header's comment gives the indicator's caliber and
    rules.  :func:`sheet_upload` reads it back."""
    import io

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from kaoping.methodology.plausibility import limits
    from kaoping.methodology.template import header

    if not can_view_sheet(actor, sheet):
        raise PermissionDenied(_("You may only open your own department's sheet."))
    methodology = methodology_of(sheet.period.methodology)
    known = {i.id: i for i in methodology.indicators}
    own = [known[i] for i in indicators_for(sheet.period, sheet.department)]
    saved = figures_of(sheet)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append(
        [
            f"《{methodology.name}》{sheet.department} {sheet.period.code} 报送表：每行一个县"
            "（市、区），每列一个指标；数值只填数字（百分比填 12.5，不带 %），不要改动代码和表头。"
        ]
    )
    ws.append([_DEPARTMENT_LABEL, sheet.department, _PERIOD_LABEL, sheet.period.code])
    ws.append([_CODE, _NAME] + [header(i) for i in own])
    for unit in Unit.objects.order_by("code"):
        ws.append([unit.code, unit.name] + [saved.get((unit.code, i.id)) for i in own])
    ws["A1"].font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column in range(1, len(own) + 3):
        cell = ws.cell(row=3, column=column)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = 16 if column > 2 else 12
        if column > 2:
            indicator = own[column - 3]
            rules, _en = limits(methodology, indicator).describe(indicator.unit)
            text = "\n".join(
                p for p in (f"{indicator.name}（{indicator.id}）", indicator.caliber, rules) if p
            )
            cell.comment = Comment(text, "kaoping", width=320, height=140)
    for row in range(4, ws.max_row + 1):
        ws.cell(row=row, column=1).number_format = "@"  # codes as text
    ws.row_dimensions[3].height = 48
    ws.freeze_panes = "C4"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_problem(code: str, text: str, where: str, zh: str, en: str) -> Problem:
    return Problem(code, f"表头“{text}”{zh}", f"the header {text!r} {en}", where)


def _unknown_unit(code: str, where: str) -> Problem:
    return Problem(
        "web.unknown_unit",
        f"没有代码为 {code} 的县（市、区）：请使用平台下载的报送表中的代码。",
        f"there is no county with the code {code}: use the codes of the sheet downloaded from "
        "the platform.",
        where,
    )


class _Reader:
    """Reads a department's workbook: its header (代码, 名称, the indicators), then each
    county's row; every problem by its cell in ``problems``."""

    def __init__(self, grid: Any, sheet: DepartmentSheet, methodology: Methodology) -> None:
        from kaoping.data._parse import header_key
        from kaoping.methodology.template import header

        self.grid, self.sheet = grid, sheet
        self.own = set(indicators_for(sheet.period, sheet.department))
        self.by_key: dict[str, str] = {}
        for indicator in methodology.indicators:
            for text in (header(indicator), indicator.name, indicator.id):
                self.by_key.setdefault(header_key(text), indicator.id)
        self.units = dict(Unit.objects.values_list("code", "name"))
        self.by_name = {header_key(name): code for code, name in self.units.items()}
        self.problems: list[Problem] = []
        self.values: dict[Cell, float | None] = {}
        self.cells: dict[Cell, str] = {}
        self.code_col: int | None = None
        self.name_col: int | None = None
        self.columns: dict[int, str] = {}  # 1-based column -> indicator id

    def read(self) -> None:
        from kaoping.data._parse import header_key

        keys = {header_key(_CODE), header_key(_NAME)}
        position = next(
            (
                k
                for k, (_row, cells) in enumerate(self.grid.rows[:10])
                if keys & {header_key(c) for c in cells if c is not None}
            ),
            None,
        )
        if position is None:
            self.problems.append(
                Problem(
                    "web.sheet_no_header",
                    f"前 10 行中没有含“{_CODE}”或“{_NAME}”的表头：请使用平台下载的报送表。",
                    f"none of the first 10 rows is a header with {_CODE} (code) or {_NAME} "
                    "(name): use the sheet downloaded from the platform.",
                    self.grid.name,
                )
            )
            return
        self._period(self.grid.rows[:position])
        self._header(*self.grid.rows[position])
        seen: dict[str, str] = {}
        for row, cells in self.grid.rows[position + 1 :]:
            code = self._unit(row, cells, seen)
            if code is not None:
                for column, ident in self.columns.items():
                    self._figure(row, column, cells, code, ident)

    def _period(self, rows: list[tuple[int, list[object]]]) -> None:
        """A sheet of another period (its 期次 above the header) is refused."""
        from kaoping.data._parse import clean_text, parse_period

        for row, cells in rows:
            for k, value in enumerate(cells[:-1]):
                if not (isinstance(value, str) and clean_text(value) == _PERIOD_LABEL):
                    continue
                found = parse_period(cells[k + 1])
                code = self.sheet.period.code
                if isinstance(found, str) and found != code:
                    self.problems.append(
                        Problem(
                            "web.sheet_wrong_period",
                            f"这是 {found} 的报送表，不是 {code} 的：请下载本期的报送表。",
                            f"this is the sheet of {found}, not of {code}: download this "
                            "period's sheet.",
                            self.grid.where(row, k + 2),
                        )
                    )

    def _header(self, row: int, cells: list[object]) -> None:
        from kaoping.data._parse import header_key, header_key_without_unit, show
        from kaoping.data._sheet import is_blank

        department = self.sheet.department
        for k, text in enumerate(cells, start=1):
            if is_blank(text):
                continue
            key = header_key(text)
            if key == header_key(_CODE):
                self.code_col = k
                continue
            if key == header_key(_NAME):
                self.name_col = k
                continue
            ident = self.by_key.get(key) or self.by_key.get(header_key_without_unit(key) or "")
            where, shown = self.grid.where(row, k), show(text)
            if ident is None:
                self.problems.append(
                    _column_problem("web.sheet_unknown_column", shown, where,
                                    "不是本期考核办法的指标：请不要改动表头。",
                                    "is not an indicator of this period's methodology: do not "
                                    "change the header.")
                )  # fmt: skip
            elif ident not in self.own:
                self.problems.append(
                    _column_problem("web.not_the_departments_indicator", shown, where,
                                    f"不是{department}报送的指标：请删去这一列。",
                                    f"is not an indicator {department} supplies: delete the "
                                    "column.")
                )  # fmt: skip
            elif ident in self.columns.values():
                self.problems.append(
                    _column_problem("web.sheet_duplicate_column", shown, where,
                                    "重复了：同一指标只能有一列，请删去一列。",
                                    "repeats a column: give each indicator one column.")
                )  # fmt: skip
            else:
                self.columns[k] = ident

    def _unit(self, row: int, cells: list[object], seen: dict[str, str]) -> str | None:
        """The county of a row, by its code (or its name); None, with the problem, when the
        row names none of the platform's, or a county a row above named already."""
        from kaoping.data import Bad
        from kaoping.data._parse import header_key, parse_code, show
        from kaoping.data._sheet import is_blank

        if all(is_blank(c) for c in cells):
            return None
        raw_code, raw_name = _at(cells, self.code_col), _at(cells, self.name_col)
        where = self.grid.where(row, self.code_col or self.name_col or 1)
        name_at = self.grid.where(row, self.name_col or self.code_col or 1)
        code = parse_code(raw_code)
        if isinstance(code, Bad):
            self.problems.append(Problem("data.bad_code", code.zh, code.en, where))
            return None
        named = None if is_blank(raw_name) else self.by_name.get(header_key(raw_name))
        shown = "" if is_blank(raw_name) else show(raw_name)
        problem: Problem | None = None
        if code is None and named is None:
            problem = Problem(
                "web.unknown_unit",
                f"“{shown}”不是平台上的县（市、区）：请填写代码，或使用平台下载的报送表中的名称。",
                f"{shown!r} is not a county of the platform: give its code, or use the names of "
                "the sheet downloaded from the platform.",
                name_at,
            )
        elif code is not None and code not in self.units:
            problem = _unknown_unit(code, where)
        elif code is not None and named is not None and named != code:
            problem = Problem(
                "web.unit_code_and_name",
                f"代码 {code} 是{self.units[code]}，名称却是“{shown}”：请核对这一行。",
                f"the code {code} is {self.units[code]}, but the name is {shown!r}: check the row.",
                name_at,
            )
        code = code or named
        if problem is None and code in seen:
            name = self.units[code]
            problem = Problem(
                "web.sheet_duplicate_unit",
                f"{code}（{name}）有两行（另一行在 {seen[code]}）：请删去一行。",
                f"{code} ({name}) has two rows (the other at {seen[code]}): delete one.",
                where,
            )
        if problem is not None or code is None:
            self.problems.extend([problem] if problem else [])
            return None
        seen[code] = where
        return code

    def _figure(self, row: int, column: int, cells: list[object], code: str, ident: str) -> None:
        from kaoping.data import Bad, parse_number

        raw = _at(cells, column)
        where = self.grid.where(row, column)
        self.cells[(code, ident)] = where
        if (row, column) in self.grid.formulas:
            formula = self.grid.formulas[row, column]
            self.problems.append(
                Problem(
                    "data.formula_without_value",
                    f"公式 {formula} 没有保存计算结果：请在 Excel/WPS 中打开并保存一次，"
                    "或直接填写数值。",
                    f"the formula {formula} has no saved result: open and save the file in "
                    "Excel or WPS, or enter the value.",
                    where,
                )
            )
            return
        if (row, column) in self.grid.percent and isinstance(raw, int | float):
            shown = f"{raw * 100:.10g}"
            self.problems.append(
                Problem(
                    "data.not_a_number",
                    f"单元格是百分比格式（显示 {shown}%），无法确定该按 {shown} 还是 {raw!r} 计："
                    "请把单元格格式改为“常规”，按指标的计量单位填写数字。",
                    f"the cell is formatted as a percentage (it shows {shown}%): it is "
                    f"ambiguous whether {shown} or {raw!r} is meant; set the format to General "
                    "and write the number in the indicator's unit.",
                    where,
                )
            )
            return
        number = parse_number(raw)
        if isinstance(number, Bad):
            self.problems.append(Problem("data.not_a_number", number.zh, number.en, where))
            return
        self.values[(code, ident)] = None if math.isnan(number) else number


def _at(cells: list[object], column: int | None) -> object:
    """The cell of a row in 1-based ``column`` (None beyond the row, or without the column)."""
    return cells[column - 1] if column is not None and column <= len(cells) else None


def sheet_upload(
    *, actor: Any, sheet: DepartmentSheet, filename: str, content: bytes, version: int
) -> DepartmentSheet:
    """Save the figures of a filled workbook (:func:`sheet_template`, or any sheet with a
    代码/名称 header and the indicators' names as columns).  Every problem is raised together
    as :class:`SheetProblems`, each at its cell (``报送表!D5``): a county whose code or name is
    unknown, a column that is not one of the department's indicators, a cell that is not a
    number, a figure outside its hard range; and then nothing is stored.  The file replaces
    the figures of the counties and indicators it has (an empty cell: a figure not given)."""
    from kaoping.data._sheet import load_grid

    if not can_edit_sheet(actor, sheet):
        raise _refused()
    name = Path(filename).name or "upload.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        grid = load_grid(path)  # InputError: not a workbook, damaged, too large …
    reader = _Reader(grid, sheet, methodology_of(sheet.period.methodology))
    reader.read()
    if any(p.code == "web.sheet_no_header" for p in reader.problems):
        raise SheetProblems(reader.problems, {})
    return _save(
        actor,
        sheet,
        reader.values,
        version,
        cells=reader.cells,
        early=reader.problems,
        source=grid.name,
    )


# -- the review ---------------------------------------------------------------------------------


def missing(sheet: DepartmentSheet) -> dict[str, list[str]]:
    """Unit code -> the indicators of the sheet that have no figure yet (every county)."""
    own = indicators_for(sheet.period, sheet.department)
    given = {k for k, v in figures_of(sheet).items() if v is not None}
    out: dict[str, list[str]] = {}
    for code in Unit.objects.order_by("code").values_list("code", flat=True):
        lacking = [i for i in own if (code, i) not in given]
        if lacking:
            out[code] = lacking
    return out


def sheet_submit(*, actor: Any, sheet: DepartmentSheet) -> DepartmentSheet:
    """The department sends its sheet for review: refused, every county named with the
    figures it lacks, while a county lacks one."""
    with transaction.atomic():
        current = (
            DepartmentSheet.objects.select_for_update().select_related("period").get(pk=sheet.pk)
        )
        if not can_edit_sheet(actor, current):
            raise PermissionDenied(_("This sheet cannot be submitted by you now."))
        lacking = missing(current)
        if lacking:
            methodology = methodology_of(current.period.methodology)
            known = {i.id: i for i in methodology.indicators}
            names = dict(Unit.objects.values_list("code", "name"))
            problems = []
            for code, indicators in lacking.items():
                zh, en = _label(code, names)
                listed = "、".join(known[i].name for i in indicators)
                listed_en = ", ".join(known[i].name_en or known[i].name for i in indicators)
                problems.append(
                    Problem(
                        "web.sheet_blank",
                        f"{zh} 还没有填写：{listed}。"
                        "每个县（市、区）的每个指标都须填写后才能报送。",
                        f"{en} has no figure for: {listed_en}. Every county needs every figure "
                        "before the sheet can be submitted.",
                        code,
                    )
                )
            raise InputError(problems)
        current.status = Review.SUBMITTED
        current.comment = ""
        current.save(update_fields=["status", "comment"])
        AuditEvent.record(
            AuditEvent.Action.SHEET_SUBMIT,
            actor,
            period=current.period,
            department=current.department,
        )
    return current


def sheet_return(*, actor: Any, sheet: DepartmentSheet, comment: str) -> DepartmentSheet:
    """Send a sheet back to its department with what to correct (a comment is required): a
    submitted one, or an approved one while the period is open (a dispute upheld)."""
    access.require_reviewer(actor)
    if not comment.strip():
        raise InputError(
            [
                Problem(
                    "web.comment_required",
                    "退回时须说明需要修改的内容。",
                    "say what needs correcting when returning a sheet.",
                    "comment",
                )
            ]
        )
    with transaction.atomic():
        current = (
            DepartmentSheet.objects.select_for_update().select_related("period").get(pk=sheet.pk)
        )
        returnable = current.status == Review.SUBMITTED or (
            current.status == Review.APPROVED and current.period.status == Period.Status.OPEN
        )
        if not returnable:
            raise PermissionDenied(
                _("Only a submitted sheet, or an approved one of an open period, can be returned.")
            )
        current.status = Review.RETURNED
        current.comment = comment.strip()
        current.save(update_fields=["status", "comment"])
        AuditEvent.record(
            AuditEvent.Action.SHEET_RETURN,
            actor,
            period=current.period,
            department=current.department,
            comment=current.comment,
        )
    return current


def sheet_approve(*, actor: Any, sheet: DepartmentSheet) -> DepartmentSheet:
    """Accept a submitted sheet: its figures replace the counties' own in the assessment."""
    access.require_reviewer(actor)
    with transaction.atomic():
        current = (
            DepartmentSheet.objects.select_for_update().select_related("period").get(pk=sheet.pk)
        )
        if current.status != Review.SUBMITTED:
            raise PermissionDenied(_("Only a submitted sheet can be approved."))
        current.status = Review.APPROVED
        current.comment = ""
        current.save(update_fields=["status", "comment"])
        AuditEvent.record(
            AuditEvent.Action.SHEET_APPROVE,
            actor,
            period=current.period,
            department=current.department,
        )
    return current


# -- what a county sees, and its disputes -------------------------------------------------------


def _may_see_unit(actor: Any, unit: Unit) -> bool:
    return access.is_reviewer(actor) or access.unit_id_of(actor) == unit.pk


def supplied_for(*, actor: Any, period: Period, unit: Unit) -> list[dict[str, Any]]:
    """The figures departments supply for ``unit`` in ``period``, one per supplied indicator
    (the methodology's order): ``indicator``, ``department``, ``status`` (of its sheet; None:
    not started), ``value`` (None until the department has sent its sheet: a draft is not
    shown), ``disputes`` (the county's, oldest first).  The county itself, and reviewers."""
    if not _may_see_unit(actor, unit):
        raise PermissionDenied(_("You may only see the figures supplied for your own county."))
    given = supplied(period)
    if not given:
        return []
    sheets = {
        s.department: s
        for s in DepartmentSheet.objects.filter(period=period, department__in=set(given.values()))
    }
    values = {
        (sheet_id, indicator): value
        for sheet_id, indicator, value in DepartmentValue.objects.filter(
            sheet__in=sheets.values(), unit=unit
        ).values_list("sheet_id", "indicator", "value")
    }
    disputes: dict[tuple[int, str], list[Dispute]] = defaultdict(list)
    for dispute in Dispute.objects.filter(sheet__in=sheets.values(), unit=unit):
        disputes[(dispute.sheet_id, dispute.indicator)].append(dispute)
    out = []
    for indicator, department in given.items():
        sheet = sheets.get(department)
        sent = sheet is not None and sheet.status in SENT
        out.append(
            {
                "indicator": indicator,
                "department": department,
                "status": sheet.status if sheet else None,
                "value": values.get((sheet.pk, indicator)) if sheet and sent else None,
                "disputes": disputes.get((sheet.pk, indicator), []) if sheet else [],
            }
        )
    return out


def _problem(code: str, zh: str, en: str, where: str) -> InputError:
    return InputError([Problem(code, zh, en, where)])


def dispute_raise(*, actor: Any, period: Period, indicator: str, text: str) -> Dispute:
    """A county disputes a figure a department sent for it, with a comment (required); one
    open dispute per figure, while the period is open."""
    unit_id = access.unit_id_of(actor)
    if unit_id is None:
        raise PermissionDenied(_("Only a county may dispute a figure supplied for it."))
    if period.status != Period.Status.OPEN:
        raise PermissionDenied(_("Figures can be disputed only while the period is open."))
    given = supplied(period)
    if indicator not in given:
        raise _problem(
            "web.not_supplied",
            f"{indicator} 不是由部门报送的指标：本县自己填报的数据请在填报表中修改。",
            f"{indicator} is not supplied by a department: correct your own figures on your form.",
            "indicator",
        )
    department = given[indicator]
    if not text.strip():
        raise _problem(
            "web.dispute_text_required",
            "请写明对该数据有什么异议（例如应为多少、依据是什么）。",
            "say what is wrong with the figure (what it should be, and on what grounds).",
            "text",
        )
    with transaction.atomic():
        sheet = (
            DepartmentSheet.objects.select_for_update()
            .filter(period=period, department=department)
            .first()
        )
        if sheet is None or sheet.status not in SENT:
            raise _problem(
                "web.dispute_nothing_sent",
                f"{department}还没有报送这一数据，暂时不能提出异议。",
                f"{department} has not sent this figure yet: there is nothing to dispute.",
                "indicator",
            )
        if Dispute.objects.filter(
            sheet=sheet, unit_id=unit_id, indicator=indicator, status=Dispute.Status.OPEN
        ).exists():
            raise _problem(
                "web.dispute_open",
                "对这一数据的异议已经提出，正在等待答复。",
                "this figure is already disputed and awaits an answer.",
                "indicator",
            )
        dispute = Dispute.objects.create(
            sheet=sheet, unit_id=unit_id, indicator=indicator, text=text.strip(), raised_by=actor
        )
        AuditEvent.record(
            AuditEvent.Action.DISPUTE_RAISE,
            actor,
            period=period,
            department=department,
            dispute=dispute.pk,
            unit=dispute.unit.code,
            indicator=indicator,
            text=dispute.text,
        )
    return dispute


def dispute_answer(*, actor: Any, dispute: Dispute, answer: str) -> Dispute:
    """The city office answers an open dispute (the answer is required); to have the figure
    corrected it returns the department's sheet (:func:`sheet_return`)."""
    access.require_reviewer(actor)
    if not answer.strip():
        raise _problem(
            "web.answer_required",
            "请填写答复。",
            "write the answer.",
            "answer",
        )
    with transaction.atomic():
        current = (
            Dispute.objects.select_for_update()
            .select_related("sheet__period", "unit")
            .get(pk=dispute.pk)
        )
        if current.status != Dispute.Status.OPEN:
            raise PermissionDenied(_("This dispute has been answered already."))
        current.status = Dispute.Status.ANSWERED
        current.answer = answer.strip()
        current.answered_at = timezone.now()
        current.save(update_fields=["status", "answer", "answered_at"])
        AuditEvent.record(
            AuditEvent.Action.DISPUTE_ANSWER,
            actor,
            period=current.sheet.period,
            department=current.sheet.department,
            dispute=current.pk,
            unit=current.unit.code,
            indicator=current.indicator,
            answer=current.answer,
        )
    return current


# -- before an official assessment is announced -------------------------------------------------


def blocking(period: Period) -> list[Problem]:
    """What must be done before an official assessment of ``period`` can be announced: every
    department that supplies an indicator and whose sheet is not approved (named, with its
    sheet's status), and the disputes not yet answered (how many, which counties)."""
    given = supplied(period)
    problems: list[Problem] = []
    status = dict(DepartmentSheet.objects.filter(period=period).values_list("department", "status"))
    for department in sorted(set(given.values())):
        state = status.get(department)
        if state == Review.APPROVED:
            continue
        zh, en = _STATUS[state]
        problems.append(
            Problem(
                "web.sheet_not_approved",
                f"{department}的报送表{zh}：须审核通过后才能公示考核结果。",
                f"{department}'s sheet is {en}: it must be approved before the results are "
                "announced.",
                department,
            )
        )
    open_disputes = list(
        Dispute.objects.filter(sheet__period=period, status=Dispute.Status.OPEN)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    if open_disputes:
        counties = list(dict.fromkeys((d.unit.code, d.unit.name) for d in open_disputes))
        listed = "、".join(f"{c}（{n}）" for c, n in counties)
        listed_en = ", ".join(f"{c} ({n})" for c, n in counties)
        problems.append(
            Problem(
                "web.open_disputes",
                f"还有 {len(open_disputes)} 条对部门报送数据的异议没有答复（{listed}）："
                "须答复后才能公示考核结果。",
                f"{len(open_disputes)} disputed figures are not answered yet ({listed_en}): "
                "answer them before the results are announced.",
                "disputes",
            )
        )
    return problems


def sheet_period(user: Any) -> str | None:
    """The code of the latest open period in which the user's department supplies figures
    (where its home page and its header link lead); None for every other role."""
    department = department_of(user)
    if department is None:
        return None
    for period in Period.objects.filter(status=Period.Status.OPEN).order_by("-code"):
        if indicators_for(period, department):
            return period.code
    return None
