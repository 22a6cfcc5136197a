"""Tests of kaoping.methods.coupling (耦合协调度).

Reference values come from examples worked by hand (the arithmetic is in the comments), from
the two printed forms of the standard coupling degree and brute-force loops over the subsystem
pairs written here independently of the kernel, and from Table 8 of 王淑佳 et al. (2021,
自然资源学报 36(3), 793-810, doi:10.31497/zrzyxb.20210319), whose published pairs of original and
corrected C the corrected form must be able to produce.
"""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.methods import coupling
from kaoping.methods.coupling import CLASSES, classify, coordination, degree

NAN = np.nan


def test_docstring_examples_run() -> None:
    result = doctest.testmod(coupling, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# standard form, by hand
# --------------------------------------------------------------------------------------------


def test_two_subsystems_by_hand() -> None:
    # U = (0.2, 0.8): C = 2 sqrt(0.2 * 0.8) / (0.2 + 0.8) = 2 * 0.4 / 1 = 0.8;
    # T = (0.2 + 0.8) / 2 = 0.5;  D = sqrt(0.8 * 0.5) = sqrt(0.4) = 0.6324555320336759
    res = coordination([[0.2, 0.8]])
    assert_allclose(res.C, [0.8], rtol=1e-14)
    assert_allclose(res.T, [0.5], rtol=1e-14)
    assert_allclose(res.D, [math.sqrt(0.4)], rtol=1e-14)
    assert CLASSES[int(classify(res.D)[0])].zh == "初级协调"  # 0.632 in [0.6, 0.7)


def test_three_subsystems_by_hand() -> None:
    # U = (0.2, 0.4, 0.8): product 0.064, geometric mean 0.064^(1/3) = 0.4; sum 1.4;
    # C = 3 * 0.4 / 1.4 = 6/7;  T = 1.4 / 3;  D = sqrt(6/7 * 1.4/3) = sqrt(0.4)
    res = coordination([[0.2, 0.4, 0.8]])
    assert_allclose(res.C, [6 / 7], rtol=1e-14)
    assert_allclose(res.T, [1.4 / 3], rtol=1e-14)
    assert_allclose(res.D, [math.sqrt(0.4)], rtol=1e-14)


def test_coefficients_weight_the_development_index() -> None:
    # a = (0.7, 0.3): T = 0.7 * 0.2 + 0.3 * 0.8 = 0.14 + 0.24 = 0.38 (C stays 0.8);
    # D = sqrt(0.8 * 0.38) = sqrt(0.304)
    res = coordination([[0.2, 0.8]], [0.7, 0.3])
    assert_allclose(res.T, [0.38], rtol=1e-14)
    assert_allclose(res.D, [math.sqrt(0.304)], rtol=1e-14)


def test_a_zero_subsystem_gives_zero_coupling_and_coordination() -> None:
    # geometric mean 0 -> C = 0, D = sqrt(0 * T) = 0: 极度失调
    res = coordination([[0.0, 0.6, 0.9]])
    assert_array_equal(res.C, [0.0])
    assert_array_equal(res.D, [0.0])
    assert_array_equal(degree([[0.0, 0.6]], form="wang2021"), [0.0])


def test_missing_scores_give_nan() -> None:
    res = coordination([[NAN, 0.5], [0.5, 0.5]])
    assert np.isnan([res.C[0], res.T[0], res.D[0]]).all()
    assert_allclose(res.C[1], 1.0)
    assert np.isnan(degree([[NAN, 0.5]], form="wang2021")[0])


# --------------------------------------------------------------------------------------------
# the printed forms are one number
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 5, 6])
def test_both_printed_forms_of_the_standard_coupling_degree_agree(k: int) -> None:
    rng = np.random.default_rng(k)
    U = rng.uniform(0.01, 1.0, size=(200, k))
    # the form most papers print: C = [prod U_i / ((sum U_i) / k)^k]^(1/k)
    printed = (np.prod(U, axis=1) / (U.sum(axis=1) / k) ** k) ** (1 / k)
    # METHODS.md's: C = k (prod U_i)^(1/k) / sum U_i
    methods_md = k * np.prod(U, axis=1) ** (1 / k) / U.sum(axis=1)
    assert_allclose(printed, methods_md, rtol=1e-12)
    assert_allclose(degree(U), printed, rtol=1e-12)


def test_two_subsystem_form_of_the_coupling_degree() -> None:
    rng = np.random.default_rng(2)
    U = rng.uniform(0.0, 1.0, size=(100, 2))
    expected = 2 * np.sqrt(U[:, 0] * U[:, 1]) / (U[:, 0] + U[:, 1])
    assert_allclose(degree(U), expected, rtol=1e-12)


def test_standard_coupling_degree_ignores_the_scale_of_the_scores() -> None:
    U = np.array([[0.2, 0.4, 0.8], [3.0, 1.0, 2.0]])
    assert_allclose(degree(U * 100.0), degree(U), rtol=1e-13)


# --------------------------------------------------------------------------------------------
# wang2021
# --------------------------------------------------------------------------------------------


def _wang_brute(u: list[float]) -> float:
    """The corrected C by its printed formula, one pair at a time."""
    k = len(u)
    pairs = list(itertools.combinations(range(k), 2))
    spread = sum(math.sqrt((u[i] - u[j]) ** 2) for i, j in pairs) / sum(range(1, k))
    top = max(u)
    balance = math.prod(x / top for x in u) ** (1 / (k - 1))
    return math.sqrt((1 - spread) * balance)


def test_wang2021_by_hand() -> None:
    # k = 2, U = (0.2, 0.8): 1 - |0.8 - 0.2| / 1 = 0.4; (0.2/0.8 * 0.8/0.8)^(1/1) = 0.25;
    #   C = sqrt(0.4 * 0.25) = sqrt(0.1)
    # k = 3, U = (0.2, 0.4, 0.8): pairs |0.2-0.4| + |0.2-0.8| + |0.4-0.8| = 0.2 + 0.6 + 0.4 =
    #   1.2 over 1 + 2 = 3 pairs -> 1 - 0.4 = 0.6; (0.25 * 0.5 * 1)^(1/2) = sqrt(0.125);
    #   C = sqrt(0.6 * sqrt(0.125)) = 0.46057...
    assert_allclose(degree([[0.2, 0.8]], form="wang2021"), [math.sqrt(0.1)], rtol=1e-14)
    assert_allclose(
        degree([[0.2, 0.4, 0.8]], form="wang2021"), [math.sqrt(0.6 * math.sqrt(0.125))], rtol=1e-14
    )


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_wang2021_equals_a_loop_over_the_pairs(k: int) -> None:
    rng = np.random.default_rng(10 + k)
    U = rng.uniform(0.0, 1.0, size=(50, k))
    expected = [_wang_brute(list(row)) for row in U]
    assert_allclose(degree(U, form="wang2021"), expected, rtol=1e-12, atol=1e-15)


def test_wang2021_depends_on_the_level_unlike_the_standard_form() -> None:
    # (0.1, 0.2) and (0.4, 0.8) have the same ratio; the corrected C is higher at the higher
    # level: sqrt((1 - 0.1) * 0.5) = 0.6708 against sqrt((1 - 0.4) * 0.5) = 0.5477
    U = np.array([[0.1, 0.2], [0.4, 0.8]])
    assert_allclose(degree(U)[0], degree(U)[1], rtol=1e-14)
    assert_allclose(degree(U, form="wang2021"), [math.sqrt(0.45), math.sqrt(0.3)], rtol=1e-14)


# 王淑佳 et al. (2021), Table 8: C of the ecology-economy system of the 13 cities of
# Beijing-Tianjin-Hebei (北京 … 衡水), 2008-2014; for each year the first row is the original
# (standard) model, the second the corrected one, as printed (four decimals).
TABLE_8 = """
0.9989 0.9935 0.8868 0.9073 0.6821 0.8328 0.6816 0.7789 0.6871 0.6101 0.8017 0.7867 0.7191
0.9404 0.8660 0.5440 0.5769 0.3006 0.4780 0.3344 0.4171 0.3278 0.2700 0.4374 0.4196 0.3738
0.9984 0.9997 0.8912 0.9079 0.6790 0.8114 0.6839 0.7786 0.7180 0.6377 0.8018 0.7587 0.7396
0.9238 0.9675 0.5435 0.5716 0.2946 0.4445 0.3224 0.4117 0.3533 0.2731 0.4352 0.3821 0.3906
0.9999 0.9920 0.9071 0.9224 0.6957 0.8309 0.7044 0.7992 0.7556 0.6212 0.8277 0.7707 0.7109
0.9835 0.8497 0.5659 0.5942 0.3041 0.4593 0.3385 0.4245 0.3857 0.2533 0.4574 0.3908 0.3529
0.9939 0.9848 0.9373 0.9468 0.7446 0.8488 0.7437 0.8114 0.7806 0.6469 0.8601 0.8162 0.7560
0.8485 0.7896 0.6271 0.6503 0.3454 0.4767 0.3720 0.4332 0.4123 0.2600 0.4994 0.4361 0.3951
0.9992 0.9913 1.0000 0.9276 0.6720 0.8527 0.7674 0.8211 0.7859 0.6561 0.8749 0.8133 0.7577
0.9445 0.8342 0.9949 0.5937 0.2497 0.4816 0.3967 0.4433 0.4134 0.2615 0.5164 0.4243 0.3931
0.9858 0.9280 0.9867 0.9866 0.7442 0.9215 0.8259 0.8680 0.7819 0.6619 0.9183 0.9025 0.7773
0.7757 0.5868 0.8169 0.8135 0.3519 0.6125 0.4721 0.5160 0.4043 0.2746 0.6006 0.5692 0.4184
0.9942 0.9488 0.9834 0.9815 0.6713 0.8995 0.8283 0.8917 0.7556 0.6955 0.9270 0.9064 0.8257
0.8523 0.6353 0.7939 0.7829 0.2532 0.5627 0.4708 0.5540 0.3797 0.3067 0.6191 0.5750 0.4723
"""


def _table_8() -> tuple[np.ndarray, np.ndarray]:
    rows = np.array([[float(x) for x in line.split()] for line in TABLE_8.strip().splitlines()])
    return rows[0::2].ravel(), rows[1::2].ravel()


def _ratio(c: np.ndarray) -> np.ndarray:
    """r = U_min / U_max from the standard two-subsystem C = 2 sqrt(r) / (1 + r), solved for
    s = sqrt(r): c s^2 - 2 s + c = 0, the root in [0, 1]."""
    c = np.minimum(c, 1.0)
    s = (2 - np.sqrt(np.maximum(4 - 4 * c**2, 0.0))) / (2 * c)
    return np.asarray(s**2)


def test_wang2021_can_produce_every_pair_of_table_8() -> None:
    # For k = 2 the corrected C^2 = (1 - (U_max - U_min)) * r with r = U_min / U_max, and with
    # U_max <= 1 the spread U_max (1 - r) is at most 1 - r: so r <= C <= sqrt(r), where r follows
    # from the original C.  Each printed pair (rounded to 4 decimals) must satisfy it.
    original, corrected = _table_8()
    r_low, r_high = _ratio(original - 5e-5), _ratio(original + 5e-5)
    assert np.all(corrected + 5e-5 >= r_low)
    assert np.all(corrected - 5e-5 <= np.sqrt(r_high))
    # the check can fail: without the outer square root the corrected C would be at most r,
    # which every printed value exceeds where the original C is below 0.999 (87 of the 91)
    clear = original < 0.999
    assert clear.sum() == 87
    assert np.all(corrected[clear] > _ratio(original[clear] + 5e-5))


def test_wang2021_reproduces_table_8_from_the_scores_the_pairs_imply() -> None:
    # Where the original C is clearly below 1 the pair fixes (U_min, U_max): r from the original
    # C, the spread d = 1 - C^2 / r, U_max = d / (1 - r), U_min = r U_max.  Those scores must lie
    # in [0, 1] and give back both printed values.
    original, corrected = _table_8()
    keep = original < 0.999
    r = _ratio(original[keep])
    d = 1 - corrected[keep] ** 2 / r
    top = d / (1 - r)
    U = np.column_stack([r * top, top])
    assert np.all((U >= 0) & (U <= 1))
    assert_allclose(degree(U), original[keep], atol=5e-5)
    assert_allclose(degree(U, form="wang2021"), corrected[keep], atol=5e-5)


# --------------------------------------------------------------------------------------------
# batches, shapes, errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["standard", "wang2021"])
def test_a_batch_equals_one_sample_at_a_time(form: coupling.Form) -> None:
    rng = np.random.default_rng(5)
    U = rng.uniform(0.05, 1.0, size=(4, 30, 3))
    a = [0.5, 0.3, 0.2]
    batch = coordination(U, a, form=form)
    assert batch.D.shape == (4, 30)
    for b in range(4):
        one = coordination(U[b], a, form=form)
        assert_allclose(batch.C[b], one.C, rtol=1e-14)
        assert_allclose(batch.T[b], one.T, rtol=1e-14)
        assert_allclose(batch.D[b], one.D, rtol=1e-14)


def test_negative_score_is_refused_naming_where() -> None:
    with pytest.raises(ValueError, match=r"row 1, subsystem 0: -0\.1"):
        degree([[0.2, 0.3], [-0.1, 0.4]])


def test_score_above_one_is_refused_by_wang2021_only() -> None:
    assert_allclose(degree([[20.0, 80.0]]), [0.8], rtol=1e-14)
    with pytest.raises(ValueError, match=r"in \[0, 1\].*row 0, subsystem 0: 20\.0"):
        degree([[20.0, 80.0]], form="wang2021")


def test_all_zero_row_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match=r"all 0, the first at row 1.*0/0"):
        coordination([[0.2, 0.3], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"sample 1, row 0"):
        degree(np.zeros((2, 1, 2)) + np.array([[[0.5, 0.5]], [[0.0, 0.0]]]))


@pytest.mark.parametrize(
    ("U", "message"),
    [
        ([0.2, 0.3], "2-D array"),
        ([[0.2], [0.3]], "at least 2 subsystems"),
        ([[0.2, np.inf]], "finite"),
    ],
)
def test_bad_shapes_and_values_are_refused(U: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        degree(U)  # type: ignore[arg-type]


def test_unknown_form_is_refused() -> None:
    with pytest.raises(ValueError, match=r"form must be one of 'standard', 'wang2021'; got 'x'"):
        degree([[0.2, 0.3]], form="x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "message"),
    [
        ([0.5, 0.5, 0.0], "one entry per subsystem"),
        ([1.2, -0.2], ">= 0"),
        ([0.6, 0.6], "sum to 1; got \\[0.6, 0.6\\], which sum to 1.2"),
    ],
)
def test_bad_coefficients_are_refused(a: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coordination([[0.2, 0.3]], a)


# --------------------------------------------------------------------------------------------
# classes
# --------------------------------------------------------------------------------------------


def test_the_ten_classes_cover_zero_to_one_in_bands_of_a_tenth() -> None:
    assert len(CLASSES) == 10
    assert [b.zh for b in CLASSES] == [
        "极度失调",
        "严重失调",
        "中度失调",
        "轻度失调",
        "濒临失调",
        "勉强协调",
        "初级协调",
        "中级协调",
        "良好协调",
        "优质协调",
    ]
    assert all(b.en for b in CLASSES)
    for k, band in enumerate(CLASSES):
        assert (band.lower, band.upper) == pytest.approx((k / 10, (k + 1) / 10))


def test_class_boundaries_belong_to_the_band_above() -> None:
    # [a, a + 0.1): 0.1 is 严重失调, just below it 极度失调; 0.9 and 1 are 优质协调
    D = [0.0, 0.0999999, 0.1, 0.5, 0.8999999, 0.9, 1.0]
    assert_array_equal(classify(D), [0, 0, 1, 5, 8, 9, 9])
    assert CLASSES[int(classify([1.0])[0])].zh == "优质协调"


def test_closed_right_puts_boundaries_in_the_band_below() -> None:
    # (a, a + 0.1] with the first band [0, 0.1]: 0.1 is 极度失调, 0.1000001 严重失调
    assert_array_equal(classify([0.0, 0.1, 0.1000001, 0.9, 1.0], closed="right"), [0, 0, 1, 8, 9])


def test_rounding_never_moves_a_unit_across_a_band_edge() -> None:
    # 0.3 computed as 0.29999999999999993 or 0.30000000000000004 is still 0.3: 轻度失调 (3)
    below, above = np.nextafter(0.3, 0.0), np.nextafter(0.3, 1.0)
    assert_array_equal(classify([below, 0.3, above]), [3, 3, 3])
    assert_array_equal(classify([below, 0.3, above], closed="right"), [2, 2, 2])


def test_nan_has_no_class_and_out_of_range_is_refused() -> None:
    assert_array_equal(classify([NAN, 0.5]), [-1, 5])
    with pytest.raises(ValueError, match=r"\[0, 1\].*1\.2"):
        classify([0.5, 1.2])
    with pytest.raises(ValueError, match="closed"):
        classify([0.5], closed="both")  # type: ignore[arg-type]
