"""Properties of the aggregation that hold for any scores: a trimmed mean lies within the
judges' totals, the order of the judges does not matter, equal weights are the plain mean."""

from __future__ import annotations

import dataclasses

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from kaoping.observation import AGGREGATIONS, Criterion, EventSpec, Judge, aggregate

CRITERIA = [Criterion("a", 60.0), Criterion("b", 40.0)]


@st.composite
def events(draw: st.DrawFn) -> tuple[EventSpec, pd.DataFrame]:
    n = draw(st.integers(1, 9))
    units = [f"U{k}" for k in range(draw(st.integers(1, 5)))]
    split = draw(st.integers(0, len(units)))
    groups = {"组1": units[:split], "组2": units[split:]}
    groups = {g: m for g, m in groups.items() if m}
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0]), min_size=n, max_size=n))
    judges = [Judge(f"J{k}", f"评委{k}", weight=w) for k, w in enumerate(weights)]
    spec = EventSpec(
        "E",
        "2026-Q1",
        groups,
        CRITERIA,
        judges,
        aggregation=draw(st.sampled_from(AGGREGATIONS)),
        trim_min_judges=draw(st.integers(3, 6)),
        kept=frozenset(j.id for j in judges),  # flags reported, nobody left out
    )
    rows = [
        (j.id, u, c.name, float(draw(st.integers(0, int(c.maximum)))))
        for j in judges
        for u in units
        for c in CRITERIA
    ]
    return spec, pd.DataFrame(rows, columns=["judge", "unit", "criterion", "score"])


@settings(max_examples=80, deadline=None)
@given(events())
def test_the_total_lies_within_the_judges_totals(event: tuple[EventSpec, pd.DataFrame]) -> None:
    spec, scores = event
    result = aggregate(spec, scores)
    low, high = result.per_judge.min(axis=1), result.per_judge.max(axis=1)
    total = result.table["total"]
    assert ((total >= low - 1e-9) & (total <= high + 1e-9)).all()
    assert_allclose(result.table[["a", "b"]].sum(axis=1), total)
    assert (result.table["rank"] >= 1).all()


@settings(max_examples=80, deadline=None)
@given(events(), st.randoms(use_true_random=False))
def test_the_order_of_the_judges_and_rows_does_not_matter(
    event: tuple[EventSpec, pd.DataFrame], random: object
) -> None:
    spec, scores = event
    judges = list(spec.judges)
    random.shuffle(judges)  # type: ignore[attr-defined]
    shuffled = dataclasses.replace(spec, judges=judges)
    rows = scores.sample(frac=1.0, random_state=random.randrange(2**32))  # type: ignore[attr-defined]
    a, b = aggregate(spec, scores).table, aggregate(shuffled, rows).table
    assert_allclose(a[["a", "b", "total"]], b[["a", "b", "total"]], atol=1e-9)
    assert a["rank"].tolist() == b["rank"].tolist()
    assert a["judges"].tolist() == b["judges"].tolist()


@settings(max_examples=60, deadline=None)
@given(events())
def test_with_equal_weights_the_weighted_mean_is_the_mean(
    event: tuple[EventSpec, pd.DataFrame],
) -> None:
    spec, scores = event
    equal = [dataclasses.replace(j, weight=1.0) for j in spec.judges]
    for plain, weighted in (("mean", "weighted"), ("trimmed", "trimmed_weighted")):
        a = aggregate(dataclasses.replace(spec, judges=equal, aggregation=plain), scores)
        b = aggregate(dataclasses.replace(spec, judges=equal, aggregation=weighted), scores)
        assert_allclose(a.table["total"], b.table["total"])


@settings(max_examples=60, deadline=None)
@given(events())
def test_trimming_uses_two_judges_fewer_exactly_when_there_are_enough(
    event: tuple[EventSpec, pd.DataFrame],
) -> None:
    spec, scores = event
    n = len(spec.judges)
    trimmed = spec.aggregation.startswith("trimmed") and n >= spec.trim_min_judges
    assert (aggregate(spec, scores).table["judges"] == (n - 2 if trimmed else n)).all()
