"""Tests of the weight variants of issue 19: entropy on raw shares (``variant="shares"``) and
AHP's approximate method (``method="approximate"``).

Reference values: hand-worked examples (arithmetic in the comments, exact fractions for AHP),
scikit-criteria's published test value for its ``EntropyWeighter``
(quatrope/scikit-criteria, tests/preprocessing/test_weighters.py,
``test_EntropyWeighter_simple_matrix``: [[1, 2], [4, 16]] -> [0.358889, 0.641111]), and an
independent formula (``scipy.stats.entropy`` in base n, which normalises each column to sum 1
itself, as scikit-criteria does).
"""

from __future__ import annotations

import doctest
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import ConstantColumnWarning
from kaoping.methods import weights as W

nan = np.nan


def scipy_shares(X: np.ndarray) -> np.ndarray:
    """w_j proportional to 1 - H(x_j) / ln n_j, H = scipy's Shannon entropy of x_j / sum x_j."""
    e = np.array([scipy.stats.entropy(c[~np.isnan(c)], base=np.sum(~np.isnan(c))) for c in X.T])
    w: np.ndarray = (1 - e) / (1 - e).sum()
    return w


def test_docstring_examples_of_the_weights_module() -> None:
    # kaoping.methods.weights' examples (entropy shares, AHP approximate, PCA among them)
    result = doctest.testmod(W, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# entropy on raw shares
# --------------------------------------------------------------------------------------------


def test_shares_match_scikit_criteria_published_value() -> None:
    # scikit-criteria's objectives are [min, max]; the raw shares ignore them
    w = W.entropy([[1.0, 2.0], [4.0, 16.0]], [-1, 1], variant="shares")
    assert_allclose(w, [0.358889, 0.641111], atol=1e-6)


def test_shares_hand_worked() -> None:
    # X columns: (1, 1, 2), (0, 1, 1), (2, 2, 2); n = 3
    #   col 0: p = 1/4, 1/4, 1/2; sum p ln p = -(1/2) ln 4 - (1/2) ln 2 = -(3/2) ln 2
    #          e0 = (3/2) ln 2 / ln 3                                          (~0.946395)
    #   col 1: p = 0, 1/2, 1/2 (0 ln 0 = 0); sum p ln p = -ln 2; e1 = ln 2 / ln 3 (~0.630930)
    #   col 2: constant: e2 = 1, weight 0 (with a warning)
    #   w = (1 - e) / sum(1 - e) = (0.053605, 0.369070) / 0.422675     (~0.126823, 0.873177)
    X = np.array([[1.0, 0.0, 2.0], [1.0, 1.0, 2.0], [2.0, 1.0, 2.0]])
    q = math.log(2) / math.log(3)
    d = np.array([1 - 1.5 * q, 1 - q, 0.0])
    with pytest.warns(ConstantColumnWarning) as rec:
        w = W.entropy(X, [1, 1, 1], variant="shares")
    assert rec[0].message.columns == (2,)  # type: ignore[union-attr]
    assert_allclose(w, d / d.sum(), rtol=1e-13)


def test_shares_equal_scipy_entropy_with_missing_values_and_shift() -> None:
    rng = np.random.default_rng(19)
    X = rng.lognormal(size=(40, 5))
    X[rng.random(X.shape) < 0.2] = nan  # each column's n_j is its own count
    assert_allclose(W.entropy(X, np.ones(5), variant="shares"), scipy_shares(X), rtol=1e-12)
    assert_allclose(
        W.entropy(X, np.ones(5), 0.5, variant="shares"), scipy_shares(X + 0.5), rtol=1e-12
    )


def test_shares_ignore_directions_and_differ_from_the_minmax_default() -> None:
    X = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 40.0]])
    a = W.entropy(X, [1, 1], variant="shares")
    assert_array_equal(a, W.entropy(X, [-1, -1], variant="shares"))
    assert_allclose(a, scipy_shares(X), rtol=1e-13)
    # the default normalises first (tests/methods/test_weights.py has its hand-worked value)
    assert not np.allclose(a, W.entropy(X, [1, 1]))


def test_shares_are_the_minmax_default_on_minmax_values() -> None:
    # p = y / sum y with y = minmax(x): the default is the shares variant of the normalised data
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 4))
    Y = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    assert_allclose(W.entropy(Y, np.ones(4), variant="shares"), W.entropy(X, np.ones(4)))


def test_shares_refuse_negative_and_zero_sum_columns() -> None:
    with pytest.raises(ValueError, match=r"column 1 has -2.5 at row 1 \(1 negative value"):
        W.entropy([[1.0, 2.0], [2.0, -2.5]], [1, 1], variant="shares")
    with pytest.raises(ValueError, match="column 0 is 0 for every unit"):
        W.entropy([[0.0, 2.0], [0.0, 3.0]], [1, 1], variant="shares")
    with pytest.raises(ValueError, match="column 0 contains an infinite value"):
        W.entropy([[np.inf, 2.0], [1.0, 3.0]], [1, 1], variant="shares")
    with pytest.raises(ValueError, match=r"variant must be 'minmax'.*got 'raw'"):
        W.entropy([[1.0, 2.0], [2.0, 3.0]], [1, 1], variant="raw")  # type: ignore[arg-type]
    # a missing value is not a negative one
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = W.entropy([[1.0, 2.0], [nan, 3.0], [2.0, 5.0]], [1, 1], variant="shares")
    assert_allclose(w.sum(), 1.0)


def test_shares_single_unit_falls_back_to_equal() -> None:
    with pytest.warns(ConstantColumnWarning, match="single unit"):
        assert_array_equal(W.entropy([[1.0, 2.0]], [1, 1], variant="shares"), [0.5, 0.5])


# --------------------------------------------------------------------------------------------
# AHP, approximate method
# --------------------------------------------------------------------------------------------

A3 = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])


def test_ahp_approximate_hand_worked_in_fractions() -> None:
    # A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]; column sums 23/15, 13/3, 9.
    # Normalised columns, then row means:
    #   w1 = (15/23 + 9/13 + 5/9) / 3 = 5113/8073      (~0.633346)
    #   w2 = (5/23 + 3/13 + 3/9) / 3  = 701/2691       (~0.260498)
    #   w3 = (3/23 + 1/13 + 1/9) / 3  = 857/8073       (~0.106156)
    # A w = (15707/8073, 19135/24219, 187/585); lambda = mean((A w)_i / w_i) (~3.038715)
    # CI = (lambda - 3) / 2 (~0.019357), CR = CI / 0.58 (~0.033375)
    F = Fraction
    A = [[F(1), F(3), F(5)], [F(1, 3), F(1), F(3)], [F(1, 5), F(1, 3), F(1)]]
    w = [F(5113, 8073), F(701, 2691), F(857, 8073)]
    Aw = [sum(A[i][j] * w[j] for j in range(3)) for i in range(3)]
    assert Aw == [F(15707, 8073), F(19135, 24219), F(187, 585)]  # the comment's arithmetic
    lam = sum(Aw[i] / w[i] for i in range(3)) / 3
    res = W.ahp(A3, method="approximate")
    assert res.method == "approximate"
    assert_allclose(res.weights, [float(v) for v in w], rtol=1e-14)
    assert res.lambda_max == pytest.approx(float(lam), rel=1e-14)
    assert res.ci == pytest.approx(float((lam - 3) / 2), rel=1e-12)
    assert res.cr == pytest.approx(float((lam - 3) / 2) / 0.58, rel=1e-12)
    assert res.consistent
    # beside the eigenvector (0.637, 0.2583, 0.1047; lambda 3.0385, test_weights.py)
    eig = W.ahp(A3)
    assert eig.method == "eigenvector"
    assert np.abs(res.weights - eig.weights).max() < 0.005


def test_ahp_methods_agree_exactly_on_a_consistent_matrix() -> None:
    v = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    A = v[:, None] / v[None, :]
    approx = W.ahp(A, method="approximate")
    assert_allclose(approx.weights, v, rtol=1e-14)
    assert_allclose(approx.weights, W.ahp(A).weights, rtol=1e-12)
    assert approx.lambda_max == pytest.approx(5.0, rel=1e-14)
    assert approx.cr == pytest.approx(0.0, abs=1e-13)


def test_ahp_approximate_on_saaty_wealth_of_nations() -> None:
    # Saaty's 7x7 wealth matrix (test_weights.WEALTH): the approximation's lambda estimate is
    # never below n, and its CI is the same formula on that estimate
    from .test_weights import WEALTH

    res = W.ahp(WEALTH, method="approximate")
    col = WEALTH / WEALTH.sum(axis=0)
    w = col.mean(axis=1)
    assert_allclose(res.weights, w, rtol=1e-14)
    lam = float(np.mean(WEALTH @ w / w))
    assert res.lambda_max == pytest.approx(lam, rel=1e-14)
    assert res.lambda_max >= 7
    assert res.cr == pytest.approx((lam - 7) / 6 / 1.32, rel=1e-12)


def test_ahp_approximate_strict_and_small_and_bad_method() -> None:
    cyclic = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert not W.ahp(cyclic, method="approximate").consistent
    with pytest.raises(ValueError, match="inconsistent: CR = "):
        W.ahp(cyclic, method="approximate", strict=True)
    two = W.ahp([[1.0, 3.0], [1 / 3, 1.0]], method="approximate")
    assert_allclose(two.weights, [0.75, 0.25], rtol=1e-15)
    assert (two.lambda_max, two.cr) == (2.0, 0.0)
    with pytest.raises(ValueError, match=r"method must be 'eigenvector'.*got 'geometric'"):
        W.ahp(A3, method="geometric")  # type: ignore[arg-type]
