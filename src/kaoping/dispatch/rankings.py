r"""Counties ranked by their dispatch figures (开工率, 投资完成率, 竣工率, 投产率, 履约率), with the
assessment's competition ranks, ranks within category and tiers, and the figure as an indicator
of the annual 考核.

For county :math:`c` in month :math:`m` of year :math:`y`:

.. math::

    \text{开工率} = 100\,\frac{\#\{p \in c : \text{planned start in } y,\ \text{started by } m\}}
                              {\#\{p \in c : \text{planned start in } y\}}, \qquad
    \text{竣工率} = 100\,\frac{\#\{p \in c : \text{planned finish in } y,\ \text{finished by } m\}}
                              {\#\{p \in c : \text{planned finish in } y\}}

投资完成率 = :math:`100 \sum_{p \in c} Y_{p,m} / \sum_{p \in c} A_{p,y}` (as
:func:`kaoping.dispatch.progress.county_progress`), 投产率 and 履约率 the county's
开工项目投产率 and 签约项目履约率 of the 「三个一批」 (:mod:`kaoping.dispatch.batches`) by the
month's end.  A county without a base for a measure has no value and no rank in it.

Ranks are :func:`kaoping.methods.rank.competition` (1, 2, 2, 4: 并列), higher is better, and
:func:`~kaoping.methods.rank.within` a county's category when categories are given; tiers by rank
cut-offs as :func:`~kaoping.methods.rank.tiers` (``[30]``: 第一方阵 = ranks 1–30).

References
----------
Henan's monthly evaluation of provincial key projects per city and directly administered county
(完成投资 vs 年度目标, 开工率, 竣工率) and the 「三个一批」 criteria, ``shared/research/domain.md``
§4.5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from kaoping.dispatch.batches import batch_rates
from kaoping.dispatch.progress import county_progress, parse_month, registry_frame
from kaoping.methods.rank import competition, tiers, within

__all__ = ["MEASURES", "as_indicator", "county_measures", "rank_counties"]

MEASURES: Final = {
    "start_rate": ("开工率", "start rate"),
    "completion_pct": ("投资完成率", "investment completion"),
    "finish_rate": ("竣工率", "completion of works"),
    "production_pct": ("投产率", "production rate"),
    "fulfilment_pct": ("履约率", "fulfilment rate"),
}
"""The measures a county is ranked by: column -> (Chinese, English)."""


def _rate(base: pd.Series, hit: pd.Series, county: pd.Series) -> tuple[pd.Series, pd.Series]:
    n = base.groupby(county).sum()
    k = (base & hit).groupby(county).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * k / n.where(n > 0), n


def county_measures(
    registry: pd.DataFrame,
    table: pd.DataFrame,
    month: str,
    *,
    counties: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The measures of :data:`MEASURES` per county for ``month``, from the registry and the
    month's :func:`kaoping.dispatch.progress.progress` ``table``, with the bases
    (``planned_starts``, ``planned_finishes``) beside them."""
    year, mon = parse_month(month)
    end = pd.Timestamp(year=year, month=mon, day=1) + pd.offsets.MonthEnd(0)
    reg = registry_frame(registry)
    county = reg["county"]
    ps, pf = reg["planned_start"], reg["planned_finish"]
    start_rate, n_start = _rate(ps.dt.year == year, reg["actual_start"] <= end, county)
    finish_rate, n_finish = _rate(pf.dt.year == year, reg["actual_finish"] <= end, county)
    out = county_progress(table, counties)[["projects", "ytd", "annual_plan", "completion_pct"]]
    out = out.copy()
    out["start_rate"] = start_rate.reindex(out.index)
    out["planned_starts"] = n_start.reindex(out.index).fillna(0).astype(int)
    out["finish_rate"] = finish_rate.reindex(out.index)
    out["planned_finishes"] = n_finish.reindex(out.index).fillna(0).astype(int)
    if "batch_role" in reg.columns and reg["batch_role"].notna().any():
        rates = batch_rates(reg, end, by=("county",))
        out["production_pct"] = rates["production_pct"].reindex(out.index)
        out["fulfilment_pct"] = rates["fulfilment_pct"].reindex(out.index)
    else:
        out["production_pct"] = np.nan
        out["fulfilment_pct"] = np.nan
    return out


def rank_counties(
    measures: pd.DataFrame,
    *,
    by: Sequence[str] = tuple(MEASURES),
    categories: Mapping[str, str] | None = None,
    cutoffs: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Ranks of the counties in each measure of ``by``.

    Returns
    -------
    pandas.DataFrame
        Indexed by county: for each measure ``x`` its value ``x``, ``x_rank`` (competition rank,
        1 = highest), and with ``categories`` ``x_rank_in_category``, with ``cutoffs``
        ``x_tier`` (0 = first tier, -1 = none).

    Examples
    --------
    >>> m = pd.DataFrame({"start_rate": [80.0, 100.0, 80.0, np.nan]},
    ...                  index=pd.Index(["A", "B", "C", "D"], name="county"))
    >>> rank_counties(m, by=["start_rate"])["start_rate_rank"].tolist()
    [2.0, 1.0, 2.0, nan]
    """
    out = pd.DataFrame(index=measures.index)
    labels = None
    if categories is not None:
        labels = [categories.get(str(c)) for c in measures.index]
    for name in by:
        values = measures[name].to_numpy(dtype="float64")
        out[name] = values
        ranks = competition(values)
        out[f"{name}_rank"] = ranks
        if labels is not None:
            out[f"{name}_rank_in_category"] = within(values, labels)
        if cutoffs:
            out[f"{name}_tier"] = tiers(ranks, list(cutoffs))
    return out


def as_indicator(
    measures: pd.DataFrame, measure: str, *, indicator: str, period: str
) -> pd.DataFrame:
    """One measure as long observations ``unit, indicator, period, value`` — the shape of the
    assessment's data (:mod:`kaoping.data`), so that a county's dispatch result becomes an
    indicator of the annual 考核 (e.g. 重点项目投资完成率)."""
    values = measures[measure]
    return pd.DataFrame(
        {
            "unit": values.index.astype(str),
            "indicator": indicator,
            "period": str(period),
            "value": values.to_numpy(dtype="float64"),
        }
    )
