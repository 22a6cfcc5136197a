"""The report's charts: what they draw equals the result table, and the same result gives the
same bytes (PNG and SVG)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.report.test_briefing_demo import academic, official

from kaoping.report import charts

MAPS = Path(__file__).parents[2] / "node_modules" / ".kaoping-maps" / "henan.json"


def test_a_cjk_font_is_found() -> None:
    assert charts.cjk_font() is not None, "install fonts-noto-cjk"


@pytest.mark.parametrize("kind", ["academic", "official"])
def test_tier_counts_are_the_tables(kind: str) -> None:
    result = official("2024") if kind == "official" else academic("2024")
    counts = charts.tier_counts(result, "4108")
    ranked = result.table[result.table["rank"].notna()]
    assert counts["units"].to_dict() == ranked["tier"].value_counts().to_dict()
    mine = ranked[[c.startswith("4108") for c in ranked.index]]
    assert counts["city"].sum() == len(mine) == 6
    chart = charts.tier_chart(result, city="4108", city_name="焦作市")
    heights = [p.get_height() for p in chart.figure.axes[0].patches]
    assert heights == [*counts["units"], *counts["city"]]


def test_the_ranking_bars_are_the_scores_in_rank_order_with_the_city_outlined() -> None:
    result = academic("2024")
    chart = charts.ranking_chart(result, city="4108", top=10)
    bars = chart.figure.axes[0].patches
    ranked = result.table[result.table["rank"].notna()].sort_values("rank")
    keep = ranked[(ranked["rank"] <= 10) | ranked.index.str.startswith("4108")]
    assert [round(b.get_width(), 9) for b in bars] == [round(v, 9) for v in keep["score"]]
    outlined = [b.get_edgecolor()[3] > 0 for b in bars]
    assert outlined == [c.startswith("4108") for c in keep.index]


def test_the_dimension_chart_is_the_units_scores_and_the_mean() -> None:
    result = official("2024")
    chart = charts.dimension_chart(result, "410821")
    bars = chart.figure.axes[0].patches
    dims = [d.id for d in result.methodology.dimensions]
    n = len(dims)
    assert [b.get_width() for b in bars[:n]] == [result.table.loc["410821", d] for d in dims]
    ranked = result.table[result.table["rank"].notna()]
    assert [b.get_width() for b in bars[n:]] == pytest.approx([ranked[d].mean() for d in dims])
    with pytest.raises(KeyError):
        charts.dimension_chart(result, "999999")


@pytest.mark.skipif(not MAPS.exists(), reason="make sync builds the map's geometry")
def test_the_map_colours_each_county_by_its_tier() -> None:
    result = academic("2024")
    geometry = json.loads(MAPS.read_text(encoding="utf-8"))
    chart = charts.map_chart(result, geometry, city="4108")
    fills = chart.figure.axes[0].collections[0]
    colours = charts.tier_colours(result)
    assert len(fills.get_paths()) >= len(geometry["features"])
    first = geometry["features"][0]["properties"]["adcode"]
    from matplotlib.colors import to_hex

    assert to_hex(fills.get_facecolors()[0]) == colours[result.table.loc[first, "tier"]]


def test_the_same_chart_gives_the_same_bytes() -> None:
    result = academic("2024")
    one, two = (charts.tier_chart(result, city="4108") for _ in range(2))
    assert one.png() == two.png()
    assert one.svg() == two.svg()
    assert "Date" not in one.svg()
