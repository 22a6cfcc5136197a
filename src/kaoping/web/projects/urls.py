"""URLs of the key-project dispatch (重点项目月调度), under ``/projects/``: one module per part
(the months and their reports; the dashboard, rankings, project pages and map; the registry and
the issue ledger), each with its views beside it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from kaoping.web.projects import board_urls, month_urls, registry_urls

urlpatterns: list[URLPattern | URLResolver] = [
    *board_urls.urlpatterns,
    *month_urls.urlpatterns,
    *registry_urls.urlpatterns,
]
