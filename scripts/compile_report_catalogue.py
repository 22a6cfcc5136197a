"""Compile the report engine's catalogue: kaoping_report.po -> kaoping_report.mo (polib).

    .venv/bin/python scripts/compile_report_catalogue.py

The .po is the source (edit it); the .mo is committed beside it, and tests check they agree.
"""

from __future__ import annotations

from pathlib import Path

import polib

FOLDER = Path(__file__).resolve().parents[1] / "src/kaoping/report/locale/zh_Hans/LC_MESSAGES"


def main() -> None:
    po = polib.pofile(str(FOLDER / "kaoping_report.po"))
    po.save_as_mofile(str(FOLDER / "kaoping_report.mo"))
    print(f"{FOLDER / 'kaoping_report.mo'}: {len(po.translated_entries())} entries")


if __name__ == "__main__":
    main()
