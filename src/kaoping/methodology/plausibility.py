"""Plausibility rules (合理性检查): is a figure possible, and is it believable?

A methodology says, per indicator, what values are possible and what values need a word of
explanation, and between indicators what must agree.  The same rules are applied by the
command line (:func:`kaoping.assess` refuses a file that breaks a hard rule), the web form, the
xlsx upload and the review page, so that a figure refused in one place is refused everywhere.

Per indicator (keys of the indicator in the YAML file):

``kind``
    ``share`` (占比: 0 to 100), ``count`` (计数: a whole number, 0 or more), ``amount``
    (总量: 0 or more) or ``growth`` (增速: -100 or more).  Each kind implies a *hard range*.
``min``, ``max``
    The hard range written out; each replaces the kind's bound on its side.  A figure outside
    it is refused (``plausibility.below_min``, ``plausibility.above_max``), and so is a
    count that is not whole (``plausibility.not_whole``).
``soft_min``, ``soft_max``
    The *soft range*: a figure outside it is possible but unusual and needs a note saying why
    (``plausibility.soft_range``).
``change``
    The year-on-year limit (``ChangeSpec``: ``{ratio: 3}``, ``{relative: 0.5}`` or
    ``{absolute: 10}``); a figure beyond it needs a note (``plausibility.change``).  Without
    it the methodology's ``plausibility.change`` applies (default ``{ratio: 3}``: more than
    three times or less than a third of last period's); ``change: false`` turns it off.

Between indicators (``plausibility.checks``), each a comparison of two arithmetic expressions
of indicator ids and numbers (``+ - * /`` and brackets; ``<=``, ``<``, ``>=``, ``>``, ``==``)::

    plausibility:
      checks:
        - {id: revenue_in_gdp, name: 一般公共预算收入不超过地区生产总值,
           rule: budget_revenue <= gdp}
        - {id: income_ratio, name: 城乡收入比与城乡居民收入一致,
           rule: income_ratio == urban_income / rural_income, tolerance: 0.01}

A comparison holds within ``tolerance`` (relative, default 0.01: 1 %): ``a <= b`` holds when
:math:`a \\le b + t\\,|b|`, ``a == b`` when :math:`|a - b| \\le t \\max(|a|, |b|)`.  A rule is
not evaluated for a unit that lacks one of its figures.  ``severity: hard`` (default) refuses
the figures (``plausibility.cross``); ``soft`` asks for a note.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, Step 3 (data quality:
"checking for the plausibility of the data") and Step 4.  UNECE (2013), *Generic Statistical
Data Editing Models* (GSDEMs), the edit rules of official statistics: fatal (hard) edits
that must be corrected and query (soft) edits that must be confirmed.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
import pandas as pd

from kaoping.data import Panel
from kaoping.errors import Problem
from kaoping.methodology._rules import ARITHMETIC, RuleSyntaxError, parse_rule, rule_names
from kaoping.methodology.model import (
    KIND_BOUNDS,
    KINDS,
    KINDS_EN,
    ChangeSpec,
    CrossCheck,
    Indicator,
    Methodology,
)

__all__ = [
    "Flag",
    "Limits",
    "RuleSyntaxError",
    "check",
    "check_one",
    "check_panel",
    "limits",
    "parse_rule",
    "previous_period",
    "rule_names",
]

Severity = Literal["hard", "soft"]


@dataclass(frozen=True)
class Limits:
    """The rules that apply to one indicator, with the kind's defaults filled in."""

    min: float | None
    max: float | None
    whole: bool
    soft_min: float | None
    soft_max: float | None
    change: ChangeSpec | None

    def describe(self, unit: str | None = None) -> tuple[str, str]:
        """The rules in words (zh, en), e.g. ``("须在 0–100 之间；…", "must lie in 0-100; …")``."""
        u = f" {unit}" if unit and unit != "%" else (unit or "")
        zh: list[str] = []
        en: list[str] = []
        if self.min is not None and self.max is not None:
            zh.append(f"须在 {_fmt(self.min)}–{_fmt(self.max)}{u} 之间")
            en.append(f"must lie in {_fmt(self.min)}-{_fmt(self.max)}{u}")
        elif self.min is not None:
            zh.append(f"不得小于 {_fmt(self.min)}{u}")
            en.append(f"must be at least {_fmt(self.min)}{u}")
        elif self.max is not None:
            zh.append(f"不得大于 {_fmt(self.max)}{u}")
            en.append(f"must be at most {_fmt(self.max)}{u}")
        if self.whole:
            zh.append("须为整数")
            en.append("must be a whole number")
        if self.soft_min is not None or self.soft_max is not None:
            lo = _fmt(self.soft_min) if self.soft_min is not None else "…"
            hi = _fmt(self.soft_max) if self.soft_max is not None else "…"
            zh.append(f"超出 {lo}–{hi}{u} 时须说明")
            en.append(f"outside {lo}-{hi}{u} needs a note")
        if self.change is not None:
            c_zh, c_en = _change_words(self.change, unit)
            zh.append(f"同比{c_zh}时须说明")
            en.append(f"a change of {c_en} on last period needs a note")
        return "；".join(zh), "; ".join(en)


@dataclass(frozen=True)
class Flag:
    """One rule a figure breaks.

    ``severity`` ``"hard"``: the figure is refused; ``"soft"``: it needs a note.  ``unit`` is
    the unit code (empty for :func:`check_one`), ``indicator`` the indicator the flag is shown
    beside (for a cross-check, the first indicator of its rule) and ``indicators`` every
    indicator involved.  ``zh`` and ``en`` say what is wrong, with the numbers; :meth:`problem`
    adds the fix.
    """

    code: str
    severity: Severity
    unit: str
    indicator: str
    indicators: tuple[str, ...]
    zh: str
    en: str

    def problem(self, where: str | None, *, note: bool = True) -> Problem:
        """The flag as a :class:`Problem` at ``where``; a soft one asks for a note (``note``)
        or, without one, only says so."""
        if self.severity == "hard":
            fix_zh, fix_en = "请核对后改正。", " Check the figure and correct it."
        elif note:
            fix_zh, fix_en = "如确认无误，请填写说明。", " If it is right, add a note saying why."
        else:
            fix_zh, fix_en = "请核实。", " Please confirm it."
        return Problem(self.code, f"{self.zh}{fix_zh}", f"{self.en}.{fix_en}", where)


def limits(methodology: Methodology, indicator: Indicator | str) -> Limits:
    """The rules of one indicator: its kind's range with ``min``/``max`` in its place where
    given, its soft range, and its year-on-year limit (its own or the methodology's).

    >>> from kaoping.methodology import loads
    >>> m = loads('''
    ... id: demo
    ... name: 示例
    ... dimensions:
    ...   - id: d
    ...     name: 维度
    ...     indicators:
    ...       - {id: share, name: 占比, direction: 正向, unit: "%", kind: share, soft_min: 20}
    ... ''')
    >>> limits(m, "share")
    Limits(min=0.0, max=100.0, whole=False, soft_min=20.0, soft_max=None, change=ChangeSpec(ratio=3.0, relative=None, absolute=None))
    """  # noqa: E501
    ind = methodology.indicator(indicator) if isinstance(indicator, str) else indicator
    lo, hi = KIND_BOUNDS.get(ind.kind or "", (None, None))
    change = ind.change if ind.change is not None else methodology.plausibility.change
    if change is not None and change.is_off:
        change = None
    return Limits(
        min=ind.min if ind.min is not None else lo,
        max=ind.max if ind.max is not None else hi,
        whole=ind.kind == "count",
        soft_min=ind.soft_min,
        soft_max=ind.soft_max,
        change=change,
    )


def check(
    methodology: Methodology,
    current: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    *,
    indicators: Sequence[str] | None = None,
) -> list[Flag]:
    """Every rule broken by the figures of ``current`` (units x indicator ids, NaN = not
    given), against ``previous`` (last period's figures, same labels; units or indicators it
    lacks are not compared).  Unknown columns are ignored.

    The flags come unit by unit (the order of ``current``'s rows), each unit's in the
    methodology's indicator order, cross-checks last.  Vectorised over the units: a
    province's 10^5 enterprises are checked in one pass per rule.

    Parameters
    ----------
    indicators : sequence of str, optional
        Check only these indicators (and the cross-checks whose indicators are all among
        them); default every indicator of the methodology that is a column of ``current``.
    """
    chosen = set(indicators) if indicators is not None else None
    codes = _Codes(current.index)  # only the flagged units' codes are made text
    found: list[tuple[int, int, Flag]] = []  # (unit's row, order found, flag)
    for ind in methodology.indicators:
        if ind.id not in current.columns or (chosen is not None and ind.id not in chosen):
            continue
        x = current[ind.id].to_numpy(dtype=np.float64, na_value=np.nan)
        prev = _aligned(previous, ind.id, current.index)
        for i, flag in _indicator_flags(ind, limits(methodology, ind), x, prev, codes):
            found.append((i, len(found), flag))
    for rule in methodology.plausibility.checks:
        names = rule_names(rule.rule)
        if not all(n in current.columns for n in names):
            continue
        if chosen is not None and not set(names) <= chosen:
            continue
        for i, flag in _cross_flags(methodology, rule, current, codes):
            found.append((i, len(found), flag))
    found.sort(key=lambda f: (f[0], f[1]))
    return [flag for _, _, flag in found]


class _Codes(Sequence[str]):
    """The units' codes of an index as text, each made when a flag names it."""

    def __init__(self, index: pd.Index) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [str(c) for c in self._index[i]]
        return str(self._index[i])


def check_one(
    methodology: Methodology,
    values: Mapping[str, float | None],
    previous: Mapping[str, float | None] | None = None,
) -> list[Flag]:
    """The rules broken by one unit's figures (indicator id -> value, None = not given).

    >>> from kaoping.methodology import loads
    >>> m = loads('''
    ... id: demo
    ... name: 示例
    ... dimensions:
    ...   - id: d
    ...     name: 维度
    ...     indicators:
    ...       - {id: firms, name: 高新技术企业数, direction: 正向, unit: 家, kind: count}
    ... ''')
    >>> [f.code for f in check_one(m, {"firms": 56.91})]
    ['plausibility.not_whole']
    >>> [f.code for f in check_one(m, {"firms": 90}, {"firms": 20})]
    ['plausibility.change']
    """
    row = {k: (np.nan if v is None else float(v)) for k, v in values.items()}
    current = pd.DataFrame([row], index=[""], dtype=np.float64)
    before = None
    if previous:
        last = {k: (np.nan if v is None else float(v)) for k, v in previous.items()}
        before = pd.DataFrame([last], index=[""], dtype=np.float64)
    return check(methodology, current, before)


def check_panel(
    methodology: Methodology,
    panel: Panel,
    period: str,
    units: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[list[Problem], list[Problem]]:
    """The rules broken in ``period`` of ``panel`` (against the same period a year earlier,
    when the panel has it), as problems at their cells: the hard ones (which refuse the
    figures) and the soft ones (to be confirmed), each naming the unit.

    A cross-check's problem is placed at the cell of its rule's first indicator.  ``names``
    (unit code -> name) defaults to the names in the data file.
    """
    ids = [i.id for i in methodology.indicators if i.id in set(panel.indicators)]
    if not ids:
        return [], []
    current = panel.matrix(period, ids, units)
    before = previous_period(period, panel.periods)
    previous = panel.matrix(before, ids) if before is not None else None
    flags = check(methodology, current, previous)
    if not flags:
        return [], []
    where = panel.locations(period, ids, list(current.index))
    names = {**panel.names, **(names or {})}
    hard: list[Problem] = []
    soft: list[Problem] = []
    for flag in flags:
        cell = str(where.at[flag.unit, flag.indicator])
        label = f"{flag.unit}（{names[flag.unit]}）" if flag.unit in names else flag.unit
        label_en = f"{flag.unit} ({names[flag.unit]})" if flag.unit in names else flag.unit
        named = Flag(
            flag.code,
            flag.severity,
            flag.unit,
            flag.indicator,
            flag.indicators,
            f"单位 {label} {period}：{flag.zh}",
            f"unit {label_en} {period}: {flag.en}",
        )
        (hard if flag.severity == "hard" else soft).append(named.problem(cell, note=False))
    return hard, soft


def previous_period(period: str, periods: Sequence[str]) -> str | None:
    """The same period a year earlier, when ``periods`` has it: ``2024`` -> ``2023``,
    ``2024-Q3`` -> ``2023-Q3``, ``2024-06`` -> ``2023-06``, ``2025-H1`` -> ``2024-H1``.

    >>> previous_period("2024-Q3", ["2023-Q3", "2024-Q2", "2024-Q3"])
    '2023-Q3'
    >>> previous_period("2024", ["2024"]) is None
    True
    """
    head, sep, tail = period.partition("-")
    if len(head) != 4 or not head.isdigit():
        return None
    candidate = f"{int(head) - 1}{sep}{tail}"
    return candidate if candidate in periods else None


# -- per indicator ----------------------------------------------------------------------------


def _aligned(previous: pd.DataFrame | None, column: str, index: pd.Index) -> np.ndarray | None:
    if previous is None or column not in previous.columns:
        return None
    series = previous[column]
    if not series.index.is_unique:
        series = series[~series.index.duplicated()]
    return series.reindex(index).to_numpy(dtype=np.float64, na_value=np.nan)


def _indicator_flags(
    ind: Indicator,
    rules: Limits,
    x: np.ndarray,
    prev: np.ndarray | None,
    codes: Sequence[str],
) -> list[tuple[int, Flag]]:
    out: list[tuple[int, Flag]] = []
    given = ~np.isnan(x)
    if not given.any():
        return out
    label = ind.name
    label_en = ind.name_en or ind.name
    unit = ind.unit or ""
    kind_zh = KINDS.get(ind.kind or "", "")
    kind_en = KINDS_EN.get(ind.kind or "", "")

    def add(i: int, code: str, severity: Severity, zh: str, en: str) -> None:
        out.append((i, Flag(code, severity, codes[i], ind.id, (ind.id,), zh, en)))

    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if rules.whole:
            for i in np.flatnonzero(given & (x != np.round(x))):
                add(
                    int(i),
                    "plausibility.not_whole",
                    "hard",
                    f"{label}是{kind_zh or '计数'}，须为整数，收到 {_fmt(x[i])}。",
                    f"{label_en} is a {kind_en or 'count'} and must be a whole number; got "
                    f"{_fmt(x[i])}",
                )
        hard_bad = np.zeros(len(x), dtype=bool)
        if rules.min is not None:
            below = given & (x < rules.min)
            hard_bad |= below
            for i in np.flatnonzero(below):
                add(
                    int(i),
                    "plausibility.below_min",
                    "hard",
                    f"{label} {_fmt(x[i])}{unit} 小于下限 {_fmt(rules.min)}{unit}"
                    f"{f'（{kind_zh}）' if kind_zh else ''}。",
                    f"{label_en} {_fmt(x[i])}{unit} is below its minimum "
                    f"{_fmt(rules.min)}{unit}{f' ({kind_en})' if kind_en else ''}",
                )
        if rules.max is not None:
            above = given & (x > rules.max)
            hard_bad |= above
            for i in np.flatnonzero(above):
                add(
                    int(i),
                    "plausibility.above_max",
                    "hard",
                    f"{label} {_fmt(x[i])}{unit} 超过上限 {_fmt(rules.max)}{unit}"
                    f"{f'（{kind_zh}）' if kind_zh else ''}。",
                    f"{label_en} {_fmt(x[i])}{unit} is above its maximum "
                    f"{_fmt(rules.max)}{unit}{f' ({kind_en})' if kind_en else ''}",
                )
        # a soft rule is asked about only for a figure that is possible at all
        possible = given & ~hard_bad
        if rules.soft_min is not None or rules.soft_max is not None:
            lo = rules.soft_min if rules.soft_min is not None else -math.inf
            hi = rules.soft_max if rules.soft_max is not None else math.inf
            for i in np.flatnonzero(possible & ((x < lo) | (x > hi))):
                shown = f"{_fmt(rules.soft_min) if rules.soft_min is not None else '…'}–" + (
                    f"{_fmt(rules.soft_max) if rules.soft_max is not None else '…'}"
                )
                add(
                    int(i),
                    "plausibility.soft_range",
                    "soft",
                    f"{label} {_fmt(x[i])}{unit} 不在通常范围 {shown}{unit} 内。",
                    f"{label_en} {_fmt(x[i])}{unit} is outside the usual range {shown}{unit}",
                )
        if rules.change is not None and prev is not None:
            changes = _change_flags(rules.change, x, prev, possible, label, label_en, unit)
            out += [
                (i, Flag("plausibility.change", "soft", codes[i], ind.id, (ind.id,), zh, en))
                for i, zh, en in changes
            ]
    return out


def _change_flags(
    change: ChangeSpec,
    x: np.ndarray,
    prev: np.ndarray,
    possible: np.ndarray,
    label: str,
    label_en: str,
    unit: str,
) -> list[tuple[int, str, str]]:
    both = possible & ~np.isnan(prev)
    out: list[tuple[int, str, str]] = []
    if change.ratio is not None:
        r = change.ratio
        usable = both & (prev != 0) & (x != 0)
        ratio = np.divide(x, prev, out=np.ones_like(x), where=usable)
        bad = usable & ((ratio < 0) | (ratio > r) | (ratio < 1 / r))
        for i in np.flatnonzero(bad):
            out.append(
                (
                    int(i),
                    f"{label} {_fmt(x[i])}{unit} 是上期 {_fmt(prev[i])}{unit} 的 "
                    f"{ratio[i]:.2f} 倍（超出 1/{_fmt(r)}–{_fmt(r)} 倍）。",
                    f"{label_en} {_fmt(x[i])}{unit} is {ratio[i]:.2f} times last period's "
                    f"{_fmt(prev[i])}{unit} (beyond 1/{_fmt(r)}-{_fmt(r)} times)",
                )
            )
    elif change.relative is not None:
        usable = both & (prev != 0)
        rel = np.divide(x - prev, np.abs(prev), out=np.zeros_like(x), where=usable)
        for i in np.flatnonzero(usable & (np.abs(rel) > change.relative)):
            out.append(
                (
                    int(i),
                    f"{label} {_fmt(x[i])}{unit} 比上期 {_fmt(prev[i])}{unit} 变动 "
                    f"{rel[i] * 100:+.1f}%（超过 ±{_fmt(change.relative * 100)}%）。",
                    f"{label_en} {_fmt(x[i])}{unit} changed {rel[i] * 100:+.1f}% on last "
                    f"period's {_fmt(prev[i])}{unit} (beyond ±{_fmt(change.relative * 100)}%)",
                )
            )
    elif change.absolute is not None:
        diff = np.where(both, x - prev, 0.0)
        pp = "个百分点" if unit == "%" else unit
        pp_en = " percentage points" if unit == "%" else unit
        for i in np.flatnonzero(both & (np.abs(diff) > change.absolute)):
            out.append(
                (
                    int(i),
                    f"{label} {_fmt(x[i])}{unit} 比上期 {_fmt(prev[i])}{unit} 变动 "
                    f"{_signed(diff[i])}{pp}（超过 ±{_fmt(change.absolute)}{pp}）。",
                    f"{label_en} {_fmt(x[i])}{unit} changed {_signed(diff[i])}{pp_en} on last "
                    f"period's {_fmt(prev[i])}{unit} (beyond ±{_fmt(change.absolute)}{pp_en})",
                )
            )
    return out


def _change_words(change: ChangeSpec, unit: str | None) -> tuple[str, str]:
    if change.ratio is not None:
        r = _fmt(change.ratio)
        return f"超过 {r} 倍或不足 1/{r}", f"more than {r} times or under 1/{r}"
    if change.relative is not None:
        p = _fmt(change.relative * 100)
        return f"变动超过 ±{p}%", f"more than ±{p}%"
    a = _fmt(change.absolute or 0.0)
    pp, pp_en = ("个百分点", " percentage points") if unit == "%" else (unit or "", unit or "")
    return f"变动超过 ±{a}{pp}", f"more than ±{a}{pp_en}"


# -- cross-checks -----------------------------------------------------------------------------


def _evaluate(node: ast.expr, columns: Mapping[str, np.ndarray]) -> np.ndarray | float:
    if isinstance(node, ast.Name):
        return columns[node.id]
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse_rule accepts no other constant
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, columns)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.BinOp)
    left, right = _evaluate(node.left, columns), _evaluate(node.right, columns)
    return ARITHMETIC[type(node.op)](left, right)  # type: ignore[no-any-return]


def _cross_flags(
    methodology: Methodology, check: CrossCheck, current: pd.DataFrame, codes: Sequence[str]
) -> list[tuple[int, Flag]]:
    rule = parse_rule(check.rule)
    columns = {n: current[n].to_numpy(dtype=np.float64, na_value=np.nan) for n in rule.names}
    n = len(current)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        left = np.broadcast_to(_evaluate(rule.left, columns), (n,)).astype(np.float64)
        right = np.broadcast_to(_evaluate(rule.right, columns), (n,)).astype(np.float64)
        usable = np.isfinite(left) & np.isfinite(right)
        t = check.tolerance
        if rule.op == "==":
            holds = np.abs(left - right) <= t * np.maximum(np.abs(left), np.abs(right))
        else:
            slack = t * np.abs(right)
            holds = {
                "<=": left <= right + slack,
                "<": left < right + slack,
                ">=": left >= right - slack,
                ">": left > right - slack,
            }[rule.op]
    bad = np.flatnonzero(usable & ~holds)
    severity: Severity = "hard" if check.severity == "hard" else "soft"
    name_en = check.name_en or check.name
    left_text, right_text = ast.unparse(rule.left), ast.unparse(rule.right)
    out: list[tuple[int, Flag]] = []
    for i in (int(k) for k in bad):
        values = "，".join(f"{k}={_fmt(columns[k][i])}" for k in rule.names)
        values_en = ", ".join(f"{k}={_fmt(columns[k][i])}" for k in rule.names)
        out.append(
            (
                i,
                Flag(
                    "plausibility.cross",
                    severity,
                    codes[i],
                    rule.names[0],
                    rule.names,
                    f"不符合校验规则“{check.name}”（{check.rule}）：{left_text} = "
                    f"{_fmt(left[i])}，{right_text} = {_fmt(right[i])}（{values}）。",
                    f"breaks the check {name_en!r} ({check.rule}): {left_text} = "
                    f"{_fmt(left[i])}, {right_text} = {_fmt(right[i])} ({values_en})",
                ),
            )
        )
    return out


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def _signed(value: float) -> str:
    return f"+{_fmt(value)}" if value > 0 else _fmt(value)
