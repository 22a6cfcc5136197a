"""The organiser's new-event form (``/parks/observation/new/``) and decide button probed with
malformed input: each refused with a message (400, or 404 for a judge that is not the
event's), never a 500 — on SQLite as on PostgreSQL, which refuses a text longer than its column,
a NUL character or a year outside its small integer — and nothing stored.

The form's base: one group 县组 (修武县 410821, 博爱县 410822), two criteria of 50, no judge.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from tests.web.parks.test_events import make_event

from kaoping.web.collection.models import Unit
from kaoping.web.parks.models import Criterion, EventGroup, ObservationEvent

pytestmark = pytest.mark.django_db

BASE = {"code": "x1", "name": "第二季度观摩", "period": "2026-Q2", "year": "2026",
        "kind": "quarter", "aggregation": "mean", "groups": "县组: 410821 410822",
        "criteria": "项目建设 | 50 | 规模\n产业带动 | 50"}  # fmt: skip


@pytest.fixture
def office(users: Any) -> Client:
    for code, name in (("410821", "修武县"), ("410822", "博爱县")):
        Unit.objects.get_or_create(code=code, defaults={"name": name})
    client = Client()
    client.force_login(users["analyst"])
    return client


def _post(client: Client, **changes: Any) -> tuple[int, list[str]]:
    response = client.post("/parks/observation/new/", BASE | changes)
    return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]


def test_the_base_form_creates_the_event(office: Client) -> None:
    assert _post(office)[0] == 302
    assert ObservationEvent.objects.get(code="x1").year == 2026


CASES = {
    "a group named twice": ({"groups": "A: 410821\nA: 410822"}, "A"),
    "a group without a name": ({"groups": ": 410821"}, ""),
    "a group without a colon": ({"groups": "410821"}, "1"),
    "a group name too long": ({"groups": "组" * 101 + ": 410821"}, "100"),
    "a criterion name too long": ({"criteria": "项" * 201 + " | 10"}, "200"),
    "a criterion without a maximum": ({"criteria": "项目建设 | nan"}, "1"),
    "an infinite maximum": ({"criteria": "项目建设 | 1e400"}, "inf"),
    "a negative maximum": ({"criteria": "项目建设 | -5"}, "-5"),
    "a name too long": ({"name": "名" * 201}, "200"),
    "a code too long": ({"code": "a" * 41}, "40"),
    "a NUL in the name": ({"name": "观摩\x00"}, "NUL"),
    "a NUL in a group": ({"groups": "县\x00组: 410821"}, "NUL"),
    "a NUL in a reviewed event": ({"reviews": ["q\x00"]}, "q"),
    "a year past the small integer": ({"year": "9" * 30}, "9999"),
    "a negative year": ({"year": "-5"}, "-5"),
    "a year of five digits": ({"year": "70000"}, "70000"),
    "a year that is no number": ({"year": "二〇二六"}, ""),
    "an impossible date": ({"date": "2026-13-45"}, "2026-13-45"),
    "a quarter 5": ({"period": "2026-Q5"}, "2026-Q5"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_form_is_refused_with_a_message_and_stores_nothing(
    office: Client, case: str
) -> None:
    changes, shown = CASES[case]
    status, texts = _post(office, **changes)
    assert status == 400
    assert texts
    assert any(shown in t for t in texts), texts
    assert not ObservationEvent.objects.exists()
    assert not EventGroup.objects.exists()
    assert not Criterion.objects.exists()


def test_a_hint_with_a_bar_is_kept_whole(office: Client) -> None:
    assert _post(office, criteria="项目建设 | 50 | 规模 | 进度\n产业带动 | 50")[0] == 302
    assert Criterion.objects.get(name="项目建设").hint == "规模 | 进度"


@pytest.mark.parametrize("judge", ["abc", "1.5", "²", "\x00", "", "9" * 30])
def test_deciding_on_a_judge_that_is_no_number_is_a_404(users: Any, judge: str) -> None:
    event = make_event(users["analyst"])
    client = Client()
    client.force_login(users["analyst"])
    response = client.post(f"/parks/observation/{event.code}/decide/",
                           {"judge": judge, "kind": "keep"})  # fmt: skip
    assert response.status_code == 404
    assert not event.decisions.exists()
