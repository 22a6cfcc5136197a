r"""What a chain has where: enterprises, output and shares per node (and county), each node's
strength 已有/薄弱/缺失 by the user's rules with its reason, and the gap lists (缺链、弱链).

An enterprise counts for a node when it is placed on the node or on a node below it (the
node's *subtree* :math:`S(v)`), once however many of those nodes it is placed on.  For a scope
— the city, or one county's enterprises — with :math:`E(v)` the enterprises of the scope on
:math:`S(v)` and :math:`E(c)` those on any node of chain :math:`c`:

.. math::

    n_v = |E(v)|, \qquad
    q_v = \sum_{e \in E(v)} \text{output}_e, \qquad
    \text{share}_v = 100\,\frac{q_v}{\sum_{e \in E(c)} \text{output}_e}

The rules (:class:`StrengthRules`) are checked in order: :math:`n_v` below ``missing_below``
→ 缺失 (延链); else any of :math:`n_v` below ``weak_below``, :math:`\text{share}_v` below
``weak_share_pct``, or no enterprise above designated size (规上) when
``weak_without_above_scale`` → 薄弱 (补链), with every rule that fired in the reason; else
已有 (强链).  The defaults are a starting point, not a standard: no published rule was found
(``shared/research/domain.md`` §5.3 describes the flags, not their thresholds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
import pandas as pd

from kaoping.chains.model import ChainBook, descendants
from kaoping.chains.schema import POSITIONS, STRENGTH_ACTIONS, STRENGTHS
from kaoping.errors import InputError, Problem

__all__ = ["GAP_STATUSES", "StrengthRules", "county_stats", "gaps", "node_stats", "strength"]

GAP_STATUSES: Final = ("待招商", "已有目标", "已签约")
"""Where the work on a gap stands: nothing yet, investment targets named, a project signed."""


@dataclass(frozen=True)
class StrengthRules:
    """The user's rules for a node's strength (see the module docstring).

    Parameters
    ----------
    missing_below : int
        Fewer enterprises than this → 缺失 (default 1: no enterprise).
    weak_below : int
        Fewer enterprises than this → 薄弱 (default 3).
    weak_share_pct : float or None
        Output share of the chain (%) below this → 薄弱 (default 5; None: not checked).
    weak_without_above_scale : bool
        No 规上 enterprise → 薄弱 (default True).
    """

    missing_below: int = 1
    weak_below: int = 3
    weak_share_pct: float | None = 5.0
    weak_without_above_scale: bool = True

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], *, where: str = "rules") -> StrengthRules:
        """Rules from a mapping (a YAML file's, a form's): unknown keys and bad values are
        named, all at once.

        >>> StrengthRules.from_mapping({"weak_share_pct": 2}).weak_share_pct
        2.0
        """
        known = {f.name for f in fields(cls)}
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for key, raw in mapping.items():
            if key not in known:
                problems.append(
                    Problem(
                        "chains.unknown_rule",
                        f"不认识规则“{key}”。可用的规则：{'、'.join(sorted(known))}。",
                        f"unknown rule {key!r}; the rules are: {', '.join(sorted(known))}.",
                        f"{where}.{key}",
                    )
                )
                continue
            value: Any = raw
            ok = True
            if key in ("missing_below", "weak_below"):
                ok = isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0
            elif key == "weak_share_pct":
                ok = raw is None or (
                    isinstance(raw, int | float) and not isinstance(raw, bool) and 0 <= raw <= 100
                )
                value = None if raw is None else float(raw)
            else:
                ok = isinstance(raw, bool)
            if not ok:
                problems.append(
                    Problem(
                        "chains.bad_rule",
                        f"规则“{key}”的值 {raw!r} 无效：企业数须为非负整数，占比为 0–100 之间"
                        "的数（或留空），是否规上为 true/false。",
                        f"rule {key!r} has the bad value {raw!r}: counts are whole numbers "
                        "from 0, shares numbers from 0 to 100 (or empty), the 规上 rule "
                        "true or false.",
                        f"{where}.{key}",
                    )
                )
            values[key] = value
        rules = cls(**values) if not problems else cls()
        if not problems and rules.weak_below < rules.missing_below:
            problems.append(
                Problem(
                    "chains.bad_rule",
                    f"weak_below（{rules.weak_below}）不能小于 missing_below"
                    f"（{rules.missing_below}）。",
                    f"weak_below ({rules.weak_below}) cannot be below missing_below "
                    f"({rules.missing_below}).",
                    f"{where}.weak_below",
                )
            )
        if problems:
            raise InputError(problems)
        return rules


def _placements(book: ChainBook, county: str | None) -> pd.DataFrame:
    """One row per (enterprise, node it is placed on), with the enterprise's figures."""
    ent = book.enterprises
    if county is not None:
        ent = ent[ent["county"].astype(str) == str(county)]
    rows = [(i, node) for i, nodes in zip(ent.index, ent["nodes"], strict=True) for node in nodes]
    if not rows:
        return pd.DataFrame(columns=["enterprise", "node"])
    index, node = zip(*rows, strict=True)
    return pd.DataFrame({"enterprise": list(index), "node": [str(n) for n in node]})


def _subtree_stats(book: ChainBook, county: str | None) -> pd.DataFrame:
    nodes = book.nodes
    below = descendants(nodes)
    placed = _placements(book, county)
    ent = book.enterprises
    by_node: dict[str, set[int]] = {}
    for e, n in zip(placed["enterprise"], placed["node"], strict=True):
        by_node.setdefault(n, set()).add(int(e))
    chain_of = dict(zip(nodes["node"].astype(str), nodes["chain"].astype(str), strict=True))
    chain_sets: dict[str, set[int]] = {}
    for n, members in by_node.items():
        if n in chain_of:
            chain_sets.setdefault(chain_of[n], set()).update(members)
    output = ent["output"].fillna(0.0) if len(ent) else pd.Series(dtype="float64")
    tax = ent["tax"].fillna(0.0) if len(ent) else pd.Series(dtype="float64")
    staff = ent["employees"].fillna(0.0) if len(ent) else pd.Series(dtype="float64")
    above = ent["above_scale"].fillna(False).astype(bool) if len(ent) else pd.Series(dtype=bool)
    records = []
    for node in nodes["node"].astype(str):
        found: set[int] = set()
        for n in below.get(node, {node}):
            found |= by_node.get(n, set())
        idx = sorted(found)
        chain_members = sorted(chain_sets.get(chain_of[node], set()))
        chain_output = float(output.loc[chain_members].sum()) if chain_members else 0.0
        q = float(output.loc[idx].sum()) if idx else 0.0
        records.append(
            {
                "node": node,
                "enterprises": len(idx),
                "above_scale": int(above.loc[idx].sum()) if idx else 0,
                "output": q,
                "tax": float(tax.loc[idx].sum()) if idx else 0.0,
                "employees": float(staff.loc[idx].sum()) if idx else 0.0,
                "chain_output": chain_output,
                "share_pct": 100.0 * q / chain_output if chain_output > 0 else np.nan,
            }
        )
    return pd.DataFrame.from_records(records).set_index("node")


def _depths(nodes: pd.DataFrame) -> dict[str, int]:
    parent = {
        str(n): (None if p is None else str(p))
        for n, p in zip(nodes["node"], nodes["parent"], strict=True)
    }
    out: dict[str, int] = {}
    for node in parent:
        depth, current, seen = 0, parent[node], {node}
        while current is not None and current in parent and current not in seen:
            seen.add(current)
            depth += 1
            current = parent[current]
        out[node] = depth
    return out


def node_stats(book: ChainBook, *, county: str | None = None) -> pd.DataFrame:
    """Per node: its chain, name, position, parent, depth (0 = a top node), whether it is a
    leaf, and over its subtree for the scope (the city, or ``county``'s enterprises): the
    ``enterprises``, those ``above_scale`` (规上), ``output``, ``tax`` (万元), ``employees``,
    the chain's output ``chain_output`` and the node's ``share_pct`` of it (NaN when the
    chain has no output in the scope).  Indexed by node id, in the workbook's order."""
    nodes = book.nodes
    stats = _subtree_stats(book, county)
    parents = {str(p) for p in nodes["parent"] if p is not None}
    depth = _depths(nodes)
    frame = pd.DataFrame(
        {
            "chain": nodes["chain"].astype(str).to_numpy(),
            "name": nodes["name"].to_numpy(),
            "position": nodes["position"].to_numpy(),
            "parent": nodes["parent"].to_numpy(),
            "depth": [depth[str(n)] for n in nodes["node"]],
            "leaf": [str(n) not in parents for n in nodes["node"]],
        },
        index=pd.Index(nodes["node"].astype(str), name="node"),
    )
    return frame.join(stats)


def county_stats(book: ChainBook) -> pd.DataFrame:
    """Per node and county with enterprises there: ``enterprises``, ``above_scale``,
    ``output`` and ``city_share_pct``, the county's share of the node's output in the city
    (NaN when the node has no output).  Indexed by (node, county)."""
    city = node_stats(book)
    counties = sorted({str(c) for c in book.enterprises["county"] if c is not None})
    parts = []
    for county in counties:
        stats = node_stats(book, county=county)
        stats = stats[stats["enterprises"] > 0]
        part = stats[["chain", "name", "enterprises", "above_scale", "output"]].copy()
        total = city.loc[part.index, "output"]
        part["city_share_pct"] = np.where(total > 0, 100.0 * part["output"] / total, np.nan)
        part["county"] = county
        parts.append(part.reset_index())
    if not parts:
        columns = ["node", "county", "chain", "name", "enterprises", "above_scale", "output"]
        return pd.DataFrame(columns=[*columns, "city_share_pct"]).set_index(["node", "county"])
    return pd.concat(parts, ignore_index=True).set_index(["node", "county"]).sort_index()


def _judge(row: pd.Series, rules: StrengthRules) -> tuple[str, str, str]:
    n = int(row["enterprises"])
    share = row["share_pct"]
    facts_zh = f"{n} 家企业"
    facts_en = f"{n} enterprise{'s' if n != 1 else ''}"
    if n == 0 and rules.missing_below > 0:
        return STRENGTHS[2], "没有企业", "no enterprise"
    if n < rules.missing_below:
        return (
            STRENGTHS[2],
            f"{facts_zh}（少于 {rules.missing_below} 家即为缺失）",
            f"{facts_en} (fewer than {rules.missing_below} → missing)",
        )
    zh: list[str] = []
    en: list[str] = []
    if n < rules.weak_below:
        zh.append(f"{facts_zh}，少于 {rules.weak_below} 家")
        en.append(f"{facts_en}, fewer than {rules.weak_below}")
    if rules.weak_share_pct is not None and not (share >= rules.weak_share_pct):
        shown = "无产值" if np.isnan(share) else f"产值占全链 {share:.1f}%"
        shown_en = "no output" if np.isnan(share) else f"output {share:.1f}% of the chain"
        zh.append(f"{shown}，低于 {rules.weak_share_pct:g}%")
        en.append(f"{shown_en}, below {rules.weak_share_pct:g}%")
    if rules.weak_without_above_scale and int(row["above_scale"]) == 0:
        zh.append("没有规上企业")
        en.append("no enterprise above designated size")
    if zh:
        return STRENGTHS[1], "；".join(zh), "; ".join(en)
    share_zh = "" if np.isnan(share) else f"，产值占全链 {share:.1f}%"
    share_en = "" if np.isnan(share) else f", output {share:.1f}% of the chain"
    return (
        STRENGTHS[0],
        f"{facts_zh}，其中规上 {int(row['above_scale'])} 家{share_zh}",
        f"{facts_en}, {int(row['above_scale'])} above designated size{share_en}",
    )


def strength(
    book: ChainBook, rules: StrengthRules | None = None, *, county: str | None = None
) -> pd.DataFrame:
    """:func:`node_stats` with each node's ``strength`` (已有/薄弱/缺失), ``action``
    (强链/补链/延链) and ``reason_zh`` / ``reason_en`` (the facts and every rule that fired).

    Examples
    --------
    A chain of two nodes; one enterprise above designated size on the first, none on the
    second:

    >>> from kaoping.chains.model import make_book
    >>> book = make_book(chains=[{"chain": "L", "name": "锂电"}],
    ...     nodes=[{"node": "L1", "chain": "L", "name": "电池", "position": "中游"},
    ...            {"node": "L2", "chain": "L", "name": "回收", "position": "下游"}],
    ...     enterprises=[{"uscc": "E1", "name": "甲", "county": "410821",
    ...                   "nodes": "L1", "above_scale": True, "output": 100.0}])
    >>> s = strength(book, StrengthRules(weak_below=1))
    >>> s[["strength", "action"]].to_dict("index")
    {'L1': {'strength': '已有', 'action': '强链'}, 'L2': {'strength': '缺失', 'action': '延链'}}
    """
    rules = rules or StrengthRules()
    stats = node_stats(book, county=county)
    judged = [_judge(row, rules) for _, row in stats.iterrows()]
    stats["strength"] = [j[0] for j in judged]
    stats["action"] = [STRENGTH_ACTIONS[j[0]] for j in judged]
    stats["reason_zh"] = [j[1] for j in judged]
    stats["reason_en"] = [j[2] for j in judged]
    return stats


def gaps(
    book: ChainBook,
    rules: StrengthRules | None = None,
    *,
    county: str | None = None,
    leaves_only: bool = True,
) -> pd.DataFrame:
    """The gap list (缺链、弱链清单) of the city or of ``county``: the nodes judged 缺失 or
    薄弱 (only the leaves with ``leaves_only``, the links a city can fill), with the
    investment targets on them (``targets``: how many, ``target_names``), the signings
    (``signings``, ``signed_amount`` in 万元) and where the work stands (``status``: 待招商,
    已有目标, 已签约).  For a county, a target counts when it names the county or no county
    (the city's); a signing when it is the county's.  Sorted by chain, position (上游 first),
    strength (缺失 first) and node."""
    judged = strength(book, rules, county=county)
    gap = judged[judged["strength"] != STRENGTHS[0]].copy()
    if leaves_only:
        gap = gap[gap["leaf"]]
    targets = book.targets
    signings = book.signings
    if county is not None:
        targets = targets[targets["county"].isna() | (targets["county"].astype(str) == county)]
        signings = signings[signings["county"].astype(str) == county]
    t_count = targets.groupby(targets["node"].astype(str)).size()
    t_names = targets.groupby(targets["node"].astype(str))["name"].agg(lambda s: "、".join(s))
    s_count = signings.groupby(signings["node"].astype(str)).size()
    s_amount = signings.groupby(signings["node"].astype(str))["amount"].sum()
    gap["targets"] = [int(t_count.get(n, 0)) for n in gap.index]
    gap["target_names"] = [str(t_names.get(n, "")) for n in gap.index]
    gap["signings"] = [int(s_count.get(n, 0)) for n in gap.index]
    gap["signed_amount"] = [float(s_amount.get(n, 0.0)) for n in gap.index]
    gap["status"] = [
        GAP_STATUSES[2] if s else GAP_STATUSES[1] if t else GAP_STATUSES[0]
        for s, t in zip(gap["signings"], gap["targets"], strict=True)
    ]
    gap["_p"] = gap["position"].map({p: i for i, p in enumerate(POSITIONS)})
    gap["_s"] = gap["strength"].map({s: -i for i, s in enumerate(STRENGTHS)})
    gap = gap.sort_values(["chain", "_p", "_s", "node"], kind="stable")
    return gap.drop(columns=["_p", "_s"])
