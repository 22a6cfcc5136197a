"""Hypothesis properties of kaoping.methods.inequality.

Invariants checked:
- the Gini coefficient and every part of Dagum's decomposition are unchanged when the values
  are scaled by c > 0 or the units permuted;
- Dagum's parts add up to the Gini coefficient (G = G_w + G_nb + G_t) and agree with the
  double loops of tests/methods/test_inequality.py;
- the result does not depend on the order in which the groups are given, nor on their labels
  (a relabelling that reverses the labels' order gives the same numbers per group);
- Theil's T and L are >= 0 and their between and within parts add up to them.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from kaoping.methods import inequality as I

from ..methods.test_inequality import assert_matches_brute, brute_dagum  # noqa: TID252

SETTINGS = settings(max_examples=80, deadline=None)


@st.composite
def grouped(
    draw: st.DrawFn, positive: bool = False, max_n: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number values (ties likely; > 0 when ``positive``) with a positive sum, and
    group codes 0..g-1."""
    n = draw(st.integers(1, max_n))
    low = 1 if positive else 0
    y = np.array(draw(st.lists(st.integers(low, 1000), min_size=n, max_size=n)), dtype=float)
    if y.sum() == 0:
        y[0] = 1.0
    g = draw(st.integers(1, min(n, 6)))
    groups = np.array(draw(st.lists(st.integers(0, g - 1), min_size=n, max_size=n)))
    return y, groups


def by_label(res: I.Dagum) -> dict[object, tuple[float, ...]]:
    return {
        lab: (float(res.mean[k]), float(res.within_gini[k]), float(res.within_jj[k]))
        for k, lab in enumerate(res.groups.tolist())
    }


def totals(res: I.Dagum) -> list[float]:
    return [res.gini, res.within, res.net_between, res.transvariation]


@SETTINGS
@given(grouped(), st.floats(1e-3, 1e3), st.randoms(use_true_random=False))
def test_gini_and_dagum_invariant_to_scale_and_permutation(
    data: tuple[np.ndarray, np.ndarray], c: float, rnd: object
) -> None:
    y, groups = data
    perm = np.arange(y.size)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    g0 = I.gini(y)
    assert_allclose(I.gini(c * y), g0, rtol=1e-12, atol=1e-15)
    assert_allclose(I.gini(y[perm]), g0, rtol=1e-12, atol=1e-15)
    base = I.dagum(y, groups)
    scaled = I.dagum(c * y, groups)
    permuted = I.dagum(y[perm], groups[perm])
    for other, factor in ((scaled, c), (permuted, 1.0)):
        assert_allclose(totals(other), totals(base), rtol=1e-11, atol=1e-14)
        theirs = by_label(other)
        assert set(theirs) == set(by_label(base))
        for lab, (mean, g_jj, term) in by_label(base).items():
            assert_allclose(theirs[lab], (factor * mean, g_jj, term), rtol=1e-11, atol=1e-14)


@SETTINGS
@given(grouped())
def test_dagum_adds_up_and_matches_the_double_loops(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, groups = data
    res = I.dagum(y, groups)
    assert abs(res.within + res.net_between + res.transvariation - res.gini) <= 1e-12
    assert res.within >= 0
    assert res.net_between >= -1e-15
    assert res.transvariation >= -1e-15
    assert_matches_brute(res, brute_dagum(y.tolist(), groups.tolist()), tol=1e-10)


@SETTINGS
@given(grouped())
def test_dagum_does_not_depend_on_the_groups_order_or_labels(
    data: tuple[np.ndarray, np.ndarray],
) -> None:
    y, groups = data
    base = I.dagum(y, groups)
    # reversed labels as text: their sorted order is the reverse of the codes'
    relabel = {k: f"g{9 - k}" for k in range(10)}
    other = I.dagum(y, np.array([relabel[int(k)] for k in groups]))
    assert_allclose(totals(other), totals(base), rtol=1e-12, atol=1e-15)
    theirs = by_label(other)
    for lab, vals in by_label(base).items():
        key = relabel[int(lab)]  # type: ignore[call-overload]
        assert_allclose(np.array(theirs[key]), np.array(vals), rtol=1e-12, atol=1e-15)


@SETTINGS
@given(grouped(positive=True))
def test_theil_is_nonnegative_and_decomposes(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, groups = data
    for func in (I.theil_t, I.theil_l):
        res = func(y, groups)
        assert res.total >= -1e-15
        assert res.between >= -1e-15
        assert res.within >= -1e-15
        assert abs(res.between + res.within - res.total) <= 1e-13
        ungrouped = func(y)
        assert_allclose(ungrouped.total, res.total, rtol=1e-12, atol=1e-15)
