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


def _keys(*kinds: str) -> int:
    """How many entries the cache holds (the tests' cache is in memory), of these kinds
    (``league``, ``league-page`` …; all without)."""
    keys = caches[pages.CACHE]._cache  # type: ignore[attr-defined]
    return sum(1 for k in keys if not kinds or k.split(":")[3] in kinds)


def test_a_published_page_comes_from_the_cache_the_same_bytes_for_everyone(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published")
    viewer, county = client_for("viewer"), client_for("county-410822")
    first = {path: viewer.get(path).content.decode() for path in PAGES}
    assert _keys("league", "map", "profile") == 3  # the table, the map, the profile
    assert _keys("league-page", "map-page", "profile-page") == 3  # and the whole pages
    _rescore(assessment)  # a published assessment never changes: the cache need not look
    for path in PAGES:
        again = county.get(path).content.decode()
        assert "70.25" in again, path
        assert "12.75" not in again, path
    table = TABLE.search(first["/results/2024/"])
    assert table is not None
    assert table.group() == TABLE.search(county.get("/results/2024/").content.decode()).group()
    assert _keys("league", "map", "profile") == 3  # nothing built twice
    # the county's header has other links: its own whole pages, of the same parts
    assert _keys("league-page", "map-page", "profile-page") == 6


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


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_kept_page_carries_each_readers_name_and_a_form_token_that_works(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kaoping.web.collection.models import Membership, Role

    _assessment(periods["2024"], "published")
    second = get_user_model().objects.create_user(username="leader.b", password="pw")
    Membership.objects.create(user=second, role=Role.VIEWER)
    for path in PAGES:
        first = client_for("viewer").get(path).content.decode()
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(second)
        page = browser.get(path).content.decode()
        assert "<span>leader.b</span>" in page, path
        assert "viewer" not in page, path
        assert "<span>viewer</span>" in first, path
        assert pages.USER not in page, path
        assert pages.TOKEN not in page, path
        # the page's log-out form token is the reader's: the log-out is accepted
        tokens = set(TOKEN.findall(page))
        assert len(tokens) == 1, path
        response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens.pop()})
        assert response.status_code == 302, path
        assert "_auth_user_id" not in browser.session
    assert _keys("league-page", "map-page", "profile-page") == 3  # one page each, for both


def test_a_page_with_a_message_to_show_is_rendered_for_its_reader(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published")
    county = client_for("county-410821")
    path = f"/results/2024/?assessment={assessment.pk}"
    assert county.get(path).status_code == 200  # kept
    assert _keys("league-page") == 1
    # an objection to a published ranking is refused: the page it returns to says why
    form = {"assessment": assessment.pk, "text": "有误"}
    response = county.post("/results/2024/objection/", form, follow=True)
    assert response.redirect_chain[-1][0] == path
    said = response.content.decode()
    assert '<ul class="messages">' in said
    again = county.get(path).content.decode()  # said once; then the kept page
    assert '<ul class="messages">' not in again
    assert _keys("league-page") == 1


def test_a_countys_objection_is_shown_on_its_own_page_only(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    from kaoping.web.results.models import Objection

    assessment = _assessment(periods["2024"], "published")
    Objection.objects.create(assessment=assessment, unit=units["410821"], text="第三项有误")
    mine = client_for("county-410821").get("/results/2024/").content.decode()
    other = client_for("county-410822").get("/results/2024/").content.decode()
    viewer = client_for("viewer").get("/results/2024/").content.decode()
    assert "第三项有误" in mine
    assert "第三项有误" not in other
    assert "第三项有误" not in viewer
    assert _keys("league-page") == 2  # the other county's and the viewer's, not the first's


def test_a_query_of_no_results_page_is_answered_but_not_kept(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published")
    viewer = client_for("viewer")
    for n in range(3):
        response = viewer.get(f"/results/2024/?utm={n}")
        assert response.status_code == 200
        assert "70.25" in response.content.decode()
    assert _keys("league-page") == 0
    assert viewer.get("/results/2024/?sort=score").status_code == 200
    assert _keys("league-page") == 1


def test_a_kept_page_costs_two_queries(
    client_for: Any,
    periods: dict[str, Period],
    units: dict[str, Unit],
    django_assert_num_queries: Any,
) -> None:
    """The reader with their role (one query, kaoping.web.accounts.backends), the assessments
    they may see (one, shared with the header's links); the session comes from the cache."""
    _assessment(periods["2024"], "published")
    viewer = client_for("viewer")
    for path in PAGES:
        viewer.get(path)  # kept
        with django_assert_num_queries(2):
            assert viewer.get(path).status_code == 200
