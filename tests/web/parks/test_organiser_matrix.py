"""The organiser's pages of the observation events x every role (see
``tests/web/test_pages_matrix.py`` for how a row is checked).

The state (``organiser``, built with :mod:`tests.web.parks.test_events`): 2026-q1 open (j1 …
j5 judge it, j4 has not scored), 2026-q2 closed (every score in), 2026-q3 published, 2026-q4 a
draft; ``judge-x`` is a judge account of none of them; 2026-KH an official period whose
methodology has a judged indicator; assessment 9001 of the period 2025 published (修武县 90,
博爱县 95), 9002 announced.  The office does everything; a judge sees the list (its
own events) and an event's results once it is closed; a county its own row of a closed event
and every row of a published one; a viewer the published ones; everybody but the judges the
year's composite (with a published assessment only), the office its shares.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from tests.web.parks.test_events import JUDGED, SCORES, closed_event, fill_scores, judge_account
from tests.web.parks.test_events import make_event as make
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.collection.models import AuditEvent, Period, StoredMethodology
from kaoping.web.parks import events
from kaoping.web.parks.models import Decision, Judge, ObservationEvent

pytestmark = pytest.mark.django_db

ROLES_OBS = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822", "j1",
             "judge-x"]  # fmt: skip
REVIEWERS = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822"}
LOGGED_IN = set(ROLES_OBS) - {ANON}


def _status(code: str) -> Any:
    return lambda: ObservationEvent.objects.get(code=code).status


def _count(model: Any, **where: Any) -> Any:
    return lambda: model.objects.filter(**where).count()


def _judge_pk(code: str, user: str) -> Any:
    return lambda: str(Judge.objects.get(event__code=code, user__username=user).pk)


NEW = {
    "code": "2026-q9", "name": "第九次观摩", "period": "2026-Q4", "year": "2026",
    "kind": "quarter", "aggregation": "trimmed", "groups": "县(市)组: 410821 410822",
    "criteria": "项目建设 | 60 | 进度\n产业带动 | 40", "judges": "{j1}", "weight-{j1}": "1",
}  # fmt: skip


def _feed_effect() -> int:
    from kaoping.web.official.models import JudgedScore

    return JudgedScore.objects.count()


def _shares() -> tuple[Any, ...]:
    from kaoping.web.parks.models import AnnualComposite

    return (
        tuple(AnnualComposite.objects.values_list("indicator_share", "observation_share")),
        AuditEvent.objects.count(),
    )


ROWS = [
    Row("observation", "GET", "/parks/observation/", LOGGED_IN),
    Row("event-new", "GET", "/parks/observation/new/", REVIEWERS),
    Row("event-new", "POST", "/parks/observation/new/", REVIEWERS, data=NEW,
        effect=_count(ObservationEvent)),
    Row("event", "GET", "/parks/observation/2026-q1/", REVIEWERS),
    Row("event", "GET", "/parks/observation/2026-q2/", REVIEWERS),
    Row("event", "GET", "/parks/observation/nope/", set()),
    Row("event-open", "POST", "/parks/observation/2026-q4/open/", REVIEWERS,
        effect=_status("2026-q4")),
    Row("event-close", "POST", "/parks/observation/2026-q1/close/", REVIEWERS,
        data={"choice": "exclude", "reason": "未到场"}, effect=_status("2026-q1")),
    Row("event-close", "POST", "/parks/observation/2026-q1/close/", REVIEWERS,
        data={"choice": "wait", "reason": "路上"}, effect=_count(Decision, kind="wait")),
    Row("event-decide", "POST", "/parks/observation/2026-q2/decide/", REVIEWERS,
        data={"judge": _judge_pk("2026-q2", "j1"), "kind": "keep", "reason": "核实"},
        effect=_count(Decision, kind="keep")),
    Row("event-publish", "POST", "/parks/observation/2026-q2/publish/", REVIEWERS,
        effect=_status("2026-q2")),
    # results: open -> the office only; closed -> its judges and the counties (their own row);
    # published -> everybody signed in
    Row("event-results", "GET", "/parks/observation/2026-q1/results/", REVIEWERS),
    Row("event-results", "GET", "/parks/observation/2026-q2/results/",
        REVIEWERS | COUNTIES | {"j1"}),
    Row("event-results", "GET", "/parks/observation/2026-q3/results/", LOGGED_IN),
    Row("event-results", "GET", "/parks/observation/2026-q4/results/", REVIEWERS),
    Row("event-results-xlsx", "GET", "/parks/observation/2026-q2/results.xlsx",
        REVIEWERS | COUNTIES | {"j1"}),
    Row("event-results-xlsx", "GET", "/parks/observation/2026-q3/results.xlsx", LOGGED_IN),
    Row("event-results-xlsx", "GET", "/parks/observation/2026-q1/results.xlsx", set()),  # none yet
    Row("composite", "GET", "/parks/observation/year/2026/", REVIEWERS | COUNTIES | {"viewer"}),
    Row("composite", "GET", "/parks/observation/year/2026/?assessment=9001",
        REVIEWERS | COUNTIES | {"viewer"}),
    Row("composite", "GET", "/parks/observation/year/2026/?assessment=9002", set()),  # announced
    Row("composite-shares", "POST", "/parks/observation/year/2026/shares/", REVIEWERS,
        data={"indicator_share": "60", "assessment": "9001"}, effect=_shares),
    Row("composite-shares", "POST", "/parks/observation/year/2026/shares/", set(),
        data={"indicator_share": "120"}, effect=_shares),  # refused for everybody
    Row("composite-feed", "POST", "/parks/observation/year/2026/feed/", REVIEWERS,
        data={"period": "2026-KH"}, effect=_feed_effect),
]  # fmt: skip


def build(users: dict[str, Any]) -> dict[str, Any]:
    """The state of the module's docstring; returns the users with the judges added."""
    analyst = users["analyst"]
    q1 = make(analyst, "2026-q1")
    events.event_open(actor=analyst, event=q1)
    fill_scores(q1, {k: v for k, v in SCORES.items() if k != "j4"})
    closed_event(analyst, "2026-q2", period="2026-Q2")
    q3 = closed_event(analyst, "2026-q3", period="2026-Q3")
    events.event_publish(actor=analyst, event=q3)
    make(analyst, "2026-q4", period="2026-Q4")
    StoredMethodology.objects.create(key="judged_mini", name="评议示例", text=JUDGED)
    Period.objects.create(code="2026-KH", methodology="judged_mini", status="closed")
    from kaoping.web.results.models import Assessment

    county = Period.objects.create(code="2025", methodology="county_hqd", status="closed")
    for pk, status in ((9001, "published"), (9002, "announced")):
        Assessment.objects.create(
            pk=pk, period=county, methodology="county_hqd", inputs={}, inputs_hash="0" * 64,
            results=[{"unit": "410821", "score": 90.0}, {"unit": "410822", "score": 95.0}],
            status=status,
        )  # fmt: skip
    from django.contrib.auth import get_user_model

    judges = {u.username: u for u in get_user_model().objects.filter(username__startswith="j")}
    return {**users, **judges, "judge-x": judge_account("judge-x")}


@pytest.fixture
def organiser(users: dict[str, Any]) -> dict[str, Any]:
    return build(users)


NAMES = [f"{row.method} {row.path} {row.data.get('choice', '')}" for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=NAMES)
def test_each_role_gets_the_organisers_pages_exactly_where_the_matrix_says(
    row: Row, organiser: dict[str, Any]
) -> None:
    state = SimpleNamespace(pk=0, objection_ids={})
    problems = [p for role in ROLES_OBS if (p := _check(row, role, organiser, state, ""))]
    assert problems == []


def _page(user: Any, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_county_sees_its_own_row_until_publication_then_every_row(
    organiser: dict[str, Any],
) -> None:
    county = organiser["county-410821"]
    closed = _page(county, "/parks/observation/2026-q2/results/")
    assert "修武县" in closed
    assert "博爱县" not in closed
    assert "解放区" not in closed
    # no judge's column: neither the judges' table nor a judge's name as a cell (a bare "j2"
    # could be part of the page's random CSRF token)
    assert 'class="matrix judges-matrix"' not in closed
    assert re.search(r">\s*j[1-5]\b", closed) is None
    published = _page(county, "/parks/observation/2026-q3/results/")
    assert "博爱县" in published
    assert "解放区" in published


def test_a_judge_sees_every_judges_totals_once_the_event_closes(
    organiser: dict[str, Any],
) -> None:
    html = _page(organiser["j1"], "/parks/observation/2026-q2/results/")
    assert "博爱县" in html
    assert 'class="matrix judges-matrix"' in html
    assert re.search(r">\s*j[1-5]\b", html) is not None  # what the county's page must lack


def test_the_list_shows_a_judge_its_own_events_with_the_link_to_score(
    organiser: dict[str, Any],
) -> None:
    html = _page(organiser["j1"], "/parks/observation/")
    assert "/parks/observation/2026-q1/score/" in html
    assert "2026-Q4" in html  # its draft event, listed (not to score yet)
    assert "/parks/observation/2026-q4/score/" not in html
    assert "2026-Q" not in _page(organiser["judge-x"], "/parks/observation/")


def test_closing_from_the_page_with_missing_scores_names_who(organiser: dict[str, Any]) -> None:
    client = Client()
    client.force_login(organiser["analyst"])
    response = client.post("/parks/observation/2026-q1/close/", follow=True)
    html = response.content.decode()
    assert "j4" in html
    assert ObservationEvent.objects.get(code="2026-q1").status == "open"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EVENT_CLOSE,
                                         data__event="2026-q1").exists()  # fmt: skip
