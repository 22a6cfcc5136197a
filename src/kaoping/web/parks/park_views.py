"""The parks' pages: the province-style league with star levels, a park's page, the annual
assessment (registry, figures, compute, publish).

Views are short: they read and change through :mod:`kaoping.web.parks.ratings` (which checks
rights) and show the problems it raises by the cells they name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection.access import is_reviewer, require_reviewer
from kaoping.web.lang import lang
from kaoping.web.parks import ratings
from kaoping.web.parks.access import can_see_park_year
from kaoping.web.parks.models import PARK_KINDS, Park, ParkRating, ParkValue, ParkYear
from kaoping.web.workbooks import refused, xlsx_response

CHANGES = {
    "up": ("↑", gettext_lazy("up a star")),
    "down": ("↓", gettext_lazy("down a star")),
    "same": ("=", gettext_lazy("same star")),
    "new": ("new", gettext_lazy("new in the league")),
    "demoted": ("↓↓", gettext_lazy("demoted below the threshold")),
}


def _year(year: int) -> ParkYear:
    return get_object_or_404(ParkYear, year=year)


def _reason(rating: ParkRating) -> str:
    return rating.reason_en if lang() == "en" and rating.reason_en else rating.reason_zh


def _stars(level: int) -> str:
    return "★" * int(level or 0)


@login_required
def parks(request: HttpRequest) -> HttpResponse:
    """The start: the latest year's league the user sees, or a page saying there is none."""
    for year in ratings.visible_years(request.user):
        if year.status != ParkYear.Status.DRAFT:
            return redirect("park-league", year=year.year)
    return render(request, "parks/park_none.html", {"reviewer": is_reviewer(request.user)})


def _years_page(request: HttpRequest, *, problems: list[str] | None = None,
                entered: str = "") -> HttpResponse:  # fmt: skip
    require_reviewer(request.user)
    years = ParkYear.objects.order_by("-year").annotate(
        n_values=Count("values", distinct=True), n_ratings=Count("ratings", distinct=True)
    )
    context = {
        "years": years,
        "parks": Park.objects.count(),
        "problems": problems or [],
        "entered": entered,
        "next_year": (years.first().year + 1) if years else None,
    }
    return render(request, "parks/park_years.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def years(request: HttpRequest) -> HttpResponse:
    """The office's years: their status, the figures' sheet, compute and publish, the
    registry; POST starts a new year."""
    require_reviewer(request.user)
    if request.method == "POST":
        entered = request.POST.get("year", "").strip()
        try:
            number = int(entered)
        except ValueError:
            number = 0
        try:
            ratings.year_open(actor=request.user, year=number)
        except InputError as error:
            messages.error(request, _("No year was started."))
            return _years_page(request, problems=[p.message(lang()) for p in error],
                               entered=entered)  # fmt: skip
        messages.success(request, _("The parks' assessment of %(year)s is started: download "
                                    "its sheet of figures.") % {"year": number})  # fmt: skip
        return redirect("park-years")
    return _years_page(request)


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """The registry's sheet (园区名录, xlsx) with the current parks."""
    return xlsx_response(ratings.registry_export(actor=request.user), "园区名录.xlsx")


@login_required
@require_POST
def registry_upload(request: HttpRequest) -> HttpResponse:
    """Import an uploaded 园区名录, all or nothing; its problems by cell."""
    require_reviewer(request.user)
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        messages.error(request, why)
        return _years_page(request)
    try:
        done = ratings.registry_upload(
            actor=request.user, file=file, name=file.name or "园区名录.xlsx"
        )
    except InputError as error:
        messages.error(request, _("Nothing was changed: correct the cells listed below."))
        return _years_page(request, problems=[p.message(lang()) for p in error])
    messages.success(
        request,
        _("The registry was imported. New parks: %(created)s; updated: %(updated)s; "
          "unchanged: %(unchanged)s.") % done,
    )  # fmt: skip
    return redirect("park-years")


def _row(rating: ParkRating, prefix: str) -> dict[str, Any]:
    arrow, label = CHANGES.get(rating.change, ("", ""))
    return {
        "r": rating,
        "park": rating.park,
        "mine": rating.park.county_code.startswith(prefix),
        "stars": _stars(rating.star),
        "star_name": ratings.star_name(rating.star),
        "previous_name": ratings.star_name(rating.previous) if rating.previous is not None else "",
        "arrow": arrow,
        "change_label": label,
        "reason": _reason(rating),
    }


@login_required
def league(request: HttpRequest, year: int) -> HttpResponse:
    """The year's league: rank, park, kind, host county, score, star level, change, the
    threshold; filtered by kind and to the city's parks; the city's summary line and the
    chart of the star levels."""
    found = _year(year)
    ratings.require_league(request.user, found)
    everything = list(ratings.league_ratings(request.user, found))
    whole = can_see_park_year(request.user, found)
    prefix = ratings.city_prefix()
    kind = request.GET.get("kind", "")
    mine_only = request.GET.get("city") == "1"
    shown = [
        r
        for r in everything
        if (not kind or r.park.kind == kind)
        and (not mine_only or r.park.county_code.startswith(prefix))
    ]
    summary = ratings.city_summary(everything, prefix) if whole else None
    levels = sorted({0, 1, 2, 3, 4, 5} | {r.star for r in everything}, reverse=True)
    chart = {
        "levels": [ratings.star_name(k) for k in levels],
        "all": [sum(1 for r in everything if r.star == k) for k in levels],
        "city": [sum(1 for r in everything if r.star == k
                     and r.park.county_code.startswith(prefix)) for k in levels],
    }  # fmt: skip
    context = {
        "year": found,
        "years": [y for y in ratings.visible_years(request.user)
                  if y.status != ParkYear.Status.DRAFT],
        "rows": [_row(r, prefix) for r in shown],
        "count": len(everything),
        "whole": whole,
        "kinds": [k for k in PARK_KINDS if any(r.park.kind == k for r in everything)],
        "kind": kind,
        "mine_only": mine_only,
        "summary": summary,
        "city": summary.city if summary else ratings.city_name(prefix),
        "chart": chart,
        "reviewer": is_reviewer(request.user),
        "published": found.status == ParkYear.Status.PUBLISHED,
    }  # fmt: skip
    return render(request, "parks/league.html", context)


@login_required
def league_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The league the user sees as a workbook."""
    found = _year(year)
    content = ratings.league_export(actor=request.user, year=found)
    return xlsx_response(content, f"园区排名-{found.year}.xlsx")


@login_required
def values(request: HttpRequest, year: int) -> HttpResponse:
    """The year's sheet of figures (park x indicator), filled with what is stored."""
    found = _year(year)
    content = ratings.values_template(actor=request.user, year=found)
    return xlsx_response(content, f"园区指标-{found.year}.xlsx")


@login_required
@require_POST
def values_upload(request: HttpRequest, year: int) -> HttpResponse:
    """Store an uploaded sheet of the year's figures, all or nothing; its problems by cell."""
    require_reviewer(request.user)
    found = _year(year)
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        messages.error(request, why)
        return _years_page(request)
    try:
        done = ratings.values_upload(
            actor=request.user, year=found, file=file, name=file.name or "园区指标.xlsx"
        )
    except InputError as error:
        messages.error(request, _("Nothing was changed: correct the cells listed below."))
        return _years_page(request, problems=[p.message(lang()) for p in error])
    messages.success(
        request,
        _("The figures of %(year)s were stored: %(values)s values of %(parks)s parks.")
        % {"year": found.year, **done},
    )
    return redirect("park-years")


@login_required
@require_POST
def compute(request: HttpRequest, year: int) -> HttpResponse:
    """Compute the year's ratings (the office): scores, ranks, star levels and why."""
    require_reviewer(request.user)
    found = _year(year)
    try:
        count = ratings.year_compute(actor=request.user, year=found)
    except InputError as error:
        messages.error(request, _("The ratings were not computed."))
        return _years_page(request, problems=[p.message(lang()) for p in error])
    messages.success(request, _("%(year)s is computed: %(n)s parks rated. Check the league, "
                                "then publish it.") % {"year": found.year, "n": count})  # fmt: skip
    return redirect("park-league", year=found.year)


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    """Publish a computed year (the office)."""
    require_reviewer(request.user)
    found = _year(year)
    try:
        ratings.year_publish(actor=request.user, year=found)
    except InputError as error:
        messages.error(request, _("The ratings were not published."))
        return _years_page(request, problems=[p.message(lang()) for p in error])
    messages.success(request, _("The parks' ratings of %(year)s are published.")
                     % {"year": found.year})  # fmt: skip
    return redirect("park-league", year=found.year)


def _thresholds(rating: ParkRating) -> list[dict[str, Any]]:
    """Each star level of the year's rule: its score and its indicator minima against the
    park's, met or missed."""
    try:
        methodology = ratings.methodology_of(rating.year)
    except Exception:  # a methodology gone from the installation: no thresholds to show
        return []
    spec = getattr(methodology, "stars", None)
    if spec is None:
        return []
    names = {i.id: i for i in methodology.scored_indicators}
    values = dict(
        ParkValue.objects.filter(year=rating.year, park=rating.park).values_list(
            "indicator", "value"
        )
    )
    rows: list[dict[str, Any]] = [{
        "level": "",
        "name": _("Threshold (门槛)"),
        "what": _("score"),
        "need": spec.gate,
        "value": rating.score,
        "met": rating.score is not None and rating.score >= spec.gate,
    }]  # fmt: skip
    for level in spec.levels:
        name = (level.name_en if lang() == "en" else level.name) or ratings.star_name(level.star)
        rows.append({
            "level": _stars(level.star), "name": name, "what": _("score"),
            "need": level.min_score, "value": rating.score,
            "met": rating.score is not None and rating.score >= level.min_score,
        })  # fmt: skip
        for ind_id, need in dict(level.minima).items():
            indicator = names.get(ind_id)
            label = (indicator.name_en if lang() == "en" and indicator.name_en else
                     indicator.name) if indicator else ind_id  # fmt: skip
            value = values.get(ind_id)
            unit = f" ({indicator.unit})" if indicator is not None and indicator.unit else ""
            rows.append({
                "level": _stars(level.star), "name": name, "what": f"{label}{unit}",
                "need": need, "value": value, "met": value is not None and value >= need,
            })  # fmt: skip
    return rows


@login_required
def park(request: HttpRequest, code: str) -> HttpResponse:
    """A park: its registry facts, its star levels and ranks over the years, the chosen (or
    latest) year's indicators against the star thresholds, and why it has its star."""
    found = get_object_or_404(Park, code=code)
    history = ratings.park_history(request.user, found)
    if not history and not is_reviewer(request.user):
        raise PermissionDenied(_("This park's ratings are not published yet."))
    chosen = request.GET.get("year", "")
    current = next((r for r in history if str(r.year.year) == chosen), None)
    current = current or (history[-1] if history else None)
    top10 = sum(1 for r in history if r.rank is not None and r.rank <= 10)
    chart = {
        "years": [r.year.year for r in history],
        "rank": [r.rank for r in history],
        "star": [r.star for r in history],
        "names": [ratings.star_name(k) for k in range(6)],
    }
    context = {
        "park": found,
        "history": [_row(r, "") | {"year": r.year} for r in history],
        "current": _row(current, "") if current else None,
        "thresholds": _thresholds(current) if current else [],
        "top10": top10,
        "top10_text": ratings.top10_text(top10),
        "chart": chart,
        "reviewer": is_reviewer(request.user),
    }
    return render(request, "parks/park_page.html", context)
