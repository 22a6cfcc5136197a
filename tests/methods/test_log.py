"""Tests of the vectorisable logarithm in kaoping.methods._log.

The reference throughout is ``np.log`` (the C library's correctly-rounded-or-nearly ``log``),
an implementation independent of ours; the constants of ln 2 are re-derived with
:mod:`decimal`.  The bound 4e-16 on the relative error is < 2 units of 2**-52.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.methods import _log
from kaoping.methods._log import _log_array, _xlogx_array

RTOL = 4e-16
TINY = np.finfo(np.float64).smallest_normal


def _ln(y: np.ndarray) -> np.ndarray:
    y = np.ascontiguousarray(y, dtype=np.float64)
    out = np.empty_like(y)
    _log_array(y, out)
    return out


def _max_rel_err(y: np.ndarray) -> float:
    got, ref = _ln(y), np.log(y)
    exact = ref == 0
    assert np.array_equal(got[exact], ref[exact])  # ln 1 = 0 exactly
    return float(np.max(np.abs(got[~exact] - ref[~exact]) / np.abs(ref[~exact]), initial=0.0))


def test_ln2_split_reproduces_ln2_and_makes_e_times_hi_exact() -> None:
    getcontext().prec = 60
    ln2 = Decimal(2).ln()
    # hi + lo equals ln 2 to far below double precision (lo is ln 2 - hi, rounded)
    err = abs(Decimal(_log._LN2_HI) + Decimal(_log._LN2_LO) - ln2)
    assert err < Decimal(2) ** -100
    # hi has at most 42 significant bits, so e * hi is exact for |e| <= 2**11
    mant, _ = math.frexp(_log._LN2_HI)
    assert math.ldexp(mant, 42) == int(math.ldexp(mant, 42))
    for e in (-1074, -1022, -1, 1, 1023, 1024):
        assert Decimal(e * _log._LN2_HI) == e * Decimal(_log._LN2_HI)


def test_series_coefficients_are_2_over_odd_numbers() -> None:
    coef = [getattr(_log, f"_C{k}") for k in range(1, 11)]
    assert coef == [2.0 / (2 * k + 1) for k in range(1, 11)]


def test_truncation_bound_of_docstring() -> None:
    # |s| <= 3 - 2 sqrt 2; the omitted tail relative to 2|s| for K = 10 terms is below 2**-56
    z = (3.0 - 2.0 * math.sqrt(2.0)) ** 2
    assert z ** (10 + 1) / ((2 * 10 + 3) * (1 - z)) < 2.0**-56
    assert z ** (9 + 1) / ((2 * 9 + 3) * (1 - z)) > 2.0**-56  # so K = 10 is the first that is


def test_million_log_uniform_values_in_1e_300_to_1() -> None:
    rng = np.random.default_rng(20260101)
    y = np.exp(rng.uniform(math.log(1e-300), 0.0, 1_000_000))
    assert _max_rel_err(y) <= RTOL


def test_uniform_values_on_0_1_and_around_1() -> None:
    rng = np.random.default_rng(7)
    y = np.concatenate([rng.uniform(0.0, 1.0, 200_000), rng.uniform(0.5, 2.0, 200_000)])
    y = y[y > 0]
    assert _max_rel_err(y) <= RTOL


def test_exact_powers_of_two_and_smallest_normal() -> None:
    y = np.ldexp(1.0, np.arange(-1022, 1024))
    assert y[0] == TINY
    assert _max_rel_err(y) <= RTOL
    assert _ln(np.array([TINY]))[0] == np.log(TINY)


def test_one_is_exactly_zero_and_neighbours_of_one() -> None:
    assert _ln(np.array([1.0]))[0] == 0.0
    up = 1.0 + np.arange(1, 200) * np.finfo(np.float64).eps
    down = 1.0 - np.arange(1, 200) * np.finfo(np.float64).eps / 2
    assert _max_rel_err(np.concatenate([up, down, 1.0 + np.logspace(-15, -1, 500)])) <= RTOL


@pytest.mark.parametrize("scale", [2.0**-1000, 2.0**-3, 1.0, 2.0, 2.0**500])
def test_just_above_and_below_the_split_at_sqrt2(scale: float) -> None:
    # the reduction switches e at m = fl(sqrt(1/2)) * 2 and fl(sqrt(1/2)); check both sides
    centres = np.array([math.sqrt(2.0), math.sqrt(0.5)]) * scale
    k = np.arange(-50, 51)
    y = np.concatenate([np.nextafter(c, np.inf) + k * np.spacing(c) for c in centres])
    assert _max_rel_err(y) <= RTOL


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=float(TINY), max_value=1e308, allow_nan=False))
def test_property_relative_error_on_the_normal_range(y: float) -> None:
    assert _max_rel_err(np.array([y])) <= RTOL


def test_xlogx_zero_subnormal_nan_and_negative_give_exactly_zero() -> None:
    y = np.array([0.0, -0.0, 5e-324, TINY / 2, np.nextafter(TINY, 0.0), np.nan, -1.0])
    out = np.full_like(y, 99.0)
    _xlogx_array(y, out)
    assert np.array_equal(out, np.zeros_like(y))  # 0 ln 0 = 0; subnormal terms dropped


def test_xlogx_matches_y_times_np_log() -> None:
    rng = np.random.default_rng(3)
    y = np.concatenate([[TINY, 1.0, 0.5, 1e-300], rng.uniform(0.0, 1.0, 100_000)])
    y = y[y > 0]
    out = np.empty_like(y)
    _xlogx_array(y, out)
    ref = y * np.log(y)
    # one more rounding (the product) on top of the log's error
    np.testing.assert_allclose(out, ref, rtol=6e-16, atol=0.0)
    assert out[1] == 0.0
