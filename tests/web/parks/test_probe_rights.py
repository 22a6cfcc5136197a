"""The workbooks say no more than the pages: a county's results.xlsx of a closed (unpublished)
event holds its own row and no judge's column; before the close a judge gets no workbook; a
county's league.xlsx of a computed (unpublished) year holds the parks it hosts only.

The states are :func:`tests.web.parks.test_organiser_matrix.build`'s (2026-q1 open, 2026-q2
closed, 2026-q3 published) and :func:`tests.web.parks.test_park_pages.park_state`'s (2024
computed; 修武县 410821 hosts 修武县产业集聚区 and 修武县专业园区).
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.web.parks.test_organiser_matrix import build
from tests.web.parks.test_park_pages import park_state  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _cells(user: Any, path: str) -> list[list[Any]]:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for sheet in book for row in sheet.iter_rows(values_only=True)]


def _text(rows: list[list[Any]]) -> str:
    return " ".join(str(c) for row in rows for c in row if c is not None)


def test_a_countys_results_workbook_before_publication_is_its_own_row(users: Any) -> None:
    state = build(users)
    county, judge = state["county-410821"], state["j1"]
    mine = _text(_cells(county, "/parks/observation/2026-q2/results.xlsx"))
    assert "修武县" in mine
    for other in ("博爱县", "解放区", "中站区", "j1", "j2", "j5"):
        assert other not in mine
    everything = _text(_cells(judge, "/parks/observation/2026-q2/results.xlsx"))
    assert "博爱县" in everything  # the event's judges see every row once it is closed
    published = _text(_cells(county, "/parks/observation/2026-q3/results.xlsx"))
    assert "博爱县" in published
    for user in (judge, county):
        client = Client()
        client.force_login(user)
        assert client.get("/parks/observation/2026-q1/results.xlsx").status_code in (403, 404)


def test_a_countys_league_workbook_before_publication_is_its_own_parks(
    park_state: SimpleNamespace,  # noqa: F811
) -> None:
    text = _text(_cells(park_state.users["county-410821"], "/parks/2024/league.xlsx"))
    assert "修武县产业集聚区" in text
    assert "修武县专业园区" in text
    assert "博爱县产业集聚区" not in text
    assert "郑州高新区" not in text
