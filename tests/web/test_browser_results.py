"""The results pages in a real browser (Chromium, see browserkit.py) at a phone's width (390 px)
and a desktop's: the league table as cards, nothing cut off or wrapped a character a line,
sortable from links above the cards; the map with a legend whose colours are the map's, and
counties named in Chinese.  ``KAOPING_SCREENSHOTS=folder`` keeps the pictures for a look."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from . import browserkit
from .browserkit import Page, login
from .workflow import publish

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

LINES = """(selector) => Array.from(document.querySelectorAll(selector)).map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
  return [cell.textContent.trim(), lines.size];
})"""


def _keep(page: Page, name: str) -> None:
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("KAOPING_SCREENSHOTS"):
        (Path(os.environ["KAOPING_SCREENSHOTS"]) / name).write_bytes(png)


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_league_table_is_cards_that_nothing_cuts_or_wraps(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    publish(users["analyst"], periods["2024"])
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "viewer")
    page.wait_for_url("**/results/2024/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cards = page.locator("table.league tbody tr")
    assert cards.count() == 2
    for i in range(2):
        box = cards.nth(i).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    # every cell on one line: 非重点生态功能区 no longer one character a line
    for selector in ("td.category", "td.name", "td.tier", "td.score", "td.change"):
        for text, lines in page.evaluate(LINES, f"table.league {selector}"):
            assert lines == 1, (selector, text)
    assert "非重点生态功能区" in page.locator("table.league td.category").first.inner_text()
    assert page.locator("table.league thead").is_hidden()  # the headers' sorting moves up
    sort = page.locator(".sort-links")
    assert sort.is_visible()
    sort.get_by_text("代码").click()
    page.wait_for_url("**/results/2024/?sort=unit*")
    codes = page.locator("table.league td.code").all_inner_texts()
    assert codes == sorted(codes)
    assert page.errors == []  # type: ignore[attr-defined]
    _keep(page, "league-390.png")
    page.set_viewport_size(DESKTOP)  # and at a desktop's width: a table with its headers
    assert page.locator("table.league thead").is_visible()
    assert page.locator(".sort-links").is_hidden()
    _keep(page, "league-1280.png")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_map_has_a_legend_in_the_maps_colours_and_names_counties_in_chinese(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any,
    viewport: dict[str, int],
) -> None:  # fmt: skip
    publish(users["analyst"], periods["2024"])
    page.set_viewport_size(viewport)
    login(page, live_server.url, "viewer")
    page.wait_for_url("**/results/2024/")
    page.goto(f"{live_server.url}/results/2024/map/?by=tier")
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('map'));"
        " const o = c && c.getOption(); return !!(o && o.series && o.series.length === 1); }"
    )
    legend = page.locator("#map-legend")
    assert legend.is_visible()
    box = legend.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= viewport["width"]
    tiers = page.locator("#map-legend li").all_inner_texts()
    assert tiers[-1] == "未参加排名"
    assert all("方阵" in t for t in tiers[:-1])
    # each county is filled with its tier's swatch colour (one source: site.css)
    pairs = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('map'));
          const data = JSON.parse(document.getElementById('map-data').textContent);
          const fill = {};
          chart.getOption().series[0].data.forEach((d) => {
            fill[d.name] = d.itemStyle ? d.itemStyle.areaColor : JSON.stringify(d);
          });
          return data.units.map((u) => {
            const swatch = document.querySelector('.swatch[data-tier="' + u.tier_index + '"]');
            return [fill[u.code], getComputedStyle(swatch).backgroundColor];
          });
        }"""
    )
    assert len(pairs) == 2
    assert all(fill == swatch for fill, swatch in pairs), pairs
    tooltip = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('map'))
                 .getOption().tooltip[0].formatter({name: '410821'})"""
    )
    assert tooltip.startswith("修武县 410821\n排名 ")  # its Chinese name, not only its code
    assert page.errors == []  # type: ignore[attr-defined]
    _keep(page, f"map-tier-{viewport['width']}.png")
    page.goto(f"{live_server.url}/results/2024/map/")
    page.wait_for_selector("#map canvas")
    assert page.locator("#map-legend .scale").is_visible()
    assert page.errors == []  # type: ignore[attr-defined]
    _keep(page, f"map-score-{viewport['width']}.png")
