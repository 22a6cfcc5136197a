"""Scaffolding: every URL of this part answers 501 until its view is written (each name
here is linked from the other parts' pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)


def _todo(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("not yet", status=501)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", _todo, name="projects"),
    path("<month:month>/", _todo, name="dispatch-board"),
    path("<month:month>/ranking/", _todo, name="dispatch-ranking"),
    path("<month:month>/map/", _todo, name="dispatch-map"),
    path("<month:month>/sheet.xlsx", _todo, name="dispatch-sheet"),
    path("p/<str:code>/", _todo, name="project"),
]
