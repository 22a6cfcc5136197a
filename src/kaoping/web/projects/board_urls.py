"""URLs of the dispatch's results (重点项目月调度结果): the start page, a month's dashboard,
ranking, map and workbook, and a project's page (views in :mod:`.board_views`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)
from kaoping.web.projects.lazy import view

VIEWS = "kaoping.web.projects.board_views"  # imported on the first request

urlpatterns: list[URLPattern | URLResolver] = [
    path("", view(VIEWS, "projects"), name="projects"),
    path("<month:month>/", view(VIEWS, "month_board"), name="dispatch-board"),
    path("<month:month>/ranking/", view(VIEWS, "ranking"), name="dispatch-ranking"),
    path("<month:month>/map/", view(VIEWS, "month_map"), name="dispatch-map"),
    path("<month:month>/sheet.xlsx", view(VIEWS, "sheet"), name="dispatch-sheet"),
    path("p/<str:code>/", view(VIEWS, "project_page"), name="project"),
]
