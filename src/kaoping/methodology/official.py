"""The official path of a methodology (考核评价): the ``official:`` section of its YAML file.

A methodology with an ``official:`` section is scored the way governments score counties —
points per indicator against targets and peers, weights per category, bonus and penalty items,
veto items, an entry gate, awards and progress — instead of normalised values and weights.  The
indicator tree is the same: an official methodology usually starts from an academic one with
``base:`` and adds its scoring table (计分表).

.. code-block:: yaml

    base: county_hqd
    id: county_official
    name: 县域经济高质量发展考核评价
    official:
      categories: [重点生态功能区, 非重点生态功能区]   # 分类考核 (the units table's category)
      total_points: 100             # every category's indicator points total this
      compare_within: category      # peers of the relative rules: category | all
      missing: zero                 # a missing value scores 0 (未报送不得分) | error
      targets: targets.csv          # 目标值 per unit, indicator and year (beside this file)
      scoring:                      # 计分表: indicator id -> points and rule
        gdp_growth: {points: 6, rule: completion}
        fai_growth:
          points: {重点生态功能区: 4, 非重点生态功能区: 6}    # 统一指标、分类赋权
          rule: {method: completion, cap: 1.2, zero_below: 0.5}
        pm25: {points: 4, rule: {method: efficacy, base: 0.6}}
      bonus:                        # 加分项 (awarded in the events file, with evidence)
        - {id: four_good_roads, name: 全国“四好农村路”示范县, points: 1}
      penalty:
        - {id: criticised, name: 被省政府通报批评, points: 0.5, cap: 1.5}
      unit_caps: {bonus: 3, penalty: 5}
      veto:                         # 一票否决 / 评先约束性指标
        - {id: accident, name: 发生较大及以上生产安全事故, indicator: major_accidents, above: 0}
      gate:                         # 门槛
        - {id: gdp_gate, name: 地区生产总值不低于 50 亿元, indicator: gdp, min: 50}
      awards:                       # 表彰
        - {id: top, name: 高质量发展先进县（市）, top: 10}
        - {id: category_top, name: 分类先进县（市）, top_per_category: 3}
        - {id: progress, name: 进位显著县（市）, most_improved: 5}
      components:                   # e.g. indicators 80% + on-site observation 20%
        - {id: indicators, name: 指标考核, weight: 80, dimensions: [economy, innovation]}
        - {id: observation, name: 观摩评比, weight: 20, dimensions: [observation]}

Rules and their parameters (see :mod:`kaoping.scoring.rules` for the formulas):

=====================  ===========================================================================
``completion``         ``floor`` (0), ``cap`` (1; 1.2 rewards over-fulfilment), ``zero_below``;
                       needs a target for every unit (file, ``target:`` here, or the indicator's)
``efficacy``           ``base`` (0.6), ``satisfactory``, ``unacceptable`` (default best / worst)
``vs_average``         ``step`` (required: points per point above or below the average),
                       ``base`` (0.6), ``per`` (``point`` | ``percent``), ``average``
``rank_points``        one of ``table`` (points by rank), ``decrement``, ``proportional``;
                       none: linear from the points down to points/n
``bands``              ``bands``: list of ``{min, max, points}`` (min <= x < max)
``benchmark_ratio``    ``benchmark`` (default: the group mean), ``cap``
``level_and_growth``   ``growth`` (an indicator id; default: growth over the previous period),
                       ``a`` (0.6, the level's share), ``base`` (0.6)
``judged``             ``criteria``: criterion -> maximum points; ``trim`` (true: drop the highest
                       and lowest score when there are 5 judges or more); scores from a judged
                       sheet (unit, judge, criterion, score)
=====================  ===========================================================================

Every problem is reported with its line, like the rest of the file (codes
``methodology.official_*``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kaoping.errors import Problem
from kaoping.methodology._source import Loc, Source

__all__ = [
    "RULES",
    "Award",
    "Component",
    "Gate",
    "Item",
    "OfficialSpec",
    "RuleSpec",
    "ScoringItem",
    "Veto",
    "parse_official",
]

RULES: dict[str, str] = {
    "completion": "目标完成率法",
    "efficacy": "功效系数法",
    "vs_average": "对标平均法",
    "rank_points": "排位赋分法",
    "bands": "分档赋分法",
    "benchmark_ratio": "标杆比值法",
    "level_and_growth": "总量与增量结合",
    "judged": "评委打分",
}
"""The scoring rules (计分方法) an indicator of an official methodology can name."""

# parameter -> (kind, default); kinds: "frac" [0, 1], "base" [0, 1), "pos" > 0, "nonneg" >= 0,
# "num" any finite number, "bool", "per", "table", "bands", "indicator", "criteria"
_PARAMS: dict[str, dict[str, tuple[str, Any]]] = {
    "completion": {"floor": ("nonneg", 0.0), "cap": ("pos", 1.0), "zero_below": ("nonneg", None)},
    "efficacy": {
        "base": ("base", 0.6),
        "satisfactory": ("num", None),
        "unacceptable": ("num", None),
    },
    "vs_average": {
        "step": ("pos", None),
        "base": ("frac", 0.6),
        "per": ("per", "point"),
        "average": ("num", None),
    },
    "rank_points": {
        "table": ("table", None),
        "decrement": ("pos", None),
        "proportional": ("bool", False),
    },
    "bands": {"bands": ("bands", None)},
    "benchmark_ratio": {"benchmark": ("pos", None), "cap": ("pos", None)},
    "level_and_growth": {"growth": ("indicator", None), "a": ("frac", 0.6), "base": ("base", 0.6)},
    "judged": {"criteria": ("criteria", None), "trim": ("bool", True)},
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "vs_average": ("step",),
    "bands": ("bands",),
    "judged": ("criteria",),
}
_KINDS_ZH = {
    "frac": ("0 到 1 之间的数", "a number from 0 to 1"),
    "base": ("0 到 1 之间（不含 1）的数", "a number from 0 up to (not including) 1"),
    "pos": ("正数", "a positive number"),
    "nonneg": ("非负数", "a number >= 0"),
    "num": ("数", "a number"),
    "bool": ("true 或 false", "true or false"),
    "per": ("point 或 percent", "point or percent"),
    "table": ("非负数的列表（第 1 名、第 2 名……的分值）", "a list of points >= 0 (rank 1, 2, …)"),
    "bands": (
        "分档列表，每档 {min, max, points}",
        "a list of bands, each {min, max, points}",
    ),
    "indicator": ("指标代码", "an indicator id"),
    "criteria": ("评分项到满分的映射", "a mapping of criterion -> maximum points"),
}


@dataclass(frozen=True)
class RuleSpec:
    """A scoring rule and its parameters (defaults filled in)."""

    method: str
    params: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str) -> Any:
        """The parameter ``name`` (its default when not written)."""
        for key, value in self.params:
            if key == name:
                return value
        return _PARAMS[self.method][name][1]

    def to_data(self) -> dict[str, Any] | str:
        written = {k: _written(_PARAMS[self.method][k][0], v) for k, v in self.params}
        return {"method": self.method, **written} if written else self.method


@dataclass(frozen=True)
class ScoringItem:
    """One row of the scoring table: an indicator's points (per category) and rule."""

    indicator: str
    points: tuple[tuple[str | None, float], ...]  # (category or None for all, points)
    rule: RuleSpec
    target: float | None = None

    def points_for(self, category: str | None) -> float:
        """The indicator's points (分值) for a unit of ``category``."""
        table = dict(self.points)
        if None in table:
            return table[None]
        if category in table:
            return table[category]
        raise KeyError(f"no points of {self.indicator} for category {category!r}")

    def to_data(self) -> dict[str, Any]:
        pts: Any = (
            self.points[0][1]
            if len(self.points) == 1 and self.points[0][0] is None
            else {k: v for k, v in self.points}
        )
        out: dict[str, Any] = {"points": pts, "rule": self.rule.to_data()}
        if self.target is not None:
            out["target"] = self.target
        return out


@dataclass(frozen=True)
class Item:
    """A bonus (加分) or penalty (减分) item: points per award, capped per unit."""

    id: str
    name: str
    points: float
    cap: float | None = None

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "points": self.points}
        if self.cap is not None:
            out["cap"] = self.cap
        return out


@dataclass(frozen=True)
class Veto:
    """A veto item (一票否决 / 评先约束性指标): from an indicator's red line, or from the events."""

    id: str
    name: str
    indicator: str | None = None
    above: float | None = None
    below: float | None = None

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        for key in ("indicator", "above", "below"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class Gate:
    """An entry gate (门槛): units outside it are not ranked."""

    id: str
    name: str
    indicator: str
    min: float | None = None
    max: float | None = None

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "indicator": self.indicator}
        for key in ("min", "max"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class Award:
    """An award (表彰): ``top`` N overall, ``top_per_category`` M, or ``most_improved`` N."""

    id: str
    name: str
    kind: str
    n: int

    def to_data(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, self.kind: self.n}


@dataclass(frozen=True)
class Component:
    """A part of the total (e.g. indicators 80%, on-site observation 20%)."""

    id: str
    name: str
    weight: float
    dimensions: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "weight": self.weight,
            "dimensions": list(self.dimensions),
        }


@dataclass(frozen=True)
class OfficialSpec:
    """The ``official:`` section, validated (see the module docstring)."""

    scoring: tuple[ScoringItem, ...]
    categories: tuple[str, ...] = ()
    total_points: float = 100.0
    compare_within: str = "category"
    missing: str = "zero"
    targets: str | None = None
    bonus: tuple[Item, ...] = ()
    penalty: tuple[Item, ...] = ()
    unit_caps: tuple[float | None, float | None] = (None, None)
    veto: tuple[Veto, ...] = ()
    gate: tuple[Gate, ...] = ()
    awards: tuple[Award, ...] = ()
    components: tuple[Component, ...] = ()
    folder: str | None = field(default=None, compare=False)
    """Folder of the file that named ``targets`` (relative paths are read from there)."""

    def item(self, indicator: str) -> ScoringItem | None:
        """The scoring-table row of an indicator (None: not scored on the official path)."""
        for row in self.scoring:
            if row.indicator == indicator:
                return row
        return None

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.categories:
            out["categories"] = list(self.categories)
        out["total_points"] = self.total_points
        out["compare_within"] = self.compare_within
        out["missing"] = self.missing
        if self.targets is not None:
            out["targets"] = self.targets
        out["scoring"] = {row.indicator: row.to_data() for row in self.scoring}
        for key in ("bonus", "penalty", "veto", "gate", "awards", "components"):
            items = getattr(self, key)
            if items:
                out[key] = [i.to_data() for i in items]
        if self.unit_caps != (None, None):
            out["unit_caps"] = {
                k: v for k, v in zip(("bonus", "penalty"), self.unit_caps, strict=True) if v
            }
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _written(kind: str, value: Any) -> Any:
    """A rule's parameter as the methodology's YAML writes it (what the parser reads back):
    bands as ``{min, max, points}`` mappings, criteria as a mapping."""
    if kind == "bands":
        keys = ("min", "max", "points")
        return [{k: v for k, v in zip(keys, band, strict=True) if v is not None}
                for band in value]  # fmt: skip
    if kind == "criteria":
        return {k: v for k, v in value}
    return _plain(value)


def _num(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_TOP_KEYS = (
    "categories",
    "total_points",
    "compare_within",
    "missing",
    "targets",
    "scoring",
    "bonus",
    "penalty",
    "unit_caps",
    "veto",
    "gate",
    "awards",
    "components",
)
_AWARD_KINDS = {
    "top": "总排名前 N 名",
    "top_per_category": "每类前 M 名",
    "most_improved": "进位最多的 N 名",
}


class _Parser:
    def __init__(
        self,
        source: Source,
        indicators: Mapping[str, str],
        dimensions: Sequence[str],
        folder: str | None,
    ) -> None:
        self.source = source
        self.indicators = indicators  # id -> direction
        self.dimensions = list(dimensions)
        self.folder = folder
        self.problems: list[Problem] = []
        self.incomplete = False

    def add(self, code: str, zh: str, en: str, path: Loc) -> None:
        self.problems.append(
            Problem(f"methodology.official_{code}", zh, en, self.source.where(path))
        )

    # -- small readers -------------------------------------------------------------------------

    def text(self, value: object, path: Loc, what: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.add(
            "wrong_type",
            f"{what}应为非空文本，收到 {value!r}。",
            f"{what} must be non-empty text, got {value!r}.",
            path,
        )
        return None

    def number(self, value: object, path: Loc, what: str, kind: str = "num") -> float | None:
        ok = _num(value)
        if ok:
            v = float(value)  # type: ignore[arg-type]
            ok = {
                "num": True,
                "pos": v > 0,
                "nonneg": v >= 0,
                "frac": 0 <= v <= 1,
                "base": 0 <= v < 1,
            }.get(kind, True)
            if ok:
                return v
        zh, en = _KINDS_ZH.get(kind, ("数", "a number"))
        self.add(
            "bad_value",
            f"{what}应为{zh}，收到 {value!r}。",
            f"{what} must be {en}, got {value!r}.",
            path,
        )
        return None

    def indicator(self, value: object, path: Loc, what: str) -> str | None:
        if isinstance(value, str) and value in self.indicators:
            return value
        import difflib

        close = difflib.get_close_matches(str(value), list(self.indicators), n=1)
        hint_zh = f"是否是 {close[0]}？" if close else ""
        hint_en = f" Did you mean {close[0]}?" if close else ""
        self.add(
            "unknown_indicator",
            f"{what} {value!r} 不是本办法中的指标代码。{hint_zh}",
            f"{what} {value!r} is not an indicator id of this methodology.{hint_en}",
            path,
        )
        return None

    def mapping(self, value: object, path: Loc, what: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.add(
            "wrong_type",
            f"{what}应为“键: 值”的映射，收到 {value!r}。",
            f"{what} must be a mapping (key: value), got {value!r}.",
            path,
        )
        return None

    def items_list(self, value: object, path: Loc, what: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.add(
            "wrong_type",
            f"{what}应为列表，收到 {value!r}。",
            f"{what} must be a list, got {value!r}.",
            path,
        )
        return []

    def unknown_keys(self, data: Mapping[str, Any], allowed: Sequence[str], path: Loc) -> None:
        for key in data:
            if str(key).startswith("x-") or key in allowed:
                continue
            self.add(
                "unknown_key",
                f"未知的键 {key}；这里可用的键：{'、'.join(allowed)}。",
                f"unknown key {key}; the keys here are {', '.join(allowed)}.",
                (*path, key),
            )

    # -- the section ---------------------------------------------------------------------------

    def run(self, raw: object) -> OfficialSpec | None:
        path: Loc = ("official",)
        data = self.mapping(raw, path, "official")
        if data is None:
            return None
        self.unknown_keys(data, _TOP_KEYS, path)
        categories = self.categories(data.get("categories"), (*path, "categories"))
        total = 100.0
        if "total_points" in data:
            total = (
                self.number(data["total_points"], (*path, "total_points"), "total_points", "pos")
                or 100.0
            )
        compare = self.choice(
            data.get("compare_within", "category"),
            ("category", "all"),
            (*path, "compare_within"),
            "compare_within",
        )
        missing = self.choice(
            data.get("missing", "zero"), ("zero", "error"), (*path, "missing"), "missing"
        )
        targets = None
        if data.get("targets") is not None:
            targets = self.text(data["targets"], (*path, "targets"), "targets（目标值文件）")
        scoring = self.scoring(data.get("scoring"), (*path, "scoring"), categories)
        self.totals(scoring, categories, total, (*path, "scoring"))
        bonus = self.items(data.get("bonus"), (*path, "bonus"), "加分项")
        penalty = self.items(data.get("penalty"), (*path, "penalty"), "减分项")
        caps = self.caps(data.get("unit_caps"), (*path, "unit_caps"))
        veto = self.vetoes(data.get("veto"), (*path, "veto"))
        gate = self.gates(data.get("gate"), (*path, "gate"))
        awards = self.awards(data.get("awards"), (*path, "awards"))
        components = self.components(data.get("components"), (*path, "components"))
        self.unique([*bonus, *penalty, *veto], (*path,), "加分、减分和否决事项")
        if self.problems or scoring is None:
            return None
        return OfficialSpec(
            scoring=scoring,
            categories=categories,
            total_points=total,
            compare_within=compare or "category",
            missing=missing or "zero",
            targets=targets,
            bonus=bonus,
            penalty=penalty,
            unit_caps=caps,
            veto=veto,
            gate=gate,
            awards=awards,
            components=components,
            folder=self.folder,
        )

    def choice(self, value: object, allowed: Sequence[str], path: Loc, what: str) -> str | None:
        if isinstance(value, str) and value in allowed:
            return value
        self.add(
            "bad_value",
            f"{what} 应为 {' 或 '.join(allowed)}，收到 {value!r}。",
            f"{what} must be {' or '.join(allowed)}, got {value!r}.",
            path,
        )
        return None

    def categories(self, value: object, path: Loc) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self.items_list(value, path, "categories（考核类别）")):
            name = self.text(item, (*path, i), "类别名称")
            if name is not None and name in out:
                self.add(
                    "duplicate",
                    f"类别 {name} 重复。",
                    f"category {name} is listed twice.",
                    (*path, i),
                )
            elif name is not None:
                out.append(name)
        return tuple(out)

    def scoring(
        self, value: object, path: Loc, categories: tuple[str, ...]
    ) -> tuple[ScoringItem, ...] | None:
        if value is None:
            self.add(
                "missing_scoring",
                "official 部分缺少 scoring（计分表）：请为每个计分指标写明分值和计分方法，例如 "
                "scoring: {gdp_growth: {points: 6, rule: completion}}。",
                "the official section has no scoring table: give each scored indicator its "
                "points and rule, e.g. scoring: {gdp_growth: {points: 6, rule: completion}}.",
                path[:-1],
            )
            return None
        data = self.mapping(value, path, "scoring（计分表）")
        if data is None:
            return None
        rows: list[ScoringItem] = []
        for ident, spec in data.items():
            where = (*path, ident)
            indicator = self.indicator(ident, where, "计分表中的")
            if indicator is not None and self.indicators[indicator] == "constraint":
                self.add(
                    "constraint_scored",
                    f"{ident} 是约束性指标（只列示不计分），不能出现在计分表中；"
                    "如需否决，请写在 veto 中。",
                    f"{ident} is a constraint indicator (listed, never scored) and cannot be in "
                    "the scoring table; to veto on it, use veto.",
                    where,
                )
                indicator = None
            row = self.mapping(spec, where, f"{ident} 的计分设置")
            if row is None or indicator is None:
                continue
            self.unknown_keys(row, ("points", "rule", "target"), where)
            points = self.points(row.get("points"), (*where, "points"), categories, ident)
            rule = self.rule(row.get("rule", "completion"), (*where, "rule"), points, ident)
            target = None
            if row.get("target") is not None:
                target = self.number(row["target"], (*where, "target"), "target（目标值）", "pos")
            if points is not None and rule is not None:
                rows.append(ScoringItem(indicator, points, rule, target))
            else:
                self.incomplete = True
        if not data:
            self.add(
                "missing_scoring",
                "计分表为空：至少需要一个计分指标。",
                "the scoring table is empty: score at least one indicator.",
                path,
            )
        return tuple(rows)

    def points(
        self, value: object, path: Loc, categories: tuple[str, ...], ident: str
    ) -> tuple[tuple[str | None, float], ...] | None:
        if value is None:
            self.add(
                "missing_points",
                f"指标 {ident} 缺少 points（分值）。",
                f"indicator {ident} has no points.",
                path[:-1],
            )
            return None
        if isinstance(value, Mapping):
            if not categories:
                self.add(
                    "points_without_categories",
                    f"{ident} 按类别给了分值，但 official 中没有列出 categories（考核类别）。",
                    f"{ident} gives points per category, but the official section lists no "
                    "categories.",
                    path,
                )
                return None
            out: list[tuple[str | None, float]] = []
            failed = False
            for cat, pts in value.items():
                if cat not in categories:
                    self.add(
                        "unknown_category",
                        f"{ident} 的分值中有未列出的类别 {cat}；"
                        f"已列出的类别：{'、'.join(categories)}。",
                        f"the points of {ident} name category {cat}, which is not listed; the "
                        f"categories are {', '.join(categories)}.",
                        (*path, cat),
                    )
                    continue
                v = self.number(pts, (*path, cat), f"{ident} 在 {cat} 类的分值", "nonneg")
                if v is None:
                    failed = True
                else:
                    out.append((str(cat), v))
            absent = [c for c in categories if c not in value]
            if failed:
                return None
            if absent:
                self.add(
                    "missing_points",
                    f"{ident} 缺少这些类别的分值：{'、'.join(absent)}。",
                    f"{ident} has no points for the categories {', '.join(absent)}.",
                    path,
                )
                return None
            return tuple(out)
        v = self.number(value, path, f"{ident} 的分值", "nonneg")
        return None if v is None else ((None, v),)

    def rule(
        self,
        value: object,
        path: Loc,
        points: tuple[tuple[str | None, float], ...] | None,
        ident: str,
    ) -> RuleSpec | None:
        method: object = None
        params: dict[str, Any] = {}
        if isinstance(value, str):
            method = value
        elif isinstance(value, Mapping):
            method = value.get("method")
            params = {str(k): v for k, v in value.items() if k != "method"}
        if not isinstance(method, str) or method not in RULES:
            names = "、".join(f"{k}（{v}）" for k, v in RULES.items())
            self.add(
                "unknown_rule",
                f"{ident} 的计分方法 {method!r} 未知；可选：{names}。",
                f"the rule {method!r} of {ident} is unknown; the rules are {', '.join(RULES)}.",
                path,
            )
            return None
        allowed = _PARAMS[method]
        out: list[tuple[str, Any]] = []
        for name, raw in params.items():
            where = (*path, name)
            if name not in allowed:
                self.add(
                    "unknown_param",
                    f"{name} 不是 {method} 的参数；{method} 的参数：{'、'.join(allowed) or '无'}。",
                    f"{name} is not a parameter of {method}; its parameters are "
                    f"{', '.join(allowed) or 'none'}.",
                    where,
                )
                continue
            parsed = self.param(method, name, allowed[name][0], raw, where, points, ident)
            if parsed is not None:
                out.append((name, parsed))
        for name in _REQUIRED.get(method, ()):
            if name not in params:
                zh, en = _KINDS_ZH[allowed[name][0]]
                self.add(
                    "missing_param",
                    f"{ident} 的计分方法 {method} 需要参数 {name}（{zh}）。",
                    f"the rule {method} of {ident} needs the parameter {name} ({en}).",
                    path,
                )
        given = dict(out)
        if method == "rank_points":
            chosen: list[str] = [k for k in ("table", "decrement") if k in given]
            chosen += ["proportional"] if given.get("proportional") else []
            if len(chosen) > 1:
                self.add(
                    "conflicting_params",
                    f"{ident} 的 rank_points 只能用 table、decrement、proportional 中的一种，"
                    f"收到 {'、'.join(chosen)}。",
                    f"rank_points of {ident} takes one of table, decrement, proportional; got "
                    f"{', '.join(chosen)}.",
                    path,
                )
        if method == "completion":
            cap = given.get("cap", 1.0)
            if given.get("floor", 0.0) >= cap:
                self.add(
                    "bad_value",
                    f"{ident} 的 floor 应小于 cap（{cap}）。",
                    f"floor of {ident} must be below cap ({cap}).",
                    path,
                )
            if given.get("zero_below") is not None and given["zero_below"] > cap:
                self.add(
                    "bad_value",
                    f"{ident} 的 zero_below 不能大于 cap（{cap}）：否则谁都得 0 分。",
                    f"zero_below of {ident} cannot exceed cap ({cap}): everyone would score 0.",
                    path,
                )
        direction = self.indicators.get(ident)
        if (
            method == "efficacy"
            and "satisfactory" in given
            and "unacceptable" in given
            and direction in ("positive", "negative")
            and (given["satisfactory"] - given["unacceptable"])
            * (1 if direction == "positive" else -1)
            < 0
        ):
            self.add(
                "bad_value",
                f"{ident} 是{'正向' if direction == 'positive' else '逆向'}指标，"
                f"满意值 satisfactory 应{'大于' if direction == 'positive' else '小于'}"
                "不允许值 unacceptable。",
                f"{ident} is {direction}: satisfactory must be "
                f"{'above' if direction == 'positive' else 'below'} unacceptable.",
                path,
            )
        raw_units = {"efficacy": ("satisfactory", "unacceptable"), "vs_average": ("average",)}
        if direction == "moderate":
            bad = [k for k in raw_units.get(method, ()) if k in given]
            bad += ["proportional"] if method == "rank_points" and given.get("proportional") else []
            if method in ("completion", "benchmark_ratio", "level_and_growth"):
                bad.append(method)
            if bad:
                self.add(
                    "moderate_rule",
                    f"{ident} 是适度指标，按与最优值的距离计分；{'、'.join(bad)} 不适用于适度指标"
                    "（请改用 efficacy、vs_average、rank_points 或 bands 的默认形式）。",
                    f"{ident} is moderate and is scored by its distance to the optimum; "
                    f"{', '.join(bad)} does not apply to moderate indicators (use efficacy, "
                    "vs_average, rank_points or bands in their default form).",
                    path,
                )
        if (
            method == "efficacy"
            and "satisfactory" in given
            and given["satisfactory"] == given.get("unacceptable")
        ):
            self.add(
                "bad_value",
                f"{ident} 的满意值 satisfactory 与不允许值 unacceptable 相同，无法计分。",
                f"satisfactory and unacceptable of {ident} are equal: nothing to score "
                "between them.",
                path,
            )
        return RuleSpec(method, tuple(out))

    def param(
        self,
        method: str,
        name: str,
        kind: str,
        value: object,
        path: Loc,
        points: tuple[tuple[str | None, float], ...] | None,
        ident: str,
    ) -> Any:
        what = f"{ident} 的参数 {name}"
        # a category that gives the indicator 0 points scores 0 whatever the table says
        least = min((p for _, p in points if p > 0), default=math.inf) if points else math.inf
        if kind in ("frac", "base", "pos", "nonneg", "num"):
            return self.number(value, path, what, kind)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            return self.number(None, path, what, "bool")
        if kind == "per":
            return self.choice(value, ("point", "percent"), path, what)
        if kind == "indicator":
            if value == "previous":
                return "previous"
            return self.indicator(value, path, what)
        if kind == "table":
            entries = self.items_list(value, path, what)
            nums = [
                self.number(v, (*path, i), f"{what}[{i}]", "nonneg") for i, v in enumerate(entries)
            ]
            values = [v for v in nums if v is not None]
            if len(values) < len(nums) or not values:
                if not nums:
                    self.number(None, path, what, "table")
                return None
            if any(b > a for a, b in itertools.pairwise(values)):
                self.add(
                    "bad_value",
                    f"{what} 应从第 1 名起逐名不增（名次越后分值越低）。",
                    f"{what} must not increase from one rank to the next.",
                    path,
                )
            if max(values) > least:
                self.add(
                    "bad_value",
                    f"{what} 中的分值超过了该指标的分值 {least:g}。",
                    f"{what} gives more than the indicator's points {least:g}.",
                    path,
                )
            return tuple(values)
        if kind == "bands":
            entries = self.items_list(value, path, what)
            bands: list[tuple[float | None, float | None, float]] = []
            for i, band in enumerate(entries):
                bdata = self.mapping(band, (*path, i), f"{what} 第 {i + 1} 档")
                if bdata is None:
                    continue
                self.unknown_keys(bdata, ("min", "max", "points"), (*path, i))
                lo = (
                    None
                    if bdata.get("min") is None
                    else self.number(bdata["min"], (*path, i, "min"), "min")
                )
                hi = (
                    None
                    if bdata.get("max") is None
                    else self.number(bdata["max"], (*path, i, "max"), "max")
                )
                pts = self.number(
                    bdata.get("points"), (*path, i, "points"), f"第 {i + 1} 档的分值", "nonneg"
                )
                if lo is not None and hi is not None and lo >= hi:
                    self.add(
                        "bad_value",
                        f"{what} 第 {i + 1} 档的 min 应小于 max。",
                        f"band {i + 1} of {what}: min must be below max.",
                        (*path, i),
                    )
                if pts is not None and pts > least:
                    self.add(
                        "bad_value",
                        f"{what} 第 {i + 1} 档的分值 {pts:g} 超过了该指标的分值 {least:g}。",
                        f"band {i + 1} of {what} gives {pts:g}, more than the indicator's "
                        f"points {least:g}.",
                        (*path, i, "points"),
                    )
                if pts is not None:
                    bands.append((lo, hi, pts))
            if not entries:
                self.number(None, path, what, "bands")
            return tuple(bands)
        if kind == "criteria":
            data = self.mapping(value, path, what)
            if data is None:
                return None
            crit = [
                (str(k), self.number(v, (*path, k), f"评分项 {k} 的满分", "pos"))
                for k, v in data.items()
            ]
            if not crit:
                self.number(None, path, what, "criteria")
                return None
            return tuple((k, v) for k, v in crit if v is not None)
        raise AssertionError(kind)  # pragma: no cover

    def totals(
        self,
        rows: tuple[ScoringItem, ...] | None,
        categories: tuple[str, ...],
        total: float,
        path: Loc,
    ) -> None:
        if not rows or self.incomplete:
            return  # a row is wrong (and reported): its points cannot be added up
        groups: Sequence[str | None] = categories or (None,)
        sums = {c: sum(r.points_for(c) for r in rows) for c in groups}
        for cat, got in sums.items():
            if abs(got - total) > 1e-9 * max(1.0, total):
                label_zh = f"{cat}类" if cat else "各指标"
                label_en = f"category {cat}" if cat else "the indicators"
                self.add(
                    "points_total",
                    f"{label_zh}的分值合计为 {got:g}，应为 {total:g}（total_points）；"
                    "统一指标、分类赋权时每一类的分值合计必须相同。",
                    f"the points of {label_en} total {got:g}, not {total:g} (total_points); "
                    "every category's points must total the same.",
                    path,
                )

    def items(self, value: object, path: Loc, what: str) -> tuple[Item, ...]:
        out: list[Item] = []
        for i, entry in enumerate(self.items_list(value, path, what)):
            data = self.mapping(entry, (*path, i), what)
            if data is None:
                continue
            self.unknown_keys(data, ("id", "name", "points", "cap"), (*path, i))
            ident = self.text(data.get("id"), (*path, i, "id"), f"{what}的 id")
            name = self.text(data.get("name"), (*path, i, "name"), f"{what}的名称")
            pts = self.number(data.get("points"), (*path, i, "points"), f"{what}的分值", "pos")
            cap = None
            if data.get("cap") is not None:
                cap = self.number(data["cap"], (*path, i, "cap"), f"{what}的上限", "pos")
            if ident and name and pts is not None:
                out.append(Item(ident, name, pts, cap))
        return tuple(out)

    def caps(self, value: object, path: Loc) -> tuple[float | None, float | None]:
        if value is None:
            return (None, None)
        data = self.mapping(value, path, "unit_caps")
        if data is None:
            return (None, None)
        self.unknown_keys(data, ("bonus", "penalty"), path)
        out: list[float | None] = []
        for key in ("bonus", "penalty"):
            v = data.get(key)
            out.append(
                None if v is None else self.number(v, (*path, key), f"unit_caps.{key}", "pos")
            )
        return (out[0], out[1])

    def vetoes(self, value: object, path: Loc) -> tuple[Veto, ...]:
        out: list[Veto] = []
        for i, entry in enumerate(self.items_list(value, path, "veto（否决事项）")):
            data = self.mapping(entry, (*path, i), "否决事项")
            if data is None:
                continue
            self.unknown_keys(data, ("id", "name", "indicator", "above", "below"), (*path, i))
            ident = self.text(data.get("id"), (*path, i, "id"), "否决事项的 id")
            name = self.text(data.get("name"), (*path, i, "name"), "否决事项的名称")
            indicator = None
            if data.get("indicator") is not None:
                indicator = self.indicator(
                    data["indicator"], (*path, i, "indicator"), "否决事项的指标"
                )
            above = below = None
            if data.get("above") is not None:
                above = self.number(data["above"], (*path, i, "above"), "above")
            if data.get("below") is not None:
                below = self.number(data["below"], (*path, i, "below"), "below")
            if data.get("indicator") is not None and above is None and below is None:
                self.add(
                    "missing_param",
                    "按指标否决时需要 above（大于该值即否决）或 below（小于该值即否决）。",
                    "a veto on an indicator needs above (vetoed when the value is greater) or "
                    "below (vetoed when it is smaller).",
                    (*path, i),
                )
            if ident and name:
                out.append(Veto(ident, name, indicator, above, below))
        return tuple(out)

    def gates(self, value: object, path: Loc) -> tuple[Gate, ...]:
        out: list[Gate] = []
        for i, entry in enumerate(self.items_list(value, path, "gate（门槛）")):
            data = self.mapping(entry, (*path, i), "门槛")
            if data is None:
                continue
            self.unknown_keys(data, ("id", "name", "indicator", "min", "max"), (*path, i))
            ident = self.text(data.get("id"), (*path, i, "id"), "门槛的 id")
            name = self.text(data.get("name"), (*path, i, "name"), "门槛的名称")
            indicator = self.indicator(data.get("indicator"), (*path, i, "indicator"), "门槛的指标")
            lo = (
                None
                if data.get("min") is None
                else self.number(data["min"], (*path, i, "min"), "min")
            )
            hi = (
                None
                if data.get("max") is None
                else self.number(data["max"], (*path, i, "max"), "max")
            )
            if data.get("min") is None and data.get("max") is None:
                self.add(
                    "missing_param",
                    "门槛需要 min（不低于）或 max（不高于）。",
                    "a gate needs min (at least) or max (at most).",
                    (*path, i),
                )
            if ident and name and indicator:
                out.append(Gate(ident, name, indicator, lo, hi))
        return tuple(out)

    def awards(self, value: object, path: Loc) -> tuple[Award, ...]:
        out: list[Award] = []
        for i, entry in enumerate(self.items_list(value, path, "awards（表彰）")):
            data = self.mapping(entry, (*path, i), "表彰")
            if data is None:
                continue
            self.unknown_keys(data, ("id", "name", *_AWARD_KINDS), (*path, i))
            ident = self.text(data.get("id"), (*path, i, "id"), "表彰的 id")
            name = self.text(data.get("name"), (*path, i, "name"), "表彰的名称")
            kinds = [k for k in _AWARD_KINDS if k in data]
            if len(kinds) != 1:
                self.add(
                    "bad_award",
                    "每项表彰需要且只需要 top（总排名前 N 名）、top_per_category（每类前 M 名）、"
                    "most_improved（进位最多的 N 名）中的一个。",
                    "each award needs exactly one of top (the best N overall), "
                    "top_per_category (the best M of each category), most_improved (the N that "
                    "gained most places).",
                    (*path, i),
                )
                continue
            n = data[kinds[0]]
            if not (isinstance(n, int) and not isinstance(n, bool) and n >= 1):
                self.add(
                    "bad_value",
                    f"{kinds[0]} 应为正整数，收到 {n!r}。",
                    f"{kinds[0]} must be a whole number >= 1, got {n!r}.",
                    (*path, i, kinds[0]),
                )
                continue
            if ident and name:
                out.append(Award(ident, name, kinds[0], n))
        return tuple(out)

    def components(self, value: object, path: Loc) -> tuple[Component, ...]:
        out: list[Component] = []
        used: dict[str, int] = {}
        for i, entry in enumerate(self.items_list(value, path, "components（组成部分）")):
            data = self.mapping(entry, (*path, i), "组成部分")
            if data is None:
                continue
            self.unknown_keys(data, ("id", "name", "weight", "dimensions"), (*path, i))
            ident = self.text(data.get("id"), (*path, i, "id"), "组成部分的 id")
            name = self.text(data.get("name"), (*path, i, "name"), "组成部分的名称")
            weight = self.number(data.get("weight"), (*path, i, "weight"), "组成部分的权重", "pos")
            dims: list[str] = []
            for j, d in enumerate(
                self.items_list(data.get("dimensions"), (*path, i, "dimensions"), "dimensions")
            ):
                if d not in self.dimensions:
                    self.add(
                        "unknown_dimension",
                        f"{d!r} 不是顶层维度；顶层维度：{'、'.join(self.dimensions)}。",
                        f"{d!r} is not a top-level dimension; they are "
                        f"{', '.join(self.dimensions)}.",
                        (*path, i, "dimensions", j),
                    )
                elif d in used:
                    self.add(
                        "duplicate",
                        f"维度 {d} 已属于第 {used[d] + 1} 个组成部分。",
                        f"dimension {d} already belongs to component {used[d] + 1}.",
                        (*path, i, "dimensions", j),
                    )
                else:
                    used[d] = i
                    dims.append(d)
            if ident and name and weight is not None and dims:
                out.append(Component(ident, name, weight, tuple(dims)))
        if out:
            missing = [d for d in self.dimensions if d not in used]
            if missing:
                self.add(
                    "component_gap",
                    f"这些顶层维度不属于任何组成部分：{'、'.join(missing)}。",
                    f"these top-level dimensions belong to no component: {', '.join(missing)}.",
                    path,
                )
        return tuple(out)

    def unique(self, items: Sequence[Item | Veto], path: Loc, what: str) -> None:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                self.add(
                    "duplicate",
                    f"{what}的 id {item.id} 重复：事项文件按 id 认定事项，id 必须唯一。",
                    f"the id {item.id} is used twice among bonus, penalty and veto items: the "
                    "events file names items by id.",
                    path,
                )
            seen.add(item.id)


def parse_official(
    raw: object,
    source: Source,
    indicators: Mapping[str, str],
    dimensions: Sequence[str],
    folder: str | None = None,
) -> tuple[OfficialSpec | None, list[Problem]]:
    """Validate the ``official:`` section.

    Parameters
    ----------
    raw : object
        The section as read from YAML.
    source : Source
        Where its values are (for the line of each problem).
    indicators : Mapping[str, str]
        Indicator id -> direction, of the methodology's tree.
    dimensions : Sequence[str]
        The top-level dimension ids (for ``components``).
    folder : str, optional
        Folder of the file, where a relative ``targets`` file is looked for.

    Returns
    -------
    (OfficialSpec or None, list of Problem)
    """
    parser = _Parser(source, indicators, dimensions, folder)
    spec = parser.run(raw)
    return spec, parser.problems
