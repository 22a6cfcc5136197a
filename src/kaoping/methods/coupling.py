r"""Coupling coordination (耦合协调度) of k subsystem scores.

For one unit with subsystem scores :math:`U_1, \dots, U_k` (the scores of its dimensions, each
in [0, 1]) the coupling coordination model reports three numbers:

* the **coupling degree** :math:`C` (耦合度): how evenly the subsystems develop, 1 when they
  are all equal;
* the **comprehensive development index** :math:`T` (综合协调指数): their weighted mean;
* the **coupling coordination degree** :math:`D = \sqrt{C\,T}` (耦合协调度), read in ten bands
  of 0.1, from 极度失调 to 优质协调 (:data:`CLASSES`).

Rows are units, the last axis the k subsystems; an optional leading axis holds a batch of
samples (shape ``(b, n, k)``), as the uncertainty analysis uses.  NaN means missing: a unit with
a missing subsystem score gets NaN for C, T and D.

Two forms of :math:`C` are offered (``form=``):

``"standard"`` (the default, METHODS.md)
    The geometric over the arithmetic mean of the scores,
    :math:`C = k\,(\prod_i U_i)^{1/k} / \sum_i U_i`, which is the same number as the form
    printed in most papers, :math:`C = [\prod_i U_i / ((\sum_i U_i)/k)^k]^{1/k}` (see
    :func:`degree`).
``"wang2021"``
    The corrected coupling degree of 王淑佳 et al. (2021), as it is generally cited (see
    :func:`degree` for what could and could not be checked against the paper).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods._common import FloatArray

__all__ = [
    "CLASSES",
    "FORMS",
    "Band",
    "Coordination",
    "classify",
    "coordination",
    "degree",
]

Form = Literal["standard", "wang2021"]
FORMS: tuple[str, ...] = ("standard", "wang2021")
"""The forms of the coupling degree :func:`degree` accepts; ``standard`` is the default."""


class Band(NamedTuple):
    """One class of the coupling coordination degree: ``lower <= D < upper`` (the last band
    includes 1), its Chinese and English name."""

    lower: float
    upper: float
    zh: str
    en: str


CLASSES: tuple[Band, ...] = (
    Band(0.0, 0.1, "极度失调", "Extreme imbalance"),
    Band(0.1, 0.2, "严重失调", "Severe imbalance"),
    Band(0.2, 0.3, "中度失调", "Moderate imbalance"),
    Band(0.3, 0.4, "轻度失调", "Mild imbalance"),
    Band(0.4, 0.5, "濒临失调", "Verge of imbalance"),
    Band(0.5, 0.6, "勉强协调", "Barely coordinated"),
    Band(0.6, 0.7, "初级协调", "Primary coordination"),
    Band(0.7, 0.8, "中级协调", "Intermediate coordination"),
    Band(0.8, 0.9, "良好协调", "Good coordination"),
    Band(0.9, 1.0, "优质协调", "High-quality coordination"),
)
"""The ten classes of D in bands of 0.1 (after 廖重斌 1999, as Chinese papers print them)."""

# The inner edges 0.1 ... 0.9 as the doubles nearest the decimals (0.3 is not 3 * 0.1).
_EDGES = np.array([band.upper for band in CLASSES[:-1]], dtype=np.float64)

# D within this of a band edge counts as on the edge, so that rounding in sqrt(C T) (a D that
# is 0.3 in exact arithmetic computed as 0.29999999999999993) never changes its class.
_EDGE_TOL = 1e-12


class Coordination(NamedTuple):
    """The coupling degree C, the development index T and the coupling coordination degree D,
    one value per unit (and sample)."""

    C: FloatArray
    T: FloatArray
    D: FloatArray


def _where(index: tuple[int, ...]) -> str:
    if len(index) == 2:
        return f"row {index[0]}, subsystem {index[1]}"
    return f"sample {index[0]}, row {index[1]}, subsystem {index[2]}"


def _as_scores(U: ArrayLike, form: str) -> FloatArray:
    """The scores as float64 of shape (n, k) or (b, n, k), checked: finite or NaN, >= 0, at
    least two subsystems, <= 1 for wang2021, and no row whose scores are all 0."""
    if form not in FORMS:
        raise ValueError(
            f"form must be one of {', '.join(map(repr, FORMS))}; got {form!r}. Use 'standard' "
            "(the default) or 'wang2021' (王淑佳 et al. 2021)."
        )
    arr = np.asarray(U, dtype=np.float64)
    if arr.ndim not in (2, 3):
        raise ValueError(
            f"U must be a 2-D array of units x subsystems, or 3-D with a leading batch axis; got "
            f"shape {arr.shape}. Reshape a single unit with U[None, :]."
        )
    if arr.shape[-1] < 2:
        raise ValueError(
            f"U must have at least 2 subsystems (columns) to couple; got {arr.shape[-1]}. Give "
            "the scores of two or more subsystems."
        )
    bad = np.isinf(arr) | (arr < 0) | ((arr > 1) if form == "wang2021" else False)
    if bad.any():
        index = tuple(int(v) for v in np.argwhere(bad)[0])
        need = "in [0, 1]" if form == "wang2021" else "finite and >= 0"
        raise ValueError(
            f"U must be {need} (subsystem scores normalised to [0, 1]); {int(bad.sum())} "
            f"value(s) are not, the first at {_where(index)}: {float(arr[index])!r}. Rescale the "
            "scores to [0, 1] (for scores on 0-100, divide by 100)."
        )
    zero = np.all(arr == 0, axis=-1)
    if zero.any():
        index = tuple(int(v) for v in np.argwhere(zero)[0])
        at = f"row {index[0]}" if len(index) == 1 else f"sample {index[0]}, row {index[1]}"
        raise ValueError(
            f"U has {int(zero.sum())} row(s) whose subsystem scores are all 0, the first at {at}: "
            "the coupling degree C = 0/0 is undefined there. Leave such units out, or give them "
            "NaN (missing) scores."
        )
    return arr


def _standard(U: FloatArray) -> FloatArray:
    # C is the same for U / max(U), whose arithmetic mean is at least 1/k: no 0/0 when tiny
    # scores underflow; the geometric mean via logs (no overflow or underflow of the product),
    # a 0 giving log 0 = -inf and a geometric mean of exactly 0
    V = U / np.max(U, axis=-1, keepdims=True)  # rows of zeros were refused; NaN stays NaN
    with np.errstate(divide="ignore"):
        gm = np.exp(np.mean(np.log(V), axis=-1))
    am = np.mean(V, axis=-1)
    return np.asarray(gm / am, dtype=np.float64)


def _wang2021(U: FloatArray) -> FloatArray:
    k = U.shape[-1]
    # sum over pairs i > j of |U_i - U_j| from the sorted scores: the r-th smallest (r from 0)
    # is larger than r scores and smaller than k - 1 - r, so it adds (2r - k + 1) times itself
    S = np.sort(U, axis=-1)
    pair_sum = S @ (2.0 * np.arange(k) - k + 1.0)
    spread = 1.0 - pair_sum / (k * (k - 1) / 2.0)  # sum_{m=1}^{k-1} m = k(k-1)/2 pairs
    top = np.max(U, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        balance = np.exp(np.sum(np.log(U / top), axis=-1) / (k - 1))
    C = np.sqrt(np.clip(spread, 0.0, 1.0) * balance)
    return np.asarray(np.where(np.isnan(U).any(axis=-1), np.nan, C), dtype=np.float64)


def degree(U: ArrayLike, *, form: Form = "standard") -> FloatArray:
    r"""Coupling degree C (耦合度) of each unit's k subsystem scores.

    ``form="standard"`` (default): the geometric over the arithmetic mean,

    .. math::

        C = \frac{k \left(\prod_{i=1}^{k} U_i\right)^{1/k}}{\sum_{i=1}^{k} U_i}
          = \left[\frac{\prod_{i=1}^{k} U_i}{\left(\frac{1}{k}\sum_{i=1}^{k} U_i\right)^{k}}
            \right]^{1/k},

    the two printed forms being one number: :math:`[\prod U_i / \bar U^k]^{1/k} =
    (\prod U_i)^{1/k} / \bar U` with :math:`\bar U = \sum U_i / k`.  For k = 2 it is
    :math:`2\sqrt{U_1 U_2}/(U_1 + U_2)`.  By the AM-GM inequality :math:`0 \le C \le 1`, with
    :math:`C = 1` exactly when all the scores are equal; C does not change when every score of
    a unit is multiplied by the same factor.

    ``form="wang2021"``: the corrected coupling degree of 王淑佳 et al. (2021),

    .. math::

        C = \sqrt{\left[1 - \frac{\sum_{i>j} \sqrt{(U_i - U_j)^2}}{\sum_{m=1}^{k-1} m}\right]
            \times \left(\prod_{i=1}^{k} \frac{U_i}{\max_i U_i}\right)^{\frac{1}{k-1}}},

    the first factor one minus the mean absolute difference over the :math:`k(k-1)/2` pairs,
    the second the geometric mean of the other scores relative to the largest (the largest
    contributes a factor 1).  It needs :math:`0 \le U_i \le 1`, and unlike the standard form it
    depends on the level of the scores, not only on their ratios.

    .. warning:: The ``wang2021`` formula is implemented as it is generally cited (it is stated
       in this form, citing the paper, in the documentation of the R package ``coupling`` of
       W. Lyu, https://github.com/stscl/coupling), not from the paper's own printed equation,
       which could not be read here.  The stored copy of the paper gives its abstract and its
       Table 8 (C of 13 cities' ecology-economy systems, 2008-2014, by the original and the
       corrected model); every one of those 91 pairs of values is consistent with this
       formula (for k = 2 it requires :math:`r \le C \le \sqrt r` with r the ratio of the two
       scores that the original C implies, and they all satisfy it), which is a check of
       consistency, not a verification.  Check the equation against the paper before
       publishing numbers computed with it.

    Parameters
    ----------
    U : array_like, shape (n, k) or (b, n, k)
        Subsystem scores in [0, 1] (the standard form accepts any scale of non-negative
        scores), NaN for missing.
    form : {"standard", "wang2021"}
        The form of C; default ``"standard"``.

    Returns
    -------
    ndarray, shape (n,) or (b, n)
        C in [0, 1] (rounding is clipped at 1); NaN where a score is missing.

    Raises
    ------
    ValueError
        An unknown ``form``; fewer than 2 subsystems; a negative or infinite score (or, for
        ``wang2021``, one above 1), naming the first; a row whose scores are all 0 (C = 0/0 is
        undefined), naming it.

    References
    ----------
    廖重斌 (1999), 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例,
    *热带地理* 19(2), 171-177 (the coupling coordination model and its classes).
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021), 国内耦合协调度模型的误区及修正, *自然资源学报*
    36(3), 793-810, https://doi.org/10.31497/zrzyxb.20210319 (the normative standard formula and
    the corrected form).

    Examples
    --------
    >>> degree([[0.2, 0.8], [0.5, 0.5]])  # 2 sqrt(0.16) / 1.0 = 0.8; equal scores: 1
    array([0.8, 1. ])
    >>> degree([[0.2, 0.8]], form="wang2021").round(6)  # sqrt((1 - 0.6) * 0.25) = sqrt(0.1)
    array([0.316228])
    """
    arr = _as_scores(U, form)
    C = _standard(arr) if form == "standard" else _wang2021(arr)
    return np.minimum(C, 1.0)


def coordination(
    U: ArrayLike,
    coefficients: ArrayLike | None = None,
    *,
    form: Form = "standard",
) -> Coordination:
    r"""Coupling degree C, development index T and coupling coordination degree D (耦合协调度).

    .. math::

        T = \sum_{i=1}^{k} a_i U_i, \qquad D = \sqrt{C\,T},

    with C from :func:`degree` and the coefficients :math:`a_i` (待定系数, the subsystems'
    contributions) non-negative and summing to 1; by default equal, :math:`a_i = 1/k`.  With
    every :math:`U_i \in [0, 1]`, T and D lie in [0, 1]; :func:`classify` reads D in ten bands.

    Parameters
    ----------
    U : array_like, shape (n, k) or (b, n, k)
        Subsystem scores in [0, 1], NaN for missing.
    coefficients : array_like, shape (k,), optional
        :math:`a_i`, non-negative, summing to 1 (within 1e-6; they are then rescaled to sum to 1
        exactly).  Default: equal, 1/k each.
    form : {"standard", "wang2021"}
        The form of C (see :func:`degree`); default ``"standard"``.

    Returns
    -------
    Coordination
        ``C``, ``T``, ``D``, each of shape (n,) or (b, n); NaN where a score is missing.

    Raises
    ------
    ValueError
        As :func:`degree`; coefficients of the wrong length, negative, not finite, or not
        summing to 1.

    References
    ----------
    廖重斌 (1999), *热带地理* 19(2), 171-177; 王淑佳 et al. (2021), *自然资源学报* 36(3),
    793-810, https://doi.org/10.31497/zrzyxb.20210319 (on keeping :math:`\sum a_i = 1`).

    Examples
    --------
    >>> res = coordination([[0.2, 0.4, 0.8]])
    >>> res.C.round(6), res.T.round(6), res.D.round(6)  # 6/7, 1.4/3, sqrt(0.4)
    (array([0.857143]), array([0.466667]), array([0.632456]))
    """
    arr = _as_scores(U, form)
    k = arr.shape[-1]
    if coefficients is None:
        a = np.full(k, 1.0 / k)
    else:
        a = np.asarray(coefficients, dtype=np.float64)
        if a.shape != (k,):
            raise ValueError(
                f"coefficients must have one entry per subsystem (k = {k}); got shape "
                f"{a.shape}. Give {k} numbers summing to 1, or none for equal coefficients."
            )
        if not np.all(np.isfinite(a)) or np.any(a < 0):
            raise ValueError(
                f"coefficients must be finite and >= 0; got {a.tolist()}. Give {k} "
                "non-negative numbers summing to 1."
            )
        total = float(a.sum())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"coefficients must sum to 1; got {a.tolist()}, which sum to {total!r}. Divide "
                "them by their sum, or give none for equal coefficients."
            )
        a = a / total
    C = np.minimum(_standard(arr) if form == "standard" else _wang2021(arr), 1.0)
    T = np.asarray(arr @ a, dtype=np.float64)
    D = np.sqrt(C * T)
    return Coordination(C, T, D)


def classify(D: ArrayLike, *, closed: Literal["left", "right"] = "left") -> NDArray[np.int64]:
    r"""The class of each coupling coordination degree D: an index into :data:`CLASSES`.

    Ten bands of 0.1, from 0 (极度失调, extreme imbalance) to 9 (优质协调, high-quality
    coordination).  With ``closed="left"`` (default) a band is :math:`[a, a + 0.1)` and the last
    one :math:`[0.9, 1]`:

    .. math:: \mathrm{class}(D) = \min(\lfloor 10 D \rfloor, 9),

    so D = 0.1 exactly is 严重失调 (class 1) and D = 1 is 优质协调.  ``closed="right"`` reads
    the bands as :math:`(a, a + 0.1]` with the first :math:`[0, 0.1]`, as some papers print
    them (e.g. "0.90 < D ≤ 1.00 优质协调"): there D = 0.1 is 极度失调.  A D within 1e-12 of a band
    edge counts as on it, so floating-point rounding never moves a unit across an edge.

    Parameters
    ----------
    D : array_like
        Coupling coordination degrees in [0, 1]; NaN for none.
    closed : {"left", "right"}
        Which end of each band belongs to it; default ``"left"``.

    Returns
    -------
    ndarray of int64, the shape of D
        0 … 9, or -1 where D is NaN.

    Raises
    ------
    ValueError
        A D outside [0, 1] (naming the first), or an unknown ``closed``.

    References
    ----------
    廖重斌 (1999), 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例,
    *热带地理* 19(2), 171-177.

    Examples
    --------
    >>> classify([0.0, 0.1, 0.35, 0.632456, 1.0, float("nan")])
    array([ 0,  1,  3,  6,  9, -1])
    >>> classify([0.1, 0.35], closed="right")
    array([0, 3])
    >>> [CLASSES[i].zh for i in classify([0.1, 0.95])]
    ['严重失调', '优质协调']
    """
    if closed not in ("left", "right"):
        raise ValueError(f"closed must be 'left' or 'right'; got {closed!r}.")
    d = np.asarray(D, dtype=np.float64)
    bad = ~np.isnan(d) & ((d < -_EDGE_TOL) | (d > 1.0 + _EDGE_TOL))
    if bad.any():
        first = tuple(int(v) for v in np.argwhere(bad)[0]) if d.ndim else ()
        raise ValueError(
            f"D must lie in [0, 1] to be classified; {int(bad.sum())} value(s) do not, the first "
            f"{'at ' + str(first) + ' ' if first else ''}is {float(d[first])!r}. Compute D from "
            "subsystem scores in [0, 1]."
        )
    nearest = np.round(d * 10.0) / 10.0
    snapped = np.where(np.abs(d - nearest) <= _EDGE_TOL, nearest, d)
    side: Literal["left", "right"] = "right" if closed == "left" else "left"
    index = np.searchsorted(_EDGES, snapped, side=side).astype(np.int64)
    return np.where(np.isnan(d), np.int64(-1), index)
