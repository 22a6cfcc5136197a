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
    path("registry/", _todo, name="registry"),
    path("registry.xlsx", _todo, name="registry-export"),
    path("registry/upload/", _todo, name="registry-upload"),
    path("issues/", _todo, name="ledger"),
    path("issues/escalate/", _todo, name="issues-escalate"),
    path("issues/<int:pk>/", _todo, name="issue"),
    path("issues/<int:pk>/step/", _todo, name="issue-step"),
    path("p/<str:code>/issues/raise/", _todo, name="issue-raise"),
]
