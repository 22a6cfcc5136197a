"""The plain version of ``kaoping assess DATA.csv -m M.yaml -p 2024 -o OUT.csv`` at scale.

What a careful analyst would write without kaoping: read the wide CSV with pandas (a ``代码``
column and one column per indicator), take the indicators and their directions from the
methodology YAML, compute entropy weights, TOPSIS with vector normalisation and competition
ranks in NumPy (the formulas of METHODS.md, as ``bench_entropy_topsis.run_numpy``), and write
code, score and rank in rank order with ``DataFrame.to_csv``.  ``bench_scale.py`` runs it as a
subprocess beside the ``kaoping`` command and checks that both give the same ranks.

The score is TOPSIS's closeness x 100, as kaoping reports it.  Ties follow METHODS.md's rule
(scores equal within 1e-9 relative are tied), applied between neighbours in the sorted order;
kaoping compares with the first score of a tie group, which differs only for a chain of three
or more scores each within 1e-9 of the next but not of the first (none in the benchmark's
data).

Run: ``python benchmarks/plain_scale.py DATA.csv METHODOLOGY.yaml OUT.csv``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np
import pandas as pd
import yaml

RTOL = 1e-9  # METHODS.md: scores equal within 1e-9 relative are ties


def indicators(methodology: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    """The indicator ids and directions (+1 positive, -1 negative) of a one-level YAML."""
    items = [i for dim in methodology["dimensions"] for i in dim["indicators"]]
    ids = [str(i["id"]) for i in items]
    d = np.array([-1.0 if i.get("direction") == "negative" else 1.0 for i in items])
    return ids, d


def entropy_topsis(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Entropy weights on the min-max matrix, then TOPSIS closeness (vector normalisation)."""
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
    return np.asarray(d_minus / (d_plus + d_minus))


def ranked(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rank order (best first) and the competition rank of each unit in that order."""
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    gap = s[:-1] - s[1:]
    tied = gap <= RTOL * np.maximum(np.abs(s[:-1]), np.abs(s[1:]))
    start = np.where(np.concatenate([[False], tied]), 0, np.arange(s.size))
    return order, np.maximum.accumulate(start) + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data")
    parser.add_argument("methodology")
    parser.add_argument("output")
    args = parser.parse_args(argv)
    with open(args.methodology, encoding="utf-8") as fh:
        ids, d = indicators(yaml.safe_load(fh))
    frame = pd.read_csv(args.data, dtype={"代码": str})
    X = frame[ids].to_numpy(dtype=float)
    scores = 100.0 * entropy_topsis(X, d)
    order, ranks = ranked(scores)
    out = pd.DataFrame(
        {"代码": frame["代码"].to_numpy()[order], "综合得分": scores[order], "排名": ranks}
    )
    out.to_csv(args.output, index=False, encoding="utf-8-sig")
    return 0


if __name__ == "__main__":
    sys.exit(main())
