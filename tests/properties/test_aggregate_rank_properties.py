"""Hypothesis properties of aggregation and ranking (kaoping.methods.aggregate / .rank).

Invariants that must hold for any data, not just the hand-worked examples:

* relabelling (permuting) the units permutes their scores and ranks;
* a unit that dominates another (>= everywhere, > somewhere) never ranks below it under the
  arithmetic or geometric mean (monotonicity);
* weighted harmonic <= geometric <= arithmetic mean (weighted AM-GM-HM inequality);
* vector-TOPSIS is invariant to the unit of measure of an indicator (scaling a column);
* ranks lie in 1..n, and as many units rank first as there are (tied) maximal scores.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import ConstantColumnWarning
from kaoping.methods.aggregate import arithmetic, copeland, geometric, harmonic, topsis
from kaoping.methods.rank import competition

SETTINGS = settings(max_examples=60, deadline=None)

Case = tuple[Any, ...]

positive = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False, allow_infinity=False)


@st.composite
def matrices(draw: st.DrawFn, elements: st.SearchStrategy[float] = positive) -> np.ndarray:
    n = draw(st.integers(min_value=2, max_value=12))
    m = draw(st.integers(min_value=1, max_value=6))
    Y: np.ndarray = draw(arrays(np.float64, (n, m), elements=elements))
    return Y


@st.composite
def weights_for(draw: st.DrawFn, m: int) -> np.ndarray:
    raw: np.ndarray = draw(arrays(np.float64, (m,), elements=st.floats(0.0, 1.0)))
    assume(raw.sum() > 1e-3)
    w: np.ndarray = raw / raw.sum()
    return w


@st.composite
def data(draw: st.DrawFn, elements: st.SearchStrategy[float] = positive) -> Case:
    Y = draw(matrices(elements))
    w = draw(weights_for(Y.shape[1]))
    perm = draw(st.permutations(range(Y.shape[0])))
    return Y, w, np.asarray(perm)


def _quiet(func: Callable[..., np.ndarray], *args: Any) -> np.ndarray:
    """Call ignoring ConstantColumnWarning (hypothesis generates constant columns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantColumnWarning)
        return func(*args)


@SETTINGS
@given(data())
def test_permuting_units_permutes_scores(case: Case) -> None:
    Y, w, perm = case
    d = np.where(np.arange(Y.shape[1]) % 2 == 0, 1.0, -1.0)
    for func in (arithmetic, geometric, harmonic):
        assert_allclose(func(Y[perm], w), func(Y, w)[perm], rtol=1e-12)
    assert_allclose(_quiet(topsis, Y[perm], w, d), _quiet(topsis, Y, w, d)[perm], atol=1e-12)
    assert_array_equal(copeland(Y[perm], w), copeland(Y, w)[perm])


scores_with_ties = arrays(
    np.float64,
    st.integers(min_value=1, max_value=40),
    elements=st.one_of(
        st.sampled_from([0.0, 1.0, 0.3, 0.1 + 0.2, -2.5, np.nan]),
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    ),
)


@SETTINGS
@given(scores_with_ties, st.randoms(use_true_random=False))
def test_permuting_units_permutes_ranks(s: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    perm = np.arange(s.size)
    rnd.shuffle(perm)
    assert_array_equal(competition(s[perm]), competition(s)[perm])


@st.composite
def dominance(draw: st.DrawFn) -> Case:
    Y = draw(matrices())
    w = draw(weights_for(Y.shape[1]))
    a, b = draw(st.lists(st.integers(0, Y.shape[0] - 1), min_size=2, max_size=2, unique=True))
    step = draw(arrays(np.float64, (Y.shape[1],), elements=st.floats(0.0, 100.0)))
    Y[a] = Y[b] + step
    assume((Y[a] > Y[b]).any())  # strictly better somewhere, after rounding
    return Y, w, a, b


@SETTINGS
@given(dominance())
def test_a_dominating_unit_never_ranks_below(case: Case) -> None:
    Y, w, a, b = case
    for func in (arithmetic, geometric):
        ranks = competition(func(Y, w))
        assert ranks[a] <= ranks[b], (func.__name__, ranks)


@SETTINGS
@given(data())
def test_harmonic_le_geometric_le_arithmetic(case: Case) -> None:
    Y, w, _ = case
    am, gm, hm = arithmetic(Y, w), geometric(Y, w), harmonic(Y, w)
    assert (gm <= am * (1 + 1e-12)).all()
    assert (hm <= gm * (1 + 1e-12)).all()


integer_values = st.integers(min_value=1, max_value=100).map(float)


@SETTINGS
@given(
    data(elements=integer_values),
    st.floats(min_value=1e-3, max_value=1e3),
    st.integers(min_value=0, max_value=5),
)
def test_vector_topsis_is_invariant_to_the_unit_of_measure(
    case: Case, factor: float, col: int
) -> None:
    Y, w, _ = case
    col = col % Y.shape[1]
    d = np.where(np.arange(Y.shape[1]) % 3 == 1, -1.0, 1.0)
    scaled = Y.copy()
    scaled[:, col] *= factor
    assert_allclose(_quiet(topsis, scaled, w, d), _quiet(topsis, Y, w, d), atol=1e-12)


@SETTINGS
@given(scores_with_ties, st.sampled_from([0.0, 1e-9, 1e-6]))
def test_ranks_in_range_and_rank_one_count(s: np.ndarray, rtol: float) -> None:
    ranks = competition(s, rtol=rtol)
    valid = ~np.isnan(s)
    assert_array_equal(np.isnan(ranks), ~valid)
    r = ranks[valid]
    n = int(valid.sum())
    if n == 0:
        return
    assert ((r >= 1) & (r <= n) & (r == np.floor(r))).all()
    top = s[valid].max()
    v = s[valid]
    n_max = int(((v == top) | (np.abs(top - v) <= rtol * np.maximum(abs(top), np.abs(v)))).sum())
    assert int((r == 1).sum()) == n_max


@SETTINGS
@given(arrays(np.float64, st.integers(min_value=1, max_value=60)))
def test_exact_competition_ranks_count_the_higher_scores(s: np.ndarray) -> None:
    # Any float64 values: NaN, +-inf, -0.0, subnormals, scores a few ulps apart.
    valid = ~np.isnan(s)
    expected = np.where(valid, 1.0 + ((s[None, :] > s[:, None]) & valid[None, :]).sum(1), np.nan)
    assert_array_equal(competition(s, rtol=0.0), expected)


@SETTINGS
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 30)),
        elements=st.one_of(st.sampled_from([0.5, np.nan]), st.floats(-10, 10)),
    )
)
def test_batch_ranks_equal_row_by_row(S: np.ndarray) -> None:
    assert_array_equal(competition(S), np.stack([competition(row) for row in S]))


scores_with_gaps = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from([0.0, 1.0, 0.3, 0.1 + 0.2, np.nan, np.inf, -np.inf]),
)


@SETTINGS
@given(
    s=st.integers(min_value=1, max_value=30).flatmap(
        lambda n: arrays(
            np.float64, st.tuples(st.integers(1, 8), st.just(n)), elements=scores_with_gaps
        )
    ),
    data=st.data(),
)
def test_tally_counts_what_competition_and_within_rank(s: np.ndarray, data: st.DataObject) -> None:
    """rank.tally is a fused form of count_ranks(competition(s)) and, per category,
    count_ranks(within(-competition(s), categories)): the same counts for any scores."""
    from kaoping.methods.rank import count_ranks, tally, within

    n = s.shape[1]
    cats = np.array(data.draw(st.lists(st.sampled_from(["a", "b", None]), min_size=n, max_size=n)),
                    dtype=object)  # fmt: skip
    ranks = competition(s)
    counts = np.zeros((n, n + 1), dtype=np.int64)
    cat_counts = np.zeros((n, n + 1), dtype=np.int64)
    out = tally(s, counts, categories=cats, category_counts=cat_counts, keep=True)
    assert out.ranks is not None
    assert_array_equal(out.ranks, ranks)
    assert_array_equal(counts, count_ranks(ranks))
    assert_array_equal(cat_counts, count_ranks(within(-ranks, cats)))


@SETTINGS
@given(
    base=st.sampled_from([1e-6, 1.0, 3.7, 1e6, 1e12, -5.0]),
    steps=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 40)),
                 elements=st.sampled_from([0.0, 0.3, 0.5, 0.9, 1.0, 1.1, 2.0, 7.0, 1e3, 1e6])),
    rtol=st.sampled_from([0.0, 1e-12, 1e-9, 1e-6]),
)  # fmt: skip
def test_tally_ties_near_the_tolerance_match_competition(
    base: float, steps: np.ndarray, rtol: float
) -> None:
    """Scores a few tolerances apart (base * (1 + step * rtol)), at magnitudes from 1e-6 to
    1e12 and spans from nothing to 1e6 tolerances: tally skips the exact comparison only for
    sort keys too far apart to tie, so its ranks are competition()'s, tie for tie."""
    from kaoping.methods.rank import tally

    s = base * (1.0 + steps * max(rtol, 1e-12))
    counts = np.zeros((s.shape[1], s.shape[1] + 1), dtype=np.int64)
    out = tally(s, counts, rtol=rtol, keep=True)
    assert out.ranks is not None
    assert_array_equal(out.ranks, competition(s, rtol=rtol))
