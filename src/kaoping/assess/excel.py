"""Write a Result as a workbook that a Chinese analyst can hand on."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.assess.excel_charts import add_charts
from kaoping.data._xlsx_write import HEADER_FILL
from kaoping.errors import get_language
from kaoping.methodology import MISSING_METHODS

if TYPE_CHECKING:
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

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        ranking.to_excel(writer, sheet_name=_sheet("ranking"), index=False)
        by_unit(result.normalized).to_excel(writer, sheet_name=_sheet("normalized"), index=False)
        by_unit(result.raw).to_excel(writer, sheet_name=_sheet("raw"), index=False)
        weights.to_excel(writer, sheet_name=_sheet("weights"), index=False)
        result.missing_frame().to_excel(writer, sheet_name=_sheet("missing"), index=False)
        _about(result).to_excel(writer, sheet_name=_sheet("about"), index=False)
        for ws in writer.book.worksheets:
            _style(ws)
        for name, blocks in (extra_sheets or {}).items():
            _write_blocks(writer.book.create_sheet(name[:31]), blocks)
        add_charts(writer.book, result)


def _write_blocks(ws: Worksheet, blocks: Sequence[SheetBlock]) -> None:
    """The blocks one under the other, a blank row between; headers styled as the other
    sheets', marked cells filled, columns as wide as their widest header or value (the titles
    run over the empty cells to their right)."""
    row = 1
    widths: dict[int, int] = {}
    for block in blocks:
        if block.title:
            ws.cell(row=row, column=1, value=block.title).font = Font(bold=True)
            row += 1
        frame = block.frame
        for j, header in enumerate(frame.columns, start=1):
            cell = ws.cell(row=row, column=j, value=str(header))
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            widths[j] = max(widths.get(j, 0), min(_display_width(header), 24))
        marks = block.marks.to_numpy(dtype=bool) if block.marks is not None else None
        for i, values in enumerate(frame.itertuples(index=False)):
            for j, value in enumerate(values, start=1):
                if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
                    value = None
                elif hasattr(value, "item"):
                    value = value.item()
                cell = ws.cell(row=row + 1 + i, column=j, value=value)
                if isinstance(value, float):
                    big = abs(value) >= 1
                    cell.number_format = "0.00" if big else "0.0000"
                    shown = len(f"{value:.2f}" if big else f"{value:.4f}")
                else:
                    shown = _display_width(value)
                    if isinstance(value, str) and 0 < len(value) <= 4:  # a flag: 是, 弱相关
                        cell.alignment = Alignment(horizontal="center")
                widths[j] = max(widths.get(j, 0), shown)
                if marks is not None and marks[i, j - 1]:
                    cell.fill = MARK_FILL
        row += len(frame) + 2
    for j, width in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    # printed: landscape, every column on one page's width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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


def _style(ws: Worksheet) -> None:
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for idx, column in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 200)), start=1):
        width = max((_display_width(c.value) for c in column), default=8)
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 8), 60)
        for c in column[1:]:
            if isinstance(c.value, float):
                c.number_format = "0.00" if abs(c.value) >= 1 else "0.0000"


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
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        ranking.to_excel(writer, sheet_name=_sheet("ranking"), index=False)
        by_unit(result.points).to_excel(writer, sheet_name=_sheet("points"), index=False)
        by_unit(result.raw).to_excel(writer, sheet_name=_sheet("raw"), index=False)
        if len(result.targets.columns):
            by_unit(result.targets).to_excel(writer, sheet_name=_sheet("targets"), index=False)
            completion = result.completion[list(result.targets.columns)]
            by_unit(completion).to_excel(writer, sheet_name=_sheet("completion"), index=False)
        lines.to_excel(writer, sheet_name=_sheet("lines"), index=False)
        result.missing_frame().to_excel(writer, sheet_name=_sheet("missing"), index=False)
        pd.DataFrame(about, columns=[_t("项目", "Item"), _t("内容", "Value")]).to_excel(
            writer, sheet_name=_sheet("about"), index=False
        )
        for ws in writer.book.worksheets:
            _style(ws)
        add_charts(writer.book, result)
