r"""Classes A/B/C/D of the graded firms: by percentile of the score, or by score thresholds.

Percentile rule (the one kaoping implements, exactly and reproducibly)
---------------------------------------------------------------------
Let :math:`n` be the number of graded firms (exempt firms and firms without a score are not
counted) and :math:`r_i` firm :math:`i`'s descending competition rank (1 = best; tied scores,
equal within 1e-9 relative, share the smallest rank of their group: 1, 2, 2, 4 —
:func:`kaoping.methods.rank.competition`).  With the classes' cumulative bounds
:math:`q_1 < q_2 < \dots < q_k = 100` (per cent; 25, 70, 95, 100 for A, B, C, D), let

.. math::

    K_c = \left\lfloor \frac{q_c\, n}{100} \right\rfloor \qquad (K_k = n)

computed in exact rational arithmetic (no floating-point rounding).  Firm :math:`i` is in the
first class :math:`c` with :math:`r_i \le K_c`: equivalently, its rank percentile
:math:`r_i / n` is at most :math:`q_c / 100`.  So without ties A holds exactly the first
:math:`\lfloor 0.25 n\rfloor` ranks, B the next :math:`\lfloor 0.70 n\rfloor - \lfloor 0.25
n\rfloor`, C the next :math:`\lfloor 0.95 n\rfloor - \lfloor 0.70 n\rfloor` and D the remaining
:math:`n - \lfloor 0.95 n\rfloor` (at least one firm whenever :math:`0.95 n` is not a whole
number).  Floor, not ceiling: a firm is called "top 25 %" only if it is in the top 25 %.

Ties at a boundary are kept together, in the better class: tied firms share the rank of the
group's best position, so when a tie group straddles :math:`K_c` every firm of it is in class
:math:`c`, and class :math:`c` holds more than :math:`K_c - K_{c-1}` firms (the next class
correspondingly fewer).  The cumulative count of classes 1..c is always
:math:`\#\{i : r_i \le K_c\}`.

Thresholds rule
---------------
Firm :math:`i` is in the first class whose ``min_score`` its score reaches (a score within
1e-9 relative below a threshold counts as reaching it); the last class takes the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from kaoping.methods.rank import competition

__all__ = ["boundaries", "by_percentile", "by_thresholds"]


def boundaries(upto_percent: Sequence[Fraction], n: int) -> NDArray[np.int64]:
    """The cumulative rank bounds :math:`K_c = \\lfloor q_c n / 100 \\rfloor`, exactly.

    >>> boundaries([Fraction(25), Fraction(70), Fraction(95), Fraction(100)], 10).tolist()
    [2, 7, 9, 10]
    """
    return np.array(
        [(q.numerator * n) // (q.denominator * 100) for q in upto_percent], dtype=np.int64
    )


def by_percentile(
    scores: NDArray[np.float64], upto_percent: Sequence[Fraction]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Ranks and class indexes (0 = best class) of graded firms by the percentile rule.

    Parameters
    ----------
    scores : numpy.ndarray, shape (n,)
        The graded firms' scores (finite; higher is better).
    upto_percent : sequence of Fraction
        Cumulative bounds in per cent, increasing, the last 100.

    Returns
    -------
    ranks : numpy.ndarray of float, shape (n,)
        Competition ranks (1 = best; ties share the smallest).
    classes : numpy.ndarray of int, shape (n,)
        Index of each firm's class in ``upto_percent``.

    Examples
    --------
    Ten firms, the 5th and 6th tied (both rank 5); bounds K = 2, 7, 9, 10:

    >>> q = [Fraction(25), Fraction(70), Fraction(95), Fraction(100)]
    >>> r, c = by_percentile(np.array([10.0, 9, 8, 7, 6, 6, 4, 3, 2, 1]), q)
    >>> r.astype(int).tolist(), c.tolist()
    ([1, 2, 3, 4, 5, 5, 7, 8, 9, 10], [0, 0, 1, 1, 1, 1, 1, 2, 2, 3])
    """
    ranks = competition(scores)
    if scores.size == 0:
        return ranks, np.zeros(0, dtype=np.int64)
    bounds = boundaries(upto_percent, scores.size)
    classes = np.searchsorted(bounds, ranks, side="left").astype(np.int64)
    return ranks, classes


def by_thresholds(scores: NDArray[np.float64], min_scores: Sequence[float]) -> NDArray[np.int64]:
    """Class indexes by score thresholds (decreasing; one fewer than the classes).

    >>> by_thresholds(np.array([120.0, 100.0, 99.0, 10.0]), [100.0, 70.0, 40.0]).tolist()
    [0, 0, 1, 3]
    """
    mins = np.asarray(min_scores, dtype=np.float64)
    reach = mins - 1e-9 * np.maximum(np.abs(mins), 1.0)
    return (scores[:, None] < reach[None, :]).sum(axis=1).astype(np.int64)
