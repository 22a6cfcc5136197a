"""Pages of the bonus, penalty and veto items (加减分、一票否决) of an official period: the list
and the propose form, one item with its evidence, the office's decision, and the evidence file.

Views are short: they read through :func:`~kaoping.web.official.access.items_visible_to`,
change through :mod:`kaoping.web.official.items` (which checks rights again), and show the
problems the services raise beside the fields they name.  An item a user may not see answers
404, as does a period whose methodology is academic (it has no items).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import Period, Unit
from kaoping.web.lang import plain
from kaoping.web.official import items as services
from kaoping.web.official.access import department_of, items_visible_to
from kaoping.web.official.models import Evidence, Item
from kaoping.web.results.models import Assessment, Objection
from kaoping.web.results.services import objection_window_open

FIELDS = ("unit", "rule", "points", "reason", "document", "date", "files")
"""The propose form's fields, as the services' problems name them."""


def _official(code: str) -> Period:
    """The period, 404 unless it exists and its methodology is official (has items)."""
    period = get_object_or_404(Period, code=code)
    if not services.is_official(period):
        raise Http404(_("This period is assessed by an academic index: it has no items."))
    return period


def _may_list(user: Any) -> bool:
    """The office, a department and a county have an items page; a viewer has none."""
    return (
        access.is_reviewer(user)
        or department_of(user) is not None
        or access.unit_id_of(user) is not None
    )


def _may_propose(user: Any) -> bool:
    return access.is_reviewer(user) or department_of(user) is not None


@login_required
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest, period: str) -> HttpResponse:
    """The items the user may see (the office: all, filtered by status and county; a
    department: those it proposed; a county: those about itself) and, for the office and the
    departments, the form to propose one with its evidence files."""
    the_period = _official(period)
    user = request.user
    if not _may_list(user):
        raise PermissionDenied(_("Only the city office, departments and counties see items."))
    problems: dict[str, list[str]] = {}
    entered: dict[str, str] = {}
    if request.method == "POST":
        if not _may_propose(user):
            raise PermissionDenied(_("Only a department or the city office proposes an item."))
        entered = {name: request.POST.get(name, "") for name in FIELDS if name != "files"}
        try:
            item = services.item_propose(
                actor=user,
                period=the_period,
                unit=entered["unit"],
                rule=entered["rule"],
                points=entered["points"],
                reason=entered["reason"],
                document=entered["document"],
                date=entered["date"],
                files=request.FILES.getlist("files"),
            )
        except InputError as error:
            for problem in error:
                where = problem.where if problem.where in FIELDS else ""
                problems.setdefault(where or "", []).append(plain(problem))
            messages.error(
                request,
                _("Nothing was saved: correct the fields marked below and choose the files again."),
            )
        else:
            messages.success(request, _("Proposed: the city office will decide on it."))
            return redirect("item", period=period, pk=item.pk)
    return _items_page(request, the_period, problems, entered)


def _items_page(
    request: HttpRequest, period: Period, problems: dict[str, list[str]], entered: dict[str, str]
) -> HttpResponse:
    user = request.user
    reviewer = access.is_reviewer(user)
    visible = items_visible_to(user, period)
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "")
    shown = visible.annotate(files=Count("evidence"))
    if status in Item.Status.values:
        shown = shown.filter(status=status)
    else:
        status = ""
    if unit and not access.unit_id_of(user):
        shown = shown.filter(unit__code=unit)
    rules = {r.id: r for r in services.rules_of(methodology_of(period.methodology))}
    rows = [{"item": i, "rule": rules.get(i.rule)} for i in shown.order_by("-pk")]
    may_propose = _may_propose(user) and not services.is_published(period)
    context = {
        "period": period,
        "reviewer": reviewer,
        "department": department_of(user),
        "rows": rows,
        "statuses": [
            (value, services.status_label(value), counts.get(value, 0))
            for value in Item.Status.values
        ],
        "total": sum(counts.values()),
        "status": status,
        "unit": unit,
        "units": Unit.objects.order_by("code"),
        "may_propose": may_propose,
        "published": services.is_published(period),
        "rules": services.rules_for(user, period) if _may_propose(user) else [],
        "problems": problems,
        "general": problems.get("", []),
        "entered": entered,
        "accept": services.ACCEPT,
        "limit": _limit(),
    }
    # a refused proposal re-shows the form with 200, as Django's forms do
    return render(request, "official/items.html", context)


def _limit() -> str:
    return f"{settings.EVIDENCE_MAX_BYTES / (1024 * 1024):.3g} MB"


@login_required
def item(request: HttpRequest, period: str, pk: int) -> HttpResponse:
    """One item: its rule, points, reason and document, its evidence files, its decision;
    the office's decision form; the county's objection form while the ranking is announced."""
    the_period = _official(period)
    found = get_object_or_404(items_visible_to(request.user, the_period), pk=pk)
    rules = {r.id: r for r in services.rules_of(methodology_of(the_period.methodology))}
    rule = rules.get(found.rule)
    reviewer = access.is_reviewer(request.user)
    published = services.is_published(the_period)
    own = access.unit_id_of(request.user) == found.unit_id
    announced = (
        Assessment.objects.filter(period=the_period, status=Assessment.Status.ANNOUNCED)
        .defer("inputs", "results")
        .first()
    )
    may_object = (
        own
        and found.status == Item.Status.APPROVED
        and announced is not None
        and objection_window_open(announced)
    )
    objections = (
        Objection.objects.filter(item=found).select_related("assessment")
        if reviewer or own
        else Objection.objects.none()
    )
    context = {
        "period": the_period,
        "item": found,
        "rule": rule,
        "evidence": list(found.evidence.all()),
        "inline": services.INLINE,
        "reviewer": reviewer,
        "may_decide": reviewer and not published,
        "published": published,
        "may_object": may_object,
        "announced": announced,
        "objections": objections,
    }
    return render(request, "official/item.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, period: str, pk: int) -> HttpResponse:
    """The office's decision on an item: approve, reject (with the reason) or withdraw an
    approved one (with the reason)."""
    access.require_reviewer(request.user)
    the_period = _official(period)
    found = get_object_or_404(Item, pk=pk, period=the_period)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            services.item_approve(actor=request.user, item=found, reason=reason)
            messages.success(request, _("Approved: the item counts in the next computation."))
        elif action == "reject":
            services.item_reject(actor=request.user, item=found, reason=reason)
            messages.success(request, _("Rejected."))
        elif action == "withdraw":
            services.item_withdraw(actor=request.user, item=found, reason=reason)
            messages.success(
                request,
                _("Withdrawn: compute the ranking again (and announce it) for it to count."),
            )
        else:
            messages.error(request, _("Unknown action."))
    except InputError as error:
        messages.error(request, " ".join(plain(p) for p in error))
    except PermissionDenied as error:  # a stale page: decided or published meanwhile
        messages.error(request, str(error))
    return redirect("item", period=period, pk=found.pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to those who may see it (404 to everyone else, as for a file that
    does not exist): PDF and images shown in the browser, Word and Excel downloaded; the
    content type its content was read as, never sniffed by the browser; never a path."""
    found = get_object_or_404(Evidence.objects.select_related("item"), pk=pk)
    try:
        handle, name, content_type = services.evidence_open(actor=request.user, evidence=found)
    except PermissionDenied:
        raise Http404(_("No such file.")) from None
    except FileNotFoundError:
        raise Http404(_("The file is missing from the platform's storage.")) from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in services.INLINE,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
