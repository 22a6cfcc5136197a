"""The government's 考核 of issue 14 end to end, through the pages only, in a real browser
(Debian's Chromium, see tests/web/browserkit.py), in the Chinese interface.

2024 under the bundled official example (county_hqd_official) for the three counties of the
``official_users`` fixture.  The fixture stores only what the counties had typed before: 修武县's
own figures as a draft (one left for it to type), 博爱县's and 武陟县's submitted (the bundled,
synthetic demo data's, ``workflow.demo_figures``); and 2023's published ranking (case.PREVIOUS),
which 进位 is counted against.  Then, page by page:

1. the analyst downloads the targets workbook, fills every target cell with the bundled targets
   file's 2024 row of each county (``case.bundled_targets``) and uploads it: 9 completion-scored
   indicators x 3 counties = 27 targets;
2. 统计局 downloads its sheet, fills it and uploads it; 生态环境局 types its 9 figures
   (``sheet_data.ECO_FIGURES``) into its page; both submit;
3. 生态环境局 proposes 被省政府通报批评 (``criticised``) against 修武县 with a PDF, its points left
   blank: the rule's (``points: 0.5, cap: 2`` in the methodology);
4. 修武县 sees 生态环境局's PM2.5 and 统计局's GDP growth read-only on its form, its own target
   and completion (实际/目标) beside 实际到位省外资金, types that figure and submits;
5. the analyst approves the three submissions, the two sheets and the item, computes a preview
   and announces it; 修武县 objects to the item from its page; the analyst rejects the
   objection with an answer, which 修武县 reads; the window moved into the past (the services
   read today's date: the only change not made through a page), the analyst publishes;
6. the viewer reads 修武县's 得分明细: one penalty line counting the rule's 0.5 (one item, under
   the item's cap 2 and the unit's cap 3), the total its indicator points less 0.5 (no bonus),
   the evidence link answering with the PDF uploaded (200, application/pdf, the same bytes);
   and the awards page: every county 先进 and 分类先进 (3 counties, top 10 and top 3 per
   category, no veto), 进位 for each county that gained places in its category since 2023.

Every step checks the message its user reads and what was stored; no page logs an error in the
console.  With ``KAOPING_SCREENSHOTS=<folder>`` the profile and the awards page are kept there
(1366 px wide)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.web import browserkit
from tests.web.browserkit import Page, expect, login
from tests.web.workflow import demo_figures

from kaoping.methodology import load
from kaoping.methodology.template import header
from kaoping.web.collection.models import BlankReason, Submission, Unit, Value
from kaoping.web.official import sheets, targets
from kaoping.web.official.inputs import target_indicators
from kaoping.web.official.models import DepartmentSheet, Item, Review, Target
from kaoping.web.results.models import Assessment, Objection

from . import items_kit as kit
from .case import CODES, PREVIOUS, bundled_targets
from .sheet_data import ECO, ECO_FIGURES, STAT

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
DESKTOP = {"width": 1366, "height": 900}
TYPED = "external_capital"  # 实际到位省外资金: 商务局's, which has no account: the county's own
DOCUMENT = "豫政督〔2024〕5号"
OBJECTION = "通报所指问题已于 2024 年 5 月整改完毕，见整改报告"
ANSWER = "通报在考核年度内印发，按办法计入；整改情况不影响本次减分"


def _success(page: Page, text: str) -> None:
    expect(page.locator("ul.messages li.success")).to_have_text(text)


def _as(page: Page, base: str, name: str) -> None:
    """Log in as ``name``, the last user's pages having logged no error."""
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.clear_cookies()
    login(page, base, name)
    page.wait_for_load_state()


def _draft(unit: Unit, period: Any, status: str, leave: str = "") -> None:
    """What the county had typed: its own figures (not a department's), ``leave`` not yet; a
    gap of the demo data confirmed as not known."""
    supplied = set(STAT) | set(ECO)
    submission = Submission.objects.create(unit=unit, period=period, status=status)
    for indicator, value in demo_figures(unit.code).items():
        if indicator not in supplied and indicator != leave:
            Value.objects.create(
                submission=submission, indicator=indicator, value=value,
                blank_reason=BlankReason.UNKNOWN if value is None else "",
            )  # fmt: skip


def _downloaded(page: Page, link: str) -> Any:
    """The workbook behind the link, downloaded by the browser, opened."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    assert info.value.suggested_filename.endswith(".xlsx")
    return load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))


def _upload(page: Page, book: Any, path: Path) -> None:
    book.save(path)
    page.set_input_files("#file", str(path))
    page.locator("form.upload button[type=submit]").click()


def _submit_sheet(page: Page) -> None:
    page.locator("form.submit input[name=confirm]").check()
    page.locator("form.submit button[type=submit]").click()
    _success(page, "已提交审核。")
    expect(page.locator("main strong.status-submitted")).to_have_text("已提交，待审核")


def _keep(page: Page, name: str) -> None:
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    folder = os.environ.get("KAOPING_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(png)


@pytest.fixture
def journey(
    official_users: dict[str, Any], official_periods: Any, settings: Any, tmp_path: Path
) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    period = official_periods["2024"]
    units = {code: Unit.objects.get(code=code) for code in CODES}
    _draft(units["410821"], period, Submission.Status.DRAFT, leave=TYPED)
    _draft(units["410822"], period, Submission.Status.SUBMITTED)
    _draft(units["410823"], period, Submission.Status.SUBMITTED)
    Assessment.objects.create(
        period=official_periods["2023"], methodology=period.methodology, status="published",
        inputs={"values": []}, inputs_hash="d" * 64,
        published_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        results=[
            {"unit": u, "name": units[u].name, "category": c, "rank": r, "category_rank": k,
             "score": 90.0 - r}
            for u, c, r, k in PREVIOUS
        ],
    )  # fmt: skip
    return period


@pytest.mark.django_db(transaction=True)
def test_targets_sheets_a_penalty_an_objection_and_publication_through_the_pages(
    page: Page, live_server: Any, journey: Any, tmp_path: Path
) -> None:
    base = live_server.url
    period = journey
    methodology = load("county_hqd_official")
    spec = methodology.official
    assert spec is not None
    rule = next(p for p in spec.penalty if p.id == "criticised")
    page.set_viewport_size(DESKTOP)

    # 1. the analyst issues the targets from the workbook
    _as(page, base, "analyst")
    page.goto(f"{base}/official/2024/targets/")
    expect(page.locator("main")).to_contain_text("已下达 0 个目标值，共 27 个。")
    book = _downloaded(page, "下载目标值表（xlsx）")
    ws = book[targets.SHEET]
    columns = {c.value: c.column for c in ws[2]}
    wanted = bundled_targets()
    for row in ws.iter_rows(min_row=3):
        for indicator in target_indicators(methodology):
            column = columns[targets.header(methodology.indicator(indicator), targets.TARGET)]
            ws.cell(row[0].row, column).value = wanted[(row[0].value, indicator)]
    _upload(page, book, tmp_path / "目标值.xlsx")
    _success(page, "已从目标值表写入 27 个目标值。")
    expect(page.locator("main")).to_contain_text("已下达 27 个目标值，共 27 个。")
    assert {(t.unit.code, t.indicator): t.value for t in Target.objects.all()} == wanted

    # 2. 统计局 uploads its sheet, 生态环境局 types its figures; both submit
    _as(page, base, "dept-stat")
    page.wait_for_url("**/official/2024/sheet/")
    book = _downloaded(page, "下载报送表（xlsx）")
    ws = book[sheets.SHEET]
    columns = {c.value: c.column for c in ws[3]}
    for row in ws.iter_rows(min_row=4):
        figures = demo_figures(row[0].value)
        for indicator in STAT:
            column = columns[header(methodology.indicator(indicator))]
            ws.cell(row[0].row, column).value = figures[indicator]
    _upload(page, book, tmp_path / "统计局-2024.xlsx")
    _success(page, "文件中的数据已保存。")
    gdp = demo_figures("410823")["gdp"]
    assert gdp is not None
    expect(page.locator('input[name="410823.gdp"]')).to_have_value(format(gdp, ".15g"))
    _submit_sheet(page)

    _as(page, base, "dept-eco")
    page.wait_for_url("**/official/2024/sheet/")
    for code, figures in ECO_FIGURES.items():
        for indicator, value in figures.items():
            page.fill(f'input[name="{sheets.field(code, indicator)}"]', format(value, "g"))
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "已保存。")
    _submit_sheet(page)
    assert dict(DepartmentSheet.objects.values_list("department", "status")) == {
        "统计局": Review.SUBMITTED, "生态环境局": Review.SUBMITTED,
    }  # fmt: skip

    # 3. 生态环境局 proposes the penalty with its PDF, the points left to the rule
    pdf = tmp_path / f"{DOCUMENT}.pdf"
    pdf.write_bytes(kit.pdf("criticised"))
    page.goto(f"{base}/official/2024/items/")
    page.select_option("#f-unit", "410821")
    page.select_option("#f-rule", "criticised")
    page.fill("#f-document", DOCUMENT)
    page.fill("#f-date", "2024-04-18")
    page.fill("#f-reason", "秸秆焚烧火点数超标，被省政府通报批评")
    page.set_input_files("#f-files", str(pdf))
    page.get_by_role("button", name="提交事项").click()
    page.wait_for_url("**/official/2024/items/*/")
    _success(page, "已提出，等待市考核办审核。")
    item = Item.objects.get()
    assert (item.unit.code, item.kind, item.points, item.department, item.status) == (
        "410821", "penalty", rule.points, "生态环境局", Item.Status.PROPOSED,
    )  # fmt: skip
    points = page.locator("dl.item-facts dt:text-is('分值') + dd")
    expect(points).to_have_text(f"{rule.points:g} （最多 {rule.cap:g} 分）")
    expect(page.locator("ul.evidence a")).to_have_text(pdf.name)

    # 4. 修武县: the departments' figures read-only, its own target and completion; it submits
    _as(page, base, "county-410821")
    page.wait_for_url("**/collect/2024/")
    pm25 = page.locator("tr.supplied").filter(has_text="细颗粒物")
    expect(pm25.locator("output.supplied-value")).to_have_text("44")
    expect(pm25).to_contain_text("由生态环境局报送")
    growth = page.locator("tr.supplied").filter(has_text="地区生产总值增速")
    figures = demo_figures("410821")
    expect(growth.locator("output.supplied-value")).to_have_text(f"{figures['gdp_growth']:g}")
    expect(growth).to_contain_text(f"目标值 {wanted[('410821', 'gdp_growth')]:g}")
    for indicator in ("pm25", "gdp_growth"):
        expect(page.locator(f'input[name="{indicator}"]')).to_have_count(0)
    target, typed = wanted[("410821", TYPED)], figures[TYPED]
    assert typed is not None
    expect(page.locator(f"#t-{TYPED}")).to_contain_text(f"目标值 {target:g}")
    page.fill(f"#f-{TYPED}", f"{typed:.15g}")
    # 完成率 = 实际/目标 (a positive indicator; its cap 1.2 bounds the points, not the rate)
    expect(page.locator(f"#c-{TYPED}")).to_have_text(str(targets.percent(typed / target)))
    page.get_by_role("button", name="保存", exact=True).click()
    _success(page, "已保存。")
    page.get_by_label("我已核对以上数据").check()
    page.get_by_role("button", name="提交审核").click()
    _success(page, "已提交审核。")
    assert Value.objects.get(submission__unit__code="410821", indicator=TYPED).value == typed

    # 5. the analyst approves everything from the dashboard's links, computes, announces
    _as(page, base, "analyst")
    page.wait_for_url("**/review/2024/")
    expect(page.locator("ul.summary li").first).to_have_text("3 份填报待审核")
    for name in ("修武县", "博爱县", "武陟县"):
        page.goto(f"{base}/review/2024/")
        row = page.locator("tbody tr").filter(has_text=name)
        row.get_by_role("link", name="已提交，待审核").click()
        page.get_by_role("button", name="审核通过").click()
        _success(page, "已审核通过。")
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {Submission.Status.APPROVED}
    page.goto(f"{base}/review/2024/")
    page.get_by_role("link", name="部门报送数据").click()
    expect(page.locator("div.notice")).to_contain_text("统计局的报送表已报送、待审核")
    for department in ("统计局", "生态环境局"):
        page.goto(f"{base}/official/2024/sheets/")
        page.get_by_role("link", name=department).click()
        page.get_by_role("button", name="审核通过").click()
        _success(page, "已审核通过。")
    page.goto(f"{base}/official/2024/sheets/")
    expect(page.locator("p.notice")).to_have_text("各部门的报送表均已审核通过，没有待答复的异议。")
    page.goto(f"{base}/review/2024/")
    page.get_by_role("link", name="加减分和否决事项：1 项待审核").click()
    page.get_by_role("link", name="410821 修武县").click()
    page.fill("#d-reason", "通报文件属实")
    page.get_by_role("button", name="审核通过").click()
    _success(page, "已审核通过：下次计算排名时计入。")
    item.refresh_from_db()
    assert item.status == Item.Status.APPROVED

    page.goto(f"{base}/review/2024/")
    page.get_by_role("link", name="计算排名").click()
    page.get_by_role("button", name="计算预览").click()
    _success(page, "已计算：这是预览，只有市级部门可见。")
    assessment = Assessment.objects.get(period=period)
    penalty = f"−{rule.points:.2f}"  # as the pages write points: two decimals
    xiuwu = page.locator("table.league tbody tr").filter(has_text="修武县")
    expect(xiuwu.locator("td.penalty")).to_have_text(penalty)
    page.fill("#days", "5")
    page.get_by_role("button", name="公示", exact=True).click()
    _success(page, "已公示：各县现在可以提出异议。")

    # 修武县 objects to the item during 公示
    _as(page, base, "county-410821")
    page.goto(f"{base}/official/2024/items/{item.pk}/")
    page.fill("#objection-text", OBJECTION)
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_url(f"**/official/2024/items/{item.pk}/")
    _success(page, "您的异议已记录，市级部门将予以答复。")
    objection = Objection.objects.get()
    assert (objection.item, objection.text, objection.assessment) == (item, OBJECTION, assessment)

    # the analyst rejects it with an answer, the county reads it; published after the window
    _as(page, base, "analyst")
    page.goto(f"{base}/official/2024/items/{item.pk}/")
    page.get_by_role("link", name="在排名页面答复").click()
    box = page.locator("div.objection").filter(has_text=OBJECTION)
    box.locator("textarea").fill(ANSWER)
    box.get_by_role("button", name="异议不成立").click()
    _success(page, "答复已记录。")
    objection.refresh_from_db()
    assert (objection.status, objection.answer) == (Objection.Status.REJECTED, ANSWER)

    _as(page, base, "county-410821")
    page.goto(f"{base}/official/2024/items/{item.pk}/")
    expect(page.locator("div.objection")).to_contain_text(f"答复: {ANSWER}")

    Assessment.objects.filter(pk=assessment.pk).update(objections_until=dt.date(2000, 1, 1))
    _as(page, base, "analyst")
    page.goto(f"{base}/results/2024/?assessment={assessment.pk}")
    page.get_by_role("button", name="发布", exact=True).click()
    _success(page, "已发布。")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED

    # 6. the viewer: 修武县's points, its penalty and the evidence; the awards
    _as(page, base, "viewer")
    page.wait_for_url("**/results/2024/")
    page.locator("table.league td.name").get_by_role("link", name="修武县").click()
    page.wait_for_url("**/results/2024/unit/410821/")
    line = page.locator("table.lines tbody tr")
    expect(line).to_have_count(1)
    expect(line).to_have_class("line-penalty")
    expect(line.locator("td").first).to_have_text(rule.name)
    expect(line.locator("td.counted")).to_have_text(penalty)  # the rule's points, not capped
    expect(line.locator("td.document")).to_have_text(DOCUMENT)
    record = next(r for r in assessment.results if r["unit"] == "410821")
    indicator_points = float(page.locator("table.detail tfoot td.points").inner_text())
    assert abs(indicator_points - rule.points - record["score"]) < 0.006  # two decimals shown
    link = line.locator("td.evidence a")
    expect(link).to_have_text(pdf.name)
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == pdf.read_bytes()
    _keep(page, "journey-profile-1366.png")

    page.get_by_role("link", name="表彰名单").click()
    page.wait_for_url("**/results/2024/awards/")
    for award in ("advanced", "category_advanced"):  # 3 counties: top 10, top 3 of a category
        units = page.locator(f"#award-{award} tbody tr")
        assert sorted(u.get_attribute("data-unit") for u in units.all()) == list(CODES)
    before = {u: k for u, _c, _r, k in PREVIOUS}  # 2023's category ranks
    now = {r["unit"]: r["category_rank"] for r in assessment.results}
    gained = sorted(u for u in CODES if before[u] > now[u])
    assert gained  # the ranking moved someone up: the award is not empty
    rows = page.locator("#award-progress tbody tr")
    assert sorted(r.get_attribute("data-unit") for r in rows.all()) == gained
    for code in gained:
        why = page.locator(f'#award-progress tr[data-unit="{code}"] td.why')
        expect(why).to_contain_text(f"由第 {before[code]} 位升至第 {now[code]} 位")
    _keep(page, "journey-awards-1366.png")
    assert page.errors == []  # type: ignore[attr-defined]
