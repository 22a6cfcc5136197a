"""In a real browser (Debian's Chromium, driven by Playwright): a department proposes a penalty
with evidence files chosen in the file input (a bad file and a point value over the cap
first: both named, nothing stored), the office approves it, the county objects to it from its
page while the ranking is announced; no error in the console on any page (a script or style
the content-security policy refused would be one).

With ``KAOPING_SCREENSHOTS=<folder>`` each page is also photographed at 1366 and 390 px wide
(to look at; nothing is compared)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from tests.web import browserkit
from tests.web.browserkit import Page, login

from kaoping.web.official import items
from kaoping.web.official.models import Item
from kaoping.web.results.models import Assessment, Objection

from . import items_kit as kit

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}


def _shoot(page: Page, name: str) -> None:
    folder = os.environ.get("KAOPING_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _as(page: Page, base: str, name: str) -> None:
    page.context.clear_cookies()
    login(page, base, name)
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_department_proposes_the_office_approves_and_the_county_objects(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path / "media")
    period = official_periods["2024"]
    analyst = official_users["analyst"]
    earlier = kit.propose(analyst, period, unit="410822", rule="four_good_roads",
                          document="交公路发〔2024〕31号",
                          reason="被交通运输部等命名为全国“四好农村路”示范县",
                          files=[kit.upload("命名通知.docx", kit.docx())])  # fmt: skip
    items.item_approve(actor=analyst, item=earlier, reason="文件属实")
    base = live_server.url
    bad, good, photo = tmp_path / "通报.pdf", tmp_path / "省政府通报.pdf", tmp_path / "现场.png"
    bad.write_bytes(kit.exe())
    good.write_bytes(kit.pdf())
    photo.write_bytes(kit.png())

    _as(page, base, "dept-eco")
    page.goto(f"{base}/official/2024/items/")
    page.select_option("#f-unit", "410821")
    page.select_option("#f-rule", "criticised")
    page.fill("#f-points", "3")
    page.fill("#f-document", "豫政办〔2024〕12号")
    page.fill("#f-date", "2024-06-30")
    page.fill("#f-reason", "大气污染防治工作不力，被省政府通报批评两次")
    page.set_input_files("#f-files", [str(bad), str(photo)])
    page.click("form.item-form button[type=submit]")
    page.wait_for_selector("text=文件 通报.pdf 不能作为证明材料")
    page.wait_for_selector("text=最多减分 2 分")
    assert not Item.objects.filter(unit__code="410821").exists()
    _shoot(page, "propose-refused")
    page.fill("#f-points", "1")
    page.set_input_files("#f-files", [str(good), str(photo)])
    page.click("form.item-form button[type=submit]")
    page.wait_for_url("**/official/2024/items/*/")
    item = Item.objects.get(unit__code="410821")
    assert (item.points, item.evidence.count()) == (1.0, 2)
    _shoot(page, "item-department")
    assert page.errors == []  # type: ignore[attr-defined]

    _as(page, base, "analyst")
    page.goto(f"{base}/official/2024/items/")
    _shoot(page, "items-office")
    page.goto(f"{base}/official/2024/items/{item.pk}/")
    _shoot(page, "item-office")
    page.fill("#d-reason", "通报文件属实")
    page.click("button[value=approve]")
    page.wait_for_selector("button[value=withdraw]")
    item.refresh_from_db()
    assert item.status == "approved"
    assert page.errors == []  # type: ignore[attr-defined]

    Assessment.objects.create(
        period=period, methodology=period.methodology, inputs={"items": []},
        inputs_hash="0" * 64, results=[], status=Assessment.Status.ANNOUNCED,
        objections_until=dt.date.today() + dt.timedelta(days=5),
    )  # fmt: skip
    _as(page, base, "county-410821")
    page.goto(f"{base}/official/2024/items/")
    _shoot(page, "items-county")
    page.goto(f"{base}/official/2024/items/{item.pk}/")
    _shoot(page, "item-county")
    page.fill("#objection-text", "第二次通报已于 2024 年 9 月撤销，见附件")
    page.click("form[action='/results/2024/objection/'] button[type=submit]")
    page.wait_for_url(f"**/official/2024/items/{item.pk}/")
    assert Objection.objects.get().item == item
    assert page.errors == []  # type: ignore[attr-defined]
