r"""A project's and a county's progress in one month (月调度): investment against the plan.

For project :math:`p` in month :math:`m` of year :math:`y` (investment in 万元):

.. math::

    \text{本月完成投资}\; I_{p,m}, \qquad
    \text{当年累计}\; Y_{p,m} = \sum_{k \le m,\ k \in y} I_{p,k}, \qquad
    \text{自开工累计}\; S_{p,m} = B_p + \sum_{k \le m} I_{p,k}

    \text{当年投资完成率}\; c_{p,m} = 100\, Y_{p,m} / A_{p,y}, \qquad
    \text{序时进度}\; s_{p,m}, \qquad \text{lag}\; \ell_{p,m} = s_{p,m} - c_{p,m}

with :math:`B_p` the investment completed before the first dispatched month (调度前累计) and
:math:`A_{p,y}` the year's plan (年度计划投资).  The schedule :math:`s` (序时进度) is the plan's
cumulative share up to the month: from the monthly plan when one is given,
:math:`s = 100 \sum_{k\le m} P_{p,k} / \sum_{k \in y} P_{p,k}`; otherwise linear in the months of
the year the project is planned to build in, from its planned start month :math:`a` (January when
it started in an earlier year) to its planned finish month :math:`b` (December when it finishes
later): :math:`s = 100 \min(1, \max(0, (m - a + 1)/(b - a + 1)))`.

Status in the month: 停工 when the month's report says stopped; 未开工 before the actual start;
otherwise 超前 when :math:`c - s > \tau`, 滞后 when :math:`\ell > \tau`, else 正常, with the
tolerance :math:`\tau` (default 5 percentage points).  A county's figures are sums over its
projects; its rates are ratios of sums (the schedule weighted by each project's plan).

References
----------
The fields and the statuses 超前/正常/滞后 of a DRC dispatch system (``ZF-PMS-FGW``,
``ProjectRecordInfo.java``: ``completeRateByYear``, ``completeStatus``) and 序时进度 as cities
use it (``shared/research/domain.md`` §4.2, §4.4).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kaoping.dispatch.schema import MONTHLY, REGISTRY, STATUSES

__all__ = [
    "DEFAULT_TOLERANCE_PP",
    "county_progress",
    "month_index",
    "parse_month",
    "progress",
    "project_series",
    "registry_frame",
    "reports_frame",
]

DEFAULT_TOLERANCE_PP = 5.0


def parse_month(month: str | pd.Period) -> tuple[int, int]:
    """``"2026-03"`` (or a monthly ``pandas.Period``) -> ``(2026, 3)``.

    >>> parse_month("2026-03")
    (2026, 3)
    """
    if isinstance(month, pd.Period):
        return month.year, month.month
    text = str(month).strip()
    try:
        year, mon = int(text[:4]), int(text[5:7])
    except ValueError:
        raise ValueError(f"month must be written YYYY-MM (e.g. 2026-03), got {month!r}") from None
    if len(text) != 7 or text[4] != "-" or not 1 <= mon <= 12:
        raise ValueError(f"month must be written YYYY-MM (e.g. 2026-03), got {month!r}")
    return year, mon


def month_index(months: pd.Series) -> pd.Series:
    """Months ``"YYYY-MM"`` as integers ``12 * year + month - 1`` (consecutive months differ by
    one)."""
    parsed = pd.to_datetime(months.astype(str), format="%Y-%m")
    return parsed.dt.year * 12 + parsed.dt.month - 1


def _date_index(dates: pd.Series) -> pd.Series:
    """Dates as month integers like :func:`month_index`; NaN where missing."""
    d = pd.to_datetime(dates)
    return (d.dt.year * 12 + d.dt.month - 1).astype("float64")


def registry_frame(registry: pd.DataFrame) -> pd.DataFrame:
    """The registry with every column of :data:`~kaoping.dispatch.schema.REGISTRY` (missing
    ones empty), indexed by project id, dates as datetimes, numbers as floats."""
    frame = registry.copy()
    if frame.index.name == "project" and "project" not in frame.columns:
        frame = frame.reset_index()
    for col in REGISTRY:
        if col.name not in frame.columns:
            frame[col.name] = (
                pd.NaT if col.kind == "date" else (np.nan if col.kind in ("number",) else None)
            )
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name])
        elif col.kind == "number":
            frame[col.name] = pd.to_numeric(frame[col.name]).astype("float64")
        elif col.kind == "bool":
            frame[col.name] = frame[col.name].fillna(False).astype(bool)
    frame["project"] = frame["project"].astype(str)
    frame["county"] = frame["county"].astype(str)
    return frame.set_index("project")


def reports_frame(reports: pd.DataFrame) -> pd.DataFrame:
    """The monthly reports with every column of :data:`~kaoping.dispatch.schema.MONTHLY` and
    an integer month ``mi`` (:func:`month_index`)."""
    frame = reports.copy()
    for col in MONTHLY:
        if col.name not in frame.columns:
            frame[col.name] = np.nan if col.kind == "number" else None
    frame["project"] = frame["project"].astype(str)
    frame["invested"] = pd.to_numeric(frame["invested"]).astype("float64")
    if "mi" not in frame.columns:
        frame["mi"] = month_index(frame["month"]) if len(frame) else pd.Series([], dtype="int64")
    return frame


def _schedule(
    reg: pd.DataFrame, year: int, mon: int, plans: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """序时进度 (%), the year's plan and the month's plan, per project of ``reg``."""
    start = pd.to_datetime(reg["planned_start"])
    finish = pd.to_datetime(reg["planned_finish"])
    first = np.where(start.isna() | (start.dt.year < year), 1, start.dt.month)
    first = np.where(start.dt.year > year, 13, first)
    last = np.where(finish.isna() | (finish.dt.year > year), 12, finish.dt.month)
    last = np.where(finish.dt.year < year, 0, last)
    span = last - first + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            span > 0, np.clip((mon - first + 1) / np.where(span > 0, span, 1), 0, 1), 1.0
        )
        share = np.where((span <= 0) & (first > 12), 0.0, share)  # starts in a later year
        in_month = (first <= mon) & (mon <= last) & (span > 0)
        annual = reg["annual_plan"].to_numpy(dtype="float64")
        month_plan = np.where(in_month, annual / np.where(span > 0, span, 1), 0.0)
    schedule = pd.Series(share * 100.0, index=reg.index)
    annual_s = pd.Series(annual, index=reg.index)
    month_s = pd.Series(month_plan, index=reg.index)
    if plans is not None and len(plans):
        p = plans.copy()
        p["project"] = p["project"].astype(str)
        p["planned"] = pd.to_numeric(p["planned"]).astype("float64")
        mi = month_index(p["month"])
        p = p[(mi >= year * 12) & (mi < year * 12 + 12)]
        mi = mi[p.index]
        total = p.groupby("project")["planned"].sum()
        upto = p[mi <= year * 12 + mon - 1].groupby("project")["planned"].sum()
        this = p[mi == year * 12 + mon - 1].groupby("project")["planned"].sum()
        has = total.index.intersection(reg.index)
        total = total.loc[has]
        annual_s.loc[has] = total
        with np.errstate(invalid="ignore", divide="ignore"):
            schedule.loc[has] = np.where(
                total > 0, 100.0 * upto.reindex(has).fillna(0.0) / total.where(total > 0, 1.0), 0.0
            )
        month_s.loc[has] = this.reindex(has).fillna(0.0)
    return schedule, annual_s, month_s


def progress(
    registry: pd.DataFrame,
    reports: pd.DataFrame,
    month: str,
    *,
    plans: pd.DataFrame | None = None,
    tolerance_pp: float = DEFAULT_TOLERANCE_PP,
) -> pd.DataFrame:
    """Every project's figures and status in ``month`` (see the module docstring).

    Parameters
    ----------
    registry : pandas.DataFrame
        One row a project, columns named as :data:`~kaoping.dispatch.schema.REGISTRY` (at least
        ``project``, ``county``; ``annual_plan``, ``invested_before``, the dates when known).
    reports : pandas.DataFrame
        The monthly reports of every month so far, columns as
        :data:`~kaoping.dispatch.schema.MONTHLY` (at least ``project``, ``month``, ``invested``);
        at most one row per project and month.
    month : str
        ``"YYYY-MM"``.
    plans : pandas.DataFrame, optional
        A monthly plan (``project``, ``month``, ``planned``); a project with plan rows in the
        month's year takes its year's plan and its schedule from them.
    tolerance_pp : float, default 5
        Percentage points within which a project is 正常.

    Returns
    -------
    pandas.DataFrame
        Indexed by project: ``name``, ``county``, ``key_level``, ``reported``, ``invested``,
        ``ytd``, ``since_start``, ``annual_plan``, ``completion_pct``, ``schedule_pct``,
        ``lag_pp``, ``month_plan``, ``month_task_pct``, ``started``, ``finished``, ``stopped``,
        ``status``, ``months_overdue_start``, ``months_not_in_statistics``, ``explained``.

    Examples
    --------
    >>> reg = pd.DataFrame({"project": ["P1"], "county": ["410821"], "annual_plan": [1200.0],
    ...                     "actual_start": [pd.Timestamp("2025-05-01")]})
    >>> rep = pd.DataFrame({"project": ["P1"] * 3, "month": ["2026-01", "2026-02", "2026-03"],
    ...                     "invested": [100.0, 100.0, 0.0]})
    >>> row = progress(reg, rep, "2026-03").loc["P1"]
    >>> [round(float(row[c]), 2) for c in ("completion_pct", "schedule_pct", "lag_pp")], row.status
    ([16.67, 25.0, 8.33], '滞后')
    """
    year, mon = parse_month(month)
    now = year * 12 + mon - 1
    reg = registry_frame(registry)
    rep = reports_frame(reports)
    mi = rep["mi"].to_numpy()
    upto = rep[mi <= now]
    mi_upto = upto["mi"].to_numpy()
    ytd = upto[mi_upto >= year * 12].groupby("project", sort=False)["invested"].sum()
    total = upto.groupby("project", sort=False)["invested"].sum()
    this = upto[mi_upto == now].drop_duplicates("project", keep="last").set_index("project")

    out = pd.DataFrame(index=reg.index)
    out["name"] = reg["name"]
    out["county"] = reg["county"]
    out["key_level"] = reg["key_level"]
    out["reported"] = out.index.isin(this.index)
    out["invested"] = this["invested"].reindex(out.index)
    out["ytd"] = ytd.reindex(out.index).fillna(0.0)
    out["since_start"] = reg["invested_before"].fillna(0.0) + total.reindex(out.index).fillna(0.0)
    schedule, annual, month_plan = _schedule(reg, year, mon, plans)
    out["annual_plan"] = annual
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completion_pct"] = np.where(
            annual > 0, 100.0 * out["ytd"] / annual.where(annual > 0, 1.0), np.nan
        )
        out["schedule_pct"] = schedule
        out["lag_pp"] = out["schedule_pct"] - out["completion_pct"]
        out["month_plan"] = month_plan
        out["month_task_pct"] = np.where(
            month_plan > 0, 100.0 * out["invested"] / month_plan.where(month_plan > 0, 1.0), np.nan
        )
    start_mi = _date_index(reg["actual_start"])
    finish_mi = _date_index(reg["actual_finish"])
    planned_mi = _date_index(reg["planned_start"])
    out["started"] = (start_mi <= now).to_numpy()
    out["finished"] = (finish_mi <= now).to_numpy()
    stopped = this["stopped"].reindex(out.index)
    out["stopped"] = stopped.fillna(False).astype(bool).to_numpy()
    completion = out["completion_pct"].to_numpy()
    sched = out["schedule_pct"].to_numpy()
    with np.errstate(invalid="ignore"):
        ahead = completion - sched > tolerance_pp
        behind = sched - completion > tolerance_pp
    out["status"] = np.select(
        [out["stopped"].to_numpy(), ~out["started"].to_numpy(), ahead, behind],
        [STATUSES[3], STATUSES[4], STATUSES[0], STATUSES[2]],
        default=STATUSES[1],
    )
    overdue = np.where(
        ~out["started"].to_numpy() & planned_mi.notna().to_numpy(), now - planned_mi, 0
    )
    out["months_overdue_start"] = np.maximum(np.nan_to_num(overdue, nan=0.0), 0.0)
    in_stats = this["in_statistics"].reindex(out.index)
    not_in = in_stats.notna() & ~in_stats.fillna(True).astype(bool)
    out["months_not_in_statistics"] = np.where(
        not_in.to_numpy() & out["started"].to_numpy(), now - start_mi.to_numpy(), 0.0
    )
    note = this["note"].reindex(out.index)
    out["explained"] = note.notna().to_numpy() & (note.astype(str).str.strip() != "").to_numpy()
    return out


_COUNT_STATUS = {s: f"n_{i}" for i, s in enumerate(STATUSES)}


def county_progress(table: pd.DataFrame, counties: Sequence[str] | None = None) -> pd.DataFrame:
    """Per county: sums over its projects of a :func:`progress` table and the rates of sums.

    Columns: ``projects``, ``reported``, ``invested``, ``ytd``, ``annual_plan``,
    ``completion_pct`` (:math:`100\\,\\sum Y / \\sum A`), ``schedule_pct`` (the projects'
    schedules weighted by their plans), ``lag_pp``, ``month_plan``, ``month_task_pct``,
    ``started``, ``finished`` and one count per status (``超前`` … ``未开工``).  ``counties``
    lists counties to keep even without projects (their figures are zero or NaN).
    """
    t = table.copy()
    t["weighted"] = t["schedule_pct"] * t["annual_plan"].where(t["annual_plan"] > 0, 0.0)
    g = t.groupby("county", sort=True)
    out = pd.DataFrame(
        {
            "projects": g.size(),
            "reported": g["reported"].sum(),
            "invested": g["invested"].sum(min_count=1).fillna(0.0),
            "ytd": g["ytd"].sum(),
            "annual_plan": g["annual_plan"].sum(),
            "month_plan": g["month_plan"].sum(),
            "started": g["started"].sum(),
            "finished": g["finished"].sum(),
            "weighted": g["weighted"].sum(),
        }
    )
    counts = t.groupby(["county", "status"]).size().unstack(fill_value=0)
    for status in STATUSES:
        out[status] = counts[status] if status in counts.columns else 0
    if counties is not None:
        out = out.reindex(sorted(set(out.index) | {str(c) for c in counties}))
        zero = [c for c in out.columns if c != "weighted"]
        out[zero] = out[zero].fillna(0)
    plan = out["annual_plan"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completion_pct"] = np.where(
            plan > 0, 100.0 * out["ytd"] / plan.where(plan > 0, 1.0), np.nan
        )
        out["schedule_pct"] = np.where(
            plan > 0, out["weighted"] / plan.where(plan > 0, 1.0), np.nan
        )
        out["lag_pp"] = out["schedule_pct"] - out["completion_pct"]
        mp = out["month_plan"]
        out["month_task_pct"] = np.where(
            mp > 0, 100.0 * out["invested"] / mp.where(mp > 0, 1.0), np.nan
        )
    out.index.name = "county"
    return out.drop(columns="weighted")


def project_series(
    registry: pd.DataFrame,
    reports: pd.DataFrame,
    project: str,
    *,
    plans: pd.DataFrame | None = None,
    tolerance_pp: float = DEFAULT_TOLERANCE_PP,
) -> pd.DataFrame:
    """One project's figures month by month over the months it reported (for its chart):
    one :func:`progress` row per month, indexed by month."""
    reg = registry_frame(registry)
    one = reg.loc[[str(project)]].reset_index()
    rep = reports_frame(reports)
    rep = rep[rep["project"] == str(project)]
    months = sorted(set(rep["month"].astype(str)))
    mine = None if plans is None else plans[plans["project"].astype(str) == str(project)]
    rows = [
        progress(one, rep, m, plans=mine, tolerance_pp=tolerance_pp).iloc[0].rename(m)
        for m in months
    ]
    frame = pd.DataFrame(rows)
    frame.index.name = "month"
    return frame
