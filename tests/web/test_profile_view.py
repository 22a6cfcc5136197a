"""A county's profile: its dimension scores beside its category's average (the radar's data),
its score across the published periods, strengths and weaknesses, each indicator with a
traffic light against its target or thresholds; the charts' scripts are served locally."""

from __future__ import annotations

import json
import warnings
from statistics import mean
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from kaoping.errors import KaopingWarning
from kaoping.methodology import dumps, load
from kaoping.web.collection.models import Period, Unit
from kaoping.web.results.models import Assessment
from kaoping.web.results.profile import _light

DIMS = ["economy", "innovation"]


def _record(
    code: str, name: str, category: str, score: float, rank: int, dims: list[float]
) -> dict[str, Any]:
    return {
        "unit": code, "name": name, "category": category, "score": score, "rank": rank,
        "category_rank": 1, "tier": "第一方阵", "dimensions": dict(zip(DIMS, dims, strict=True)),
    }  # fmt: skip


def _published(
    period: Period, records: list[dict[str, Any]], values: list[list[Any]]
) -> Assessment:
    inputs = {"period": period.code, "methodology": dumps(load("county_hqd")), "units": [],
              "values": values}  # fmt: skip
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status="published", inputs=inputs,
        inputs_hash="0" * 64, results=records,
    )  # fmt: skip


def test_the_profile_compares_a_county_with_its_category(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    this_year = [
        _record("410821", "修武县", "A", 70.0, 2, [80.0, 40.0]),
        _record("410822", "博爱县", "A", 75.0, 1, [60.0, 90.0]),
        _record("410823", "武陟县", "B", 10.0, 3, [0.0, 0.0]),  # another category: left out
    ]
    _published(periods["2023"], [_record("410821", "修武县", "A", 55.5, 2, [50.0, 50.0])], [])
    _published(periods["2024"], this_year, [["410821", "gdp", 215.3]])
    page = client_for("viewer").get("/results/2024/unit/410821/")
    assert page.status_code == 200
    html = page.content.decode()
    data = json.loads(
        html.split('id="profile-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["unit"] == [80.0, 40.0]
    assert data["average"] == [mean([80.0, 60.0]), mean([40.0, 90.0])]  # category A only
    assert [(p["period"], p["score"]) for p in data["trend"]] == [("2023", 55.5), ("2024", 70.0)]
    assert page.context["strengths"] == ["经济实力"]  # economy: 80 against 70
    assert page.context["weaknesses"] == ["创新发展"]  # innovation: 40 against 65
    gdp = next(i for i in page.context["indicators"] if i["id"] == "gdp")
    assert gdp["value"] == 215.3
    assert "vendor/echarts/echarts.min.js" in html
    assert "kaoping/profile.js" in html
    assert "<script>" not in html  # no inline code: the data travel as JSON


def test_the_chart_scripts_are_served_from_this_site() -> None:
    assert finders.find("vendor/echarts/echarts.min.js") is not None
    assert finders.find("kaoping/profile.js") is not None


def test_a_unit_outside_the_ranking_is_not_found(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _published(periods["2024"], [_record("410822", "博爱县", "A", 75.0, 1, [60.0, 90.0])], [])
    assert client_for("viewer").get("/results/2024/unit/410821/").status_code == 404


def test_traffic_lights_follow_targets_thresholds_and_direction() -> None:
    target = SimpleNamespace(target=60.0, lower=None, upper=None)
    assert _light("positive", 61.0, target) == "green"
    assert _light("positive", 59.0, target) == "red"
    assert _light("negative", 59.0, target) == "green"  # lower is better
    band = SimpleNamespace(target=None, lower=1.0, upper=3.0)
    assert _light("moderate", 2.0, band) == "green"
    assert _light("moderate", 3.5, band) == "red"
    assert _light("positive", 2.0, SimpleNamespace(target=None, lower=None, upper=None)) == ""
    assert _light("positive", None, target) == ""


def test_while_announced_a_county_opens_its_own_profile_only(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    """The announcement (公示) shows every rank and score; another unit's indicator figures
    stay private until publication (the issue: no county reads another's unpublished data)."""
    records = [_record("410821", "修武县", "A", 80.0, 1, [70.0, 90.0]),
               _record("410822", "博爱县", "A", 75.0, 2, [60.0, 90.0])]  # fmt: skip
    assessment = _published(periods["2024"], records, [])
    Assessment.objects.filter(pk=assessment.pk).update(status="announced")
    county = client_for("county-410821")
    assert county.get("/results/2024/unit/410821/").status_code == 200
    refused = county.get("/results/2024/unit/410822/")
    assert refused.status_code == 403
    league = county.get("/results/2024/").content.decode()
    assert "/results/2024/unit/410821/" in league
    assert "/results/2024/unit/410822/" not in league
    assert "博爱县" in league  # the ranking itself is announced
    # once published, every profile is open to every role
    Assessment.objects.filter(pk=assessment.pk).update(status="published")
    assert county.get("/results/2024/unit/410822/").status_code == 200
    assert "/results/2024/unit/410822/" in county.get("/results/2024/").content.decode()


def test_a_refusal_says_why_in_the_interface_language(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    refused = client_for("viewer").get("/review/2024/")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "只有市级分析员可以执行此操作。" in page  # the reason the service gave
    assert '<a href="/">' in page  # a way back
    missing = client_for("viewer").get("/results/1999/")
    assert missing.status_code == 404
    assert "返回首页" in missing.content.decode()


def test_a_figure_not_given_is_marked_with_its_estimate_and_how(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    """county_hqd imputes ``missing: mean``: 修武县's blank is the mean over the ranked units
    that gave it, here 博爱县's figure alone (武陟县 is left out), marked 估 with the method."""
    from kaoping.web.collection.models import Value

    from .workflow import publish

    indicator = "gas_coverage"
    Value.objects.filter(
        submission__unit__code="410821", submission__period=periods["2024"], indicator=indicator
    ).update(value=None, blank_reason="unknown")
    with pytest.warns(KaopingWarning, match="取值相同"):  # two units: the estimate equals the other
        publish(users["analyst"], periods["2024"])
    page = client_for("viewer").get("/results/2024/unit/410821/").content.decode()
    row = next(r for r in page.split("<tr>") if "燃气普及率" in r)
    expected = approved["410822"][indicator]
    assert f"{expected:g}"[:5] in row
    assert '<abbr class="gap" title="' in row
    assert ">估</abbr>" in row
    assert "估: " in page or "估：" in page  # the policy said above the table
    other = client_for("viewer").get("/results/2024/unit/410822/").content.decode()
    assert 'class="gap"' not in other


def test_the_profile_names_the_main_obstacles_the_engine_finds(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    from kaoping.analysis.obstacle import obstacles
    from kaoping.web.results import services

    from .workflow import publish

    published = publish(users["analyst"], periods["2024"])
    code = published.results[0]["unit"]
    html = client_for("viewer").get(f"/results/2024/unit/{code}/").content.decode()
    line = html.split('<p class="obstacles">')[1].split("</p>")[0]
    assert line.startswith("主要障碍因子（障碍度")
    # the assessment's own warnings (constant columns) were said when it was computed
    with warnings.catch_warnings(action="ignore", category=KaopingWarning):
        found = obstacles(services.result_of(published.inputs)).top(3)
    mine = found[found["unit"] == code]
    assert len(mine) == 3
    names = {i.id: i.name for i in load("county_hqd").indicators}
    shown = [f"{names[row.indicator]} {round(100 * row.degree, 1)}%" for row in mine.itertuples()]
    positions = [line.index(text) for text in shown]  # every one named, largest first
    assert positions == sorted(positions)
