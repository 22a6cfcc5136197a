"""The platform's URLs and, where the platform has none yet, an item's page at the path the
official app gives it (``/official/<period>/items/<pk>/``, name ``item``): for the test that
the 得分明细 links each line to its item."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse

from kaoping.web.urls import urlpatterns as platform


def _item(request: HttpRequest, period: str, pk: int) -> HttpResponse:
    return HttpResponse(f"item {pk}")  # pragma: no cover  # linked to, never opened


def _has_item() -> bool:
    try:
        reverse("item", args=["2024", 1], urlconf="kaoping.web.urls")
    except NoReverseMatch:
        return False
    return True


urlpatterns: list[URLPattern | URLResolver] = [
    *platform,
    *([] if _has_item() else [path("official/<str:period>/items/<int:pk>/", _item, name="item")]),
]
