"""The stored chains as the :class:`kaoping.chains.ChainBook` the engine computes on, and the
stored rules as :class:`kaoping.chains.StrengthRules`: the one place that maps the ``chains``
models to the engine's columns (:mod:`kaoping.chains.schema`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from kaoping.chains import ChainBook, StrengthRules, make_book
from kaoping.chains.schema import CHAINS, EDGES, ENTERPRISES, NODES, SIGNINGS, TARGETS
from kaoping.web.chains.models import Chain, Edge, Enterprise, Node, Rules, Signing, Target

__all__ = ["RULE_FIELDS", "book", "rules", "rules_row"]

RULE_FIELDS = ("missing_below", "weak_below", "weak_share_pct", "weak_without_above_scale")
"""The fields of :class:`kaoping.chains.StrengthRules` (and of :class:`.models.Rules`)."""


def _columns(columns: tuple[Any, ...]) -> list[str]:
    return [c.name for c in columns]


_PARTS = ("chains", "nodes", "edges", "enterprises", "targets", "signings")


def _read(name: str, parts: Collection[str], query: Any) -> Any:
    """``query`` when the book is to hold the frame ``name``, else nothing (no query run)."""
    return query if name in parts else ()


def book(*, parts: Collection[str] = _PARTS) -> ChainBook:
    """Every stored chain, node, edge, enterprise, target and signing as one book (a
    signing's ``project`` and ``name`` are its registry project's code and name); only the
    frames of ``parts`` are read (the others empty): a check of one new row needs the chains,
    nodes and targets, not every enterprise."""
    chains = [
        {"chain": c.code, **{f: getattr(c, f) or None for f in
                             ("name", "leader", "lead_enterprises", "department", "description")}}
        for c in _read("chains", parts, Chain.objects.all())
    ]  # fmt: skip
    nodes = [
        {
            "node": n.code,
            "chain": n.chain.code,
            "name": n.name,
            "position": n.position,
            "parent": n.parent.code if n.parent_id else None,
            "industries": n.industries,
            "note": n.note or None,
        }
        for n in _read(
            "nodes",
            parts,
            Node.objects.select_related("chain", "parent").order_by("chain__code", "order", "code"),
        )
    ]
    edges = [
        {"source": e.source.code, "target": e.target.code, "relation": e.relation or None,
         "note": e.note or None}
        for e in _read("edges", parts, Edge.objects.select_related("source", "target"))
    ]  # fmt: skip
    enterprises = [
        {
            "uscc": e.uscc,
            "name": e.name,
            "county": e.county.code,
            "park": e.park or None,
            "nodes": tuple(n.code for n in e.nodes.all()),
            "above_scale": e.above_scale,
            "output": e.output,
            "tax": e.tax,
            "employees": e.employees,
            "lead": e.lead,
        }
        for e in _read(
            "enterprises",
            parts,
            Enterprise.objects.select_related("county").prefetch_related("nodes"),
        )
    ]
    targets = [
        {
            "target": t.code,
            "node": t.node.code,
            "county": t.county.code if t.county_id else None,
            "kind": t.kind,
            "name": t.name,
            "priority": t.priority or None,
            "note": t.note or None,
        }
        for t in _read("targets", parts, Target.objects.select_related("node", "county"))
    ]
    signings = [
        {
            "project": s.project.code,
            "name": s.project.name,
            "investor": s.investor,
            "origin": s.origin or None,
            "amount": s.amount,
            "signed_on": s.signed_on,
            "node": s.node.code if s.node_id else None,
            "county": s.county.code,
            "park": s.park or None,
            "target": s.target.code if s.target_id else None,
            "batch": s.batch or None,
            "note": s.note or None,
        }
        for s in _read(
            "signings",
            parts,
            Signing.objects.select_related("project", "node", "county", "target"),
        )
    ]

    def frame(rows: list[dict[str, Any]], columns: tuple[Any, ...]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=_columns(columns))

    return make_book(
        chains=frame(chains, CHAINS),
        nodes=frame(nodes, NODES),
        edges=frame(edges, EDGES),
        enterprises=frame(enterprises, ENTERPRISES),
        targets=frame(targets, TARGETS),
        signings=frame(signings, SIGNINGS),
    )


def rules_row() -> Rules:
    """The one row of the office's rules (made with the engine's defaults when absent)."""
    found = Rules.objects.order_by("pk").first()
    if found is None:
        defaults = StrengthRules()
        found = Rules(**{f: getattr(defaults, f) for f in RULE_FIELDS})
        found.save()
    return found


def rules() -> StrengthRules:
    """The office's rules as the engine's."""
    row = Rules.objects.order_by("pk").first()
    if row is None:
        return StrengthRules()
    return StrengthRules(**{f: getattr(row, f) for f in RULE_FIELDS})
