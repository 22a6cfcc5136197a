"""Tests of kaoping.methods.weights.pca (PCA weights, the "cn" and "coinr" conventions).

Reference values: a closed form worked by hand (two indicators with correlation r), an
independent implementation (scikit-learn's ``PCA`` on the z-scores, whose components and
explained variances come from its own SVD), and the definition of SPSS's component matrix
(成分矩阵) as the correlations between each indicator and each component's scores.

Not checked: equality to COINr's ``get_PCA`` on its ASEM example.  COINr's code (R/PCA.R) was
read -- ``prcomp(x, center = TRUE, scale = TRUE)$rotation[, 1]`` after ``na.omit`` -- but the
ASEM data are R data not readable here and no printed PCA weights of ASEM were found; the
"coinr" convention is therefore tested against scikit-learn's first component, which is the
same eigenvector up to its sign.  Likewise no printed Chinese worked example of 主成分分析法
weights was available; the "cn" convention is tested against the formula of METHODS.md written
independently on scikit-learn's decomposition.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.decomposition import PCA

from kaoping.errors import KaopingWarning
from kaoping.methods import ConstantColumnWarning
from kaoping.methods import weights as W

nan = np.nan

# six units, four indicators: two eigenvalues above 1 (the pca docstring's example)
X6 = np.array(
    [[1, 2, 3, 1], [2, 3, 1, 2], [3, 3, 2, 4], [4, 5, 5, 3], [5, 4, 4, 5], [6, 6, 2, 2]],
    dtype=np.float64,
)


def sklearn_reference(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors (rows) of the correlation matrix, by scikit-learn's PCA on
    the z-scores (ddof=1, so its explained_variance_ are the correlation eigenvalues), each
    eigenvector turned to a positive sum of entries (the convention pca documents)."""
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    fit = PCA().fit(Z)
    E = fit.components_.copy()
    E[E.sum(axis=1) < 0] *= -1
    return fit.explained_variance_, E


def cn_reference(X: np.ndarray, k: int) -> np.ndarray:
    """METHODS.md's 主成分分析法 on scikit-learn's decomposition: c_jk = a_jk / sqrt(lambda_k)
    with a the component matrix, b_j = sum_k c_jk lambda_k / sum_k lambda_k, w = |b| / sum |b|."""
    lam, E = sklearn_reference(X)
    a = E[:k].T * np.sqrt(lam[:k])  # SPSS's component matrix
    c = a / np.sqrt(lam[:k])
    b = (c * lam[:k]).sum(axis=1) / lam[:k].sum()
    w: np.ndarray = np.abs(b) / np.abs(b).sum()
    return w


@pytest.mark.parametrize("r", [0.2, 0.6, 0.9])
def test_two_indicators_closed_form(r: float) -> None:
    # Two indicators with correlation r > 0: R = [[1, r], [r, 1]], eigenvalues 1 + r and 1 - r,
    # eigenvectors (1, 1)/sqrt 2 and (1, -1)/sqrt 2 (sum 0: its largest entry, the first, is
    # made positive).  Kaiser keeps the first only: b = (1, 1)/sqrt 2, w = (1/2, 1/2).
    # With every component (retain=1.0): b = [(1 + r)(1, 1) + (1 - r)(1, -1)] / (2 sqrt 2)
    #   = (1, r) / sqrt 2, so w = (1, r) / (1 + r).
    # Data with exactly that correlation: x = (1, -1, 1, -1), y = (1, -1, -1, 1) mixed:
    u = np.array([1.0, -1.0, 1.0, -1.0])
    v = np.array([1.0, 1.0, -1.0, -1.0])  # orthogonal to u, same norm, both mean 0
    X = np.column_stack([u, r * u + math.sqrt(1 - r * r) * v])
    res = W.pca(X)
    assert res.k == 1
    assert_allclose(res.eigenvalues, [1 + r, 1 - r], rtol=1e-12)
    assert_allclose(res.weights, [0.5, 0.5], rtol=1e-12)
    full = W.pca(X, retain=1.0)
    assert full.k == 2
    assert_allclose(full.coefficients, np.array([1.0, r]) / math.sqrt(2), rtol=1e-12)
    assert_allclose(full.weights, np.array([1.0, r]) / (1 + r), rtol=1e-12)


def test_cn_matches_scikit_learn_and_the_formula() -> None:
    lam, _ = sklearn_reference(X6)
    res = W.pca(X6)
    assert_allclose(res.eigenvalues, lam, rtol=1e-12)
    assert_allclose(res.explained, lam / 4, rtol=1e-12)
    assert res.k == int((lam > 1).sum()) == 2
    assert_allclose(res.weights, cn_reference(X6, 2), rtol=1e-12)
    assert res.n_used == 6
    assert res.convention == "cn"


def test_coinr_is_the_first_component_in_absolute_value() -> None:
    lam, E = sklearn_reference(X6)
    res = W.pca(X6, convention="coinr")
    assert res.k == 1
    assert_allclose(res.coefficients, E[0], rtol=1e-12)  # COINr's rotation[, 1], up to sign
    assert_allclose(res.weights, np.abs(E[0]) / np.abs(E[0]).sum(), rtol=1e-12)
    assert_allclose(res.eigenvalues, lam, rtol=1e-12)
    # retain does not apply to the first-component convention
    assert_array_equal(W.pca(X6, convention="coinr", retain=0.99).weights, res.weights)


def test_loadings_are_spss_component_matrix() -> None:
    # SPSS's component matrix holds the correlation of each indicator with each component's
    # scores; computed here from the scores directly, not from the eigen decomposition.
    res = W.pca(X6)
    Z = (X6 - X6.mean(axis=0)) / X6.std(axis=0, ddof=1)
    _, E = sklearn_reference(X6)
    for k in range(res.k):
        scores = Z @ E[k]
        corr = [np.corrcoef(X6[:, j], scores)[0, 1] for j in range(4)]
        assert_allclose(res.loadings[:, k], corr, rtol=1e-10)
    # and c = loading / sqrt(lambda) is the eigenvector
    assert_allclose(res.loadings / np.sqrt(res.eigenvalues[: res.k]), E[: res.k].T, rtol=1e-10)


def test_cumulative_share_retains_the_fewest_components() -> None:
    lam, _ = sklearn_reference(X6)
    cum = np.cumsum(lam) / lam.sum()  # 0.569, 0.821, 0.992, 1
    assert cum[1] < 0.85 <= cum[2]
    res = W.pca(X6, retain=0.85)
    assert res.k == 3
    assert_allclose(res.weights, cn_reference(X6, 3), rtol=1e-12)
    assert W.pca(X6, retain=0.5).k == 1
    assert W.pca(X6, retain=float(cum[1])).k == 2  # reaching the share exactly is enough


def test_directions_multiply_negative_indicators_by_minus_one() -> None:
    d = np.array([1.0, -1.0, 1.0, -1.0])
    for convention in ("cn", "coinr"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", KaopingWarning)
            a = W.pca(X6, d, convention=convention)
            b = W.pca(X6 * d, convention=convention)
        assert_allclose(a.weights, b.weights, rtol=1e-12)


def test_weights_ignore_the_scale_and_origin_of_each_indicator() -> None:
    scaled = X6 * np.array([1.0, 100.0, 0.01, 7.0]) + np.array([5.0, -3.0, 0.0, 1e3])
    assert_allclose(W.pca(scaled).weights, W.pca(X6).weights, rtol=1e-10)


def test_negative_coefficient_is_reported_by_column() -> None:
    # indicators 2 and 3 fall as 0 and 1 rise
    X = np.array([[1, 2, 9, 4], [2, 1, 7, 5], [3, 4, 8, 1], [4, 3, 5, 2], [5, 5, 6, 3]], float)
    with pytest.warns(W.NegativeLoadingWarning, match=r"column\(s\) \[2, 3\] is negative") as rec:
        res = W.pca(X)
    assert rec[0].message.columns == (2, 3)  # type: ignore[union-attr]
    assert res.negative == (2, 3)
    assert (res.coefficients[[2, 3]] < 0).all()
    assert_allclose(res.weights, np.abs(res.coefficients) / np.abs(res.coefficients).sum())
    # with those two as negative indicators, every coefficient is positive and nothing warns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flipped = W.pca(X, [1, 1, -1, -1])
    assert flipped.negative == ()
    assert_allclose(flipped.weights, res.weights, rtol=1e-12)


def test_missing_values_drop_the_unit_listwise() -> None:
    X = np.vstack([X6, [7.0, nan, 3.0, 3.0]])
    with pytest.warns(KaopingWarning, match="1 of 7 units have a missing value"):
        res = W.pca(X)
    assert res.n_used == 6
    assert_allclose(res.weights, W.pca(X6).weights, rtol=1e-12)


def test_constant_indicator_gets_weight_zero() -> None:
    X = np.column_stack([X6, np.full(6, 3.0)])
    with pytest.warns(ConstantColumnWarning) as rec:
        res = W.pca(X)
    assert rec[-1].message.columns == (4,)  # type: ignore[union-attr]
    assert res.weights[4] == 0.0
    assert_allclose(res.weights[:4], W.pca(X6).weights, rtol=1e-12)
    assert res.eigenvalues.size == 4  # the PCA is over the four that vary
    with pytest.warns(ConstantColumnWarning, match="equal weights"):
        assert_array_equal(W.pca(np.ones((4, 3))).weights, np.full(3, 1 / 3))


def test_uncorrelated_indicators_keep_one_component_and_say_so() -> None:
    # orthogonal centred columns: R = I, every eigenvalue 1
    X = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])
    with pytest.warns(KaopingWarning, match="no eigenvalue of the correlation matrix exceeds 1"):
        res = W.pca(X)
    assert res.k == 1
    assert_allclose(res.eigenvalues, [1.0, 1.0], atol=1e-12)


def test_result_is_frozen() -> None:
    res = W.pca(X6)
    with pytest.raises(AttributeError):
        res.k = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        res.weights[0] = 1.0


def test_bad_arguments_name_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"convention must be 'cn'.*got 'spss'"):
        W.pca(X6, convention="spss")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"retain as a cumulative share .* got 1.5"):
        W.pca(X6, retain=1.5)
    with pytest.raises(ValueError, match=r"retain must be 'eigen1'.*got 'kaiser'"):
        W.pca(X6, retain="kaiser")
    with pytest.raises(ValueError, match="directions must have one entry per indicator"):
        W.pca(X6, [1, 1])
    with pytest.raises(ValueError, match="only 2 of 3 units have a value for every indicator"):
        W.pca([[1.0, 2.0], [2.0, 1.0], [nan, 3.0]])
    with pytest.raises(ValueError, match="column 1 contains an infinite value"):
        W.pca([[1.0, 2.0], [2.0, np.inf], [3.0, 3.0]])
