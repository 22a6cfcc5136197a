"""URLs of the industrial chains (产业链全景图) and investment attraction (招商引资), under
``/chains/``; the views are imported on the first request (they compute with pandas)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects.lazy import view

VIEWS = "kaoping.web.chains.views"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", view(VIEWS, "chain_list"), name="chains"),
    path("gaps/", view(VIEWS, "gap_list"), name="chains-gaps"),
    path("gaps.xlsx", view(VIEWS, "gap_export"), name="chains-gaps-export"),
    path("signings/", view(VIEWS, "signing_list"), name="signings"),
    path("signings.xlsx", view(VIEWS, "signing_export"), name="signings-export"),
    path("signings/new/", view(VIEWS, "signing_new"), name="signing-new"),
    path("signings/<str:code>/", view(VIEWS, "signing"), name="signing"),
    path("signings/<str:code>/advance/", view(VIEWS, "signing_advance"), name="signing-advance"),
    path("import/", view(VIEWS, "book_import"), name="chains-import"),
    path("workbook.xlsx", view(VIEWS, "book_export"), name="chains-workbook"),
    path("rules/", view(VIEWS, "rules"), name="chains-rules"),
    path("node/<str:code>/", view(VIEWS, "node"), name="chain-node"),
    path("<str:code>/", view(VIEWS, "panorama"), name="chain"),
]
