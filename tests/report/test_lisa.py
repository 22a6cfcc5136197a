"""The LISA cluster map: each unit drawn in its cluster's colour, the legend counting them, the
same input giving the same PNG bytes.

The reference for the colours is the table CLUSTER_COLOURS itself (GeoDa's palette); what is
checked is that every polygon gets the colour of its unit's cluster, read back from the drawn
patches, and that the legend's counts are the table's.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from kaoping.analysis.spatial import contiguity, local_moran
from kaoping.data import bundled
from kaoping.report import lisa
from kaoping.report.lisa import CLUSTER_COLOURS, lisa_chart, lisa_map

MAPS = Path(__file__).parents[2] / "node_modules" / ".kaoping-maps" / "henan.json"


def square(code: str, x: float, y: float) -> dict[str, Any]:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"adcode": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


GRID = {
    "type": "FeatureCollection",
    "features": [square(f"u{k}", k % 3, k // 3) for k in range(6)],
}
TABLE = pd.DataFrame(
    {"cluster": ["HH", "HH", "LL", "LH", "ns", "island"]},
    index=[f"u{k}" for k in range(6)],
)


def legend_labels(ax: Any) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def test_docstring_examples() -> None:
    result = doctest.testmod(lisa)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_unit_has_its_clusters_colour_and_the_legend_counts_them() -> None:
    chart = lisa_chart(TABLE, GRID, language="en")
    ax: Any = chart.figure.axes[0]
    colours = ax.collections[0].get_facecolor()
    want = [to_rgba(CLUSTER_COLOURS[c]) for c in TABLE["cluster"]]
    np.testing.assert_allclose(colours, want)
    labels = legend_labels(ax)
    assert labels == [
        "High-High (2)",
        "Low-Low (1)",
        "Low-High (1)",
        "High-Low (0)",
        "Not significant (1)",
        "No neighbours (1)",
    ]
    assert chart.alt == "High-High 2; Low-Low 1; Low-High 1; Not significant 1; No neighbours 1"
    assert chart.title == "LISA clusters (p < α)"


def test_a_unit_of_the_map_without_a_result_is_hatched_and_named_in_the_legend() -> None:
    chart = lisa_chart(TABLE.iloc[:4], GRID, title="自定义标题")
    ax = chart.figure.axes[0]
    labels = legend_labels(ax)
    assert labels[-1] == "无结果"
    assert "高-高 (2)" in labels
    assert "无相邻单元 (0)" not in labels  # no island drawn: no island entry
    assert ax.get_title() == "自定义标题"


def test_the_map_is_png_and_the_same_input_gives_the_same_bytes() -> None:
    first = lisa_map(TABLE, GRID, dpi=60)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert lisa_map(TABLE, GRID, dpi=60) == first


def test_an_unknown_cluster_code_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown cluster code\(s\) \['XX'\]"):
        lisa_chart(pd.DataFrame({"cluster": ["XX"]}, index=["u0"]), GRID)
    with pytest.raises(ValueError, match="'cluster' column"):
        lisa_chart(pd.DataFrame({"quadrant": ["HH"]}, index=["u0"]), GRID)


@pytest.mark.skipif(not MAPS.exists(), reason="the platform's map is built by make assets")
def test_the_henan_map_of_a_local_moran_result(tmp_path: Path) -> None:
    codes = bundled.ranked_counties()
    y = pd.Series(np.random.default_rng(1).normal(size=102), index=codes)
    local = local_moran(y, contiguity(), permutations=99, rng=1, alpha=0.1)
    geometry = json.loads(MAPS.read_text(encoding="utf-8"))
    chart = lisa_chart(local, geometry)
    assert chart.title == "LISA 聚类图（p < 0.1）"
    counts = local.counts()["units"]
    labels = legend_labels(chart.figure.axes[0])
    assert labels[0] == f"高-高 ({counts['HH']})"
    assert sum(int(label.split("(")[1].rstrip(")")) for label in labels) == 102
    (tmp_path / "lisa.png").write_bytes(chart.png(dpi=80))
