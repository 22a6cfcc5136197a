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
        "code": "410821", "name": "修武县", "score": 70.0, "rank": 1, "tier": "第一方阵"
    }  # fmt: skip
    assert "vendor/maps/henan.json" in page.content.decode()
