"""Wording shared by the loader and the checks: names of things in Chinese and English."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from kaoping.methodology._source import format_path

__all__ = [
    "FIELD_ZH",
    "KEY_SYNONYMS",
    "choices",
    "describe",
    "field_phrase",
    "fmt",
    "get_at",
    "ratio_text",
    "suggest",
    "tidy_zh",
]

FIELD_ZH: dict[str, str] = {
    "id": "标识",
    "name": "名称",
    "name_en": "英文名称",
    "version": "版本",
    "document": "文号",
    "year": "年度",
    "description": "说明",
    "normalization": "标准化方法",
    "weighting": "赋权方法",
    "aggregation": "合成方法",
    "missing": "缺失值处理",
    "treat_outliers": "异常值处理",
    "tiers": "方阵",
    "ahp": "判断矩阵",
    "dimensions": "维度",
    "children": "子维度",
    "indicators": "指标",
    "weight": "权重",
    "unit": "计量单位",
    "direction": "指标方向",
    "optimum": "适度值",
    "definition": "定义",
    "caliber": "统计口径",
    "frequency": "统计频率",
    "owner": "数据提供部门",
    "lower": "下限",
    "upper": "上限",
    "target": "目标值",
    "aliases": "别名",
    "method": "方法",
    "range": "取值区间",
    "params": "参数",
    "subjective": "主观权重方法",
    "objective": "客观权重方法",
    "alpha": "组合系数",
    "mode": "组合方式",
    "ri": "随机一致性指标表",
    "strict": "严格一致性检验",
    "shift": "平移量",
    "min_share": "最低可用比例",
    "max_rank": "名次上限",
    "min_score": "分数下限",
    "ddof": "自由度修正",
    "center": "中心",
    "scale": "尺度",
    "cap": "上限",
    "rho": "分辨系数",
    "v": "决策机制系数",
    "p": "幂次",
    "kind": "指标类型",
    "min": "合理下限",
    "max": "合理上限",
    "soft_min": "通常下限",
    "soft_max": "通常上限",
    "change": "同比变动限度",
    "ratio": "倍数",
    "relative": "相对变动",
    "absolute": "绝对变动",
    "plausibility": "合理性检查",
    "checks": "交叉校验",
    "rule": "规则",
    "tolerance": "容差",
    "severity": "处理方式",
}

KEY_SYNONYMS: dict[str, str] = {
    "名称": "name",
    "指标名称": "name",
    "英文名称": "name_en",
    "标识": "id",
    "编号": "id",
    "代码": "id",
    "权重": "weight",
    "方向": "direction",
    "指标方向": "direction",
    "属性": "direction",
    "单位": "unit",
    "计量单位": "unit",
    "适度值": "optimum",
    "最优值": "optimum",
    "定义": "definition",
    "口径": "caliber",
    "统计口径": "caliber",
    "频率": "frequency",
    "数据来源": "owner",
    "责任单位": "owner",
    "数据提供部门": "owner",
    "下限": "lower",
    "上限": "upper",
    "目标值": "target",
    "别名": "aliases",
    "指标": "indicators",
    "子维度": "children",
    "维度": "dimensions",
    "判断矩阵": "ahp",
    "方阵": "tiers",
    "版本": "version",
    "文号": "document",
    "年度": "year",
    "标准化": "normalization",
    "赋权": "weighting",
    "合成": "aggregation",
    "缺失值": "missing",
    "weights": "weight",
    "indicator": "indicators",
    "dimension": "dimensions",
    "normalisation": "normalization",
    "weighing": "weighting",
    "aggregate": "aggregation",
    "tier": "tiers",
    "alias": "aliases",
    "optimal": "optimum",
    "sub_dimensions": "children",
    "subdimensions": "children",
}
"""Keys people write (Chinese, British spelling, singular) -> the key we read."""


_GAP = "\ue000"  # private-use mark: "a Latin word ends here" (set by describe)
_GAP_THEN_CJK = re.compile(_GAP + r"(?=[\u3400-\u9fff])")


def tidy_zh(text: str) -> str:
    """Put a space between a Latin id and the Chinese that follows it, and nowhere else.

    :func:`describe` marks where its Chinese label ends in a Latin word; user text (names such
    as R&D经费投入强度) is never respaced.

    >>> zh, _ = describe(("dimensions", 0), {"dimensions": [{"id": "rd"}]})
    >>> tidy_zh(zh + "的权重，" + "R&D经费")
    '维度 rd 的权重，R&D经费'
    """
    return _GAP_THEN_CJK.sub(" ", text).replace(_GAP, "")


def _gap(text: str) -> str:
    return text + _GAP if text and text[-1].isascii() and not text[-1].isspace() else text


def fmt(value: Any) -> str:
    """A value as the user wrote it: numbers plainly, text in double quotes.

    >>> fmt(-0.2), fmt(3.0), fmt("1/3"), fmt(None), fmt([0, 100])
    ('-0.2', '3', '"1/3"', 'null', '[0, 100]')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in value.items()) + "}"
    return repr(value)


def ratio_text(x: float) -> str:
    """A judgement as a user would write it: ``3``, ``1/3``, ``0.75``.

    >>> ratio_text(1 / 3), ratio_text(5.0), ratio_text(0.75), ratio_text(2 / 7)
    ('1/3', '5', '3/4', '2/7')
    """
    frac = Fraction(x).limit_denominator(9)
    if math.isclose(float(frac), x, rel_tol=1e-9):
        return (
            str(frac.numerator) if frac.denominator == 1 else f"{frac.numerator}/{frac.denominator}"
        )
    return f"{x:.4g}"


def get_at(data: Any, path: Sequence[str | int]) -> Any:
    """The value at ``path`` in ``data``, or None where the path does not lead anywhere."""
    for part in path:
        if isinstance(part, str) and isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


_SPECS_ZH = {
    "normalization": "标准化设置",
    "weighting": "赋权设置",
    "aggregation": "合成设置",
    "missing": "缺失值设置",
    "plausibility": "合理性检查",
    "change": "同比变动限度",
}


def describe(path: Sequence[str | int], data: Any) -> tuple[str, str]:
    """Name the object at ``path`` in Chinese and English, e.g. ("指标 gdp", "indicator gdp").

    The Chinese label carries an invisible mark when it ends in a Latin word, which
    :func:`tidy_zh` turns into a space before Chinese text.

    >>> data = {"dimensions": [{"indicators": [{}, {"id": "gdp"}]}]}
    >>> zh, en = describe(("dimensions", 0, "indicators", 1), data)
    >>> tidy_zh(zh + "的权重"), en
    ('指标 gdp 的权重', 'indicator gdp')
    >>> describe((), {})
    ('考核办法', 'the methodology')
    """
    zh, en = _describe(tuple(path), data)
    return _gap(zh), en


def _describe(path: tuple[str | int, ...], data: Any) -> tuple[str, str]:
    if not path:
        return "考核办法", "the methodology"
    obj = get_at(data, path)
    ident = obj.get("id") if isinstance(obj, Mapping) else None
    label = ident if isinstance(ident, str) and ident else None
    where = format_path(path)
    if len(path) >= 2 and isinstance(path[-1], int):
        container = path[-2]
        if container in ("dimensions", "children"):
            return (
                (f"维度 {label}", f"dimension {label}")
                if label
                else (f"维度 {where}", f"the dimension at {where}")
            )
        if container == "indicators":
            return (
                (f"指标 {label}", f"indicator {label}")
                if label
                else (f"指标 {where}", f"the indicator at {where}")
            )
        if container == "checks":
            return (
                (f"校验规则 {label}", f"cross-check {label}")
                if label
                else (f"第 {path[-1] + 1} 条校验规则", f"cross-check #{path[-1] + 1}")
            )
        if container == "tiers" and len(path) == 2:
            name = obj.get("name") if isinstance(obj, Mapping) else None
            if isinstance(name, str):
                return f"方阵“{name}”", f"tier {name!r}"
            return f"第 {path[-1] + 1} 个方阵", f"tier #{path[-1] + 1}"
    last = path[-1]
    if isinstance(last, str) and last in _SPECS_ZH:
        if len(path) == 1:
            return f"{_SPECS_ZH[last]}（{last}）", last
        zh, en = _describe(path[:-1], data)
        return f"{_gap(zh)}的{_SPECS_ZH[last]}（{last}）", f"{last} of {en}"
    return where, where


def field_phrase(path: Sequence[str | int], data: Any) -> tuple[str, str]:
    """Name a field: ("指标 gdp 的权重（weight）", "weight of indicator gdp").

    Indexes after the field name (``ahp[0][1]``, ``range[0]``) are kept.
    """
    path = tuple(path)
    cut = max((i for i, p in enumerate(path) if isinstance(p, str)), default=-1)
    if cut < 0:
        return format_path(path), format_path(path)
    owner, name, rest = path[:cut], str(path[cut]), path[cut + 1 :]
    shown = name + "".join(f"[{i}]" for i in rest)
    zh_owner, en_owner = describe(owner, data)
    zh_field = FIELD_ZH.get(name)
    zh = f"{zh_owner}的{zh_field}（{shown}）" if zh_field else f"{zh_owner}的 {shown}"
    return zh, f"{shown} of {en_owner}"


def choices(allowed: Mapping[str, str] | Sequence[str]) -> tuple[str, str]:
    """List allowed names: ("positive（正向）、negative（逆向）", "positive, negative")."""
    if isinstance(allowed, Mapping):
        zh = "、".join(f"{k}（{v}）" for k, v in allowed.items())
        return zh, ", ".join(allowed)
    return "、".join(allowed), ", ".join(allowed)


def suggest(value: object, allowed: Mapping[str, str] | Sequence[str]) -> str | None:
    """The allowed name closest to ``value`` (by spelling, or by its Chinese gloss)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    names = list(allowed)
    if isinstance(allowed, Mapping):
        for key, gloss in allowed.items():
            if text == gloss or (len(text) >= 2 and text in gloss.split("（")[0]):
                return key
    if text in KEY_SYNONYMS and KEY_SYNONYMS[text] in names:
        return KEY_SYNONYMS[text]
    close = difflib.get_close_matches(text.lower(), names, n=1, cutoff=0.6)
    return close[0] if close else None
