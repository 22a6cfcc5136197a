"""The departments' sheets in a real browser (Debian's Chromium, see browserkit.py), on a
phone's width: 生态环境局 logs in, lands on its sheet (one card per county), fills in and
saves a figure; 修武县 sees it on its form, read-only, and disputes it with the control beside
it (a form of its own outside the form's table, joined by the ``form`` attribute).  No page
logs an error in the console."""

from __future__ import annotations

from typing import Any

from tests.web import browserkit
from tests.web.browserkit import Page, expect, login

from kaoping.web.official.models import DepartmentSheet, DepartmentValue, Dispute, Review

from .sheet_data import ECO_FIGURES, fill_sheet

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
PHONE = {"width": 390, "height": 844}


def test_a_department_saves_a_figure_and_a_county_disputes_it_on_a_phone(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any
) -> None:
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "dept-eco")
    page.wait_for_url("**/official/2024/sheet/")
    card = page.locator("tbody tr").filter(has_text="博爱县")
    expect(card.locator("td").first).to_be_visible()
    field = page.locator('input[name="410822.pm25"]')
    box = field.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]  # a card, not a table wider than the phone
    field.fill("46.5")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messages li.success")).to_be_visible()
    assert DepartmentValue.objects.get(unit__code="410822", indicator="pm25").value == 46.5
    assert page.errors == []  # type: ignore[attr-defined]

    fill_sheet(official_periods["2024"], "生态环境局", ECO_FIGURES, status=Review.SUBMITTED)
    page.context.clear_cookies()
    login(page, base, "county-410821")
    page.wait_for_url("**/collect/2024/")
    row = page.locator("tr.supplied").filter(has_text="细颗粒物")
    expect(row.locator("output.supplied-value")).to_have_text("44")
    row.locator('input[name="text"]').fill("应为 41，见监测站年报")
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/collect/2024/")
    expect(page.locator("ul.messages li.success")).to_be_visible()
    dispute = Dispute.objects.get()
    assert (dispute.unit.code, dispute.indicator) == ("410821", "pm25")
    assert dispute.text == "应为 41，见监测站年报"
    assert DepartmentSheet.objects.get(department="生态环境局").status == Review.SUBMITTED
    assert page.errors == []  # type: ignore[attr-defined]
