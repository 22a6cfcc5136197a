"""Tests of kaoping.methods.normalize.

Reference values are hand-worked (written out in the comments), taken from a published table
(the HDI goalposts), or computed by an independent implementation (pandas' skew/kurt).
"""

from __future__ import annotations

import math
import warnings
from typing import cast

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import ConstantColumnWarning
from kaoping.methods import normalize as N

nan = np.nan


def pd_skew(x: np.ndarray) -> float:
    """pandas' bias-corrected sample skewness (an independent implementation)."""
    return cast(float, pd.Series(x).skew())


def pd_kurt(x: np.ndarray) -> float:
    """pandas' bias-corrected sample excess kurtosis (an independent implementation)."""
    return cast(float, pd.Series(x).kurt())


# A small hand-worked matrix: 4 units, a positive and a negative indicator, one missing value.
X4 = np.array(
    [
        [2.0, 8.0],
        [4.0, 6.0],
        [4.0, 2.0],
        [10.0, nan],
    ]
)
D4 = np.array([1, -1])


# --------------------------------------------------------------------------------------------
# minmax
# --------------------------------------------------------------------------------------------


def test_minmax_hand_worked() -> None:
    # column 0 (positive): min 2, max 10 -> (x - 2)/8 = 0, 2/8, 2/8, 8/8
    # column 1 (negative): min 2, max 8 over the non-missing values -> (8 - x)/6 = 0, 2/6, 6/6
    expected = np.array([[0.0, 0.0], [0.25, 1 / 3], [0.25, 1.0], [1.0, nan]])
    assert_allclose(N.minmax(X4, D4), expected, rtol=0, atol=1e-15)


def test_minmax_maps_to_lo_hi() -> None:
    # y' = lo + (hi - lo) y with lo = 1, hi = 100 (the form used before a geometric mean)
    expected = 1.0 + 99.0 * np.array([[0.0, 0.0], [0.25, 1 / 3], [0.25, 1.0], [1.0, nan]])
    assert_allclose(N.minmax(X4, D4, lo=1.0, hi=100.0), expected, rtol=1e-15)


def test_minmax_negative_direction_is_minus_x() -> None:
    # COINr's convention: a negative indicator is normalised as -x with a positive direction
    assert_array_equal(N.minmax(X4, [1, -1]), N.minmax(X4 * [1, -1], [1, 1]))


def test_minmax_moderate_column() -> None:
    # x = 1, 3, 5, 9 with optimum 4: |x - t| = 3, 1, 1, 5, max 5 -> 1 - d/5 = 0.4, 0.8, 0.8, 0
    X = np.array([[1.0, 0.0], [3.0, 1.0], [5.0, 2.0], [9.0, 3.0]])
    Y = N.minmax(X, [0, 1], optimum=[4.0, nan])
    assert_allclose(Y[:, 0], [0.4, 0.8, 0.8, 0.0], atol=1e-15)
    assert_allclose(Y[:, 1], [0.0, 1 / 3, 2 / 3, 1.0], atol=1e-15)


def test_minmax_moderate_needs_an_optimum() -> None:
    with pytest.raises(ValueError, match=r"column\(s\) \[0\] are moderate.*optimum"):
        N.minmax([[1.0], [2.0]], [0])
    with pytest.raises(ValueError, match="no finite optimum"):
        N.minmax([[1.0], [2.0]], [0], optimum=[nan])


def test_minmax_constant_columns_one_warning_listing_all() -> None:
    X = np.array([[1.0, 5.0, 3.0, 7.0], [2.0, 5.0, nan, 7.0], [3.0, 5.0, 3.0, nan]])
    with pytest.warns(ConstantColumnWarning) as record:
        Y = N.minmax(X, [1, 1, -1, 1], lo=0.0, hi=10.0)
    assert len(record) == 1
    assert record[0].message.columns == (1, 2, 3)  # type: ignore[union-attr]
    assert "[1, 2, 3]" in str(record[0].message)
    # constant columns are hi everywhere, missing stays missing, nothing is inf
    assert_array_equal(Y[:, 1], [10.0, 10.0, 10.0])
    assert_array_equal(Y[:, 2], [10.0, nan, 10.0])
    assert_array_equal(Y[:, 3], [10.0, 10.0, nan])
    assert np.isfinite(Y[~np.isnan(X)]).all()


def test_minmax_single_value_column_is_constant() -> None:
    with pytest.warns(ConstantColumnWarning):
        Y = N.minmax([[nan], [3.0], [nan]], [1])
    assert_array_equal(Y[:, 0], [nan, 1.0, nan])


def test_minmax_all_missing_column_stays_missing_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Y = N.minmax([[nan, 1.0], [nan, 2.0]], [1, 1])
    assert np.isnan(Y[:, 0]).all()


def test_minmax_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="2-D"):
        N.minmax(np.arange(3.0), [1])
    with pytest.raises(ValueError, match="one entry per indicator"):
        N.minmax(X4, [1])
    with pytest.raises(ValueError, match=r"directions\[1\] = 2.0"):
        N.minmax(X4, [1, 2])
    with pytest.raises(ValueError, match="lo < hi"):
        N.minmax(X4, D4, lo=1.0, hi=1.0)
    with pytest.raises(ValueError, match="no rows"):
        N.minmax(np.empty((0, 2)), D4)


def test_dist2max_equals_minmax_on_unit_interval() -> None:
    # 1 - (max - x)/(max - min) = (x - min)/(max - min): COINr's n_dist2max
    assert_allclose(N.dist2max(X4, D4), N.minmax(X4, D4), atol=1e-15)


# --------------------------------------------------------------------------------------------
# zscore
# --------------------------------------------------------------------------------------------


def test_zscore_hand_worked() -> None:
    # column 0: mean 5, deviations -3, -1, -1, 5, sum of squares 36, sd = sqrt(36/3) = sqrt(12)
    # column 1 (negative): 8, 6, 2, mean 16/3, deviations 8/3, 2/3, -10/3,
    #   sum of squares 168/9, sd = sqrt(168/9 / 2) = sqrt(28/3); the sign is flipped
    z0 = np.array([-3.0, -1.0, -1.0, 5.0]) / math.sqrt(12)
    z1 = -np.array([8 / 3, 2 / 3, -10 / 3]) / math.sqrt(28 / 3)
    Z = N.zscore(X4, D4)
    assert_allclose(Z[:, 0], z0, rtol=1e-14)
    assert_allclose(Z[:3, 1], z1, rtol=1e-14)
    assert np.isnan(Z[3, 1])
    # rescaled: 100 + 10 z
    assert_allclose(N.zscore(X4, D4, m=100.0, s=10.0)[:, 0], 100 + 10 * z0, rtol=1e-14)


def test_zscore_ddof0_matches_numpy_std() -> None:
    x = np.array([[1.0], [4.0], [4.0], [7.0]])
    expected = (x[:, 0] - x.mean()) / x.std(ddof=0)  # independent: NumPy's population sd
    assert_allclose(N.zscore(x, [1], ddof=0)[:, 0], expected, rtol=1e-14)


def test_zscore_constant_column_is_m() -> None:
    with pytest.warns(ConstantColumnWarning) as record:
        Z = N.zscore([[1.0, 2.0], [2.0, 2.0], [3.0, nan]], [1, 1], m=50.0, s=10.0)
    assert record[0].message.columns == (1,)  # type: ignore[union-attr]
    assert_array_equal(Z[:, 1], [50.0, 50.0, nan])


def test_zscore_rejects_moderate_direction() -> None:
    with pytest.raises(ValueError, match="moderate_to_positive"):
        N.zscore(X4, [1, 0])


# --------------------------------------------------------------------------------------------
# rank
# --------------------------------------------------------------------------------------------


def test_rank_hand_worked_ties_at_minimum() -> None:
    # column 0: 2, 4, 4, 10 -> competition ranks 1, 2, 2, 4 -> (r - 1)/(4 - 1) = 0, 1/3, 1/3, 1
    # column 1 (negative, n = 3 non-missing): 8 is worst (rank 1), 6 rank 2, 2 best (rank 3)
    #   -> 0, 1/2, 1, missing
    expected = np.array([[0.0, 0.0], [1 / 3, 0.5], [1 / 3, 1.0], [1.0, nan]])
    assert_allclose(N.rank(X4, D4), expected, atol=1e-15)


def test_rank_matches_pandas_min_method() -> None:
    # independent implementation: pandas' rank(method="min") on each column
    rng = np.random.default_rng(7)
    X = rng.integers(0, 6, size=(30, 3)).astype(float)
    X[rng.random(X.shape) < 0.2] = nan
    Y = N.rank(X, [1, -1, 1])
    df = pd.DataFrame(X * [1, -1, 1])
    r = df.rank(method="min")
    expected = (r - 1) / (df.count() - 1)
    assert_allclose(Y, expected.to_numpy(), atol=1e-15)


def test_rank_constant_column_is_one() -> None:
    with pytest.warns(ConstantColumnWarning):
        Y = N.rank([[3.0], [3.0], [nan]], [1])
    assert_array_equal(Y[:, 0], [1.0, 1.0, nan])


# --------------------------------------------------------------------------------------------
# vector, target, goalposts, fracmax
# --------------------------------------------------------------------------------------------


def test_vector_hand_worked() -> None:
    # column 0: 3, 4 -> norm 5 -> 0.6, 0.8; column 1: 1, missing, 0 -> norm 1
    Y = N.vector([[3.0, 1.0], [4.0, nan], [0.0, 0.0]])
    assert_allclose(Y, [[0.6, 1.0], [0.8, nan], [0.0, 0.0]], atol=1e-15)


def test_vector_zero_column() -> None:
    with pytest.warns(ConstantColumnWarning):
        Y = N.vector([[0.0, 1.0], [0.0, 2.0]])
    assert_array_equal(Y[:, 0], [0.0, 0.0])


def test_target_completion_rates() -> None:
    # positive: x/t = 50/100, 120/100; negative: t/x = 4/8, 4/4 (energy use per GDP vs target)
    X = np.array([[50.0, 8.0], [120.0, 4.0]])
    assert_allclose(N.target(X, [100.0, 4.0], [1, -1]), [[0.5, 0.5], [1.2, 1.0]])
    assert_allclose(N.target(X, [100.0, 4.0], [1, -1], cap=1.0), [[0.5, 0.5], [1.0, 1.0]])


def test_target_per_unit_targets_and_missing() -> None:
    X = np.array([[50.0, 8.0], [nan, 4.0]])
    T = np.array([[25.0, 2.0], [100.0, nan]])
    assert_allclose(N.target(X, T, [1, -1]), [[2.0, 0.25], [nan, nan]])


def test_target_errors_name_the_cell() -> None:
    with pytest.raises(ValueError, match=r"unit 1, indicator 0 is 0\.0"):
        N.target([[1.0], [2.0]], [[1.0], [0.0]], [1])
    with pytest.raises(ValueError, match=r"X\[1, 0\] = 0.0 in a negative indicator"):
        N.target([[1.0], [0.0]], [1.0], [-1])


def test_goalposts_hdi_life_expectancy() -> None:
    # UNDP, Human Development Report 2020, Technical notes: life-expectancy goalposts 20 and 85
    # years; index = (LE - 20)/(85 - 20).  LE 72.6 -> 52.6/65; below 20 -> 0; above 85 -> 1.
    Y = N.goalposts([[72.6], [15.0], [90.0]], 20.0, 85.0, [1])
    assert_allclose(Y[:, 0], [52.6 / 65, 0.0, 1.0], rtol=1e-15)


def test_goalposts_negative_and_missing() -> None:
    # negative: (upper - x)/(upper - lower) = (40 - 5)/40 = 0.875, (40 - 50)/40 -> clipped to 0
    Y = N.goalposts([[5.0], [50.0], [nan]], [0.0], [40.0], [-1])
    assert_allclose(Y[:, 0], [0.875, 0.0, nan])
    with pytest.raises(ValueError, match="lower < upper"):
        N.goalposts([[1.0]], [5.0], [5.0], [1])


def test_fracmax_hand_worked() -> None:
    # positive: x/max = 2/4, 4/4; negative: min/x = 2/2, 2/8
    assert_allclose(N.fracmax([[2.0, 2.0], [4.0, 8.0]], [1, -1]), [[0.5, 1.0], [1.0, 0.25]])
    with pytest.raises(ValueError, match=r"X\[0, 0\] = -1.0"):
        N.fracmax([[-1.0], [2.0]], [1])


def test_moderate_to_positive() -> None:
    X = np.array([[1.0, 5.0], [2.0, 9.0], [3.0, nan]])
    X2, d2 = N.moderate_to_positive(X, [-1, 0], [nan, 6.0])
    assert_array_equal(X2, [[1.0, -1.0], [2.0, -3.0], [3.0, nan]])
    assert_array_equal(d2, [-1.0, 1.0])
    assert X2 is not X
    with pytest.raises(ValueError, match="no finite optimum"):
        N.moderate_to_positive(X, [1, 0], [nan, nan])


# --------------------------------------------------------------------------------------------
# treat
# --------------------------------------------------------------------------------------------


def test_skew_kurt_match_pandas() -> None:
    # pandas' Series.skew()/kurt() are an independent implementation of the same estimators
    rng = np.random.default_rng(11)
    for n in (3, 4, 5, 12, 50):
        x = rng.lognormal(size=n)
        sk, ku = N._skew_kurt(x)
        assert sk == pytest.approx(pd_skew(x), rel=1e-12)
        if n >= 4:
            assert ku == pytest.approx(pd_kurt(x), rel=1e-12)
        else:
            assert math.isnan(ku)
            assert math.isnan(pd_kurt(x))
    x = rng.normal(size=20)
    x[[2, 5]] = nan
    sk, ku = N._skew_kurt(x)
    assert sk == pytest.approx(pd_skew(x), rel=1e-12)
    assert ku == pytest.approx(pd_kurt(x), rel=1e-12)


def test_treat_report_skew_kurt_match_pandas() -> None:
    rng = np.random.default_rng(5)
    X = rng.lognormal(sigma=1.5, size=(40, 4))
    X[3, 1] = nan
    Xt, report = N.treat(X)
    for j, col in enumerate(report.columns):
        assert col.skew_before == pytest.approx(pd_skew(X[:, j]), rel=1e-12)
        assert col.kurt_before == pytest.approx(pd_kurt(X[:, j]), rel=1e-12)
        assert col.skew_after == pytest.approx(pd_skew(Xt[:, j]), rel=1e-12)
        assert col.kurt_after == pytest.approx(pd_kurt(Xt[:, j]), rel=1e-12)


def _fails(x: np.ndarray) -> bool:
    """The METHODS.md rule, evaluated with pandas: fail when |skew| >= 2 and kurt >= 3.5."""
    return abs(pd_skew(x)) >= 2.0 and pd_kurt(x) >= 3.5


def test_treat_winsorisation_hand_worked_with_ties() -> None:
    # x = 1, 2, ..., 21, 100, 100, 200 (positive skew, so the top is winsorised)
    #   step 0: fails (checked with pandas below)
    #   step 1: the maximum 200 -> next value inward, 100; now three cells hold 100; still fails
    #   step 2: the three tied 100s move together to the next value inward, 21; it passes.
    # Cells changed: rows 21, 22, 23 -> 3 points.
    x = np.array([*range(1, 22), 100.0, 100.0, 200.0])
    step1 = np.array([*range(1, 22), 100.0, 100.0, 100.0])
    step2 = np.array([*range(1, 22), 21.0, 21.0, 21.0])
    assert _fails(x)
    assert _fails(step1)
    assert not _fails(step2)

    Xt, report = N.treat(x[:, None])
    assert_array_equal(Xt[:, 0], step2)
    col = report.columns[0]
    assert col.action == "winsorised"
    assert col.points == 3
    assert col.passes
    assert col.changes == ((21, 0, 100.0, 21.0), (22, 0, 100.0, 21.0), (23, 0, 200.0, 21.0))
    assert report.changes == col.changes
    assert report.treated == (0,)


def test_treat_negative_skew_winsorises_the_minimum() -> None:
    # the mirror image of the previous column: the minimum is pulled up
    x = -np.array([*range(1, 22), 100.0, 100.0, 200.0])
    Xt, report = N.treat(x[:, None])
    assert_array_equal(Xt[:, 0], -np.array([*range(1, 22), 21.0, 21.0, 21.0]))
    assert report.columns[0].points == 3


def test_treat_log_when_five_points_are_not_enough() -> None:
    # x_i = 1.15^i, i = 0..99: a geometric tail.  Winsorising the top 5 values one at a time
    # (each distinct) leaves a column that still fails, so the ORIGINAL column is log-
    # transformed: log(x - min + 0.01 (max - min)).
    x = 1.15 ** np.arange(100.0)
    w = x.copy()
    for _ in range(5):  # hand-rolled winsorisation of the top 5 (independent of treat)
        top = w.max()
        w[w == top] = w[w < top].max()
    assert _fails(x)
    assert _fails(w)
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))

    Xt, report = N.treat(x[:, None])
    col = report.columns[0]
    assert col.action == "log"
    assert col.points == 0
    assert_allclose(Xt[:, 0], expected, rtol=1e-15)
    assert len(col.changes) == 100
    assert col.passes == (not _fails(expected))


def test_treat_max_points_zero_goes_straight_to_log() -> None:
    x = np.array([*range(1, 22), 100.0, 100.0, 200.0])
    _, report = N.treat(x[:, None], max_points=0)
    assert report.columns[0].action == "log"


def test_treat_leaves_passing_short_and_missing_alone() -> None:
    X = np.array(
        [
            [1.0, 5.0, nan],
            [2.0, 1.0, 3.0],
            [3.0, nan, nan],
            [4.0, 2.0, nan],
            [5.0, 1000.0, nan],
        ]
    )
    # column 0 is symmetric; column 1 has 4 values (5, 1, 2, 1000): skew 1.99993 < 2 with
    # kurtosis 3.9998 >= 3.5, so it passes (either condition suffices); column 2 has a single
    # value and cannot be assessed
    assert pd_skew(X[:, 1]) < 2.0
    assert pd_kurt(X[:, 1]) >= 3.5
    Xt, report = N.treat(X)
    assert_array_equal(Xt, X)
    assert [c.action for c in report.columns] == ["none", "none", "none"]
    assert report.changes == ()
    assert math.isnan(report.columns[2].skew_before)


def test_treat_keeps_missing_values_missing() -> None:
    x = np.array([*range(1, 22), 100.0, 100.0, 200.0, nan])
    Xt, _ = N.treat(x[:, None])
    assert np.isnan(Xt[-1, 0])


def test_treat_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="max_points"):
        N.treat([[1.0], [2.0]], max_points=-1)
    with pytest.raises(ValueError, match="skew_max"):
        N.treat([[1.0], [2.0]], skew_max=0.0)
