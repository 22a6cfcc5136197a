"""The panorama (产业链全景图) in Chromium at 1366 and 390 px: the chart drawn (a canvas), its
legend, a click on a node opens the node's page; the page's width never scrolls; the console
stays empty."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.web.chains import services
from kaoping.web.chains.models import Node

from . import browserkit
from .browserkit import Page, expect, login
from .chains.conftest import small_book

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_panorama_draws_its_chart_and_a_node_click_opens_the_node(
    page: Page, live_server: Any, users: dict[str, Any], width: int
) -> None:
    services.book_store(actor=users["analyst"], book=small_book())
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "county-410821")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/chains/NE/")
    expect(page.locator("#panorama-chart canvas")).to_have_count(1)
    expect(page.locator("ul.strength-legend li")).to_have_count(3)
    expect(page.locator("table.panorama-table tbody tr")).to_have_count(Node.objects.count())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # the chart's first node (上游, the first row): ECharts draws it at its layout position
    point = page.evaluate(
        """() => { const c = echarts.getInstanceByDom(document.getElementById('panorama-chart'));
        const xy = c.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
        const p = c.convertToPixel({seriesIndex: 0}, xy);
        const r = document.getElementById('panorama-chart').getBoundingClientRect();
        return [r.left + p[0], r.top + p[1] + window.scrollY]; }"""
    )
    page.mouse.click(point[0], point[1] - page.evaluate("window.scrollY"))
    page.wait_for_url("**/chains/node/U1/")
    expect(page.locator("h1")).to_contain_text("正极材料")
    assert page.errors == []  # type: ignore[attr-defined]
