"""The workflow of collection and review, as services: keyword-only, typed, one transaction
each, every workflow action written to the audit log.

Rights are checked here (not only in views): a service called by a page, an export or the API
refuses what the actor may not do with :class:`django.core.exceptions.PermissionDenied`.  Bad
figures raise :class:`kaoping.errors.InputError` with every problem, named by indicator, and
nothing is saved.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.data import Bad, parse_number, read_panel
from kaoping.errors import InputError, KaopingError, Problem
from kaoping.methodology import Indicator, load
from kaoping.methodology.template import write_template
from kaoping.web.collection import access
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value

IMPLAUSIBLE_RATIO = 3.0
"""A value more than this many times last year's (or less than its inverse) needs a note."""


class StaleEdit(KaopingError):
    """Someone else saved the submission after it was opened: the save is refused."""


@functools.cache
def indicators_of(methodology: str) -> dict[str, Indicator]:
    """Indicator id -> indicator (name, English name, unit …), scored and constraint ones, in
    the methodology's order; the methodology is a bundled name or a file path."""
    return {i.id: i for i in load(methodology).indicators}


def _period_set(actor: Any, period: Period, status: str, action: AuditEvent.Action) -> Period:
    access.require_reviewer(actor)
    with transaction.atomic():
        period.status = status
        period.save(update_fields=["status"])
        AuditEvent.record(action, actor, period=period)
    return period


def period_open(*, actor: Any, period: Period) -> Period:
    """Open a period for submission (from draft or closed)."""
    return _period_set(actor, period, Period.Status.OPEN, AuditEvent.Action.PERIOD_OPEN)


def period_close(*, actor: Any, period: Period) -> Period:
    """Close a period: no submission can be changed any more."""
    return _period_set(actor, period, Period.Status.CLOSED, AuditEvent.Action.PERIOD_CLOSE)


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


def _implausible(new: float, old: float | None) -> bool:
    if old is None or math.isnan(new) or old == 0 or new == 0:
        return False
    ratio = new / old
    return ratio < 0 or ratio > IMPLAUSIBLE_RATIO or ratio < 1 / IMPLAUSIBLE_RATIO


def submission_save(
    *,
    actor: Any,
    submission: Submission,
    values: Mapping[str, object],
    version: int,
    notes: Mapping[str, str] | None = None,
) -> Submission:
    """Save figures of a submission (indicator id -> cell text or number; empty = not given).

    ``version`` is the submission's version when the form was opened: if someone saved in
    between, :class:`StaleEdit` is raised and nothing is written.  Every figure is parsed as the
    engine parses a cell; a figure more than 3x (or under a third of) last period's needs a
    note saying why.  All problems are raised together, and then nothing is saved.
    """
    notes = notes or {}
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
        known = indicators_of(current.period.methodology)
        last = previous_values(current)
        problems: list[Problem] = []
        parsed: dict[str, float | None] = {}
        for indicator, raw in values.items():
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
            note = notes.get(indicator, "").strip()
            if _implausible(value, last.get(indicator)) and not note:
                old = last[indicator]
                name = known[indicator].name
                problems.append(
                    Problem(
                        "web.implausible_change",
                        f"{name}：{value:g} 是上期 {old:g} 的 {value / old:.1f} 倍。"
                        "如确认无误，请填写说明。",
                        f"{name}: {value:g} is {value / old:.1f} times last "
                        f"period's {old:g}; if it is right, add a note saying why.",
                        indicator,
                    )
                )
                continue
            parsed[indicator] = None if math.isnan(value) else value
        if problems:
            raise InputError(problems)
        changed = []
        existing = {v.indicator: v for v in Value.objects.filter(submission=current)}
        new_rows: list[Value] = []
        changed_rows: list[Value] = []
        for indicator, value in parsed.items():
            note = notes.get(indicator, "").strip()
            row = existing.get(indicator)
            if row is None:
                row = Value(submission=current, indicator=indicator, value=value, note=note)
                new_rows.append(row)
            elif row.value == value and row.note == note:
                continue
            else:
                row.value, row.note = value, note
                changed_rows.append(row)
            # the history record of each row: who, and why (the note, when there is one)
            row._change_reason = note or "saved"  # type: ignore[attr-defined]
            row._history_user = actor  # type: ignore[attr-defined]
            changed.append(indicator)
        # written with their history, in two statements instead of one per row
        if new_rows:
            bulk_create_with_history(new_rows, Value, default_user=actor)
        if changed_rows:
            bulk_update_with_history(changed_rows, Value, ["value", "note"], default_user=actor)
        current.version += 1
        current.save(update_fields=["version"])
        AuditEvent.record(AuditEvent.Action.SAVE, actor, submission=current, changed=changed)
    return current


def submission_submit(*, actor: Any, submission: Submission) -> Submission:
    """The county sends its figures for review."""
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        if not access.can_edit_submission(actor, current):
            raise PermissionDenied(_("This submission cannot be submitted by you now."))
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
        current.save(update_fields=["status", "comment"])
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


def submission_template(*, actor: Any, submission: Submission) -> bytes:
    """The xlsx data-entry workbook of the submission's period, pre-filled with its unit (the
    engine's template: Chinese headers with units, an explanation sheet)."""
    if not access.can_view_submission(actor, submission):
        raise PermissionDenied(_("You may only open your own unit's submission."))
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(
            load(submission.period.methodology),
            Path(folder) / "template.xlsx",
            units=[(submission.unit.code, submission.unit.name)],
            period=submission.period.code,
        )
        return path.read_bytes()


def submission_upload(
    *, actor: Any, submission: Submission, filename: str, content: bytes, version: int
) -> Submission:
    """Save the figures of a filled template (or any workbook or CSV the engine reads): every
    problem is named by its cell (``模板.xlsx!填报表!D3``) and nothing is saved when there is
    one; the file's row must be the submission's unit and period.  The file replaces every
    figure: an empty cell is a figure not given."""
    if not access.can_edit_submission(actor, submission):
        raise PermissionDenied(
            _("This submission cannot be changed: it is not yours, or not open for editing.")
        )
    methodology = load(submission.period.methodology)
    name = Path(filename).name or "upload.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        panel = read_panel(path, indicators=methodology.name_to_id())
    code, period = submission.unit.code, submission.period.code
    others = [u for u in panel.units if u != code] + [p for p in panel.periods if p != period]
    if others or code not in panel.units:
        raise InputError(
            [
                Problem(
                    "web.wrong_unit_or_period",
                    f"文件 {name} 中应当只有 {code}（{submission.unit.name}）{period} 年的一行，"
                    f"却有：{'、'.join(others) or '没有这一行'}。请使用本单位本期的模板。",
                    f"the file {name} must hold one row, {code} ({submission.unit.name}) for "
                    f"{period}, but has: {', '.join(others) or 'no such row'}; use this unit's "
                    "template for this period.",
                    name,
                )
            ]
        )
    ids = [i.id for i in methodology.indicators]
    row = panel.matrix(period, ids, [code]).iloc[0]
    values = {i: ("" if math.isnan(v) else v) for i, v in row.items()}
    return submission_save(actor=actor, submission=submission, values=values, version=version)
