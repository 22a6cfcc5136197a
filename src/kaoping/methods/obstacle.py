r"""Obstacle degree (障碍度): which indicators hold a unit back, and by how much.

The obstacle-degree model of the Chinese evaluation literature weighs each indicator's shortfall
from the best possible value by the indicator's importance and expresses it as a share of the
unit's total weighted shortfall:

* factor contribution (因子贡献度) :math:`F_j`: the indicator's effective weight;
* deviation (指标偏离度) :math:`I_{ij} = 1 - y_{ij}`, with :math:`y_{ij} \in [0, 1]` the
  normalised value (1 = the best);
* obstacle degree (障碍度) :math:`O_{ij} = F_j I_{ij} / \sum_j F_j I_{ij}`, which sums to 1 over
  a unit's indicators; a group's (a dimension's) obstacle degree is the sum over its indicators
  (:func:`by_group`).

Rows of ``Y`` are units, columns indicators; NaN means missing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods._common import FloatArray

__all__ = ["Obstacle", "by_group", "degree"]


class Obstacle(NamedTuple):
    """Obstacle degrees (n, m), deviations :math:`1 - y` (n, m), and which units have no
    weighted deviation at all (n,): their degrees are 0, not NaN."""

    degrees: FloatArray
    deviation: FloatArray
    no_deviation: NDArray[np.bool_]


def degree(Y: ArrayLike, w: ArrayLike) -> Obstacle:
    r"""Obstacle degree of every unit and indicator.

    .. math::

        I_{ij} = 1 - y_{ij}, \qquad
        O_{ij} = \frac{F_j\, I_{ij}}{\sum_{l} F_l\, I_{il}},

    the sum running over the unit's non-missing indicators, so that :math:`\sum_j O_{ij} = 1`
    for every unit with some weighted deviation.  O does not change when every weight is
    multiplied by the same factor, so the weights need not sum to 1.

    Missing values are skipped: a missing :math:`y_{ij}` gets a NaN degree and the unit's other
    degrees are shares of its total over the indicators it has (they still sum to 1).  A unit
    with no weighted deviation at all (:math:`y_{ij} = 1` wherever :math:`F_j > 0`: it is the
    best on everything that counts) has nothing holding it back: its degrees are 0, not 0/0,
    and ``no_deviation`` marks it.  A unit with every value missing gets NaN throughout.

    Parameters
    ----------
    Y : array_like, shape (n, m)
        Normalised values in [0, 1], higher is better (min-max to [0, 1], or any
        normalisation whose best value is 1); NaN for missing.
    w : array_like, shape (m,)
        Factor contributions :math:`F_j`: the indicators' effective weights, non-negative, not
        all 0.

    Returns
    -------
    Obstacle
        ``degrees`` (n, m), ``deviation`` (n, m) and ``no_deviation`` (n,).

    Raises
    ------
    ValueError
        ``Y`` not 2-D, a value of ``Y`` outside [0, 1] (naming the first: obstacle degrees
        need a [0, 1] normalisation), weights of the wrong shape, negative, not finite, or all
        0.

    References
    ----------
    The obstacle-degree model (障碍度模型) as the Chinese county-evaluation literature applies
    it after an entropy or fixed-weight index; ``shared/METHODS.md``, "The researcher's
    analyses".  No single primary source of the model was checked here.

    Examples
    --------
    >>> res = degree([[0.5, 0.0], [1.0, 1.0]], [0.6, 0.4])
    >>> res.degrees  # 0.6*0.5 = 0.3 and 0.4*1 = 0.4 of 0.7; the second unit is best everywhere
    array([[0.42857143, 0.57142857],
           [0.        , 0.        ]])
    >>> res.no_deviation
    array([False,  True])
    """
    A = np.asarray(Y, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(
            f"Y must be a 2-D array of units x indicators; got shape {A.shape}. Reshape a "
            "single unit with Y[None, :]."
        )
    m = A.shape[1]
    bad = np.isinf(A) | (A < 0) | (A > 1)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"Y must hold normalised values in [0, 1] (1 = the best); {int(bad.sum())} value(s) "
            f"are not, the first at row {i}, column {j}: {float(A[i, j])!r}. Obstacle degrees "
            "need a [0, 1] normalisation such as min-max; rescale a [lo, hi] range with "
            "(y - lo) / (hi - lo)."
        )
    F = np.asarray(w, dtype=np.float64)
    if F.shape != (m,):
        raise ValueError(
            f"w must have one weight per indicator column (m = {m}); got shape {F.shape}."
        )
    if not np.all(np.isfinite(F)) or np.any(F < 0) or not F.sum() > 0:
        raise ValueError(
            f"w must be finite, >= 0 and not all 0; got {F.tolist()}. Pass the indicators' "
            "effective weights."
        )
    deviation = 1.0 - A
    weighted = (F / F.max()) * deviation  # O ignores the scale of F; tiny weights cannot underflow
    missing = np.isnan(A)
    total = np.where(missing, 0.0, weighted).sum(axis=1)
    empty = missing.all(axis=1)
    no_deviation = (total == 0) & ~empty
    safe = np.where(total > 0, total, 1.0)
    degrees = np.where(no_deviation[:, None] & ~missing, 0.0, weighted / safe[:, None])
    degrees = np.where(missing, np.nan, degrees)
    return Obstacle(degrees, deviation, no_deviation)


def by_group(degrees: ArrayLike, groups: ArrayLike, n_groups: int | None = None) -> FloatArray:
    r"""Obstacle degree of groups of indicators (dimensions): the sum over each group's members.

    .. math:: O_{ig} = \sum_{j \in g} O_{ij}

    Missing degrees count as 0 (a skipped indicator holds nothing back); a unit whose degrees
    are all missing gets NaN.  When every indicator belongs to a group, the groups' degrees
    sum to 1 per unit, as the indicators' do.

    Parameters
    ----------
    degrees : array_like, shape (n, m)
        Obstacle degrees :math:`O_{ij}` (from :func:`degree`).
    groups : array_like of int, shape (m,)
        The group of each indicator, 0 … g-1; -1 leaves an indicator out of every group.
    n_groups : int, optional
        g; default ``max(groups) + 1``.

    Returns
    -------
    ndarray, shape (n, g)

    Raises
    ------
    ValueError
        ``groups`` of the wrong length, not whole numbers, below -1, or not below
        ``n_groups``.

    References
    ----------
    ``shared/METHODS.md``, "The researcher's analyses": a dimension's obstacle degree is the
    sum over its indicators.

    Examples
    --------
    >>> by_group([[0.2, 0.3, 0.5]], [0, 0, 1])
    array([[0.5, 0.5]])
    """
    A = np.asarray(degrees, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"degrees must be a 2-D array of units x indicators; got shape {A.shape}.")
    raw = np.asarray(groups)
    if raw.shape != (A.shape[1],):
        raise ValueError(
            f"groups must give one group per indicator column (m = {A.shape[1]}); got shape "
            f"{raw.shape}."
        )
    g = raw.astype(np.int64)
    if not np.array_equal(g, raw) or (g.size and g.min() < -1):
        raise ValueError(
            f"groups must be whole numbers 0, 1, … (or -1 for none); got {raw.tolist()}."
        )
    k = int(g.max()) + 1 if n_groups is None and g.size else int(n_groups or 0)
    if g.size and g.max() >= k:
        raise ValueError(
            f"groups must be below n_groups = {k}; got a group {int(g.max())}. Pass a larger "
            "n_groups or renumber the groups from 0."
        )
    member = (g[:, None] == np.arange(k)[None, :]).astype(np.float64)
    out = np.where(np.isnan(A), 0.0, A) @ member
    return np.asarray(np.where(np.isnan(A).all(axis=1)[:, None], np.nan, out), dtype=np.float64)
