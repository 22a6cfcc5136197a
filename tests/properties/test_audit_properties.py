"""Hypothesis properties of kaoping.analysis.audit's kernels.

Invariants checked:
- Cronbach's alpha is at most 1 (Cauchy-Schwarz: var(sum) <= k sum var);
- alpha is unchanged when every item is multiplied by the same non-zero constant, and when the
  units are permuted;
- the first principal component explains a share of the variance in [1/k, 1], and the
  eigenvalues of the correlation matrix sum to k;
- a correlation's class is monotone in r: high > ok > weak > negative.
"""

from __future__ import annotations

import random

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

from kaoping.analysis.audit import correlation_eigenvalues, correlation_flag, cronbach_alpha

SETTINGS = settings(max_examples=80, deadline=None)


@st.composite
def items(draw: st.DrawFn) -> np.ndarray:
    """An (n, k) matrix of whole numbers in [-50, 50] whose totals vary."""
    n = draw(st.integers(3, 30))
    k = draw(st.integers(2, 6))
    X = draw(hnp.arrays(np.float64, (n, k), elements=st.integers(-50, 50).map(float)))
    assume(X.sum(axis=1).std() > 1e-6)
    return X


@SETTINGS
@given(items())
def test_alpha_is_at_most_one(X: np.ndarray) -> None:
    assert cronbach_alpha(X) <= 1.0 + 1e-12


@SETTINGS
@given(items(), st.sampled_from([-3.0, 0.01, 2.5, 1000.0]), st.randoms(use_true_random=False))
def test_alpha_is_invariant_to_a_common_scale_and_to_the_order_of_units(
    X: np.ndarray, c: float, rnd: random.Random
) -> None:
    alpha = cronbach_alpha(X)
    assert_allclose(cronbach_alpha(c * X), alpha, rtol=1e-9, atol=1e-12)
    order = np.arange(X.shape[0])
    rnd.shuffle(order)  # type: ignore[arg-type]
    assert_allclose(cronbach_alpha(X[order]), alpha, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(items())
def test_first_component_share_is_between_one_over_k_and_one(X: np.ndarray) -> None:
    ev = correlation_eigenvalues(X)
    assume(ev.size >= 2)
    k = ev.size
    assert_allclose(ev.sum(), k, rtol=1e-9)
    share = ev[0] / k
    assert 1 / k - 1e-12 <= share <= 1 + 1e-12
    assert (np.diff(ev) <= 1e-12).all()  # largest first


@SETTINGS
@given(st.floats(-1, 1), st.floats(-1, 1))
def test_the_flag_is_monotone_in_r(r: float, s: float) -> None:
    order = {"negative": 0, "weak": 1, "ok": 2, "high": 3}
    lo, hi = sorted((r, s))
    assert order[correlation_flag(lo)] <= order[correlation_flag(hi)]
