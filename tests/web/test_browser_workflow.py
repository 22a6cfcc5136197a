"""Two workflows of the platform end to end in a real browser (Debian's Chromium, driven by
Playwright; skipped without it, see browserkit.py), in the Chinese interface:

- a county fills in and saves every figure of its form and submits it; the analyst finds it
  awaiting review on the dashboard and returns it with a comment; the county sees the comment,
  corrects a figure and submits again; the analyst approves it;
- the analyst computes the ranking of the approved figures from the results page (refused
  until 武陟县, whose figures are only submitted, is left out with a reason), announces
  it for objections, is refused publication while the window is open, publishes once it is
  over, and recomputes to find every number identical; the viewer then sees the ranking.

Each step is checked both in the database (statuses, figures, audit log) and on the page
(status, messages, comment), and no page logs an error in the console."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kaoping.web.collection.models import AuditEvent, Submission, Value
from kaoping.web.collection.services import indicators_of
from kaoping.web.results.models import Assessment

from . import browserkit
from .browserkit import Page, expect, login
from .workflow import demo_figures

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names

COMMENT = "地区生产总值与统计公报不一致，请核对后重新提交。"


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def _success(page: Page, text: str) -> None:
    """The page shows ``text`` as its one success message (waits for the redirect)."""
    expect(page.locator("ul.messages li.success")).to_have_text(text)


def _status(page: Page) -> Any:
    return page.locator("main strong[class^=status-]")


def _submission() -> Submission:
    return Submission.objects.get(unit__code="410821", period__code="2024")


def _actions(**where: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**where).values_list("action", flat=True))


def _row(page: Page, cell: str) -> Any:
    """The table row whose cell reads exactly ``cell``."""
    return page.locator("tbody tr").filter(has=page.get_by_role("cell", name=cell, exact=True))


def _field(page: Page, indicator: str) -> Any:
    """The form's row of an indicator (found by its input: the name cell also holds its rules)."""
    return page.locator("tbody tr").filter(has=page.locator(f"input[name='{indicator}']"))


def _review_xiuwu(page: Page, base: str) -> None:
    """The analyst logs in, finds 修武县 awaiting review on the dashboard and opens it."""
    login(page, base, "analyst")
    page.wait_for_url("**/review/2024/")
    expect(page.locator("ul.summary li").first).to_have_text("1 份填报待审核")
    expect(_row(page, "博爱县")).to_contain_text("未开始")
    _row(page, "修武县").get_by_role("link", name="已提交，待审核").click()
    page.wait_for_url("**/review/2024/410821/")


@pytest.mark.django_db(transaction=True)
def test_a_county_submits_the_analyst_returns_it_the_county_resubmits_and_it_is_approved(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any
) -> None:
    base = live_server.url
    ids = list(indicators_of("county_hqd"))
    figures = demo_figures("410821")  # plausible: the methodology refuses impossible ones
    assert None not in figures.values()

    # the county fills in every figure but one (no 2023 figures: no year-on-year warning)
    login(page, base, "county-410821")
    page.wait_for_url("**/collect/2024/")
    expect(_status(page)).to_have_text("草稿")
    expect(page.locator("tbody input[id^=f-]")).to_have_count(len(ids))
    for ident, value in figures.items():
        if ident != "fdi":
            page.fill(f"input[name='{ident}']", f"{value:.15g}")
    # an impossible figure is refused beside its field, and nothing is saved
    page.fill("input[name='gas_coverage']", "104.37")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("ul.messages li.error")).to_have_text("未保存：请修改下面标出的栏目。")
    expect(_field(page, "gas_coverage").locator(".problem")).to_contain_text("超过上限 100%")
    assert not Value.objects.filter(submission=_submission()).exists()
    page.fill("input[name='gas_coverage']", f"{figures['gas_coverage']:.15g}")
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "已保存。")
    # the blank FDI must be confirmed: submitting says so, and the reason is chosen
    page.get_by_label("我已核对以上数据").check()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("ul.messages li.error")).to_have_text(
        "未提交：每项空缺的数值都须先选择空缺原因。"
    )
    expect(_field(page, "fdi").locator(".problem")).to_contain_text("没有填写")
    page.select_option("select[name='reason-fdi']", "not_applicable")
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "已保存。")
    submission = _submission()
    saved = dict(Value.objects.filter(submission=submission).values_list("indicator", "value"))
    assert saved == {**figures, "fdi": None}
    assert Value.objects.get(submission=submission, indicator="fdi").blank_reason == (
        "not_applicable"
    )
    assert submission.status == Submission.Status.DRAFT
    expect(page.locator("#f-gdp")).to_have_value(f"{figures['gdp']:.15g}")  # read back as typed
    # ... and submits, after ticking the box: the form is locked while it awaits review
    page.get_by_label("我已核对以上数据").check()
    page.get_by_role("button", name="提交审核").click()
    _success(page, "已提交审核。")
    expect(_status(page)).to_have_text("已提交，待审核")
    expect(page.locator("#f-gdp")).to_be_disabled()
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    assert _submission().status == Submission.Status.SUBMITTED
    assert page.errors == []  # type: ignore[attr-defined]

    # the analyst returns it with a comment
    _log_out(page)
    _review_xiuwu(page, base)
    expect(_row(page, "地区生产总值").locator("td").nth(3)).to_contain_text(
        f"{figures['gdp']:.15g}"
    )
    expect(_row(page, "实际利用外资").locator("td").nth(3)).to_contain_text("不适用")
    page.fill("#comment", COMMENT)
    page.get_by_role("button", name="退回县区").click()
    _success(page, "已退回县区。")
    expect(_status(page)).to_have_text("已退回修改")
    submission = _submission()
    assert (submission.status, submission.comment) == (Submission.Status.RETURNED, COMMENT)
    returned = AuditEvent.objects.get(submission=submission, action=AuditEvent.Action.RETURN)
    assert (returned.actor, returned.data["comment"]) == (users["analyst"], COMMENT)
    assert page.errors == []  # type: ignore[attr-defined]

    # the county reads the comment, corrects the GDP, saves and submits again
    _log_out(page)
    login(page, base, "county-410821")
    page.wait_for_url("**/collect/2024/")
    expect(_status(page)).to_have_text("已退回修改")
    expect(page.locator("main p.problem")).to_have_text(f"审核意见: {COMMENT}")
    expect(page.locator("#f-gdp")).to_be_enabled()
    page.fill("#f-gdp", "250.5")
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "已保存。")
    assert Value.objects.get(submission=submission, indicator="gdp").value == 250.5
    page.get_by_label("我已核对以上数据").check()
    page.get_by_role("button", name="提交审核").click()
    _success(page, "已提交审核。")
    expect(_status(page)).to_have_text("已提交，待审核")
    assert _submission().status == Submission.Status.SUBMITTED
    assert page.errors == []  # type: ignore[attr-defined]

    # the analyst sees the corrected figure and approves
    _log_out(page)
    _review_xiuwu(page, base)
    expect(_row(page, "地区生产总值").locator("td").nth(3)).to_contain_text("250.5")
    page.get_by_role("button", name="审核通过").click()
    _success(page, "已审核通过。")
    expect(_status(page)).to_have_text("审核通过")
    expect(page.locator("#comment")).to_have_count(0)  # nothing left to decide
    submission = _submission()
    assert (submission.status, submission.comment) == (Submission.Status.APPROVED, "")
    assert _actions(submission=submission) == [
        "submission.save", "submission.save", "submission.submit", "submission.return",
        "submission.save", "submission.submit", "submission.approve",
    ]  # fmt: skip
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_the_analyst_computes_announces_publishes_and_verifies_and_the_viewer_sees_it(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    base = live_server.url
    login(page, base, "analyst")
    page.wait_for_url("**/review/2024/")

    # compute: refused while 武陟县 (only submitted) is neither approved nor left out
    page.goto(f"{base}/results/2024/")
    page.get_by_role("link", name="计算", exact=True).click()
    page.wait_for_url("**/results/2024/compute/")
    expect(page.locator("main h1 + p")).to_contain_text("3 个单位中 2 个已审核通过")
    page.get_by_role("button", name="计算预览").click()
    expect(page.locator("ul.messages li.error").first).to_have_text("未计算：请看下列问题。")
    assert not Assessment.objects.exists()
    # a preview of the two approved counties, 武陟县 left out with the reason
    page.get_by_label("未参评", exact=True).check()
    page.fill("input[name='reason-410823']", "数据尚在核实")
    page.get_by_role("button", name="计算预览").click()
    _success(page, "已计算：这是预览，只有市级部门可见。")
    expect(page.locator("p.notice")).to_contain_text("410823 武陟县（原因：数据尚在核实）")
    assessment = Assessment.objects.get(period__code="2024")
    assert assessment.status == Assessment.Status.COMPUTED
    status = page.locator("main h1 + p")
    expect(status).to_contain_text("已计算（预览）")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    ranked = sorted(assessment.results, key=lambda r: r["rank"])
    for row, record in zip(rows.all(), ranked, strict=True):
        expect(row.locator("td").nth(0)).to_have_text(str(record["rank"]))
        expect(row.locator("td").nth(3)).to_have_text(record["name"])
    assert {r["name"] for r in ranked} == {"修武县", "博爱县"}

    # announce for 3 days: publishing is refused while the window is open
    page.fill("#days", "3")
    page.get_by_role("button", name="公示", exact=True).click()
    _success(page, "已公示：各县现在可以提出异议。")
    expect(status).to_contain_text("公示中")
    assessment.refresh_from_db()
    until = timezone.localdate() + timedelta(days=3)
    assert (assessment.status, assessment.objections_until) == ("announced", until)
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator("ul.messages li.error")).to_contain_text(
        f"公示期到 {until.isoformat()} 为止，期满后才能发布。"
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.ANNOUNCED
    assert assessment.published_at is None

    # the window over (moved into the past: the services read today's date), publish
    Assessment.objects.filter(pk=assessment.pk).update(objections_until=date(2000, 1, 1))
    page.reload()
    page.get_by_role("button", name="发布", exact=True).click()
    _success(page, "已发布。")
    expect(status).to_contain_text("发布于")
    expect(page.get_by_role("button", name="发布", exact=True)).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED
    assert assessment.published_at is not None

    # recompute from the frozen inputs: every number is identical
    page.get_by_role("button", name="重新计算并核对").click()
    _success(page, "已用冻结的输入数据重新计算：所有数值完全一致。")
    assert _actions(period=periods["2024"]) == [
        "assessment.compute", "assessment.announce", "assessment.publish",
    ]  # fmt: skip
    assert page.errors == []  # type: ignore[attr-defined]

    # the viewer lands on the published ranking, without the analyst's actions
    _log_out(page)
    login(page, base, "viewer")
    page.wait_for_url("**/results/2024/")
    expect(status).to_contain_text("发布于")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("heading", name="操作")).to_have_count(0)
    expect(page.locator("button[name=action]")).to_have_count(0)
    assert page.errors == []  # type: ignore[attr-defined]
