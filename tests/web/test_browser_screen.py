"""The leaders' screen (大屏) in a real browser (Chromium, see browserkit.py): at 1920x1080 and
at 1366x768 the page has no scrollbars, the map's canvas is drawn in the legend's colours,
the console has no error (Content-Security-Policy included), the views take turns and a click
pauses them.  A screenshot of each view is saved under the test's tmp_path (and, with
``KAOPING_SCREENSHOTS=folder``, kept there)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from . import browserkit
from .browserkit import Page, login
from .workflow import publish

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names
FULL_HD = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}

DRAWN = """() => {
  const stage = document.getElementById('stage');
  if (!stage || stage.dataset.map !== 'drawn') { return false; }
  const canvas = document.querySelector('#screen-map-chart canvas');
  return !!canvas && canvas.width > 0;
}"""
PAINTED = """() => {
  const canvas = document.querySelector('#screen-map-chart canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted += 1; } }
  return painted;
}"""


def _keep(page: Page, folder: Path, name: str) -> Path:
    path = folder / name
    page.screenshot(path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("KAOPING_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["KAOPING_SCREENSHOTS"]) / name)
    return path


def _fits(page: Page, viewport: dict[str, int]) -> None:
    width, height = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert width <= viewport["width"]
    assert height <= viewport["height"]
    # and nothing of the stage lies outside the window
    box = page.locator("#stage").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] + 0.5
    assert box["y"] + box["height"] <= viewport["height"] + 0.5


@pytest.mark.django_db(transaction=True)
def test_the_screen_fits_a_full_hd_display_draws_its_map_and_takes_turns(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    publish(users["analyst"], periods["2024"])
    page.set_viewport_size(FULL_HD)
    login(page, live_server.url, "viewer")
    page.wait_for_url("**/results/2024/")
    page.goto(f"{live_server.url}/results/2024/screen/?seconds=5")
    page.wait_for_function(DRAWN)
    _fits(page, FULL_HD)
    assert page.evaluate(PAINTED) > 10_000  # the counties are drawn, not an empty canvas
    # the ranked counties in their tier's swatch colour; the city's (焦作, 4108) outlined
    fills = page.evaluate(
        """() => {
          const option = echarts.getInstanceByDom(document.getElementById('screen-map-chart'))
            .getOption();
          const swatch = (i) => getComputedStyle(document.querySelector(
            '#screen-legend .swatch[data-tier="' + i + '"]')).backgroundColor;
          const data = JSON.parse(document.getElementById('screen-map-data').textContent);
          const byCode = {};
          data.units.forEach((u) => { byCode[u.code] = u; });
          return option.series[0].data.filter((d) => byCode[d.name]).map((d) => [
            d.itemStyle.areaColor, swatch(byCode[d.name].tier_index), !!d.itemStyle.borderColor]);
        }"""
    )
    assert len(fills) == 2  # 修武县 and 博爱县
    assert all(fill == swatch for fill, swatch, _ in fills), fills
    assert all(outlined for _, _, outlined in fills)  # both are Jiaozuo's
    assert page.locator("#screen-legend li").count() >= 3  # a tier, not ranked, the city
    body = page.evaluate(
        "() => getComputedStyle(document.querySelector('table.top td.name')).fontSize"
    )
    assert float(body.removesuffix("px")) >= 28  # read across a room
    assert "current" in (page.locator("#view-0").get_attribute("class") or "")
    views = page.locator(".tab").count()
    assert views >= 2  # the overview; the movers and categories (no awards, no projects here)
    _keep(page, tmp_path, "screen-1920-view1.png")
    # the next view after five seconds, shown by its tab
    page.wait_for_function("() => document.getElementById('stage').dataset.view === '1'",
                           timeout=12_000)  # fmt: skip
    assert "current" in (page.locator("#view-1").get_attribute("class") or "")
    assert "current" in (page.locator(".tab[data-view='1']").get_attribute("class") or "")
    assert page.locator("#view-0").get_attribute("aria-hidden") == "true"
    _keep(page, tmp_path, "screen-1920-view2.png")
    # a click pauses the turns, another resumes them
    page.mouse.click(960, 500)
    assert page.locator("#screen-paused").is_visible()
    page.wait_for_timeout(6_000)
    assert page.evaluate("() => document.getElementById('stage').dataset.view") == "1"
    page.keyboard.press("ArrowRight")  # the next view (the first again), still paused
    assert page.evaluate("() => document.getElementById('stage').dataset.view") == str(2 % views)
    assert page.locator("#screen-paused").is_visible()
    page.mouse.click(960, 500)
    assert page.locator("#screen-running").is_visible()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_at_1366_by_768_the_screen_is_the_same_scaled_down(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, approved: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    publish(users["analyst"], periods["2024"])
    page.set_viewport_size(LAPTOP)
    login(page, live_server.url, "viewer")
    page.wait_for_url("**/results/2024/")
    page.goto(f"{live_server.url}/results/2024/screen/")
    page.wait_for_function(DRAWN)
    _fits(page, LAPTOP)
    for view in range(page.locator(".tab").count()):
        page.locator(f".tab[data-view='{view}']").click()
        _fits(page, LAPTOP)
        # every panel's content inside its panel: nothing cut off at the bottom
        overflow = page.evaluate(
            """(view) => Array.from(document.querySelectorAll('#view-' + view + ' .panel'))
                 .filter((p) => p.scrollHeight > p.clientHeight + 1).map((p) => p.className)""",
            view,
        )
        assert overflow == []
        _keep(page, tmp_path, f"screen-1366-view{view + 1}.png")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_with_reduced_motion_the_views_change_without_fading_and_the_map_does_not_animate(
    browser: Any, live_server: Any, users: dict[str, Any], periods: Any, approved: Any
) -> None:
    publish(users["analyst"], periods["2024"])
    context = browser.new_context(locale="zh-CN", reduced_motion="reduce", viewport=FULL_HD)
    try:
        reduced = context.new_page()
        errors: list[str] = []
        reduced.on("pageerror", lambda e: errors.append(str(e)))
        login(reduced, live_server.url, "viewer")
        reduced.wait_for_url("**/results/2024/")
        reduced.goto(f"{live_server.url}/results/2024/screen/")
        reduced.wait_for_function(DRAWN)
        fade = reduced.evaluate(
            "() => getComputedStyle(document.getElementById('view-1')).transitionDuration"
        )
        assert set(fade.replace(" ", "").split(",")) == {"0s"}
        animated = reduced.evaluate(
            """() => echarts.getInstanceByDom(document.getElementById('screen-map-chart'))
                     .getOption().animation"""
        )
        assert animated is False
        assert errors == []
    finally:
        context.close()
