"""A month's progress per project and county (kaoping.dispatch.progress), worked by hand.

Every expected number below is computed in the docstring or comment beside it from the
formulas of the module docstring (序时进度 linear in the planned months, or from a monthly plan).
"""

from __future__ import annotations

import doctest
import importlib

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.dispatch.progress import county_progress, parse_month, progress, project_series

T = pd.Timestamp


def _reg(**columns: list[object]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base: dict[str, list[object]] = {
        "project": [f"P{i + 1}" for i in range(n)],
        "county": ["410821"] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def _rep(rows: list[tuple[str, str, float]], **extra: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["project", "month", "invested"])
    for name, values in extra.items():
        frame[name] = values
    return frame


def test_the_modules_examples_hold() -> None:
    # by their module path: kaoping.dispatch.progress, as an attribute, is the function
    for name in ("progress", "batches", "questions", "rankings", "ledger"):
        module = importlib.import_module(f"kaoping.dispatch.{name}")
        assert doctest.testmod(module).failed == 0


def test_a_project_behind_its_linear_schedule_lags() -> None:
    """Plan 1200 for 2026, started in 2025: schedule in March = 3/12 = 25 %; 200 invested =
    200/1200 = 16.67 %; lag 8.33 pp > 5 → 滞后; with a 10 pp tolerance → 正常."""
    reg = _reg(annual_plan=[1200.0], actual_start=[T("2025-05-01")], invested_before=[3000.0])
    rep = _rep([("P1", "2026-01", 100.0), ("P1", "2026-02", 100.0), ("P1", "2026-03", 0.0)])
    row = progress(reg, rep, "2026-03").loc["P1"]
    assert_allclose(
        [row.ytd, row.since_start, row.completion_pct, row.schedule_pct, row.lag_pp],
        [200.0, 3200.0, 200 / 12, 25.0, 25.0 - 200 / 12],
    )
    assert row.status == "滞后"
    assert_allclose(row.month_plan, 100.0)  # 1200 over 12 months
    assert_allclose(row.month_task_pct, 0.0)
    assert progress(reg, rep, "2026-03", tolerance_pp=10).loc["P1"].status == "正常"


def test_the_linear_schedule_runs_from_the_planned_start_to_the_planned_finish() -> None:
    """Planned April–September 2026 (6 months), plan 600: in June (6-4+1)/6 = 50 %, in
    March 0 %, in October 100 %; the month's plan 600/6 = 100, none in March."""
    reg = _reg(
        annual_plan=[600.0],
        planned_start=[T("2026-04-10")],
        planned_finish=[T("2026-09-30")],
        actual_start=[T("2026-04-12")],
    )
    rep = _rep([("P1", "2026-04", 100.0), ("P1", "2026-05", 150.0), ("P1", "2026-06", 110.0)])
    june = progress(reg, rep, "2026-06").loc["P1"]
    assert_allclose([june.schedule_pct, june.completion_pct, june.month_plan], [50.0, 60.0, 100.0])
    assert june.status == "超前"  # 60 - 50 = 10 > 5
    march = progress(reg, rep, "2026-03").loc["P1"]
    assert_allclose([march.schedule_pct, march.month_plan], [0.0, 0.0])
    assert march.status == "未开工"
    assert_allclose(progress(reg, rep, "2026-10").loc["P1"].schedule_pct, 100.0)


def test_a_monthly_plan_gives_the_schedule_and_the_years_plan() -> None:
    """Plan 100 (Jan) + 300 (Feb) + 600 (Mar) = 1000 for the year, whatever the registry says:
    February's schedule (100+300)/1000 = 40 %; 350 invested = 35 %; the month's plan 300 and
    its task rate 250/300 = 83.3 %."""
    reg = _reg(annual_plan=[5000.0], actual_start=[T("2025-01-01")])
    plans = pd.DataFrame(
        {
            "project": ["P1"] * 3,
            "month": ["2026-01", "2026-02", "2026-03"],
            "planned": [100.0, 300.0, 600.0],
        }
    )
    rep = _rep([("P1", "2026-01", 100.0), ("P1", "2026-02", 250.0)])
    row = progress(reg, rep, "2026-02", plans=plans).loc["P1"]
    assert_allclose(
        [row.annual_plan, row.schedule_pct, row.completion_pct, row.month_plan, row.month_task_pct],
        [1000.0, 40.0, 35.0, 300.0, 250 / 3],
    )


def test_the_years_total_starts_again_in_january() -> None:
    """December 2025: 500; January 2026: 100 → January's 当年累计 100, 自开工累计 B + 600."""
    reg = _reg(annual_plan=[1200.0], actual_start=[T("2025-03-01")], invested_before=[1000.0])
    rep = _rep([("P1", "2025-12", 500.0), ("P1", "2026-01", 100.0)])
    row = progress(reg, rep, "2026-01").loc["P1"]
    assert_allclose([row.ytd, row.since_start], [100.0, 1600.0])
    # a month not yet reported: nothing this month, the totals as they stand
    feb = progress(reg, rep, "2026-02").loc["P1"]
    assert not feb.reported
    assert pd.isna(feb.invested)
    assert_allclose([feb.ytd, feb.since_start], [100.0, 1600.0])


def test_stopped_not_started_and_months_late() -> None:
    """P1 reports 停工; P2 was planned to start in February and in May has not: 3 months late,
    未开工; P3 started in January and in March is still not in the statistics: 2 months."""
    reg = _reg(
        annual_plan=[100.0, 100.0, 100.0],
        planned_start=[T("2025-01-01"), T("2026-02-15"), T("2026-01-01")],
        actual_start=[T("2025-01-01"), pd.NaT, T("2026-01-20")],
    )
    rep = _rep(
        [("P1", "2026-05", 0.0), ("P2", "2026-05", 0.0), ("P3", "2026-03", 10.0)],
        stopped=[True, False, False],
        in_statistics=[True, None, False],
        note=["", "征迁未完成", None],
    )
    may = progress(reg, rep, "2026-05")
    assert may.loc["P1", "status"] == "停工"
    assert may.loc["P2", "status"] == "未开工"
    assert may.loc["P2", "months_overdue_start"] == 3
    assert bool(may.loc["P2", "explained"])
    assert not bool(may.loc["P1", "explained"])
    march = progress(reg, rep, "2026-03")
    assert march.loc["P3", "months_not_in_statistics"] == 2
    assert march.loc["P2", "months_overdue_start"] == 1
    assert march.loc["P1", "months_not_in_statistics"] == 0  # not reported in March: unknown


def test_a_countys_schedule_is_weighted_by_the_plans() -> None:
    """Plans 1000 (started, linear: March 25 %) and 3000 (Jan–Jun planned, March 50 %):
    schedule (0.25·1000 + 0.5·3000)/4000 = 43.75 %; invested 200 + 600 = 800 of 4000 = 20 %."""
    reg = _reg(
        annual_plan=[1000.0, 3000.0],
        actual_start=[T("2025-01-01"), T("2026-01-05")],
        planned_start=[T("2025-01-01"), T("2026-01-01")],
        planned_finish=[T("2027-12-31"), T("2026-06-30")],
    )
    rep = _rep([("P1", "2026-03", 200.0), ("P2", "2026-03", 600.0)])
    table = progress(reg, rep, "2026-03")
    county = county_progress(table, counties=["410821", "410822"])
    assert_allclose(
        county.loc["410821", ["ytd", "completion_pct", "schedule_pct"]], [800.0, 20.0, 43.75]
    )
    # P1: 25 - 20 = 5 pp, not more than the tolerance → 正常; P2: 50 - 20 = 30 pp → 滞后
    assert (county.loc["410821", "正常"], county.loc["410821", "滞后"]) == (1, 1)
    assert county.loc["410822", "projects"] == 0
    assert pd.isna(county.loc["410822", "completion_pct"])


def test_a_projects_series_has_one_row_a_reported_month() -> None:
    """Linear plan 1200: 序时进度 100·m/12 for m = 1, 2, 3; cumulative 100, 300, 600."""
    reg = _reg(annual_plan=[1200.0], actual_start=[T("2025-01-01")])
    rep = _rep([("P1", "2026-01", 100.0), ("P1", "2026-02", 200.0), ("P1", "2026-03", 300.0)])
    series = project_series(reg, rep, "P1")
    assert list(series.index) == ["2026-01", "2026-02", "2026-03"]
    assert_allclose(series["schedule_pct"].astype(float), [100 / 12, 200 / 12, 300 / 12])
    assert_allclose(series["ytd"].astype(float), [100.0, 300.0, 600.0])


@pytest.mark.parametrize("bad", ["2026-13", "2026/03", "26-03", "2026-3"])
def test_a_month_must_be_written_year_dash_month(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(bad)
