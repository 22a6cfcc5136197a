"""Tests of kaoping.methods.aggregate.bod (Benefit of the Doubt by linear programming).

Reference values: a hand-solved example (2 indicators, vertices of the weight polytope worked
out in the comments), an independent brute force (a grid over the directions of the weight
vector, for 2 indicators, with and without pie-share bounds), and the full linear programme
written directly with ``scipy.optimize.linprog`` (every unit's constraint, none of the
kernel's pruning).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import linprog

from kaoping.errors import KaopingWarning
from kaoping.methods import aggregate as A

nan = np.nan

# units A, B, C (and D, dominated by A) on two normalised indicators
HAND = np.array([[1.0, 0.2], [0.4, 1.0], [0.5, 0.5], [0.3, 0.15]])


def full_lp(Y: np.ndarray, lower: float = 0.0, upper: float = 1.0) -> np.ndarray:
    """Each unit's BoD score from the programme with every unit's constraint."""
    n, m = Y.shape
    out = np.empty(n)
    for i in range(n):
        y = Y[i]
        rows = [Y]
        for j in range(m):
            if lower > 0:
                r = lower * y.copy()
                r[j] -= y[j]
                rows.append(r[None, :])
            if upper < 1:
                r = -upper * y.copy()
                r[j] += y[j]
                rows.append(r[None, :])
        A_ub = np.vstack(rows)
        b_ub = np.concatenate([np.ones(n), np.zeros(A_ub.shape[0] - n)])
        res = linprog(-y, A_ub=A_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        out[i] = -res.fun
    return out


def grid_bod(Y: np.ndarray, lower: float = 0.0, upper: float = 1.0, k: int = 200_001) -> np.ndarray:
    """Brute force for 2 indicators: w = c (a, 1 - a), a on a grid over [0, 1], scaled by
    c = 1 / max_k (a y_k1 + (1 - a) y_k2) so that the best unit scores 1; keep the a whose
    share a y_i1 / (a y_i1 + (1 - a) y_i2) is within the bounds; the best such score."""
    a = np.linspace(0.0, 1.0, k)
    comb = np.outer(Y[:, 0], a) + np.outer(Y[:, 1], 1 - a)  # (n, k)
    c = 1.0 / comb.max(axis=0)
    out = np.empty(Y.shape[0])
    for i in range(Y.shape[0]):
        with np.errstate(invalid="ignore", divide="ignore"):
            share1 = a * Y[i, 0] / comb[i]
        ok = (share1 >= lower - 1e-12) & (share1 <= upper + 1e-12)
        ok &= (1 - share1 >= lower - 1e-12) & (1 - share1 <= upper + 1e-12)
        out[i] = (comb[i] * c)[ok].max()
    return out


def test_hand_solved_example() -> None:
    # Constraints w . y_k <= 1 for A (1, 0.2), B (0.4, 1), C (0.5, 0.5), D (0.3, 0.15).
    # D is dominated by A and C's constraint never binds (0.5 (w1 + w2) <= 1 holds at every
    # vertex), so the feasible set's vertices are (0, 0), (1, 0), (0, 1) and where A's and
    # B's constraints meet: w1 + 0.2 w2 = 1, 0.4 w1 + w2 = 1 -> w2 = 0.6/0.92 = 15/23,
    # w1 = 20/23.  A: max(1, 20/23 + 3/23 = 1) = 1;  B: max(1, 8/23 + 15/23 = 1) = 1;
    # C: 0.5 (20 + 15)/23 = 35/46 (~0.76087), its shares 10/23 / (35/46) = 4/7 and 3/7;
    # D: max(0.3, 0.15, (6 + 2.25)/23 = 33/92 ~0.35870) = 33/92, shares 24/33 and 9/33.
    res = A.bod(HAND)
    assert_allclose(res.scores, [1.0, 1.0, 35 / 46, 33 / 92], rtol=1e-9)
    assert_allclose(res.weights[2], [20 / 23, 15 / 23], rtol=1e-9)
    assert_allclose(res.shares[2], [4 / 7, 3 / 7], rtol=1e-9)
    assert_allclose(res.shares[3], [24 / 33, 9 / 33], rtol=1e-9)
    assert_allclose(np.nansum(res.shares, axis=1), 1.0, rtol=1e-12)
    assert_allclose(res.scores, grid_bod(HAND), atol=1e-5)  # the grid step is 5e-6


def test_bounds_against_the_brute_force_and_the_full_programme() -> None:
    rng = np.random.default_rng(8)
    Y = rng.random((25, 2))
    for lower, upper in [(0.0, 1.0), (0.2, 1.0), (0.0, 0.7), (0.3, 0.7), (0.45, 0.55)]:
        res = A.bod(Y, lower=lower, upper=upper)
        grid = grid_bod(Y, lower, upper)
        assert (res.scores >= grid - 1e-9).all()  # the optimum beats every feasible point
        assert_allclose(res.scores, grid, atol=2e-5)  # and the grid gets close to it
        assert_allclose(res.scores, full_lp(Y, lower, upper), rtol=1e-9, atol=1e-12)
        assert (res.shares >= lower - 1e-7).all()
        assert (res.shares <= upper + 1e-7).all()


def test_many_indicators_equal_the_full_programme() -> None:
    rng = np.random.default_rng(19)
    Y = rng.random((60, 6)) ** 2
    for bounds in [(None, None), (0.05, 0.4)]:
        res = A.bod(Y, lower=bounds[0], upper=bounds[1])
        ref = full_lp(
            Y, *(b if b is not None else d for b, d in zip(bounds, (0.0, 1.0), strict=True))
        )
        assert_allclose(res.scores, ref, rtol=1e-9, atol=1e-12)
        # the weights are feasible for every unit, and give the unit its score
        assert (Y @ res.weights.T <= 1 + 1e-12).all()
        assert_allclose(np.einsum("ij,ij->i", Y, res.weights), res.scores, rtol=1e-12)


def test_best_on_any_indicator_scores_one_and_a_dominated_unit_less() -> None:
    rng = np.random.default_rng(3)
    Y = rng.random((30, 4))
    Y[7] = Y[3] * 0.9  # dominated by unit 3
    res = A.bod(Y)
    best = np.unique(Y.argmax(axis=0))
    assert_allclose(res.scores[best], 1.0, rtol=1e-12)
    assert res.scores[7] < 1.0
    assert res.scores[7] <= 0.9 * res.scores[3] + 1e-12  # w . y_7 = 0.9 w . y_3
    assert ((res.scores >= 0) & (res.scores <= 1)).all()


def test_scores_do_not_depend_on_the_scale_of_an_indicator() -> None:
    rng = np.random.default_rng(5)
    Y = rng.random((20, 3))
    scaled = Y * np.array([100.0, 1.0, 0.01])
    for bounds in [{}, {"lower": 0.1, "upper": 0.6}]:
        assert_allclose(A.bod(scaled, **bounds).scores, A.bod(Y, **bounds).scores, rtol=1e-9)
        # (the optimal weights, hence the shares, need not be unique: not compared)


def test_per_indicator_bounds() -> None:
    res = A.bod(HAND, lower=[0.0, 0.4], upper=[1.0, 1.0])
    assert (res.shares[:, 1] >= 0.4 - 1e-9).all()
    # A (1, 0.2) must now give indicator 2 at least 40%: by hand on the vertex (20/23, 15/23)
    # its share is 3/23 < 0.4, so A drops below 1 (the full programme gives the value)
    assert res.scores[0] < 1.0
    assert_allclose(res.scores, full_lp_vector(HAND, [0.0, 0.4]), rtol=1e-9)


def full_lp_vector(Y: np.ndarray, lower: list[float]) -> np.ndarray:
    n, m = Y.shape
    out = np.empty(n)
    for i in range(n):
        y = Y[i]
        rows = [Y] + [(lower[j] * y - np.eye(m)[j] * y[j])[None, :] for j in range(m)]
        A_ub = np.vstack(rows)
        b_ub = np.concatenate([np.ones(n), np.zeros(m)])
        out[i] = -linprog(-y, A_ub=A_ub, b_ub=b_ub, bounds=(0, None), method="highs").fun
    return out


def test_missing_values_and_zero_rows() -> None:
    Y = np.vstack([HAND, [nan, 0.9], [0.0, 0.0]])
    res = A.bod(Y)
    assert np.isnan(res.scores[4])
    assert np.isnan(res.weights[4]).all()
    assert_allclose(res.scores[:4], A.bod(HAND).scores, rtol=1e-12)  # row 4 constrains no one
    assert res.scores[5] == 0.0
    assert np.isnan(res.shares[5]).all()


def test_a_zero_under_a_lower_bound_forces_zero_and_warns() -> None:
    Y = np.array([[1.0, 0.0], [0.5, 0.5], [0.2, 1.0]])
    with pytest.warns(KaopingWarning, match=r"row\(s\) \[0\] score 0"):
        res = A.bod(Y, lower=0.1)
    assert res.scores[0] == pytest.approx(0.0, abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A.bod(Y)  # no bound, no warning


def test_bad_bounds_and_values_say_what_to_fix() -> None:
    with pytest.raises(ValueError, match=r"lower\[0\] = 0.6 is above upper\[0\] = 0.5"):
        A.bod(HAND, lower=0.6, upper=0.5)
    with pytest.raises(ValueError, match=r"lower bounds of the shares sum to 1\.2 > 1"):
        A.bod(HAND, lower=0.6)
    with pytest.raises(ValueError, match=r"upper bounds of the shares sum to 0\.8 < 1"):
        A.bod(HAND, upper=0.4)
    with pytest.raises(ValueError, match=r"upper\[1\] = 1.5; .* between 0 and 1"):
        A.bod(HAND, upper=[1.0, 1.5])
    with pytest.raises(ValueError, match="lower must be one share for every indicator or a list"):
        A.bod(HAND, lower=[0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match=r"Y\[1, 0\] = -0.4; .* values >= 0"):
        A.bod([[1.0, 0.2], [-0.4, 1.0]])
    with pytest.raises(ValueError, match=r"Y\[0, 1\] = inf"):
        A.bod([[1.0, np.inf], [0.4, 1.0]])
    with pytest.raises(ValueError, match="every unit has a missing value"):
        A.bod([[nan, 1.0], [1.0, nan]])


def test_result_is_read_only() -> None:
    res = A.bod(HAND)
    with pytest.raises(ValueError, match="read-only"):
        res.scores[0] = 0.5
