"""The targets pages x every role, official accounts included (see tests/web/test_pages_matrix.py
for how a row is checked): the city office issues and corrects targets; a county reads its own
on its form (of the official period), a department and a viewer neither."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tests.web.test_pages_matrix import ANON, REVIEWERS, Row, _check

from kaoping.web.collection.models import Period, Unit
from kaoping.web.official.models import Target

from .targetbook import GDP, as_file, download, put

ROLES_OFFICIAL = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "county-410823", "dept-stat", "dept-eco"]  # fmt: skip
COUNTIES = {"county-410821", "county-410822", "county-410823"}


def _targets() -> tuple[tuple[str, str, float], ...]:
    """Every target of 2024."""
    return tuple(
        Target.objects.filter(period__code="2024")
        .order_by("unit__code", "indicator")
        .values_list("unit__code", "indicator", "value")
    )


def _workbook() -> Any:
    """The 2024 targets workbook with 武陟县's GDP growth target filled in."""
    from django.contrib.auth import get_user_model

    analyst = get_user_model().objects.get(username="analyst")
    book = download(analyst, Period.objects.get(code="2024"))
    put(book["目标值"], "410823", f"{GDP}目标值", 7.5)
    return as_file(book)


ROWS = [
    Row("targets", "GET", "/official/2024/targets/", REVIEWERS),
    Row("targets", "GET", "/official/2024/targets/?unit=410821&indicator=gdp_growth", REVIEWERS),
    Row("targets-workbook", "GET", "/official/2024/targets.xlsx", REVIEWERS),
    Row("targets-upload", "POST", "/official/2024/targets/upload/", REVIEWERS,
        {"file": _workbook}, _targets),
    Row("target-set", "POST", "/official/2024/targets/set/", REVIEWERS,
        {"unit": "410821", "indicator": "gdp_growth", "value": "7", "reason": "按省下达"},
        _targets),
    # a county's own targets: on its form of the official period, its own only
    Row("collect", "GET", "/collect/2024/", COUNTIES),
]  # fmt: skip


@pytest.fixture
def state(official_users: dict[str, Any], official_periods: dict[str, Period]) -> Any:
    """2024 (open, official) with 修武县's GDP growth target 6.5."""
    Target.objects.create(
        period=official_periods["2024"], unit=Unit.objects.get(code="410821"),
        indicator="gdp_growth", value=6.5,
    )  # fmt: skip
    return SimpleNamespace(pk=0, objection_ids={})


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.method} {r.path}" for r in ROWS])
def test_each_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Any, official_users: dict[str, Any]
) -> None:
    problems = [
        p for role in ROLES_OFFICIAL if (p := _check(row, role, official_users, state, "announced"))
    ]
    assert problems == []
