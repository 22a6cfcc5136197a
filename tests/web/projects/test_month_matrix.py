"""The monthly dispatch's pages (月调度) x every role (see ``tests/web/test_pages_matrix.py`` for
how a row is checked).

The state: the ``dispatch`` fixture of ``conftest.py`` (2026-10 closed; 2026-11 open with A's
report submitted, C's a draft, B's missing) and one photo on C's November draft, added by
博爱县 (410822).  Per status: ``as-is`` that state; ``reviewed`` A's November report approved
too, so that nothing awaits review and the office may close the month.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image
from tests.web.test_pages_matrix import ANON, Row, _check

from kaoping.web.projects import dispatch as svc
from kaoping.web.projects.models import DispatchMonth, Photo, Project, Report

from .conftest import DISPATCH_ROLES

REVIEWERS = {"admin", "analyst"}
FILLERS = {"county-410821", "county-410822", "owner-a"}  # reporting units while a month is open
STATUSES = ["as-is", "reviewed"]
assert DISPATCH_ROLES[0] == ANON


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buffer, "PNG")
    return SimpleUploadedFile("工地.png", buffer.getvalue())


def _sheet() -> SimpleUploadedFile:
    """November's sheet of project C with 650 万元 this month (C is 博爱县's, so only its
    account's upload saves anything)."""
    from kaoping.dispatch.sheets import monthly_template
    from kaoping.web.projects import frames

    book = load_workbook(
        io.BytesIO(monthly_template(frames.registry([Project.objects.get(code="C")]), "2026-11"))
    )
    sheet = book["月调度表"]
    column = next(c.column for c in sheet[1] if str(c.value).startswith("本月完成投资"))
    sheet.cell(2, column, 650)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("博爱县.xlsx", buffer.getvalue())


def _report(code: str, field: str = "invested") -> Any:
    return lambda: (
        Report.objects.filter(project__code=code, month__month="2026-11")
        .values_list(field, flat=True)
        .first()
    )


def _month_status(month: str) -> Any:
    found = DispatchMonth.objects.filter
    return lambda: found(month=month).values_list("status", flat=True).first()


SEE_A = REVIEWERS | {"county-410821", "owner-a"}
SEE_C = REVIEWERS | {"county-410822"}

ROWS = [
    Row("dispatch-months", "GET", "/projects/months/", REVIEWERS),
    Row("dispatch-month-open", "POST", "/projects/months/open/", REVIEWERS,
        {"month": "2026-12", "deadline": "2027-01-10"}, lambda: DispatchMonth.objects.count()),
    # A's report awaits review as-is: the month stays open for everyone
    Row("dispatch-month-close", "POST", "/projects/months/2026-11/close/",
        {"as-is": set(), "reviewed": REVIEWERS}, {}, _month_status("2026-11")),
    Row("dispatch-fill", "GET", "/projects/2026-11/fill/", REVIEWERS | FILLERS),
    Row("dispatch-fill", "GET", "/projects/2026-10/fill/", REVIEWERS),  # closed
    Row("dispatch-template", "GET", "/projects/2026-11/template.xlsx", REVIEWERS | FILLERS),
    Row("dispatch-template", "GET", "/projects/2026-10/template.xlsx", REVIEWERS),
    Row("dispatch-upload", "POST", "/projects/2026-11/upload/", {"county-410822"},
        {"file": _sheet}, _report("C")),
    Row("dispatch-review", "GET", "/projects/2026-11/review/", REVIEWERS),
    Row("report", "GET", "/projects/p/A/report/2026-11/", SEE_A),
    Row("report", "GET", "/projects/p/A/report/2026-10/", SEE_A),
    Row("report", "GET", "/projects/p/C/report/2026-11/", SEE_C),
    # C's draft: 博爱县 saves it; A's is submitted (no one changes it), B's is not 博爱县's
    Row("report", "POST", "/projects/p/C/report/2026-11/", {"county-410822"},
        {"invested": "650", "action": "save"}, _report("C")),
    Row("report", "POST", "/projects/p/A/report/2026-11/", set(),
        {"invested": "100", "action": "save"}, _report("A")),
    Row("report", "POST", "/projects/p/B/report/2026-11/", {"county-410821"},
        {"invested": "10", "action": "save"}, _report("B")),
    Row("report-decide", "POST", "/projects/p/A/report/2026-11/decide/", REVIEWERS,
        {"decision": "approve"}, _report("A", "status")),
    Row("report-decide", "POST", "/projects/p/A/report/2026-11/decide/", REVIEWERS,
        {"decision": "return", "comment": "请补充形象进度照片"}, _report("A", "status")),
    Row("report-photo", "POST", "/projects/p/C/report/2026-11/photo/", {"county-410822"},
        {"photo": _png}, lambda: Photo.objects.count()),
    Row("report-photo", "POST", "/projects/p/C/report/2026-11/photo/", {"county-410822"},
        {"delete": "{photo}"}, lambda: Photo.objects.count()),
    Row("photo", "GET", "/projects/photos/{photo}/", SEE_C),
    Row("photo-thumb", "GET", "/projects/photos/{photo}/thumb/", SEE_C),
]  # fmt: skip


@pytest.fixture
def state(
    dispatch: SimpleNamespace, settings: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    photo = svc.photo_add(
        actor=dispatch.users["county-410822"],
        project=dispatch.projects["C"],
        month=dispatch.months["2026-11"],
        upload=_png(),
    )
    if request.param == "reviewed":
        svc.report_approve(actor=dispatch.users["analyst"], report=dispatch.reports["A", "2026-11"])
    return SimpleNamespace(pk=0, objection_ids={"photo": photo.pk}, users=dispatch.users)


CASES = [(row, status) for row in ROWS
         for status in (STATUSES if isinstance(row.allowed, dict) else ["as-is"])]  # fmt: skip


def _name(row: Row, status: str) -> str:
    what = row.data.get("decision") or ("delete" if "delete" in row.data else "")
    return f"{row.method} {row.path} {what}[{status}]"


NAMES = [_name(row, status) for row, status in CASES]


@pytest.mark.parametrize(("row", "state"), CASES, ids=NAMES, indirect=["state"])
def test_each_dispatch_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Any, request: pytest.FixtureRequest
) -> None:
    status = request.node.callspec.params["state"]
    problems = [p for role in DISPATCH_ROLES if (p := _check(row, role, state.users, state,
                                                             status))]  # fmt: skip
    assert problems == []
