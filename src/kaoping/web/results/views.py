"""The league table (排名表) of an assessment, its exports, and the analyst's actions on it."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Submission, Unit
from kaoping.web.lang import plain
from kaoping.web.official.models import Item
from kaoping.web.results import pages, services
from kaoping.web.results import screen as bigscreen
from kaoping.web.results.access import assessments_visible_to, may_see_figures
from kaoping.web.results.models import Assessment, Objection

HIDDEN = (Assessment.Status.DISCARDED, Assessment.Status.SUPERSEDED)
"""Assessments set aside: reachable by their id, never shown first or listed."""
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
NAMES = {"csv": "ranking", "xlsx": "ranking", "docx": "notice", "pdf": "report"}
"""The download's file name before its period and hash (ASCII: every browser keeps it)."""


def _said(error: InputError) -> str:
    """The problems for the page: in the request's language, without internal field names."""
    return " ".join(plain(p) for p in error)


@dataclass
class _Choice:
    """What a results page of a period shows, from one query for every assessment the user
    may see (their big inputs and results deferred: a cached page needs neither)."""

    period: Period
    assessment: Assessment | None  # None: nothing the user may see yet (the page says why)
    visible: list[Assessment]

    @property
    def previous(self) -> Assessment | None:
        """The last published assessment of the period before (the rank change's)."""
        wanted = self.period.previous_id
        published = Assessment.Status.PUBLISHED
        found = [a for a in self.visible if a.period_id == wanted and a.status == published]
        return found[-1] if found else None

    def periods(self, link: Any) -> list[dict[str, Any]]:
        """The period selector: every period with a ranking the user may see (and the page's
        own), each with ``link(code)``."""
        codes = sorted({a.period.code for a in self.visible} | {self.period.code})
        return [{"code": c, "url": link(c), "current": c == self.period.code} for c in codes]


def _choose(request: HttpRequest, period: str) -> _Choice:
    """The assessment a page of ``period`` shows: the one named by ``?assessment=`` (404 if
    the user may not see it), else the period's last published one, else its latest that the
    user may see, else none; 404 for a period that does not exist."""
    every = list(
        assessments_visible_to(request.user)
        .defer("inputs", "results")
        .order_by("period__code", "computed_at", "pk")
    )
    request.visible_assessments = every  # type: ignore[attr-defined]  # the header's (see context)
    visible = [a for a in every if a.status not in HIDDEN]
    mine = [a for a in visible if a.period.code == period]
    wanted = request.GET.get("assessment")
    if wanted:
        pk = _pk(wanted)
        found = next((a for a in mine if a.pk == pk), None)
        if found is None:  # set aside (discarded, withdrawn), or not the user's to see
            found = get_object_or_404(
                assessments_visible_to(request.user).defer("inputs", "results"),
                pk=pk,
                period__code=period,
            )
        return _Choice(found.period, found, visible)
    if not mine:
        return _Choice(get_object_or_404(Period, code=period), None, visible)
    published = [a for a in mine if a.status == Assessment.Status.PUBLISHED]
    return _Choice(mine[0].period, (published or mine)[-1], visible)


def _pending(request: HttpRequest, choice: _Choice, link: Any) -> HttpResponse:
    """The page of a period whose ranking the user may not see yet: why (announced for
    objections until a date, or not published yet), and the latest published ranking."""
    announced = (
        Assessment.objects.filter(period=choice.period, status=Assessment.Status.ANNOUNCED)
        .values_list("objections_until", flat=True)
        .first()
    )
    published = [a for a in choice.visible if a.status == Assessment.Status.PUBLISHED]
    context = {
        "period": choice.period,
        "announced": announced is not None,
        "until": announced,
        "latest": published[-1].period.code if published else None,
        "periods": choice.periods(link),
    }
    return render(request, "results/pending.html", context)


def _one_of(allowed: dict[str, Collection[str]]) -> Any:
    """``query`` of :func:`pages.whole`: the values a page's links write, by parameter."""
    return lambda name: allowed.get(name, ())


def _selector(periods: list[dict[str, Any]]) -> tuple[str, ...]:
    """What the period selector shows (part of a kept page's key)."""
    return tuple(p["code"] for p in periods)


def _league_link(code: str) -> str:
    return reverse("league", args=[code])


@login_required
def league(request: HttpRequest, period: str) -> HttpResponse:
    choice = _choose(request, period)
    reviewer = access.is_reviewer(request.user)
    pinned = bool(request.GET.get("assessment"))
    fmt = request.GET.get("format")
    assessment = choice.assessment
    if assessment is None and fmt in EXPORTS:
        raise Http404(_("This period has no ranking to download yet."))
    if assessment is None and reviewer:
        # the analyst's way in to a period with no ranking yet: a page with "Compute"
        return render(request, "results/none.html", {"period": choice.period})
    if assessment is None:  # a viewer during 公示, a county before it: why there is none
        return _pending(request, choice, _league_link)
    previous = choice.previous
    if fmt in EXPORTS:
        return _export(assessment, previous, fmt)
    sort = request.GET.get("sort") or "rank"
    if sort not in pages.SORTS:
        sort = "rank"
    category = request.GET.get("category") or ""
    unit_id = access.unit_id_of(request.user)
    objections: Any = []  # a county sees its own objections; a viewer none (and asks for none)
    if reviewer:
        objections = assessment.objections.select_related("unit")
    elif unit_id:
        objections = list(assessment.objections.select_related("unit").filter(unit_id=unit_id))
    periods = choice.periods(_league_link)

    def page(overrides: dict[str, Any]) -> HttpResponse:
        # while only announced, a county opens its own profile only (see may_see_figures)
        public = reviewer or assessment.status == Assessment.Status.PUBLISHED
        own = (
            None
            if public
            else Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
        )
        part = pages.league(
            assessment,
            previous,
            sort=sort,
            category=category,
            pinned=pinned,
            linked=lambda code: public or code == own,
        )
        context = {
            "assessment": assessment,
            "table": mark_safe(part["table"]),  # our template's output (see pages)
            **{k: v for k, v in part.items() if k != "table"},
            "periods": periods,
            "reviewer": reviewer,
            "objections": objections,
            "may_object": unit_id is not None and services.objection_window_open(assessment),
            "own_unit_id": unit_id,
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
            "sort": sort,
            "category": category,
            "pinned": pinned,
            **overrides,
        }
        return render(request, "results/league.html", context)

    if reviewer or objections:  # the analyst's actions, a county's objections: its own page
        return page({})

    def query(name: str) -> Collection[str]:  # what the page's own links and form write
        if name == "category":
            return ["", *pages.categories(assessment)]
        return {"sort": pages.SORTS, "assessment": (str(assessment.pk),)}.get(name, ())

    parts = (previous.pk if previous else None, _selector(periods))
    return pages.whole(request, assessment, "league-page", parts, page, query)


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
    item = None  # an objection to one bonus, penalty or veto item (from the item's page)
    if target is None and request.POST.get("item"):
        item = get_object_or_404(Item, pk=_pk(request.POST["item"]), period_id=assessment.period_id)
    action = request.POST.get("action", "")
    try:
        if target is None:
            services.objection_raise(
                actor=request.user,
                assessment=assessment,
                text=request.POST.get("text", ""),
                item=item,
            )
            messages.success(
                request, _("Your objection was recorded; the city office will answer it.")
            )
            if item is not None:
                return redirect("item", period=assessment.period.code, pk=item.pk)
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
        if item is not None:
            return redirect("item", period=assessment.period.code, pk=item.pk)
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


def _export(assessment: Assessment, previous: Assessment | None, fmt: str) -> HttpResponse:
    """The workbook or CSV of the ranking (see :mod:`kaoping.web.results.exports`); an
    assessment without its frozen inputs (stored before they were kept) has none."""
    content = pages.export(assessment, previous, fmt)
    if content is None:
        raise Http404(_("This ranking was stored without its inputs: it has no export."))
    draft = "-draft" if assessment.status != Assessment.Status.PUBLISHED else ""
    stem = f"{NAMES[fmt]}-{assessment.period.code}-{assessment.inputs_hash[:8]}"
    name = f"{stem}{draft if fmt in ('docx', 'pdf') else ''}.{fmt}"
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def profile(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """A county's profile in the period's ranking: radar against its category, indicators
    against their targets, its score across the periods, strengths and weaknesses."""

    def link(other: str) -> str:
        return reverse("profile", args=[other, code])

    choice = _choose(request, period)
    assessment = choice.assessment
    if assessment is None:
        return _pending(request, choice, link)
    if not may_see_figures(request.user, assessment, code):
        raise PermissionDenied(_("Another unit's figures are shown once the ranking is published."))
    if request.GET.get("format") == "pdf":  # the county's one-page card
        content = pages.card(assessment, choice.previous, code)
        if content is None:
            raise Http404(_("This unit is not in the ranking."))
        draft = "-draft" if assessment.status != Assessment.Status.PUBLISHED else ""
        name = f"card-{assessment.period.code}-{code}-{assessment.inputs_hash[:8]}{draft}.pdf"
        response = HttpResponse(content, content_type=EXPORTS["pdf"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    latest: dict[str, int] = {}  # the last published assessment of each period
    for past in choice.visible:
        if past.status == Assessment.Status.PUBLISHED:
            latest[past.period.code] = past.pk
    trend = tuple(latest.values())

    def history() -> list[Assessment]:
        found = {a.pk: a for a in Assessment.objects.filter(pk__in=trend).select_related("period")}
        return [found[pk] for pk in trend]

    periods = choice.periods(link)

    pin = f"?assessment={assessment.pk}" if request.GET.get("assessment") else ""
    margins_url = reverse("margins", args=[assessment.period.code, code]) + pin
    card_url = "?format=pdf" + (f"&assessment={assessment.pk}" if pin else "")

    def page(overrides: dict[str, Any]) -> HttpResponse:
        part = pages.profile(assessment, code, history, trend)
        if part is None:
            raise Http404(_("This unit is not in the ranking."))
        context = {
            "assessment": assessment,
            **part,
            "periods": periods,
            "margins_url": margins_url,
            "card_url": card_url,
            **overrides,
        }
        return render(request, "results/profile.html", context)

    pinned = {"assessment": (str(assessment.pk),)}
    parts = (trend, _selector(periods))
    return pages.whole(request, assessment, "profile-page", parts, page, _one_of(pinned))


@login_required
def awards(request: HttpRequest, period: str) -> HttpResponse:
    """The awards list (表彰名单) of an official assessment: per award of the methodology the
    units that have it and why, and the vetoed units, excluded from every award."""

    def link(other: str) -> str:
        return reverse("awards", args=[other])

    choice = _choose(request, period)
    assessment = choice.assessment
    if assessment is None:
        return _pending(request, choice, link)
    periods = choice.periods(link)

    def page(overrides: dict[str, Any]) -> HttpResponse:
        context = {"assessment": assessment, **pages.awards(assessment), "periods": periods}
        return render(request, "results/awards.html", {**context, **overrides})

    pinned = {"assessment": (str(assessment.pk),)}
    parts = (_selector(periods),)
    return pages.whole(request, assessment, "awards-page", parts, page, _one_of(pinned))


@login_required
def margins(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """What it takes unit ``code`` to move up: the points it is short of the next rank and of
    the first tier, and the change of each indicator alone that closes the gap, by the
    engine's re-scoring of the frozen inputs (slow the first time, then kept).  Shown to
    whoever may see the unit's figures; ``?part=1``: the section alone, for the profile to
    load into itself."""

    def link(other: str) -> str:
        return reverse("margins", args=[other, code])

    choice = _choose(request, period)
    assessment = choice.assessment
    if assessment is None:
        return _pending(request, choice, link)
    if not may_see_figures(request.user, assessment, code):
        raise PermissionDenied(_("Another unit's figures are shown once the ranking is published."))
    alone = request.GET.get("part") == "1"

    def page(overrides: dict[str, Any]) -> HttpResponse:
        part = pages.margins(assessment, code)
        if part is None:
            raise Http404(_("This unit is not in the ranking."))
        if alone:
            return HttpResponse(part["body"])
        context = {"assessment": assessment, **part, "code": code, **overrides}
        return render(request, "results/margins.html", context)

    query = {"assessment": (str(assessment.pk),), "part": ("1",)}
    return pages.whole(request, assessment, "margins-page", (), page, _one_of(query))


@login_required
def county_map(request: HttpRequest, period: str) -> HttpResponse:
    """The counties coloured by score or by tier, with a legend (display only)."""

    def link(other: str) -> str:
        return reverse("map", args=[other])

    choice = _choose(request, period)
    assessment = choice.assessment
    if assessment is None:
        return _pending(request, choice, link)
    by = "tier" if request.GET.get("by") == "tier" else "score"
    periods = choice.periods(link)

    def page(overrides: dict[str, Any]) -> HttpResponse:
        data = {"by": by, **pages.county_map(assessment)}
        context = {"assessment": assessment, "map": data, "by": by, "periods": periods}
        return render(request, "results/map.html", {**context, **overrides})

    query = {"by": ("tier", "score"), "assessment": (str(assessment.pk),)}
    return pages.whole(request, assessment, "map-page", (_selector(periods),), page, _one_of(query))


SECONDS = (20, 5, 600)
"""The screen's seconds a view by default, at least and at most (``?seconds=``)."""


@login_required
def screen(request: HttpRequest, period: str) -> HttpResponse:
    """The leaders' screen (大屏) of the period's ranking, for the meeting room's display: the
    map by tier, the top ten, the movers, the first of each category, the awards, the city's
    units (``?city=4108``) and the latest published month of the key projects, in views that
    take turns (``?seconds=`` each).  Shown to whoever sees the league page, with its rules;
    an assessment not published (an analyst's ``?assessment=`` preview, a county's 公示) is
    marked as a draft on every view."""

    def link(other: str) -> str:
        return reverse("screen", args=[other])

    choice = _choose(request, period)
    assessment = choice.assessment
    if assessment is None:
        return _pending(request, choice, link)
    city = bigscreen.city_of(request.GET.get("city"))
    raw = request.GET.get("seconds", "")
    default, least, most = SECONDS
    seconds = min(most, max(least, int(raw))) if re.fullmatch(r"[0-9]{1,4}", raw) else default
    pin = f"?assessment={assessment.pk}" if request.GET.get("assessment") else ""
    context = {
        "assessment": assessment,
        "screen": bigscreen.screen(assessment, choice.previous, city=city),
        "dispatch": bigscreen.dispatch_headline(request.user, city=city),
        "seconds": seconds,
        "league_url": reverse("league", args=[assessment.period.code]) + pin,
    }
    return render(request, "results/screen.html", context)


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
