"""Tests of kaoping.methods.aggregate.mpi and ampi (Mazziotta-Pareto indices).

Reference values: hand-worked examples (arithmetic in the comments; the data are chosen so that
every standard deviation is a whole number), and Compind's R code transcribed loop by loop
(cran/Compind: R/normalise_ci.R method 1 with R's ``sd``, R/ci_mpi.R ``M (1 - cv^2)``, and
R/ci_ampi.R with its goalposts ``gp -+ (max - min) / 2`` and population sd), written
independently of the kernels.  No printed Compind output was found to compare with; the
published examples of Mazziotta & Pareto (2016) were not available here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import ConstantColumnWarning
from kaoping.methods import aggregate as A

nan = np.nan

# column 1: mean 2, population sd 1; column 2: mean 4, population sd 2
X4 = np.array([[1.0, 2.0], [1.0, 6.0], [3.0, 2.0], [3.0, 6.0]])


def compind_mpi(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Compind 3.x: normalise_ci(method=1, z.mean=100, z.std=10) then ci_mpi(penalty="POS")."""
    n, m = X.shape
    Z = np.empty_like(X)
    for j in range(m):
        col = X[:, j]
        mean = sum(col) / n
        sd = (sum((v - mean) ** 2 for v in col) / (n - 1)) ** 0.5  # R's sd()
        for i in range(n):
            Z[i, j] = 100 + (1 if d[j] > 0 else -1) * (col[i] - mean) / sd * 10
    out = np.empty(n)
    for i in range(n):
        row = Z[i]
        Ma = sum(row) / m
        Sqm = (sum((v - Ma) ** 2 for v in row) / (m - 1)) ** 0.5  # R's var() ^ 0.5
        cv = Sqm / Ma
        out[i] = Ma * (1 - cv**2)
    return out


def compind_ampi(X: np.ndarray, d: np.ndarray, gp: np.ndarray) -> np.ndarray:
    """Compind 3.x ci_ampi (one period, penalty "NEG"), without its rounding to 3 decimals."""
    n, m = X.shape
    R = np.empty_like(X)
    for j in range(m):
        delta = (X[:, j].max() - X[:, j].min()) / 2
        lo, hi = gp[j] - delta, gp[j] + delta
        for i in range(n):
            if d[j] > 0:
                R[i, j] = (X[i, j] - lo) / (hi - lo) * 60 + 70
            else:
                R[i, j] = (hi - X[i, j]) / (hi - lo) * 60 + 70
    out = np.empty(n)
    for i in range(n):
        Ma = R[i].mean()
        S = (sum((v - Ma) ** 2 for v in R[i]) / m) ** 0.5  # var * (n - 1) / n
        out[i] = Ma - S * (S / Ma)
    return out


def test_mpi_hand_worked() -> None:
    # z = 100 + 10 (x - M)/S: column 1 -> 90, 90, 110, 110; column 2 -> 90, 110, 90, 110.
    # Unit 1 (90, 90): M 90, S 0 -> 90.  Units 2, 3 (90, 110): M 100, S 10 (population),
    # cv 0.1 -> 100 - 10 * 0.1 = 99 (positive penalty: 101).  Unit 4 (110, 110): 110.
    res = A.mpi(X4, [1, 1])
    assert_allclose(res.values, [[90, 90], [90, 110], [110, 90], [110, 110]], rtol=1e-14)
    assert_allclose(res.scores, [90, 99, 99, 110], rtol=1e-14)
    assert_allclose(res.mean, [90, 100, 100, 110], rtol=1e-14)
    assert_allclose(res.sd, [0, 10, 10, 0], atol=1e-12)
    assert_allclose(res.cv, [0, 0.1, 0.1, 0], atol=1e-14)
    assert res.penalty == "negative"
    assert_allclose(A.mpi(X4, [1, 1], penalty="positive").scores, [90, 101, 101, 110])
    # column 2 negative: z2 -> 110, 90, 110, 90
    assert_allclose(A.mpi(X4, [1, -1]).scores, [99, 90, 110, 99], rtol=1e-14)


def test_mpi_with_sample_sd_reproduces_compind() -> None:
    rng = np.random.default_rng(11)
    X = rng.lognormal(size=(25, 5))
    d = np.array([1.0, -1.0, 1.0, 1.0, -1.0])
    assert_allclose(A.mpi(X, d, ddof=1).scores, compind_mpi(X, d), rtol=1e-12)
    # the population form (the default) is a different number
    assert not np.allclose(A.mpi(X, d).scores, compind_mpi(X, d))


def test_mpi_has_no_penalty_when_a_unit_is_balanced() -> None:
    # every indicator a positive affine function of the first: all z_ij equal in a row
    x = np.array([3.0, 7.0, 1.0, 9.0, 4.0])
    X = np.column_stack([x, 2 * x + 5, 0.1 * x - 3])
    res = A.mpi(X, [1, 1, 1])
    assert_allclose(res.sd, 0.0, atol=1e-12)
    assert_allclose(res.scores, res.mean, rtol=1e-14)
    assert_allclose(res.scores, 100 + 10 * (x - x.mean()) / x.std(), rtol=1e-12)


def test_mpi_missing_values_and_constant_columns() -> None:
    X = np.vstack([X4, [nan, 4.0]])
    res = A.mpi(X, [1, 1])
    assert np.isnan(res.scores[4])
    # column 1's statistics use its 4 values (mean 2, sd 1); column 2's take in unit 5's 4:
    # values 2, 6, 2, 6, 4, mean 4, population sd sqrt(16/5)
    assert_allclose(res.values[:4, 0], [90, 90, 110, 110], rtol=1e-14)
    assert_allclose(res.values[:, 1], 100 + 10 * (X[:, 1] - 4) / np.sqrt(16 / 5), rtol=1e-14)
    with pytest.warns(ConstantColumnWarning) as rec:
        flat = A.mpi(np.column_stack([X4, np.full(4, 5.0)]), [1, 1, 1])
    assert rec[0].message.columns == (2,)  # type: ignore[union-attr]
    assert_array_equal(flat.values[:, 2], 100.0)


def test_ampi_hand_worked_default_and_given_goalposts() -> None:
    # Default goalposts: reference = column mean, Delta = half the range:
    #   column 1: 2 -+ 1 -> [1, 3], r = 70 + 60 (x - 1)/2 -> 70, 70, 130, 130
    #   column 2: 4 -+ 2 -> [2, 6], r -> 70, 130, 70, 130
    #   (70, 130): M 100, S 30, cv 0.3 -> 100 - 9 = 91
    res = A.ampi(X4, [1, 1])
    assert_allclose(res.values, [[70, 70], [70, 130], [130, 70], [130, 130]], rtol=1e-14)
    assert_allclose(res.scores, [70, 91, 91, 130], rtol=1e-14)
    # Given goalposts [0, 4] and [0, 8]: r1 = 70 + 15 x -> 85, 85, 115, 115;
    #   r2 = 70 + 7.5 x -> 85, 115, 85, 115; (85, 115): M 100, S 15, cv .15 -> 97.75
    given = A.ampi(X4, [1, 1], goalposts=([0.0, 0.0], [4.0, 8.0]))
    assert_allclose(given.scores, [85, 97.75, 97.75, 115], rtol=1e-14)
    assert_allclose(A.ampi(X4, [1, 1], penalty="positive").scores, [70, 109, 109, 130])
    # negative column 2 between goalposts: r2 = 70 + 60 (6 - x)/4 -> 130, 70, 130, 70
    assert_allclose(A.ampi(X4, [1, -1]).scores, [91, 70, 130, 91], rtol=1e-14)


def test_ampi_reproduces_compind() -> None:
    rng = np.random.default_rng(12)
    X = rng.normal(10, 3, size=(30, 4))
    d = np.array([1.0, -1.0, 1.0, -1.0])
    assert_allclose(A.ampi(X, d).scores, compind_ampi(X, d, X.mean(axis=0)), rtol=1e-12)
    gp = np.array([9.0, 11.0, 10.0, 8.0])  # Compind's reference values ("gp")
    assert_allclose(A.ampi(X, d, reference=gp).scores, compind_ampi(X, d, gp), rtol=1e-12)


def test_ampi_constant_column_and_missing_values() -> None:
    X = np.column_stack([X4, np.full(4, 5.0)])
    with pytest.warns(ConstantColumnWarning):
        res = A.ampi(X, [1, 1, 1])
    assert_array_equal(res.values[:, 2], 100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # with goalposts a constant column is fine
        ok = A.ampi(X, [1, 1, 1], goalposts=(0.0, 10.0))
    assert_allclose(ok.values[:, 2], 100.0)
    gap = A.ampi(np.vstack([X4, [nan, 4.0]]), [1, 1])
    assert np.isnan(gap.scores[4])
    assert not np.isnan(gap.scores[:4]).any()


def test_bad_arguments_name_the_parameter() -> None:
    with pytest.raises(ValueError, match="at least 2 indicators, got 1"):
        A.mpi(X4[:, :1], [1])
    with pytest.raises(ValueError, match="at least 2 indicators, got 1"):
        A.ampi(X4[:, :1], [1])
    with pytest.raises(ValueError, match=r"penalty must be 'negative'.*got 'neg'"):
        A.mpi(X4, [1, 1], penalty="neg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="penalty must be 'negative'"):
        A.ampi(X4, [1, 1], penalty="POS")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ddof must be 0 .* or 1"):
        A.mpi(X4, [1, 1], ddof=2)
    with pytest.raises(ValueError, match=r"either goalposts .* or a reference"):
        A.ampi(X4, [1, 1], goalposts=(0.0, 5.0), reference=[2.0, 4.0])
    with pytest.raises(ValueError, match="column 1 are lower 8 and upper 8"):
        A.ampi(X4, [1, 1], goalposts=([0.0, 8.0], [4.0, 8.0]))
    with pytest.raises(ValueError, match="goalposts must be a pair"):
        A.ampi(X4, [1, 1], goalposts=(0.0, 1.0, 2.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reference must be a finite number or one per"):
        A.ampi(X4, [1, 1], reference=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="directions must be"):
        A.mpi(X4, [1, 0])
