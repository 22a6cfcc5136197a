"""Reading observations and the units table from CSV and xlsx files, with every problem at once.

The files are the ones analysts keep: a workbook with a title row above the header, Chinese
headers with the unit of measure in brackets (``地区生产总值（亿元）``), codes typed as numbers,
a CSV saved by Chinese Excel in GBK.  Everything that is unambiguous is accepted; everything
else is reported with the exact cell (``data.xlsx!Sheet1!D7``), what was found and how to fix
it, all problems of the file together in one :class:`kaoping.errors.InputError`.
"""

from __future__ import annotations

import difflib
import itertools
import math
import operator
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from kaoping.data._columnar import Fallback, is_parquet, parquet_grid
from kaoping.data._columnar import read_wide as read_columnar
from kaoping.data._parse import (
    PLAIN_NUMBER,
    Bad,
    clean_text,
    header_key,
    header_key_without_unit,
    parse_code,
    parse_number,
    parse_period,
    show,
)
from kaoping.data._sheet import MAX_FILE_BYTES, Grid, extra_cells, is_blank, load_grid
from kaoping.data.panel import PANEL_COLUMNS, Panel, Wide, duplicate_problem
from kaoping.data.units import (
    UNIT_COLUMNS,
    UNIT_HEADERS,
    Units,
    build_frame,
    check_record,
    unit_role,
)
from kaoping.data.units import (
    duplicate_problem as duplicate_unit_problem,
)
from kaoping.errors import InputError, Problem

__all__ = ["HEADERS", "read_panel", "read_ranks", "read_units"]

HEADERS: Final[Mapping[str, frozenset[str]]] = {
    "code": UNIT_HEADERS["code"],
    "name": UNIT_HEADERS["name"],
    "period": frozenset({"period", "year", "年份", "年度", "时期", "期间"}),
    "indicator": frozenset({"indicator", "indicator_id", "指标", "指标名称", "指标代码"}),
    "value": frozenset({"value", "数值", "值", "指标值"}),
}
"""Accepted texts of the key column headers (compared case-, width- and space-insensitively)."""

_IGNORED: Final = frozenset(
    {"序号", "no", "no.", "#", "备注", "说明", "remark", "remarks", "note", "notes"}
    | set().union(*(UNIT_HEADERS[c] for c in UNIT_COLUMNS if c != "name"))
)
"""Columns of a wide file that are neither keys nor indicators and are skipped."""

_FOOTNOTES: Final = ("注", "说明", "备注", "数据来源", "资料来源", "note", "source", "*")
_HEADER_SCAN: Final = 30
Layout = Literal["auto", "wide", "long"]


def read_panel(
    path: str | os.PathLike[str],
    *,
    indicators: Mapping[str, str],
    units: Units | None = None,
    sheet: str | None = None,
    layout: Layout = "auto",
    period: str | int | None = None,
    default_period: str | int | None = None,
) -> Panel:
    """Read observations from a CSV, xlsx or Parquet file.

    Two layouts are understood.  *Wide*: one row per unit (and period), one column per
    indicator, key columns ``code``/``代码``/``区划代码``, optionally ``name``/``名称``/``单位``
    and ``period``/``年份``/``时期``.  *Long*: one row per value, columns ``unit``/``code``/
    ``代码``, ``indicator``/``指标`` (cells hold indicator ids or names), ``period``/``年份`` and
    ``value``/``数值``/``值``.  The header need not be on the first row: it is the first row (of
    the first 30) that has a code column; rows above it (a title) are skipped, and so are empty
    rows and footnote rows (a single cell starting with 注, 说明, 数据来源, note …).  Wide files
    may also carry ``序号``, ``备注``, ``类别``/``category`` and similar columns, which are skipped;
    long files may carry any other column, which is skipped.

    With a units table, a file may name its units instead of coding them: a name column
    (``名称``, ``单位名称``, ``县（市）``, ``县(市、区)`` …) and no code column; each name is
    looked up in the units table (a name that two units share is told apart by the period in
    which each exists, else it is a problem, like a name the table does not have).  A row
    with a filled cell to the right of the header's last column is a problem: in a CSV file
    it is almost always an unquoted thousands separator (``86,200`` read as two cells) that
    has moved the rest of the row.

    A wide CSV (UTF-8) or Parquet file is read column by column (pyarrow,
    :mod:`kaoping.data._columnar`): 10^6 rows in seconds, the values kept as the file's
    block.  It accepts exactly what the cell-by-cell reading accepts; a file with anything to
    report is read cell by cell, so that every problem is named at its cell.  Files above
    100 MB (up to 4 GB) are read only column by column and must then be clean.

    Values are parsed leniently where unambiguous: numbers, ``"1,234.5"``, ``" 12.5 "``,
    full-width ``"１２.５"``; an empty cell and ``-``, ``—``, ``/``, ``NA``, ``N/A``, ``缺``,
    ``无数据`` are missing (NaN, kept with their cell so that :meth:`Panel.missing` can name it).
    A percent sign, a percentage-formatted cell, a decimal comma, text, a date, an Excel error
    or a formula without a saved value is a problem.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv`` (UTF-8 with or without BOM, or GBK/GB18030), ``.xlsx`` or ``.parquet``
        file.  Workbooks are read for their values (the results saved with the formulas);
        Parquet cells are addressed as a sheet shows the table (header row 1, data from 2).
    indicators : Mapping[str, str]
        Every accepted header text -> indicator id: ids, Chinese and English names, aliases.
        Matching ignores case, width (全角/半角) and whitespace, and a trailing unit in
        brackets (``人均GDP（元）`` matches ``人均GDP``).  Ids are always accepted.
    units : Units, optional
        When given, every unit code must be in it and valid in the row's period, and a file
        without a code column may name its units (by a name column).
    sheet : str, optional
        The worksheet of an xlsx file; default the first one.
    layout : {"auto", "wide", "long"}
        ``"auto"``: long when the header has an indicator and a value column, else wide.
    period : str, optional
        The period of every row when the file has no period column.  When the file has one,
        only the rows of this period are kept (the whole file is still checked).
    default_period : str, optional
        The period of every row when the file has no period column; when it has one, every
        row is kept (the command line's ``-p 2024``).  Periods are years (``2024``), quarters
        (``2024-Q3``), half-years (``2024-H1``) or months (``2024-06``).

    Returns
    -------
    Panel
        One row per cell read, with ``source`` the file name and ``location`` the cell of the
        value (``data.xlsx!Sheet1!D7``; ``data.csv!D7`` for CSV).

    Raises
    ------
    kaoping.errors.InputError
        All problems of the file at once: ``data.file_not_found``, ``data.unreadable_file``,
        ``data.missing_sheet``, ``data.empty_file``, ``data.no_header``,
        ``data.damaged_workbook``, ``data.damaged_cell``, ``data.too_many_cells``,
        ``data.missing_column``, ``data.duplicate_column``, ``data.missing_header``,
        ``data.extra_cells``, ``data.unknown_name``, ``data.ambiguous_name``,
        ``data.missing_name``,
        ``data.unknown_indicator`` (with a suggestion), ``data.missing_indicator``,
        ``data.missing_code``, ``data.bad_code``, ``data.missing_period``, ``data.bad_period``,
        ``data.unknown_unit``, ``data.unit_not_valid``, ``data.duplicate``,
        ``data.not_a_number``, ``data.formula_without_value``.

    References
    ----------
    GB/T 2260, *Codes for the administrative divisions of the People's Republic of China*
    (the six-digit unit codes).  ECMA-376, *Office Open XML File Formats*, Part 1,
    SpreadsheetML (the A1-style cell references used in every message).  GB 18030, the
    Chinese national character set of which GBK is a subset (the CSV fallback encoding).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "data.csv").write_text(
    ...     "代码,名称,年份,人均GDP（元）\\n"
    ...     "410102,中原区,2024,\\"86,200\\"\\n"
    ...     "410103,二七区,2024,—\\n",
    ...     encoding="utf-8")
    >>> panel = read_panel(folder / "data.csv", indicators={"人均GDP": "gdp_pc"})
    >>> panel.matrix("2024", ["gdp_pc"])  # doctest: +NORMALIZE_WHITESPACE
    indicator   gdp_pc
    unit
    410102     86200.0
    410103         NaN
    >>> [p.where for p in panel.missing("2024", ["gdp_pc"])]
    ['data.csv!D3']
    """
    if layout not in ("auto", "wide", "long"):
        raise ValueError(f"layout must be 'auto', 'wide' or 'long', got {layout!r}")
    vocabulary = _Vocabulary(indicators)
    fixed_period = _argument_period(period, "period")
    supplied = fixed_period or _argument_period(default_period, "default_period")
    if layout != "long":
        columnar = _read_columnar(path, sheet, vocabulary, units, supplied)
        if isinstance(columnar, Wide):
            if fixed_period is not None:
                columnar = columnar.rows(columnar.periods == fixed_period)
            return Panel._from_wide(columnar)
    grid = _load(path, sheet)
    header = _find_header(grid, by_name=units is not None)
    reader = _Reader(grid, header, vocabulary, units, supplied)
    if layout == "auto":
        keys = {header_key(v) for v in grid.rows[header][1]}
        long = bool(keys & HEADERS["indicator"]) and bool(keys & HEADERS["value"])
        layout = "long" if long else "wide"
    if layout == "long":
        reader.read_long()
    else:
        reader.read_wide()
    if reader.problems:
        raise InputError(reader.problems)
    if reader.wide is not None:
        wide = reader.wide
        if fixed_period is not None:
            wide = wide.rows(wide.periods == fixed_period)
        return Panel._from_wide(wide)
    frame = reader.frame()
    if fixed_period is not None:
        frame = frame[frame["period"] == fixed_period]
    return Panel._wrap(frame)


MAX_COLUMNAR_BYTES: Final = 4 * 1024**3
"""The largest CSV or Parquet file read column by column (a million units x 20 indicators is
about 400 MB of CSV); files above :data:`kaoping.data._sheet.MAX_FILE_BYTES` are read only
that way, so they must be clean (or be split to be checked cell by cell)."""


def _read_columnar(
    path: str | os.PathLike[str],
    sheet: str | None,
    vocabulary: _Vocabulary,
    units: Units | None,
    period: str | None,
) -> Wide | Fallback | None:
    """A wide CSV or Parquet file read column by column (:mod:`kaoping.data._columnar`);
    None for a file that only the cell-by-cell reader reads (a workbook, a sheet asked for,
    not a regular file).  A file too large for the cell-by-cell reader that needs it is a
    problem naming the reason."""
    file = Path(path)
    try:
        info = file.stat()
    except OSError:
        return None  # load_grid names the problem
    if not stat.S_ISREG(info.st_mode) or sheet is not None or info.st_size == 0:
        return None
    if info.st_size > MAX_COLUMNAR_BYTES:
        return None
    with open(file, "rb") as stream:
        head = stream.read(1 << 20)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None
    source = file.name or os.fspath(path)
    found = read_columnar(
        source,
        file,
        head,
        vocabulary=vocabulary,
        units=units,
        period=period,
    )
    if isinstance(found, Fallback) and info.st_size > MAX_FILE_BYTES:
        mib, limit = info.st_size / 1024**2, MAX_FILE_BYTES / 1024**2
        raise InputError(
            [
                Problem(
                    "data.unreadable_file",
                    f"文件有 {mib:,.0f} MB，超过逐格检查的上限 {limit:,.0f} MB：这样大的文件只能"
                    f"按列快速读取，而快速读取在这里停下了（{found.zh or found.reason}）。"
                    "请先修正该处；要逐格列出所有问题，请把文件拆成较小的几份分别检查。",
                    f"the file has {mib:,.0f} MB, more than the {limit:,.0f} MB that are "
                    f"checked cell by cell: a file this large is only read column by column, "
                    f"and that reading stopped here ({found.reason}); correct it, or split the "
                    "file into smaller ones to have every problem listed by cell.",
                    source,
                )
            ]
        )
    return found


def _load(path: str | os.PathLike[str], sheet: str | None) -> Grid:
    """The grid of cells of a CSV, xlsx or Parquet file."""
    file = Path(path)
    source = file.name or os.fspath(path)
    head = b""
    try:
        if stat.S_ISREG(file.stat().st_mode):  # never open a pipe here: load_grid refuses it
            with open(file, "rb") as stream:
                head = stream.read(4)
    except OSError:
        pass  # load_grid names the problem
    if is_parquet(head, source) and head:
        if sheet is not None:
            raise InputError(
                [
                    Problem(
                        "data.missing_sheet",
                        f"Parquet 文件没有工作表，却指定了工作表 {sheet!r}。请不要指定工作表。",
                        f"a Parquet file has no sheets, but sheet {sheet!r} was given; give "
                        "no sheet.",
                        source,
                    )
                ]
            )
        return parquet_grid(source, file)
    return load_grid(path, sheet)


def _argument_period(period: str | int | None, name: str) -> str | None:
    if period is None:
        return None
    parsed = parse_period(period)
    if not isinstance(parsed, str):
        bad = parsed if isinstance(parsed, Bad) else Bad("时期为空。", "the period is empty.")
        raise InputError([Problem("data.bad_period", bad.zh, bad.en, name)])
    return parsed


def read_units(path: str | os.PathLike[str], sheet: str | None = None) -> Units:
    """Read the units table from a CSV or xlsx file.

    The header (found as in :func:`read_panel`) names the columns in English or Chinese:
    ``code``/``代码``/``区划代码``, ``name``/``名称``/``单位名称``, ``parent``/``上级``,
    ``category``/``类别``/``分类``, ``kind``/``类型``, ``valid_from``/``起始年份``,
    ``valid_to``/``终止年份``, ``successor``/``后继``/``后继代码``/``承继单位`` (the six-digit
    code(s) of the unit(s) that took over a unit that ceased, separated by spaces) and
    ``note``/``备注``/``说明``.  Only code and name are required; other columns are skipped.

    Raises
    ------
    kaoping.errors.InputError
        All problems at once, each with its cell: ``data.missing_column``,
        ``data.duplicate_column``, ``data.missing_code``, ``data.bad_code`` (also a successor
        that is not a six-digit code), ``data.missing_name``, ``data.duplicate_unit``,
        ``data.bad_year``, and the file problems of :func:`read_panel`.
    """
    grid = load_grid(path, sheet)
    header = _find_header(grid)
    number, cells = grid.rows[header]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for column, text in enumerate(cells, start=1):
        role = unit_role(text) if isinstance(text, str) else None
        if role is None:
            continue
        if role in columns:
            problems.append(_duplicate_column(grid, number, columns[role], column, text))
            continue
        columns[role] = column
    if "name" not in columns:
        problems.append(_missing_column(grid, number, "name", "name、名称、单位名称"))
        raise InputError(problems)
    first: dict[str, str] = {}
    records: list[dict[str, Any]] = []
    rows = _data_rows(grid, header)
    problems.extend(extra_cells(grid, number, len(cells), rows))
    for row, values in rows:
        raw = {role: _at(values, column) for role, column in columns.items()}
        where = {
            role: grid.where(row, columns[role]) if role in columns else grid.where(row, 1)
            for role in ("code", *UNIT_COLUMNS)
        }
        record: dict[str, Any] = {}
        problems.extend(check_record(record, raw, where))
        code = record.get("code")
        if code is None:
            continue
        if code in first:
            problems.append(duplicate_unit_problem(code, where["code"], first[code]))
            continue
        first[code] = where["code"]
        records.append(record)
    if not records and not problems:
        problems.append(_no_rows(grid, number))
    if problems:
        raise InputError(problems)
    return Units._wrap(build_frame(records))


class _Vocabulary:
    """Header texts -> indicator ids, compared with :func:`header_key`."""

    def __init__(self, indicators: Mapping[str, str]) -> None:
        if not isinstance(indicators, Mapping):
            raise TypeError(
                "indicators must map header texts to indicator ids, got "
                f"{type(indicators).__name__}"
            )
        self.ids: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        for text, indicator in indicators.items():
            if not isinstance(indicator, str) or not indicator.strip():
                raise ValueError(
                    f"indicator id for {text!r} must be non-empty text, got {indicator!r}"
                )
            for accepted in (text, indicator):
                key = header_key(accepted)
                if not key:
                    raise ValueError(f"indicator header text must not be empty (id {indicator!r})")
                known = self.ids.setdefault(key, indicator)
                if known != indicator:
                    raise ValueError(
                        f"header text {accepted!r} names two indicators, {known!r} and "
                        f"{indicator!r}; give each text to one indicator"
                    )
                self.texts.setdefault(key, str(accepted))

    def lookup(self, text: object) -> str | None:
        key = header_key(text)
        if key in self.ids:
            return self.ids[key]
        bare = header_key_without_unit(key)
        return self.ids.get(bare) if bare else None

    def suggestion(self, text: object) -> tuple[str, str]:
        """A hint (zh, en) naming the closest accepted text, or empty strings."""
        key = header_key(text)
        close = difflib.get_close_matches(key, list(self.ids), n=1, cutoff=0.6)
        bare = header_key_without_unit(key)
        if not close and bare:
            close = difflib.get_close_matches(bare, list(self.ids), n=1, cutoff=0.6)
        if not close:
            return "", ""
        shown, indicator = self.texts[close[0]], self.ids[close[0]]
        return f"是否是 “{shown}”（{indicator}）？", f"did you mean {shown!r} ({indicator})? "


@dataclass
class _Reader:
    grid: Grid
    header: int
    vocabulary: _Vocabulary
    units: Units | None
    fixed_period: str | None
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, Any] = field(  # lists (long layout) or arrays (wide), one per column
        default_factory=lambda: {c: [] for c in PANEL_COLUMNS if c != "source"}
    )
    # unknown code -> (name in the file, cells, position of its problem in ``problems``)
    _unknown_units: dict[str, tuple[str | None, list[str], int]] = field(default_factory=dict)
    # a name not found (or found twice) in the units table -> cells, position of its problem
    _bad_names: dict[tuple[str, str], tuple[list[str], int]] = field(default_factory=dict)
    _codes_by_name: dict[str, list[str]] | None = None
    wide: Wide | None = None  # what read_wide read

    @property
    def header_row(self) -> int:
        return self.grid.rows[self.header][0]

    def frame(self) -> pd.DataFrame:
        n = len(self.rows["unit"])
        data = {
            "unit": pd.Series(self.rows["unit"], dtype="str"),
            "indicator": pd.Series(self.rows["indicator"], dtype="str"),
            "period": pd.Series(self.rows["period"], dtype="str"),
            "value": pd.Series(self.rows["value"], dtype="float64"),
            "source": pd.Series([self.grid.source] * n, dtype="str"),
            "location": pd.Series(self.rows["location"], dtype="str"),
            "name": pd.Series(self.rows["name"], dtype="str"),
        }
        return pd.DataFrame(data)

    # -- the two layouts ---------------------------------------------------------------

    def read_wide(self) -> None:
        roles, indicator_columns = self._columns(("code", "name", "period"), wide=True)
        if "period" not in roles and self.fixed_period is None:
            self.problems.append(
                _missing_column(
                    self.grid, self.header_row, "period", "period、年份、时期", or_argument=True
                )
            )
        if not indicator_columns and not self.problems:
            self.problems.append(
                Problem(
                    "data.missing_column",
                    f"第 {self.header_row} 行表头中没有任何指标列。"
                    "请用考核办法中的指标代码或名称作列标题。",
                    f"the header (row {self.header_row}) has no indicator column; head the "
                    "columns with the indicator ids or names of the methodology.",
                    self.grid.where(self.header_row, 1),
                )
            )
        seen: dict[tuple[str, str], str] = {}
        data = _data_rows(self.grid, self.header)
        self.problems.extend(self._extra_cells(data))
        key_column = roles.get("code", roles.get("name", 1))
        columns = list(indicator_columns)
        ids = [indicator_columns[c] for c in columns]
        letters = [self.grid.column_prefix(c) for c in columns]  # "data.csv!D"
        plain, is_plain = self._plain_numbers(data, columns)
        whole = is_plain.all(axis=1).tolist()  # rows with nothing to look at cell by cell
        kept: list[int] = []  # positions in ``data`` of the rows that become observations
        codes: list[str] = []
        periods: list[str] = []
        names: list[str | None] = []
        for i, (row, values) in enumerate(data):
            code, name, period = self._keys(row, values, roles)
            keep = False
            if code is not None and period is not None:
                code_cell = self.grid.where(row, key_column)
                if (code, period) in seen:
                    first = seen[code, period]
                    self.problems.append(_duplicate_row(code, period, code_cell, first))
                else:
                    seen[code, period] = code_cell
                    keep = True
            if not whole[i]:  # formats, missing markers and problems, with their cells
                ok = is_plain[i]
                for j, column in enumerate(columns):
                    if not ok[j]:
                        plain[i, j] = self._number(row, column, _at(values, column))
            if keep and code is not None and period is not None:
                kept.append(i)
                codes.append(code)
                periods.append(period)
                names.append(name)
        # the kept rows as the file's block: the panel makes a row per value only if asked
        self.wide = Wide(
            units=np.array(codes, dtype=object),
            periods=np.array(periods, dtype=object),
            names=np.array(names, dtype=object),
            values=plain[kept].reshape(len(kept), len(columns)),
            indicators=tuple(ids),
            source=self.grid.source,
            prefixes=tuple(letters),
            lines=np.array([data[i][0] for i in kept], dtype=np.int64),
        )
        if not data:
            self.problems.append(_no_rows(self.grid, self.header_row))
        self._report_unknown_units()
        self._report_bad_names()

    def read_long(self) -> None:
        roles, _ = self._columns(("code", "name", "period", "indicator", "value"), wide=False)
        for role, texts in (("indicator", "indicator、指标"), ("value", "value、数值、值")):
            if role not in roles:
                self.problems.append(_missing_column(self.grid, self.header_row, role, texts))
        if "period" not in roles and self.fixed_period is None:
            self.problems.append(
                _missing_column(
                    self.grid, self.header_row, "period", "period、年份、时期", or_argument=True
                )
            )
        if "indicator" not in roles or "value" not in roles:
            return
        seen: dict[tuple[str, str, str], str] = {}
        any_row = False
        data = _data_rows(self.grid, self.header)
        self.problems.extend(self._extra_cells(data))
        for row, values in data:
            any_row = True
            code, name, period = self._keys(row, values, roles)
            indicator = self._indicator(row, roles["indicator"], _at(values, roles["indicator"]))
            cell = self.grid.where(row, roles["value"])
            value = self._number(row, roles["value"], _at(values, roles["value"]))
            if code is None or period is None or indicator is None:
                continue
            key = (code, indicator, period)
            if key in seen:
                self.problems.append(duplicate_problem(code, indicator, period, cell, seen[key]))
                continue
            seen[key] = cell
            self._add(code, indicator, period, value, cell, name)
        if not any_row:
            self.problems.append(_no_rows(self.grid, self.header_row))
        self._report_unknown_units()
        self._report_bad_names()

    # -- pieces ------------------------------------------------------------------------

    def _columns(
        self, accepted: tuple[str, ...], *, wide: bool
    ) -> tuple[dict[str, int], dict[int, str]]:
        """Key columns by role and, for a wide file, indicator columns by position."""
        row, cells = self.grid.rows[self.header]
        roles: dict[str, int] = {}
        indicators: dict[int, str] = {}
        first_of: dict[str, int] = {}
        for column, text in enumerate(cells, start=1):
            if is_blank(text):
                if wide and self._column_has_data(column):
                    self.problems.append(
                        Problem(
                            "data.missing_header",
                            "这一列有数据却没有列标题。请填写指标代码或名称作标题，或删除该列。",
                            "this column has data but no header; head it with an indicator id "
                            "or name, or delete the column.",
                            self.grid.where(row, column),
                        )
                    )
                continue
            key = header_key(text)
            role = next((r for r in accepted if key in HEADERS[r]), None)
            if role is not None:
                if role in roles:
                    self.problems.append(
                        _duplicate_column(self.grid, row, roles[role], column, text)
                    )
                else:
                    roles[role] = column
                continue
            if not wide or key in _IGNORED:
                continue
            indicator = self.vocabulary.lookup(text)
            if indicator is None:
                hint_zh, hint_en = self.vocabulary.suggestion(text)
                self.problems.append(
                    Problem(
                        "data.unknown_indicator",
                        f"列标题 “{show(text)}” 不是考核办法中的指标。{hint_zh}"
                        "请改为指标代码或名称，或删除该列。",
                        f"column header {show(text)!r} is not an indicator of the methodology; "
                        f"{hint_en}use the indicator's id or name, or delete the column.",
                        self.grid.where(row, column),
                    )
                )
            elif indicator in first_of:
                self.problems.append(
                    _duplicate_column(self.grid, row, first_of[indicator], column, text)
                )
            else:
                first_of[indicator] = column
                indicators[column] = indicator
        return roles, indicators

    def _column_has_data(self, column: int) -> bool:
        return any(not is_blank(_at(v, column)) for _, v in _data_rows(self.grid, self.header))

    def _extra_cells(self, data: list[tuple[int, list[object]]]) -> list[Problem]:
        return extra_cells(self.grid, self.header_row, len(self.grid.rows[self.header][1]), data)

    def _keys(
        self, row: int, values: list[object], roles: dict[str, int]
    ) -> tuple[str | None, str | None, str | None]:
        """Code, name and period of a row (None where missing or bad, with a problem)."""
        name: str | None = None
        if "name" in roles:
            raw_name = _at(values, roles["name"])
            if raw_name is not None:
                name = clean_text(show(raw_name)) or None
        period, period_problem = self._period(row, values, roles)
        if "code" in roles:
            code, code_cell = self._code(row, values, roles["code"], name)
        else:  # named units (a units table is given: see _find_header)
            code_cell = self.grid.where(row, roles["name"])
            code = self._code_of_name(name, period, code_cell)
        if period_problem is not None:
            self.problems.append(period_problem)
        if code is not None and self.units is not None:
            if code not in self.units:
                if code not in self._unknown_units:
                    # a placeholder, so that problems stay in file order; filled in at the end
                    self._unknown_units[code] = (name, [], len(self.problems))
                    self.problems.append(Problem("data.unknown_unit", "", "", code_cell))
                self._unknown_units[code][1].append(code_cell)
            elif period is not None and not self.units.is_valid(code, period):
                self.problems.append(self._not_valid(code, period, code_cell))
        return code, name, period

    def _code(
        self, row: int, values: list[object], column: int, name: str | None
    ) -> tuple[str | None, str]:
        code_cell = self.grid.where(row, column)
        code = parse_code(_at(values, column))
        if isinstance(code, Bad):
            self.problems.append(Problem("data.bad_code", code.zh, code.en, code_cell))
            return None, code_cell
        if code is None:
            label = f"（{name}）" if name else ""
            self.problems.append(
                Problem(
                    "data.missing_code",
                    f"这一行{label}缺少单位代码。请填写单位代码（如 410102）；"
                    "如果这是合计行或说明，请删除这一行。",
                    f"this row{f' ({name})' if name else ''} has no unit code; enter the "
                    "unit's code (e.g. 410102), or delete the row if it is a total or a note.",
                    code_cell,
                )
            )
        return code, code_cell

    def _period(
        self, row: int, values: list[object], roles: dict[str, int]
    ) -> tuple[str | None, Problem | None]:
        if "period" not in roles:
            return self.fixed_period, None
        period_cell = self.grid.where(row, roles["period"])
        parsed = parse_period(_at(values, roles["period"]))
        if isinstance(parsed, Bad):
            return None, Problem("data.bad_period", parsed.zh, parsed.en, period_cell)
        if parsed is None:
            return None, Problem(
                "data.missing_period",
                "缺少时期。请填写时期（如 2024、2024-Q3、2024-H1、2024-06）。",
                "the period is missing; enter it (e.g. 2024, 2024-Q3, 2024-H1, 2024-06).",
                period_cell,
            )
        return parsed, None

    def _code_of_name(self, name: str | None, period: str | None, where: str) -> str | None:
        """The code of the unit the units table gives this name (in this period)."""
        assert self.units is not None
        if self._codes_by_name is None:
            self._codes_by_name = {}
            for code, known in self.units.names.items():
                self._codes_by_name.setdefault(header_key(known), []).append(code)
        if name is None:
            self.problems.append(
                Problem(
                    "data.missing_name",
                    "这一行缺少单位名称。请填写单位表中的名称；如果这是合计行或说明，请删除这一行。",
                    "this row has no unit name; enter the name the units table gives the unit, "
                    "or delete the row if it is a total or a note.",
                    where,
                )
            )
            return None
        codes = self._codes_by_name.get(header_key(name), [])
        if len(codes) > 1 and period is not None:
            codes = [c for c in codes if self.units.is_valid(c, period)] or codes
        if len(codes) == 1:
            return codes[0]
        kind = "ambiguous" if codes else "unknown"
        key = (kind, header_key(name))
        if key not in self._bad_names:
            self._bad_names[key] = ([], len(self.problems))
            self.problems.append(Problem(f"data.{kind}_name", name, ",".join(codes), where))
        self._bad_names[key][0].append(where)
        return None

    def _report_bad_names(self) -> None:
        """Fill in the problems of names the units table lacks or gives two units."""
        for (kind, _), (cells, position) in self._bad_names.items():
            assert self.units is not None
            placeholder = self.problems[position]
            name, codes = placeholder.zh, [c for c in placeholder.en.split(",") if c]
            others = cells[1:]
            also_zh = f"（另有 {len(others)} 处：{'、'.join(others[:5])}）" if others else ""
            also_en = f" (also in {len(others)} more: {', '.join(others[:5])})" if others else ""
            if kind == "ambiguous":
                listed = [
                    f"{c}（{self.units.validity(c)} 年）" if self.units.validity(c) != "–" else c
                    for c in codes
                ]
                zh = (
                    f"单位表中有 {len(codes)} 个单位名为 “{name}”{also_zh}：{'、'.join(listed)}，"
                    "无法确定是哪一个。请在文件中加上代码列（代码、区划代码）。"
                )
                en = (
                    f"{len(codes)} units of the units table are named {name!r}{also_en}: "
                    f"{', '.join(codes)}; add a code column (代码, code) to the file to tell "
                    "them apart."
                )
            else:
                close = difflib.get_close_matches(
                    name, list(self.units.names.values()), n=1, cutoff=0.5
                )
                hint_zh = f"是否是 “{close[0]}”？" if close else ""
                hint_en = f"did you mean {close[0]!r}? " if close else ""
                zh = (
                    f"单位表中没有名为 “{name}” 的单位{also_zh}。{hint_zh}"
                    "请按单位表中的名称填写，或在文件中加上代码列（代码、区划代码）。"
                )
                en = (
                    f"the units table has no unit named {name!r}{also_en}; {hint_en}write the "
                    "name as the units table does, or add a code column (代码, code) to the file."
                )
            self.problems[position] = Problem(f"data.{kind}_name", zh, en, placeholder.where)

    def _not_valid(self, code: str, period: str, where: str) -> Problem:
        assert self.units is not None
        unit = f"{code}（{self.units.name(code)}）"
        years = self.units.validity(code)
        return Problem(
            "data.unit_not_valid",
            f"单位 {unit} 只在 {years} 年存在，不能有 {period} 的数据。"
            "请改用其前身或后继单位的代码，或检查时期。",
            f"unit {code} ({self.units.name(code)}) exists only in {years}, so it cannot have "
            f"data for {period}; use the code of its predecessor or successor, or check the "
            "period.",
            where,
        )

    def _report_unknown_units(self) -> None:
        if self.units is None:
            return
        by_name = {name: code for code, name in self.units.names.items()}
        for code, (name, cells, position) in self._unknown_units.items():
            where, others = cells[0], cells[1:]
            if name and name in by_name:
                hint_zh = f"单位表中 {name} 的代码是 {by_name[name]}。"
                hint_en = f"the units table gives {name} the code {by_name[name]}; "
            elif name:
                hint_zh, hint_en = f"单位表中也没有名为 {name} 的单位。", ""
            else:
                close = difflib.get_close_matches(code, list(self.units.codes), n=1, cutoff=0.8)
                hint_zh = f"是否是 {close[0]}（{self.units.name(close[0])}）？" if close else ""
                hint_en = (
                    f"did you mean {close[0]} ({self.units.name(close[0])})? " if close else ""
                )
            also_zh = f"（另有 {len(others)} 处：{'、'.join(others[:5])}）" if others else ""
            also_en = f" (also in {len(others)} more: {', '.join(others[:5])})" if others else ""
            self.problems[position] = Problem(
                "data.unknown_unit",
                f"单位代码 {code} 不在单位表中{also_zh}。{hint_zh}"
                "请改正代码，或先在单位表中加上该单位。",
                f"unit code {code} is not in the units table{also_en}; {hint_en}correct the "
                "code, or add the unit to the units table first.",
                where,
            )

    def _indicator(self, row: int, column: int, raw: object) -> str | None:
        where = self.grid.where(row, column)
        if is_blank(raw):
            self.problems.append(
                Problem(
                    "data.missing_indicator",
                    "缺少指标。请填写指标代码或名称。",
                    "the indicator is missing; enter the indicator's id or name.",
                    where,
                )
            )
            return None
        indicator = self.vocabulary.lookup(raw)
        if indicator is None:
            hint_zh, hint_en = self.vocabulary.suggestion(raw)
            self.problems.append(
                Problem(
                    "data.unknown_indicator",
                    f"“{show(raw)}” 不是考核办法中的指标。{hint_zh}请改为指标代码或名称。",
                    f"{show(raw)!r} is not an indicator of the methodology; {hint_en}use the "
                    "indicator's id or name.",
                    where,
                )
            )
        return indicator

    def _plain_numbers(
        self, data: list[tuple[int, list[object]]], columns: list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The cells of ``columns`` that are plain numbers, parsed at once: values (rows x
        columns) and where they apply.  Plain: a finite float of a workbook, or text of ASCII
        digits with an optional decimal part (what :func:`parse_number` reads with ``float``);
        every other cell goes through :meth:`_number` (formats, problems, cell addresses).

        A row of a CSV file whose cells are all plain text numbers is checked as one string
        (the cells joined with commas, one regular expression) and parsed with the others in
        one conversion; the other rows are looked at cell by cell.
        """
        shape = (len(data), len(columns))
        out = np.full(shape, np.nan)
        ok = np.zeros(shape, dtype=bool)
        if not data or not columns or self.grid.percent or self.grid.formulas:
            return out, ok
        width, last = len(columns), max(columns)
        pick = operator.itemgetter(*(c - 1 for c in columns))
        plain_rows: list[int] = []
        texts: list[str] = []
        other_rows: list[int] = []
        other_cells: list[object] = []
        for i, (_, values) in enumerate(data):
            if len(values) >= last:
                picked = pick(values)
                cells = picked if width > 1 else (picked,)
            else:
                cells = tuple(_at(values, c) for c in columns)
            try:
                joined = ",".join(cells)  # TypeError unless every cell is text
            except TypeError:
                joined = ""
            # the count: a cell with a comma of its own ("1,234") must not pass as two cells
            if joined and _PLAIN_ROW.fullmatch(joined) and joined.count(",") == width - 1:
                plain_rows.append(i)
                texts.append(joined)
            else:
                other_rows.append(i)
                other_cells.extend(cells)
        if texts:  # NumPy's text reader: float()'s correctly rounded parse, no str per cell
            parsed = np.loadtxt(texts, delimiter=",", comments=None, dtype=np.float64, ndmin=2)
            out[plain_rows] = parsed
            ok[plain_rows] = True
        if other_rows:
            numbers, found = _plain_cells(other_cells)
            out[other_rows] = numbers.reshape(len(other_rows), width)
            ok[other_rows] = found.reshape(len(other_rows), width)
        return out, ok

    def _number(self, row: int, column: int, raw: object) -> float:
        if type(raw) is float and math.isfinite(raw) and not self.grid.percent:
            return raw  # the common case of a workbook: a plain finite number
        where = self.grid.where(row, column)
        if (row, column) in self.grid.formulas:
            formula = self.grid.formulas[row, column]
            self.problems.append(
                Problem(
                    "data.formula_without_value",
                    f"公式 {formula} 没有保存计算结果（文件可能由程序生成、未经 Excel 计算）。"
                    "请在 Excel/WPS 中打开并保存一次，或直接填写数值。",
                    f"the formula {formula} has no saved result (the file was probably written "
                    "by a program, not computed by Excel); open and save it in Excel or WPS, "
                    "or enter the value.",
                    where,
                )
            )
            return float("nan")
        if (row, column) in self.grid.percent and isinstance(raw, int | float):
            shown = f"{raw * 100:.10g}%"
            self.problems.append(
                Problem(
                    "data.not_a_number",
                    f'"{shown}" 不是数字：单元格是百分比格式（显示 {shown}，实际存的是 {raw!r}），'
                    f"无法确定该按 {raw * 100:.10g} 还是 {raw!r} 计。请把单元格格式改为“常规”，"
                    "按该指标的计量单位填写数字。",
                    f'"{shown}" is not a number: the cell is formatted as a percentage (it shows '
                    f"{shown} and holds {raw!r}), so it is ambiguous whether {raw * 100:.10g} or "
                    f"{raw!r} is meant; set the cell format to General and write the number in "
                    "the indicator's unit.",
                    where,
                )
            )
            return float("nan")
        value = parse_number(raw)
        if isinstance(value, Bad):
            self.problems.append(Problem("data.not_a_number", value.zh, value.en, where))
            return float("nan")
        return value

    def _add(
        self,
        unit: str | None,
        indicator: str | None,
        period: str | None,
        value: float,
        location: str,
        name: str | None,
    ) -> None:
        self.rows["unit"].append(unit)
        self.rows["indicator"].append(indicator)
        self.rows["period"].append(period)
        self.rows["value"].append(value)
        self.rows["location"].append(location)
        self.rows["name"].append(name)


def _at(values: list[object], column: int) -> object:
    """The cell in 1-based ``column`` of a row, None beyond its end."""
    return values[column - 1] if column <= len(values) else None


_PLAIN_ROW: Final = re.compile(rf"{PLAIN_NUMBER.pattern}(?:,{PLAIN_NUMBER.pattern})*")
"""Plain numbers joined with commas: a row of a CSV file that needs no cell-by-cell look."""


def _plain_cells(cells: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Values and plainness of cells of any type (workbook floats, text, None), vectorised."""
    series = pd.Series(cells, dtype=object)
    text = np.fromiter((type(x) is str for x in cells), dtype=bool, count=len(cells))
    floats = np.fromiter((type(x) is float for x in cells), dtype=bool, count=len(cells))
    ok = np.zeros(len(cells), dtype=bool)
    if text.any():
        ok[text] = series[text].str.fullmatch(PLAIN_NUMBER.pattern).to_numpy(dtype=bool)
    out = np.full(len(cells), np.nan)
    out[ok] = series[ok].astype(np.float64).to_numpy()
    if floats.any():
        numbers = series[floats].to_numpy(dtype=np.float64)
        finite = np.isfinite(numbers)
        where = np.flatnonzero(floats)[finite]
        out[where] = numbers[finite]
        ok[where] = True
    return out, ok


def _find_header(grid: Grid, *, by_name: bool = False) -> int:
    """Position in ``grid.rows`` of the first row that has a code column header; with
    ``by_name`` (a units table is given), else of the first that has a name column header."""
    rows = grid.rows[:_HEADER_SCAN]
    for position, (_, values) in enumerate(rows):
        if any(isinstance(v, str) and header_key(v) in HEADERS["code"] for v in values):
            return position
    if by_name:
        for position, (_, values) in enumerate(rows):
            if any(isinstance(v, str) and header_key(v) in HEADERS["name"] for v in values):
                return position
        zh = (
            f"前 {_HEADER_SCAN} 行中既没有单位代码列的标题（code、代码、区划代码），也没有单位"
            "名称列的标题（名称、单位名称、县（市））。请在表头中加上其中一列。"
        )
        en = (
            f"none of the first {_HEADER_SCAN} rows has a unit code column header (code, 代码, "
            "区划代码) or a unit name column header (名称, 单位名称, 县（市）); add one of them "
            "to the header."
        )
    else:
        zh = (
            f"前 {_HEADER_SCAN} 行中没有单位代码列的标题（code、代码、区划代码）。请在表头中加上"
            "单位代码列；如果文件只有单位名称，请同时提供单位表（命令行 --units），按名称对应单位。"
        )
        en = (
            f"none of the first {_HEADER_SCAN} rows has a unit code column header (code, 代码, "
            "区划代码); add a unit code column to the header, or, if the file names its units "
            "without codes, give a units table as well (--units on the command line) to match "
            "them by name."
        )
    raise InputError([Problem("data.no_header", zh, en, grid.name)])


def _data_rows(grid: Grid, header: int) -> list[tuple[int, list[object]]]:
    """Rows below the header, without empty rows and footnotes."""
    rows: list[tuple[int, list[object]]] = []
    for row, values in grid.rows[header + 1 :]:
        # the first two filled cells tell an empty row and a footnote (one text cell) apart
        filled = list(itertools.islice((v for v in values if not is_blank(v)), 2))
        if not filled:
            continue
        if len(filled) == 1 and isinstance(filled[0], str):
            text = clean_text(filled[0]).casefold()
            if text.startswith(_FOOTNOTES):
                continue
        rows.append((row, values))
    return rows


def _missing_column(
    grid: Grid, row: int, role: str, texts: str, *, or_argument: bool = False
) -> Problem:
    also_zh = "，或在读取时指定 period='2024'" if or_argument else ""
    also_en = ", or pass period='2024' when reading" if or_argument else ""
    return Problem(
        "data.missing_column",
        f"第 {row} 行表头中没有 {role} 列。请加上标题为 {texts} 之一的列{also_zh}。",
        f"the header (row {row}) has no {role} column; add a column headed "
        f"{texts.replace('、', ', ')}{also_en}.",
        grid.where(row, 1),
    )


def _duplicate_column(grid: Grid, row: int, first: int, column: int, text: object) -> Problem:
    first_cell, cell = grid.where(row, first), grid.where(row, column)
    return Problem(
        "data.duplicate_column",
        f"列 “{show(text)}” 与 {first_cell} 是同一列（重复）。请删除其中一列。",
        f"column {show(text)!r} repeats the column at {first_cell}; delete one of them.",
        cell,
    )


def _no_rows(grid: Grid, row: int) -> Problem:
    return Problem(
        "data.empty_file",
        f"第 {row} 行表头下面没有数据。请填入数据后再导入。",
        f"there are no data rows below the header (row {row}); add the data, then import again.",
        grid.name,
    )


def _duplicate_row(code: str, period: str, where: str, first: str) -> Problem:
    return Problem(
        "data.duplicate",
        f"单位 {code} 在 {period} 有两行：{first} 和 {where}。请删除或合并其中一行。",
        f"unit {code} has two rows for {period}: {first} and {where}; delete or merge one.",
        where,
    )


_RANK_HEADERS: Final[Mapping[str, frozenset[str]]] = {
    "unit": frozenset({"代码", "code", "unit", "区划代码", "单位代码"}),
    "category": frozenset({"类别", "category"}),
    "category_rank": frozenset({"类别内排名", "rankincategory", "category_rank"}),
    "rank": frozenset({"排名", "rank"}),
}


def read_ranks(path: str | os.PathLike[str], sheet: str | None = None) -> pd.DataFrame:
    """Read the ranks of a results file written by kaoping (``assess -o results.xlsx``).

    The header (in the first 30 rows of the first sheet, or of ``sheet``) names the columns
    in Chinese or English: ``代码``/``Code``, ``类别内排名``/``Rank in category`` (required),
    ``排名``/``Rank`` and ``类别``/``Category``; other columns are skipped.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit code (text), with ``category`` (None when empty), ``category_rank``
        and ``rank`` (floats, NaN when empty): the ``previous`` of an official assessment.

    Raises
    ------
    kaoping.errors.InputError
        The file problems of :func:`read_panel`; ``data.not_a_results_file`` (no such
        header), and by cell ``data.bad_code``, ``data.bad_rank`` (not a whole number >= 1),
        ``data.duplicate_unit``, ``data.extra_cells``.
    """
    grid = load_grid(path, sheet)
    position, columns = _rank_header(grid)
    number, cells = grid.rows[position]
    rows = _data_rows(grid, position)
    problems = extra_cells(grid, number, len(cells), rows)
    records: dict[str, dict[str, object]] = {}
    first: dict[str, str] = {}
    for row, values in rows:
        code_cell = grid.where(row, columns["unit"])
        code = parse_code(_at(values, columns["unit"]))
        if not isinstance(code, str):
            bad = code or Bad("缺少单位代码。", "the unit code is missing.")
            problems.append(Problem("data.bad_code", bad.zh, bad.en, code_cell))
            continue
        record: dict[str, object] = {"category": None, "category_rank": math.nan, "rank": math.nan}
        if "category" in columns and not is_blank(_at(values, columns["category"])):
            record["category"] = clean_text(show(_at(values, columns["category"])))
        for role in ("category_rank", "rank"):
            if role not in columns:
                continue
            raw = _at(values, columns[role])
            value = parse_number(raw)
            if isinstance(value, Bad) or not (
                math.isnan(value) or (value >= 1 and float(value).is_integer())
            ):
                problems.append(
                    Problem(
                        "data.bad_rank",
                        f"名次应为不小于 1 的整数（或留空），收到 “{show(raw)}”。"
                        "请使用 kaoping 写出的结果文件，不要改动名次。",
                        f"a rank must be a whole number of at least 1 (or empty), got "
                        f"{show(raw)!r}; use the results file as kaoping wrote it.",
                        grid.where(row, columns[role]),
                    )
                )
                continue
            record[role] = value
        if code in first:
            problems.append(duplicate_unit_problem(code, code_cell, first[code]))
            continue
        first[code] = code_cell
        records[code] = record
    if problems:
        raise InputError(problems)
    index = pd.Index(list(records), name="unit", dtype=object)
    frame = pd.DataFrame(
        {
            "category": pd.Series([r["category"] for r in records.values()], index, object),
            "category_rank": pd.Series(
                [r["category_rank"] for r in records.values()], index, "float64"
            ),
            "rank": pd.Series([r["rank"] for r in records.values()], index, "float64"),
        },
        index=index,
    )
    return frame


def _rank_header(grid: Grid) -> tuple[int, dict[str, int]]:
    """The header of a results file: its position in ``grid.rows`` and its columns by role."""
    for position, (_, cells) in enumerate(grid.rows[:_HEADER_SCAN]):
        columns: dict[str, int] = {}
        for column, text in enumerate(cells, start=1):
            key = header_key(text)
            role = next((r for r, names in _RANK_HEADERS.items() if key in names), None)
            if role is not None and role not in columns:
                columns[role] = column
        if "unit" in columns and "category_rank" in columns:
            return position, columns
    raise InputError(
        [
            Problem(
                "data.not_a_results_file",
                "这不是 kaoping 写出的结果文件：表头中需要“代码”和“类别内排名”两列。"
                "请给出上一期 kaoping assess -o 写出的结果文件，或上一期的时期（如 2023）。",
                "this is not a results file written by kaoping: its header needs the "
                "columns 代码 (Code) and 类别内排名 (Rank in category); give last period's "
                "results file written by kaoping assess -o, or last period (e.g. 2023).",
                grid.name,
            )
        ]
    )
