"""Scores and classes of the hand example (tests/mujun/conftest.py), computed by hand.

Points p = min(max(w × x / b, 0), 1.5 w) (kaoping.scoring.rules.benchmark_ratio, the 黄岩 form).

Industry 13 (no row in the benchmark sheet: default benchmarks):
  a: 亩均税收 240.97/10 = 24.097 -> 30 × 1 = 30; 亩均增加值 1361.6/10 = 136.16 -> 20;
     劳动生产率 1361.6/68 = 20.0235 -> 10 × 20.0235/18.14 = 11.038329;
     能耗 1361.6/340.4 = 4 -> 20 × 4/2.694 = 29.695620; 排放 1361.6/0.2 = 6808 ->
     10 × 6808/4929.81 = 13.809863; R&D 60.4/2000 = 0.0302 -> 10.  S = 114.543812
  b: 964/20 = 48.2 -> 30 × 2.000249 = 60.007 capped at 45; 1000/20 = 50 -> 7.344301;
     1000/100 = 10 -> 5.512679; 1000/500 = 2 -> 14.847810; 1000/0.5 = 2000 -> 4.056951;
     0/3000 = 0 -> 0.  S = 76.761741
  c (industry 1311 -> 大类 13): land 0 -> 亩均税收 and 亩均增加值 not computable, 0 points;
     800/50 = 16 -> 8.820287; 800/200 = 4 -> 29.695620; 800/0.1 = 8000 -> 16.2278 capped at
     15; 24/1200 = 0.02 -> 6.622517.  S = 60.138423
Industry 34 (own benchmarks 30, 150, 20, 3, 5000, 0.04):
  d: 450/15 = 30 -> 30; 2250/15 = 150 -> 20; staff 0 -> not computable, 0; 2250/750 = 3 -> 20;
     2250/0.45 = 5000 -> 10; 120/3000 = 0.04 -> 10.  S = 90
  e: 120/8 = 15 -> 15; 600/8 = 75 -> 10; 600/40 = 15 -> 7.5; energy missing -> 0;
     600/0.3 = 2000 -> 4; 30/1500 = 0.02 -> 5.  S = 41.5
  f (exempt, 公用事业): 100/50 = 2 -> 2; 500/50 = 10 -> 1.333333; 500/20 = 25 -> 12.5;
     500/100 = 5 -> 33.3 capped at 30; 500/1 = 500 -> 1; 0 -> 0.  S = 46.833333

Graded n = 5 (f is exempt): K = floor(25·5/100), floor(70·5/100), floor(95·5/100), 5 = 1, 3, 4, 5.
Ranks: a 1, d 2, b 3, c 4, e 5 -> a A; d, b B; c C; e D; f 不定等级.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from kaoping.data.bundled import henan_units
from kaoping.mujun import MujunSpec, evaluate, read_benchmarks, read_firms
from kaoping.scoring.rules import benchmark_ratio

from .conftest import frame_of

EXPECTED = {"a": 114.543812, "b": 76.761741, "c": 60.138423, "d": 90.0, "e": 41.5, "f": 46.833333}


def _result(spec: MujunSpec, firm_csv: str, bench_csv: str):  # type: ignore[no-untyped-def]
    units = henan_units()
    table = read_firms(firm_csv, spec, units=units)
    return evaluate(spec, table, read_benchmarks(bench_csv, spec), units=units)


def test_the_hand_example_scores_as_computed_by_hand(
    spec: MujunSpec, firm_csv: str, bench_csv: str
) -> None:
    firms = _result(spec, firm_csv, bench_csv).firms.set_index("code")
    got = firms["score"].to_dict()
    assert_allclose([got[k] for k in EXPECTED], list(EXPECTED.values()), rtol=0, atol=1e-6)
    assert firms.loc["b", "tax_per_mu_points"] == 45.0  # capped at 1.5 × 30
    assert firms.loc["c", "va_per_emission_points"] == 15.0  # capped at 1.5 × 10
    assert firms.loc["f", "va_per_energy_points"] == 30.0  # capped at 1.5 × 20
    assert firms.loc["c", "industry"] == "13"  # 小类 1311 -> 大类 13
    assert firms["benchmark_basis"].to_dict() == {
        "a": "默认", "b": "默认", "c": "默认", "d": "34", "e": "34", "f": "34",
    }  # fmt: skip


def test_the_hand_example_classes_and_ranks(spec: MujunSpec, firm_csv: str, bench_csv: str) -> None:
    result = _result(spec, firm_csv, bench_csv)
    firms = result.firms
    assert firms["code"].tolist() == ["a", "d", "b", "c", "e", "f"]  # rank order, exempt last
    assert firms["class"].tolist() == ["A", "B", "B", "C", "D", "不定等级"]
    assert firms["rank"].tolist()[:5] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert np.isnan(firms["rank"].iloc[5])
    assert firms["exempt_reason"].tolist() == ["", "", "", "", "", "公用事业"]
    counts = result.class_counts()
    assert counts["count"].to_dict() == {"A": 1, "B": 2, "C": 1, "D": 1, "不定等级": 1}
    assert result.graded == 5
    assert result.year == "2024"


def test_zero_and_missing_denominators_give_a_note_never_inf(
    spec: MujunSpec, firm_csv: str, bench_csv: str
) -> None:
    firms = _result(spec, firm_csv, bench_csv).firms.set_index("code")
    values = firms[[i.id for i in spec.indicators]].to_numpy(dtype=float)
    assert not np.isinf(values).any()
    assert np.isnan(firms.loc["c", "tax_per_mu"])
    assert np.isnan(firms.loc["c", "va_per_mu"])
    assert firms.loc["c", "note_zh"] == "用地面积为 0：亩均税收、亩均增加值无法计算，按 0 分计"
    assert firms.loc["d", "note_zh"] == "年平均职工人数为 0：全员劳动生产率无法计算，按 0 分计"
    assert firms.loc["e", "note_en"] == (
        "Energy use is missing: Value added per unit of energy not computable, scored 0"
    )
    assert firms.loc["a", "note_zh"] == ""


def test_exempt_firms_are_outside_the_percentile_base(spec: MujunSpec) -> None:
    # 21 firms with scores 1..21 (tax per mu makes the score); the best five are exempt.
    # The base is the 16 others: K = floor(0.25·16) = 4 A, floor(0.70·16) - 4 = 7 B,
    # floor(0.95·16) - 11 = 4 C, 1 D.
    rows = [
        {"code": f"f{k:02d}", "tax": 24.097 * k / 30 * 10, "value_added": 0.0, "rd": 0.0,
         "exempt": k > 16, "exempt_reason": "政策扶持" if k > 16 else ""}
        for k in range(1, 22)
    ]  # fmt: skip
    result = evaluate(spec, frame_of(rows))
    firms = result.firms.set_index("code")
    assert_allclose(firms.loc["f03", "score"], 3.0)  # 30 × (24.097·3/30)/24.097
    assert (firms.loc[[f"f{k}" for k in range(17, 22)], "class"] == "不定等级").all()
    graded = firms[firms["rank"].notna()]
    assert graded["class"].value_counts().to_dict() == {"A": 4, "B": 7, "C": 4, "D": 1}
    assert graded.loc["f16", "class"] == "A"
    assert graded.loc["f01", "class"] == "D"


def test_reweight_scales_the_computable_points(spec: MujunSpec) -> None:
    from dataclasses import replace

    # one firm at every benchmark but without staff: 90 points computed of 90 possible
    # (全员劳动生产率's 10 left out) -> zero: 90; reweight: 90 × 100/90 = 100.
    frame = frame_of([{"code": "z", "staff": 0.0}])
    zero = evaluate(spec, frame).firms["score"].iloc[0]
    again = evaluate(replace(spec, missing="reweight"), frame).firms
    # at the benchmarks within rounding of the inputs (VA/energy 1361.6/505, 1361.6/0.28)
    expected_zero = (
        30
        + 20
        + 20 * (1361.6 / 505) / 2.694
        + 10 * min(1361.6 / 0.28 / 4929.81, 1.5)
        + 10 * (30.2 / 1000) / 0.0302
    )
    assert_allclose(zero, expected_zero, rtol=1e-12)
    assert_allclose(again["score"].iloc[0], expected_zero * 100 / 90, rtol=1e-12)
    assert "按其余指标的权重折算" in again["note_zh"].iloc[0]


def test_thresholds_class_by_min_score(spec: MujunSpec, firm_csv: str, bench_csv: str) -> None:
    units = henan_units()
    table = read_firms(firm_csv, spec, units=units)
    result = evaluate(spec, table, read_benchmarks(bench_csv, spec), method="thresholds")
    # min_score 100 / 70 / 40: a 114.5 A, d 90 B, b 76.8 B, c 60.1 C, e 41.5 C
    assert result.firms.set_index("code")["class"].to_dict() == {
        "a": "A", "d": "B", "b": "B", "c": "C", "e": "C", "f": "不定等级",
    }  # fmt: skip


@pytest.mark.parametrize("cap", [None, 1.5])
def test_points_are_benchmark_ratio_of_the_scoring_rules(
    spec: MujunSpec, cap: float | None
) -> None:
    # the same arithmetic as kaoping.scoring.rules.benchmark_ratio with the industry benchmark
    from dataclasses import replace

    taxes = np.array([0.0, 12.0, 24.097, 50.0, 200.0, -5.0])
    frame = frame_of([{"code": f"t{k}", "tax": t * 10} for k, t in enumerate(taxes)])
    indicators = tuple(replace(i, cap=cap) for i in spec.indicators)
    firms = evaluate(replace(spec, indicators=indicators), frame).firms.set_index("code")
    got = firms.loc[[f"t{k}" for k in range(len(taxes))], "tax_per_mu_points"].to_numpy()
    assert_allclose(got, benchmark_ratio(taxes, 30.0, benchmark=24.097, cap=cap), rtol=1e-12)
