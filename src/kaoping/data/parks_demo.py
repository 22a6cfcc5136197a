"""A SYNTHETIC province park league for the demo: 184 parks over Henan's counties, 2018–2024.

**Every figure here is synthetic** (generated from a fixed seed): no park's real statistics.
The registry uses Henan's real county codes and names (public facts) and invents parks on
them: one 产业集聚区 in each of the 102 counties and county-level cities and in 济源, one park
in each city district outside Jiaozuo, a second park in 29 counties — and Jiaozuo's eight,
named after its counties (孟州市产业集聚区, 29.6 km², 主导产业 装备制造、皮毛加工 …), the
demonstration zone 410871 and one city park (焦作市中站区产业集聚区).

The values of the 15 ``park_hqd`` indicators are drawn for the other parks from a latent
quality that drifts year to year.  Jiaozuo's parks are then *placed*: each year a Jiaozuo park
is given values whose ``park_hqd`` score (min-max to 0–100, fixed weights, arithmetic mean:
linear in the values while they stay inside the other parks' range) falls between two other
parks' scores at a planned rank, so that the source's sentences hold for the demo
(“我市3家产业集聚区进入全省前20、7家进入第一方阵”; 孟州 “三星级”, “7次跻身全省前十”):
for 2024, 3 Jiaozuo parks in the top 20 and 7 in the top 30; 孟州 in the top 10 every year
2018–2024 and rated 三星级 in 2024 (its 亩均税收 stays below the 四星级 minimum).  The tests
check these sentences from the computed league (:func:`kaoping.assess.parks.league`), not
from the plan.

Functions: :func:`registry`, :func:`values`, :func:`years`, :func:`panel`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.resources import files
from typing import Any, Final

import numpy as np
import pandas as pd
import yaml

from kaoping.data.bundled import henan_names_en, henan_units, ranked_counties
from kaoping.data.panel import Panel
from kaoping.data.parks import PARK_COLUMNS

__all__ = [
    "DEMO_NOTE",
    "JIAOZUO_PARKS",
    "MENGZHOU",
    "SEED",
    "panel",
    "registry",
    "values",
    "years",
]

SEED: Final = 20240416
DEMO_NOTE: Final[tuple[str, str]] = (
    "园区演示数据为合成数据（由随机种子生成），不是任何园区的真实统计数据。",
    "The park demo data are SYNTHETIC (generated from a seed), not real statistics of any park.",
)
_YEARS: Final = tuple(range(2018, 2025))

MENGZHOU: Final = "41088301"
"""The code of 孟州市产业集聚区 in the demo."""

# code, name, name_en, kind, county, industries, area, level
_JIAOZUO: Final[tuple[tuple[str, str, str, str, str, str, float, str], ...]] = (
    (
        MENGZHOU,
        "孟州市产业集聚区",
        "Mengzhou Industrial Cluster District",
        "产业集聚区",
        "410883",
        "装备制造、皮毛加工、生物医药",
        29.6,
        "省级",
    ),
    (
        "41088201",
        "沁阳市产业集聚区",
        "Qinyang Industrial Cluster District",
        "产业集聚区",
        "410882",
        "装备制造、新材料",
        24.3,
        "省级",
    ),
    (
        "41082501",
        "温县产业集聚区",
        "Wenxian Industrial Cluster District",
        "产业集聚区",
        "410825",
        "装备制造、食品加工",
        18.7,
        "省级",
    ),
    (
        "41082301",
        "武陟县产业集聚区",
        "Wuzhi Industrial Cluster District",
        "产业集聚区",
        "410823",
        "装备制造、食品加工",
        26.1,
        "省级",
    ),
    (
        "41082201",
        "博爱县产业集聚区",
        "Bo'ai Industrial Cluster District",
        "产业集聚区",
        "410822",
        "汽车零部件、食品加工",
        16.4,
        "省级",
    ),
    (
        "41082101",
        "修武县产业集聚区",
        "Xiuwu Industrial Cluster District",
        "产业集聚区",
        "410821",
        "装备制造、文化旅游",
        12.9,
        "省级",
    ),
    (
        "41087101",
        "焦作城乡一体化示范区产业集聚区",
        "Jiaozuo Urban-Rural Integration Demonstration Zone Industrial Cluster District",
        "产业集聚区",
        "410871",
        "装备制造、电子信息",
        21.5,
        "省级",
    ),
    (
        "41080301",
        "焦作市中站区产业集聚区",
        "Zhongzhan District Industrial Cluster District, Jiaozuo",
        "产业集聚区",
        "410803",
        "新材料、化工",
        15.2,
        "省级",
    ),
)
JIAOZUO_PARKS: Final[tuple[str, ...]] = tuple(p[0] for p in _JIAOZUO)
"""The codes of Jiaozuo's eight demo parks."""

# The planned overall rank of each Jiaozuo park, 2018..2024 (the computed league is what the
# tests check).  2024: 孟州, 沁阳, 温县 in the top 20; with 武陟, 博爱, 示范区, 中站 7 in the
# top 30.
_PLAN: Final[Mapping[str, tuple[int, ...]]] = {
    MENGZHOU: (9, 7, 6, 8, 5, 6, 4),
    "41088201": (26, 24, 21, 19, 16, 14, 12),
    "41082501": (44, 40, 35, 30, 26, 21, 17),
    "41082301": (52, 47, 41, 36, 31, 27, 22),
    "41082201": (63, 58, 50, 44, 37, 31, 25),
    "41082101": (95, 90, 84, 80, 76, 70, 64),
    "41087101": (85, 76, 66, 55, 45, 36, 27),
    "41080301": (72, 66, 58, 50, 42, 35, 29),
}
_MENGZHOU_TAX: Final = (18.6, 19.2, 19.8, 20.5, 21.3, 22.0, 22.8)
"""孟州's 亩均税收 (万元/亩) each year: below the 四星级 minimum, so it stays at 三星级."""

# indicator id -> (mean, sd, low, high, whole number)
_INDICATORS: Final[Mapping[str, tuple[float, float, float, float, bool]]] = {
    "lead_investment_growth": (10.0, 8.0, -30.0, 60.0, False),
    "lead_va_growth": (8.0, 4.0, -15.0, 30.0, False),
    "lead_revenue_share": (60.0, 12.0, 20.0, 95.0, False),
    "out_of_province_capital": (40.0, 18.0, 1.0, 150.0, False),
    "foreign_capital": (5000.0, 2800.0, 0.0, 20000.0, False),
    "emerging_va_growth": (12.0, 7.0, -20.0, 50.0, False),
    "rd_intensity": (1.8, 0.7, 0.1, 6.0, False),
    "hightech_firms": (30.0, 14.0, 0.0, 120.0, True),
    "rd_platforms": (12.0, 6.0, 0.0, 60.0, True),
    "tax_per_mu": (22.0, 9.0, 3.0, 80.0, False),
    "revenue_per_mu": (450.0, 150.0, 80.0, 1200.0, False),
    "land_disposal": (70.0, 12.0, 20.0, 100.0, False),
    "energy_reduction": (3.5, 2.0, -5.0, 15.0, False),
    "solid_waste_use": (85.0, 8.0, 40.0, 100.0, False),
    "sewage_treatment": (92.0, 5.0, 60.0, 100.0, False),
}
_LOADING: Final = 0.75
_KIND_SUFFIX: Final[Mapping[str, tuple[str, str]]] = {
    "产业集聚区": ("产业集聚区", "Industrial Cluster District"),
    "开发区": ("经济开发区", "Economic Development Zone"),
    "高新区": ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    "经开区": ("经济技术开发区", "Economic and Technological Development Zone"),
    "专业园区": ("专业园区", "Specialised Industrial Park"),
}
_INDUSTRIES: Final = (
    "装备制造",
    "食品加工",
    "新材料",
    "电子信息",
    "汽车零部件",
    "纺织服装",
    "生物医药",
    "化工",
    "现代物流",
    "有色金属",
    "家居建材",
    "新能源",
)


def years() -> list[int]:
    """The demo years, 2018 to 2024."""
    return list(_YEARS)


def registry() -> pd.DataFrame:
    """The 184 demo parks, columns :data:`kaoping.data.parks.PARK_COLUMNS` (as
    :func:`kaoping.data.parks.read_parks` returns them); pass it to
    :func:`kaoping.data.parks.park_units` for the units table."""
    return _registry().copy()


def values(year: int) -> pd.DataFrame:
    """The demo values of ``year``: long frame with columns park, indicator, value."""
    if year not in _YEARS:
        raise ValueError(f"the park demo has the years {_YEARS[0]}–{_YEARS[-1]}, not {year}")
    return _values()[year].copy()


def panel() -> Panel:
    """Every demo year as a :class:`~kaoping.data.Panel` (unit = park code, period = year)."""
    frames = []
    for year in _YEARS:
        frame = values(year).rename(columns={"park": "unit"})
        frame["period"] = str(year)
        frames.append(frame[["unit", "indicator", "period", "value"]])
    return Panel(pd.concat(frames, ignore_index=True))


# ---------------------------------------------------------------------------------------------


@functools.cache
def _registry() -> pd.DataFrame:
    units = henan_units().frame
    names_en = henan_names_en()
    rng = np.random.default_rng(SEED)
    current = units[units["valid_to"].isna()]
    counties = [c for c in ranked_counties() if not c.startswith("4108")] + ["419001"]
    districts = [
        str(c) for c in current.index[current["kind"] == "市辖区"] if not str(c).startswith("4108")
    ]
    second = sorted(rng.choice(counties[:-1], size=29, replace=False).tolist())
    rows: list[dict[str, Any]] = []

    def add(county: str, number: int, kind: str, city_prefix: bool) -> None:
        name = str(units.at[county, "name"])
        parent = str(units.at[county, "parent"])
        suffix, suffix_en = _KIND_SUFFIX[kind]
        picked = rng.choice(len(_INDUSTRIES), size=2, replace=False)
        rows.append(
            {
                "code": f"{county}{number:02d}",
                "name": f"{parent if city_prefix else ''}{name}{suffix}",
                "name_en": f"{names_en.get(county, county)} {suffix_en}",
                "kind": kind,
                "county_code": county,
                "county_name": name,
                "industries": "、".join(_INDUSTRIES[i] for i in sorted(picked)),
                "area_km2": round(float(rng.uniform(6.0, 40.0)), 1),
                "level": "省级",
            }
        )

    for county in counties:
        add(county, 1, "产业集聚区", False)
    district_kinds = ("高新区", "经开区", "开发区", "产业集聚区", "专业园区")
    for i, district in enumerate(districts):
        add(district, 1, district_kinds[i % len(district_kinds)], True)
    for i, county in enumerate(second):
        add(county, 2, ("专业园区", "开发区", "经开区")[i % 3], False)
    for code, name, name_en, kind, county, industries, area, level in _JIAOZUO:
        rows.append(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "county_code": county,
                "county_name": str(units.at[county, "name"]),
                "industries": industries,
                "area_km2": area,
                "level": level,
            }
        )
    frame = pd.DataFrame(rows).sort_values("code", kind="stable").reset_index(drop=True)
    for national in frame.index[frame["kind"].isin(["高新区", "经开区"])][::3]:
        frame.loc[national, "level"] = "国家级"
    out = pd.DataFrame(
        {c: frame[c].astype("float64" if c == "area_km2" else "string") for c in PARK_COLUMNS}
    )
    return out


def _weights() -> dict[str, float]:
    """Effective weight of each indicator in park_hqd (dimension share x indicator share),
    read from the bundled YAML (this layer does not import kaoping.methodology)."""
    text = (files("kaoping") / "data" / "methodologies" / "park_hqd.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    dims = data["dimensions"]
    total = sum(float(d.get("weight", 1.0)) for d in dims)
    out: dict[str, float] = {}
    for dim in dims:
        inds = dim["indicators"]
        inner = sum(float(i.get("weight", 1.0)) for i in inds)
        for ind in inds:
            out[ind["id"]] = (
                float(dim.get("weight", 1.0)) / total * float(ind.get("weight", 1.0)) / inner
            )
    return out


@functools.cache
def _values() -> dict[int, pd.DataFrame]:
    parks = _registry()
    codes = [str(c) for c in parks["code"]]
    others = [c for c in codes if c not in JIAOZUO_PARKS]
    rng = np.random.default_rng(SEED + 1)
    ids = list(_INDICATORS)
    weights = _weights()
    if set(weights) != set(ids):
        raise RuntimeError("park_hqd's indicators and the demo's differ; update parks_demo")
    base = rng.normal(0.0, 1.0, len(others))
    drift = np.zeros(len(others))
    out: dict[int, pd.DataFrame] = {}
    for t, year in enumerate(_YEARS):
        drift = 0.8 * drift + rng.normal(0.0, 0.35, len(others))
        quality = base + drift
        table = pd.DataFrame(index=others, columns=ids, dtype="float64")
        for ind, (mean, sd, low, high, whole) in _INDICATORS.items():
            noise = rng.normal(0.0, 1.0, len(others))
            raw = mean + sd * (_LOADING * quality + np.sqrt(1 - _LOADING**2) * noise)
            raw = np.clip(raw, low, high)
            table[ind] = np.round(raw) if whole else np.round(raw, 2)
        out[year] = _long(_place_jiaozuo(table, weights, t, rng))
    return out


def _place_jiaozuo(
    others: pd.DataFrame, weights: Mapping[str, float], t: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Add Jiaozuo's parks to one year's values, each scoring between the two other parks at
    its planned rank (see the module docstring)."""
    low = others.min()
    span = others.max() - low
    score = sum(weights[i] * (others[i] - low[i]) / span[i] * 100.0 for i in others.columns)
    ranked = np.sort(score.to_numpy())[::-1]
    plan = sorted(JIAOZUO_PARKS, key=lambda p: _PLAN[p][t])
    rows: dict[str, dict[str, float]] = {}
    for above_jiaozuo, park in enumerate(plan):
        rank = _PLAN[park][t]
        above = rank - 1 - above_jiaozuo  # other parks ranked above it
        target = (ranked[above - 1] + ranked[above]) / 2 if above > 0 else ranked[0] + 1.0
        offsets = {i: float(rng.uniform(-0.06, 0.06)) for i in others.columns}
        fixed: dict[str, float] = {}
        # whole numbers and 孟州's 亩均税收 are set first; the rest solve for the target
        guess = target / 100.0
        for ind, (_, _, _, _, whole) in _INDICATORS.items():
            if whole:
                fixed[ind] = float(round(low[ind] + (guess + offsets[ind]) * span[ind]))
        if park == MENGZHOU:
            fixed["tax_per_mu"] = _MENGZHOU_TAX[t]
        free = [i for i in others.columns if i not in fixed]
        done = sum(weights[i] * (fixed[i] - low[i]) / span[i] for i in fixed)
        share = sum(weights[i] for i in free)
        level = (target / 100.0 - done - sum(weights[i] * offsets[i] for i in free)) / share
        row = dict(fixed)
        for ind in free:
            position = min(max(level + offsets[ind], 0.001), 0.999)
            row[ind] = float(low[ind] + position * span[ind])
        rows[park] = row
    jiaozuo = pd.DataFrame.from_dict(rows, orient="index")[list(others.columns)]
    return pd.concat([others, jiaozuo])


def _long(table: pd.DataFrame) -> pd.DataFrame:
    frame = table.rename_axis("park").reset_index()
    long = frame.melt(id_vars="park", var_name="indicator", value_name="value")
    return long.sort_values(["park", "indicator"], kind="stable").reset_index(drop=True)
