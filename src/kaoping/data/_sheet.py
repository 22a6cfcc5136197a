"""Loading one sheet of a CSV or xlsx file as a grid of raw cells with exact Excel addresses."""

from __future__ import annotations

import csv
import functools
import io
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kaoping.data._parse import clean_text
from kaoping.errors import InputError, Problem

__all__ = ["Grid", "is_blank", "load_grid"]

# openpyxl is imported where a workbook is read: it takes about as long to import as pandas
# and a CSV file does not need it.

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .et) format


@dataclass
class Grid:
    """The cells of one sheet.

    ``rows`` holds ``(row number, values)`` for every row that has a cell, with Excel's 1-based
    row numbers; ``values[k]`` is the cell in column ``k + 1`` (None when empty).  For xlsx,
    ``percent`` holds the ``(row, column)`` (1-based) of numeric cells formatted as percentages
    and ``formulas`` the formula text of cells whose formula has no saved value.
    """

    source: str
    sheet: str | None
    rows: list[tuple[int, list[object]]]
    percent: set[tuple[int, int]] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def where(self, row: int, column: int) -> str:
        """The address of a cell: ``data.xlsx!Sheet1!D7`` or ``data.csv!D7`` (1-based)."""
        return f"{self._prefix}{_letter(column)}{row}"

    def column_prefix(self, column: int) -> str:
        """The address of a cell of ``column`` without its row: ``data.csv!D``."""
        return f"{self._prefix}{_letter(column)}"

    @functools.cached_property
    def _prefix(self) -> str:
        return f"{self.source}!{self.sheet}!" if self.sheet else f"{self.source}!"

    @property
    def name(self) -> str:
        """The file, and the sheet for a workbook: ``data.xlsx!Sheet1``."""
        return f"{self.source}!{self.sheet}" if self.sheet else self.source


@functools.lru_cache(maxsize=4096)
def _letter(column: int) -> str:
    """Excel's column letters of a 1-based column: 1 -> A, 26 -> Z, 27 -> AA (ECMA-376, A1
    references: bijective base 26)."""
    letters = ""
    while column > 0:
        column, digit = divmod(column - 1, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


def is_blank(value: object) -> bool:
    """An empty cell or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not clean_text(value))


def load_grid(path: str | os.PathLike[str], sheet: str | None = None) -> Grid:
    """Read one sheet (the first by default) of an xlsx file, or a CSV file.

    Raises
    ------
    kaoping.errors.InputError
        ``data.file_not_found``, ``data.unreadable_file``, ``data.missing_sheet`` or
        ``data.empty_file``.
    """
    file = Path(path)
    source = file.name
    try:
        content = file.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    "data.file_not_found",
                    "找不到该文件。请检查路径和文件名。",
                    "no such file; check the path and the file name.",
                    str(path),
                )
            ]
        ) from None
    except OSError as error:
        raise InputError([_unreadable(source, str(error), str(error))]) from None
    if not content.strip():
        raise InputError([_empty(source)])
    if content.startswith(_OLE_MAGIC):
        raise InputError(
            [
                _unreadable(
                    source,
                    "这是旧版 Excel（.xls）格式，不受支持。请在 Excel/WPS 中另存为 .xlsx 或 CSV。",
                    "this is the old Excel format (.xls), which is not supported; save it as "
                    ".xlsx or CSV in Excel or WPS.",
                )
            ]
        )
    if content.startswith(_XLSX_MAGIC):
        grid = _load_xlsx(file, source, sheet)
    elif file.suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputError(
            [
                _unreadable(
                    source,
                    "文件扩展名是 .xlsx，但内容不是 Excel 工作簿。"
                    "请在 Excel/WPS 中重新另存为 .xlsx。",
                    "the file is named .xlsx but is not an Excel workbook; save it again as "
                    ".xlsx in Excel or WPS.",
                )
            ]
        )
    else:
        if sheet is not None:
            raise InputError(
                [
                    Problem(
                        "data.missing_sheet",
                        f"CSV 文件没有工作表，却指定了工作表 {sheet!r}。"
                        "请不要指定工作表，或改用 xlsx 文件。",
                        f"a CSV file has no sheets, but sheet {sheet!r} was given; give no sheet "
                        "or use an xlsx file.",
                        source,
                    )
                ]
            )
        grid = _load_csv(content, source)
    if not grid.rows:
        raise InputError([_empty(grid.name)])
    return grid


def _unreadable(where: str, zh: str, en: str) -> Problem:
    return Problem(
        "data.unreadable_file", f"无法读取文件：{zh}", f"cannot read the file: {en}", where
    )


def _empty(where: str) -> Problem:
    return Problem(
        "data.empty_file",
        "文件是空的。请填入表头和数据后再导入。",
        "the file is empty; add a header row and the data, then import it again.",
        where,
    )


def _decode(content: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else GB18030, the superset of GBK that Chinese Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        [
            _unreadable(
                source,
                "编码既不是 UTF-8 也不是 GBK/GB18030。请在 Excel/WPS 中另存为“CSV UTF-8”。",
                "the text is neither UTF-8 nor GBK/GB18030; save it as 'CSV UTF-8' in Excel "
                "or WPS.",
            )
        ]
    )


def _delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    counts = {d: head.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _load_csv(content: bytes, source: str) -> Grid:
    text = _decode(content, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, list[object]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            values: list[object] = (
                list(record)
                if all(map(str.strip, record))  # no empty cell: the common row, at C speed
                else [cell if cell.strip() else None for cell in record]
            )
            while values and values[-1] is None:
                values.pop()
            if values:
                rows.append((number, values))
    except csv.Error as error:
        raise InputError(
            [_unreadable(source, f"CSV 格式错误（{error}）。", f"malformed CSV ({error}).")]
        ) from None
    return Grid(source, None, rows)


def _load_xlsx(file: Path, source: str, sheet: str | None) -> Grid:
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils.exceptions import InvalidFileException

    candidates: list[tuple[int, int]] = []
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it does not read (data validation
        # extensions, default styles); they do not change the values.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
            raise InputError(
                [
                    _unreadable(
                        source,
                        f"不是有效的 xlsx 工作簿（{err}）。请在 Excel/WPS 中重新另存为 .xlsx。",
                        f"not a valid xlsx workbook ({err}); save it again as .xlsx in Excel "
                        "or WPS.",
                    )
                ]
            ) from None
        try:
            names = list(workbook.sheetnames)
            if sheet is None:
                if not workbook.worksheets:
                    raise InputError([_empty(source)])
                worksheet = workbook.worksheets[0]
            elif sheet in names:
                worksheet = workbook[sheet]
            else:
                listed = "、".join(names)
                raise InputError(
                    [
                        Problem(
                            "data.missing_sheet",
                            f"工作簿中没有名为 {sheet!r} 的工作表（现有：{listed}）。"
                            "请改用其中之一。",
                            f"the workbook has no sheet named {sheet!r} (it has: "
                            f"{', '.join(names)}); choose one of these.",
                            source,
                        )
                    ]
                )
            title = str(worksheet.title)
            grid = Grid(source, title, [])
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()  # do not trust the stored dimension
            number = 0
            for row in worksheet.iter_rows():
                number += 1
                first = next((c for c in row if isinstance(c, ReadOnlyCell)), None)
                if first is not None:
                    number = int(first.row)
                values: list[object] = []
                for column, cell in enumerate(row, start=1):
                    value = cell.value
                    values.append(value)
                    if not isinstance(cell, ReadOnlyCell):
                        continue
                    if value is None:
                        candidates.append((number, column))
                    elif (
                        isinstance(value, int | float)
                        and not isinstance(value, bool)
                        and "%" in str(cell.number_format or "")
                    ):
                        grid.percent.add((number, column))
                while values and values[-1] is None:
                    values.pop()
                if values:
                    grid.rows.append((number, values))
        finally:
            workbook.close()
        if candidates:
            grid.formulas = _formulas_without_value(file, title, set(candidates))
    return grid


def _formulas_without_value(
    file: Path, title: str, cells: set[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """Formula text of the given cells (empty in the values-only view), to report them."""
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import ReadOnlyCell

    workbook = load_workbook(file, read_only=True, data_only=False)
    found: dict[tuple[int, int], str] = {}
    try:
        worksheet = workbook[title]
        last = max(r for r, _ in cells)
        for row in worksheet.iter_rows(max_row=last):
            for cell in row:
                if not isinstance(cell, ReadOnlyCell):
                    continue
                key = (int(cell.row), int(cell.column))
                text = getattr(cell.value, "text", cell.value)  # ArrayFormula has .text
                if key in cells and isinstance(text, str) and text.startswith("="):
                    found[key] = text
    finally:
        workbook.close()
    return found
