"""Fixtures of the official period's tests: 2024 under the bundled official example
(county_hqd_official) for three counties of Jiaozuo — 修武县 and 博爱县 (非重点生态功能区),
武陟县 (重点生态功能区) — and two department accounts: 统计局 (the statistics bureau, owner of
most economic indicators) and 生态环境局 (owner of the air and water indicators, allowed to
propose the penalty item ``criticised``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kaoping.web.collection.models import Membership, Period, Role, Unit
from kaoping.web.official.models import Department

OFFICIAL = "county_hqd_official"


def _user(name: str, role: Role, **kwargs: Any) -> Any:
    user = get_user_model().objects.create_user(username=name, password="pw")
    Membership.objects.create(user=user, role=role, **kwargs)
    return user


@pytest.fixture
def official_units(units: dict[str, Unit]) -> dict[str, Unit]:
    units["410823"] = Unit.objects.create(code="410823", name="武陟县", category="重点生态功能区")
    return units


@pytest.fixture
def official_periods(db: Any) -> dict[str, Period]:
    last = Period.objects.create(code="2023", methodology=OFFICIAL, status="closed")
    this = Period.objects.create(code="2024", methodology=OFFICIAL, status="open", previous=last)
    return {"2023": last, "2024": this}


@pytest.fixture
def official_users(users: dict[str, Any], official_units: dict[str, Unit]) -> dict[str, Any]:
    """The ``users`` fixture's accounts, 武陟县's county account and two departments'."""
    Department.objects.create(name="统计局", rules=[])
    Department.objects.create(name="生态环境局", rules=["criticised"])
    return {
        **users,
        "county-410823": _user("county-410823", Role.COUNTY, unit=official_units["410823"]),
        "dept-stat": _user("dept-stat", Role.DEPARTMENT, department="统计局"),
        "dept-eco": _user("dept-eco", Role.DEPARTMENT, department="生态环境局"),
    }
