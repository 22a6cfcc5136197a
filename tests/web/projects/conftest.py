"""A small dispatch (重点项目月调度) every test of the projects pages can start from.

``dispatch`` (a namespace):

- ``users``: the roles of the platform's fixtures (admin, analyst, viewer, county-410821,
  county-410822) plus ``owner-a``, a project-owner account (业主单位) that reports project A only;
- ``projects``: A and B in 修武县 (410821), C in 博爱县 (410822); A is a province key project
  with a special bond, started 2026-03;
- ``months``: 2026-10 closed (every project's report approved) and 2026-11 open with a deadline
  of 2026-12-10: A's report submitted, C's a draft, B's missing;
- ``reports``: (project code, month) -> Report.

Money in 万元.  A matrix test (``test_*matrix*.py`` here) reads its rows into
``tests/web/test_pages_matrix.py``'s check that every URL has a row.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kaoping.web.collection.models import Membership, Role, Unit
from kaoping.web.projects.models import DispatchMonth, Project, Report

D = dt.date
DISPATCH_ROLES = ["anonymous", "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "owner-a"]  # fmt: skip


@pytest.fixture
def dispatch(users: dict[str, Any], units: dict[str, Unit]) -> SimpleNamespace:
    owner = get_user_model().objects.create_user(username="owner-a", password="pw")
    Membership.objects.create(user=owner, role=Role.OWNER)
    a = Project.objects.create(
        code="A", name="新材料产业园", unit=units["410821"], key_level="省重点", industrial=True,
        total=120000.0, annual_plan=24000.0, bond=20000.0, planned_start=D(2026, 3, 1),
        actual_start=D(2026, 3, 20), stage="在建", longitude=113.2, latitude=35.23,
    )  # fmt: skip
    a.reporters.add(owner)
    b = Project.objects.create(
        code="B", name="物流园二期", unit=units["410821"], key_level="市重点", total=50000.0,
        annual_plan=12000.0, planned_start=D(2026, 2, 1), stage="前期",
    )  # fmt: skip
    c = Project.objects.create(
        code="C", name="污水处理厂", unit=units["410822"], key_level="市重点", total=30000.0,
        annual_plan=9000.0, planned_start=D(2026, 1, 1), actual_start=D(2026, 1, 10),
        stage="在建", longitude=112.95, latitude=35.17,
    )  # fmt: skip
    october = DispatchMonth.objects.create(
        month="2026-10", deadline=D(2026, 11, 10), status=DispatchMonth.Status.CLOSED
    )
    november = DispatchMonth.objects.create(month="2026-11", deadline=D(2026, 12, 10))
    approved = Report.Status.APPROVED
    reports = {
        ("A", "2026-10"): Report.objects.create(
            project=a, month=october, invested=2000.0, ytd=14000.0, since_start=14000.0,
            progress="主体结构完工", status=approved,
        ),
        ("B", "2026-10"): Report.objects.create(
            project=b, month=october, invested=0.0, ytd=0.0, since_start=0.0, status=approved
        ),
        ("C", "2026-10"): Report.objects.create(
            project=c, month=october, invested=800.0, ytd=7000.0, since_start=7000.0,
            status=approved,
        ),
        ("A", "2026-11"): Report.objects.create(
            project=a, month=november, invested=2500.0, ytd=16500.0, since_start=16500.0,
            progress="设备安装", status=Report.Status.SUBMITTED,
        ),
        ("C", "2026-11"): Report.objects.create(
            project=c, month=november, invested=600.0, ytd=7600.0, since_start=7600.0
        ),
    }  # fmt: skip
    return SimpleNamespace(
        users={**users, "owner-a": owner},
        projects={"A": a, "B": b, "C": c},
        months={"2026-10": october, "2026-11": november},
        reports=reports,
    )
