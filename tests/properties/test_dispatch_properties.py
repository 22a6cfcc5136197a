"""Invariants of a month's dispatch figures (kaoping.dispatch) on random registries and reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.dispatch import batch_rates, county_progress
from kaoping.dispatch.progress import progress

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@st.composite
def _dispatch(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 6))
    plans = draw(st.lists(st.sampled_from([0.0, 100.0, 1200.0, 5000.0]), min_size=n, max_size=n))
    counties = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    reg = pd.DataFrame(
        {
            "project": [f"P{i}" for i in range(n)],
            "county": counties,
            "annual_plan": plans,
            "actual_start": pd.Timestamp("2025-06-01"),
        }
    )
    rows = []
    for i in range(n):
        for m in MONTHS:
            if draw(st.booleans()):
                rows.append((f"P{i}", m, float(draw(st.integers(0, 1000)))))
    rep = pd.DataFrame(rows, columns=["project", "month", "invested"])
    return reg, rep


@settings(max_examples=40, deadline=None)
@given(_dispatch())
def test_the_years_total_and_completion_never_fall_over_the_months(
    data: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    reg, rep = data
    previous = None
    for month in MONTHS:
        table = progress(reg, rep, month)
        assert (table["ytd"] <= table["since_start"] + 1e-9).all()
        if previous is not None:
            assert (table["ytd"] >= previous["ytd"] - 1e-9).all()
            done = table["completion_pct"].notna()
            assert (
                table.loc[done, "completion_pct"] >= previous.loc[done, "completion_pct"] - 1e-9
            ).all()
            assert (table["schedule_pct"] >= previous["schedule_pct"] - 1e-9).all()
        previous = table


@settings(max_examples=40, deadline=None)
@given(_dispatch(), st.sampled_from(MONTHS))
def test_a_countys_sums_are_its_projects_sums(
    data: tuple[pd.DataFrame, pd.DataFrame], month: str
) -> None:
    reg, rep = data
    table = progress(reg, rep, month)
    county = county_progress(table)
    assert np.isclose(county["ytd"].sum(), table["ytd"].sum())
    assert county["projects"].sum() == len(table)
    statuses = ["超前", "正常", "滞后", "停工", "未开工"]
    assert (county[statuses].sum(axis=1) == county["projects"]).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["签约", "开工", "投产"]),
            st.lists(st.booleans(), min_size=5, max_size=5),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_batch_rates_are_shares_and_their_bases_follow_the_stages(
    projects: list[tuple[str, list[bool]]],
) -> None:
    cols = ["signed_on", "fulfilled_on", "actual_start", "produced_on", "effective_on"]
    reg = pd.DataFrame(
        {
            "project": [f"P{i}" for i in range(len(projects))],
            "county": "A",
            "batch": "一",
            "batch_role": [role for role, _ in projects],
            **{
                col: [
                    pd.Timestamp("2026-01-01") if reached[k] else pd.NaT for _, reached in projects
                ]
                for k, col in enumerate(cols)
            },
        }
    )
    row = batch_rates(reg, "2026-06-30").iloc[0]
    for rate in ("fulfilment_pct", "start_pct", "production_pct", "effect_pct"):
        assert np.isnan(row[rate]) or 0.0 <= row[rate] <= 100.0
    counts = [row[c] for c in ("signed", "fulfilled", "started", "produced", "effective")]
    assert counts == sorted(
        counts, reverse=True
    )  # reaching a stage means reaching the earlier ones


_WORSE = {"green": 0, "yellow": 1, "red": 2}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-50.0, 150.0, allow_nan=False), min_size=1, max_size=20),
    st.lists(st.integers(0, 6), min_size=1, max_size=20),
)
def test_a_larger_lag_or_a_later_start_never_gives_a_better_colour(
    lags: list[float], late: list[int]
) -> None:
    from kaoping.dispatch.alerts import evaluate

    n = min(len(lags), len(late))
    lags, late = sorted(lags[:n]), sorted(late[:n])
    table = pd.DataFrame(
        {
            "started": True,
            "lag_pp": lags,
            "completion_pct": 50.0,
            "schedule_pct": 50.0,
            "explained": False,
            "months_late_to_start": 0.0,
            "months_not_in_statistics": 0.0,
        },
        index=pd.Index([f"P{i}" for i in range(n)], name="project"),
    )
    by_lag = [_WORSE[c] for c in evaluate("yinchuan", table)["colour"]]
    assert by_lag == sorted(by_lag)
    not_started = table.assign(started=False, lag_pp=0.0, months_late_to_start=late)
    by_late = [_WORSE[c] for c in evaluate("yinchuan", not_started)["colour"]]
    assert by_late == sorted(by_late)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 200.0, allow_nan=False), min_size=1, max_size=20))
def test_a_higher_task_rate_never_gives_a_worse_colour(rates: list[float]) -> None:
    from kaoping.dispatch.alerts import evaluate

    table = pd.DataFrame({"month_task_pct": sorted(rates)})
    colours = [_WORSE[c] for c in evaluate("xinhuang", table)["colour"]]
    assert colours == sorted(colours, reverse=True)
