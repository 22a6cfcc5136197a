"""Generate the bundled demo data: 20 fictional counties, years 2023 and 2024.

The counties, codes (4199xx is not an assigned GB/T 2260 code) and values are invented, drawn
from seeded distributions with plausible magnitudes for Henan counties.  Re-run to regenerate:
``python examples/make_example_data.py`` writes ``examples/data/example_counties.csv`` (wide, one
row per county and year, Chinese headers) and ``examples/data/example_units.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent / "data"
NAMES = (
    "东川 西岭 南湖 北原 清河 白水 红山 青松 金沙 银川 "
    "石门 柳林 杏花 桃源 梅岭 竹溪 兰亭 菊坡 荷塘 松涛"
)

# (id, Chinese header, lognormal median or normal mean, spread, kind, decimals)
COLUMNS = [
    ("gdp", "地区生产总值", 280.0, 0.45, "lognormal", 1),
    ("gdp_growth", "地区生产总值增速", 5.5, 1.2, "normal", 1),
    ("budget_revenue", "一般公共预算收入", 14.0, 0.5, "lognormal", 2),
    ("tax_share", "税收占一般公共预算收入比重", 66.0, 7.0, "normal", 1),
    ("rd_intensity", "R&D经费投入强度", 1.3, 0.5, "lognormal", 2),
    ("patents_per_10k", "每万人发明专利拥有量", 2.0, 0.7, "lognormal", 2),
    ("urban_income", "城镇居民人均可支配收入", 36000.0, 0.12, "lognormal", 0),
    ("rural_income", "农村居民人均可支配收入", 19500.0, 0.12, "lognormal", 0),
    ("income_ratio", "城乡居民收入比", 0.0, 0.0, "normal", 2),  # derived below
    ("energy_intensity_drop", "单位GDP能耗降低率", 3.0, 1.5, "normal", 1),
    ("pm25", "PM2.5平均浓度", 46.0, 5.0, "normal", 1),
    ("good_air_days", "空气质量优良天数比例", 66.0, 6.0, "normal", 1),
    ("trade", "进出口总额", 12.0, 0.9, "lognormal", 2),
    ("fdi", "实际利用外资", 3500.0, 0.8, "lognormal", 0),
    ("doctors_per_1k", "每千人口执业（助理）医师数", 2.7, 0.4, "normal", 2),
    ("water_coverage", "公共供水普及率", 93.0, 3.0, "normal", 1),
    ("poverty_watch_share", "防返贫监测对象占比", 0.45, 0.15, "normal", 2),
]


def main(seed: int = 2024) -> None:
    rng = np.random.default_rng(seed)
    names = [f"{n}县" for n in NAMES.split()]
    codes = [f"4199{i + 1:02d}" for i in range(len(names))]
    categories = ["重点生态功能区" if i % 4 == 3 else "非重点生态功能区" for i in range(len(names))]
    # a persistent county effect so that the two years are related
    strength = rng.normal(0.0, 1.0, len(names))
    HERE.mkdir(exist_ok=True)
    with open(HERE / "example_units.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["代码", "名称", "上级", "类别", "类型"])
        for code, name, cat in zip(codes, names, categories, strict=True):
            w.writerow([code, name, "示例市", cat, "县"])
    decimals_of = [c[5] for c in COLUMNS]
    with open(HERE / "example_counties.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["代码", "名称", "年份", *[c[1] for c in COLUMNS]])
        for year, drift in ((2023, 0.0), (2024, 0.04)):
            for i, (code, name) in enumerate(zip(codes, names, strict=True)):
                values: dict[str, float] = {}
                for ident, _, centre, spread, kind, decimals in COLUMNS:
                    noise = rng.normal(0.0, 1.0)
                    z = 0.6 * strength[i] + 0.8 * noise
                    if kind == "lognormal":
                        value = centre * np.exp(spread * z + drift)
                    else:
                        value = centre + spread * z
                    values[ident] = round(float(value), decimals)
                # the ratio is derived from the two incomes, as the statistics bureau does
                values["income_ratio"] = round(values["urban_income"] / values["rural_income"], 2)
                cells = [
                    int(v) if d == 0 else v
                    for v, d in zip(values.values(), decimals_of, strict=True)
                ]
                w.writerow([code, name, year, *cells])


if __name__ == "__main__":
    main()
