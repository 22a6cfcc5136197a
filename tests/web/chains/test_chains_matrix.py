"""The chains pages, exports and actions x every role (see ``tests/web/test_pages_matrix.py``
for how a row is checked).

The state: ``chains`` (the chain NE stored by the office; S1 a signing of 修武县 410821).  The
office does everything; counties see every panorama, gap list and the signings' summary, and
record and advance their own county's signings; viewers see the panoramas, gap lists and the
summary; project owners, judges and departments nothing.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.test_pages_matrix import Row, _check

from kaoping.web.chains.models import Rules, Signing
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects.models import Project

from .conftest import CHAIN_ROLES, small_book

OFFICE = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822"}
SEEING = OFFICE | COUNTIES | {"viewer"}
XIUWU = OFFICE | {"county-410821"}


def _workbook() -> Any:
    from kaoping.chains import write_book

    book = small_book()
    book.chains.loc[0, "name"] = "新能源电池（改）"
    return SimpleUploadedFile("产业链.xlsx", write_book(book))


def _signings() -> int:
    return Signing.objects.count()


def _stage() -> object:
    return Project.objects.get(code="S1").fulfilled_on


def _imports() -> int:
    return AuditEvent.objects.filter(action="chains.import").count()


SIGN = {"name": "电池回收项目", "investor": "某回收公司", "amount": "5000",
        "signed_on": "2026-06-01", "node": "D1", "origin": "省内"}  # fmt: skip

ROWS = [
    Row("chains", "GET", "/chains/", SEEING),
    Row("chain", "GET", "/chains/NE/", SEEING),
    Row("chain", "GET", "/chains/NE/?county=410822", SEEING),
    Row("chain", "GET", "/chains/NOPE/", set()),
    Row("chain-node", "GET", "/chains/node/M1/", SEEING),
    Row("chain-node", "GET", "/chains/node/M1/?county=410821", SEEING),
    Row("chains-gaps", "GET", "/chains/gaps/", SEEING),
    Row("chains-gaps", "GET", "/chains/gaps/?county=410821", SEEING),
    Row("chains-gaps-export", "GET", "/chains/gaps.xlsx", SEEING),
    Row("signings", "GET", "/chains/signings/", SEEING),
    Row("signings-export", "GET", "/chains/signings.xlsx", SEEING),
    Row("signing-new", "GET", "/chains/signings/new/", OFFICE | COUNTIES),
    Row("signing-new", "POST", "/chains/signings/new/", OFFICE | COUNTIES,
        {**SIGN, "county": "410821"}, _signings),
    Row("signing", "GET", "/chains/signings/S1/", XIUWU),
    Row("signing-advance", "POST", "/chains/signings/S1/advance/", XIUWU,
        {"stage": "fulfilled", "on": "2026-04-01"}, _stage),
    Row("chains-import", "GET", "/chains/import/", OFFICE),
    Row("chains-import", "POST", "/chains/import/", OFFICE, {"file": _workbook}, _imports),
    Row("chains-workbook", "GET", "/chains/workbook.xlsx", OFFICE),
    Row("chains-workbook", "GET", "/chains/workbook.xlsx?template=1", OFFICE),
    Row("chains-rules", "GET", "/chains/rules/", OFFICE),
    Row("chains-rules", "POST", "/chains/rules/", OFFICE,
        {"missing_below": "1", "weak_below": "2", "weak_share_pct": "3"},
        lambda: list(Rules.objects.values_list("weak_below", flat=True))),
]  # fmt: skip


@pytest.fixture
def state(chains: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(pk=0, objection_ids={}, users=chains.users)


NAMES = [f"{row.method} {row.path}" for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=NAMES)
def test_each_role_gets_through_exactly_where_the_chains_matrix_says(
    row: Row, state: SimpleNamespace
) -> None:
    problems = [p for role in CHAIN_ROLES if (p := _check(row, role, state.users, state, ""))]
    assert problems == []


def test_a_county_records_for_its_own_county_whatever_the_form_says(
    state: SimpleNamespace, client_for: Any
) -> None:
    client = client_for("county-410822")
    client.post("/chains/signings/new/", {**SIGN, "county": "410821"})
    assert Signing.objects.get(project__name="电池回收项目").county.code == "410822"
