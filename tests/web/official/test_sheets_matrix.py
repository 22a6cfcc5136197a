"""The departments' sheets' pages x every role, official accounts included (see
tests/web/test_pages_matrix.py for how a row is checked): a department its own sheet only, a
county its own form and disputes, the city office the list, the review and the answers.

The state: 2024 (official) is open; 统计局's sheet is a draft with every figure given,
生态环境局's is submitted; 修武县 has disputed 生态环境局's 空气质量优良天数比例 (open)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.test_pages_matrix import ANON, REVIEWERS, Row, _check
from tests.web.workflow import demo_figures

from kaoping.web.collection.models import Period
from kaoping.web.official import sheets
from kaoping.web.official.models import DepartmentSheet, Dispute, Review

from .sheet_data import ECO_FIGURES, STAT, fill_sheet, workbook

ROLES_OFFICIAL = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822",
                  "county-410823", "dept-stat", "dept-eco"]  # fmt: skip
DEPARTMENTS = {"dept-stat", "dept-eco"}
COUNTIES = {"county-410821", "county-410822", "county-410823"}
EVERYONE = REVIEWERS | COUNTIES | DEPARTMENTS | {"viewer"}
ECO = "/official/2024/sheets/生态环境局/"


def _of(department: str, field: str) -> Any:
    return lambda: getattr(DepartmentSheet.objects.get(department=department), field)


def _stat_workbook() -> Any:
    """统计局's own workbook with 修武县's GDP changed (cell C4)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="dept-stat")
    sheet = DepartmentSheet.objects.get(department="统计局")
    return SimpleUploadedFile("统计局.xlsx", workbook(user, sheet, {"C4": 301.5}))


ROWS = [
    Row("home", "GET", "/", EVERYONE, ok=(200, 302)),  # a department: to its sheet
    Row("collect", "GET", "/collect/2024/", COUNTIES),  # with the supplied figures, read-only
    Row("sheet", "GET", "/official/2024/sheet/", DEPARTMENTS),  # each its own
    Row("sheet", "POST", "/official/2024/sheet/", {"dept-stat"},  # 生态环境局's: submitted
        {"version": "0", "410821.gdp": "300"}, _of("统计局", "version")),
    Row("sheet-template", "GET", "/official/2024/sheet/template.xlsx", DEPARTMENTS),
    Row("sheet-upload", "POST", "/official/2024/sheet/upload/", {"dept-stat"},
        {"version": "0", "file": _stat_workbook}, _of("统计局", "version")),
    Row("sheet-submit", "POST", "/official/2024/sheet/submit/", {"dept-stat"},
        {"confirm": "yes"}, _of("统计局", "status")),
    Row("sheets", "GET", "/official/2024/sheets/", REVIEWERS),
    Row("sheet-review", "GET", ECO, REVIEWERS),
    Row("sheet-review", "GET", "/official/2024/sheets/统计局/", REVIEWERS),
    Row("sheet-review", "POST", ECO, REVIEWERS, {"decision": "approve"},
        _of("生态环境局", "status")),
    Row("sheet-review", "POST", ECO, REVIEWERS, {"decision": "return", "comment": "请核实"},
        _of("生态环境局", "status")),
    Row("dispute", "POST", "/official/2024/dispute/", COUNTIES,  # each about its own figure
        {"indicator": "pm25", "text": "偏高"}, lambda: Dispute.objects.count()),
    Row("dispute-answer", "POST", "/official/2024/disputes/{dispute}/answer/", REVIEWERS,
        {"answer": "无误"}, lambda: Dispute.objects.get(indicator="good_air_days").status),
]  # fmt: skip


@pytest.fixture
def state(official_users: dict[str, Any], official_periods: dict[str, Period]) -> Any:
    period = official_periods["2024"]
    stat = {
        code: {k: v for k, v in demo_figures(code).items() if k in STAT and v is not None}
        for code in ("410821", "410822", "410823")
    }
    fill_sheet(period, "统计局", stat)
    fill_sheet(period, "生态环境局", ECO_FIGURES, status=Review.SUBMITTED)
    dispute = sheets.dispute_raise(
        actor=official_users["county-410821"], period=period, indicator="good_air_days",
        text="应为 73",
    )  # fmt: skip
    return SimpleNamespace(pk=0, objection_ids={"dispute": dispute.pk})


def _name(row: Row) -> str:
    """The row's test id: a callable value (a workbook made in the test) by its name, never
    its address, which differs between processes and so between pytest-xdist's workers."""
    data = {k: v.__name__ if callable(v) else v for k, v in row.data.items()}
    return f"{row.method} {row.path} {data}"


@pytest.mark.parametrize("row", ROWS, ids=[_name(r) for r in ROWS])
def test_each_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Any, official_users: dict[str, Any]
) -> None:
    problems = [
        p for role in ROLES_OFFICIAL if (p := _check(row, role, official_users, state, "announced"))
    ]
    assert problems == []
