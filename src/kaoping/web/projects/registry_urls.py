"""URLs of the registry (项目库) and the issue ledger (问题台账), under ``/projects/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)
from kaoping.web.projects.lazy import view

VIEWS = "kaoping.web.projects.registry_views"  # imported on the first request

urlpatterns: list[URLPattern | URLResolver] = [
    path("registry/", view(VIEWS, "registry_list"), name="registry"),
    path("registry.xlsx", view(VIEWS, "registry_export"), name="registry-export"),
    path("registry/upload/", view(VIEWS, "registry_upload"), name="registry-upload"),
    path("issues/", view(VIEWS, "ledger"), name="ledger"),
    path("issues/escalate/", view(VIEWS, "escalate"), name="issues-escalate"),
    path("issues/<int:pk>/", view(VIEWS, "issue"), name="issue"),
    path("issues/<int:pk>/step/", view(VIEWS, "issue_step"), name="issue-step"),
    path("p/<str:code>/issues/raise/", view(VIEWS, "issue_raise"), name="issue-raise"),
]
