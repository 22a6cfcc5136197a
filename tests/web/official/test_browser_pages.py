"""The official pages in a real browser (Chromium, see tests/web/browserkit.py) at a phone's width
(390 px) and a desktop's (1366 px): the league table with points, bonus, penalty, the veto mark
and its note, the awards list, a county's 得分明细 and its "what it takes" loaded into the
profile by its script; nothing wider than the screen, no script or style refused by the
page's Content-Security-Policy (the console would say so).  ``KAOPING_SCREENSHOTS=folder``
keeps the pictures for a look."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from tests.web import browserkit
from tests.web.browserkit import Page, login
from tests.web.official.case import compute, prepare, tiny

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = [PHONE, DESKTOP]


def _keep(page: Page, name: str) -> None:
    page.wait_for_timeout(1500)  # ECharts' animations
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    folder = os.environ.get("KAOPING_SCREENSHOTS")
    if folder:
        (Path(folder) / name).write_bytes(png)
        # and in screen-high pieces, for a look at a long page
        width = page.evaluate("document.documentElement.scrollWidth")
        height = page.evaluate("document.documentElement.scrollHeight")
        step = 1800
        for i, top in enumerate(range(0, height, step)):
            clip = {"x": 0, "y": top, "width": width, "height": min(step, height - top)}
            piece = page.screenshot(full_page=True, clip=clip)
            (Path(folder) / name.replace(".png", f"-{i}.png")).write_bytes(piece)


def _fits(page: Page, viewport: dict[str, int]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", SIZES, ids=["390px", "1366px"])
def test_the_official_league_awards_and_what_it_takes_in_a_browser(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any,
    viewport: dict[str, int],
) -> None:  # fmt: skip
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "published")
    width = viewport["width"]
    page.set_viewport_size(viewport)
    login(page, live_server.url, "viewer")
    page.wait_for_url("**/results/2024/")
    _fits(page, viewport)
    rows = page.locator("table.league.official tbody tr")
    assert rows.count() == 4
    vetoed = page.locator("tr.vetoed")
    assert vetoed.locator("td.name").inner_text() == "武陟县"
    mark = vetoed.locator("a.veto-mark")
    assert "安全事故" in (mark.get_attribute("title") or "")
    mark.click()  # a tap on a phone: to its note below the table
    assert page.locator("ol.veto-notes li:target").is_visible()
    assert "安全事故" in page.locator("ol.veto-notes li:target").inner_text()
    assert vetoed.locator("td.tier").inner_text() == "—"
    _keep(page, f"official-league-{width}.png")

    page.goto(f"{live_server.url}/results/2024/awards/")
    _fits(page, viewport)
    assert page.locator("#award-top tbody tr").count() == 1
    assert "武陟县" in page.locator("#excluded").inner_text()
    _keep(page, f"official-awards-{width}.png")

    page.goto(f"{live_server.url}/results/2024/unit/410822/")
    _fits(page, viewport)
    assert page.locator("table.detail tbody tr").count() == 3
    page.locator("#margins-link").click()
    page.locator("#margins-slot table.margins-table").wait_for()
    assert page.locator("#margins-link").is_hidden()
    cell = page.locator('#margins-slot tr[data-indicator="w"] td.change').first
    assert "+5 个百分点" in cell.inner_text()
    _fits(page, viewport)
    assert page.errors == []  # type: ignore[attr-defined]  # none refused by the CSP
    _keep(page, f"official-profile-{width}.png")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", SIZES, ids=["390px", "1366px"])
def test_a_countys_points_by_indicator_with_its_items_in_a_browser(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any,
    viewport: dict[str, int],
) -> None:  # fmt: skip
    """The bundled official example: 22 scored indicators, three bonus items of which the
    unit's cap lets two count, the engine's explanation."""
    prepare(official_users, official_periods)
    compute(official_users, official_periods, "published")
    page.set_viewport_size(viewport)
    login(page, live_server.url, "county-410821")
    page.wait_for_url("**/collect/**")
    page.goto(f"{live_server.url}/results/2024/unit/410821/")
    _fits(page, viewport)
    assert page.locator("table.detail tbody tr").count() == 22
    assert page.locator("table.lines tbody tr").count() == 3
    assert "修武县（410821）" in page.locator("pre.explain").inner_text()
    page.locator("#margins-link").click()
    page.locator("#margins-slot ul.goals").wait_for()
    _fits(page, viewport)
    assert page.errors == []  # type: ignore[attr-defined]
    _keep(page, f"official-detail-{viewport['width']}.png")
    page.goto(f"{live_server.url}/results/2024/")
    _fits(page, viewport)
    _keep(page, f"official-league-bundled-{viewport['width']}.png")
