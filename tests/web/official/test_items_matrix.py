"""The bonus, penalty and veto items' pages x every role of an official period (see
``tests/web/test_pages_matrix.py`` for how a row is checked).

The state: 2024 under county_hqd_official with two items, each with one evidence file —
``{item}``, 生态环境局's penalty against 修武县 (410821), proposed; ``{approved}``, the office's
bonus for 博爱县 (410822), approved — and 2022, an academic period (no items).  Per status:
``proposed`` nothing computed; ``announced`` a ranking of 2024 that counted ``{approved}``,
announced with its objection window open; ``published`` that ranking published (the
assessment row is stored as the services would leave it: its frozen ``items`` are what the
evidence rights read; the official computation itself is tested in test_items.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.collection.models import Period
from kaoping.web.official import items
from kaoping.web.official.models import Item
from kaoping.web.results.models import Assessment, Objection

from . import items_kit as kit

ROLES_OFFICIAL = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "county-410823", "dept-stat", "dept-eco"]  # fmt: skip
REVIEWERS = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822", "county-410823"}
DEPARTMENTS = {"dept-stat", "dept-eco"}
LOGGED_IN = REVIEWERS | COUNTIES | DEPARTMENTS | {"viewer"}
STATUSES = ["proposed", "announced", "published"]


def _every(roles: set[str]) -> dict[str, set[str]]:
    return {status: roles for status in STATUSES}


def _until_published(roles: set[str]) -> dict[str, set[str]]:
    return {"proposed": roles, "announced": roles, "published": set()}


def _status(which: str) -> Any:
    return lambda: Item.objects.filter(reason=which).values_list("status", flat=True).first()


def _pdf() -> Any:
    return kit.upload("通报.pdf", kit.pdf())


PROPOSAL = {"unit": "410821", "rule": "criticised", "points": "", "reason": "通报批评",
            "document": "豫政办〔2024〕20号", "date": "2024-08-01", "files": _pdf}  # fmt: skip
LIST = REVIEWERS | COUNTIES | DEPARTMENTS

ROWS = [
    Row("items", "GET", "/official/2024/items/", _every(LIST)),
    Row("items", "GET", "/official/2024/items/?status=proposed&unit=410821", _every(LIST)),
    Row("items", "GET", "/official/2022/items/", set()),  # academic: no items
    # 统计局 may propose no rule; 生态环境局 criticised
    Row("items", "POST", "/official/2024/items/", _until_published(REVIEWERS | {"dept-eco"}),
        PROPOSAL, lambda: Item.objects.count()),
    Row("item", "GET", "/official/2024/items/{item}/",
        _every(REVIEWERS | {"dept-eco", "county-410821"})),
    Row("item", "GET", "/official/2024/items/{approved}/", _every(REVIEWERS | {"county-410822"})),
    Row("item", "GET", "/official/2022/items/{item}/", set()),
    Row("item-decide", "POST", "/official/2024/items/{item}/decide/",
        _until_published(REVIEWERS), {"action": "approve"}, _status("penalty")),
    Row("item-decide", "POST", "/official/2024/items/{item}/decide/",
        _until_published(REVIEWERS), {"action": "reject", "reason": "材料不足"},
        _status("penalty")),
    Row("item-decide", "POST", "/official/2024/items/{approved}/decide/",
        _until_published(REVIEWERS), {"action": "withdraw", "reason": "异议成立"},
        _status("bonus")),
    Row("evidence", "GET", "/official/evidence/{evidence}/",
        _every(REVIEWERS | {"dept-eco", "county-410821"})),
    # the file of the item the ranking counted: to every role once it is published
    Row("evidence", "GET", "/official/evidence/{approved_evidence}/",
        {"proposed": REVIEWERS | {"county-410822"}, "announced": REVIEWERS | {"county-410822"},
         "published": LOGGED_IN}),
    # an objection to an item from its page: the county it is about, while announced
    Row("objection", "POST", "/results/2024/objection/",
        {"proposed": set(), "announced": {"county-410822"}, "published": set()},
        {"assessment": "{pk}", "item": "{approved}", "text": "称号已撤销"},
        lambda: Objection.objects.count()),
    Row("objection", "POST", "/results/2024/objection/", _every(set()),  # not approved: none
        {"assessment": "{pk}", "item": "{item}", "text": "有误"},
        lambda: Objection.objects.count()),
]  # fmt: skip


@pytest.fixture
def state(
    official_users: dict[str, Any], official_periods: dict[str, Period], settings: Any,
    tmp_path: Path, request: pytest.FixtureRequest,
) -> Any:  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path / "media")
    period = official_periods["2024"]
    Period.objects.create(code="2022", methodology="county_hqd", status="open")
    analyst = official_users["analyst"]
    proposed = kit.propose(official_users["dept-eco"], period, reason="penalty")
    approved = kit.propose(analyst, period, unit="410822", rule="four_good_roads",
                           reason="bonus", files=[kit.upload("命名.png", kit.png())])  # fmt: skip
    items.item_approve(actor=analyst, item=approved)
    sha = approved.evidence.get().sha256
    status = request.param
    pk = 0  # no assessment: the objection rows answer 404
    if status != "proposed":
        row = [approved.pk, "410822", "bonus", "four_good_roads", 1.0, approved.document,
               "2024-06-30", [sha]]  # fmt: skip
        assessment = Assessment.objects.create(
            period=period, methodology=period.methodology, inputs={"items": [row]},
            inputs_hash="0" * 64, results=[], status=status,
            objections_until=dt.date.today() + dt.timedelta(days=5),
        )  # fmt: skip
        pk = assessment.pk
    ids = {
        "item": proposed.pk,
        "approved": approved.pk,
        "evidence": proposed.evidence.get().pk,
        "approved_evidence": approved.evidence.get().pk,
    }
    return SimpleNamespace(pk=pk, objection_ids=ids)


CASES = [(row, status) for row in ROWS
         for status in (STATUSES if isinstance(row.allowed, dict) else ["proposed"])]  # fmt: skip
NAMES = [f"{row.method} {row.path} {row.data.get('action') or ''}[{status}]"
         for row, status in CASES]  # fmt: skip


@pytest.mark.parametrize(("row", "state"), CASES, ids=NAMES, indirect=["state"])
def test_each_official_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Any, official_users: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    status = request.node.callspec.params["state"]
    problems = [p for role in ROLES_OFFICIAL if (p := _check(row, role, official_users, state,
                                                             status))]  # fmt: skip
    assert problems == []
