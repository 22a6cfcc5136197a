"""The parks' pages x every role (see ``tests/web/test_pages_matrix.py`` for how a row is
checked).

The state is ``park_state`` of :mod:`.test_park_pages`: 2023 published, 2024 computed (not
published), 2025 a draft; P1 and P4 in 修武县 (410821), P2 in 博爱县 (410822), P3 outside the
city; P4 is rated in 2024 only.  The office does everything; a published year is everybody's;
before publication a county sees the league's rows and the pages of the parks it hosts
(``test_park_pages`` checks which rows); a draft is the office's.
"""

from __future__ import annotations

import importlib.util
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests.web.test_pages_matrix import Row, _check

from kaoping.web.parks.models import Park, ParkValue, ParkYear

from .test_park_import import REGISTRY, registry_file
from .test_park_pages import park_state  # noqa: F401  (the fixture)

ROLES = ["anonymous", "admin", "analyst", "viewer", "county-410821", "county-410822"]
REVIEWERS = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822"}
EVERYONE = REVIEWERS | COUNTIES | {"viewer"}


def _registry() -> Any:
    """The registry with a fifth park, P5 in 博爱县."""
    frame = REGISTRY.head(1).assign(code="P5", name="博爱县高新区", county_code="410822")
    return registry_file(frame)


def _values() -> Any:
    """2025's sheet of figures (the office's download) with P1's first figure 99."""
    from django.contrib.auth import get_user_model

    from kaoping.web.parks import ratings

    office = get_user_model().objects.get(username="analyst")
    year = ParkYear.objects.get(year=2025)
    book = load_workbook(io.BytesIO(ratings.values_template(actor=office, year=year)))
    book[ratings.VALUES_SHEET]["E2"] = 99
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("园区指标-2025.xlsx", out.getvalue())


def _p1_2025() -> Any:
    return lambda: (
        ParkValue.objects.filter(
            year__year=2025, park__code="P1", indicator="lead_investment_growth"
        )
        .values_list("value", flat=True)
        .first()
    )


def _year(year: int, what: str) -> Any:
    return lambda: ParkYear.objects.filter(year=year).values_list(what, flat=True).first()


ROWS = [
    Row("parks", "GET", "/parks/", EVERYONE, ok=(200, 302)),
    Row("park-years", "GET", "/parks/years/", REVIEWERS),
    Row("park-years", "POST", "/parks/years/", REVIEWERS, {"year": "2026"},
        lambda: ParkYear.objects.count()),
    Row("park-registry", "GET", "/parks/registry.xlsx", REVIEWERS),
    Row("park-registry-upload", "POST", "/parks/registry/upload/", REVIEWERS,
        {"file": _registry}, lambda: Park.objects.count()),
    Row("park-league", "GET", "/parks/2023/", EVERYONE),
    Row("park-league", "GET", "/parks/2023/?kind=产业集聚区&city=1", EVERYONE),
    # computed, not published: a county its own parks' rows (test_park_pages), no viewer
    Row("park-league", "GET", "/parks/2024/", REVIEWERS | COUNTIES),
    Row("park-league", "GET", "/parks/2025/", REVIEWERS),
    Row("park-league", "GET", "/parks/1999/", set()),
    Row("park-league-xlsx", "GET", "/parks/2023/league.xlsx", EVERYONE),
    Row("park-league-xlsx", "GET", "/parks/2024/league.xlsx", REVIEWERS | COUNTIES),
    Row("park-values", "GET", "/parks/2024/values.xlsx", REVIEWERS),
    Row("park-values", "GET", "/parks/2025/values.xlsx", REVIEWERS),
    Row("park-values-upload", "POST", "/parks/2025/values/upload/", REVIEWERS,
        {"file": _values}, _p1_2025()),
    Row("park-year-compute", "POST", "/parks/2025/compute/", REVIEWERS, {}, _year(2025, "status")),
    Row("park-year-compute", "POST", "/parks/2023/compute/", set(), {}, _year(2023, "status")),
    Row("park-year-publish", "POST", "/parks/2024/publish/", REVIEWERS, {},
        _year(2024, "status")),
    Row("park-year-publish", "POST", "/parks/2025/publish/", set(), {}, _year(2025, "status")),
    Row("park", "GET", "/parks/p/P1/", EVERYONE),
    Row("park", "GET", "/parks/p/P3/?year=2023", EVERYONE),
    Row("park", "GET", "/parks/p/P4/", REVIEWERS | {"county-410821"}),
    Row("park", "GET", "/parks/p/NOPE/", set()),
]  # fmt: skip

NAMES = [f"{row.method} {row.path}" for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=NAMES)
def test_each_role_gets_through_exactly_where_the_parks_matrix_says(
    row: Row,
    park_state: SimpleNamespace,  # noqa: F811
) -> None:
    if (
        row.name == "park-year-compute"
        and importlib.util.find_spec("kaoping.scoring.stars") is None
    ):
        pytest.skip("the star rule (kaoping.scoring.stars) is not merged yet")
    problems = [p for role in ROLES if (p := _check(row, role, park_state.users, park_state, ""))]
    assert problems == []
