"""URLs of the monthly dispatch (月调度): the office's months, a unit's projects of the month
and its sheet, a project's report and photos, the review (views in :mod:`.month_views`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.projects import converters  # noqa: F401  (registers <month:…>)
from kaoping.web.projects import month_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("months/", views.months, name="dispatch-months"),
    path("months/open/", views.month_open, name="dispatch-month-open"),
    path("months/<month:month>/close/", views.month_close, name="dispatch-month-close"),
    path("<month:month>/fill/", views.fill, name="dispatch-fill"),
    path("<month:month>/template.xlsx", views.template, name="dispatch-template"),
    path("<month:month>/upload/", views.upload, name="dispatch-upload"),
    path("<month:month>/review/", views.review, name="dispatch-review"),
    path("p/<str:code>/report/<month:month>/", views.report, name="report"),
    path("p/<str:code>/report/<month:month>/decide/", views.report_decide, name="report-decide"),
    path("p/<str:code>/report/<month:month>/photo/", views.report_photo, name="report-photo"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_thumb, name="photo-thumb"),
]
