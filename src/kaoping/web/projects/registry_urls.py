"""URLs of the registry (项目库) and the issue ledger (问题台账), under ``/projects/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)
from kaoping.web.projects import registry_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("registry/", views.registry_list, name="registry"),
    path("registry.xlsx", views.registry_export, name="registry-export"),
    path("registry/upload/", views.registry_upload, name="registry-upload"),
    path("issues/", views.ledger, name="ledger"),
    path("issues/escalate/", views.escalate, name="issues-escalate"),
    path("issues/<int:pk>/", views.issue, name="issue"),
    path("issues/<int:pk>/step/", views.issue_step, name="issue-step"),
    path("p/<str:code>/issues/raise/", views.issue_raise, name="issue-raise"),
]
