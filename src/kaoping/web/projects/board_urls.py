from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path


def home(request: HttpRequest) -> HttpResponse:  # replaced by the month's dashboard
    return HttpResponse("")


urlpatterns: list[URLPattern | URLResolver] = [path("", home, name="projects")]
