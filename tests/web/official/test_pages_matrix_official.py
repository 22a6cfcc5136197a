"""The rights matrix of the official assessment's pages (the league table, a county's profile
with its 得分明细, the awards list, what it takes) x every role of an official period, the
departments' included: who gets through, per status of the 2024 assessment.

The state: the engine's small example on the platform (case.tiny: 修武县 410821, 博爱县 410822,
武陟县 410823 and 温县 410825, 2024 under its official methodology), computed, announced or
published.  A department, like a viewer, sees published results only; a county the announced
ranking and, before publication, only its own figures.  (Each request is rolled back; see
tests/web/test_pages_matrix.py for how a row is checked.)"""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.official.case import compute, tiny
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.results.models import Assessment

ROLES_OFFICIAL = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "county-410823", "dept-stat", "dept-eco"]  # fmt: skip
REVIEWERS = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822", "county-410823"}
DEPARTMENTS = {"dept-stat", "dept-eco"}
EVERYONE = REVIEWERS | COUNTIES | DEPARTMENTS | {"viewer"}
STATUSES = ["computed", "announced", "published"]

# the ranking to whoever may see it, and to everyone else a page that says why there is none
RESULTS_PAGE = {status: EVERYONE for status in STATUSES}
# named by its id: the assessment itself, to those who may see it
PUBLIC = {"computed": REVIEWERS, "announced": REVIEWERS | COUNTIES, "published": EVERYONE}
# 修武县's figures: before publication to the office and 修武县; a viewer and the departments
# are told the ranking is not published yet; another county is refused
OWN = {
    "computed": EVERYONE,
    "announced": REVIEWERS | {"county-410821", "viewer"} | DEPARTMENTS,
    "published": EVERYONE,
}
OWN_PINNED = {"computed": REVIEWERS, "announced": REVIEWERS | {"county-410821"},
              "published": EVERYONE}  # fmt: skip

ROWS = [
    Row("league", "GET", "/results/2024/", RESULTS_PAGE),
    Row("league", "GET", "/results/2024/?sort=score&category=重点生态功能区", RESULTS_PAGE),
    Row("league", "GET", "/results/2024/?assessment={pk}", PUBLIC),
    Row("league", "GET", "/results/2024/?format=xlsx", PUBLIC),
    Row("league", "GET", "/results/2024/?format=csv&assessment={pk}", PUBLIC),
    Row("profile", "GET", "/results/2024/unit/410821/", OWN),
    Row("profile", "GET", "/results/2024/unit/410821/?assessment={pk}", OWN_PINNED),
    Row("awards", "GET", "/results/2024/awards/", RESULTS_PAGE),
    Row("awards", "GET", "/results/2024/awards/?assessment={pk}", PUBLIC),
    Row("margins", "GET", "/results/2024/unit/410821/margins/", OWN),
    Row("margins", "GET", "/results/2024/unit/410821/margins/?assessment={pk}&part=1",
        OWN_PINNED),
]  # fmt: skip


@pytest.fixture
def state(
    official_users: dict[str, Any], official_periods: Any, request: pytest.FixtureRequest
) -> Assessment:
    periods = tiny(official_users, official_periods)
    assessment = compute(official_users, periods, request.param)
    assessment.objection_ids = {}  # type: ignore[attr-defined]  # _check's; none here
    return assessment


CASES = [(row, status) for row in ROWS for status in STATUSES]
NAMES = [f"{row.method} {row.path}[{status}]" for row, status in CASES]


@pytest.mark.parametrize(("row", "state"), CASES, ids=NAMES, indirect=["state"])
def test_each_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Assessment, official_users: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    status = request.node.callspec.params["state"]
    problems = [
        p for role in ROLES_OFFICIAL if (p := _check(row, role, official_users, state, status))
    ]
    assert problems == []
