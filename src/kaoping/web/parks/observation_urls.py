"""URLs of the on-site observation (观摩评比): events, the judges' scoring on a phone, the
organiser's open/close/publish, results per group and the annual composite."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.parks.stubs import todo

urlpatterns: list[URLPattern | URLResolver] = [
    path("observation/", todo, name="observation"),
    path("observation/new/", todo, name="event-new"),
    path("observation/<slug:code>/", todo, name="event"),
    path("observation/<slug:code>/open/", todo, name="event-open"),
    path("observation/<slug:code>/close/", todo, name="event-close"),
    path("observation/<slug:code>/decide/", todo, name="event-decide"),
    path("observation/<slug:code>/publish/", todo, name="event-publish"),
    path("observation/<slug:code>/score/", todo, name="event-score"),
    path("observation/<slug:code>/score/<str:unit>/", todo, name="event-score-unit"),
    path("observation/<slug:code>/save/", todo, name="event-save"),
    path("observation/<slug:code>/submit/", todo, name="event-submit"),
    path("observation/<slug:code>/results/", todo, name="event-results"),
    path("observation/<slug:code>/results.xlsx", todo, name="event-results-xlsx"),
    path("observation/year/<int:year>/", todo, name="composite"),
    path("observation/year/<int:year>/feed/", todo, name="composite-feed"),
]
