"""Moran's I with 999 permutations for 3,000 units: kaoping against esda and plain NumPy.

The units are the cells of a 50 x 60 lattice with queen contiguity, row-standardised
(libpysal's ``lat2W``); the values a seeded smooth random field (a sum of a trend and noise),
so that I is clearly positive.  Timed in one process, after one warm-up run of each
implementation (imports, caches; esda's local statistic also compiles numba kernels on its first
call, reported separately); medians of repeated runs and the ratio to kaoping.

Global Moran's I with the permutation pseudo p-value (M = 999)
  kaoping      kaoping.analysis.spatial.moran (esda.Moran for I and its moments, the
               permutations drawn in blocks and lagged by one sparse product per block)
  esda         esda.Moran(y, w, permutations=999): one NumPy shuffle and sparse lag per
               permutation, from NumPy's global random state
  numpy        the straightforward computation: for each permutation, shuffle z and compute
               n / S0 * z'Wz / z'z with the sparse W (scipy.sparse CSR)

Local Moran with conditional permutations (M = 999), for reference
  kaoping      kaoping.analysis.spatial.local_moran
  esda         esda.Moran_Local(y, w, permutations=999, seed=..., alternative="directed")

The goal printed: kaoping's global test no slower than the straightforward NumPy loop (the
script exits 1 otherwise).  All three agree on I exactly and on the pseudo p-value within
Monte Carlo error (printed).

Run: ``python benchmarks/bench_spatial.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

ROWS, COLS = 50, 60
PERMUTATIONS = 999


def make_data(seed: int = 20261204) -> tuple[Any, Any, np.ndarray]:
    """The lattice W (row-standardised, ids the unit codes 00000..02999, as a user's W would
    be) and a seeded field with a trend, as a labelled Series and as an array."""
    import pandas as pd
    from libpysal.weights import W, lat2W

    rng = np.random.default_rng(seed)
    lattice = lat2W(ROWS, COLS, rook=False)
    codes = [f"{k:05d}" for k in range(ROWS * COLS)]  # unit codes, in the lattice's order
    neighbors = {codes[i]: [codes[j] for j in lattice.neighbors[i]] for i in range(len(codes))}
    w = W(neighbors, id_order=codes, silence_warnings=True)
    w.transform = "r"
    rows, cols = np.divmod(np.arange(ROWS * COLS), COLS)
    y = 0.02 * rows + 0.01 * cols + rng.normal(size=ROWS * COLS)
    return w, pd.Series(y, index=codes), y


def run_kaoping(w: Any, series: Any, y: np.ndarray) -> tuple[float, float]:
    from kaoping.analysis.spatial import moran

    result = moran(series, w, permutations=PERMUTATIONS, rng=1)
    return result.moran_i, float(result.p_sim or np.nan)


def run_esda(w: Any, series: Any, y: np.ndarray) -> tuple[float, float]:
    import esda

    np.random.seed(1)  # noqa: NPY002 - esda.Moran draws from NumPy's global state
    result = esda.Moran(y, w, permutations=PERMUTATIONS)
    return float(result.I), float(result.p_sim)


def run_numpy(w: Any, series: Any, y: np.ndarray) -> tuple[float, float]:
    matrix = w.sparse.tocsr()
    n = y.size
    z = y - y.mean()
    scale = n / (matrix.sum() * (z @ z))
    observed = scale * (z @ (matrix @ z))
    rng = np.random.default_rng(1)
    simulated = np.empty(PERMUTATIONS)
    for m in range(PERMUTATIONS):
        shuffled = rng.permutation(z)
        simulated[m] = scale * (shuffled @ (matrix @ shuffled))
    above = int(np.sum(simulated >= observed))
    k = min(above, PERMUTATIONS - above)
    return float(observed), (k + 1) / (PERMUTATIONS + 1)


def run_local_kaoping(w: Any, series: Any, y: np.ndarray) -> int:
    from kaoping.analysis.spatial import local_moran

    return int(local_moran(series, w, permutations=PERMUTATIONS, rng=1).table["significant"].sum())


def run_local_esda(w: Any, series: Any, y: np.ndarray) -> int:
    import esda

    result = esda.Moran_Local(y, w, permutations=PERMUTATIONS, seed=1, alternative="directed")
    return int((result.p_sim < 0.05).sum())


GLOBAL: dict[str, Callable[..., Any]] = {
    "kaoping": run_kaoping,
    "esda": run_esda,
    "numpy": run_numpy,
}
LOCAL: dict[str, Callable[..., Any]] = {"kaoping": run_local_kaoping, "esda": run_local_esda}


def timed(fn: Callable[..., Any], args: tuple[Any, ...], repeat: int) -> tuple[float, float, Any]:
    """First-call seconds, median seconds of ``repeat`` further calls, and the last answer."""
    t0 = time.perf_counter()
    answer = fn(*args)
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        answer = fn(*args)
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times), answer


def table(
    title: str, runners: dict[str, Callable[..., Any]], args: tuple[Any, ...], repeat: int
) -> dict[str, float]:
    print(f"\n== {title}  ({repeat} runs each after a first call)")
    header = f"{'implementation':<14} {'first s':>9} {'median s':>10} {'x kaoping':>10}  answer"
    print(header)
    print("-" * len(header))
    medians: dict[str, float] = {}
    rows = []
    for name, fn in runners.items():
        first, median, answer = timed(fn, args, repeat)
        medians[name] = median
        rows.append((name, first, median, answer))
    ours = medians["kaoping"]
    for name, first, median, answer in rows:
        shown = (
            f"I = {answer[0]:.6f}, p = {answer[1]:.4f}"
            if isinstance(answer, tuple)
            else f"{answer} units with p < 0.05"
        )
        print(f"{name:<14} {first:>9.3f} {median:>10.4f} {median / ours:>10.2f}  {shown}")
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no local statistic")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    repeat = 3 if args.quick else 9
    w, series, y = make_data()
    print(
        f"Moran's I, {ROWS} x {COLS} = {ROWS * COLS:,} units, queen contiguity, "
        f"{PERMUTATIONS} permutations; {os.cpu_count()} cores; medians"
    )
    medians = table("global Moran's I with its pseudo p-value", GLOBAL, (w, series, y), repeat)
    if not args.quick:
        table("local Moran (LISA), conditional permutations", LOCAL, (w, series, y), 3)
    ratio = medians["numpy"] / medians["kaoping"]
    ok = ratio >= 1.0
    print(
        f"\ngoal: kaoping's global test no slower than the NumPy loop: {ratio:.1f}x "
        f"-> {'met' if ok else 'NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
