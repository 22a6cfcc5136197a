r"""The per-county roll-up of a 亩均 evaluation, and the county indicators it feeds.

Per county (the 6-digit code of the firms' 县区代码): the number of firms, of graded and of
exempt firms, the count and the share of each class (share = count / graded firms of the
county), the sums of land, tax and value added, and

.. math::

    \text{亩均税收}_c = \frac{\sum_{i \in c} \mathrm{tax}_i}{\sum_{i \in c} \mathrm{land}_i},
    \qquad
    \text{亩均增加值}_c = \frac{\sum_{i \in c} \mathrm{va}_i}{\sum_{i \in c} \mathrm{land}_i}

— the ratio of the sums over the county's firms, **not** the mean of the firms' ratios: the mean
of ratios weighs a 5-亩 workshop like a 500-亩 plant and is not the county's tax per mu of
industrial land.  Each ratio is taken over the firms that have both figures (land > 0); exempt
firms are included (their land and tax are the county's all the same).

:func:`county_indicators` turns the roll-up into the wide table ``代码, 名称, 年份,
工业用地亩均税收, 工业用地亩均增加值, 亩均A类企业占比`` that ``kaoping assess``
reads, once the county methodology has these indicators (domain.md §2.4 G6
工业用地亩均税收, 万元/亩; ``county_hqd`` does not have it — :data:`COUNTY_INDICATORS` gives
the ids and names to add).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from kaoping.data.units import Units
from kaoping.mujun.spec import MujunSpec

__all__ = ["COUNTY_INDICATORS", "county_indicators", "county_rollup"]

COUNTY_INDICATORS: Final[dict[str, tuple[str, str, str]]] = {
    "industrial_tax_per_mu": (
        "工业用地亩均税收",
        "Industrial tax per mu of industrial land",
        "万元/亩",
    ),
    "industrial_va_per_mu": ("工业用地亩均增加值", "Industrial value added per mu", "万元/亩"),
    "mujun_a_share": ("亩均A类企业占比", "Share of A-class firms (亩均)", "%"),
}
"""Id -> (Chinese name, English name, unit) of the county indicators written by
:func:`county_indicators` (the first is domain.md's G6)."""


def county_rollup(
    spec: MujunSpec, frame: pd.DataFrame, table: pd.DataFrame, *, units: Units | None = None
) -> pd.DataFrame:
    """Per county: counts and shares of each class, sums, 亩均税收 and 亩均增加值 (ratio of sums).

    Parameters
    ----------
    spec : MujunSpec
    frame : pandas.DataFrame
        The firm table (``county``, ``land``, ``tax``, ``value_added``).
    table : pandas.DataFrame
        :attr:`MujunResult.firms` (``county``, ``class``, ``rank``).
    units : Units, optional
        For the names.

    Returns
    -------
    pandas.DataFrame
        Index ``county`` (sorted); columns ``name, firms, graded, exempt``, ``A … D`` (counts),
        ``A_share … D_share`` (of graded), ``land, tax, value_added`` (sums over the firms with
        the figure), ``tax_per_mu``, ``va_per_mu``, ``mean_score`` (graded firms).
    """
    county = frame["county"].astype(str).to_numpy()

    def figure(name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        if name not in frame:
            return np.full(len(frame), np.nan)
        return frame[name].to_numpy(dtype=np.float64, na_value=np.nan)

    land, tax, va = figure("land"), figure("tax"), figure("value_added")
    good_land = np.isfinite(land) & (land > 0)
    tax_ok = good_land & np.isfinite(tax)
    va_ok = good_land & np.isfinite(va)
    sums = (
        pd.DataFrame(
            {
                "county": county,
                "tax": np.where(tax_ok, tax, 0.0),
                "land_tax": np.where(tax_ok, land, 0.0),
                "value_added": np.where(va_ok, va, 0.0),
                "land_va": np.where(va_ok, land, 0.0),
                "land": np.where(good_land, land, 0.0),
            }
        )
        .groupby("county", sort=True)
        .sum()
    )
    klass = table[["county", "class", "rank", "score"]].copy()
    klass["graded"] = klass["rank"].notna()
    klass["exempt"] = klass["class"] == spec.exempt_class
    by = klass.groupby("county", sort=True)
    out = pd.DataFrame(index=sums.index)
    out.index.name = "county"
    names = units.names if units is not None else {}
    out["name"] = [names.get(c, "") for c in out.index]
    out["firms"] = by.size()
    out["graded"] = by["graded"].sum().astype(int)
    out["exempt"] = by["exempt"].sum().astype(int)
    counts = (
        klass[klass["graded"]]
        .groupby(["county", "class"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=out.index, columns=[c.id for c in spec.classes], fill_value=0)
    )
    for c in spec.classes:
        out[c.id] = counts[c.id].astype(int)
    graded = out["graded"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        for c in spec.classes:
            out[f"{c.id}_share"] = np.where(graded > 0, out[c.id] / graded, np.nan)
        out["land"] = sums["land"]
        out["tax"] = sums["tax"]
        out["value_added"] = sums["value_added"]
        out["tax_per_mu"] = np.where(
            sums["land_tax"] > 0, sums["tax"] / sums["land_tax"].where(sums["land_tax"] > 0), np.nan
        )
        out["va_per_mu"] = np.where(
            sums["land_va"] > 0,
            sums["value_added"] / sums["land_va"].where(sums["land_va"] > 0),
            np.nan,
        )
    out["mean_score"] = klass[klass["graded"]].groupby("county")["score"].mean().reindex(out.index)
    return out


def county_indicators(
    counties: pd.DataFrame, year: str, *, first_class: str = "A", synthetic: bool = False
) -> pd.DataFrame:
    """The wide table ``代码, 名称, 年份, 工业用地亩均税收, 工业用地亩均增加值, 亩均A类企业占比``
    (the A share in per cent) that :func:`kaoping.data.read_panel` and ``kaoping assess`` read
    for a methodology with the indicators of :data:`COUNTY_INDICATORS`.  ``synthetic`` adds a
    ``备注`` column (skipped by the reader) saying 合成数据."""
    out = pd.DataFrame(
        {
            "代码": counties.index.astype(str),
            "名称": counties["name"].to_numpy(),
            "年份": year,
            COUNTY_INDICATORS["industrial_tax_per_mu"][0]: counties["tax_per_mu"].to_numpy(),
            COUNTY_INDICATORS["industrial_va_per_mu"][0]: counties["va_per_mu"].to_numpy(),
            COUNTY_INDICATORS["mujun_a_share"][0]: 100
            * counties[f"{first_class}_share"].to_numpy(),
        }
    )
    if synthetic:
        out["备注"] = "合成数据（演示），不是真实统计 / synthetic demo data"
    return out
