"""A judge scores an on-site observation (观摩评比) on a phone, end to end in a real browser
(Debian's Chromium driven by Playwright, device emulation of a 390 × 844 touch screen; skipped
without Chromium, see browserkit.py), in the Chinese interface; the same walk at 1366 px wide.

The event is 2026-q1 with three counties in 县(市)组 (修武县, 博爱县, 武陟县) and three
criteria (项目建设 max 40, 产业集聚 max 30, 营商环境 max 30); judge-a:

- opens the event's page: 0/3 for each county, the Submit button disabled;
- 修武县: types 35, 25.5 and 28; each field says 已保存 (the page's "Saved") and the stored
  points are those typed; 45 on 项目建设 is refused (above its 40) with the message under the
  field, not retried, and 38 is then saved;
- 博爱县: with the saves failing (``page.route`` aborts them: a lost connection), 30 typed on
  项目建设 stays 未保存 and is kept in localStorage; the page reloaded while the connection is
  still down shows the 30 again, not saved; the connection back (``unroute``), the retry saves
  it; then 22 and 27;
- 武陟县: 40, 0 and 30 (the bounds are allowed);
- back on the event's page every county shows 3/3, Submit is enabled; submitting sets
  ``submitted_at`` and writes the audit event ``observation.submit``.

Worked by hand: 9 scores stored (修武县's 项目建设 38, the 35 replaced), their sum
38 + 25.5 + 28 + 30 + 22 + 27 + 40 + 0 + 30 = 240.5.  No page scrolls
sideways (``scrollWidth`` ≤ the viewport's width); the console is empty but for the browser's
own "Failed to load resource" lines of the deliberately failed and refused saves.  Screenshots
go to the folder ``KAOPING_SHOTS`` names, when it is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from kaoping.web.collection.models import AuditEvent, Unit
from kaoping.web.parks.models import Judge, Score

from . import browserkit
from .browserkit import Page, expect
from .parks.test_scoring import build_event

browser = browserkit.browser  # the fixture, by its name

SHOTS = os.environ.get("KAOPING_SHOTS")
GROUPS = {"县(市)组": ["410821", "410822", "410823"]}
DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}  # fmt: skip
SCORE = "/parks/observation/2026-q1/score/"


def _zh(text: str) -> str:
    """A UI string as the Chinese page shows it (the msgid until the lead translates it)."""
    with translation.override("zh-hans"):
        return gettext(text)


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(locale="zh-CN", **DEVICES[request.param])
    opened = context.new_page()
    opened.errors = []  # type: ignore[attr-defined]
    opened.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))  # type: ignore[attr-defined]
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))  # type: ignore[attr-defined]
    yield request.param, opened
    context.close()


class Shots:
    def __init__(self, page: Page, name: str) -> None:
        self.page, self.name, self.n = page, name, 0
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str) -> None:
        self.n += 1
        if SHOTS:
            path = Path(SHOTS) / f"judge-{self.name}-{self.n:02d}-{step}.png"
            self.page.screenshot(path=str(path), full_page=True)


def _fits(page: Page) -> None:
    width = page.viewport_size["width"]  # type: ignore[index]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _no_errors(page: Page, expected: int = 0) -> None:
    """No error in the console but ``expected`` "Failed to load resource" lines (an aborted or
    refused save: the browser logs those itself); the list is emptied."""
    errors: list[str] = page.errors  # type: ignore[attr-defined]
    loads = [e for e in errors if e.startswith("Failed to load resource")]
    assert [e for e in errors if e not in loads] == []
    assert len(loads) == expected
    errors.clear()


def _field(page: Page, name: str) -> Any:
    return page.locator("form.judge-criterion").filter(has_text=name)


def _type(page: Page, name: str, value: str) -> Any:
    """Type the points like a person, over what the field holds (key by key, the debounce in
    between)."""
    field = _field(page, name)
    box = field.locator("input[name=value]")
    box.click()
    box.press("Control+A")
    box.press_sequentially(value, delay=40)
    return field


def _saved(field: Any) -> None:
    state = field.locator(".criterion-state")
    expect(state).to_have_attribute("data-state", "saved", timeout=10_000)
    expect(state).to_have_text(_zh("Saved"))


def _points(unit: str) -> dict[str, float]:
    rows = Score.objects.filter(judge__user__username="judge-a", unit__code=unit)
    return dict(rows.values_list("criterion__name", "value"))


PENDING = "Object.keys(localStorage).filter(k => k.startsWith('kaoping.score:'))"


def _pending(page: Page) -> list[str]:
    return page.evaluate(PENDING)  # type: ignore[no-any-return]


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/?next={SCORE}")
    page.fill("#id_username", "judge-a")
    page.fill("#id_password", "pw")
    page.click("button[type=submit] >> text=登录")
    page.wait_for_url(f"**{SCORE}")


@pytest.mark.django_db(transaction=True)
def test_a_judge_scores_three_counties_on_a_phone_through_a_lost_connection_and_submits(
    device: tuple[str, Page], live_server: Any, units: dict[str, Unit]
) -> None:
    name, page = device
    build_event(groups=GROUPS)
    base = live_server.url
    shot = Shots(page, name)

    # the event's page: three counties, nothing scored, Submit disabled
    _log_in(page, base)
    counts = page.locator("ul.judge-units .unit-count")
    expect(counts).to_have_text(["0/3", "0/3", "0/3"])
    expect(page.locator("form.judge-submit button")).to_be_disabled()
    _fits(page)
    shot("event")
    page.locator("a.judge-button.primary").first.click()
    page.wait_for_url(f"**{SCORE}410821/")

    # 修武县: three values typed, each saved; 45 refused beside its field, not retried
    expect(page.locator(".judge-visits li")).to_have_count(2)
    for criterion, value in (("项目建设", "35"), ("产业集聚", "25.5"), ("营商环境", "28")):
        _saved(_type(page, criterion, value))
    assert _points("410821") == {"项目建设": 35.0, "产业集聚": 25.5, "营商环境": 28.0}
    project = _type(page, "项目建设", "45")
    problem = project.locator(".criterion-problem")
    expect(problem).to_be_visible(timeout=10_000)
    expect(problem).to_contain_text("超出范围")
    expect(project.locator(".criterion-state")).to_have_attribute("data-state", "refused")
    assert _pending(page) == []  # a refused value is not kept for a retry
    assert _points("410821")["项目建设"] == 35.0
    _fits(page)
    shot("refused")
    _no_errors(page, expected=1)  # the 400 of the refused save
    _type(page, "项目建设", "38")
    _saved(project)
    expect(problem).to_be_hidden()
    assert _points("410821")["项目建设"] == 38.0
    expect(page.locator("[data-progress]")).to_contain_text("3")
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**{SCORE}410822/")

    # 博爱县: the connection lost while typing; kept on the phone, through a reload; retried
    page.route("**/save/", lambda route: route.abort())
    field = _type(page, "项目建设", "30")
    state = field.locator(".criterion-state")
    expect(state).to_have_attribute("data-state", "unsaved", timeout=10_000)
    expect(state).to_have_text(_zh("Not saved"))
    for _ in range(50):  # kept, once the quiet delay is over (the page's CSP: no wait_for_function)
        if _pending(page):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)  # the aborted save has come back
    assert len(_pending(page)) == 1
    expect(state).to_have_attribute("data-state", "unsaved")
    expect(page.locator("[data-pending-notice]")).to_be_visible()
    shot("offline")
    page.reload()
    field = _field(page, "项目建设")
    expect(field.locator("input[name=value]")).to_have_value("30")  # nothing lost
    expect(field.locator(".criterion-state")).to_have_attribute("data-state", "unsaved")
    assert _points("410822") == {}
    page.unroute("**/save/")
    _saved(field)  # retried on the interval, the connection back
    expect(page.locator("[data-pending-notice]")).to_be_hidden()
    assert _pending(page) == []
    assert _points("410822") == {"项目建设": 30.0}
    errors: list[str] = page.errors  # type: ignore[attr-defined]
    assert errors
    assert all(e.startswith("Failed to load resource") for e in errors)
    errors.clear()  # the aborted saves (their number depends on the retries' timing)
    for criterion, value in (("产业集聚", "22"), ("营商环境", "27")):
        _saved(_type(page, criterion, value))
    page.reload()  # what the server holds, nothing pending
    for criterion, value in (("项目建设", "30"), ("产业集聚", "22"), ("营商环境", "27")):
        expect(_field(page, criterion).locator("input[name=value]")).to_have_value(value)
        _saved(_field(page, criterion))
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**{SCORE}410823/")

    # 武陟县: the bounds
    for criterion, value in (("项目建设", "40"), ("产业集聚", "0"), ("营商环境", "30")):
        _saved(_type(page, criterion, value))
    _fits(page)
    shot("county")
    page.locator("nav.judge-pager a.primary").click()  # the last county: back to the list
    page.wait_for_url(f"**{SCORE}")

    # every county 3/3: submit
    expect(counts).to_have_text(["✓ 3/3", "✓ 3/3", "✓ 3/3"])
    submit = page.locator("form.judge-submit button")
    expect(submit).to_be_enabled()
    _fits(page)
    shot("complete")
    submit.click()
    page.wait_for_url(f"**{SCORE}")
    expect(page.locator("ul.messages li.success")).to_have_text(
        _zh("Your scores are submitted. They no longer change unless the organiser reopens them.")
    )
    expect(page.locator("form.judge-submit")).to_have_count(0)
    judge = Judge.objects.get(user__username="judge-a")
    assert judge.submitted_at is not None
    audit = AuditEvent.objects.get(action=AuditEvent.Action.SCORES_SUBMIT)
    assert audit.data == {"event": "2026-q1", "judge": judge.pk, "scores": 9}
    values = Score.objects.filter(judge=judge).values_list("value", flat=True)
    assert sum(values) == 240.5
    _fits(page)
    shot("submitted")
    _no_errors(page)
