"""The start page: each role lands where its work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Role
from kaoping.web.official.sheets import sheet_period
from kaoping.web.results.models import Assessment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A county at its form, an analyst at the collection dashboard, a department at its
    sheet of the latest open period it supplies figures in, a judge at the observation events,
    a viewer at the latest published ranking."""
    role = access.role_of(request.user)
    period = Period.objects.filter(status=Period.Status.OPEN).order_by("-code").first()
    if role == Role.DEPARTMENT:
        sheet = sheet_period(request.user)
        if sheet is not None:
            return redirect("sheet", period=sheet)
    if role == Role.JUDGE:  # the observation events they score
        return redirect("observation")
    if role == Role.COUNTY and period is not None:
        return redirect("collect", period=period.code)
    if role in (Role.ANALYST, Role.ADMIN) and period is not None:
        return redirect("dashboard", period=period.code)
    latest = Assessment.objects.filter(status=Assessment.Status.PUBLISHED).first()
    if latest is not None:
        return redirect("league", period=latest.period.code)
    return render(request, "collection/home.html", {"period": period, "role": role})


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages without an icon link (Django's admin)."""
    return redirect(static("kaoping/favicon.svg"), permanent=True)
