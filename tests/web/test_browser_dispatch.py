"""The key-project dispatch (重点项目月调度) end to end in a real browser (Debian's Chromium,
driven by Playwright; skipped without it, see browserkit.py), in the Chinese interface:

- the analyst opens 2026-06 on the months page, with a deadline;
- 修武县's county account fills its project's report (figures, 形象进度), saves it, adds a photo
  (a PNG made here) whose thumbnail shows, and submits; the analyst returns it with a comment
  from the review page; the county reads the comment, corrects the figure and resubmits; the
  analyst approves it and closes (publishes) the month;
- the month's dashboard lists the project among the red warnings with 银川's reason;
- from the project's page the analyst raises an issue, assigns it (交办) and supervises it
  (督办) on the issue's page, the county reports it resolved (办结), the analyst closes it
  (销号), and the ledger shows it 销号.

Every step is checked on the page (messages, statuses, texts) and in the database (statuses,
audit log); no page logs an error in the console.  Screenshots of the steps go to the folder
``KAOPING_SHOTS`` names, when it is set (to look at the pages; none are taken otherwise).

The red warning, worked by hand (money in 万元).  城东供热管网 (XW01), 修武县: annual plan
12000, started 2025-04 (an earlier year, no planned finish: the schedule runs January to
December).  In 2026-06, 序时进度 = 100 × 6/12 = 50.0%.  The one approved report of the year,
2026-06's, invests 600: 当年累计 = 600, 完成 = 100 × 600/12000 = 5.0%, so it lags
50.0 − 5.0 = 45.0 points, more than 30: red by 银川's rule ``lag_over_30``, "落后序时进度 45.0
个百分点（完成 5.0%，序时 50.0%）".  (The returned first report said 6000: 50.0% done, on
schedule; only the approved, corrected one counts.)  乡村污水管网 (BA01), 博爱县, is planned
to start in 2026-09: not late, schedule 0%, green, and not in the red table.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from kaoping.web.collection.models import AuditEvent, Unit
from kaoping.web.projects.models import DispatchMonth, Issue, Photo, Project, Report

from . import browserkit
from .browserkit import Page, expect, login

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names

SHOTS = os.environ.get("KAOPING_SHOTS")  # a folder for the steps' screenshots, when set
MONTH = "2026-06"
COMMENT = "本月完成投资 6000 万元与现场进度不符（年度计划 12000 万元），请核对后重新提交。"
PROGRESS = "供热管网沟槽开挖完成 1.2 公里，换热站基础施工中。"
REASON = "落后序时进度 45.0 个百分点（完成 5.0%，序时 50.0%）"
ISSUE = "管网穿越段临时用地手续未批复，影响沟槽开挖。"


@pytest.fixture
def projects(units: dict[str, Unit], settings: Any, tmp_path: Path) -> dict[str, Project]:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the photos, out of the project's tree
    return {
        "XW01": Project.objects.create(
            code="XW01", name="城东供热管网", unit=units["410821"], key_level="市重点",
            total=50000.0, annual_plan=12000.0, invested_before=8000.0,
            planned_start=dt.date(2025, 3, 1), actual_start=dt.date(2025, 4, 10), stage="在建",
        ),
        "BA01": Project.objects.create(
            code="BA01", name="乡村污水管网", unit=units["410822"], key_level="市重点",
            total=9000.0, annual_plan=3000.0, planned_start=dt.date(2026, 9, 1), stage="前期",
        ),
    }  # fmt: skip


class Shots:
    """Numbered full-page screenshots of the steps."""

    def __init__(self, page: Page) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
        self.page, self.n = page, 0

    def __call__(self, name: str) -> None:
        self.n += 1
        if SHOTS:
            path = Path(SHOTS) / f"{self.n:02d}-{name}.png"
            self.page.screenshot(path=str(path), full_page=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def _log_in(page: Page, base: str, name: str) -> None:
    """Log in and open the key projects from the main navigation."""
    login(page, base, name)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="重点项目").click()
    page.wait_for_url("**/projects/**")


def _success(page: Page, text: str) -> None:
    expect(page.locator("ul.messages li.success")).to_have_text(text)


def _no_errors(page: Page) -> None:
    assert page.errors == []  # type: ignore[attr-defined]


def _report() -> Report:
    return Report.objects.get(project__code="XW01", month__month=MONTH)


def _review_row(page: Page) -> Any:
    return page.locator("table.review-reports tbody tr").filter(has_text="城东供热管网")


@pytest.mark.django_db(transaction=True)
def test_a_month_opened_reported_returned_approved_published_red_and_an_issue_closed(
    page: Page, live_server: Any, users: dict[str, Any], projects: dict[str, Project]
) -> None:
    base = live_server.url
    shot = Shots(page)
    today = timezone.localdate()

    # 1. the analyst opens 2026-06 with its deadline on the months page
    _log_in(page, base, "analyst")
    page.get_by_role("link", name="开启第一个调度月份").click()
    page.wait_for_url("**/projects/months/")
    page.get_by_label("月份", exact=True).fill(MONTH)
    page.get_by_label("填报截止日期").fill("2026-07-10")
    page.get_by_role("button", name="开启该月").click()
    _success(page, f"{MONTH} 已开启填报，截止 2026-07-10。")
    expect(page.locator("tbody tr").first).to_contain_text(MONTH)
    month = DispatchMonth.objects.get(month=MONTH)
    assert (month.status, month.deadline) == (DispatchMonth.Status.OPEN, dt.date(2026, 7, 10))
    shot("months-opened")
    _no_errors(page)
    _log_out(page)

    # 2. the county fills its project's report, saves it, adds a photo and submits
    _log_in(page, base, "county-410821")
    page.get_by_role("link", name=f"填报本单位项目 {MONTH} 的月度数据").click()
    page.wait_for_url(f"**/projects/{MONTH}/fill/")
    expect(page.locator("tbody tr")).to_have_count(1)  # its own project only, not 博爱县's
    page.get_by_role("row").filter(has_text="城东供热管网").get_by_role("link", name="填报").click()
    page.wait_for_url(f"**/projects/p/XW01/report/{MONTH}/")
    page.fill("#invested", "6000")  # the slip the analyst will catch
    page.fill("#ytd", "6000")
    page.fill("#since_start", "14000")
    page.fill("#workers", "35")
    page.select_option("#in_statistics", "yes")
    page.fill("#progress", PROGRESS)
    page.get_by_role("button", name="保存草稿").click()
    _success(page, "已保存为草稿。")
    expect(page.locator("#invested")).to_have_value("6000")
    assert _report().status == Report.Status.DRAFT
    page.set_input_files(
        "#photo", files=[{"name": "工地.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="添加照片", exact=True).click()
    _success(page, "照片已添加。")
    thumb = page.locator("ul.photos img[alt='工地.png']")
    thumb.scroll_into_view_if_needed()
    expect(thumb).to_have_js_property("naturalWidth", 64)  # loaded: 64×48, below the 320 px
    photo = Photo.objects.get(report=_report())
    assert (photo.name, photo.width, photo.height) == ("工地.png", 64, 48)
    page.get_by_role("button", name="提交审核").click()
    _success(page, "已提交审核。")
    expect(page.locator("#invested")).to_have_count(0)  # read-only while it awaits review
    expect(thumb).to_have_js_property("naturalWidth", 64)
    assert _report().status == Report.Status.SUBMITTED
    shot("report-submitted")
    _no_errors(page)
    _log_out(page)

    # 3. the analyst returns it from the review page with a comment
    _log_in(page, base, "analyst")
    page.goto(f"{base}/projects/months/")
    page.get_by_role("row").filter(has_text=MONTH).get_by_role("link", name=MONTH).click()
    page.wait_for_url(f"**/projects/{MONTH}/review/")
    row = _review_row(page)
    expect(row).to_contain_text("6000")
    expect(row).to_contain_text(PROGRESS)
    expect(row.locator("img[alt='工地.png']")).to_have_js_property("naturalWidth", 64)
    row.get_by_label("需要修改的内容（退回时必填）").fill(COMMENT)
    row.get_by_role("button", name="退回", exact=True).click()
    _success(page, "已退回填报单位修改。")
    expect(_review_row(page)).to_have_count(0)
    report = _report()
    assert (report.status, report.comment) == (Report.Status.RETURNED, COMMENT)
    shot("review-returned")
    _no_errors(page)
    _log_out(page)

    # ... the county reads the comment, corrects the figures and submits again
    _log_in(page, base, "county-410821")
    page.get_by_role("link", name=f"填报本单位项目 {MONTH} 的月度数据").click()
    fill_row = page.get_by_role("row").filter(has_text="城东供热管网")
    expect(fill_row.locator(".problem")).to_have_text(f"审核意见: {COMMENT}")
    fill_row.get_by_role("link", name="填报").click()
    page.wait_for_url(f"**/projects/p/XW01/report/{MONTH}/")
    expect(page.locator("main p.problem")).to_have_text(f"审核意见: {COMMENT}")
    page.fill("#invested", "600")
    page.fill("#ytd", "600")
    page.fill("#since_start", "8600")
    shot("report-corrected")
    page.get_by_role("button", name="提交审核").click()
    _success(page, "已提交审核。")
    report = _report()
    assert (report.status, report.invested, report.ytd) == (Report.Status.SUBMITTED, 600, 600)
    _no_errors(page)
    _log_out(page)

    # 4. the analyst approves it and closes (publishes) the month
    _log_in(page, base, "analyst")
    page.goto(f"{base}/projects/{MONTH}/review/")
    expect(_review_row(page)).to_contain_text("600")
    _review_row(page).get_by_role("button", name="审核通过", exact=True).click()
    _success(page, "已审核通过。")
    assert _report().status == Report.Status.APPROVED
    page.get_by_role("link", name="← 调度月份").click()
    page.wait_for_url("**/projects/months/")
    page.get_by_role("row").filter(has_text=MONTH).get_by_role("button", name="关闭并发布").click()
    _success(page, f"{MONTH} 已关闭，调度结果已发布。")
    assert DispatchMonth.objects.get(month=MONTH).status == DispatchMonth.Status.CLOSED
    shot("month-closed")
    _no_errors(page)

    # 5. the month's dashboard: XW01 red, 45 points behind 序时进度 (worked in the docstring)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="重点项目").click()
    page.wait_for_url(f"**/projects/{MONTH}/")
    red = page.locator("#red + .sheet-scroll tbody tr")
    expect(red).to_have_count(1)  # not BA01
    expect(red.locator("td").first).to_contain_text("城东供热管网")
    expect(red.locator("td.reason")).to_have_text(REASON)
    expect(page.locator("#board-chart canvas")).to_have_count(1)
    shot("dashboard-red")
    _no_errors(page)

    # 6. the analyst raises an issue on the project's page ...
    red.get_by_role("link", name="城东供热管网").click()
    page.wait_for_url("**/projects/p/XW01/")
    limit = today + dt.timedelta(days=30)
    page.select_option("#kind", label="用地")
    page.fill("#content", ISSUE)
    page.fill("#department", "市自然资源局")
    page.fill("#deadline", limit.isoformat())
    shot("project-raise")
    page.get_by_role("button", name="提交问题").click()
    page.wait_for_url("**/projects/issues/*/")
    _success(page, "问题已提出并列入问题台账。")
    issue = Issue.objects.get(project__code="XW01")
    assert (issue.kind, issue.content, issue.department, issue.deadline) == (
        Issue.Kind.LAND, ISSUE, "市自然资源局", limit,
    )  # fmt: skip

    # ... assigns it (交办) with a time limit and supervises it (督办)
    def step(to: str, text: str, deadline: dt.date | None = None) -> None:
        page.select_option("#f-to", label=to)
        page.fill("#f-text", text)
        if deadline is not None:
            page.fill("#f-deadline", deadline.isoformat())
        page.get_by_role("button", name="保存", exact=True).click()
        _success(page, f"问题当前环节：{to}。")

    step("交办", "请市自然资源局牵头，两周内完成临时用地审批。", today + dt.timedelta(days=14))
    step("督办", "市重点项目调度会督办。")
    issue.refresh_from_db()
    assert (issue.status, issue.deadline) == (
        Issue.Status.SUPERVISED, today + dt.timedelta(days=14),
    )  # fmt: skip
    _no_errors(page)
    _log_out(page)

    # ... the county reports it resolved (办结) from its project's page
    _log_in(page, base, "county-410821")
    page.wait_for_url(f"**/projects/{MONTH}/")  # the month is published: its dashboard
    page.locator("#red + .sheet-scroll").get_by_role("link", name="城东供热管网").click()
    page.wait_for_url("**/projects/p/XW01/")
    page.get_by_role("link", name=ISSUE).click()
    expect(page.locator("#f-to option")).to_have_text(["办结"])  # a county may only resolve
    page.fill("#f-text", "临时用地已批复，沟槽开挖恢复。")
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "问题当前环节：办结。")
    _no_errors(page)
    _log_out(page)

    # ... the analyst closes it (销号) and the ledger shows it so
    _log_in(page, base, "analyst")
    page.get_by_role("link", name="问题台账").click()
    page.wait_for_url("**/projects/issues/")
    page.get_by_role("link", name=ISSUE).click()
    expect(page.locator("main dl.item-facts")).to_contain_text("临时用地已批复，沟槽开挖恢复。")
    step("销号", "核实无误，予以销号。")
    expect(page.locator("table.issue-history tbody tr")).to_have_count(5)
    shot("issue-closed")
    page.get_by_role("link", name="← 问题台账").click()
    page.wait_for_url("**/projects/issues/")
    ledger = page.locator("table.ledger tbody tr")
    expect(ledger).to_have_count(1)
    expect(ledger.locator("td").last).to_have_text("销号")
    shot("ledger")
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.CLOSED
    steps = AuditEvent.objects.filter(action=AuditEvent.Action.ISSUE_STEP).order_by("seq")
    assert [e.data["after"] for e in steps] == ["assigned", "supervised", "resolved", "closed"]
    assert [e.actor.username for e in steps] == ["analyst", "analyst", "county-410821", "analyst"]
    reported = AuditEvent.objects.filter(data__report=_report().pk).order_by("seq")
    assert [e.action for e in reported] == [
        "report.submit", "report.return", "report.submit", "report.approve",
    ]  # fmt: skip
    _no_errors(page)
