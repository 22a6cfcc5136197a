"""The assessment report and the county card as PDF: HTML from Jinja templates, laid out by
WeasyPrint (Pango, fonts from fontconfig).

- :func:`report_pdf`: the report of one assessment — a cover (title, period, the methodology
  and its SHA-256 fingerprint, the date, contents; 「征求意见稿」 across every page of a draft),
  the method, the briefing's sentences, the full ranking, the tiers and their members, the
  ranking within each category, the charts (SVG), and where the caller passes them the
  robustness of the ranks (:mod:`kaoping.analysis.uncertainty`), what it takes
  (:mod:`kaoping.analysis.margins`) and the statistical audit (:mod:`kaoping.analysis.audit`);
- :func:`county_card_pdf`: one A4 page per county — ranks, tier, score, change, awards, its
  dimensions against the average, its strongest and weakest, and on the official path its
  points, bonus, penalty and veto lines.

A4, Chinese first: the body in Noto Serif CJK SC, headings and tables in Noto Sans CJK SC
(each with the usual Chinese fonts after it in the CSS font list), English with ``lang="en"``.
Pages are numbered ``第 n 页 / 共 N 页`` under a running header (the title and the section).

Offline and reproducible: WeasyPrint reads nothing but the package's templates folder and
``data:`` URLs (any other URL stops the rendering), and the same inputs give the same bytes —
the document's dates are the report's date (given, or fixed by the period), its PDF identifier
a digest of its HTML, the charts' SVG ids from a fixed salt.

Each chart is an SVG image of its own (a ``data:`` URL), not an ``<svg>`` element in the page:
WeasyPrint would read an inline SVG's style attributes as the page's CSS (and warn about
every ``fill``), and the charts' ids would clash in one document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from markupsafe import Markup

from kaoping.assess.official_result import OfficialResult
from kaoping.assess.result import Result
from kaoping.methodology import (
    AGGREGATION_METHODS,
    MISSING_METHODS,
    NORMALIZATION_METHODS,
    WEIGHTING_METHODS,
    Methodology,
)
from kaoping.methodology.official import RULES
from kaoping.report.briefing import Briefing, Sentence, briefing, tier_cutoff
from kaoping.report.tables import (
    Table,
    category_tables,
    in_city,
    ranked,
    ranking_table,
    tier_label,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from kaoping.analysis.audit import Audit
    from kaoping.analysis.margins import Margin
    from kaoping.analysis.uncertainty import UncertaintyResult
    from kaoping.report.charts import Chart

__all__ = ["TEMPLATES", "county_card_pdf", "default_date", "report_pdf"]

Lang = Literal["zh", "en"]
AnyResult = Result | OfficialResult

TEMPLATES = Path(__file__).parent / "templates"
"""The Jinja templates and their CSS (package data)."""

# the English of the vocabularies kaoping.methodology glosses in Chinese
_NORMALIZATION_EN = {
    "minmax": "min-max",
    "zscore": "z-score",
    "rank": "percentile rank",
    "goalposts": "goalposts",
    "vector": "vector",
    "fracmax": "fraction of the maximum",
    "dist2max": "distance to the maximum",
    "target": "completion of the target",
}
_WEIGHTING_EN = {
    "fixed": "given weights",
    "equal": "equal weights",
    "entropy": "entropy",
    "critic": "CRITIC",
    "cv": "coefficient of variation",
    "ahp": "analytic hierarchy process",
    "combine": "subjective and objective weights combined",
}
_AGGREGATION_EN = {
    "arithmetic": "weighted arithmetic mean",
    "geometric": "weighted geometric mean",
    "harmonic": "weighted harmonic mean",
    "generalized": "generalised weighted mean",
    "topsis": "TOPSIS",
    "gra": "grey relational analysis",
    "vikor": "VIKOR",
    "copeland": "Copeland",
}
_MISSING_EN = {
    "error": "refused (every figure must be given)",
    "skip": "left out, the weights rescaled over the figures given",
    "mean": "the mean of the others",
    "median": "the median of the others",
    "category_mean": "the mean of the category",
    "carry_forward": "the previous period's value",
}
_RULES_EN = {
    "completion": "completion of the target",
    "efficacy": "efficacy coefficient",
    "vs_average": "against the average",
    "rank_points": "points by rank",
    "bands": "points by band",
    "benchmark_ratio": "ratio to a benchmark",
    "level_and_growth": "level and growth",
    "judged": "judges' scores",
}
_DIRECTIONS = {
    "positive": ("正向", "positive"),
    "negative": ("逆向", "negative"),
    "moderate": ("适度", "moderate"),
    "constraint": ("约束", "constraint"),
}
_INPUTS = {
    "weights": ("权重", "weights"),
    "normalization": ("标准化方法", "normalisation"),
    "aggregation": ("合成方法", "aggregation"),
    "imputation": ("缺失值处理", "imputation"),
    "outliers": ("异常值处理", "outlier treatment"),
    "exclude": ("剔除一项", "one left out"),
}
_KINDS = {
    "bonus": ("加分", "Bonus"),
    "penalty": ("减分", "Penalty"),
    "veto": ("一票否决", "Veto"),
}

# every fixed label of the templates: key -> (Chinese, English)
_LABELS: dict[str, tuple[str, str]] = {
    "contents": ("目录", "Contents"),
    "draft": ("征求意见稿", "Draft for comment"),
    "methodology": ("考核办法", "Methodology"),
    "version": ("版本", "Version"),
    "document": ("文件", "Document"),
    "period": ("考核期", "Period"),
    "fingerprint": ("办法指纹（SHA-256）", "Methodology fingerprint (SHA-256)"),
    "units": ("参评单位", "Units assessed"),
    "ranked": ("参加排名", "Units ranked"),
    "date": ("日期", "Date"),
    "made_by": ("由 kaoping 根据考核结果生成", "Made by kaoping from the assessment's result"),
    "notes": ("提示", "Notes"),
    "awards": ("表彰", "Awards"),
    "no_tier": ("未列入方阵", "In no tier"),
    "sobol": ("敏感性（Sobol 指数）", "Sensitivity (Sobol indices)"),
    "remove_one": ("逐一剔除", "Left out one at a time"),
    "ranks_interval": ("名次区间", "Rank intervals"),
    "interval_legend": (
        "条形：5%–95% 分位名次区间；黑点：名义名次。",
        "Bar: the 5th–95th percentile ranks; dot: the nominal rank.",
    ),
    "card_strongest": ("优势维度", "Strongest dimension"),
    "card_weakest": ("短板维度", "Weakest dimension"),
    "card_obstacles": ("主要障碍因子", "Main obstacles"),
    "card_dimensions": ("各维度", "Dimensions"),
    "card_lines": ("加减分与否决", "Bonus, penalty and veto"),
    "card_no_lines": ("无加减分事项。", "No bonus or penalty items."),
    "card_awards": ("表彰", "Awards"),
    "card_veto": ("一票否决", "Veto"),
    "card_gate": ("未参加排名", "Not ranked"),
    "card_points": ("计分", "Points"),
    "card_leading": ("领先指标", "Leading indicators"),
    "card_lagging": ("落后指标", "Lagging indicators"),
}


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _labels(lang: Lang) -> dict[str, str]:
    return {k: v[0] if lang == "zh" else v[1] for k, v in _LABELS.items()}


def _check_lang(lang: str) -> Lang:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang  # type: ignore[return-value]


def _num(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    return f"{float(value):.{digits}f}"


def _g(value: float) -> str:
    return f"{value:g}"


def _date_text(date: dt.date, lang: Lang) -> str:
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()


def default_date(period: str) -> dt.date:
    """The date of a report of ``period`` when none is given: 1 January after the period's
    year (a report of 2024 is dated 2025-01-01), 1980-01-01 for a period without a year.
    Fixed by the inputs, so that the same inputs give the same file."""
    match = re.match(r"\s*(\d{4})", str(period))
    return dt.date(int(match.group(1)) + 1, 1, 1) if match else dt.date(1980, 1, 1)


def _assessment(m: Methodology, lang: Lang) -> str:
    return (m.name_en or m.name) if lang == "en" else m.name


def _node_name(m: Methodology, ident: str, lang: Lang) -> str:
    """A dimension's or indicator's name in ``lang`` (the id when unknown)."""
    for node in m.nodes():
        if node.id == ident:
            return (node.name_en or node.name) if lang == "en" else node.name
    for ind in m.indicators:
        if ind.id == ident:
            return (ind.name_en or ind.name) if lang == "en" else ind.name
    return ident


# --------------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _css_string(text: str) -> Markup:
    """``text`` as a CSS string literal (a label set in the page style: the cover's footer)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(f'"{escaped}"')


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads the templates folder and ``data:`` URLs only; any
    other URL (the network above all) stops the rendering."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = TEMPLATES.resolve()
    types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    kind = types.get(path.suffix, "application/octet-stream")
                    return URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": f"{kind}; charset=utf-8"}
                    )
            raise ValueError(f"kaoping.report.pdf reads no URL but its templates': {url}")

    return LocalFetcher(fail_on_errors=True)


def _pdf(html: str) -> bytes:
    """``html`` laid out and written as PDF, its identifier the HTML's digest."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    try:
        document = HTML(string=html, base_url=str(TEMPLATES) + "/", url_fetcher=_fetcher())
        out: bytes = document.write_pdf(pdf_identifier=digest)
    except FatalURLFetchingError as error:  # a BaseException: as an ordinary error
        raise ValueError(str(error.__cause__ or error)) from None
    return out


def _render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def _svg(chart: Chart) -> str:
    """The chart as SVG in a ``data:`` URL (an image of its own: its ids and styles stay its
    own, not the page's), then its figure released."""
    import base64

    text = chart.svg()
    chart.figure.clear()
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


_MAP_POINTS = 20_000
"""About how many points the map's outlines keep (an SVG path is laid out point by point)."""


def _lighter(geometry: dict[str, Any], points: int = _MAP_POINTS) -> dict[str, Any]:
    """``geometry`` with every ``k``-th point of each outer ring (and its last), ``k`` such that
    about ``points`` remain: Henan's 216,000 points become 20,000, about 0.3 mm apart on the
    printed map (its outlines are 0.1 mm white lines).  Holes are dropped, as the map draws
    none."""
    features = geometry.get("features", [])

    def rings(shape: dict[str, Any]) -> list[Any]:
        polys = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
        return [poly[0] for poly in polys]

    total = sum(len(r) for f in features for r in rings(f["geometry"]))
    k = max(1, math.ceil(total / points))
    out = []
    for f in features:
        polys = []
        for ring in rings(f["geometry"]):
            kept = ring[::k] if len(ring) > 4 * k else ring
            if kept[-1] != ring[-1]:
                kept = [*kept, ring[-1]]
            polys.append([kept])
        out.append({**f, "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return {**geometry, "features": out}


@dataclass(frozen=True)
class _Figure:
    svg: str  # a data: URL
    caption: str
    alt: str
    width: str  # CSS width of the figure's image


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced view: two for a wide (CJK) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(table: Table, longest: int = 26, header: int = 10) -> Table:
    """``table`` with its column widths from its content: each column as wide as its widest
    cell (up to ``longest`` columns of text, beyond which it wraps) or its header (up to
    ``header``, beyond which the header wraps), plus padding.  The Word 通报's widths are
    for its own page; the report's tables have other columns."""
    widths = []
    for i, head in enumerate(table.headers):
        cells = max((_display_width(row[i]) for row in table.rows), default=0)
        widths.append(max(min(cells, longest), min(_display_width(head), header)) + 3)
    total = sum(widths)
    return Table(
        headers=table.headers,
        rows=table.rows,
        widths=tuple(w / total for w in widths),
        marked=table.marked,
        numeric=table.numeric,
    )


def _figure(chart: Chart, number: int, lang: Lang, width: str = "100%") -> _Figure:
    caption = _t(lang, f"图{number}　{chart.title}", f"Figure {number}. {chart.title}")
    alt = chart.alt
    return _Figure(_svg(chart), caption, alt, width)


# --------------------------------------------------------------------------------------------
# the method
# --------------------------------------------------------------------------------------------


def _method_rows(result: AnyResult, lang: Lang) -> list[tuple[str, str]]:
    """The method in rows of (item, how): the academic path's choices, or the official
    path's frame (categories, total, peers, missing figures, caps, components)."""
    m = result.methodology
    rows: list[tuple[str, str]] = []
    spec = m.official
    if spec is None:
        norm = m.normalization
        text = _t(
            lang,
            f"{NORMALIZATION_METHODS.get(norm.method, norm.method)}（{norm.method}）",
            f"{_NORMALIZATION_EN.get(norm.method, norm.method)} ({norm.method})",
        )
        if norm.uses_range:
            lo, hi = (_g(v) for v in norm.range)
            text += _t(lang, f"，映射到 {lo}–{hi}", f", mapped to {lo}–{hi}")
        params = ", ".join(f"{k} = {v}" for k, v in norm.params.items())
        if params:
            text += f"（{params}）" if lang == "zh" else f" ({params})"
        rows.append((_t(lang, "标准化方法", "Normalisation"), text))
        w = m.weighting
        text = _t(
            lang,
            f"{WEIGHTING_METHODS.get(w.method, w.method)}（{w.method}）",
            f"{_WEIGHTING_EN.get(w.method, w.method)} ({w.method})",
        )
        if w.method == "combine":
            sub, obj = w.subjective or "", w.objective or ""
            text += _t(
                lang,
                f"：主观 {WEIGHTING_METHODS.get(sub, sub)}，客观 "
                f"{WEIGHTING_METHODS.get(obj, obj)}，α = {_g(w.alpha)}（{w.mode}）",
                f": subjective {_WEIGHTING_EN.get(sub, sub)}, objective "
                f"{_WEIGHTING_EN.get(obj, obj)}, α = {_g(w.alpha)} ({w.mode})",
            )
        if w.uses_ahp:
            text += _t(lang, f"；随机一致性指标表 {w.ri}", f"; random index table {w.ri}")
        rows.append((_t(lang, "赋权方法", "Weighting"), text))
        agg = m.aggregation
        text = _t(
            lang,
            f"{AGGREGATION_METHODS.get(agg.method, agg.method)}（{agg.method}）",
            f"{_AGGREGATION_EN.get(agg.method, agg.method)} ({agg.method})",
        )
        params = ", ".join(f"{k} = {v}" for k, v in agg.params.items())
        if params:
            text += f"（{params}）" if lang == "zh" else f" ({params})"
        own = [n for n in m.nodes() if n.aggregation is not None]
        for node in own:
            a = node.aggregation
            assert a is not None
            name = (node.name_en or node.name) if lang == "en" else node.name
            text += _t(
                lang,
                f"；{name}内部：{AGGREGATION_METHODS.get(a.method, a.method)}",
                f"; within {name}: {_AGGREGATION_EN.get(a.method, a.method)}",
            )
        rows.append((_t(lang, "合成方法", "Aggregation"), text))
        miss = m.missing
        text = _t(
            lang,
            f"{MISSING_METHODS.get(miss.method, miss.method)}（{miss.method}）",
            f"{_MISSING_EN.get(miss.method, miss.method)} ({miss.method})",
        )
        if miss.min_share is not None:
            text += _t(
                lang,
                f"；可用子项不少于 {miss.min_share:.0%}",
                f"; at least {miss.min_share:.0%} of a node's children given",
            )
        rows.append((_t(lang, "缺失值处理", "Missing values"), text))
        rows.append(
            (
                _t(lang, "异常值处理", "Outliers"),
                _t(
                    lang,
                    "偏度、峰度超限的指标先缩尾，仍超限则取对数" if m.treat_outliers else "不处理",
                    "winsorised where skewness and kurtosis exceed their limits, else "
                    "log-transformed"
                    if m.treat_outliers
                    else "none",
                ),
            )
        )
    else:
        if spec.categories:
            sep = "、" if lang == "zh" else ", "
            rows.append((_t(lang, "分类考核", "Categories"), sep.join(spec.categories)))
        rows.append(
            (
                _t(lang, "指标总分", "Indicator points"),
                _t(
                    lang,
                    f"每类 {_g(spec.total_points)} 分（统一指标、分类赋权）",
                    f"{_g(spec.total_points)} in every category (the same indicators, "
                    "weighted per category)",
                ),
            )
        )
        within = spec.compare_within == "category"
        rows.append(
            (
                _t(lang, "比较范围", "Peers"),
                _t(
                    lang,
                    "同类单位之间" if within else "全体参评单位",
                    "the units of the same category" if within else "every unit assessed",
                ),
            )
        )
        rows.append(
            (
                _t(lang, "缺失值处理", "Missing values"),
                _t(
                    lang,
                    "未报送不得分（按 0 分计）" if spec.missing == "zero" else "不允许缺失",
                    "a figure not given scores 0"
                    if spec.missing == "zero"
                    else "refused (every figure must be given)",
                ),
            )
        )
        bonus_cap, penalty_cap = spec.unit_caps
        if bonus_cap is not None or penalty_cap is not None:
            parts = []
            if bonus_cap is not None:
                parts.append(_t(lang, f"加分不超过 {_g(bonus_cap)} 分", f"bonus {_g(bonus_cap)}"))
            if penalty_cap is not None:
                parts.append(
                    _t(lang, f"减分不超过 {_g(penalty_cap)} 分", f"penalty {_g(penalty_cap)}")
                )
            rows.append(
                (
                    _t(lang, "每单位上限", "Caps per unit"),
                    ("，" if lang == "zh" else ", ").join(parts),
                )
            )
        for c in spec.components:
            dims = ("、" if lang == "zh" else ", ").join(
                _node_name(m, d, lang) for d in c.dimensions
            )
            rows.append((_t(lang, "构成", "Component"), f"{c.name} {_g(c.weight)}%（{dims}）"))
    tiers = []
    for tier in m.tiers:
        cutoff = tier_cutoff(result, tier.name, lang)
        label = tier_label(result, tier.name, lang)
        tiers.append(f"{label}（{cutoff}）" if lang == "zh" else f"{label} ({cutoff})")
    if tiers:
        rows.append((_t(lang, "方阵", "Tiers"), ("；" if lang == "zh" else "; ").join(tiers)))
    return rows


def _weights_table(result: Result, lang: Lang) -> Table:
    """Per scored indicator under its top-level dimension: direction, unit, weight within its
    group and effective weight; each dimension a group row with its weight."""
    m = result.methodology
    weights = result.weights
    rows: list[tuple[str, ...]] = []
    groups: list[bool] = []
    for top in m.dimensions:
        share = result.node_weights.get(top.id)
        name = (top.name_en or top.name) if lang == "en" else top.name
        head = name if share is None else f"{name}（{float(share):.3f}）"
        if lang == "en" and share is not None:
            head = f"{name} ({float(share):.3f})"
        rows.append((head, "", "", "", ""))
        groups.append(True)
        for ind in top.scored_below:
            if ind.id not in weights.index:
                continue
            w: Any = weights.loc[ind.id]
            zh, en = _DIRECTIONS.get(ind.direction, (ind.direction, ind.direction))
            rows.append(
                (
                    (ind.name_en or ind.name) if lang == "en" else ind.name,
                    _t(lang, zh, en),
                    ind.unit or "",
                    f"{float(w['weight']):.3f}",
                    f"{float(w['effective_weight']):.4f}",
                )
            )
            groups.append(False)
    return Table(
        headers=(
            _t(lang, "指标", "Indicator"),
            _t(lang, "方向", "Direction"),
            _t(lang, "单位", "Unit"),
            _t(lang, "组内权重", "Weight in group"),
            _t(lang, "综合权重", "Effective weight"),
        ),
        rows=tuple(rows),
        widths=(0.44, 0.12, 0.14, 0.15, 0.15),
        marked=tuple(groups),
        numeric=(False, False, False, True, True),
    )


_PARAMS: dict[str, tuple[str, str]] = {
    "floor": ("下限 {v}", "floor {v}"),
    "cap": ("封顶 {v}", "cap {v}"),
    "zero_below": ("完成率低于 {v} 得 0 分", "0 points below a ratio of {v}"),
    "base": ("基础分比例 {v}", "base {v}"),
    "satisfactory": ("满意值 {v}", "satisfactory value {v}"),
    "unacceptable": ("不允许值 {v}", "unacceptable value {v}"),
    "step": ("每个百分点 {v} 分", "{v} points a point"),
    "per": ("按{v}计", "per {v}"),
    "average": ("平均值 {v}", "average {v}"),
    "table": ("名次分值 {v}", "points by rank {v}"),
    "decrement": ("每名递减 {v} 分", "{v} points less a rank"),
    "proportional": ("与最优值成比例", "proportional to the best"),
    "benchmark": ("标杆值 {v}", "benchmark {v}"),
    "growth": ("增量指标：{v}", "growth: {v}"),
    "a": ("总量占 {v}", "level's share {v}"),
    "criteria": ("评分项：{v}", "criteria: {v}"),
    "trim": ("去掉一个最高分和一个最低分", "the highest and lowest score dropped"),
}


def _rule_params(m: Methodology, method: str, params: Sequence[tuple[str, Any]], lang: Lang) -> str:
    """A scoring rule's written parameters in words."""
    parts: list[str] = []
    for key, value in params:
        zh, en = _PARAMS.get(key, (f"{key} {{v}}", f"{key} {{v}}"))
        if key == "bands":
            bands = []
            for lo, hi, points in value:
                if lo is not None and hi is not None:
                    span = f"{_g(lo)}–{_g(hi)}"
                elif lo is not None:
                    span = f"≥{_g(lo)}"
                else:
                    span = f"<{_g(hi)}"
                bands.append(_t(lang, f"{span}：{_g(points)}分", f"{span}: {_g(points)}"))
            parts.append(("；" if lang == "zh" else "; ").join(bands))
            continue
        if key in ("proportional", "trim"):
            if value:
                parts.append(_t(lang, zh, en))
            continue
        if key == "growth":
            text = _node_name(m, str(value), lang)
        elif key == "per":
            text = _t(lang, "百分比" if value == "percent" else "百分点", str(value))
        elif key == "table":
            text = "/".join(_g(v) for v in value)
        elif key == "criteria":
            text = ("、" if lang == "zh" else ", ").join(f"{k} {_g(v)}" for k, v in value)
        elif isinstance(value, float | int) and not isinstance(value, bool):
            text = _g(float(value))
        else:
            text = str(value)
        parts.append((zh if lang == "zh" else en).format(v=text))
    return ("，" if lang == "zh" else ", ").join(parts)


def _scoring_table(result: OfficialResult, lang: Lang) -> Table:
    """The official scoring table: per indicator (under its top-level dimension) the rule,
    its parameters and the points of every category."""
    m = result.methodology
    spec = m.official
    assert spec is not None
    categories: list[str | None] = [*spec.categories] or [None]
    rows: list[tuple[str, ...]] = []
    groups: list[bool] = []
    for top in m.dimensions:
        items = [spec.item(i.id) for i in top.scored_below]
        present = [i for i in items if i is not None]
        if not present:
            continue
        name = (top.name_en or top.name) if lang == "en" else top.name
        rows.append((name, "", "", *("" for _ in categories)))
        groups.append(True)
        for item in present:
            method = item.rule.method
            zh, en = RULES.get(method, method), _RULES_EN.get(method, method)
            points = []
            for category in categories:
                try:
                    points.append(_g(item.points_for(category)))
                except KeyError:
                    points.append("")
            rows.append(
                (
                    _node_name(m, item.indicator, lang),
                    _t(lang, zh, en),
                    _rule_params(m, item.rule.method, item.rule.params, lang),
                    *points,
                )
            )
            groups.append(False)
    n = len(categories)
    point_share = 0.11 if n > 1 else 0.12
    rest = 1 - point_share * n
    headers = [
        _t(lang, "指标", "Indicator"),
        _t(lang, "计分方法", "Rule"),
        _t(lang, "参数", "Parameters"),
    ]
    headers += [c if c is not None else _t(lang, "分值", "Points") for c in categories]
    return Table(
        headers=tuple(headers),
        rows=tuple(rows),
        widths=(rest * 0.34, rest * 0.24, rest * 0.42, *(point_share for _ in categories)),
        marked=tuple(groups),
        numeric=(False, False, False, *(True for _ in categories)),
    )


def _items_table(result: OfficialResult, lang: Lang) -> Table | None:
    """Bonus, penalty and veto items and the entry gate, with their points, caps and
    conditions."""
    m = result.methodology
    spec = m.official
    assert spec is not None
    rows: list[tuple[str, ...]] = []
    for kind, items in (("bonus", spec.bonus), ("penalty", spec.penalty)):
        zh, en = _KINDS[kind]
        for item in items:
            cap = "" if item.cap is None else _g(item.cap)
            rows.append((_t(lang, zh, en), item.name, _g(item.points), cap))
    for veto in spec.veto:
        zh, en = _KINDS["veto"]
        condition = ""
        if veto.indicator is not None:
            name = _node_name(m, veto.indicator, lang)
            if veto.above is not None:
                condition = f"{name} > {_g(veto.above)}"
            elif veto.below is not None:
                condition = f"{name} < {_g(veto.below)}"
        rows.append((_t(lang, zh, en), veto.name, condition, ""))
    for gate in spec.gate:
        name = _node_name(m, gate.indicator, lang)
        bounds = []
        if gate.min is not None:
            bounds.append(f"{name} ≥ {_g(gate.min)}")
        if gate.max is not None:
            bounds.append(f"{name} ≤ {_g(gate.max)}")
        rows.append((_t(lang, "门槛", "Gate"), gate.name, ", ".join(bounds), ""))
    if not rows:
        return None
    return Table(
        headers=(
            _t(lang, "类型", "Kind"),
            _t(lang, "事项", "Item"),
            _t(lang, "分值或条件", "Points or condition"),
            _t(lang, "单项上限", "Cap"),
        ),
        rows=tuple(rows),
        widths=(0.14, 0.46, 0.28, 0.12),
        marked=tuple(False for _ in rows),
        numeric=(False, False, False, True),
    )


def _awards_rows(result: OfficialResult, lang: Lang) -> list[tuple[str, str]]:
    spec = result.methodology.official
    assert spec is not None
    out = []
    for award in spec.awards:
        rule = {
            "top": _t(lang, f"总排名前 {award.n} 名", f"the first {award.n} overall"),
            "top_per_category": _t(
                lang, f"每类前 {award.n} 名", f"the first {award.n} of every category"
            ),
            "most_improved": _t(
                lang, f"进位最多的 {award.n} 名", f"the {award.n} that gained the most places"
            ),
        }.get(award.kind, f"{award.kind} {award.n}")
        out.append((award.name, rule))
    if out:
        out.append(
            (
                _t(lang, "约束", "Veto"),
                _t(
                    lang,
                    "一票否决的单位保留得分和排名，不列入方阵，不参加表彰",
                    "a vetoed unit keeps its score and rank but gets no tier and no award",
                ),
            )
        )
    return out


def _imputations(result: Result, lang: Lang) -> Table | None:
    if not result.imputations:
        return None
    names = result.table["name"]
    rows = []
    for imp in result.imputations:
        rows.append(
            (
                str(names.get(imp.unit, imp.unit)),
                _node_name(result.methodology, imp.indicator, lang),
                f"{imp.value:.6g}",
                _t(lang, imp.note_zh or imp.note or imp.method, imp.note or imp.method),
            )
        )
    return Table(
        headers=(
            _t(lang, "县（市）", "County"),
            _t(lang, "指标", "Indicator"),
            _t(lang, "代入值", "Value used"),
            _t(lang, "说明", "How"),
        ),
        rows=tuple(rows),
        widths=(0.16, 0.3, 0.14, 0.4),
        marked=tuple(False for _ in rows),
        numeric=(False, False, True, False),
    )


# --------------------------------------------------------------------------------------------
# the findings, tiers, robustness and margins
# --------------------------------------------------------------------------------------------

_GROUPS = {
    "overall": ("总体情况", "Overall"),
    "movers": ("进位情况", "Rises and falls"),
    "awards": ("表彰情况", "Commendations"),
    "dims": ("分项情况", "By dimension"),
}


def _groups(b: Briefing, lang: Lang) -> list[tuple[str, list[Sentence]]]:
    """The briefing's sentences under the 通报's headings (as :mod:`kaoping.report.word`
    groups them), in the briefing's order."""
    from kaoping.report.word import _sections

    return [(_t(lang, *_GROUPS[key]), sentences) for key, sentences in _sections(b)]


@dataclass(frozen=True)
class _Member:
    name: str
    rank: str
    marked: bool


@dataclass(frozen=True)
class _Tier:
    label: str
    cutoff: str
    count: str
    members: tuple[_Member, ...]


def _tiers(result: AnyResult, city: str | None, lang: Lang) -> list[_Tier]:
    """Every tier of the methodology with its members in rank order, then the ranked units
    in no tier (vetoed) when there are any."""
    frame = ranked(result)
    marked = dict(zip(frame.index, in_city(list(frame.index), city), strict=True))

    def members(rows: pd.DataFrame) -> tuple[_Member, ...]:
        return tuple(
            _Member(str(r["name"]), str(int(r["rank"])), marked[code])
            for code, r in rows.iterrows()
        )

    out = []
    for tier in result.methodology.tiers:
        rows = frame[frame["tier"] == tier.name]
        out.append(
            _Tier(
                tier_label(result, tier.name, lang),
                tier_cutoff(result, tier.name, lang),
                _count(len(rows), lang),
                members(rows),
            )
        )
    rest = frame[frame["tier"].isna()]
    if result.methodology.tiers and len(rest):
        why = ""
        if "veto" in rest.columns and rest["veto"].notna().all():
            why = _t(lang, "一票否决", "vetoed")
        out.append(_Tier(_LABELS["no_tier"][0 if lang == "zh" else 1], why,
                         _count(len(rest), lang), members(rest)))  # fmt: skip
    return out


def _count(n: int, lang: Lang) -> str:
    return _t(lang, f"{n} 个", f"{n} unit" if n == 1 else f"{n} units")


@dataclass(frozen=True)
class _Interval:
    cells: tuple[str, ...]
    marked: bool
    left: float  # the bar's start, % of the track
    width: float
    dot: float


@dataclass(frozen=True)
class _Robustness:
    settings: list[tuple[str, str]]
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    rows: list[_Interval]
    sobol: Table | None
    remove_one: Table | None


def _robustness(
    u: UncertaintyResult, result: AnyResult, city: str | None, lang: Lang
) -> _Robustness:
    m = result.methodology
    spec = u.spec
    varied = ("、" if lang == "zh" else ", ").join(
        _t(lang, *_INPUTS.get(v, (v, v))) for v in spec.varied
    )
    settings = [
        (_t(lang, "样本数", "Samples"), f"{u.samples:,}"),
        (_t(lang, "随机种子", "Seed"), "" if u.seed is None else str(u.seed)),
        (_t(lang, "变动的输入", "Inputs varied"), varied),
    ]
    if spec.weights == "dirichlet":
        settings.append(
            (
                _t(lang, "权重分布", "Weights drawn"),
                _t(
                    lang,
                    f"以名义权重为均值的 Dirichlet 分布，集中度 {_g(spec.concentration)}",
                    f"Dirichlet around the nominal weights, concentration {_g(spec.concentration)}",
                ),
            )
        )
    elif spec.weights == "uniform":
        settings.append(
            (
                _t(lang, "权重分布", "Weights drawn"),
                _t(
                    lang,
                    f"名义权重乘以 U(1 − {_g(spec.spread)}, 1 + {_g(spec.spread)}) 后重新归一",
                    f"the nominal weights times U(1 − {_g(spec.spread)}, 1 + {_g(spec.spread)}), "
                    "rescaled",
                ),
            )
        )
    if len(u.shift):
        settings.append(
            (
                _t(lang, "平均名次变动", "Mean absolute rank shift"),
                _t(lang, f"{float(u.shift.mean()):.2f} 位", f"{float(u.shift.mean()):.2f} places"),
            )
        )
    table = u.table[u.table["nominal_rank"].notna()].sort_values("nominal_rank", kind="stable")
    tiers = [t.name for t in m.tiers if f"P({t.name})" in table.columns]
    n = max(int(table["nominal_rank"].max()) if len(table) else 1, 2)
    headers = [
        _t(lang, "名次", "Rank"),
        _t(lang, "县（市）", "County"),
        _t(lang, "中位名次", "Median"),
        "5%–95%",
        _t(lang, "名次区间", "Interval"),
    ]
    widths = [0.07, 0.13, 0.09, 0.12, 0.3]
    numeric = [True, False, True, True, False]
    for t in tiers:
        headers.append(
            _t(lang, f"P({tier_label(result, t, lang)})", f"P({tier_label(result, t, lang)})")
        )
        widths.append(0.29 / max(len(tiers), 1))
        numeric.append(True)
    marks = in_city(list(table.index), city)
    rows = []
    for (_, r), mark in zip(table.iterrows(), marks, strict=True):
        lo, hi, nominal = float(r["p05"]), float(r["p95"]), float(r["nominal_rank"])
        cells = [
            str(int(nominal)),
            str(r["name"]),
            str(int(r["median_rank"])),
            f"{int(lo)}–{int(hi)}",
        ]
        cells += [f"{float(r[f'P({t})']):.0%}" for t in tiers]
        left = (lo - 1) / (n - 1) * 100
        width = max((hi - lo) / (n - 1) * 100, 0.8)
        rows.append(_Interval(tuple(cells), mark, left, width, (nominal - 1) / (n - 1) * 100))
    sobol = None
    if u.sobol is not None and len(u.sobol):
        srows = []
        for key, s in u.sobol.iterrows():
            srows.append(
                (
                    _t(lang, *_INPUTS.get(str(key), (str(key), str(key)))),
                    _num(s.get("first"), 3),
                    _num(s.get("total"), 3),
                )
            )
        sobol = Table(
            headers=(
                _t(lang, "输入", "Input"),
                _t(lang, "一阶指数", "First order"),
                _t(lang, "总效应指数", "Total"),
            ),
            rows=tuple(srows),
            widths=(0.5, 0.25, 0.25),
            marked=tuple(False for _ in srows),
            numeric=(False, True, True),
        )
    remove = None
    if len(u.remove_one):
        top = u.remove_one.sort_values("mean_abs_rank_change", ascending=False, kind="stable")
        top = top.head(10)
        rrows = []
        for ident, r in top.iterrows():
            kind = (
                _t(lang, "指标", "indicator")
                if r["kind"] == "indicator"
                else _t(lang, "维度", "dimension")
            )
            rrows.append(
                (
                    _node_name(m, str(ident), lang),
                    kind,
                    _num(r["mean_abs_rank_change"], 2),
                    _num(r["max_abs_rank_change"], 0),
                )
            )
        remove = Table(
            headers=(
                _t(lang, "剔除", "Left out"),
                _t(lang, "类型", "Kind"),
                _t(lang, "平均名次变动", "Mean rank change"),
                _t(lang, "最大名次变动", "Largest rank change"),
            ),
            rows=tuple(rrows),
            widths=(0.4, 0.16, 0.22, 0.22),
            marked=tuple(False for _ in rrows),
            numeric=(False, False, True, True),
        )
    return _Robustness(settings, tuple(headers), tuple(w / sum(widths) for w in widths),
                       tuple(numeric), rows, sobol, remove)  # fmt: skip


@dataclass(frozen=True)
class _MarginView:
    heading: str
    summary: str
    notes: tuple[str, ...]
    table: Table | None


def _margin_view(margin: Margin, result: AnyResult, lang: Lang) -> _MarginView:
    """A margin as the report prints it: the gap to the goal and who holds its boundary (by
    name), then per indicator the change that reaches it, or why none does."""
    goal = margin.goal.en if lang == "en" else margin.goal.zh
    heading = f"{margin.name}：{goal}" if lang == "zh" else f"{margin.name}: {goal}"
    names = result.table["name"]
    holder = str(names.get(margin.holder, margin.holder)) if margin.holder else ""
    if margin.reached:
        summary = _t(lang, f"{margin.name}已{goal}。", f"{margin.name}: {goal} — reached.")
    elif margin.gap is not None and holder:
        summary = _t(
            lang,
            f"{margin.name}距{goal}差 {margin.gap:.2f} 分（目前由{holder}保持）。",
            f"{margin.name} is {margin.gap:.2f} points short of {goal} (held by {holder}).",
        )
    else:
        summary = ""
    notes = [en if lang == "en" else zh for zh, en in margin.notes]
    if margin.weights_move:
        notes.append(
            _t(
                lang,
                "客观赋权的权重随数值变化，每一项都已连同权重重新计算。",
                "Objective weights move with each figure: each change was re-scored with them.",
            )
        )
    table = None
    if margin.changes:
        rows = []
        for c in margin.changes:
            name = (c.name_en or c.name) if lang == "en" else c.name
            if c.reachable:
                sign = "+" if (c.change or 0) > 0 else ""
                rows.append((name, c.unit, f"{c.current:g}", f"{c.needed:g}",
                             f"{sign}{c.change:g}", ""))  # fmt: skip
            else:
                rows.append((name, c.unit, f"{c.current:g}", "", "",
                             c.why_en if lang == "en" else c.why_zh))  # fmt: skip
        table = Table(
            headers=(
                _t(lang, "指标", "Indicator"),
                _t(lang, "单位", "Unit"),
                _t(lang, "现值", "Now"),
                _t(lang, "需达到", "Needed"),
                _t(lang, "变化", "Change"),
                _t(lang, "说明", "Note"),
            ),
            rows=tuple(rows),
            widths=(0.25, 0.1, 0.1, 0.1, 0.1, 0.35),
            marked=tuple(False for _ in rows),
            numeric=(False, False, True, True, True, False),
        )
    return _MarginView(heading, summary, tuple(notes), table)


@dataclass(frozen=True)
class _AuditView:
    summary: str
    groups: Table
    groups_caption: str
    flagged: Table | None
    flagged_caption: str
    pairs: tuple[str, ...]
    legend: str


def _audit_view(audit: Audit, lang: Lang, caption: Any) -> _AuditView:
    """The audit as the report prints it: alpha and the first component per group (low
    alphas marked), the indicators it flags with what is wrong, and the flagged pairs."""
    th = audit.thresholds
    names = audit.names(lang)
    rows = []
    for key, g in audit.groups.iterrows():
        kaiser = g["above_one"]
        rows.append(
            (
                names.get(str(key), str(key)),
                str(int(g["k"])),
                _num(g["alpha"], 3) or "—",
                _num(g["pc1_share"] * 100, 1) + "%" if not pd.isna(g["pc1_share"]) else "—",
                "—" if pd.isna(kaiser) else str(int(kaiser)),
            )
        )
    groups = Table(
        headers=(
            _t(lang, "组", "Group"),
            _t(lang, "成员数", "Members"),
            "Cronbach's α" if lang == "zh" else "Cronbach's alpha",
            _t(lang, "第一主成分解释的方差", "Variance explained by PC1"),
            _t(lang, "特征值 > 1", "Eigenvalues > 1"),
        ),
        rows=tuple(rows),
        widths=(0.3, 0.12, 0.16, 0.24, 0.18),
        marked=tuple(bool(v) for v in audit.groups["low_alpha"]),
        numeric=(False, True, True, True, True),
    )
    flags = audit.flags()
    per: dict[str, list[str]] = {}
    sep = "；" if lang == "zh" else "; "
    words = {
        "outlier": (
            "疑似异常值（偏度 {s:.2f}、峰度 {k:.2f}）",
            "possible outliers (skewness {s:.2f}, kurtosis {k:.2f})",
        ),
        "low_availability": ("有效值占 {v:.0%}", "{v:.0%} of values present"),
        "weak_parent": ("与上级弱相关 r = {v:.2f}", "weak with its parent, r = {v:.2f}"),
        "negative_parent": ("与上级负相关 r = {v:.2f}", "negative with its parent, r = {v:.2f}"),
        "weak_index": ("与综合指数弱相关 r = {v:.2f}", "weak with the index, r = {v:.2f}"),
        "negative_index": ("与综合指数负相关 r = {v:.2f}", "negative with the index, r = {v:.2f}"),
    }
    stats = audit.indicators
    for _, f in flags.iterrows():
        if f["check"] not in words or f["id"] not in stats.index:
            continue
        text = words[f["check"]][0 if lang == "zh" else 1]
        sk, ku = stats.loc[f["id"], "skew"], stats.loc[f["id"], "kurtosis"]
        per.setdefault(str(f["id"]), []).append(text.format(v=f["value"], s=sk, k=ku))
    flagged = None
    if per:
        frows = tuple(
            (names.get(i, i), names.get(str(stats.loc[i, "dimension"]), ""), sep.join(per[i]))
            for i in stats.index
            if i in per
        )
        flagged = Table(
            headers=(
                _t(lang, "指标", "Indicator"),
                _t(lang, "所属维度", "Dimension"),
                _t(lang, "需要注意", "To look at"),
            ),
            rows=frows,
            widths=(0.32, 0.2, 0.48),
            marked=tuple(False for _ in frows),
            numeric=(False, False, False),
        )
    pairs = tuple(
        str(f[lang]) for _, f in flags.iterrows() if f["check"] in ("collinear", "negative_within")
    )
    counts = flags["check"].value_counts()
    low = int(counts.get("low_alpha", 0))
    summary = _t(
        lang,
        f"按 JRC 的 COINr 审计：{len(per)} 个指标需要注意，{len(pairs)} 对组内指标高度相关"
        f"或负相关，{low} 个组的 Cronbach's α 低于 {th['alpha_min']:g}。",
        f"The audit of the JRC's COINr: {len(per)} indicator(s) to look at, {len(pairs)} pair(s) "
        f"within a group highly or negatively correlated, {low} group(s) with Cronbach's alpha "
        f"below {th['alpha_min']:g}.",
    )
    legend = _t(
        lang,
        f"统计量取自原始数据：|偏度| ≥ {th['skew_max']:g} 且峰度 ≥ {th['kurt_max']:g} 为疑似"
        f"异常值；相关系数取自标准化值（Pearson）：r ≤ {th['weak']:g} 为弱相关，"
        f"r ≤ {th['negative']:g} 为负相关，组内 r > {th['high']:g} 为高度相关；"
        f"α 与主成分分析只用成员完整的单位；表{{n}}中标底色的组 α 低于 {th['alpha_min']:g}。",
        f"Statistics of the raw data: |skewness| >= {th['skew_max']:g} and kurtosis >= "
        f"{th['kurt_max']:g} flag possible outliers; correlations (Pearson) of the normalised "
        f"values: r <= {th['weak']:g} weak, r <= {th['negative']:g} negative, within a group "
        f"r > {th['high']:g} high; alpha and the components use the units with every member "
        f"given; the groups shaded in Table {{n}} have an alpha below {th['alpha_min']:g}.",
    )
    groups_caption = caption("各组一致性", "Consistency of each group")
    number = re.search(r"\d+", groups_caption)
    legend = legend.replace("{n}", number.group(0) if number else "")
    return _AuditView(
        summary,
        groups,
        groups_caption,
        flagged,
        caption("需要注意的指标", "Indicators to look at") if flagged else "",
        pairs,
        legend,
    )


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十"


def report_pdf(
    result: AnyResult,
    *,
    city: str | None = None,
    city_name: str | None = None,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
    draft: bool = False,
    geometry: dict[str, Any] | None = None,
    uncertainty: UncertaintyResult | None = None,
    margins: Margin | Sequence[Margin] | None = None,
    title: str | None = None,
    date: dt.date | None = None,
    audit: Audit | None = None,
) -> bytes:
    """The assessment report of ``result`` as PDF (A4).

    Parameters
    ----------
    result, city, city_name, previous, lang
        As for :func:`kaoping.report.briefing`: the report's findings are that briefing's
        sentences, and the city's units are marked in every table (bold, shaded).
    draft : bool
        A draft for comment: 「征求意见稿」 (``Draft for comment``) on the cover and across
        every page.
    geometry : dict, optional
        GeoJSON of the units (``properties.adcode``): adds the map of the tiers.
    uncertainty : UncertaintyResult, optional
        Adds the robustness of the ranks: every ranked unit's median rank, its 5th–95th
        percentile interval (drawn) and its tier probabilities; the Sobol indices and the
        remove-one changes where computed.
    margins : Margin or sequence of Margin, optional
        Adds what it takes: per margin, the gap to the goal and per indicator the change that
        reaches it.
    title : str, optional
        The cover's title (default: ``2024年度县域经济高质量发展综合评价报告``).
    date : datetime.date, optional
        The report's date, on the cover and in the PDF's metadata; default
        :func:`default_date` of the period (fixed by the inputs).
    audit : Audit, optional
        Adds the statistical audit (统计审计, :func:`kaoping.analysis.audit.audit` of
        ``result``): Cronbach's alpha and the first principal component per group, and the
        indicators and pairs it flags.

    Returns
    -------
    bytes
        The PDF.  The same arguments give the same bytes.

    Raises
    ------
    ValueError
        ``lang`` is neither ``"zh"`` nor ``"en"``; no ranked unit's code starts with
        ``city``; the uncertainty analysis, a margin or the audit is of another methodology
        or period.
    """
    from kaoping.report import charts

    lang = _check_lang(lang)
    m = result.methodology
    listed: list[Margin] = []
    if margins is not None:
        listed = [margins] if not isinstance(margins, Sequence) else list(margins)
    _check_analyses(result, uncertainty, listed)
    if audit is not None and (
        audit.period != result.period or audit.methodology.fingerprint() != m.fingerprint()
    ):
        raise ValueError(
            f"audit is of {audit.methodology.id} {audit.period}, the result of {m.id} "
            f"{result.period}: audit the result itself (kaoping.analysis.audit.audit(result))."
        )
    b = briefing(result, city=city, city_name=city_name, previous=previous, lang=lang)
    date = date or default_date(result.period)
    assessment = _assessment(m, lang)
    place = city_name or city
    title = title or _t(
        lang, f"{result.period}年度{assessment}报告", f"The {result.period} {assessment}: report"
    )
    official = isinstance(result, OfficialResult)
    frame = ranked(result)
    figures = 0
    tables = 0

    def next_figure() -> int:
        nonlocal figures
        figures += 1
        return figures

    def caption(text_zh: str, text_en: str) -> str:
        nonlocal tables
        tables += 1
        return _t(lang, f"表{tables}　{text_zh}", f"Table {tables}. {text_en}")

    sections: list[dict[str, Any]] = []

    def section(ident: str, zh: str, en: str, **content: Any) -> None:
        n = len(sections)
        heading = f"{_NUMERALS[n]}、{zh}" if lang == "zh" else f"{n + 1}. {en}"
        sections.append({"id": ident, "heading": heading, "toc": heading, **content})

    # the method
    method: dict[str, Any] = {"rows": _method_rows(result, lang)}
    if isinstance(result, OfficialResult):
        method["scoring"] = _scoring_table(result, lang)
        method["scoring_caption"] = caption("计分表", "The scoring table")
        items = _items_table(result, lang)
        method["item_table"] = items
        method["item_caption"] = (
            caption("加减分、否决与门槛", "Bonus, penalty, veto and gate") if items else ""
        )
        method["awards"] = _awards_rows(result, lang)
        method["weights"] = None
        method["imputed"] = None
    else:
        method["weights"] = _weights_table(result, lang)
        method["weights_caption"] = caption("指标与权重", "Indicators and weights")
        method["imputed"] = _imputations(result, lang)
        method["imputed_caption"] = (
            caption("插补的数值", "Figures estimated") if method["imputed"] else ""
        )
        method["scoring"] = None
        method["item_table"] = None
        method["awards"] = []
    method["notes"] = [n.message(lang) for n in result.notes]
    section("method", "方法说明", "Method", method=method)

    # the findings
    findings: dict[str, Any] = {"groups": _groups(b, lang), "city_table": None}
    if city is not None:
        findings["city_table"] = _fit(
            ranking_table(result, city=city, only_city=True, previous=previous, lang=lang)
        )
        findings["city_caption"] = caption(f"{place}各县（市）排名", f"The ranks of {place}")
    section("findings", "主要结果", "Findings", findings=findings)

    # the ranking
    chart = charts.ranking_chart(result, city=city, top=30, lang=lang)
    ranking = {
        "table": _fit(ranking_table(result, city=city, previous=previous, lang=lang)),
        "caption": caption(f"{result.period}年度综合排名", f"The ranking, {result.period}"),
        "figure": _figure(chart, next_figure(), lang),
    }
    section("ranking", "综合排名", "Ranking", ranking=ranking)

    # the tiers
    if m.tiers:
        made = [_figure(charts.tier_chart(result, city=city, city_name=place, lang=lang),
                        next_figure(), lang, "75%")]  # fmt: skip
        if geometry is not None:
            made.append(_figure(charts.map_chart(result, _lighter(geometry), city=city, lang=lang),
                                next_figure(), lang, "85%"))  # fmt: skip
        section("tiers", "方阵", "Tiers", tiers=_tiers(result, city, lang), figures=made)

    # the categories
    if frame["category"].notna().any():
        cats = [
            (name, _fit(table), caption(f"{name}排名", f"The ranking of {name}"))
            for name, table in category_tables(result, city=city, previous=previous, lang=lang)
        ]
        section("categories", "分类排名", "Ranking by category", categories=cats)

    if uncertainty is not None:
        section(
            "robustness",
            "稳健性",
            "Robustness",
            robustness=_robustness(uncertainty, result, city, lang),
        )
    if listed:
        section(
            "margins",
            "提升空间",
            "What it takes",
            margins=[_margin_view(x, result, lang) for x in listed],
        )
    if audit is not None:
        view = _audit_view(audit, lang, caption)
        section("audit", "统计审计", "Statistical audit", audit=view)

    labels = _labels(lang)
    cover = [
        (labels["methodology"], f"{_assessment(m, lang)}（{m.id}）" if lang == "zh"
         else f"{_assessment(m, lang)} ({m.id})"),
    ]  # fmt: skip
    if m.version:
        cover.append((labels["version"], m.version))
    if m.document:
        cover.append((labels["document"], m.document))
    cover += [
        (labels["period"], result.period),
        (labels["units"], str(len(result.table))),
        (labels["ranked"], str(len(frame))),
    ]
    scope = place or _t(lang, "全省", "Province-wide")
    html = _render(
        "report.html",
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        L=labels,
        title=title,
        scope=scope,
        assessment=assessment,
        period=result.period,
        cover=cover,
        fingerprint=m.fingerprint(),
        official=official,
        draft=draft,
        sections=sections,
        created=f"{date.isoformat()}T00:00:00Z",
        page_format=_page_format(lang),
        made_by=_css_string(labels["made_by"]),
        date=_date_text(date, lang),
        description=_t(
            lang,
            f"{result.period}年度{assessment}：综合排名、方阵与分类排名",
            f"The {result.period} {assessment}: the ranking, tiers and categories",
        ),
    )
    return _pdf(html)


def _check_analyses(
    result: AnyResult, uncertainty: UncertaintyResult | None, margins: Sequence[Margin]
) -> None:
    """The analyses are of ``result``: its methodology and period (a report does not print
    another assessment's rank intervals)."""
    problems = []
    fingerprint = result.methodology.fingerprint()
    if uncertainty is not None and (
        uncertainty.period != result.period or uncertainty.methodology.fingerprint() != fingerprint
    ):
        problems.append(
            f"uncertainty is of {uncertainty.methodology.id} {uncertainty.period}, the result of "
            f"{result.methodology.id} {result.period}: run the uncertainty analysis on the "
            "result's methodology and period."
        )
    for margin in margins:
        if margin.period != result.period or margin.unit not in result.table.index:
            problems.append(
                f"the margin of {margin.unit} is of {margin.period}, not of a unit of the "
                f"result of {result.period}: compute it for the result's period and units."
            )
    if problems:
        raise ValueError(" ".join(problems))


def _page_format(lang: Lang) -> Markup:
    """The footer's ``第 n 页 / 共 N 页`` as a CSS ``content`` value."""
    if lang == "zh":
        parts = ['"第 "', "counter(page)", '" 页 / 共 "', "counter(pages)", '" 页"']
    else:
        parts = ['"Page "', "counter(page)", '" of "', "counter(pages)"]
    return Markup(" ".join(parts))


# --------------------------------------------------------------------------------------------
# the county card
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    label: str
    value: str
    sub: str


@dataclass(frozen=True)
class _Dimension:
    name: str
    score: str
    mean: str
    rank: str
    available: str
    mark: str  # "strong", "weak" or ""


CARD_LINES = 4
"""The bonus, penalty and veto lines a card lists at most (the rest are counted in one line:
the card stays one page)."""
CARD_INDICATORS = (5, 3)
"""The leading and the lagging indicators a card names, each: on the academic path, and on
the official path (whose card also lists the bonus and penalty lines)."""
CARD_CHART_IN = 92 / 25.4
"""The dimension chart's width on the card (inches): drawn at the size it is shown, its
labels keep their size."""


def _indicator_extremes(
    result: AnyResult, code: str, lang: Lang, n: int
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The unit's ``n`` best- and ``n`` worst-placed indicators among the ranked units, each
    as (name, what it has, rank): on the academic path by the normalised value (the value
    shown is the figure with its unit), on the official path by the share of the points
    available it scored (shown as points / points available)."""
    m = result.methodology
    frame = ranked(result)
    peers = [c for c in frame.index if c in _scores_frame(result).index]
    if code not in peers:
        return [], []
    scores = _scores_frame(result).loc[peers]
    ranks = scores.rank(ascending=False, method="min")
    order = [i.id for i in m.scored_indicators if i.id in scores.columns]
    mine: Any = ranks.loc[code]
    placed = [(int(mine[i]), k, i) for k, i in enumerate(order) if not pd.isna(mine[i])]
    best = sorted(placed)[:n]
    worst = sorted(placed, key=lambda x: (-x[0], x[1]))[:n]
    worst = [w for w in worst if w not in best]

    def row(place: int, ident: str) -> tuple[str, str, str]:
        ind = m.indicator(ident)
        if isinstance(result, OfficialResult):
            got: Any = result.points.at[code, ident]
            available: Any = result.nominal.at[code, ident]
            shown = f"{float(got):.2f} / {_g(float(available))}"
        else:
            value: Any = result.raw.at[code, ident]
            shown = "" if pd.isna(value) else f"{float(value):g}"
            if shown and ind.unit:
                shown += f" {ind.unit}"
        return (_node_name(m, ident, lang), shown, str(place))

    return [row(p, i) for p, _, i in best], [row(p, i) for p, _, i in worst]


def _scores_frame(result: AnyResult) -> pd.DataFrame:
    """Units x indicators, higher is better: the normalised values (academic) or the share
    of the points available scored (official; indicators worth no points left out)."""
    if isinstance(result, OfficialResult):
        nominal = result.nominal.where(result.nominal > 0)
        return result.points / nominal
    return result.normalized


def _main_obstacles(result: Result, code: str, lang: Lang, n: int = 3) -> str:
    """The unit's ``n`` main obstacles with their obstacle degrees (障碍度,
    :func:`kaoping.analysis.obstacle.obstacles`), e.g. ``R&D经费投入强度 12.3%、…``; empty
    when the normalisation has no best value of 1 (the degree is not defined)."""
    from kaoping.analysis.obstacle import obstacles
    from kaoping.errors import InputError

    try:
        found = obstacles(result).top(n)
    except InputError:
        return ""
    names = {
        i.id: (i.name_en or i.name) if lang == "en" else i.name
        for i in result.methodology.indicators
    }
    sep = ", " if lang == "en" else "、"
    return sep.join(
        f"{names.get(str(r['indicator']), str(r['indicator']))} {100 * float(r['degree']):.1f}%"
        for r in found[found["unit"] == code].to_dict("records")
    )


def county_card_pdf(
    result: AnyResult,
    unit: str,
    *,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
    draft: bool = False,
    date: dt.date | None = None,
) -> bytes:
    """One county's card: a single A4 page.

    Its name, category and period; its rank overall and in its category, tier, score and
    change of rank (against ``previous``, else an official result's change within the
    category); its awards, veto or gate; its dimensions against the average of the ranked
    units (the dimension chart, and a table with each dimension's rank among the ranked
    units, the strongest and the weakest marked); on the academic path its three main
    obstacles (障碍度, :func:`kaoping.analysis.obstacle.obstacles`); on the official path its
    points per dimension out of those available, and its bonus, penalty and veto lines with
    their evidence.

    Parameters
    ----------
    result : Result or OfficialResult
    unit : str
        The unit's code.
    previous : Result or OfficialResult, optional
        The previous period's result (the change of the overall rank).
    lang : {"zh", "en"}
    draft : bool
        「征求意见稿」 across the page.
    date : datetime.date, optional
        The PDF's date; default :func:`default_date` of the period.

    Raises
    ------
    KeyError
        ``unit`` is not in the result.
    ValueError
        ``lang`` is neither ``"zh"`` nor ``"en"``.
    """
    from kaoping.report import charts

    lang = _check_lang(lang)
    code = str(unit)
    table = result.table
    if code not in table.index:
        raise KeyError(
            f"unit {code!r} is not in the result of {result.period}; give the code of an "
            "assessed unit (the index of result.table)."
        )
    m = result.methodology
    date = date or default_date(result.period)
    row = table.loc[code]
    frame = ranked(result)
    category = row["category"] if isinstance(row["category"], str) else None
    rank: Any = row["rank"]
    is_ranked = not pd.isna(rank)
    official = isinstance(result, OfficialResult)
    peers = frame[frame["category"] == category] if category else frame

    boxes = [
        _Box(
            _t(lang, "总排名", "Overall rank"),
            str(int(rank)) if is_ranked else "—",
            f"/ {len(frame)}",
        )
    ]
    if category:
        crank = row["category_rank"]
        boxes.append(
            _Box(
                _t(lang, "类别排名", "Rank in category"),
                "—" if pd.isna(crank) else str(int(crank)),
                f"/ {len(peers)}",
            )
        )
    boxes.append(
        _Box(
            _t(lang, "方阵", "Tier"),
            tier_label(result, row["tier"], lang) or "—",
            tier_cutoff(result, row["tier"], lang) if isinstance(row["tier"], str) else "",
        )
    )
    boxes.append(
        _Box(
            _t(lang, "总分", "Total") if official else _t(lang, "综合得分", "Score"),
            _num(row["score"]) or "—",
            "",
        )
    )
    change_value, change_sub = "—", ""
    if previous is not None:
        before = previous.table["rank"].get(code)
        if before is not None and not pd.isna(before) and is_ranked:
            places = int(before) - int(rank)
            change_value = _change_text(places, lang)
            change_sub = _t(lang, f"上期第 {int(before)} 位", f"was No. {int(before)}")
        else:
            change_value = _t(lang, "新进", "new")
    elif "rank_change" in table.columns:
        before = row.get("previous_rank")
        moved = row.get("rank_change")
        if before is None or pd.isna(before):
            change_value = _t(lang, "新进", "new")
        elif moved is not None and not pd.isna(moved):
            change_value = _change_text(int(moved), lang)
            change_sub = _t(
                lang, f"类别内，上期第 {int(before)} 位", f"in category; was No. {int(before)}"
            )
    boxes.append(_Box(_t(lang, "进位", "Places gained"), change_value, change_sub))

    # the dimensions
    dims = [d for d in m.dimensions if d.id in table.columns]
    ranks: dict[str, int] = {}
    if is_ranked:
        for d in dims:
            ranks[d.id] = int(pd.to_numeric(frame[d.id]).rank(ascending=False, method="min")[code])
    strong = min(dims, key=lambda d: ranks[d.id]).id if ranks else None
    weak = max(dims, key=lambda d: ranks[d.id]).id if ranks else None
    if strong == weak:
        weak = None
    rows = []
    for d in dims:
        available = ""
        if isinstance(result, OfficialResult):
            ids = [i.id for i in d.scored_below if i.id in result.nominal.columns]
            total: Any = result.nominal.loc[code, ids].sum() if ids else None
            available = "" if total is None else _g(float(total))
        rows.append(
            _Dimension(
                (d.name_en or d.name) if lang == "en" else d.name,
                _num(row[d.id]),
                _num(pd.to_numeric(frame[d.id]).mean()),
                f"{ranks[d.id]}" if d.id in ranks else "",
                available,
                "strong" if d.id == strong else "weak" if d.id == weak else "",
            )
        )
    extremes = []
    for ident, key in ((strong, "card_strongest"), (weak, "card_weakest")):
        if ident is None:
            continue
        name = _node_name(m, ident, lang)
        extremes.append(
            (
                _LABELS[key][0 if lang == "zh" else 1],
                _t(lang, f"{name}（第 {ranks[ident]} 位）", f"{name} (No. {ranks[ident]})"),
            )
        )

    if not isinstance(result, OfficialResult):
        hold = _main_obstacles(result, code, lang)
        if hold:
            extremes.append((_LABELS["card_obstacles"][0 if lang == "zh" else 1], hold))

    # official: the points and the lines
    points = ""
    lines: list[tuple[str, str, str, str]] = []
    if isinstance(result, OfficialResult):
        indicator_points = row.get("indicator_points")
        bonus, penalty = float(row.get("bonus") or 0), float(row.get("penalty") or 0)
        points = _t(
            lang,
            f"指标得分 {_num(indicator_points)} + 加分 {bonus:.2f} − 减分 {penalty:.2f}"
            f" = 总分 {_num(row['score'])}",
            f"indicator points {_num(indicator_points)} + bonus {bonus:.2f} − penalty "
            f"{penalty:.2f} = total {_num(row['score'])}",
        )
        mine = result.lines[result.lines["unit"] == code]
        for _, line in mine.iterrows():
            zh, en = _KINDS.get(str(line["kind"]), (str(line["kind"]), str(line["kind"])))
            counted = "" if line["kind"] == "veto" else f"{float(line['counted']):g}"
            evidence = str(line["document"]) if isinstance(line["document"], str) else ""
            if isinstance(line["date"], str):
                evidence += f"（{line['date']}）" if lang == "zh" else f" ({line['date']})"
            lines.append((_t(lang, zh, en), str(line["name"]), counted, evidence))
    awards = (
        str(row["awards"]).split("、")
        if "awards" in table.columns and isinstance(row.get("awards"), str)
        else []
    )
    veto = row.get("veto") if isinstance(row.get("veto"), str) else None
    gate = row.get("gate") if isinstance(row.get("gate"), str) else None
    more = ""
    if len(lines) > CARD_LINES:
        rest = len(lines) - CARD_LINES + 1
        lines = lines[: CARD_LINES - 1]
        more = _t(lang, f"另有 {rest} 项，见考核结果。", f"{rest} more in the result.")
    n = CARD_INDICATORS[1 if official else 0]
    leading, lagging = _indicator_extremes(result, code, lang, n) if is_ranked else ([], [])
    chart = charts.dimension_chart(result, code, lang=lang)
    chart.figure.set_size_inches(CARD_CHART_IN, 0.3 * len(dims) + 1.0)
    assessment = _assessment(m, lang)
    labels = _labels(lang)
    title = _t(
        lang,
        f"{row['name']} · {result.period}年度{assessment}",
        f"{row['name']} · {assessment}, {result.period}",
    )
    html = _render(
        "card.html",
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        L=labels,
        title=title,
        name=str(row["name"]),
        code=code,
        category=category or "",
        subtitle=_t(lang, f"{result.period}年度{assessment}", f"{assessment}, {result.period}"),
        boxes=boxes,
        dimensions=rows,
        extremes=extremes,
        official=official,
        points=points,
        lines=lines,
        more=more,
        leading=leading,
        lagging=lagging,
        awards=awards,
        veto=veto,
        gate=gate,
        chart=_figure(chart, 1, lang),
        draft=draft,
        fingerprint=m.fingerprint(),
        methodology=f"{assessment}（{m.id}）" if lang == "zh" else f"{assessment} ({m.id})",
        created=f"{date.isoformat()}T00:00:00Z",
        date=_date_text(date, lang),
        headers={
            "dimension": _t(lang, "维度", "Dimension"),
            "score": _t(lang, "得分", "Points") if official else _t(lang, "得分", "Score"),
            "available": _t(lang, "分值", "Max"),
            "mean": _t(lang, "平均", "Mean"),
            "rank": _t(lang, f"排名（共 {len(frame)}）", f"Rank (of {len(frame)})"),
            "kind": _t(lang, "类型", "Kind"),
            "item": _t(lang, "事项", "Item"),
            "counted": _t(lang, "计入", "Counted"),
            "evidence": _t(lang, "依据", "Evidence"),
            "indicator": _t(lang, "指标", "Indicator"),
            "figure": _t(lang, "得分 / 分值", "Points / available")
            if official
            else _t(lang, "数值", "Figure"),
            "place": _t(lang, "排名", "Rank"),
        },
    )
    return _pdf(html)


def _change_text(places: int, lang: Lang) -> str:
    if places > 0:
        return f"↑{places}"
    if places < 0:
        return f"↓{-places}"
    return _t(lang, "持平", "unchanged")
