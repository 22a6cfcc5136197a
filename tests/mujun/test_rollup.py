"""The per-county roll-up of the hand example: class counts and shares, ratio of sums.

410883 孟州市: a (A), b (B), f (不定等级).  Tax 240.97 + 964 + 100 = 1304.97 over land
10 + 20 + 50 = 80 亩 -> 亩均税收 16.312125 (the mean of the firms' ratios, (24.097 + 48.2 + 2)/3
= 24.7657, is not the county's figure); value added 1361.6 + 1000 + 500 = 2861.6 -> 35.77.
410882 沁阳市: c (land 0: left out of both sums), d, e: tax 450 + 120 = 570 over 15 + 8 = 23 亩
-> 24.782609; value added 2250 + 600 = 2850 -> 123.913043.  A share 1/2 and 0/3.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from kaoping.data.bundled import henan_units
from kaoping.mujun import MujunSpec, county_indicators, evaluate, read_benchmarks, read_firms


def test_county_rollup_is_the_ratio_of_sums(spec: MujunSpec, firm_csv: str, bench_csv: str) -> None:
    units = henan_units()
    result = evaluate(
        spec, read_firms(firm_csv, spec, units=units), read_benchmarks(bench_csv, spec), units=units
    )
    c = result.counties
    assert c.index.tolist() == ["410882", "410883"]
    assert c.loc["410883", "name"] == "孟州市"
    assert c.loc["410883", ["firms", "graded", "exempt", "A", "B", "C", "D"]].tolist() == [
        3, 2, 1, 1, 1, 0, 0,
    ]  # fmt: skip
    assert c.loc["410882", ["firms", "graded", "exempt", "A", "B", "C", "D"]].tolist() == [
        3, 3, 0, 0, 1, 1, 1,
    ]  # fmt: skip
    assert_allclose(c.loc["410883", "A_share"], 0.5)
    assert_allclose(c.loc["410882", "A_share"], 0.0)
    assert_allclose(c.loc["410883", "tax_per_mu"], 1304.97 / 80, rtol=1e-12)
    assert_allclose(c.loc["410883", "va_per_mu"], 2861.6 / 80, rtol=1e-12)
    assert_allclose(c.loc["410882", "tax_per_mu"], 570 / 23, rtol=1e-12)
    assert_allclose(c.loc["410882", "va_per_mu"], 2850 / 23, rtol=1e-12)
    mean_of_ratios = np.mean([24.097, 48.2, 2.0])
    assert abs(c.loc["410883", "tax_per_mu"] - mean_of_ratios) > 8


def test_county_indicators_are_a_wide_table(spec: MujunSpec, firm_csv: str, bench_csv: str) -> None:
    units = henan_units()
    result = evaluate(
        spec, read_firms(firm_csv, spec, units=units), read_benchmarks(bench_csv, spec), units=units
    )
    table = county_indicators(result.counties, "2024")
    assert table.columns.tolist() == [
        "代码", "名称", "年份", "工业用地亩均税收", "工业用地亩均增加值", "亩均A类企业占比",
    ]  # fmt: skip
    assert table["亩均A类企业占比"].tolist() == [0.0, 50.0]
    assert (table["年份"] == "2024").all()
