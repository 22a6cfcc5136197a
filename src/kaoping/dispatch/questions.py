"""The dashboard's headline questions, one call each, as a city's reports ask them.

- :func:`new_starts`: "how many key projects started this year, and what share of all new
  industrial projects is that" (the source's 「86个重点项目开工建设，占全市新开工业项目61.4%」);
- :func:`special_bonds`: "special-bond projects and their amount" (「11个专项债券项目、19.6亿元」);
- :func:`red_projects`: "which projects are red this month, and why".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kaoping.dispatch.progress import parse_month, registry_frame

__all__ = ["Bonds", "NewStarts", "new_starts", "red_projects", "special_bonds"]


@dataclass(frozen=True)
class NewStarts:
    """Projects that started in a year up to a month's end."""

    year: int
    key: int
    """Key projects (any 重点级别) started."""
    key_industrial: int
    """Key industrial projects started."""
    industrial: int
    """All new industrial projects started (key or not), or the statistics' count when given."""
    share_pct: float
    """``100 * key_industrial / industrial`` (NaN without new industrial projects)."""


def new_starts(
    registry: pd.DataFrame, month: str, *, all_new_industrial: int | None = None
) -> NewStarts:
    """How many key projects started in ``month``'s year by its end, and their share of all
    new industrial projects.

    The registry usually keeps the key projects and the other industrial projects of the year;
    where the statistics bureau counts all new industrial projects (新开工工业项目) itself, pass
    its count as ``all_new_industrial``.

    >>> reg = pd.DataFrame({"project": list("ABCD"), "county": ["1"] * 4,
    ...     "key_level": ["市重点", "省重点", None, "市重点"],
    ...     "industrial": [True, True, True, False],
    ...     "actual_start": pd.to_datetime(["2026-02-01", "2026-05-01", "2026-03-01",
    ...                                     "2026-04-01"])})
    >>> s = new_starts(reg, "2026-04")
    >>> s.key, s.key_industrial, s.industrial, round(s.share_pct, 1)
    (2, 1, 2, 50.0)
    """
    year, mon = parse_month(month)
    end = pd.Timestamp(year=year, month=mon, day=1) + pd.offsets.MonthEnd(0)
    reg = registry_frame(registry)
    start = reg["actual_start"]
    started = (start.dt.year == year) & (start <= end)
    key = reg["key_level"].notna() & (reg["key_level"].astype(str).str.strip() != "")
    industrial = reg["industrial"].astype(bool)
    n_key = int((started & key).sum())
    n_key_ind = int((started & key & industrial).sum())
    n_ind = int((started & industrial).sum()) if all_new_industrial is None else all_new_industrial
    share = 100.0 * n_key_ind / n_ind if n_ind else float("nan")
    return NewStarts(year, n_key, n_key_ind, n_ind, share)


@dataclass(frozen=True)
class Bonds:
    """The projects financed by special bonds (专项债券)."""

    projects: int
    amount: float
    """万元."""

    @property
    def amount_yi(self) -> float:
        """The amount in 亿元 (10⁸ yuan), as reports write it."""
        return self.amount / 1e4


def special_bonds(registry: pd.DataFrame) -> Bonds:
    """Projects with special-bond funds (``bond`` > 0) and the amount.

    >>> reg = pd.DataFrame({"project": ["A", "B", "C"], "county": ["1"] * 3,
    ...                     "bond": [120000.0, None, 76000.0]})
    >>> b = special_bonds(reg)
    >>> b.projects, b.amount_yi
    (2, 19.6)
    """
    bond = registry_frame(registry)["bond"]
    has = bond.fillna(0.0) > 0
    return Bonds(int(has.sum()), float(bond[has].sum()))


def red_projects(table: pd.DataFrame, warnings: pd.DataFrame) -> pd.DataFrame:
    """The projects whose warning is red, with the month's figures and why, worst lag first.

    ``table`` is a month's :func:`kaoping.dispatch.progress.progress`, ``warnings`` its
    :func:`kaoping.dispatch.alerts.evaluate` (same index).
    """
    red = warnings.index[warnings["colour"] == "red"]
    cols = [
        c
        for c in ("name", "county", "status", "completion_pct", "schedule_pct", "lag_pp")
        if c in table
    ]
    out = table.loc[red, cols].join(
        warnings.loc[red, [c for c in ("rules", "reason_zh", "reason_en") if c in warnings]]
    )
    order = (
        np.argsort(-out["lag_pp"].fillna(-np.inf).to_numpy(), kind="stable")
        if "lag_pp" in out
        else None
    )
    return out.iloc[order] if order is not None else out
