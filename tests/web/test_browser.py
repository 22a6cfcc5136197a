"""In a real browser (Debian's Chromium, driven by Playwright): logging in, uploading a
template with a bad cell (the cell is named, nothing saved), and the league table and a county
profile drawing their charts with no error in the console (a script or style the
content-security policy refused would be one).

Needs /usr/bin/chromium (Debian's chromium package; .ci/run installs it).  Without it these
tests are skipped, except where KAOPING_REQUIRE_BROWSER=1 (CI) makes that a failure (see
browserkit.py, which holds the browser, the page and logging in)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kaoping.web.collection.models import Value

from . import browserkit
from .browserkit import Page, login
from .workflow import publish

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names


def _published_2024_as_viewer(page: Page, base: str, users: dict[str, Any], periods: Any) -> None:
    """Publish the 2024 ranking, log in as the viewer: the start page is that ranking."""
    publish(users["analyst"], periods["2024"])
    login(page, base, "viewer")
    page.wait_for_url("**/results/2024/")


@pytest.mark.django_db(transaction=True)
def test_a_county_uploads_a_template_with_a_bad_cell_and_sees_it_named(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, tmp_path: Path
) -> None:
    login(page, live_server.url, "county-410821")
    page.wait_for_url("**/collect/2024/")
    with page.expect_download() as download:
        page.click("text=一行填全部指标")  # the wide template: one row, indicators as columns
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book["填报表"]
    column = next(c.column for c in sheet[2] if c.value == "地区生产总值（亿元）")
    sheet.cell(3, column, "二百亿")
    letter = sheet.cell(3, column).column_letter
    bad = tmp_path / "修武县.xlsx"
    book.save(bad)
    page.set_input_files("#file", str(bad))
    page.click("button >> text=上传")
    page.wait_for_selector(f"text=修武县.xlsx!填报表!{letter}3")
    assert not Value.objects.exists()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_the_league_table_and_a_profile_draw_their_charts_without_console_errors(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    _published_2024_as_viewer(page, live_server.url, users, periods)
    assert page.locator("tbody tr").count() == 2
    page.click("text=修武县")
    page.wait_for_url("**/results/2024/unit/410821/")
    page.wait_for_selector("#radar canvas")
    page.wait_for_selector("#trend canvas")
    assert page.errors == []  # type: ignore[attr-defined]
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("KAOPING_SCREENSHOTS"):  # a folder to keep the picture in, for a look
        (Path(os.environ["KAOPING_SCREENSHOTS"]) / "profile.png").write_bytes(png)


@pytest.mark.django_db(transaction=True)
def test_the_map_draws_the_counties_by_score_and_by_tier_without_console_errors(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    _published_2024_as_viewer(page, live_server.url, users, periods)
    for by in ("score", "tier"):
        page.goto(f"{live_server.url}/results/2024/map/?by={by}")
        page.wait_for_selector("#map canvas")
        # drawn once the map's geometry is fetched and registered, and the series set
        page.wait_for_function(
            "() => { const c = echarts.getInstanceByDom(document.getElementById('map'));"
            " const o = c && c.getOption(); return !!(o && o.series && o.series.length === 1); }"
        )
        assert page.errors == []  # type: ignore[attr-defined]
    if os.environ.get("KAOPING_SCREENSHOTS"):
        (Path(os.environ["KAOPING_SCREENSHOTS"]) / "map.png").write_bytes(page.screenshot())
