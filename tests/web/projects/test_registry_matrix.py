"""The registry (项目库) and issue ledger (问题台账) pages x every role of the dispatch (see
``tests/web/test_pages_matrix.py`` for how a row is checked).

The state: ``dispatch`` (A, B in 修武县 410821, C in 博爱县 410822; ``owner-a`` reports A) and
three issues: ``{open_a}`` on A, just raised; ``{assigned_a}`` on A, assigned with a time limit
thirty days ago (overdue: the escalation moves it up); ``{assigned_c}`` on C, assigned.  The
office does everything; a county its own projects' rows and issues; the owner only A's;
viewers and departments (``dept-stat``, 统计局, added here) neither the registry nor the
ledger.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests.web.test_pages_matrix import Row, _check

from kaoping.dispatch import sheets
from kaoping.web.collection.models import Membership, Role
from kaoping.web.projects.models import Issue, Project

from .conftest import DISPATCH_ROLES

ROLES = [*DISPATCH_ROLES, "dept-stat"]
REVIEWERS = {"admin", "analyst"}
XIUWU = {"county-410821", "owner-a"}  # those who report A
UNITS = REVIEWERS | {"county-410821", "county-410822", "owner-a"}  # the registry and ledger


def _upload() -> Any:
    """An empty registry sheet with one new project, D in 博爱县."""
    book = load_workbook(io.BytesIO(sheets.registry_template()))
    sheet = book["项目库"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for header, value in {"项目编号": "D", "项目名称": "光伏电站", "县区代码": "410822",
                          "总投资（万元）": 8000}.items():  # fmt: skip
        sheet.cell(2, headers[header], value)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("项目库.xlsx", out.getvalue())


def _issue(key: str, what: str = "status") -> Any:
    return lambda: Issue.objects.filter(content=key).values_list(what, flat=True).first()


RAISE = {"kind": "funds", "content": "资金未到位", "department": "财政局", "deadline": "2099-12-31"}

ROWS = [
    Row("registry", "GET", "/projects/registry/", UNITS),
    Row("registry", "GET", "/projects/registry/?county=410822&bond=yes&q=园", UNITS),
    Row("registry-export", "GET", "/projects/registry.xlsx", UNITS),
    Row("registry-export", "GET", "/projects/registry.xlsx?template=1", UNITS),
    Row("registry-upload", "POST", "/projects/registry/upload/", REVIEWERS, {"file": _upload},
        lambda: Project.objects.count()),
    Row("ledger", "GET", "/projects/issues/", UNITS),
    Row("ledger", "GET", "/projects/issues/?status=assigned&kind=land&county=410822&overdue=yes",
        UNITS),
    Row("issues-escalate", "POST", "/projects/issues/escalate/", REVIEWERS, {},
        _issue("A 逾期", "level")),
    Row("issue", "GET", "/projects/issues/{open_a}/", REVIEWERS | XIUWU),
    Row("issue", "GET", "/projects/issues/{assigned_c}/", REVIEWERS | {"county-410822"}),
    Row("issue", "GET", "/projects/issues/999999/", set()),
    # the office assigns; the project's county and owner only resolve (办结)
    Row("issue-step", "POST", "/projects/issues/{open_a}/step/", REVIEWERS,
        {"to": "assigned", "text": "发改委牵头", "deadline": "2099-12-31"}, _issue("A 新")),
    Row("issue-step", "POST", "/projects/issues/{assigned_a}/step/", REVIEWERS | XIUWU,
        {"to": "resolved", "text": "已解决"}, _issue("A 逾期")),
    Row("issue-step", "POST", "/projects/issues/{assigned_c}/step/",
        REVIEWERS | {"county-410822"}, {"to": "resolved", "text": "已解决"}, _issue("C 交办")),
    Row("issue-raise", "GET", "/projects/p/A/issues/raise/", REVIEWERS | XIUWU),
    Row("issue-raise", "GET", "/projects/p/C/issues/raise/", REVIEWERS | {"county-410822"}),
    Row("issue-raise", "POST", "/projects/p/A/issues/raise/", REVIEWERS | XIUWU, RAISE,
        lambda: Issue.objects.count()),
    Row("issue-raise", "POST", "/projects/p/B/issues/raise/", REVIEWERS | {"county-410821"},
        RAISE, lambda: Issue.objects.count()),
    Row("issue-raise", "POST", "/projects/p/C/issues/raise/", REVIEWERS | {"county-410822"},
        RAISE, lambda: Issue.objects.count()),
]  # fmt: skip


@pytest.fixture
def state(dispatch: SimpleNamespace) -> SimpleNamespace:
    today = dt.date.today()
    a, c = dispatch.projects["A"], dispatch.projects["C"]
    opened = Issue.objects.create(project=a, kind="land", content="A 新", raised_on=today)
    late = Issue.objects.create(
        project=a, kind="land", content="A 逾期", raised_on=today - dt.timedelta(days=60),
        status="assigned", deadline=today - dt.timedelta(days=30),
    )  # fmt: skip
    assigned = Issue.objects.create(
        project=c, kind="works", content="C 交办", raised_on=today, status="assigned",
        deadline=today + dt.timedelta(days=30),
    )  # fmt: skip
    ids = {"open_a": opened.pk, "assigned_a": late.pk, "assigned_c": assigned.pk}
    department = get_user_model().objects.create_user(username="dept-stat", password="pw")
    Membership.objects.create(user=department, role=Role.DEPARTMENT, department="统计局")
    return SimpleNamespace(
        pk=0, objection_ids=ids, users={**dispatch.users, "dept-stat": department}
    )


NAMES = [f"{row.method} {row.path} {row.data.get('to') or ''}" for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=NAMES)
def test_each_dispatch_role_gets_through_exactly_where_the_registry_matrix_says(
    row: Row, state: SimpleNamespace
) -> None:
    problems = [p for role in ROLES if (p := _check(row, role, state.users, state, ""))]
    assert problems == []
