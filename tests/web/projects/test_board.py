"""The dispatch's results pages (重点项目月调度结果): the start page, a month's dashboard, the
counties' ranking, the map, the month's workbook and a project's page.

The state is ``dispatch`` (tests/web/projects/conftest.py); money in 万元.  Hand-worked
results of 2026-10 (closed; every October report approved; no earlier month, so a project's
investment this year is October's alone — the engine sums the approved months' ``invested``):

- A (修武县, annual plan 24000, planned start 2026-03, no planned finish): 序时进度 linear from
  March to December, (10 − 3 + 1) / 10 = 80 %; done 2000 / 24000 = 8.33 %; 71.67 points behind
  (> 30, started) → red, 滞后.
- B (修武县, 12000, planned start 2026-02, not started): 序时 (10 − 2 + 1) / 11 = 81.82 %, done 0;
  not started with February counted as the first month late → 9 months late (≥ 3) → red, 未开工.
- C (博爱县, 9000, planned start 2026-01, started 2026-01-10): 序时 10 / 12 = 83.33 %; done
  800 / 9000 = 8.89 %; 74.44 behind → red, 滞后.

So October counts 滞后 2, 未开工 1 and three red projects, worst lag first B, C, A.  修武县: plan
36000, this year 2000 (5.56 %), 序时 weighted by plan (80 × 24000 + 81.82 × 12000) / 36000 =
80.61 %; 博爱县: 9000, 800 (8.89 %), 83.33 %.  Headline: key projects started in 2026 by October's
end A (March) and C (January) = 2, of them industrial A = 1, of the 1 new industrial project
(A) = 100 %; special bonds: A alone, 20000 万元 = 2 亿元.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from kaoping.web.projects.models import DispatchMonth, Issue, Photo, Report

D = dt.date


def _client(dispatch: SimpleNamespace, role: str) -> Client:
    client = Client()
    client.force_login(dispatch.users[role])
    return client


def _get(dispatch: SimpleNamespace, role: str, path: str) -> Any:
    response = _client(dispatch, role).get(path)
    assert response.status_code == 200, (role, path, response.status_code)
    return response


# -- the start page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "month"),
    [("analyst", "2026-11"), ("viewer", "2026-10"), ("county-410821", "2026-10"),
     ("owner-a", "2026-10")],
)  # fmt: skip
def test_the_start_page_opens_the_latest_month_the_user_may_see(
    dispatch: SimpleNamespace, role: str, month: str
) -> None:
    # the office: the latest month there is (2026-11, open); everyone else the latest closed
    response = _client(dispatch, role).get("/projects/")
    assert (response.status_code, response["Location"]) == (302, f"/projects/{month}/")


def test_without_a_published_month_a_county_is_sent_to_fill_the_open_one(
    dispatch: SimpleNamespace,
) -> None:
    DispatchMonth.objects.filter(month="2026-10").update(status=DispatchMonth.Status.OPEN)
    page = _get(dispatch, "county-410821", "/projects/").content.decode()
    assert 'href="/projects/2026-11/fill/"' in page
    assert "/projects/months/" not in page
    viewer = _get(dispatch, "viewer", "/projects/").content.decode()
    assert "/fill/" not in viewer


def test_without_any_month_the_office_is_sent_to_open_one(dispatch: SimpleNamespace) -> None:
    Report.objects.all().delete()
    DispatchMonth.objects.all().delete()
    page = _get(dispatch, "analyst", "/projects/").content.decode()
    assert 'href="/projects/months/"' in page


# -- the month's dashboard -------------------------------------------------------------------


def test_octobers_dashboard_counts_the_projects_by_status_and_warning(
    dispatch: SimpleNamespace,
) -> None:
    context = _get(dispatch, "analyst", "/projects/2026-10/").context
    assert {s["key"]: s["n"] for s in context["statuses"]} == {
        "超前": 0, "正常": 0, "滞后": 2, "停工": 0, "未开工": 1
    }  # fmt: skip
    assert {c["key"]: c["n"] for c in context["colours"]} == {"red": 3, "yellow": 0, "green": 0}
    assert context["reports"] == {"handed": 3, "approved": 3}


def test_octobers_dashboard_sums_plan_and_investment_by_county(
    dispatch: SimpleNamespace,
) -> None:
    context = _get(dispatch, "analyst", "/projects/2026-10/").context
    rows = {c["code"]: c for c in context["counties"]}
    xiuwu, boai = rows["410821"], rows["410822"]
    assert (xiuwu["projects"], xiuwu["annual_plan"], xiuwu["ytd"]) == (2, 36000, 2000)
    assert xiuwu["completion_pct"] == pytest.approx(100 * 2000 / 36000)
    assert xiuwu["schedule_pct"] == pytest.approx((80 * 24000 + 100 * 9 / 11 * 12000) / 36000)
    assert (boai["annual_plan"], boai["ytd"]) == (9000, 800)
    assert boai["schedule_pct"] == pytest.approx(100 * 10 / 12)
    # the chart: one bar a county for the plan and one for the investment so far
    assert context["chart"] == {
        "counties": ["修武县", "博爱县"], "plan": [36000, 9000], "ytd": [2000, 800]
    }  # fmt: skip


def test_octobers_headline_numbers_are_the_engines_questions(dispatch: SimpleNamespace) -> None:
    context = _get(dispatch, "analyst", "/projects/2026-10/").context
    starts = context["starts"]
    assert (starts["key"], starts["key_industrial"], starts["industrial"]) == (2, 1, 1)
    assert starts["share_pct"] == pytest.approx(100.0)
    assert context["bonds"] == {"projects": 1, "amount_yi": "2"}  # 20000 万元 = 2 亿元


def test_octobers_red_projects_come_worst_first_with_the_reason(
    dispatch: SimpleNamespace,
) -> None:
    response = _get(dispatch, "analyst", "/projects/2026-10/")
    red = response.context["red"]
    assert [r["code"] for r in red] == ["B", "C", "A"]
    assert [round(r["lag_pp"], 2) for r in red] == [81.82, 74.44, 71.67]
    assert red[0]["reason"] == "逾期 9 个月未开工"  # planned February: 9th month in October
    assert red[2]["reason"] == "落后序时进度 71.7 个百分点（完成 8.3%，序时 80.0%）"
    page = response.content.decode()
    assert 'href="/projects/p/A/"' in page
    assert 'id="board-chart"' in page
    assert "vendor/echarts/echarts.min.js" in page


def test_a_county_sees_its_own_projects_results_and_a_viewer_every_projects_unlinked(
    dispatch: SimpleNamespace,
) -> None:
    county = _get(dispatch, "county-410821", "/projects/2026-10/")
    assert [r["code"] for r in county.context["red"]] == ["B", "A"]
    assert [c["code"] for c in county.context["counties"]] == ["410821"]
    viewer = _get(dispatch, "viewer", "/projects/2026-10/")
    assert [r["code"] for r in viewer.context["red"]] == ["B", "C", "A"]
    assert "/projects/p/" not in viewer.content.decode()  # no project pages for a viewer


def test_a_month_counts_only_approved_reports(dispatch: SimpleNamespace) -> None:
    # November: A's report is submitted, C's a draft; only October's approved figures count,
    # so A has done 2000 of 24000 against a 序时 of (11 - 3 + 1) / 10 = 90 %
    context = _get(dispatch, "analyst", "/projects/2026-11/").context
    assert context["reports"] == {"handed": 1, "approved": 0}
    a = next(r for r in context["red"] if r["code"] == "A")
    assert (round(a["completion_pct"], 2), a["schedule_pct"]) == (8.33, 90.0)
    dispatch.reports["A", "2026-11"].status = Report.Status.APPROVED
    dispatch.reports["A", "2026-11"].save()
    context = _get(dispatch, "analyst", "/projects/2026-11/").context
    a = next(r for r in context["red"] if r["code"] == "A")
    assert a["completion_pct"] == pytest.approx(100 * (2000 + 2500) / 24000)  # 18.75 %


def test_an_open_month_is_the_offices_until_closed_and_an_unopened_one_no_ones(
    dispatch: SimpleNamespace,
) -> None:
    assert _client(dispatch, "county-410821").get("/projects/2026-11/").status_code == 403
    assert _client(dispatch, "viewer").get("/projects/2026-11/map/").status_code == 403
    assert _client(dispatch, "analyst").get("/projects/2026-09/").status_code == 404


# -- the ranking -----------------------------------------------------------------------------


def test_octobers_ranking_ranks_the_counties_with_competition_ranks_and_tiers(
    dispatch: SimpleNamespace,
) -> None:
    # 投资完成率: 博爱县 8.89 % > 修武县 5.56 %; 开工率: 博爱县 1 of 1 planned start in 2026 (C)
    # = 100 %, 修武县 1 of 2 (A started, B not) = 50 %; two counties: a tier each
    context = _get(dispatch, "county-410821", "/projects/2026-10/ranking/").context
    rows = context["rows"]
    assert [(r["code"], r["rank"], r["tier"]) for r in rows] == [
        ("410822", 1, 0), ("410821", 2, 1)
    ]  # fmt: skip
    assert rows[1]["value"] == pytest.approx(100 * 2000 / 36000)
    start = {m["key"]: m for m in rows[1]["measures"]}["start_rate"]
    assert (start["value"], start["rank"]) == (50.0, 2)
    assert context["chart"]["counties"] == ["博爱县", "修武县"]


def test_equal_rates_share_a_rank(dispatch: SimpleNamespace) -> None:
    # B started in October: 修武县's 开工率 is 2 of 2 = 100 %, as 博爱县's: both rank 1
    b = dispatch.projects["B"]
    b.actual_start = D(2026, 10, 8)
    b.save()
    rows = _get(dispatch, "viewer", "/projects/2026-10/ranking/?by=start_rate").context["rows"]
    assert [(r["code"], r["value"], r["rank"]) for r in rows] == [
        ("410821", 100.0, 1), ("410822", 100.0, 1)
    ]  # fmt: skip


# -- the map ---------------------------------------------------------------------------------


def test_the_map_places_the_projects_with_coordinates_and_lists_the_others(
    dispatch: SimpleNamespace,
) -> None:
    response = _get(dispatch, "analyst", "/projects/2026-10/map/")
    data = response.context["map"]
    assert [(p["code"], p["lon"], p["lat"], p["colour"]) for p in data["points"]] == [
        ("A", 113.2, 35.23, "red"), ("C", 112.95, 35.17, "red")
    ]  # fmt: skip
    assert data["prefixes"] == ["4108"]  # 焦作's counties of the geometry
    assert [p["code"] for p in response.context["unplaced"]] == ["B"]
    page = response.content.decode()
    assert "vendor/maps/henan.json" in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing from elsewhere


# -- the month's workbook --------------------------------------------------------------------


def _book(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content))


def test_the_months_workbook_is_an_attachment_with_the_months_results(
    dispatch: SimpleNamespace,
) -> None:
    response = _get(dispatch, "analyst", "/projects/2026-10/sheet.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%87%8D%E7%82%B9%E9%A1%B9%E7%9B%AE%E6%9C%88%E8%B0%83"
        "%E5%BA%A6-2026-10.xlsx"  # 重点项目月调度-2026-10.xlsx
    )
    book = _book(response)
    projects = [row[0] for row in book["项目"].iter_rows(min_row=2, values_only=True)]
    red = [row[0] for row in book["红色预警"].iter_rows(min_row=2, values_only=True)]
    assert (sorted(projects), red) == (["A", "B", "C"], ["B", "C", "A"])
    county = _book(_get(dispatch, "county-410821", "/projects/2026-10/sheet.xlsx"))
    assert sorted(r[0] for r in county["项目"].iter_rows(min_row=2, values_only=True)) == ["A", "B"]


# -- a project's page ------------------------------------------------------------------------


@pytest.fixture
def september(dispatch: SimpleNamespace) -> Report:
    """A's approved September report (12000): in October A has done 14000 of 24000."""
    month = DispatchMonth.objects.create(month="2026-09", status=DispatchMonth.Status.CLOSED)
    return Report.objects.create(
        project=dispatch.projects["A"], month=month, invested=12000.0, ytd=12000.0,
        since_start=12000.0, status=Report.Status.APPROVED,
    )  # fmt: skip


def test_a_projects_months_run_against_its_schedule(
    dispatch: SimpleNamespace, september: Report
) -> None:
    # September: 12000 of 24000 = 50 % against (9 - 3 + 1) / 10 = 70 % (16800 due);
    # October: 14000 = 58.33 % against 80 % (19200 due): 21.67 behind, 10–30 → yellow
    context = _get(dispatch, "owner-a", "/projects/p/A/").context
    series = context["series"]
    assert [(r["month"], r["invested"], r["ytd"]) for r in series] == [
        ("2026-09", 12000, 12000), ("2026-10", 2000, 14000)
    ]  # fmt: skip
    assert [r["planned"] for r in series] == [pytest.approx(16800), pytest.approx(19200)]
    assert series[1]["lag_pp"] == pytest.approx(80 - 100 * 14000 / 24000)
    assert context["chart"]["planned"] == [pytest.approx(16800), pytest.approx(19200)]
    assert (context["latest"]["month"], context["latest"]["colour"]) == ("2026-10", "yellow")


def test_a_projects_page_shows_its_reports_photos_and_issues(
    dispatch: SimpleNamespace,
) -> None:
    a = dispatch.projects["A"]
    photo = Photo.objects.create(
        report=dispatch.reports["A", "2026-10"], sha256="0" * 64, name="主体.jpg",
        content_type="image/jpeg", size=1000, width=640, height=480,
    )  # fmt: skip
    issue = Issue.objects.create(project=a, kind="land", content="用地指标未落实",
                                 raised_on=D(2026, 11, 2))  # fmt: skip
    response = _get(dispatch, "county-410821", "/projects/p/A/")
    page = response.content.decode()
    # every report with its status, the submitted November one too
    assert [(r.month.month, r.status) for r in response.context["reports"]] == [
        ("2026-11", "submitted"), ("2026-10", "approved")
    ]  # fmt: skip
    assert f'href="/projects/photos/{photo.pk}/"' in page
    assert f'src="/projects/photos/{photo.pk}/thumb/"' in page
    assert f'href="/projects/issues/{issue.pk}/"' in page
    assert 'action="/projects/p/A/issues/raise/"' in page
    assert 'href="/projects/p/A/report/2026-11/"' in page  # its county reports the open month
    assert "新材料产业园" in page


def test_the_office_sees_a_project_but_does_not_report_it(dispatch: SimpleNamespace) -> None:
    response = _get(dispatch, "analyst", "/projects/p/A/")
    assert response.context["report_month"] is None
    assert response.context["can_raise"] is True


def test_a_viewer_has_no_project_pages(dispatch: SimpleNamespace) -> None:
    assert _client(dispatch, "viewer").get("/projects/p/A/").status_code == 403
    assert _client(dispatch, "county-410822").get("/projects/p/A/").status_code == 403
