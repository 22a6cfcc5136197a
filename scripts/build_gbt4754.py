"""Build ``src/kaoping/chains/data/gbt4754_2017.csv``, the GB/T 4754-2017 catalogue.

The table is the code table of 《国民经济行业分类》（GB/T 4754-2017）, as transcribed (with its
explanations, which are not kept here) in the public file ``src/utils/category.js`` of the
GitHub repository ``zmshe/capital`` (commit ``0b8f1ae480aadd9f35aca2fd0efb934e9a7101e8``).  That
file was read in 16,000-character pages; the records of each page were written down, one a
line, as ``level|class1|class2|class3|class4|name`` (the file's own fields: ``class1`` the 门类
letter, ``class2`` the 大类, ``class3`` the 中类, ``class4`` the 小类 digits), into
``PAGES/page_NN.txt``.  This script turns those pages into the CSV (``code,name,level,parent``;
codes canonical: ``C``, ``C38``, ``C384``, ``C3841``) and checks it::

    python scripts/build_gbt4754.py /tmp/gbt4754_pages

What the script does to the transcription, and why:

* a 中类 that has a single 小类 (``0190 其他农业`` under ``019``) appears in the source only as
  its 小类 row; the 中类 row is derived, with the 小类's name (the standard prints both rows with
  the same name);
* the source's one error is corrected: its second ``374`` row, ``飞机制造``, is the 小类 ``3741``
  (its explanation, “指在大气同温层以内飞行的……各种飞机及其零件的制造”, is 3741's);
* names are stripped of trailing spaces and ASCII parentheses become the full-width ones the
  standard prints (``羽毛(绒)加工及制品制造`` → ``羽毛（绒）加工及制品制造``).

The result must have 20 门类, 97 大类, 473 中类 and 1381 小类, every code unique, every parent
present, and each code's digits extending its parent's.  The 小类 count is the transcription's:
GB/T 4754-2017 as published in 2017 is reported with 1380 小类, and public pages give 1380, 1381
and 1382 (the table carries names of the 2019 第1号修改单, e.g. 526 “汽车、摩托车、零配件和燃料及
其他动力销售” with 5267 机动车充电销售); which count the amended standard states is not checked
here against its text.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Final, NamedTuple

ROOT: Final = Path(__file__).resolve().parents[1]
OUT: Final = ROOT / "src" / "kaoping" / "chains" / "data" / "gbt4754_2017.csv"
COUNTS: Final = {1: 20, 2: 97, 3: 473, 4: 1381}  # see the module docstring on 1381

# (level, class3, class4, name) of a source record -> the record it should have been
_CORRECTIONS: Final = {("3", "374", "", "飞机制造"): ("4", "374", "3741", "飞机制造")}


class Row(NamedTuple):
    code: str
    name: str
    level: int
    parent: str


def _name(raw: str) -> str:
    return raw.strip().replace("(", "（").replace(")", "）")


def read_pages(folder: Path) -> list[tuple[str, str, str, str, str, str]]:
    """The records of the pages ``folder/page_*.txt``, in page order."""
    pages = sorted(folder.glob("page_*.txt"))
    if not pages:
        raise SystemExit(f"no page_*.txt in {folder}: transcribe the source's pages there first")
    records = []
    for page in pages:
        for n, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            fields = line.split("|")
            if len(fields) != 6:
                raise SystemExit(f"{page.name}:{n}: expected 6 fields split by '|', got {line!r}")
            level, c1, c2, c3, c4, name = fields
            level, c3, c4, name = _CORRECTIONS.get((level, c3, c4, name), (level, c3, c4, name))
            records.append((level, c1, c2, c3, c4, name))
    return records


def build(records: list[tuple[str, str, str, str, str, str]]) -> list[Row]:
    """Canonical rows in catalogue order, the single-小类 中类 derived."""
    rows: list[Row] = []
    seen: set[str] = set()
    for level, c1, c2, c3, c4, raw_name in records:
        name = _name(raw_name)
        if level == "1":
            row = Row(c1, name, 1, "")
        elif level == "2":
            row = Row(c1 + c2, name, 2, c1)
        elif level == "3":
            row = Row(c1 + c3, name, 3, c1 + c2)
        elif level == "4":
            if c1 + c3 not in seen:  # a 中类 with one 小类: the source prints only the 小类
                rows.append(Row(c1 + c3, name, 3, c1 + c2))
                seen.add(c1 + c3)
            row = Row(c1 + c4, name, 4, c1 + c3)
        else:
            raise SystemExit(f"unknown level {level!r} in record {c1}{c2}{c3}{c4} {raw_name}")
        if row.code in seen:
            raise SystemExit(f"code {row.code} appears twice")
        seen.add(row.code)
        rows.append(row)
    return rows


def check(rows: list[Row]) -> None:
    """Raise ``SystemExit`` unless the rows are the whole catalogue, consistently coded."""
    counts = {lvl: sum(r.level == lvl for r in rows) for lvl in COUNTS}
    if counts != COUNTS:
        raise SystemExit(f"counts by level {counts}, expected {COUNTS}")
    codes = {r.code for r in rows}
    width = {1: 1, 2: 3, 3: 4, 4: 5}
    for r in rows:
        letter, digits = r.code[:1], r.code[1:]
        if (
            len(r.code) != width[r.level]
            or not letter.isupper()
            or not (digits.isdigit() or r.level == 1)
        ):
            raise SystemExit(f"{r.code}: not a level-{r.level} code")
        if r.level > 1 and (r.parent not in codes or not r.code.startswith(r.parent[:1])):
            raise SystemExit(f"{r.code}: parent {r.parent} missing")
        if r.level > 2 and not r.code.startswith(r.parent):
            raise SystemExit(f"{r.code}: does not extend its parent {r.parent}")
        if not r.name:
            raise SystemExit(f"{r.code}: no name")


def write(rows: list[Row], out: Path = OUT) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(Row._fields)
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    rows = build(read_pages(Path(argv[1])))
    check(rows)
    write(rows)
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
