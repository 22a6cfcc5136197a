"""Tests of kaoping.methods.inequality: Gini, Dagum's decomposition, Theil T and L, CV.

Reference values and where they come from:
- PySAL's ``inequality`` package, its test suite and docstrings (``inequality/tests/
  test_gini.py``, ``inequality/theil.py``, pysal/inequality on GitHub): the Gini coefficient of
  Mexico's 32 states' per-capita GDP in 1940 and Theil's T, T_b and T_w for 1940-2000 by the
  ``hanson98`` regions, on ``mexico.csv`` as libpysal ships it;
- a hand-worked example of Dagum's decomposition and of Theil's (the arithmetic in comments);
- brute-force O(n^2) double loops written here in plain Python, straight from the formulas of
  METHODS.md, for G, G_jj, G_jh, d_jh, q_jh, G_w, G_nb, G_t, T, L and their parts;
- NumPy's ``std`` for the CV.
"""

from __future__ import annotations

import doctest
import importlib.util
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.methods import inequality as I

# the file libpysal ships (found without importing libpysal, which takes seconds)
_LIBPYSAL = importlib.util.find_spec("libpysal")
assert _LIBPYSAL is not None
assert _LIBPYSAL.origin is not None
MEXICO = Path(_LIBPYSAL.origin).parent / "examples" / "mexico" / "mexico.csv"
DECADES = [f"pcgdp{d}" for d in range(1940, 2010, 10)]


# --------------------------------------------------------------------------------------------
# brute-force references: plain Python double loops over every pair, as the formulas read
# --------------------------------------------------------------------------------------------


def brute_gini(y: list[float]) -> float:
    n = len(y)
    mu = sum(y) / n
    return sum(abs(a - b) for a in y for b in y) / (2 * n * n * mu)


def brute_dagum(y: list[float], groups: list[Any]) -> dict[str, Any]:
    """Every quantity of METHODS.md's Dagum paragraph by double loops, groups by mean."""
    members: dict[Any, list[float]] = {}
    for v, g in zip(y, groups, strict=True):
        members.setdefault(g, []).append(v)
    n = len(y)
    mu = sum(y) / n
    labels = sorted(members, key=lambda g: (sum(members[g]) / len(members[g]), g))
    k = len(labels)
    ys = [members[g] for g in labels]
    nj = [len(v) for v in ys]
    mj = [sum(v) / len(v) for v in ys]
    p = [nj[j] / n for j in range(k)]
    s = [nj[j] * mj[j] / (n * mu) for j in range(k)]
    Gjh = [[0.0] * k for _ in range(k)]
    d = [[0.0] * k for _ in range(k)]
    q = [[0.0] * k for _ in range(k)]
    for j in range(k):
        for h in range(k):
            tot = pos = neg = 0.0
            for a in ys[j]:
                for b in ys[h]:
                    tot += abs(a - b)
                    pos += max(a - b, 0.0)
                    neg += max(b - a, 0.0)
            if j == h:
                Gjh[j][h] = tot / (2 * nj[j] ** 2 * mj[j]) if tot else 0.0
            else:
                Gjh[j][h] = tot / (nj[j] * nj[h] * (mj[j] + mj[h])) if tot else 0.0
            d[j][h] = pos / (nj[j] * nj[h])
            q[j][h] = neg / (nj[j] * nj[h])
    Gw = sum(Gjh[j][j] * p[j] * s[j] for j in range(k))
    Gnb = Gt = 0.0
    for j in range(k):
        for h in range(j):
            D = (d[j][h] - q[j][h]) / (d[j][h] + q[j][h]) if d[j][h] + q[j][h] else 0.0
            w = Gjh[j][h] * (p[j] * s[h] + p[h] * s[j])
            Gnb += w * D
            Gt += w * (1 - D)
    return {
        "labels": labels, "n": nj, "mean": mj, "p": p, "s": s, "G": brute_gini(y),
        "Gjh": np.array(Gjh), "d": np.array(d), "q": np.array(q), "Gw": Gw, "Gnb": Gnb,
        "Gt": Gt,
    }  # fmt: skip


def brute_theil(y: list[float], groups: list[Any]) -> dict[str, float]:
    n = len(y)
    mu = sum(y) / n
    T = sum(v / mu * math.log(v / mu) for v in y) / n
    L = sum(math.log(mu / v) for v in y) / n
    Tb = Tw = Lb = Lw = 0.0
    for g in sorted(set(groups)):
        vs = [v for v, h in zip(y, groups, strict=True) if h == g]
        ng, mg = len(vs), sum(vs) / len(vs)
        sg = ng * mg / (n * mu)
        Tb += sg * math.log(mg / mu)
        Tw += sg * sum(v / mg * math.log(v / mg) for v in vs) / ng
        Lb += ng / n * math.log(mu / mg)
        Lw += ng / n * sum(math.log(mg / v) for v in vs) / ng
    return {"T": T, "Tb": Tb, "Tw": Tw, "L": L, "Lb": Lb, "Lw": Lw}


def assert_matches_brute(res: I.Dagum, ref: dict[str, Any], tol: float = 1e-12) -> None:
    assert res.groups.tolist() == ref["labels"]
    assert res.n.tolist() == ref["n"]
    assert_allclose(res.mean, ref["mean"], rtol=tol)
    assert_allclose(res.p, ref["p"], rtol=tol)
    assert_allclose(res.s, ref["s"], rtol=tol)
    assert_allclose(res.gini, ref["G"], rtol=tol)
    assert_allclose(res.gini_jh, ref["Gjh"], rtol=tol, atol=1e-15)
    assert_allclose(res.d, ref["d"], rtol=tol, atol=1e-14)
    assert_allclose(res.q, ref["q"], rtol=tol, atol=1e-14)
    assert_allclose(
        [res.within, res.net_between, res.transvariation],
        [ref["Gw"], ref["Gnb"], ref["Gt"]],
        rtol=1e-11,
        atol=1e-15,
    )


def test_the_docstring_examples_run() -> None:
    result = doctest.testmod(I, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# Gini
# --------------------------------------------------------------------------------------------


def test_gini_of_mexico_1940_is_pysals() -> None:
    # inequality/tests/test_gini.py: Gini(y[:, 0]).g == 0.35372371173452849 (pcgdp1940)
    y = pd.read_csv(MEXICO)["pcgdp1940"].to_numpy()
    assert_allclose(I.gini(y), 0.35372371173452849, rtol=1e-14)


def test_gini_hand_worked() -> None:
    # y = 1, 2, 3, 6: unordered |differences| 1, 2, 5, 1, 4, 3 -> 16, ordered 32;
    # 2 n^2 mu = 2 * 16 * 3 = 96 -> G = 1/3
    assert_allclose(I.gini([1.0, 2.0, 3.0, 6.0]), 1 / 3, rtol=1e-15)
    # one unit holds everything: G = 1 - 1/n
    assert_allclose(I.gini([0.0, 0.0, 0.0, 5.0]), 0.75, rtol=1e-15)
    assert I.gini([7.0]) == 0.0
    assert I.gini([2.5, 2.5, 2.5]) == 0.0


def test_gini_matches_the_double_loop() -> None:
    rng = np.random.default_rng(7)
    for n in (2, 5, 40):
        y = rng.lognormal(size=n)
        assert_allclose(I.gini(y), brute_gini(y.tolist()), rtol=1e-13)


@pytest.mark.parametrize(
    ("y", "match"),
    [
        ([1.0, -2.0, 3.0], r"y\[1\] is -2.0.*>= 0"),
        ([1.0, float("nan")], r"y\[1\] is nan.*finite"),
        ([0.0, 0.0], "every value of y is 0"),
        ([], "empty"),
        ([[1.0, 2.0]], "1-D"),
    ],
)
def test_gini_refuses_bad_values_naming_them(y: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        I.gini(y)


# --------------------------------------------------------------------------------------------
# CV
# --------------------------------------------------------------------------------------------


def test_cv_population_and_sample() -> None:
    y = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    # mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32: population sd 2, sample sqrt(32/7)
    assert_allclose(I.cv(y), 0.4, rtol=1e-15)
    assert_allclose(I.cv(y, ddof=1), math.sqrt(32 / 7) / 5, rtol=1e-15)
    assert_allclose(I.cv(y, ddof=1), np.std(y, ddof=1) / np.mean(y), rtol=1e-15)


def test_cv_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="ddof must be 0"):
        I.cv([1.0, 2.0], ddof=2)
    with pytest.raises(ValueError, match="needs more than 1"):
        I.cv([1.0], ddof=1)
    with pytest.raises(ValueError, match="positive mean"):
        I.cv([-1.0, -2.0])


# --------------------------------------------------------------------------------------------
# Dagum
# --------------------------------------------------------------------------------------------


def test_dagum_hand_worked() -> None:
    # Groups A = (1, 3), mean 2, and B = (2, 6), mean 4; n = 4, mu = 3, G = 1/3 (above).
    # p_A = p_B = 1/2; s_A = 2*2/(4*3) = 1/3, s_B = 2*4/12 = 2/3.
    # G_AA = |1-3| * 2 / (2 * 2^2 * 2) = 4/16 = 1/4;  G_BB = 8 / (2 * 4 * 4) = 1/4.
    # G_w = 1/4 * 1/2 * 1/3 + 1/4 * 1/2 * 2/3 = 1/24 + 1/12 = 1/8.
    # Between: |1-2| + |1-6| + |3-2| + |3-6| = 10; G_BA = 10 / (2 * 2 * (2 + 4)) = 5/12.
    # d_BA = (max(2-1,0) + max(2-3,0) + max(6-1,0) + max(6-3,0)) / 4 = (1+0+5+3)/4 = 9/4;
    # q_BA = (0 + 1 + 0 + 0)/4 = 1/4 (3 > 2 only); D_BA = (9/4 - 1/4)/(10/4) = 0.8.
    # p_B s_A + p_A s_B = 1/6 + 1/3 = 1/2; G_nb = 5/12 * 1/2 * 0.8 = 1/6,
    # G_t = 5/12 * 1/2 * 0.2 = 1/24; 1/8 + 1/6 + 1/24 = 8/24 = 1/3 = G.
    res = I.dagum([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    assert res.groups.tolist() == ["A", "B"]
    assert_allclose(res.mean, [2.0, 4.0])
    assert_allclose(res.p, [0.5, 0.5])
    assert_allclose(res.s, [1 / 3, 2 / 3], rtol=1e-15)
    assert_allclose(res.within_gini, [0.25, 0.25], rtol=1e-15)
    assert_allclose(res.gini_jh[1, 0], 5 / 12, rtol=1e-15)
    assert_allclose(res.gini_jh[0, 1], 5 / 12, rtol=1e-15)
    assert_allclose(res.d[1, 0], 9 / 4, rtol=1e-15)
    assert_allclose(res.q[1, 0], 1 / 4, rtol=1e-15)
    assert_allclose(res.D[1, 0], 0.8, rtol=1e-15)
    assert_allclose(res.D[0, 1], -0.8, rtol=1e-15)
    assert_allclose(
        [res.gini, res.within, res.net_between, res.transvariation],
        [1 / 3, 1 / 8, 1 / 6, 1 / 24],
        rtol=1e-14,
    )
    assert_allclose(res.between, 1 / 6 + 1 / 24, rtol=1e-14)
    assert_allclose(res.shares, [3 / 8, 1 / 2, 1 / 8], rtol=1e-14)
    assert_allclose(res.within_jj, [1 / 24, 1 / 12], rtol=1e-14)
    assert_allclose(res.net_between_jh, [[0.0, 0.0], [1 / 6, 0.0]], atol=1e-16)
    assert_allclose(res.transvariation_jh, [[0.0, 0.0], [1 / 24, 0.0]], atol=1e-16)


def test_dagum_matches_the_double_loops_with_ties_singletons_and_zeros() -> None:
    rng = np.random.default_rng(2024)
    # whole numbers make ties within and across groups; group "z" is all zeros (its mean is
    # 0: G_zz = 0 rather than 0/0), group "one" has a single unit
    y = rng.integers(0, 12, 45).astype(float)
    groups = rng.choice(["a", "b", "c", "d"], 45).tolist()
    y = np.concatenate([y, [0.0, 0.0, 0.0, 5.0]])
    groups = [*groups, "z", "z", "z", "one"]
    res = I.dagum(y, groups)
    assert_matches_brute(res, brute_dagum(y.tolist(), groups))
    assert res.groups[0] == "z"  # the lowest mean comes first
    assert res.within_gini[0] == 0.0


def test_dagum_matches_the_double_loops_on_continuous_values() -> None:
    rng = np.random.default_rng(11)
    for n, g in ((30, 2), (60, 7), (25, 25)):
        y = rng.lognormal(0.0, 0.6, n)
        groups = rng.integers(0, g, n)
        groups[:g] = np.arange(g)  # every group present
        assert_matches_brute(I.dagum(y, groups), brute_dagum(y.tolist(), groups.tolist()))


def test_dagum_adds_up_to_the_gini_coefficient() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(2, 400))
        y = rng.gamma(2.0, 10.0, n)
        groups = rng.integers(0, int(rng.integers(1, 12)), n)
        res = I.dagum(y, groups)
        assert abs(res.within + res.net_between + res.transvariation - res.gini) <= 1e-12
        assert_allclose(res.gini, I.gini(y), rtol=1e-15)


def test_dagum_structure() -> None:
    rng = np.random.default_rng(5)
    y = rng.lognormal(size=200)
    res = I.dagum(y, rng.integers(0, 6, 200))
    assert (np.diff(res.mean) >= 0).all()
    assert_allclose(res.gini_jh, res.gini_jh.T, rtol=1e-15)
    assert_allclose(res.D, -res.D.T, atol=1e-15)
    assert (np.abs(res.D) <= 1 + 1e-15).all()
    assert (res.D[np.tril_indices(6, -1)] >= 0).all()  # the richer group is j
    # d - q = mu_j - mu_h (Dagum's identity for the first moments)
    assert_allclose(res.d - res.q, res.mean[:, None] - res.mean[None, :], atol=1e-12)
    assert_allclose(res.p.sum(), 1.0, rtol=1e-15)
    assert_allclose(res.s.sum(), 1.0, rtol=1e-15)
    assert (np.triu(res.net_between_jh) == 0).all()


def test_dagum_with_one_group_is_all_within() -> None:
    y = np.array([1.0, 4.0, 2.0, 9.0])
    res = I.dagum(y, ["x"] * 4)
    assert_allclose(res.within, I.gini(y), rtol=1e-15)
    assert res.net_between == 0.0
    assert res.transvariation == 0.0


def test_dagum_separated_groups_have_no_transvariation() -> None:
    # every value of B above every value of A: q_BA = 0, D_BA = 1, G_t = 0
    res = I.dagum([1.0, 2.0, 3.0, 10.0, 11.0, 12.0], [0, 0, 0, 1, 1, 1])
    assert res.D[1, 0] == 1.0
    assert res.transvariation == 0.0
    # identical groups: D = 0, all of the between part is transvariation
    res = I.dagum([1.0, 5.0, 1.0, 5.0], ["a", "a", "b", "b"])
    assert res.net_between == 0.0
    assert_allclose(res.transvariation, res.gini - res.within, rtol=1e-15)


def test_dagum_ties_add_exactly_nothing() -> None:
    # 0.1 is not exact in binary: a running sum 0.1 + 0.1 + 0.1 differs from 3 * 0.1 by an ulp,
    # so ties must not be taken as "smaller values" (they would leave noise of 1e-17 in G_jj
    # and a meaningless D_jh between two identical groups)
    assert I.gini([0.1] * 5) == 0.0
    assert I.gini([1 / 3] * 11) == 0.0
    res = I.dagum([0.1] * 5, ["a", "a", "a", "b", "b"])
    assert res.gini == 0.0
    assert (res.gini_jh == 0.0).all()
    assert (res.D == 0.0).all()
    assert res.net_between == 0.0
    assert res.transvariation == 0.0
    res = I.dagum([0.1, 0.3, 0.1, 0.3, 0.7], ["a", "a", "b", "b", "c"])
    assert res.D[1, 0] == 0.0  # a and b are the same distribution
    assert res.within_jj[2] == 0.0  # c has one unit


def test_dagum_orders_tied_means_by_label() -> None:
    res = I.dagum([1.0, 3.0, 2.0, 2.0], ["b", "b", "a", "a"])
    assert res.groups.tolist() == ["a", "b"]


def test_dagum_is_n_log_n_not_n_squared() -> None:
    # 400,000 units in 30 groups: the pairs would be 1.6e11 differences (hours, and 1.3 TB as
    # one array); the sort and the sweep take well under a second
    rng = np.random.default_rng(0)
    y = rng.lognormal(size=400_000)
    groups = rng.integers(0, 30, y.size)
    I.dagum(y[:100], groups[:100])  # numba's compilation (or cache load) outside the timing
    start = time.perf_counter()
    res = I.dagum(y, groups)
    assert time.perf_counter() - start < 10.0
    assert abs(res.within + res.net_between + res.transvariation - res.gini) < 1e-12


@pytest.mark.parametrize(
    ("groups", "match"),
    [
        (["a", "b"], r"one label per value of y \(3\)"),
        (["a", None, "b"], r"groups\[1\] is missing"),
        ([1.0, float("nan"), 2.0], r"groups\[1\] is missing"),
        ([1, "a", "b"], "cannot be sorted"),
    ],
)
def test_dagum_refuses_bad_groups(groups: list[Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        I.dagum([1.0, 2.0, 3.0], np.array(groups, dtype=object))


def test_dagum_refuses_negative_values() -> None:
    with pytest.raises(ValueError, match=r"dagum: y\[2\] is -1.0"):
        I.dagum([1.0, 2.0, -1.0], [0, 0, 1])


# --------------------------------------------------------------------------------------------
# Theil
# --------------------------------------------------------------------------------------------


def test_theil_of_mexico_is_pysals() -> None:
    # inequality/theil.py docstrings (Theil, TheilD on mexico.csv, hanson98 regions),
    # published to 8 decimals
    frame = pd.read_csv(MEXICO)
    T = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832]
    bg = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872]
    wg = [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496]
    for k, column in enumerate(DECADES):
        res = I.theil_t(frame[column].to_numpy(), frame["hanson98"].to_numpy())
        assert_allclose([res.total, res.between, res.within], [T[k], bg[k], wg[k]], atol=6e-9)


def test_theil_hand_worked() -> None:
    # y = 1, 3 (group A, mean 2) and 2, 6 (group B, mean 4); mu = 3.
    # T = (1/4) [(1/3) ln(1/3) + 1 ln 1 + (2/3) ln(2/3) + 2 ln 2]
    # s_A = 1/3, s_B = 2/3: T_b = (1/3) ln(2/3) + (2/3) ln(4/3)
    # T_A = (1/2) [(1/2) ln(1/2) + (3/2) ln(3/2)] = T_B (B is A doubled)
    # L = (1/4) [ln 3 + ln 1 + ln(3/2) + ln(1/2)] = (1/4) ln(9/4);
    # L_b = (1/2) ln(3/2) + (1/2) ln(3/4); L_A = (1/2)[ln 2 + ln(2/3)] = L_B
    ln = math.log
    T = (ln(1 / 3) / 3 + 2 / 3 * ln(2 / 3) + 2 * ln(2)) / 4
    Tb = ln(2 / 3) / 3 + 2 / 3 * ln(4 / 3)
    Tg = (0.5 * ln(0.5) + 1.5 * ln(1.5)) / 2
    res = I.theil_t([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    assert_allclose([res.total, res.between, res.within], [T, Tb, Tg], rtol=1e-14)
    assert_allclose(res.group_index, [Tg, Tg], rtol=1e-14)
    assert_allclose(res.weight, [1 / 3, 2 / 3], rtol=1e-15)
    Lg = (ln(2) + ln(2 / 3)) / 2
    res = I.theil_l([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    assert_allclose(res.total, ln(9 / 4) / 4, rtol=1e-14)
    assert_allclose(res.between, 0.5 * ln(1.5) + 0.5 * ln(0.75), rtol=1e-14)
    assert_allclose(res.group_index, [Lg, Lg], rtol=1e-14)
    assert_allclose(res.weight, [0.5, 0.5])


def test_theil_matches_the_loops_and_adds_up() -> None:
    rng = np.random.default_rng(19)
    for n, g in ((3, 2), (50, 4), (80, 9)):
        y = rng.lognormal(0.0, 0.8, n)
        groups = rng.integers(0, g, n)
        groups[:g] = np.arange(g)
        ref = brute_theil(y.tolist(), groups.tolist())
        t, ell = I.theil_t(y, groups), I.theil_l(y, groups)
        assert_allclose([t.total, t.between, t.within], [ref["T"], ref["Tb"], ref["Tw"]],
                        rtol=1e-12, atol=1e-16)  # fmt: skip
        assert_allclose([ell.total, ell.between, ell.within], [ref["L"], ref["Lb"], ref["Lw"]],
                        rtol=1e-12, atol=1e-16)  # fmt: skip
        assert abs(t.between + t.within - t.total) < 1e-14
        assert abs(ell.between + ell.within - ell.total) < 1e-14
        assert_allclose(t.between_g.sum(), t.between, rtol=1e-15)
        assert_allclose(ell.within_g.sum(), ell.within, rtol=1e-15)


def test_theil_of_equal_values_is_zero() -> None:
    assert I.theil_t([3.0] * 5).total == 0.0
    assert I.theil_l([3.0] * 5).total == 0.0
    res = I.theil_t([3.0] * 4, [0, 0, 1, 1])
    assert (res.total, res.between, res.within) == (0.0, 0.0, 0.0)
    assert all(math.isnan(v) for v in res.shares)


def test_theil_without_groups_is_one_group() -> None:
    res = I.theil_t([1.0, 2.0, 4.0])
    assert res.groups.tolist() == [0]
    assert res.between == 0.0
    assert_allclose(res.within, res.total, rtol=1e-15)


@pytest.mark.parametrize("func", [I.theil_t, I.theil_l])
def test_theil_needs_positive_values_and_names_the_position(func: Any) -> None:
    with pytest.raises(ValueError, match=r"y\[1\] is 0.0.*> 0"):
        func([1.0, 0.0, 2.0])
