"""Invariants of the briefing on random assessments, checked with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.assess import assess
from kaoping.data import Panel, Units
from kaoping.methodology import loads
from kaoping.report import briefing

METHODOLOGY = """
id: prop
name: 性质检验
normalization: minmax
weighting: fixed
aggregation: arithmetic
tiers:
  - {{name: 第一方阵, max_rank: {first}}}
  - {{name: 第二方阵, max_rank: {second}}}
  - {{name: 第三方阵}}
dimensions:
  - {{id: d1, name: 维度一, indicators: [{{id: a, name: 指标A, direction: positive}}]}}
  - {{id: d2, name: 维度二, indicators: [{{id: b, name: 指标B, direction: negative}}]}}
"""


@st.composite
def cases(draw: st.DrawFn) -> tuple[Units, Panel, str, int, int]:
    n = draw(st.integers(min_value=3, max_value=15))
    cities = draw(st.lists(st.sampled_from(["4108", "4109", "4110"]), min_size=n, max_size=n))
    codes = [f"{city}{i:02d}" for i, city in enumerate(cities)]
    categories = draw(st.lists(st.sampled_from(["甲类", "乙类"]), min_size=n, max_size=n))
    units = Units(
        pd.DataFrame({"code": codes, "name": [f"县{i}" for i in range(n)], "category": categories})
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = [
        {"unit": c, "indicator": k, "period": "2024", "value": float(v)}
        for k in "ab"
        for c, v in zip(codes, rng.lognormal(size=n), strict=True)
    ]
    first = draw(st.integers(1, n))
    second = draw(st.integers(first + 1, n + 1))
    return units, Panel(pd.DataFrame(rows)), draw(st.sampled_from(cities)), first, second


@settings(max_examples=40, deadline=None)
@given(case=cases(), lang=st.sampled_from(["zh", "en"]))
def test_tier_counts_sum_to_the_citys_ranked_units(
    case: tuple[Units, Panel, str, int, int], lang: str
) -> None:
    units, panel, city, first, second = case
    m = loads(METHODOLOGY.format(first=first, second=second))
    result = assess(m, panel, "2024", units=units)
    b = briefing(result, city=city, lang=lang)  # type: ignore[arg-type]
    counts = [f for s in b.sentences for f in s.facts if f.kind == "tier_count"]
    mine = result.table[[c.startswith(city) for c in result.table.index]]
    assert sum(f.value or 0 for f in counts) == mine["rank"].notna().sum()
    # and each tier is counted once, in the methodology's order
    tiers = [f.tier for f in counts]
    assert tiers == [t.name for t in m.tiers if t.name in tiers]
    # every unit of the city is in exactly one tier sentence
    listed = [f.unit for s in b.sentences for f in s.facts if f.kind == "tier"]
    assert sorted(listed) == sorted(mine.index)
