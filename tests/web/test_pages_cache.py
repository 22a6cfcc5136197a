"""The published pages' cache (kaoping.web.results.pages): a published assessment's table, map,
profiles and exports are built once and served from the cache, the same bytes for everyone;
what varies per user stays out of it; an assessment not yet published is never cached."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import caches

from kaoping.web.collection.models import Period, Unit
from kaoping.web.results import pages
from kaoping.web.results.models import Assessment

RESULTS = [
    {"unit": "410821", "name": "修武县", "category": "A", "score": 70.25, "rank": 1,
     "category_rank": 1, "tier": "第一方阵", "dimensions": {"economy": 60.0}},
    {"unit": "410822", "name": "博爱县", "category": "A", "score": 60.5, "rank": 2,
     "category_rank": 2, "tier": "第二方阵", "dimensions": {"economy": 50.0}},
]  # fmt: skip
TABLE = re.compile(r'<p class="sort-links">.*?</table>', re.S)
PAGES = ("/results/2024/", "/results/2024/map/", "/results/2024/unit/410821/")


def _assessment(period: Period, status: str) -> Assessment:
    until = dt.date.today() + dt.timedelta(days=3) if status == "announced" else None
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status=status, inputs={},
        inputs_hash="f" * 64, results=RESULTS, objections_until=until,
    )  # fmt: skip


def _rescore(assessment: Assessment) -> None:
    """Change the stored score of 修武县 behind the pages' back (raw update)."""
    changed = [dict(RESULTS[0], score=12.75), RESULTS[1]]
    Assessment.objects.filter(pk=assessment.pk).update(results=changed)


def _keys() -> int:
    """How many entries the cache holds (the tests' cache is in memory)."""
    return len(caches[pages.CACHE]._cache)  # type: ignore[attr-defined]


def test_a_published_page_comes_from_the_cache_the_same_bytes_for_everyone(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published")
    viewer, county = client_for("viewer"), client_for("county-410822")
    first = {path: viewer.get(path).content.decode() for path in PAGES}
    assert _keys() == 3  # the table, the map, the profile
    _rescore(assessment)  # a published assessment never changes: the cache need not look
    for path in PAGES:
        again = county.get(path).content.decode()
        assert "70.25" in again, path
        assert "12.75" not in again, path
    table = TABLE.search(first["/results/2024/"])
    assert table is not None
    assert table.group() == TABLE.search(county.get("/results/2024/").content.decode()).group()
    assert _keys() == 3  # nothing built twice


def test_what_varies_per_user_is_not_in_the_cache(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published")
    viewer = client_for("viewer").get("/results/2024/").content.decode()
    analyst = client_for("analyst").get("/results/2024/").content.decode()
    # each page has its own user's name and form token, and the analyst's actions
    assert "<span>viewer</span>" in viewer
    assert "<span>analyst</span>" in analyst
    assert 'value="verify"' in analyst
    assert 'value="verify"' not in viewer
    # and the cached part carries neither a name nor a token
    part = pages.league(assessment, None, sort="rank", category="", pinned=False,
                        linked=lambda code: True)  # fmt: skip
    for value in part.values():
        text = str(value)
        assert "csrfmiddlewaretoken" not in text
        assert "viewer" not in text
        assert "analyst" not in text


@pytest.mark.parametrize("status", ["computed", "announced"])
def test_an_assessment_not_yet_published_is_never_cached(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit], status: str
) -> None:
    assessment = _assessment(periods["2024"], status)
    analyst = client_for("analyst")
    for path in PAGES:
        assert "70.25" in analyst.get(path).content.decode(), path
    _rescore(assessment)  # its figures may still change: the pages show the change at once
    for path in PAGES:
        again = analyst.get(path).content.decode()
        assert "12.75" in again, path
        assert "70.25" not in again, path
    assert _keys() == 0


def test_a_county_sees_only_its_own_profile_link_while_announced(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "announced")
    links = re.compile(r'href="/results/2024/unit/(\d+)/')
    first = client_for("county-410821").get("/results/2024/").content.decode()
    second = client_for("county-410822").get("/results/2024/").content.decode()
    assert links.findall(first) == ["410821"]
    assert links.findall(second) == ["410822"]


def test_a_second_publication_of_the_previous_period_changes_the_rank_change(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    before = [dict(RESULTS[0], rank=2), dict(RESULTS[1], rank=1)]
    Assessment.objects.create(
        period=periods["2023"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="1" * 64, results=before,
    )  # fmt: skip
    _assessment(periods["2024"], "published")
    viewer = client_for("viewer")
    assert "↑1" in viewer.get("/results/2024/").content.decode()
    Assessment.objects.create(  # 2023 published again, the same order as 2024's
        period=periods["2023"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="2" * 64, results=RESULTS,
    )  # fmt: skip
    again = viewer.get("/results/2024/").content.decode()
    assert "↑1" not in again
    assert len(re.findall(r'<td class="change"[^>]*>=</td>', again)) == 2  # both unchanged


def test_changing_a_units_english_name_in_the_admin_empties_the_cache(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    from django.contrib.auth import get_user_model

    _assessment(periods["2024"], "published")
    viewer = client_for("viewer")
    viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "修武县" in viewer.get("/results/2024/").content.decode()
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client = client_for("")
    client.client.force_login(admin)
    unit = units["410821"]
    form = {"code": unit.code, "name": unit.name, "name_en": "Xiuwu County",
            "category": unit.category}  # fmt: skip
    response = client.post(f"/admin/collection/unit/{unit.pk}/change/", form)
    assert response.status_code == 302
    assert "Xiuwu County" in viewer.get("/results/2024/").content.decode()
