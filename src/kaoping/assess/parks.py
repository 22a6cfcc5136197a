"""The park league: ``park_hqd`` assessed and star-rated year after year.

:func:`run` assesses a park panel with a park methodology for each year and rates the stars
with the previous year's star as ``previous`` (the first year: every park new); :func:`league`
is one year of it.  Without arguments both use the SYNTHETIC demo of
:mod:`kaoping.data.parks_demo`, so the web pages and the tests share one computation.

It lives in ``kaoping.assess`` (not beside the demo data in ``kaoping.data``) because it runs
the assessment and the star rule, which sit above the data layer.
"""

from __future__ import annotations

import functools

import pandas as pd

from kaoping.assess.pipeline import assess
from kaoping.data import Panel
from kaoping.data.parks import park_units
from kaoping.methodology import Methodology, load
from kaoping.scoring.stars import StarRule, rate

__all__ = ["LEAGUE_COLUMNS", "league", "run"]

LEAGUE_COLUMNS: tuple[str, ...] = (
    "name",
    "county_code",
    "county_name",
    "kind",
    "year",
    "score",
    "rank",
    "category_rank",
    "tier",
    "eligible",
    "star",
    "star_name",
    "previous",
    "change",
    "capped",
    "gate",
    "reason_zh",
    "reason_en",
)
"""Columns of a league table (indexed by park code), plus one column per dimension id."""


def run(
    registry: pd.DataFrame | None = None,
    panel: Panel | None = None,
    methodology: Methodology | None = None,
    years: list[int] | None = None,
) -> dict[int, pd.DataFrame]:
    """Year -> league table (see :func:`league`), rating each year on the one before.

    Parameters
    ----------
    registry : DataFrame, optional
        The parks (as :func:`kaoping.data.parks.read_parks` returns); default the demo's.
    panel : Panel, optional
        Park-level values (unit = park code); default the demo's.
    methodology : Methodology, optional
        A methodology with a ``stars:`` block; default ``park_hqd``.
    years : list of int, optional
        The years, in order; default the panel's periods.
    """
    if registry is None and panel is None and methodology is None and years is None:
        return {year: table.copy() for year, table in _demo().items()}
    from kaoping.data import parks_demo

    registry = parks_demo.registry() if registry is None else registry
    panel = parks_demo.panel() if panel is None else panel
    methodology = load("park_hqd") if methodology is None else methodology
    if years is None:
        years = sorted(int(p) for p in panel.periods)
    return _run(registry, panel, methodology, years)


def league(year: int) -> pd.DataFrame:
    """The demo league of ``year``, indexed by park code, sorted by rank: the columns
    :data:`LEAGUE_COLUMNS` and one per dimension (its 0..100 score)."""
    tables = _demo()
    if year not in tables:
        raise ValueError(f"the park demo has the years {min(tables)}–{max(tables)}, not {year}")
    return tables[year].copy()


@functools.cache
def _demo() -> dict[int, pd.DataFrame]:
    from kaoping.data import parks_demo

    return _run(parks_demo.registry(), parks_demo.panel(), load("park_hqd"), parks_demo.years())


def _run(
    registry: pd.DataFrame, panel: Panel, methodology: Methodology, years: list[int]
) -> dict[int, pd.DataFrame]:
    rule = StarRule.from_methodology(methodology)
    units = park_units(registry)
    info = registry.set_index("code")
    dims = [d.id for d in methodology.dimensions]
    previous: pd.Series | None = None
    out: dict[int, pd.DataFrame] = {}
    for year in years:
        result = assess(methodology, panel, year, units=units)
        table = result.table
        period = panel.select(period=str(year)).frame
        values = period.pivot_table(index="unit", columns="indicator", values="value")
        rated = rate(table["score"], values, previous, rule)
        frame = pd.DataFrame(index=table.index)
        frame["name"] = table["name"]
        frame["county_code"] = info.loc[table.index, "county_code"].to_numpy()
        frame["county_name"] = info.loc[table.index, "county_name"].to_numpy()
        frame["kind"] = info.loc[table.index, "kind"].to_numpy()
        frame["year"] = year
        frame["score"] = table["score"]
        for column in ("rank", "category_rank"):
            frame[column] = table[column].astype("Int64")
        frame["tier"] = table["tier"]
        for column in ("eligible", "star", "previous", "change", "capped", "gate"):
            frame[column] = rated[column]
        frame["star_name"] = [rule.label_zh(int(s)) for s in rated["star"]]
        frame["reason_zh"] = rated["reason_zh"]
        frame["reason_en"] = rated["reason_en"]
        for dim in dims:
            frame[dim] = table[dim]
        frame = frame[[*LEAGUE_COLUMNS, *dims]]
        frame.index.name = "park"
        out[year] = frame.sort_values(["rank", "score"], ascending=[True, False])
        previous = rated["star"]
    return out
