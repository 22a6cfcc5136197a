r"""Ranks, tiers and rank changes (排名、方阵、进位).

Ranks are float64 with NaN where the score is missing; rank 1 is the best (highest score).
All functions accept a batch of scores of shape (k, n) — k Monte Carlo samples of n units —
and work along the last axis.

Ties (并列)
-----------
Ranking is *competition* ranking ("1, 2, 2, 4"): tied units share the best rank of their group
and the next group skips the places they take.  Two scores are tied when they are equal, or
equal up to floating-point noise: :math:`|a - b| \le \mathrm{rtol} \max(|a|, |b|)` with
``rtol = 1e-9`` by default, so that ``0.1 + 0.2`` and ``0.3`` tie.  Because "within rtol" is
not transitive, groups are formed greedily on the scores sorted in descending order: a group
starts at its highest score and takes every following score within rtol of *that first score*;
the first score beyond it starts the next group.  A chain of scores each 0.6 rtol apart is thus
cut into groups no wider than rtol, never merged into one long tie.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple, TypeVar, cast

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from kaoping.methods._common import FloatArray

__all__ = ["Tally", "competition", "count_ranks", "rank_change", "tally", "tiers", "within"]

_F = TypeVar("_F", bound=Callable[..., Any])

IntArray = NDArray[np.int64]

# A batch of fewer scores is ranked on one thread: waking the thread pool costs more than it
# saves (and much more on a busy machine).
_PARALLEL_MIN_SIZE = 1 << 18


def _njit(*, parallel: bool, nogil: bool = False) -> Callable[[_F], _F]:
    """``numba.njit(cache=True)`` that keeps the decorated function's type for mypy."""

    def decorate(func: _F) -> _F:
        return cast(_F, numba.njit(cache=True, parallel=parallel, nogil=nogil)(func))

    return decorate


def _as_scores(scores: ArrayLike, name: str = "scores") -> FloatArray:
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n,) or a batch (k, n); got an array of shape {s.shape}."
        )
    return s


def _check_rtol(rtol: float) -> float:
    rtol = float(rtol)
    if not (math.isfinite(rtol) and rtol >= 0.0):
        raise ValueError(
            f"rtol (relative tolerance for ties) must be a finite number >= 0; got {rtol!r}. "
            f"Use 0 for exact ties only."
        )
    return rtol


@numba.njit(cache=True, inline="always")
def _tied(first: float, v: float, rtol: float) -> bool:
    """Whether ``v`` joins the tie group that starts at ``first`` (see the module docstring);
    +-inf ties only with itself."""
    if v == first:
        return True
    if math.isinf(first) or math.isinf(v):
        return False
    return abs(first - v) <= rtol * max(abs(first), abs(v))


@_njit(parallel=False)
def _ranks_of_sorted(buf: FloatArray, rtol: float) -> None:
    """Replace scores sorted ascending (NaN last) by their competition ranks, in place."""
    n = buf.shape[0]
    last = n - 1
    while last >= 0 and np.isnan(buf[last]):
        last -= 1
    first = 0.0
    group_rank = 1.0
    for p in range(last, -1, -1):  # descending scores
        v = buf[p]
        placed = last - p  # units ranked before this one
        if placed == 0 or not _tied(first, v, rtol):
            first = v
            group_rank = placed + 1.0
        buf[p] = group_rank


@_njit(parallel=False)
def _packed_keys(s: FloatArray, bits: int) -> NDArray[np.uint64]:
    """Sort keys: the order-preserving bits of each score, low ``bits`` replaced by its index.

    A float64's bit pattern, with the sign bit set for positives and all bits flipped for
    negatives, orders like the value; NaN gets the largest key (sorted last).  Keeping the high
    ``64 - bits`` bits and storing the unit's index in the low bits lets a plain (SIMD) integer
    sort replace an argsort; units whose keys agree on the high bits are put in exact order
    afterwards by :func:`_unpack_order`.
    """
    k, n = s.shape
    bits_of = s.view(np.uint64)
    sign = np.uint64(1) << np.uint64(63)
    high = ~((np.uint64(1) << np.uint64(bits)) - np.uint64(1))
    keys = np.empty((k, n), dtype=np.uint64)
    for r in range(k):
        for i in range(n):
            x = bits_of[r, i]
            if s[r, i] != s[r, i]:  # NaN
                key = ~np.uint64(0)
            elif x & sign:
                key = ~x
            else:
                key = x | sign
            keys[r, i] = (key & high) | np.uint64(i)
    return keys


@_njit(parallel=False)
def _order_run(s: FloatArray, order: NDArray[Any], a: int, e: int) -> None:
    """Put the unit indices ``order[a:e]`` in ascending order of their scores ``s``: by
    insertion when the run is short (the usual case), else by a stable argsort."""
    if e - a <= 16:
        for r in range(a + 1, e):
            u = order[r]
            v = s[u]
            j = r - 1
            while j >= a and s[order[j]] > v:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = u
        return
    vals = np.empty(e - a)
    for r in range(a, e):
        vals[r - a] = s[order[r]]
    perm = np.argsort(vals, kind="mergesort")
    members = order[a:e].copy()
    for r in range(e - a):
        order[a + r] = members[perm[r]]


@_njit(parallel=False)
def _unpack_order(s: FloatArray, keys: NDArray[np.uint64], bits: int) -> NDArray[np.int64]:
    """Sorted packed keys -> ascending order of ``s``, in place (the keys' memory is reused)."""
    n = keys.shape[0]
    low = (np.uint64(1) << np.uint64(bits)) - np.uint64(1)
    order = keys.view(np.int64)
    p = 0
    while p < n:
        head = keys[p] >> np.uint64(bits)
        q = p + 1
        while q < n and (keys[q] >> np.uint64(bits)) == head:
            q += 1
        for i in range(p, q):
            order[i] = np.int64(keys[i] & low)
        if q - p > 1:  # scores sharing their leading bits: put them in exact order
            first = s[order[p]]
            same = first != first  # a run of NaN: order does not matter
            if not same:
                same = True
                for i in range(p + 1, q):
                    if s[order[i]] != first:
                        same = False
                        break
            if not same:
                _order_run(s, order, p, q)
        p = q
    return order


@_njit(parallel=False)
def _rank_row(
    s: FloatArray, keys: NDArray[np.uint64], out: FloatArray, bits: int, rtol: float
) -> None:
    order = _unpack_order(s, keys, bits)
    buf = np.empty(s.shape[0])
    for p in range(s.shape[0]):
        buf[p] = s[order[p]]
    _ranks_of_sorted(buf, rtol)
    for p in range(s.shape[0]):
        out[order[p]] = buf[p]


@_njit(parallel=True)
def _competition_rows_parallel(
    s: FloatArray, keys: NDArray[np.uint64], bits: int, rtol: float
) -> FloatArray:
    """A batch of rows, in parallel over the rows."""
    out = np.empty(s.shape)
    for r in numba.prange(s.shape[0]):
        _rank_row(s[r], keys[r], out[r], bits, rtol)
    return out


@_njit(parallel=False)
def _competition_rows_serial(
    s: FloatArray, keys: NDArray[np.uint64], bits: int, rtol: float
) -> FloatArray:
    out = np.empty(s.shape)
    for r in range(s.shape[0]):
        _rank_row(s[r], keys[r], out[r], bits, rtol)
    return out


def competition(scores: ArrayLike, rtol: float = 1e-9) -> FloatArray:
    r"""Descending competition ranks ("1, 2, 2, 4", 并列) with ties up to floating-point noise.

    .. math::

        \mathrm{rank}_i = 1 + \#\{\, l : l \text{ is in a tie group before } i\text{'s group} \,\}

    Tie groups: sort the scores in descending order; a group starts at its first (highest)
    score :math:`f` and takes every following score :math:`s` with :math:`s = f` or
    :math:`|f - s| \le \mathrm{rtol}\,\max(|f|, |s|)`; the first score beyond that starts a
    new group (see the module docstring for why the comparison is with the group's first score).

    Parameters
    ----------
    scores : array_like, shape (n,) or (k, n)
        Scores, higher is better; NaN = missing.  A batch is ranked row by row.
    rtol : float, default 1e-9
        Relative tolerance for ties; 0 ranks exactly equal scores together only.

    Returns
    -------
    numpy.ndarray
        float64 ranks in 1..n of the same shape; NaN where the score is NaN (missing scores
        take no place: the other units are ranked among themselves).

    Raises
    ------
    ValueError
        If ``scores`` is not 1-D or 2-D, or ``rtol`` is negative or not finite.

    Notes
    -----
    The sort is an integer sort of keys packing each score's order-preserving bits with the
    unit's index, put in exact order where two scores share their leading bits (the order
    among exactly equal scores does not matter: the tie rule decides); then one fused numba
    pass per row assigns the ranks (the rows of a large batch in parallel).  ±inf are valid
    scores, tied only with themselves.

    References
    ----------
    "Standard competition ranking", as in ``scipy.stats.rankdata(method="min")`` applied to
    the negated scores; the Handbook's ranking step, OECD/JRC (2008), *Handbook on
    Constructing Composite Indicators*, section 1.8 (ranking of units).

    Examples
    --------
    >>> competition([0.3, 0.9, 0.1 + 0.2, float("nan"), 0.5])
    array([ 3.,  1.,  3., nan,  2.])
    """
    s = _as_scores(scores)
    rtol = _check_rtol(rtol)
    if s.shape[-1] == 0:
        return np.empty(s.shape)
    s2 = np.ascontiguousarray(s.reshape(-1, s.shape[-1]))
    # Sort: pack (score bits, unit index) into one uint64 and sort those integers, which is
    # several times faster than np.argsort (above all when scores are missing: NaN sends
    # NumPy's argsort down a slow path).  Bits for the index: enough for n units.
    bits = max(1, (s2.shape[1] - 1).bit_length())
    keys = _packed_keys(s2, bits)
    _sort_rows(keys)
    # Then one sequential pass per row (exact order, gather, tie rule, scatter); a large batch
    # is shared out by rows between the threads.
    parallel = s2.shape[0] > 1 and s2.size >= _PARALLEL_MIN_SIZE
    kernel = _competition_rows_parallel if parallel else _competition_rows_serial
    ranks: FloatArray = kernel(s2, keys, bits, rtol)
    return ranks.reshape(s.shape)


def _sort_rows(keys: NDArray[np.uint64]) -> None:
    """Sort each row in place; a large batch in slices on the thread pool's threads (NumPy's
    sort releases the GIL), so that the sort is not the one serial step of the ranking."""
    threads = int(numba.get_num_threads())
    if threads < 2 or keys.shape[0] < 2 or keys.size < _PARALLEL_MIN_SIZE:
        keys.sort(axis=-1)
        return
    from concurrent.futures import ThreadPoolExecutor

    slices = np.array_split(np.arange(keys.shape[0]), threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda rows: keys[rows[0] : rows[-1] + 1].sort(axis=-1), slices))


def _is_missing_label(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, NaT
    except TypeError:  # pandas.NA: its comparisons have no truth value
        return True


def _category_codes(categories: ArrayLike | Sequence[object], n: int) -> NDArray[np.intp]:
    """An integer code per unit, -1 for a missing category."""
    cats = np.asarray(categories)
    if cats.shape != (n,):
        raise ValueError(
            f"categories must have one label per unit (n = {n}); got shape {cats.shape}."
        )
    codes = np.empty(n, dtype=np.intp)
    if cats.dtype.kind in "biuUS":
        _, codes[:] = np.unique(cats, return_inverse=True)
        return codes
    if cats.dtype.kind == "f":
        missing = np.isnan(cats)
        codes[missing] = -1
        if (~missing).any():
            _, codes[~missing] = np.unique(cats[~missing], return_inverse=True)
        return codes
    seen: dict[object, int] = {}
    for i, label in enumerate(cats.tolist()):
        codes[i] = -1 if _is_missing_label(label) else seen.setdefault(label, len(seen))
    return codes


def within(
    scores: ArrayLike, categories: ArrayLike | Sequence[object], rtol: float = 1e-9
) -> FloatArray:
    r"""Competition ranks inside each category (分类排名), e.g. 重点生态功能区 / 非重点生态功能区.

    .. math::

        \mathrm{rank}^{(c)}_i = \mathrm{competition}\big(\{s_l : c_l = c_i\}\big)_i

    Parameters
    ----------
    scores : array_like, shape (n,) or (k, n)
        Scores, higher is better; NaN = missing.
    categories : array_like, shape (n,)
        One label per unit: ints, strings or any hashable objects.  A missing label (``None``,
        NaN, ``pandas.NA``) gives the unit a NaN rank: it belongs to no category.
    rtol : float, default 1e-9
        Relative tolerance for ties, as in :func:`competition`.

    Returns
    -------
    numpy.ndarray
        float64 ranks of the shape of ``scores``, 1 = best in its category.

    Raises
    ------
    ValueError
        If ``categories`` does not have one label per unit, or as :func:`competition`.

    References
    ----------
    统一指标、分类赋权、分类排名: the practice of provincial county assessments (e.g. 河南省
    县域经济高质量发展考核评价), which rank counties within their functional category.

    Examples
    --------
    >>> within([90.0, 80.0, 85.0, 70.0], ["A", "B", "A", "B"])
    array([1., 1., 2., 2.])
    """
    s = _as_scores(scores)
    rtol = _check_rtol(rtol)
    n = s.shape[-1]
    codes = _category_codes(categories, n)
    out = np.full(s.shape, np.nan)
    if n == 0:
        return out
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    bounds = [*(int(b) for b in starts), n]
    for g in range(len(bounds) - 1):
        members = order[bounds[g] : bounds[g + 1]]
        if sorted_codes[bounds[g]] < 0:
            continue  # missing category: no rank
        out[..., members] = competition(s[..., members], rtol)
    return out


def tiers(
    values: ArrayLike,
    cutoffs: ArrayLike,
    by: Literal["rank", "score"] = "rank",
    rtol: float = 1e-9,
) -> IntArray:
    r"""Tier index of each unit (方阵/档次): 0 = first tier, 1 = second, ..., -1 = no tier.

    .. math::

        \text{by rank:}\quad t_i = \min\{\, t : r_i \le c_t \,\}, \qquad
        \text{by score:}\quad t_i = \min\{\, t : s_i \ge c_t \,\}

    e.g. ``tiers(ranks, [30, 60])``: ranks 1-30 form the first tier (第一方阵), 31-60 the
    second, the others none; ``tiers(scores, [90, 80], by="score")``: 90 and above, then 80
    and above.

    Parameters
    ----------
    values : array_like, shape (n,) or (k, n)
        Ranks (``by="rank"``) or scores (``by="score"``); NaN = missing (no tier).
    cutoffs : array_like, shape (t,)
        The last rank of each tier, strictly increasing (``by="rank"``), or the lowest score of
        each tier, strictly decreasing (``by="score"``).
    by : {"rank", "score"}, default "rank"
        What ``values`` and ``cutoffs`` are.
    rtol : float, default 1e-9
        ``by="score"`` only: a score within rtol (relative) below a cutoff counts as reaching
        it, so that 84.99999999999999 computed for 85 points is not sent down a tier.

    Returns
    -------
    numpy.ndarray
        int64 tier indices of the shape of ``values``; -1 for no tier or a missing value.

    Raises
    ------
    ValueError
        If ``by`` is unknown, or ``cutoffs`` is empty, not finite or not monotone the way
        ``by`` needs.

    References
    ----------
    Tiers by rank cut-off (第一方阵 = rank <= 30) or score threshold, as in the provincial
    county assessments (``shared/METHODS.md``, "Ranks, tiers and categories").

    Examples
    --------
    >>> tiers([1.0, 30.0, 31.0, 75.0, float("nan")], [30, 60])
    array([ 0,  0,  1, -1, -1])
    >>> tiers([95.0, 85.0 - 1e-14, 60.0], [90, 85], by="score")
    array([ 0,  1, -1])
    """
    v = np.asarray(values, dtype=np.float64)
    c = np.asarray(cutoffs, dtype=np.float64)
    rtol = _check_rtol(rtol)
    if by not in ("rank", "score"):
        raise ValueError(f"by must be 'rank' or 'score'; got {by!r}.")
    if c.ndim != 1 or c.size == 0 or not np.isfinite(c).all():
        raise ValueError(
            f"cutoffs must be a non-empty list of finite numbers, one per tier; got {c!r}."
        )
    steps = np.diff(c)
    if by == "rank" and not (steps > 0).all():
        raise ValueError(
            f"by='rank': cutoffs are the last rank of each tier and must increase strictly "
            f"(e.g. [30, 60]); got {c.tolist()}."
        )
    if by == "score" and not (steps < 0).all():
        raise ValueError(
            f"by='score': cutoffs are the lowest score of each tier and must decrease strictly "
            f"(e.g. [90, 80]); got {c.tolist()}."
        )
    out = np.full(v.shape, -1, dtype=np.int64)
    for t in range(c.size - 1, -1, -1):  # from the last tier up, so the first match wins
        cut = c[t]
        if by == "rank":
            out[v <= cut] = t
        else:
            out[v >= cut - rtol * np.maximum(np.abs(v), abs(cut))] = t
    return out


def rank_change(previous: ArrayLike, current: ArrayLike) -> FloatArray:
    r"""Rank change between two periods (进位/退位): positive = moved up.

    .. math::

        \Delta_i = r^{\text{previous}}_i - r^{\text{current}}_i

    Parameters
    ----------
    previous, current : array_like
        Ranks of the same units in the same order (and the same category, for progress within
        a category); shapes must broadcast.  NaN (a unit new this period, or unranked) gives NaN.

    Returns
    -------
    numpy.ndarray
        float64 differences: 3 means the unit climbed three places (进3位).

    Raises
    ------
    ValueError
        If the shapes do not broadcast.

    References
    ----------
    进位 (progress) awards in provincial county assessments (``shared/METHODS.md``,
    "Official scoring rules": Progress).

    Examples
    --------
    >>> rank_change([5.0, 1.0, float("nan")], [2.0, 3.0, 4.0])
    array([ 3., -2., nan])
    """
    prev = np.asarray(previous, dtype=np.float64)
    curr = np.asarray(current, dtype=np.float64)
    try:
        return np.subtract(prev, curr)
    except ValueError:
        raise ValueError(
            f"previous and current must be ranks of the same units in the same order; got "
            f"shapes {prev.shape} and {curr.shape}."
        ) from None


@_njit(parallel=True)
def _bad_ranks(ranks_t: FloatArray) -> int:
    """How many entries are neither NaN nor a whole number in 1..n (n = ranks_t.shape[0])."""
    n, k = ranks_t.shape
    bad = np.zeros(n, dtype=np.int64)
    for u in numba.prange(n):
        for s in range(k):
            r = ranks_t[u, s]
            if r == r and not (r >= 1.0 and r <= n and r == math.floor(r)):
                bad[u] += 1
    return int(bad.sum())


def count_ranks(
    ranks: ArrayLike, counts: NDArray[np.integer[Any]] | None = None, *, check: bool = True
) -> NDArray[np.integer[Any]]:
    r"""Count how often each unit takes each rank over a batch of rankings.

    ``counts[u, r]`` is incremented once for every row of ``ranks`` in which unit ``u`` has
    rank ``r`` (column 0 counts the rows where it has no rank).  Accumulating batch after batch
    gives every unit's rank distribution in O(n^2) memory whatever the number of samples — from
    which :mod:`kaoping.analysis.uncertainty` reads percentiles and tier probabilities without
    storing or sorting the samples.

    Parameters
    ----------
    ranks : array_like, shape (k, n)
        Competition ranks in 1..n (NaN = unranked), one row per sample.
    counts : ndarray of int64 or int32, shape (n, n + 1), optional
        Added to in place; a new int64 zero array when omitted.  int32 halves the memory
        traffic of a large table (enough for 2**31 samples).
    check : bool
        Check first that every rank is NaN or a whole number in 1..n (nothing is counted
        otherwise); ``False`` for ranks straight from :func:`competition`.

    Returns
    -------
    ndarray, shape (n, n + 1)

    Examples
    --------
    >>> count_ranks([[1.0, 2.0], [2.0, 1.0], [1.0, 1.0]])
    array([[0, 2, 1],
           [0, 2, 1]])
    """
    r = np.ascontiguousarray(np.atleast_2d(np.asarray(ranks, dtype=np.float64)))
    n = r.shape[1]
    if counts is None:
        counts = np.zeros((n, n + 1), dtype=np.int64)
    _check_counts(counts, n, "counts")
    rt = np.ascontiguousarray(r.T)
    if check and _bad_ranks(rt):  # checked first: nothing is counted from a bad batch
        raise ValueError(f"ranks must be whole numbers in 1..{n} (or NaN).")
    # whole ranks, 0 for none, counted by the kernel rank.tally uses
    _count_int_ranks(np.nan_to_num(rt, nan=0.0).astype(_rank_dtype(n)), counts)
    return counts


# --------------------------------------------------------------------------------------------
# Tallying a Monte Carlo batch: rank every row and count the ranks, never storing them as floats
# --------------------------------------------------------------------------------------------

_TILE = 32  # rows ranked by one task before their ranks are written out, transposed
_NARROW_RANKS = 1 << 16  # fewer units: ranks (0..n) stored in 16 bits


@_njit(parallel=False)
def _tally_row(
    s: FloatArray,
    digit: int,
    key: NDArray[np.uint32],
    key2: NDArray[np.uint32],
    idx: NDArray[np.uint32],
    idx2: NDArray[np.uint32],
    hist: NDArray[np.uint32],
    out: NDArray[Any],
    cats: NDArray[np.int32],
    cat_seen: NDArray[np.int64],
    cat_out: NDArray[Any],
    ref: FloatArray,
    rtol: float,
) -> float:
    """Competition ranks of one row into ``out`` (0 = no rank), within-category ranks into
    ``cat_out`` when ``cats`` is not empty; returns the mean |rank - ref| (NaN if none).

    Sort: each score is mapped linearly onto an integer key of ``2 * digit`` bits between the
    row's finite minimum and maximum (monotone: a higher score never gets a lower key), the keys
    are sorted by two counting passes of ``digit`` bits (LSD radix, no comparisons), and runs of
    equal keys are put in exact order by the scores themselves.  NaN gets the largest key.
    """
    # unsigned indices throughout: numba then skips the negative-index wraparound checks
    n = s.shape[0]
    nb = np.uint32(1 << digit)
    mask = np.uint32((1 << digit) - 1)
    shift = np.uint32(digit)
    nan_key = np.uint32((1 << (2 * digit)) - 1)
    top = float((1 << (2 * digit)) - 2)  # the key of the row's maximum
    lo = math.inf
    hi = -math.inf
    finite = 0
    for i in range(n):
        v = s[i]
        if v > -math.inf and v < math.inf:  # finite (False for NaN)
            lo = min(lo, v)
            hi = max(hi, v)
            finite += 1
    span = hi - lo
    scale = top / span if span > 0.0 else 0.0
    if not scale < math.inf:
        scale = 0.0  # a span too small or too large to scale: one run, sorted exactly below
    for j in range(2 * nb):
        hist[j] = 0
    if finite == n:  # the usual row: every key in range, no branch
        for i in range(n):
            kk = np.uint32(min((s[i] - lo) * scale, top))
            key[i] = kk
            hist[kk & mask] += 1
            hist[nb + (kk >> shift)] += 1
    else:
        for i in range(n):
            v = s[i]
            if v != v:
                kk = nan_key
            else:
                t = (v - lo) * scale
                if not t >= 0.0:  # -inf, or inf * 0
                    t = 0.0
                elif t > top:  # +inf
                    t = top
                kk = np.uint32(t)
            key[i] = kk
            hist[kk & mask] += 1
            hist[nb + (kk >> shift)] += 1
    below_lo = np.uint32(0)  # keys before this bucket: the counts become start positions
    below_hi = np.uint32(0)
    for j in range(nb):
        x = hist[j]
        hist[j] = below_lo
        below_lo += x
        x = hist[nb + j]
        hist[nb + j] = below_hi
        below_hi += x
    for i in range(n):
        kk = key[i]
        p = hist[kk & mask]
        hist[kk & mask] = p + np.uint32(1)
        key2[p] = kk
        idx2[p] = np.uint32(i)
    for q in range(n):
        kk = key2[q]
        p = hist[nb + (kk >> shift)]
        hist[nb + (kk >> shift)] = p + np.uint32(1)
        key[p] = kk
        idx[p] = idx2[q]
    m = n  # scored units: sorted first, NaN after
    while m > 0 and key[m - 1] == nan_key:
        m -= 1
    for p in range(m, n):
        out[idx[p]] = 0
    with_cats = cats.shape[0] > 0
    if with_cats:
        for g in range(cat_seen.shape[0]):
            cat_seen[g] = 0
        for p in range(m, n):
            cat_out[idx[p]] = 0
    # Descending: the tie rule of competition(), and the ranks within category.  A run of
    # equal keys is put in exact order by the scores (insertion, or argsort when long) when
    # the walk reaches its top.  Keys far apart cannot tie: floor makes (a - b) * scale >=
    # key gap - 1, so a gap above rtol * max|score| * scale + 2 means a - b > rtol * max(|a|,
    # |b|) (rounding in the keys is ~1e-8 of a key); only nearer keys compare the scores.
    near = rtol * max(abs(lo), abs(hi)) * scale + 2.0 if scale > 0.0 else math.inf
    first_u = np.uint32(0)  # the unit that opened the current tie group, and its key
    first_key = np.uint32(0)
    group_rank = 1
    group_top = m - 1  # position (ascending) of the first member of the current tie group
    run_lo = m  # positions >= run_lo are in exact order
    for p in range(m - 1, -1, -1):
        kp = key[p]
        if p < run_lo:  # a new key: order the run of equal keys it tops, if any
            a = p
            while a > 0 and key[a - 1] == kp:
                a -= 1
            if a < p:
                _order_run(s, idx, a, p + 1)
            run_lo = a
        u = idx[p]
        placed = m - 1 - p
        if placed == 0 or (float(first_key - kp) > near or not _tied(s[first_u], s[u], rtol)):
            if with_cats:  # the group just closed now ranks ahead of everyone after it
                for j in range(p + 1, group_top + 1):
                    g = cats[idx[j]]
                    if g >= 0:
                        cat_seen[g] += 1
            first_u = u
            first_key = kp
            group_rank = placed + 1
            group_top = p
        out[u] = group_rank
        if with_cats:
            g = cats[u]
            cat_out[u] = cat_seen[g] + 1 if g >= 0 else 0
    total = 0.0
    counted = 0
    for u in range(n):  # in unit order: no scattered reads
        w = ref[u]
        r = out[u]
        if w == w and r > 0:
            total += abs(r - w)
            counted += 1
    return total / counted if counted else math.nan


@_njit(parallel=True, nogil=True)
def _tally_rows(
    s: FloatArray,
    digit: int,
    ranks_t: NDArray[Any],
    cats: NDArray[np.int32],
    n_cats: int,
    cat_ranks_t: NDArray[Any],
    ref: FloatArray,
    rtol: float,
) -> FloatArray:
    """Rank the rows of ``s`` (k, n) in tiles of _TILE rows on the thread pool; the ranks go
    to ``ranks_t`` (n, k) transposed, a whole cache line of each unit at a time."""
    k, n = s.shape
    shift = np.empty(k)
    with_cats = cats.shape[0] > 0
    n_tiles = (k + _TILE - 1) // _TILE
    for t in numba.prange(n_tiles):
        key = np.empty(n, np.uint32)
        key2 = np.empty(n, np.uint32)
        idx = np.empty(n, np.uint32)
        idx2 = np.empty(n, np.uint32)
        hist = np.empty(2 << digit, np.uint32)
        cat_seen = np.empty(n_cats, np.int64)
        local = np.empty((_TILE, n), ranks_t.dtype)
        cat_local = np.empty((_TILE if with_cats else 1, n), cat_ranks_t.dtype)
        r0 = t * _TILE
        r1 = min(k, r0 + _TILE)
        for r in range(r0, r1):
            shift[r] = _tally_row(
                s[r], digit, key, key2, idx, idx2, hist, local[r - r0], cats, cat_seen,
                cat_local[r - r0 if with_cats else 0], ref, rtol,
            )  # fmt: skip
        for u in range(n):
            for r in range(r0, r1):
                ranks_t[u, r] = local[r - r0, u]
        if with_cats:
            for u in range(n):
                for r in range(r0, r1):
                    cat_ranks_t[u, r] = cat_local[r - r0, u]
    return shift


@_njit(parallel=True, nogil=True)
def _count_int_ranks(ranks_t: NDArray[Any], counts: NDArray[np.integer[Any]]) -> None:
    """Integer ranks ``ranks_t`` (n, k), one unit per row, 0 = no rank: each unit's row of
    ``counts`` stays in cache, and the units are counted in parallel (disjoint rows)."""
    n, k = ranks_t.shape
    for u in numba.prange(n):
        row = counts[u]
        for s in range(k):
            row[ranks_t[u, s]] += 1


class Tally(NamedTuple):
    """What :func:`tally` returns besides the counts it adds to."""

    shift: FloatArray
    """Per row: the mean absolute difference between its ranks and ``reference`` (NaN where
    no unit has both)."""
    ranks: FloatArray | None
    """The rows' competition ranks (k, n), float64 with NaN, when ``keep`` is set."""


def _rank_dtype(n: int) -> type[np.unsignedinteger[Any]]:
    """The narrowest integer type that holds ranks 0..n."""
    return np.uint16 if n < _NARROW_RANKS else np.uint32


def _check_counts(counts: NDArray[np.integer[Any]], n: int, name: str) -> None:
    if counts.shape != (n, n + 1) or counts.dtype not in (np.int64, np.int32):
        raise ValueError(
            f"{name} must be an int64 or int32 array of shape ({n}, {n + 1}); got "
            f"{counts.dtype} {counts.shape}."
        )


def tally(
    scores: ArrayLike,
    counts: NDArray[np.integer[Any]],
    *,
    rtol: float = 1e-9,
    reference: ArrayLike | None = None,
    categories: ArrayLike | Sequence[object] | None = None,
    category_counts: NDArray[np.integer[Any]] | None = None,
    keep: bool = False,
) -> Tally:
    r"""Rank each row of a batch of scores and count the ranks: a Monte Carlo batch's step.

    The same as ``count_ranks(competition(scores), counts)`` (and, with ``categories``,
    ``count_ranks(within(-competition(scores), categories), category_counts)``: the rank
    among the units of the same category, ties as overall), in one pass per row that never
    builds the float64 ranks.

    Parameters
    ----------
    scores : array_like, shape (k, n)
        One row per sample, higher is better; NaN = missing (no rank, counted in column 0).
    counts : ndarray of int64 or int32, shape (n, n + 1)
        Added to in place, as in :func:`count_ranks`.
    rtol : float, default 1e-9
        Relative tolerance for ties, as in :func:`competition`.
    reference : array_like, shape (n,), optional
        Ranks to compare with (e.g. the nominal ranking): ``Tally.shift`` holds each row's mean
        absolute rank difference from them over the units ranked in both.
    categories : array_like, shape (n,), optional
        One label per unit, as in :func:`within`; requires ``category_counts``.
    category_counts : ndarray, shape (n, n + 1), optional
        Added to with the within-category ranks (column 0: no category or no score).
    keep : bool
        Also return the ranks as float64 (k, n) (memory: 8 bytes a rank).

    Returns
    -------
    Tally

    Raises
    ------
    ValueError
        If ``scores`` is not 2-D, a table has the wrong shape or dtype, ``categories`` are
        given without ``category_counts``, or ``rtol`` is invalid.

    Notes
    -----
    Each row is sorted by a two-pass LSD radix sort of integer keys that map the scores
    linearly between the row's finite minimum and maximum (about n levels a digit); the map is
    monotone, so only units whose keys collide need comparing, and those runs are put in exact
    order by their scores before the tie rule runs.  Rows are shared between threads in tiles
    whose ranks are written out transposed (one unit's ranks contiguous), so that counting reads
    each unit's ranks in order while its row of ``counts`` stays in cache.  Ranks are stored in
    16 bits when n < 65,536.

    Examples
    --------
    >>> counts = np.zeros((3, 4), dtype=np.int64)
    >>> tally([[0.3, 0.9, 0.5], [0.9, 0.3, 0.5]], counts, reference=[3, 1, 2]).shift
    array([0.        , 1.33333333])
    >>> counts
    array([[0, 1, 0, 1],
           [0, 1, 0, 1],
           [0, 0, 2, 0]])
    """
    s = np.ascontiguousarray(_as_scores(scores))
    if s.ndim != 2:
        raise ValueError(f"scores must be a batch of shape (k, n); got shape {s.shape}.")
    rtol = _check_rtol(rtol)
    k, n = s.shape
    _check_counts(counts, n, "counts")
    if reference is None:
        ref = np.full(n, np.nan)
    else:
        ref = np.asarray(reference, dtype=np.float64)
        if ref.shape != (n,):
            raise ValueError(f"reference must have one rank per unit (n = {n}); got {ref.shape}.")
    if categories is not None:
        if category_counts is None:
            raise ValueError("categories need category_counts to count the ranks into.")
        _check_counts(category_counts, n, "category_counts")
        codes = _category_codes(categories, n).astype(np.int32)
        n_cats = int(codes.max()) + 1 if n else 0
        if n_cats == 0:  # no unit has a category
            codes = np.empty(0, dtype=np.int32)
    else:
        codes = np.empty(0, dtype=np.int32)
        n_cats = 0
    if k == 0 or n == 0:
        return Tally(np.full(k, np.nan), np.full((k, n), np.nan) if keep else None)
    dtype = _rank_dtype(n)
    # about one bucket per unit a digit: collisions stay rare, the histograms small
    digit = min(13, max(4, (n - 1).bit_length() - 1))
    ranks_t = np.empty((n, k), dtype=dtype)
    cat_ranks_t = np.empty((n, k) if n_cats else (1, 1), dtype=dtype)
    shift: FloatArray = _tally_rows(s, digit, ranks_t, codes, n_cats, cat_ranks_t, ref, rtol)
    _count_int_ranks(ranks_t, counts)
    if n_cats:
        assert category_counts is not None
        _count_int_ranks(cat_ranks_t, category_counts)
    elif categories is not None:
        assert category_counts is not None
        category_counts[:, 0] += k  # no unit has a category: none is ranked within one
    kept = None
    if keep:
        kept = ranks_t.T.astype(np.float64)
        kept[kept == 0] = np.nan
    return Tally(shift, kept)
