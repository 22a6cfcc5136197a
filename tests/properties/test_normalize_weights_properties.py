"""Hypothesis properties of kaoping.methods.normalize and kaoping.methods.weights.

Invariants checked:
- weights are non-negative and sum to 1 (equal, entropy, critic, cv, combine, ahp);
- scaling an indicator by a positive constant changes neither its min-max values nor the
  entropy or CRITIC weights;
- permuting the units permutes the min-max output and leaves the weights unchanged;
- normalised values lie in [lo, hi] (minmax) or [0, 1] (rank, dist2max, goalposts);
- AHP recovers w from a consistent matrix a_ij = w_i / w_j with CR = 0.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.errors import KaopingWarning
from kaoping.methods import normalize as N
from kaoping.methods import weights as W

SETTINGS = settings(max_examples=60, deadline=None)


@contextmanager
def quiet() -> Iterator[None]:
    """Constant or perfectly correlated columns are legitimate inputs here; their warnings are
    tested in tests/methods."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        yield


@st.composite
def matrices(draw: st.DrawFn, missing: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """An (n, m) matrix of whole numbers in [-1000, 1000] (so a positive rescaling never makes
    two distinct values equal), optionally with missing cells, and directions."""
    n = draw(st.integers(2, 25))
    m = draw(st.integers(1, 5))
    X = draw(hnp.arrays(np.float64, (n, m), elements=st.integers(-1000, 1000).map(float)))
    if missing:
        mask = draw(hnp.arrays(np.bool_, (n, m), elements=st.booleans()))
        X[mask & (np.arange(n)[:, None] >= 2)] = np.nan  # keep two rows of every column
    d = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m)))
    return X, d


def assert_weights(w: np.ndarray, m: int) -> None:
    assert w.shape == (m,)
    assert (w >= 0).all()
    assert abs(w.sum() - 1.0) < 1e-12


@SETTINGS
@given(matrices())
def test_objective_weights_are_nonnegative_and_sum_to_one(
    Xd: tuple[np.ndarray, np.ndarray],
) -> None:
    X, d = Xd
    m = X.shape[1]
    with quiet():
        assert_weights(W.entropy(X, d), m)
        assert_weights(W.entropy(X, d, shift=0.01), m)
        assert_weights(W.critic(X, d), m)
        assert_weights(W.cv(np.abs(X) + 1.0), m)
    assert_weights(W.equal(m), m)


@SETTINGS
@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(0, 100)),
    st.data(),
    st.floats(0, 1),
)
def test_combined_weights_sum_to_one(ws: np.ndarray, data: st.DataObject, alpha: float) -> None:
    wo = data.draw(hnp.arrays(np.float64, ws.shape, elements=st.floats(0, 100)))
    ws[0] += 1.0  # at least one positive weight in each vector, and a shared one
    wo[0] += 1.0
    assert_weights(W.combine(ws, wo, alpha), ws.size)
    assert_weights(W.combine(ws, wo, method="multiplicative"), ws.size)


@SETTINGS
@given(matrices(), st.data())
def test_positive_scaling_changes_nothing(
    Xd: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    X, d = Xd
    c = np.array(
        data.draw(st.lists(st.floats(0.01, 100.0), min_size=X.shape[1], max_size=X.shape[1]))
    )
    Xc = X * c
    with quiet():
        assert_allclose(N.minmax(Xc, d), N.minmax(X, d), rtol=0, atol=1e-12)
        assert_allclose(W.entropy(Xc, d), W.entropy(X, d), rtol=0, atol=1e-9)
        assert_allclose(W.critic(Xc, d), W.critic(X, d), rtol=0, atol=1e-9)


@SETTINGS
@given(matrices(), st.data())
def test_permuting_units(Xd: tuple[np.ndarray, np.ndarray], data: st.DataObject) -> None:
    X, d = Xd
    perm = np.array(data.draw(st.permutations(range(X.shape[0]))))
    with quiet():
        assert_array_equal(N.minmax(X[perm], d), N.minmax(X, d)[perm])
        assert_allclose(W.entropy(X[perm], d), W.entropy(X, d), rtol=0, atol=1e-12)
        assert_allclose(W.critic(X[perm], d), W.critic(X, d), rtol=0, atol=1e-12)


@SETTINGS
@given(matrices(), st.floats(-100, 100), st.floats(0.001, 100))
def test_normalised_values_within_bounds(
    Xd: tuple[np.ndarray, np.ndarray], lo: float, width: float
) -> None:
    X, d = Xd
    hi = lo + width
    ok = ~np.isnan(X)
    with quiet():
        Y = N.minmax(X, d, lo=lo, hi=hi)
        assert_array_equal(np.isnan(Y), ~ok)  # missing stays missing, nothing else is NaN
        eps = 1e-12 * max(1.0, abs(lo), abs(hi))
        assert ((Y[ok] >= lo - eps) & (Y[ok] <= hi + eps)).all()
        for Z in (N.rank(X, d), N.dist2max(X, d), N.goalposts(X, -500.0, 500.0, d)):
            assert_array_equal(np.isnan(Z), ~ok)
            assert ((Z[ok] >= 0.0) & (Z[ok] <= 1.0 + 1e-15)).all()


@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(0.01, 100)))
def test_ahp_recovers_consistent_weights(v: np.ndarray) -> None:
    w = v / v.sum()
    res = W.ahp(w[:, None] / w[None, :])
    assert_weights(res.weights, w.size)
    assert_allclose(res.weights, w, rtol=1e-9)
    assert res.cr < 1e-9
    assert res.consistent
