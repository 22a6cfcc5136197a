"""Workbooks built part by part (ECMA-376 SpreadsheetML), so that a test can damage any one.

``workbook(rows)`` writes the smallest package Excel opens: content types, the package and
workbook relationships, a workbook with one sheet ``Sheet1``, the sheet, a styles part and, with
``shared=True``, the shared strings.  Text cells are inline strings (or shared strings), numbers
are ``t="n"``.  ``cells`` replaces a cell's XML by its address, ``parts`` replaces (or adds) a
part's text and ``drop`` leaves parts out; :func:`corrupt` flips bytes inside one compressed
member, so that it no longer decompresses.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>'
    '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="9"/></cellXfs></styleSheet>'
)
"""Two cell styles: 0 General, 1 a percentage (built-in format 9, ``0%``)."""


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, digit = divmod(column - 1, 26)
        letters = chr(65 + digit) + letters
    return letters


def sheet_xml(
    rows: Sequence[Sequence[object]],
    *,
    shared: list[str] | None = None,
    cells: Mapping[str, str] | None = None,
    extra: str = "",
) -> str:
    out = []
    for r, values in enumerate(rows, start=1):
        xml = []
        for c, value in enumerate(values, start=1):
            ref = f"{column_letter(c)}{r}"
            if cells and ref in cells:
                xml.append(cells[ref])
            elif value is None:
                continue
            elif isinstance(value, int | float) and not isinstance(value, bool):
                xml.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            elif shared is not None:
                shared.append(str(value))
                xml.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
            else:
                xml.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(xml)}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(out)}{extra}</sheetData></worksheet>'


def workbook(
    rows: Sequence[Sequence[object]],
    *,
    shared: bool = False,
    cells: Mapping[str, str] | None = None,
    extra_rows: str = "",
    parts: Mapping[str, str | bytes] | None = None,
    drop: Iterable[str] = (),
    sheet_name: str = "Sheet1",
) -> bytes:
    """The bytes of an xlsx file holding ``rows`` on one sheet, damaged as asked."""
    strings: list[str] | None = [] if shared else None
    sheet = sheet_xml(rows, shared=strings, cells=cells, extra=extra_rows)
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings or [])
    package: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{_OFFICE}"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_OFFICE}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_OFFICE}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/styles.xml": STYLES,
    }
    if strings is not None:
        package["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
    package.update(parts or {})
    for name in drop:
        package.pop(name, None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def corrupt(data: bytes, member: str) -> bytes:
    """``data`` with bytes flipped inside the compressed data of ``member``."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    raw = bytearray(data)
    at = info.header_offset
    start = at + 30 + int.from_bytes(raw[at + 26 : at + 28], "little")
    start += int.from_bytes(raw[at + 28 : at + 30], "little")
    for i in range(start + 2, start + min(info.compress_size, 40)):
        raw[i] ^= 0x5A
    return bytes(raw)
