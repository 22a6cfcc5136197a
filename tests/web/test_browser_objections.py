"""In a real browser (Debian's Chromium, Playwright; see browserkit.py), in Chinese:

- an objection that changes the ranking: 修武县 objects to the announced 2024 ranking; the
  analyst accepts it and reopens 修武县's approved submission although collection is closed;
  the county corrects a figure and resubmits; the analyst approves, computes a new preview
  (武陟县, only submitted, left out with the reason) and announces it, which withdraws the
  ranking announced before; the corrected figure is the one ranked;
- the pages a county and an analyst work on, at a phone's 390 px: nothing wider than the
  screen (a cut-off column is a page one cannot use), a screenshot of each kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kaoping.web.collection import services as collection
from kaoping.web.collection.models import Period, Submission, Value
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment, Objection

from . import browserkit
from .browserkit import Page, expect, login
from .workflow import LEFT_OUT

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names


def _announced(users: dict[str, Any], periods: dict[str, Period]) -> Assessment:
    analyst = users["analyst"]
    assessment = results.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    collection.period_close(actor=analyst, period=periods["2024"])
    return results.assessment_announce(actor=analyst, assessment=assessment, days=5)


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_an_accepted_objection_reopens_corrects_and_replaces_the_announced_ranking(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    base = live_server.url
    old = _announced(users, periods)
    revenue = Value.objects.get(
        submission__unit__code="410821", submission__period__code="2024", indicator="budget_revenue"
    ).value
    assert revenue is not None
    corrected = round(revenue + 1.0, 2)

    # the county objects on the announced ranking
    login(page, base, "county-410821")
    page.wait_for_url(f"{base}/")  # collection is closed: the start page, with the notice
    page.get_by_role("link", name="查看排名").click()
    page.fill("#objection-text", "我县一般公共预算收入漏报 1 亿元")
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("ul.messages li.success")).to_contain_text("异议已记录")
    objection = Objection.objects.get()
    _log_out(page)

    # the analyst accepts it and reopens the county's submission
    login(page, base, "analyst")
    page.goto(f"{base}/results/2024/?assessment={old.pk}")
    page.fill(f"#answer-{objection.pk}", "经核实属实，退回更正。")
    page.get_by_role("button", name="异议成立（将更正数据）").click()
    expect(page.locator(".objection")).to_contain_text("异议成立")
    page.get_by_role("button", name="重新打开该县的填报以便更正").click()
    expect(page.locator("ul.messages li.success")).to_contain_text("已重新打开")
    submission = Submission.objects.get(unit__code="410821", period__code="2024")
    assert (submission.status, submission.reopened) == ("returned", True)
    _log_out(page)

    # the county corrects the figure (collection is closed, the submission is reopened)
    login(page, base, "county-410821")
    page.goto(f"{base}/collect/2024/")
    expect(page.locator("main p.problem").first).to_contain_text("经核实属实，退回更正。")
    page.fill("input[name='budget_revenue']", f"{corrected:g}")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("ul.messages li.success")).to_have_text("已保存。")
    page.get_by_label("我已核对以上数据").check()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("ul.messages li.success")).to_have_text("已提交审核。")
    _log_out(page)

    # the analyst approves, computes a new preview and announces it
    login(page, base, "analyst")
    page.goto(f"{base}/review/2024/410821/")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("ul.messages li.success")).to_have_text("已审核通过。")
    page.goto(f"{base}/results/2024/compute/")
    page.get_by_label("未参评", exact=True).check()
    page.fill("input[name='reason-410823']", "武陟县的数据尚未审核通过")
    page.get_by_role("button", name="计算预览").click()
    expect(page.locator("ul.messages li.success")).to_contain_text("已计算")
    fresh = Assessment.objects.filter(status="computed").get()
    assert ["410821", "budget_revenue", corrected] in fresh.inputs["values"]
    page.fill("#days", "3")
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.locator("ul.messages li.success")).to_contain_text("已公示")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("superseded", "announced")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_the_forms_and_review_pages_fit_a_phone(
    browser: Any, live_server: Any, users: dict[str, Any], periods: Any, approved: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    base = live_server.url
    shots = Path(os.environ.get("KAOPING_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    checked = []
    for who, paths in (
        ("county-410821", ["/collect/2024/"]),
        ("analyst", ["/review/2024/", "/review/2024/410822/", "/results/2024/compute/"]),
    ):
        login(phone, base, who)
        phone.wait_for_load_state()
        for path in paths:
            phone.goto(base + path)
            name = f"{who}{path.replace('/', '_')}.png"
            phone.screenshot(path=str(shots / name), full_page=True)
            wide = phone.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, f"{path} is {wide} px wide at 390 px (see {shots / name})"
            checked.append(path)
        phone.get_by_role("button", name="退出").click()
        phone.wait_for_url("**/accounts/login/")
    assert len(checked) == 4
    context.close()
