"""Tests of kaoping.methods.weights.

Reference values: hand-worked examples (worked out in the comments), Saaty's published
"wealth of nations" AHP example, closed forms (3x3 reciprocal matrices), and independent
implementations written differently from the kernels (the straightforward p ln p entropy formula,
pandas' std/corr for CRITIC).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.errors import KaopingWarning
from kaoping.methods import ConstantColumnWarning
from kaoping.methods import weights as W

nan = np.nan


def entropy_reference(X: np.ndarray, d: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """The textbook formula, column by column: y = minmax, p = y / sum y, e = -sum p ln p / ln n.

    Forms p explicitly (the kernel never does) and drops missing values per column.
    """
    e = np.empty(X.shape[1])
    for j in range(X.shape[1]):
        x = X[:, j][~np.isnan(X[:, j])]
        rng = x.max() - x.min()
        y = (x - x.min()) / rng if d[j] > 0 else (x.max() - x) / rng
        y = y + shift
        p = y / y.sum()
        plogp = np.zeros_like(p)
        nz = p > 0
        plogp[nz] = p[nz] * np.log(p[nz])
        e[j] = -plogp.sum() / np.log(x.size)
    return (1 - e) / (1 - e).sum()


# --------------------------------------------------------------------------------------------
# equal
# --------------------------------------------------------------------------------------------


def test_equal() -> None:
    assert_array_equal(W.equal(4), [0.25, 0.25, 0.25, 0.25])
    assert_array_equal(W.equal(1), [1.0])
    with pytest.raises(ValueError, match="m must be"):
        W.equal(0)


# --------------------------------------------------------------------------------------------
# entropy
# --------------------------------------------------------------------------------------------


def test_entropy_hand_worked_3x2() -> None:
    # X = [[1, 10], [2, 30], [3, 40]], directions (+1, -1), n = 3.
    # Column 0: y = (x - 1)/2 = 0, 1/2, 1; sum 3/2; p = 0, 1/3, 2/3
    #   sum p ln p = (1/3) ln(1/3) + (2/3) ln(2/3) = -ln 3 + (2/3) ln 2
    #   e0 = (ln 3 - (2/3) ln 2) / ln 3                                  (~0.579381)
    # Column 1 (negative): y = (40 - x)/30 = 1, 1/3, 0; sum 4/3; p = 3/4, 1/4, 0
    #   sum p ln p = (3/4) ln(3/4) + (1/4) ln(1/4) = (3/4) ln 3 - 2 ln 2
    #   e1 = (2 ln 2 - (3/4) ln 3) / ln 3                                 (~0.511860)
    # w = (1 - e) / sum(1 - e)                                    (~0.462853, 0.537147)
    ln2, ln3 = math.log(2), math.log(3)
    e = np.array([(ln3 - 2 / 3 * ln2) / ln3, (2 * ln2 - 0.75 * ln3) / ln3])
    expected = (1 - e) / (1 - e).sum()
    X = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 40.0]])
    assert_allclose(W.entropy(X, [1, -1]), expected, rtol=1e-13)


@pytest.fixture(params=["serial", "parallel", "numpy"])
def kernel(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test through each path of the entropy kernel: the one-thread numba kernels (the
    default below 2**20 cells), the parallel ones (forced for small X too: row blocks, or columns
    for Fortran order) and the NumPy fallback."""
    if request.param == "parallel":
        monkeypatch.setattr(W, "_PARALLEL_MIN_CELLS", 0)
    elif request.param == "numpy":
        monkeypatch.setattr(W, "_HAVE_NUMBA", False)
    return str(request.param)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize(("n", "m"), [(7, 3), (500, 6), (70_000, 2)])
def test_entropy_equals_straightforward_formula(
    kernel: str, order: Literal["C", "F"], n: int, m: int
) -> None:
    # 70,000 rows: four row blocks in the parallel kernel, three chunks in the NumPy path
    rng = np.random.default_rng(n + m)
    X = np.asarray(rng.lognormal(size=(n, m)) * 10 - 5, order=order)
    d = np.where(np.arange(m) % 2 == 0, 1.0, -1.0)
    assert_allclose(W.entropy(X, d), entropy_reference(X, d), rtol=1e-12, atol=1e-14)


def test_entropy_with_shift_equals_formula(kernel: str) -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 5))
    d = np.array([1, 1, -1, 1, -1])
    for shift in (1e-4, 0.01, 1.0):
        assert_allclose(W.entropy(X, d, shift), entropy_reference(X, d, shift), rtol=1e-12)


def test_entropy_missing_values_use_per_column_n(kernel: str) -> None:
    # each column's entropy uses ln n_j with n_j its own number of non-missing values
    rng = np.random.default_rng(4)
    X = rng.lognormal(size=(60, 4))
    X[rng.random(X.shape) < 0.25] = nan
    X[:, 3] = nan
    X[:5, 3] = [1.0, 2.0, 4.0, 8.0, 16.0]  # n_3 = 5
    d = np.array([1, -1, 1, 1])
    for order in ("C", "F"):
        Xo = np.asarray(X, order=order)
        assert_allclose(W.entropy(Xo, d), entropy_reference(X, d), rtol=1e-12)


def test_entropy_large_input_with_missing_values(kernel: str) -> None:
    rng = np.random.default_rng(8)
    X = rng.lognormal(size=(70_000, 3))
    X[rng.random(X.shape) < 0.1] = nan
    d = np.array([1.0, -1.0, 1.0])
    expected = entropy_reference(X, d, 0.01)
    assert_allclose(W.entropy(X, d, 0.01), expected, rtol=1e-12, atol=1e-14)


def test_entropy_negative_raw_values_are_fine() -> None:
    # min-max comes first, so translating a column leaves the weights unchanged; the
    # translated matrix has negative values throughout
    rng = np.random.default_rng(9)
    X = rng.uniform(1, 10, size=(25, 3))
    d = np.array([1, -1, 1])
    w_pos = W.entropy(X, d)
    w_neg = W.entropy(X - 100.0, d)
    assert (X - 100.0 < 0).all()
    assert_allclose(w_neg, w_pos, rtol=1e-12)
    assert_allclose(w_neg, entropy_reference(X - 100.0, d), rtol=1e-12)


def test_entropy_constant_column_gets_zero_weight(kernel: str) -> None:
    rng = np.random.default_rng(10)
    X = rng.normal(size=(12, 3))
    X[:, 1] = 7.0
    d = np.array([1, 1, -1])
    with pytest.warns(ConstantColumnWarning) as record:
        w = W.entropy(X, d)
    assert len(record) == 1
    assert record[0].message.columns == (1,)  # type: ignore[union-attr]
    assert w[1] == 0.0
    # e = 1 for the constant column, so the other weights are those of the other columns
    assert_allclose(w[[0, 2]], entropy_reference(X[:, [0, 2]], d[[0, 2]]), rtol=1e-12)


def test_entropy_all_constant_falls_back_to_equal(kernel: str) -> None:
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, nan]])
    with pytest.warns(ConstantColumnWarning, match="equal weights") as record:
        w = W.entropy(X, [1, 1])
    assert len(record) == 1
    assert record[0].message.columns == (0, 1)  # type: ignore[union-attr]
    assert_array_equal(w, [0.5, 0.5])


def test_entropy_single_unit_falls_back_to_equal() -> None:
    # n = 1: ln n = 0 and the entropy is undefined -> equal weights, with a warning
    with pytest.warns(ConstantColumnWarning, match="single unit"):
        w = W.entropy([[3.0, 4.0, 5.0]], [1, -1, 1])
    assert_allclose(w, [1 / 3, 1 / 3, 1 / 3])


def test_entropy_column_with_one_value_gets_zero_weight() -> None:
    X = np.array([[1.0, nan], [2.0, 5.0], [4.0, nan]])
    with pytest.warns(ConstantColumnWarning):
        w = W.entropy(X, [1, 1])
    assert_array_equal(w, [1.0, 0.0])


def test_entropy_rejects_bad_input(kernel: str) -> None:
    with pytest.raises(ValueError, match="infinite"):
        W.entropy([[1.0], [np.inf], [2.0]], [1])
    with pytest.raises(ValueError, match="shift"):
        W.entropy([[1.0], [2.0]], [1], shift=-0.1)
    with pytest.raises(ValueError, match="moderate_to_positive"):
        W.entropy([[1.0], [2.0]], [0])


# --------------------------------------------------------------------------------------------
# CRITIC
# --------------------------------------------------------------------------------------------


def test_critic_hand_worked() -> None:
    # X = [[0, 0, 1], [1, 1, 0], [2, 0, 2]], all positive, so Y = minmax(X):
    #   y1 = 0, 1/2, 1    y2 = 0, 1, 0    y3 = 1/2, 0, 1
    # sample sds: s1 = 1/2, s2 = sqrt(1/3), s3 = 1/2
    # deviations: y1 (-1/2, 0, 1/2), y2 (-1/3, 2/3, -1/3), y3 (0, -1/2, 1/2)
    #   r12 = 0;  r13 = (1/4)/2 / (1/2 * 1/2) = 1/2;  r23 = (-1/2)/2 / (sqrt(1/3)/2) = -sqrt(3)/2
    # C1 = 1/2 * ((1 - 0) + (1 - 1/2))            = 3/4
    # C2 = sqrt(1/3) * ((1 - 0) + (1 + sqrt(3)/2)) = 2/sqrt(3) + 1/2
    # C3 = 1/2 * ((1 - 1/2) + (1 + sqrt(3)/2))     = 3/4 + sqrt(3)/4
    C = np.array([0.75, 2 / math.sqrt(3) + 0.5, 0.75 + math.sqrt(3) / 4])
    X = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [2.0, 0.0, 2.0]])
    assert_allclose(W.critic(X, [1, 1, 1]), C / C.sum(), rtol=1e-13)


def _critic_pandas(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    """CRITIC with pandas: min-max, std (ddof=1) and pairwise-complete Pearson correlation."""
    df = pd.DataFrame(X * d)
    Y = (df - df.min()) / (df.max() - df.min())
    C = Y.std() * (1 - Y.corr()).sum()
    return (C / C.sum()).to_numpy()


def test_critic_equals_pandas_with_and_without_missing() -> None:
    rng = np.random.default_rng(12)
    X = rng.normal(size=(50, 5)) @ rng.normal(size=(5, 5))  # correlated indicators
    d = np.array([1, -1, 1, 1, -1])
    assert_allclose(W.critic(X, d), _critic_pandas(X, d), rtol=1e-12)
    X[rng.random(X.shape) < 0.2] = nan
    assert_allclose(W.critic(X, d), _critic_pandas(X, d), rtol=1e-10)


def test_critic_constant_column_gets_zero_weight_and_is_left_out() -> None:
    rng = np.random.default_rng(13)
    X = rng.normal(size=(20, 4))
    X[:, 2] = 1.5
    d = np.array([1, 1, 1, -1])
    with pytest.warns(ConstantColumnWarning) as record:
        w = W.critic(X, d)
    assert len(record) == 1
    assert record[0].message.columns == (2,)  # type: ignore[union-attr]
    assert w[2] == 0.0
    keep = [0, 1, 3]
    assert_allclose(w[keep], _critic_pandas(X[:, keep], d[keep]), rtol=1e-12)


def test_critic_all_constant_and_single_unit_fall_back_to_equal() -> None:
    with pytest.warns(ConstantColumnWarning, match="equal weights"):
        assert_allclose(W.critic([[1.0, 2.0], [1.0, 2.0]], [1, 1]), [0.5, 0.5])
    with pytest.warns(ConstantColumnWarning, match="equal weights"):
        assert_allclose(W.critic([[1.0, 2.0, 3.0]], [1, 1, 1]), [1 / 3] * 3)


def test_critic_perfectly_correlated_columns() -> None:
    x = np.array([1.0, 2.0, 4.0, 8.0])
    X = np.column_stack([x, 3 * x + 1])  # r = 1, so C = 0 for both
    with pytest.warns(KaopingWarning, match="perfectly correlated"):
        w = W.critic(X, [1, 1])
    assert_allclose(w, [0.5, 0.5])


def test_critic_one_usable_column() -> None:
    with pytest.warns(ConstantColumnWarning):
        w = W.critic([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]], [1, 1])
    assert_array_equal(w, [1.0, 0.0])


# --------------------------------------------------------------------------------------------
# CV
# --------------------------------------------------------------------------------------------


def test_cv_hand_worked() -> None:
    # column 0: 1, 3 -> mean 2, sd sqrt(2) -> v = sqrt(2)/2
    # column 1: 10, 12 -> mean 11, sd sqrt(2) -> v = sqrt(2)/11
    # w = (1/2, 1/11) / (1/2 + 1/11) = (11/13, 2/13)
    assert_allclose(W.cv([[1.0, 10.0], [3.0, 12.0]]), [11 / 13, 2 / 13], rtol=1e-14)


def test_cv_missing_values_and_constant_column() -> None:
    # column 0: 2, 4 (missing ignored) -> v = sqrt(2)/3; column 1 constant -> weight 0
    X = np.array([[2.0, 5.0, 1.0], [nan, 5.0, 2.0], [4.0, 5.0, 3.0]])
    with pytest.warns(ConstantColumnWarning):
        w = W.cv(X)
    v = np.array([math.sqrt(2) / 3, 0.0, 1 / 2])  # column 2: mean 2, sd 1
    assert_allclose(w, v / v.sum(), rtol=1e-14)


def test_cv_needs_positive_mean() -> None:
    with pytest.raises(ValueError, match="column 1 has mean -1"):
        W.cv([[1.0, -2.0], [3.0, 0.0]])


# --------------------------------------------------------------------------------------------
# combine
# --------------------------------------------------------------------------------------------


def test_combine_additive_and_multiplicative() -> None:
    ws, wo = [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]
    # additive, alpha 0.5: (0.35, 0.25, 0.40)
    assert_allclose(W.combine(ws, wo), [0.35, 0.25, 0.40], rtol=1e-15)
    # alpha 0.8: 0.8 ws + 0.2 wo = (0.44, 0.28, 0.28)
    assert_allclose(W.combine(ws, wo, alpha=0.8), [0.44, 0.28, 0.28], rtol=1e-14)
    # multiplicative: (0.10, 0.06, 0.12) / 0.28
    assert_allclose(W.combine(ws, wo, method="multiplicative"), np.array([0.10, 0.06, 0.12]) / 0.28)


def test_combine_normalises_points_and_batches() -> None:
    # expert points out of 100 and a batch of two objective weight vectors
    ws = np.array([[50.0, 30.0, 20.0], [50.0, 30.0, 20.0]])
    wo = np.array([[0.2, 0.2, 0.6], [1.0, 0.0, 0.0]])
    out = W.combine(ws, wo, alpha=0.5)
    assert_allclose(out, [[0.35, 0.25, 0.40], [0.75, 0.15, 0.10]], rtol=1e-14)


def test_combine_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="same shape"):
        W.combine([0.5, 0.5], [1.0])
    with pytest.raises(ValueError, match="non-negative"):
        W.combine([0.5, -0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="alpha"):
        W.combine([0.5, 0.5], [0.5, 0.5], alpha=1.5)
    with pytest.raises(ValueError, match="sums to 0"):
        W.combine([0.0, 0.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="multiplicative combination is undefined"):
        W.combine([1.0, 0.0], [0.0, 1.0], method="multiplicative")
    with pytest.raises(ValueError, match="method"):
        W.combine([1.0], [1.0], method="geometric")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------

# Saaty's "wealth of nations" example (relative wealth of US, USSR, China, France, UK, Japan,
# West Germany): Saaty, T. L. (1977), J. Math. Psychol. 15(3), 234-281,
# https://doi.org/10.1016/0022-2496(77)90033-5, and Saaty, T. L. (1980), The Analytic
# Hierarchy Process, McGraw-Hill, ch. 2.  Published eigenvector (3 decimals):
# .427 .230 .021 .052 .052 .123 .094, lambda_max = 7.61.
WEALTH = np.array(
    [
        [1, 4, 9, 6, 6, 5, 5],
        [1 / 4, 1, 7, 5, 5, 3, 4],
        [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
        [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
    ]
)


def test_ahp_saaty_wealth_of_nations() -> None:
    res = W.ahp(WEALTH)
    published = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]
    assert_allclose(res.weights, published, atol=5e-4)  # rounding to 3 decimals
    assert res.lambda_max == pytest.approx(7.61, abs=5e-3)  # rounding to 2 decimals
    # CI and CR follow from the published lambda_max (+- its rounding) and RI(7) = 1.32
    assert res.ci == pytest.approx((7.61 - 7) / 6, abs=0.005 / 6)
    assert res.cr == pytest.approx((7.61 - 7) / 6 / 1.32, abs=0.005 / 6 / 1.32)
    assert res.consistent
    assert res.ri_table == "saaty1980"
    assert res.ri == 1.32


@pytest.mark.parametrize(("a", "b", "c"), [(3.0, 5.0, 3.0), (2.0, 7.0, 0.5), (0.25, 6.0, 9.0)])
def test_ahp_3x3_closed_form(a: float, b: float, c: float) -> None:
    # For A = [[1, a, b], [1/a, 1, c], [1/b, 1/c, 1]] the characteristic polynomial gives
    # lambda_max = 1 + delta^(1/3) + delta^(-1/3) with delta = b/(a c), and the principal
    # eigenvector is proportional to the row geometric means (Crawford & Williams 1985,
    # J. Math. Psychol. 29, 387-405: for n = 3 the two methods coincide).
    A = np.array([[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]])
    delta = b / (a * c)
    lam = 1 + delta ** (1 / 3) + delta ** (-1 / 3)
    g = np.prod(A, axis=1) ** (1 / 3)
    res = W.ahp(A)
    assert res.lambda_max == pytest.approx(lam, rel=1e-12)
    assert_allclose(res.weights, g / g.sum(), rtol=1e-12)
    assert res.ci == pytest.approx((lam - 3) / 2, rel=1e-10, abs=1e-14)
    assert res.cr == pytest.approx((lam - 3) / 2 / 0.58, rel=1e-10, abs=1e-14)


def test_ahp_consistent_matrix_recovers_weights() -> None:
    # a_ij = w_i / w_j is perfectly consistent: lambda_max = n, CI = CR = 0
    w = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    res = W.ahp(w[:, None] / w[None, :])
    assert_allclose(res.weights, w, rtol=1e-12)
    assert res.lambda_max == pytest.approx(5.0, rel=1e-12)
    assert res.ci == pytest.approx(0.0, abs=1e-12)
    assert res.cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_small_matrices_have_cr_zero() -> None:
    res2 = W.ahp([[1.0, 3.0], [1 / 3, 1.0]])  # weights 3/4, 1/4
    assert_allclose(res2.weights, [0.75, 0.25], rtol=1e-15)
    assert (res2.lambda_max, res2.ci, res2.cr, res2.consistent) == (2.0, 0.0, 0.0, True)
    res1 = W.ahp([[1.0]])
    assert_array_equal(res1.weights, [1.0])
    assert res1.cr == 0.0


def test_ahp_entries_need_not_be_on_the_1_9_scale() -> None:
    # a group judgement: the geometric mean of 3 and 5 is sqrt(15)
    A = np.array([[1.0, math.sqrt(15)], [1 / math.sqrt(15), 1.0]])
    s = math.sqrt(15)
    assert_allclose(W.ahp(A).weights, [s / (1 + s), 1 / (1 + s)], rtol=1e-14)


def test_ahp_ri_tables() -> None:
    # Saaty (1980) as in METHODS.md; Saaty (2005) / Saaty & Tran (2007); Donegan & Dodd (1991)
    assert W.RI_TABLES["saaty1980"] == (
        0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
    )  # fmt: skip
    assert W.RI_TABLES["saaty2005"][2:10] == (0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49)
    assert W.RI_TABLES["donegan_dodd1991"][2:5] == (0.4914, 0.8286, 1.0591)
    # the same matrix, three CRs: only the RI differs
    ci = W.ahp(WEALTH).ci
    for name, table in W.RI_TABLES.items():
        res = W.ahp(WEALTH, ri=name)
        assert res.ri_table == name
        assert res.ri == table[6]
        assert res.cr == pytest.approx(ci / table[6], rel=1e-14)
    custom = W.ahp(WEALTH, ri=1.3)
    assert (custom.ri_table, custom.ri) == ("custom", 1.3)


def test_ahp_inconsistent_matrix() -> None:
    # a cyclic preference: 1 > 2 > 3 > 1, strongly
    A = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    res = W.ahp(A)
    assert not res.consistent
    assert res.cr >= 0.10
    with pytest.raises(ValueError, match=r"inconsistent: CR = \d+\.\d+ >= 0.10.*A\[\d, \d\]"):
        W.ahp(A, strict=True)


def test_ahp_cr_threshold_is_strict_below_0_10() -> None:
    # choose a 3x3 matrix with CR just above and just below 0.10 via the closed form:
    # CI = (delta^(1/3) + delta^(-1/3) - 2)/2, with a = c = 1 and b = delta
    def cr_of(b: float) -> float:
        return W.ahp([[1.0, 1.0, b], [1.0, 1.0, 1.0], [1 / b, 1.0, 1.0]]).cr

    assert cr_of(2.0) < 0.10
    assert cr_of(3.0) >= 0.10
    assert W.ahp([[1.0, 1.0, 3.0], [1.0, 1.0, 1.0], [1 / 3, 1.0, 1.0]]).consistent is False


def test_ahp_errors_name_the_cell() -> None:
    with pytest.raises(ValueError, match=r"A\[0, 1\] = 2.0 \(row 1, column 2\) but 1/A\[1, 0\]"):
        W.ahp([[1.0, 2.0], [0.4, 1.0]])
    with pytest.raises(ValueError, match=r"A\[1, 1\] = 2.0.*diagonal must be 1"):
        W.ahp([[1.0, 2.0], [0.5, 2.0]])
    with pytest.raises(ValueError, match=r"A\[0, 1\] = -2.0.*positive"):
        W.ahp([[1.0, -2.0], [-0.5, 1.0]])
    with pytest.raises(ValueError, match="square"):
        W.ahp([[1.0, 2.0]])
    with pytest.raises(ValueError, match="unknown RI table"):
        W.ahp(WEALTH, ri="tummala_ling1998")
    with pytest.raises(ValueError, match="covers n <= 15"):
        W.ahp(np.ones((16, 16)))
    # within the relative tolerance 1e-6, rounded reciprocals are accepted
    W.ahp([[1.0, 3.0], [0.3333333333, 1.0]])


def test_ahp_result_is_frozen() -> None:
    res = W.ahp(WEALTH)
    with pytest.raises(AttributeError):
        res.cr = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        res.weights[0] = 1.0
