"""The pipeline at 10^5-10^6 units: kaoping end to end against plain pandas and NumPy.

Issue 20's goals, measured side by side in one run at 100,000 x 20 and 1,000,000 x 20 (seeded
log-normal values as ``bench_entropy_topsis.make_matrix`` draws them, written with 6
significant digits, a ``代码`` column of unique codes; every third indicator negative; one
dimension, entropy weights, TOPSIS with vector normalisation):

csv->csv        ``python -m kaoping assess data.csv -m m.yaml -p 2024 -o out.csv`` (the installed
                entry point, a subprocess, stdout to /dev/null) against ``python
                benchmarks/plain_scale.py data.csv m.yaml out.csv`` (pandas ``read_csv``, the
                same formulas in NumPy, ``to_csv`` of code, score and rank); both outputs are
                read back and their ranks compared unit by unit (a mismatch fails the run).
                Goal: kaoping <= 2x plain.
parquet         in a fresh process each: ``kaoping.data.read_panel`` on the same data as
                .parquet and ``Result.to_parquet`` of the result, against ``pd.read_parquet``
                of the same file and ``DataFrame.to_parquet`` of the same output frame (the
                one kaoping wrote, read back).  Only the I/O is timed, not ``assess``.  Goal:
                read + write <= 1.5x pandas'.  Where kaoping cannot do it yet the row says
                "not yet supported" and does not count against the exit status.
xlsx            ``Result.to_excel`` against XlsxWriter in ``constant_memory`` mode writing the
                same frames (ranking, normalised, raw, weights: the values of kaoping's data
                sheets; the cells of both workbooks are counted from their sheets' dimension
                records and printed).  At 100,000 only, unless ``--full`` (Excel's sheets hold
                1,048,576 rows).  The peak resident size of both writing processes is
                printed beside (no goal).  Goal: <= 2x XlsxWriter.
peak memory     the CLI in-process (``kaoping.cli.cli.main([...], standalone_mode=False)``) in
                a fresh process: imports, one warm-up run on a 200-row file (pandas, numba's
                cached kernels, Rich: the fixed footprint), then the peak-RSS counter reset
                (``/proc/self/clear_refs``) and the real run; the figure is (VmHWM - VmRSS
                before the run) / (n x 20 x 8 bytes), the input as float64.  The plain script is
                measured the same way, for comparison.  Goal: kaoping <= 3x.

Times are the best of the repeated runs (on a shared machine interference only adds time; see
``bench_uncertainty.py``), and each is also given per 100,000 units, so that linear growth
shows from one size to the next.  A kaoping run that takes longer than 10x its peer's (at
least 120 s) is stopped and counted as over its bound.  The data, methodology and outputs are
written to a temporary folder, removed at the end.  Exit status 1 when a goal is missed or
the ranks differ, 0 otherwise.

Run: ``make bench`` or ``python benchmarks/bench_scale.py [--quick] [--sizes 100000,1000000]
[--full]`` (``--quick``: 100,000 only).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from _memory import reset_peak, status_kib
from bench_entropy_topsis import make_matrix

HERE = Path(__file__).resolve().parent
M = 20
SIZES = [100_000, 1_000_000]
QUICK_SIZES = [100_000]
XLSX_LIMIT = 100_000  # larger workbooks only with --full
TINY = 200  # rows of the warm-up file
PERIOD = "2024"
CLI_REPEATS = {100_000: 3, 1_000_000: 2}
IO_REPEATS = {100_000: 5, 1_000_000: 3}
BOUNDS = {"csv->csv": 2.0, "parquet in+out": 1.5, "xlsx": 2.0, "peak memory": 3.0}
MIN_TIMEOUT = 120.0  # seconds: a kaoping run is stopped after max(this, 10 x its peer)
CODE = "代码"
ENV = {**os.environ, "KAOPING_LANG": "zh"}


# --- the data ------------------------------------------------------------------------------


def directions(m: int = M) -> np.ndarray:
    """+1 positive, -1 negative: every third indicator (x01, x04, ...) negative."""
    return np.where(np.arange(m) % 3 == 0, -1.0, 1.0)


def write_methodology(path: Path) -> None:
    """20 indicators in one dimension, entropy weights, TOPSIS with vector normalisation."""
    lines = [
        "id: scale_bench",
        "name: 规模基准",
        "weighting: entropy",
        "aggregation: {method: topsis, normalization: vector}",
        "dimensions:",
        "  - id: all",
        "    name: 全部",
        "    indicators:",
    ]
    for j, d in enumerate(directions()):
        kind = "negative" if d < 0 else "positive"
        lines.append(f"      - {{id: x{j + 1:02d}, name: 指标{j + 1}, direction: {kind}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_data(n: int, stem: Path, seed: int = 20261129) -> None:
    """``stem``.csv and ``stem``.parquet holding the same values (the CSV's, read back)."""
    X, _ = make_matrix(n, M, seed=seed)
    frame = pd.DataFrame(X, columns=[f"x{j + 1:02d}" for j in range(M)])
    codes = np.char.add("U", np.char.zfill(np.arange(n).astype(str), 7))
    frame.insert(0, CODE, codes)
    frame.to_csv(stem.with_suffix(".csv"), index=False, float_format="%.6g")
    back = pd.read_csv(stem.with_suffix(".csv"), dtype={CODE: str})  # exact for 6 digits
    back.to_parquet(stem.with_suffix(".parquet"), index=False)


# --- measuring in child processes ----------------------------------------------------------


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` timed calls and the last call's value."""
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


@contextlib.contextmanager
def quiet_stdout() -> Iterator[int]:
    """Send file descriptor 1 to /dev/null (the CLI's table); yield a copy of the old one."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield saved
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)


def _kaoping_result(folder: Path, stem: str, suffix: str = ".csv") -> Any:
    from kaoping.assess import assess
    from kaoping.data import read_panel
    from kaoping.methodology import load

    methodology = load(folder / "m.yaml")
    panel = read_panel(
        folder / f"{stem}{suffix}", indicators=methodology.name_to_id(), default_period=PERIOD
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess(methodology, panel, PERIOD)


def child_memory(impl: str, folder: Path, n: int) -> dict[str, Any]:
    """Peak RSS of one CLI (or plain script) run above the process after a warm-up run."""
    yaml_path = str(folder / "m.yaml")
    if impl == "kaoping":
        from kaoping.cli import cli

        def run(src: Path, dst: Path) -> None:
            args = ["assess", str(src), "-m", yaml_path, "-p", PERIOD, "-o", str(dst)]
            cli.main(args, prog_name="kaoping", standalone_mode=False)
    else:
        import plain_scale

        def run(src: Path, dst: Path) -> None:
            plain_scale.main([str(src), yaml_path, str(dst)])

    after_imports = status_kib("VmRSS")
    run(folder / "tiny.csv", folder / f"tiny_mem_{impl}.csv")
    gc.collect()
    reset = reset_peak()
    base = status_kib("VmRSS")
    run(folder / f"data_{n}.csv", folder / f"mem_{n}_{impl}.csv")
    peak = status_kib("VmHWM")
    extra = (peak - base) * 1024 if reset else float("nan")
    return {
        "after_imports_mib": after_imports / 1024,
        "base_mib": base / 1024,
        "peak_mib": peak / 1024,
        "ratio": extra / (n * M * 8),
    }


def child_parquet(impl: str, folder: Path, n: int, repeat: int) -> dict[str, Any]:
    """Parquet in and out: kaoping's reader and writer, or pandas' own."""
    out: dict[str, Any] = {}
    if impl == "kaoping":
        from kaoping.data import read_panel
        from kaoping.methodology import load

        names = load(folder / "m.yaml").name_to_id()

        def read(path: Path) -> Any:
            return read_panel(path, indicators=names, default_period=PERIOD)

        try:
            read(folder / "tiny.parquet")  # warm-up: pyarrow and the reader's imports
        except Exception as exc:  # any refusal (an unknown file type) means: not yet
            out["read_error"] = str(exc).strip().splitlines()[0][:120]
        else:
            out["read_s"], _ = best_of(lambda: read(folder / f"data_{n}.parquet"), repeat)
        suffix = ".csv" if "read_error" in out else ".parquet"
        result = _kaoping_result(folder, f"data_{n}", suffix)
        target = folder / f"out_{n}_kaoping.parquet"
        if hasattr(result, "to_parquet"):
            _kaoping_result(folder, "tiny").to_parquet(folder / "tiny_out.parquet")
            out["write_s"], _ = best_of(lambda: result.to_parquet(target), repeat)
        else:
            out["write_error"] = "Result has no to_parquet"
            result.to_csv(folder / f"out_{n}_frame.csv")  # the frame pandas writes instead
        return out
    pd.read_parquet(folder / "tiny.parquet")  # warm-up: pyarrow
    out["read_s"], _ = best_of(lambda: pd.read_parquet(folder / f"data_{n}.parquet"), repeat)
    written = folder / f"out_{n}_kaoping.parquet"
    if written.exists():
        frame = pd.read_parquet(written)
    else:
        frame = pd.read_csv(folder / f"out_{n}_frame.csv", encoding="utf-8-sig", dtype={CODE: str})
    frame.head(TINY).to_parquet(folder / "tiny_out_pandas.parquet", index=False)
    target = folder / f"out_{n}_pandas.parquet"
    out["write_s"], _ = best_of(lambda: frame.to_parquet(target, index=False), repeat)
    return out


def result_frames(result: Any) -> list[tuple[str, pd.DataFrame]]:
    """The frames of kaoping's data sheets: ranking, normalised, raw, weights."""
    display = getattr(result, "_display_table", None)
    ranking = display() if display is not None else result.table.reset_index()
    names = result.table["name"]

    def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out.insert(0, "name", names.reindex(out.index))
        return out.reset_index()

    return [
        ("ranking", ranking),
        ("normalized", by_unit(result.normalized)),
        ("raw", by_unit(result.raw)),
        ("weights", result.weights.reset_index()),
    ]


def write_xlsxwriter(frames: list[tuple[str, pd.DataFrame]], path: Path) -> None:
    """The frames' headers and cells with XlsxWriter in constant-memory mode (NaN left empty)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name, frame in frames:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [str(c) for c in frame.columns])
        cells = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
        for i, row in enumerate(cells, start=1):
            sheet.write_row(i, 0, row)
    book.close()


def child_xlsx(impl: str, folder: Path, n: int) -> dict[str, Any]:
    """One timed workbook of the result (built untimed), after a warm-up on a small one."""
    result = _kaoping_result(folder, f"data_{n}")
    tiny = _kaoping_result(folder, "tiny")
    target = folder / f"out_{n}_{impl}.xlsx"
    if impl == "kaoping":
        tiny.to_excel(folder / "tiny_out.xlsx")

        def write() -> None:
            result.to_excel(target)
    else:
        frames = result_frames(result)
        write_xlsxwriter(result_frames(tiny), folder / "tiny_out_xw.xlsx")

        def write() -> None:
            write_xlsxwriter(frames, target)

    gc.collect()
    reset = reset_peak()
    base = status_kib("VmRSS")
    seconds, _ = best_of(write, 1)
    peak = status_kib("VmHWM")
    return {
        "write_s": seconds,
        "base_mib": base / 1024,
        "peak_mib": peak / 1024 if reset else float("nan"),
        "cells": workbook_cells(target),
    }


_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def workbook_cells(path: Path) -> int:
    """Cells of all sheets as their dimension records give them (rows x columns)."""
    total = 0
    with zipfile.ZipFile(path) as book:
        for info in book.infolist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                continue
            with book.open(info) as fh:
                found = _DIMENSION.search(fh.read(4096))
            if found is None or found.group(3) is None:
                total += int(found is not None)
                continue
            rows = int(found.group(4)) - int(found.group(2)) + 1
            total += rows * (_column(found.group(3)) - _column(found.group(1)) + 1)
    return total


def child(kind: str, impl: str, folder: str, n: str, repeat: str) -> dict[str, Any]:
    warnings.simplefilter("ignore")
    path, size = Path(folder), int(n)
    with quiet_stdout():
        if kind == "memory":
            return child_memory(impl, path, size)
        if kind == "parquet":
            return child_parquet(impl, path, size, int(repeat))
        return child_xlsx(impl, path, size)


def run_child(kind: str, impl: str, folder: Path, n: int, repeat: int, timeout: float) -> Any:
    """A child of this script; its JSON, or {"error": ...} / {"timeout": seconds}."""
    cmd = [sys.executable, __file__, "--child", kind, impl, str(folder), str(n), str(repeat)]
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, check=False, timeout=timeout, env=ENV, cwd=HERE
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:160]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- step 1: the command line against the plain script --------------------------------------


def timed_command(cmd: list[str], timeout: float) -> float | str:
    """Wall seconds of a command (stdout to /dev/null), or why it has none."""
    t0 = time.perf_counter()
    try:
        out = subprocess.run(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=timeout,
            env=ENV,
        )
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:.0f} s"
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        return "failed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:160]
    return seconds


def compare_ranks(ours: Path, plain: Path) -> tuple[int, float, str]:
    """Units whose rank differs, the largest relative score difference, and a sample."""
    a = pd.read_csv(ours, encoding="utf-8-sig", dtype={CODE: str}).set_index(CODE)
    b = pd.read_csv(plain, encoding="utf-8-sig", dtype={CODE: str}).set_index(CODE)
    if len(a) != len(b) or not a.index.sort_values().equals(b.index.sort_values()):
        return max(len(a), len(b)), float("nan"), "the two files hold different units"
    b = b.reindex(a.index)
    differ = a["排名"].to_numpy() != b["排名"].to_numpy()
    rel = np.abs(a["综合得分"] - b["综合得分"]) / np.abs(b["综合得分"])
    sample = ", ".join(
        f"{code}: {int(ra)} vs {int(rb)}"
        for code, ra, rb in zip(
            a.index[differ][:5], a["排名"][differ][:5], b["排名"][differ][:5], strict=True
        )
    )
    return int(differ.sum()), float(rel.max()), sample


# --- the table -----------------------------------------------------------------------------


@dataclass
class Row:
    size: int
    step: str
    ours: float | str  # seconds, or why there is no time
    peer: float | str
    bound: float | None = None
    unit: str = "s"  # "s", or "x" for the memory row (multiples of the input)
    counts: bool = True  # counts against the exit status

    @property
    def ratio(self) -> float | None:
        if isinstance(self.ours, float) and isinstance(self.peer, float):
            return self.ours if self.unit == "x" else self.ours / self.peer
        return None

    @property
    def verdict(self) -> str:
        if self.bound is None:
            return ""
        if isinstance(self.ours, str):
            if self.ours.startswith("stopped"):
                return "over"
            return "n/a" if not self.counts else "FAILED"
        ratio = self.ratio
        if ratio is None:
            return "n/a"
        return "ok" if ratio <= self.bound else "OVER"

    @property
    def failed(self) -> bool:
        return self.counts and self.verdict in {"OVER", "over", "FAILED"}


def _cell(value: float | str, unit: str) -> str:
    if isinstance(value, str):
        return value
    return f"{value:.2f}x" if unit == "x" else f"{value:.3f}"


def _per100k(value: float | str, n: int, unit: str) -> str:
    return f"{value * 100_000 / n:.3f}" if isinstance(value, float) and unit == "s" else ""


def print_table(rows: list[Row]) -> None:
    head = [
        "size",
        "step",
        "kaoping s",
        "peer s",
        "ratio",
        "bound",
        "",
        "kaoping/100k",
        "peer/100k",
    ]
    body = []
    for r in rows:
        ratio = r.ratio
        body.append(
            [
                f"{r.size:,}",
                r.step,
                _cell(r.ours, r.unit),
                _cell(r.peer, r.unit),
                "" if ratio is None or r.unit == "x" else f"{ratio:.2f}x",
                "" if r.bound is None else f"<= {r.bound:g}x",
                r.verdict,
                _per100k(r.ours, r.size, r.unit),
                _per100k(r.peer, r.size, r.unit),
            ]
        )
    # a long "why" (not supported, stopped) goes below the table, the cell keeps a short mark
    notes: list[str] = []
    for line in body:
        for k in (2, 3):
            if len(line[k]) > 12:
                notes.append(f"[{len(notes) + 1}] {line[0]} {line[1]}: {line[k]}")
                line[k] = f"[{len(notes)}]"
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print("\n" + fmt.format(*head))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for line in body:
        print(fmt.format(*line))
    for note in notes:
        print(note)


# --- one size ------------------------------------------------------------------------------


def _seconds(values: list[float | str]) -> float | str:
    times = [v for v in values if isinstance(v, float)]
    return min(times) if times else next(v for v in values if isinstance(v, str))


def _timeout(peer: float | str, factor: float = 10.0) -> float:
    return max(MIN_TIMEOUT, factor * peer) if isinstance(peer, float) else 600.0


def bench_size(n: int, folder: Path, full: bool) -> tuple[list[Row], bool]:
    """Every step at one size; the rows and whether the ranks agreed."""
    t0 = time.perf_counter()
    write_data(n, folder / f"data_{n}")
    print(f"\n== {n:,} x {M}: data written in {time.perf_counter() - t0:.1f} s", flush=True)
    yaml_path = str(folder / "m.yaml")
    data = str(folder / f"data_{n}.csv")
    ours_csv, plain_csv = folder / f"out_{n}_kaoping.csv", folder / f"out_{n}_plain.csv"
    kaoping_cmd = [sys.executable, "-m", "kaoping", "assess", data, "-m", yaml_path]
    kaoping_cmd += ["-p", PERIOD, "-o", str(ours_csv)]
    plain_cmd = [sys.executable, str(HERE / "plain_scale.py"), data, yaml_path, str(plain_csv)]

    # step 1: interleaved rounds, the plain script first (its time sets kaoping's time limit)
    ours_times: list[float | str] = []
    plain_times: list[float | str] = []
    for _ in range(CLI_REPEATS.get(n, 1)):
        plain_times.append(timed_command(plain_cmd, 600.0))
        if not ours_times or isinstance(ours_times[-1], float):
            ours_times.append(timed_command(kaoping_cmd, _timeout(_seconds(plain_times))))
    ours, plain = _seconds(ours_times), _seconds(plain_times)
    rows = [Row(n, "csv->csv", ours, plain, BOUNDS["csv->csv"])]
    agreed = True
    if isinstance(ours, float) and isinstance(plain, float):
        mismatched, rel, sample = compare_ranks(ours_csv, plain_csv)
        agreed = mismatched == 0
        print(
            f"ranks: {'identical' if agreed else f'!!! {mismatched:,} UNITS DIFFER !!! {sample}'}"
            f" (largest relative score difference {rel:.1e})",
            flush=True,
        )

    # step 4: peak memory, in-process, after a warm-up run
    plain_mem = run_child("memory", "plain", folder, n, 1, 600.0)
    limit = _timeout(plain) + 60.0
    ours_mem = run_child("memory", "kaoping", folder, n, 1, limit)
    rows.append(
        Row(n, "peak memory", _memory_value(ours_mem), _memory_value(plain_mem),
            BOUNDS["peak memory"], unit="x")
    )  # fmt: skip
    if "ratio" in ours_mem:
        print(
            f"peak memory: kaoping {ours_mem['peak_mib']:.0f} MiB (after imports "
            f"{ours_mem['after_imports_mib']:.0f}, after the warm-up run "
            f"{ours_mem['base_mib']:.0f}); plain {plain_mem.get('peak_mib', float('nan')):.0f}"
            f" MiB; input as float64 {n * M * 8 / 2**20:.0f} MiB",
            flush=True,
        )

    # step 2: Parquet in and out
    repeat = IO_REPEATS.get(n, 3)
    ours_pq = run_child("parquet", "kaoping", folder, n, repeat, 1200.0)
    peer_pq = run_child("parquet", "pandas", folder, n, repeat, 600.0)
    rows += _parquet_rows(n, ours_pq, peer_pq)

    # step 3: the workbook
    if n <= XLSX_LIMIT or full:
        peer_x = run_child("xlsx", "xlsxwriter", folder, n, 1, 1200.0)
        peer_s = peer_x.get("write_s", _why(peer_x))
        ours_x = run_child("xlsx", "kaoping", folder, n, 1, _timeout(peer_s) + 60.0)
        rows.append(Row(n, "xlsx", ours_x.get("write_s", _why(ours_x)), peer_s, BOUNDS["xlsx"]))
        if "cells" in ours_x and "cells" in peer_x:
            print(
                f"xlsx: kaoping's workbook {ours_x['cells']:,} cells, peak {ours_x['peak_mib']:.0f}"
                f" MiB ({ours_x['base_mib']:.0f} before writing); XlsxWriter's "
                f"{peer_x['cells']:,} cells, peak {peer_x['peak_mib']:.0f} MiB "
                f"({peer_x['base_mib']:.0f} before writing)",
                flush=True,
            )
    return rows, agreed


def _why(result: dict[str, Any]) -> str:
    if "timeout" in result:
        return f"stopped after {result['timeout']:.0f} s"
    return "failed: " + str(result.get("error", "?"))


def _memory_value(result: dict[str, Any]) -> float | str:
    return float(result["ratio"]) if "ratio" in result else _why(result)


def _parquet_rows(n: int, ours: dict[str, Any], peer: dict[str, Any]) -> list[Row]:
    if "error" in ours or "timeout" in ours:
        return [Row(n, "parquet in+out", _why(ours), _why(peer), BOUNDS["parquet in+out"])]
    read = ours.get("read_s", "not yet supported: " + str(ours.get("read_error")))
    write = ours.get("write_s", "not yet supported: " + str(ours.get("write_error")))
    peer_read = peer.get("read_s", _why(peer))
    peer_write = peer.get("write_s", _why(peer))
    both: float | str = "not yet supported"
    if isinstance(read, float) and isinstance(write, float):
        both = read + write
    peer_both: float | str = _why(peer)
    if isinstance(peer_read, float) and isinstance(peer_write, float):
        peer_both = peer_read + peer_write
    return [
        Row(n, "parquet read", read, peer_read),
        Row(n, "parquet write", write, peer_write),
        Row(n, "parquet in+out", both, peer_both, BOUNDS["parquet in+out"], counts=False)
        if isinstance(both, str)
        else Row(n, "parquet in+out", both, peer_both, BOUNDS["parquet in+out"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 units only")
    parser.add_argument("--sizes", help="comma-separated unit counts, e.g. 100000,1000000")
    parser.add_argument("--full", action="store_true", help="the workbook at every size")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]

    print(
        f"the pipeline at scale: {M} indicators, entropy + TOPSIS (vector), {os.cpu_count()} "
        "cores; best of the repeated runs; peer = plain_scale.py (csv), pandas (parquet), "
        "XlsxWriter constant_memory (xlsx); peak memory as a multiple of the input as float64"
    )
    rows: list[Row] = []
    agreed = True
    folder = Path(tempfile.mkdtemp(prefix="kaoping-scale-"))
    try:
        write_methodology(folder / "m.yaml")
        write_data(TINY, folder / "tiny", seed=7)
        for n in sizes:
            size_rows, same = bench_size(n, folder, args.full)
            rows += size_rows
            agreed &= same
            for stale in folder.glob(f"*_{n}*"):  # keep the disk bounded between sizes
                stale.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(rows)
    failed = [f"{r.size:,} {r.step}" for r in rows if r.failed]
    if not agreed:
        failed.append("the ranks differ from the plain script's")
    print("\ngoals: " + ("all met" if not failed else "MISSED: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
