"""URLs of the platform."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from kaoping.web import views as start
from kaoping.web.accounts import views as account_views
from kaoping.web.collection import methodology_views, periods, views
from kaoping.web.official import item_views, judged_views, sheet_views
from kaoping.web.official import target_views as targets
from kaoping.web.results import views as results
from kaoping.web.results.api import AssessmentViewSet

api = DefaultRouter(trailing_slash=True)
api.include_root_view = False
api.register("assessments", AssessmentViewSet, basename="assessment")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", start.home, name="home"),
    path("favicon.ico", start.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChange.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/counties/", account_views.county_accounts, name="county-accounts"),
    path("accounts/counties/<int:user_id>/reset/", account_views.county_reset, name="county-reset"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("methodologies/", methodology_views.methodologies, name="methodologies"),
    path("methodologies/<slug:key>/", methodology_views.methodology, name="methodology"),
    path("periods/", periods.periods, name="periods"),
    path("periods/<str:period>/status/", periods.status, name="period-status"),
    path("periods/<str:period>/deadline/", periods.deadline, name="period-deadline"),
    path("collect/<str:period>/", views.collect, name="collect"),
    path("collect/<str:period>/submit/", views.submit, name="submit"),
    path("collect/<str:period>/template.xlsx", views.template, name="template"),
    path("collect/<str:period>/upload/", views.upload, name="upload"),
    path("review/<str:period>/", views.dashboard, name="dashboard"),
    path("review/<str:period>/<str:unit>/", views.review, name="review"),
    path("results/<str:period>/", results.league, name="league"),
    path("results/<str:period>/act/", results.act, name="results-act"),
    path("results/<str:period>/compute/", results.compute, name="results-compute"),
    path("results/<str:period>/objection/", results.objection, name="objection"),
    path("results/<str:period>/unit/<str:code>/", results.profile, name="profile"),
    path("results/<str:period>/map/", results.county_map, name="map"),
    path("results/<str:period>/screen/", results.screen, name="screen"),
    # official periods (考核评价): judges' scores
    path("official/<str:period>/judged/", judged_views.page, name="judged"),
    path("official/<str:period>/judged.xlsx", judged_views.template, name="judged-template"),
    path("official/<str:period>/judged/upload/", judged_views.upload, name="judged-upload"),
    path("official/<str:period>/judged/enter/", judged_views.enter, name="judged-enter"),
    # official periods: targets (目标下达)
    path("official/<str:period>/targets/", targets.page, name="targets"),
    path("official/<str:period>/targets.xlsx", targets.workbook, name="targets-workbook"),
    path("official/<str:period>/targets/upload/", targets.upload, name="targets-upload"),
    path("official/<str:period>/targets/set/", targets.set_one, name="target-set"),
    # official periods: bonus, penalty and veto items and their evidence (issue 14, point 4)
    path("official/<str:period>/items/", item_views.items, name="items"),
    path("official/<str:period>/items/<int:pk>/", item_views.item, name="item"),
    path("official/<str:period>/items/<int:pk>/decide/", item_views.decide, name="item-decide"),
    path("official/evidence/<int:pk>/", item_views.evidence, name="evidence"),
    path("results/<str:period>/awards/", results.awards, name="awards"),
    path("results/<str:period>/unit/<str:code>/margins/", results.margins, name="margins"),
    # the departments' sheets (职能部门报送) and the counties' disputes of their figures
    path("official/<str:period>/sheet/", sheet_views.sheet, name="sheet"),
    path("official/<str:period>/sheet/template.xlsx", sheet_views.template, name="sheet-template"),
    path("official/<str:period>/sheet/upload/", sheet_views.upload, name="sheet-upload"),
    path("official/<str:period>/sheet/submit/", sheet_views.submit, name="sheet-submit"),
    path("official/<str:period>/sheets/", sheet_views.sheet_list, name="sheets"),
    path("official/<str:period>/sheets/<str:department>/", sheet_views.review, name="sheet-review"),
    path("official/<str:period>/dispute/", sheet_views.dispute, name="dispute"),
    path(
        "official/<str:period>/disputes/<int:pk>/answer/",
        sheet_views.dispute_answer,
        name="dispute-answer",
    ),
    # key-project dispatch (重点项目月调度): kaoping.web.projects
    path("projects/", include("kaoping.web.projects.urls")),
    # parks and on-site observation (产业集聚区/开发区考核, 观摩评比): kaoping.web.parks
    path("parks/", include("kaoping.web.parks.urls")),
    # industrial chains and investment attraction (产业链全景图, 招商引资): kaoping.web.chains
    path("chains/", include("kaoping.web.chains.urls")),
    path("api/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
