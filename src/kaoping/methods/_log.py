r"""A natural logarithm that the LLVM loop vectoriser can turn into SIMD code.

numba calls the C library's scalar ``log`` for ``np.log`` inside a loop (there is no vectorised
math library without SVML), which costs ~6-9 ns per value and stops the loop from vectorising.
:func:`_log` below is built only from integer and floating-point ``+ - * /`` and bit
reinterpretation, so a loop that calls it (inlined) vectorises to AVX2 ``vfmadd``/``vdivpd``.

Derivation
----------
Let :math:`y > 0` be a normal, finite float64 and :math:`c = \mathrm{fl}(\sqrt{1/2})`.
Subtracting the bit pattern of :math:`c` from that of :math:`y` and shifting right by the 52
fraction bits gives the integer :math:`e` with :math:`y = m\,2^e`, :math:`m \in [c, 2c)`
(:math:`m` is :math:`y` with :math:`e` subtracted from its exponent field: exact).  Then

.. math::

    \ln y = e\ln 2 + \ln m,\qquad
    \ln m = 2\operatorname{artanh} s = 2\sum_{k\ge 0}\frac{s^{2k+1}}{2k+1},\qquad
    s = \frac{m-1}{m+1} = \frac{f}{2+f},\ f = m - 1,

with :math:`|s| \le (\sqrt2-1)/(\sqrt2+1) = 3-2\sqrt2 \approx 0.17157`
(:math:`s^2 \le 0.029437`).  :math:`f` is exact (Sterbenz: :math:`m \in [1/2, 2]`).  Since
:math:`2s = 2f/(2+f) = f - sf`,

.. math::

    \ln m = f + s\,(Q - f),\qquad
    Q = 2\sum_{k\ge 1}\frac{z^k}{2k+1},\ z = s^2,

so the exact :math:`f` carries the leading term and the rounding errors of :math:`s` (division,
:math:`2 + f`) and of :math:`Q` enter only through the correction :math:`s(Q - f)`, which is at
most ~0.19 |f|.

*The polynomial.* An error :math:`\delta` in :math:`Q` changes :math:`\ln m` by
:math:`s\delta`, i.e. relative to :math:`|\ln m| \ge 2|s|` by at most :math:`|\delta|/2`.
Truncating the series after :math:`K` terms leaves
:math:`|\delta| \le 2 z_{\max}^{K+1}/((2K+3)(1 - z_{\max}))`, which needs K = 10 terms to
fall below :math:`2^{-56}`.  Instead :math:`Q` is replaced by :math:`z P(z)`, :math:`P` of degree 6
(7 coefficients ``_P1`` .. ``_P7``), the minimax fit of :math:`Q` on :math:`[0, z_{\max}]`
found by the Remez exchange in ``scripts/log_minimax.py`` (exact arithmetic at 60 digits):
with the coefficients rounded to float64, :math:`|Q - zP| \le 3.6\times10^{-18}
\approx 2^{-57.9}`, so the approximation adds at most :math:`2^{-58.9}` relative to
:math:`\ln m` (less still to :math:`\ln y` when :math:`e \ne 0`, since then
:math:`|\ln y| \ge 0.3466 \ge |\ln m|`).  Three fewer terms make the entropy's second pass
about 30% faster.  :math:`zP(z)` is evaluated by Horner's rule.

*ln 2.* :math:`\ln 2 = h + l` with :math:`h` = ln 2 truncated to 42 significant bits, so that
:math:`e h` is exact for :math:`|e| \le 2^{11}`, and :math:`l` = fl(ln 2 - h) (both computed once
with :mod:`decimal` at 60 digits; ``tests/methods/test_log.py`` re-derives them).  The result is
assembled as :math:`e h + (f + (s(Q - f) + e l))`.

*e as a float* without an int64-to-double conversion (AVX2 has none): for an integer
:math:`|e| < 2^{51}`, the float64 whose bits are those of :math:`1.5\cdot2^{52}` plus :math:`e`
is exactly :math:`1.5\cdot2^{52} + e`; subtracting :math:`1.5\cdot2^{52}` gives :math:`e`.

*Error.* Over 10^6 log-uniform values in [1e-300, 1] and the edge cases of the tests the
relative error against ``np.log`` stays below 4e-16 (< 2 units of :math:`2^{-52}`); ``ln 1 = 0``
exactly.

*Domain.* Positive, normal, finite ``y`` only: for a subnormal ``y`` the exponent read from
the bits is wrong, and 0, negative, inf and NaN give meaningless numbers.  :func:`_xlogx`, the
helper the entropy kernels use, guards this: it returns :math:`y\ln y` for
:math:`y \ge` the smallest normal (2.2250738585072014e-308) and exactly 0 otherwise (for
:math:`y = 0`, :math:`0\ln 0 = 0`; for a subnormal :math:`y`, :math:`|y\ln y| < 1.7\times10^{-305}`
is dropped; NaN and negative ``y`` also give 0).

References
----------
The decomposition :math:`\ln(m 2^e) = e\ln2 + 2\operatorname{artanh}((m-1)/(m+1))` and the
series :math:`\operatorname{artanh} s = \sum s^{2k+1}/(2k+1)` are textbook: Abramowitz, M.,
Stegun, I. A. (1964). *Handbook of Mathematical Functions*, formula 4.1.27. NBS Applied
Mathematics Series 55.  IEEE 754-2008, section 3.4 (binary interchange format encodings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

from kaoping.methods._common import FloatArray

try:  # weights.py falls back to NumPy without numba; these then stay plain Python
    import numba as _numba
except ImportError:  # pragma: no cover - exercised only without numba
    _numba = None  # type: ignore[assignment]


def _inline[F: Callable[..., Any]](func: F) -> F:
    """``numba.njit(inline='always')`` (inlined into the caller's IR), typed for mypy."""
    if _numba is None:  # pragma: no cover
        return func
    return cast(F, _numba.njit(inline="always", fastmath=False, error_model="numpy")(func))


#: Bits of c = fl(sqrt(1/2)) = 0x1.6a09e667f3bcdp-1: y's bits minus these, >> 52, give e.
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD
#: ln 2 = _LN2_HI + _LN2_LO; _LN2_HI has 42 significant bits, so e * _LN2_HI is exact.
_LN2_HI = float.fromhex("0x1.62e42fefa3800p-1")
_LN2_LO = float.fromhex("0x1.ef35793c76730p-45")
#: 1.5 * 2**52 and its bits: adding a small integer to the bits adds it to the value.
_MAGIC = 6755399441055744.0
_MAGIC_BITS = 0x4338000000000000
#: 1023 * 2**52 (bits of 1.0) and the exponent-field mask.
_BIAS_BITS = 0x3FF0000000000000
_EXP_MASK = 0x7FF0000000000000
#: Smallest positive normal float64, 2**-1022.
_TINY = 2.2250738585072014e-308

# Q(z) ~ z P(z), P(z) = _P1 + _P2 z + ... + _P7 z**6: the minimax fit on [0, (3 - 2 sqrt 2)**2]
# printed by scripts/log_minimax.py (tests/methods/test_log.py re-derives and checks them).
_P1 = float.fromhex("0x1.5555555555592p-1")
_P2 = float.fromhex("0x1.999999997fdb8p-2")
_P3 = float.fromhex("0x1.24924941f1239p-2")
_P4 = float.fromhex("0x1.c71c52095e0b7p-3")
_P5 = float.fromhex("0x1.74663ee8431edp-3")
_P6 = float.fromhex("0x1.39a1babb1a6c1p-3")
_P7 = float.fromhex("0x1.2f05636381feep-3")


@_inline
def _log(y: float) -> float:
    """ln y for a positive, normal, finite float64 ``y`` (see the module docstring).

    Examples
    --------
    >>> _log(1.0), abs(_log(10.0) - 2.302585092994046) < 1e-15
    (0.0, True)
    """
    bits = np.float64(y).view(np.int64)
    # g = (e + 1023) * 2**52: the exponent field of y's bits minus c's bits plus 1023 * 2**52
    # (positive for normal y, so masking replaces a signed shift, which AVX2 lacks)
    g = (bits - np.int64(_SQRT_HALF_BITS - _BIAS_BITS)) & np.int64(_EXP_MASK)
    m = np.int64(bits - g + np.int64(_BIAS_BITS)).view(np.float64)  # y / 2**e, in [c, 2c)
    ef = np.int64((g >> np.int64(52)) + np.int64(_MAGIC_BITS - 1023)).view(np.float64) - _MAGIC
    f = m - 1.0  # exact
    s = f / (2.0 + f)
    z = s * s
    q = z * (_P1 + z * (_P2 + z * (_P3 + z * (_P4 + z * (_P5 + z * (_P6 + z * _P7))))))
    return float(ef * _LN2_HI + (f + (s * (q - f) + ef * _LN2_LO)))


@_inline
def _xlogx(y: float) -> float:
    """:math:`y\\ln y` for a normal ``y > 0``; exactly 0 for 0, subnormal, negative or NaN y."""
    yc = y if y >= _TINY else 1.0  # a select, not a branch; 1 ln 1 = 0 exactly
    return float(yc * _log(yc))


def _compile_block[F: Callable[..., Any]](func: F) -> F:
    if _numba is None:  # pragma: no cover
        return func
    return cast(F, _numba.njit(cache=True, fastmath=False, error_model="numpy")(func))


@_compile_block
def _log_array(y: FloatArray, out: FloatArray) -> None:
    """``out[i] = ln y[i]`` with :func:`_log` (a vectorised loop; for tests and checks)."""
    for i in range(y.size):
        out[i] = _log(y[i])


@_compile_block
def _xlogx_array(y: FloatArray, out: FloatArray) -> None:
    """``out[i] = y[i] ln y[i]`` with :func:`_xlogx` (0 for y below the smallest normal)."""
    for i in range(y.size):
        out[i] = _xlogx(y[i])
