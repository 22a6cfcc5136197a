"""Rules that span several fields or nodes, checked on the plain data read from YAML.

Pydantic checks each field on its own (type, allowed name, sign).  The rules here need the
whole file — duplicate ids, the size of an AHP matrix against the children it compares, the
aggregation against the normalisation, tiers in order — and they run even when pydantic found
problems elsewhere, so that one pass reports everything.  They are therefore written
defensively: a value of the wrong type is skipped here (pydantic has reported it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from kaoping.errors import Problem
from kaoping.methodology._rules import RuleSyntaxError, parse_rule
from kaoping.methodology._source import Loc, Source
from kaoping.methodology._text import (
    FIELD_ZH,
    choices,
    describe,
    fmt,
    get_at,
    ratio_text,
    suggest,
    tidy_zh,
)
from kaoping.methodology.model import (
    AGGREGATION_METHODS,
    DIRECTION_ALIASES,
    DIRECTIONS,
    KIND_BOUNDS,
    KINDS,
    MISSING_METHODS,
    NORMALIZATION_METHODS,
    OBJECTIVE_METHODS,
    RANGE_METHODS,
    SUBJECTIVE_METHODS,
    WEIGHTING_METHODS,
    parse_ratio,
    weighting_options,
)

__all__ = ["AHP_TOLERANCE", "check"]

AHP_TOLERANCE = 1e-6
"""Relative tolerance of reciprocity in an AHP matrix, as in :func:`kaoping.methods.weights.ahp`:
:math:`|a_{ij} - 1/a_{ji}| \\le 10^{-6} \\max(a_{ij}, 1/a_{ji})`.

So a reciprocal must be exact: a rounded 0.333 is refused, with the advice to write "1/3".
"""


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _resolve(
    value: object, allowed: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The canonical name, as :func:`kaoping.methodology.model._choice` gives it, or None."""
    if not isinstance(value, str):
        return None
    key = value.strip()
    if aliases and key in aliases:
        return aliases[key]
    return key.lower() if key.lower() in allowed else None


@dataclass(frozen=True)
class _Rule:
    ok: Callable[[Any], bool]
    zh: str
    en: str


NORMALIZATION_PARAMS: dict[str, dict[str, _Rule]] = {
    "zscore": {
        "ddof": _Rule(lambda v: _is_number(v) and v in (0, 1), "0 或 1", "0 or 1"),
        "center": _Rule(_is_number, "一个数（如 50）", "a number (e.g. 50)"),
        "scale": _Rule(lambda v: _is_number(v) and v > 0, "正数（如 10）", "a positive number"),
    },
    "target": {
        "cap": _Rule(
            lambda v: v is None or (_is_number(v) and v > 0),
            "正数（如 1.2）或 null",
            "a positive number (e.g. 1.2) or null",
        ),
    },
}

AGGREGATION_PARAMS: dict[str, dict[str, _Rule]] = {
    "topsis": {
        "normalization": _Rule(
            lambda v: v in ("vector", "minmax"), "vector 或 minmax", "vector or minmax"
        ),
    },
    "gra": {
        "rho": _Rule(
            lambda v: _is_number(v) and 0 < v <= 1,
            "(0, 1] 内的数，常用 0.5",
            "a number in (0, 1], usually 0.5",
        ),
    },
    "vikor": {
        "v": _Rule(
            lambda v: _is_number(v) and 0 <= v <= 1,
            "[0, 1] 内的数，常用 0.5",
            "a number in [0, 1], usually 0.5",
        ),
    },
    "generalized": {
        "p": _Rule(
            lambda v: _is_number(v) and v != 0,
            "非零的数（p = 1 为算术平均，p = -1 为调和平均）",
            "a non-zero number (p = 1 is the arithmetic mean, p = -1 the harmonic)",
        ),
    },
}

REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {"generalized": ("p",)}

_OPTION_USERS: dict[str, tuple[str, str]] = {
    "subjective": ("combine（组合赋权）", "combine"),
    "objective": ("combine（组合赋权）", "combine"),
    "alpha": ("combine（组合赋权）", "combine"),
    "mode": ("combine（组合赋权）", "combine"),
    "ri": ("ahp（或 combine 且 subjective: ahp）", "ahp (or combine with subjective: ahp)"),
    "strict": ("ahp（或 combine 且 subjective: ahp）", "ahp (or combine with subjective: ahp)"),
    "shift": (
        "entropy（或 combine 且 objective: entropy）",
        "entropy (or combine with objective: entropy)",
    ),
}


@dataclass
class _Spec:
    """A method specification as written: ``"gra"`` or ``{method: gra, rho: 0.5}``."""

    method: str | None
    path: Loc
    data: Mapping[str, Any] | None = None
    params: dict[str, tuple[Any, Loc]] = field(default_factory=dict)


def check(raw: Mapping[str, Any], source: Source) -> list[Problem]:
    """Every cross-field problem of a methodology given as plain data (see module docstring)."""
    return _Checker(raw, source).run()


class _Checker:
    def __init__(self, raw: Mapping[str, Any], source: Source) -> None:
        self.raw = raw
        self.source = source
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple[Loc, str]] = {}
        self.labels: dict[str, tuple[str, Loc]] = {}
        self.norm = self._spec(
            ("normalization",), NORMALIZATION_METHODS, "minmax", ("method", "range")
        )
        self.uses_ahp = False

    # -- plumbing ------------------------------------------------------------------------------

    def _add(
        self, code: str, zh: str, en: str, path: Sequence[str | int], *, key: bool = False
    ) -> None:
        self.problems.append(
            Problem(f"methodology.{code}", tidy_zh(zh), en, self.source.where(path, key=key))
        )

    def _line_note(self, path: Loc) -> tuple[str, str]:
        line = self.source.line(path)
        if line is None or not self.source.lines:
            return "", ""
        return f"（第 {line} 行）", f" (line {line})"

    def _spec(
        self, path: Loc, allowed: Mapping[str, str], default: str, fields: tuple[str, ...]
    ) -> _Spec:
        value = get_at(self.raw, path)
        if value is None:
            return _Spec(default, path)
        if isinstance(value, str):
            return _Spec(_resolve(value, allowed), path)
        if not isinstance(value, Mapping):
            return _Spec(None, path)
        method = value.get("method", default)
        spec = _Spec(_resolve(method, allowed), path, value)
        explicit = value.get("params")
        if isinstance(explicit, Mapping):
            for name, item in explicit.items():
                spec.params[name] = (item, (*path, "params", name))
        for name, item in value.items():
            if name in fields or (name == "params" and isinstance(item, Mapping)):
                continue
            spec.params[name] = (item, (*path, name))
        return spec

    # -- top level -----------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self._normalization()
        self.uses_ahp = self._weighting()
        self._aggregation(
            self._spec(("aggregation",), AGGREGATION_METHODS, "arithmetic", ("method",))
        )
        self._missing()
        self._tiers()
        self._change(get_at(self.raw, ("plausibility", "change")), ("plausibility", "change"))
        dims = self.raw.get("dimensions")
        if isinstance(dims, list):
            if not dims:
                self._add(
                    "no_dimensions",
                    "dimensions 为空：考核办法至少需要一个维度，每个维度下列出子维度或指标。",
                    "dimensions is empty: a methodology needs at least one dimension, each "
                    "holding sub-dimensions or indicators.",
                    ("dimensions",),
                )
            self._dimension_list(dims, ("dimensions",))
            self._ahp(
                self.raw.get("ahp"),
                ("ahp",),
                members=[_ident(d) for d in dims],
                owner=(),
                missing_at=("dimensions",),
                leaf=False,
            )
        self._cross_checks()
        self._stars()
        return self.problems

    def _normalization(self) -> None:
        spec = self.norm
        self._params(spec, NORMALIZATION_PARAMS, "标准化方法", "normalization")
        if (
            spec.method is not None
            and spec.method not in RANGE_METHODS
            and spec.data is not None
            and "range" in spec.data
        ):
            self._add(
                "unused_key",
                f"range 只用于 {'、'.join(RANGE_METHODS)} 标准化；{spec.method} 不使用它，请删去。",
                f"range is used only by the {', '.join(RANGE_METHODS)} normalisations; "
                f"{spec.method} ignores it. Remove it.",
                (*spec.path, "range"),
                key=True,
            )

    def _weighting(self) -> bool:
        value = self.raw.get("weighting")
        if isinstance(value, str):
            method = _resolve(value, WEIGHTING_METHODS)
            data: Mapping[str, Any] = {}
        elif isinstance(value, Mapping):
            method = _resolve(value.get("method", "fixed"), WEIGHTING_METHODS)
            data = value
        else:
            return False
        if method is None:
            return False
        subjective = _resolve(data.get("subjective"), SUBJECTIVE_METHODS)
        objective = _resolve(data.get("objective"), OBJECTIVE_METHODS)
        options = weighting_options(method, subjective, objective)
        for key in ("subjective", "objective", "alpha", "mode", "ri", "strict", "shift"):
            if key not in data or key in options:
                continue
            if method == "combine" and (subjective is None or objective is None):
                continue  # depends on a choice that is missing or already reported
            users_zh, users_en = _OPTION_USERS[key]
            self._add(
                "unused_key",
                f"赋权设置中的 {key}（{FIELD_ZH[key]}）只用于 {users_zh}；当前赋权方法 {method} "
                "不使用它，请删去。",
                f"weighting option {key} is used only by {users_en}; method {method} ignores "
                "it. Remove it.",
                ("weighting", key),
                key=True,
            )
        if method == "combine":
            lacking = [k for k in ("subjective", "objective") if data.get(k) is None]
            if lacking:
                self._add(
                    "missing_key",
                    f"组合赋权（combine）缺少 {'、'.join(lacking)}：需要 subjective（"
                    f"{choices(SUBJECTIVE_METHODS)[0]}）和 objective（"
                    f"{choices(OBJECTIVE_METHODS)[0]}），例如 {{method: combine, subjective: "
                    "ahp, objective: entropy, alpha: 0.5}。",
                    f"combined weighting lacks {', '.join(lacking)}: it needs subjective ("
                    f"{choices(SUBJECTIVE_METHODS)[1]}) and objective ("
                    f"{choices(OBJECTIVE_METHODS)[1]}), e.g. {{method: combine, subjective: "
                    "ahp, objective: entropy, alpha: 0.5}.",
                    ("weighting",),
                )
        return method == "ahp" or (method == "combine" and subjective == "ahp")

    def _missing(self) -> None:
        value = self.raw.get("missing")
        if not isinstance(value, Mapping):
            return
        method = _resolve(value.get("method", "error"), MISSING_METHODS)
        if method not in (None, "skip") and value.get("min_share") is not None:
            self._add(
                "unused_key",
                f"min_share（最低可用比例）只用于 missing: skip；当前方法 {method} "
                "不使用它，请删去。",
                f"min_share is used only with missing method skip; {method} ignores it. Remove it.",
                ("missing", "min_share"),
                key=True,
            )

    def _params(
        self, spec: _Spec, rules: Mapping[str, Mapping[str, _Rule]], zh_kind: str, en_kind: str
    ) -> None:
        if spec.method is None:
            return
        known = rules.get(spec.method, {})
        owner_zh, owner_en = describe(spec.path, self.raw)
        for name, (value, path) in spec.params.items():
            rule = known.get(name)
            if rule is None:
                close = suggest(name, list(known))
                if known:
                    avail_zh = f"{spec.method} 可用的参数：{'、'.join(known)}。"
                    avail_en = f"{spec.method} takes: {', '.join(known)}."
                else:
                    avail_zh = f"{zh_kind} {spec.method} 不接受参数。"
                    avail_en = f"{en_kind} {spec.method} takes no parameters."
                self._add(
                    "unknown_key",
                    f"{owner_zh}中的 {name} 不是 {spec.method} 的参数。{avail_zh}"
                    + (f"是否想写 {close}？" if close else ""),
                    f"{name} is not a parameter of {spec.method} in {owner_en}. {avail_en}"
                    + (f" Did you mean {close}?" if close else ""),
                    path,
                    key=True,
                )
            elif not rule.ok(value):
                self._add(
                    "bad_param",
                    f"{owner_zh}的参数 {name} 应为{rule.zh}，收到 {fmt(value)}。",
                    f"parameter {name} of {owner_en} must be {rule.en}, got {fmt(value)}.",
                    path,
                )
        for name in REQUIRED_PARAMS.get(spec.method, ()):
            if name not in spec.params:
                rule = known[name]
                self._add(
                    "missing_key",
                    f"{owner_zh}：{spec.method} 需要参数 {name}，应为{rule.zh}；例如 "
                    f"{{method: {spec.method}, {name}: 2}}。",
                    f"{owner_en}: {spec.method} needs the parameter {name}, {rule.en}; e.g. "
                    f"{{method: {spec.method}, {name}: 2}}.",
                    spec.path,
                )

    def _aggregation(self, spec: _Spec) -> None:
        self._params(spec, AGGREGATION_PARAMS, "合成方法", "aggregation")
        method = spec.method
        if method == "generalized":
            p = spec.params.get("p", (None, ()))[0]
            if not (_is_number(p) and p < 0):
                return
            label_zh, label_en = "p < 0 的广义平均", "generalized (p < 0)"
        elif method in ("geometric", "harmonic"):
            label_zh, label_en = f"{AGGREGATION_METHODS[method]}（{method}）", method
        else:
            return
        norm = self.norm
        owner_zh, owner_en = describe(spec.path[:-1], self.raw)
        at_zh, at_en = self._line_note(norm.path)
        if norm.method in RANGE_METHODS:
            rng: Any = norm.data.get("range", [0, 100]) if norm.data is not None else [0, 100]
            if not (isinstance(rng, list) and len(rng) == 2 and all(map(_is_number, rng))):
                return
            lo, hi = rng
            if lo > 0 or lo >= hi:
                return
            fix = [1, hi] if hi > 1 else [0.01, hi]
            self._add(
                "aggregation_needs_positive",
                f"{owner_zh}采用{label_zh}，要求标准化后的值都大于 0；但 {norm.method} 标准化的"
                f"取值区间 {fmt(rng)}{at_zh}会给最差的单位 {fmt(lo)} 分。"
                f"请把标准化改为 {{method: {norm.method}, range: {fmt(fix)}}}。",
                f"{owner_en} uses {label_en} aggregation, which needs normalised values above "
                f"0, but {norm.method} with range {fmt(rng)}{at_en} gives {fmt(lo)} to the "
                f"worst unit. Use normalization {{method: {norm.method}, range: {fmt(fix)}}}.",
                spec.path,
            )
        elif norm.method in ("zscore", "rank"):
            self._add(
                "aggregation_needs_positive",
                f"{owner_zh}采用{label_zh}，要求标准化后的值都大于 0；但 {norm.method}"
                f"（{NORMALIZATION_METHODS[norm.method]}）{at_zh}总会产生 0 或负值。"
                "请改用 {method: minmax, range: [1, 100]} 标准化，或改用 arithmetic 合成。",
                f"{owner_en} uses {label_en} aggregation, which needs normalised values above "
                f"0, but {norm.method}{at_en} always gives 0 or negative values. Use "
                "normalization {method: minmax, range: [1, 100]}, or arithmetic aggregation.",
                spec.path,
            )

    def _indicator_directions(self) -> dict[str, str | None]:
        """Indicator id -> canonical direction (None when not readable), from the plain data."""
        out: dict[str, str | None] = {}

        def visit(nodes: object) -> None:
            if not isinstance(nodes, list):
                return
            for node in nodes:
                if not isinstance(node, Mapping):
                    continue
                visit(node.get("children"))
                for ind in node.get("indicators") or []:
                    if isinstance(ind, Mapping) and isinstance(ind.get("id"), str):
                        direction = _resolve(ind.get("direction"), DIRECTIONS, DIRECTION_ALIASES)
                        out.setdefault(ind["id"], direction)

        visit(self.raw.get("dimensions"))
        return out

    def _stars(self) -> None:
        """The ``stars:`` block: levels 1, 2 … once each, rising scores, the gate at or below
        the first level, minima on known, scored, positive indicators and given as numbers."""
        stars = self.raw.get("stars")
        if not isinstance(stars, Mapping):
            return
        levels = stars.get("levels")
        if not isinstance(levels, list):
            return
        if not levels:
            self._add(
                "stars_no_levels",
                "stars 的 levels 为空：星级评定至少需要一个星级，如 levels: [{star: 1, "
                "min_score: 60}]。",
                "stars has no levels: the star rule needs at least one, e.g. levels: "
                "[{star: 1, min_score: 60}].",
                ("stars", "levels"),
            )
            return
        directions = self._indicator_directions()
        stars_seen: list[int] = []
        previous: tuple[int, float] | None = None
        for i, level in enumerate(levels):
            if not isinstance(level, Mapping):
                continue
            path: Loc = ("stars", "levels", i)
            star = level.get("star")
            if isinstance(star, int) and not isinstance(star, bool):
                stars_seen.append(star)
            score = level.get("min_score")
            if _is_number(score) and isinstance(star, int):
                if previous is not None and score <= previous[1]:
                    self._add(
                        "stars_not_increasing",
                        f"星级须从一星起逐级列出，分数线逐级提高：{star} 星的 min_score 为 "
                        f"{fmt(score)}，不高于 {previous[0]} 星的 {fmt(previous[1])}。"
                        "请把高星级的分数线设得更高。",
                        f"star levels are listed from one star up with rising scores: the "
                        f"min_score of {star} stars, {fmt(score)}, is not above the "
                        f"{fmt(previous[1])} of {previous[0]} stars; give the higher level a "
                        "higher score.",
                        (*path, "min_score"),
                    )
                previous = (star, float(score))
            minima = level.get("minima")
            if not isinstance(minima, Mapping):
                continue
            for ind_id, value in minima.items():
                at: Loc = (*path, "minima", ind_id)
                if ind_id not in directions:
                    close = suggest(str(ind_id), list(directions))
                    self._add(
                        "stars_unknown_indicator",
                        f"{star} 星的 minima 中的 {ind_id} 不是本考核办法的指标。"
                        + (f"是否想写 {close}？" if close else "")
                        + "请写指标的 id（如 tax_per_mu）。",
                        f"{ind_id!r} in the minima of {star} stars is not an indicator of this "
                        "methodology."
                        + (f" Did you mean {close}?" if close else "")
                        + " Write the indicator's id (e.g. tax_per_mu).",
                        at,
                        key=True,
                    )
                    continue
                direction = directions[ind_id]
                if direction in ("negative", "constraint", "moderate"):
                    self._add(
                        "stars_bad_indicator",
                        f"{star} 星的 minima 中的 {ind_id} 是{DIRECTIONS[direction]}指标；"
                        "星级的指标门槛是“不低于”，只能用于正向指标。请改用正向指标"
                        "（如用降低率代替能耗水平）。",
                        f"{ind_id!r} in the minima of {star} stars is a {direction} "
                        "indicator; an indicator minimum means 'at least', so it needs a "
                        "positive indicator (e.g. a reduction rate instead of a level).",
                        at,
                        key=True,
                    )
                if not _is_number(value):
                    self._add(
                        "stars_bad_minimum",
                        f"{star} 星的 minima 中 {ind_id} 的下限应为数，收到 {fmt(value)}。"
                        f"请写成如 {ind_id}: 30。",
                        f"the minimum of {ind_id!r} for {star} stars must be a number, got "
                        f"{fmt(value)}; write e.g. {ind_id}: 30.",
                        at,
                    )
        expected = list(range(1, len(stars_seen) + 1))
        if stars_seen and sorted(stars_seen) != expected:
            self._add(
                "stars_levels",
                f"星级须为 1 到 {len(stars_seen)} 各一次（从一星起，不跳级、不重复），"
                f"收到 {'、'.join(map(str, stars_seen))}。",
                f"the star levels must be 1 to {len(stars_seen)}, each once (from one star up, "
                f"none skipped or repeated), got {', '.join(map(str, stars_seen))}.",
                ("stars", "levels"),
            )
        elif stars_seen and stars_seen != expected:
            self._add(
                "stars_order",
                f"星级请按一星、二星……的顺序列出，收到 {'、'.join(map(str, stars_seen))}。",
                "list the star levels in order, one star first, got "
                f"{', '.join(map(str, stars_seen))}.",
                ("stars", "levels"),
            )
        gate = stars.get("gate")
        first = levels[0] if isinstance(levels[0], Mapping) else {}
        lowest = first.get("min_score")
        if _is_number(gate) and _is_number(lowest) and gate > lowest:
            self._add(
                "stars_gate",
                f"门槛分（gate）{fmt(gate)} 高于一星的分数线 {fmt(lowest)}：门槛是保留园区资格的"
                "最低分，不能高于最低星级的分数线。请调低 gate 或调高一星的 min_score。",
                f"the gate score {fmt(gate)} is above the one-star score {fmt(lowest)}: the gate "
                "(门槛) is the lowest score that keeps a park in the list and cannot be above the "
                "lowest level; lower gate or raise the one-star min_score.",
                ("stars", "gate"),
            )

    def _tiers(self) -> None:
        tiers = self.raw.get("tiers")
        if not isinstance(tiers, list):
            return
        first: tuple[str, int] | None = None
        previous: tuple[float, int] | None = None
        names: dict[str, int] = {}
        for i, tier in enumerate(tiers):
            if not isinstance(tier, Mapping):
                continue
            path: Loc = ("tiers", i)
            zh, en = describe(path, self.raw)
            name = tier.get("name")
            if isinstance(name, str):
                if name in names:
                    self._add(
                        "duplicate_tier",
                        f"方阵名称“{name}”重复（另见第 {names[name] + 1} 个方阵），"
                        "请改用不同的名称。",
                        f"tier name {name!r} is used twice (also tier #{names[name] + 1}); "
                        "give each tier its own name.",
                        (*path, "name"),
                    )
                names.setdefault(name, i)
            has_rank = tier.get("max_rank") is not None
            has_score = tier.get("min_score") is not None
            if has_rank and has_score:
                self._add(
                    "tier_threshold",
                    f"{zh}同时写了 max_rank 和 min_score；每个方阵只能按名次或按分数划分，"
                    "请删去一个。",
                    f"{en} gives both max_rank and min_score; a tier is cut by rank or by score, "
                    "not both. Remove one.",
                    path,
                )
                continue
            if not has_rank and not has_score:
                if i == len(tiers) - 1 and len(tiers) >= 2:
                    continue  # the last tier takes the rest
                self._add(
                    "tier_threshold",
                    f"{zh}需要 max_rank（名次上限，如 30）或 min_score（分数下限，如 90）；"
                    "只有最后一个方阵可以都不写（表示其余所有单位）。",
                    f"{en} needs max_rank (e.g. 30) or min_score (e.g. 90); only the last tier "
                    "may give neither (it takes every remaining unit).",
                    path,
                )
                continue
            kind, key = ("rank", "max_rank") if has_rank else ("score", "min_score")
            if first is None:
                first = (kind, i)
            elif kind != first[0]:
                other = "max_rank" if first[0] == "rank" else "min_score"
                first_zh, first_en = describe(("tiers", first[1]), self.raw)
                self._add(
                    "tiers_mixed",
                    f"{zh}用 {key} 划分，而{first_zh}用 {other}；同一考核办法的方阵须都按名次"
                    f"（max_rank）或都按分数（min_score）划分。请统一为 {other}。",
                    f"{en} is cut by {key} but {first_en} by {other}; all tiers of a "
                    f"methodology use the same kind. Use {other} throughout.",
                    (*path, key),
                    key=True,
                )
                continue
            value = tier[key]
            valid = _is_number(value) and (kind == "score" or isinstance(value, int))
            if not valid:
                continue
            if previous is not None:
                prev_value, prev_index = previous
                prev_zh, prev_en = describe(("tiers", prev_index), self.raw)
                if kind == "rank" and value <= prev_value:
                    self._add(
                        "tiers_not_increasing",
                        f"方阵按从好到差排列，max_rank 须逐个增大：{zh}的 max_rank 为 "
                        f"{fmt(value)}，不大于{prev_zh}的 {fmt(prev_value)}。",
                        f"tiers are listed from the best, so max_rank must increase: {en} has "
                        f"max_rank {fmt(value)}, not above {fmt(prev_value)} of {prev_en}.",
                        (*path, key),
                    )
                elif kind == "score" and value >= prev_value:
                    self._add(
                        "tiers_not_increasing",
                        f"方阵按从好到差排列，min_score 须逐个减小：{zh}的 min_score 为 "
                        f"{fmt(value)}，不小于{prev_zh}的 {fmt(prev_value)}。",
                        f"tiers are listed from the best, so min_score must decrease: {en} has "
                        f"min_score {fmt(value)}, not below {fmt(prev_value)} of {prev_en}.",
                        (*path, key),
                    )
            previous = (value, i)

    # -- the tree ------------------------------------------------------------------------------

    def _dimension_list(self, items: list[Any], path: Loc) -> None:
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                self._dimension(item, (*path, i))
        self._sibling_weights(items, path)

    def _dimension(self, node: Mapping[str, Any], path: Loc) -> None:
        self._register(node.get("id"), path, "dimension")
        zh, en = describe(path, self.raw)
        children: Any = node.get("children")
        indicators: Any = node.get("indicators")
        has_children = isinstance(children, list) and bool(children)
        has_indicators = isinstance(indicators, list) and bool(indicators)
        if has_children and has_indicators:
            self._add(
                "children_and_indicators",
                f"{zh}同时有 children（子维度）和 indicators（指标）；一个维度只能二选一。"
                "请把这些指标移入一个子维度。",
                f"{en} has both children and indicators; a dimension has one or the other. "
                "Move the indicators into a sub-dimension.",
                path,
            )
        elif (
            not has_children
            and not has_indicators
            and isinstance(children, list | None)
            and isinstance(indicators, list | None)
        ):
            self._add(
                "empty_node",
                f"{zh}既没有 children（子维度）也没有 indicators（指标）；请至少列出一项，"
                "或删去这个维度。",
                f"{en} has neither children nor indicators; list at least one, or remove the "
                "dimension.",
                path,
            )
        members: list[str | None] | None = None
        if has_children:
            self._dimension_list(children, (*path, "children"))
            members = [_ident(c) for c in children]
        if has_indicators:
            scored: list[Mapping[str, Any]] = []
            known = True
            for j, item in enumerate(indicators):
                if not isinstance(item, Mapping):
                    known = False
                    continue
                direction = self._indicator(item, (*path, "indicators", j))
                if direction is None:
                    known = False
                elif direction != "constraint":
                    scored.append(item)
            if known and not scored:
                self._add(
                    "no_scored_indicators",
                    f"{zh}的指标全是约束性指标（constraint），没有参与计分的指标，无法合成得分。"
                    "请加入计分指标，或把约束性指标移到其他维度。",
                    f"{en} holds only constraint indicators, so it has no score. Add a scored "
                    "indicator or move the constraint indicators to another dimension.",
                    (*path, "indicators"),
                    key=True,
                )
            self._sibling_weights(scored, (*path, "indicators"))
            if not has_children and known:
                members = [_ident(i) for i in scored]
        self._ahp(
            node.get("ahp"),
            (*path, "ahp"),
            members=members,
            owner=path,
            missing_at=path,
            leaf=not has_children,
        )
        if node.get("aggregation") is not None:
            self._aggregation(
                self._spec((*path, "aggregation"), AGGREGATION_METHODS, "arithmetic", ("method",))
            )

    def _indicator(self, item: Mapping[str, Any], path: Loc) -> str | None:
        is_new = self._register(item.get("id"), path, "indicator")
        zh, en = describe(path, self.raw)
        direction = _resolve(item.get("direction"), DIRECTIONS, DIRECTION_ALIASES)
        optimum = item.get("optimum")
        if direction == "moderate" and optimum is None:
            self._add(
                "missing_optimum",
                f"{zh}是适度指标（moderate），需要适度值 optimum（最理想的取值，如 optimum: 3），"
                "得分按与它的距离计算。",
                f"{en} is moderate and needs an optimum (its ideal value, e.g. optimum: 3); "
                "it is scored by the distance to it.",
                path,
            )
        if direction in ("positive", "negative", "constraint") and optimum is not None:
            self._add(
                "unused_key",
                f"{zh}是{DIRECTIONS[direction]}指标（{direction}），不使用 optimum；"
                "如果它是适度指标，请写 direction: moderate，否则删去 optimum。",
                f"{en} is {direction}, which does not use optimum; write direction: moderate "
                "if it is a moderate indicator, otherwise remove optimum.",
                (*path, "optimum"),
                key=True,
            )
        if direction == "constraint" and "weight" in item:
            self._add(
                "unused_key",
                f"{zh}是约束性指标（constraint），不计分，也就没有权重；请删去 weight。",
                f"{en} is a constraint indicator: it is not scored and has no weight. "
                "Remove weight.",
                (*path, "weight"),
                key=True,
            )
        lower, upper = item.get("lower"), item.get("upper")
        if _is_number(lower) and _is_number(upper) and lower >= upper:
            self._add(
                "bad_goalposts",
                f"{zh}的下限 lower（{fmt(lower)}）必须小于上限 upper（{fmt(upper)}）；"
                "逆向指标也按数值从小到大写，方向由 direction 决定。",
                f"lower ({fmt(lower)}) of {en} must be below upper ({fmt(upper)}); write them "
                "in increasing order even for negative indicators (direction handles that).",
                (*path, "upper"),
            )
        if self.norm.method == "goalposts" and direction != "constraint":
            lacking = [k for k in ("lower", "upper") if item.get(k) is None]
            if lacking:
                self._add(
                    "missing_goalposts",
                    f"采用阈值法标准化（goalposts）时每个计分指标都需要 lower 和 upper；"
                    f"{zh}缺少 {'、'.join(lacking)}。例如 lower: 0, upper: 5。",
                    f"goalposts normalisation needs lower and upper on every scored indicator; "
                    f"{en} lacks {' and '.join(lacking)}. E.g. lower: 0, upper: 5.",
                    path,
                )
        target = item.get("target")
        if self.norm.method == "target" and _is_number(target) and target <= 0:
            self._add(
                "bad_target",
                f"{zh}的目标值 target 须为正数（完成率 = 实际值 / 目标值），收到 {fmt(target)}。",
                f"target of {en} must be positive (completion = value / target), got "
                f"{fmt(target)}.",
                (*path, "target"),
            )
        self._limits(item, path, zh, en)
        if is_new:
            self._labels(item, path)
        return direction

    # -- plausibility (kaoping.methodology.plausibility) ---------------------------------------

    def _limits(self, item: Mapping[str, Any], path: Loc, zh: str, en: str) -> None:
        kind = _resolve(item.get("kind"), KINDS)
        lo, hi = KIND_BOUNDS.get(kind or "", (None, None))
        hard_lo = item.get("min") if _is_number(item.get("min")) else lo
        hard_hi = item.get("max") if _is_number(item.get("max")) else hi
        pairs = (
            ("min", "max", hard_lo, hard_hi, "合理范围", "hard range"),
            ("soft_min", "soft_max", item.get("soft_min"), item.get("soft_max"), "通常范围",
             "soft range"),
        )  # fmt: skip
        for lo_key, hi_key, low, high, zh_what, en_what in pairs:
            if _is_number(low) and _is_number(high) and low >= high:
                self._add(
                    "bad_range",
                    f"{zh}的{zh_what}下限 {lo_key}（{fmt(low)}）必须小于上限 {hi_key}"
                    f"（{fmt(high)}）。",
                    f"{en_what} of {en}: {lo_key} ({fmt(low)}) must be below {hi_key} "
                    f"({fmt(high)}).",
                    (*path, hi_key if hi_key in item else lo_key),
                )
        outside: list[tuple[str, object, Callable[[float, float], bool]]] = [
            ("soft_min", hard_lo, lambda v, b: v < b),
            ("soft_max", hard_hi, lambda v, b: v > b),
            ("soft_min", hard_hi, lambda v, b: v >= b),
            ("soft_max", hard_lo, lambda v, b: v <= b),
        ]
        for key, bound, beyond in outside:
            value = item.get(key)
            if _is_number(value) and _is_number(bound) and beyond(value, bound):
                self._add(
                    "bad_range",
                    f"{zh}的 {key}（{fmt(value)}）须在合理范围 [{fmt(hard_lo)}, {fmt(hard_hi)}] "
                    "之内：超出合理范围的数一律不予接受，不必再要求说明。",
                    f"{key} ({fmt(value)}) of {en} must lie inside its hard range "
                    f"[{fmt(hard_lo)}, {fmt(hard_hi)}]: a figure outside the hard range is "
                    "refused anyway.",
                    (*path, key),
                )
                break
        self._change(item.get("change"), (*path, "change"))

    def _change(self, value: object, path: Loc) -> None:
        if not isinstance(value, Mapping):
            return
        given = [k for k in ("ratio", "relative", "absolute") if value.get(k) is not None]
        if len(given) != 1:
            self._add(
                "bad_change",
                "同比变动限度 change 须且只须给出 ratio（倍数，如 3）、relative（相对变动，"
                f"如 0.5 即 ±50%）、absolute（绝对变动，如 10）之一，收到 {fmt(dict(value))}。",
                "change must give exactly one of ratio (a multiple, e.g. 3), relative (a "
                "relative change, e.g. 0.5 for ±50%) or absolute (e.g. 10), got "
                f"{fmt(dict(value))}.",
                path,
            )

    def _cross_checks(self) -> None:
        checks = get_at(self.raw, ("plausibility", "checks"))
        if not isinstance(checks, list):
            return
        indicators = {i for i, (_, kind) in self.ids.items() if kind == "indicator"}
        seen: dict[str, int] = {}
        for k, item in enumerate(checks):
            if not isinstance(item, Mapping):
                continue
            path: Loc = ("plausibility", "checks", k)
            ident = item.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self._add(
                        "duplicate_id",
                        f"校验规则标识 {ident} 重复（另见第 {seen[ident] + 1} 条）；请改名。",
                        f"duplicate cross-check id {ident!r} (see check #{seen[ident] + 1}); "
                        "rename one.",
                        (*path, "id"),
                    )
                seen.setdefault(ident, k)
            rule = item.get("rule")
            if not isinstance(rule, str) or not rule.strip():
                continue  # reported by the field check
            try:
                names = parse_rule(rule).names
            except RuleSyntaxError as error:
                self._add(
                    "bad_rule",
                    f"校验规则 {ident or k + 1} 的 rule 无效：{error.zh}",
                    f"rule of cross-check {ident or k + 1} is invalid: {error.en}.",
                    (*path, "rule"),
                )
                continue
            for name in names:
                if name not in indicators:
                    close = suggest(name, sorted(indicators))
                    self._add(
                        "unknown_indicator",
                        f"校验规则 {ident or k + 1} 中的 {name} 不是本考核办法的指标代码。"
                        + (f"是否想写 {close}？" if close else ""),
                        f"{name!r} in cross-check {ident or k + 1} is not an indicator id of "
                        "this methodology." + (f" Did you mean {close}?" if close else ""),
                        (*path, "rule"),
                    )

    def _register(self, ident: object, path: Loc, kind: str) -> bool:
        if not isinstance(ident, str):
            return False
        if ident not in self.ids:
            self.ids[ident] = (path, kind)
            return True
        first_path, first_kind = self.ids[ident]
        kinds = {"dimension": ("维度", "dimension"), "indicator": ("指标", "indicator")}
        first_line = self.source.line((*first_path, "id"))
        this_line = self.source.line((*path, "id"))
        if first_line is not None and this_line is not None and self.source.lines:
            at_zh = (
                f"第 {first_line} 行的{kinds[first_kind][0]}和第 {this_line} 行的{kinds[kind][0]}"
            )
            at_en = (
                f"the {kinds[first_kind][1]} at line {first_line} and the {kinds[kind][1]} "
                f"at line {this_line}"
            )
        else:
            first_at, this_at = self.source.where(first_path), self.source.where(path)
            at_zh = f"{kinds[first_kind][0]} {first_at} 和{kinds[kind][0]} {this_at} "
            at_en = (
                f"the {kinds[first_kind][1]} at {first_at} and the {kinds[kind][1]} at {this_at}"
            )
        self._add(
            "duplicate_id",
            f"标识 {ident} 重复：{at_zh}都用了它。维度和指标共用一套标识，"
            "请把其中一个改成不同的标识。",
            f"duplicate id {ident!r}: used by {at_en}. Dimensions and indicators share one "
            "set of ids; rename one of them.",
            (*path, "id"),
        )
        return False

    def _labels(self, item: Mapping[str, Any], path: Loc) -> None:
        ident = item.get("id")
        if not isinstance(ident, str):
            return
        entries: list[tuple[Any, Loc]] = [
            (ident, (*path, "id")),
            (item.get("name"), (*path, "name")),
            (item.get("name_en"), (*path, "name_en")),
        ]
        aliases = item.get("aliases")
        if isinstance(aliases, list):
            entries += [(a, (*path, "aliases", k)) for k, a in enumerate(aliases)]
        for label, where in entries:
            if not isinstance(label, str) or not label.strip():
                continue
            owner = self.labels.get(label)
            if owner is None:
                self.labels[label] = (ident, where)
            elif owner[0] != ident:
                at_zh, at_en = self._line_note(owner[1])
                self._add(
                    "duplicate_name",
                    f"“{label}”同时是指标 {owner[0]}{at_zh}和指标 {ident} 的名称、标识或别名，"
                    "读取数据时无法判断该列属于哪个指标。请改名或删去这个别名。",
                    f"{label!r} names both indicator {owner[0]}{at_en} and indicator {ident} "
                    "(as id, name or alias), so a data column with this header is ambiguous. "
                    "Rename it or remove the alias.",
                    where,
                )

    def _sibling_weights(self, items: Sequence[Any], path: Loc) -> None:
        weights: list[float] = []
        for item in items:
            if not isinstance(item, Mapping):
                return
            weight = item.get("weight", 1.0)
            if not _is_number(weight) or weight < 0:
                return  # reported by the field check
            weights.append(weight)
        if weights and all(w == 0 for w in weights):
            zh, en = describe(path[:-1], self.raw)
            what_zh = "指标" if path[-1] == "indicators" else "维度"
            self._add(
                "zero_weights",
                f"{zh}下的{what_zh}权重全部为 0，无法按比例分配权重；请至少给一项正权重。",
                f"every weight under {en} ({path[-1]}) is 0, so they cannot be rescaled; give "
                "at least one a positive weight.",
                path,
                key=True,
            )

    def _ahp(
        self,
        matrix: Any,
        path: Loc,
        *,
        members: list[str | None] | None,
        owner: Loc,
        missing_at: Loc,
        leaf: bool,
    ) -> None:
        zh, en = describe(owner, self.raw)
        what_zh = "参与计分的指标" if leaf else ("维度" if not owner else "子维度")
        what_en = "scored indicators" if leaf else ("dimensions" if not owner else "sub-dimensions")
        listed = ", ".join(m or "?" for m in members) if members is not None else ""
        listed_zh = listed.replace(", ", "、")
        if matrix is None:
            if self.uses_ahp and members is not None and len(members) >= 2:
                n = len(members)
                self._add(
                    "ahp_missing",
                    f"采用层次分析法赋权时，{zh}有 {n} 个{what_zh}（{listed_zh}），"
                    f"需要一个 {n}×{n} 的判断矩阵 ahp，按列出的顺序两两比较。",
                    f"with AHP weighting, {en} has {n} {what_en} ({listed}) and needs a "
                    f"pairwise matrix ahp of size {n}x{n}, in listed order.",
                    missing_at,
                    key=not owner,
                )
            return
        if not isinstance(matrix, list) or not all(isinstance(r, list) for r in matrix):
            return  # a type error, reported by pydantic
        n = len(matrix)
        lengths = {len(row) for row in matrix}
        square = n > 0 and lengths == {n}
        if n > 0 and len(lengths) == 1 and not square:
            k = lengths.pop()
            self._add(
                "ahp_not_square",
                f"{zh}的判断矩阵不是方阵：它有 {n} 行、每行 {k} 个数；n 个比较对象需要 n 行 n 列。",
                f"the pairwise matrix of {en} is not square: {n} rows of {k} entries; n items "
                "need n rows of n entries.",
                path,
            )
        for i, row in enumerate(matrix):
            if len(lengths) > 1 and len(row) != n:
                self._add(
                    "ahp_not_square",
                    f"{zh}的判断矩阵不是方阵：第 {i + 1} 行（ahp[{i}]）有 {len(row)} 个数，"
                    f"而矩阵有 {n} 行；n 个比较对象需要 n 行 n 列。",
                    f"the pairwise matrix of {en} is not square: row ahp[{i}] has {len(row)} "
                    f"entries but the matrix has {n} rows; n items need n rows of n entries.",
                    (*path, i),
                )
        if members is not None and n != len(members):
            m = len(members)
            self._add(
                "ahp_wrong_size",
                f"{zh}有 {m} 个{what_zh}（{listed_zh}），判断矩阵应为 {m}×{m}，但它有 {n} 行。"
                "矩阵的行列按列出的顺序对应这些子项。",
                f"{en} has {m} {what_en} ({listed}), so its pairwise matrix must be {m}x{m}, "
                f"but it has {n} rows. Rows and columns follow the listed order.",
                path,
            )
            return
        if not square:
            return
        values = [[_cell(v) for v in row] for row in matrix]
        for i in range(n):
            v = values[i][i]
            if v is not None and abs(v - 1) > AHP_TOLERANCE:  # a_ii = 1/a_ii
                self._add(
                    "ahp_not_reciprocal",
                    f"{zh}的判断矩阵对角线 ahp[{i}][{i}] 应为 1（自身与自身同等重要），"
                    f"收到 {fmt(matrix[i][i])}。",
                    f"diagonal entry ahp[{i}][{i}] of the pairwise matrix of {en} must be 1, "
                    f"got {fmt(matrix[i][i])}.",
                    (*path, i, i),
                )
        for i in range(n):
            for j in range(i + 1, n):
                a, b = values[i][j], values[j][i]
                if a is None or b is None or abs(a - 1 / b) <= AHP_TOLERANCE * max(a, 1 / b):
                    continue
                shown = f"ahp[{i}][{j}]={fmt(matrix[i][j])}，但 ahp[{j}][{i}]={fmt(matrix[j][i])}"
                shown_en = (
                    f"ahp[{i}][{j}]={fmt(matrix[i][j])} but ahp[{j}][{i}]={fmt(matrix[j][i])}"
                )
                expected = ratio_text(1 / a)
                tip_zh, tip_en = (
                    (
                        f'四舍五入的小数不够精确，分数请写成带引号的 "{expected}"。',
                        f' A rounded decimal is not exact enough: write the fraction "{expected}".',
                    )
                    if "/" in expected
                    else ("", "")
                )
                self._add(
                    "ahp_not_reciprocal",
                    f"{zh}的判断矩阵不是互反矩阵：{shown}，应为 {expected}（a_ji = 1/a_ij）。"
                    + tip_zh,
                    f"the pairwise matrix of {en} is not reciprocal: {shown_en}, expected "
                    f"{expected} (a_ji = 1/a_ij)." + tip_en,
                    (*path, j, i),
                )


def _ident(item: object) -> str | None:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return str(item["id"])
    return None


def _cell(value: object) -> float | None:
    try:
        number = parse_ratio(value)
    except ValueError:
        return None
    return number if number > 0 and math.isfinite(number) else None
