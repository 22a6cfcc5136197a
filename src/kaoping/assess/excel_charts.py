"""Native Excel charts beside a result's tables: the sheet 图表 ("Charts") of its workbook.

:func:`add_charts` puts three charts (:mod:`openpyxl.chart`, no images) on that sheet, each
drawn from a block of cells on the same sheet:

1. **Ranking**: the composite score (an official result: the total) of every ranked unit in
   rank order, best at the top, one series per tier (a unit's score in its tier's column,
   blank in the others), so that the bars take their tier's colour and the legend names the
   tiers.  The chart grows with the number of units, half a centimetre each.
2. **Tiers**: the number of ranked units per tier, in the methodology's order (and the units
   in none, e.g. vetoed ones, last), coloured as in 1.  Not drawn when the methodology has no
   tiers.
3. **One unit's dimensions**: its top-level dimension scores (an official result: its points
   per dimension) beside the average of the ranked units.  The unit is chosen in a cell with
   a drop-down list of the ranked units; its scores are formulas (INDEX/MATCH on the ranking
   sheet, by unit code, so that sorting that sheet keeps them right), so that choosing another
   unit redraws the chart in Excel, WPS or LibreOffice without macros.  The first ranked unit
   is chosen at first.

The blocks of 1 and 2 hold the values of the ranking sheet's cells as they are when the charts
are made, and the formulas of 3 point at its columns as they are then: whoever changes the
ranking sheet's layout afterwards (the platform's export inserts title rows above the table
and columns after the rank) calls :func:`add_charts` again, which replaces the sheet.

At scale (10^5 enterprises) the ranking chart shows the first :data:`RANKING_CHART_LIMIT`
units and its title says so (前 200 名，共 100,000 个单位); the blocks still list every ranked
unit, so that the drop-down list offers them all.

The sheet is laid out once (:func:`charts_layout`: its cells, the drop-down list, the charts'
series, sizes and places) and drawn by one of two writers: :func:`add_charts` with openpyxl,
into a workbook open in memory (the platform's export edits the ranking sheet and makes the
charts again), and :func:`write_charts_sheet` with XlsxWriter, while
:func:`kaoping.assess.excel.write_workbook` streams a workbook in constant memory.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter, quote_sheetname

from kaoping.errors import get_language

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart
    from openpyxl.chart.text import RichText
    from openpyxl.worksheet.worksheet import Worksheet
    from xlsxwriter.workbook import Workbook as XlsxWorkbook
    from xlsxwriter.worksheet import Worksheet as XlsxWorksheet

    from kaoping.assess.official_result import OfficialResult
    from kaoping.assess.result import Result

__all__ = [
    "CHARTS_SHEET",
    "RANKING_CHART_LIMIT",
    "ChartsLayout",
    "add_charts",
    "charts_layout",
    "write_charts_sheet",
]

CHARTS_SHEET = ("图表", "Charts")
# tiers from the best: dark to light blue, then greens and ochre for methodologies with more
TIER_COLOURS = ("C92A2A", "F08C00", "1971C2", "5F3DC4", "2B8A3E", "868E96", "FFD966")
"""The platform's and the report's colours of the tiers (第一方阵 red, 第二方阵 orange, 第三方阵
blue, …; :data:`kaoping.report.charts.TIER_COLOURS`)."""
NO_TIER_COLOUR = "CED4DA"
HEADER_COLOUR = "DDEBF7"  # kaoping.data._xlsx_write.HEADER_FILL
CHOICE_COLOUR = "FFF2CC"
NOTE_COLOUR = "595959"
SCORE_FORMAT = "0.00"
CM_PER_UNIT = 0.5  # the ranking chart's height per unit: a 9-point name and a bar
CM_PER_COLUMN = 1.7  # a column of the default width (8.43 characters), for placing charts
CM_PER_ROW = 0.53  # a row of the default height (15 points)
RANKING_CHART_LIMIT = 200
"""The most units the ranking chart draws (the first by rank): every county of a province
(Sichuan has 183 county-level units), not 10^5 enterprises, whose bars no one can read."""
PX_PER_CM = 96 / 2.54  # XlsxWriter sizes charts in pixels at 96 dpi


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


@dataclass(frozen=True)
class Ranked:
    """The ranking sheet's ranked units (a rank given), in rank order, column by column: code,
    name (the code where none), rank, tier (None for none) and score (None where not a
    number)."""

    code: list[Any]
    name: list[str]
    rank: list[float]
    tier: list[str | None]
    score: list[float | None]

    def __len__(self) -> int:
        return len(self.code)


def ranked_units(columns: Mapping[str, Sequence[Any]]) -> Ranked:
    """:class:`Ranked` from the ranking sheet's columns as cell values (key -> the values
    below the header: ``unit``, ``name``, ``rank``, ``tier``, ``score``): the rows with a code
    and a numeric rank, ordered by rank (stable: ties in the sheet's order)."""
    rows = [
        i
        for i, (code, rank) in enumerate(zip(columns["unit"], columns["rank"], strict=True))
        if code is not None and isinstance(rank, int | float) and not isinstance(rank, bool)
    ]
    rank = columns["rank"]
    rows.sort(key=lambda i: float(rank[i]))
    code, name, tier, score = (columns[k] for k in ("unit", "name", "tier", "score"))
    return Ranked(
        code=[code[i] for i in rows],
        name=[str(name[i]) if name[i] is not None else str(code[i]) for i in rows],
        rank=[float(rank[i]) for i in rows],
        tier=[str(tier[i]) if tier[i] else None for i in rows],
        score=[float(score[i]) if isinstance(score[i], int | float) else None for i in rows],
    )


# --- the layout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A cell of the charts sheet (1-based): its value (a formula starts with "="), its
    look (``header``, ``bold``, ``choice``, ``note`` or None), number format, and for a
    formula the value it has when the sheet is written (for readers that do not compute)."""

    row: int
    col: int
    value: Any
    look: str | None = None
    number_format: str | None = None
    cached: Any = None


@dataclass(frozen=True)
class SeriesSpec:
    """One series: its values (a range on the charts sheet), its name (a reference), its
    colour, and per-point colours (the tier chart's bars)."""

    values: str
    name: str
    colour: str | None = None
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """One bar chart as both writers draw it."""

    direction: str  # "bar" (horizontal) or "col"
    title: str
    category_title: str
    value_title: str
    series: tuple[SeriesSpec, ...]
    categories: str
    label_format: str
    legend: bool
    zero_based: bool  # the value axis starts at 0 (no value below it)
    width: float  # cm
    height: float
    anchor: tuple[int, int]  # (column, row), 1-based
    ranking: bool = False  # the ranking bars: first at the top, every name, bars overlapping
    gap: int | None = None


@dataclass(frozen=True)
class ChartsLayout:
    """The charts sheet: its name, small cells (the chooser and the blocks' headers, rows in
    order), the units' block (``block_row``: its first row; ``block``: its columns from A,
    each a list of values, None for blank; ``block_formats``: column -> number format),
    the drop-down list (``choices``: its range; ``validation``: its texts), column widths
    and the charts."""

    title: str
    cells: list[Cell]
    block_row: int
    block: list[list[Any]]
    block_formats: dict[int, str]
    choices: str
    validation: dict[str, str]
    widths: dict[int, float]
    charts: list[ChartSpec] = field(default_factory=list)


def charts_layout(
    result: Result | OfficialResult,
    units: Ranked,
    *,
    source: str,
    header_row: int,
    last_row: int,
    column: Mapping[str, int],
    dims: Sequence[int],
    dim_values: Sequence[Any],
    dim_means: Sequence[float | None] = (),
    chosen_dims: Sequence[Any] = (),
    shown: Sequence[str] = (),
) -> ChartsLayout:
    """Lay out the charts sheet of ``result`` (see the module's description).

    Parameters
    ----------
    units
        The ranked units (:func:`ranked_units`); at least one.
    source
        The ranking sheet's name; ``header_row`` its header row, ``last_row`` its last row,
        ``column`` key -> its column (``unit``, ``rank``), ``dims`` the columns of the
        top-level dimensions.
    dim_values
        Every value of those columns (for the value axis: from 0 when none is below it).
    dim_means, chosen_dims
        The ranked units' average and the first unit's value per dimension, written as the
        formulas' values (XlsxWriter; empty: none).
    shown
        The tiers as the ranking sheet names them, in the methodology's order.
    """
    n = len(units)
    zh = get_language() == "zh"
    title = CHARTS_SHEET[0] if zh else CHARTS_SHEET[1]
    labels = _labels(units)
    groups = _groups(units.tier, shown)
    order = [*shown, *(g for g in groups if g is not None and g not in shown)]  # the colours'
    counts = Counter(units.tier)
    tier_rows: list[str | None] = [*order, *([None] if counts[None] else [])] if shown else []
    # the header rows of the blocks: 3 (dimensions), 2 (tiers), 1 (units), one blank row between
    dims_at = 4
    tiers_at = dims_at + len(dims) + 2
    units_at = tiers_at + (len(tier_rows) + 2 if tier_rows else 0)
    first, last = units_at + 1, units_at + n
    here = quote_sheetname(title)

    def ref(col: int, top: int, bottom: int | None = None) -> str:
        letter = get_column_letter(col)
        if bottom is None:
            return f"{here}!${letter}${top}"
        return f"{here}!${letter}${top}:${letter}${bottom}"

    cells: list[Cell] = [
        Cell(1, 1, _t("选择单位", "Choose a unit"), "bold"),
        Cell(1, 2, labels[0], "choice"),
        Cell(
            1,
            3,
            _t(
                "在 B1 的下拉列表中选择单位，各维度得分图随之更新。",
                "Pick a unit in B1's drop-down list: the dimensions chart follows.",
            ),
            "note",
        ),
        Cell(2, 1, result.header("unit"), "bold"),
        Cell(
            2,
            2,
            f"=INDEX($C${first}:$C${last},MATCH($B$1,$B${first}:$B${last},0))",
            cached=units.code[0],
        ),
    ]
    # block 3: the chosen unit's dimensions (INDEX/MATCH on the ranking sheet, by code) and
    # the ranked units' average (those with a rank)
    sheet = quote_sheetname(source)

    def span(col: int) -> str:
        letter = get_column_letter(col)
        return f"{sheet}!${letter}${header_row + 1}:${letter}${last_row}"

    cells += _header(dims_at, [_t("维度", "Dimension"), "=$B$1", _t("参评单位平均", "Average")])
    cells[-2] = Cell(dims_at, 2, "=$B$1", "header", cached=labels[0])
    dimensions = [d.id for d in result.methodology.dimensions]
    for i, (dim, col) in enumerate(zip(dimensions, dims, strict=True)):
        row = dims_at + 1 + i
        cells.append(Cell(row, 1, result.header(dim)))
        cells.append(
            Cell(
                row,
                2,
                f"=INDEX({span(col)},MATCH($B$2,{span(column['unit'])},0))",
                number_format=SCORE_FORMAT,
                cached=chosen_dims[i] if chosen_dims else None,
            )
        )
        cells.append(
            Cell(
                row,
                3,
                f'=AVERAGEIFS({span(col)},{span(column["rank"])},">0")',
                number_format=SCORE_FORMAT,
                cached=dim_means[i] if dim_means else None,
            )
        )
    # block 2: units per tier, in the methodology's order
    if tier_rows:
        cells += _header(tiers_at, [result.header("tier"), _t("单位数", "Units")])
        for i, tier in enumerate(tier_rows, start=tiers_at + 1):
            cells.append(Cell(i, 1, tier if tier is not None else _no_tier()))
            cells.append(Cell(i, 2, counts[tier]))
    # block 1: the ranked units in rank order, then each tier's scores in a column of its
    # own for the units the ranking chart draws
    heads = [result.header(k) for k in ("rank", "name", "unit", "tier", "score")]
    if tier_rows:
        heads += [g if g is not None else _no_tier() for g in groups]
    cells += _header(units_at, heads)
    charted = min(n, RANKING_CHART_LIMIT)
    block: list[list[Any]] = [
        [int(r) if r.is_integer() else r for r in units.rank],
        labels,
        list(units.code),
        list(units.tier),
        list(units.score),
    ]
    if tier_rows:
        where = {g: k for k, g in enumerate(groups)}
        split: list[list[Any]] = [[None] * charted for _ in groups]
        for i in range(charted):
            split[where[units.tier[i]]][i] = units.score[i]
        block += split
    formats = {c: SCORE_FORMAT for c in range(5, len(heads) + 1)}

    # the charts right of the blocks: 3 and 2 side by side at the top, 1 below them
    official = "bonus" in result.table.columns
    left = len(heads) + 2
    dim_chart = ChartSpec(
        direction="col",
        title=_t("所选单位各维度得分（分）", "The chosen unit's points per dimension")
        if official
        else _t("所选单位各维度得分", "The chosen unit's dimension scores"),
        category_title=_t("维度", "Dimension"),
        value_title=_t("得分", "Points" if official else "Score"),
        series=(
            SeriesSpec(ref(2, dims_at + 1, dims_at + len(dims)), ref(2, 1), TIER_COLOURS[0]),
            SeriesSpec(ref(3, dims_at + 1, dims_at + len(dims)), ref(3, dims_at), NO_TIER_COLOUR),
        ),
        categories=ref(1, dims_at + 1, dims_at + len(dims)),
        label_format="0.0",
        legend=True,
        zero_based=_zero_based(dim_values),
        width=18,
        height=9,
        anchor=(left, 1),
        gap=80,  # wide bars: a label over each of the pair
    )
    charts = [dim_chart]
    below = 2 + math.ceil(dim_chart.height / CM_PER_ROW)
    if tier_rows:
        beside = left + math.ceil(dim_chart.width / CM_PER_COLUMN) + 1
        charts.append(
            ChartSpec(
                direction="col",
                title=_t("各方阵单位数", "Units per tier"),
                category_title=result.header("tier"),
                value_title=_t("单位数", "Units"),
                series=(
                    SeriesSpec(
                        ref(2, tiers_at + 1, tiers_at + len(tier_rows)),
                        ref(2, tiers_at),
                        points=tuple(_colour(t, order) for t in tier_rows),
                    ),
                ),
                categories=ref(1, tiers_at + 1, tiers_at + len(tier_rows)),
                label_format="0",
                legend=False,
                zero_based=True,
                width=12,
                height=9,
                anchor=(beside, 1),
            )
        )
    name = _t("总分排名", "Ranking by total") if official else _t("综合排名", "Ranking")
    if charted < n:
        name += _t(f"（前 {charted} 名，共 {n:,} 个单位）", f" (top {charted} of {n:,} units)")
    end = first + charted - 1
    if tier_rows:
        bars = tuple(
            SeriesSpec(ref(6 + i, first, end), ref(6 + i, units_at), _colour(g, order))
            for i, g in enumerate(groups)
        )
    else:
        bars = (SeriesSpec(ref(5, first, end), ref(5, units_at), TIER_COLOURS[0]),)
    charts.append(
        ChartSpec(
            direction="bar",
            title=name,
            category_title=_t("单位（按排名）", "Unit (by rank)"),
            value_title=result.header("score"),
            series=bars,
            categories=ref(2, first, end),
            label_format=SCORE_FORMAT,
            legend=bool(tier_rows),
            zero_based=_zero_based(units.score[:charted]),
            width=22,
            height=max(8.0, 3.5 + CM_PER_UNIT * charted),
            anchor=(left, below),
            ranking=True,
            gap=40,
        )
    )
    return ChartsLayout(
        title=title,
        cells=cells,
        block_row=first,
        block=block,
        block_formats=formats,
        choices=f"$B${first}:$B${last}",  # stored without "=", as Excel does
        validation={
            "error_title": _t("不在名单中", "Not in the list"),
            "error": _t(
                "请从下拉列表中选择一个参加排名的单位。", "Choose a ranked unit from the list."
            ),
            "prompt_title": _t("选择单位", "Choose a unit"),
            "prompt": _t("各维度得分图显示所选单位。", "The dimensions chart shows this unit."),
        },
        widths=_widths(cells, block, len(heads)),
        charts=charts,
    )


def _header(row: int, values: Sequence[str]) -> list[Cell]:
    return [Cell(row, col, value, "header") for col, value in enumerate(values, start=1)]


def _zero_based(values: Sequence[Any]) -> bool:
    finite = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    return bool(finite) and min(finite) >= 0


def _labels(units: Ranked) -> list[str]:
    """Each unit's name, with its code where two ranked units share the name."""
    twice = {n for n, k in Counter(units.name).items() if k > 1}
    if not twice:
        return list(units.name)
    return [
        _t(f"{name}（{code}）", f"{name} ({code})") if name in twice else name
        for name, code in zip(units.name, units.code, strict=True)
    ]


def _groups(tiers: Sequence[str | None], shown: Sequence[str]) -> list[str | None]:
    """The series of the ranking chart: the tiers that have units, in the methodology's order,
    then any other tier the sheet shows, then None for the units in no tier."""
    present = set(tiers)
    groups: list[str | None] = [t for t in dict.fromkeys(shown) if t in present]
    groups += [t for t in dict.fromkeys(tiers) if t is not None and t not in groups]
    if None in present:
        groups.append(None)
    return groups


def _colour(group: str | None, order: Sequence[str]) -> str:
    """A tier's colour by its place in ``order`` (grey for None: in no tier)."""
    if group is None:
        return NO_TIER_COLOUR
    at = list(order).index(group) if group in order else len(order)
    return TIER_COLOURS[at % len(TIER_COLOURS)]


def _no_tier() -> str:
    return _t("未列入方阵", "No tier")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _widths(
    cells: Sequence[Cell], block: Sequence[Sequence[Any]], columns: int
) -> dict[int, float]:
    """Wide enough for the longest value of each column below row 1 (formulas aside), at
    least 8 and at most 40 characters."""
    widest = dict.fromkeys(range(1, columns + 1), 8)

    def text(value: Any) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    for cell in cells:
        value = cell.value
        if cell.row < 2 or cell.col > columns or value is None:
            continue
        if isinstance(value, str) and value.startswith("="):
            continue
        widest[cell.col] = max(widest[cell.col], _width(text(value)))
    for col, values in enumerate(block, start=1):
        if col > columns:
            break
        shown = {text(v) for v in values if v is not None}
        if shown:
            widest[col] = max(widest[col], max(map(_width, shown)))
    return {col: min(width + 2, 40) for col, width in widest.items()}


def _columns(
    headers: Mapping[str, int], sheet: str, row: int, result: Any, keys: Sequence[str]
) -> dict[str, int]:
    """Key -> the column of its header (``result.header(key)``) in ``row`` of the sheet
    (``headers``: header -> column, the first of a repeated one)."""
    missing = [result.header(k) for k in keys if result.header(k) not in headers]
    if missing:
        raise ValueError(
            _t(
                f"工作表 {sheet} 第 {row} 行没有列 {'、'.join(missing)}："
                "header_row 应为排名表的表头行。",
                f"sheet {sheet} has no column {', '.join(missing)} in row {row}: "
                "header_row must be the ranking table's header row.",
            )
        )
    return {k: headers[result.header(k)] for k in keys}


def _nothing_ranked(sheet: str, header_row: int) -> ValueError:
    return ValueError(
        _t(
            f"工作表 {sheet} 第 {header_row} 行以下没有参加排名的单位：无法作图。",
            f"sheet {sheet} has no ranked unit below row {header_row}: nothing to chart.",
        )
    )


# --- openpyxl: a workbook in memory -------------------------------------------------------------


def add_charts(
    book: Workbook,
    result: Result | OfficialResult,
    *,
    ranking: Worksheet | None = None,
    header_row: int = 1,
    tier_names: Mapping[str, str] | None = None,
) -> Worksheet:
    """Add (or replace) the charts sheet of ``book``, right after its ranking sheet.

    Parameters
    ----------
    book
        The workbook of ``result`` (:func:`kaoping.assess.excel.write_workbook` or
        :func:`~kaoping.assess.excel.write_official_workbook`), open in openpyxl.
    result
        The result whose ranking sheet it is: its column headers (in the current language,
        :func:`kaoping.errors.get_language`), top-level dimensions and tiers.
    ranking
        The ranking sheet; default the book's first.
    header_row
        The row of the ranking table's header; the units' rows follow it.
    tier_names
        A tier's name (the methodology's) -> the name the ranking sheet shows for it, when it
        shows others (an English page's); default the methodology's names.

    Returns
    -------
    Worksheet
        The charts sheet, named 图表 (English: Charts).

    Raises
    ------
    ValueError
        When the ranking sheet's ``header_row`` lacks a column the charts read (the code,
        name, score, rank, tier or a top-level dimension), or no unit is ranked.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = ranking if ranking is not None else book.worksheets[0]
    names = dict(tier_names or {})
    shown = list(dict.fromkeys(names.get(t.name, t.name) for t in result.methodology.tiers))
    headers: dict[str, int] = {}
    for cell in sheet[header_row]:
        if isinstance(cell.value, str):
            headers.setdefault(cell.value, cell.column)
    keys = ["unit", "name", "score", "rank", "tier"]
    column = _columns(headers, sheet.title, header_row, result, keys)
    dimensions = [d.id for d in result.methodology.dimensions]
    dims = list(_columns(headers, sheet.title, header_row, result, dimensions).values())
    rows = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
    width = max(column.values())
    rows = [(*row, *([None] * (width - len(row)))) for row in rows]
    units = ranked_units({k: [row[c - 1] for row in rows] for k, c in column.items()})
    if not len(units):
        raise _nothing_ranked(sheet.title, header_row)
    values = [row[c - 1] if c <= len(row) else None for c in dims for row in rows]
    layout = charts_layout(
        result,
        units,
        source=sheet.title,
        header_row=header_row,
        last_row=sheet.max_row,
        column=column,
        dims=dims,
        dim_values=values,
        shown=shown,
    )
    ws = _fresh_sheet(book, sheet, layout.title)
    header_fill = PatternFill("solid", fgColor=HEADER_COLOUR)
    looks: dict[str, dict[str, Any]] = {
        "header": {
            "font": Font(bold=True),
            "fill": header_fill,
            "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        },
        "bold": {"font": Font(bold=True)},
        "choice": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor=CHOICE_COLOUR)},
        "note": {"font": Font(italic=True, color=NOTE_COLOUR)},
    }
    for spec in layout.cells:
        cell = ws.cell(spec.row, spec.col, spec.value)
        for attribute, value in looks.get(spec.look or "", {}).items():
            setattr(cell, attribute, value)
        if spec.number_format:
            cell.number_format = spec.number_format
    for col, values_ in enumerate(layout.block, start=1):
        fmt = layout.block_formats.get(col)
        for i, value in enumerate(values_, start=layout.block_row):
            if value is not None:
                cell = ws.cell(i, col, value)
                if fmt:
                    cell.number_format = fmt
    listed = DataValidation(
        type="list",
        formula1=layout.choices,
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=layout.validation["error_title"],
        error=layout.validation["error"],
        showInputMessage=True,
        promptTitle=layout.validation["prompt_title"],
        prompt=layout.validation["prompt"],
    )
    listed.add("B1")
    ws.add_data_validation(listed)
    for col, w in layout.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = w
    for spec_ in layout.charts:
        ws.add_chart(
            _openpyxl_chart(spec_), f"{get_column_letter(spec_.anchor[0])}{spec_.anchor[1]}"
        )
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _fresh_sheet(book: Workbook, ranking: Worksheet, title: str) -> Worksheet:
    """The charts sheet, empty: in the place of the one there was, else after the ranking."""
    at = book.index(ranking) + 1
    for old in [ws for ws in book.worksheets if ws.title in CHARTS_SHEET]:
        at = book.index(old)
        book.remove(old)
    return book.create_sheet(title, at)


def _text(size: float) -> RichText:
    """Text properties of axis or data labels: ``size`` points, not bold."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=int(size * 100), b=False)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _openpyxl_chart(spec: ChartSpec) -> BarChart:
    """``spec`` as an openpyxl chart."""
    from openpyxl.chart import BarChart, Series
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.legend import Legend
    from openpyxl.chart.marker import DataPoint
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.chart.shapes import GraphicalProperties

    chart = BarChart()
    chart.type = spec.direction
    chart.grouping = "clustered"
    chart.title = spec.title
    chart.title.overlay = False  # Excel 365 draws a title without it over the plot
    chart.x_axis.axPos = "l" if spec.direction == "bar" else "b"
    chart.y_axis.axPos = "b" if spec.direction == "bar" else "l"
    # axis titles, labels shown (openpyxl 3.1 hides them unless told), zero on the scale
    chart.x_axis.title = spec.category_title
    chart.y_axis.title = spec.value_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    if spec.zero_based:
        chart.y_axis.scaling.min = 0
    if spec.ranking:
        chart.overlap = 100  # one bar per unit: the tiers' series share its place
        chart.x_axis.scaling.orientation = "maxMin"  # the first ranked at the top
        chart.x_axis.tickLblSkip = 1  # every name
        chart.x_axis.txPr = _text(9)
        chart.y_axis.crosses = "max"  # the value axis at the bottom, below the last unit
    if spec.gap is not None:
        chart.gapWidth = spec.gap
    for s in spec.series:
        series = Series(s.values)
        series.tx = SeriesLabel(strRef=StrRef(s.name))
        if s.colour:
            series.graphicalProperties.solidFill = s.colour
            series.graphicalProperties.line.solidFill = s.colour
        for i, colour in enumerate(s.points):
            series.dPt.append(DataPoint(idx=i, spPr=GraphicalProperties(solidFill=colour)))
        series.cat = AxDataSource(strRef=StrRef(spec.categories))
        chart.series.append(series)
    # each bar's value at its end, and nothing else (an application shows what is not said
    # not to be shown: the series' and the category's names too)
    chart.dataLabels = DataLabelList(
        numFmt=spec.label_format,
        dLblPos="outEnd",
        showVal=True,
        showSerName=False,
        showCatName=False,
        showLegendKey=False,
        showPercent=False,
        showBubbleSize=False,
        showLeaderLines=False,
        txPr=_text(8),
    )
    chart.legend = Legend(legendPos="t", overlay=False) if spec.legend else None
    chart.width = spec.width
    chart.height = spec.height
    return chart


# --- XlsxWriter: a workbook streamed in constant memory -----------------------------------------


def write_charts_sheet(
    book: XlsxWorkbook,
    result: Result | OfficialResult,
    columns: Mapping[str, Sequence[Any]],
    *,
    source: str,
    header_row: int = 1,
) -> XlsxWorksheet:
    """Add the charts sheet of ``result`` to ``book`` (XlsxWriter, constant memory: call it
    right after adding the ranking sheet, so that it follows it), laid out as
    :func:`add_charts` lays it out.

    Parameters
    ----------
    columns
        The ranking sheet's columns as they are written, header -> the values below it
        (None for a blank cell).
    source
        The ranking sheet's name; ``header_row`` its header row.

    Raises
    ------
    ValueError
        As :func:`add_charts`.
    """
    headers = {h: i for i, h in reversed(list(enumerate(columns, start=1)))}
    keys = ["unit", "name", "score", "rank", "tier"]
    column = _columns(headers, source, header_row, result, keys)
    dimensions = [d.id for d in result.methodology.dimensions]
    dims = list(_columns(headers, source, header_row, result, dimensions).values())
    by_col = list(columns.values())
    units = ranked_units({k: by_col[c - 1] for k, c in column.items()})
    if not len(units):
        raise _nothing_ranked(source, header_row)
    dim_columns = [by_col[c - 1] for c in dims]
    rank = by_col[column["rank"] - 1]
    first = units.code[0]
    at = next(i for i, code in enumerate(by_col[column["unit"] - 1]) if code == first)
    means = []
    for values in dim_columns:  # AVERAGEIFS(values, rank, ">0"): numbers only
        picked = [
            v
            for v, r in zip(values, rank, strict=True)
            if isinstance(r, int | float) and r > 0 and isinstance(v, int | float)
        ]
        means.append(sum(picked) / len(picked) if picked else None)
    layout = charts_layout(
        result,
        units,
        source=source,
        header_row=header_row,
        last_row=header_row + len(rank),
        column=column,
        dims=dims,
        dim_values=[v for values in dim_columns for v in values],
        dim_means=means,
        chosen_dims=[values[at] for values in dim_columns],
        shown=[t.name for t in result.methodology.tiers],
    )
    ws = book.add_worksheet(layout.title)
    looks = {
        "header": book.add_format(
            {
                "bold": True,
                "bg_color": "#" + HEADER_COLOUR,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        ),
        "bold": book.add_format({"bold": True}),
        "choice": book.add_format({"bold": True, "bg_color": "#" + CHOICE_COLOUR}),
        "note": book.add_format({"italic": True, "font_color": "#" + NOTE_COLOUR}),
    }
    formats = {f: book.add_format({"num_format": f}) for f in {SCORE_FORMAT}}
    for col, w in layout.widths.items():
        ws.set_column(col - 1, col - 1, w)
    for spec in sorted(layout.cells, key=lambda c: (c.row, c.col)):
        look = looks.get(spec.look or "") or formats.get(spec.number_format or "")
        write_value(ws, spec.row - 1, spec.col - 1, spec.value, look, cached=spec.cached)
    block_formats = [
        formats.get(layout.block_formats.get(c, "")) for c in range(1, len(layout.block) + 1)
    ]
    rows = zip(
        *(values + [None] * (len(units) - len(values)) for values in layout.block), strict=True
    )
    for i, row in enumerate(rows, start=layout.block_row - 1):
        for j, value in enumerate(row):
            if value is not None:
                write_value(ws, i, j, value, block_formats[j])
    ws.data_validation(
        0,
        1,
        0,
        1,
        {
            "validate": "list",
            "source": "=" + layout.choices,
            "ignore_blank": False,
            "show_error": True,
            "error_title": layout.validation["error_title"],
            "error_message": layout.validation["error"],
            "show_input": True,
            "input_title": layout.validation["prompt_title"],
            "input_message": layout.validation["prompt"],
        },
    )
    for spec_ in layout.charts:
        ws.insert_chart(spec_.anchor[1] - 1, spec_.anchor[0] - 1, _xlsxwriter_chart(book, spec_))
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    return ws


def write_value(
    ws: XlsxWorksheet, row: int, col: int, value: Any, look: Any = None, *, cached: Any = None
) -> None:
    """One cell (0-based) as openpyxl would hold it: text as text (a formula when it starts
    with "=", with ``cached`` as its value), numbers as numbers, None, empty texts and
    non-finite numbers blank (with ``look`` still applied)."""
    if isinstance(value, str):
        if value.startswith("="):
            ws.write_formula(row, col, value, look, "" if cached is None else cached)
        elif value or look is not None:  # an empty text is a blank cell
            ws.write_string(row, col, value, look)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, look)
    elif isinstance(value, int | float) and math.isfinite(value):
        ws.write_number(row, col, value, look)
    elif value is None or isinstance(value, float):
        if look is not None:
            ws.write_blank(row, col, None, look)
    else:
        ws.write_string(row, col, str(value), look)


def _xlsxwriter_chart(book: XlsxWorkbook, spec: ChartSpec) -> Any:
    """``spec`` as an XlsxWriter chart."""
    chart = book.add_chart({"type": "bar" if spec.direction == "bar" else "column"})
    labels = {
        "value": True,
        "position": "outside_end",
        "num_format": spec.label_format,
        "font": {"size": 8, "bold": False},
    }
    for s in spec.series:
        series: dict[str, Any] = {
            "values": "=" + s.values,
            "categories": "=" + spec.categories,
            "name": "=" + s.name,
            "data_labels": labels,
        }
        if s.colour:
            series["fill"] = {"color": "#" + s.colour}
            series["border"] = {"color": "#" + s.colour}
        if s.points:
            series["points"] = [{"fill": {"color": "#" + c}} for c in s.points]
        if spec.ranking:
            series["overlap"] = 100  # one bar per unit: the tiers' series share its place
        if spec.gap is not None:
            series["gap"] = spec.gap
        chart.add_series(series)
    chart.set_title({"name": spec.title, "overlay": False})
    category: dict[str, Any] = {"name": spec.category_title}
    value: dict[str, Any] = {"name": spec.value_title, "num_format": "0"}
    if spec.zero_based:
        value["min"] = 0
    if spec.ranking:
        category["reverse"] = True  # the first ranked at the top
        category["interval_unit"] = 1  # every name
        category["num_font"] = {"size": 9, "bold": False}
        category["crossing"] = "max"  # the value axis at the bottom, below the last unit
    # XlsxWriter names a bar chart's axes by where they are: x the horizontal (values)
    if spec.direction == "bar":
        chart.set_x_axis(value)
        chart.set_y_axis(category)
    else:
        chart.set_x_axis(category)
        chart.set_y_axis(value)
    chart.set_legend({"position": "top"} if spec.legend else {"none": True})
    chart.set_size(
        {"width": round(spec.width * PX_PER_CM), "height": round(spec.height * PX_PER_CM)}
    )
    return chart
