"""Write a Result as a workbook that a Chinese analyst can hand on.

The workbook is streamed with XlsxWriter in constant memory (one row held at a time; 10^5
units x 20 indicators in about the time XlsxWriter takes for the bare cells), with the look it
has always had: headers bold on the house fill (:data:`kaoping.data._xlsx_write.HEADER_FILL`),
wrapped and centred, the header row frozen, columns as wide as the first 200 rows need, numbers
shown with two decimals (0.00) or, below 1, four (0.0000); the charts sheet after the ranking
(:func:`kaoping.assess.excel_charts.write_charts_sheet`)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.styles import PatternFill

from kaoping.assess.excel_charts import HEADER_COLOUR, write_charts_sheet, write_value
from kaoping.assess.result import paused_gc, plain_values
from kaoping.errors import get_language
from kaoping.methodology import MISSING_METHODS

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from kaoping.assess.official_result import OfficialResult
    from kaoping.assess.result import Result

_SHEETS = {
    "ranking": ("综合排名", "Ranking"),
    "normalized": ("标准化值", "Normalised values"),
    "raw": ("原始数据", "Raw data"),
    "weights": ("指标权重", "Weights"),
    "about": ("说明", "About"),
    "points": ("指标得分", "Points"),
    "targets": ("目标值", "Targets"),
    "completion": ("完成率", "Completion"),
    "lines": ("加减分及否决", "Bonus, penalty, veto"),
    "missing": ("未填报的数值", "Figures not given"),
}


def _sheet(key: str) -> str:
    zh, en = _SHEETS[key]
    return zh if get_language() == "zh" else en


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


@dataclass(frozen=True)
class SheetBlock:
    """One table of an extra sheet of :func:`write_workbook`: a title line (bold; ``""`` for
    none), the frame (its columns the header row, its index not written) and ``marks``, a
    boolean frame of the same shape whose True cells are highlighted (a flag)."""

    title: str
    frame: pd.DataFrame
    marks: pd.DataFrame | None = None


MARK_FILL = PatternFill("solid", fgColor="FCE4D6")
"""The fill of a marked (flagged) cell of an extra sheet."""
BIG, SMALL = "0.00", "0.0000"  # a number's format: two decimals, four below 1
WIDTH_ROWS = 200  # the rows (header included) whose values set a column's width
CHUNK = 4096  # rows converted to Python values at a time (memory stays bounded)


def write_workbook(
    result: Result,
    path: Path,
    extra_sheets: Mapping[str, Sequence[SheetBlock]] | None = None,
) -> None:
    """Write ranking, charts (:func:`~kaoping.assess.excel_charts.add_charts`), normalised
    values, raw data, weights and notes, one sheet each; then each of ``extra_sheets`` (sheet
    name -> its tables, one under the other), e.g. the statistical audit that the command line
    computes (:func:`kaoping.analysis.audit.audit_blocks`)."""
    ranking = result._display_table()
    labels = result.table[["name"]]

    def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out.insert(0, "name", labels["name"].reindex(out.index))
        out = out.reset_index()
        out.columns = [result.header(str(c)) for c in out.columns]
        return out

    weights = result.weights.reset_index()
    weights["direction"] = [result.direction_label(d) for d in weights["direction"]]
    weights["dimension"] = [result.header(d) if d else "" for d in weights["dimension"]]
    weights = weights.rename(columns={"unit": "unit_of_measure"})
    weights.columns = [result.header(str(c)) for c in weights.columns]

    book = _book(path)
    try:
        looks = _Looks(book)
        _write_ranking(book, looks, result, ranking)
        _write_frame(book, looks, _sheet("normalized"), by_unit(result.normalized))
        _write_frame(book, looks, _sheet("raw"), by_unit(result.raw))
        _write_frame(book, looks, _sheet("weights"), weights)
        _write_frame(book, looks, _sheet("missing"), result.missing_frame())
        _write_frame(book, looks, _sheet("about"), _about(result))
        for name, blocks in (extra_sheets or {}).items():
            _write_blocks(book.add_worksheet(name[:31]), looks, blocks)
    finally:
        book.close()


def _book(path: Path) -> Workbook:
    from xlsxwriter import Workbook

    return Workbook(str(path), {"constant_memory": True})


class _Looks:
    """The workbook's cell formats, made once: the header, the numbers' two formats, and the
    extra sheets' combinations (title, centred flag, marked cell)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#" + HEADER_COLOUR,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.big = book.add_format({"num_format": BIG})
        self.small = book.add_format({"num_format": SMALL})
        self.bold = book.add_format({"bold": True})
        self._made: dict[tuple[str | None, bool, bool], Format] = {}

    def cell(self, number_format: str | None, centred: bool, marked: bool) -> Format | None:
        """A format of an extra sheet's cell."""
        key = (number_format, centred, marked)
        if key == (None, False, False):
            return None
        if key not in self._made:
            props: dict[str, Any] = {}
            if number_format:
                props["num_format"] = number_format
            if centred:
                props["align"] = "center"
            if marked:
                props["bg_color"] = "#" + str(MARK_FILL.fgColor.rgb)[-6:]
                props["pattern"] = 1
            self._made[key] = self.book.add_format(props)
        return self._made[key]


def _write_ranking(book: Workbook, looks: _Looks, result: Any, ranking: pd.DataFrame) -> None:
    """The ranking sheet, then the charts sheet drawn from its columns."""
    name = _sheet("ranking")
    _write_frame(book, looks, name, ranking)
    keys = ["unit", "name", "score", "rank", "tier", *(d.id for d in result.methodology.dimensions)]
    wanted = {result.header(k) for k in keys}
    columns = {
        str(h): plain_values(ranking.iloc[:, j]) if str(h) in wanted else []
        for j, h in enumerate(ranking.columns)
    }
    n = len(ranking)
    columns = {h: v if v else [None] * n for h, v in columns.items()}
    write_charts_sheet(book, result, columns, source=name)


def _chunks(frame: pd.DataFrame) -> Iterator[list[list[Any]]]:
    """The frame's columns as plain values (:func:`kaoping.assess.result.plain_values`),
    :data:`CHUNK` rows at a time."""
    for start in range(0, len(frame), CHUNK):
        part = frame.iloc[start : start + CHUNK]
        yield [plain_values(part.iloc[:, j]) for j in range(part.shape[1])]


def _write_frame(book: Workbook, looks: _Looks, name: str, frame: pd.DataFrame) -> Worksheet:
    """A sheet of ``frame``: its columns' names as the header row (frozen), its values below
    (floats as 0.00 or 0.0000; None, empty texts and non-finite numbers blank), columns as
    wide as the first :data:`WIDTH_ROWS` rows need (8 to 60 characters)."""
    ws = book.add_worksheet(name)
    headers = [str(c) for c in frame.columns]
    widths = [_display_width(h) for h in headers]
    for j, header in enumerate(headers):
        ws.write_string(0, j, header, looks.header)
    big, small = looks.big, looks.small
    write_number, write_string = ws.write_number, ws.write_string
    inf = math.inf
    row = 1
    with paused_gc():
        for columns in _chunks(frame):
            if row < WIDTH_ROWS:
                for j, column in enumerate(columns):
                    top = column[: WIDTH_ROWS - row]
                    widths[j] = max([widths[j], *map(_display_width, top)])
            for values in zip(*columns, strict=True):
                for j, v in enumerate(values):
                    t = type(v)
                    if t is float:
                        if -inf < v < inf:  # NaN fails both
                            write_number(row, j, v, big if v >= 1 or v <= -1 else small)
                    elif t is str:
                        if v:  # an empty text is a blank cell
                            write_string(row, j, v)
                    elif t is int:
                        write_number(row, j, v)
                    elif v is not None:
                        write_value(ws, row, j, v)
                row += 1
    for j, width in enumerate(widths):
        ws.set_column(j, j, min(max(width + 2, 8), 60))
    ws.freeze_panes(1, 0)
    return ws


def _write_blocks(ws: Worksheet, looks: _Looks, blocks: Sequence[SheetBlock]) -> None:
    """The blocks one under the other, a blank row between; headers styled as the other
    sheets', marked cells filled, columns as wide as their widest header or value (the titles
    run over the empty cells to their right)."""
    row = 0
    widths: dict[int, int] = {}
    for block in blocks:
        if block.title:
            ws.write_string(row, 0, block.title, looks.bold)
            row += 1
        frame = block.frame
        for j, header in enumerate(frame.columns):
            ws.write_string(row, j, str(header), looks.header)
            widths[j] = max(widths.get(j, 0), min(_display_width(header), 24))
        marks = block.marks.to_numpy(dtype=bool) if block.marks is not None else None
        for i, values in enumerate(frame.itertuples(index=False)):
            for j, value in enumerate(values):
                if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
                    value = None
                elif hasattr(value, "item"):
                    value = value.item()
                marked = marks is not None and bool(marks[i, j])
                if isinstance(value, float):
                    big = abs(value) >= 1
                    look = looks.cell(BIG if big else SMALL, False, marked)
                    shown = len(f"{value:.2f}" if big else f"{value:.4f}")
                else:
                    shown = _display_width(value)
                    flag = isinstance(value, str) and 0 < len(value) <= 4  # 是, 弱相关
                    look = looks.cell(None, flag, marked)
                write_value(ws, row + 1 + i, j, value, look)
                widths[j] = max(widths.get(j, 0), shown)
        row += len(frame) + 2
    for j, width in widths.items():
        ws.set_column(j, j, min(max(width + 2, 8), 60))
    # printed: landscape, every column on one page's width
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _about(result: Result) -> pd.DataFrame:
    m = result.methodology
    rows: list[tuple[str, str]] = [
        (_t("考核办法", "Methodology"), f"{m.name} ({m.id})"),
        (_t("期间", "Period"), result.period),
        (_t("标准化方法", "Normalisation"), m.normalization.method),
        (_t("赋权方法", "Weighting"), m.weighting.method),
        (_t("合成方法", "Aggregation"), m.aggregation.method),
        (
            _t("缺失值处理", "Missing values"),
            f"{m.missing.method}（{MISSING_METHODS.get(m.missing.method, '')}）",
        ),
        (_t("办法指纹 (SHA-256)", "Methodology fingerprint (SHA-256)"), m.fingerprint()),
        (_t("参评单位数", "Units assessed"), str(len(result.table))),
    ]
    for imp in result.imputations:
        rows.append(
            (
                _t("插补", "Imputed"),
                f"{imp.unit} {imp.indicator} {imp.period}: {imp.value:.6g} ({imp.method})",
            )
        )
    for note in result.notes:
        rows.append((_t("提示", "Note"), note.message()))
    return pd.DataFrame(rows, columns=[_t("项目", "Item"), _t("内容", "Value")])


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_official_workbook(result: OfficialResult, path: Path) -> None:
    """Ranking, charts (:func:`~kaoping.assess.excel_charts.add_charts`), points per
    indicator, raw values, targets, completion ratios, the bonus, penalty and veto lines with
    their evidence, and notes; one sheet each."""
    ranking = result._display_table()

    def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out.columns = [result.header(c) for c in out.columns]
        out.insert(0, result.header("name"), result.table["name"].reindex(out.index))
        out.index.name = result.header("unit")
        return out.reset_index()

    lines = result.lines.rename(
        columns={
            "unit": result.header("unit"),
            "kind": _t("类型", "Kind"),
            "item": _t("事项代码", "Item"),
            "name": _t("事项", "Item name"),
            "count": _t("数量", "Count"),
            "points": _t("分值", "Points"),
            "counted": _t("计入分值（封顶后）", "Points counted (after caps)"),
            "document": _t("依据", "Evidence"),
            "date": _t("日期", "Date"),
            "note": _t("说明", "Note"),
            "location": _t("来源单元格", "Cell"),
        }
    )
    kinds = {
        "bonus": _t("加分", "bonus"),
        "penalty": _t("减分", "penalty"),
        "veto": _t("否决", "veto"),
    }
    lines[_t("类型", "Kind")] = lines[_t("类型", "Kind")].map(kinds)
    m = result.methodology
    about: list[tuple[str, str]] = [
        (_t("考核办法", "Methodology"), f"{m.name} ({m.id})"),
        (_t("期间", "Period"), result.period),
        (_t("办法指纹 (SHA-256)", "Methodology fingerprint (SHA-256)"), m.fingerprint()),
        (_t("参评单位数", "Units assessed"), str(len(result.table))),
    ]
    for note in result.notes:
        about.append((_t("提示", "Note"), note.message()))
    book = _book(path)
    try:
        looks = _Looks(book)
        _write_ranking(book, looks, result, ranking)
        _write_frame(book, looks, _sheet("points"), by_unit(result.points))
        _write_frame(book, looks, _sheet("raw"), by_unit(result.raw))
        if len(result.targets.columns):
            _write_frame(book, looks, _sheet("targets"), by_unit(result.targets))
            completion = result.completion[list(result.targets.columns)]
            _write_frame(book, looks, _sheet("completion"), by_unit(completion))
        _write_frame(book, looks, _sheet("lines"), lines)
        _write_frame(book, looks, _sheet("missing"), result.missing_frame())
        _write_frame(
            book,
            looks,
            _sheet("about"),
            pd.DataFrame(about, columns=[_t("项目", "Item"), _t("内容", "Value")]),
        )
    finally:
        book.close()
