"""Hypothesis properties of the official scoring rules (kaoping.scoring.rules).

Invariants that must hold for any group of units and any valid parameters, not just the
hand-worked examples of ``test_rules.py``:

* monotonicity: raising one unit's value of a positive indicator never lowers its points
  (lowering it, for a negative one); for ``judged``, raising one judge's score;
* range: points lie in [0, w] (in [0, cap * w] for ``completion`` and ``benchmark_ratio``);
* missing values: NaN points exactly where a value is missing;
* relabelling (permuting) the units permutes their points;
* for ``efficacy`` and ``rank_points`` the group's best unit gets the full points w.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.scoring.rules import (
    bands,
    benchmark_ratio,
    completion,
    efficacy,
    judged,
    level_and_growth,
    rank_points,
    vs_average,
)

SETTINGS = settings(max_examples=150, deadline=None)

NAN = np.nan

finite = st.floats(min_value=-1000.0, max_value=1000.0, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False, allow_infinity=False)
points_w = st.floats(min_value=0.5, max_value=100.0, allow_nan=False, allow_infinity=False)
directions = st.sampled_from([1, -1])


@dataclass(frozen=True)
class Case:
    """One rule with drawn parameters, and the per-unit arrays it scores."""

    name: str
    score: Callable[..., np.ndarray]  # per-unit arrays -> points
    arrays: tuple[np.ndarray, ...]  # each of shape (n,); permuted together
    monotone_in: tuple[int, ...]  # arrays in which points are monotone along the direction
    direction: int
    w: float
    upper: float  # the most points a unit can get
    positive_only: bool  # the values must stay > 0: change them by a factor, not a step
    best_gets_full: bool


@st.composite
def groups(draw: st.DrawFn, elements: st.SearchStrategy[float], n: int | None = None) -> np.ndarray:
    """Values of a group, some missing; unit 0 always has a value."""
    if n is None:
        n = draw(st.integers(min_value=1, max_value=12))
    x = np.array(draw(st.lists(elements, min_size=n, max_size=n)), dtype=np.float64)
    missing = draw(st.sets(st.integers(min_value=1, max_value=max(1, n - 1)), max_size=n // 3))
    x[[i for i in missing if i < n]] = NAN
    return x


def _completion(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    x = draw(groups(st.one_of(st.just(0.0), positive)))
    cap = draw(st.floats(min_value=0.5, max_value=2.0))
    floor = cap * draw(st.floats(min_value=0.0, max_value=0.9))
    zero_below = draw(st.none() | st.floats(min_value=0.0, max_value=cap))
    per_unit = draw(st.booleans())
    target = (
        np.array(draw(st.lists(positive, min_size=x.size, max_size=x.size)))
        if per_unit
        else np.full(x.size, draw(positive))
    )

    def score(x: np.ndarray, t: np.ndarray) -> np.ndarray:
        pts, _ = completion(x, t, w, d, floor=floor, cap=cap, zero_below=zero_below)
        return pts

    return Case("completion", score, (x, target), (0,), d, w, cap * w, True, False)


def _efficacy(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    x = draw(groups(finite))
    base = draw(st.floats(min_value=0.0, max_value=1.0))
    lo, hi = sorted(draw(st.lists(finite, min_size=2, max_size=2, unique=True)))
    better, worse = (hi, lo) if d > 0 else (lo, hi)
    satisfactory = better if draw(st.booleans()) else None
    unacceptable = worse if draw(st.booleans()) else None
    defaults = satisfactory is None and unacceptable is None

    def score(x: np.ndarray) -> np.ndarray:
        return efficacy(x, w, d, base=base, satisfactory=satisfactory, unacceptable=unacceptable)

    return Case("efficacy", score, (x,), (0,), d, w, w, False, defaults)


def _vs_average(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    per = draw(st.sampled_from(["point", "percent"]))
    # distances in percent of the average are meant for positive quantities (see the docstring)
    x = draw(groups(positive if per == "percent" else finite))
    step = draw(st.floats(min_value=0.01, max_value=10.0))
    base = draw(st.floats(min_value=0.0, max_value=1.0))
    average = draw(st.none() | (positive if per == "percent" else finite))

    def score(x: np.ndarray) -> np.ndarray:
        return vs_average(x, w, d, step=step, base=base, per=per, average=average)  # type: ignore[arg-type]

    return Case(f"vs_average[{per}]", score, (x,), (0,), d, w, w, per == "percent", False)


def _rank_points(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    how = draw(st.sampled_from(["table", "decrement", "proportional", "linear"]))
    x = draw(groups(positive if how == "proportional" else finite))
    table: list[float] | None = None
    decrement: float | None = None
    if how == "table":
        rest = draw(st.lists(st.floats(min_value=0.0, max_value=w), max_size=6))
        table = [w, *sorted(rest, reverse=True)]
    elif how == "decrement":
        decrement = draw(st.floats(min_value=0.01, max_value=w))

    def score(x: np.ndarray) -> np.ndarray:
        return rank_points(
            x, w, d, table=table, decrement=decrement, proportional=how == "proportional"
        )

    return Case(f"rank_points[{how}]", score, (x,), (0,), d, w, w, how == "proportional", True)


def _bands(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    x = draw(groups(finite))
    cuts = sorted(draw(st.lists(finite, min_size=1, max_size=5, unique=True)))
    pts = sorted(draw(st.lists(st.floats(0.0, w), min_size=len(cuts) + 1, max_size=len(cuts) + 1)))
    if d < 0:
        pts.reverse()  # lower values score more
    edges: list[float | None] = [None, *cuts, None]
    spec = [(edges[k], edges[k + 1], pts[k]) for k in range(len(pts))]
    # Dropping the worst end band leaves a gap that scores 0, which keeps the bands monotone.
    if len(spec) > 1 and draw(st.booleans()):
        spec = spec[1:] if d > 0 else spec[:-1]

    def score(x: np.ndarray) -> np.ndarray:
        return bands(x, w, bands=spec)

    return Case("bands", score, (x,), (0,), d, w, w, False, False)


def _benchmark_ratio(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    x = draw(groups(positive))
    cap = draw(st.floats(min_value=0.5, max_value=3.0))
    benchmark = draw(st.none() | positive)

    def score(x: np.ndarray) -> np.ndarray:
        return benchmark_ratio(x, w, d, benchmark=benchmark, cap=cap)

    return Case("benchmark_ratio", score, (x,), (0,), d, w, cap * w, True, False)


def _level_and_growth(draw: st.DrawFn) -> Case:
    d = draw(directions)
    w = draw(points_w)
    level = draw(groups(finite))
    growth = draw(groups(finite, n=level.size))
    a = draw(st.floats(min_value=0.0, max_value=1.0))
    base = draw(st.floats(min_value=0.0, max_value=1.0))

    def score(level: np.ndarray, growth: np.ndarray) -> np.ndarray:
        return level_and_growth(level, growth, w, d, a=a, base=base)

    return Case("level_and_growth", score, (level, growth), (0, 1), d, w, w, False, False)


FACTORIES: dict[str, Callable[[st.DrawFn], Case]] = {
    "completion": _completion,
    "efficacy": _efficacy,
    "vs_average": _vs_average,
    "rank_points": _rank_points,
    "bands": _bands,
    "benchmark_ratio": _benchmark_ratio,
    "level_and_growth": _level_and_growth,
}


@st.composite
def cases(draw: st.DrawFn, names: tuple[str, ...] = tuple(FACTORIES)) -> Case:
    return FACTORIES[draw(st.sampled_from(names))](draw)


def _tolerance(case: Case) -> float:
    # Rules built on the group mean move by a few ulps when a value changes; nothing more.
    return 1e-9 * max(1.0, case.upper)


def _complete_units(case: Case) -> np.ndarray:
    ok = np.ones(case.arrays[0].size, dtype=bool)
    for arr in case.arrays:
        ok &= ~np.isnan(arr)
    return np.flatnonzero(ok)


# --------------------------------------------------------------------------------------------
# the per-unit rules
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(case=cases(), data=st.data())
def test_a_better_value_never_scores_fewer_points(case: Case, data: st.DataObject) -> None:
    complete = _complete_units(case)
    i = int(data.draw(st.sampled_from(complete.tolist()), label="unit"))
    k = data.draw(st.sampled_from(case.monotone_in), label="array")
    better = [arr.copy() for arr in case.arrays]
    if case.positive_only:
        factor = data.draw(st.floats(min_value=1.0, max_value=10.0), label="factor")
        better[k][i] *= factor if case.direction > 0 else 1.0 / factor
    else:
        step = data.draw(st.floats(min_value=0.0, max_value=500.0), label="step")
        better[k][i] += case.direction * step
    before = case.score(*case.arrays)[i]
    after = case.score(*better)[i]
    assert after >= before - _tolerance(case), (case.name, before, after)


@SETTINGS
@given(case=cases())
def test_points_lie_within_zero_and_the_most_a_unit_can_get(case: Case) -> None:
    p = case.score(*case.arrays)
    scored = p[~np.isnan(p)]
    assert (scored >= 0.0).all(), (case.name, scored)
    assert (scored <= case.upper * (1 + 1e-12)).all(), (case.name, case.upper, scored)


@SETTINGS
@given(case=cases())
def test_points_are_missing_exactly_where_a_value_is(case: Case) -> None:
    missing = np.zeros(case.arrays[0].size, dtype=bool)
    for arr in case.arrays:
        missing |= np.isnan(arr)
    assert_array_equal(np.isnan(case.score(*case.arrays)), missing)


@SETTINGS
@given(case=cases(), data=st.data())
def test_permuting_units_permutes_points(case: Case, data: st.DataObject) -> None:
    n = case.arrays[0].size
    perm = np.asarray(data.draw(st.permutations(range(n)), label="permutation"))
    permuted = case.score(*(arr[perm] for arr in case.arrays))
    assert_allclose(permuted, case.score(*case.arrays)[perm], rtol=1e-12, atol=_tolerance(case))


@SETTINGS
@given(case=cases(names=("efficacy", "rank_points")))
def test_the_best_unit_gets_full_points(case: Case) -> None:
    if not case.best_gets_full:  # efficacy with a given goalpost
        return
    x = case.arrays[0]
    oriented = np.where(np.isnan(x), -np.inf, case.direction * x)
    best = int(np.argmax(oriented))
    assert case.score(x)[best] == case.w, case.name


# --------------------------------------------------------------------------------------------
# judged
# --------------------------------------------------------------------------------------------


@st.composite
def panels(draw: st.DrawFn) -> tuple[np.ndarray, float]:
    """Judges' scores in [0, w], shape (units, judges, criteria), some not given."""
    w = draw(points_w)
    units = draw(st.integers(min_value=1, max_value=5))
    judges = draw(st.integers(min_value=1, max_value=8))
    criteria = draw(st.integers(min_value=1, max_value=3))
    size = units * judges * criteria
    values = draw(
        st.lists(st.floats(min_value=0.0, max_value=w) | st.just(NAN), min_size=size, max_size=size)
    )
    return np.array(values).reshape(units, judges, criteria), w


judging = st.fixed_dictionaries(
    {"trim": st.booleans(), "min_judges_for_trim": st.integers(min_value=3, max_value=7)}
)


@SETTINGS
@given(panel=panels(), options=judging, data=st.data())
def test_judged_a_higher_score_never_lowers_the_mean(
    panel: tuple[np.ndarray, float], options: dict[str, int], data: st.DataObject
) -> None:
    s, w = panel
    units, judges, criteria = s.shape
    i = data.draw(st.integers(0, units - 1), label="unit")
    j = data.draw(st.integers(0, judges - 1), label="judge")
    c = data.draw(st.integers(0, criteria - 1), label="criterion")
    if np.isnan(s[i, j, c]):
        return
    higher = s.copy()
    higher[i, j, c] += data.draw(st.floats(min_value=0.0, max_value=w), label="raise")
    before = judged(s, **options)[i, c]  # type: ignore[arg-type]
    after = judged(higher, **options)[i, c]  # type: ignore[arg-type]
    assert after >= before - 1e-9 * w


@SETTINGS
@given(panel=panels(), options=judging, data=st.data())
def test_judged_range_and_permutations(
    panel: tuple[np.ndarray, float], options: dict[str, int], data: st.DataObject
) -> None:
    s, w = panel
    mean = judged(s, **options)  # type: ignore[arg-type]
    assert_array_equal(np.isnan(mean), np.isnan(s).all(axis=1))
    scored = mean[~np.isnan(mean)]
    assert (scored >= 0.0).all()
    assert (scored <= w * (1 + 1e-12)).all()
    units = np.asarray(data.draw(st.permutations(range(s.shape[0])), label="units"))
    assert_allclose(judged(s[units], **options), mean[units])  # type: ignore[arg-type]
    # which judge is which does not matter either
    judges = np.asarray(data.draw(st.permutations(range(s.shape[1])), label="judges"))
    assert_allclose(judged(s[:, judges], **options), mean, rtol=1e-12)  # type: ignore[arg-type]
