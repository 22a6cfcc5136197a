"""Hypothesis properties of coupling coordination and obstacle degrees
(kaoping.methods.coupling / .obstacle).

Invariants that must hold for any scores, not only the worked examples:

* C is symmetric in the subsystems (permuting them changes nothing), in both forms;
* C, T and D lie in [0, 1], and C = 1 when every subsystem has the same score;
* the standard C does not change when a unit's scores are all multiplied by one factor;
* the class of D never goes down as D goes up;
* obstacle degrees are >= 0 and sum to 1 per unit (0 for a unit without deviation), do not
  change when every weight is multiplied by one factor, follow a permutation of the
  indicators, and the groups' degrees sum to 1 as well.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from kaoping.methods.coupling import classify, coordination, degree
from kaoping.methods.obstacle import by_group
from kaoping.methods.obstacle import degree as obstacle_degree

SETTINGS = settings(max_examples=60, deadline=None)

unit_score = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_infinity=False)
forms = st.sampled_from(["standard", "wang2021"])


@st.composite
def subsystem_scores(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(min_value=1, max_value=10))
    k = draw(st.integers(min_value=2, max_value=6))
    U: np.ndarray = draw(arrays(np.float64, (n, k), elements=unit_score))
    assume(np.all(U.max(axis=1) > 0))  # an all-zero unit has no C (0/0), tested elsewhere
    return U


@st.composite
def permuted(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    U = draw(subsystem_scores())
    perm = np.asarray(draw(st.permutations(range(U.shape[1]))))
    return U, perm


@SETTINGS
@given(permuted(), forms)
def test_coupling_degree_is_symmetric_in_the_subsystems(case: Any, form: Any) -> None:
    U, perm = case
    assert_allclose(degree(U[:, perm], form=form), degree(U, form=form), rtol=1e-12, atol=1e-15)


@SETTINGS
@given(subsystem_scores(), forms)
def test_c_t_d_lie_in_the_unit_interval(U: np.ndarray, form: Any) -> None:
    res = coordination(U, form=form)
    for values in (res.C, res.T, res.D):
        assert np.all((values >= 0) & (values <= 1))
    assert np.all(classify(res.D) >= 0)


@SETTINGS
@given(
    st.floats(min_value=1e-6, max_value=1.0),
    st.integers(min_value=2, max_value=8),
    forms,
)
def test_equal_scores_couple_perfectly(u: float, k: int, form: Any) -> None:
    assert_allclose(degree(np.full((1, k), u), form=form), [1.0], rtol=1e-12)


@SETTINGS
@given(subsystem_scores(), st.floats(min_value=1e-3, max_value=1e3))
def test_standard_coupling_degree_is_scale_free(U: np.ndarray, factor: float) -> None:
    U = np.where(U < 1e-300, 0.0, U)  # a subnormal score times 0.5 would round to 0
    assume(np.all(U.max(axis=1) > 0))
    assert_allclose(degree(U * factor), degree(U), rtol=1e-10, atol=1e-15)


@SETTINGS
@given(arrays(np.float64, (20,), elements=unit_score), st.sampled_from(["left", "right"]))
def test_class_never_goes_down_as_d_goes_up(D: np.ndarray, closed: Any) -> None:
    ordered = np.sort(D)
    assert np.all(np.diff(classify(ordered, closed=closed)) >= 0)


# --------------------------------------------------------------------------------------------
# obstacle degree
# --------------------------------------------------------------------------------------------


@st.composite
def obstacle_cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(min_value=1, max_value=10))
    m = draw(st.integers(min_value=1, max_value=8))
    # values on a coarse grid, so that ties and units best everywhere (y = 1) do occur
    grid = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) | unit_score
    Y: np.ndarray = draw(arrays(np.float64, (n, m), elements=grid))
    w: np.ndarray = draw(arrays(np.float64, (m,), elements=st.floats(0.0, 1.0)))
    w = np.where(w < 1e-300, 0.0, w)  # a subnormal weight times a deviation can round to 0
    assume(w.sum() > 1e-6)
    perm = np.asarray(draw(st.permutations(range(m))))
    return Y, w, perm


@SETTINGS
@given(obstacle_cases())
def test_obstacle_degrees_are_shares_summing_to_one(case: Any) -> None:
    Y, w, _ = case
    res = obstacle_degree(Y, w)
    assert np.all(res.degrees >= 0)
    sums = res.degrees.sum(axis=1)
    assert_allclose(sums[~res.no_deviation], 1.0, rtol=1e-12)
    assert np.all(sums[res.no_deviation] == 0)
    # no deviation means none where it counts: y = 1 wherever the weight is positive
    assert np.array_equal(res.no_deviation, np.all((Y == 1) | (w == 0), axis=1))


@SETTINGS
@given(obstacle_cases(), st.floats(min_value=1e-3, max_value=1e3))
def test_obstacle_degrees_ignore_the_scale_of_the_weights(case: Any, factor: float) -> None:
    Y, w, _ = case
    assert_allclose(
        obstacle_degree(Y, w * factor).degrees,
        obstacle_degree(Y, w).degrees,
        rtol=1e-10,
        atol=1e-15,
    )


@SETTINGS
@given(obstacle_cases())
def test_obstacle_degrees_follow_a_permutation_of_the_indicators(case: Any) -> None:
    Y, w, perm = case
    assert_allclose(
        obstacle_degree(Y[:, perm], w[perm]).degrees,
        obstacle_degree(Y, w).degrees[:, perm],
        rtol=1e-12,
        atol=1e-15,
    )


@SETTINGS
@given(obstacle_cases(), st.integers(min_value=1, max_value=4), st.randoms())
def test_group_degrees_sum_to_one_too(case: Any, g: int, random: Any) -> None:
    Y, w, _ = case
    groups = np.array([random.randrange(g) for _ in range(Y.shape[1])])
    res = obstacle_degree(Y, w)
    sums = by_group(res.degrees, groups, g).sum(axis=1)
    assert_allclose(sums[~res.no_deviation], 1.0, rtol=1e-12)
