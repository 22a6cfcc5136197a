"""Reading a page's table as the reader sees it: per row, each cell's last class (``#0``, ``#1``
… for a cell without one) -> its text (tags dropped, spaces collapsed), and the row's
attributes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _Table(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.depth = 0  # inside the wanted table (nested tables are not ours)
        self.rows: list[dict[str, Any]] = []
        self.cell: str | None = None
        self.text: list[str] = []
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            classes = (found.get("class") or "").split()
            if self.depth or self.wanted in classes:
                self.depth += 1
            return
        if not self.depth:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr" and self.section != "thead":
            self.rows.append({"_attrs": found, "_section": self.section, "_cells": []})
        elif tag in ("td", "th") and self.rows and self.section != "thead":
            classes = (found.get("class") or "").split()
            self.cell = classes[-1] if classes else f"#{len(self.rows[-1]['_cells'])}"
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            text = re.sub(r"\s+", " ", "".join(self.text)).strip()
            self.rows[-1][self.cell] = text
            self.rows[-1]["_cells"].append(text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.text.append(data)


def table(html: str, wanted: str) -> list[dict[str, Any]]:
    """The body (and foot) rows of the first table with class ``wanted``: each a dict of the
    cells' last class -> text, ``_cells`` (the texts in order), ``_attrs`` and ``_section``."""
    parser = _Table(wanted)
    parser.feed(html)
    return parser.rows
