"""The charts of a workbook read back from its XML (``xl/charts/chart*.xml``, found through the
sheets' drawings), the cells their references name, and the few formulas the charts sheet
holds worked out as a spreadsheet would (INDEX/MATCH, AVERAGEIFS ``">0"``).

openpyxl reads charts back only in part, so the parts read here come from the standard
library's zipfile and ElementTree."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.utils import column_index_from_string

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
EMU_PER_CM = 360000
RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


@dataclass(frozen=True)
class ChartSeries:
    title: str | None  # the reference of its name (c:tx/c:strRef/c:f)
    categories: str | None
    values: str
    colour: str | None
    points: dict[int, str]  # data point index -> its colour


@dataclass(frozen=True)
class Chart:
    kind: str  # the plot's element: barChart, pieChart …
    direction: str | None  # bar (horizontal) or col
    title: str
    axis_titles: tuple[str, ...]
    series: list[ChartSeries]
    anchor: tuple[int, int]  # (column, row), 1-based
    width: float  # cm
    height: float
    category_order: str | None  # minMax or maxMin
    overlap: int | None
    legend: bool
    label_flags: dict[str, str] = field(default_factory=dict)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    if path not in z.namelist():
        return {}
    root = ET.fromstring(z.read(path))
    out = {}
    for r in root.findall("rel:Relationship", NS):
        target = r.get("Target")  # relative to the part, or absolute (/xl/…)
        joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        out[r.get("Id")] = posixpath.normpath(joined)
    return out


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return "".join(t.text or "" for t in element.iter(f"{{{NS['a']}}}t"))


def _colour(sp: ET.Element | None) -> str | None:
    if sp is None:
        return None
    fill = sp.find("a:solidFill/a:srgbClr", NS)
    return fill.get("val") if fill is not None else None


def _extent(anchor: ET.Element, sheet: ET.Element) -> tuple[int, int]:
    """A drawing's (width, height) in EMU: a one-cell anchor's ``xdr:ext``, or a two-cell
    anchor's span (XlsxWriter's) worked out as Excel lays out the sheet: a column of width w
    characters is int(7w + 0.5) + 5 pixels (the default 8.43: 64), a row of h points 4h/3
    pixels (the default 15: 20), 9525 EMU a pixel."""
    ext = anchor.find("xdr:ext", NS)
    if ext is not None:
        return int(ext.get("cx")), int(ext.get("cy"))
    widths: dict[int, float] = {}
    for col in sheet.findall("main:cols/main:col", NS):
        for c in range(int(col.get("min")), int(col.get("max")) + 1):
            widths[c] = float(col.get("width"))
    heights = {
        int(r.get("r")): float(r.get("ht"))
        for r in sheet.findall("main:sheetData/main:row", NS)
        if r.get("ht") is not None
    }

    def column_px(c: int) -> int:  # 1-based
        w = widths.get(c, 8.43)
        return int(w * 12 + 0.5) if w < 1 else int(w * 7 + 0.5) + 5

    def row_px(r: int) -> int:
        return int(heights.get(r, 15.0) * 4 / 3)

    start, end = anchor.find("xdr:from", NS), anchor.find("xdr:to", NS)

    def at(e: ET.Element, tag: str) -> int:
        return int(e.find(f"xdr:{tag}", NS).text)

    cx = sum(column_px(c + 1) for c in range(at(start, "col"), at(end, "col"))) * 9525
    cy = sum(row_px(r + 1) for r in range(at(start, "row"), at(end, "row"))) * 9525
    cx += at(end, "colOff") - at(start, "colOff")
    cy += at(end, "rowOff") - at(start, "rowOff")
    return cx, cy


def _chart(xml: bytes, anchor: ET.Element, sheet: ET.Element) -> Chart:
    root = ET.fromstring(xml)
    plot = root.find("c:chart/c:plotArea", NS)
    assert plot is not None
    kinds = [e for e in plot if e.tag.endswith("Chart")]
    assert len(kinds) == 1, [e.tag for e in kinds]
    kind = kinds[0]
    series = []
    for ser in kind.findall("c:ser", NS):
        tx = ser.find("c:tx/c:strRef/c:f", NS)
        cat = ser.find("c:cat//c:f", NS)
        val = ser.find("c:val//c:f", NS)
        assert val is not None
        points = {
            int(p.find("c:idx", NS).get("val")): _colour(p.find("c:spPr", NS))
            for p in ser.findall("c:dPt", NS)
        }
        series.append(
            ChartSeries(
                title=tx.text if tx is not None else None,
                categories=cat.text if cat is not None else None,
                values=val.text,
                colour=_colour(ser.find("c:spPr", NS)),
                points=points,
            )
        )
    direction = kind.find("c:barDir", NS)
    overlap = kind.find("c:overlap", NS)
    order = plot.find("c:catAx/c:scaling/c:orientation", NS)
    start = anchor.find("xdr:from", NS)
    cx, cy = _extent(anchor, sheet)
    # the data labels: the chart's (openpyxl), else every series' alike (XlsxWriter); a flag
    # not written is off (XlsxWriter writes only those that are on)
    found = [kind.find("c:dLbls", NS)]
    if found[0] is None:
        found = [ser.find("c:dLbls", NS) for ser in kind.findall("c:ser", NS)]
    all_flags = [
        {e.tag.split("}")[1]: e.get("val") for e in labels if e.get("val") is not None}
        if labels is not None
        else {}
        for labels in found
    ]
    assert all(f == all_flags[0] for f in all_flags), all_flags
    flags = (
        {
            "showLegendKey": "0",
            "showVal": "0",
            "showCatName": "0",
            "showSerName": "0",
            "showPercent": "0",
            "showBubbleSize": "0",
            **all_flags[0],
        }
        if any(all_flags[0])
        else {}
    )
    return Chart(
        kind=kind.tag.split("}")[1],
        direction=direction.get("val") if direction is not None else None,
        title=_text(root.find("c:chart/c:title", NS)),
        axis_titles=tuple(_text(t) for t in plot.findall("*/c:title", NS)),
        series=series,
        anchor=(int(start.find("xdr:col", NS).text) + 1, int(start.find("xdr:row", NS).text) + 1),
        width=cx / EMU_PER_CM,
        height=cy / EMU_PER_CM,
        category_order=order.get("val") if order is not None else None,
        overlap=int(overlap.get("val")) if overlap is not None else None,
        legend=root.find("c:chart/c:legend", NS) is not None,
        label_flags=flags,
    )


def charts(source: Path | bytes) -> dict[str, list[Chart]]:
    """Sheet name -> its charts, in the order of its drawing."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    out: dict[str, list[Chart]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        targets = _rels(z, "xl/workbook.xml")
        for sheet in book.findall("main:sheets/main:sheet", NS):
            part = targets[sheet.get(f"{{{NS['r']}}}id")]
            found: list[Chart] = []
            sheet_xml = ET.fromstring(z.read(part))
            drawing = sheet_xml.find("main:drawing", NS)
            if drawing is not None:
                drawing_part = _rels(z, part)[drawing.get(f"{{{NS['r']}}}id")]
                chart_parts = _rels(z, drawing_part)
                root = ET.fromstring(z.read(drawing_part))
                for anchor in root:
                    ref = anchor.find(".//c:chart", NS)
                    if ref is not None:
                        chart_part = chart_parts[ref.get(f"{{{NS['r']}}}id")]
                        found.append(_chart(z.read(chart_part), anchor, sheet_xml))
            out[sheet.get("name")] = found
    return out


def cells(book: Any, reference: str) -> list[Any]:
    """The values of a range (``'图表'!$B$5:$B$10``, one column or row) of an openpyxl book."""
    sheet, cols, rows = parse(reference)
    ws = book[sheet]
    return [ws.cell(r, c).value for r in rows for c in cols]


def parse(reference: str) -> tuple[str, range, range]:
    """``'S'!$B$5:$C$10`` -> ("S", columns 2..3, rows 5..10)."""
    m = RANGE.match(reference.strip().lstrip("="))
    assert m, reference
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    c1, r1 = column_index_from_string(m.group(3)), int(m.group(4))
    c2 = column_index_from_string(m.group(5)) if m.group(5) else c1
    r2 = int(m.group(6)) if m.group(6) else r1
    return sheet, range(c1, c2 + 1), range(r1, r2 + 1)


_INDEX = re.compile(r"^=INDEX\(([^,]+),MATCH\((\$[A-Z]+\$\d+),([^,]+),0\)\)$")
_AVERAGE = re.compile(r'^=AVERAGEIFS\(([^,]+),([^,]+),">0"\)$')


def evaluate(book: Any, sheet: str, formula: str, chosen: Any = None) -> Any:
    """A formula of the charts sheet worked out: ``=INDEX(R,MATCH($X$n,K,0))`` (the cell
    ``$X$n`` of ``sheet``, itself worked out when it holds a formula; ``chosen`` in place of
    B1, the unit chosen), ``=AVERAGEIFS(R,K,">0")`` or a plain value."""
    if not isinstance(formula, str) or not formula.startswith("="):
        return formula
    if formula == "=$B$1":
        return chosen if chosen is not None else book[sheet]["B1"].value
    if m := _INDEX.match(formula):
        values, key, keys = m.groups()
        ws = book[sheet]
        wanted = ws[key.replace("$", "")].value
        if key == "$B$1" and chosen is not None:
            wanted = chosen
        wanted = evaluate(book, sheet, wanted, chosen)
        column = [k for k in cells(book, _qualified(keys, sheet))]
        return cells(book, _qualified(values, sheet))[column.index(wanted)]
    if m := _AVERAGE.match(formula):
        values, criteria = (cells(book, _qualified(r, sheet)) for r in m.groups())
        picked = [
            v for v, k in zip(values, criteria, strict=True) if isinstance(k, int | float) and k > 0
        ]
        return sum(picked) / len(picked)
    raise AssertionError(f"not a formula of the charts sheet: {formula}")


def _qualified(reference: str, sheet: str) -> str:
    return reference if "!" in reference else f"'{sheet}'!{reference}"
