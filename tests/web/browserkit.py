"""What the browser tests share: Debian's Chromium driven by Playwright, a page that collects
the console's errors, and logging in.

Importing this module skips the importing test module when /usr/bin/chromium is missing,
except where KAOPING_REQUIRE_BROWSER=1 (CI) makes that a failure.  The fixtures are used by
naming them in a test module: ``browser, page = browserkit.browser, browserkit.page``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("KAOPING_REQUIRE_BROWSER") == "1":
        raise RuntimeError("the browser tests need Debian's chromium package (/usr/bin/chromium)")
    pytest.skip("no Chromium: apt-get install chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

__all__ = ["CHROMIUM", "FLAGS", "Page", "browser", "expect", "login", "page"]

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread while the browser is open; the
    # ORM calls of the tests (and of their database teardown) are still synchronous
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield launched
            launched.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page of a fresh zh-CN context; ``page.errors`` collects the console's errors."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    opened = context.new_page()
    opened.errors = []  # type: ignore[attr-defined]
    opened.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))  # type: ignore[attr-defined]
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))  # type: ignore[attr-defined]
    yield opened
    context.close()


def login(page: Page, base: str, name: str) -> None:
    """Log in as ``name`` (password "pw") on the login page; the caller waits for where the
    start page sends that role."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", "pw")
    page.click("button[type=submit] >> text=登录")
