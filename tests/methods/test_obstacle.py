"""Tests of kaoping.methods.obstacle (障碍度).

Reference values are worked by hand (the arithmetic is in the comments) or computed by a plain
double loop over units and indicators written here from the printed formula
O_ij = F_j (1 - y_ij) / sum_l F_l (1 - y_il).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import obstacle
from kaoping.methods.obstacle import by_group, degree

NAN = np.nan


def test_docstring_examples_run() -> None:
    result = doctest.testmod(obstacle, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# Three indicators with weights F = (0.5, 0.3, 0.2):
#   unit 0: y = (0.2, 0.5, 1.0) -> I = (0.8, 0.5, 0.0); F I = (0.40, 0.15, 0.00), sum 0.55;
#           O = (0.40/0.55, 0.15/0.55, 0) = (8/11, 3/11, 0)
#   unit 1: y = (1.0, 0.0, 0.5) -> I = (0, 1, 0.5); F I = (0, 0.30, 0.10), sum 0.40;
#           O = (0, 0.75, 0.25)
Y = np.array([[0.2, 0.5, 1.0], [1.0, 0.0, 0.5]])
F = np.array([0.5, 0.3, 0.2])


def test_hand_worked_example() -> None:
    res = degree(Y, F)
    assert_allclose(res.degrees, [[8 / 11, 3 / 11, 0.0], [0.0, 0.75, 0.25]], rtol=1e-14)
    assert_allclose(res.deviation, [[0.8, 0.5, 0.0], [0.0, 1.0, 0.5]], rtol=1e-14)
    assert_array_equal(res.no_deviation, [False, False])


def test_equals_a_double_loop_over_the_formula() -> None:
    rng = np.random.default_rng(3)
    Yr = rng.uniform(0, 1, size=(40, 7))
    w = rng.dirichlet(np.ones(7))
    expected = np.empty_like(Yr)
    for i in range(Yr.shape[0]):
        total = sum(w[k] * (1 - Yr[i, k]) for k in range(Yr.shape[1]))
        for j in range(Yr.shape[1]):
            expected[i, j] = w[j] * (1 - Yr[i, j]) / total
    assert_allclose(degree(Yr, w).degrees, expected, rtol=1e-12)


def test_a_unit_best_everywhere_gets_zero_not_nan_and_is_reported() -> None:
    res = degree([[1.0, 1.0, 1.0], [0.5, 1.0, 1.0]], F)
    assert_array_equal(res.degrees[0], [0.0, 0.0, 0.0])
    assert_array_equal(res.no_deviation, [True, False])
    # unit 1: only the first indicator deviates: O = (1, 0, 0)
    assert_allclose(res.degrees[1], [1.0, 0.0, 0.0])


def test_deviation_on_an_unweighted_indicator_only_counts_as_no_deviation() -> None:
    # weight 0 on the only deviating indicator: nothing that counts holds the unit back
    res = degree([[1.0, 0.3]], [1.0, 0.0])
    assert_array_equal(res.degrees, [[0.0, 0.0]])
    assert_array_equal(res.no_deviation, [True])


def test_missing_values_are_skipped_and_the_rest_renormalised() -> None:
    # unit 0 misses indicator 1: F I over the rest = (0.40, 0.00), sum 0.40 -> O = (1, NaN, 0)
    # unit 1 misses everything: NaN throughout, not reported as without deviation
    res = degree([[0.2, NAN, 1.0], [NAN, NAN, NAN]], F)
    assert_allclose(res.degrees[0], [1.0, NAN, 0.0])
    assert np.isnan(res.degrees[1]).all()
    assert_array_equal(res.no_deviation, [False, False])


def test_weights_need_not_sum_to_one() -> None:
    assert_allclose(degree(Y, F * 7.0).degrees, degree(Y, F).degrees, rtol=1e-14)


@pytest.mark.parametrize(
    ("Yb", "w", "message"),
    [
        ([0.2, 0.5], [0.5, 0.5], "2-D array"),
        ([[0.2, 1.5]], [0.5, 0.5], r"\[0, 1\].*row 0, column 1: 1\.5.*\[0, 1\] normalisation"),
        ([[0.2, -0.1]], [0.5, 0.5], r"row 0, column 1: -0\.1"),
        ([[0.2, 0.5]], [0.5, 0.3, 0.2], "one weight per indicator"),
        ([[0.2, 0.5]], [0.5, -0.5], ">= 0"),
        ([[0.2, 0.5]], [0.0, 0.0], "not all 0"),
    ],
)
def test_bad_input_is_refused(Yb: object, w: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        degree(Yb, w)  # type: ignore[arg-type]


def test_groups_sum_their_indicators() -> None:
    # unit 0: group 0 = 8/11 + 3/11 = 1, group 1 = 0; unit 1: 0 + 0.75 = 0.75 and 0.25
    degrees = degree(Y, F).degrees
    assert_allclose(by_group(degrees, [0, 0, 1]), [[1.0, 0.0], [0.75, 0.25]], rtol=1e-14)
    # -1 leaves an indicator out; n_groups adds an empty group
    assert_allclose(by_group(degrees, [0, -1, 1], n_groups=3), [[8 / 11, 0, 0], [0, 0.25, 0]])


def test_groups_skip_missing_degrees_and_keep_all_missing_units_missing() -> None:
    out = by_group([[0.6, NAN, 0.4], [NAN, NAN, NAN]], [0, 0, 1])
    assert_allclose(out[0], [0.6, 0.4])
    assert np.isnan(out[1]).all()


@pytest.mark.parametrize(
    ("groups", "n_groups", "message"),
    [
        ([0, 1], None, "one group per indicator"),
        ([0, 0.5, 1], None, "whole numbers"),
        ([0, -2, 1], None, "whole numbers"),
        ([0, 1, 2], 2, "below n_groups = 2"),
    ],
)
def test_bad_groups_are_refused(groups: list[float], n_groups: int | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        by_group(np.full((1, 3), 1 / 3), groups, n_groups)
