"""Dagum's Gini decomposition for 3,000 units in 30 groups over 10 periods: kaoping vs plain NumPy.

The size of issue 19: seeded log-normal scores (a level per group, a drift per period), 3,000
units in 30 groups of unequal size, 10 periods.  Timed in one process, each implementation
once to warm up (imports, numba's cache) and then ``repeat`` times; the table shows the best
and the median run and the ratio of the plain version's best to kaoping's (the minimum is the
estimate of what the code costs on a shared machine: interference only adds time).

Implementations
---------------
kaoping        ``kaoping.methods.inequality.dagum`` per period: one sort, one O(n g) sweep for
               every pair of groups (G, G_w, G_nb, G_t, G_jj, G_jh, d_jh, q_jh, D_jh)
panel          ``kaoping.analysis.inequality.inequality_panel``: the same plus Theil T and L
               with their decompositions, the CV and the labelled tables (pandas), per period
plain NumPy    the straightforward computation: for every pair of groups (j, h) the matrix of
               differences y_ji - y_hr by broadcasting, |.| summed for G_jh (and G_jj), its
               positive and negative parts averaged for d_jh and q_jh; then the same weights

The two must agree (G, G_w, G_nb, G_t and every G_jh, d_jh, D_jh to 1e-12, absolute); the script
prints the largest difference and exits 1 if they do not, or if kaoping is not faster.

Run: ``python benchmarks/bench_inequality.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

UNITS, GROUPS, PERIODS = 3_000, 30, 10
TOLERANCE = 1e-12


def make_data(seed: int = 20261203) -> tuple[np.ndarray, np.ndarray]:
    """Scores (units x periods) > 0 and each unit's group (0..29, unequal sizes)."""
    rng = np.random.default_rng(seed)
    share = rng.dirichlet(np.full(GROUPS, 3.0))
    groups = rng.choice(GROUPS, size=UNITS, p=share)
    groups[:GROUPS] = np.arange(GROUPS)  # every group present
    level = rng.normal(0.0, 0.3, GROUPS)[groups]
    drift = np.linspace(0.0, 0.2, PERIODS)
    scores = np.exp(level[:, None] + drift[None, :] + rng.normal(0.0, 0.4, (UNITS, PERIODS)))
    return scores, groups


# --- the implementations ---------------------------------------------------------------------


def run_kaoping(scores: np.ndarray, groups: np.ndarray) -> list[dict[str, Any]]:
    from kaoping.methods.inequality import dagum

    out = []
    for t in range(scores.shape[1]):
        r = dagum(scores[:, t], groups)
        out.append({"G": r.gini, "Gw": r.within, "Gnb": r.net_between, "Gt": r.transvariation,
                    "Gjh": r.gini_jh, "d": r.d, "D": r.D, "labels": r.groups})  # fmt: skip
    return out


def run_panel(frame: pd.DataFrame, groups: pd.Series) -> Any:
    from kaoping.analysis.inequality import inequality_panel

    return inequality_panel(frame, groups)


def run_plain(scores: np.ndarray, groups: np.ndarray) -> list[dict[str, Any]]:
    """METHODS.md's formulas with every pair of units of every pair of groups formed."""
    out = []
    for t in range(scores.shape[1]):
        y = scores[:, t]
        n, mu = y.size, y.mean()
        members = [y[groups == k] for k in range(GROUPS)]
        order = np.argsort([m.mean() for m in members], kind="stable")  # Dagum: by mean
        members = [members[k] for k in order]
        nj = np.array([m.size for m in members], dtype=float)
        mj = np.array([m.mean() for m in members])
        p, s = nj / n, nj * mj / (n * mu)
        Gjh = np.zeros((GROUPS, GROUPS))
        d = np.zeros((GROUPS, GROUPS))
        all_pairs = 0.0
        for j in range(GROUPS):
            for h in range(GROUPS):
                diff = members[j][:, None] - members[h][None, :]
                total = np.abs(diff).sum()
                all_pairs += total
                if j == h:
                    Gjh[j, h] = total / (2 * nj[j] ** 2 * mj[j])
                else:
                    Gjh[j, h] = total / (nj[j] * nj[h] * (mj[j] + mj[h]))
                d[j, h] = np.maximum(diff, 0.0).mean()
        q = d.T
        D = (d - q) / (d + q)
        np.fill_diagonal(D, 0.0)
        Gw = float((np.diag(Gjh) * p * s).sum())
        lower = np.tril(np.ones((GROUPS, GROUPS), dtype=bool), k=-1)
        pair = Gjh * (np.outer(p, s) + np.outer(s, p))
        Gnb = float((pair * D)[lower].sum())
        Gt = float((pair * (1 - D))[lower].sum())
        G = float(all_pairs / (2 * n * n * mu))  # every pair of units, from the group pairs
        out.append({"G": G, "Gw": Gw, "Gnb": Gnb, "Gt": Gt, "Gjh": Gjh, "d": d, "D": D,
                    "labels": order})  # fmt: skip
    return out


# --- timing -----------------------------------------------------------------------------------


def timed(fn: Callable[..., Any], *args: Any, repeat: int) -> tuple[float, float, Any]:
    result = fn(*args)  # warm-up: imports, numba's cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def largest_difference(ours: list[dict[str, Any]], plain: list[dict[str, Any]]) -> float:
    worst = 0.0
    for a, b in zip(ours, plain, strict=True):
        assert np.array_equal(a["labels"], b["labels"]), "groups ordered differently"
        for key in ("G", "Gw", "Gnb", "Gt", "Gjh", "d", "D"):
            worst = max(worst, float(np.max(np.abs(np.asarray(a[key]) - np.asarray(b[key])))))
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat_fast, repeat_plain = (5, 2) if args.quick else (30, 5)
    scores, groups = make_data()
    frame = pd.DataFrame(
        scores,
        index=pd.Index([f"{410000 + i:06d}" for i in range(UNITS)], name="unit"),
        columns=[str(2015 + t) for t in range(PERIODS)],
    )
    labels = pd.Series([f"g{k:02d}" for k in groups], index=frame.index)

    k_best, k_med, ours = timed(run_kaoping, scores, groups, repeat=repeat_fast)
    p_best, p_med, _ = timed(run_panel, frame, labels, repeat=repeat_fast)
    n_best, n_med, plain = timed(run_plain, scores, groups, repeat=repeat_plain)
    worst = largest_difference(ours, plain)

    print(
        f"Dagum Gini decomposition, {UNITS:,} units in {GROUPS} groups x {PERIODS} periods; "
        "best and median of the timed runs"
    )
    header = f"{'implementation':<46} {'best':>10} {'median':>10} {'plain best / best':>18}"
    print(header)
    print("-" * len(header))
    rows = [
        ("kaoping dagum (kernel)", k_best, k_med),
        ("kaoping inequality_panel (+ Theil, CV, tables)", p_best, p_med),
        ("plain NumPy (pairwise, per pair of groups)", n_best, n_med),
    ]
    for name, best, med in rows:
        print(f"{name:<46} {best * 1e3:>8.1f}ms {med * 1e3:>8.1f}ms {n_best / best:>17.1f}x")
    agree = worst <= TOLERANCE
    print(
        f"agreement (G, G_w, G_nb, G_t, G_jh, d_jh, D_jh): largest difference {worst:.2e} "
        f"({'ok' if agree else 'DISAGREE'}, tolerance {TOLERANCE:g})"
    )
    faster = k_best < n_best
    print(f"kaoping {n_best / k_best:.1f}x the plain version: {'met' if faster else 'MISSED'}")
    return 0 if agree and faster else 1


if __name__ == "__main__":
    sys.exit(main())
