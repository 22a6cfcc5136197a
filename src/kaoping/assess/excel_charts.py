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
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from kaoping.data._xlsx_write import HEADER_FILL
from kaoping.errors import get_language

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from kaoping.assess.official_result import OfficialResult
    from kaoping.assess.result import Result

__all__ = ["CHARTS_SHEET", "add_charts"]

CHARTS_SHEET = ("图表", "Charts")
# tiers from the best: dark to light blue, then greens and ochre for methodologies with more
TIER_COLOURS = ("C92A2A", "F08C00", "1971C2", "5F3DC4", "2B8A3E", "868E96", "FFD966")
"""The platform's and the report's colours of the tiers (第一方阵 red, 第二方阵 orange, 第三方阵
blue, …; :data:`kaoping.report.charts.TIER_COLOURS`)."""
NO_TIER_COLOUR = "CED4DA"
CHOICE_FILL = PatternFill("solid", fgColor="FFF2CC")
SCORE_FORMAT = "0.00"
CM_PER_UNIT = 0.5  # the ranking chart's height per unit: a 9-point name and a bar
CM_PER_COLUMN = 1.7  # a column of the default width (8.43 characters), for placing charts
CM_PER_ROW = 0.53  # a row of the default height (15 points)


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


@dataclass(frozen=True)
class _Unit:
    """A ranked unit as the ranking sheet shows it."""

    code: Any
    name: str
    rank: float
    tier: str | None
    score: float | None


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
    sheet = ranking if ranking is not None else book.worksheets[0]
    names = dict(tier_names or {})
    shown = list(dict.fromkeys(names.get(t.name, t.name) for t in result.methodology.tiers))
    dimensions = [d.id for d in result.methodology.dimensions]
    column = _columns(sheet, header_row, result, ["unit", "name", "score", "rank", "tier"])
    dims = list(_columns(sheet, header_row, result, dimensions).values())
    units = _ranked(sheet, header_row, column)
    if not units:
        raise ValueError(
            _t(
                f"工作表 {sheet.title} 第 {header_row} 行以下没有参加排名的单位：无法作图。",
                f"sheet {sheet.title} has no ranked unit below row {header_row}: nothing to chart.",
            )
        )
    ws = _fresh_sheet(book, sheet)
    labels = _labels(units)
    groups = _groups(units, shown)
    order = [*shown, *(g for g in groups if g is not None and g not in shown)]  # the colours'
    counts = Counter(u.tier for u in units)
    tier_rows: list[str | None] = [*order, *([None] if counts[None] else [])] if shown else []
    # the header rows of the blocks: 3 (dimensions), 2 (tiers), 1 (units), one blank row between
    dims_at = 4
    tiers_at = dims_at + len(dims) + 2
    units_at = tiers_at + (len(tier_rows) + 2 if tier_rows else 0)
    first, last = units_at + 1, units_at + len(units)

    # the chooser: the unit in B1 (a drop-down list of block 1's names), its code in B2
    ws["A1"] = _t("选择单位", "Choose a unit")
    ws["A1"].font = Font(bold=True)
    choice = ws["B1"]
    choice.value = labels[0]
    choice.fill = CHOICE_FILL
    choice.font = Font(bold=True)
    ws["C1"] = _t(
        "在 B1 的下拉列表中选择单位，各维度得分图随之更新。",
        "Pick a unit in B1's drop-down list: the dimensions chart follows.",
    )
    ws["C1"].font = Font(italic=True, color="595959")
    ws["A2"] = result.header("unit")
    ws["A2"].font = Font(bold=True)
    ws["B2"] = f"=INDEX($C${first}:$C${last},MATCH($B$1,$B${first}:$B${last},0))"
    listed = DataValidation(
        type="list",
        formula1=f"$B${first}:$B${last}",  # stored without "=", as Excel does
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=_t("不在名单中", "Not in the list"),
        error=_t("请从下拉列表中选择一个参加排名的单位。", "Choose a ranked unit from the list."),
        showInputMessage=True,
        promptTitle=_t("选择单位", "Choose a unit"),
        prompt=_t("各维度得分图显示所选单位。", "The dimensions chart shows this unit."),
    )
    listed.add("B1")
    ws.add_data_validation(listed)

    # block 3: the chosen unit's dimensions (INDEX/MATCH on the ranking sheet, by code) and
    # the ranked units' average (those with a rank)
    source = quote_sheetname(sheet.title)

    def span(col: int) -> str:
        letter = get_column_letter(col)
        return f"{source}!${letter}${header_row + 1}:${letter}${sheet.max_row}"

    _header(ws, dims_at, [_t("维度", "Dimension"), "=$B$1", _t("参评单位平均", "Average")])
    for i, (dim, col) in enumerate(zip(dimensions, dims, strict=True), start=dims_at + 1):
        ws.cell(i, 1, result.header(dim))
        ws.cell(i, 2, f"=INDEX({span(col)},MATCH($B$2,{span(column['unit'])},0))")
        ws.cell(i, 3, f'=AVERAGEIFS({span(col)},{span(column["rank"])},">0")')
        for c in (2, 3):
            ws.cell(i, c).number_format = SCORE_FORMAT

    # block 2: units per tier, in the methodology's order
    if tier_rows:
        _header(ws, tiers_at, [result.header("tier"), _t("单位数", "Units")])
        for i, tier in enumerate(tier_rows, start=tiers_at + 1):
            ws.cell(i, 1, tier if tier is not None else _no_tier())
            ws.cell(i, 2, counts[tier])

    # block 1: the ranked units in rank order, then each tier's scores in a column of its own
    heads = [result.header(k) for k in ("rank", "name", "unit", "tier", "score")]
    if tier_rows:
        heads += [g if g is not None else _no_tier() for g in groups]
    _header(ws, units_at, heads)
    for i, (unit, label) in enumerate(zip(units, labels, strict=True), start=first):
        ws.cell(i, 1, int(unit.rank) if unit.rank.is_integer() else unit.rank)
        ws.cell(i, 2, label)
        ws.cell(i, 3, unit.code)
        ws.cell(i, 4, unit.tier)
        ws.cell(i, 5, unit.score).number_format = SCORE_FORMAT
        if tier_rows:
            ws.cell(i, 6 + groups.index(unit.tier), unit.score).number_format = SCORE_FORMAT
    _widths(ws, len(heads))

    # the charts right of the blocks: 3 and 2 side by side at the top, 1 below them
    official = "bonus" in result.table.columns
    left = len(heads) + 2
    values = [
        cell.value
        for col in dims
        for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=col, max_col=col)
    ]
    chart = _dimension_chart(ws, result, dims_at, len(dims), values, official)
    ws.add_chart(chart, f"{get_column_letter(left)}1")
    below = 2 + math.ceil(chart.height / CM_PER_ROW)
    if tier_rows:
        beside = left + math.ceil(chart.width / CM_PER_COLUMN) + 1
        tiers = _tier_chart(ws, result, tiers_at, tier_rows, order)
        ws.add_chart(tiers, f"{get_column_letter(beside)}1")
    title = _t("总分排名", "Ranking by total") if official else _t("综合排名", "Ranking")
    bars = _ranking_chart(
        ws, result, title, units_at, len(units), groups if tier_rows else [], order
    )
    ws.add_chart(bars, f"{get_column_letter(left)}{below}")

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _columns(sheet: Worksheet, row: int, result: Any, keys: Sequence[str]) -> dict[str, int]:
    """Key -> the column of its header (``result.header(key)``) in ``row`` of ``sheet``."""
    found: dict[str, int] = {}
    for cell in sheet[row]:
        if isinstance(cell.value, str):
            found.setdefault(cell.value, cell.column)
    missing = [result.header(k) for k in keys if result.header(k) not in found]
    if missing:
        raise ValueError(
            _t(
                f"工作表 {sheet.title} 第 {row} 行没有列 {'、'.join(missing)}："
                "header_row 应为排名表的表头行。",
                f"sheet {sheet.title} has no column {', '.join(missing)} in row {row}: "
                "header_row must be the ranking table's header row.",
            )
        )
    return {k: found[result.header(k)] for k in keys}


def _ranked(sheet: Worksheet, header_row: int, column: Mapping[str, int]) -> list[_Unit]:
    """The ranking sheet's ranked units (a rank given), in rank order."""
    units = []
    for cells in sheet.iter_rows(min_row=header_row + 1):
        value = {k: cells[c - 1].value for k, c in column.items()}
        if value["unit"] is None or not isinstance(value["rank"], int | float):
            continue
        score = value["score"]
        units.append(
            _Unit(
                code=value["unit"],
                name=str(value["name"]) if value["name"] is not None else str(value["unit"]),
                rank=float(value["rank"]),
                tier=str(value["tier"]) if value["tier"] else None,
                score=float(score) if isinstance(score, int | float) else None,
            )
        )
    return sorted(units, key=lambda u: u.rank)


def _labels(units: Sequence[_Unit]) -> list[str]:
    """Each unit's name, with its code where two ranked units share the name."""
    twice = {n for n, k in Counter(u.name for u in units).items() if k > 1}
    return [
        _t(f"{u.name}（{u.code}）", f"{u.name} ({u.code})") if u.name in twice else u.name
        for u in units
    ]


def _groups(units: Sequence[_Unit], shown: Sequence[str]) -> list[str | None]:
    """The series of the ranking chart: the tiers that have units, in the methodology's order,
    then any other tier the sheet shows, then None for the units in no tier."""
    present = {u.tier for u in units}
    groups: list[str | None] = [t for t in dict.fromkeys(shown) if t in present]
    groups += [t for t in dict.fromkeys(u.tier for u in units) if t is not None and t not in groups]
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


def _fresh_sheet(book: Workbook, ranking: Worksheet) -> Worksheet:
    """The charts sheet, empty: in the place of the one there was, else after the ranking."""
    title = CHARTS_SHEET[0] if get_language() == "zh" else CHARTS_SHEET[1]
    at = book.index(ranking) + 1
    for old in [ws for ws in book.worksheets if ws.title in CHARTS_SHEET]:
        at = book.index(old)
        book.remove(old)
    return book.create_sheet(title, at)


def _header(ws: Worksheet, row: int, values: Sequence[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws: Worksheet, columns: int) -> None:
    """Wide enough for the longest value of each column (formulas and the note in C1 aside)."""
    for col in range(1, columns + 1):
        width = 8
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            value = cell.value
            if value is None or (isinstance(value, str) and value.startswith("=")):
                continue
            text = f"{value:.2f}" if isinstance(value, float) else str(value)
            width = max(
                width, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
            )
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, 40)


def _text(size: float) -> RichText:
    """Text properties of axis or data labels: ``size`` points, not bold."""
    props = CharacterProperties(sz=int(size * 100), b=False)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _values(number_format: str) -> DataLabelList:
    """Each bar's value at its end, and nothing else (an application shows what is not said
    not to be shown: the series' and the category's names too)."""
    return DataLabelList(
        numFmt=number_format,
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


def _bar_chart(direction: str, title: str) -> BarChart:
    """An empty bar (horizontal) or col (vertical) chart with ``title`` above its plot."""
    chart = BarChart()
    chart.type = direction
    chart.grouping = "clustered"
    chart.title = title
    chart.title.overlay = False  # Excel 365 draws a title without it over the plot
    chart.x_axis.axPos = "l" if direction == "bar" else "b"
    chart.y_axis.axPos = "b" if direction == "bar" else "l"
    return chart


def _axes(chart: BarChart, category: str, value: str, values: Sequence[Any]) -> None:
    """Axis titles, labels shown (openpyxl 3.1 hides them unless told), zero on the scale
    when no value is below it."""
    chart.x_axis.title = category
    chart.y_axis.title = value
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    finite = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if finite and min(finite) >= 0:
        chart.y_axis.scaling.min = 0


def _legend() -> Legend:
    return Legend(legendPos="t", overlay=False)


def _series(ws: Worksheet, col: int, first: int, last: int, *, name: tuple[int, int]) -> Series:
    """The values of rows ``first``..``last`` of column ``col``, named by the cell ``name``
    (column, row); every reference absolute, on the charts sheet."""
    s = Series(Reference(ws, min_col=col, min_row=first, max_row=last))
    cell = f"${get_column_letter(name[0])}${name[1]}"
    s.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!{cell}"))
    return s


def _categories(chart: BarChart, ws: Worksheet, col: int, first: int, last: int) -> None:
    """Every series' categories: the names (text) in rows ``first``..``last`` of ``col``."""
    ref = Reference(ws, min_col=col, min_row=first, max_row=last)
    for s in chart.series:
        s.cat = AxDataSource(strRef=StrRef(str(ref)))


def _ranking_chart(
    ws: Worksheet,
    result: Any,
    title: str,
    header: int,
    n: int,
    groups: Sequence[str | None],
    order: Sequence[str],
) -> BarChart:
    """Block 1's scores as horizontal bars, the first ranked at the top: one series per tier
    in ``groups`` (columns F, G …), or the score column (E) alone when there are none."""
    first, last = header + 1, header + n
    chart = _bar_chart("bar", title)
    chart.overlap = 100  # one bar per unit: the tiers' series share its place
    chart.gapWidth = 40
    scores = [ws.cell(r, 5).value for r in range(first, last + 1)]
    _axes(chart, _t("单位（按排名）", "Unit (by rank)"), result.header("score"), scores)
    chart.x_axis.scaling.orientation = "maxMin"  # the first ranked at the top
    chart.x_axis.tickLblSkip = 1  # every name
    chart.x_axis.txPr = _text(9)
    chart.y_axis.crosses = "max"  # the value axis at the bottom, below the last unit
    if groups:
        series = [(6 + i, _colour(g, order)) for i, g in enumerate(groups)]
        chart.legend = _legend()
    else:
        series = [(5, TIER_COLOURS[0])]
        chart.legend = None
    for col, colour in series:
        s = _series(ws, col, first, last, name=(col, header))
        s.graphicalProperties.solidFill = colour
        s.graphicalProperties.line.solidFill = colour
        chart.series.append(s)
    _categories(chart, ws, 2, first, last)
    chart.dataLabels = _values(SCORE_FORMAT)
    chart.width = 22
    chart.height = max(8.0, 3.5 + CM_PER_UNIT * n)
    return chart


def _tier_chart(
    ws: Worksheet, result: Any, header: int, tiers: Sequence[str | None], order: Sequence[str]
) -> BarChart:
    """Block 2's counts as columns, each in its tier's colour."""
    first, last = header + 1, header + len(tiers)
    chart = _bar_chart("col", _t("各方阵单位数", "Units per tier"))
    counts = [ws.cell(r, 2).value for r in range(first, last + 1)]
    _axes(chart, result.header("tier"), _t("单位数", "Units"), counts)
    s = _series(ws, 2, first, last, name=(2, header))
    for i, tier in enumerate(tiers):
        s.dPt.append(DataPoint(idx=i, spPr=GraphicalProperties(solidFill=_colour(tier, order))))
    chart.series.append(s)
    _categories(chart, ws, 1, first, last)
    chart.dataLabels = _values("0")
    chart.legend = None
    chart.width = 12
    chart.height = 9
    return chart


def _dimension_chart(
    ws: Worksheet, result: Any, header: int, n: int, values: Sequence[Any], official: bool
) -> BarChart:
    """Block 3 as columns: the chosen unit's (named by B1) beside the average."""
    first, last = header + 1, header + n
    title = (
        _t("所选单位各维度得分（分）", "The chosen unit's points per dimension")
        if official
        else _t("所选单位各维度得分", "The chosen unit's dimension scores")
    )
    chart = _bar_chart("col", title)
    chart.gapWidth = 80  # wide bars: a label over each of the pair
    _axes(chart, _t("维度", "Dimension"), _t("得分", "Points" if official else "Score"), values)
    for col, name, colour in ((2, (2, 1), TIER_COLOURS[0]), (3, (3, header), NO_TIER_COLOUR)):
        s = _series(ws, col, first, last, name=name)
        s.graphicalProperties.solidFill = colour
        s.graphicalProperties.line.solidFill = colour
        chart.series.append(s)
    _categories(chart, ws, 1, first, last)
    chart.dataLabels = _values("0.0")
    chart.legend = _legend()
    chart.width = 18
    chart.height = 9
    return chart
