"""Tests of kaoping.methods.rank.

Expected ranks are worked out by hand in the comments, or computed by an independent O(n^2)
formula: rank_i = 1 + #{l : s_l > s_i} (standard competition ranking with exact ties).
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from kaoping.methods import rank
from kaoping.methods.rank import competition, rank_change, tiers, within

NAN = np.nan


def _reference_competition(s: np.ndarray) -> np.ndarray:
    """1 + number of strictly higher scores; NaN stays NaN (exact ties only)."""
    valid = ~np.isnan(s)
    higher = (s[None, :] > s[:, None]) & valid[None, :]
    return np.where(valid, 1.0 + higher.sum(axis=1), NAN)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(rank, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# competition
# --------------------------------------------------------------------------------------------


def test_competition_ranking_with_ties() -> None:
    # 20, 20 share first place, 10 is third (second place is taken), 5 fourth: 1, 1, 3, 4
    assert_array_equal(competition([10.0, 20.0, 20.0, 5.0]), [3.0, 1.0, 1.0, 4.0])
    # 1, 2, 2, 4 pattern: 9 > 7 = 7 > 3
    assert_array_equal(competition([7.0, 9.0, 3.0, 7.0]), [2.0, 1.0, 4.0, 2.0])


def test_floating_point_noise_never_splits_a_tie() -> None:
    noisy = 0.1 + 0.2  # 0.30000000000000004
    assert noisy != 0.3
    assert_array_equal(competition([0.3, noisy, 0.2]), [1.0, 1.0, 3.0])
    # with rtol = 0 only exact equality ties
    assert_array_equal(competition([0.3, noisy, 0.2], rtol=0.0), [2.0, 1.0, 3.0])


def test_ties_are_measured_from_the_first_score_of_the_group() -> None:
    # Scores 0.6e-9 apart with rtol = 1e-9.  Sorted descending: 1, 1 - 0.6e-9 (within rtol of
    # the group's first score 1: tie, rank 1), 1 - 1.2e-9 (1.2e-9 from 1: new group, rank 3),
    # 1 - 1.8e-9 (0.6e-9 from 1 - 1.2e-9: tie, rank 3).  Chaining from neighbour to neighbour
    # would have put all four at rank 1.
    s = [1.0 - 1.8e-9, 1.0, 1.0 - 1.2e-9, 1.0 - 0.6e-9]
    assert_array_equal(competition(s), [3.0, 1.0, 3.0, 1.0])


def test_missing_scores_get_no_rank_and_take_no_place() -> None:
    # non-missing 5 > 3 > 3: ranks 1, 2, 2; NaN units NaN
    assert_array_equal(competition([NAN, 3.0, 5.0, NAN, 3.0]), [NAN, 2.0, 1.0, NAN, 2.0])
    assert_array_equal(competition([NAN, NAN]), [NAN, NAN])
    assert competition(np.empty(0)).shape == (0,)


def test_signs_zero_and_infinities() -> None:
    # 0 and -0.0 are equal; -1 and -1 - 1e-12 tie (relative difference 1e-12)
    assert_array_equal(competition([-1.0, 0.0, -0.0, -1.0 - 1e-12]), [3.0, 1.0, 1.0, 3.0])
    # inf ties only with inf, never with the largest finite number
    s = [np.inf, 1e308, np.inf, -np.inf]
    assert_array_equal(competition(s), [1.0, 3.0, 1.0, 4.0])


def test_competition_matches_independent_formula() -> None:
    rng = np.random.default_rng(0)
    s = rng.integers(0, 50, size=2000).astype(float)  # many exact ties
    s[rng.random(2000) < 0.05] = NAN
    assert_array_equal(competition(s, rtol=0.0), _reference_competition(s))
    assert_array_equal(competition(s), _reference_competition(s))  # ties are exact here


def test_scores_a_few_ulps_apart_are_ordered_exactly() -> None:
    # The sort packs each score's leading bits with the unit's index; scores that share those
    # bits (here: 1 + k ulp, with duplicates, shuffled) must still come out in exact order.
    rng = np.random.default_rng(3)
    base = np.nextafter(1.0, 2.0, dtype=np.float64) - 1.0  # one ulp at 1.0
    for n_distinct, copies in [(5, 1), (40, 3), (300, 20)]:
        s = np.repeat(1.0 + base * np.arange(n_distinct), copies)
        s = np.concatenate([s, -s, [0.0, -0.0, np.inf, -np.inf, NAN]])
        rng.shuffle(s)
        assert_array_equal(competition(s, rtol=0.0), _reference_competition(s))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 1023, 1024, 1025])
def test_sizes_around_powers_of_two(n: int) -> None:
    rng = np.random.default_rng(n)
    s = rng.integers(0, max(2, n // 3), size=n).astype(float)
    assert_array_equal(competition(s), _reference_competition(s))


def test_batch_equals_row_by_row() -> None:
    rng = np.random.default_rng(1)
    S = np.round(rng.random((40, 300)), 2)  # rounding creates ties
    S[rng.random(S.shape) < 0.03] = NAN
    S[5] = S[5] + 1e-13 * rng.random(300)  # float noise on one sample
    batch = competition(S)
    assert batch.shape == (40, 300)
    assert_array_equal(batch, np.stack([competition(row) for row in S]))


def test_large_batch_parallel_path_equals_row_by_row() -> None:
    rng = np.random.default_rng(2)
    S = np.round(rng.random((300, 1000)), 3)  # 300,000 scores: ranked in parallel by rows
    S[rng.random(S.shape) < 0.01] = NAN
    assert_array_equal(competition(S), np.stack([competition(row) for row in S]))


def test_ranks_are_float64() -> None:
    assert competition([1, 2, 3]).dtype == np.float64
    assert competition([[1, 2, 3]]).dtype == np.float64


def test_competition_argument_errors() -> None:
    with pytest.raises(ValueError, match=r"shape \(n,\) or a batch \(k, n\)"):
        competition(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="rtol"):
        competition([1.0, 2.0], rtol=-1e-9)


# --------------------------------------------------------------------------------------------
# within
# --------------------------------------------------------------------------------------------


def test_within_categories() -> None:
    # category A: 90 (1st), 85 (2nd), 85 (2nd);  category B: 80 (1st), 70 (2nd)
    scores = [90.0, 80.0, 85.0, 70.0, 85.0]
    cats = ["A", "B", "A", "B", "A"]
    assert_array_equal(within(scores, cats), [1.0, 1.0, 2.0, 2.0, 2.0])
    assert_array_equal(within(scores, [1, 2, 1, 2, 1]), [1.0, 1.0, 2.0, 2.0, 2.0])


def test_within_missing_category_gets_no_rank() -> None:
    scores = [90.0, 80.0, 85.0, 70.0]
    expected = [1.0, NAN, 2.0, 1.0]  # unit 1 has no category; unit 3 is alone in B
    assert_array_equal(within(scores, ["A", None, "A", "B"]), expected)
    assert_array_equal(within(scores, [1.0, NAN, 1.0, 2.0]), expected)
    assert_array_equal(within(scores, np.array(["A", pd.NA, "A", "B"], dtype=object)), expected)


def test_within_batch_and_missing_scores() -> None:
    scores = np.array([[90.0, 80.0, NAN, 70.0], [60.0, 80.0, 85.0, 90.0]])
    cats = ["A", "B", "A", "B"]
    expected = np.array([[1.0, 1.0, NAN, 2.0], [2.0, 2.0, 1.0, 1.0]])
    assert_array_equal(within(scores, cats), expected)


def test_within_float_noise_ties() -> None:
    assert_array_equal(within([0.3, 0.1 + 0.2, 0.5], ["x", "x", "y"]), [1.0, 1.0, 1.0])


def test_within_needs_one_label_per_unit() -> None:
    with pytest.raises(ValueError, match=r"one label per unit \(n = 3\)"):
        within([1.0, 2.0, 3.0], ["A", "B"])


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def test_tiers_by_rank() -> None:
    # cut-offs 30, 60: ranks 1..30 -> tier 0 (第一方阵), 31..60 -> tier 1, beyond -> -1
    ranks = [1.0, 30.0, 31.0, 60.0, 61.0, NAN]
    assert_array_equal(tiers(ranks, [30, 60]), [0, 0, 1, 1, -1, -1])
    assert tiers(ranks, [30, 60]).dtype == np.int64


def test_tiers_by_score() -> None:
    # thresholds 90, 80, 60: 95 -> 0, 90 -> 0, 85 -> 1, 60 -> 2, 59.9 -> -1
    scores = [95.0, 90.0, 85.0, 60.0, 59.9, NAN]
    assert_array_equal(tiers(scores, [90, 80, 60], by="score"), [0, 0, 1, 2, -1, -1])


def test_tiers_by_score_tolerates_float_noise_at_the_threshold() -> None:
    almost = 0.1 * 3 * 100  # 30.000000000000004 ... and below it:
    below = 100 * (0.7 - 0.4)  # 29.999999999999993
    assert below < 30
    assert_array_equal(tiers([almost, below, 29.9], [30], by="score"), [0, 0, -1])
    assert_array_equal(tiers([below], [30], by="score", rtol=0.0), [-1])


def test_tiers_batch_shape() -> None:
    ranks = np.array([[1.0, 5.0, 12.0], [12.0, 1.0, 5.0]])
    assert_array_equal(tiers(ranks, [3, 10]), [[0, 1, -1], [-1, 0, 1]])


def test_tiers_argument_errors() -> None:
    with pytest.raises(ValueError, match=r"increase strictly.*\[60.0, 30.0\]"):
        tiers([1.0], [60, 30])
    with pytest.raises(ValueError, match=r"decrease strictly"):
        tiers([1.0], [80, 90], by="score")
    with pytest.raises(ValueError, match="by must be"):
        tiers([1.0], [1], by="points")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        tiers([1.0], [])


# --------------------------------------------------------------------------------------------
# rank change
# --------------------------------------------------------------------------------------------


def test_rank_change_positive_means_moved_up() -> None:
    # 5th -> 2nd: up 3 (进3位); 1st -> 3rd: down 2; new unit: NaN
    assert_array_equal(rank_change([5.0, 1.0, NAN], [2.0, 3.0, 4.0]), [3.0, -2.0, NAN])


def test_rank_change_shape_mismatch() -> None:
    with pytest.raises(ValueError, match="same units"):
        rank_change([1.0, 2.0], [1.0, 2.0, 3.0])


def test_count_ranks_equals_a_histogram_of_each_units_ranks() -> None:
    # reference: np.bincount per unit, an independent way to count
    rng = np.random.default_rng(5)
    s = rng.integers(0, 6, size=(300, 40)).astype(float)  # many ties
    s[rng.random(s.shape) < 0.05] = np.nan
    ranks = rank.competition(s)
    for dtype in (np.int64, np.int32):
        counts = np.zeros((40, 41), dtype=dtype)
        rank.count_ranks(ranks[:150], counts)
        rank.count_ranks(ranks[150:], counts, check=False)  # batches add up
        for u in range(40):
            r = np.nan_to_num(ranks[:, u], nan=0.0).astype(int)
            np.testing.assert_array_equal(counts[u], np.bincount(r, minlength=41))


def test_count_ranks_refuses_bad_ranks_and_counts_nothing() -> None:
    counts = np.zeros((2, 3), dtype=np.int64)
    for bad in ([[1.0, 2.5]], [[0.0, 1.0]], [[1.0, 3.0]]):
        with pytest.raises(ValueError, match="whole numbers"):
            rank.count_ranks(bad, counts)
    assert not counts.any()
    with pytest.raises(ValueError, match="shape"):
        rank.count_ranks([[1.0, 2.0]], np.zeros((2, 2), dtype=np.int64))


# --------------------------------------------------------------------------------------------
# tally: rank a Monte Carlo batch and count, in one pass
# --------------------------------------------------------------------------------------------


def _tally_reference(
    s: np.ndarray, reference: np.ndarray, categories: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The long way round: competition, within on the negated ranks, count_ranks, nanmean."""
    n = s.shape[1]
    ranks = competition(s)
    counts = rank.count_ranks(ranks)
    cat_counts = None
    if categories is not None:
        cat_counts = rank.count_ranks(within(-ranks, categories))
    diff = np.abs(ranks - reference)
    with np.errstate(all="ignore"):
        present = ~np.isnan(diff)
        shift = np.where(
            present.any(axis=1), np.nansum(diff, axis=1) / np.maximum(present.sum(axis=1), 1), NAN
        )
    assert counts.shape == (n, n + 1)
    return counts, cat_counts, shift


def test_tally_worked_example() -> None:
    # Two samples of three units A, B, C.  Sample 1: 0.3, 0.9, 0.5 -> ranks 3, 1, 2 (the
    # reference itself: shift 0).  Sample 2: 0.9, 0.3, 0.5 -> 1, 3, 2: |1-3| + |3-1| + 0 = 4,
    # mean 4/3.  A is 3rd once and 1st once; C is 2nd twice.  Categories {A, C} and {B}:
    # within its category A is 2nd then 1st, C 1st then 2nd, B 1st twice.
    counts = np.zeros((3, 4), dtype=np.int64)
    cat_counts = np.zeros((3, 4), dtype=np.int32)
    out = rank.tally(
        [[0.3, 0.9, 0.5], [0.9, 0.3, 0.5]],
        counts,
        reference=[3, 1, 2],
        categories=["x", "y", "x"],
        category_counts=cat_counts,
        keep=True,
    )
    assert_array_equal(counts, [[0, 1, 0, 1], [0, 1, 0, 1], [0, 0, 2, 0]])
    assert_array_equal(cat_counts, [[0, 1, 1, 0], [0, 2, 0, 0], [0, 1, 1, 0]])
    np.testing.assert_allclose(out.shift, [0.0, 4 / 3])
    assert out.ranks is not None
    assert_array_equal(out.ranks, [[3, 1, 2], [1, 3, 2]])


def test_tally_ties_missing_and_infinities_match_the_long_way() -> None:
    # Many exact ties, 0.1 + 0.2 against 0.3 (a tie within rtol), NaN, +-inf, a huge outlier
    # that squeezes everyone else into one sort key (the exact fallback for long runs).
    rng = np.random.default_rng(11)
    s = rng.integers(0, 4, size=(200, 57)).astype(float)
    s[:, 3] = 0.1 + 0.2
    s[:, 4] = 0.3
    s[rng.random(s.shape) < 0.08] = NAN
    s[rng.random(s.shape) < 0.03] = np.inf
    s[rng.random(s.shape) < 0.03] = -np.inf
    s[::7, 0] = 1e300
    s[5] = NAN  # a sample without any score
    cats = rng.choice(np.array(["a", "b", "c", None], dtype=object), size=57)
    reference = competition(rng.normal(size=57))
    counts, cat_counts, shift = _tally_reference(s, reference, cats)
    got = np.zeros_like(counts)
    got_cat = np.zeros_like(counts)
    out = rank.tally(s, got, reference=reference, categories=cats, category_counts=got_cat)
    assert_array_equal(got, counts)
    assert_array_equal(got_cat, cat_counts)
    np.testing.assert_allclose(out.shift, shift, equal_nan=True)
    assert out.ranks is None


def test_tally_units_without_any_category_count_as_unranked() -> None:
    counts = np.zeros((3, 4), dtype=np.int64)
    cat_counts = np.zeros((3, 4), dtype=np.int64)
    rank.tally([[1.0, 2.0, 3.0]] * 4, counts, categories=[None] * 3, category_counts=cat_counts)
    assert_array_equal(cat_counts[:, 0], [4, 4, 4])
    assert cat_counts[:, 1:].sum() == 0


def test_tally_wide_ranks(monkeypatch: pytest.MonkeyPatch) -> None:
    # From 65,536 units the ranks are stored in 32 bits; that path is checked on a small batch
    # by lowering the threshold (a real 65,536-unit table would need 17 GB): a shuffled ramp,
    # whose ranks are known exactly (score n - 1 is first).
    monkeypatch.setattr(rank, "_NARROW_RANKS", 8)
    n = 300
    rng = np.random.default_rng(2)
    s = np.stack([rng.permutation(n).astype(float) for _ in range(3)])
    counts = np.zeros((n, n + 1), dtype=np.int32)
    out = rank.tally(s, counts, keep=True)
    assert out.ranks is not None
    assert_array_equal(out.ranks, n - s)
    assert counts[:, 1:].sum() == 3 * n
    assert counts[:, 0].sum() == 0


def test_tally_argument_errors() -> None:
    counts = np.zeros((2, 3), dtype=np.int64)
    with pytest.raises(ValueError, match="batch"):
        rank.tally([1.0, 2.0], counts)
    with pytest.raises(ValueError, match="shape"):
        rank.tally([[1.0, 2.0]], np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="int64 or int32"):
        rank.tally([[1.0, 2.0]], np.zeros((2, 3), dtype=np.float64))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="category_counts"):
        rank.tally([[1.0, 2.0]], counts, categories=["a", "b"])
    with pytest.raises(ValueError, match="reference"):
        rank.tally([[1.0, 2.0]], counts, reference=[1.0])
    with pytest.raises(ValueError, match="rtol"):
        rank.tally([[1.0, 2.0]], counts, rtol=-1.0)
    assert not counts.any()
