"""The monthly dispatch (月调度) on the platform: the city office opens a month with a deadline,
each project's responsible unit (its county account, or a project-owner account named among
its reporters) fills the month's figures, progress and photos on a form or in the month's
sheet, the office returns or approves each report, and closes (publishes) the month.

Services, keyword-only, one transaction each, rights checked here (not only in the views),
every workflow action in the audit log (``dispatch.open``, ``dispatch.close``,
``report.submit``, ``report.return``, ``report.approve``); each report keeps its history.

The rules of a month's figures are the engine's: a cumulative figure lower than last month's,
or a month's investment above the project's total, is refused unless the report's note explains
it (:func:`kaoping.dispatch.sheets.check_reports`), on the form and in an uploaded sheet alike.
A sheet is saved all or nothing; every problem is raised at once, each naming its cell.

Photos (形象进度照片) are read by their content (Pillow: JPEG, PNG or WebP only), refused above
``PHOTO_MAX_BYTES`` or ``PHOTO_MAX_PIXELS``, turned upright (EXIF orientation), stored again
without their metadata (a phone's photo carries its GPS position) under ``MEDIA_ROOT`` as
``photos/<sha256[:2]>/<sha256>.<ext>`` with a thumbnail of at most :data:`THUMB` pixels beside
it (``…-thumb.jpg``), and served only through :func:`photo_open` to whoever may see the project.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer, require_reviewer, role_of
from kaoping.web.collection.models import AuditEvent, Role
from kaoping.web.dates import form_date
from kaoping.web.projects.access import can_report, can_see, projects_visible_to
from kaoping.web.projects.models import DispatchMonth, Photo, Project, Report

if TYPE_CHECKING:  # pandas and the engine load on first use, not at the platform's start
    import pandas as pd

__all__ = [
    "EDITABLE",
    "FIGURES",
    "THUMB",
    "can_fill",
    "can_fill_month",
    "late_units",
    "month_close",
    "month_open",
    "month_template",
    "month_upload",
    "months_summary",
    "photo_add",
    "photo_check",
    "photo_delete",
    "photo_open",
    "photo_paths",
    "previous_month",
    "previous_report",
    "report_approve",
    "report_flags",
    "report_return",
    "report_save",
    "reporting_projects",
]

EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)
"""A report its unit may still change (while the month is open)."""
SENT = (Report.Status.SUBMITTED, Report.Status.APPROVED)
"""A report the unit has handed in (on time or not)."""
FIGURES = ("invested", "ytd", "since_start", "workers")
"""The report's number fields (万元, but 现场人数)."""
TEXTS = ("progress", "problems", "note")
TEXT_MAX = 2000
"""The longest text of a report's progress, problems or note (characters)."""
THUMB = 320
"""The longest side of a photo's thumbnail, in pixels."""
PHOTOS_MAX = 12
"""The most photos one report carries."""
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
"""The photo formats accepted (as Pillow reads the content) -> content type, extension."""
ACCEPT = ".jpg,.jpeg,.png,.webp"
"""The file input's ``accept`` (a hint to the browser: the check is by content)."""

_FIELD_ZH = {
    "invested": "本月完成投资",
    "ytd": "当年累计完成投资",
    "since_start": "自开工累计完成投资",
    "workers": "现场施工人数",
    "progress": "形象进度",
    "problems": "存在问题",
    "note": "说明",
}
_FIELD_EN = {
    "invested": "invested this month",
    "ytd": "this year so far",
    "since_start": "since start",
    "workers": "workers on site",
    "progress": "progress on site",
    "problems": "problems",
    "note": "note",
}


# -- months ----------------------------------------------------------------------------------------


def previous_month(month: str) -> str:
    """The calendar month before ``month`` (``YYYY-MM``).

    >>> previous_month("2026-11"), previous_month("2026-01")
    ('2026-10', '2025-12')
    """
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def _bad(code: str, zh: str, en: str, where: str) -> InputError:
    return InputError([Problem(code, zh, en, where)])


def _is_month(text: str) -> bool:
    try:
        return len(text) == 7 and text[4] == "-" and 1 <= int(text[5:7]) <= 12 and int(text[:4]) > 0
    except ValueError:
        return False


def month_open(*, actor: Any, month: str, deadline: dt.date | str | None) -> DispatchMonth:
    """The city office opens ``month`` (``YYYY-MM``) for reports, due by ``deadline`` (on or
    after the month's first day).

    Raises
    ------
    PermissionDenied
        Unless the actor is an analyst or an administrator.
    kaoping.errors.InputError
        ``dispatch.bad_month``, ``dispatch.month_exists``, ``dispatch.no_deadline``,
        ``dispatch.bad_deadline``, ``dispatch.deadline_before`` (all at once).
    """
    require_reviewer(actor)
    month = (month or "").strip()
    problems: list[Problem] = []
    if not _is_month(month):
        problems.append(
            Problem(
                "dispatch.bad_month",
                f"月份“{month}”无法识别：请写成 2026-11 的形式（年-月）。",
                f"the month {month!r} is not one we can read: write it as 2026-11 (year-month).",
                "month",
            )
        )
    elif DispatchMonth.objects.filter(month=month).exists():
        problems.append(
            Problem(
                "dispatch.month_exists",
                f"{month} 的调度已经开启过：请在列表中查看该月，或开启另一个月份。",
                f"{month} has been opened already: find it in the list, or open another month.",
                "month",
            )
        )
    due = form_date(deadline, code="dispatch.bad_deadline", field="deadline", example="2026-12-10")
    if isinstance(due, Problem):
        problems.append(due)
        due = None
    else:
        if due is None:
            problems.append(
                Problem(
                    "dispatch.no_deadline",
                    "请填写报送截止日期（如次月 10 日）：逾期未报的单位会列在审核页上。",
                    "give the deadline for reports (e.g. the 10th of the next month): the units "
                    "that miss it are listed on the review page.",
                    "deadline",
                )
            )
        elif _is_month(month) and due < _first_day(month):
            problems.append(
                Problem(
                    "dispatch.deadline_before",
                    f"截止日期 {due} 早于 {month} 的第一天：请填该月之内或之后的日期。",
                    f"the deadline {due} is before the first day of {month}: give a date in or "
                    "after the month.",
                    "deadline",
                )
            )
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        opened = DispatchMonth.objects.create(month=month, deadline=due)
        AuditEvent.record(
            AuditEvent.Action.DISPATCH_OPEN,
            actor,
            month=month,
            deadline=due.isoformat() if due else None,
        )
    return opened


def month_close(*, actor: Any, month: DispatchMonth) -> DispatchMonth:
    """The city office closes an open month, which publishes it: its results (approved reports
    only) are then shown to viewers, and its reports no longer change.

    Raises
    ------
    PermissionDenied
        Unless the actor is an analyst or an administrator, or when the month is closed.
    kaoping.errors.InputError
        ``dispatch.awaiting_review`` while a report of the month is submitted and not yet
        approved or returned (it would be left out of the published results).
    """
    require_reviewer(actor)
    with transaction.atomic():
        current = DispatchMonth.objects.select_for_update().get(pk=month.pk)
        if current.status != DispatchMonth.Status.OPEN:
            raise PermissionDenied(_("This month is closed already."))
        waiting = list(
            current.reports.filter(status=Report.Status.SUBMITTED)
            .order_by("project__code")
            .values_list("project__code", flat=True)
        )
        if waiting:
            listed = "、".join(waiting[:10]) + ("等" if len(waiting) > 10 else "")
            raise _bad(
                "dispatch.awaiting_review",
                f"{current.month} 还有 {len(waiting)} 份月报等待审核（{listed}）：请先通过或退回，"
                "再关闭本月（关闭后只计入审核通过的月报）。",
                f"{len(waiting)} reports of {current.month} await review ({', '.join(waiting[:10])}"
                f"{' …' if len(waiting) > 10 else ''}): approve or return them before closing the "
                "month (once closed, only approved reports count).",
                "month",
            )
        current.status = DispatchMonth.Status.CLOSED
        current.save(update_fields=["status"])
        counts = dict(
            current.reports.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        AuditEvent.record(
            AuditEvent.Action.DISPATCH_CLOSE,
            actor,
            month=current.month,
            approved=counts.get(Report.Status.APPROVED, 0),
            projects=Project.objects.count(),
        )
    return current


def _is_late(month: DispatchMonth, today: dt.date) -> bool:
    return month.status == DispatchMonth.Status.OPEN and (
        month.deadline is not None and today > month.deadline
    )


def months_summary(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every dispatch month, newest first, with its counts: ``projects`` (the registry's),
    ``submitted`` (awaiting review), ``approved``, ``returned``, ``missing`` (not handed in:
    no report, a draft or a returned one) and ``late`` (those missing once the deadline has
    passed while the month is open)."""
    today = today or timezone.localdate()
    total = Project.objects.count()
    out = []
    query = DispatchMonth.objects.annotate(
        submitted=Count("reports", filter=Q(reports__status=Report.Status.SUBMITTED)),
        approved=Count("reports", filter=Q(reports__status=Report.Status.APPROVED)),
        returned=Count("reports", filter=Q(reports__status=Report.Status.RETURNED)),
    ).order_by("-month")
    for month in query:
        missing = total - month.submitted - month.approved  # type: ignore[attr-defined]
        out.append(
            {
                "month": month,
                "projects": total,
                "submitted": month.submitted,  # type: ignore[attr-defined]
                "approved": month.approved,  # type: ignore[attr-defined]
                "returned": month.returned,  # type: ignore[attr-defined]
                "missing": missing,
                "late": missing if _is_late(month, today) else 0,
            }
        )
    return out


# -- who may fill what -----------------------------------------------------------------------------


def can_fill_month(user: Any, month: DispatchMonth) -> bool:
    """A county or an owner account while the month is open (its fill page, sheet, upload)."""
    return month.status == DispatchMonth.Status.OPEN and role_of(user) in (Role.COUNTY, Role.OWNER)


def can_fill(user: Any, project: Project, month: DispatchMonth, report: Report | None) -> bool:
    """The project's county or owner, the month open, the report a draft or returned."""
    return (
        month.status == DispatchMonth.Status.OPEN
        and can_report(user, project)
        and (report is None or report.status in EDITABLE)
    )


def reporting_projects(user: Any) -> QuerySet[Project]:
    """The projects a user reports (the office reports none: it reviews)."""
    if is_reviewer(user):
        return Project.objects.none()
    return projects_visible_to(user)


def previous_report(project: Project, month: str) -> Report | None:
    """The project's latest report before ``month`` once handed in (a draft or a returned
    report is not a figure the unit stands by): last month's, or an older one when last month
    has none."""
    return (
        Report.objects.filter(project=project, month__month__lt=month, status__in=SENT)
        .select_related("month")
        .order_by("-month__month")
        .first()
    )


# -- a report's figures ----------------------------------------------------------------------------


@dataclass
class _Parsed:
    values: dict[str, Any]
    problems: list[Problem]


def _number(name: str, raw: object, where: str, problems: list[Problem]) -> float | None:
    from kaoping.data import Bad, parse_number

    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = parse_number(raw)
    if isinstance(value, Bad):
        problems.append(Problem("dispatch.not_a_number", value.zh, value.en, where))
        return None
    if math.isnan(value):
        return None
    if value < 0:
        problems.append(
            Problem(
                "dispatch.negative",
                f"{_FIELD_ZH[name]}不能为负数（收到 {value:g}）：没有完成投资请填 0，"
                "调减以往数字请在说明中写明并联系市发改委。",
                f"{_FIELD_EN[name]} cannot be negative (got {value:g}): write 0 for no "
                "investment; to correct an earlier month, say so in the note and tell the city "
                "office.",
                where,
            )
        )
        return None
    if name == "workers" and value != int(value):
        problems.append(
            Problem(
                "dispatch.workers_whole",
                f"现场施工人数须为整数（收到 {value:g}）。",
                f"the workers on site are a whole number (got {value:g}).",
                where,
            )
        )
        return None
    return float(value)


def _flag(raw: object) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "yes", "true", "on", "是", "y"):
        return True
    if text in ("0", "no", "false", "off", "否", "n"):
        return False
    return None


def _parse(values: Mapping[str, object], where: Mapping[str, str] | None = None) -> _Parsed:
    """The form's (or a sheet row's) fields as the report stores them, and their problems."""
    where = where or {}
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for name in FIGURES:
        number = _number(name, values.get(name), where.get(name, name), problems)
        out[name] = int(number) if name == "workers" and number is not None else number
    for name in TEXTS:
        raw = values.get(name)
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)
        text = text.strip()
        if len(text) > TEXT_MAX:
            problems.append(
                Problem(
                    "dispatch.text_long",
                    f"{_FIELD_ZH[name]}最多 {TEXT_MAX} 字，收到 {len(text)} 字：请精简。",
                    f"{_FIELD_EN[name]} takes at most {TEXT_MAX} characters, got {len(text)}: "
                    "shorten it.",
                    where.get(name, name),
                )
            )
        out[name] = text
    out["stopped"] = bool(_flag(values.get("stopped")))
    out["in_statistics"] = _flag(values.get("in_statistics"))
    return _Parsed(out, problems)


def _derive(values: dict[str, Any], month: str, last: Report | None) -> None:
    """当年累计 and 自开工累计 left blank: last month's plus this month's (当年累计 starts again
    in January), when last month's is known."""
    invested = values.get("invested")
    if invested is None:
        return
    if last is not None and last.month.month != previous_month(month):
        last = None  # a gap: the months between are not known
    january = month.endswith("-01")
    if values.get("ytd") is None:
        if january:
            values["ytd"] = invested
        elif last is not None and last.ytd is not None:
            values["ytd"] = last.ytd + invested
    if values.get("since_start") is None and last is not None and last.since_start is not None:
        values["since_start"] = last.since_start + invested


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Reports as the engine's monthly frame (:data:`kaoping.dispatch.schema.MONTHLY`)."""
    import pandas as pd

    from kaoping.web.projects import frames

    columns = ["project", "month", *frames.REPORT_FIELDS]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    for name in ("invested", "ytd", "since_start", "workers"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _report_row(report: Report) -> dict[str, Any]:
    from kaoping.web.projects import frames

    return {
        "project": report.project.code,
        "month": report.month.month,
        **{f: getattr(report, f) for f in frames.REPORT_FIELDS},
    }


def _check(
    rows: pd.DataFrame, projects: list[Project], month: str, *, waive: bool = True
) -> list[Problem]:
    """The engine's checks of a month's rows against last month's and each project's total
    (``waive=False``: as if no note were written, for the reviewer's flags)."""
    from kaoping.dispatch.sheets import check_reports
    from kaoping.web.projects import frames

    if rows.empty:
        return []
    before = [
        _report_row(r)
        for r in Report.objects.filter(
            project__in=projects, month__month__lt=month, status__in=SENT
        ).select_related("project", "month")
    ]
    checked = rows if waive else rows.assign(note="")
    return list(check_reports(checked, registry=frames.registry(projects), previous=_frame(before)))


def _field_of(problem: Problem) -> str:
    """The form field a problem of the engine names (its ``where`` ends with the column, its
    code or message names it), else ``""`` (shown above the form)."""
    where = problem.where or ""
    for name in FIGURES:
        if where.endswith((f".{name}", f"!{name}", f":{name}")) or where == name:
            return name
    for name in ("since_start", "ytd", "invested"):  # since_start before ytd: "ytd" in neither
        if name in problem.code:
            return name
    for name in ("since_start", "ytd", "invested"):
        if _FIELD_ZH[name] in problem.zh:
            return name
    return ""


def report_save(
    *,
    actor: Any,
    project: Project,
    month: DispatchMonth,
    values: Mapping[str, object],
    submit: bool = False,
) -> Report:
    """Save the project's report of ``month`` as a draft, or (``submit``) hand it in for review;
    a blank 当年累计 or 自开工累计 is last month's plus this month's.

    Raises
    ------
    PermissionDenied
        Unless the actor is the project's county or owner, the month open and the report a
        draft or returned.
    kaoping.errors.InputError
        Every problem at once, ``where`` naming the field: a figure that is not a number, a
        negative one, a text too long, 本月完成投资 missing on submit, and the engine's checks
        (a cumulative figure below last month's, a month's investment above the project's
        total) unless the note explains it.  Nothing is stored.
    """
    found = Report.objects.filter(project=project, month=month).first()
    if not can_fill(actor, project, month, found):
        raise PermissionDenied(_refusal(month, found))
    parsed = _parse(values)
    last = previous_report(project, month.month)
    _derive(parsed.values, month.month, last)
    problems = list(parsed.problems)
    if (
        submit
        and parsed.values["invested"] is None
        and not any(p.where == "invested" for p in problems)
    ):
        problems.append(
            Problem(
                "dispatch.no_invested",
                "报送前请填写本月完成投资（万元）：本月没有完成投资请填 0。",
                "give the investment of this month (10k yuan) before submitting: write 0 if "
                "there was none.",
                "invested",
            )
        )
    if not problems:
        row = {"project": project.code, "month": month.month, **parsed.values}
        for problem in _check(_frame([row]), [project], month.month):
            field = _field_of(problem) or "note"
            problems.append(Problem(problem.code, problem.zh, problem.en, field))
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        current_month = DispatchMonth.objects.select_for_update().get(pk=month.pk)
        report = (
            Report.objects.select_for_update().filter(project=project, month=current_month).first()
        )
        if not can_fill(actor, project, current_month, report):
            raise PermissionDenied(_refusal(current_month, report))
        report = _store(actor, project, current_month, report, parsed.values, submit=submit)
    return report


def _refusal(month: DispatchMonth, report: Report | None) -> str:
    if month.status != DispatchMonth.Status.OPEN:
        return _("This month is closed: its reports no longer change.")
    if report is not None and report.status == Report.Status.SUBMITTED:
        return _(
            "This report is submitted and awaits review: it can be changed once the city "
            "office returns it."
        )
    if report is not None and report.status == Report.Status.APPROVED:
        return _("This report is approved: it no longer changes.")
    return _("Only the project's county or owner may report it.")


def _store(
    actor: Any,
    project: Project,
    month: DispatchMonth,
    report: Report | None,
    values: Mapping[str, Any],
    *,
    submit: bool,
    how: str = "form",
) -> Report:
    """Write a report's fields (inside the caller's transaction), and hand it in."""
    if report is None:
        report = Report(project=project, month=month)
    before = report.status
    for name, value in values.items():
        setattr(report, name, value)
    if submit:
        report.status = Report.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.comment = report.comment if before == Report.Status.RETURNED else ""
    report._history_user = actor  # type: ignore[attr-defined]
    report._change_reason = f"{how}: {'submit' if submit else 'save'}"  # type: ignore[attr-defined]
    report.save()
    if submit:
        late = month.deadline is not None and timezone.localdate() > month.deadline
        AuditEvent.record(
            AuditEvent.Action.REPORT_SUBMIT,
            actor,
            project=project.code,
            month=month.month,
            report=report.pk,
            resubmitted=before == Report.Status.RETURNED,
            late=late,
            via=how,
        )
    return report


# -- the month's sheet -----------------------------------------------------------------------------


def _cell(frame: pd.DataFrame, index: Any, column: str) -> str:
    """The cell of a row that came from a sheet (``_row`` and the frame's ``source``)."""
    row = frame.at[index, "_row"] if "_row" in frame.columns else None
    source = frame.attrs.get("source")
    if row is not None and source:
        letter = frame.attrs.get("columns", {}).get(column)
        return f"{source}!{letter}{int(row)}" if letter else f"{source}!{int(row)}"
    return f"{frame.at[index, 'project']}.{column}"


def month_upload(
    *, actor: Any, month: DispatchMonth, filename: str, content: bytes, submit: bool = False
) -> dict[str, int]:
    """Save the reports of an uploaded month's sheet (:func:`kaoping.dispatch.sheets.
    monthly_template`, filled), all or nothing: drafts, or (``submit``) handed in for review.
    Returns ``{"saved": n, "submitted": n}``.

    Raises
    ------
    PermissionDenied
        Unless the actor is a county or an owner account and the month is open.
    kaoping.errors.InputError
        Every problem at once, each naming its cell: the sheet's own (an unreadable file, a
        missing column, a cell that is not a number, a row of another month), a project that
        is not the uploader's (``dispatch.not_yours``) or given twice, a report already
        submitted or approved (``dispatch.not_editable``), a figure refused as on the form.
    """
    from kaoping.dispatch.sheets import read_monthly

    if month.status != DispatchMonth.Status.OPEN:
        raise PermissionDenied(_refusal(month, None))
    if not can_fill_month(actor, month):
        raise PermissionDenied(_("Only a county or a project owner uploads a month's sheet."))
    name = Path(filename or "").name or "upload.xlsx"
    frame = read_monthly(io.BytesIO(content), name=name, month=month.month)
    mine = {p.code: p for p in reporting_projects(actor)}
    reports = {
        r.project.code: r
        for r in Report.objects.filter(month=month, project__code__in=list(mine)).select_related(
            "project", "month"
        )
    }
    problems: list[Problem] = []
    rows: list[tuple[Project, dict[str, Any]]] = []
    seen: set[str] = set()
    for index in frame.index:
        code = str(frame.at[index, "project"])
        where = {c: _cell(frame, index, c) for c in (*FIGURES, *TEXTS)}
        if code not in mine:
            problems.append(
                Problem(
                    "dispatch.not_yours",
                    f"项目 {code} 不是本单位报送的项目：请删去这一行，或核对项目编号"
                    "（下载的调度表只列本单位的项目）。",
                    f"project {code} is not one your account reports: remove the row or check "
                    "the project id (the downloaded sheet lists your projects only).",
                    _cell(frame, index, "project"),
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    "dispatch.duplicate",
                    f"项目 {code} 出现了两次：每个项目只填一行。",
                    f"project {code} appears twice: give each project one row.",
                    _cell(frame, index, "project"),
                )
            )
            continue
        seen.add(code)
        report = reports.get(code)
        raw = {c: frame.at[index, c] for c in (*FIGURES, *TEXTS, "stopped", "in_statistics")
               if c in frame.columns}  # fmt: skip
        parsed = _parse(raw, where)
        if report is not None and report.status not in EDITABLE:
            if _same(report, parsed.values):
                continue  # handed in already and unchanged (the sheet shows it as stored)
            problems.append(
                Problem(
                    "dispatch.not_editable",
                    f"项目 {code} 的 {month.month} 月报{report.get_status_display()}，不能再修改："
                    "请删去这一行（退回后才能修改）。",
                    f"project {code}'s report of {month.month} is {report.status} and can no "
                    "longer change: remove the row (it can be changed once returned).",
                    _cell(frame, index, "project"),
                )
            )
            continue
        problems += parsed.problems
        _derive(parsed.values, month.month, previous_report(mine[code], month.month))
        if submit and parsed.values["invested"] is None:
            problems.append(
                Problem(
                    "dispatch.no_invested",
                    "报送前请填写本月完成投资（万元）：本月没有完成投资请填 0。",
                    "give the investment of this month (10k yuan) before submitting: write 0 "
                    "if there was none.",
                    where["invested"],
                )
            )
        rows.append((mine[code], parsed.values))
    if not problems and rows:
        checked = frame[frame["project"].astype(str).isin([p.code for p, _v in rows])].copy()
        for project, values in rows:  # the figures as stored (blank cumulative figures derived)
            at = checked.index[checked["project"].astype(str) == project.code]
            for name in ("ytd", "since_start"):
                checked.loc[at, name] = values[name]
        problems += _check(checked, [p for p, _v in rows], month.month)
    if problems:
        raise InputError(problems)
    if not rows:
        raise _bad(
            "dispatch.empty_sheet",
            "上传的调度表没有项目行：请在下载的调度表中填写本月数字后再上传。",
            "the uploaded sheet has no project rows: fill in this month's figures in the "
            "downloaded sheet and upload it again.",
            name,
        )
    with transaction.atomic():
        current = DispatchMonth.objects.select_for_update().get(pk=month.pk)
        if current.status != DispatchMonth.Status.OPEN:
            raise PermissionDenied(_refusal(current, None))
        for project, values in rows:
            report = (
                Report.objects.select_for_update().filter(project=project, month=current).first()
            )
            if not can_fill(actor, project, current, report):  # changed since it was read
                raise PermissionDenied(_refusal(current, report))
            _store(actor, project, current, report, values, submit=submit, how="sheet")
    return {"saved": len(rows), "submitted": len(rows) if submit else 0}


def _same(report: Report, values: Mapping[str, Any]) -> bool:
    """Whether a sheet's row says what the stored report says (its figures and texts; a
    blank cumulative figure is not compared)."""
    for name in ("invested", "workers", *TEXTS):
        if (getattr(report, name) or None) != (values.get(name) or None):
            return False
    for name in ("ytd", "since_start"):
        if values.get(name) is not None and getattr(report, name) != values[name]:
            return False
    return True


def month_template(*, actor: Any, month: DispatchMonth) -> bytes:
    """The month's sheet of the actor's projects (the office: every project), with the
    figures saved so far."""
    from kaoping.dispatch.sheets import monthly_template
    from kaoping.web.projects import frames

    if not (is_reviewer(actor) or can_fill_month(actor, month)):
        raise PermissionDenied(
            _("The month's sheet is for the units that report while it is open.")
        )
    projects = list(projects_visible_to(actor).select_related("unit"))
    saved = [
        _report_row(r)
        for r in Report.objects.filter(month=month, project__in=projects).select_related(
            "project", "month"
        )
    ]
    return monthly_template(frames.registry(projects), month.month, reports=_frame(saved))


# -- the review ------------------------------------------------------------------------------------


def _decided(actor: Any, report: Report) -> Report:
    require_reviewer(actor)
    current = (
        Report.objects.select_for_update().select_related("month", "project").get(pk=report.pk)
    )
    if current.month.status != DispatchMonth.Status.OPEN:
        raise PermissionDenied(_("This month is closed: its reports no longer change."))
    if current.status != Report.Status.SUBMITTED:
        raise PermissionDenied(_("Only a submitted report can be returned or approved."))
    return current


def report_return(*, actor: Any, report: Report, comment: str) -> Report:
    """Send a submitted report back to its unit with what to correct (required); it can then
    be corrected and submitted again."""
    require_reviewer(actor)
    text = (comment or "").strip()
    if not text:
        raise _bad(
            "dispatch.comment_required",
            "退回时须说明需要修改的内容。",
            "say what needs correcting when returning a report.",
            "comment",
        )
    with transaction.atomic():
        current = _decided(actor, report)
        current.status = Report.Status.RETURNED
        current.comment = text
        current._history_user = actor  # type: ignore[attr-defined]
        current._change_reason = "returned"  # type: ignore[attr-defined]
        current.save()
        AuditEvent.record(
            AuditEvent.Action.REPORT_RETURN,
            actor,
            project=current.project.code,
            month=current.month.month,
            report=current.pk,
            comment=text,
        )
    return current


def report_approve(*, actor: Any, report: Report) -> Report:
    """Accept a submitted report: it counts in the month's results."""
    with transaction.atomic():
        current = _decided(actor, report)
        current.status = Report.Status.APPROVED
        current.comment = ""
        current._history_user = actor  # type: ignore[attr-defined]
        current._change_reason = "approved"  # type: ignore[attr-defined]
        current.save()
        AuditEvent.record(
            AuditEvent.Action.REPORT_APPROVE,
            actor,
            project=current.project.code,
            month=current.month.month,
            report=current.pk,
        )
    return current


def report_flags(reports: list[Report]) -> dict[int, list[Problem]]:
    """Report pk -> what the engine's checks say of it as if it had no note (what a note
    explained, the reviewer sees with the note)."""
    if not reports:
        return {}
    month = reports[0].month.month
    projects = [r.project for r in reports]
    rows = _frame([_report_row(r) for r in reports])
    by_code = {r.project.code: r.pk for r in reports}
    out: dict[int, list[Problem]] = {}
    for problem in _check(rows, projects, month, waive=False):
        code = next((c for c in by_code if _names(problem, c)), None)
        if code is not None:
            out.setdefault(by_code[code], []).append(problem)
    return out


def _names(problem: Problem, code: str) -> bool:
    """Whether a problem of a form-built frame is about the project ``code`` (its ``where``
    is ``<code>.<column>``, or names the project)."""
    where = problem.where or ""
    return where == code or where.startswith(f"{code}.") or f"项目 {code}" in problem.zh


def late_units(month: DispatchMonth) -> list[dict[str, Any]]:
    """The units with projects whose report of ``month`` is not handed in (no report, a draft
    or a returned one), county by county: ``unit``, ``projects`` (each with its status, the
    project's contact and phone, its owner accounts) and ``accounts`` (the county's)."""
    from django.contrib.auth import get_user_model

    sent = Report.objects.filter(month=month, status__in=SENT).values_list("project_id", flat=True)
    status = dict(Report.objects.filter(month=month).values_list("project_id", "status"))
    waiting = (
        Project.objects.exclude(pk__in=list(sent))
        .select_related("unit")
        .prefetch_related("reporters")
        .order_by("unit__code", "code")
    )
    users = get_user_model()
    out: dict[int, dict[str, Any]] = {}
    for project in waiting:
        unit = out.get(project.unit_id)
        if unit is None:
            accounts = users.objects.filter(
                membership__unit=project.unit, membership__role=Role.COUNTY, is_active=True
            ).values_list("username", flat=True)
            unit = out[project.unit_id] = {
                "unit": project.unit,
                "projects": [],
                "accounts": list(accounts),
            }
        unit["projects"].append(
            {
                "project": project,
                "status": status.get(project.pk),
                "owners": [u.username for u in project.reporters.all()],
            }
        )
    return list(out.values())


# -- photos ----------------------------------------------------------------------------------------


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB"


def _shown_name(upload: Any) -> str:
    return Path(str(getattr(upload, "name", "") or "")).name or "photo"


def _photo_problem(code: str, zh: str, en: str) -> Problem:
    return Problem(code, zh, en, "photo")


@dataclass(frozen=True)
class _Image:
    content: bytes
    thumb: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_check(upload: Any) -> _Image | Problem:
    """The photo as stored (upright, without its metadata) and its thumbnail, or the problem
    that refuses it (empty, above the size or pixel limit, not a JPEG, PNG or WebP image by
    its content, damaged)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = _shown_name(upload)
    size = int(getattr(upload, "size", 0) or 0)
    limit = int(settings.PHOTO_MAX_BYTES)
    pixels = int(settings.PHOTO_MAX_PIXELS)
    if size == 0:
        return _photo_problem(
            "dispatch.photo_empty",
            f"照片 {name} 是空文件（0 字节）：请重新选择照片。",
            f"the photo {name} is empty (0 bytes): choose the photo again.",
        )
    if size > limit:
        return _photo_problem(
            "dispatch.photo_too_big",
            f"照片 {name} 大小为 {_size(size)}，超过上限 {_size(limit)}：请用手机的“压缩”或"
            "“较小尺寸”发送后再上传。",
            f"the photo {name} is {_size(size)}, more than the limit of {_size(limit)}: send it "
            "at a smaller size (most phones offer one) and upload it again.",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    damaged = _photo_problem(
        "dispatch.photo_type",
        f"照片 {name} 不是 JPEG、PNG 或 WebP 图片，或已损坏（按文件内容判断，不看扩展名）："
        "请上传手机或相机拍摄的照片。",
        f"the photo {name} is not a JPEG, PNG or WebP image, or it is damaged (judged by the "
        "content, not the name's extension): upload a photo taken with a phone or camera.",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                width, height = probe.size
                if kind not in FORMATS:
                    return damaged
                if width * height > pixels:
                    return _photo_problem(
                        "dispatch.photo_pixels",
                        f"照片 {name} 有 {width}×{height} 像素，超过上限 {pixels // 1_000_000} "
                        "百万像素：请缩小后再上传。",
                        f"the photo {name} has {width}×{height} pixels, more than the limit of "
                        f"{pixels // 1_000_000} megapixels: make it smaller and upload it again.",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                Image.DecompressionBombError, Image.DecompressionBombWarning):  # fmt: skip
            return damaged
    content_type, extension = FORMATS[kind]
    stored = _encode(upright, kind)
    small = upright.copy()
    small.thumbnail((THUMB, THUMB))
    thumb = _encode(_flat(small), "JPEG", quality=80)
    return _Image(stored, thumb, content_type, extension, upright.width, upright.height)


def _flat(image: Any) -> Any:
    """An RGB copy (an image with transparency on white) for a JPEG."""
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        back = Image.new("RGB", rgba.size, (255, 255, 255))
        back.paste(rgba, mask=rgba.getchannel("A"))
        return back
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Any, kind: str, quality: int = 90) -> bytes:
    """The image written again in its format, without EXIF or other metadata."""
    buffer = io.BytesIO()
    if kind == "JPEG":
        _flat(image).save(buffer, "JPEG", quality=quality, optimize=True)
    elif kind == "WEBP":
        image.save(buffer, "WEBP", quality=quality)
    else:
        plain = image.mode in ("1", "L", "LA", "P", "RGB", "RGBA")
        keep = image if plain else image.convert("RGBA")
        keep.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def photo_paths(photo: Photo) -> tuple[str, str]:
    """The stored names (under ``MEDIA_ROOT``) of a photo and of its thumbnail."""
    extension = next(e for t, e in FORMATS.values() if t == photo.content_type)
    base = f"photos/{photo.sha256[:2]}/{photo.sha256}"
    return f"{base}.{extension}", f"{base}-thumb.jpg"


def photo_add(*, actor: Any, project: Project, month: DispatchMonth, upload: Any) -> Photo:
    """Attach a photo of the works to the project's report of ``month`` (a draft is started
    when there is none), while the report may change.

    Raises
    ------
    PermissionDenied
        Unless the actor may fill the report (:func:`can_fill`).
    kaoping.errors.InputError
        The photo's problem (:func:`photo_check`), or ``dispatch.photos_full`` past
        :data:`PHOTOS_MAX` photos.  Nothing is stored.
    """
    if not can_report(actor, project):
        raise PermissionDenied(_("Only the project's county or owner may report it."))
    if upload is None:
        raise InputError(
            [_photo_problem("dispatch.no_photo", "请先选择一张照片。", "choose a photo first.")]
        )
    checked = photo_check(upload)
    if isinstance(checked, Problem):
        raise InputError([checked])
    digest = hashlib.sha256(checked.content).hexdigest()
    written: list[str] = []
    try:
        with transaction.atomic():
            current = DispatchMonth.objects.select_for_update().get(pk=month.pk)
            report = (
                Report.objects.select_for_update().filter(project=project, month=current).first()
            )
            if not can_fill(actor, project, current, report):
                raise PermissionDenied(_refusal(current, report))
            if report is None:
                report = Report(project=project, month=current)
                report._history_user = actor  # type: ignore[attr-defined]
                report._change_reason = "photo"  # type: ignore[attr-defined]
                report.save()
            if report.photos.count() >= PHOTOS_MAX:
                raise InputError(
                    [
                        _photo_problem(
                            "dispatch.photos_full",
                            f"每份月报最多 {PHOTOS_MAX} 张照片：请先删去不需要的照片。",
                            f"a report carries at most {PHOTOS_MAX} photos: remove one first.",
                        )
                    ]
                )
            photo = Photo(
                report=report,
                sha256=digest,
                name=_shown_name(upload)[:200],
                content_type=checked.content_type,
                size=len(checked.content),
                width=checked.width,
                height=checked.height,
                uploaded_by=actor,
            )
            main, thumb = photo_paths(photo)
            for name, content in ((main, checked.content), (thumb, checked.thumb)):
                if not default_storage.exists(name):
                    saved = default_storage.save(name, ContentFile(content))
                    written.append(saved)
                    if saved != name:  # a file at that name appeared meanwhile: keep one
                        raise OSError(f"photo storage: {name} taken")
            photo.save()
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return photo


def photo_delete(*, actor: Any, photo: Photo) -> None:
    """Remove a photo from a report that may still change (its files too, unless another
    report holds the same photo)."""
    with transaction.atomic():
        current = (
            Photo.objects.select_for_update()
            .select_related("report__project", "report__month")
            .get(pk=photo.pk)
        )
        report = current.report
        if not can_fill(actor, report.project, report.month, report):
            raise PermissionDenied(_refusal(report.month, report))
        paths = photo_paths(current)
        shared = Photo.objects.filter(sha256=current.sha256).exclude(pk=current.pk).exists()
        current.delete()
        if not shared:
            transaction.on_commit(lambda: [default_storage.delete(p) for p in paths])


def photo_open(*, actor: Any, photo: Photo, thumb: bool = False) -> tuple[IO[bytes], str]:
    """``(file, content type)`` of a photo or its thumbnail, for whoever may see the project
    (:func:`kaoping.web.projects.access.can_see`); PermissionDenied for anyone else,
    FileNotFoundError when the file is missing from the media root."""
    if not can_see(actor, photo.report.project):
        raise PermissionDenied(_("You may not open this photo."))
    main, small = photo_paths(photo)
    handle = default_storage.open(small if thumb else main, "rb")
    return handle, "image/jpeg" if thumb else photo.content_type
