"""In Chromium: the analyst resets a county's forgotten password on the county accounts page,
the county logs in with the temporary one, is sent to change it and then gets to its form;
each page at desktop width and at 390 px (a phone) fits its width, with no console error.

With KAOPING_SCREENSHOTS=<folder> the pages are kept there as PNG files for a look."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from . import browserkit
from .browserkit import Page, login

browser, page = browserkit.browser, browserkit.page  # the fixtures, by their names

WIDTHS = {"desktop": 1280, "phone": 390}


def _look(page: Page, name: str) -> None:
    """At each width: nothing wider than the window (a cut-off column or header would be),
    and the picture kept when asked."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        if os.environ.get("KAOPING_SCREENSHOTS"):
            path = Path(os.environ["KAOPING_SCREENSHOTS"]) / f"{name}-{label}.png"
            path.write_bytes(page.screenshot(full_page=True))
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} at {width} px is {overflow} px wide"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_county_password_is_reset_and_changed_at_the_next_login(
    page: Page, live_server: Any, users: dict[str, Any], periods: Any, browser: Any
) -> None:
    base = live_server.url
    login(page, base, "analyst")
    page.wait_for_url("**/review/2024/")
    page.click("nav >> text=县级账户")
    page.wait_for_url("**/accounts/counties/")
    _look(page, "county-accounts")
    page.click("tr:has-text('county-410821') >> text=重置密码")
    _look(page, "county-reset-confirm")
    page.click("button >> text=重置密码")
    temporary = page.inner_text("p.password code")
    _look(page, "county-reset-done")

    county = browser.new_context(locale="zh-CN").new_page()
    county.goto(f"{base}/accounts/login/")
    county.fill("#id_username", "county-410821")
    county.fill("#id_password", temporary)
    county.click("button[type=submit] >> text=登录")
    county.wait_for_url("**/accounts/password/")
    assert "临时密码" in county.inner_text("main")
    _look(county, "password-change")
    county.fill("#id_old_password", temporary)
    county.fill("#id_new_password1", "Kp-county-7391")
    county.fill("#id_new_password2", "Kp-county-7391")
    county.click("button >> text=修改密码")
    county.wait_for_url("**/accounts/password/done/")
    _look(county, "password-changed")
    county.click("text=继续工作")
    county.wait_for_url("**/collect/2024/")
    assert page.errors == []  # type: ignore[attr-defined]
    county.context.close()
