"""The workflow of collection and review, as services: keyword-only, typed, one transaction
each, every workflow action written to the audit log.

Rights are checked here (not only in views): a service called by a page, an export or the API
refuses what the actor may not do with :class:`django.core.exceptions.PermissionDenied`.  Bad
figures raise :class:`kaoping.errors.InputError` with every problem, named by indicator, and
nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.errors import InputError, KaopingError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import (
    AuditEvent,
    BlankReason,
    Period,
    Submission,
    Unit,
    Value,
)

# The engine (kaoping.data: pandas; kaoping.methodology: pydantic; the template: openpyxl) is
# imported by the services that use it, so that management commands start without it.
if TYPE_CHECKING:
    from kaoping.methodology import Indicator


class StaleEdit(KaopingError):
    """Someone else saved the submission after it was opened: the save is refused."""


def indicators_of(methodology: str) -> dict[str, Indicator]:
    """Indicator id -> indicator (name, English name, unit …), scored and constraint ones, in
    the methodology's order; the methodology is a bundled or uploaded one's key.  Indicators
    that judges score (an official methodology's ``judged`` rule) are not a county's figures."""
    found = methodology_of(methodology)
    spec = found.official
    judged = {r.indicator for r in spec.scoring if r.rule.method == "judged"} if spec else set()
    return {i.id: i for i in found.indicators if i.id not in judged}


PERIOD_CODE = re.compile(r"\d{4}(-[A-Z0-9]{1,8})?")
"""A period's code: a year, or a year and a part of it (``2025``, ``2025-Q3``, ``2025-H1``)."""


def _period_exists(code: str) -> Problem:
    return Problem(
        "web.period_exists",
        f"期次 {code} 已经存在：请换一个代码，或在列表中修改该期次。",
        f"there is already a period {code}: choose another code, or change that period in the "
        "list.",
        "code",
    )


def period_create(
    *,
    actor: Any,
    code: str,
    methodology: str,
    previous: Period | None = None,
    deadline: dt.date | None = None,
) -> Period:
    """A new period, not yet open (a draft): its code, the methodology its figures are
    collected and assessed by (a bundled or uploaded one's key), the period before it
    (whose figures the form shows beside each field) and an optional deadline.

    Every problem (a malformed or taken code, a methodology that does not load) is raised
    together as :class:`InputError`, named by field, and nothing is created.
    """
    access.require_reviewer(actor)
    code = code.strip().upper()
    problems: list[Problem] = []
    if not PERIOD_CODE.fullmatch(code):
        problems.append(
            Problem(
                "web.period_code_malformed",
                f"期次代码“{code}”格式不对：请写年份，或年份加一段，如 2025、2025-Q3、2025-H1。",
                f"the period code {code!r} is malformed: write a year, or a year and a part "
                "of it, such as 2025, 2025-Q3 or 2025-H1.",
                "code",
            )
        )
    elif Period.objects.filter(code=code).exists():
        problems.append(_period_exists(code))
    try:
        chosen = methodology_of(methodology)
    except InputError as error:  # no such key (a file path is not one)
        problems.extend(error)
    else:
        if chosen.stars is not None:  # park_hqd: its units are parks, assessed under /parks/
            problems.append(
                Problem(
                    "web.period_park_methodology",
                    f"“{chosen.name}”是园区考核办法（评星级），不能用于县（市、区）的考核期："
                    "请选择县域考核办法；园区在“园区”页面逐年考核。",
                    f"{chosen.name_en or chosen.name!r} assesses parks (star levels), not the "
                    "counties of a period: choose a county methodology; parks are assessed "
                    "year by year under Parks.",
                    "methodology",
                )
            )
    if problems:
        raise InputError(problems)
    try:
        with transaction.atomic():
            period = Period.objects.create(
                code=code,
                methodology=methodology,
                status=Period.Status.DRAFT,
                previous=previous,
                deadline=deadline,
            )
            AuditEvent.record(
                AuditEvent.Action.PERIOD_CREATE,
                actor,
                period=period,
                methodology=methodology,
                previous=previous.code if previous else None,
                deadline=deadline.isoformat() if deadline else None,
            )
    except IntegrityError:  # someone created the same code since the check above
        raise InputError([_period_exists(code)]) from None
    return period


def period_set_deadline(*, actor: Any, period: Period, deadline: dt.date | None) -> Period:
    """Set (or, with None, remove) the date by which counties should have submitted."""
    access.require_reviewer(actor)
    with transaction.atomic():
        current = Period.objects.select_for_update().get(pk=period.pk)
        old = current.deadline
        current.deadline = deadline
        current.save(update_fields=["deadline"])
        AuditEvent.record(
            AuditEvent.Action.PERIOD_DEADLINE,
            actor,
            period=current,
            old=old.isoformat() if old else None,
            new=deadline.isoformat() if deadline else None,
        )
    return current


def _period_set(
    actor: Any, period: Period, status: str, action: AuditEvent.Action, message: str
) -> Period:
    access.require_reviewer(actor)
    allowed = (
        (Period.Status.DRAFT, Period.Status.CLOSED)
        if status == Period.Status.OPEN
        else (Period.Status.OPEN,)
    )
    with transaction.atomic():
        current = Period.objects.select_for_update().get(pk=period.pk)
        if current.status not in allowed:
            raise PermissionDenied(message)
        current.status = status
        current.save(update_fields=["status"])
        AuditEvent.record(action, actor, period=current)
    period.status = status
    return current


def period_open(*, actor: Any, period: Period) -> Period:
    """Open a period for submission (from draft or closed)."""
    return _period_set(
        actor,
        period,
        Period.Status.OPEN,
        AuditEvent.Action.PERIOD_OPEN,
        _("Only a period not yet open, or a closed one, can be opened."),
    )


def period_close(*, actor: Any, period: Period) -> Period:
    """Close an open period: no submission can be changed any more."""
    return _period_set(
        actor,
        period,
        Period.Status.CLOSED,
        AuditEvent.Action.PERIOD_CLOSE,
        _("Only an open period can be closed."),
    )


def submission_get_or_start(*, actor: Any, unit: Unit, period: Period) -> Submission:
    """The unit's submission for the period, created empty when it has none."""
    submission = Submission.objects.filter(unit=unit, period=period).first()
    if submission is None:
        submission = Submission(unit=unit, period=period)
        if not (access.is_reviewer(actor) or access.unit_id_of(actor) == unit.pk):
            raise PermissionDenied(_("You may only open your own unit's submission."))
        submission.save()
    elif not access.can_view_submission(actor, submission):
        raise PermissionDenied(_("You may only open your own unit's submission."))
    return submission


def previous_values(submission: Submission) -> dict[str, float]:
    """Last period's figures of the submission's unit (what the form shows beside each field)."""
    previous = submission.period.previous
    if previous is None:
        return {}
    rows = Value.objects.filter(
        submission__unit=submission.unit,
        submission__period=previous,
        value__isnull=False,
    ).values_list("indicator", "value")
    return {indicator: float(value) for indicator, value in rows}


def supplied(period: Period) -> dict[str, str]:
    """Indicator id -> the department that supplies its figures for every county in
    ``period`` (an official period with that department's account): a county does not give
    these (see :mod:`kaoping.web.official.sheets`); empty for an academic period."""
    from kaoping.web.official.sheets import supplied as by_department

    return by_department(period)


def _supplied_problem(indicator: str, name: str, department: str) -> Problem:
    return Problem(
        "web.supplied_by_department",
        f"{name} 由{department}统一报送，本县不能填写：请留空"
        "（对该数据有异议的，请在填报页面提出）。",
        f"{name} is supplied by {department} for every county and cannot be given by a county: "
        "leave it empty (dispute the figure on the form if it is wrong).",
        indicator,
    )


def _reason(note: str) -> str:
    """A history record's reason: the note (its beginning: the column holds 100 characters;
    the whole note is in the record's own note field), or "saved"."""
    most = Value.history.model._meta.get_field("history_change_reason").max_length
    if not note:
        return "saved"
    return note if len(note) <= most else note[: most - 1] + "…"


def submission_save(
    *,
    actor: Any,
    submission: Submission,
    values: Mapping[str, object],
    version: int,
    notes: Mapping[str, str] | None = None,
    reasons: Mapping[str, str] | None = None,
) -> Submission:
    """Save figures of a submission (indicator id -> cell text or number; empty = not given).

    ``version`` is the submission's version when the form was opened: if someone saved in
    between, :class:`StaleEdit` is raised and nothing is written.  Every figure is parsed as the
    engine parses a cell and checked by the methodology's plausibility rules
    (:mod:`kaoping.methodology.plausibility`): an impossible figure is refused, an unusual one
    (outside its usual range, beyond its year-on-year limit, or breaking a soft cross-check)
    needs a note saying why.  ``reasons`` (indicator id -> :class:`BlankReason` value) says why a
    figure is left blank; every blank needs one before the submission can be sent.  An
    indicator a department supplies (:func:`supplied`) is not the county's to give: a figure
    for it is refused, an empty one ignored.  All problems are raised together, each named by
    its indicator, and then nothing is saved.
    """
    from kaoping.data import Bad, parse_number
    from kaoping.methodology.plausibility import check_one

    notes = notes or {}
    reasons = reasons or {}
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("period", "unit")
        current = locked.get(pk=submission.pk)
        if not access.can_edit_submission(actor, current):
            raise PermissionDenied(
                _("This submission cannot be changed: it is not yours, or not open for editing.")
            )
        if current.version != version:
            raise StaleEdit(
                _(
                    "Someone else saved this submission after you opened it (version %(new)d, "
                    "you edited %(old)d). Reload the page to see their figures, then make "
                    "your changes again."
                )
                % {"new": current.version, "old": version}
            )
        methodology = methodology_of(current.period.methodology)
        known = {i.id: i for i in methodology.indicators}
        given = supplied(current.period)
        existing = {v.indicator: v for v in Value.objects.filter(submission=current)}
        problems: list[Problem] = []
        parsed: dict[str, float | None] = {}
        for indicator, raw in values.items():
            if indicator in given:
                if raw not in ("", None):
                    name = known[indicator].name
                    problems.append(_supplied_problem(indicator, name, given[indicator]))
                continue
            if indicator not in known:
                problems.append(
                    Problem(
                        "web.unknown_indicator",
                        f"{indicator} 不是本期考核办法中的指标。",
                        f"{indicator} is not an indicator of this period's methodology.",
                        indicator,
                    )
                )
                continue
            value = parse_number(raw if raw != "" else None)
            if isinstance(value, Bad):
                problems.append(Problem("data.not_a_number", value.zh, value.en, indicator))
                continue
            parsed[indicator] = None if math.isnan(value) else value
        for indicator, reason in reasons.items():
            if reason and reason not in BlankReason.values and indicator not in given:
                problems.append(_bad_reason(indicator, reason))
        # the rules see the whole submission: what is saved, with what this save changes
        figures = {k: v.value for k, v in existing.items() if k not in given}
        figures.update(parsed)
        kept_notes = {k: v.note for k, v in existing.items()}
        kept_notes.update({k: v.strip() for k, v in notes.items() if k in parsed})
        bad = {p.where for p in problems}
        for flag in check_one(methodology, figures, previous_values(current)):
            if flag.indicator in bad:
                continue  # the figure itself is wrong: say that first
            if flag.severity == "soft" and kept_notes.get(flag.indicator):
                continue
            problems.append(flag.problem(flag.indicator))
        if problems:
            raise InputError(problems)
        changed = []
        new_rows: list[Value] = []
        changed_rows: list[Value] = []
        for indicator, value in parsed.items():
            note = notes.get(indicator, "").strip()
            reason = reasons.get(indicator, "") if value is None else ""
            row = existing.get(indicator)
            if row is None:
                row = Value(
                    submission=current,
                    indicator=indicator,
                    value=value,
                    note=note,
                    blank_reason=reason,
                )
                new_rows.append(row)
            elif row.value == value and row.note == note and row.blank_reason == reason:
                continue
            else:
                row.value, row.note, row.blank_reason = value, note, reason
                changed_rows.append(row)
            # the history record of each row: who, and why (the note, when there is one)
            row._change_reason = _reason(note)  # type: ignore[attr-defined]
            row._history_user = actor  # type: ignore[attr-defined]
            changed.append(indicator)
        # written with their history, in two statements instead of one per row
        if new_rows:
            bulk_create_with_history(new_rows, Value, default_user=actor)
        if changed_rows:
            bulk_update_with_history(
                changed_rows, Value, ["value", "note", "blank_reason"], default_user=actor
            )
        current.version += 1
        current.save(update_fields=["version"])
        AuditEvent.record(AuditEvent.Action.SAVE, actor, submission=current, changed=changed)
    return current


def _bad_reason(indicator: str, reason: str) -> Problem:
    return Problem(
        "web.bad_blank_reason",
        f"空缺原因“{reason}”无效：请选择“不详”或“不适用”。",
        f"the reason for the blank, {reason!r}, is not one of the choices: choose 'not known' "
        "or 'not applicable'.",
        indicator,
    )


def unconfirmed_blanks(submission: Submission) -> list[str]:
    """The indicators of the submission's methodology that have neither a figure nor a
    confirmed reason for the blank (不详/不适用), in the methodology's order (not those a
    department supplies: :func:`supplied`)."""
    rows = {
        v.indicator: v
        for v in Value.objects.filter(submission=submission).only(
            "indicator", "value", "blank_reason"
        )
    }
    given = supplied(submission.period)
    return [
        ident
        for ident in indicators_of(submission.period.methodology)
        if ident not in given
        and (ident not in rows or (rows[ident].value is None and not rows[ident].blank_reason))
    ]


def submission_submit(*, actor: Any, submission: Submission) -> Submission:
    """The county sends its figures for review: refused (with every indicator named) while a
    figure is blank without a confirmed reason."""
    with transaction.atomic():
        current = (
            Submission.objects.select_for_update().select_related("period").get(pk=submission.pk)
        )
        if not access.can_edit_submission(actor, current):
            raise PermissionDenied(_("This submission cannot be submitted by you now."))
        blanks = unconfirmed_blanks(current)
        if blanks:
            names = indicators_of(current.period.methodology)
            raise InputError(
                [
                    Problem(
                        "web.unconfirmed_blank",
                        f"{names[i].name} 没有填写：请填写数值，或选择空缺原因（不详/不适用）。",
                        f"{names[i].name_en or names[i].name} is blank: enter the figure, or "
                        "choose why it is blank (not known / not applicable).",
                        i,
                    )
                    for i in blanks
                ]
            )
        current.status = Submission.Status.SUBMITTED
        current.save(update_fields=["status"])
        AuditEvent.record(AuditEvent.Action.SUBMIT, actor, submission=current)
    return current


def _review(
    actor: Any, submission: Submission, status: Submission.Status, comment: str
) -> Submission:
    access.require_reviewer(actor)
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        if current.status != Submission.Status.SUBMITTED:
            raise PermissionDenied(_("Only a submitted submission can be reviewed."))
        current.status = status
        current.comment = comment
        if status == Submission.Status.APPROVED:
            current.reopened = False  # the correction after an objection is done
        current.save(update_fields=["status", "comment", "reopened"])
        action = (
            AuditEvent.Action.RETURN
            if status == Submission.Status.RETURNED
            else AuditEvent.Action.APPROVE
        )
        AuditEvent.record(action, actor, submission=current, comment=comment)
    return current


def submission_return(*, actor: Any, submission: Submission, comment: str) -> Submission:
    """Send a submission back to the county with what to correct (a comment is required)."""
    if not comment.strip():
        raise InputError(
            [
                Problem(
                    "web.comment_required",
                    "退回时须说明需要修改的内容。",
                    "say what needs correcting when returning a submission.",
                    "comment",
                )
            ]
        )
    return _review(actor, submission, Submission.Status.RETURNED, comment.strip())


def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    """Accept a submitted submission."""
    return _review(actor, submission, Submission.Status.APPROVED, "")


def submission_template(*, actor: Any, submission: Submission, layout: str = "tall") -> bytes:
    """The xlsx data-entry workbook of the submission's period, pre-filled with its unit:
    ``tall`` (default) one indicator per row with last period's figure, this period's as
    saved, the reasons for blanks and the notes (:func:`kaoping.methodology.template.write_form`);
    ``wide`` the engine's one-row template (Chinese headers with units, an explanation sheet).
    Both carry the hard ranges as Excel data validation."""
    from kaoping.methodology.template import write_form, write_template

    if not access.can_view_submission(actor, submission):
        raise PermissionDenied(_("You may only open your own unit's submission."))
    methodology = methodology_of(submission.period.methodology)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "template.xlsx"
        if layout == "wide":
            path = write_template(
                methodology,
                target,
                units=[(submission.unit.code, submission.unit.name)],
                period=submission.period.code,
            )
        else:
            given = supplied(submission.period)  # a department's: not the county's to fill
            saved = [
                v for v in Value.objects.filter(submission=submission) if v.indicator not in given
            ]
            path = write_form(
                methodology,
                target,
                unit=(submission.unit.code, submission.unit.name),
                period=submission.period.code,
                previous=previous_values(submission),
                values={v.indicator: v.value for v in saved},
                notes={v.indicator: v.note for v in saved if v.note},
                reasons={v.indicator: v.blank_reason for v in saved if v.blank_reason},
            )
        return path.read_bytes()


class UploadProblems(InputError):
    """The problems of an uploaded file, each named by its cell; ``rows`` holds those that
    belong to one indicator (shown beside its row of the form), by indicator id."""

    def __init__(self, problems: list[Problem], rows: dict[str, list[Problem]]) -> None:
        super().__init__(problems)
        self.rows = rows


def _own_unit(unit: Unit) -> Any:
    """The engine's units table of one unit (to match a file's unit by name)."""
    import pandas as pd

    from kaoping.data import Units

    frame = pd.DataFrame({"code": [unit.code], "name": [unit.name], "category": [unit.category]})
    return Units(frame)


def _as_period(code: str) -> str | None:
    """The period code for the reader, None where it is not one the reader knows (a file
    without a period column is then refused, saying so)."""
    from kaoping.data import parse_period

    parsed = parse_period(code)
    return parsed if isinstance(parsed, str) else None


def submission_upload(
    *, actor: Any, submission: Submission, filename: str, content: bytes, version: int
) -> Submission:
    """Save the figures of a filled template: the tall form (figures, reasons for blanks and
    notes) or the wide one (or any workbook or CSV the engine reads).  Every problem of the
    file and every plausibility rule its figures break is raised together as
    :class:`UploadProblems`, each named by its cell (``模板.xlsx!填报表!E7``), and nothing is
    saved when there is one; the file must be the submission's unit and period.  The file
    replaces every figure: an empty cell is a figure not given.  A figure of an indicator a
    department supplies is refused (at its cell); its empty cell is ignored."""
    from kaoping.data import read_panel
    from kaoping.methodology.template import is_form, read_form

    if not access.can_edit_submission(actor, submission):
        raise PermissionDenied(
            _("This submission cannot be changed: it is not yours, or not open for editing.")
        )
    methodology = methodology_of(submission.period.methodology)
    name = Path(filename).name or "upload.xlsx"
    code, period = submission.unit.code, submission.period.code
    notes: dict[str, str] = {}
    reasons: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        if is_form(path):
            form = read_form(path, methodology)
            found_units, found_periods = [form.unit], [form.period]
            figures = form.values
            notes, reasons, cells = form.notes, form.reasons, form.cells
        else:
            # the unit by its name as well as its code (a county's own sheet names it), and
            # this period for a file without a period column
            panel = read_panel(
                path,
                indicators=methodology.name_to_id(),
                units=_own_unit(submission.unit),
                default_period=_as_period(period),
            )
            found_units, found_periods = list(panel.units), list(panel.periods)
            figures, cells = {}, {}
            if code in panel.units and period in panel.periods:
                ids = [i.id for i in methodology.indicators]
                row = panel.matrix(period, ids, [code]).iloc[0]
                where = panel.locations(period, ids, [code]).iloc[0]
                figures = {i: (None if math.isnan(v) else float(v)) for i, v in row.items()}
                cells = {i: str(w) for i, w in where.items() if "!" in str(w)}
    others = [u for u in found_units if u != code] + [p for p in found_periods if p != period]
    if others or code not in found_units:
        raise InputError(
            [
                Problem(
                    "web.wrong_unit_or_period",
                    f"文件 {name} 中应当只有 {code}（{submission.unit.name}）{period} 的数据，"
                    f"却有：{'、'.join(others) or '没有这一单位'}。请使用本单位本期的模板。",
                    f"the file {name} must hold {code} ({submission.unit.name}) for {period} "
                    f"only, but has: {', '.join(others) or 'no such unit'}; use this unit's "
                    "template for this period.",
                    name,
                )
            ]
        )
    given = supplied(submission.period)
    figures = {i: v for i, v in figures.items() if not (i in given and v is None)}
    values = {i: ("" if v is None else v) for i, v in figures.items()}
    try:
        return submission_save(
            actor=actor,
            submission=submission,
            values=values,
            notes=notes,
            reasons=reasons,
            version=version,
        )
    except InputError as error:  # named by indicator: name them by the file's cells
        located: list[Problem] = []
        rows: dict[str, list[Problem]] = {}
        for problem in error:
            indicator = problem.where or ""
            at = Problem(problem.code, problem.zh, problem.en, cells.get(indicator, name))
            located.append(at)
            rows.setdefault(indicator, []).append(at)
        raise UploadProblems(located, rows) from None
