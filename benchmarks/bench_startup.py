"""Start-up: ``kaoping --help`` against ``python -c "import numpy"``.

Each command runs as a fresh process in the installed environment as it is (``make bench``
syncs it: bytecode compiled at install, PYTHONDONTWRITEBYTECODE as the user has it), the
commands interleaved round after round so that a busy moment of this shared machine falls on
all of them alike; one untimed round first (the page cache).  Reported: the best and the median
wall time of the rounds and the ratio of the best to ``import numpy``'s best (the minimum, as
in the other benchmarks: interference only ever adds time).

Rows
----
python          ``python -c pass``: the interpreter alone.
import numpy    ``python -c "import numpy"``: the reference.
kaoping --help, kaoping --version
                the goal: no slower than importing NumPy (click and kaoping.errors only; the
                engine, pandas and numba are imported by the commands that use them).
import kaoping  ``python -c "import kaoping"``: the package's names load on first use.
web check       ``python -m kaoping.web check`` (KAOPING_DEBUG=1): Django's start-up and system
                checks without the engine; no goal (Django and DRF import ~1 s themselves).

Run: ``make bench`` or ``python benchmarks/bench_startup.py [--rounds N]``.  Exits 1 when the
goal is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
KAOPING = str(Path(PY).with_name("kaoping"))
ROWS: dict[str, list[str]] = {
    "python": [PY, "-c", "pass"],
    "import numpy": [PY, "-c", "import numpy"],
    "kaoping --help": [KAOPING, "--help"],
    "kaoping --version": [KAOPING, "--version"],
    "import kaoping": [PY, "-c", "import kaoping"],
    "web check": [PY, "-m", "kaoping.web", "check"],
}
REFERENCE = "import numpy"
GOAL = ("kaoping --help", "kaoping --version")
ROUNDS = 15


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    env = {**os.environ, "KAOPING_DEBUG": "1"}  # web check: the development settings
    rows = dict(ROWS)
    if importlib.util.find_spec("django") is None:  # without the web extra
        del rows["web check"]
    for cmd in rows.values():  # untimed: the page cache
        wall(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.rounds):
        for name, cmd in rows.items():
            times[name].append(wall(cmd, env))
    bytecode = any((Path(__file__).parents[1] / "src" / "kaoping" / "__pycache__").glob("*.pyc"))
    print(
        f"启动时间 / start-up: best and median of {args.rounds} rounds, each command a fresh "
        f"process; {os.cpu_count()} cores; PYTHONDONTWRITEBYTECODE="
        f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}; kaoping's bytecode "
        f"{'compiled' if bytecode else 'NOT compiled (run make sync)'}"
    )
    header = f"{'command':<18} {'best ms':>8} {'median ms':>10} {'x import numpy':>15}"
    print(header)
    print("-" * len(header))
    ref = min(times[REFERENCE])
    for name, runs in times.items():
        best = min(runs)
        print(
            f"{name:<18} {best * 1e3:>8.0f} {statistics.median(runs) * 1e3:>10.0f} "
            f"{best / ref:>15.2f}"
        )
    ratios = {name: min(times[name]) / ref for name in GOAL}
    ok = all(r <= 1.0 for r in ratios.values())
    shown = "; ".join(f"{name}: {r:.2f}x" for name, r in ratios.items())
    print(
        f"目标 / goal: kaoping --help and --version no slower than import numpy (best runs): "
        f"{shown} -> {'达成 met' if ok else '未达成 NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
