"""The plain batched NumPy version of ``bench_uncertainty.py``'s Monte Carlo, as a script.

``python benchmarks/plain_uncertainty.py data.csv -n 10000 --seed 1`` reads the benchmark's wide
CSV (``code,period,x001,…,x100``: one row per unit) with ``np.loadtxt``, draws the weights,
scores and ranks every sample, and prints per unit the median, 5th and 95th percentile rank and
P(第一方阵) as JSON on stdout: what someone would write with NumPy alone, the script
``kaoping uncertainty`` is measured against end to end.  ``bench_uncertainty.py`` also times
:func:`run_numpy` in-process (the computation alone).

The tree is the benchmark's: 5 dimensions of 20 positive indicators, min-max normalisation,
equal nominal weights, arithmetic mean; the weights are a Dirichlet draw per level (top level
over the dimensions, then within each dimension, concentration 100 shared out over the
children, as kaoping's ``--concentration``), multiplied down to effective indicator weights.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

N_DIMS = 5
PER_DIM = 20
N_INDICATORS = N_DIMS * PER_DIM
FIRST_TIER = 300  # 第一方阵 = rank <= 300
CONCENTRATION = 100.0
CHUNK = 512  # samples scored and ranked at once


def minmax(X: np.ndarray) -> np.ndarray:
    mn, mx = X.min(axis=0), X.max(axis=0)
    Y: np.ndarray = (X - mn) / (mx - mn)
    return Y


def dirichlet_weights(gen: np.random.Generator, k: int) -> np.ndarray:
    """Effective indicator weights (k, m): a Dirichlet draw per level, multiplied down."""
    top = gen.dirichlet(np.full(N_DIMS, CONCENTRATION / N_DIMS), size=k)
    W = np.empty((k, N_INDICATORS))
    for d in range(N_DIMS):
        inner = gen.dirichlet(np.full(PER_DIM, CONCENTRATION / PER_DIM), size=k)
        W[:, d * PER_DIM : (d + 1) * PER_DIM] = top[:, d : d + 1] * inner
    return W


def run_numpy(X: np.ndarray, n: int, seed: int) -> dict[str, np.ndarray]:
    """Rank quantiles (median, p05, p95; inverted CDF, kaoping's definition) and P(第一方阵) of
    each unit over ``n`` weight samples: every sample's ranks stored (n x units)."""
    gen = np.random.default_rng(seed)
    Y = minmax(X)
    units = Y.shape[0]
    positions = np.arange(1, units + 1)[np.newaxis, :]
    ranks = np.empty((n, units), dtype=np.int64)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        scores = dirichlet_weights(gen, stop - start) @ Y.T
        order = np.argsort(-scores, axis=1)
        np.put_along_axis(ranks[start:stop], order, positions, axis=1)
    median, p05, p95 = np.percentile(ranks, [50, 5, 95], axis=0, method="inverted_cdf")
    first = (ranks <= FIRST_TIER).mean(axis=0)
    return {"median": median, "p05": p05, "p95": p95, "first": first}


def read_wide_csv(path: str) -> tuple[list[str], np.ndarray]:
    """Unit codes (first column) and the indicator values (third column on) of the CSV."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    codes = [line.partition(",")[0] for line in lines[1:]]
    columns = range(2, len(lines[0].split(",")))
    return codes, np.loadtxt(lines[1:], delimiter=",", usecols=columns, ndmin=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="the benchmark's wide CSV")
    parser.add_argument("-n", "--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    codes, X = read_wide_csv(args.data)
    out = run_numpy(X, args.samples, args.seed)
    units = [
        {
            "unit": code,
            "median_rank": float(out["median"][i]),
            "p05": float(out["p05"][i]),
            "p95": float(out["p95"][i]),
            "tier_probabilities": {"第一方阵": float(out["first"][i])},
        }
        for i, code in enumerate(codes)
    ]
    json.dump({"units": units}, sys.stdout, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
