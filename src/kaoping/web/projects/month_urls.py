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
    path("months/", _todo, name="dispatch-months"),
    path("months/open/", _todo, name="dispatch-month-open"),
    path("months/<month:month>/close/", _todo, name="dispatch-month-close"),
    path("<month:month>/fill/", _todo, name="dispatch-fill"),
    path("<month:month>/template.xlsx", _todo, name="dispatch-template"),
    path("<month:month>/upload/", _todo, name="dispatch-upload"),
    path("<month:month>/review/", _todo, name="dispatch-review"),
    path("p/<str:code>/report/<month:month>/", _todo, name="report"),
    path("p/<str:code>/report/<month:month>/decide/", _todo, name="report-decide"),
    path("p/<str:code>/report/<month:month>/photo/", _todo, name="report-photo"),
    path("photos/<int:pk>/", _todo, name="photo"),
    path("photos/<int:pk>/thumb/", _todo, name="photo-thumb"),
]
