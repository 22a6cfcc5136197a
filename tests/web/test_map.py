"""The county map's geometry: every one of Henan's 102 ranked counties gets its feature, joined
by code; each feature's label point lies in Henan; the map page hands the data to the script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

from kaoping.data import bundled
from kaoping.web.collection.models import Period, Unit
from kaoping.web.results.maps import henan_counties
from kaoping.web.results.models import Assessment


def test_every_ranked_county_has_a_feature_with_its_code() -> None:
    geojson, missing = henan_counties(Path(settings.ASSETS))
    assert missing == []
    codes = [f["properties"]["adcode"] for f in geojson["features"]]
    assert sorted(codes) == sorted(bundled.ranked_counties())
    names = {f["properties"]["adcode"]: f["properties"]["name"] for f in geojson["features"]}
    assert names["410821"] == "修武县"
    # Henan lies within 110.3-116.7 E, 31.3-36.4 N: every label point must too
    for feature in geojson["features"]:
        lon, lat = feature["properties"]["cp"]
        assert 110.3 < lon < 116.7, feature["properties"]
        assert 31.3 < lat < 36.4, feature["properties"]


def test_the_built_map_is_served_from_this_site() -> None:
    found = finders.find("vendor/maps/henan.json")
    assert found is not None
    assert len(json.loads(Path(found).read_text(encoding="utf-8"))["features"]) == 102


def test_the_map_page_gives_each_unit_its_score_and_tier(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    results = [{"unit": "410821", "name": "修武县", "category": "A", "score": 70.0, "rank": 1,
                "category_rank": 1, "tier": "第一方阵", "dimensions": {}}]  # fmt: skip
    Assessment.objects.create(
        period=periods["2024"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="e" * 64, results=results,
    )  # fmt: skip
    page = client_for("viewer").get("/results/2024/map/?by=tier")
    assert page.status_code == 200
    assert page.context["map"]["by"] == "tier"
    assert page.context["map"]["units"][0] == {
        "code": "410821", "name": "修武县", "score": 70.0, "rank": 1, "tier": "第一方阵",
        "tier_index": 0,
    }  # fmt: skip
    assert "vendor/maps/henan.json" in page.content.decode()


def _published(period: Period) -> Assessment:
    """Three counties in two tiers of county_hqd (第一方阵 and 第二方阵) and one not ranked."""
    results = [
        {"unit": "410821", "name": "修武县", "score": 70.0, "rank": 1, "tier": "第一方阵"},
        {"unit": "410822", "name": "博爱县", "score": 55.5, "rank": 2, "tier": "第一方阵"},
        {"unit": "410823", "name": "武陟县", "score": 40.25, "rank": 3, "tier": "第二方阵"},
    ]
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status="published", inputs={},
        inputs_hash="e" * 64, results=results,
    )  # fmt: skip


def test_the_map_has_a_legend_of_its_tiers_and_of_its_score_scale(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _published(periods["2024"])
    client = client_for("viewer")
    by_tier = client.get("/results/2024/map/?by=tier").content.decode()
    legend = by_tier.split('id="map-legend"')[1].split("</div>")[0]
    # the tiers in order, each with its colour (the swatch the script colours the map by)
    # and how many counties it holds, and a swatch for the counties without a result
    assert '<span class="swatch tier-0" data-tier="0"' in legend
    assert '第一方阵 <span class="count">（2 个单位）</span>' in legend
    assert '第二方阵 <span class="count">（1 个单位）</span>' in legend
    assert legend.index("第一方阵") < legend.index("第二方阵")
    assert '<span class="swatch none"' in legend
    by_score = client.get("/results/2024/map/").content.decode()
    scale = by_score.split('id="map-legend"')[1].split("</div>\n</div>")[0]
    assert '<span class="low">40.25</span>' in scale  # the scale runs from the lowest score
    assert '<span class="high">70.00</span>' in scale  # to the highest
    assert "颜色越深，得分越高。" in by_score


def test_in_english_the_map_names_units_and_tiers_in_english(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    Unit.objects.filter(code="410821").update(name_en="Xiuwu County")
    Unit.objects.create(code="410825", name="温县", name_en="Wen County")  # not ranked
    _published(periods["2024"])
    client = client_for("viewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/results/2024/map/?by=tier")
    data = page.context["map"]
    assert data["units"][0]["name"] == "Xiuwu County"
    assert data["units"][1]["name"] == "博爱县"  # no English name: its name as it is
    assert data["units"][0]["tier"] == "First tier"  # county_hqd's tier name_en
    assert data["names"]["410825"] == "Wen County"  # for the tooltip of a county not ranked
    assert "First tier <span" in page.content.decode()
