"""Loading one sheet of a CSV or xlsx file as a grid of raw cells with exact Excel addresses."""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kaoping._files import FileTooLarge, NotRegularFile, read_regular
from kaoping.data._parse import clean_text
from kaoping.errors import InputError, Problem

__all__ = [
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "Grid",
    "extra_cells",
    "grid_from_bytes",
    "is_blank",
    "load_grid",
]

# A workbook is read by kaoping.data._xlsx, imported where a workbook is read: it imports
# openpyxl's format tables, which take about as long to import as pandas.

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
    delimiter: str | None = None
    """The separator of a CSV file's cells; None for a workbook."""

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


MAX_FILE_BYTES: Final = 100 * 1024 * 1024
"""The largest data file read (a CSV of 3,000 units x 100 indicators x 10 years is 30 MB)."""
MAX_CELLS: Final = 20_000_000
"""The most cells (counted up to the last filled cell of each row) a sheet may have."""


def load_grid(path: str | os.PathLike[str], sheet: str | None = None) -> Grid:
    """Read one sheet (the first by default) of an xlsx file, or a CSV file.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read: a folder, a named pipe or
    a device is refused before anything is read from it.

    Raises
    ------
    kaoping.errors.InputError
        ``data.file_not_found``, ``data.unreadable_file`` (also not a regular file, too large,
        not text, a NUL byte), ``data.missing_sheet``, ``data.empty_file``,
        ``data.too_many_cells``, and for a workbook ``data.damaged_workbook`` and
        ``data.damaged_cell`` (:func:`kaoping.data._xlsx.read_xlsx`).
    """
    file = Path(path)
    source = file.name or os.fspath(path)
    try:
        content = read_regular(file, MAX_FILE_BYTES)
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
    except NotRegularFile as error:
        raise InputError(
            [
                unreadable(
                    os.fspath(path),
                    f"这是{error.kind_zh}，不是普通文件。请给出数据文件（.xlsx 或 .csv）的路径。",
                    f"this is {error.kind_en}, not a regular file; give the path of a data file "
                    "(.xlsx or .csv).",
                )
            ]
        ) from None
    except FileTooLarge as error:
        raise InputError(
            [
                unreadable(
                    source,
                    f"文件有 {error.size:,} 字节，超过了 {error.limit:,} 字节的上限。"
                    "请只保留需要的工作表和数据。",
                    f"the file has {error.size:,} bytes, more than the limit of {error.limit:,}; "
                    "keep only the sheets and data needed.",
                )
            ]
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError([unreadable(source, reason, reason)]) from None
    return grid_from_bytes(content, source, sheet)


def grid_from_bytes(content: bytes, source: str, sheet: str | None = None) -> Grid:
    """One sheet of a workbook or a CSV file already read (an upload), as :func:`load_grid`
    reads a path; ``source`` names the file in messages (its suffix tells a misnamed file)."""
    if not content.strip():
        raise InputError([empty(source)])
    if content.startswith(_OLE_MAGIC):
        raise InputError(
            [
                unreadable(
                    source,
                    "这是旧版 Excel（.xls）格式，不受支持。请在 Excel/WPS 中另存为 .xlsx 或 CSV。",
                    "this is the old Excel format (.xls), which is not supported; save it as "
                    ".xlsx or CSV in Excel or WPS.",
                )
            ]
        )
    if content.startswith(_XLSX_MAGIC):
        from kaoping.data._xlsx import read_xlsx

        grid = read_xlsx(content, source, sheet)
    elif Path(source).suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputError(
            [
                unreadable(
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
        raise InputError([empty(grid.name)])
    return grid


def unreadable(where: str, zh: str, en: str) -> Problem:
    """``data.unreadable_file``: the file cannot be read as a table at all."""
    return Problem(
        "data.unreadable_file", f"无法读取文件：{zh}", f"cannot read the file: {en}", where
    )


def cells_problem(where: str, cells: int) -> Problem:
    """``data.too_many_cells``: more than :data:`MAX_CELLS` cells."""
    return Problem(
        "data.too_many_cells",
        f"表格有 {cells:,} 个以上的单元格（算到每行最后一个有内容的单元格），超过了 "
        f"{MAX_CELLS:,} 的上限。请删去远离数据的单元格内容，或只保留需要的数据。",
        f"the table has more than {cells:,} cells (counting up to the last filled cell of each "
        f"row), more than the limit of {MAX_CELLS:,}; clear the cells far from the data, or "
        "keep only the data needed.",
        where,
    )


def extra_cells(
    grid: Grid, header_row: int, width: int, rows: Iterable[tuple[int, list[object]]]
) -> list[Problem]:
    """``data.extra_cells``: every row with a filled cell to the right of the header's last.

    In a comma-separated file this is almost always a number written with an unquoted
    thousands separator, ``86,200``, which the CSV format reads as two cells, ``86`` and
    ``200``, and which moves every later value of the row one column to the right.
    """
    problems: list[Problem] = []
    for row, values in rows:
        if len(values) <= width:
            continue
        extra = [c for c in range(width + 1, len(values) + 1) if not is_blank(values[c - 1])]
        if not extra:
            continue
        cell = grid.where(row, extra[0])
        if grid.delimiter == ",":
            zh = (
                f"这一行比表头（第 {header_row} 行，{width} 列）多出 {len(extra)} 个单元格，"
                f"从 {cell} 起。多半是某个数字带千位分隔符却没加引号（86,200 被读成 86 和 200 "
                "两格），使这一行后面的值全部错位。请把这样的数字写成 86200 或加上英文引号"
                '（"86,200"）；若多出的是新的一列，请给它加上列标题。'
            )
            en = (
                f"this row has {len(extra)} more cell(s) than the header (row {header_row}, "
                f"{width} columns), from {cell} on. Most likely a number has an unquoted "
                "thousands separator (86,200 read as two cells, 86 and 200), which moves every "
                'later value of the row; write such numbers as 86200 or in quotes ("86,200"); '
                "if the extra cells are a new column, give it a header."
            )
        else:
            zh = (
                f"这一行在表头（第 {header_row} 行，{width} 列）最后一列之后还有内容（{cell}）。"
                "请给这一列加上列标题，或删除这些单元格。"
            )
            en = (
                f"this row has content to the right of the header's last column (row "
                f"{header_row}, {width} columns), at {cell}; give the column a header or clear "
                "those cells."
            )
        problems.append(Problem("data.extra_cells", zh, en, cell))
    return problems


def empty(where: str) -> Problem:
    """``data.empty_file``."""
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
            unreadable(
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
    if b"\0" in content:
        line = content[: content.index(b"\0")].count(b"\n") + 1
        raise InputError(
            [
                unreadable(
                    f"{source}:{line}",
                    f"第 {line} 行含有空字符（NUL，字节 0），这不是文本文件（也许是 UTF-16 "
                    "或二进制文件）。请在 Excel/WPS 中另存为“CSV UTF-8”。",
                    f"line {line} holds a NUL character (byte 0): this is not a text file "
                    "(perhaps UTF-16 or binary); save it as 'CSV UTF-8' in Excel or WPS.",
                )
            ]
        )
    text = _decode(content, source)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    cells = number = 0
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
                cells += len(values)
                if cells > MAX_CELLS:
                    raise InputError([cells_problem(source, cells)])
    except csv.Error as error:
        line = number + 1  # the row (record) that could not be read, as Excel numbers it
        if "field larger than field limit" in str(error):
            zh = (
                f"第 {line} 行有一个单元格超过 {csv.field_size_limit():,} 个字符，多半是引号没有"
                "配对（从一个引号起直到下一个引号都被当作同一格）。请检查这一行的英文引号。"
            )
            en = (
                f"a cell of line {line} has more than {csv.field_size_limit():,} characters, "
                "most likely because a quote is not closed (everything up to the next quote is "
                "read as one cell); check the quotes of this line."
            )
        else:
            zh = f"第 {line} 行的 CSV 格式错误（{error}）。请检查这一行的引号和分隔符。"
            en = f"line {line} is malformed CSV ({error}); check its quotes and separators."
        raise InputError([unreadable(f"{source}:{line}", zh, en)]) from None
    return Grid(source, None, rows, delimiter=delimiter)
