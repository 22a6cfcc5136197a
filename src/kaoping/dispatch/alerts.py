r"""Red, yellow and green warnings (红黄绿预警) as rule sets a city writes in YAML.

A rule set names its level (``project``: one row a project, as
:func:`kaoping.dispatch.progress.progress`; ``county``: one row a county, as
:func:`kaoping.dispatch.progress.county_progress`) and its rules.  A rule has a colour
(``yellow`` or ``red``), a condition over named measures and a reason in Chinese and English::

    id: my_city
    name: {zh: 某市重点项目预警, en: My city's key-project warnings}
    level: project
    rules:
      - id: lag
        colour: yellow
        when:
          all:
            - {measure: started, op: "==", value: true}
            - {measure: lag_pp, op: ">=", value: 10}
        reason:
          zh: 落后序时进度 {lag_pp:.1f} 个百分点
          en: "{lag_pp:.1f} pp behind schedule"

A condition is a comparison ``{measure: M, op: OP, value: NUMBER_OR_BOOL}`` (or ``to:
OTHER_MEASURE`` instead of ``value``), with ``OP`` one of ``< <= > >= == !=``, or a combination
``{all: [...]}``, ``{any: [...]}``, ``{not: CONDITION}``.  Nothing is evaluated as code: the
reasons' placeholders ``{measure}`` or ``{measure:.1f}`` name measures only.  A comparison with a
missing value (a project without the month's report, a county without last year's investment)
is false.

For each row, the colour is the worst colour of the rules that fired, ``green`` when none did:

.. math::

    \text{colour}_p = \max\bigl(\{\text{green}\} \cup \{\text{colour}_r : r \text{ fires on }
    p\}\bigr), \qquad \text{green} < \text{yellow} < \text{red}

and every rule that fired is listed with its reason (red ones first).

Measures are columns of the table; those :func:`~kaoping.dispatch.progress.progress` does not
give are computed here from the context (``registry=``, ``reports=``, ``month=``): the months a
project is late to start (``months_late_to_start``), a county's investment this year against
the same months of last year (``ytd_last_year``, ``growth_pct``), the city's growth
(``city_growth_pct``) and the county's planned growth (``growth_target_pct``).  :data:`MEASURES`
lists them all.

References
----------
The three presets (:data:`PRESETS`, YAML files in ``kaoping/dispatch/presets/``) are the rules
of 银川 (projects), 天津 (investment by district) and 新晃 (monthly task rates),
``shared/research/domain.md`` §4.4.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any, Final, Literal

import numpy as np
import pandas as pd
import yaml

from kaoping.dispatch.progress import (
    county_progress,
    parse_month,
    registry_frame,
    reports_frame,
)
from kaoping.errors import InputError, Problem

__all__ = [
    "COLOURS",
    "MEASURES",
    "PRESETS",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Measure",
    "Not",
    "Rule",
    "RuleSet",
    "evaluate",
    "load_rules",
]

Colour = Literal["green", "yellow", "red"]
Level = Literal["project", "county"]

COLOURS: Final[tuple[Colour, ...]] = ("green", "yellow", "red")
"""The colours, best first."""
_SEVERITY: Final = {c: i for i, c in enumerate(COLOURS)}

PRESETS: Final[tuple[str, ...]] = ("yinchuan", "tianjin", "xinhuang")
"""The rule sets shipped with kaoping (``kaoping/dispatch/presets/<name>.yaml``)."""

_OPS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


# ----------------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """A quantity rules can compare: its name, levels, meaning and what computing it needs."""

    name: str
    levels: tuple[Level, ...]
    zh: str
    en: str
    needs: tuple[str, ...] = ()
    """Context (``registry``, ``reports``, ``month``) needed when the table lacks the column."""


def _m(
    name: str, levels: str, zh: str, en: str, needs: tuple[str, ...] = ()
) -> tuple[str, Measure]:
    lv: dict[str, tuple[Level, ...]] = {
        "p": ("project",),
        "c": ("county",),
        "pc": ("project", "county"),
    }
    return name, Measure(name, lv[levels], zh, en, needs)


MEASURES: Final[dict[str, Measure]] = dict(
    [
        _m("invested", "pc", "本月完成投资（万元）", "invested this month (10k yuan)"),
        _m("ytd", "pc", "当年累计完成投资（万元）", "invested this year (10k yuan)"),
        _m("since_start", "p", "自开工累计完成投资（万元）", "invested since start (10k yuan)"),
        _m("annual_plan", "pc", "年度计划投资（万元）", "annual plan (10k yuan)"),
        _m("completion_pct", "pc", "当年投资完成率（%）", "completion of the year's plan (%)"),
        _m("schedule_pct", "pc", "序时进度（%）", "schedule (序时进度, %)"),
        _m("lag_pp", "pc", "落后序时进度（百分点）", "lag behind schedule (pp)"),
        _m("month_plan", "pc", "本月计划投资（万元）", "the month's plan (10k yuan)"),
        _m("month_task_pct", "pc", "月度任务完成率（%）", "the month's task rate (%)"),
        _m("started", "p", "已开工", "started"),
        _m("finished", "p", "已竣工", "finished"),
        _m("stopped", "p", "本月停工", "stopped this month"),
        _m("reported", "p", "本月已填报", "reported this month"),
        _m("explained", "p", "本月有说明", "the month's report has a note"),
        _m(
            "months_overdue_start",
            "p",
            "计划开工后已过月数（未开工）",
            "months past the planned start month (not started)",
            ("registry", "month"),
        ),
        _m(
            "months_late_to_start",
            "p",
            "逾期未开工月数（计划开工当月记 1）",
            "months late to start (the planned start's month counts 1)",
            ("registry", "month"),
        ),
        _m(
            "months_not_in_statistics",
            "p",
            "开工后未入统月数",
            "months since start not in the statistics",
            ("registry", "reports", "month"),
        ),
        _m("projects", "c", "项目数", "projects"),
        _m(
            "ytd_last_year",
            "c",
            "上年同期累计完成投资（万元）",
            "invested in the same months last year (10k yuan)",
            ("registry", "reports", "month"),
        ),
        _m(
            "growth_pct",
            "c",
            "累计投资同比增速（%）",
            "growth of investment on last year (%)",
            ("registry", "reports", "month"),
        ),
        _m(
            "city_growth_pct",
            "c",
            "全市累计投资增速（%）",
            "the city's growth of investment (%)",
            ("registry", "reports", "month"),
        ),
        _m(
            "growth_target_pct",
            "c",
            "计划增速（%）",
            "planned growth (%)",
            ("registry", "reports", "month"),
        ),
    ]
)
"""Every measure a rule may name, by name."""


def _known(level: str) -> list[str]:
    return sorted(n for n, m in MEASURES.items() if level in m.levels)


# ------------------------------------------------------------------------------ the rule model


@dataclass(frozen=True)
class Compare:
    """``measure op value`` (or ``measure op other``, another measure)."""

    measure: str
    op: str
    value: float | None = None
    other: str | None = None


@dataclass(frozen=True)
class AllOf:
    """Every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The condition does not hold."""

    condition: Condition


Condition = Compare | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Rule:
    """One warning rule: its id, colour, condition and reason (with ``{measure}`` placeholders)."""

    id: str
    colour: Colour
    when: Condition
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class RuleSet:
    """A rule set as :func:`load_rules` reads it.

    ``name`` is its identifier (``"yinchuan"``), ``title_zh``/``title_en`` what pages show.
    """

    name: str
    title_zh: str
    title_en: str
    level: Level
    rules: tuple[Rule, ...]
    description_zh: str = ""
    description_en: str = ""
    source: str = ""

    @property
    def id(self) -> str:
        """The same as :attr:`name`."""
        return self.name

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures the rules' conditions and reasons name, in order of first use."""
        seen: dict[str, None] = {}
        for rule in self.rules:
            for name in _condition_measures(rule.when):
                seen.setdefault(name, None)
            for text in (rule.reason_zh, rule.reason_en):
                for name in _placeholders(text):
                    seen.setdefault(name, None)
        return tuple(seen)


def _condition_measures(cond: Condition) -> list[str]:
    if isinstance(cond, Compare):
        return [cond.measure] + ([cond.other] if cond.other else [])
    if isinstance(cond, Not):
        return _condition_measures(cond.condition)
    return [m for c in cond.conditions for m in _condition_measures(c)]


def _placeholders(text: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


# ------------------------------------------------------------------------------------ loading


def _path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Reader:
    """Builds a :class:`RuleSet` from plain data, collecting every problem."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def where(self, path: Sequence[str | int]) -> str:
        text = _path(path)
        return f"{self.name}:{text}" if text else self.name

    def problem(self, code: str, zh: str, en: str, path: Sequence[str | int]) -> None:
        self.problems.append(Problem(f"alerts.{code}", zh, en, self.where(path)))

    def keys(
        self, data: Mapping[str, Any], allowed: Sequence[str], path: Sequence[str | int]
    ) -> None:
        for key in data:
            if isinstance(key, str) and (key in allowed or key.startswith("x-")):
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint_zh = f"（是不是 {close[0]}？）" if close else ""
            hint_en = f" (did you mean {close[0]}?)" if close else ""
            self.problem(
                "unknown_key",
                f"未知的键 {key!r}{hint_zh}；可用的键：{', '.join(allowed)}。",
                f"unknown key {key!r}{hint_en}; the keys are: {', '.join(allowed)}.",
                [*path, str(key)],
            )

    def text_pair(
        self, value: Any, path: Sequence[str | int], what_zh: str, what_en: str
    ) -> tuple[str, str]:
        """``{zh: ..., en: ...}`` (or one string for both)."""
        if isinstance(value, str) and value.strip():
            return value, value
        if isinstance(value, Mapping):
            self.keys(value, ("zh", "en"), path)
            zh, en = value.get("zh"), value.get("en")
            ok = True
            for lang, text in (("zh", zh), ("en", en)):
                if not isinstance(text, str) or not text.strip():
                    ok = False
                    self.problem(
                        "missing_text",
                        f"{what_zh}缺少 {lang}（须为非空文字）。",
                        f"{what_en} needs {lang} (a non-empty text).",
                        [*path, lang],
                    )
            if ok:
                return str(zh), str(en)
            return "", ""
        self.problem(
            "missing_text",
            f"{what_zh}须写成 {{zh: 中文, en: English}}，收到 {value!r}。",
            f"{what_en} must be written {{zh: 中文, en: English}}, got {value!r}.",
            path,
        )
        return "", ""

    def rule_set(self, data: Any) -> RuleSet | None:
        if not isinstance(data, Mapping):
            self.problem(
                "not_a_mapping",
                "规则集须为映射（id、name、level、rules）。",
                "a rule set must be a mapping (id, name, level, rules).",
                [],
            )
            return None
        self.keys(data, ("id", "name", "level", "description", "source", "rules"), [])
        rid = data.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            self.problem(
                "bad_id",
                f"id 须以字母或 _ 开头，由字母、数字、_、- 组成，收到 {rid!r}。",
                f"id must start with a letter or _ and hold letters, digits, _ and -, got {rid!r}.",
                ["id"],
            )
        title_zh, title_en = self.text_pair(data.get("name"), ["name"], "name", "name")
        desc_zh = desc_en = ""
        if data.get("description") is not None:
            desc_zh, desc_en = self.text_pair(
                data["description"], ["description"], "description", "description"
            )
        source = data.get("source") or ""
        if not isinstance(source, str):
            self.problem(
                "bad_source",
                "source 须为文字（出处的网址或文件）。",
                "source must be a text (the address or document of the rules).",
                ["source"],
            )
            source = ""
        level: Level = "project"
        if data.get("level") in ("project", "county"):
            level = data["level"]
        else:
            self.problem(
                "bad_level",
                f"level 须为 project（项目）或 county（县区），收到 {data.get('level')!r}。",
                f"level must be project or county, got {data.get('level')!r}.",
                ["level"],
            )
        rules_data = data.get("rules")
        rules: list[Rule] = []
        if not isinstance(rules_data, list) or not rules_data:
            self.problem(
                "no_rules",
                "rules 须为至少一条规则的列表。",
                "rules must be a list of at least one rule.",
                ["rules"],
            )
        else:
            ids: set[str] = set()
            for i, item in enumerate(rules_data):
                rule = self.rule(item, ["rules", i], level)
                if rule is None:
                    continue
                if rule.id in ids:
                    self.problem(
                        "duplicate_rule",
                        f"规则 id {rule.id} 重复；每条规则的 id 须不同。",
                        f"rule id {rule.id} is used twice; every rule needs its own id.",
                        ["rules", i, "id"],
                    )
                ids.add(rule.id)
                rules.append(rule)
        if self.problems:
            return None
        return RuleSet(
            name=str(rid),
            title_zh=title_zh,
            title_en=title_en,
            level=level,
            rules=tuple(rules),
            description_zh=desc_zh,
            description_en=desc_en,
            source=source,
        )

    def rule(self, data: Any, path: list[str | int], level: str) -> Rule | None:
        if not isinstance(data, Mapping):
            self.problem(
                "not_a_mapping",
                "每条规则须为映射（id、colour、when、reason）。",
                "each rule must be a mapping (id, colour, when, reason).",
                path,
            )
            return None
        before = len(self.problems)
        self.keys(data, ("id", "colour", "when", "reason"), path)
        rid = data.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            self.problem(
                "bad_id",
                f"规则 id 须以字母或 _ 开头，由字母、数字、_、- 组成，收到 {rid!r}。",
                f"a rule id must start with a letter or _ and hold letters, digits, _ and -, "
                f"got {rid!r}.",
                [*path, "id"],
            )
        colour = data.get("colour")
        if colour not in ("yellow", "red"):
            extra_zh = "（绿色是没有规则触发时的颜色，不必写规则）" if colour == "green" else ""
            extra_en = (
                " (green is what no rule firing means; it needs no rule)"
                if colour == "green"
                else ""
            )
            self.problem(
                "bad_colour",
                f"colour 须为 yellow（黄）或 red（红），收到 {colour!r}{extra_zh}。",
                f"colour must be yellow or red, got {colour!r}{extra_en}.",
                [*path, "colour"],
            )
        when = self.condition(data.get("when"), [*path, "when"], level)
        reason_zh, reason_en = self.text_pair(
            data.get("reason"), [*path, "reason"], "reason", "reason"
        )
        for lang, text in (("zh", reason_zh), ("en", reason_en)):
            self.template(text, [*path, "reason", lang], level)
        if len(self.problems) > before or when is None:
            return None
        return Rule(str(rid), "red" if colour == "red" else "yellow", when, reason_zh, reason_en)

    def unknown_measure(self, name: Any, path: Sequence[str | int], level: str) -> bool:
        if isinstance(name, str) and name in MEASURES and level in MEASURES[name].levels:
            return False
        known = _known(level)
        close = difflib.get_close_matches(str(name), known, n=1)
        hint_zh = f"（是不是 {close[0]}？）" if close else ""
        hint_en = f" (did you mean {close[0]}?)" if close else ""
        self.problem(
            "unknown_measure",
            f"{level} 级规则没有指标 {name!r}{hint_zh}；可用：{', '.join(known)}。",
            f"there is no measure {name!r} for {level} rules{hint_en}; the measures are: "
            f"{', '.join(known)}.",
            path,
        )
        return True

    def condition(self, data: Any, path: list[str | int], level: str) -> Condition | None:
        forms = ("all", "any", "not", "measure")
        if not isinstance(data, Mapping) or sum(k in data for k in forms) != 1:
            self.problem(
                "bad_condition",
                "条件须为 {measure: 指标, op: 比较符, value: 数值} 或 {all: [...]}、"
                f"{{any: [...]}}、{{not: 条件}} 之一，收到 {data!r}。",
                "a condition must be one of {measure: M, op: OP, value: NUMBER}, "
                f"{{all: [...]}}, {{any: [...]}}, {{not: CONDITION}}, got {data!r}.",
                path,
            )
            return None
        if "all" in data or "any" in data:
            key = "all" if "all" in data else "any"
            self.keys(data, (key,), path)
            items = data[key]
            if not isinstance(items, list) or not items:
                self.problem(
                    "bad_condition",
                    f"{key} 须为至少一个条件的列表。",
                    f"{key} must be a list of at least one condition.",
                    [*path, key],
                )
                return None
            parts = [self.condition(c, [*path, key, i], level) for i, c in enumerate(items)]
            if any(p is None for p in parts):
                return None
            done = tuple(p for p in parts if p is not None)
            return AllOf(done) if key == "all" else AnyOf(done)
        if "not" in data:
            self.keys(data, ("not",), path)
            inner = self.condition(data["not"], [*path, "not"], level)
            return None if inner is None else Not(inner)
        self.keys(data, ("measure", "op", "value", "to"), path)
        ok = not self.unknown_measure(data["measure"], [*path, "measure"], level)
        op = data.get("op")
        if op not in _OPS:
            ok = False
            self.problem(
                "bad_op",
                f"op 须为 {' '.join(_OPS)} 之一，收到 {op!r}。",
                f"op must be one of {' '.join(_OPS)}, got {op!r}.",
                [*path, "op"],
            )
        value: float | None = None
        other: str | None = None
        if ("value" in data) == ("to" in data):
            ok = False
            self.problem(
                "bad_value",
                "比较须有 value（数值或 true/false）或 to（另一个指标）二者之一。",
                "a comparison needs one of value (a number or true/false) or to (another measure).",
                path,
            )
        elif "to" in data:
            if self.unknown_measure(data["to"], [*path, "to"], level):
                ok = False
            else:
                other = str(data["to"])
        else:
            raw = data["value"]
            if isinstance(raw, bool) or (isinstance(raw, int | float) and np.isfinite(float(raw))):
                value = float(raw)
            else:
                ok = False
                self.problem(
                    "bad_value",
                    f"value 须为有限的数值或 true/false，收到 {raw!r}（比较另一个指标请写 to:）。",
                    f"value must be a finite number or true/false, got {raw!r} (to compare "
                    "with another measure write to:).",
                    [*path, "value"],
                )
        if not ok:
            return None
        return Compare(str(data["measure"]), str(op), value, other)

    def template(self, text: str, path: list[str | int], level: str) -> None:
        try:
            fields = list(string.Formatter().parse(text))
        except ValueError as exc:
            self.problem(
                "bad_reason",
                f"理由中的花括号不配对（{exc}）；字面的花括号写成 {{{{ 和 }}}}。",
                f"the reason's braces do not pair ({exc}); write literal braces as {{{{ and }}}}.",
                path,
            )
            return
        for _, name, spec, conversion in fields:
            if name is None:
                continue
            if self.unknown_measure(name, path, level):
                continue
            try:
                if conversion is not None:
                    raise ValueError(conversion)
                format(1.5, spec or "")
            except ValueError:
                self.problem(
                    "bad_reason",
                    f"占位符 {{{name}}} 的格式 {spec!r} 不可用；写成 {{{name}}} 或 "
                    f"{{{name}:.1f}}。",
                    f"the placeholder {{{name}}} has a format {spec!r} that does not apply; "
                    f"write {{{name}}} or {{{name}:.1f}}.",
                    path,
                )


def _read_text(text: str, name: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise InputError(
            [
                Problem(
                    "alerts.yaml_syntax",
                    f"YAML 语法错误：{exc}",
                    f"YAML syntax error: {exc}",
                    where,
                )
            ]
        ) from None


def load_rules(
    source: str | Path | Mapping[str, Any] | IO[str] | IO[bytes] | RuleSet,
    *,
    name: str | None = None,
) -> RuleSet:
    """A rule set from a preset's name, a YAML file (path, text or open file) or a mapping.

    Parameters
    ----------
    source : str, pathlib.Path, mapping, file-like or RuleSet
        ``"yinchuan"``, ``"tianjin"`` or ``"xinhuang"`` (:data:`PRESETS`); a path to a YAML
        file; YAML text (a string with a line break); an open file (an upload); the data as a
        mapping; a :class:`RuleSet` (returned as it is).
    name : str, optional
        What messages call the source (default: the file's name, ``"rules"`` for a mapping).

    Returns
    -------
    RuleSet

    Raises
    ------
    kaoping.errors.InputError
        Every problem of the rule set at once, each ``where`` naming the file and key path
        (``rules.yaml:rules[1].when.measure``).

    Examples
    --------
    >>> rules = load_rules("yinchuan")
    >>> rules.level, rules.title_zh, [r.id for r in rules.rules][:2]
    ('project', '银川市重点项目红黄绿预警', ['not_started_3_months', 'start_late'])
    """
    if isinstance(source, RuleSet):
        return source
    data: Any
    if isinstance(source, Mapping):
        data, label = source, name or "rules"
    elif isinstance(source, str) and source in PRESETS:
        ref = resources.files("kaoping.dispatch").joinpath("presets", f"{source}.yaml")
        label = name or f"{source}.yaml"
        data = _read_text(ref.read_text(encoding="utf-8"), label)
    elif isinstance(source, str) and "\n" in source:
        label = name or "rules.yaml"
        data = _read_text(source, label)
    elif isinstance(source, str | Path):
        path = Path(source)
        label = name or path.name
        if not path.is_file():
            raise InputError(
                [
                    Problem(
                        "alerts.not_found",
                        f"没有规则集 {source!s}：预置规则集为 {'、'.join(PRESETS)}，"
                        "或给出 YAML 文件的路径。",
                        f"no rule set {source!s}: the presets are {', '.join(PRESETS)}; "
                        "otherwise give the path of a YAML file.",
                        label,
                    )
                ]
            )
        data = _read_text(path.read_text(encoding="utf-8"), label)
    else:
        raw = source.read()
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        label = name or str(getattr(source, "name", "rules.yaml"))
        data = _read_text(text, label)
    reader = _Reader(label)
    rules = reader.rule_set(data)
    if rules is None:
        raise InputError(reader.problems)
    return rules


# --------------------------------------------------------------------------------- evaluating


@dataclass
class _Context:
    registry: pd.DataFrame | None
    reports: pd.DataFrame | None
    month: str | None
    growth_targets: Mapping[str, float] | pd.Series | None


def _need(ctx: _Context, measure: str) -> None:
    missing = [n for n in MEASURES[measure].needs if getattr(ctx, n) is None]
    if missing:
        raise InputError(
            [
                Problem(
                    "alerts.missing_context",
                    f"指标 {measure} 不在表中，计算它需要 {', '.join(f'{m}=' for m in missing)}"
                    "（项目库、截至本月的全部月报、月份）。",
                    f"the measure {measure} is not a column of the table; computing it needs "
                    f"{', '.join(f'{m}=' for m in missing)} (the registry, every report up to "
                    "the month, the month).",
                    measure,
                )
            ]
        )


def _now(ctx: _Context) -> tuple[int, int, int]:
    year, mon = parse_month(str(ctx.month))
    return year, mon, year * 12 + mon - 1


def _month_of(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d.dt.year * 12 + d.dt.month - 1).astype("float64")


def _project_start(index: pd.Index, ctx: _Context, measure: str) -> pd.Series:
    _need(ctx, measure)
    assert ctx.registry is not None
    _, _, now = _now(ctx)
    reg = registry_frame(ctx.registry).reindex(index.astype(str))
    planned = _month_of(reg["planned_start"])
    started = (_month_of(reg["actual_start"]) <= now).to_numpy()
    late = np.where(~started & planned.notna().to_numpy(), now - planned.to_numpy(), -1.0)
    if measure == "months_late_to_start":
        out = np.where(late >= 0, late + 1.0, 0.0)  # the planned start's month counts 1
    else:
        out = np.maximum(late, 0.0)
    return pd.Series(out, index=index)


def _not_in_statistics(index: pd.Index, ctx: _Context) -> pd.Series:
    _need(ctx, "months_not_in_statistics")
    assert ctx.registry is not None
    assert ctx.reports is not None
    _, _, now = _now(ctx)
    reg = registry_frame(ctx.registry).reindex(index.astype(str))
    rep = reports_frame(ctx.reports)
    this = rep[rep["mi"] == now].drop_duplicates("project", keep="last").set_index("project")
    flag = this["in_statistics"].reindex(reg.index)
    not_in = (flag.notna() & ~flag.fillna(True).astype(bool)).to_numpy()
    start = _month_of(reg["actual_start"]).to_numpy()
    out = np.where(not_in & (start <= now), now - start, 0.0)
    return pd.Series(out, index=index)


def _county_growth(index: pd.Index, ctx: _Context) -> dict[str, pd.Series]:
    """This year's investment up to the month and the same months of last year, per county."""
    for m in ("ytd_last_year", "growth_pct"):
        _need(ctx, m)
    assert ctx.registry is not None
    assert ctx.reports is not None
    year, _, now = _now(ctx)
    reg = registry_frame(ctx.registry)
    rep = reports_frame(ctx.reports)
    rep = rep.assign(county=reg["county"].reindex(rep["project"]).to_numpy())
    mi = rep["mi"].to_numpy()
    this = rep[(mi >= year * 12) & (mi <= now)].groupby("county")["invested"].sum()
    last = rep[(mi >= year * 12 - 12) & (mi <= now - 12)].groupby("county")["invested"].sum()
    keys = index.astype(str)
    ytd = this.reindex(keys).fillna(0.0)
    ly = last.reindex(keys)
    with np.errstate(invalid="ignore", divide="ignore"):
        growth = np.where(ly > 0, 100.0 * (ytd / ly.where(ly > 0, 1.0) - 1.0), np.nan)
        total_ly = float(last.sum())
        city = 100.0 * (float(this.sum()) / total_ly - 1.0) if total_ly > 0 else np.nan
    return {
        "ytd_this_year": pd.Series(ytd.to_numpy(), index=index),
        "ytd_last_year": pd.Series(ly.to_numpy(), index=index),
        "growth_pct": pd.Series(growth, index=index),
        "city_growth_pct": pd.Series(city, index=index, dtype="float64"),
    }


def _growth_target(index: pd.Index, table: pd.DataFrame, ctx: _Context, ly: pd.Series) -> Any:
    """The county's planned growth: given (``growth_targets=``), else the plan's: the share of
    the year's plan due by the month (序时进度) against last year's same months."""
    if ctx.growth_targets is not None:
        targets = pd.Series(ctx.growth_targets, dtype="float64")
        targets.index = targets.index.astype(str)
        return targets.reindex(index.astype(str)).to_numpy()
    if "schedule_pct" not in table or "annual_plan" not in table:
        return np.full(len(index), np.nan)
    due = (table["schedule_pct"] * table["annual_plan"] / 100.0).to_numpy(dtype="float64")
    lyv = ly.to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(lyv > 0, 100.0 * (due / np.where(lyv > 0, lyv, 1.0) - 1.0), np.nan)


def _values(rules: RuleSet, table: pd.DataFrame, ctx: _Context) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    growth: dict[str, pd.Series] | None = None
    for name in rules.measures:
        if name in table.columns:
            col = table[name]
            if col.dtype == object:
                col = col.astype("float64")
            out[name] = col.to_numpy(dtype="float64", na_value=np.nan)
            continue
        if name in ("months_late_to_start", "months_overdue_start"):
            series = _project_start(table.index, ctx, name)
        elif name == "months_not_in_statistics":
            series = _not_in_statistics(table.index, ctx)
        elif name in ("ytd_last_year", "growth_pct", "city_growth_pct", "growth_target_pct"):
            growth = growth or _county_growth(table.index, ctx)
            if name == "growth_target_pct":
                series = pd.Series(
                    _growth_target(table.index, table, ctx, growth["ytd_last_year"]),
                    index=table.index,
                )
            else:
                series = growth[name]
        else:
            raise InputError(
                [
                    Problem(
                        "alerts.missing_measure",
                        f"表中没有列 {name}：请传入 progress()"
                        f"{'（或 county_progress()）' if rules.level == 'county' else ''} 的结果。",
                        f"the table has no column {name}: pass the table of progress()"
                        f"{' (or county_progress())' if rules.level == 'county' else ''}.",
                        name,
                    )
                ]
            )
        out[name] = series.to_numpy(dtype="float64")
    return out


def _holds(cond: Condition, values: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(cond, Compare):
        a = values[cond.measure]
        b = values[cond.other] if cond.other is not None else cond.value
        with np.errstate(invalid="ignore"):
            hit = _OPS[cond.op](a, b)
        if cond.op == "!=":  # NaN != x is true in IEEE arithmetic; a missing value never fires
            hit &= ~np.isnan(a) & ~np.isnan(np.asarray(b, dtype="float64"))
        return np.asarray(hit, dtype=bool)
    if isinstance(cond, Not):
        return ~_holds(cond.condition, values)
    parts = [_holds(c, values) for c in cond.conditions]
    reduce = np.logical_and if isinstance(cond, AllOf) else np.logical_or
    return np.asarray(reduce.reduce(parts), dtype=bool)


def _show(value: float, spec: str) -> str:
    if np.isnan(value):
        return "—"
    if spec:
        return format(value, spec)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _render(template: str, values: Mapping[str, np.ndarray], rows: np.ndarray) -> list[str]:
    parts = list(string.Formatter().parse(template))
    if all(f is None for _, f, _, _ in parts):
        return [template] * len(rows)
    pieces: list[list[str]] = []
    for literal, name, spec, _ in parts:
        pieces.append([literal] * len(rows))
        if name is not None:
            col = values[name][rows]
            pieces.append([_show(float(v), spec or "") for v in col])
    return ["".join(p) for p in zip(*pieces, strict=True)]


def evaluate(
    rules: RuleSet | str | Mapping[str, Any],
    table: pd.DataFrame,
    *,
    registry: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    month: str | None = None,
    growth_targets: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Every row's warning colour, the rules that fired and why.

    Parameters
    ----------
    rules : RuleSet, str or mapping
        A rule set, or anything :func:`load_rules` reads (``"yinchuan"``).
    table : pandas.DataFrame
        A month's :func:`~kaoping.dispatch.progress.progress` for project rules; for county
        rules :func:`~kaoping.dispatch.progress.county_progress` (a project table is summed by
        county first).
    registry, reports, month : optional
        The registry, every report up to the month and the month ``"YYYY-MM"``: the context
        from which the measures the table lacks are computed (:data:`MEASURES`).
    growth_targets : mapping or pandas.Series, optional
        County -> planned growth (%), for ``growth_target_pct``; without it the plan's growth
        (the investment due by 序时进度 against last year's same months).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table`` (by county for county rules): ``colour`` (``"green"``,
        ``"yellow"``, ``"red"``), ``rules`` (the ids that fired, ``"; "``-joined, red first),
        ``reason_zh`` (``"；"``-joined), ``reason_en`` (``"; "``-joined).

    Raises
    ------
    kaoping.errors.InputError
        A measure neither in the table nor computable from the context given.

    Examples
    --------
    >>> table = pd.DataFrame({"started": [True, True, True], "lag_pp": [4.0, 12.5, 31.0]},
    ...                      index=pd.Index(["A", "B", "C"], name="project"))
    >>> rules = {"id": "lag", "name": "lag", "level": "project", "rules": [
    ...     {"id": "behind", "colour": "yellow", "reason": "落后 {lag_pp} 个百分点",
    ...      "when": {"measure": "lag_pp", "op": ">=", "value": 10}},
    ...     {"id": "far_behind", "colour": "red", "reason": "落后 {lag_pp} 个百分点",
    ...      "when": {"measure": "lag_pp", "op": ">", "value": 30}}]}
    >>> out = evaluate(rules, table)
    >>> out["colour"].tolist()
    ['green', 'yellow', 'red']
    >>> out.loc["C", "rules"], out.loc["C", "reason_zh"]
    ('far_behind; behind', '落后 31 个百分点；落后 31 个百分点')
    """
    rule_set = load_rules(rules)
    if rule_set.level == "county" and table.index.name != "county" and "county" in table.columns:
        table = county_progress(table)
    ctx = _Context(registry, reports, month, growth_targets)
    values = _values(rule_set, table, ctx)
    n = len(table)
    severity = np.zeros(n, dtype=np.int8)
    fired: list[tuple[Rule, np.ndarray]] = []
    for rule in rule_set.rules:
        hit = _holds(rule.when, values) if n else np.zeros(0, dtype=bool)
        if hit.any():
            fired.append((rule, hit))
            severity = np.where(hit, np.maximum(severity, _SEVERITY[rule.colour]), severity)
    fired.sort(key=lambda item: -_SEVERITY[item[0].colour])  # stable: red first, then order
    ids: list[list[str]] = [[] for _ in range(n)]
    zh: list[list[str]] = [[] for _ in range(n)]
    en: list[list[str]] = [[] for _ in range(n)]
    for rule, hit in fired:
        rows = np.flatnonzero(hit)
        for i, tz, te in zip(
            rows,
            _render(rule.reason_zh, values, rows),
            _render(rule.reason_en, values, rows),
            strict=True,
        ):
            ids[i].append(rule.id)
            zh[i].append(tz)
            en[i].append(te)
    return pd.DataFrame(
        {
            "colour": np.asarray(COLOURS, dtype=object)[severity],
            "rules": ["; ".join(x) for x in ids],
            "reason_zh": ["；".join(x) for x in zh],
            "reason_en": ["; ".join(x) for x in en],
        },
        index=table.index,
    )
