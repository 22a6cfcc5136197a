"""URLs of the parks (产业集聚区/开发区): the province-style league with star levels, a park's
page, the annual assessment (registry, figures, compute, publish)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from kaoping.web.parks.stubs import todo

urlpatterns: list[URLPattern | URLResolver] = [
    path("", todo, name="parks"),
    path("years/", todo, name="park-years"),
    path("registry.xlsx", todo, name="park-registry"),
    path("registry/upload/", todo, name="park-registry-upload"),
    path("<int:year>/", todo, name="park-league"),
    path("<int:year>/league.xlsx", todo, name="park-league-xlsx"),
    path("<int:year>/values.xlsx", todo, name="park-values"),
    path("<int:year>/values/upload/", todo, name="park-values-upload"),
    path("<int:year>/compute/", todo, name="park-year-compute"),
    path("<int:year>/publish/", todo, name="park-year-publish"),
    path("p/<str:code>/", todo, name="park"),
]
