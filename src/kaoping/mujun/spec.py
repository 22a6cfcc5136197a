"""The 亩均 methodology: indicators as ratios of firm-table columns, weights, benchmarks, classes.

A spec is one YAML file (the bundled ``enterprise_mujun`` is
``kaoping/data/mujun/enterprise_mujun.yaml``) read by :func:`load_spec` into a frozen
:class:`MujunSpec`.  Every problem of the file is reported at once, each with its line
(``my.yaml:23``), as :mod:`kaoping.methodology` does for county methodologies.

Keys
----
``id``, ``name`` (required), ``name_en``
    Identifier and names.
``scheme``
    ``{name, name_en, source}``: whose weights and benchmarks these are, and where published.
``fields`` (required)
    ``ID: {name, name_en, unit, aliases}``: the numeric columns of the firm table (用地面积 …).
``indicators`` (required)
    A list of ``{id, name, name_en, unit, numerator, denominator, weight, benchmark, cap,
    aliases}``: the indicator is ``numerator / denominator`` (two field ids), scored
    ``weight × value / benchmark`` (:func:`kaoping.scoring.rules.benchmark_ratio`), capped at
    ``cap × weight`` (default: ``scoring.cap``; ``null`` uncapped).
``scoring``
    ``cap`` (a multiple of the weight, > 0, or null; default 1.5) and ``missing``: ``zero`` (an
    indicator that cannot be computed scores 0; the default) or ``reweight`` (the firm's score
    is the sum of its computable points scaled by total weight / weight computed).
``classes`` (required)
    ``method``: ``percentile`` or ``thresholds``; ``list``: from the best class down,
    ``{id, name, name_en, upto_percent, min_score}``.  ``upto_percent`` are cumulative shares
    of the graded firms, increasing, the last 100; ``min_score`` the score thresholds of the
    alternative (each class but the last, decreasing; the last class takes the rest).
``exempt``
    ``{class, class_en, reasons}``: the class of firms flagged exempt (不定等级) and the usual
    reasons (a reference list; the firm table may give any reason).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeGuard

from kaoping._files import FileTooLarge, NotRegularFile, read_regular
from kaoping.errors import InputError, Problem
from kaoping.methodology._source import Source, read_yaml

__all__ = [
    "BUNDLED",
    "ClassDef",
    "Field",
    "MujunIndicator",
    "MujunSpec",
    "bundled_path",
    "load_spec",
    "loads_spec",
]

BUNDLED = "enterprise_mujun"
"""The name of the bundled spec (台州市黄岩区's weights and benchmarks)."""

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Field:
    """A numeric column of the firm table."""

    id: str
    name: str
    name_en: str
    unit: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MujunIndicator:
    """One indicator: ``numerator / denominator``, scored ``weight × value / benchmark``."""

    id: str
    name: str
    name_en: str
    unit: str
    numerator: str
    denominator: str
    weight: float
    benchmark: float
    cap: float | None
    aliases: tuple[str, ...] = ()

    def label(self, english: bool = False) -> str:
        """``亩均税收（万元/亩）`` / ``Tax per mu (万元/亩)``."""
        return f"{self.name_en} ({self.unit})" if english else f"{self.name}（{self.unit}）"


@dataclass(frozen=True)
class ClassDef:
    """A class (A 优先发展 …): its cumulative percentile bound and its score threshold."""

    id: str
    name: str
    name_en: str
    upto_percent: Fraction
    min_score: float | None


@dataclass(frozen=True)
class MujunSpec:
    """A 亩均 evaluation methodology (see the module docstring for the keys)."""

    id: str
    name: str
    name_en: str
    scheme: str
    scheme_en: str
    source: str
    fields: tuple[Field, ...]
    indicators: tuple[MujunIndicator, ...]
    classes: tuple[ClassDef, ...]
    method: Literal["percentile", "thresholds"] = "percentile"
    missing: Literal["zero", "reweight"] = "zero"
    cap: float | None = 1.5
    exempt_class: str = "不定等级"
    exempt_class_en: str = "Not graded"
    exempt_reasons: tuple[str, ...] = ()
    origin: str = ""
    """The file the spec was read from (for the workbook's 说明 sheet)."""

    def field(self, ident: str) -> Field:
        """The field of id ``ident``."""
        for f in self.fields:
            if f.id == ident:
                return f
        raise KeyError(ident)

    @property
    def total_weight(self) -> float:
        """Σ w (100 for 黄岩): the score of a firm exactly at every benchmark."""
        return float(sum(i.weight for i in self.indicators))

    @property
    def has_thresholds(self) -> bool:
        """Whether every class but the last has a ``min_score``."""
        return all(c.min_score is not None for c in self.classes[:-1])

    def with_method(self, method: Literal["percentile", "thresholds"]) -> MujunSpec:
        """The same spec classing by ``method``; thresholds need every ``min_score``."""
        if method == "thresholds" and not self.has_thresholds:
            raise InputError(
                [
                    Problem(
                        "mujun.no_thresholds",
                        f"考评办法 {self.id} 没有为每个等级（最后一个除外）给出分数线 min_score，"
                        "不能按分数线分类。请在 classes.list 中补上 min_score，或按百分位分类。",
                        f"spec {self.id} lacks a min_score for every class but the last, so it "
                        "cannot class by thresholds; add min_score to classes.list or class by "
                        "percentile.",
                        self.origin or None,
                    )
                ]
            )
        return replace(self, method=method)


def bundled_path(name: str = BUNDLED) -> Path:
    """The file of a bundled spec (``kaoping/data/mujun/NAME.yaml``)."""
    return Path(__file__).resolve().parents[1] / "data" / "mujun" / f"{name}.yaml"


def load_spec(path: str | os.PathLike[str] = BUNDLED) -> MujunSpec:
    """Read a spec file, or the bundled spec of that name (default ``enterprise_mujun``).

    Raises
    ------
    kaoping.errors.InputError
        Every problem of the file, each with its line: ``mujun.file_not_found``,
        ``mujun.unknown_key``, ``mujun.missing_key``, ``mujun.bad_value``, ``mujun.duplicate``,
        ``mujun.unknown_field``, ``mujun.bad_classes`` and the YAML syntax problems of
        :mod:`kaoping.methodology`.

    Examples
    --------
    >>> spec = load_spec()
    >>> [(i.name, i.weight, i.benchmark) for i in spec.indicators][:2]
    [('亩均税收', 30.0, 24.097), ('亩均增加值', 20.0, 136.16)]
    """
    file = Path(path)
    if not file.exists() and bundled_path(os.fspath(path)).exists():
        file = bundled_path(os.fspath(path))
    name = os.fspath(path) if file == Path(path) else file.name
    try:
        data = read_regular(file, _MAX_BYTES)
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    "mujun.file_not_found",
                    f"找不到考评办法文件 {name}（内置的有 {BUNDLED}）。请检查路径。",
                    f"no spec file {name} (the bundled one is {BUNDLED}); check the path.",
                    name,
                )
            ]
        ) from None
    except (NotRegularFile, FileTooLarge, OSError) as exc:
        raise InputError(
            [Problem("mujun.unreadable", f"无法读取：{exc}", f"cannot be read: {exc}", name)]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [
                Problem(
                    "mujun.unreadable",
                    "文件不是 UTF-8 编码的文本；请另存为 UTF-8。",
                    "the file is not UTF-8 text; save it as UTF-8.",
                    name,
                )
            ]
        ) from None
    return loads_spec(text, name)


def loads_spec(text: str, name: str = "<text>") -> MujunSpec:
    """Read a spec from YAML text; ``name`` is used in the problems' locations."""
    raw, source, problems = read_yaml(text, name)
    if raw is None:
        raise InputError(problems)
    checker = _Checker(source, name)
    checker.problems.extend(problems)
    spec = checker.spec(raw)
    if checker.problems or spec is None:
        checker.problems.sort(key=lambda p: _line(p.where))
        raise InputError(checker.problems)
    return spec


def _is_number(value: object) -> TypeGuard[int | float]:
    """A finite number of the YAML (not a boolean, which YAML also reads as a number)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _line(where: str | None) -> int:
    tail = (where or "").rpartition(":")[2]
    return int(tail) if tail.isdigit() else 0


_TOP = ("id", "name", "name_en", "scheme", "fields", "indicators", "scoring", "classes", "exempt")
_FIELD = ("name", "name_en", "unit", "aliases")
_INDICATOR = (
    "id", "name", "name_en", "unit", "numerator", "denominator", "weight", "benchmark", "cap",
    "aliases",
)  # fmt: skip
_CLASS = ("id", "name", "name_en", "upto_percent", "min_score")
_UNSET = object()


class _Checker:
    """Walks the raw data, building the spec and collecting every problem with its line."""

    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        self.problems: list[Problem] = []

    def add(
        self, code: str, zh: str, en: str, path: tuple[str | int, ...], key: bool = False
    ) -> None:
        self.problems.append(Problem(f"mujun.{code}", zh, en, self.source.where(path, key=key)))

    def mapping(
        self, value: Any, path: tuple[str | int, ...], allowed: tuple[str, ...], what: str
    ) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(
                "bad_value",
                f"{what}应为映射（键: 值），收到 {value!r}。",
                f"{what} must be a mapping (key: value), got {value!r}.",
                path,
            )
            return None
        for key in value:
            if key not in allowed:
                self.add(
                    "unknown_key",
                    f"{what}中有未知的键 {key}。可用的键：{'、'.join(allowed)}。",
                    f"unknown key {key!r} in {what}; allowed keys: {', '.join(allowed)}.",
                    (*path, key),
                    key=True,
                )
        return dict(value)

    def text(
        self, data: Mapping[str, Any], key: str, path: tuple[str | int, ...], *, required: bool,
        default: str = "",
    ) -> str:  # fmt: skip
        value = data.get(key, _UNSET)
        if value is _UNSET or value is None:
            if required:
                self.add(
                    "missing_key",
                    f"缺少必填项 {key}，请补上。",
                    f"the required key {key} is missing; add it.",
                    path,
                )
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(
                "bad_value",
                f"{key} 应为文本，收到 {value!r}。",
                f"{key} must be text, got {value!r}.",
                (*path, key),
            )
            return default
        text = str(value).strip()
        if required and not text:
            self.add("bad_value", f"{key} 不能为空。", f"{key} must not be empty.", (*path, key))
        return text

    def ident(self, data: Mapping[str, Any], path: tuple[str | int, ...]) -> str:
        value = self.text(data, "id", path, required=True)
        if value and not _ID.fullmatch(value):
            self.add(
                "bad_value",
                f"id {value!r} 须以字母或 _ 开头，其后为字母、数字、_ 或 -（如 tax_per_mu）。",
                f"id {value!r} must start with a letter or _, then letters, digits, _ or - "
                "(e.g. tax_per_mu).",
                (*path, "id"),
            )
        return value

    def number(
        self, data: Mapping[str, Any], key: str, path: tuple[str | int, ...], *, required: bool,
        nullable: bool = False, default: float | None = None, what: str = "",
    ) -> float | None:  # fmt: skip
        value = data.get(key, _UNSET)
        if value is _UNSET:
            if required:
                self.add(
                    "missing_key",
                    f"缺少必填项 {key}（{what}），请补上。",
                    f"the required key {key} ({what}) is missing; add it.",
                    path,
                )
            return default
        if value is None and nullable:
            return None
        if not _is_number(value) or value <= 0:
            also = "，或 null（不封顶）" if nullable else ""
            also_en = ", or null (uncapped)" if nullable else ""
            self.add(
                "bad_value",
                f"{key}（{what}）应为大于 0 的有限数{also}，收到 {value!r}。",
                f"{key} ({what}) must be a finite number > 0{also_en}, got {value!r}.",
                (*path, key),
            )
            return default
        return float(value)

    def aliases(self, data: Mapping[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        value = data.get("aliases", [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(
                "bad_value",
                f"aliases 应为文本列表，如 [实缴税收, 税收]，收到 {value!r}。",
                f"aliases must be a list of texts, e.g. [实缴税收, 税收], got {value!r}.",
                (*path, "aliases"),
            )
            return ()
        return tuple(v.strip() for v in value if v.strip())

    # -- the sections ----------------------------------------------------------------------

    def spec(self, raw: Any) -> MujunSpec | None:
        top = self.mapping(raw, (), _TOP, "考评办法的顶层")
        if top is None:
            return None
        ident = self.ident(top, ())
        name = self.text(top, "name", (), required=True)
        name_en = self.text(top, "name_en", (), required=False, default=name)
        scheme = self.scheme(top.get("scheme"))
        fields = self.fields(top.get("fields", _UNSET))
        scoring = self.scoring(top.get("scoring"))
        indicators = self.indicators(top.get("indicators", _UNSET), fields, scoring[0])
        method, classes = self.classes(top.get("classes", _UNSET))
        exempt = self.exempt(top.get("exempt"))
        self.unique_headers(fields, indicators)
        if self.problems:
            return None
        return MujunSpec(
            id=ident,
            name=name,
            name_en=name_en,
            scheme=scheme[0],
            scheme_en=scheme[1],
            source=scheme[2],
            fields=tuple(fields.values()),
            indicators=tuple(indicators),
            classes=tuple(classes),
            method=method,
            missing=scoring[1],
            cap=scoring[0],
            exempt_class=exempt[0],
            exempt_class_en=exempt[1],
            exempt_reasons=exempt[2],
            origin=self.name,
        )

    def scheme(self, value: Any) -> tuple[str, str, str]:
        if value is None:
            return "", "", ""
        data = self.mapping(value, ("scheme",), ("name", "name_en", "source"), "scheme")
        if data is None:
            return "", "", ""
        name = self.text(data, "name", ("scheme",), required=False)
        return (
            name,
            self.text(data, "name_en", ("scheme",), required=False, default=name),
            self.text(data, "source", ("scheme",), required=False),
        )

    def fields(self, value: Any) -> dict[str, Field]:
        out: dict[str, Field] = {}
        if value is _UNSET:
            self.add(
                "missing_key",
                "缺少必填项 fields（企业表的数值列，如 land: {name: 用地面积, unit: 亩}）。",
                "the required key fields is missing (the numeric columns of the firm table, "
                "e.g. land: {name: 用地面积, unit: 亩}).",
                (),
            )
            return out
        if not isinstance(value, Mapping):
            self.add(
                "bad_value",
                "fields 应为映射：字段 id: {name, unit, aliases}。",
                "fields must be a mapping: field id: {name, unit, aliases}.",
                ("fields",),
            )
            return out
        for key, item in value.items():
            path: tuple[str | int, ...] = ("fields", key)
            if not _ID.fullmatch(key):
                self.add(
                    "bad_value",
                    f"字段 id {key!r} 须以字母或 _ 开头，其后为字母、数字、_ 或 -。",
                    f"field id {key!r} must start with a letter or _, then letters, digits, "
                    "_ or -.",
                    path,
                    key=True,
                )
            data = self.mapping(item, path, _FIELD, f"字段 {key}")
            if data is None:
                continue
            name = self.text(data, "name", path, required=True)
            out[key] = Field(
                id=key,
                name=name,
                name_en=self.text(data, "name_en", path, required=False, default=key),
                unit=self.text(data, "unit", path, required=True),
                aliases=self.aliases(data, path),
            )
        return out

    def scoring(self, value: Any) -> tuple[float | None, Literal["zero", "reweight"]]:
        if value is None:
            return 1.5, "zero"
        data = self.mapping(value, ("scoring",), ("cap", "missing", "rule"), "scoring")
        if data is None:
            return 1.5, "zero"
        cap = self.number(
            data, "cap", ("scoring",), required=False, nullable=True, default=1.5,
            what="每项得分上限，分值的倍数",
        )  # fmt: skip
        rule = data.get("rule", "benchmark_ratio")
        if rule != "benchmark_ratio":
            self.add(
                "bad_value",
                f"scoring.rule 只能是 benchmark_ratio（标杆比值法），收到 {rule!r}。",
                f"scoring.rule must be benchmark_ratio, got {rule!r}.",
                ("scoring", "rule"),
            )
        missing = data.get("missing", "zero")
        if missing not in ("zero", "reweight"):
            self.add(
                "bad_value",
                f"scoring.missing 须为 zero（算不出的指标得 0 分）或 reweight（按已算出指标的"
                f"权重折算），收到 {missing!r}。",
                f"scoring.missing must be zero (an indicator that cannot be computed scores 0) "
                f"or reweight (scale by the weight computed), got {missing!r}.",
                ("scoring", "missing"),
            )
            missing = "zero"
        return cap, missing

    def indicators(
        self, value: Any, fields: Mapping[str, Field], default_cap: float | None
    ) -> list[MujunIndicator]:
        out: list[MujunIndicator] = []
        if value is _UNSET or not isinstance(value, list) or not value:
            self.add(
                "missing_key" if value is _UNSET else "bad_value",
                "indicators 应为非空列表：每项 {id, name, unit, numerator, denominator, "
                "weight, benchmark}。",
                "indicators must be a non-empty list of {id, name, unit, numerator, "
                "denominator, weight, benchmark}.",
                () if value is _UNSET else ("indicators",),
            )
            return out
        seen: dict[str, int] = {}
        for k, item in enumerate(value):
            path: tuple[str | int, ...] = ("indicators", k)
            data = self.mapping(item, path, _INDICATOR, f"第 {k + 1} 个指标")
            if data is None:
                continue
            ident = self.ident(data, path)
            if ident in seen:
                self.add(
                    "duplicate",
                    f"指标 id {ident} 重复（另见第 {seen[ident] + 1} 个指标）。请改名。",
                    f"indicator id {ident} appears twice (see indicator {seen[ident] + 1}); "
                    "rename one.",
                    (*path, "id"),
                )
            seen.setdefault(ident, k)
            ends: list[str] = []
            for end in ("numerator", "denominator"):
                ref = self.text(data, end, path, required=True)
                if ref and ref not in fields:
                    self.add(
                        "unknown_field",
                        f"{end} {ref!r} 不是 fields 中的字段；可用：{'、'.join(fields)}。",
                        f"{end} {ref!r} is not a field of fields; use one of {', '.join(fields)}.",
                        (*path, end),
                    )
                ends.append(ref)
            weight = self.number(data, "weight", path, required=True, what="分值") or 0.0
            benchmark = self.number(data, "benchmark", path, required=True, what="标杆值") or 1.0
            cap = self.number(
                data, "cap", path, required=False, nullable=True, default=default_cap,
                what="得分上限，分值的倍数",
            )  # fmt: skip
            name = self.text(data, "name", path, required=True)
            out.append(
                MujunIndicator(
                    id=ident,
                    name=name,
                    name_en=self.text(data, "name_en", path, required=False, default=ident),
                    unit=self.text(data, "unit", path, required=True),
                    numerator=ends[0],
                    denominator=ends[1],
                    weight=weight,
                    benchmark=benchmark,
                    cap=cap,
                    aliases=self.aliases(data, path),
                )
            )
        return out

    def classes(self, value: Any) -> tuple[Literal["percentile", "thresholds"], list[ClassDef]]:
        out: list[ClassDef] = []
        if value is _UNSET:
            self.add(
                "missing_key",
                "缺少必填项 classes（等级：method 与 list）。",
                "the required key classes (method and list) is missing.",
                (),
            )
            return "percentile", out
        data = self.mapping(value, ("classes",), ("method", "list"), "classes")
        if data is None:
            return "percentile", out
        method = data.get("method", "percentile")
        if method not in ("percentile", "thresholds"):
            self.add(
                "bad_value",
                f"classes.method 须为 percentile（按百分位）或 thresholds（按分数线），收到 "
                f"{method!r}。",
                f"classes.method must be percentile or thresholds, got {method!r}.",
                ("classes", "method"),
            )
            method = "percentile"
        items = data.get("list")
        if not isinstance(items, list) or len(items) < 2:
            self.add(
                "bad_classes",
                "classes.list 应列出至少两个等级，从最好的开始，如 "
                "{id: A, name: 优先发展, upto_percent: 25, min_score: 100}。",
                "classes.list must list at least two classes, best first, e.g. "
                "{id: A, name: 优先发展, upto_percent: 25, min_score: 100}.",
                ("classes", "list") if "list" in data else ("classes",),
            )
            return method, out
        previous_pct = Fraction(0)
        previous_score = math.inf
        for k, item in enumerate(items):
            path: tuple[str | int, ...] = ("classes", "list", k)
            entry = self.mapping(item, path, _CLASS, f"第 {k + 1} 个等级")
            if entry is None:
                continue
            ident = self.text(entry, "id", path, required=True)
            if ident in {c.id for c in out}:
                self.add(
                    "duplicate",
                    f"等级 {ident} 重复。",
                    f"class {ident} appears twice.",
                    (*path, "id"),
                )
            pct = self._percent(entry, path, previous_pct, last=k == len(items) - 1)
            score = self._min_score(entry, path, previous_score, last=k == len(items) - 1)
            previous_pct = pct if pct is not None else previous_pct
            previous_score = score if score is not None else previous_score
            name = self.text(entry, "name", path, required=True)
            out.append(
                ClassDef(
                    id=ident,
                    name=name,
                    name_en=self.text(entry, "name_en", path, required=False, default=name),
                    upto_percent=pct if pct is not None else Fraction(100),
                    min_score=score,
                )
            )
        if method == "thresholds" and any(c.min_score is None for c in out[:-1]):
            self.add(
                "bad_classes",
                "classes.method 为 thresholds 时，除最后一个等级外，每个等级都要有 min_score。",
                "with classes.method thresholds every class but the last needs a min_score.",
                ("classes", "method"),
            )
        return method, out

    def _percent(
        self, entry: Mapping[str, Any], path: tuple[str | int, ...], previous: Fraction, last: bool
    ) -> Fraction | None:
        value = entry.get("upto_percent", _UNSET)
        if value is _UNSET:
            self.add(
                "missing_key",
                "缺少 upto_percent（累计百分位上限，如 A 为 25、最后一级为 100）。",
                "upto_percent is missing (the cumulative percentile bound: 25 for A, 100 for "
                "the last class).",
                path,
            )
            return None
        if not _is_number(value):
            self.add(
                "bad_value",
                f"upto_percent 应为 0 到 100 之间的数，收到 {value!r}。",
                f"upto_percent must be a number from 0 to 100, got {value!r}.",
                (*path, "upto_percent"),
            )
            return None
        pct = Fraction(str(value))  # 25.5 -> 51/2 exactly: the class counts are exact
        if not previous < pct <= 100 or (last and pct != 100):
            self.add(
                "bad_classes",
                f"upto_percent {value} 不对：各等级的累计百分位须递增、在 (0, 100] 内，"
                "最后一个等级为 100。",
                f"upto_percent {value} is wrong: the cumulative percentiles must increase "
                "within (0, 100], the last class at 100.",
                (*path, "upto_percent"),
            )
            return None
        return pct

    def _min_score(
        self, entry: Mapping[str, Any], path: tuple[str | int, ...], previous: float, last: bool
    ) -> float | None:
        value = entry.get("min_score")
        if value is None:
            return None
        if last:
            self.add(
                "bad_classes",
                "最后一个等级不设 min_score：它包括其余所有企业。请删去。",
                "the last class takes every remaining firm and has no min_score; remove it.",
                (*path, "min_score"),
            )
            return None
        if not _is_number(value):
            self.add(
                "bad_value",
                f"min_score 应为数，收到 {value!r}。",
                f"min_score must be a number, got {value!r}.",
                (*path, "min_score"),
            )
            return None
        if not value < previous:
            self.add(
                "bad_classes",
                f"min_score {value} 须低于上一等级的分数线 {previous}。",
                f"min_score {value} must be below the previous class's {previous}.",
                (*path, "min_score"),
            )
        return float(value)

    def exempt(self, value: Any) -> tuple[str, str, tuple[str, ...]]:
        if value is None:
            return "不定等级", "Not graded", ()
        data = self.mapping(value, ("exempt",), ("class", "class_en", "reasons"), "exempt")
        if data is None:
            return "不定等级", "Not graded", ()
        name = self.text(data, "class", ("exempt",), required=False, default="不定等级")
        reasons = data.get("reasons", [])
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            self.add(
                "bad_value",
                "exempt.reasons 应为文本列表。",
                "exempt.reasons must be a list of texts.",
                ("exempt", "reasons"),
            )
            reasons = []
        return (
            name,
            self.text(data, "class_en", ("exempt",), required=False, default="Not graded"),
            tuple(reasons),
        )

    def unique_headers(self, fields: Mapping[str, Field], indicators: list[MujunIndicator]) -> None:
        """A header of the firm table or the benchmark sheet must mean one thing."""
        from kaoping.data._parse import header_key

        owners: dict[str, str] = {}
        for f in fields.values():
            for text in (f.id, f.name, *f.aliases):
                key = header_key(text)
                if key in owners and owners[key] != f.id:
                    self.add(
                        "duplicate",
                        f"表头 {text!r} 同时指字段 {owners[key]} 和 {f.id}；请改名。",
                        f"header {text!r} names both field {owners[key]} and {f.id}; rename one.",
                        ("fields", f.id),
                    )
                owners[key] = f.id
        seen: dict[str, str] = {}
        for k, ind in enumerate(indicators):
            for text in (ind.id, ind.name, *ind.aliases):
                key = header_key(text)
                if key in seen and seen[key] != ind.id:
                    self.add(
                        "duplicate",
                        f"表头 {text!r} 同时指指标 {seen[key]} 和 {ind.id}；请改名。",
                        f"header {text!r} names both indicator {seen[key]} and {ind.id}; "
                        "rename one.",
                        ("indicators", k),
                    )
                seen[key] = ind.id
