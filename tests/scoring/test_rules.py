"""Tests of kaoping.scoring.rules: every rule against examples worked out by hand.

Each expected value is computed in the comment beside it, from the formula in the rule's
docstring (and ``shared/METHODS.md``, "Official scoring rules").
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.scoring import rules
from kaoping.scoring.rules import (
    bands,
    benchmark_ratio,
    completion,
    efficacy,
    judged,
    level_and_growth,
    rank_points,
    vs_average,
)

NAN = np.nan


def test_docstring_examples_run() -> None:
    result = doctest.testmod(rules, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_package_exports_rules() -> None:
    import kaoping.scoring

    assert kaoping.scoring.rules is rules
    assert kaoping.scoring.__all__ == ["rules"]


# --------------------------------------------------------------------------------------------
# completion (目标完成率法)
# --------------------------------------------------------------------------------------------


def test_completion_positive_shares_and_caps_at_full_points() -> None:
    pts, ratio = completion([7.2, 8.0, 10.0], 8.0, points=5.0)
    # x = 7.2, t = 8 -> 7.2/8 = 0.9 -> 5 * 0.9 = 4.5
    # x = 8.0, t = 8 -> 1.0 -> 5
    # x = 10,  t = 8 -> 1.25 -> capped at 1 -> 5
    assert_allclose(pts, [4.5, 5.0, 5.0], rtol=1e-12)
    assert_allclose(ratio, [0.9, 1.0, 1.25], rtol=1e-12)


def test_completion_negative_inverts_the_ratio() -> None:
    # energy use per unit of GDP, target 0.5: x = 0.4 -> 0.5/0.4 = 1.25 -> capped 1 -> 10;
    # x = 0.5 -> 1 -> 10; x = 0.8 -> 0.5/0.8 = 0.625 -> 6.25
    pts, ratio = completion([0.4, 0.5, 0.8], 0.5, points=10.0, direction=-1)
    assert_allclose(pts, [10.0, 10.0, 6.25], rtol=1e-12)
    assert_allclose(ratio, [1.25, 1.0, 0.625], rtol=1e-12)


def test_completion_negative_zero_value_is_an_infinite_ratio_capped() -> None:
    # x = 0 (also -0.0) in a negative indicator: t/x = +inf -> capped at 1.2 -> 10 * 1.2 = 12
    pts, ratio = completion([0.0, -0.0], 4.0, points=10.0, direction=-1, cap=1.2)
    assert_array_equal(pts, [12.0, 12.0])
    assert_array_equal(ratio, [np.inf, np.inf])


def test_completion_cap_above_one_rewards_over_fulfilment() -> None:
    # t = 100, cap 1.2: x = 110 -> 1.1 -> 10 * 1.1 = 11; x = 150 -> 1.5 -> 1.2 -> 12;
    # x = 60 -> 0.6 -> 6
    pts, ratio = completion([110.0, 150.0, 60.0], 100.0, points=10.0, cap=1.2)
    assert_allclose(pts, [11.0, 12.0, 6.0], rtol=1e-12)
    assert_allclose(ratio, [1.1, 1.5, 0.6], rtol=1e-12)  # the ratio is returned uncapped


def test_completion_floor_guarantees_a_minimum_share() -> None:
    # floor 0.4: x/t = 0.1 -> raised to 0.4 -> 10 * 0.4 = 4; 0.7 -> 7; negative x/t = -0.2 -> 4
    pts, _ = completion([1.0, 7.0, -2.0], 10.0, points=10.0, floor=0.4)
    assert_allclose(pts, [4.0, 7.0, 4.0], rtol=1e-12)


def test_completion_zero_below_overrides_the_floor() -> None:
    # floor 0.4, zero_below 0.5: 0.3 < 0.5 -> 0; 0.45 < 0.5 -> 0 (not the floor's 4);
    # 0.5 is not below 0.5 -> 10 * 0.5 = 5; 0.9 -> 9
    pts, ratio = completion([3.0, 4.5, 5.0, 9.0], 10.0, points=10.0, floor=0.4, zero_below=0.5)
    assert_allclose(pts, [0.0, 0.0, 5.0, 9.0], rtol=1e-12)
    assert_allclose(ratio, [0.3, 0.45, 0.5, 0.9], rtol=1e-12)


def test_completion_per_unit_targets_and_missing_values() -> None:
    # x = 6, t = 12 -> 0.5 -> 2.5; x missing -> NaN (its target 0 is not checked);
    # t missing (no target set) -> NaN points and ratio; x = 9, t = 9 -> 1 -> 5
    pts, ratio = completion([6.0, NAN, 3.0, 9.0], [12.0, 0.0, NAN, 9.0], points=5.0)
    assert_allclose(pts, [2.5, NAN, NAN, 5.0], rtol=1e-12)
    assert_allclose(ratio, [0.5, NAN, NAN, 1.0], rtol=1e-12)


def test_completion_rejects_a_non_positive_target_naming_the_unit() -> None:
    with pytest.raises(ValueError, match=r"target\[1\] = 0\.0 for unit 1"):
        completion([1.0, 2.0], [1.0, 0.0], points=5.0)
    with pytest.raises(ValueError, match=r"target = -3\.0 for unit 0"):
        completion([1.0, 2.0], -3.0, points=5.0)
    with pytest.raises(ValueError, match=r"target\[0\] = inf"):
        completion([1.0], [np.inf], points=5.0)
    with pytest.raises(ValueError, match="one per unit"):
        completion([1.0, 2.0], [1.0, 2.0, 3.0], points=5.0)


def test_completion_rejects_a_negative_value_of_a_negative_indicator() -> None:
    with pytest.raises(ValueError, match=r"x\[1\] = -1\.0 is negative in a negative"):
        completion([1.0, -1.0], 1.0, points=5.0, direction=-1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"points": 0.0}, "points"),
        ({"points": NAN}, "points"),
        ({"direction": 0}, "direction"),
        ({"floor": -0.1}, "floor < cap"),
        ({"floor": 1.0, "cap": 1.0}, "floor < cap"),
        ({"cap": np.inf}, "cap"),
        ({"zero_below": 1.5}, "zero_below"),
        ({"zero_below": -0.5}, "zero_below"),
    ],
)
def test_completion_rejects_bad_parameters(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, float] = {"points": 5.0} | kwargs
    with pytest.raises(ValueError, match=message):
        completion([1.0], 1.0, **args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# efficacy (功效系数法)
# --------------------------------------------------------------------------------------------


def test_efficacy_sixty_plus_forty() -> None:
    # x_s = 10 (worst), x_h = 30 (best), w = 10, base 0.6:
    # 10 -> s = 0 -> 10 * 0.6 = 6; 15 -> s = 5/20 = 0.25 -> 10 * (0.6 + 0.4 * 0.25) = 7;
    # 25 -> s = 0.75 -> 10 * 0.9 = 9; 30 -> s = 1 -> 10
    assert_allclose(efficacy([10.0, 15.0, 25.0, 30.0], points=10.0), [6.0, 7.0, 9.0, 10.0])


def test_efficacy_negative_indicator() -> None:
    # negative: x_h = 10 (min), x_s = 30 (max): 10 -> 10; 15 -> s = (15-30)/(10-30) = 0.75
    # -> 9; 30 -> 6
    assert_allclose(
        efficacy([10.0, 15.0, 30.0], points=10.0, direction=-1), [10.0, 9.0, 6.0], rtol=1e-12
    )


def test_efficacy_all_equal_values_get_full_points() -> None:
    # x_h = x_s = 5: every unit gets w, never NaN
    assert_array_equal(efficacy([5.0, 5.0, 5.0], points=8.0), [8.0, 8.0, 8.0])
    assert_array_equal(efficacy([5.0, 5.0], points=8.0, direction=-1), [8.0, 8.0])


def test_efficacy_missing_values() -> None:
    # NaN scores NaN and is not the worst: x_s = 2, x_h = 4 -> 3 -> s = 0.5 -> 5 * 0.8 = 4
    assert_allclose(efficacy([NAN, 2.0, 3.0, 4.0], points=5.0), [NAN, 3.0, 4.0, 5.0])
    assert_array_equal(efficacy([NAN, NAN], points=5.0), [NAN, NAN])
    assert efficacy([], points=5.0).shape == (0,)


def test_efficacy_given_goalposts_and_base() -> None:
    # x_h = 100, x_s = 50, base 0.5, w = 20: 40 -> below x_s -> s = 0 -> 10;
    # 75 -> s = 0.5 -> 20 * (0.5 + 0.5 * 0.5) = 15; 120 -> beyond x_h -> 20
    assert_allclose(
        efficacy([40.0, 75.0, 120.0], points=20.0, base=0.5, satisfactory=100.0, unacceptable=50.0),
        [10.0, 15.0, 20.0],
    )
    # negative with goalposts: x_h = 2, x_s = 6: 3 -> s = (3-6)/(2-6) = 0.75 -> 10 * 0.9 = 9
    assert_allclose(
        efficacy([3.0], points=10.0, direction=-1, satisfactory=2.0, unacceptable=6.0), [9.0]
    )


def test_efficacy_one_given_goalpost_beyond_the_whole_group() -> None:
    # x_h = 5 given, every unit above it: all reach x_h -> all 10
    assert_array_equal(efficacy([10.0, 20.0], points=10.0, satisfactory=5.0), [10.0, 10.0])
    # x_s = 40 given, every unit below it: all unacceptable -> all 10 * 0.6 = 6
    assert_allclose(efficacy([10.0, 20.0], points=10.0, unacceptable=40.0), [6.0, 6.0])
    # x_s = 15 given, x_h = 30 (best): 10 -> 6; 20 -> s = 5/15 -> 6 + 4/3; 30 -> 10
    assert_allclose(
        efficacy([10.0, 20.0, 30.0], points=10.0, unacceptable=15.0), [6.0, 6.0 + 4 / 3, 10.0]
    )


def test_efficacy_rejects_goalposts_in_the_wrong_order() -> None:
    with pytest.raises(ValueError, match="must be above"):
        efficacy([1.0], points=1.0, satisfactory=1.0, unacceptable=2.0)
    with pytest.raises(ValueError, match="must be below"):
        efficacy([1.0], points=1.0, direction=-1, satisfactory=2.0, unacceptable=1.0)
    with pytest.raises(ValueError, match="base"):
        efficacy([1.0], points=1.0, base=1.5)
    with pytest.raises(ValueError, match="satisfactory"):
        efficacy([1.0], points=1.0, satisfactory=NAN)
    with pytest.raises(ValueError, match="1-D"):
        efficacy([[1.0]], points=1.0)


# --------------------------------------------------------------------------------------------
# vs_average (对标平均)
# --------------------------------------------------------------------------------------------


def test_vs_average_in_points_of_the_indicator() -> None:
    # growth rates 8.5, 7.0, 4.0, 8.5: average (8.5 + 7 + 4 + 8.5)/4 = 7; w = 10, base 6, step 2:
    # 8.5 -> +1.5 -> 6 + 3 = 9; 7 -> 6; 4 -> -3 -> 6 - 6 = 0
    assert_allclose(vs_average([8.5, 7.0, 4.0, 8.5], points=10.0, step=2.0), [9.0, 6.0, 0.0, 9.0])


def test_vs_average_clips_to_zero_and_full_points() -> None:
    # average 10, step 1, base 0.6 * 10 = 6: 20 -> 6 + 10 = 16 -> 10; 0 -> 6 - 10 = -4 -> 0
    assert_allclose(vs_average([20.0, 0.0, 10.0], points=10.0, step=1.0), [10.0, 0.0, 6.0])


def test_vs_average_negative_indicator() -> None:
    # average 5; negative: 4 is 1 below -> +1 * 1.5 -> 6 + 1.5 = 7.5; 6 -> 4.5
    assert_allclose(
        vs_average([4.0, 6.0], points=10.0, direction=-1, step=1.5), [7.5, 4.5], rtol=1e-12
    )


def test_vs_average_in_percent_of_the_average() -> None:
    # average 200: 220 -> 100 * 20/200 = 10% above -> 0.5 * 20 + 0.2 * 10 = 12;
    # 180 -> 10% below -> 8
    assert_allclose(
        vs_average([220.0, 180.0], points=20.0, step=0.2, base=0.5, per="percent"),
        [12.0, 8.0],
        rtol=1e-12,
    )
    # a negative average uses |avg|: avg -4: -2 -> 100 * 2/4 = 50% above -> 5 + 0.1 * 50 = 10
    assert_allclose(
        vs_average([-2.0], points=10.0, step=0.1, base=0.5, per="percent", average=-4.0),
        [10.0],
    )


def test_vs_average_given_average_and_missing_values() -> None:
    # average 7.5 given (a provincial figure): 8 -> 6 + 2 * 0.5 = 7; NaN -> NaN
    assert_allclose(
        vs_average([8.0, NAN], points=10.0, step=2.0, average=7.5), [7.0, NAN], rtol=1e-12
    )
    # the mean skips the NaN: (4 + 8)/2 = 6 -> 4 -> 6 - 2 = 4; 8 -> 8
    assert_allclose(vs_average([4.0, NAN, 8.0], points=10.0, step=1.0), [4.0, NAN, 8.0])
    assert_array_equal(vs_average([NAN, NAN], points=10.0, step=1.0), [NAN, NAN])


def test_vs_average_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="average is 0"):
        vs_average([-1.0, 1.0], points=10.0, step=1.0, per="percent")
    with pytest.raises(ValueError, match="per must be"):
        vs_average([1.0], points=10.0, step=1.0, per="pct")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="step"):
        vs_average([1.0], points=10.0, step=0.0)
    with pytest.raises(ValueError, match="average"):
        vs_average([1.0], points=10.0, step=1.0, average=np.inf)


# --------------------------------------------------------------------------------------------
# rank_points (排位赋分)
# --------------------------------------------------------------------------------------------


def test_rank_points_table_with_ties() -> None:
    # values 8, 9, 9, 5, 7: ranks 3, 1, 1, 5, 4 (two share first place, nobody is second)
    # table 20, 19, 18, 17: rank 1 -> 20, rank 3 -> 18, rank 4 -> 17, rank 5 -> beyond -> 0
    assert_array_equal(
        rank_points([8.0, 9.0, 9.0, 5.0, 7.0], points=20.0, table=[20, 19, 18, 17]),
        [18.0, 20.0, 20.0, 0.0, 17.0],
    )


def test_rank_points_decrement() -> None:
    # negative: smaller is better; 1 -> rank 1 -> 6; 2 and 2 -> rank 2 -> 6 - 0.5 = 5.5;
    # 9 -> rank 4 -> 6 - 1.5 = 4.5; decrement 4 would floor at 0
    assert_allclose(
        rank_points([2.0, 1.0, 9.0, 2.0], points=6.0, direction=-1, decrement=0.5),
        [5.5, 6.0, 4.5, 5.5],
    )
    assert_allclose(rank_points([3.0, 2.0, 1.0], points=6.0, decrement=4.0), [6.0, 2.0, 0.0])


def test_rank_points_proportional_to_the_best() -> None:
    # positive: best 8 -> 8/8 * 6 = 6; 4 -> 3; 2 -> 1.5
    assert_allclose(rank_points([8.0, 4.0, 2.0], points=6.0, proportional=True), [6.0, 3.0, 1.5])
    # negative: best = min = 2 -> 6; 4 -> 2/4 * 6 = 3; 8 -> 1.5
    assert_allclose(
        rank_points([2.0, 4.0, 8.0], points=6.0, direction=-1, proportional=True),
        [6.0, 3.0, 1.5],
    )


def test_rank_points_linear_default_with_ties_and_missing() -> None:
    # n = 4 units with a value: ranks of 5, 7, 7, 1 are 3, 1, 1, 4 ->
    # 10 * (4 - 3 + 1)/4 = 5, 10 * 4/4 = 10, 10, 10 * 1/4 = 2.5; NaN -> NaN
    assert_allclose(
        rank_points([5.0, 7.0, NAN, 7.0, 1.0], points=10.0), [5.0, 10.0, NAN, 10.0, 2.5]
    )
    assert_array_equal(rank_points([NAN], points=10.0), [NAN])


def test_rank_points_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="at most one of"):
        rank_points([1.0], points=1.0, table=[1.0], proportional=True)
    with pytest.raises(ValueError, match="within"):
        rank_points([1.0], points=1.0, table=[2.0])
    with pytest.raises(ValueError, match="must not increase"):
        rank_points([1.0], points=5.0, table=[4.0, 5.0])
    with pytest.raises(ValueError, match="finite points"):
        rank_points([1.0], points=5.0, table=[])
    with pytest.raises(ValueError, match="decrement"):
        rank_points([1.0], points=5.0, decrement=-1.0)
    with pytest.raises(ValueError, match=r"x\[1\] = 0\.0"):
        rank_points([1.0, 0.0], points=5.0, proportional=True)


# --------------------------------------------------------------------------------------------
# bands (分档赋分)
# --------------------------------------------------------------------------------------------

PROFIT_BANDS: list[tuple[float | None, float | None, float]] = [
    (80.0, None, 3.0),  # 80亿以上 3分
    (20.0, 80.0, 2.4),  # 20-80亿 2.4分
    (5.0, 20.0, 1.2),
]


def test_bands_each_boundary() -> None:
    x = [80.0, 79.999, 20.0, 19.999, 5.0, 4.999, 1e12]
    # 80 -> lo of the first band (inclusive) -> 3; 79.999 < 80 -> second band -> 2.4;
    # 20 -> lo of the second band -> 2.4; 19.999 -> third -> 1.2; 5 -> third (lo) -> 1.2;
    # 4.999 -> below every band -> 0; 1e12 -> open upper end -> 3
    assert_array_equal(
        bands(x, points=3.0, bands=PROFIT_BANDS), [3.0, 2.4, 2.4, 1.2, 1.2, 0.0, 3.0]
    )


def test_bands_open_ends_first_match_and_missing() -> None:
    spec: list[tuple[float | None, float | None, float]] = [
        (None, 0.0, 1.0),  # everything below 0
        (-5.0, 10.0, 2.0),  # overlaps the first band on [-5, 0): the first band wins there
        (10.0, None, 0.0),
    ]
    # -1e9 -> 1; -1 -> first band (listed first) -> 1; 0 -> not < 0, so second -> 2;
    # 10 -> third -> 0; NaN -> NaN; -inf -> first band (lo None) -> 1; +inf -> third -> 0
    assert_array_equal(
        bands([-1e9, -1.0, 0.0, 10.0, NAN, -np.inf, np.inf], points=2.0, bands=spec),
        [1.0, 1.0, 2.0, 0.0, NAN, 1.0, 0.0],
    )


def test_bands_rejects_bad_bands() -> None:
    with pytest.raises(ValueError, match="at least one band"):
        bands([1.0], points=1.0, bands=[])
    with pytest.raises(ValueError, match=r"bands\[0\] has lo = 5"):
        bands([1.0], points=1.0, bands=[(5.0, 5.0, 1.0)])
    with pytest.raises(ValueError, match=r"bands\[1\] scores 2\.0 points, outside"):
        bands([1.0], points=1.0, bands=[(0.0, 1.0, 1.0), (1.0, None, 2.0)])
    with pytest.raises(ValueError, match=r"bands\[0\] must be \(lo, hi, pts\)"):
        bands([1.0], points=1.0, bands=[(0.0, 1.0)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"bands\[0\] lo"):
        bands([1.0], points=1.0, bands=[(NAN, 1.0, 1.0)])


# --------------------------------------------------------------------------------------------
# benchmark_ratio (标杆比值法)
# --------------------------------------------------------------------------------------------


def test_benchmark_ratio_mu_form() -> None:
    # 黄岩: 亩均税收 / 24.097 * 30: 36.1455 -> 1.5 -> 45; 12.0485 -> 0.5 -> 15
    assert_allclose(
        benchmark_ratio([36.1455, 12.0485], points=30.0, benchmark=24.097), [45.0, 15.0]
    )
    # capped at 1.2 * 30 = 36
    assert_allclose(
        benchmark_ratio([36.1455, 12.0485], points=30.0, benchmark=24.097, cap=1.2),
        [36.0, 15.0],
    )


def test_benchmark_ratio_group_mean_and_missing() -> None:
    # mean of 1, 3 (NaN skipped) = 2 -> 1/2 * 10 = 5, 3/2 * 10 = 15
    assert_allclose(benchmark_ratio([1.0, NAN, 3.0], points=10.0), [5.0, NAN, 15.0])
    assert_array_equal(benchmark_ratio([NAN], points=10.0), [NAN])


def test_benchmark_ratio_negative_indicator() -> None:
    # negative, b = 2: 1 -> 2/1 * 10 = 20 -> cap 1.5 -> 15; 4 -> 2/4 * 10 = 5; 0 -> inf -> 15
    assert_allclose(
        benchmark_ratio([1.0, 4.0, 0.0], points=10.0, direction=-1, benchmark=2.0, cap=1.5),
        [15.0, 5.0, 15.0],
    )


def test_benchmark_ratio_negative_value_scores_zero() -> None:
    # positive, b = 2: -1 -> -0.5 * 10 -> floored at 0
    assert_array_equal(benchmark_ratio([-1.0, 2.0], points=10.0, benchmark=2.0), [0.0, 10.0])


def test_benchmark_ratio_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="group mean"):
        benchmark_ratio([-1.0, 1.0], points=10.0)
    with pytest.raises(ValueError, match="benchmark"):
        benchmark_ratio([1.0], points=10.0, benchmark=0.0)
    with pytest.raises(ValueError, match="cap"):
        benchmark_ratio([1.0], points=10.0, cap=-1.0)
    with pytest.raises(ValueError, match=r"x\[0\] = 0 in a negative indicator"):
        benchmark_ratio([0.0, 1.0], points=10.0, direction=-1, benchmark=1.0)
    with pytest.raises(ValueError, match=r"x\[1\] = -2\.0 is negative"):
        benchmark_ratio([1.0, -2.0], points=10.0, direction=-1, benchmark=1.0, cap=1.0)


# --------------------------------------------------------------------------------------------
# level_and_growth (总量+增量)
# --------------------------------------------------------------------------------------------


def test_level_and_growth_sixty_forty() -> None:
    # level 100, 200, 300 -> efficacy shares 0.6, 0.8, 1.0;
    # growth 12, 8, 4 -> 1.0, 0.8, 0.6; w = 10, a = 0.6:
    # 10 * (0.6 * 0.6 + 0.4 * 1.0) = 7.6; 10 * (0.6 * 0.8 + 0.4 * 0.8) = 8;
    # 10 * (0.6 * 1.0 + 0.4 * 0.6) = 8.4
    assert_allclose(
        level_and_growth([100.0, 200.0, 300.0], [12.0, 8.0, 4.0], points=10.0),
        [7.6, 8.0, 8.4],
        rtol=1e-12,
    )


def test_level_and_growth_negative_and_missing() -> None:
    # negative, smaller is better: level 1 best (share 1.0), 3 worst (0.6); the middle unit's
    # growth is NaN -> NaN; growth of the others: 2 best (1.0), 6 worst (0.6); a = 0.5:
    # unit 0: 10 * (0.5 * 1.0 + 0.5 * 0.6) = 8; unit 2: 10 * (0.5 * 0.6 + 0.5 * 1.0) = 8
    assert_allclose(
        level_and_growth([1.0, 2.0, 3.0], [6.0, NAN, 2.0], points=10.0, direction=-1, a=0.5),
        [8.0, NAN, 8.0],
        rtol=1e-12,
    )


def test_level_and_growth_all_equal_and_bad_parameters() -> None:
    # all equal in both parts: both shares 1 -> w
    assert_array_equal(level_and_growth([3.0, 3.0], [1.0, 1.0], points=7.0), [7.0, 7.0])
    with pytest.raises(ValueError, match="one value per unit each"):
        level_and_growth([1.0, 2.0], [1.0], points=1.0)
    with pytest.raises(ValueError, match=r"\ba\b"):
        level_and_growth([1.0], [1.0], points=1.0, a=1.2)


# --------------------------------------------------------------------------------------------
# judged (评委打分)
# --------------------------------------------------------------------------------------------


def test_judged_trims_with_five_judges() -> None:
    # 5 judges: 95, 80, 85, 70, 90 -> drop 95 and 70 -> (80 + 85 + 90)/3 = 85
    scores = np.array([[[95.0], [80.0], [85.0], [70.0], [90.0]]])
    assert_allclose(judged(scores), [[85.0]])
    # without trimming: (95 + 80 + 85 + 70 + 90)/5 = 84
    assert_allclose(judged(scores, trim=False), [[84.0]])


def test_judged_does_not_trim_with_four_judges() -> None:
    # 4 judges: 95, 80, 85, 70 -> fewer than 5, no trimming -> 330/4 = 82.5
    scores = np.array([[[95.0], [80.0], [85.0], [70.0]]])
    assert_allclose(judged(scores), [[82.5]])
    # a 5th judge who did not score (NaN) does not count towards the 5
    with_absent = np.array([[[95.0], [80.0], [85.0], [70.0], [NAN]]])
    assert_allclose(judged(with_absent), [[82.5]])
    # min_judges_for_trim = 3: 3 judges 90, 60, 75 -> drop 90 and 60 -> 75
    assert_allclose(judged(np.array([[[90.0], [60.0], [75.0]]]), min_judges_for_trim=3), [[75.0]])


def test_judged_per_unit_and_criterion_with_ties_and_missing() -> None:
    # unit 0, criterion 0: 5 judges 9, 9, 7, 5, 5 -> drop one 9 and one 5 -> (9 + 7 + 5)/3 = 7
    # unit 0, criterion 1: only judges 0 and 1 scored: 4, 6 -> 5
    # unit 1, criterion 0: nobody scored -> NaN
    # unit 1, criterion 1: 1, 2, 3, 4, 10 -> (2 + 3 + 4)/3 = 3
    s = np.full((2, 5, 2), NAN)
    s[0, :, 0] = [9.0, 9.0, 7.0, 5.0, 5.0]
    s[0, :2, 1] = [4.0, 6.0]
    s[1, :, 1] = [10.0, 1.0, 3.0, 4.0, 2.0]
    assert_allclose(judged(s), [[7.0, 5.0], [NAN, 3.0]])


def test_judged_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"shape \(units, judges, criteria\)"):
        judged(np.ones((2, 3)))
    with pytest.raises(ValueError, match=">= 3"):
        judged(np.ones((1, 5, 1)), min_judges_for_trim=2)
    with pytest.raises(ValueError, match="integer"):
        judged(np.ones((1, 5, 1)), min_judges_for_trim=4.5)  # type: ignore[arg-type]
    assert judged(np.ones((3, 0, 2))).shape == (3, 2)
