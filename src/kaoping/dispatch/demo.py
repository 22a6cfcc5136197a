"""A synthetic registry and twelve months of reports for the demo (SYNTHETIC: not real projects).

Jiaozuo's counties, 120 key projects (国家/省/市/县重点; new starts of the year and projects
carried over), 40 other industrial projects started in the year (the base of the headline
share of new industrial projects), 11 special-bond projects worth 19.6 亿元 in all, two
「三个一批」 batches, and a report for every started project and month from December of the
previous year to ``last`` — each project with its own pace, some stopped, some not yet in the
statistics.  Seeded: the same arguments give the same frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kaoping.dispatch.progress import parse_month

__all__ = ["JIAOZUO", "synthetic"]

JIAOZUO = ("410821", "410822", "410823", "410825", "410871", "410882", "410883",
           "410802", "410803", "410804", "410811")  # fmt: skip
"""焦作: the 县(市)组 and the 城区组 (``shared/research/domain.md`` §4.6)."""

_KINDS = (
    "新材料",
    "装备制造",
    "食品加工",
    "汽车零部件",
    "电子信息",
    "现代物流",
    "生物医药",
    "新能源",
)
_WORKS = ("产业园", "生产线", "基地", "技改", "二期", "智能工厂")
_COORDS = {  # approximate centres (lon, lat) for points on the demo map
    "410821": (113.40, 35.23), "410822": (113.06, 35.17), "410823": (113.40, 35.10),
    "410825": (113.08, 34.94), "410871": (113.30, 35.18), "410882": (112.95, 35.09),
    "410883": (112.79, 34.91), "410802": (113.27, 35.24), "410803": (113.18, 35.24),
    "410804": (113.32, 35.26), "410811": (113.25, 35.21),
}  # fmt: skip


def synthetic(
    counties: tuple[str, ...] = JIAOZUO, *, last: str = "2026-11", seed: int = 20261202
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo's registry and monthly reports (columns as :mod:`kaoping.dispatch.schema`)."""
    year, mon = parse_month(last)
    rng = np.random.default_rng(seed)
    rows = []
    n_key, n_other = 120, 40
    bond_amounts = [
        30000.0,
        26000.0,
        24000.0,
        22000.0,
        20000.0,
        18000.0,
        16000.0,
        14000.0,
        10000.0,
        9000.0,
        7000.0,
    ]  # fmt: skip  (11 projects, 196,000 万元 = 19.6 亿元)
    bond_projects = set(rng.choice(n_key, size=len(bond_amounts), replace=False).tolist())
    bonds = iter(bond_amounts)
    for i in range(n_key + n_other):
        county = counties[i % len(counties)]
        key = i < n_key
        new = (not key) or rng.random() < 0.62  # a new start of the year
        if new:
            planned = pd.Timestamp(year=year, month=int(rng.integers(1, 11)), day=1)
        else:
            planned = pd.Timestamp(year=year - 1, month=int(rng.integers(1, 13)), day=1)
        delay = int(rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 13]))
        actual = planned + pd.DateOffset(months=delay, days=int(rng.integers(0, 20)))
        cutoff = pd.Timestamp(year=year, month=mon, day=1) + pd.offsets.MonthEnd(0)
        total = float(rng.choice([15000, 30000, 50000, 80000, 120000, 200000]))
        annual = round(total * float(rng.uniform(0.2, 0.45)), -2)
        lon, lat = _COORDS.get(county, (113.2, 35.2))
        kind = _KINDS[i % len(_KINDS)]
        rows.append(
            {
                "project": f"JZ{year}-{i + 1:03d}",
                "name": f"{kind}{_WORKS[i % len(_WORKS)]}项目（示例{i + 1}）",
                "county": county,
                "park": f"{county}产业集聚区" if i % 3 else "",
                "longitude": round(lon + float(rng.normal(0, 0.03)), 4),
                "latitude": round(lat + float(rng.normal(0, 0.02)), 4),
                "industry": kind,
                "category": "产业" if i % 5 else "基础设施",
                "key_level": (["省重点", "市重点", "市重点", "县重点"][i % 4]) if key else None,
                "industrial": bool(i % 5) or not key,
                "attracted": bool(rng.random() < 0.3),
                "batch": (f"{year}年第{1 + i % 2}期") if key and i % 4 == 0 else None,
                "batch_role": (["签约", "开工", "投产"][i % 3]) if key and i % 4 == 0 else None,
                "owner": f"{kind}（示例）有限公司",
                "responsible": f"{county}发展改革委",
                "leader": f"包联领导{i % 9 + 1}",
                "total": total,
                "annual_plan": annual,
                "bond": next(bonds) if i in bond_projects else None,
                "invested_before": 0.0 if new else round(total * float(rng.uniform(0.1, 0.4)), -2),
                "planned_start": planned,
                "planned_finish": planned + pd.DateOffset(months=int(rng.integers(12, 36))),
                "actual_start": actual if actual <= cutoff else pd.NaT,
                "signed_on": planned - pd.DateOffset(months=3) if i % 4 == 0 else pd.NaT,
                "fulfilled_on": planned - pd.DateOffset(months=1) if i % 8 == 0 else pd.NaT,
                "produced_on": (
                    pd.Timestamp(year=year, month=max(1, mon - 2), day=1) if i % 12 == 0 else pd.NaT
                ),
                "stage": "在建" if actual <= cutoff else "前期",
            }
        )
    registry = pd.DataFrame(rows)
    months = pd.period_range(f"{year - 1}-12", last, freq="M").astype(str)
    pace = rng.uniform(0.8, 1.3, len(registry))
    reports = []
    for p, (_, row) in enumerate(registry.iterrows()):
        start = row["actual_start"]
        first = row["planned_start"].month if row["planned_start"].year == year else 1
        monthly = row["annual_plan"] / (13 - first)  # the plan spread over its months
        for m in months:
            period = pd.Period(m, freq="M")
            if pd.isna(start) or period < start.to_period("M"):
                continue
            stopped = bool(rng.random() < 0.015)
            invested = 0.0 if stopped else round(monthly * pace[p] * rng.uniform(0.6, 1.4), 1)
            reports.append(
                {
                    "project": row["project"],
                    "month": m,
                    "invested": invested,
                    "stopped": stopped,
                    "in_statistics": not (period == start.to_period("M") and rng.random() < 0.5),
                    "workers": int(rng.integers(20, 400)),
                    "progress": "主体结构施工中" if not stopped else "停工待料",
                    "note": "原材料供应中断，已协调" if stopped else "",
                }
            )
    return registry, pd.DataFrame(reports)
