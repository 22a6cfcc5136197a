"""The chain workbook (产业链全景图) read with every problem named by its cell, its template,
and the platform's exports.

A city keeps its chains in one xlsx workbook with the sheets of
:data:`kaoping.chains.schema.SHEETS`: 产业链 and 环节 (required), 供应关系, 企业, 招商目标 and
签约项目 (each may be absent or empty).  :func:`read_book` reads every sheet with the
dispatch's column reader (:mod:`kaoping.dispatch.columns`: the header in one of the first ten
rows, Chinese or English or an alias; every cell parsed by its column's kind), builds the
:class:`~kaoping.chains.model.ChainBook` and checks it across the sheets
(:func:`~kaoping.chains.model.check_book`): every problem of every sheet and every check is
raised at once as one :class:`~kaoping.errors.InputError`, each naming its cell
(``链.xlsx!环节!D5``) and the fix.  :func:`write_book` writes the workbook to fill (or a
book, which :func:`read_book` reads back as it is); :func:`write_tables` writes the frames
the platform exports (a chain's nodes with their strength, the gap list, signings by county).

Example
-------
>>> import io
>>> from kaoping.chains.model import make_book
>>> book = make_book(chains=[{"chain": "L", "name": "锂电"}],
...     nodes=[{"node": "L1", "chain": "L", "name": "电池", "position": "中游"},
...            {"node": "L2", "chain": "L", "name": "电芯", "position": "中游",
...             "parent": "L9"}])
>>> try:
...     read_book(io.BytesIO(write_book(book)), name="链.xlsx")
... except InputError as error:
...     print(error.problems[0].where, error.codes)
链.xlsx!环节!E3 ['chains.unknown_parent']
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.chains.model import ChainBook, check_book, make_book
from kaoping.chains.schema import (
    CHAIN_SHEET,
    CHAINS,
    EDGE_SHEET,
    EDGES,
    ENTERPRISE_SHEET,
    ENTERPRISES,
    NODE_SHEET,
    NODES,
    SHEETS,
    SIGNING_SHEET,
    SIGNINGS,
    TARGET_SHEET,
    TARGETS,
)
from kaoping.data._xlsx_write import HEADER_FILL, style_reference
from kaoping.dispatch.columns import (
    GUIDE_HEADS,
    GUIDE_SHEET,
    Upload,
    display_width,
    guide_row,
    load,
    plain,
    read_sheet,
    save,
    template_sheet,
)
from kaoping.dispatch.schema import Column
from kaoping.errors import InputError, Problem

__all__ = ["GUIDE_SHEET", "REQUIRED_SHEETS", "read_book", "write_book", "write_tables"]

REQUIRED_SHEETS: Final = (CHAIN_SHEET, NODE_SHEET)
"""The sheets a chain workbook must have; the others may be absent (no rows)."""

_FRAMES: Final[dict[str, tuple[str, tuple[Column, ...]]]] = {
    "chains": (CHAIN_SHEET, CHAINS),
    "nodes": (NODE_SHEET, NODES),
    "edges": (EDGE_SHEET, EDGES),
    "enterprises": (ENTERPRISE_SHEET, ENTERPRISES),
    "targets": (TARGET_SHEET, TARGETS),
    "signings": (SIGNING_SHEET, SIGNINGS),
}
"""ChainBook's frame -> its sheet and columns, in the workbook's order."""
assert tuple(sheet for sheet, _ in _FRAMES.values()) == tuple(SHEETS)

_NOT_READ: Final = {
    CHAIN_SHEET: "chains.unknown_chain",
    NODE_SHEET: "chains.unknown_node",
    TARGET_SHEET: "chains.unknown_target",
}
"""A sheet that could not be read -> the check across sheets that would blame every row for
it (not reported: the sheet's own problem says what to fix)."""
_SHEET_CELL_FAULTS: Final = frozenset({"data.damaged_cell", "data.empty_file"})
"""Problems of one sheet's cells (the other sheets are still read); any other problem of the
file stops the reading."""
_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # the old .xls: kaoping.data says how to convert it
_NEGATIVE_FIX: Final = ("请填写 0 或正数；不详的留空。", "write 0 or more, or leave it empty.")


# -- reading ---------------------------------------------------------------------------------


def _refuse_csv(upload: Upload) -> None:
    content = upload.content
    if (
        not content.strip()
        or content.startswith((_XLSX_MAGIC, _OLE_MAGIC))
        or Path(upload.source).suffix.lower() in {".xlsx", ".xlsm"}
    ):
        return  # a workbook, or a file whose problem kaoping.data names
    sheets = "、".join(SHEETS)
    raise InputError(
        [
            Problem(
                "chains.not_a_workbook",
                f"产业链工作簿须为 .xlsx 文件：它有{sheets}等多张工作表，而 CSV 文件只能装"
                "一张表，不能导入。请下载模板（.xlsx）填写，或在 Excel/WPS 中把各表放进一个 "
                ".xlsx 工作簿（表名如上）后再导入。",
                f"a chain workbook must be an .xlsx file: it has several sheets ({sheets}), "
                "and a CSV file holds only one, so it cannot be imported; fill in the template "
                "(.xlsx), or put the sheets into one .xlsx workbook in Excel or WPS (named as "
                "above) and import that.",
                upload.source,
            )
        ]
    )


def _missing_sheet(source: str, sheet: str) -> Problem:
    needed = "”和“".join(REQUIRED_SHEETS)
    return Problem(
        "chains.missing_sheet",
        f"工作簿中没有“{sheet}”工作表。产业链工作簿须有“{needed}”两张工作表：请加上这张表"
        f"（表名须为“{sheet}”），或下载模板对照填写。",
        f"the workbook has no sheet {sheet}; a chain workbook must have the sheets "
        f"{' and '.join(REQUIRED_SHEETS)}: add it (named exactly {sheet}), or compare with "
        "the template.",
        source,
    )


def read_book(
    file: str | os.PathLike[str] | IO[bytes],
    *,
    name: str | None = None,
    counties: Collection[str] | None = None,
) -> ChainBook:
    """Read a chain workbook and check it across its sheets.

    Parameters
    ----------
    file : path or binary file-like object
        An xlsx workbook with the sheets of :data:`kaoping.chains.schema.SHEETS` (found by
        name; 产业链 and 环节 required).  A CSV file is refused: it holds one sheet.
    name : str, optional
        What messages call the file (default: its file name); an upload is named by the base
        name only, never a server path.
    counties : collection of str, optional
        The county codes enterprises, targets and signings may name (the platform's units);
        None: not checked.

    Returns
    -------
    ChainBook
        As :func:`~kaoping.chains.model.make_book` makes it; each frame keeps ``_row`` (the
        sheet's row numbers) and ``attrs["source"]`` (``链.xlsx!环节``) and
        ``attrs["columns"]`` (field -> column letter), so that later checks name cells too.
        An absent optional sheet is an empty frame.

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once, each naming its cell: the file unreadable (``data.*``), not a
        workbook (``chains.not_a_workbook``), a required sheet missing
        (``chains.missing_sheet``), a sheet without a header (``chains.no_header``), an
        unknown, repeated or missing column, a number that is text, a bad date, a value not
        in a column's list, a flag that is not 是/否, a required cell empty (``chains.*`` of
        :func:`kaoping.dispatch.columns.read_sheet`), and the checks across sheets of
        :func:`~kaoping.chains.model.check_book`.
    """
    upload = load(file, name=name)
    _refuse_csv(upload)
    problems: list[Problem] = []
    frames: dict[str, Any] = {}
    unread: set[str] = set()
    for frame_name, (sheet, columns) in _FRAMES.items():
        frames[frame_name] = ()
        try:
            grid = upload.grid(sheet)
        except InputError as error:
            if error.codes == ["data.missing_sheet"]:
                if sheet in REQUIRED_SHEETS:
                    problems.append(_missing_sheet(upload.source, sheet))
                    unread.add(sheet)
                continue
            if set(error.codes) <= _SHEET_CELL_FAULTS:
                if sheet in REQUIRED_SHEETS or error.codes != ["data.empty_file"]:
                    problems += error.problems
                    unread.add(sheet)
                continue  # an optional sheet left empty: no rows
            raise
        try:
            read = read_sheet(
                grid,
                columns,
                prefix="chains",
                required=[c.name for c in columns if c.required],
                negative_fix=_NEGATIVE_FIX,
            )
        except InputError as error:  # no header
            problems += error.problems
            unread.add(sheet)
            continue
        problems += read.problems
        frames[frame_name] = read.frame
    book = make_book(**frames)
    dropped = {_NOT_READ[s] for s in unread if s in _NOT_READ}
    problems += [p for p in check_book(book, counties=counties) if p.code not in dropped]
    if problems:
        raise InputError(problems)
    return book


# -- the workbook to fill --------------------------------------------------------------------

_SHEET_NOTES: Final = {
    CHAIN_SHEET: (
        "每行一条产业链（如 新能源电池材料）。产业链编号唯一，其他表以它对应产业链；"
        "链长为牵头的市级领导，链主企业可写多家。",
        "One row a chain (e.g. new-energy battery materials). The chain id is unique; the "
        "other sheets refer to the chain by it. 链长 is the city leader in charge; several "
        "lead enterprises may be listed.",
    ),
    NODE_SHEET: (
        "每行一个环节。同一产业链的环节通过“上级环节编号”构成一棵树：顶层环节的上级环节编号"
        "留空，其余环节填同一产业链中上级环节的编号，不能绕成环；下级环节与上级环节位于同一"
        "位置（上游、中游或下游）。国民经济行业分类代码填 GB/T 4754-2017 的行业代码，如 "
        "C3841（锂离子电池制造），多个代码用“、”分隔。",
        "One row a node (环节). The nodes of a chain form a tree through 上级环节编号 (parent "
        "node id): empty for a top node, else the id of its parent in the same chain, never "
        "in a loop; a child is in its parent's position (上游/中游/下游). Industry codes are "
        "GB/T 4754-2017 codes such as C3841 (lithium-ion batteries), several separated by 、.",
    ),
    EDGE_SHEET: (
        "每行一条供应关系：供应环节向需求环节供货，两者都须是“环节”表中的环节编号。",
        "One row a supply relation: the supplying node supplies the receiving node; both "
        "are node ids of the sheet 环节.",
    ),
    ENTERPRISE_SHEET: (
        "每行一家企业。统一社会信用代码为 18 位（GB 32100-2015，最后一位是校验码）；所在"
        "环节编号可填多个，用“、”分隔；规上企业、链主企业选“是”或“否”；产值、税收以万元计。",
        "One row an enterprise. The 统一社会信用代码 (unified social credit code) has 18 "
        "characters (GB 32100-2015, the last a check character); 所在环节编号 may list "
        "several node ids separated by 、; the flags take 是 or 否; output and tax in "
        "10,000 yuan.",
    ),
    TARGET_SHEET: (
        "每行一个招商目标：要引进的企业或项目类型，挂在一个环节上（通常是缺失或薄弱的环节）；"
        "县区代码留空的是全市的目标。",
        "One row an investment target: an enterprise or a kind of project to attract, on a "
        "node (usually a missing or weak one); no county code: a target of the whole city.",
    ),
    SIGNING_SHEET: (
        "每行一个签约项目：投资方、签约金额（万元）、签约时间、所在环节和县区；目标编号填它"
        "落实的招商目标（可留空）。签约项目可转为重点项目库的项目。",
        "One row a signed project: investor, amount (10,000 yuan), date, node and county; "
        "the target id it fulfils (may be empty). A signing can become a project of the "
        "key-project registry.",
    ),
}
_NOTES: Final = (
    (
        "产业链、环节两张表必需，其他表可以没有或留空。表头为橙色的列必填。金额单位为万元，"
        "只填数字；日期填 2026-03-15；是/否列选“是”或“否”。",
        "The sheets 产业链 and 环节 are required; the others may be absent or empty. Columns "
        "with orange headers are required. Money in 10,000 yuan, numbers only; dates as "
        "2026-03-15; yes/no columns take 是 or 否.",
    ),
    (
        "产业链编号、环节编号、统一社会信用代码、目标编号、项目编号在各自的表中唯一；"
        "再次导入时按编号更新。",
        "Chain ids, node ids, credit codes, target ids and project ids are unique in their "
        "sheets; importing again updates by them.",
    ),
)
_GUIDE_WIDTHS: Final = (12, *(width for _, width in GUIDE_HEADS))


def _cell_value(value: object) -> object:
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value) or None
    return plain(value)


def _rows(frame: pd.DataFrame, columns: Sequence[Column]) -> list[list[object]]:
    if not len(frame):
        return []
    present = [c.name for c in columns if c.name in frame.columns]
    rows: list[list[object]] = []
    for record in frame[present].itertuples(index=False, name=None):
        values = dict(zip(present, record, strict=True))
        rows.append([_cell_value(values.get(c.name)) for c in columns])
    return rows


def _guide(wb: Workbook) -> Worksheet:
    """填表说明: what each sheet is, then its columns; then the notes of every sheet."""
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.append(["工作表 Sheet", *(h for h, _ in GUIDE_HEADS)])
    headings: list[tuple[int, str, str]] = []
    for sheet, columns in SHEETS.items():
        zh, en = _SHEET_NOTES[sheet]
        ws.append([sheet, "", zh, None, None, en])
        headings.append((ws.max_row, zh, en))
        for index, col in enumerate(columns, start=1):
            ws.append([sheet, *guide_row(index, col)])
    ws.append([])
    for zh, en in _NOTES:
        ws.append(["", "", zh, None, None, en])
        headings.append((ws.max_row, zh, en))
    style_reference(ws, _GUIDE_WIDTHS)
    zh_width, en_width = sum(_GUIDE_WIDTHS[2:5]), sum(_GUIDE_WIDTHS[5:9])
    for row, zh, en in headings:
        if ws.cell(row=row, column=1).value:  # a sheet's heading
            for cell in ws[row]:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        ws.merge_cells(start_row=row, start_column=6, end_row=row, end_column=9)
        lines = max(
            math.ceil(display_width(zh) / (zh_width - 2)),
            math.ceil(display_width(en) / (en_width - 4)),
        )
        ws.row_dimensions[row].height = 15 * lines + 4  # merged cells do not grow by themselves
    return ws


def _landscape(ws: Worksheet) -> None:
    """Printed landscape, all columns on one page's width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def write_book(book: ChainBook | None = None) -> bytes:
    """The chain workbook: the sheets of :data:`~kaoping.chains.schema.SHEETS` in order
    (Chinese headers, the required ones shaded; drop-down lists for the choices and 是/否
    flags; numbers, dates and text formatted; widths that show the headers; the header row
    frozen) and 填表说明, which says what each sheet and column holds.

    Parameters
    ----------
    book : ChainBook, optional
        The book to write (lists such as a node's industry codes as ``C3841、C3842``), which
        :func:`read_book` reads back as it is; None: the empty template.

    Returns
    -------
    bytes
        The xlsx workbook; the same book gives the same bytes (fixed times).
    """
    wb = Workbook()
    for frame_name, (sheet, columns) in _FRAMES.items():
        rows = [] if book is None else _rows(book.frame(frame_name), columns)
        ws = template_sheet(wb, sheet, columns, rows)
        _landscape(ws)
    _landscape(_guide(wb))
    wb.active = 0
    return save(wb, fixed=True)


# -- exports ---------------------------------------------------------------------------------

_MONEY_FIELDS: Final = frozenset(
    {"amount", "output", "tax", "chain_output", "signed_amount", "total", "ytd"}
)
_TITLE_CHARACTERS: Final = re.compile(r"[\[\]:*?/\\]")
_TEXT_WIDTH: Final = 50  # the widest column; longer text wraps


def _sheet_title(name: str, taken: Collection[str]) -> str:
    """A valid sheet title: no ``[]:*?/\\``, at most 31 characters, not one already taken."""
    base = _TITLE_CHARACTERS.sub("_", str(name)).strip("'") or "Sheet"
    title, n = base[:31], 1
    while title.casefold() in {t.casefold() for t in taken}:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    return title


def _number_format(field: str, head: str, values: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    if field.endswith("_pct") or "%" in head:
        return "0.0" if "%" in head else '0.0"%"'
    if "万元" in head or field in _MONEY_FIELDS:
        return "#,##0.00"
    if pd.api.types.is_integer_dtype(values):
        return "0"
    finite = values[np.isfinite(values.astype("float64"))]
    return "#,##0" if len(finite) and bool((finite == finite.round()).all()) else "#,##0.00"


def _shown(value: object, number_format: str | None) -> int:
    """The width a value takes as the sheet shows it."""
    if number_format and isinstance(value, float | int) and not isinstance(value, bool):
        if number_format.startswith("0.0"):
            text = f"{value:.1f}%"
        elif number_format == "0":
            text = f"{value:.0f}"
        else:
            decimals = 2 if number_format.endswith(".00") else 0
            text = f"{value:,.{decimals}f}"
        return len(text)
    if hasattr(value, "isoformat"):
        return 10
    return display_width(value)


def write_tables(
    sheets: Mapping[str, pd.DataFrame],
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """An export: each frame of ``sheets`` a sheet (its key the sheet's title, made valid),
    its named index first, its columns headed by ``headers`` (field -> Chinese header; a
    field without one keeps its name), columns starting with ``_`` left out.

    Numbers are formatted by what they are: a field ending in ``_pct`` or a header with ``%``
    with one decimal (percent points, 0-100), 万元 (a header with 万元, or amount, output,
    tax …) with two decimals and thousands separators, counts as integers; dates as
    2026-03-15, flags as 是/否, lists joined by 、.  Widths fit the headers and values (a
    Chinese character counts twice; long text wraps), the header row is bold, shaded,
    frozen and filtered; printed landscape, one page wide.  ``title``: a first row above the
    table on each sheet, and the workbook's title.

    Returns
    -------
    bytes
        The xlsx workbook; the same frames give the same bytes (fixed times).

    Examples
    --------
    >>> import io
    >>> from openpyxl import load_workbook
    >>> frame = pd.DataFrame({"projects": [3, 2], "amount": [1200.0, 800.0],
    ...                       "amount_pct": [60.0, 40.0]}, index=pd.Index(["410821", "410822"],
    ...                       name="county"))
    >>> data = write_tables({"签约项目": frame}, headers={"county": "县区代码",
    ...     "projects": "项目数", "amount": "签约金额（万元）", "amount_pct": "金额占比（%）"})
    >>> ws = load_workbook(io.BytesIO(data))["签约项目"]
    >>> [c.value for c in ws[1]], ws["C2"].number_format, ws["D2"].number_format
    (['县区代码', '项目数', '签约金额（万元）', '金额占比（%）'], '#,##0.00', '0.0')
    """
    names = dict(headers or {})
    wb = Workbook()
    if title:
        wb.properties.title = title
    taken: list[str] = []
    for key, frame in sheets.items():
        named = [n for n in frame.index.names if n is not None]
        data = frame.reset_index() if named else frame
        fields = [str(c) for c in data.columns if not str(c).startswith("_")]
        data = data.loc[:, [c for c in data.columns if not str(c).startswith("_")]]
        heads = [names.get(f, f) for f in fields]
        sheet_title = _sheet_title(key, taken)
        taken.append(sheet_title)
        active = wb.active
        if isinstance(active, Worksheet) and active.title == "Sheet" and len(taken) == 1:
            ws = active
            ws.title = sheet_title
        else:
            ws = wb.create_sheet(sheet_title)
        top = 1
        if title:
            ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
            ws.row_dimensions[1].height = 24
            top = 2
        formats = [
            _number_format(f, h, data.iloc[:, k])
            for k, (f, h) in enumerate(zip(fields, heads, strict=True))
        ]
        for index, head in enumerate(heads, start=1):
            cell = ws.cell(row=top, column=index, value=head)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths = [display_width(h) for h in heads]
        wrapped: set[int] = set()
        for r, record in enumerate(data.itertuples(index=False, name=None), start=top + 1):
            for c, raw in enumerate(record, start=1):
                value = _cell_value(raw)
                cell = ws.cell(row=r, column=c, value=value)
                number_format = formats[c - 1]
                if number_format and isinstance(value, int | float):
                    cell.number_format = number_format
                elif hasattr(value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
                shown = _shown(value, number_format)
                if shown > _TEXT_WIDTH:
                    wrapped.add(c)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if r < top + 1 + 500:
                    widths[c - 1] = max(widths[c - 1], shown)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 3, 8), 60)
        if heads:
            last = get_column_letter(len(heads))
            ws.auto_filter.ref = f"A{top}:{last}{top + max(len(data), 1)}"
        ws.freeze_panes = f"A{top + 1}"
        _landscape(ws)
    if not taken:
        active = wb.active
        if isinstance(active, Worksheet):
            active.title = "空表"
    return save(wb, fixed=True)
