"""The departments' sheets' pages: the department's grid (save, every bad figure marked and
nothing saved, upload, submit), its home and header link, the county's form with the
supplied figures read-only and a dispute control, the office's list, review and answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import CsrfClient

from kaoping.web.collection.models import Period, Submission, Unit, Value
from kaoping.web.official.models import DepartmentSheet, DepartmentValue, Dispute, Review

from .sheet_data import ECO, ECO_FIGURES, fill_sheet, workbook


@pytest.fixture
def client(official_users: dict[str, Any]) -> Any:
    """client("dept-eco"): a CSRF-enforcing client of any official account."""
    return lambda name: CsrfClient(official_users[name])


def _nav(page: Any) -> list[str]:
    found = re.search(r"<nav\b.*?</nav>", page.content.decode(), re.S)
    return re.findall(r'href="([^"]+)"', found.group(0)) if found else []


def test_a_department_lands_on_its_sheet_with_a_link_in_the_header(
    client: Any, official_periods: dict[str, Period]
) -> None:
    eco = client("dept-eco")
    home = eco.get("/")
    assert (home.status_code, home["Location"]) == (302, "/official/2024/sheet/")
    page = eco.get("/official/2024/sheet/")
    assert page.status_code == 200
    assert _nav(page) == ["/official/2024/sheet/", "/official/2024/items/"]  # + its items
    assert 'aria-current="page"' in page.content.decode()
    assert "/official/2024/sheet/" not in _nav(client("county-410821").get("/collect/2024/"))


def test_the_sheet_is_a_grid_of_the_counties_and_the_departments_indicators(
    client: Any, official_periods: dict[str, Period]
) -> None:
    html = client("dept-eco").get("/official/2024/sheet/").content.decode()
    fields = re.findall(r'<input type="text" inputmode="decimal" name="([^"]+)"', html)
    assert fields == [f"{c}.{i}" for c in ("410821", "410822", "410823") for i in ECO]
    for name in ("修武县", "博爱县", "武陟县", "空气质量优良天数比例", "μg/m³"):
        assert name in html
    assert "地区生产总值" not in html  # 统计局's


def test_saving_the_grid_marks_every_bad_figure_and_saves_nothing_then_saves(
    client: Any, official_periods: dict[str, Period]
) -> None:
    eco = client("dept-eco")
    refused = eco.post(
        "/official/2024/sheet/",
        {"version": "0", "410821.pm25": "45", "410822.good_air_days": "120", "410823.pm25": "abc"},
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert html.count('role="alert"') == 2
    assert 'value="abc"' in html  # as typed
    assert not DepartmentValue.objects.exists()
    saved = eco.post("/official/2024/sheet/", {"version": "0", "410821.pm25": "45"})
    assert saved.status_code == 302
    assert DepartmentValue.objects.get().value == 45.0
    stale = eco.post("/official/2024/sheet/", {"version": "0", "410821.pm25": "9"})
    assert stale.status_code == 302
    assert DepartmentValue.objects.get().value == 45.0


def test_the_workbook_downloads_and_uploads_back_with_its_problems_listed(
    client: Any, official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    eco = client("dept-eco")
    download = eco.get("/official/2024/sheet/template.xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = DepartmentSheet.objects.get()
    bad = workbook(official_users["dept-eco"], sheet, {"C4": 70, "E6": 130})
    page = eco.post(
        "/official/2024/sheet/upload/",
        {"version": "0", "file": SimpleUploadedFile("生态.xlsx", bad)},
    )
    assert page.status_code == 200
    assert "生态.xlsx!报送表!E6" in page.content.decode()
    assert not DepartmentValue.objects.exists()
    good = workbook(official_users["dept-eco"], sheet, {"C4": 70, "E6": 80})
    saved = eco.post(
        "/official/2024/sheet/upload/",
        {"version": "0", "file": SimpleUploadedFile("生态.xlsx", good)},
    )
    assert saved.status_code == 302
    assert DepartmentValue.objects.count() == 2


def test_submitting_needs_a_confirmation_and_every_figure(
    client: Any, official_periods: dict[str, Period]
) -> None:
    eco = client("dept-eco")
    eco.get("/official/2024/sheet/")
    sheet = DepartmentSheet.objects.get()
    assert eco.post("/official/2024/sheet/submit/", {}).status_code == 302  # not ticked
    refused = eco.post("/official/2024/sheet/submit/", {"confirm": "yes"})
    assert refused.status_code == 200
    assert refused.content.decode().count("还没有填写") == 3  # each county named
    fill_sheet(official_periods["2024"], "生态环境局", ECO_FIGURES)
    assert eco.post("/official/2024/sheet/submit/", {"confirm": "yes"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Review.SUBMITTED
    html = eco.get("/official/2024/sheet/").content.decode()
    assert "disabled" in html
    assert "/sheet/submit/" not in html


def test_the_county_form_shows_supplied_figures_read_only_with_a_dispute_control(
    client: Any, official_periods: dict[str, Period]
) -> None:
    county = client("county-410821")
    html = county.get("/collect/2024/").content.decode()
    assert 'name="pm25"' not in html
    assert 'name="gdp"' not in html
    assert 'name="budget_revenue"' in html  # its own
    assert html.count('class="pending"') == 15  # nothing sent yet: 统计局 12, 生态环境局 3
    assert 'action="/official/2024/dispute/"' not in html
    fill_sheet(official_periods["2024"], "生态环境局", ECO_FIGURES, status=Review.SUBMITTED)
    html = county.get("/collect/2024/").content.decode()
    assert re.search(r'<output class="supplied-value"[^>]*>44</output>', html)  # its PM2.5
    assert html.count('action="/official/2024/dispute/"') == 3
    sent = county.post("/official/2024/dispute/", {"indicator": "pm25", "text": "应为 41"})
    assert (sent.status_code, sent["Location"]) == (302, "/collect/2024/")
    dispute = Dispute.objects.get()
    assert (dispute.unit.code, dispute.indicator, dispute.text) == ("410821", "pm25", "应为 41")
    html = county.get("/collect/2024/").content.decode()
    assert "应为 41" in html
    assert html.count('action="/official/2024/dispute/"') == 2  # pm25 awaits its answer


def test_the_county_form_still_saves_and_submits_its_own_figures(
    client: Any, official_periods: dict[str, Period]
) -> None:
    from tests.web.workflow import demo_figures, fill

    county = client("county-410821")
    saved = county.post("/collect/2024/", {"version": "0", "budget_revenue": "20", "pm25": "1"})
    assert saved.status_code == 302  # the supplied field is not read from the form
    saved_rows = dict(Value.objects.values_list("indicator", "value"))
    assert {k: v for k, v in saved_rows.items() if v is not None} == {"budget_revenue": 20.0}
    assert "pm25" not in saved_rows
    assert len(saved_rows) == 25
    submission = Submission.objects.get()
    from kaoping.web.collection.services import supplied

    given = supplied(official_periods["2024"])
    fill(submission, {k: v for k, v in demo_figures("410821").items() if k not in given})
    Value.objects.filter(indicator__in=given).delete()
    assert county.post("/collect/2024/submit/", {"confirm": "yes"}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_the_office_lists_the_sheets_reviews_one_and_answers_a_dispute(
    client: Any, official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    analyst = client("analyst")
    sheet = fill_sheet(official_periods["2024"], "生态环境局", ECO_FIGURES, status="submitted")
    last = fill_sheet(official_periods["2023"], "生态环境局", {"410821": {"pm25": 52.0}})
    DepartmentSheet.objects.filter(pk=last.pk).update(status=Review.APPROVED)
    listing = analyst.get("/official/2024/sheets/").content.decode()
    assert "/official/2024/sheets/%E7%94%9F%E6%80%81%E7%8E%AF%E5%A2%83%E5%B1%80/" in listing
    assert "9 / 9" in listing
    assert "0 / 36" in listing
    assert "统计局的报送表尚未开始填报" in listing
    review = analyst.get("/official/2024/sheets/生态环境局/")
    assert review.status_code == 200
    html = review.content.decode()
    assert "44" in html
    assert "52" in html
    assert analyst.get("/official/2024/sheets/财政局/").status_code == 404
    returned = analyst.post("/official/2024/sheets/生态环境局/", {"decision": "return"})
    assert returned.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Review.SUBMITTED  # a return needs a comment
    analyst.post("/official/2024/sheets/生态环境局/", {"decision": "approve"})
    sheet.refresh_from_db()
    assert sheet.status == Review.APPROVED
    county = client("county-410822")
    county.post("/official/2024/dispute/", {"indicator": "pm25", "text": "偏高"})
    dispute = Dispute.objects.get()
    assert "偏高" in analyst.get("/official/2024/sheets/生态环境局/").content.decode()
    answered = analyst.post(f"/official/2024/disputes/{dispute.pk}/answer/", {"answer": "无误"})
    assert answered.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.answer) == ("answered", "无误")
    assert "无误" in county.get("/collect/2024/").content.decode()


def test_the_dashboard_of_an_official_period_links_the_departments_sheets(
    client: Any, official_periods: dict[str, Period]
) -> None:
    assert "/official/2024/sheets/" in client("analyst").get("/review/2024/").content.decode()
    Period.objects.create(code="2025", methodology="county_hqd", status="open")
    assert "/official/2025/sheets/" not in client("analyst").get("/review/2025/").content.decode()
    assert Unit.objects.count() == 3


def test_a_supplied_figure_scored_against_a_target_shows_the_target_and_its_completion(
    client: Any, official_periods: dict[str, Period]
) -> None:
    """修武县's 规上工业增加值增速 (统计局's, scored by completion): its target 8.0 and the
    supplied figure 7.2, a completion of 7.2 / 8.0 = 90%."""
    from kaoping.web.official.models import Target

    period = official_periods["2024"]
    unit = Unit.objects.get(code="410821")
    Target.objects.create(period=period, unit=unit, indicator="industry_va_growth", value=8.0)
    fill_sheet(period, "统计局", {"410821": {"industry_va_growth": 7.2}}, status=Review.APPROVED)
    html = client("county-410821").get("/collect/2024/").content.decode()
    row = re.search(
        r'<tr class="supplied[^"]*">(?:(?!</tr>).)*规模以上工业增加值增速.*?</tr>', html, re.S
    )
    assert row is not None
    assert re.search(r"<output[^>]*>7.2</output>", row.group(0))
    assert re.search(r"8 · \S+ <output>90(\.0)?%</output>", row.group(0))
