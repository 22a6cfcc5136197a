"""Tests of the vectorisable logarithm in kaoping.methods._log.

The reference throughout is ``np.log`` (the C library's correctly-rounded-or-nearly ``log``),
an implementation independent of ours; the constants of ln 2 are re-derived with
:mod:`decimal`.  The bound 4e-16 on the relative error is < 2 units of 2**-52.
"""

from __future__ import annotations

import importlib.util
import math
from decimal import Decimal, getcontext
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.methods import _log
from kaoping.methods._log import _log_array, _xlogx_array

RTOL = 4e-16
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
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


def _remez() -> tuple[list[Decimal], Decimal]:
    spec = importlib.util.spec_from_file_location("log_minimax", SCRIPTS / "log_minimax.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    coef, level = module.remez()
    return coef, level


def test_polynomial_is_the_remez_fit_of_the_derivation_script() -> None:
    coef, level = _remez()
    ours = [getattr(_log, f"_P{k}") for k in range(1, 8)]
    assert ours == [float(c) for c in coef]  # the script's coefficients, rounded to float64
    assert level < Decimal(2) ** -58  # the levelled error of the exact fit


def test_polynomial_error_bound_of_the_docstring() -> None:
    # max |Q(z) - z P(z)| with the float64 coefficients, on a grid of [0, z_max] independent of
    # the script's, against Q summed as its series (the definition) at 50 digits
    getcontext().prec = 50
    two = Decimal(2)
    zmax = (3 - two * two.sqrt()) ** 2
    coef = [Decimal(getattr(_log, f"_P{k}")) for k in range(7, 0, -1)]

    def q(z: Decimal) -> Decimal:
        return sum((2 * z**k / (2 * k + 1) for k in range(1, 40)), Decimal(0))

    worst = Decimal(0)
    for i in range(1, 20_001):
        z = zmax * i / 20_000
        p = Decimal(0)
        for c in coef:
            p = p * z + c
        worst = max(worst, abs(q(z) - z * p))
    assert worst < Decimal("3.6e-18")  # the docstring's bound: 2**-57.9, half that for ln m
    # and the truncated series it replaces would need 10 terms for 2**-56
    z = (3.0 - 2.0 * math.sqrt(2.0)) ** 2
    assert 2 * z ** (10 + 1) / ((2 * 10 + 3) * (1 - z)) < 2.0**-56
    assert 2 * z ** (9 + 1) / ((2 * 9 + 3) * (1 - z)) > 2.0**-56


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
