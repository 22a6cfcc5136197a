"""Properties of the official path (hypothesis), on the small methodology of test_official."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.assess import assess
from kaoping.data import Panel
from kaoping.methodology import check_text, loads

from .test_official import YAML, _events, _units

values = st.floats(min_value=0.5, max_value=100.0, allow_nan=False, allow_infinity=False)
county = st.fixed_dictionaries({"g": values, "p": values, "w": values})
counties = st.fixed_dictionaries({u: county for u in "ABCD"})
targets = st.fixed_dictionaries({u: values for u in "ABCD"})

METHODOLOGY = loads(YAML)


def _run(
    data: dict[str, dict[str, float]],
    tgt: dict[str, float],
    accidents: dict[str, float] | None = None,
    previous: object = None,
) -> pd.DataFrame:
    rows = []
    for u, ind in data.items():
        for k, v in {**ind, "acc": (accidents or {}).get(u, 0.0)}.items():
            rows.append({"unit": u, "indicator": k, "period": "2024", "value": float(v)})
    target_rows = [
        {"unit": u, "indicator": "g", "period": "2024", "value": float(t)} for u, t in tgt.items()
    ]
    out = assess(
        METHODOLOGY,
        Panel(pd.DataFrame(rows)),
        "2024",
        units=_units(),
        targets=Panel(pd.DataFrame(target_rows)),
        events=_events(),
        previous=previous,
    )
    return out


@settings(max_examples=40, deadline=None)
@given(counties, targets, st.sampled_from(list("ABCD")), st.sampled_from(["g", "w"]), values)
def test_raising_a_positive_indicator_never_lowers_its_points(
    data: dict[str, dict[str, float]], tgt: dict[str, float], unit: str, ind: str, more: float
) -> None:
    before = _run(data, tgt).points.loc[unit, ind]
    raised = {u: dict(v) for u, v in data.items()}
    raised[unit][ind] += more
    after = _run(raised, tgt).points.loc[unit, ind]
    assert after >= before - 1e-12


@settings(max_examples=40, deadline=None)
@given(counties, targets, st.sampled_from(list("ABCD")), values)
def test_lowering_a_negative_indicator_never_lowers_its_points(
    data: dict[str, dict[str, float]], tgt: dict[str, float], unit: str, less: float
) -> None:
    before = _run(data, tgt).points.loc[unit, "p"]
    lowered = {u: dict(v) for u, v in data.items()}
    lowered[unit]["p"] = max(0.0, lowered[unit]["p"] - less)
    after = _run(lowered, tgt).points.loc[unit, "p"]
    assert after >= before - 1e-12


@settings(max_examples=40, deadline=None)
@given(counties, targets, st.sampled_from(list("ABCD")))
def test_a_veto_never_changes_anyone_elses_rank(
    data: dict[str, dict[str, float]], tgt: dict[str, float], vetoed: str
) -> None:
    clean = _run(data, tgt).table
    hit = _run(data, tgt, accidents={vetoed: 1.0}).table
    pd.testing.assert_series_equal(clean["rank"], hit["rank"])
    pd.testing.assert_series_equal(clean["category_rank"], hit["category_rank"])
    assert isinstance(hit.loc[vetoed, "veto"], str)
    assert not isinstance(hit.loc[vetoed, "tier"], str)
    assert not isinstance(hit.loc[vetoed, "awards"], str)
    others = [u for u in "ABCD" if u != vetoed]
    assert hit.loc[others, "veto"].isna().all()


@settings(max_examples=40, deadline=None)
@given(counties, targets)
def test_progress_is_zero_when_nothing_changes(
    data: dict[str, dict[str, float]], tgt: dict[str, float]
) -> None:
    first = _run(data, tgt)
    again = _run(data, tgt, previous=first)
    assert (again.table["rank_change"] == 0).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=20), min_size=3, max_size=3),
    st.permutations([0, 1, 2]),
    st.integers(min_value=-3, max_value=3),
)
def test_category_points_must_total_the_same(
    x_points: list[int], order: list[int], shift: int
) -> None:
    # Y's points are a permutation of X's (same total), possibly shifted by `shift` on one item
    total = sum(x_points)
    y_points = [x_points[i] for i in order]
    y_points[0] += shift
    ids = ["g", "p", "w"]
    scoring = "\n".join(
        f"    {k}: {{points: {{X: {a}, Y: {b}}}, rule: efficacy}}"
        for k, a, b in zip(ids, x_points, y_points, strict=True)
    )
    text = YAML.split("official:")[0] + (
        f"official:\n  categories: [X, Y]\n  total_points: {total}\n  scoring:\n{scoring}\n"
    )
    codes = [p.code for p in check_text(text)]
    if total == 0:
        return  # total_points must be positive: a different rule
    bad = "methodology.official_points_total" in codes
    assert bad == (shift != 0 and y_points[0] >= 0)


def test_bundled_official_example_totals_every_category_to_100() -> None:
    from kaoping.methodology import load

    m = load("county_hqd_official")
    spec = m.official
    assert spec is not None
    for cat in spec.categories:
        assert sum(row.points_for(cat) for row in spec.scoring) == spec.total_points == 100
    assert np.isclose(len(spec.bonus), 3)
    assert len(spec.veto) == 1
