"""The LISA cluster map (局部空间自相关聚类图): each unit coloured by its local Moran cluster.

The colours are GeoDa's, the ones the county papers print: 高-高 (HH) red, 低-低 (LL) blue,
低-高 (LH) light blue, 高-低 (HL) light red; 不显著 grey; a unit without neighbours white with a
grey outline; a unit of the map without a result white, hatched.  The legend counts the units
of each class.  Drawn like :func:`kaoping.report.charts.map_chart` (the same figure, fonts and
aspect), from :func:`kaoping.analysis.spatial.local_moran`'s result.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from kaoping.report.charts import NONE, Chart, Lang, _family, _figure, _t

if TYPE_CHECKING:
    from kaoping.analysis.spatial import LocalMoran

__all__ = ["CLUSTER_COLOURS", "lisa_chart", "lisa_map"]

CLUSTER_COLOURS: Final[Mapping[str, str]] = {
    "HH": "#d7191c",
    "LL": "#2c7bb6",
    "LH": "#abd9e9",
    "HL": "#fdae61",
    "ns": NONE,
    "island": "#ffffff",
}
"""Cluster code -> fill colour (GeoDa's LISA palette; grey for not significant)."""

EDGE: Final = "#ffffff"
ISLAND_EDGE: Final = "#868e96"
NO_RESULT: Final = "#ffffff"

_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "HH": ("高-高", "High-High"),
    "LL": ("低-低", "Low-Low"),
    "LH": ("低-高", "Low-High"),
    "HL": ("高-低", "High-Low"),
    "ns": ("不显著", "Not significant"),
    "island": ("无相邻单元", "No neighbours"),
}


def _clusters(local: LocalMoran | pd.DataFrame) -> tuple[pd.Series, float | None]:
    frame = local if isinstance(local, pd.DataFrame) else local.table
    alpha = None if isinstance(local, pd.DataFrame) else local.alpha
    if "cluster" not in frame.columns:
        raise ValueError(
            "local must be a LocalMoran result or its table (a DataFrame with a 'cluster' "
            f"column); got the columns {list(frame.columns)}."
        )
    clusters = frame["cluster"].astype(str)
    clusters.index = clusters.index.map(str)
    unknown = sorted(set(clusters) - set(CLUSTER_COLOURS))
    if unknown:
        raise ValueError(f"unknown cluster code(s) {unknown}; expected {list(CLUSTER_COLOURS)}.")
    return clusters, alpha


def _polygons(shape: Mapping[str, Any]) -> list[Any]:
    if shape["type"] == "MultiPolygon":
        return list(shape["coordinates"])
    return [shape["coordinates"]]


def lisa_chart(
    local: LocalMoran | pd.DataFrame,
    geometry: Mapping[str, Any],
    *,
    title: str | None = None,
    language: Lang = "zh",
) -> Chart:
    """The LISA cluster map as a :class:`~kaoping.report.charts.Chart` (PNG or SVG).

    Parameters
    ----------
    local : LocalMoran or DataFrame
        :func:`kaoping.analysis.spatial.local_moran`'s result (or its ``table``: index unit
        code, a ``cluster`` column of HH, LL, LH, HL, ns, island).
    geometry : dict
        GeoJSON FeatureCollection of Polygons/MultiPolygons in longitude/latitude, each
        feature's ``properties.adcode`` the unit code (the platform's map).
    title : str, optional
        Default: "LISA 聚类图（p < α）" / "LISA clusters (p < α)".
    language : {"zh", "en"}

    Returns
    -------
    Chart
        The figure; its alt text lists the count of each class.

    Examples
    --------
    >>> ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    >>> geometry = {"type": "FeatureCollection", "features": [{"type": "Feature",
    ...     "properties": {"adcode": "a"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    >>> table = pd.DataFrame({"cluster": ["HH"]}, index=["a"])
    >>> lisa_chart(table, geometry, language="en").alt
    'High-High 1'
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Polygon

    clusters, alpha = _clusters(local)
    fig = _figure(6.0, 6.0)
    family = _family(fig)
    ax = fig.add_subplot()
    fills: list[Any] = []
    drawn: set[str] = set()
    missing = False
    for feature in geometry.get("features", []):
        code = str((feature.get("properties") or {}).get("adcode", ""))
        cluster = clusters.get(code)
        for polygon in _polygons(feature["geometry"]):
            ring = polygon[0]
            if cluster is None:
                missing = True
                patch = Polygon(
                    ring, closed=True, facecolor=NO_RESULT, edgecolor=ISLAND_EDGE, hatch="////"
                )
            else:
                edge = ISLAND_EDGE if cluster in ("island", "ns") else EDGE
                patch = Polygon(
                    ring, closed=True, facecolor=CLUSTER_COLOURS[cluster], edgecolor=edge
                )
            fills.append(patch)
        if cluster is not None:
            drawn.add(code)
    ax.add_collection(PatchCollection(fills, match_original=True, linewidth=0.3))
    ax.autoscale_view()
    ax.set_aspect(1.2)  # about 1/cos(34°): Henan's latitude, as map_chart
    ax.set_axis_off()
    counts = clusters[clusters.index.isin(drawn)].value_counts()
    lang_index = 0 if language == "zh" else 1
    handles = []
    described = []
    for code, colour in CLUSTER_COLOURS.items():
        count = int(counts.get(code, 0))
        if count == 0 and code == "island":
            continue
        label = _LABELS[code][lang_index]
        described.append(f"{label} {count}")
        edge = ISLAND_EDGE if code in ("island", "ns") else colour
        handles.append(Patch(facecolor=colour, edgecolor=edge, label=f"{label} ({count})"))
    if missing:
        label = _t(language, "无结果", "No result")
        handles.append(Patch(facecolor=NO_RESULT, edgecolor=ISLAND_EDGE, hatch="////", label=label))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an empty legend on an empty map
        ax.legend(handles=handles, prop={"family": family, "size": 8}, frameon=False, loc="best")
    if title is None:
        level = f"p < {alpha:g}" if alpha is not None else "p < α"
        title = _t(language, f"LISA 聚类图（{level}）", f"LISA clusters ({level})")
    ax.set_title(title, fontfamily=family, fontsize=10)
    alt = "; ".join(d for d in described if not d.endswith(" 0"))
    return Chart(fig, title, alt)


def lisa_map(
    local: LocalMoran | pd.DataFrame,
    geometry: Mapping[str, Any],
    *,
    title: str | None = None,
    language: Lang = "zh",
    dpi: int = 200,
) -> bytes:
    """The LISA cluster map as PNG bytes (:func:`lisa_chart`, drawn at ``dpi``)."""
    return lisa_chart(local, geometry, title=title, language=language).png(dpi=dpi)
