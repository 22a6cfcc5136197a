"""The dispatch's results pages (the start page, a month's dashboard, ranking, map and workbook,
a project's page) x every role (see ``tests/web/test_pages_matrix.py`` for how a row is
checked).

The state is ``dispatch`` (tests/web/projects/conftest.py) and a department account: 2026-10
closed (published), 2026-11 open, 2026-09 never opened.  A month's results go to the office in
any month and to everyone else once the month is closed; a project's page to the office, its
county and its owner accounts (A: 修武县 and owner-a; B: 修武县; C: 博爱县), never to a viewer or
a department, who read the published results only.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.collection.models import Membership, Role

ROLES_BOARD = [ANON, "admin", "analyst", "viewer", "dept-stat", "county-410821", "county-410822",
               "owner-a"]  # fmt: skip
REVIEWERS = {"admin", "analyst"}
LOGGED_IN = set(ROLES_BOARD) - {ANON}

ROWS = [
    # the start page redirects each to its latest month (or says why there is none)
    Row("projects", "GET", "/projects/", LOGGED_IN, ok=(302,)),
]  # fmt: skip
for _name, _path in [("dispatch-board", "/projects/{month}/"),
                     ("dispatch-ranking", "/projects/{month}/ranking/"),
                     ("dispatch-map", "/projects/{month}/map/"),
                     ("dispatch-sheet", "/projects/{month}/sheet.xlsx")]:  # fmt: skip
    ROWS += [
        Row(_name, "GET", _path.format(month="2026-10"), LOGGED_IN),  # closed: published
        Row(_name, "GET", _path.format(month="2026-11"), REVIEWERS),  # open: the office only
        Row(_name, "GET", _path.format(month="2026-09"), set()),  # never opened: 404
    ]
ROWS += [
    Row("project", "GET", "/projects/p/A/", REVIEWERS | {"county-410821", "owner-a"}),
    Row("project", "GET", "/projects/p/B/", REVIEWERS | {"county-410821"}),
    Row("project", "GET", "/projects/p/C/", REVIEWERS | {"county-410822"}),
    Row("project", "GET", "/projects/p/NOPE/", set()),
]  # fmt: skip


@pytest.fixture
def board_users(dispatch: SimpleNamespace) -> dict[str, Any]:
    department = get_user_model().objects.create_user(username="dept-stat", password="pw")
    Membership.objects.create(user=department, role=Role.DEPARTMENT, department="市统计局")
    return {**dispatch.users, "dept-stat": department}


NAMES = [f"{row.method} {row.path}" for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=NAMES)
def test_each_role_sees_the_dispatch_results_exactly_where_the_matrix_says(
    row: Row, board_users: dict[str, Any]
) -> None:
    state = SimpleNamespace(pk=0, objection_ids={})
    problems = [p for role in ROLES_BOARD if (p := _check(row, role, board_users, state, ""))]
    assert problems == []
