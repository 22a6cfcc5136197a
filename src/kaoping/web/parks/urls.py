"""URLs of the parks and the on-site observation, under ``/parks/``: the parks' league, pages
and annual assessment (:mod:`.park_urls`), the observation events, the judges' scoring and the
annual composite (:mod:`.observation_urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from kaoping.web.parks import observation_urls, park_urls

urlpatterns: list[URLPattern | URLResolver] = [
    *observation_urls.urlpatterns,
    *park_urls.urlpatterns,
]
