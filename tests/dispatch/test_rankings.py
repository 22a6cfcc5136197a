"""Counties ranked by their dispatch figures, the 「三个一批」 rates and the headline questions,
on small examples worked by hand (the numbers in each docstring)."""

from __future__ import annotations

import math

import pandas as pd
from numpy.testing import assert_allclose

from kaoping.data.panel import Panel
from kaoping.dispatch import (
    batch_rates,
    county_measures,
    new_starts,
    rank_counties,
    red_projects,
    special_bonds,
)
from kaoping.dispatch.progress import progress

T = pd.Timestamp
NaT = pd.NaT


def _registry() -> pd.DataFrame:
    """County A: 2 projects planned to start in 2026, 1 started by June (50 %); one planned to
    finish in 2026 and finished (100 %).  County B: 1 planned start, started (100 %); no planned
    finish in 2026 (no 竣工率).  Plans 1000 each."""
    return pd.DataFrame(
        {
            "project": ["A1", "A2", "A3", "B1"],
            "county": ["A", "A", "A", "B"],
            "annual_plan": [1000.0] * 4,
            "planned_start": [T("2026-03-01"), T("2026-05-01"), T("2024-01-01"), T("2026-02-01")],
            "actual_start": [T("2026-03-10"), NaT, T("2024-02-01"), T("2026-02-20")],
            "planned_finish": [T("2027-06-30"), T("2027-06-30"), T("2026-05-31"), T("2028-01-01")],
            "actual_finish": [NaT, NaT, T("2026-05-20"), NaT],
        }
    )


def test_start_and_finish_rates_count_the_years_planned_projects() -> None:
    reg = _registry()
    rep = pd.DataFrame(
        {"project": ["A1", "A3", "B1"], "month": ["2026-06"] * 3, "invested": [300.0, 500.0, 900.0]}
    )
    measures = county_measures(
        reg, progress(reg, rep, "2026-06"), "2026-06", counties=["A", "B", "C"]
    )
    assert_allclose(measures.loc["A", ["start_rate", "finish_rate"]].astype(float), [50.0, 100.0])
    assert measures.loc["B", "start_rate"] == 100.0
    assert math.isnan(measures.loc["B", "finish_rate"])
    # investment completion: A (300 + 0 + 500) / 3000 = 26.7 %, B 900 / 1000 = 90 %
    assert_allclose(measures.loc[["A", "B"], "completion_pct"].astype(float), [800 / 30, 90.0])
    ranked = rank_counties(measures, by=["start_rate", "completion_pct"], cutoffs=[1])
    assert ranked.loc[["A", "B"], "start_rate_rank"].tolist() == [2.0, 1.0]
    assert ranked.loc[["A", "B"], "completion_pct_tier"].tolist() == [-1, 0]
    assert math.isnan(ranked.loc["C", "start_rate_rank"])  # no project: no rank


def test_ties_share_a_rank_and_categories_rank_apart() -> None:
    """Completion 90, 90, 80, 70 → 1, 1, 3, 4; categories x = {A, C}, y = {B, D} → 1, 1, 2, 2."""
    measures = pd.DataFrame(
        {"completion_pct": [90.0, 90.0, 80.0, 70.0]}, index=pd.Index(list("ABCD"), name="county")
    )
    ranked = rank_counties(
        measures, by=["completion_pct"], categories={"A": "x", "B": "y", "C": "x", "D": "y"}
    )
    assert ranked["completion_pct_rank"].tolist() == [1.0, 1.0, 3.0, 4.0]
    assert ranked["completion_pct_rank_in_category"].tolist() == [1.0, 1.0, 2.0, 2.0]


def test_a_dispatch_measure_becomes_an_indicator_of_the_annual_assessment() -> None:
    from kaoping.dispatch import as_indicator

    measures = pd.DataFrame(
        {"completion_pct": [90.0, 75.5]}, index=pd.Index(["410821", "410822"], name="county")
    )
    panel = Panel(
        as_indicator(measures, "completion_pct", indicator="key_project_completion", period="2026")
    )
    assert panel.units == ("410821", "410822")
    assert panel.indicators == ("key_project_completion",)


def test_batch_rates_per_county_and_batch() -> None:
    """Batch 第一期, county A: 4 signed (2 fulfilled, 1 of them started) → 履约率 50 %,
    开工率 50 %, 投产率 0 % (a1 started, not in production); county B: 1 presented as 投产,
    at full effect by the date → 达效率 100 %, no signed project (履约率 NaN).  A date after
    the as-of date does not count."""
    reg = pd.DataFrame(
        {
            "project": ["a1", "a2", "a3", "a4", "b1"],
            "county": ["A"] * 4 + ["B"],
            "batch": ["第一期"] * 5,
            "batch_role": ["签约"] * 4 + ["投产"],
            "fulfilled_on": [T("2026-01-05"), T("2026-02-01"), T("2026-09-01"), NaT, NaT],
            "actual_start": [T("2026-03-01"), NaT, NaT, NaT, NaT],
            "effective_on": [NaT, NaT, NaT, NaT, T("2026-04-01")],
        }
    )
    rates = batch_rates(reg, "2026-06-30", by=("batch", "county"))
    a, b = rates.loc[("第一期", "A")], rates.loc[("第一期", "B")]
    assert_allclose([a.fulfilment_pct, a.start_pct], [50.0, 50.0])
    assert a.production_pct == 0.0  # a1 started, not yet in production
    assert math.isnan(a.effect_pct)  # nobody in production: no base
    assert math.isnan(b.fulfilment_pct)
    assert b.effect_pct == 100.0
    assert (a.base_1, a.base_2, a.base_3) == (4, 2, 1)


def test_the_headline_questions() -> None:
    """Bonds 120000 + 76000 万元 = 19.6 亿元 in 2 projects; red: only P2, with its reason."""
    reg = pd.DataFrame(
        {"project": ["P1", "P2", "P3"], "county": ["A"] * 3, "bond": [120000.0, 0.0, 76000.0]}
    )
    bonds = special_bonds(reg)
    assert (bonds.projects, bonds.amount_yi) == (2, 19.6)
    table = pd.DataFrame(
        {"name": ["一", "二", "三"], "lag_pp": [5.0, 40.0, 12.0]}, index=["P1", "P2", "P3"]
    )
    warnings = pd.DataFrame(
        {
            "colour": ["green", "red", "yellow"],
            "reason_zh": ["", "滞后序时进度 40.0 个百分点", "x"],
        },
        index=["P1", "P2", "P3"],
    )
    red = red_projects(table, warnings)
    assert list(red.index) == ["P2"]
    assert red.loc["P2", "reason_zh"].startswith("滞后")
    starts = new_starts(
        pd.DataFrame(
            {
                "project": ["P1", "P2"],
                "county": ["A", "A"],
                "key_level": ["市重点", "市重点"],
                "industrial": [True, True],
                "actual_start": [T("2026-01-01"), T("2026-08-01")],
            }
        ),
        "2026-06",
        all_new_industrial=4,
    )
    assert (starts.key, starts.industrial, starts.share_pct) == (1, 4, 25.0)
