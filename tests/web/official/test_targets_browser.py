"""In a real browser (Debian's Chromium, driven by Playwright): the completion (完成率) the
county's form shows as the county types is the engine's (kaoping.scoring.rules.completion,
shown as kaoping.web.official.targets.percent shows it), for a positive and a negative
indicator, with no error in the console (a script the content-security policy refused would be
one); and the analyst's targets page at a desktop's and a phone's width.

Skipped without /usr/bin/chromium (see tests/web/browserkit.py).  With KAOPING_SCREENSHOTS=DIR
the pages are kept there as PNG files, for a look."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from tests.web import browserkit
from tests.web.browserkit import Page, login

from kaoping.scoring import rules
from kaoping.web.collection.models import Period, StoredMethodology, Submission, Unit, Value
from kaoping.web.official import targets
from kaoping.web.official.models import Target

from .test_targets_view import MINI

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names


def _engine(text: str, target: float, direction: int) -> str:
    """What the form should show for the figure ``text``: the engine's rate, as the page
    first renders it; "—" where the engine reads no number or gives no rate."""
    from kaoping.data import Bad, parse_number

    number = parse_number(text or None)
    if isinstance(number, Bad) or number != number:
        return "—"
    if direction < 0 and number < 0:
        return "—"  # the engine refuses a negative figure of a negative indicator
    ratio = rules.completion([number], target, 1.0, direction)[1][0]
    return targets.percent(float(ratio)) or "—"


def _keep(page: Page, name: str) -> None:
    folder = os.environ.get("KAOPING_SCREENSHOTS")
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    if folder:
        (Path(folder) / name).write_bytes(png)


TYPED = ["7.8", "6.5", "５.２", "1,234.5", "-1.3", "0", "6,5", "7.2%", "abc", "", " 8 ", "1e2"]


@pytest.mark.django_db(transaction=True)
def test_the_completion_shown_as_the_county_types_is_the_engines(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any
) -> None:
    unit = Unit.objects.get(code="410821")
    StoredMethodology.objects.create(key="mini_targets", name="目标小表", text=MINI)
    mini = Period.objects.create(code="2025", methodology="mini_targets", status="open")
    Target.objects.create(period=mini, unit=unit, indicator="g", value=6.5)
    Target.objects.create(period=mini, unit=unit, indicator="e", value=0.6)
    Value.objects.create(
        submission=Submission.objects.create(unit=unit, period=mini), indicator="e", value=0.5
    )
    login(page, live_server.url, "county-410821")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/collect/2025/")
    assert page.text_content("#c-e") == "120.0%"  # the script agrees with the server
    for text in TYPED:  # typed, key by key
        page.fill("#f-g", text)
        assert page.text_content("#c-g") == _engine(text, 6.5, 1), text
    for text in ["0.5", "0", "-0.1", "1.2", "0.6"]:
        page.fill("#f-e", text)
        assert page.text_content("#c-e") == _engine(text, 0.6, -1), text
    # many figures at once, through the same input event: every digit of the rounding agrees
    rng = random.Random(14)
    figures = [repr(rng.uniform(-20, 40)) for _ in range(200)] + ["6.5325", "0.0065", "13.0"]
    for field, target, direction in (("g", 6.5, 1), ("e", 0.6, -1)):
        shown = page.evaluate(
            """([id, figures]) => figures.map((text) => {
                const input = document.getElementById("f-" + id);
                input.value = text;
                input.dispatchEvent(new Event("input"));
                return document.getElementById("c-" + id).textContent;
            })""",
            [field, figures],
        )
        assert shown == [_engine(t, target, direction) for t in figures]
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_targets_page_and_the_county_form_at_a_desktop_and_a_phone_width(
    page: Page, live_server: Any, official_users: dict[str, Any], official_periods: Any,
    width: int,
) -> None:  # fmt: skip
    period = official_periods["2024"]
    last = Submission.objects.create(
        unit=Unit.objects.get(code="410821"), period=official_periods["2023"], status="approved"
    )
    for k, (ident, value) in enumerate([("gdp_growth", 6.1), ("urbanization", 47.3)]):
        Value.objects.create(submission=last, indicator=ident, value=value)
        for code in ("410821", "410822", "410823"):
            Target.objects.create(
                period=period, unit=Unit.objects.get(code=code), indicator=ident,
                value=value + 0.5 + k,
            )  # fmt: skip
    targets.target_set(
        actor=official_users["analyst"], period=period, unit=Unit.objects.get(code="410822"),
        indicator="gdp_growth", value="7.0", reason="按焦政〔2024〕3号调整",
    )  # fmt: skip
    # the county types a figure of its own: 实际到位省外资金 (商务局's, which has no account);
    # GDP growth is 统计局's to supply
    Target.objects.create(
        period=period, unit=Unit.objects.get(code="410821"), indicator="external_capital",
        value=32.5,
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "analyst")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/official/2024/targets/")
    box = page.locator(".scroll-box")
    # the table scrolls inside its box, never the page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 390:
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
        box.evaluate("b => { b.scrollLeft = 400; }")
        first = page.locator("table.matrix tbody th").first.bounding_box()
        assert first is not None
        assert abs(first["x"] - box.bounding_box()["x"]) < 3  # the county column stays
    _keep(page, f"targets-{width}.png")
    assert page.errors == []  # type: ignore[attr-defined]

    page.context.clear_cookies()
    login(page, live_server.url, "county-410821")
    page.wait_for_url("**/collect/2024/")
    page.fill("#f-external_capital", "30")
    assert page.text_content("#c-external_capital") == _engine("30", 32.5, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _keep(page, f"collect-{width}.png")
    row = page.locator("tr:has(#f-external_capital)")
    png = row.screenshot()
    if os.environ.get("KAOPING_SCREENSHOTS"):  # the row with its target, close up
        (Path(os.environ["KAOPING_SCREENSHOTS"]) / f"collect-row-{width}.png").write_bytes(png)
    assert page.errors == []  # type: ignore[attr-defined]
