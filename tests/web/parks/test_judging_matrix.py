"""The judge's pages (the event's counties, one county, a save, the submit) x every role (see
``tests/web/test_pages_matrix.py`` for how a row is checked).

The state is :func:`tests.web.parks.test_scoring.build_event`'s event 2026-q1 (4 counties × 3
criteria) with judge-a's sheet complete (10 points everywhere) and judge-b's one score
(修武县 项目建设 = 12), in three states:

- ``open``: both judges score; judge-a, complete, may submit; judge-b, incomplete, may not;
- ``submitted``: still open, judge-a has submitted (its sheet frozen), judge-b still scores;
- ``closed``: nobody scores or submits any more (the results are the organiser's pages).

judge-other judges only another event: it never gets through here; the office (admin,
analyst), a viewer and a county are not judges of the event and get a 403, as a crafted URL of
a county outside the event or an unknown event gets a 404.  A save outside 0..max (99 on a
criterion of at most 40) changes nothing for anybody.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from tests.web.parks.test_scoring import build_event
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.collection.models import Unit
from kaoping.web.parks import scoring
from kaoping.web.parks.models import Judge, ObservationEvent, Score

ROLES_JUDGING = [ANON, "admin", "analyst", "viewer", "county-410821", "judge-a", "judge-b",
                 "judge-other"]  # fmt: skip
STATES = ["open", "submitted", "closed"]
BOTH = {"judge-a", "judge-b"}
BASE = "/parks/observation/2026-q1"


def _scores() -> tuple[tuple[str, str, str, float], ...]:
    """Every stored score: judge, county, criterion, points."""
    return tuple(
        Score.objects.order_by("pk").values_list(
            "judge__user__username", "unit__code", "criterion__name", "value"
        )
    )


def _submitted() -> tuple[str, ...]:
    """The judges who have submitted."""
    found = Judge.objects.filter(submitted_at__isnull=False).values_list(
        "user__username", flat=True
    )
    return tuple(sorted(found))


SAVE = {"unit": "410821", "criterion": "{criterion}", "value": "7"}
ROWS = [
    Row("event-score", "GET", f"{BASE}/score/", {"open": BOTH, "submitted": BOTH, "closed": set()}),
    Row("event-score", "GET", "/parks/observation/nope/score/", set()),
    Row("event-score-unit", "GET", f"{BASE}/score/410821/",
        {"open": BOTH, "submitted": BOTH, "closed": set()}),
    Row("event-score-unit", "GET", f"{BASE}/score/410802/",
        {"open": BOTH, "submitted": BOTH, "closed": set()}),
    Row("event-score-unit", "GET", f"{BASE}/score/410883/", set()),  # a county outside the event
    Row("event-save", "POST", f"{BASE}/save/",
        {"open": BOTH, "submitted": {"judge-b"}, "closed": set()}, SAVE, _scores),
    Row("event-save", "POST", f"{BASE}/save/", set(), {**SAVE, "value": "99"}, _scores),
    Row("event-save", "POST", f"{BASE}/save/", set(), {**SAVE, "unit": "410883"}, _scores),
    Row("event-submit", "POST", f"{BASE}/submit/",
        {"open": {"judge-a"}, "submitted": set(), "closed": set()}, {}, _submitted),
]  # fmt: skip


@pytest.fixture
def judging(users: dict[str, Any], units: dict[str, Unit]) -> SimpleNamespace:
    built = build_event()
    Unit.objects.create(code="410883", name="孟州市")  # a county, not of the event
    for unit in built.units.values():
        for criterion in built.criteria:
            scoring.save_score(built.users["judge-a"], built.event, unit.code, criterion.pk, 10)
    scoring.save_score(built.users["judge-b"], built.event, "410821", built.criteria[0].pk, 12)
    return SimpleNamespace(
        users={**users, **built.users},
        state=SimpleNamespace(pk=built.event.pk, objection_ids={"criterion": built.criteria[0].pk}),
        built=built,
    )


def _put_in(judging: SimpleNamespace, status: str) -> None:
    built = judging.built
    if status == "submitted":
        Judge.objects.filter(pk=built.judges["judge-a"].pk).update(submitted_at=timezone.now())
    if status == "closed":
        ObservationEvent.objects.filter(pk=built.event.pk).update(
            status=ObservationEvent.Status.CLOSED, closed_at=timezone.now()
        )


CASES = [(row, status) for row in ROWS for status in STATES]
NAMES = [f"{row.method} {row.path} {row.data.get('value', '')}[{status}]" for row, status in CASES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "status"), CASES, ids=NAMES)
def test_each_role_gets_to_the_judges_pages_exactly_where_the_matrix_says(
    row: Row, status: str, judging: SimpleNamespace
) -> None:
    _put_in(judging, status)
    problems = [
        p
        for role in ROLES_JUDGING
        if (p := _check(row, role, judging.users, judging.state, status))
    ]
    assert problems == []
