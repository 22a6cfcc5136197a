"""A synthetic 亩均 demo: 50,000 industrial firms over Henan's county-level units.

**Synthetic data** (合成数据), generated from a seed, vectorised (50,000 firms in about 0.1 s).
Nothing here describes a real firm.  The magnitudes are chosen to be plausible against the 黄岩
benchmarks of the bundled spec:

* county of each firm: every current county-level unit of Henan (县, 县级市, 市辖区), with
  lognormal weights (some counties have many more firms than others) and a county effect on
  productivity (lognormal, σ = 0.25);
* industry: 30 GB/T 4754 大类 (06–46) with their own synthetic benchmarks (:data:`INDUSTRIES`:
  each a factor on every default benchmark) and firm shares; a firm's figures scale with its
  industry's factor and its county's effect;
* land: lognormal, median 40 亩, σ = 0.9, clipped to 5–500 亩;
* tax per 亩 and value added per 亩 around the industry's benchmark (lognormal, σ = 0.6,
  correlated 0.8 through a common firm effect), so about half the firms are below it;
* staff, energy and emissions ≈ value added over the benchmark ratio times a lognormal;
  revenue 2.5–4.5 × value added; R&D ≈ the benchmark share of revenue × a lognormal, with 25 %
  of firms doing none;
* ~3 % exempt (不定等级) with a reason; 0.4 % without an energy figure, 0.2 % with 0 staff,
  0.1 % without emissions.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from kaoping.data.units import Units
from kaoping.mujun.spec import MujunSpec

__all__ = ["DEMO_NOTE", "INDUSTRIES", "demo_benchmarks", "demo_firms"]

DEMO_NOTE: Final[tuple[str, str]] = (
    "合成数据：企业、数值和分行业标杆值均由随机种子生成，不是任何企业或地区的真实数据。",
    "SYNTHETIC data: the firms, their figures and the industry benchmarks are generated from a "
    "seed; they are not real data of any firm or place.",
)

INDUSTRIES: Final[tuple[tuple[str, str, float, float], ...]] = (
    # 大类, 名称, factor on the default benchmarks (synthetic), share of firms (relative)
    ("06", "煤炭开采和洗选业", 1.30, 0.6),
    ("08", "黑色金属矿采选业", 1.10, 0.3),
    ("10", "非金属矿采选业", 0.80, 1.0),
    ("13", "农副食品加工业", 0.85, 5.0),
    ("14", "食品制造业", 0.95, 3.0),
    ("15", "酒、饮料和精制茶制造业", 1.40, 1.0),
    ("17", "纺织业", 0.70, 3.5),
    ("18", "纺织服装、服饰业", 0.65, 3.0),
    ("19", "皮革、毛皮、羽毛及其制品和制鞋业", 0.70, 1.5),
    ("20", "木材加工和木、竹、藤、棕、草制品业", 0.60, 2.0),
    ("21", "家具制造业", 0.70, 2.0),
    ("22", "造纸和纸制品业", 0.90, 1.5),
    ("23", "印刷和记录媒介复制业", 0.80, 1.0),
    ("24", "文教、工美、体育和娱乐用品制造业", 0.75, 1.0),
    ("26", "化学原料和化学制品制造业", 1.20, 4.0),
    ("27", "医药制造业", 1.50, 2.0),
    ("29", "橡胶和塑料制品业", 0.85, 3.5),
    ("30", "非金属矿物制品业", 0.80, 8.0),
    ("31", "黑色金属冶炼和压延加工业", 1.10, 1.5),
    ("32", "有色金属冶炼和压延加工业", 1.20, 2.0),
    ("33", "金属制品业", 0.85, 5.0),
    ("34", "通用设备制造业", 1.00, 6.0),
    ("35", "专用设备制造业", 1.05, 5.5),
    ("36", "汽车制造业", 1.25, 3.0),
    ("38", "电气机械和器材制造业", 1.10, 4.5),
    ("39", "计算机、通信和其他电子设备制造业", 1.35, 3.0),
    ("40", "仪器仪表制造业", 1.15, 1.0),
    ("42", "废弃资源综合利用业", 0.70, 1.0),
    ("44", "电力、热力生产和供应业", 1.20, 1.5),
    ("46", "水的生产和供应业", 0.60, 1.0),
)
"""The demo's 30 industries (synthetic benchmark factors and firm shares)."""

_REASONS: Final[tuple[str, ...]] = ("公用事业", "政策扶持", "新建投产未满3年", "重大项目建设期")


def demo_benchmarks(spec: MujunSpec) -> pd.DataFrame:
    """The demo's industry benchmark sheet (synthetic): the default benchmarks times each
    industry's factor, rounded to 4 significant digits; as :func:`read_benchmarks` returns it."""
    rows = {}
    for code, name, factor, _ in INDUSTRIES:
        row: dict[str, object] = {"name": name}
        for ind in spec.indicators:
            row[ind.id] = float(f"{ind.benchmark * factor:.4g}")
        rows[code] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "industry"
    return frame


def demo_firms(
    spec: MujunSpec,
    units: Units,
    n: int = 50_000,
    *,
    rng: np.random.Generator | int | None = 20,
) -> pd.DataFrame:
    """``n`` synthetic firms (the frame :func:`kaoping.mujun.evaluate` takes).

    Parameters
    ----------
    spec : MujunSpec
        Its default benchmarks set the magnitudes; it must have the bundled spec's fields
        (land, tax, value_added, staff, energy, emissions, rd, revenue).
    units : Units
        Henan's units (:func:`kaoping.data.bundled.henan_units`); the firms are spread over the
        current 县, 县级市 and 市辖区.
    n : int, default 50,000
    rng : numpy.random.Generator, int or None, default 20
        The seed: the same seed gives the same firms.
    """
    gen = np.random.default_rng(rng)
    frame = units.frame
    current = frame.index[frame["kind"].isin(["县", "县级市", "市辖区"]) & frame["valid_to"].isna()]
    counties = np.asarray(current, dtype=object)
    size = gen.lognormal(0.0, 0.7, counties.size)
    effect = gen.lognormal(0.0, 0.25, counties.size)
    c = gen.choice(counties.size, size=n, p=size / size.sum())
    share = np.array([s for *_, s in INDUSTRIES])
    k = gen.choice(len(INDUSTRIES), size=n, p=share / share.sum())
    factor = np.array([f for _, _, f, _ in INDUSTRIES])[k] * effect[c]
    b = {i.id: i.benchmark for i in spec.indicators}
    land = np.clip(gen.lognormal(np.log(40.0), 0.9, n), 5.0, 500.0)
    common = gen.standard_normal(n)
    own = gen.standard_normal((2, n))
    z_tax = 0.8 * common + 0.6 * own[0]
    z_va = 0.8 * common + 0.6 * own[1]
    tax = land * b["tax_per_mu"] * factor * np.exp(0.6 * z_tax - 0.18 - 0.15)
    va = land * b["va_per_mu"] * factor * np.exp(0.6 * z_va - 0.18 - 0.15)
    staff = np.maximum(
        np.round(va / (b["labour_productivity"] * factor * gen.lognormal(-0.2, 0.4, n))), 1.0
    )
    energy = va / (b["va_per_energy"] * factor * gen.lognormal(-0.2, 0.6, n))
    emissions = va / (b["va_per_emission"] * factor * gen.lognormal(-0.2, 0.8, n))
    revenue = va * gen.uniform(2.5, 4.5, n)
    rd = revenue * b["rd_share"] * factor * gen.lognormal(-0.3, 0.8, n) * (gen.random(n) > 0.25)
    energy[gen.random(n) < 0.004] = np.nan
    staff[gen.random(n) < 0.002] = 0.0
    emissions[gen.random(n) < 0.001] = np.nan
    exempt = gen.random(n) < 0.03
    reason = np.where(
        exempt, np.array(_REASONS, dtype=object)[gen.integers(0, len(_REASONS), n)], ""
    )
    seq = np.char.zfill(np.arange(1, n + 1).astype(str), 6)
    codes = np.char.add("91410000MJ", np.char.zfill(np.arange(1, n + 1).astype(str), 8))
    names = np.char.add(np.char.add("合成企业", seq), "有限公司")
    county = counties[c].astype(str)
    return pd.DataFrame(
        {
            "code": codes.astype(object),
            "name": names.astype(object),
            "county": county.astype(object),
            "industry": np.array([i[0] for i in INDUSTRIES], dtype=object)[k],
            "land": np.round(land, 2),
            "tax": np.round(tax, 2),
            "value_added": np.round(va, 2),
            "staff": staff,
            "energy": np.round(energy, 1),
            "emissions": np.round(emissions, 4),
            "rd": np.round(rd, 2),
            "revenue": np.round(revenue, 2),
            "exempt": exempt,
            "exempt_reason": reason,
        }
    )
