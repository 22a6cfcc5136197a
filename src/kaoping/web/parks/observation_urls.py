"""URLs of the on-site observation (观摩评比): events, the judges' scoring on a phone, the
organiser's open/close/publish, results per group and the annual composite."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.parks import event_views as ev
from kaoping.web.parks import score_views as sv

urlpatterns: list[URLPattern | URLResolver] = [
    path("observation/", ev.events, name="observation"),
    path("observation/new/", ev.event_new, name="event-new"),
    path("observation/year/<int:year>/", ev.composite, name="composite"),
    path("observation/year/<int:year>/feed/", ev.composite_feed, name="composite-feed"),
    path("observation/year/<int:year>/shares/", ev.composite_shares, name="composite-shares"),
    path("observation/<slug:code>/", ev.event, name="event"),
    path("observation/<slug:code>/open/", ev.event_open, name="event-open"),
    path("observation/<slug:code>/close/", ev.event_close, name="event-close"),
    path("observation/<slug:code>/decide/", ev.event_decide, name="event-decide"),
    path("observation/<slug:code>/publish/", ev.event_publish, name="event-publish"),
    path("observation/<slug:code>/results/", ev.results, name="event-results"),
    path("observation/<slug:code>/results.xlsx", ev.results_xlsx, name="event-results-xlsx"),
    path("observation/<slug:code>/score/", sv.score, name="event-score"),
    path("observation/<slug:code>/score/<str:unit>/", sv.score_unit, name="event-score-unit"),
    path("observation/<slug:code>/save/", sv.save, name="event-save"),
    path("observation/<slug:code>/submit/", sv.submit, name="event-submit"),
]
