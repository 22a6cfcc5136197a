"""Monte Carlo rank uncertainty: kaoping.analysis.uncertainty against a plain batched NumPy version.

The goal, from the issue:

    3,000 units x 100 indicators in 5 dimensions (20 indicators each, all positive, seeded
    log-normal values, min-max normalisation, fixed equal weights, arithmetic aggregation,
    tiers 第一方阵 = rank <= 300 and the rest), N = 10,000 weight samples (Dirichlet per level,
    concentration 100), rank percentiles (median, 5th, 95th) and tier probabilities [...]
    "at least 2x faster than the plain batched version, within 6x of the matrix-product floor,
    peak memory under 1 GiB, and the CLI end to end no slower than the plain version's
    computation alone".

Each implementation runs in its own fresh process on the same seeded data, so that peak memory
is measured cleanly: the process builds its inputs, warms up once (imports, numba compilation,
caches), resets the kernel's peak-RSS counter (``/proc/self/clear_refs``), then times
``repeat`` runs.  Reported: the best (shortest) and the median time, the ratio of the best to
kaoping's best, the peak resident memory of the process during the timed runs and the part of
it above the resident size before them.  The goals are judged on the best runs, the same
statistic for every implementation: on a shared machine interference only ever adds time, so
the minimum is the estimate of what the code costs (the reasoning of Python's ``timeit``) --
the medians here moved by up to 60% between runs of the same code, the minima much less.

Implementations
---------------
kaoping   ``uncertainty(methodology, panel, n=N, rng=1)``: the methodology from
          ``kaoping.methodology.loads``, the Panel from a long DataFrame, both built outside
          the timing; warm-up call with n=600 (numba compilation).
numpy     the same computation in plain batched NumPy (``plain_uncertainty.run_numpy``):
          min-max matrix Y once; per chunk of 512 samples, Dirichlet weights per level ->
          effective weights W, scores W @ Y.T, ranks by argsort + scatter; every sample's
          ranks stored (N x 3,000), then ``np.percentile`` (inverted CDF, kaoping's
          definition) and the mean of rank <= 300.
floor     the matrix product alone: all N samples' scores W @ Y.T, in the same chunks
          (weights drawn beforehand).
cli       ``kaoping uncertainty data.csv -m methodology.yaml -n N --seed 1 --json`` end to end
          in a subprocess, start-up and CSV reading included (a wide CSV and the YAML written
          to a temporary folder; one untimed run with -n 600 first, as for kaoping: numba's
          on-disk cache).  The environment is the one installed (``make bench`` syncs it:
          bytecode compiled at install, PYTHONDONTWRITEBYTECODE as the user has it), so
          start-up is what a user sees.  Its peak is the largest resident size of the CLI
          processes.
cli-1     the same command with -n 1: what the CLI costs before the first sample.
numpy-cli ``python benchmarks/plain_uncertainty.py data.csv -n N --seed 1`` end to end in a
          subprocess from the same CSV, the same environment: the plain NumPy version as a
          script (``np.loadtxt``, :func:`run_numpy`, JSON on stdout).  The goal: ``cli`` no
          slower than it.
salib     SALib's Sobol' estimators (``SALib.analyze.sobol.analyze``, first and total
          order, 100 bootstrap resamples) on a Saltelli run (``SALib.sample.sobol``, base
          N = 1,024) over 4 inputs, for ONE output; the time for 3,000 outputs is estimated
          as that time x 3,000 (SALib takes one output per call).
jansen    kaoping's ``kaoping.analysis.sobol.jansen`` (100 bootstrap replicates) on the same
          design for all 3,000 outputs at once.

The Sobol' model outputs are the ranks of the 3,000 units under dimension weights built from
the 4 coordinates (0.5 + u_i for four dimensions, 1 for the fifth, rescaled), computed once
outside the timing: only the estimators are timed.  SALib's first-order estimator is Saltelli
et al. (2010), kaoping's Jansen's, so the numbers differ by Monte Carlo error.

Run: ``make bench`` or ``python benchmarks/bench_uncertainty.py [--quick]`` (``--quick``:
N = 2,000 for a smoke test; the goals are still checked, at that N).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from _memory import reset_peak, status_kib
from plain_uncertainty import (
    CHUNK,
    CONCENTRATION,
    FIRST_TIER,
    N_DIMS,
    N_INDICATORS,
    PER_DIM,
    dirichlet_weights,
    minmax,
    run_numpy,
)

N_UNITS = 3_000
SAMPLES = 10_000
QUICK_SAMPLES = 2_000
WARMUP_SAMPLES = 600
SEED = 20261129  # the data and the Sobol' design
RNG = 1  # the Monte Carlo seed (rng=1, --seed 1)
SOBOL_INPUTS = 4
SOBOL_BASE = 1_024  # a power of 2, as SALib's Sobol' sequence wants
N_BOOT = 100  # SALib's default num_resamples
MAIN = ["kaoping", "numpy", "floor", "cli", "cli-1", "numpy-cli"]
REPEATS = {
    "kaoping": 5,
    "numpy": 5,
    "floor": 7,
    "cli": 5,
    "cli-1": 5,
    "numpy-cli": 5,
    "salib": 15,
    "jansen": 3,
}
PLAIN = Path(__file__).with_name("plain_uncertainty.py")
GIB_MIB = 1024.0


def make_values(seed: int = SEED) -> np.ndarray:
    """Seeded log-normal 3,000 x 100 matrix (all indicators positive)."""
    rng = np.random.default_rng(seed)
    return rng.lognormal(mean=0.0, sigma=1.0, size=(N_UNITS, N_INDICATORS))


def unit_codes() -> list[str]:
    return [str(100001 + i) for i in range(N_UNITS)]


def indicator_ids() -> list[str]:
    return [f"x{j + 1:03d}" for j in range(N_INDICATORS)]


def methodology_yaml() -> str:
    """5 dimensions x 20 positive indicators, min-max, fixed equal weights, arithmetic mean."""
    ids = indicator_ids()
    lines = [
        "id: bench_uncertainty",
        "name: 不确定性分析基准",
        "normalization: {method: minmax}",
        "weighting: fixed",
        "aggregation: arithmetic",
        f"tiers: [{{name: 第一方阵, max_rank: {FIRST_TIER}}}, {{name: 其余}}]",
        "dimensions:",
    ]
    for d in range(N_DIMS):
        lines += [f"  - id: d{d + 1}", f"    name: 维度{d + 1}", "    indicators:"]
        for ident in ids[d * PER_DIM : (d + 1) * PER_DIM]:
            lines.append(f"      - {{id: {ident}, name: 指标{ident[1:]}, direction: positive}}")
    return "\n".join(lines) + "\n"


# --- the matrix-product floor (the plain batched NumPy version: plain_uncertainty.py) ------


def run_floor(Y: np.ndarray, W: np.ndarray) -> float:
    total = 0.0
    for start in range(0, W.shape[0], CHUNK):
        scores = W[start : start + CHUNK] @ Y.T
        total += float(scores[0, 0])
    return total


# --- the Sobol' model: ranks of the units under weights built from 4 coordinates ----------


def sobol_problem() -> dict[str, Any]:
    return {
        "num_vars": SOBOL_INPUTS,
        "names": [f"u{i + 1}" for i in range(SOBOL_INPUTS)],
        "bounds": [[0.0, 1.0]] * SOBOL_INPUTS,
    }


def sobol_outputs(X: np.ndarray) -> np.ndarray:
    """SALib's Saltelli design (rows A, AB_1..AB_4, B per base sample) -> ranks (rows, units)."""
    from SALib.sample import sobol as sobol_sample

    design = sobol_sample.sample(sobol_problem(), SOBOL_BASE, calc_second_order=False, seed=SEED)
    dims = np.ones((design.shape[0], N_DIMS))
    dims[:, :SOBOL_INPUTS] = 0.5 + design
    dims /= dims.sum(axis=1, keepdims=True)
    W = np.repeat(dims / PER_DIM, PER_DIM, axis=1)
    Y = minmax(X)
    positions = np.arange(1, Y.shape[0] + 1, dtype=np.float64)[np.newaxis, :]
    out = np.empty((design.shape[0], Y.shape[0]))
    for start in range(0, design.shape[0], CHUNK):
        stop = min(design.shape[0], start + CHUNK)
        order = np.argsort(-(W[start:stop] @ Y.T), axis=1)
        np.put_along_axis(out[start:stop], order, positions, axis=1)
    return out


def middle_unit(X: np.ndarray) -> int:
    """The unit ranked in the middle at equal weights: its rank moves, a useful single output."""
    return int(np.argsort(-minmax(X).mean(axis=1))[N_UNITS // 2])


def split_design(outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SALib's row order -> kaoping's yA (n, p), yB (n, p), yAB (k, n, p)."""
    blocks = outputs.reshape(SOBOL_BASE, SOBOL_INPUTS + 2, -1)
    return blocks[:, 0], blocks[:, -1], blocks[:, 1:-1].transpose(1, 0, 2)


# --- measuring in a child process ----------------------------------------------------------


def _timed(run: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t0)
    return times, out


Summary = dict[str, list[float]]
Setup = tuple[Callable[[], Any], Callable[[Any], Summary | None]]


def _summary(**values: Any) -> Summary:
    return {key: np.asarray(v, dtype=np.float64).tolist() for key, v in values.items()}


def setup_kaoping(X: np.ndarray, n: int, tmp: Path) -> Setup:
    import pandas as pd

    from kaoping.analysis.uncertainty import uncertainty
    from kaoping.data import Panel
    from kaoping.methodology import loads

    methodology = loads(methodology_yaml(), source="bench_uncertainty.yaml")
    codes, ids = unit_codes(), indicator_ids()
    frame = pd.DataFrame(
        {
            "unit": np.repeat(codes, len(ids)),
            "indicator": np.tile(ids, len(codes)),
            "period": "2024",
            "value": X.ravel(),
        }
    )
    panel = Panel(frame)
    frame = panel.frame  # normalised
    uncertainty(methodology, panel, n=WARMUP_SAMPLES, rng=RNG)  # numba compilation, caches

    def summarise(res: Any) -> Summary:
        table = res.table.loc[codes]
        return _summary(
            median=table["median_rank"],
            p05=table["p05"],
            p95=table["p95"],
            first=table["P(第一方阵)"],
        )

    def run() -> Any:
        # a fresh Panel over the same (already checked) observations every run, so that no
        # run reuses what an earlier one derived from the panel (its periods, units, ...)
        return uncertainty(methodology, Panel._wrap(frame), n=n, rng=RNG)

    return run, summarise


def setup_numpy(X: np.ndarray, n: int, tmp: Path) -> Setup:
    run_numpy(X, min(n, WARMUP_SAMPLES), RNG)
    return lambda: run_numpy(X, n, RNG), lambda out: _summary(**out)


def setup_floor(X: np.ndarray, n: int, tmp: Path) -> Setup:
    Y = minmax(X)
    W = dirichlet_weights(np.random.default_rng(RNG), n)
    run_floor(Y, W)
    return lambda: run_floor(Y, W), lambda out: None


def write_csv(X: np.ndarray, tmp: Path) -> Path:
    """The wide CSV both command lines read: one row per unit (code, period, x001…x100), as
    analysts keep it; floats written by pandas (shortest round-trip repr)."""
    import pandas as pd

    data = tmp / "data.csv"
    frame = pd.DataFrame(X, columns=indicator_ids())
    frame.insert(0, "period", "2024")
    frame.insert(0, "code", unit_codes())
    frame.to_csv(data, index=False)
    return data


def command(base: list[str]) -> Callable[[int], str]:
    """Run ``base -n SAMPLES`` in the installed environment as it is; its stdout."""

    def run(samples: int) -> str:
        out = subprocess.run([*base, "-n", str(samples)], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"{base[0]} exited {out.returncode}: {out.stderr}")
        return out.stdout

    return run


def summarise_json(stdout: str) -> Summary:
    """``{"units": [{unit, median_rank, p05, p95, tier_probabilities}]}`` -> Summary."""
    records = {r["unit"]: r for r in json.loads(stdout)["units"]}
    rows = [records[c] for c in unit_codes()]
    return _summary(
        median=[r["median_rank"] for r in rows],
        p05=[r["p05"] for r in rows],
        p95=[r["p95"] for r in rows],
        first=[r["tier_probabilities"]["第一方阵"] for r in rows],
    )


def setup_cli(X: np.ndarray, n: int, tmp: Path) -> Setup:
    exe = Path(sys.executable).with_name("kaoping")
    prefix = [str(exe)] if exe.exists() else [sys.executable, "-m", "kaoping"]
    data, yaml = write_csv(X, tmp), tmp / "methodology.yaml"
    yaml.write_text(methodology_yaml(), encoding="utf-8")
    run = command(
        [*prefix, "uncertainty", str(data), "-m", str(yaml), "--seed", str(RNG), "--json"]
    )
    run(WARMUP_SAMPLES)  # numba's on-disk cache, as kaoping's warm-up call
    return lambda: run(n), summarise_json


def setup_numpy_cli(X: np.ndarray, n: int, tmp: Path) -> Setup:
    run = command([sys.executable, str(PLAIN), str(write_csv(X, tmp)), "--seed", str(RNG)])
    run(WARMUP_SAMPLES)  # the same warm-up as the CLI's (the file in the page cache)
    return lambda: run(n), summarise_json


def setup_salib(X: np.ndarray, n: int, tmp: Path) -> Setup:
    from SALib.analyze import sobol as sobol_analyze

    outputs = sobol_outputs(X)
    problem = sobol_problem()
    y = np.ascontiguousarray(outputs[:, middle_unit(X)])  # ONE output

    def run() -> Any:
        return sobol_analyze.analyze(
            problem, y, calc_second_order=False, num_resamples=N_BOOT, seed=SEED
        )

    run()
    return run, lambda out: _summary(first=out["S1"], total=out["ST"])


def setup_jansen(X: np.ndarray, n: int, tmp: Path) -> Setup:
    from kaoping.analysis.sobol import jansen

    yA, yB, yAB = split_design(sobol_outputs(X))

    def run() -> Any:
        return jansen(yA, yB, yAB, n_boot=N_BOOT, rng=SEED)

    def summarise(res: Any) -> Summary:
        middle = middle_unit(X)
        return _summary(first=res.first[:, middle], total=res.total[:, middle])

    run()
    return run, summarise


SETUPS: dict[str, Callable[[np.ndarray, int, Path], Setup]] = {
    "kaoping": setup_kaoping,
    "numpy": setup_numpy,
    "floor": setup_floor,
    "cli": setup_cli,
    "cli-1": lambda X, n, tmp: setup_cli(X, 1, tmp),  # the CLI before any sample
    "numpy-cli": setup_numpy_cli,
    "salib": setup_salib,
    "jansen": setup_jansen,
}


def child(impl: str, n: int, repeat: int) -> dict[str, Any]:
    import gc
    import resource
    import warnings

    warnings.simplefilter("ignore")
    X = make_values()
    with tempfile.TemporaryDirectory(prefix="kaoping-bench-") as tmp:
        run, summarise = SETUPS[impl](X, n, Path(tmp))  # inputs built, warmed up
        gc.collect()
        reset = reset_peak()
        base_kib = status_kib("VmRSS")
        times, out = _timed(run, repeat)
        peak_kib = status_kib("VmHWM")
    result: dict[str, Any] = {
        "impl": impl,
        "best": float(np.min(times)),
        "median": float(np.median(times)),
        "times": times,
    }
    if "cli" in impl:  # the command lines' processes, not this one: the largest of them
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        result["extra_mib"] = float("nan")
    else:
        result["peak_mib"] = peak_kib / 1024.0
        result["extra_mib"] = max(0, peak_kib - base_kib) / 1024.0 if reset else float("nan")
    values = summarise(out)
    if values is not None:
        result["values"] = values
    return result


def measure(impl: str, n: int, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", impl, str(n), str(repeat)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=3600)
    if out.returncode != 0:
        return {"impl": impl, "error": out.stderr.strip().splitlines()[-1:] or ["failed"]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _agreement(a: dict[str, list[float]], b: dict[str, list[float]]) -> tuple[float, float]:
    """Largest difference of a rank quantile (median, p05, p95) and of P(第一方阵) between two
    results."""
    dm = max(np.max(np.abs(np.subtract(a[q], b[q]))) for q in ("median", "p05", "p95"))
    dp = np.max(np.abs(np.subtract(a["first"], b["first"])))
    return float(dm), float(dp)


def _fmt_s(seconds: float) -> str:
    return f"{seconds:>10.3f}" if seconds < 100 else f"{seconds:>10.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 2,000 samples (a smoke test)")
    parser.add_argument("--child", nargs=3, metavar=("IMPL", "N", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        impl, n, repeat = args.child
        print(json.dumps(child(impl, int(n), int(repeat))))
        return 0

    n = QUICK_SAMPLES if args.quick else SAMPLES
    print(
        f"不确定性分析基准 / rank uncertainty: {N_UNITS:,} units x {N_INDICATORS} indicators "
        f"({N_DIMS} x {PER_DIM}), N = {n:,} Dirichlet weight samples (concentration "
        f"{CONCENTRATION:g}), median/p05/p95 and P(第一方阵 = rank <= {FIRST_TIER}); "
        f"{os.cpu_count()} cores; best and median of the timed runs"
    )
    results = {impl: measure(impl, n, REPEATS[impl]) for impl in MAIN}
    ours = results["kaoping"].get("best")
    header = (
        f"{'implementation':<14} {'runs':>4} {'best s':>10} {'median s':>10} {'x kaoping':>10} "
        f"{'peak MiB':>9} {'extra MiB':>10}"
    )
    print(header)
    print("-" * len(header))
    for impl, r in results.items():
        if "error" in r:
            print(f"{impl:<14} failed: {r['error'][0]}")
            continue
        ratio = r["best"] / ours if ours else float("nan")
        print(
            f"{impl:<14} {len(r['times']):>4} {_fmt_s(r['best'])} {_fmt_s(r['median'])} "
            f"{ratio:>10.2f} {r['peak_mib']:>9.0f} {r['extra_mib']:>10.0f}"
        )
    print(
        "peak MiB: the process's peak resident size during the timed runs (cli, numpy-cli: of "
        "the largest such process); extra: above the resident size before them; cli-1: the "
        "same command with -n 1, what the CLI costs before any sample (start-up, reading the "
        "CSV, numba's cache, the nominal assessment, the output); numpy-cli: "
        "plain_uncertainty.py, the NumPy version as a script from the same CSV"
    )
    values = {k: r["values"] for k, r in results.items() if "values" in r}
    if "kaoping" in values and "numpy" in values:
        dm, dp = _agreement(values["kaoping"], values["numpy"])
        print(
            "check kaoping vs numpy (different random streams): median/p05/p95 ranks differ "
            f"by at most {dm:g}, P(第一方阵) by at most {dp:.3f}"
        )
    if "kaoping" in values and "cli" in values:
        dm, dp = _agreement(values["kaoping"], values["cli"])
        same = "identical" if dm == 0 and dp == 0 else f"DIFFER ({dm:g}, {dp:.3g})"
        print(f"check kaoping vs cli (same seed): {same}")
    if "numpy" in values and "numpy-cli" in values:
        dm, dp = _agreement(values["numpy"], values["numpy-cli"])
        same = "identical" if dm == 0 and dp == 0 else f"DIFFER ({dm:g}, {dp:.3g})"
        print(f"check numpy vs numpy-cli (same seed, through the CSV): {same}")

    runs = SOBOL_BASE * (SOBOL_INPUTS + 2)
    print(
        f"\n== Sobol' indices: {SOBOL_INPUTS} inputs, Saltelli design with base N = "
        f"{SOBOL_BASE:,} ({runs:,} runs), first and total order, {N_BOOT} bootstrap "
        "resamples; estimators only"
    )
    sob = {impl: measure(impl, n, REPEATS[impl]) for impl in ("salib", "jansen")}
    head = f"{'estimator':<40} {'runs':>4} {'median s':>10} {'peak MiB':>9}"
    print(head)
    print("-" * len(head))
    salib_all = None
    if "error" in sob["salib"]:
        print(f"{'salib':<40} failed: {sob['salib']['error'][0]}")
    else:
        s = sob["salib"]
        salib_all = s["median"] * N_UNITS
        print(
            f"{'SALib analyze, 1 output':<40} {len(s['times']):>4} {_fmt_s(s['median'])} "
            f"{s['peak_mib']:>9.0f}"
        )
        label = f"SALib, {N_UNITS:,} outputs (1 output x {N_UNITS:,})"
        print(f"{label:<40} {'est.':>4} {_fmt_s(salib_all)} {'':>9}")
    if "error" in sob["jansen"]:
        print(f"{'jansen':<40} failed: {sob['jansen']['error'][0]}")
    else:
        j = sob["jansen"]
        label = f"kaoping jansen, {N_UNITS:,} outputs at once"
        print(f"{label:<40} {len(j['times']):>4} {_fmt_s(j['median'])} {j['peak_mib']:>9.0f}")
        if salib_all is not None:
            print(
                f"SALib's estimate for {N_UNITS:,} outputs / kaoping jansen: "
                f"{salib_all / j['median']:.0f}x (an estimate: SALib timed on one output)"
            )
    if "values" in sob["salib"] and "values" in sob["jansen"]:
        a, c = sob["salib"]["values"], sob["jansen"]["values"]
        d1 = np.max(np.abs(np.subtract(a["first"], c["first"])))
        dt = np.max(np.abs(np.subtract(a["total"], c["total"])))
        print(
            f"check SALib vs jansen on the same output (the middle unit's rank): first-order "
            f"indices differ by at most {d1:.3f}, total by at most {dt:.3f}"
        )

    print()
    needed = ("kaoping", "numpy", "floor", "cli", "numpy-cli")
    if any("best" not in results[k] for k in needed):
        failed = ", ".join(k for k in needed if "best" not in results[k])
        print(f"目标未能检验 / goal not checked: {failed} failed -> NOT MET")
        return 1
    speedup = results["numpy"]["best"] / ours
    floor = ours / results["floor"]["best"]
    peak = results["kaoping"]["peak_mib"]
    cli = results["cli"]["best"] / results["numpy"]["best"]
    end_to_end = results["cli"]["best"] / results["numpy-cli"]["best"]
    ok = speedup >= 2 and floor <= 6 and peak < GIB_MIB and cli <= 1 and end_to_end <= 1
    print(
        "goal: at least 2x faster than the plain batched version, within 6x of the "
        "matrix-product floor, peak memory under 1 GiB, the CLI end to end no slower than "
        "the plain version's computation alone, nor than the plain version's script end to end "
        "from the same CSV"
    )
    print(
        f"目标 / goal at N = {n:,} (best runs): >=2x numpy: {speedup:.2f}x; "
        f"<=6x floor: {floor:.2f}x; peak < 1 GiB: {peak:.0f} MiB; cli <= numpy: {cli:.2f}x; "
        f"cli <= numpy-cli (end to end): {end_to_end:.2f}x -> "
        f"{'达成 met' if ok else '未达成 NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
