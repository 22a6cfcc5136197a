"""Hypothesis properties of kaoping.analysis.dynamics.

Invariants checked:
- Markov: every row with n_a > 0 sums to 1 (NaN rows exactly where n_a = 0), the entries lie
  in [0, 1], the counts add up to the consecutive pairs with two scores, the initial and final
  distributions sum to 1; quantile classes do not change when every score is doubled (an
  exact operation in floating point) and the matrix does not change when the units are
  permuted;
- kernel density: shifting every score by c shifts the curves by c, scaling by a > 0 scales the
  bandwidth by a and the density by 1/a, and each curve integrates to 1 on a fine enough grid;
- σ convergence: neither the sd of ln y nor the CV changes when every score is scaled;
- β convergence: equals the least-squares line of numpy.polyfit, and β does not change when
  every score, or only the final scores, are scaled.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

from kaoping.analysis.dynamics import beta_convergence, kernel_density, markov, sigma_convergence
from kaoping.errors import KaopingWarning

SETTINGS = settings(max_examples=40, deadline=None)


@contextmanager
def quiet() -> Iterator[None]:
    """Empty classes are legitimate here; their warning is tested in tests/analysis."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        yield


@st.composite
def score_frames(draw: st.DrawFn, *, missing: bool = False, periods: int = 5) -> pd.DataFrame:
    """Units x periods of positive scores (quarter steps in [1, 100], so ties happen),
    optionally with missing cells."""
    n = draw(st.integers(3, 25))
    t = draw(st.integers(2, periods))
    values = draw(hnp.arrays(np.float64, (n, t), elements=st.integers(4, 400).map(lambda v: v / 4)))
    if missing:
        mask = draw(hnp.arrays(np.bool_, (n, t), elements=st.booleans()))
        values[mask] = np.nan
    return pd.DataFrame(
        values,
        index=[f"41{i:04d}" for i in range(n)],
        columns=[str(2020 + j) for j in range(t)],
    )


# --------------------------------------------------------------------------------------------
# Markov
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(score_frames(missing=True), st.integers(2, 5))
def test_markov_rows_are_distributions(scores: pd.DataFrame, k: int) -> None:
    assume(scores.notna().any().any())
    with quiet():
        m = markov(scores, classes=k)
    P = m.matrix.to_numpy()
    started = m.counts.to_numpy() > 0
    assert_allclose(P[started].sum(axis=1), 1.0, rtol=1e-12)
    assert np.isnan(P[~started]).all()
    assert ((P[started] >= 0) & (P[started] <= 1)).all()
    known = scores.notna().to_numpy()
    assert m.counts.sum() == (known[:, :-1] & known[:, 1:]).sum()
    assert m.transitions.to_numpy().sum() == m.counts.sum()
    for distribution, column in ((m.initial, scores.columns[0]), (m.final, scores.columns[-1])):
        if scores[column].notna().any():
            assert_allclose(distribution.sum(), 1.0, rtol=1e-12)


@SETTINGS
@given(score_frames(missing=True), st.data())
def test_markov_quartiles_ignore_doubling_and_the_order_of_units(
    scores: pd.DataFrame, data: st.DataObject
) -> None:
    assume(scores.notna().any().any())
    order = data.draw(st.permutations(list(scores.index)))
    with quiet():
        base = markov(scores)
        doubled = markov(scores * 2.0)
        permuted = markov(scores.loc[order])
    pd.testing.assert_frame_equal(base.classes, doubled.classes)
    pd.testing.assert_frame_equal(base.transitions, doubled.transitions)
    pd.testing.assert_frame_equal(base.matrix, permuted.matrix)
    pd.testing.assert_frame_equal(base.classes, permuted.classes.loc[scores.index])


# --------------------------------------------------------------------------------------------
# kernel density
# --------------------------------------------------------------------------------------------


def spread(scores: pd.DataFrame) -> bool:
    """Every period has two different scores (so Silverman's bandwidth is positive)."""
    return bool((scores.max() > scores.min()).all())


@SETTINGS
@given(score_frames(), st.floats(-50, 50), st.floats(0.25, 8))
def test_density_moves_with_a_shift_and_a_scale(
    scores: pd.DataFrame, shift: float, scale: float
) -> None:
    assume(spread(scores))
    base = kernel_density(scores, points=64)
    moved = kernel_density(scores + shift, grid=base.grid + shift)
    assert_allclose(moved.bandwidth, base.bandwidth, rtol=1e-9)
    assert_allclose(moved.density, base.density, rtol=1e-6, atol=1e-12)
    scaled = kernel_density(scores * scale, grid=base.grid * scale)
    assert_allclose(scaled.bandwidth, base.bandwidth * scale, rtol=1e-12)
    assert_allclose(scaled.density, base.density / scale, rtol=1e-9, atol=1e-15)


@SETTINGS
@given(score_frames())
def test_each_density_integrates_to_one(scores: pd.DataFrame) -> None:
    assume(spread(scores))
    first = kernel_density(scores, points=2)
    h = first.bandwidth.min()
    lo, hi = first.grid  # the default grid's ends: the pooled range and 3 h beyond it
    points = int((hi - lo) / (h / 8)) + 2  # at least 8 points per smallest bandwidth
    kde = kernel_density(scores, points=points)
    mass = np.trapezoid(kde.density.to_numpy(), kde.grid, axis=0)
    assert_allclose(mass, 1.0, atol=3e-3)  # at most Phi(-3) = 0.00135 lies beyond each end


# --------------------------------------------------------------------------------------------
# σ and β convergence
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(score_frames(missing=True), st.floats(0.01, 100))
def test_sigma_does_not_see_the_unit_of_the_scores(scores: pd.DataFrame, c: float) -> None:
    assume(scores.notna().sum().min() >= 1)  # a score in every period
    for measure in ("sd_log", "cv"):
        base = sigma_convergence(scores, measure=measure)  # type: ignore[arg-type]
        scaled = sigma_convergence(scores * c, measure=measure)  # type: ignore[arg-type]
        assert_allclose(scaled.sigma, base.sigma, rtol=1e-9, atol=1e-12)
        assert (base.sigma >= 0).all()


@SETTINGS
@given(score_frames(), st.floats(0.01, 100), st.floats(0.01, 100))
def test_beta_is_the_least_squares_line_and_ignores_scale(
    scores: pd.DataFrame, c: float, d: float
) -> None:
    first, last = scores.columns[0], scores.columns[-1]
    x = np.log(scores[first].to_numpy())
    assume(np.ptp(x) > 1e-3)
    fit = beta_convergence(scores)
    span = int(last) - int(first)
    g = np.log(scores[last].to_numpy() / scores[first].to_numpy()) / span
    slope, intercept = np.polyfit(x, g, 1)
    assert_allclose([fit.beta, fit.alpha], [slope, intercept], rtol=1e-7, atol=1e-10)
    assert fit.span == span
    if 1 + span * fit.beta > 0:
        assert_allclose(fit.speed, -math.log(1 + span * fit.beta) / span, rtol=1e-12)
    same = beta_convergence(scores * c)
    assert_allclose(same.beta, fit.beta, rtol=1e-7, atol=1e-10)
    grown = scores.copy()
    grown[last] = grown[last] * d
    assert_allclose(beta_convergence(grown).beta, fit.beta, rtol=1e-7, atol=1e-10)
