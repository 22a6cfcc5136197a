"""URLs of the dispatch's results (重点项目月调度结果): the start page, a month's dashboard,
ranking, map and workbook, and a project's page (views in :mod:`.board_views`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import board_views as views
from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.projects, name="projects"),
    path("<month:month>/", views.month_board, name="dispatch-board"),
    path("<month:month>/ranking/", views.ranking, name="dispatch-ranking"),
    path("<month:month>/map/", views.month_map, name="dispatch-map"),
    path("<month:month>/sheet.xlsx", views.sheet, name="dispatch-sheet"),
    path("p/<str:code>/", views.project_page, name="project"),
]
