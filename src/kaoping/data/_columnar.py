"""Reading a large wide CSV or Parquet file column by column (Apache Arrow), for speed.

:func:`kaoping.data.read_panel` reads a file cell by cell, as Python objects, so that every
problem can be named at its cell.  At 10^5 and 10^6 rows (a province's enterprises, the
townships of a country) that costs seconds and gigabytes, although almost every such file is
clean.  This module reads the same files with pyarrow's CSV and Parquet readers in batches of
columns and checks them with vectorised tests that accept exactly what the cell-by-cell reader
accepts: a plain number (``-?digits[.digits]``) is converted by Arrow in C; any other number
cell (``1,234.5``, ``NA``, ``—``, full-width digits) is parsed by the same
:func:`~kaoping.data._parse.parse_number`, one by one.

When anything needs the cell-by-cell reader — a problem to report, a title or a footnote in
an unusual place, a row of the wrong length, a quote spanning lines, a code that is not plain
text, an encoding other than UTF-8 — :func:`read_wide` returns a :class:`Fallback` with the
reason, and the cell-by-cell reader reads the file and reports every problem at once.  A clean
file never goes the slow way; a file with problems is read once more by the reader that names
them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from kaoping.data._parse import (
    PLAIN_NUMBER,
    Bad,
    clean_text,
    header_key,
    parse_code,
    parse_number,
    parse_period,
)
from kaoping.data._sheet import Grid, is_blank
from kaoping.data.panel import Wide
from kaoping.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

    from kaoping.data.readers import _Vocabulary
    from kaoping.data.units import Units

__all__ = ["Fallback", "is_parquet", "read_wide"]

_HEAD_LINES: Final = 30  # as readers._HEADER_SCAN: the header is among the first 30 rows
_PLAIN: Final = f"^{PLAIN_NUMBER.pattern}$"
_PLAIN_CODE: Final = r"^[0-9A-Za-z]+$"
_PIECE: Final = 1 << 21  # 2 MiB of CSV text parsed at a time: memory stays a piece wide
_PARQUET_MAGIC: Final = b"PAR1"


@dataclass(frozen=True)
class Fallback:
    """Why the file needs the cell-by-cell reader, in English and Chinese (for tests and for
    the message of a file too large to be read cell by cell); ``row``: the row of the batch
    where it was found, which the caller turns into the cell's address."""

    reason: str
    zh: str = ""
    row: int | None = None

    def at(self, where: str) -> Fallback:
        """The same reason, at the cell ``where``."""
        return Fallback(f"{where}: {self.reason}", f"{where}：{self.zh or self.reason}")


def is_parquet(head: bytes, source: str) -> bool:
    """A Parquet file, by its magic bytes (or its name when it is empty)."""
    return head.startswith(_PARQUET_MAGIC) or source.lower().endswith(".parquet")


def read_wide(
    source: str,
    path: Path,
    head: bytes,
    *,
    vocabulary: _Vocabulary,
    units: Units | None,
    period: str | None,
) -> Wide | Fallback:
    """Read a wide CSV (UTF-8) or Parquet file into a :class:`~kaoping.data.panel.Wide`.

    Parameters
    ----------
    source : str
        The file's name, for cell addresses (``data.csv!D7``).
    path : Path
        The file (a regular file: the caller has checked).
    head : bytes
        The first bytes of the file (at least its first 30 lines when it has them).
    vocabulary, units, period
        As in :func:`kaoping.data.read_panel` (``period``: the period of every row when the
        file has no period column).

    Returns
    -------
    Wide or Fallback
        The block, or why the cell-by-cell reader must read the file.
    """
    if is_parquet(head, source):
        return _parquet(source, path, vocabulary, units, period)
    return _csv(source, path, head, vocabulary, units, period)


# --- CSV ---------------------------------------------------------------------------------------


def _csv(
    source: str,
    path: Path,
    head: bytes,
    vocabulary: _Vocabulary,
    units: Units | None,
    period: str | None,
) -> Wide | Fallback:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if b"\0" in head:
        return Fallback("a NUL byte", "含有空字符（NUL）")
    lines = head.split(b"\n")[:_HEAD_LINES]
    try:
        text = b"\n".join(lines).decode("utf-8-sig")
    except UnicodeDecodeError:
        return Fallback("not UTF-8", "不是 UTF-8 编码")
    from kaoping.data._sheet import _load_csv

    try:
        grid = _load_csv(text.encode("utf-8"), source)
    except InputError:
        return Fallback("the first lines are not well-formed CSV", "前几行不是规范的 CSV")
    if not grid.rows:
        return Fallback("no cells in the first lines", "前几行没有内容")
    found = _header(grid, vocabulary, units, period)
    if isinstance(found, Fallback):
        return found
    header, roles, columns = found
    header_line = grid.rows[header][0]
    # the rows must be the file's lines: no quoted cell spanning lines above the header
    physical = text.split("\n")
    if any(line.count('"') % 2 for line in physical[:header_line]):
        return Fallback(
            "a quoted cell spans lines above the header", "表头以上有跨行的带引号单元格"
        )
    raw_header = next(csv.reader([physical[header_line - 1]], delimiter=grid.delimiter or ","))
    width = len(raw_header)
    names = [f"c{k}" for k in range(1, width + 1)]
    read_options = pacsv.ReadOptions(column_names=names, encoding="utf8")
    parse_options = pacsv.ParseOptions(
        delimiter=grid.delimiter or ",", newlines_in_values=False, ignore_empty_lines=False
    )
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    start = sum(len(line) + 1 for line in head.split(b"\n")[:header_line])  # after the header
    # rows expected: the file's size over the bytes per line of its first lines
    per_line = max(len(b"\n".join(lines)) / max(len(lines), 1), 1.0)
    expected = int(path.stat().st_size / per_line * 1.05) + len(lines)

    def pieces() -> Iterator[Any]:
        """The rows below the header, a piece of whole lines at a time, each parsed by
        pyarrow on every core (its streaming reader would read the whole file ahead)."""
        for piece in _line_pieces(path, start):
            table = pacsv.read_csv(
                pa.py_buffer(piece),
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            del piece
            yield from table.combine_chunks().to_batches()

    try:
        block = _collect(
            source, grid, pieces(), header_line + 1, roles, columns, width, units, period,
            expected=expected,
        )  # fmt: skip
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as error:
        return Fallback(f"pyarrow: {error}", f"按列读取出错（pyarrow：{error}）")
    finally:
        pa.default_memory_pool().release_unused()  # Arrow keeps freed batches otherwise
    return block


def _line_pieces(path: Path, start: int, size: int = _PIECE) -> Iterator[bytes]:
    """The file from byte ``start`` in pieces of about ``size`` bytes, each ending at the
    end of a line (the last where the file ends)."""
    with open(path, "rb") as file:
        file.seek(start)
        rest = b""
        while True:
            chunk = file.read(size)
            if not chunk:
                if rest:
                    yield rest
                return
            data = rest + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            yield data[: cut + 1]
            rest = data[cut + 1 :]


def _header(
    grid: Grid, vocabulary: _Vocabulary, units: Units | None, period: str | None
) -> tuple[int, dict[str, int], dict[int, str]] | Fallback:
    """The header's position, its key columns and its indicator columns, or a fallback when
    the header has anything to report."""
    from kaoping.data.readers import HEADERS, _find_header, _Reader

    try:
        header = _find_header(grid)
    except InputError:
        return Fallback("no code column in the header", "表头中没有代码列")
    keys = {header_key(v) for v in grid.rows[header][1]}
    if keys & HEADERS["indicator"] and keys & HEADERS["value"]:
        return Fallback("a long file", "是长表（有指标列和数值列）")
    cells = grid.rows[header][1]
    if any(is_blank(v) for v in cells):
        return Fallback("a header cell is empty", "表头有空单元格")
    reader = _Reader(grid, header, vocabulary, units, period)
    roles, columns = reader._columns(("code", "name", "period"), wide=True)
    if reader.problems or not columns or "code" not in roles:
        return Fallback("the header has problems", "表头有问题（如未知的列或重复的列）")
    if "period" not in roles and period is None:
        return Fallback("no period", "没有时期列，也没有给出时期（-p）")
    return header, roles, columns


def _collect(
    source: str,
    grid: Grid,
    batches: Iterator[Any],
    first_line: int,
    roles: dict[str, int],
    columns: dict[int, str],
    width: int,
    units: Units | None,
    period: str | None,
    *,
    expected: int,
    text_cells: bool = True,
) -> Wide | Fallback:
    """The block of the batches (each a record batch of all columns, ``c1`` … ``cN``).

    The values go straight into one array, grown in place (``realloc``) when ``expected``
    rows were too few: no list of blocks to concatenate, no second copy of the matrix."""
    order = list(columns)
    codes: list[np.ndarray] = []
    periods: list[np.ndarray] = []
    names: list[np.ndarray] = []
    block = np.empty((max(expected, 1), len(order)), dtype=np.float64)
    filled = 0
    lines: list[np.ndarray] = []
    line = first_line
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        keep = _kept_rows(batch, width, text_cells)
        if isinstance(keep, Fallback):
            return keep
        numbers = np.arange(line, line + n, dtype=np.int64)
        line += n
        if not keep.all():
            batch = batch.filter(keep)
            numbers = numbers[keep]
        if batch.num_rows == 0:
            continue
        code = _codes(batch.column(roles["code"] - 1))
        if isinstance(code, Fallback):
            return _placed(code, grid, numbers, roles["code"])
        if "period" in roles:
            when = _periods(batch.column(roles["period"] - 1))
            if isinstance(when, Fallback):
                return when
        else:
            assert period is not None
            when = np.full(batch.num_rows, period, dtype=object)
        if "name" in roles:
            names.append(_names(batch.column(roles["name"] - 1)))
        else:
            names.append(np.full(batch.num_rows, None, dtype=object))
        if filled + batch.num_rows > len(block):
            grown = max(filled + batch.num_rows, len(block) + len(block) // 2)
            block.resize((grown, len(order)), refcheck=False)
        for j, column in enumerate(order):
            parsed = _numbers(batch.column(column - 1))
            if isinstance(parsed, Fallback):
                return _placed(parsed, grid, numbers, column)
            block[filled : filled + batch.num_rows, j] = parsed
        filled += batch.num_rows
        codes.append(code)
        periods.append(when)
        lines.append(numbers)
    if not filled:
        return Fallback("no data rows", "没有数据行")
    if filled < len(block):
        block.resize((filled, len(order)), refcheck=False)  # shrunk in place
    unit_codes = np.concatenate(codes)
    period_labels = np.concatenate(periods)
    if _repeated(unit_codes, period_labels):
        return Fallback("a unit has two rows of one period", "有单位在同一时期出现两行")
    if units is not None:
        known = pd.Index(unit_codes).isin(list(units.codes))
        if not known.all():
            return Fallback("a code is not in the units table", "有代码不在单位表中")
        pairs = pd.unique(pd.Series(list(zip(unit_codes, period_labels, strict=True))))
        if not all(units.is_valid(c, p) for c, p in pairs):
            return Fallback(
                "a unit does not exist in the period of its row", "有单位在其所在行的时期并不存在"
            )
    return Wide(
        units=unit_codes,
        periods=period_labels,
        names=np.concatenate(names),
        values=block,
        indicators=tuple(columns[c] for c in order),
        source=source,
        prefixes=tuple(grid.column_prefix(c) for c in order),
        lines=np.concatenate(lines),
    )


def _placed(found: Fallback, grid: Grid, lines: np.ndarray, column: int) -> Fallback:
    """``found`` at its cell, when it names a row of the batch."""
    if found.row is None:
        return found
    return found.at(grid.where(int(lines[found.row]), column))


def _kept_rows(batch: Any, width: int, text_cells: bool) -> np.ndarray | Fallback:
    """Rows that are neither empty nor a footnote (a single text cell starting with 注,
    说明, 数据来源, note …: :func:`kaoping.data.readers._data_rows`)."""
    import pyarrow.compute as pc

    from kaoping.data.readers import _FOOTNOTES

    if not text_cells:
        return np.ones(batch.num_rows, dtype=bool)
    filled = np.zeros(batch.num_rows, dtype=np.int64)
    for k in range(width):
        column = batch.column(k)
        filled += pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0).to_numpy(
            zero_copy_only=False
        )
    keep = filled > 0
    for i in np.flatnonzero(filled == 1).tolist():
        cell = next(
            v
            for v in (batch.column(k)[i].as_py() for k in range(width))
            if isinstance(v, str) and v.strip()
        )
        if clean_text(cell).casefold().startswith(_FOOTNOTES):
            keep[i] = False
    return keep


def _codes(column: pa.Array) -> np.ndarray | Fallback:
    """Unit codes as :func:`parse_code` gives them; plain ASCII codes as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(column.type):
        if column.null_count:
            return Fallback("a code is empty", "有代码为空")
        return np.asarray(pc.cast(column, pa.string()).to_numpy(zero_copy_only=False), dtype=object)
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        return Fallback("codes are not text", "代码列不是文本")
    column = pc.fill_null(column, "")
    plain = pc.match_substring_regex(column, _PLAIN_CODE).to_numpy(zero_copy_only=False)
    out = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
    for i in np.flatnonzero(~plain).tolist():
        code = parse_code(out[i])
        if not isinstance(code, str) or not re.fullmatch(r"[0-9A-Za-z_.\-]+", code):
            return Fallback(f"the code {out[i]!r}", f"代码 “{out[i]}”", row=i)
        out[i] = code
    return out


def _periods(column: pa.Array) -> np.ndarray | Fallback:
    """Periods in their standard form, each distinct text parsed once."""
    import pyarrow.compute as pc

    if column.null_count:
        return Fallback("a period is empty", "有时期为空")
    encoded = pc.dictionary_encode(column)
    labels: list[str] = []
    for raw in encoded.dictionary.to_pylist():
        parsed = parse_period(raw)
        if not isinstance(parsed, str):
            return Fallback(f"the period {raw!r}", f"时期 “{raw}”")
        labels.append(parsed)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    out: np.ndarray = np.asarray(labels, dtype=object)[indices]
    return out


def _names(column: pa.Array) -> np.ndarray:
    """Names as the cell-by-cell reader keeps them: cleaned text, None when empty."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.fill_null(pc.cast(column, "string"), ""))
    cleaned = [clean_text(str(v)) or None for v in encoded.dictionary.to_pylist()]
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    out: np.ndarray = np.asarray(cleaned, dtype=object)[indices]
    return out


def _numbers(column: pa.Array) -> np.ndarray | Fallback:
    """A column's numbers: plain ones converted by Arrow, the rest by :func:`parse_number`;
    a fallback at the first cell that is not a number (the reader then names them all)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        values = np.asarray(values, dtype=np.float64)
        if not np.isfinite(values[~np.isnan(values)]).all():
            return Fallback("a number is not finite", "有数值不是有限的数")
        return values
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        return Fallback(f"a column of {column.type}", f"有一列的类型为 {column.type}")
    column = pc.fill_null(column, "")
    try:  # the usual column: every cell a number Arrow reads as float() would
        direct = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False))
    except pa.ArrowInvalid:
        direct = None  # an empty cell, a thousands separator, NA …: cell by cell below
    if direct is not None and np.isfinite(direct).all():
        return direct
    # otherwise cell by cell: "nan" is a missing value to parse_number, "-nan" and "inf" are not
    plain = pc.match_substring_regex(column, _PLAIN)
    numbers = pc.cast(pc.if_else(plain, column, pa.scalar(None, pa.string())), pa.float64())
    values = np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.float64)
    others = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    if others.size:
        texts = column.take(pa.array(others)).to_pylist()
        for i, text in zip(others.tolist(), texts, strict=True):
            value = np.nan if is_blank(text) else parse_number(text)
            if isinstance(value, Bad):
                return Fallback(f"{text!r} is not a number", f"“{text}” 不是数字", row=i)
            values[i] = value
    return values


def _repeated(codes: np.ndarray, periods: np.ndarray) -> bool:
    if len(pd.unique(periods)) == 1:
        return bool(pd.Index(codes).has_duplicates)
    return bool(pd.MultiIndex.from_arrays([codes, periods]).has_duplicates)


# --- Parquet -----------------------------------------------------------------------------------


def _parquet(
    source: str,
    path: Path,
    vocabulary: _Vocabulary,
    units: Units | None,
    period: str | None,
) -> Wide | Fallback:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as file:
            header = [str(name) for name in file.schema_arrow.names]
            grid = Grid(source, None, [(1, list(header))])
            found = _header(grid, vocabulary, units, period)
            if isinstance(found, Fallback):
                return found
            _, roles, columns = found
            renamed = [f"c{k}" for k in range(1, len(header) + 1)]
            batches = (
                pa.RecordBatch.from_arrays(batch.columns, names=renamed)
                for batch in file.iter_batches(batch_size=1 << 17)
            )
            block = _collect(
                source, grid, batches, 2, roles, columns, len(header), units, period,
                expected=file.metadata.num_rows, text_cells=False,
            )  # fmt: skip
        pa.default_memory_pool().release_unused()
        return block
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as error:
        return Fallback(f"pyarrow: {error}", f"按列读取出错（pyarrow：{error}）")


def parquet_grid(source: str, path: Path) -> Grid:
    """A Parquet file as a grid of cells (its column names the header row), for the
    cell-by-cell reader when the file has something to report."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kaoping.data._sheet import unreadable

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(
            [
                unreadable(
                    source,
                    f"无法读取 Parquet 文件（{error}）。请重新导出该文件。",
                    f"the Parquet file cannot be read ({error}); export it again.",
                )
            ]
        ) from None
    header: list[object] = [str(name) for name in table.column_names]
    columns = [_cells(table.column(k)) for k in range(table.num_columns)]
    rows: list[tuple[int, list[object]]] = [(1, header)]
    for i, values in enumerate(zip(*columns, strict=True) if columns else (), start=2):
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        if row:
            rows.append((i, row))
    return Grid(source, None, rows)


def _cells(column: Any) -> list[object]:
    """A Parquet column as cells the cell-by-cell reader understands (floats, text, None)."""
    out: list[object] = []
    for value in column.to_pylist():
        if value is None or isinstance(value, str | float | int):
            out.append(value)
        else:
            out.append(str(value))
    return out
