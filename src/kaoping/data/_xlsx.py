"""The values of one worksheet of an xlsx workbook, every damaged part or cell named.

An xlsx file is a zip archive of XML parts (ECMA-376 Part 1, SpreadsheetML; Part 2, Open
Packaging Conventions): ``_rels/.rels`` names the workbook part, the workbook lists its sheets
and, through its relationships, the parts of the sheets, the shared strings and the styles.
This reader walks those parts itself, streaming the sheet, so that a damaged workbook — a part
that does not decompress, XML that is not well-formed, a cell typed as a number holding text,
an index past the end of the shared strings or of the styles, an impossible cell or row
number — is reported as a :class:`~kaoping.errors.Problem` naming the part or the cell
(``data.xlsx!Sheet1!D7``), never as an exception from deep inside a library, and so that a
zip bomb or a sheet of a million empty rows is refused or read in bounded time and memory.

openpyxl (which writes the template) provides the tables that need no reinvention: Excel's
built-in number formats, the test for a date format, the conversion of a date serial number,
and the translation of shared formulas.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import IO, Final
from xml.etree import ElementTree

from kaoping.data._sheet import MAX_CELLS, Grid, cells_problem, empty, unreadable
from kaoping.errors import InputError, Problem

__all__ = ["MAX_UNCOMPRESSED", "read_xlsx"]

MAX_ROW: Final = 1_048_576
MAX_COLUMN: Final = 16_384  # XFD
MAX_UNCOMPRESSED: Final = 512 * 1024 * 1024
"""The most bytes the parts of a workbook may expand to (a workbook of 3,000 units x 100
indicators x 10 years has about 150 MB of sheet XML)."""
MAX_RATIO: Final = 100
"""A part larger than 10 MB may expand to at most 100 times its compressed size (Apache POI's
``ZipSecureFile`` default minimum inflate ratio, 0.01): real sheet XML compresses 5-20 times,
a zip bomb of repeated bytes a thousand times."""
_RATIO_FROM: Final = 10 * 1024 * 1024
_MAX_FAULTS: Final = 1000  # damaged cells reported before reading stops
_CELL_REF: Final = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_FIX_ZH: Final = "请在 Excel/WPS 中打开该文件，检查后另存为 .xlsx，再导入另存的文件。"
_FIX_EN: Final = "open the file in Excel or WPS, check it, save it as .xlsx and import that file."


def _local(tag: str) -> str:
    """The tag without its namespace (transitional and strict SpreadsheetML alike)."""
    return tag.rpartition("}")[2]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    """An attribute by its local name (``r:id`` in either namespace of relationships)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


class _Damaged(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, source: str) -> None:
        self.archive = archive
        self.source = source
        self.names = set(archive.namelist())

    def damaged(self, part: str, zh: str, en: str) -> _Damaged:
        return _Damaged(
            Problem(
                "data.damaged_workbook",
                f"工作簿已损坏：其中的部件 {part} {zh}。{_FIX_ZH}",
                f"the workbook is damaged: its part {part} {en}; {_FIX_EN}",
                self.source,
            )
        )

    def open(self, part: str) -> IO[bytes]:
        if part not in self.names:
            raise self.damaged(part, "缺失", "is missing")
        try:
            return self.archive.open(part)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as error:
            raise self.not_zip(part, error) from None

    def parse(self, part: str) -> ElementTree.Element:
        with self.open(part) as file:
            return self.tree(part, file)

    def tree(self, part: str, file: IO[bytes]) -> ElementTree.Element:
        try:
            return ElementTree.parse(file).getroot()
        except ElementTree.ParseError as error:
            raise self.not_xml(part, error) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise self.not_zip(part, error) from None

    def not_xml(self, part: str, error: ElementTree.ParseError) -> _Damaged:
        line, column = error.position
        return self.damaged(
            part,
            f"不是格式正确的 XML（第 {line} 行第 {column + 1} 列）",
            f"is not well-formed XML (line {line}, column {column + 1})",
        )

    def not_zip(self, part: str, error: Exception) -> _Damaged:
        return self.damaged(part, f"无法解压（{error}）", f"cannot be decompressed ({error})")

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, part name) of the relationships of ``part`` (``""`` for the package)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.names:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for element in self.parse(rels):
            if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target") or ""
            resolved = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            out[element.get("Id") or ""] = (
                element.get("Type") or "",
                posixpath.normpath(resolved),
            )
        return out


def read_xlsx(content: bytes, source: str, sheet: str | None) -> Grid:
    """Read one sheet (the first worksheet by default) of the workbook ``content``.

    Raises
    ------
    kaoping.errors.InputError
        ``data.unreadable_file`` (not a zip archive, too large), ``data.damaged_workbook`` (a
        part missing, not decompressing or not well-formed XML), ``data.damaged_cell`` (every
        damaged cell, by its address), ``data.missing_sheet``, ``data.empty_file``,
        ``data.too_many_cells``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise InputError(
            [
                unreadable(
                    source,
                    f"不是有效的 xlsx 工作簿（{error}）。请在 Excel/WPS 中重新另存为 .xlsx。",
                    f"not a valid xlsx workbook ({error}); save it again as .xlsx in Excel or WPS.",
                )
            ]
        ) from None
    with archive:
        _check_sizes(archive, source)
        book = _Workbook(archive, source)
        try:
            return _read(book, sheet)
        except _Damaged as damaged:
            raise InputError([damaged.problem]) from None


def _check_sizes(archive: zipfile.ZipFile, source: str) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FROM and ratio > MAX_RATIO:
            raise InputError(
                [
                    unreadable(
                        source,
                        f"其中的部件 {info.filename} 从 {info.compress_size:,} 字节解压后有 "
                        f"{info.file_size:,} 字节（{ratio:,.0f} 倍），不像 Excel 写出的工作簿"
                        "（压缩炸弹？）。请在 Excel/WPS 中另存为 .xlsx 后再导入。",
                        f"its part {info.filename} expands from {info.compress_size:,} to "
                        f"{info.file_size:,} bytes ({ratio:,.0f} times), which no workbook "
                        "written by Excel does (a zip bomb?); save it as .xlsx in Excel or WPS.",
                    )
                ]
            )
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            [
                unreadable(
                    source,
                    f"工作簿解压后有 {total:,} 字节，超过了 {MAX_UNCOMPRESSED:,} 字节的上限。"
                    "请删去不需要的工作表或改用 CSV。",
                    f"the workbook expands to {total:,} bytes, more than the limit of "
                    f"{MAX_UNCOMPRESSED:,}; delete the sheets that are not needed or use CSV.",
                )
            ]
        )


def _read(book: _Workbook, sheet: str | None) -> Grid:
    package = book.relationships("")
    part = next(
        (target for kind, target in package.values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    workbook = book.parse(part)
    relations = book.relationships(part)
    sheets: list[tuple[str, str]] = []  # (name, part) of each worksheet, in the workbook's order
    date1904 = False
    for element in workbook.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = (element.get("date1904") or "").lower() in ("1", "true")
        elif tag == "sheet":
            kind, target = relations.get(_attribute(element, "id") or "", ("", ""))
            if kind.endswith("/worksheet"):
                sheets.append((element.get("name") or "", target))
    if not sheets:
        raise InputError([empty(book.source)])
    names = [name for name, _ in sheets]
    if sheet is None:
        title, target = sheets[0]
    elif sheet in names:
        title, target = sheets[names.index(sheet)]
    else:
        raise InputError(
            [
                Problem(
                    "data.missing_sheet",
                    f"工作簿中没有名为 {sheet!r} 的工作表（现有：{'、'.join(names)}）。"
                    "请改用其中之一。",
                    f"the workbook has no sheet named {sheet!r} (it has: {', '.join(names)}); "
                    "choose one of these.",
                    book.source,
                )
            ]
        )
    by_kind = {kind.rpartition("/")[2]: target for kind, target in relations.values()}
    shared = _shared_strings(book, by_kind.get("sharedStrings"))
    formats = _styles(book, by_kind.get("styles"))
    return _SheetReader(book, Grid(book.source, title, []), shared, formats, date1904).read(target)


def _text(element: ElementTree.Element) -> str:
    """The text of a string item (``<si>``, ``<is>``): its ``<t>`` runs, without the phonetic
    guide (``<rPh>``) that Japanese workbooks add."""
    parts: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        for child in node:
            tag = _local(child.tag)
            if tag == "t":
                parts.append(child.text or "")
            elif tag not in ("rPh", "phoneticPr"):
                walk(child)

    walk(element)
    return "".join(parts)


def _shared_strings(book: _Workbook, part: str | None) -> list[str]:
    if part is None or part not in book.names:  # a cell that needs one is named then
        return []
    strings: list[str] = []
    with book.open(part) as file:
        try:
            for _, element in ElementTree.iterparse(file):
                if _local(element.tag) == "si":
                    strings.append(_text(element))
                    element.clear()
        except ElementTree.ParseError as error:
            raise book.not_xml(part, error) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise book.not_zip(part, error) from None
    return strings


def _styles(book: _Workbook, part: str | None) -> list[str]:
    """The number format code of each cell style (``<cellXfs>``), by style index."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    if part is None or part not in book.names:
        return ["General"]
    root = book.parse(part)
    custom: dict[int, str] = {}
    codes: list[str] = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "numFmt":
            number = element.get("numFmtId") or ""
            if number.isdigit():
                custom[int(number)] = element.get("formatCode") or ""
        elif tag == "cellXfs":
            for xf in element:
                number = xf.get("numFmtId") or "0"
                index = int(number) if number.isdigit() else 0
                codes.append(custom.get(index, BUILTIN_FORMATS.get(index, "General")))
    return codes or ["General"]


class _SheetReader:
    def __init__(
        self,
        book: _Workbook,
        grid: Grid,
        shared: list[str],
        formats: list[str],
        date1904: bool,
    ) -> None:
        from openpyxl.styles.numbers import is_date_format, is_timedelta_format
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.book = book
        self.grid = grid
        self.shared = shared
        self.percent = ["%" in code for code in formats]
        self.date = [is_date_format(code) for code in formats]
        self.timedelta = [is_timedelta_format(code) for code in formats]
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.faults: list[Problem] = []
        self.cells = 0
        self.masters: dict[str, tuple[str, str]] = {}  # shared formula index -> (text, cell)

    def fault(self, where: str, zh: str, en: str) -> None:
        self.faults.append(
            Problem(
                "data.damaged_cell",
                f"单元格已损坏：{zh}。{_FIX_ZH}",
                f"the cell is damaged: {en}; {_FIX_EN}",
                where,
            )
        )

    def read(self, part: str) -> Grid:
        with self.book.open(part) as file:
            try:
                self._rows(file)
            except ElementTree.ParseError as error:
                raise self.book.not_xml(part, error) from None
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise self.book.not_zip(part, error) from None
        if self.faults:
            raise InputError(self.faults)
        if self.cells > MAX_CELLS:
            raise InputError([cells_problem(self.grid.name, self.cells)])
        return self.grid

    def _rows(self, file: IO[bytes]) -> None:
        data: ElementTree.Element | None = None
        row_number = 0
        row_ok = True
        for event, element in ElementTree.iterparse(file, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "sheetData":
                    data = element
                elif tag == "row" and data is not None:
                    row_number, row_ok = self._row_number(element.get("r"), row_number)
                continue
            if tag != "row" or data is None:
                continue
            if row_ok:
                self._row(element, row_number)
            data.remove(element)  # keep memory flat however many rows the sheet has
            if len(self.faults) >= _MAX_FAULTS or self.cells > MAX_CELLS:
                return

    def _row_number(self, text: str | None, previous: int) -> tuple[int, bool]:
        if text is None:
            number = previous + 1
        elif text.isdigit() and len(text) <= 7:
            number = int(text)
        else:
            number = 0
        if not 1 <= number <= MAX_ROW:
            self.fault(
                self.grid.name,
                f"第 {previous} 行之后一行的行号 {text!r} 不是 1 至 {MAX_ROW:,} 之间的整数",
                f"the row after row {previous} has the number {text!r}, which is not a whole "
                f"number from 1 to {MAX_ROW:,}",
            )
            return previous, False
        if number <= previous:
            self.fault(
                self.grid.where(number, 1),
                f"第 {number} 行在第 {previous} 行之后又出现了一次（行重复或顺序颠倒）",
                f"row {number} comes again after row {previous} (a repeated or misplaced row)",
            )
            return previous, False
        return number, True

    def _row(self, row: ElementTree.Element, number: int) -> None:
        values: list[object] = []
        column = 0
        for cell in row:
            if _local(cell.tag) != "c":
                continue
            at = self._column(cell.get("r"), number, column)
            if at is None:
                continue
            column = at
            value = self._value(cell, number, column)
            if value is not None:
                values.extend([None] * (column - 1 - len(values)))
                values.append(value)
        if values:
            self.cells += len(values)
            self.grid.rows.append((number, values))

    def _column(self, ref: str | None, row: int, previous: int) -> int | None:
        if ref is None:
            column = previous + 1
        else:
            match = _CELL_REF.fullmatch(ref)
            column = _column_number(match.group(1)) if match else 0
            if match is None or not 1 <= column <= MAX_COLUMN:
                self.fault(
                    self.grid.where(row, previous + 1),
                    f"其地址 {ref!r} 不是有效的单元格地址（A1 至 XFD{MAX_ROW}）",
                    f"its address {ref!r} is not a valid cell reference (A1 to XFD{MAX_ROW})",
                )
                return None
            if int(match.group(2)) != row:
                self.fault(
                    self.grid.where(row, column),
                    f"其地址 {ref} 与所在的第 {row} 行不符",
                    f"its address {ref} is not in the row it is written in, row {row}",
                )
                return None
        if column <= previous:
            self.fault(
                self.grid.where(row, column),
                "这一行中该单元格出现了两次（或顺序颠倒）",
                "the cell comes twice in its row (or out of order)",
            )
            return None
        return column

    def _value(self, cell: ElementTree.Element, row: int, column: int) -> object:
        kind = cell.get("t") or "n"
        style_text = cell.get("s") or "0"
        style = int(style_text) if style_text.isdigit() and len(style_text) < 10 else -1
        where = self.grid.where(row, column)
        if not 0 <= style < len(self.date):
            self.fault(
                where,
                f"其格式（样式编号 {style_text}）在工作簿的样式表中不存在",
                f"its format (style {style_text}) is not in the workbook's styles",
            )
            return None
        value_element = formula = inline = None
        for child in cell:
            tag = _local(child.tag)
            if tag == "v":
                value_element = child
            elif tag == "f":
                formula = child
            elif tag == "is":
                inline = child
        text = value_element.text if value_element is not None else None
        if formula is not None and not text:
            self.grid.formulas[row, column] = self._formula(formula, where)
            return None
        if kind == "inlineStr":
            return _text(inline) if inline is not None else None
        if text is None:
            return None
        if kind == "n":
            return self._number(text, style, where, row, column)
        if kind == "s":
            if not (text.isdigit() and len(text) < 10):
                self.fault(
                    where,
                    f"它是共享字符串，编号却是 {text[:40]!r}，不是整数",
                    f"it is a shared string, but its index {text[:40]!r} is not a whole number",
                )
                return None
            index = int(text)
            if index >= len(self.shared):
                self.fault(
                    where,
                    f"它引用第 {text} 个共享字符串，而工作簿只有 {len(self.shared)} 个（从 0 起）",
                    f"it refers to shared string {text}, but the workbook has "
                    f"{len(self.shared)} (counted from 0)",
                )
                return None
            return self.shared[index]
        if kind == "b":
            if text.strip().lower() not in ("0", "1", "true", "false"):
                self.fault(
                    where,
                    f"它标为逻辑值（TRUE/FALSE），内容却是 {text!r}",
                    f"it is typed as a logical value (TRUE/FALSE) but holds {text!r}",
                )
                return None
            return text.strip().lower() in ("1", "true")
        if kind in ("str", "e"):
            return text
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return from_ISO8601(text)
            except (ValueError, TypeError, OverflowError):
                self.fault(
                    where,
                    f"它标为日期，内容 {text!r} 却不是日期（ISO 8601）",
                    f"it is typed as a date but holds {text!r}, which is not an ISO 8601 date",
                )
                return None
        self.fault(
            where,
            f"其类型 t={kind!r} 不是 Excel 的单元格类型（n、s、b、str、inlineStr、e、d）",
            f"its type t={kind!r} is not a type of Excel cell (n, s, b, str, inlineStr, e, d)",
        )
        return None

    def _number(self, text: str, style: int, where: str, row: int, column: int) -> object:
        text = text.strip()
        if len(text) > 400 or not _NUMBER.fullmatch(text):
            self.fault(
                where,
                f"它标为数字，内容却是 {text[:40]!r}",
                f"it is typed as a number but holds {text[:40]!r}",
            )
            return None
        number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        if self.date[style]:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, self.epoch, timedelta=self.timedelta[style])
            except (OverflowError, ValueError):
                self.fault(
                    where,
                    f"它是日期格式，其日期序号 {text} 却超出了日期的范围",
                    f"it is formatted as a date, but its serial number {text} is not a date",
                )
                return None
        if self.percent[style]:
            self.grid.percent.add((row, column))
        return number

    def _formula(self, formula: ElementTree.Element, where: str) -> str:
        """The formula text, a shared formula translated from the cell that holds it."""
        cell = where.rpartition("!")[2]
        text = "=" + (formula.text or "")
        index = formula.get("si")
        if formula.get("t") != "shared" or index is None:
            return text
        if formula.text:
            self.masters[index] = (text, cell)
            return text
        if index not in self.masters:
            return "=（共享公式）"
        from openpyxl.formula.translate import Translator, TranslatorError

        master, origin = self.masters[index]
        try:
            return str(Translator(master, origin=origin).translate_formula(cell))
        except (TranslatorError, ValueError):
            return master


def _column_number(letters: str) -> int:
    """1-based column of Excel's letters: A -> 1, Z -> 26, AA -> 27 (bijective base 26)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
