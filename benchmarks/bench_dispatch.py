"""A month of key-project dispatch for a province: 10,000 projects x 36 months of reports.

What the dashboard needs for one month — every project's figures, status and warning colour,
every county's sums, rates and ranks, the headline questions — timed in one process against a
plain pandas baseline: the same month's sums (当年累计, 自开工累计 per project, then per county)
with a straightforward ``groupby``, no schedule, no status, no warnings.  The goal: the
dashboard's numbers in well under a second (printed; the script exits 1 above 1 s).

Run: ``make bench`` or ``python benchmarks/bench_dispatch.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

GOAL_SECONDS = 1.0


def make_data(
    projects: int, months: int, seed: int = 20261202
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A seeded registry over 150 counties and ``months`` months of reports ending 2026-12."""
    rng = np.random.default_rng(seed)
    counties = np.array([f"41{c:04d}" for c in range(150)])
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, projects), unit="D")
    reg = pd.DataFrame(
        {
            "project": [f"P{i:05d}" for i in range(projects)],
            "name": [f"项目{i}" for i in range(projects)],
            "county": counties[rng.integers(0, len(counties), projects)],
            "key_level": np.where(rng.random(projects) < 0.6, "市重点", None),
            "industrial": rng.random(projects) < 0.5,
            "total": rng.uniform(1e4, 5e5, projects).round(0),
            "annual_plan": rng.uniform(1e3, 5e4, projects).round(0),
            "bond": np.where(rng.random(projects) < 0.05, rng.uniform(1e3, 2e4, projects), 0.0),
            "planned_start": start - pd.to_timedelta(rng.integers(0, 120, projects), unit="D"),
            "actual_start": start.where(rng.random(projects) < 0.9),
            "planned_finish": start + pd.to_timedelta(rng.integers(365, 1500, projects), unit="D"),
        }
    )
    month_labels = pd.period_range(end="2026-12", periods=months, freq="M").astype(str)
    rep = pd.DataFrame(
        {
            "project": np.repeat(reg["project"].to_numpy(), months),
            "month": np.tile(month_labels.to_numpy(), projects),
            "invested": rng.gamma(2.0, 500.0, projects * months).round(1),
            "stopped": rng.random(projects * months) < 0.01,
            "in_statistics": rng.random(projects * months) < 0.95,
        }
    )
    return reg, rep


def run_kaoping(reg: pd.DataFrame, rep: pd.DataFrame, month: str) -> Any:
    from kaoping.dispatch import (
        county_measures,
        county_progress,
        new_starts,
        rank_counties,
        special_bonds,
    )
    from kaoping.dispatch.progress import progress

    table = progress(reg, rep, month)
    counties = county_progress(table)
    colours = None
    try:
        from kaoping.dispatch import alerts
    except ImportError:  # the warnings module arrives with its own commit
        pass
    else:
        warnings = alerts.evaluate(
            alerts.load_rules("yinchuan"), table, registry=reg, reports=rep, month=month
        )
        colours = warnings["colour"].value_counts()
    ranked = rank_counties(
        county_measures(reg, table, month), by=["completion_pct", "start_rate"], cutoffs=[30]
    )
    return (
        counties,
        colours,
        ranked,
        new_starts(reg, month),
        special_bonds(reg),
        table["status"].value_counts(),
    )


def run_plain(reg: pd.DataFrame, rep: pd.DataFrame, month: str) -> Any:
    mi = pd.to_datetime(rep["month"], format="%Y-%m")
    now = pd.Timestamp(month)
    upto = rep[mi <= now]
    year = upto[mi[upto.index].dt.year == now.year]
    ytd = year.groupby("project")["invested"].sum()
    total = upto.groupby("project")["invested"].sum()
    frame = reg.set_index("project").assign(ytd=ytd, since_start=total)
    return frame.groupby("county")[["ytd", "since_start", "annual_plan"]].sum()


def _time(fn: Callable[..., Any], *args: Any, repeat: int) -> float:
    fn(*args)  # warm up: imports, caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    projects, months = 10_000, 36
    reg, rep = make_data(projects, months)
    repeat = 3 if args.quick else 9
    ours = _time(run_kaoping, reg, rep, "2026-12", repeat=repeat)
    plain = _time(run_plain, reg, rep, "2026-12", repeat=repeat)
    met = ours < GOAL_SECONDS
    print(
        f"dispatch month, {projects:,} projects x {months} months ({len(rep):,} reports), "
        f"median of {repeat}"
    )
    print(
        f"  {'kaoping (dashboard: figures, statuses, warnings, ranks, questions)':<68} "
        f"{ours * 1e3:8.0f} ms  1.00"
    )
    print(
        f"  {'plain pandas groupby (the sums only)':<68} {plain * 1e3:8.0f} ms  {plain / ours:.2f}"
    )
    print(
        f"  goal: under {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'} "
        f"({ours / plain:.1f}x the plain sums)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
