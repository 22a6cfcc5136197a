r"""Kernel density estimation: the Gaussian kernel and Silverman's rule-of-thumb bandwidth.

The estimate of the density of n observations :math:`x_1, \dots, x_n` at a point g is

.. math::

    \hat f(g) = \frac{1}{n h} \sum_{i=1}^{n} \varphi\!\left(\frac{g - x_i}{h}\right),
    \qquad \varphi(u) = \frac{1}{\sqrt{2 \pi}} e^{-u^2 / 2},

with bandwidth h.  Bare kernels: the values are float64, finite and one-dimensional, the
bandwidth positive; the labelled layer (:mod:`kaoping.analysis.dynamics`) checks them once and
names the period at fault.

References
----------
.. [Silverman1986] Silverman, B. W. (1986). *Density Estimation for Statistics and Data
   Analysis*. Chapman & Hall, London (Sections 3.3 and 3.4.2).
   https://doi.org/10.1201/9781315140919
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from kaoping.methods._common import FloatArray

__all__ = ["gaussian_kde", "silverman_bandwidth"]

_BUDGET = 1 << 20  # float64 elements (8 MiB) of the (points x observations) block at most
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def silverman_bandwidth(x: ArrayLike) -> float:
    r"""Silverman's rule-of-thumb bandwidth for a Gaussian kernel.

    .. math::

        h = 0.9 \, A \, n^{-1/5}, \qquad A = \min\!\left(s, \frac{\mathrm{IQR}}{1.34}\right),

    with s the sample standard deviation (``ddof=1``, divisor n - 1) and IQR the difference of
    the 75 % and 25 % quantiles (NumPy's default linear interpolation, Hyndman & Fan's type 7).
    When the IQR is 0 (more than half the values equal) but s is not, A = s, so that a
    bandwidth is still defined; when every value is the same, h = 0.  The divisor is
    Silverman's 1.34 (METHODS.md); statsmodels' ``bw_silverman`` uses 1.349, a bandwidth
    0.7 % smaller than this one where the IQR term is the minimum.

    Parameters
    ----------
    x : array_like, shape (n,)
        Finite observations, n >= 2.

    Returns
    -------
    float
        The bandwidth h >= 0.

    Raises
    ------
    ValueError
        ``x`` is not one-dimensional or has fewer than two values.

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman &
    Hall, Section 3.4.2. https://doi.org/10.1201/9781315140919

    Examples
    --------
    Five values 1..5: s = sqrt(2.5) = 1.5811, IQR = 4 - 2 = 2, IQR/1.34 = 1.4925 < s,
    so h = 0.9 * 1.4925 * 5^(-1/5) = 0.9 * 1.4925 * 0.7248 = 0.9736.

    >>> round(silverman_bandwidth([1.0, 2.0, 3.0, 4.0, 5.0]), 4)
    0.9736
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1 or a.size < 2:
        raise ValueError(
            f"silverman_bandwidth: x must be one-dimensional with at least two values, got "
            f"shape {a.shape}; pass the observations of one period as a flat array."
        )
    n = a.size
    sd = float(np.std(a, ddof=1))
    q25, q75 = np.quantile(a, [0.25, 0.75])
    iqr = float(q75 - q25)
    spread = min(sd, iqr / 1.34) if iqr > 0.0 else sd
    return float(0.9 * spread * n ** (-0.2))


def gaussian_kde(x: ArrayLike, grid: ArrayLike, bandwidth: float) -> FloatArray:
    r"""The Gaussian kernel density estimate of ``x`` at the points of ``grid``.

    .. math::

        \hat f(g_k) = \frac{1}{n h} \sum_{i=1}^{n}
            \frac{1}{\sqrt{2 \pi}} \exp\!\left(-\frac{(g_k - x_i)^2}{2 h^2}\right)

    Computed in blocks of grid points, so that memory stays bounded (about 8 MiB) for any n.

    Parameters
    ----------
    x : array_like, shape (n,)
        Finite observations, n >= 1.
    grid : array_like, shape (p,)
        The points at which the density is evaluated.
    bandwidth : float
        The kernel's standard deviation h > 0 (e.g. :func:`silverman_bandwidth`).

    Returns
    -------
    ndarray, shape (p,)
        The density at each grid point; it integrates to 1 over the real line.

    Raises
    ------
    ValueError
        ``bandwidth`` is not a positive finite number.

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman &
    Hall, Section 3.3, with the normal kernel. https://doi.org/10.1201/9781315140919

    Examples
    --------
    Two observations 0 and 1, h = 1, at g = 0.5: both are 0.5 away, so
    f(0.5) = (1/2) * 2 * phi(0.5) = exp(-0.125) / sqrt(2 pi) = 0.35207.

    >>> gaussian_kde([0.0, 1.0], [0.5], 1.0).round(5)
    array([0.35207])
    """
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(
            f"gaussian_kde: bandwidth must be a positive finite number, got {bandwidth!r}; "
            "use silverman_bandwidth(x) or give h > 0."
        )
    a = np.asarray(x, dtype=np.float64).reshape(-1)
    g = np.asarray(grid, dtype=np.float64).reshape(-1)
    out = np.empty(g.size)
    step = max(1, _BUDGET // max(a.size, 1))
    scale = 1.0 / (a.size * h * _SQRT_2PI)
    for start in range(0, g.size, step):
        u = (g[start : start + step, None] - a[None, :]) / h
        out[start : start + step] = np.exp(-0.5 * u * u).sum(axis=1) * scale
    return out
