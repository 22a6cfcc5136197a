"""Hypothesis properties of issue 19's composite indices and data weights: Benefit of the Doubt,
the Mazziotta-Pareto indices, PCA weights, entropy on raw shares and AHP's approximate method.

Invariants checked:
- BoD scores lie in [0, 1], some unit scores 1, and they do not move when an indicator is
  rescaled, the units are permuted, or a dominated unit is added; bounds only lower a score;
- MPI: a unit whose standardised values are all equal pays no penalty (MPI = mean z); the
  negative penalty never raises a score and the positive never lowers it; MPI and the default
  AMPI do not move under a positive affine change of an indicator's unit, or when the
  indicators are permuted;
- PCA weights are non-negative, sum to 1, and ignore each indicator's unit;
- entropy on raw shares sums to 1 and ignores each indicator's scale (p = x / sum x);
- AHP: on a consistent matrix a_ij = v_i / v_j the eigenvector and the approximate method
  give the same weights, v / sum v, and lambda_max = n.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

from kaoping.errors import KaopingWarning
from kaoping.methods import aggregate as A
from kaoping.methods import weights as W

SETTINGS = settings(max_examples=40, deadline=None)


@contextmanager
def quiet() -> Iterator[None]:
    """Constant columns and negative loadings are legitimate here; their warnings are tested
    in tests/methods."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        yield


@st.composite
def normalised(draw: st.DrawFn, n_max: int = 12) -> np.ndarray:
    """An (n, m) matrix of normalised values in [0, 1], on a grid of 1/100."""
    n = draw(st.integers(2, n_max))
    m = draw(st.integers(1, 4))
    return draw(hnp.arrays(np.float64, (n, m), elements=st.integers(0, 100).map(lambda v: v / 100)))


@st.composite
def raw(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number raw values in [-50, 50] (n units, 2..5 indicators) and directions."""
    n = draw(st.integers(3, 15))
    m = draw(st.integers(2, 5))
    X = draw(hnp.arrays(np.float64, (n, m), elements=st.integers(-50, 50).map(float)))
    d = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m)))
    return X, d


scales = st.lists(st.floats(0.01, 100.0), min_size=4, max_size=4).map(np.array)


# --------------------------------------------------------------------------------------------
# Benefit of the Doubt
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(normalised(), scales)
def test_bod_scores_in_unit_interval_and_scale_free(Y: np.ndarray, s: np.ndarray) -> None:
    with quiet():
        res = A.bod(Y)
        again = A.bod(Y * s[: Y.shape[1]])
    assert ((res.scores >= 0) & (res.scores <= 1)).all()
    if Y.max() > 0:
        assert res.scores.max() == 1.0 or abs(res.scores.max() - 1.0) < 1e-9
    assert_allclose(again.scores, res.scores, rtol=1e-7, atol=1e-9)


@SETTINGS
@given(normalised(), st.integers(0, 2**32 - 1))
def test_bod_permuting_units_permutes_scores(Y: np.ndarray, seed: int) -> None:
    perm = np.random.default_rng(seed).permutation(Y.shape[0])
    with quiet():
        assert_allclose(A.bod(Y[perm]).scores, A.bod(Y).scores[perm], rtol=1e-7, atol=1e-9)


@SETTINGS
@given(normalised(), st.floats(0.0, 1.0))
def test_bod_a_dominated_unit_changes_no_other_score(Y: np.ndarray, f: float) -> None:
    with quiet():
        base = A.bod(Y).scores
        more = A.bod(np.vstack([Y, Y[0] * f])).scores
    assert_allclose(more[:-1], base, rtol=1e-7, atol=1e-9)
    assert more[-1] <= base[0] * f + 1e-9


@SETTINGS
@given(normalised(), st.floats(0.0, 0.25), st.floats(0.5, 1.0))
def test_bod_bounds_only_lower_scores(Y: np.ndarray, lo: float, hi: float) -> None:
    m = Y.shape[1]
    if m * lo > 1 or m * hi < 1:
        return
    with quiet():
        free = A.bod(Y).scores
        bounded = A.bod(Y, lower=lo, upper=hi)
    assert (bounded.scores <= free + 1e-9).all()
    ok = ~np.isnan(bounded.shares)
    assert (bounded.shares[ok] >= lo - 1e-6).all()
    assert (bounded.shares[ok] <= hi + 1e-6).all()


# --------------------------------------------------------------------------------------------
# Mazziotta-Pareto
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(
    hnp.arrays(np.float64, st.integers(3, 12), elements=st.integers(-20, 20).map(float)),
    st.lists(st.tuples(st.floats(0.1, 10.0), st.floats(-5.0, 5.0)), min_size=1, max_size=4),
)
def test_mpi_no_penalty_for_a_balanced_unit(x: np.ndarray, maps: list[tuple[float, float]]) -> None:
    # every indicator a positive affine map of x: all z_ij of a unit equal, S_i = 0
    X = np.column_stack([x] + [a * x + b for a, b in maps])
    with quiet():
        res = A.mpi(X, np.ones(X.shape[1]))
    assert_allclose(res.scores, res.mean, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(raw())
def test_mpi_penalties_bracket_the_mean(Xd: tuple[np.ndarray, np.ndarray]) -> None:
    X, d = Xd
    with quiet():
        for f in (A.mpi, A.ampi):
            neg = f(X, d)
            pos = f(X, d, penalty="positive")
            assert (neg.scores <= neg.mean + 1e-9).all()
            assert (pos.scores >= pos.mean - 1e-9).all()


@SETTINGS
@given(raw(), st.floats(0.1, 50.0), st.floats(-100.0, 100.0), st.data())
def test_mpi_and_ampi_ignore_units_and_order_of_indicators(
    Xd: tuple[np.ndarray, np.ndarray], a: float, b: float, data: st.DataObject
) -> None:
    X, d = Xd
    j = data.draw(st.integers(0, X.shape[1] - 1))
    Xt = X.copy()
    Xt[:, j] = a * X[:, j] + b
    perm = np.random.default_rng(X.shape[1]).permutation(X.shape[1])
    with quiet():
        for f in (A.mpi, A.ampi):
            base = f(X, d).scores
            assert_allclose(f(Xt, d).scores, base, rtol=1e-9, atol=1e-9)
            assert_allclose(f(X[:, perm], d[perm]).scores, base, rtol=1e-12, atol=1e-9)


# --------------------------------------------------------------------------------------------
# data weights
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(raw(), st.sampled_from(["cn", "coinr"]), scales, st.floats(-100.0, 100.0))
def test_pca_weights_sum_to_one_and_ignore_units(
    Xd: tuple[np.ndarray, np.ndarray], convention: str, s: np.ndarray, shift: float
) -> None:
    X, d = Xd
    m = X.shape[1]
    with quiet():
        res = W.pca(X, d, convention=convention)  # type: ignore[arg-type]
        again = W.pca(X * np.resize(s, m) + shift, d, convention=convention)  # type: ignore[arg-type]
    assert (res.weights >= 0).all()
    assert abs(res.weights.sum() - 1.0) < 1e-12
    if res.k and res.eigenvalues.size > 1 and np.diff(res.eigenvalues).min() < -1e-6:
        # distinct eigenvalues: the decomposition, hence the weights, is unique
        assert_allclose(again.weights, res.weights, rtol=1e-6, atol=1e-9)


@SETTINGS
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(2, 15), st.integers(1, 5)),
        elements=st.integers(1, 1000).map(float),
    ),
    scales,
)
def test_entropy_shares_sum_to_one_and_ignore_scale(X: np.ndarray, s: np.ndarray) -> None:
    m = X.shape[1]
    with quiet():
        w = W.entropy(X, np.ones(m), variant="shares")
        again = W.entropy(X * np.resize(s, m), np.ones(m), variant="shares")
    assert (w >= 0).all()
    assert abs(w.sum() - 1.0) < 1e-12
    assert_allclose(again, w, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(0.01, 100.0)))
def test_ahp_methods_agree_on_consistent_matrices(v: np.ndarray) -> None:
    A_ = v[:, None] / v[None, :]
    eig = W.ahp(A_)
    approx = W.ahp(A_, method="approximate")
    assert_allclose(approx.weights, v / v.sum(), rtol=1e-12)
    assert_allclose(eig.weights, approx.weights, rtol=1e-9)
    assert abs(approx.lambda_max - v.size) < 1e-9 * v.size
    assert approx.cr < 1e-9
