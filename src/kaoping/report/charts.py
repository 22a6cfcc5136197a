"""The report's charts, drawn on the server by matplotlib with a CJK font.

Each function takes a result (and what the chart is of) and returns a :class:`Chart`: the
matplotlib figure and what it shows, written as PNG (Word, the county card) or SVG (the PDF
report, sharp at any zoom).  The same result gives the same bytes: no dates or software
versions in the files' metadata, SVG ids from a fixed salt.

The colours are the platform's: tiers in the order of the methodology (第一方阵 red, 第二方阵
orange, 第三方阵 blue, others grey), a city's counties marked by a dark outline and a bold name.

Figures are made with :class:`matplotlib.figure.Figure`, never ``pyplot``: no global state, safe
in the threads of a web server.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from kaoping.assess.official_result import OfficialResult
from kaoping.assess.result import Result
from kaoping.report.tables import in_city as _in_city
from kaoping.report.tables import ranked as _ranked
from kaoping.report.tables import tier_label as _tier_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "TIER_COLOURS",
    "Chart",
    "cjk_font",
    "dimension_chart",
    "map_chart",
    "ranking_chart",
    "tier_chart",
]

Lang = Literal["zh", "en"]
AnyResult = Result | OfficialResult

TIER_COLOURS = ("#c92a2a", "#f08c00", "#1971c2", "#5f3dc4", "#2b8a3e")
OTHER = "#868e96"  # a tier past the palette's
NONE = "#e4e7eb"  # no tier (vetoed, not ranked, no geometry's data)
CITY = "#212529"
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
"""The fonts tried for Chinese text, in order (Debian's fonts-noto-cjk gives the first)."""


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its figure, a title and the alt text (what it shows, in words)."""

    figure: Figure
    title: str
    alt: str

    def png(self, dpi: int = 200) -> bytes:
        """The chart as PNG, without a date or software name in its metadata."""
        out = io.BytesIO()
        self.figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
        return out.getvalue()

    def svg(self) -> str:
        """The chart as SVG text, its ids from a fixed salt (the same chart, the same text)."""
        import matplotlib

        out = io.StringIO()
        with matplotlib.rc_context({"svg.hashsalt": "kaoping", "svg.fonttype": "path"}):
            self.figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()


@cache
def cjk_font() -> str | None:
    """The first of :data:`CJK_FAMILIES` that matplotlib finds, or None (Chinese then shows as
    boxes: install fonts-noto-cjk)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in known), None)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    fig.set_facecolor("white")
    return fig


def _style(ax: Any, family: Sequence[str]) -> None:
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontfamily(list(family))
    ax.tick_params(labelsize=8)


def _family(fig: Figure) -> list[str]:
    """The font families of every text of ``fig``: the CJK font found, then DejaVu Sans."""
    font = cjk_font()
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def tier_colours(result: AnyResult) -> dict[str, str]:
    """Tier name -> its colour, in the methodology's order."""
    tiers = [t.name for t in result.methodology.tiers]
    return {
        name: TIER_COLOURS[i] if i < len(TIER_COLOURS) else OTHER for i, name in enumerate(tiers)
    }


def ranking_chart(
    result: AnyResult,
    *,
    city: str | None = None,
    top: int | None = None,
    lang: Lang = "zh",
) -> Chart:
    """The composite score of the ranked units in rank order, one bar each, coloured by tier,
    best at the top; the city's units (code prefix ``city``) outlined with their names in
    bold.  ``top``: only the first ``top`` (and the city's units below them)."""
    ranked = _ranked(result)
    mine = _in_city(list(ranked.index), city)
    if top is not None:
        keep = [(r <= top) or m for r, m in zip(ranked["rank"], mine, strict=True)]
        ranked = ranked[keep]
        mine = [m for m, k in zip(mine, keep, strict=True) if k]
    n = len(ranked)
    height = max(2.5, 0.16 * n + 1.2)
    fig = _figure(7.0, height)
    family = _family(fig)
    ax = fig.add_subplot()
    colours = tier_colours(result)
    y = list(range(n))
    bar_colours = [colours.get(t, NONE) if isinstance(t, str) else NONE for t in ranked["tier"]]
    edges = [CITY if m else "none" for m in mine]
    ax.barh(y, ranked["score"], color=bar_colours, edgecolor=edges, linewidth=1.2, height=0.75)
    labels = [f"{int(r)}  {name}" for r, name in zip(ranked["rank"], ranked["name"], strict=True)]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_ylim(n - 0.4, -0.6)
    _style(ax, family)
    for label, m in zip(ax.get_yticklabels(), mine, strict=True):
        label.set_fontsize(7 if n > 40 else 8)
        if m:
            label.set_fontweight("bold")
    score_label = _t(lang, "综合得分", "Composite score")
    ax.set_xlabel(score_label, fontfamily=family, fontsize=9)
    ax.grid(axis="x", color="#dee2e6", linewidth=0.5)
    ax.set_axisbelow(True)
    present = list(dict.fromkeys(t for t in ranked["tier"] if isinstance(t, str)))
    if present:
        from matplotlib.patches import Patch

        handles = [
            Patch(color=colours.get(t, NONE), label=_tier_label(result, t, lang)) for t in present
        ]
        if city is not None and any(mine):
            handles.append(
                Patch(facecolor="white", edgecolor=CITY, label=_t(lang, "本市县（市）", "City"))
            )
        ax.legend(
            handles=handles,
            loc="lower right",
            fontsize=8,
            prop={"family": family, "size": 8},
            frameon=False,
        )
    title = _t(lang, f"{result.period}年综合得分排名", f"Composite scores, {result.period}")
    if top is not None:
        title = _t(lang, f"{result.period}年综合得分前{top}位", f"Top {top}, {result.period}")
    best = ranked.iloc[0] if n else None
    alt = (
        _t(
            lang,
            f"{n}个单位的综合得分条形图，第1位{best['name']}（{best['score']:.2f}分）。",
            f"Bar chart of {n} units' composite scores; first: {best['name']} "
            f"({best['score']:.2f}).",
        )
        if best is not None
        else title
    )
    return Chart(fig, title, alt)


def tier_counts(result: AnyResult, city: str | None = None) -> pd.DataFrame:
    """Per tier in the methodology's order: the ranked units in it (``units``) and, with a
    ``city``, the city's (``city``)."""
    ranked = _ranked(result)
    names = [t.name for t in result.methodology.tiers]
    counts = ranked["tier"].value_counts()
    frame = pd.DataFrame({"units": [int(counts.get(t, 0)) for t in names]}, index=names)
    if city is not None:
        mine = ranked[_in_city(list(ranked.index), city)]
        theirs = mine["tier"].value_counts()
        frame["city"] = [int(theirs.get(t, 0)) for t in names]
    frame.index.name = "tier"
    return frame


def tier_chart(
    result: AnyResult, *, city: str | None = None, city_name: str | None = None, lang: Lang = "zh"
) -> Chart:
    """The number of ranked units in each tier (columns in the tiers' colours), and with a
    ``city`` its units beside them (dark columns), each column labelled with its count."""
    counts = tier_counts(result, city)
    fig = _figure(5.5, 3.2)
    family = _family(fig)
    ax = fig.add_subplot()
    colours = tier_colours(result)
    x = list(range(len(counts)))
    width = 0.38 if city is not None else 0.6
    shift = width / 2 if city is not None else 0.0
    all_label = _t(lang, "全省", "Province")
    bars = ax.bar(
        [i - shift for i in x],
        counts["units"],
        width=width,
        color=[colours[t] for t in counts.index],
        label=all_label,
    )
    ax.bar_label(bars, fontsize=8)
    if city is not None:
        city_bars = ax.bar(
            [i + shift for i in x],
            counts["city"],
            width=width,
            color=CITY,
            label=city_name or city,
        )
        ax.bar_label(city_bars, fontsize=8)
        ax.legend(prop={"family": family, "size": 8}, frameon=False)
    ax.set_xticks(x, [_tier_label(result, t, lang) for t in counts.index])
    ax.set_ylabel(_t(lang, "单位数", "Units"), fontfamily=family, fontsize=9)
    _style(ax, family)
    ax.margins(y=0.15)
    title = _t(lang, f"{result.period}年各方阵单位数", f"Units per tier, {result.period}")
    parts = [f"{_tier_label(result, str(t), lang)} {n}" for t, n in counts["units"].items()]
    alt = _t(lang, "各方阵单位数：", "Units per tier: ") + ", ".join(parts)
    return Chart(fig, title, alt)


def dimension_chart(result: AnyResult, unit: str, *, lang: Lang = "zh") -> Chart:
    """One unit's score in every top-level dimension against the mean of the ranked units."""
    table = result.table
    if unit not in table.index:
        raise KeyError(f"unit {unit!r} is not in the result of {result.period}")
    dims = [d for d in result.methodology.dimensions if d.id in table.columns]
    ranked = _ranked(result)
    names = [(d.name_en or d.name) if lang == "en" else d.name for d in dims]
    mine = [float(pd.to_numeric(table[d.id]).loc[unit]) for d in dims]
    mean = [float(pd.to_numeric(ranked[d.id]).mean()) for d in dims]
    fig = _figure(5.5, 0.45 * len(dims) + 1.3)
    family = _family(fig)
    ax = fig.add_subplot()
    y = list(range(len(dims)))
    row = table.loc[unit]
    colour = tier_colours(result).get(row["tier"], OTHER) if isinstance(row["tier"], str) else OTHER
    bars = ax.barh([i - 0.2 for i in y], mine, height=0.4, color=colour, label=str(row["name"]))
    ax.barh([i + 0.2 for i in y], mean, height=0.4, color=NONE, label=_t(lang, "平均", "Average"))
    ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=2)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    _style(ax, family)
    ax.legend(
        prop={"family": family, "size": 8},
        frameon=False,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=2,
    )
    ax.set_xlabel(_t(lang, "维度得分", "Dimension score"), fontfamily=family, fontsize=9)
    title = _t(lang, f"{row['name']}各维度得分", f"{row['name']}: scores by dimension")
    alt = "; ".join(f"{n} {v:.1f}" for n, v in zip(names, mine, strict=True))
    return Chart(fig, title, alt)


def map_chart(
    result: AnyResult,
    geometry: dict[str, Any],
    *,
    city: str | None = None,
    lang: Lang = "zh",
) -> Chart:
    """The units on a map coloured by tier, the city's outlined.  ``geometry``: GeoJSON
    (a FeatureCollection of Polygons/MultiPolygons in longitude/latitude) whose features carry
    the unit code as ``properties.adcode``; units without a feature are not drawn."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Polygon

    table = result.table
    colours = tier_colours(result)
    fig = _figure(6.0, 6.0)
    family = _family(fig)
    ax = fig.add_subplot()
    fills: list[Any] = []
    outlines: list[Any] = []
    for feature in geometry.get("features", []):
        code = str(feature.get("properties", {}).get("adcode", ""))
        tier = table["tier"].get(code) if code in table.index else None
        colour = colours.get(tier, NONE) if isinstance(tier, str) else NONE
        shape = feature["geometry"]
        polygons = (
            shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
        )
        for polygon in polygons:
            ring = polygon[0]
            fills.append(Polygon(ring, closed=True, facecolor=colour, edgecolor="white"))
            if city is not None and code.startswith(city):
                outlines.append(Polygon(ring, closed=True))
    ax.add_collection(PatchCollection(fills, match_original=True, linewidth=0.3))
    if outlines:
        ax.add_collection(
            PatchCollection(outlines, facecolor="none", edgecolor=CITY, linewidth=1.2)
        )
    ax.autoscale_view()
    ax.set_aspect(1.2)  # about 1/cos(34°): Henan's latitude
    ax.set_axis_off()
    present = [t for t in colours if (table["tier"] == t).any()]
    handles = [Patch(color=colours[t], label=_tier_label(result, t, lang)) for t in present]
    if outlines:
        handles.append(Patch(facecolor="white", edgecolor=CITY, label=_t(lang, "本市", "City")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an empty legend on a map without tiers
        ax.legend(handles=handles, prop={"family": family, "size": 8}, frameon=False, loc="best")
    title = _t(lang, f"{result.period}年各方阵分布", f"Tiers on the map, {result.period}")
    return Chart(fig, title, title)
