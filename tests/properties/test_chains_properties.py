"""Hypothesis properties of the chain figures, strength and signing shares
(kaoping.chains.strength / .signings), for any forest of nodes and any placements:

* a node has at least the enterprises and output of each child, and at most those of its
  children together with its own (an enterprise counted once);
* shares of the chain lie in [0, 100]; the counties' shares of a node's output add up to 100;
* a node is 缺失 exactly when it has fewer enterprises than ``missing_below``, and raising a
  threshold never makes a node stronger;
* the counties' shares of the signings add up to 100 %, and a group of all counties holds all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from kaoping.chains.model import make_book
from kaoping.chains.signings import by_county, group_share
from kaoping.chains.strength import StrengthRules, county_stats, node_stats, strength

SETTINGS = settings(max_examples=40, deadline=None)
RANK = {"已有": 0, "薄弱": 1, "缺失": 2}


@st.composite
def books(draw: st.DrawFn) -> Any:
    n = draw(st.integers(min_value=1, max_value=8))
    # node k's parent is one of the nodes before it, or none: always a forest
    parents = [None] + [
        draw(st.one_of(st.none(), st.integers(min_value=0, max_value=k - 1))) for k in range(1, n)
    ]
    nodes = [
        {"node": f"N{k}", "chain": "L", "name": f"环节{k}", "position": "中游",
         "parent": None if p is None else f"N{p}"}
        for k, p in enumerate(parents)
    ]  # fmt: skip
    m = draw(st.integers(min_value=0, max_value=10))
    enterprises = []
    for e in range(m):
        placed = draw(st.lists(st.integers(min_value=0, max_value=n - 1), min_size=1, max_size=3))
        enterprises.append(
            {
                "uscc": f"E{e}",
                "name": f"企业{e}",
                "county": draw(st.sampled_from(["X", "Y", "Z"])),
                "nodes": "、".join(f"N{k}" for k in placed),
                "above_scale": draw(st.booleans()),
                "output": draw(st.floats(min_value=0.0, max_value=1e5, allow_nan=False)),
            }
        )
    return make_book(chains=[{"chain": "L", "name": "链"}], nodes=nodes, enterprises=enterprises)


@SETTINGS
@given(books())
def test_a_node_holds_at_least_each_child_and_at_most_all_of_them(book: Any) -> None:
    stats = node_stats(book)
    own = {str(n): set() for n in book.nodes["node"]}
    for i, nodes in enumerate(book.enterprises["nodes"]):
        for node in nodes:
            own[node].add(i)
    for node, parent in zip(book.nodes["node"], book.nodes["parent"], strict=True):
        if parent is None:
            continue
        assert stats.at[parent, "enterprises"] >= stats.at[node, "enterprises"]
        assert stats.at[parent, "output"] >= stats.at[node, "output"] - 1e-6
    for node in stats.index:
        children = [n for n, p in zip(book.nodes["node"], book.nodes["parent"], strict=True)
                    if p == node]  # fmt: skip
        bound = len(own[node]) + sum(int(stats.at[c, "enterprises"]) for c in children)
        assert stats.at[node, "enterprises"] <= bound
    shares = stats["share_pct"].dropna().to_numpy()
    assert np.all((shares >= 0) & (shares <= 100 + 1e-9))


@SETTINGS
@given(books())
def test_the_counties_shares_of_a_node_add_up_to_all_of_it(book: Any) -> None:
    both = county_stats(book)
    city = node_stats(book)
    for node, part in both.groupby(level="node"):
        if city.at[node, "output"] > 0:
            assert_allclose(part["city_share_pct"].sum(), 100.0, rtol=1e-9)
        assert part["enterprises"].sum() >= city.at[node, "enterprises"]


@SETTINGS
@given(
    books(),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
    st.floats(min_value=0, max_value=60),
)
def test_missing_follows_its_rule_and_stricter_rules_never_strengthen(
    book: Any, missing: int, extra: int, share: float
) -> None:
    rules = StrengthRules(missing_below=missing, weak_below=missing + extra, weak_share_pct=share)
    judged = strength(book, rules)
    assert ((judged["enterprises"] < missing) == (judged["strength"] == "缺失")).all()
    stricter = StrengthRules(
        missing_below=missing + 1, weak_below=missing + extra + 1, weak_share_pct=share + 10
    )
    harder = strength(book, stricter)
    assert (harder["strength"].map(RANK) >= judged["strength"].map(RANK)).all()


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["410821", "410822", "410802"]),
            st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_shares_of_the_signings_add_up(signings: list[tuple[str, float]]) -> None:
    import pandas as pd

    frame = pd.DataFrame(signings, columns=["county", "amount"])
    table = by_county(frame)
    assert_allclose(table["projects_pct"].sum(), 100.0)
    assert_allclose(table["amount_pct"].sum(), 100.0)
    whole = group_share(frame, {"410821", "410822", "410802"})
    assert_allclose([whole["projects_pct"], whole["amount_pct"]], [100.0, 100.0])
