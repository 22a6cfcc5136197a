"""Invariants of the whole pipeline (kaoping.assess), checked with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from kaoping.assess import assess
from kaoping.data import Panel
from kaoping.methodology import loads

TEMPLATE = """
id: prop
name: 性质检验
normalization: minmax
weighting: {weighting}
aggregation: {aggregation}
dimensions:
  - id: d1
    name: 维度一
    weight: 2
    indicators:
      - {{id: a, name: 指标A, direction: positive}}
      - {{id: b, name: 指标B, direction: negative}}
  - id: d2
    name: 维度二
    indicators:
      - {{id: c, name: 指标C, direction: positive, weight: 3}}
      - {{id: e, name: 指标E, direction: positive}}
"""
METHODS = [
    ("fixed", "arithmetic"),
    ("entropy", "arithmetic"),
    ("critic", "arithmetic"),
    ("entropy", "topsis"),
]


@st.composite
def panels(draw: st.DrawFn) -> tuple[np.ndarray, list[str]]:
    n = draw(st.integers(min_value=3, max_value=12))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    X = rng.lognormal(0.0, 1.0, size=(n, 4))
    codes = [f"41{i:04d}" for i in range(n)]
    return X, codes


def to_panel(X: np.ndarray, codes: list[str], order: np.ndarray | None = None) -> Panel:
    rows = [
        {"unit": codes[i], "indicator": k, "period": "2024", "value": X[i, j]}
        for i in range(len(codes))
        for j, k in enumerate("abce")
    ]
    frame = pd.DataFrame(rows)
    if order is not None:
        frame = frame.iloc[order]
    return Panel(frame)


@settings(max_examples=30, deadline=None)
@given(data=panels(), which=st.sampled_from(METHODS), seed=st.integers(0, 1000))
def test_permuting_units_permutes_the_results(
    data: tuple[np.ndarray, list[str]], which: tuple[str, str], seed: int
) -> None:
    # The pipeline sorts units by code, so relabelling the rows with permuted codes moves
    # every unit to another position of the matrix: its score and rank must follow it.
    X, codes = data
    m = loads(TEMPLATE.format(weighting=which[0], aggregation=which[1]))
    base = assess(m, to_panel(X, codes), 2024).table
    rng = np.random.default_rng(seed)
    relabelled = [codes[k] for k in rng.permutation(len(codes))]
    order = rng.permutation(len(codes) * 4)  # and shuffle the observation rows too
    moved = assess(m, to_panel(X, relabelled, order), 2024).table
    assert_allclose(moved.loc[relabelled, "score"], base.loc[codes, "score"], rtol=1e-12)
    assert moved.loc[relabelled, "rank"].tolist() == base.loc[codes, "rank"].tolist()


@settings(max_examples=30, deadline=None)
@given(
    data=panels(),
    which=st.sampled_from(METHODS),
    column=st.integers(0, 3),
    factor=st.floats(min_value=1e-3, max_value=1e3),
)
def test_scaling_an_indicator_by_a_positive_constant_changes_nothing(
    data: tuple[np.ndarray, list[str]], which: tuple[str, str], column: int, factor: float
) -> None:
    # min-max, entropy (on min-max values), CRITIC and vector-normalised TOPSIS are all
    # invariant to the unit of measure of an indicator (yuan vs 10k yuan).
    X, codes = data
    m = loads(TEMPLATE.format(weighting=which[0], aggregation=which[1]))
    scaled = X.copy()
    scaled[:, column] *= factor
    a = assess(m, to_panel(X, codes), 2024)
    b = assess(m, to_panel(scaled, codes), 2024)
    assert_allclose(b.table["score"], a.table["score"], rtol=1e-8, atol=1e-9)
    assert_allclose(b.weights["effective_weight"], a.weights["effective_weight"], rtol=1e-8)


@settings(max_examples=30, deadline=None)
@given(data=panels(), which=st.sampled_from(METHODS))
def test_effective_weights_are_a_distribution_and_ranks_a_competition_ranking(
    data: tuple[np.ndarray, list[str]], which: tuple[str, str]
) -> None:
    X, codes = data
    result = assess(
        loads(TEMPLATE.format(weighting=which[0], aggregation=which[1])), to_panel(X, codes), 2024
    )
    w = result.weights["effective_weight"].to_numpy()
    assert (w >= 0).all()
    assert_allclose(w.sum(), 1.0, rtol=1e-12)
    ranks = result.table["rank"].to_numpy()
    scores = result.table["score"].to_numpy()
    for r, s in zip(ranks, scores, strict=True):  # rank = 1 + number of strictly better units
        assert r == 1 + np.sum(scores > s + 1e-9 * max(abs(s), 1e-300))
