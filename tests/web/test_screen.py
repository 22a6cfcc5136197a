"""The leaders' screen (大屏, ``/results/<period>/screen/``): its data read from the stored
results -- the top ten in rank order, the biggest movers against the previous period's
published ranking, the first of each category, the awards, the city's units -- and the key
projects' headline of the latest closed month; a preview marked as a draft; the league page's
rules for who sees it.

The state is demo-like: fourteen of Henan's ranked counties (Jiaozuo's six and eight of other
cities, named as the bundled divisions name them), published rankings of 2023 and 2024 of
county_hqd with scores, tiers and categories as the engine stores them.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from kaoping.data import bundled
from kaoping.web.collection.models import Period, Unit
from kaoping.web.results import screen
from kaoping.web.results.models import Assessment

from .projects.conftest import dispatch  # noqa: F401  (the fixture, for the headline)

JIAOZUO = ["410821", "410822", "410823", "410825", "410882", "410883"]
KEY = {"410821", "410181", "410322"}  # 重点生态功能区; the others 非重点生态功能区


def _others() -> list[str]:
    """Eight counties of four other cities, two each (the platform's city stays 焦作)."""
    found: list[str] = []
    for code in bundled.ranked_counties():
        same = [c for c in found if c[:4] == code[:4]]
        if not code.startswith("4108") and len(same) < 2 and len(found) < 8:
            found.append(code)
    return found


def _codes() -> list[str]:
    return JIAOZUO + _others()


def _results(order: list[str]) -> list[dict[str, Any]]:
    """Records as the engine stores them, in rank order: scores 90, 87, …; tiers of five."""
    names = bundled.henan_units()
    records, seen = [], {"重点生态功能区": 0, "非重点生态功能区": 0}
    for i, code in enumerate(order):
        category = "重点生态功能区" if code in KEY else "非重点生态功能区"
        seen[category] += 1
        tier = "第一方阵" if i < 5 else "第二方阵" if i < 10 else "第三方阵"
        records.append(
            {"unit": code, "name": names.name(code), "category": category,
             "score": 90.0 - 3 * i, "rank": i + 1, "category_rank": seen[category],
             "tier": tier, "dimensions": {}}
        )  # fmt: skip
    return records


# 2024 against 2023: rank changes (old - new) of every unit, computed by hand below
ORDER_2023 = [3, 0, 1, 13, 2, 4, 12, 5, 6, 7, 11, 8, 10, 9]
ORDER_2024 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]


@pytest.fixture
def state(users: dict[str, Any], units: dict[str, Unit], periods: dict[str, Period]) -> Any:
    names = bundled.henan_units()
    for code in _codes():
        Unit.objects.get_or_create(code=code, defaults={"name": names.name(code)})
    codes = _codes()
    last = Assessment.objects.create(
        period=periods["2023"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="a" * 64, results=_results([codes[i] for i in ORDER_2023]),
    )  # fmt: skip
    this = Assessment.objects.create(
        period=periods["2024"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="b" * 64, results=_results([codes[i] for i in ORDER_2024]),
    )  # fmt: skip
    return SimpleNamespace(last=last, this=this, codes=codes)


def _english(client: Any) -> Any:
    client.client.cookies["django_language"] = "en"
    return client


def test_the_top_ten_are_the_stored_results_in_rank_order(client_for: Any, state: Any) -> None:
    page = _english(client_for("viewer")).get("/results/2024/screen/")
    assert page.status_code == 200
    data = page.context["screen"]
    stored = sorted(state.this.results, key=lambda r: r["rank"])
    assert [r["code"] for r in data["top"]] == [r["unit"] for r in stored[:10]]
    assert [r["rank"] for r in data["top"]] == list(range(1, 11))
    assert [r["score"] for r in data["top"]] == [r["score"] for r in stored[:10]]
    # the table shows them in that order
    html = page.content.decode()
    top = html.split('class="board top"')[1].split("</table>")[0]
    assert re.findall(r'data-unit="([0-9]+)"', top) == [r["unit"] for r in stored[:10]]
    assert "Top ten" in html


def test_the_movers_are_the_largest_rank_changes_since_the_previous_published_ranking(
    client_for: Any, state: Any
) -> None:
    data = client_for("viewer").get("/results/2024/screen/").context["screen"]
    before = {r["unit"]: r["rank"] for r in state.last.results}
    change = {r["unit"]: before[r["unit"]] - r["rank"] for r in state.this.results}
    rank = {r["unit"]: r["rank"] for r in state.this.results}
    up = sorted((c for c in change if change[c] > 0), key=lambda c: (-change[c], rank[c]))
    down = sorted((c for c in change if change[c] < 0), key=lambda c: (change[c], rank[c]))
    assert [r["code"] for r in data["up"]] == up[: screen.MOVERS]
    assert [r["code"] for r in data["down"]] == down[: screen.MOVERS]
    assert [r["change"] for r in data["up"]] == [change[c] for c in up[: screen.MOVERS]]
    # by hand: the 10th of 2024 was 14th in 2023, up 4, the most; the 14th was 4th, down 10
    assert (data["up"][0]["code"], data["up"][0]["change"]) == (state.codes[9], 4)
    assert (data["down"][0]["code"], data["down"][0]["change"]) == (state.codes[13], -10)
    assert data["compared"] == "2023 年"


def test_without_a_published_previous_ranking_there_are_no_movers(
    client_for: Any, state: Any
) -> None:
    Assessment.objects.filter(pk=state.last.pk).update(status="computed")
    page = _english(client_for("viewer")).get("/results/2024/screen/")
    data = page.context["screen"]
    assert (data["up"], data["down"], data["compared"]) == ([], [], "")
    html = page.content.decode()
    assert "Climbed most" not in html  # no movers' panels: the categories and the city
    assert 'class="view movers uncompared"' in html


def test_each_category_has_its_first_and_the_city_its_units(client_for: Any, state: Any) -> None:
    data = client_for("viewer").get("/results/2024/screen/").context["screen"]
    firsts = {c["name"]: [r["code"] for r in c["units"]] for c in data["categories"]}
    stored = sorted(state.this.results, key=lambda r: r["rank"])
    for name, codes in firsts.items():
        assert codes == [next(r["unit"] for r in stored if r["category"] == name)]
    assert set(firsts) == {"重点生态功能区", "非重点生态功能区"}
    # the platform's city: the prefix most units share (Jiaozuo's six and the fixtures')
    city = data["city"]
    assert (city["prefix"], city["name"]) == ("4108", "焦作市")
    assert [r["code"] for r in city["units"]] == [r["unit"] for r in stored if
                                                  r["unit"].startswith("4108")]  # fmt: skip
    assert (city["ranked"], city["top"], city["first"]) == (6, 6, 5)
    assert all(r["mine"] == r["code"].startswith("4108") for r in data["top"])


def test_the_city_is_named_by_its_prefix_in_the_query(client_for: Any, state: Any) -> None:
    other = _others()[0][:4]
    client = client_for("viewer")
    data = client.get(f"/results/2024/screen/?city={other}").context["screen"]
    assert data["city"]["prefix"] == other
    assert data["map"]["city"] == other
    assert {r["code"] for r in data["city"]["units"]} == {
        c for c in state.codes if c.startswith(other)
    }
    # anything but four digits: the platform's city
    for odd in ("41", "4108x", "'; drop", ""):
        assert (
            client.get(f"/results/2024/screen/?city={odd}").context["screen"]["city"]["prefix"]
            == "4108"
        )
    english = _english(client_for("viewer")).get(f"/results/2024/screen/?city={other}")
    assert english.context["screen"]["city"]["name"] == screen.CITIES_EN[other]


def test_the_script_gets_the_map_data_and_the_rotation_its_seconds(
    client_for: Any, state: Any
) -> None:
    client = client_for("viewer")
    html = client.get("/results/2024/screen/").content.decode()
    data = json.loads(html.split('id="screen-map-data" type="application/json">')[1]
                      .split("</script>")[0])  # fmt: skip
    assert data["city"] == "4108"
    assert {u["code"] for u in data["units"]} == set(state.codes)
    assert "vendor/maps/henan.json" in html
    assert "kaoping/screen.js" in html
    assert "<script>" not in html  # CSP: no inline script
    assert 'data-seconds="20"' in html
    assert 'data-seconds="45"' in client.get("/results/2024/screen/?seconds=45").content.decode()
    assert 'data-seconds="5"' in client.get("/results/2024/screen/?seconds=1").content.decode()
    assert 'data-seconds="20"' in client.get("/results/2024/screen/?seconds=x").content.decode()


def test_an_analysts_preview_is_marked_as_a_draft(client_for: Any, state: Any) -> None:
    preview = Assessment.objects.create(
        period=state.this.period, methodology="county_hqd", status="computed", inputs={},
        inputs_hash="c" * 64, results=list(reversed(_results(state.codes))),
    )  # fmt: skip
    analyst = _english(client_for("analyst"))
    page = analyst.get(f"/results/2024/screen/?assessment={preview.pk}")
    assert page.status_code == 200
    assert page.context["screen"]["draft"] is True
    assert "Draft — not published" in page.content.decode()
    assert 'class="stage is-draft"' in page.content.decode()
    published = analyst.get("/results/2024/screen/")
    assert published.context["assessment"] == state.this  # the published one first
    assert published.context["screen"]["draft"] is False
    assert "Draft — not published" not in published.content.decode()
    # nobody else sees the preview: a 404, as on the league page
    for role in ("viewer", "county-410821"):
        assert (
            client_for(role).get(f"/results/2024/screen/?assessment={preview.pk}").status_code
            == 404
        )
    with translation.override("zh-hans"):
        assert screen.screen(preview, None, city="4108")["draft"] is True


def test_who_may_not_see_a_ranking_gets_what_the_league_page_gives(
    client_for: Any, state: Any
) -> None:
    assert Client().get("/results/2024/screen/")["Location"].startswith("/accounts/login/")
    assert client_for("viewer").get("/results/2099/screen/").status_code == 404
    assert client_for("viewer").get("/results/2024/screen/?assessment=x").status_code == 404
    # only a preview: the viewer and the counties are told why there is nothing yet
    Assessment.objects.filter(pk=state.this.pk).update(status="computed")
    for role in ("viewer", "county-410821"):
        page = _english(client_for(role)).get("/results/2024/screen/")
        assert page.status_code == 200
        assert "screen" not in page.context
        assert "screen.js" not in page.content.decode()
    # announced (公示): a county sees it, marked as not published; a viewer does not yet
    Assessment.objects.filter(pk=state.this.pk).update(status="announced")
    county = client_for("county-410821").get("/results/2024/screen/")
    assert county.context["screen"]["draft"] is True
    assert "screen" not in client_for("viewer").get("/results/2024/screen/").context


def test_the_league_page_links_to_its_screen(client_for: Any, state: Any) -> None:
    html = client_for("viewer").get("/results/2024/").content.decode()
    assert 'href="/results/2024/screen/"' in html


def test_an_official_assessment_shows_its_awards(
    client_for: Any, state: Any, periods: dict[str, Period]
) -> None:
    records = _results(state.codes)
    for record in records[:3]:
        record["awards"] = ["高质量发展先进县（市）"]
    records[4]["veto"] = ["发生较大及以上生产安全事故"]
    records[4]["tier"] = None
    period = Period.objects.create(code="2024-KH", methodology="county_hqd_official",
                                   status="closed")  # fmt: skip
    Assessment.objects.create(
        period=period, methodology="county_hqd_official", status="published", inputs={},
        inputs_hash="d" * 64, results=records,
    )  # fmt: skip
    page = client_for("viewer").get("/results/2024-KH/screen/")
    data = page.context["screen"]
    assert data["official"] is True
    first = next(a for a in data["awards"] if a["name"] == "高质量发展先进县（市）")
    assert [u["code"] for u in first["units"]] == state.codes[:3]
    assert first["units"][0]["mine"] is True  # 410821, Jiaozuo's
    assert data["untiered"] == 1  # the vetoed unit: ranked, in no tier
    assert 'class="swatch untiered"' in page.content.decode()
    assert data["compared"] == ""  # no period before 2024-KH


def test_the_key_projects_headline_is_the_latest_closed_month(
    dispatch: SimpleNamespace,  # noqa: F811
    state: Any,
) -> None:
    # tests/web/projects/test_board.py works October out by hand: A and C started of the
    # three due to start in 2026 (66.7 %), 2800 of 45000 invested (6.2 %), three red
    for role in ("viewer", "analyst"):  # the analyst too: the open November is not shown
        client = Client()
        client.force_login(dispatch.users[role])
        found = client.get("/results/2024/screen/").context["dispatch"]
        assert found["month"] == "2026-10"
        assert found["projects"] == 3
        assert found["planned_starts"] == 3
        assert found["start_rate"] == pytest.approx(200 / 3)
        assert found["completion_pct"] == pytest.approx(100 * 2800 / 45000)
        assert (found["ytd"], found["annual_plan"]) == (2800.0, 45000.0)
        assert (found["red"], found["yellow"], found["green"]) == (3, 0, 0)
        assert [c["code"] for c in found["leaders"]] == ["410822", "410821"]  # 8.89 %, 5.56 %
        assert all(c["mine"] for c in found["leaders"])
        assert {s["key"]: s["n"] for s in found["statuses"]}["滞后"] == 2
    county = Client()
    county.force_login(dispatch.users["county-410821"])
    assert county.get("/results/2024/screen/").context["dispatch"] is None
    dispatch.months["2026-10"].status = "open"
    dispatch.months["2026-10"].save()
    assert screen.dispatch_headline(dispatch.users["viewer"], city="4108") is None
