"""Entropy weights + TOPSIS + full competition ranking: kaoping against its peers.

Each implementation runs in its own fresh process on the same seeded matrix (log-normal values,
30% of the criteria negative), so that peak memory is measured cleanly: the process generates
the matrix, runs the pipeline once to warm up (imports, numba compilation), resets the kernel's
peak-RSS counter (``/proc/self/clear_refs``), then times ``repeat`` runs.  Reported per size:
median seconds, the ratio to kaoping, and peak memory as a multiple of the input matrix
(resident input + the largest extra resident memory seen during the runs, over the input size).

Implementations
---------------
kaoping        kaoping.methods: weights.entropy -> aggregate.topsis -> rank.competition
numpy          the same formulas (METHODS.md) in plain, idiomatic NumPy with full-size temporaries
skcriteria     scikit-criteria: EntropyWeighter, VectorScaler, TOPSIS (its own entropy variant)
pymcdm         pymcdm: entropy_weights, TOPSIS(vector normalisation), validation off, rankdata
one pass       the floor: ``X.sum()``, one read of the matrix

Run: ``make bench`` or ``python benchmarks/bench_entropy_topsis.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from _memory import reset_peak, status_kib

SIZES = [(3_000, 100), (100_000, 50), (1_000_000, 20)]
QUICK_SIZES = [(3_000, 100), (100_000, 50)]
IMPLEMENTATIONS = ["kaoping", "numpy", "skcriteria", "pymcdm", "one pass"]
REPEATS = {3_000: 50, 100_000: 15, 1_000_000: 7}


def make_matrix(n: int, m: int, seed: int = 20261129) -> tuple[np.ndarray, np.ndarray]:
    """Seeded log-normal n x m matrix and directions with 30% negative criteria."""
    rng = np.random.default_rng(seed)
    X = rng.lognormal(mean=0.0, sigma=1.0, size=(n, m))
    directions = np.ones(m)
    directions[rng.permutation(m)[: round(0.3 * m)]] = -1.0
    return X, directions


# --- the implementations -------------------------------------------------------------------


def run_kaoping(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    from kaoping.methods import aggregate, rank, weights

    w = weights.entropy(X, d)
    scores = aggregate.topsis(X, w, d)
    return rank.competition(scores)


def run_numpy(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    n = X.shape[0]
    mn, mx = X.min(axis=0), X.max(axis=0)
    Y = (X - mn) / (mx - mn)
    Y[:, d < 0] = 1.0 - Y[:, d < 0]
    P = Y / Y.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    w = (1.0 - e) / (1.0 - e).sum()
    V = X / np.sqrt((X**2).sum(axis=0)) * w
    best = np.where(d > 0, V.max(axis=0), V.min(axis=0))
    worst = np.where(d > 0, V.min(axis=0), V.max(axis=0))
    d_plus = np.sqrt(((V - best) ** 2).sum(axis=1))
    d_minus = np.sqrt(((V - worst) ** 2).sum(axis=1))
    scores = d_minus / (d_plus + d_minus)
    neg_sorted = np.sort(-scores, kind="stable")
    return np.searchsorted(neg_sorted, -scores, side="left") + 1.0


def run_skcriteria(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    import skcriteria as skc
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.preprocessing.scalers import VectorScaler
    from skcriteria.preprocessing.weighters import EntropyWeighter

    dm = skc.mkdm(X, objectives=np.where(d > 0, max, min).tolist())
    dm = EntropyWeighter().transform(dm)
    dm = VectorScaler(target="matrix").transform(dm)
    return np.asarray(TOPSIS().evaluate(dm).rank_, dtype=float)


def run_pymcdm(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    from pymcdm.helpers import rankdata
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from pymcdm.weights import entropy_weights

    w = entropy_weights(X)
    scores = TOPSIS(normalization_function=vector_normalization)(X, w, d, validation=False)
    return np.asarray(rankdata(scores, reverse=True), dtype=float)


def run_one_pass(X: np.ndarray, d: np.ndarray) -> float:
    return float(X.sum())


RUNNERS: dict[str, Callable[[np.ndarray, np.ndarray], Any]] = {
    "kaoping": run_kaoping,
    "numpy": run_numpy,
    "skcriteria": run_skcriteria,
    "pymcdm": run_pymcdm,
    "one pass": run_one_pass,
}


# --- measuring in a child process ----------------------------------------------------------


def child(impl: str, n: int, m: int, repeat: int) -> dict[str, Any]:
    import gc
    import warnings

    warnings.simplefilter("ignore")
    X, d = make_matrix(n, m)
    runner = RUNNERS[impl]
    runner(X, d)  # warm-up: imports, numba compilation, caches
    gc.collect()
    reset = reset_peak()
    base_kib = status_kib("VmRSS")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        runner(X, d)
        times.append(time.perf_counter() - t0)
    peak_kib = status_kib("VmHWM")
    extra = max(0, peak_kib - base_kib) * 1024 if reset else float("nan")
    return {
        "impl": impl,
        "median": float(np.median(times)),
        "peak_ratio": (X.nbytes + extra) / X.nbytes,
    }


def measure(impl: str, n: int, m: int, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", impl, str(n), str(m), str(repeat)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=3600)
    if out.returncode != 0:
        return {"impl": impl, "error": out.stderr.strip().splitlines()[-1:] or ["failed"]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000 x 20 size")
    parser.add_argument(
        "--child", nargs=4, metavar=("IMPL", "N", "M", "REPEAT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        impl, n, m, repeat = args.child
        print(json.dumps(child(impl, int(n), int(m), int(repeat))))
        return 0

    goal_failed = False
    print(f"entropy weights + TOPSIS + competition ranking; {os.cpu_count()} cores; medians")
    for n, m in QUICK_SIZES if args.quick else SIZES:
        repeat = REPEATS[n]
        print(f"\n== {n:,} x {m}  (input {n * m * 8 / 2**20:.0f} MiB, {repeat} runs each)")
        results = {impl: measure(impl, n, m, repeat) for impl in IMPLEMENTATIONS}
        ours = results["kaoping"].get("median")
        header = f"{'implementation':<12} {'median s':>10} {'x kaoping':>10} {'peak/input':>11}"
        print(header)
        print("-" * len(header))
        for impl, r in results.items():
            if "error" in r:
                print(f"{impl:<12} failed: {r['error'][0]}")
                continue
            ratio = r["median"] / ours if ours else float("nan")
            print(f"{impl:<12} {r['median']:>10.4f} {ratio:>10.2f} {r['peak_ratio']:>11.2f}")
        if ours is None:
            goal_failed = True
            continue
        peers = [results[p]["median"] for p in ("skcriteria", "pymcdm") if "median" in results[p]]
        speedup = min(peers) / ours if peers else float("nan")
        floor = ours / results["one pass"]["median"]
        peak = results["kaoping"]["peak_ratio"]
        ok = speedup >= 15 and floor <= 25 and peak < 2.5
        goal_failed |= not ok
        print(
            f"goal: >=15x the fastest peer: {speedup:.1f}x; <=25x one pass: {floor:.1f}x; "
            f"peak < 2.5x input: {peak:.2f}x -> {'met' if ok else 'NOT MET'}"
        )
    return 1 if goal_failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
