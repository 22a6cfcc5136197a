"""The parks' pages: the league (stars, change, threshold, the city's summary line, a
county's own parks before publication), a park's page (star and rank history, its top-10
count, the thresholds met and missed, why), the office's years page.

The state (``park_state``), by hand: four parks — P1 修武县产业集聚区 (410821), P2
博爱县产业集聚区 (410822), P3 郑州高新区 (410102, outside the city), P4 修武县专业园区
(410821, rated in 2024 only).  2023 is published: P3 No. 1 三星级, P1 No. 2 二星级, P2 No. 3
一星级.  2024 is computed, not published: P1 No. 1 三星级 (up), P3 No. 2 三星级, P2 No. 3 无星级
(demoted below the threshold), P4 No. 4 一星级 (new).  2025 is a draft.  The city (the
platform's units: 4108xx) has P1, P2 and P4.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from kaoping.web.parks.models import Park, ParkRating, ParkValue, ParkYear

pytestmark = pytest.mark.django_db

PARKS = [
    ("P1", "修武县产业集聚区", "产业集聚区", "410821", "修武县"),
    ("P2", "博爱县产业集聚区", "产业集聚区", "410822", "博爱县"),
    ("P3", "郑州高新区", "高新区", "410102", "中原区"),
    ("P4", "修武县专业园区", "专业园区", "410821", "修武县"),
]
# year -> park -> (score, rank, star, previous, change, gate)
RATINGS = {
    2023: {"P3": (88.0, 1, 3, None, "new", True), "P1": (80.0, 2, 2, None, "new", True),
           "P2": (70.0, 3, 1, None, "new", True)},
    2024: {"P1": (90.0, 1, 3, 2, "up", True), "P3": (86.0, 2, 3, 3, "same", True),
           "P2": (50.0, 3, 0, 1, "demoted", False), "P4": (45.0, 4, 1, None, "new", True)},
}  # fmt: skip


def _indicators() -> list[Any]:
    from kaoping.methodology import load

    try:
        return list(load("park_hqd").scored_indicators)
    except Exception:  # the engine's methodology not there yet
        return []


def figure(park: str, indicator: int, year: int) -> float:
    """A plausible figure, different per park, indicator and year."""
    return round(10.0 + 7.0 * int(park[1]) + 3.0 * indicator + (year - 2023), 2)


@pytest.fixture
def park_state(users: dict[str, Any]) -> SimpleNamespace:
    parks = {
        code: Park.objects.create(code=code, name=name, kind=kind, county_code=county,
                                  county_name=county_name, industries="装备制造", area_km2=20.0)
        for code, name, kind, county, county_name in PARKS
    }  # fmt: skip
    years = {
        2023: ParkYear.objects.create(year=2023, status=ParkYear.Status.PUBLISHED),
        2024: ParkYear.objects.create(year=2024, status=ParkYear.Status.COMPUTED),
        2025: ParkYear.objects.create(year=2025),
    }
    for year, rows in RATINGS.items():
        for code, (score, rank, star, previous, change, gate) in rows.items():
            ParkRating.objects.create(
                year=years[year], park=parks[code], score=score, rank=rank, star=star,
                eligible=star, previous=previous, change=change, gate=gate,
                reason_zh=f"{code} {year} 年的理由", reason_en=f"why {code} in {year}",
            )  # fmt: skip
    indicators = _indicators()
    for year in (2023, 2024, 2025):
        for code in ("P1", "P2", "P3", "P4"):
            if year == 2023 and code == "P4":
                continue
            for k, ind in enumerate(indicators):
                ParkValue.objects.create(year=years[year], park=parks[code], indicator=ind.id,
                                         value=figure(code, k, year))  # fmt: skip
    return SimpleNamespace(pk=0, objection_ids={}, users=users, parks=parks, years=years)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(user: Any, path: str) -> str:
    response = _client(user).get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_start_page_opens_the_latest_year_each_user_sees(park_state: Any) -> None:
    users = park_state.users
    assert _client(users["analyst"]).get("/parks/")["Location"] == "/parks/2024/"
    assert _client(users["county-410821"]).get("/parks/")["Location"] == "/parks/2024/"
    assert _client(users["viewer"]).get("/parks/")["Location"] == "/parks/2023/"


def test_without_a_published_year_the_start_page_says_there_is_none(users: Any) -> None:
    html = _html(users["viewer"], "/parks/")
    with translation.override("zh-hans"):  # the page's language, the default
        assert (
            gettext("No year of the parks' assessment (产业集聚区/开发区考核) is published yet.")
            in html
        )


def test_the_published_league_shows_every_park_with_stars_and_the_citys_summary(
    park_state: Any,
) -> None:
    """2023: the city's parks are P1 (No. 2) and P2 (No. 3): both in the top 20 and the top
    30, both 产业集聚区 -> "焦作市2家产业集聚区进入全省前20、2家进入第一方阵"."""
    html = _html(park_state.users["viewer"], "/parks/2023/")
    assert (
        html.index("郑州高新区") < html.index("修武县产业集聚区") < html.index("博爱县产业集聚区")
    )
    assert "★★★" in html
    assert "三星级" in html
    assert "二星级" in html
    assert "一星级" in html
    assert "焦作市2家产业集聚区进入全省前20、2家进入第一方阵" in html
    assert html.count('class="mine') == 2  # P1 and P2 highlighted, P3 not
    assert 'id="stars-data"' in html
    assert "vendor/echarts/echarts.min.js" in html


def test_the_league_filters_by_kind_and_to_the_citys_parks(park_state: Any) -> None:
    analyst = park_state.users["analyst"]
    html = _html(analyst, "/parks/2024/?kind=高新区")
    assert "郑州高新区" in html
    assert "修武县产业集聚区" not in html
    html = _html(analyst, "/parks/2024/?city=1")
    assert "郑州高新区" not in html
    assert "修武县专业园区" in html
    assert "博爱县产业集聚区" in html


def test_the_change_and_the_threshold_are_shown(park_state: Any) -> None:
    html = _html(park_state.users["analyst"], "/parks/2024/")
    assert "change-up" in html
    assert "change-demoted" in html
    assert "change-new" in html
    assert "below-gate" in html  # P2 under the 门槛


def test_before_publication_a_county_sees_only_the_parks_it_hosts(park_state: Any) -> None:
    users = park_state.users
    html = _html(users["county-410821"], "/parks/2024/")
    assert "修武县产业集聚区" in html
    assert "修武县专业园区" in html
    assert "博爱县产业集聚区" not in html
    assert "郑州高新区" not in html
    assert "进入全省前20" not in html  # no summary from a part of the league
    assert _client(users["viewer"]).get("/parks/2024/").status_code == 403


def test_a_parks_page_counts_its_top_ten_finishes_and_shows_its_history(park_state: Any) -> None:
    """P1: No. 2 in 2023 (published) for a viewer -> once in the top ten; the analyst also
    sees 2024 (No. 1) -> twice: "2次跻身全省前十"."""
    users = park_state.users
    html = _html(users["viewer"], "/parks/p/P1/")
    assert "1次跻身全省前十" in html
    assert "P1 2023 年的理由" in html
    assert "2024" not in html.split('id="park-data"')[1].split("</script>")[0]
    html = _html(users["analyst"], "/parks/p/P1/")
    assert "2次跻身全省前十" in html
    assert "P1 2024 年的理由" in html
    html = _html(users["analyst"], "/parks/p/P1/?year=2023")
    assert "P1 2023 年的理由" in html


def test_a_park_rated_only_before_publication_is_its_countys_and_the_offices(
    park_state: Any,
) -> None:
    users = park_state.users
    assert _client(users["county-410821"]).get("/parks/p/P4/").status_code == 200
    assert _client(users["county-410822"]).get("/parks/p/P4/").status_code == 403
    assert _client(users["viewer"]).get("/parks/p/P4/").status_code == 403


def test_the_office_sees_every_year_with_its_status_and_next_step(park_state: Any) -> None:
    html = _html(park_state.users["analyst"], "/parks/years/")
    for url in (
        "/parks/2025/values.xlsx",
        "/parks/2025/values/upload/",
        "/parks/2025/compute/",
        "/parks/2024/publish/",
        "/parks/registry.xlsx",
        "/parks/registry/upload/",
    ):
        assert url in html, url
    assert "/parks/2023/compute/" not in html  # published: frozen
