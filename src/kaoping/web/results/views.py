"""The league table (排名表) of an assessment, its exports, and the analyst's actions on it."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Submission, Unit
from kaoping.web.lang import lang, plain
from kaoping.web.results import services
from kaoping.web.results.access import assessments_visible_to, may_see_figures
from kaoping.web.results.models import Assessment, Objection
from kaoping.web.results.profile import frozen_methodology
from kaoping.web.results.profile import profile as profile_of

SORTS = {"rank", "score", "unit", "name", "category"}
HIDDEN = (Assessment.Status.DISCARDED, Assessment.Status.SUPERSEDED)
"""Assessments set aside: reachable by their id, never shown first or listed."""


def _said(error: InputError) -> str:
    """The problems for the page: in the request's language, without internal field names."""
    return " ".join(plain(p) for p in error)


def _previous_ranks(assessment: Assessment, user: Any) -> dict[str, int]:
    """Each unit's rank in the published assessment of the previous period (for ↑↓)."""
    previous = assessment.period.previous
    if previous is None:
        return {}
    last = (
        assessments_visible_to(user)
        .filter(period=previous, status=Assessment.Status.PUBLISHED)
        .first()
    )
    if last is None:
        return {}
    return {r["unit"]: r["rank"] for r in last.results if r.get("rank") is not None}


def _tiers(records: list[dict[str, Any]]) -> list[str]:
    """The tiers present, best first (records come in rank order): the colours' order."""
    return list(dict.fromkeys(r["tier"] for r in records if r.get("tier")))


def _table(assessment: Assessment, request: HttpRequest) -> tuple[list[dict[str, Any]], Any]:
    rows = [dict(r) for r in assessment.results]
    before = _previous_ranks(assessment, request.user)
    tiers = _tiers(rows)
    for row in rows:
        old = before.get(row["unit"])
        row["change"] = None if old is None or row.get("rank") is None else old - row["rank"]
    category = request.GET.get("category") or ""
    if category:
        rows = [r for r in rows if r.get("category") == category]
    sort = request.GET.get("sort") or "rank"
    if sort not in SORTS:
        sort = "rank"

    def key(row: dict[str, Any]) -> tuple[int, Any]:  # missing values last; scores descending
        value = row.get(sort)
        if value is None:
            return (1, 0)
        return (0, -value if sort == "score" else value)

    rows.sort(key=key)
    from kaoping.assess.result import gap_mark  # pandas: only when a ranking is shown

    names = _indicator_names(assessment)
    for row in rows:
        row["tier_class"] = f"tier-{tiers.index(row['tier'])}" if row.get("tier") else ""
        gaps = row.get("missing") or {}
        marks = sorted({gap_mark(g) for g in gaps.values()}, reverse=True)
        row["gap"] = "/".join(marks)
        row["gap_title"] = "；".join(
            f"{names.get(i, i)}（{gap_mark(g)}）：{g['en'] if lang() == 'en' else g['zh']}"
            for i, g in gaps.items()
        )
    return rows, {"sort": sort, "category": category}


def _indicator_names(assessment: Assessment) -> dict[str, str]:
    """Indicator id -> its name in the page's language, from the assessment's methodology."""
    methodology = frozen_methodology(assessment)
    english = lang() == "en"
    return {i.id: (i.name_en or i.name) if english else i.name for i in methodology.indicators}


def _latest(request: HttpRequest, period: str) -> Assessment:
    visible = assessments_visible_to(request.user).filter(period__code=period)
    wanted = request.GET.get("assessment")
    if wanted:
        return get_object_or_404(visible, pk=_pk(wanted))
    visible = visible.exclude(status__in=HIDDEN)
    published = visible.filter(status=Assessment.Status.PUBLISHED).first()
    if published is not None:
        return published
    return get_object_or_404(visible[:1])


@login_required
def league(request: HttpRequest, period: str) -> HttpResponse:
    if access.is_reviewer(request.user) and not request.GET.get("assessment"):
        # the analyst's way in to a period with no ranking yet: a page with "Compute"
        the_period = get_object_or_404(Period, code=period)
        if not Assessment.objects.filter(period=the_period).exists():
            return render(request, "results/none.html", {"period": the_period})
    assessment = _latest(request, period)
    rows, state = _table(assessment, request)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(assessment, rows, fmt)
    categories = sorted({r.get("category") for r in assessment.results if r.get("category")})
    dimensions = list(assessment.results[0].get("dimensions", {})) if assessment.results else []
    reviewer = access.is_reviewer(request.user)
    unit_id = access.unit_id_of(request.user)
    objections = assessment.objections.select_related("unit")
    methodology = frozen_methodology(assessment)
    estimated = any(r.get("missing") for r in assessment.results)
    if not reviewer:  # a county sees its own objections; a viewer none
        objections = objections.filter(unit_id=unit_id) if unit_id else objections.none()
    # while only announced, a county opens its own profile only (see may_see_figures)
    public = reviewer or assessment.status == Assessment.Status.PUBLISHED
    own = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
    for row in rows:
        row["linked"] = public or row["unit"] == own
    context = {
        "assessment": assessment,
        "rows": rows,
        "categories": categories,
        "dimensions": dimensions,
        "reviewer": reviewer,
        "objections": objections,
        "may_object": unit_id is not None and services.objection_window_open(assessment),
        "own_unit_id": unit_id,
        "estimated": estimated,
        "policy": f"missing: {methodology.missing.method}",
        # the city office's other computations of the period (a newer preview is not the
        # published ranking that /results/<period>/ shows first)
        "others": (
            assessments_visible_to(request.user)
            .filter(period=assessment.period)
            .exclude(pk=assessment.pk)
            .exclude(status__in=HIDDEN)
            if reviewer
            else []
        ),
        "stale": reviewer
        and assessment.status in services.OPEN_STATUSES
        and services.is_stale(assessment),
        "total_units": Unit.objects.count() if reviewer else None,
        **state,
    }
    return render(request, "results/league.html", context)


@login_required
@require_POST
def objection(request: HttpRequest, period: str) -> HttpResponse:
    """A county raises an objection to the announced ranking or replies once to the answer;
    an analyst answers one (accepting or rejecting it) or, once accepted, reopens the
    county's submission for correction."""
    assessment = get_object_or_404(
        assessments_visible_to(request.user), pk=_pk(request.POST.get("assessment"))
    )
    target = None
    if "objection" in request.POST:
        target = get_object_or_404(
            Objection, pk=_pk(request.POST["objection"]), assessment=assessment
        )
    action = request.POST.get("action", "")
    try:
        if target is None:
            services.objection_raise(
                actor=request.user, assessment=assessment, text=request.POST.get("text", "")
            )
            messages.success(
                request, _("Your objection was recorded; the city office will answer it.")
            )
        elif action in ("accept", "reject"):
            services.objection_answer(
                actor=request.user,
                objection=target,
                answer=request.POST.get("answer", ""),
                accept=action == "accept",
            )
            messages.success(request, _("The answer was recorded."))
        elif action == "reply":
            services.objection_reply(
                actor=request.user, objection=target, text=request.POST.get("reply", "")
            )
            messages.success(request, _("Your reply was recorded."))
        elif action == "reopen":
            services.submission_reopen(actor=request.user, objection=target)
            messages.success(
                request,
                _(
                    "The county's submission is open for correction; once it is approved "
                    "again, compute a new preview and announce it."
                ),
            )
        else:
            messages.error(request, _("Unknown action."))
    except InputError as error:
        messages.error(request, _said(error))
    except PermissionDenied as error:
        if not access.is_reviewer(request.user) and access.unit_id_of(request.user) is None:
            raise
        messages.error(request, str(error))
    return redirect(f"/results/{period}/?assessment={assessment.pk}")


def _pk(raw: object) -> int:
    """An assessment's or objection's id from a form or query: 404 unless a whole number."""
    text = str(raw or "")
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise Http404(_("No such assessment."))
    return int(text)


@login_required
@require_http_methods(["GET", "POST"])
def compute(request: HttpRequest, period: str) -> HttpResponse:
    """Compute a preview: how many units are approved, and for each one that is not, whether
    to leave it out (未参评) and why; refused while a unit is neither approved nor named."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    state = services.completeness(the_period)
    problems: dict[str, list[str]] = {}
    general: list[str] = []
    chosen: dict[str, str] = {}
    if request.method == "POST":
        pending = {p["code"] for p in state["pending"]}
        for code in pending:
            if request.POST.get(f"exclude-{code}") == "yes":
                chosen[code] = request.POST.get(f"reason-{code}", "")
        try:
            assessment = services.assessment_compute(
                actor=request.user, period=the_period, excluded=chosen
            )
        except InputError as error:
            for problem in error:
                if problem.where in pending:
                    problems.setdefault(str(problem.where), []).append(plain(problem))
                else:
                    general.append(plain(problem))
            messages.error(request, _("Nothing was computed: see the problems below."))
        else:
            messages.success(request, _("Computed: a preview, visible to the city office only."))
            return redirect(f"/results/{period}/?assessment={assessment.pk}")
    for row in state["pending"]:
        row["problems"] = problems.get(row["code"], [])
        row["checked"] = row["code"] in chosen
        row["reason"] = request.POST.get(f"reason-{row['code']}", "")
        row["status_label"] = (
            Submission.Status(row["status"]).label if row["status"] else _("Not started")
        )
    context = {"period": the_period, "general": general, **state}
    return render(request, "results/compute.html", context)


def _export(assessment: Assessment, rows: list[dict[str, Any]], fmt: str) -> HttpResponse:
    header = [_("Rank"), _("Code"), _("Unit"), _("Category"), _("Score"), _("Tier"),
              _("Rank in category")]  # fmt: skip
    table = [
        [r.get("rank"), r["unit"], r.get("name"), r.get("category"), r.get("score"),
         r.get("tier"), r.get("category_rank")]
        for r in rows
    ]  # fmt: skip
    name = f"ranking-{assessment.period.code}-{assessment.inputs_hash[:8]}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(table)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )  # the BOM: Excel opens UTF-8 CSV as UTF-8 only with it
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = assessment.period.code
    sheet.append(header)
    for line in table:
        sheet.append(line)
    sheet.append([])
    sheet.append([_("Inputs hash (SHA-256)"), assessment.inputs_hash])
    buffer_b = io.BytesIO()
    workbook.save(buffer_b)
    response = HttpResponse(
        buffer_b.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def profile(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """A county's profile in the period's ranking: radar against its category, indicators
    against their targets, its score across the periods, strengths and weaknesses."""
    assessment = _latest(request, period)
    if not may_see_figures(request.user, assessment, code):
        raise PermissionDenied(_("Another unit's figures are shown once the ranking is published."))
    latest: dict[str, Assessment] = {}  # the last published assessment of each period
    published = assessments_visible_to(request.user).filter(status=Assessment.Status.PUBLISHED)
    for past in published.order_by("period__code", "computed_at", "pk"):
        latest[past.period.code] = past
    history = list(latest.values())
    try:
        data = profile_of(assessment, code, history)
    except StopIteration:
        raise Http404(_("This unit is not in the ranking.")) from None
    return render(request, "results/profile.html", {"assessment": assessment, **data})


@login_required
def county_map(request: HttpRequest, period: str) -> HttpResponse:
    """The counties coloured by score or by tier (display only)."""
    assessment = _latest(request, period)
    by = "tier" if request.GET.get("by") == "tier" else "score"
    tiers = _tiers(assessment.results)
    data = {
        "by": by,
        "tiers": tiers,
        "units": [
            {"code": r["unit"], "name": r.get("name"), "score": r.get("score"),
             "rank": r.get("rank"), "tier": r.get("tier")}
            for r in assessment.results
        ],
    }  # fmt: skip
    return render(request, "results/map.html", {"assessment": assessment, "map": data, "by": by})


@login_required
@require_POST
def act(request: HttpRequest, period: str) -> HttpResponse:
    """The analyst's actions on an assessment: announce, publish, verify, discard (computing
    is :func:`compute`'s page)."""
    access.require_reviewer(request.user)
    action = request.POST.get("action")
    the_period = get_object_or_404(Period, code=period)
    assessment = None
    if "assessment" in request.POST:
        assessment = get_object_or_404(
            Assessment, pk=_pk(request.POST["assessment"]), period=the_period
        )
    try:
        if action == "discard" and assessment is not None:
            services.assessment_discard(actor=request.user, assessment=assessment)
            messages.success(request, _("The preview was discarded."))
            return redirect(f"/results/{period}/")
        elif action == "announce" and assessment is not None:
            raw = request.POST.get("days", "").strip()
            # not a whole number (nor ² or ٣, which isdigit() accepts): refused as 0 days
            days = int(raw) if re.fullmatch(r"[0-9]{1,4}", raw) else 0
            services.assessment_announce(actor=request.user, assessment=assessment, days=days)
            messages.success(request, _("Announced: counties may now raise objections."))
        elif action == "publish" and assessment is not None:
            services.assessment_publish(actor=request.user, assessment=assessment)
            messages.success(request, _("Published."))
        elif action == "verify" and assessment is not None:
            if services.assessment_verify(assessment=assessment):
                messages.success(
                    request,
                    _("Recomputed from the frozen inputs: every number is identical."),
                )
            else:
                messages.error(request, _("Recomputed: the numbers DIFFER from the stored ones."))
        else:
            messages.error(request, _("Unknown action."))
    except InputError as error:
        messages.error(request, _said(error))
    except PermissionDenied as error:  # the right was checked above: a stale page, e.g. a
        messages.error(request, str(error))  # second click on "publish"
    query = f"?assessment={assessment.pk}" if assessment is not None else ""
    return redirect(f"/results/{period}/{query}")
