"""Pages of the registry (项目库) and the issue ledger (问题台账): the projects a user sees with
their filters and totals, the registry's sheet out and in (the office), the issues of those
projects, one issue with its history and its next step, and a new issue on a project.

Views are short: they read and change through :mod:`kaoping.web.projects.registry` and
:mod:`kaoping.web.projects.issues` (which check rights) and show the problems the services raise
beside the fields, or the cells, they name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.dispatch import ledger as rules
from kaoping.dispatch.schema import KEY_LEVELS, STAGES
from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer, require_reviewer
from kaoping.web.collection.models import AuditEvent, Unit
from kaoping.web.lang import lang, plain
from kaoping.web.projects import issues, registry
from kaoping.web.projects.access import projects_visible_to, require_see
from kaoping.web.projects.models import Issue, Project
from kaoping.web.workbooks import refused, xlsx_response

PAGE = 50
"""Rows a page of the registry or the ledger shows."""


def _chosen(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


def _page(request: HttpRequest, query: Any) -> Any:
    return Paginator(query, PAGE).get_page(request.GET.get("page"))


def _counties(projects: Any) -> Any:
    return Unit.objects.filter(projects__in=projects).distinct().order_by("code")


# -- the registry ----------------------------------------------------------------------------------


def _registry_page(request: HttpRequest, *, file_problems: list[str] | None = None) -> HttpResponse:
    chosen = _chosen(request, registry.FILTERS)
    query = registry.registry_projects(actor=request.user, **chosen)
    visible = projects_visible_to(request.user)
    batches = visible.exclude(batch="").order_by("batch").values_list("batch", flat=True).distinct()
    context = {
        "page": _page(request, query),
        "totals": registry.registry_totals(query),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "counties": _counties(visible),
        "key_levels": KEY_LEVELS,
        "batches": list(batches),
        "stages": STAGES,
        "reviewer": is_reviewer(request.user),
        "file_problems": file_problems or [],
    }
    return render(request, "projects/registry_list.html", context)


@login_required
def registry_list(request: HttpRequest) -> HttpResponse:
    """The projects of the registry the user sees, filtered, with their totals; for the
    office the sheet to upload."""
    return _registry_page(request)


@login_required
def registry_export(request: HttpRequest) -> HttpResponse:
    """The registry's sheet (xlsx) of the projects the user sees (and the page's filters
    keep); ``?template=1``: the empty sheet to fill."""
    if request.GET.get("template"):
        content = registry.registry_export(actor=request.user, empty=True)
        return xlsx_response(content, "项目库-空表.xlsx")
    chosen = _chosen(request, registry.FILTERS)
    content = registry.registry_export(actor=request.user, **chosen)
    # the sheet's own name (项目库), as the city files it, whatever the page's language
    return xlsx_response(content, f"项目库-{timezone.localdate().isoformat()}.xlsx")


@login_required
@require_POST
def registry_upload(request: HttpRequest) -> HttpResponse:
    """Import an uploaded registry sheet, all or nothing; its problems by cell."""
    require_reviewer(request.user)
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        messages.error(request, why)
        return _registry_page(request)
    try:
        done = registry.registry_upload(
            actor=request.user, file=file, name=file.name or "registry.xlsx"
        )
    except InputError as error:
        messages.error(request, _("Nothing was changed: correct the cells listed below."))
        return _registry_page(request, file_problems=[p.message(lang()) for p in error])
    messages.success(
        request,
        _("The registry was imported. New projects: %(created)s; updated: %(updated)s; "
          "unchanged: %(unchanged)s.") % done,
    )  # fmt: skip
    return redirect("registry")


# -- the issue ledger ------------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The issues of the projects the user sees, filtered; for the office the escalation of
    the overdue ones."""
    today = timezone.localdate()
    chosen = _chosen(request, issues.LEDGER_FILTERS)
    query = issues.ledger_issues(actor=request.user, today=today, **chosen)
    page = _page(request, query)
    for issue in page:
        issue.overdue = rules.is_overdue(issue.status, issue.deadline, today)
    everything = issues.ledger_issues(actor=request.user, today=today)
    context = {
        "page": page,
        "count": query.count(),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "statuses": Issue.Status.choices,
        "kinds": Issue.Kind.choices,
        "counties": _counties(projects_visible_to(request.user)),
        "overdue": everything.filter(deadline__lt=today).exclude(status__in=issues.DONE).count(),
        "reviewer": is_reviewer(request.user),
        "today": today,
    }
    return render(request, "projects/issue_ledger.html", context)


@login_required
@require_POST
def escalate(request: HttpRequest) -> HttpResponse:
    """Escalate every overdue issue a level (the office; the daily command does it too)."""
    moved = issues.issues_escalate(actor=request.user, today=timezone.localdate())
    if moved:
        text = ngettext(
            "%(n)s overdue issue moved up a level, with a new time limit.",
            "%(n)s overdue issues moved up a level, each with a new time limit.",
            len(moved),
        )
        messages.success(request, text % {"n": len(moved)})
    else:
        messages.info(request, _("No issue is overdue: none moved up a level."))
    return redirect("ledger")


def _beside(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.where or "", []).append(plain(problem))
    return out


_WHAT = {
    AuditEvent.Action.ISSUE_RAISE: "raised",
    AuditEvent.Action.ISSUE_STEP: "step",
    AuditEvent.Action.ISSUE_ESCALATE: "escalated",
}


def _history(issue: Issue) -> list[dict[str, Any]]:
    """Every event of the issue: when, who (the system for the daily escalation), what, the
    comment, the level and the time limit after it."""
    status, level = Issue.Status, Issue.Level
    rows = []
    for event in issues.issue_events(issue):
        data = event.data
        what = _WHAT[event.action]
        rows.append(
            {
                "when": event.timestamp,
                "who": event.actor,
                "what": what,
                "step": status(data["after"]).label if what == "step" else "",
                "level": level(data["after"]).label
                if what == "escalated"
                else level(data["level"]).label
                if data.get("level")
                else "",
                "text": data.get("text") or "",
                "deadline": data.get("deadline") or "",
            }
        )
    return rows


def _issue_page(
    request: HttpRequest, issue: Issue, *, entered: dict[str, str] | None = None,
    problems: dict[str, list[str]] | None = None,
) -> HttpResponse:  # fmt: skip
    require_see(request.user, issue.project)
    today = timezone.localdate()
    steps = issues.issue_steps_for(request.user, issue)
    context = {
        "issue": issue,
        "project": issue.project,
        "overdue": rules.is_overdue(issue.status, issue.deadline, today),
        "history": _history(issue),
        "steps": [(s, Issue.Status(s).label) for s in steps],
        "reviewer": is_reviewer(request.user),
        "may_raise": issues.may_raise(request.user, issue.project),
        "entered": entered or {},
        "problems": problems or {},
    }
    return render(request, "projects/issue_detail.html", context)


@login_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue: its project, department, leader, time limit, level, every step so far, and
    the form of the next step for those who may take it."""
    return _issue_page(request, get_object_or_404(Issue.objects.select_related("project"), pk=pk))


@login_required
@require_POST
def issue_step(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Issue.objects.select_related("project"), pk=pk)
    require_see(request.user, found.project)
    entered = {k: request.POST.get(k, "") for k in ("to", "text", "deadline")}
    try:
        issues.issue_step(actor=request.user, issue=found, **entered)
    except InputError as error:
        found.refresh_from_db()
        messages.error(request, _("The issue was not moved on: correct what is marked below."))
        return _issue_page(request, found, entered=entered, problems=_beside(list(error)))
    messages.success(
        request, _("The issue is now: %(status)s.") % {"status": found.get_status_display()}
    )
    return redirect("issue", pk=found.pk)


_RAISE_FIELDS = ("kind", "content", "department", "leader", "deadline")


@login_required
@require_http_methods(["GET", "POST"])
def issue_raise(request: HttpRequest, code: str) -> HttpResponse:
    """The form of a new issue on a project (GET), and raising it (POST): the office, or the
    project's county or owner."""
    project = get_object_or_404(Project.objects.select_related("unit"), code=code)
    require_see(request.user, project)
    entered = {k: request.POST.get(k, "") for k in _RAISE_FIELDS}
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            raised = issues.issue_raise(
                actor=request.user,
                project=project,
                kind=entered["kind"],
                content=entered["content"],
                raised_on=timezone.localdate(),
                deadline=entered["deadline"],
                department=entered["department"].strip(),
                leader=entered["leader"].strip(),
            )
        except InputError as error:
            problems = list(error)
            messages.error(request, _("The issue was not raised: correct what is marked below."))
        else:
            messages.success(request, _("The issue was raised and added to the ledger."))
            return redirect("issue", pk=raised.pk)
    context = {
        "project": project,
        "kinds": Issue.Kind.choices,
        "entered": entered,
        "problems": _beside(problems),
    }
    return render(request, "projects/issue_raise.html", context)
