"""The percentile rule of kaoping.mujun.classes: exact counts, ties kept together, monotone.

Reference: the rule as stated in the module docstring (K_c = floor(q_c · n / 100), a firm of
competition rank r in the first class with r <= K_c), checked here against an independent
brute-force count; the worked values are hand computations.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.mujun.classes import boundaries, by_percentile, by_thresholds

Q = [Fraction(25), Fraction(70), Fraction(95), Fraction(100)]


@pytest.mark.parametrize(
    ("n", "counts"),
    [
        # (n, (A, B, C, D)): floor(0.25n), floor(0.7n) - floor(0.25n),
        # floor(0.95n) - floor(0.7n), the rest
        (1, (0, 0, 0, 1)),
        (4, (1, 1, 1, 1)),  # 1, 2.8 -> 2, 3.8 -> 3
        (10, (2, 5, 2, 1)),  # 2.5 -> 2, 7, 9.5 -> 9
        (20, (5, 9, 5, 1)),  # 5, 14, 19
        (100, (25, 45, 25, 5)),
        (101, (25, 45, 25, 6)),  # 25.25 -> 25, 70.7 -> 70, 95.95 -> 95
        (48_468, (12_117, 21_810, 12_117, 2_424)),  # the demo's graded firms
    ],
)
def test_class_counts_without_ties(n: int, counts: tuple[int, int, int, int]) -> None:
    scores = np.linspace(100.0, 1.0, n)
    _, classes = by_percentile(scores, Q)
    assert tuple(np.bincount(classes, minlength=4)) == counts


def test_boundaries_are_exact_rationals() -> None:
    # In floating point 0.29 * 100 = 28.999999999999996, whose floor is 28; 29 % of 100 firms
    # is exactly 29, and 12.5 % of 8 exactly 1.
    assert boundaries(Q, 10).tolist() == [2, 7, 9, 10]
    assert boundaries([Fraction("29"), Fraction(100)], 100).tolist() == [29, 100]
    assert boundaries([Fraction("12.5"), Fraction(100)], 8).tolist() == [1, 8]


def test_a_tie_across_a_boundary_goes_to_the_better_class() -> None:
    # n = 8: K = 2, 5, 7, 8.  Ranks 1, 2, 2, 4, 5, 6, 7, 8: the tie at ranks 2-3 is A (rank 2 <=
    # 2) -> A holds 3 firms, B 2.  A tie at positions 7-8 (rank 7) is C: D holds none.
    scores = np.array([9.0, 8, 8, 6, 5, 4, 3, 3])
    ranks, classes = by_percentile(scores, Q)
    assert ranks.tolist() == [1, 2, 2, 4, 5, 6, 7, 7]
    assert classes.tolist() == [0, 0, 0, 1, 1, 2, 2, 2]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.integers(min_value=0, max_value=30).map(float)  # small range: many ties
        | st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        min_size=1,
        max_size=300,
    )
)
def test_counts_follow_the_rule_and_classes_are_monotone(values: list[float]) -> None:
    scores = np.array(values)
    n = scores.size
    ranks, classes = by_percentile(scores, Q)
    order = np.argsort(-scores, kind="stable")
    gaps = np.diff(np.sort(scores))
    distinct = bool(np.all(gaps > 1e-6 * max(1.0, float(np.abs(scores).max()))))
    for c, q in enumerate(Q):
        k = (q.numerator * n) // (q.denominator * 100)
        # classes 1..c hold exactly the firms of rank <= K_c (ranks: ties share the best)
        assert int((classes <= c).sum()) == int((ranks <= k).sum())
        if distinct:
            assert int((classes <= c).sum()) == k  # no ties: exactly K_c firms
    # monotone: a better score never has a worse class; equal scores share a class
    sorted_classes = classes[order]
    assert np.all(np.diff(sorted_classes) >= 0)
    for value in set(values):
        assert len(set(classes[scores == value].tolist())) == 1
    assert classes.max() <= 3
    assert math.isclose(ranks.min(), 1.0)


@given(st.lists(st.floats(min_value=-50, max_value=200, allow_nan=False), min_size=1, max_size=50))
def test_thresholds_are_monotone(values: list[float]) -> None:
    scores = np.array(values)
    classes = by_thresholds(scores, [100.0, 70.0, 40.0])
    expected = [0 if s >= 100 else 1 if s >= 70 else 2 if s >= 40 else 3 for s in values]
    assert classes.tolist() == expected
