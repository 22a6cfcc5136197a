"""Pages of the monthly dispatch (月调度): the office's months (open, close), a unit's projects
of the month with the month's sheet, a project's report form with its photos, the office's
review with the late units, and the photos themselves.

Views are short: they read through the access helpers, change through
:mod:`kaoping.web.projects.dispatch` (which checks rights again) and show the problems the
services raise beside the fields (or cells) they name.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection.access import is_reviewer, require_reviewer
from kaoping.web.lang import lang, plain
from kaoping.web.projects import dispatch
from kaoping.web.projects.access import can_report, projects_visible_to, require_see
from kaoping.web.projects.models import DispatchMonth, Photo, Project, Report
from kaoping.web.workbooks import refused, xlsx_response


def _text(number: float | int | None) -> str:
    """A figure as a person typed it (no exponent, no trailing zeros)."""
    if number is None or (isinstance(number, float) and math.isnan(number)):
        return ""
    return format(number, ".15g")


def _month(month: str) -> DispatchMonth:
    return get_object_or_404(DispatchMonth, month=month)


# -- the office's months ---------------------------------------------------------------------------


def _months_page(
    request: HttpRequest, *, entered: dict[str, str] | None = None,
    problems: dict[str, list[str]] | None = None,
) -> HttpResponse:  # fmt: skip
    context = {
        "rows": dispatch.months_summary(),
        "entered": entered or {},
        "problems": problems or {},
        "today": timezone.localdate(),
    }
    return render(request, "projects/month_months.html", context)


@login_required
def months(request: HttpRequest) -> HttpResponse:
    """The dispatch months with their counts, the form to open one, and each open one's
    close button (the office only)."""
    require_reviewer(request.user)
    return _months_page(request)


@login_required
@require_POST
def month_open(request: HttpRequest) -> HttpResponse:
    require_reviewer(request.user)
    entered = {k: request.POST.get(k, "") for k in ("month", "deadline")}
    try:
        opened = dispatch.month_open(actor=request.user, **entered)
    except InputError as error:
        messages.error(request, _("The month was not opened: correct what is marked below."))
        beside: dict[str, list[str]] = {}
        for problem in error:
            beside.setdefault(problem.where or "month", []).append(plain(problem))
        return _months_page(request, entered=entered, problems=beside)
    messages.success(
        request,
        _("%(month)s is open for reports until %(deadline)s.")
        % {"month": opened.month, "deadline": opened.deadline},
    )
    return redirect("dispatch-months")


@login_required
@require_POST
def month_close(request: HttpRequest, month: str) -> HttpResponse:
    require_reviewer(request.user)
    found = _month(month)
    try:
        dispatch.month_close(actor=request.user, month=found)
    except InputError as error:
        for problem in error:
            messages.error(request, plain(problem))
    else:
        messages.success(
            request, _("%(month)s is closed and its results published.") % {"month": month}
        )
    return redirect("dispatch-months")


# -- a unit's projects of the month ----------------------------------------------------------------


def _require_fill_page(user: Any, month: DispatchMonth) -> None:
    if not (is_reviewer(user) or dispatch.can_fill_month(user, month)):
        raise PermissionDenied(
            _("This month is closed: its reports are on the projects' pages.")
            if month.status == DispatchMonth.Status.CLOSED
            else _("Only the units that report projects fill a month.")
        )


def _fill_page(
    request: HttpRequest, month: DispatchMonth, *, file_problems: list[str] | None = None
) -> HttpResponse:
    _require_fill_page(request.user, month)
    projects = list(projects_visible_to(request.user).select_related("unit"))
    reports = {r.project_id: r for r in Report.objects.filter(month=month, project__in=projects)}
    rows = []
    for project in projects:
        report = reports.get(project.pk)
        rows.append(
            {
                "project": project,
                "report": report,
                "fillable": dispatch.can_fill(request.user, project, month, report),
            }
        )
    today = timezone.localdate()
    waiting = sum(1 for r in rows if r["report"] is None or r["report"].status in dispatch.EDITABLE)
    context = {
        "month": month,
        "rows": rows,
        "waiting": waiting,
        "late": month.deadline is not None and today > month.deadline,
        "uploader": dispatch.can_fill_month(request.user, month),
        "reviewer": is_reviewer(request.user),
        "file_problems": file_problems or [],
    }
    return render(request, "projects/month_fill.html", context)


@login_required
def fill(request: HttpRequest, month: str) -> HttpResponse:
    """A county's (or an owner's) projects of the month, each report's status and a link to
    its form; the deadline; the month's sheet to download and upload."""
    return _fill_page(request, _month(month))


@login_required
def template(request: HttpRequest, month: str) -> HttpResponse:
    """The month's sheet (xlsx) of the user's projects, with the figures saved so far."""
    found = _month(month)
    _require_fill_page(request.user, found)
    content = dispatch.month_template(actor=request.user, month=found)
    return xlsx_response(content, _("dispatch-%(month)s.xlsx") % {"month": found.month})


@login_required
@require_POST
def upload(request: HttpRequest, month: str) -> HttpResponse:
    """Save the reports of an uploaded month's sheet, all or nothing; its problems by cell."""
    found = _month(month)
    if not dispatch.can_fill_month(request.user, found):
        raise PermissionDenied(_("Only a county or a project owner uploads a month's sheet."))
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        messages.error(request, why)
        return _fill_page(request, found)
    try:
        done = dispatch.month_upload(
            actor=request.user,
            month=found,
            filename=file.name or "upload.xlsx",
            content=file.read(),
            submit=request.POST.get("submit") == "yes",
        )
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return _fill_page(request, found, file_problems=[p.message(lang()) for p in error])
    if done["submitted"]:
        messages.success(
            request,
            _("The sheet's %(n)s reports were saved and submitted for review.")
            % {"n": done["submitted"]},
        )
    else:
        messages.success(
            request,
            _("The sheet's %(n)s reports were saved as drafts: submit each, or upload again "
              "with 'submit' ticked.") % {"n": done["saved"]},
        )  # fmt: skip
    return redirect("dispatch-fill", month=month)


# -- a project's report ----------------------------------------------------------------------------


def _fields(report: Report | None, entered: dict[str, str] | None) -> dict[str, str]:
    """The form's values: as entered when a save was refused, else the report's."""
    if entered is not None:
        return entered
    if report is None:
        return {}
    out = {f: _text(getattr(report, f)) for f in dispatch.FIGURES}
    out |= {f: getattr(report, f) for f in ("progress", "problems", "note")}
    out["stopped"] = "yes" if report.stopped else ""
    out["in_statistics"] = {True: "yes", False: "no", None: ""}[report.in_statistics]
    return out


def _report_page(
    request: HttpRequest, project: Project, month: DispatchMonth, *,
    entered: dict[str, str] | None = None, problems: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    report = Report.objects.filter(project=project, month=month).first()
    last = dispatch.previous_report(project, month.month)
    fields = _fields(report, entered)
    flags = []
    if report is not None and report.status in dispatch.SENT:
        flags = [plain(p) for p in dispatch.report_flags([report]).get(report.pk, [])]
    labels = {
        "invested": _("Invested this month (10k yuan)"),
        "ytd": _("This year so far (10k yuan)"),
        "since_start": _("Since the start of works (10k yuan)"),
        "workers": _("Workers on site"),
    }
    problems = problems or {}
    figures = [
        {
            "name": name,
            "label": label,
            "value": fields.get(name, ""),
            "last": _text(getattr(last, name)) if last else "",
            "problems": problems.get(name, []),
        }
        for name, label in labels.items()
    ]
    context = {
        "project": project,
        "month": month,
        "report": report,
        "figures": figures,
        "reviewer": is_reviewer(request.user),
        "last": last,
        "fields": fields,
        "problems": problems,
        "general": problems.get("", []),
        "flags": flags,
        "fillable": dispatch.can_fill(request.user, project, month, report),
        "decidable": is_reviewer(request.user)
        and report is not None
        and report.status == Report.Status.SUBMITTED
        and month.status == DispatchMonth.Status.OPEN,
        "photos": list(report.photos.all()) if report is not None else [],
        "photo_accept": dispatch.ACCEPT,
        "photo_limit": f"{int(settings.PHOTO_MAX_BYTES) // (1024 * 1024)} MB",
        "january": month.month.endswith("-01"),
    }
    return render(request, "projects/month_report.html", context, status=status)


FORM_FIELDS = (*dispatch.FIGURES, "progress", "problems", "note", "stopped", "in_statistics")


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """A project's report of the month: the form (saved as a draft or submitted) with last
    month's figures beside, the photos; read-only once handed in; the office's decision."""
    project = get_object_or_404(Project, code=code)
    found = _month(month)
    require_see(request.user, project)
    if request.method == "GET":
        return _report_page(request, project, found)
    if not can_report(request.user, project):
        raise PermissionDenied(_("Only the project's county or owner may report it."))
    entered = {k: request.POST.get(k, "").strip() for k in FORM_FIELDS}
    submit = request.POST.get("action") == "submit"
    try:
        dispatch.report_save(
            actor=request.user, project=project, month=found, values=entered, submit=submit
        )
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        beside: dict[str, list[str]] = {}
        for problem in error:
            where = problem.where if problem.where in FORM_FIELDS else ""
            beside.setdefault(where or "", []).append(plain(problem))
        return _report_page(request, project, found, entered=entered, problems=beside)
    messages.success(request, _("Submitted for review.") if submit else _("Saved as a draft."))
    return redirect("report", code=code, month=month)


@login_required
@require_POST
def report_decide(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """The office returns a submitted report with a comment, or approves it."""
    require_reviewer(request.user)
    found = get_object_or_404(
        Report.objects.select_related("project", "month"), project__code=code, month__month=month
    )
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            dispatch.report_approve(actor=request.user, report=found)
            messages.success(request, _("Approved."))
        elif decision == "return":
            dispatch.report_return(
                actor=request.user, report=found, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Returned to the unit for correction."))
        else:
            messages.error(request, _("Choose approve or return."))
    except InputError as error:
        for problem in error:
            messages.error(request, plain(problem))
    if request.POST.get("next") == "review":
        return redirect("dispatch-review", month=month)
    return redirect("report", code=code, month=month)


@login_required
@require_POST
def report_photo(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """Add a photo to the report (``file``), or remove one (``delete``: its id)."""
    project = get_object_or_404(Project, code=code)
    found = _month(month)
    if not can_report(request.user, project):
        raise PermissionDenied(_("Only the project's county or owner may report it."))
    remove = request.POST.get("delete")
    try:
        if remove:
            photo = get_object_or_404(
                Photo, pk=remove if remove.isdigit() else 0, report__project=project,
                report__month=found,
            )  # fmt: skip
            dispatch.photo_delete(actor=request.user, photo=photo)
            messages.success(request, _("The photo was removed."))
        else:
            dispatch.photo_add(
                actor=request.user, project=project, month=found, upload=request.FILES.get("photo")
            )
            messages.success(request, _("The photo was added."))
    except InputError as error:
        for problem in error:
            messages.error(request, plain(problem))
    return redirect("report", code=code, month=month)


# -- the review ------------------------------------------------------------------------------------


def _review_labels() -> dict[str, str]:
    return {
        "invested": _("Invested this month (10k yuan)"),
        "ytd": _("This year so far (10k yuan)"),
        "since_start": _("Since the start of works (10k yuan)"),
    }


@login_required
def review(request: HttpRequest, month: str) -> HttpResponse:
    """The month's submitted reports (figures, last month's, the engine's flags, thumbnails)
    to return or approve, and the units with projects not handed in."""
    require_reviewer(request.user)
    found = _month(month)
    submitted = list(
        Report.objects.filter(month=found, status=Report.Status.SUBMITTED)
        .select_related("project__unit", "month")
        .prefetch_related("photos")
        .order_by("project__unit__code", "project__code")
    )
    flags = dispatch.report_flags(submitted)
    rows = []
    for item in submitted:
        last = dispatch.previous_report(item.project, found.month)
        rows.append(
            {
                "report": item,
                "last": last,
                "figures": [
                    (label, _text(getattr(item, f)), _text(getattr(last, f)) if last else "")
                    for f, label in _review_labels().items()
                ],
                "flags": [plain(p) for p in flags.get(item.pk, [])],
                "photos": list(item.photos.all()),
            }
        )
    today = timezone.localdate()
    units = dispatch.late_units(found)
    context = {
        "month": found,
        "rows": rows,
        "units": units,
        "waiting": sum(len(u["projects"]) for u in units),
        "late": found.deadline is not None and today > found.deadline,
        "decidable": found.status == DispatchMonth.Status.OPEN,
    }
    return render(request, "projects/month_review.html", context)


# -- photos ----------------------------------------------------------------------------------------


def _photo(request: HttpRequest, pk: int, *, thumb: bool) -> FileResponse:
    found = get_object_or_404(Photo.objects.select_related("report__project"), pk=pk)
    try:
        handle, content_type = dispatch.photo_open(actor=request.user, photo=found, thumb=thumb)
    except PermissionDenied:
        raise Http404(_("No such photo.")) from None
    except FileNotFoundError:
        raise Http404(_("The photo is missing from the platform's storage.")) from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of the works, to whoever may see its project (404 to everyone else)."""
    return _photo(request, pk, thumb=False)


@login_required
def photo_thumb(request: HttpRequest, pk: int) -> FileResponse:
    """A photo's thumbnail (at most 320 px), to whoever may see its project."""
    return _photo(request, pk, thumb=True)
