"""The judges' scores pages x every role, official accounts included (see
tests/web/test_pages_matrix.py for how a row is checked): the city office only."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.test_pages_matrix import ANON, REVIEWERS, Row, _check

from kaoping.web.official.models import JudgedScore

from .test_judged import _sheet
from .test_judged import period as period  # the fixture

ROLES_OFFICIAL = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "county-410823", "dept-stat", "dept-eco"]  # fmt: skip


def _count() -> int:
    return JudgedScore.objects.count()


def _upload() -> Any:
    from django.contrib.auth import get_user_model

    from kaoping.web.collection.models import Period

    analyst = get_user_model().objects.get(username="analyst")
    return SimpleUploadedFile("评议.xlsx", _sheet(analyst, Period.objects.get(code="2024")))


ROWS = [
    Row("judged", "GET", "/official/2024/judged/", REVIEWERS),
    Row("judged-template", "GET", "/official/2024/judged.xlsx", REVIEWERS),
    Row("judged-upload", "POST", "/official/2024/judged/upload/", REVIEWERS,
        {"file": _upload}, _count),
    Row("judged-enter", "POST", "/official/2024/judged/enter/", REVIEWERS,
        {"unit": "410821", "judge": "张三", "score-0": "50", "score-1": "30"}, _count),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.method} {r.path}" for r in ROWS])
def test_each_role_gets_through_exactly_where_the_matrix_says(
    row: Row, period: Any, official_users: dict[str, Any]
) -> None:
    state = SimpleNamespace(pk=0, objection_ids={})
    problems = [
        p for role in ROLES_OFFICIAL if (p := _check(row, role, official_users, state, "announced"))
    ]
    assert problems == []
