"""Tests of kaoping.methods.aggregate.

Reference values come from hand-worked examples (the working is in the comments), from
Hwang & Yoon's (1981) published TOPSIS example, and from straightforward NumPy implementations
of the textbook formulas written here independently of the fused kernels.
"""

from __future__ import annotations

import doctest
import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import ConstantColumnWarning, aggregate
from kaoping.methods.aggregate import (
    arithmetic,
    copeland,
    generalized,
    geometric,
    gra,
    harmonic,
    topsis,
    vikor,
    vikor_sqr,
)

NAN = np.nan


def test_docstring_examples_run() -> None:
    result = doctest.testmod(aggregate, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# weighted means
# --------------------------------------------------------------------------------------------

# Hand-worked example used by several tests, weights w = (0.5, 0.3, 0.2):
#   unit 0: 0.5*0.2 + 0.3*0.8 + 0.2*0.5 = 0.10 + 0.24 + 0.10 = 0.44
#   unit 1: 0.5*1.0 + 0.3*0.0 + 0.2*0.5 = 0.50 + 0.00 + 0.10 = 0.60
#   unit 2: indicator 2 missing.  skipna=False -> NaN.  skipna=True: available weight
#           0.5 + 0.2 = 0.7, (0.5*0.4 + 0.2*0.6) / 0.7 = 0.32 / 0.7 = 0.457142857...
#   unit 3: everything missing -> NaN in every mode.
Y_MEANS = np.array(
    [
        [0.2, 0.8, 0.5],
        [1.0, 0.0, 0.5],
        [0.4, NAN, 0.6],
        [NAN, NAN, NAN],
    ]
)
W_MEANS = np.array([0.5, 0.3, 0.2])


def test_arithmetic_hand_worked_without_missing_values() -> None:
    assert_allclose(arithmetic(Y_MEANS[:2], W_MEANS), [0.44, 0.60], rtol=1e-15)


def test_arithmetic_missing_value_gives_nan_by_default() -> None:
    assert_allclose(arithmetic(Y_MEANS, W_MEANS), [0.44, 0.60, NAN, NAN], rtol=1e-15)


def test_arithmetic_skipna_rescales_weights_over_available_indicators() -> None:
    expected = [0.44, 0.60, 0.32 / 0.7, NAN]
    assert_allclose(arithmetic(Y_MEANS, W_MEANS, skipna=True), expected, rtol=1e-15)


def test_arithmetic_min_share() -> None:
    # unit 2 has exactly 0.7 of the weight: 0.5 + 0.2 in floating point must still count as 0.7
    kept = arithmetic(Y_MEANS, W_MEANS, skipna=True, min_share=0.7)
    assert_allclose(kept, [0.44, 0.60, 0.32 / 0.7, NAN], rtol=1e-15)
    dropped = arithmetic(Y_MEANS, W_MEANS, skipna=True, min_share=0.75)
    assert_allclose(dropped, [0.44, 0.60, NAN, NAN], rtol=1e-15)


def test_arithmetic_skipna_keeps_total_weight_when_weights_do_not_sum_to_one() -> None:
    # w = (2, 2): complete unit 2*1 + 2*3 = 8; unit with one value 4: rescaled weight 4 -> 16.
    assert_allclose(arithmetic([[1.0, 3.0], [4.0, NAN]], [2.0, 2.0], skipna=True), [8.0, 16.0])


def test_arithmetic_batch_of_weights() -> None:
    # second weight vector equal thirds: unit 0 (0.2+0.8+0.5)/3 = 0.5, unit 1 (1+0+0.5)/3 = 0.5
    W = np.array([W_MEANS, [1 / 3, 1 / 3, 1 / 3]])
    out = arithmetic(Y_MEANS[:2], W)
    assert out.shape == (2, 2)
    assert_allclose(out, [[0.44, 0.60], [0.5, 0.5]], rtol=1e-15)


@pytest.mark.parametrize("func", [arithmetic, geometric, harmonic])
@pytest.mark.parametrize("skipna", [False, True])
def test_batch_equals_one_weight_vector_at_a_time(
    func: Callable[..., np.ndarray], skipna: bool
) -> None:
    rng = np.random.default_rng(1)
    Y = rng.uniform(1, 100, size=(30, 6))
    Y[rng.random(Y.shape) < 0.1] = NAN
    W = rng.dirichlet(np.ones(6), size=7)
    batch = func(Y, W, skipna=skipna, min_share=0.6)
    loop = np.stack([func(Y, w, skipna=skipna, min_share=0.6) for w in W])
    assert_allclose(batch, loop, rtol=1e-13)


def test_geometric_hand_worked() -> None:
    # (1*100)^(1/2) = 10;  (4*16)^(1/2) = 8;  16^(1/4) * 1^(3/4) = 2 with w = (0.25, 0.75)
    assert_allclose(geometric([[1.0, 100.0], [4.0, 16.0]], [0.5, 0.5]), [10.0, 8.0], rtol=1e-14)
    assert_allclose(geometric([[16.0, 1.0]], [0.25, 0.75]), [2.0], rtol=1e-14)


def test_geometric_with_missing_values() -> None:
    # w = (0.5, 0.25, 0.25), middle value missing: available 0.75, rescaled exponents
    # (2/3, 1/3):  2^(2/3) * 8^(1/3) = 2^(2/3) * 2 = 2^(5/3) = 3.1748021...
    Y = [[2.0, NAN, 8.0]]
    w = [0.5, 0.25, 0.25]
    assert_allclose(geometric(Y, w), [NAN])
    assert_allclose(geometric(Y, w, skipna=True), [2 ** (5 / 3)], rtol=1e-14)
    assert_allclose(geometric(Y, w, skipna=True, min_share=0.8), [NAN])


def test_geometric_rejects_non_positive_values_and_says_where() -> None:
    Y = [[1.0, 2.0], [0.0, 3.0], [4.0, -1.0]]
    with pytest.raises(ValueError, match=r"geometric mean needs positive values") as err:
        geometric(Y, [0.5, 0.5])
    message = str(err.value)
    assert "normalise to a range such as [1, 100]" in message
    assert "2 value(s)" in message
    assert "row 1, column 0" in message


def test_harmonic_hand_worked() -> None:
    # 1 / (0.5/1 + 0.5/4) = 1 / 0.625 = 1.6;  1 / ((1/2 + 1/6 + 1/3) / 3) = 1 / (1/3) = 3
    assert_allclose(harmonic([[1.0, 4.0]], [0.5, 0.5]), [1.6], rtol=1e-15)
    assert_allclose(harmonic([[2.0, 6.0, 3.0]], [1 / 3, 1 / 3, 1 / 3]), [3.0], rtol=1e-14)


def test_harmonic_with_missing_values() -> None:
    # w = (0.2, 0.4, 0.4), first missing: rescaled (0.5, 0.5) on (4, 1): 1/(0.125 + 0.5) = 1.6
    Y = [[NAN, 4.0, 1.0]]
    assert_allclose(harmonic(Y, [0.2, 0.4, 0.4]), [NAN])
    assert_allclose(harmonic(Y, [0.2, 0.4, 0.4], skipna=True), [1.6], rtol=1e-14)


def test_harmonic_rejects_non_positive_values() -> None:
    with pytest.raises(ValueError, match=r"harmonic mean needs positive values"):
        harmonic([[1.0, 0.0]], [0.5, 0.5])


def test_generalized_hand_worked() -> None:
    # p = 2: sqrt((9 + 16) / 2) = sqrt(12.5) = 3.5355339...
    assert_allclose(generalized([[3.0, 4.0]], [0.5, 0.5], p=2), [np.sqrt(12.5)], rtol=1e-15)
    # p = 3, first value missing, equal weights: rescaled (1/2, 1/2) on (1, 2):
    # (0.5 * 1 + 0.5 * 8)^(1/3) = 4.5^(1/3) = 1.6509636...
    out = generalized([[NAN, 1.0, 2.0]], [1 / 3, 1 / 3, 1 / 3], p=3, skipna=True)
    assert_allclose(out, [4.5 ** (1 / 3)], rtol=1e-14)


def test_generalized_special_orders_are_the_named_means() -> None:
    Y = [[1.0, 4.0], [1.0, 100.0]]
    w = [0.5, 0.5]
    # hand values: arithmetic 2.5, 50.5; geometric 2, 10; harmonic 1.6, 1/(0.5 + 0.005)
    assert_allclose(generalized(Y, w, p=1), [2.5, 50.5], rtol=1e-15)
    assert_allclose(generalized(Y, w, p=0), [2.0, 10.0], rtol=1e-14)
    assert_allclose(generalized(Y, w, p=-1), [1.6, 1 / 0.505], rtol=1e-14)


def test_generalized_domain_errors() -> None:
    with pytest.raises(ValueError, match="finite"):
        generalized([[1.0]], [1.0], p=np.inf)
    with pytest.raises(ValueError, match=r"p = -2 needs positive values"):
        generalized([[0.0, 1.0]], [0.5, 0.5], p=-2)
    with pytest.raises(ValueError, match=r"p = 2 needs non-negative values"):
        generalized([[-1.0, 1.0]], [0.5, 0.5], p=2)
    # zeros are fine for p > 0: (0.5 * 0 + 0.5 * 4)^(1/2) = sqrt(2)
    assert_allclose(generalized([[0.0, 2.0]], [0.5, 0.5], p=2), [np.sqrt(2.0)])


def test_shape_errors_say_what_was_received() -> None:
    with pytest.raises(ValueError, match=r"m = 3.*got shape \(2,\)"):
        arithmetic(Y_MEANS, [0.5, 0.5])
    with pytest.raises(ValueError, match=r"2-D array.*shape \(3,\)"):
        arithmetic([0.1, 0.2, 0.3], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="min_share"):
        arithmetic(Y_MEANS, W_MEANS, skipna=True, min_share=1.5)


# --------------------------------------------------------------------------------------------
# TOPSIS
# --------------------------------------------------------------------------------------------

# Hwang C.-L., Yoon K. (1981), Multiple Attribute Decision Making: Methods and Applications,
# Springer, pp. 133-134: buying a fighter aircraft.  Criteria: maximum speed (Mach), ferry
# range (NM), maximum payload (lbs), acquisition cost ($10^6, the only cost criterion),
# reliability, maneuverability; weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3).
HY_X = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
HY_W = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
HY_D = np.array([1, 1, 1, -1, 1, 1])
# Published separation measures (4 decimals) and relative closeness (3 decimals).
HY_D_PLUS = [0.0545, 0.1197, 0.0580, 0.1009]
HY_D_MINUS = [0.0983, 0.0439, 0.0920, 0.0458]
HY_C = [0.643, 0.268, 0.613, 0.312]


Normalization = Literal["vector", "minmax"]


def _reference_topsis(
    X: np.ndarray, w: np.ndarray, d: np.ndarray, normalization: Normalization = "vector"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Textbook TOPSIS, step by step in normalised space (NaN-aware column statistics)."""
    if normalization == "vector":
        R = X / np.sqrt(np.nansum(X**2, axis=0))
    else:
        lo, hi = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
        R = np.where(d > 0, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
        d = np.ones_like(d)  # after min-max every column is "higher is better"
    V = R * w
    ideal = np.where(d > 0, np.nanmax(V, axis=0), np.nanmin(V, axis=0))
    anti = np.where(d > 0, np.nanmin(V, axis=0), np.nanmax(V, axis=0))
    d_plus = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((V - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus), d_plus, d_minus


def test_reference_topsis_reproduces_hwang_yoon_intermediate_values() -> None:
    # Validates the test's own reference against the book: distances printed to 4 decimals
    # and computed from a 4-decimal normalised matrix, so they agree to about 1e-4.
    _, d_plus, d_minus = _reference_topsis(HY_X, HY_W, HY_D)
    assert_allclose(d_plus, HY_D_PLUS, atol=1.5e-4)
    assert_allclose(d_minus, HY_D_MINUS, atol=1.5e-4)


def test_topsis_hwang_yoon_fighter_aircraft() -> None:
    # Closeness printed to 3 decimals from rounded intermediates (e.g. A3: exact 0.61354,
    # printed 0.613), hence atol 1e-3.  Ranking A1 > A3 > A4 > A2 as in the book.
    C = topsis(HY_X, HY_W, HY_D)
    assert_allclose(C, HY_C, atol=1e-3)
    assert_array_equal(np.argsort(-C), [0, 2, 3, 1])


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_topsis_matches_textbook_numpy_reference(normalization: Normalization) -> None:
    rng = np.random.default_rng(7)
    # 40,000 rows: above the size where the kernels go parallel, ten chunks of rows.
    X = rng.lognormal(mean=1.0, sigma=1.0, size=(40_000, 9))
    X[:, 3] -= 2.0  # negative values are fine for both normalisations
    d = np.array([1, -1, 1, 1, -1, 1, 1, 1, -1])
    w = rng.dirichlet(np.ones(9))
    expected, _, _ = _reference_topsis(X, w, d, normalization)
    assert_allclose(topsis(X, w, d, normalization=normalization), expected, rtol=1e-12)


def test_topsis_minmax_hand_worked() -> None:
    # X = [[1, 10], [2, 30], [3, 20]], w = (0.5, 0.5), directions (+1, -1).
    # min-max: column 1 (x - 1)/2 -> (0, 0.5, 1); column 2 (30 - x)/20 -> (1, 0, 0.5).
    # V = R/2; ideal (0.5, 0.5), anti-ideal (0, 0).
    # unit 0: D+ = 0.5, D- = 0.5, C = 0.5
    # unit 1: D+ = sqrt(0.25^2 + 0.5^2) = 0.559017, D- = 0.25, C = 0.25/0.809017 = 0.309017
    # unit 2: D+ = 0.25, D- = 0.559017, C = 0.690983
    C = topsis([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]], [0.5, 0.5], [1, -1], "minmax")
    d = np.sqrt(0.25**2 + 0.5**2)
    assert_allclose(C, [0.5, 0.25 / (0.25 + d), d / (0.25 + d)], rtol=1e-14)


def test_topsis_batch_of_weights_equals_loop() -> None:
    rng = np.random.default_rng(3)
    X = rng.random((500, 6))
    W = rng.dirichlet(np.ones(6), size=25)
    d = np.array([1, 1, -1, 1, -1, 1])
    batch = topsis(X, W, d)
    assert batch.shape == (25, 500)
    assert_allclose(batch, np.stack([topsis(X, w, d) for w in W]), rtol=1e-14)


def test_topsis_missing_value_gives_nan_and_statistics_use_the_other_values() -> None:
    rng = np.random.default_rng(5)
    X = rng.random((50, 4)) + 0.5
    w = np.array([0.4, 0.3, 0.2, 0.1])
    d = np.array([1, -1, 1, 1])
    X[[3, 17], [1, 2]] = NAN
    C = topsis(X, w, d)
    assert np.isnan(C[[3, 17]]).all()
    assert not np.isnan(np.delete(C, [3, 17])).any()
    expected, _, _ = _reference_topsis(X, w, d)  # nansum / nanmax column statistics
    assert_allclose(C, expected, rtol=1e-12)


def test_serial_and_parallel_kernels_agree_bit_for_bit() -> None:
    # Same fixed row chunks on one thread or many: results do not depend on the machine.
    rng = np.random.default_rng(12)
    X = rng.random((20_000, 7))
    X[5, 3] = NAN
    stats_serial = aggregate._column_stats_serial(X)
    stats_parallel = aggregate._column_stats_parallel(X)
    for a, b in zip(stats_serial, stats_parallel, strict=True):
        assert_array_equal(a, b)
    c2 = rng.random((3, 7))
    best, worst = stats_serial[2], stats_serial[1]
    assert_array_equal(
        aggregate._topsis_rows_serial(X, c2, best, worst),
        aggregate._topsis_rows_parallel(X, c2, best, worst),
    )


def test_topsis_fortran_ordered_input_gives_the_same_scores() -> None:
    rng = np.random.default_rng(11)
    X = rng.random((1000, 5))
    w = np.full(5, 0.2)
    d = np.array([1, -1, 1, 1, -1])
    assert_allclose(topsis(np.asfortranarray(X), w, d), topsis(X, w, d), rtol=1e-15)


def test_topsis_constant_column_warns_and_contributes_nothing() -> None:
    rng = np.random.default_rng(2)
    X = rng.random((20, 3))
    X[:, 1] = 7.0
    w = np.array([0.5, 0.2, 0.3])
    d = np.array([1, 1, -1])
    with pytest.warns(ConstantColumnWarning, match=r"\[1\]") as record:
        C = topsis(X, w, d)
    assert record[0].message.columns == (1,)  # type: ignore[union-attr]
    # Dropping the column gives the same distances, hence the same closeness.
    assert_allclose(C, topsis(X[:, [0, 2]], w[[0, 2]], d[[0, 2]]), rtol=1e-14)


def test_topsis_all_columns_constant_gives_a_tie_at_one_half() -> None:
    with pytest.warns(ConstantColumnWarning):
        C = topsis(np.ones((4, 2)), [0.5, 0.5], [1, -1])
    assert_array_equal(C, [0.5] * 4)


def test_topsis_argument_errors() -> None:
    with pytest.raises(ValueError, match="moderate_to_positive"):
        topsis(HY_X, HY_W, [1, 1, 1, 0, 1, 1])
    with pytest.raises(ValueError, match="normalization must be"):
        topsis(HY_X, HY_W, HY_D, normalization="zscore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"one entry per indicator column \(m = 6\)"):
        topsis(HY_X, HY_W, [1, -1])


# --------------------------------------------------------------------------------------------
# GRA
# --------------------------------------------------------------------------------------------


def test_gra_hand_worked_3x2() -> None:
    # X = [[1, 3], [2, 1], [3, 2]], directions (+1, -1), w = (0.6, 0.4).
    # min-max: column 1 (x - 1)/2 -> (0, 0.5, 1); column 2 negative (3 - x)/2 -> (0, 1, 0.5).
    # delta = 1 - y: column 1 (1, 0.5, 0), column 2 (1, 0, 0.5); dmin = 0, dmax = 1.
    # rho = 0.5: xi = (0 + 0.5)/(delta + 0.5): delta 1 -> 1/3, 0.5 -> 1/2, 0 -> 1.
    #   unit 0: 0.6/3 + 0.4/3 = 1/3;  unit 1: 0.6*0.5 + 0.4*1 = 0.7;  unit 2: 0.6 + 0.4*0.5 = 0.8
    # rho = 1: xi = 1/(delta + 1): delta 1 -> 1/2, 0.5 -> 2/3, 0 -> 1.
    #   unit 0: 0.5;  unit 1: 0.6*2/3 + 0.4 = 0.8;  unit 2: 0.6 + 0.4*2/3 = 0.866667
    X = [[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]]
    assert_allclose(gra(X, [0.6, 0.4], [1, -1]), [1 / 3, 0.7, 0.8], rtol=1e-14)
    assert_allclose(gra(X, [0.6, 0.4], [1, -1], rho=1.0), [0.5, 0.8, 0.6 + 0.8 / 3], rtol=1e-14)


def test_gra_missing_values() -> None:
    X = np.array([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0], [NAN, NAN], [2.0, NAN]])
    out = gra(X, [0.6, 0.4], [1, -1])
    assert np.isnan(out[3:]).all()
    # The partially missing unit (2, NaN) does not move any minimum or maximum, so the complete
    # units keep their hand-worked grades.
    assert_allclose(out[:3], [1 / 3, 0.7, 0.8], rtol=1e-14)


def test_gra_batch_and_constant_column() -> None:
    X = np.array([[1.0, 3.0, 5.0], [2.0, 1.0, 5.0], [3.0, 2.0, 5.0]])
    W = np.array([[0.6, 0.4, 0.0], [0.3, 0.2, 0.5]])
    with pytest.warns(ConstantColumnWarning):
        out = gra(X, W, [1, -1, 1])
    # column 3 is constant: y = 1, xi = 1 for everyone; second weighting = half the first
    # weighting's grade + 0.5
    assert_allclose(out[0], [1 / 3, 0.7, 0.8], rtol=1e-14)
    assert_allclose(out[1], 0.5 * np.array([1 / 3, 0.7, 0.8]) + 0.5, rtol=1e-14)


def test_gra_rejects_bad_rho() -> None:
    with pytest.raises(ValueError, match=r"rho .* \(0, 1\]"):
        gra([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], [1, 1], rho=0.0)


# --------------------------------------------------------------------------------------------
# VIKOR
# --------------------------------------------------------------------------------------------

# Hand-worked VIKOR (Opricovic & Tzeng 2004, section 2 steps), directions (+1, -1),
# w = (0.6, 0.4), v = 0.5:
#   X = [[1, 3], [2, 1], [3, 2], [2.5, 2.5]]
#   step 1: column 1 best f* = 3, worst f- = 1; column 2 (cost) best 1, worst 3.
#   normalised regrets (f* - f)/(f* - f-): column 1 (1, 0.5, 0, 0.25);
#                                          column 2 (1, 0, 0.5, 0.75).
#   step 2: S = 0.6 r1 + 0.4 r2 = (1.0, 0.3, 0.2, 0.45)
#           R = max(0.6 r1, 0.4 r2) = (0.6, 0.3, 0.2, 0.3)
#   step 3: S* = 0.2, S- = 1.0, R* = 0.2, R- = 0.6
#           Q = 0.5 (S - 0.2)/0.8 + 0.5 (R - 0.2)/0.4
#             = (0.5 + 0.5, 0.0625 + 0.125, 0, 0.15625 + 0.125) = (1, 0.1875, 0, 0.28125)
VK_X = np.array([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0], [2.5, 2.5]])
VK_W = np.array([0.6, 0.4])
VK_D = np.array([1, -1])


def test_vikor_hand_worked_s_r_q() -> None:
    S, R, Q = vikor_sqr(VK_X, VK_W, VK_D)
    assert_allclose(S, [1.0, 0.3, 0.2, 0.45], rtol=1e-14)
    assert_allclose(R, [0.6, 0.3, 0.2, 0.3], rtol=1e-14)
    assert_allclose(Q, [1.0, 0.1875, 0.0, 0.28125], rtol=1e-14, atol=1e-15)
    assert_allclose(vikor(VK_X, VK_W, VK_D), [0.0, 0.8125, 1.0, 0.71875], rtol=1e-14)


def test_vikor_extreme_v() -> None:
    # v = 1: Q = (S - 0.2)/0.8 = (1, 0.125, 0, 0.3125); v = 0: Q = (R - 0.2)/0.4 = (1, .25, 0, .25)
    assert_allclose(vikor_sqr(VK_X, VK_W, VK_D, v=1.0)[2], [1, 0.125, 0, 0.3125], atol=1e-15)
    assert_allclose(vikor_sqr(VK_X, VK_W, VK_D, v=0.0)[2], [1, 0.25, 0, 0.25], atol=1e-15)


def test_vikor_missing_values_and_batch() -> None:
    X = np.vstack([VK_X, [[2.0, NAN]]])  # does not move any best or worst value
    W = np.array([VK_W, [0.5, 0.5]])
    S, R, Q = vikor_sqr(X, W, VK_D)
    assert np.isnan([S[0, 4], R[0, 4], Q[0, 4], Q[1, 4]]).all()
    assert_allclose(Q[0, :4], [1.0, 0.1875, 0.0, 0.28125], atol=1e-15)
    # second weighting (0.5, 0.5): S = (1, 0.25, 0.25, 0.5), R = (0.5, 0.25, 0.25, 0.375)
    # Q = 0.5 (S - 0.25)/0.75 + 0.5 (R - 0.25)/0.25 = (1, 0, 0, 1/6 + 1/4)
    assert_allclose(Q[1, :4], [1.0, 0.0, 0.0, 1 / 6 + 1 / 4], atol=1e-15)


def test_vikor_all_units_equal_in_s_and_r_gives_zero_q() -> None:
    # Two units mirror each other: S = R = (0.5, 0.5): both denominators are zero, Q = 0.
    S, R, Q = vikor_sqr([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], [1, 1])
    assert_allclose(S, [0.5, 0.5])
    assert_allclose(R, [0.5, 0.5])
    assert_array_equal(Q, [0.0, 0.0])


def test_vikor_rejects_bad_v() -> None:
    with pytest.raises(ValueError, match=r"v .* \[0, 1\]"):
        vikor(VK_X, VK_W, VK_D, v=1.5)


# --------------------------------------------------------------------------------------------
# Copeland
# --------------------------------------------------------------------------------------------


def _reference_copeland(Y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The formula of METHODS.md with the full (n, n) outranking matrix; tolerance 1e-9."""
    gt = (Y[:, None, :] > Y[None, :, :]).astype(float)
    eq = (Y[:, None, :] == Y[None, :, :]).astype(float)
    o = gt @ w + 0.5 * (eq @ w)
    np.fill_diagonal(o, 0.5)
    score: np.ndarray = (o > 0.5 + 1e-9).sum(axis=1) - (o < 0.5 - 1e-9).sum(axis=1)
    return score


def test_copeland_hand_worked_three_units() -> None:
    # A = (3, 1, 2), B = (2, 2, 2), C = (1, 3, 1).
    # w = (0.5, 0.3, 0.2):
    #   o_AB = 0.5 [A better on 1] + 0.5*0.2 [equal on 3] = 0.6 > 1/2: A beats B
    #   o_AC = 0.5 + 0.2 = 0.7: A beats C;  o_BC = 0.5 + 0.2 = 0.7: B beats C
    #   scores: A 2 - 0 = 2, B 1 - 1 = 0, C 0 - 2 = -2
    # w = (0.4, 0.4, 0.2):
    #   o_AB = 0.4 + 0.5*0.2 = 0.5: a tie, counted neither way
    #   o_AC = 0.4 + 0.2 = 0.6, o_BC = 0.4 + 0.2 = 0.6
    #   scores: A 1, B 1, C -2
    Y = np.array([[3.0, 1.0, 2.0], [2.0, 2.0, 2.0], [1.0, 3.0, 1.0]])
    assert_array_equal(copeland(Y, [0.5, 0.3, 0.2]), [2.0, 0.0, -2.0])
    assert_array_equal(copeland(Y, [0.4, 0.4, 0.2]), [1.0, 1.0, -2.0])


def test_copeland_condorcet_cycle_scores_zero() -> None:
    # A = (1, 2, 3), B = (2, 3, 1), C = (3, 1, 2), equal weights: B beats A (2 of 3 criteria),
    # C beats B, A beats C: one win and one loss each.
    Y = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 1.0], [3.0, 1.0, 2.0]])
    assert_array_equal(copeland(Y, [1 / 3, 1 / 3, 1 / 3]), [0.0, 0.0, 0.0])


def test_copeland_rounding_in_weight_sums_is_a_tie() -> None:
    # A wins on weights 0.1 and 0.4, B on 0.2 and 0.3: exactly half each, whatever the rounding.
    Y = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]])
    assert_array_equal(copeland(Y, [0.1, 0.2, 0.3, 0.4]), [0.0, 0.0])


def test_copeland_matches_reference_formula_with_ties_and_batch() -> None:
    rng = np.random.default_rng(4)
    Y = rng.integers(0, 4, size=(120, 5)).astype(float)  # many equal values
    W = rng.dirichlet(np.ones(5), size=3)
    W[0] = [0.2] * 5  # many exact half-half duels
    out = copeland(Y, W)
    for r in range(3):
        assert_array_equal(out[r], _reference_copeland(Y, W[r]))


def test_copeland_missing_unit_is_left_out() -> None:
    rng = np.random.default_rng(8)
    Y = rng.random((30, 4))
    w = np.full(4, 0.25)
    Y_missing = np.insert(Y, 5, [0.5, NAN, 0.5, 0.5], axis=0)
    out = copeland(Y_missing, w)
    assert np.isnan(out[5])
    assert_array_equal(np.delete(out, 5), copeland(Y, w))


def test_copeland_on_3000_units_counts_every_duel() -> None:
    # Speed is measured in benchmarks/, not here: this checks the blocked kernel at full size.
    rng = np.random.default_rng(9)
    Y = rng.random((3000, 100))
    w = rng.dirichlet(np.ones(100))
    out = copeland(Y, w)
    # With continuous random data every one of a unit's 2999 duels is decided, so its score
    # wins - losses = 2 wins - 2999 is odd, within +-2999; and wins and losses cancel overall.
    assert (out % 2 == 1).all()
    assert np.abs(out).max() <= 2999
    assert out.sum() == 0


def test_no_warning_on_clean_input() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((10, 3)) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outs = [
            topsis(X, [0.2, 0.3, 0.5], [1, -1, 1]),
            gra(X, [0.2, 0.3, 0.5], [1, -1, 1]),
            vikor(X, [0.2, 0.3, 0.5], [1, -1, 1]),
            geometric(X, [0.2, 0.3, 0.5]),
        ]
    assert all(np.isfinite(o).all() and o.shape == (10,) for o in outs)
