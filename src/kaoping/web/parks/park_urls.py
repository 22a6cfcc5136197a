"""URLs of the parks (产业集聚区/开发区): the province-style league with star levels, a park's
page, the annual assessment (registry, figures, compute, publish)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.parks import park_views as pv

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pv.parks, name="parks"),
    path("years/", pv.years, name="park-years"),
    path("registry.xlsx", pv.registry, name="park-registry"),
    path("registry/upload/", pv.registry_upload, name="park-registry-upload"),
    path("<int:year>/", pv.league, name="park-league"),
    path("<int:year>/league.xlsx", pv.league_xlsx, name="park-league-xlsx"),
    path("<int:year>/values.xlsx", pv.values, name="park-values"),
    path("<int:year>/values/upload/", pv.values_upload, name="park-values-upload"),
    path("<int:year>/compute/", pv.compute, name="park-year-compute"),
    path("<int:year>/publish/", pv.publish, name="park-year-publish"),
    path("p/<str:code>/", pv.park, name="park"),
]
