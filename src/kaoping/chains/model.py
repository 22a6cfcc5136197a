"""A chain workbook as frames, and what is wrong with one.

:class:`ChainBook` holds the six frames of a chain workbook (columns as
:mod:`kaoping.chains.schema` names them; ``industries`` of a node and ``nodes`` of an enterprise
as tuples of codes).  :func:`make_book` builds one from plain frames or records (filling absent
columns, splitting lists written in one cell, normalising codes); :func:`check_book` says what
is wrong with it across the sheets — every problem at once, each naming its cell when the frame
came from a sheet (:mod:`kaoping.chains.sheets` keeps ``_row`` and ``attrs["source"]``), else
the row's key:

- a node of an unknown chain, a parent that is not a node, of another chain, or a parent
  chain that loops back (the nodes of a chain must form a tree), a child placed in another
  position (上游/中游/下游) than its parent;
- an industry code that is not a GB/T 4754-2017 class, a 统一社会信用代码 whose check character
  is wrong (GB 32100-2015);
- an edge, an enterprise, a target or a signing naming a node the workbook does not have; a
  county the caller does not know; a key twice.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from kaoping.chains import codes
from kaoping.chains.schema import (
    CHAIN_SHEET,
    CHAINS,
    EDGE_SHEET,
    EDGES,
    ENTERPRISE_SHEET,
    ENTERPRISES,
    NODE_SHEET,
    NODES,
    SIGNING_SHEET,
    SIGNINGS,
    TARGET_SHEET,
    TARGETS,
)
from kaoping.dispatch.schema import Column
from kaoping.errors import Problem

__all__ = ["ChainBook", "check_book", "descendants", "make_book", "split_list", "where"]

_SEPARATORS: Final = re.compile(r"[,，、;；\s/|]+")
_FRAMES: Final = {
    "chains": (CHAIN_SHEET, CHAINS, "chain"),
    "nodes": (NODE_SHEET, NODES, "node"),
    "edges": (EDGE_SHEET, EDGES, None),
    "enterprises": (ENTERPRISE_SHEET, ENTERPRISES, "uscc"),
    "targets": (TARGET_SHEET, TARGETS, "target"),
    "signings": (SIGNING_SHEET, SIGNINGS, "project"),
}
"""Frame name -> (sheet, columns, key column)."""


@dataclass(frozen=True, eq=False)
class ChainBook:
    """The six frames of a chain workbook (see :mod:`kaoping.chains.schema`).

    Build it with :func:`make_book` or read it with :func:`kaoping.chains.sheets.read_book`;
    check it with :func:`check_book`.
    """

    chains: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame = field(default_factory=pd.DataFrame)
    enterprises: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    signings: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frame(self, name: str) -> pd.DataFrame:
        """The frame called ``name`` (``"chains"``, ``"nodes"`` …)."""
        frame: pd.DataFrame = getattr(self, name)
        return frame


def split_list(raw: object) -> tuple[str, ...]:
    """The items of a cell that lists several (``C3841、C3842``, ``N01, N02``), in order,
    without repeats; a tuple or list is taken as it is.

    >>> split_list("C3841、 C3842；C3841")
    ('C3841', 'C3842')
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ()
    items: Iterable[object]
    if isinstance(raw, list | tuple):
        items = raw
    else:
        items = _SEPARATORS.split(unicodedata.normalize("NFKC", str(raw)))
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _normalise(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    frame = frame.copy()
    for col in columns:
        if col.name not in frame.columns:
            frame[col.name] = float("nan") if col.kind == "number" else None
    for col in columns:
        values = frame[col.name]
        if col.kind == "number":
            frame[col.name] = pd.to_numeric(values).astype("float64")
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(values)
        else:
            # object columns, an empty cell None (a string dtype would make it NaN)
            frame[col.name] = pd.Series(
                [
                    None
                    if _blank(v)
                    else unicodedata.normalize("NFKC", str(v)).strip()
                    if col.kind == "code"
                    else v
                    for v in values
                ],
                index=frame.index,
                dtype=object,
            )
    return frame


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    )


def make_book(
    *,
    chains: pd.DataFrame | Iterable[Mapping[str, Any]],
    nodes: pd.DataFrame | Iterable[Mapping[str, Any]],
    edges: pd.DataFrame | Iterable[Mapping[str, Any]] = (),
    enterprises: pd.DataFrame | Iterable[Mapping[str, Any]] = (),
    targets: pd.DataFrame | Iterable[Mapping[str, Any]] = (),
    signings: pd.DataFrame | Iterable[Mapping[str, Any]] = (),
) -> ChainBook:
    """A :class:`ChainBook` from frames or records: every column of the schema present (absent
    ones empty), codes stripped, numbers as floats, dates as datetimes, a node's
    ``industries`` and an enterprise's ``nodes`` as tuples (industry codes canonical where the
    catalogue knows them, else as written, for :func:`check_book` to name).  The frames'
    ``attrs`` (where a sheet's rows came from) are kept.

    >>> book = make_book(chains=[{"chain": "L", "name": "锂电"}],
    ...     nodes=[{"node": "L1", "chain": "L", "name": "电池", "position": "中游",
    ...             "industries": "3841"}])
    >>> book.nodes.at[0, "industries"]
    ('C3841',)
    """
    given = {
        "chains": chains,
        "nodes": nodes,
        "edges": edges,
        "enterprises": enterprises,
        "targets": targets,
        "signings": signings,
    }
    frames: dict[str, pd.DataFrame] = {}
    for name, data in given.items():
        _, columns, _ = _FRAMES[name]
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame.from_records(list(data))
        attrs = dict(frame.attrs)
        frame = _normalise(frame.reset_index(drop=True), columns)
        frame.attrs.update(attrs)
        frames[name] = frame
    nodes_frame = frames["nodes"]
    nodes_frame["industries"] = [
        tuple(codes.normalise_industry(c) or c for c in split_list(v))
        for v in nodes_frame["industries"]
    ]
    frames["enterprises"]["nodes"] = [split_list(v) for v in frames["enterprises"]["nodes"]]
    frames["enterprises"]["uscc"] = [
        None if v is None else codes.normalise_uscc(v) for v in frames["enterprises"]["uscc"]
    ]
    return ChainBook(**frames)


def where(frame: pd.DataFrame, index: Any, name: str, key: str | None = None) -> str:
    """Where a value of ``frame`` came from: its cell (``链.xlsx!环节!E7``) when the frame was
    read from a sheet, else ``sheet:key.field``."""
    source = frame.attrs.get("source")
    if source and "_row" in frame.columns:
        letter = frame.attrs.get("columns", {}).get(name)
        row = int(frame["_row"].loc[index])
        return f"{source}!{letter}{row}" if letter else f"{source}!{row}"
    sheet = frame.attrs.get("sheet", "")
    label = frame.at[index, key] if key else None
    label = f"{index + 1}" if _blank(label) else str(label)
    return f"{sheet}:{label}.{name}" if sheet else f"{label}.{name}"


def descendants(nodes: pd.DataFrame) -> dict[str, set[str]]:
    """Every node id -> itself and the nodes below it (its children, theirs …); a parent
    loop stops the walk (:func:`check_book` names it)."""
    children: dict[str, list[str]] = {}
    for node, parent in zip(nodes["node"], nodes["parent"], strict=True):
        if not _blank(parent) and not _blank(node):
            children.setdefault(str(parent), []).append(str(node))
    out: dict[str, set[str]] = {}
    for node in nodes["node"]:
        if _blank(node):
            continue
        seen = {str(node)}
        stack = [str(node)]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        out[str(node)] = seen
    return out


class _Checker:
    def __init__(self, book: ChainBook) -> None:
        self.book = book
        self.problems: list[Problem] = []

    def add(self, code: str, zh: str, en: str, frame_name: str, index: Any, column: str) -> None:
        sheet, _, key = _FRAMES[frame_name]
        frame = self.book.frame(frame_name)
        if "sheet" not in frame.attrs:
            frame.attrs["sheet"] = sheet
        self.problems.append(Problem(f"chains.{code}", zh, en, where(frame, index, column, key)))

    def duplicates(self, frame_name: str, label_zh: str, label_en: str) -> None:
        _, _, key = _FRAMES[frame_name]
        assert key is not None
        frame = self.book.frame(frame_name)
        first: dict[str, Any] = {}
        for index, value in frame[key].items():
            if _blank(value):
                continue
            text = str(value)
            if text in first:
                self.add(
                    "duplicate",
                    f"{label_zh} {text} 出现了两次（第一次在 "
                    f"{where(frame, first[text], key, key)}）。每个{label_zh}只填一行。",
                    f"{label_en} {text} appears twice (first at "
                    f"{where(frame, first[text], key, key)}); give each one row.",
                    frame_name,
                    index,
                    key,
                )
            else:
                first[text] = index

    def known_node(self, frame_name: str, index: Any, column: str, node: object) -> None:
        if _blank(node) or str(node) in self.node_chain:
            return
        self.add(
            "unknown_node",
            f"环节编号 {node} 不是“{NODE_SHEET}”表中的环节。请填写该表中的环节编号，"
            "或先在该表中添加这个环节。",
            f"node id {node} is not a node of the sheet {NODE_SHEET} (nodes); write a node id "
            "of that sheet, or add the node there first.",
            frame_name,
            index,
            column,
        )

    def known_county(
        self, counties: Collection[str] | None, frame_name: str, index: Any, county: object
    ) -> None:
        if counties is None or _blank(county) or str(county) in counties:
            return
        self.add(
            "unknown_county",
            f"县区代码 {county} 不是本市的县（市、区）。请填写 6 位区划代码，"
            "或请系统管理员先添加该单位。",
            f"county code {county} is not one of the city's units; write its 6-digit code, or "
            "ask the administrator to add the unit.",
            frame_name,
            index,
            "county",
        )

    @property
    def node_chain(self) -> dict[str, str | None]:
        nodes = self.book.nodes
        return {
            str(n): (None if _blank(c) else str(c))
            for n, c in zip(nodes["node"], nodes["chain"], strict=True)
            if not _blank(n)
        }


def check_book(book: ChainBook, *, counties: Collection[str] | None = None) -> list[Problem]:
    """Every problem of ``book`` across its sheets (see the module docstring); empty when it
    is sound.

    Parameters
    ----------
    book : ChainBook
    counties : collection of str, optional
        The county codes an enterprise, a target or a signing may name (the platform's
        units); None: not checked.

    Returns
    -------
    list of kaoping.errors.Problem
        Codes ``chains.duplicate``, ``chains.unknown_chain``, ``chains.unknown_parent``,
        ``chains.parent_other_chain``, ``chains.not_a_tree``, ``chains.position_mismatch``,
        ``chains.bad_industry``, ``chains.unknown_node``, ``chains.self_edge``,
        ``chains.bad_uscc``, ``chains.unknown_county``, ``chains.unknown_target``,
        ``chains.bad_amount``.
    """
    c = _Checker(book)
    c.duplicates("chains", "产业链编号", "chain id")
    c.duplicates("nodes", "环节编号", "node id")
    c.duplicates("enterprises", "统一社会信用代码", "unified social credit code")
    c.duplicates("targets", "目标编号", "target id")
    c.duplicates("signings", "项目编号", "project id")
    chain_ids = {str(v) for v in book.chains["chain"] if not _blank(v)}
    node_chain = c.node_chain
    nodes = book.nodes
    position = {
        str(n): p for n, p in zip(nodes["node"], nodes["position"], strict=True) if not _blank(n)
    }
    parent_of = {
        str(n): (None if _blank(p) else str(p))
        for n, p in zip(nodes["node"], nodes["parent"], strict=True)
        if not _blank(n)
    }
    for index, row in nodes.iterrows():
        chain, parent = row["chain"], row["parent"]
        if not _blank(chain) and str(chain) not in chain_ids:
            c.add(
                "unknown_chain",
                f"产业链编号 {chain} 不是“{CHAIN_SHEET}”表中的产业链。请填写该表中的编号，"
                "或先在该表中添加这条产业链。",
                f"chain id {chain} is not a chain of the sheet {CHAIN_SHEET} (chains); write a "
                "chain id of that sheet, or add the chain there first.",
                "nodes",
                index,
                "chain",
            )
        if not _blank(parent):
            p = str(parent)
            if p not in node_chain:
                c.add(
                    "unknown_parent",
                    f"上级环节编号 {p} 不是本表中的环节。请填写本表中的环节编号，顶层环节请留空。",
                    f"parent node id {p} is not a node of this sheet; write a node id of "
                    "this sheet, or leave it empty for a top node.",
                    "nodes",
                    index,
                    "parent",
                )
            elif node_chain[p] != (None if _blank(chain) else str(chain)):
                c.add(
                    "parent_other_chain",
                    f"上级环节 {p} 属于产业链 {node_chain[p]}，而本环节属于产业链 {chain}。"
                    "上级环节须在同一条产业链中。",
                    f"the parent node {p} is of chain {node_chain[p]}, this node of chain "
                    f"{chain}; a parent must be of the same chain.",
                    "nodes",
                    index,
                    "parent",
                )
            elif position.get(p) != row["position"] and not _blank(row["position"]):
                c.add(
                    "position_mismatch",
                    f"本环节位于{row['position']}，而上级环节 {p} 位于{position.get(p)}。"
                    "下级环节与上级环节须在同一位置（上游、中游或下游）。",
                    f"this node is placed {row['position']} but its parent {p} "
                    f"{position.get(p)}; a child must be in its parent's position "
                    "(上游, 中游 or 下游).",
                    "nodes",
                    index,
                    "position",
                )
        for code in row["industries"]:
            problem = codes.industry_problem(code)
            if problem is not None:
                c.add("bad_industry", problem[0], problem[1], "nodes", index, "industries")
    # parent loops: a node whose chain of parents comes back to itself
    reported: set[str] = set()
    for index, node in nodes["node"].items():
        if _blank(node) or str(node) in reported:
            continue
        path = [str(node)]
        current = parent_of.get(str(node))
        while current is not None and current in parent_of and current not in path:
            path.append(current)
            current = parent_of.get(current)
        if current == str(node):
            loop = " → ".join([*path, str(node)])
            reported.update(path)
            c.add(
                "not_a_tree",
                f"上级环节绕成了环：{loop}。一条产业链的环节须构成一棵树："
                "请把其中一个环节的上级环节改掉或留空。",
                f"the parent nodes make a loop: {loop}; the nodes of a chain must form a "
                "tree: change or clear the parent of one of them.",
                "nodes",
                index,
                "parent",
            )
    edges = book.edges
    for index, row in edges.iterrows():
        for column in ("source", "target"):
            c.known_node("edges", index, column, row[column])
        if not _blank(row["source"]) and row["source"] == row["target"]:
            c.add(
                "self_edge",
                f"环节 {row['source']} 供应给它自己。请填写两个不同的环节。",
                f"node {row['source']} supplies itself; write two different nodes.",
                "edges",
                index,
                "target",
            )
    for index, row in book.enterprises.iterrows():
        if not _blank(row["uscc"]):
            problem = codes.uscc_problem(row["uscc"])
            if problem is not None:
                c.add("bad_uscc", problem[0], problem[1], "enterprises", index, "uscc")
        for node in row["nodes"]:
            c.known_node("enterprises", index, "nodes", node)
        c.known_county(counties, "enterprises", index, row["county"])
    for index, row in book.targets.iterrows():
        c.known_node("targets", index, "node", row["node"])
        c.known_county(counties, "targets", index, row["county"])
    target_ids = {str(v) for v in book.targets["target"] if not _blank(v)}
    for index, row in book.signings.iterrows():
        c.known_node("signings", index, "node", row["node"])
        c.known_county(counties, "signings", index, row["county"])
        if not _blank(row["target"]) and str(row["target"]) not in target_ids:
            c.add(
                "unknown_target",
                f"目标编号 {row['target']} 不是“{TARGET_SHEET}”表中的招商目标。"
                "请填写该表中的编号，或留空。",
                f"target id {row['target']} is not a target of the sheet {TARGET_SHEET}; "
                "write a target id of that sheet, or leave it empty.",
                "signings",
                index,
                "target",
            )
        amount = row["amount"]
        if not _blank(amount) and float(amount) <= 0:
            c.add(
                "bad_amount",
                f"签约金额须大于 0，收到 {amount:g}。请填写以万元计的签约金额。",
                f"the amount must be above 0, got {amount:g}; write the amount in 10k yuan.",
                "signings",
                index,
                "amount",
            )
    return c.problems
