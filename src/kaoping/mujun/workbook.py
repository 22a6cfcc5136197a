"""The 亩均 workbook (企业评价, 县域汇总, 标杆值, 说明) and the empty firm template, by XlsxWriter.

The results workbook is written in XlsxWriter's ``constant_memory`` mode: each row goes to
disk as it is written, so 10^5 firms take a few seconds and little memory.  Headers are bold on
the house header colour (:data:`kaoping.data._xlsx_write.HEADER_FILL`'s DDEBF7), frozen with
the first columns, filtered; column widths follow the longest text (Chinese characters count
twice).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kaoping.mujun.classes import boundaries
from kaoping.mujun.demo import DEMO_NOTE
from kaoping.mujun.evaluate import DEFAULT_BASIS, MujunResult
from kaoping.mujun.sheets import BENCHMARK_SHEET, FIRM_SHEET, IDENTITY
from kaoping.mujun.spec import MujunSpec

__all__ = ["firm_columns", "write_csv", "write_template", "write_workbook"]

_HEADER = {
    "bold": True,
    "bg_color": "#DDEBF7",
    "border": 1,
    "text_wrap": True,
    "valign": "top",
}
SYNTHETIC_MARK = "合成数据 / synthetic"


def _t(english: bool, zh: str, en: str) -> str:
    return en if english else zh


def _width(text: object) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def _shown_width(value: object) -> int:
    """The width of a cell as displayed: a float with its number format's decimals."""
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return _width(value)


def firm_columns(result: MujunResult, english: bool = False) -> list[tuple[str, str, str]]:
    """``(column of result.firms, header, number format)`` of the 企业评价 sheet and the CSV."""
    spec = result.spec
    cols: list[tuple[str, str, str]] = [
        ("rank", _t(english, "排名", "Rank"), "0"),
        ("code", _t(english, "企业代码", "Firm code"), "@"),
        ("name", _t(english, "企业名称", "Firm name"), "@"),
        ("county", _t(english, "县区代码", "County code"), "@"),
        ("county_name", _t(english, "县区", "County"), "@"),
        ("industry", _t(english, "行业代码", "Industry"), "@"),
        ("benchmark_basis", _t(english, "标杆值依据", "Benchmarks of"), "@"),
    ]
    for ind in spec.indicators:
        fmt = "0.0000" if ind.benchmark < 1 else "0.00"
        cols.append((ind.id, ind.label(english), fmt))
    for ind in spec.indicators:
        cols.append(
            (f"{ind.id}_points", _t(english, f"{ind.name}得分", f"{ind.name_en} points"), "0.00")
        )
    cols += [
        ("score", _t(english, "综合得分", "Score"), "0.00"),
        ("class", _t(english, "等级", "Class"), "@"),
        ("class_name", _t(english, "等级名称", "Class name"), "@"),
        ("exempt_reason", _t(english, "不定等级原因", "Exempt reason"), "@"),
        ("note_en" if english else "note_zh", _t(english, "说明", "Notes"), "@"),
    ]
    return cols


def _column_lists(frame: pd.DataFrame, names: Sequence[str]) -> list[list[Any]]:
    """Each column as a Python list, NaN as None (a blank cell)."""
    out: list[list[Any]] = []
    for name in names:
        values = frame[name].to_numpy()
        if values.dtype.kind == "f":
            obj = values.astype(object)
            obj[np.isnan(values)] = None
            out.append(obj.tolist())
        else:
            out.append(["" if v is None else v for v in values.tolist()])
    return out


def _sheet(
    book: Workbook,
    title: str,
    headers: Sequence[str],
    formats: Sequence[str],
    columns: Sequence[Sequence[Any]],
    *,
    freeze: tuple[int, int] = (1, 0),
    max_width: int = 40,
    banner: str | None = None,
) -> Worksheet:
    """One table sheet: header row (after an optional banner line), data, widths, freeze."""
    ws = book.add_worksheet(title)
    header = book.add_format(_HEADER)
    top = 0
    if banner:
        ws.write_string(0, 0, banner, book.add_format({"bold": True, "font_color": "#C00000"}))
        top = 1
    n = len(columns[0]) if columns else 0
    for k, (head, fmt, values) in enumerate(zip(headers, formats, columns, strict=True)):
        sample = values[:500]
        width = max(
            [_width(head) // 2 + 2, *(_shown_width(v) + 2 for v in sample if v is not None)]
        )
        cell = book.add_format({"num_format": fmt}) if fmt != "@" else None
        ws.set_column(k, k, min(max(width, 6), max_width), cell)
    ws.set_row(top, 33)
    ws.write_row(top, 0, list(headers), header)
    ws.freeze_panes(top + freeze[0], freeze[1])
    ws.set_landscape()  # printed: landscape, one page wide, the header row on every page
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    if n:
        ws.autofilter(top, 0, top + n, len(headers) - 1)
    for r, row in enumerate(zip(*columns, strict=True), start=top + 1):
        ws.write_row(r, 0, row)
    return ws


def write_workbook(
    result: MujunResult, path: str | os.PathLike[str], *, english: bool = False
) -> None:
    """Write 企业评价 (every firm), 县域汇总, 标杆值 and 说明 to ``path`` (.xlsx)."""
    book = xlsxwriter.Workbook(
        os.fspath(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    banner = f"{DEMO_NOTE[1] if english else DEMO_NOTE[0]}" if result.synthetic else None
    cols = firm_columns(result, english)
    data = _column_lists(result.firms, [c for c, _, _ in cols])
    headers = [h for _, h, _ in cols]
    formats = [f for _, _, f in cols]
    if result.synthetic:
        headers.append(_t(english, "数据性质", "Data"))
        formats.append("@")
        data.append([SYNTHETIC_MARK] * len(result.firms))
    _sheet(
        book, _t(english, "企业评价", "Firms"), headers, formats, data, freeze=(1, 3), banner=banner
    )
    _counties(book, result, english, banner)
    _benchmarks(book, result, english, banner)
    _notes(book, result, english)
    book.close()


def _counties(book: Workbook, result: MujunResult, english: bool, banner: str | None) -> None:
    spec = result.spec
    frame = result.counties.reset_index()
    cols: list[tuple[str, str, str]] = [
        ("county", _t(english, "县区代码", "County code"), "@"),
        ("name", _t(english, "县区", "County"), "@"),
        ("firms", _t(english, "企业数", "Firms"), "0"),
        ("graded", _t(english, "参评企业数", "Graded"), "0"),
        ("exempt", spec.exempt_class_en if english else spec.exempt_class, "0"),
    ]
    for c in spec.classes:
        cols.append((c.id, _t(english, f"{c.id} 类", f"Class {c.id}"), "0"))
    for c in spec.classes:
        cols.append((f"{c.id}_share", _t(english, f"{c.id} 类占比", f"Class {c.id} share"), "0.0%"))
    cols += [
        ("land", _t(english, "用地面积合计（亩）", "Land (亩)"), "#,##0.00"),
        ("tax", _t(english, "实缴税金合计（万元）", "Taxes (万元)"), "#,##0.00"),
        ("value_added", _t(english, "工业增加值合计（万元）", "Value added (万元)"), "#,##0.00"),
        (
            "tax_per_mu",
            _t(english, "亩均税收（万元/亩）= Σ税金/Σ用地", "Tax per mu = Σtax/Σland"),
            "0.00",
        ),
        (
            "va_per_mu",
            _t(english, "亩均增加值（万元/亩）= Σ增加值/Σ用地", "VA per mu = Σva/Σland"),
            "0.00",
        ),
        ("mean_score", _t(english, "参评企业平均得分", "Mean score (graded)"), "0.00"),
    ]
    data = _column_lists(frame, [c for c, _, _ in cols])
    headers = [h for _, h, _ in cols]
    formats = [f for _, _, f in cols]
    if result.synthetic:
        headers.append(_t(english, "数据性质", "Data"))
        formats.append("@")
        data.append([SYNTHETIC_MARK] * len(frame))
    _sheet(
        book,
        _t(english, "县域汇总", "Counties"),
        headers,
        formats,
        data,
        freeze=(1, 2),
        banner=banner,
    )


def _benchmarks(book: Workbook, result: MujunResult, english: bool, banner: str | None) -> None:
    spec = result.spec
    frame = result.benchmarks.reset_index()
    cols: list[tuple[str, str, str]] = [
        ("industry", _t(english, "行业代码", "Industry"), "@"),
        ("name", _t(english, "行业名称", "Industry name"), "@"),
    ]
    for ind in spec.indicators:
        cols.append((ind.id, ind.label(english), "0.0000" if ind.benchmark < 1 else "0.000"))
    cols.append(("firms", _t(english, "按此计分的企业数", "Firms scored"), "0"))
    data = _column_lists(frame, [c for c, _, _ in cols])
    headers = [h for _, h, _ in cols]
    formats = [f for _, _, f in cols]
    if result.synthetic:
        headers.append(_t(english, "数据性质", "Data"))
        formats.append("@")
        data.append(
            [
                "来源公布值 / published" if code == DEFAULT_BASIS else SYNTHETIC_MARK
                for code in frame["industry"]
            ]
        )
    _sheet(
        book,
        _t(english, "标杆值", "Benchmarks"),
        headers,
        formats,
        data,
        freeze=(1, 2),
        banner=banner,
    )


def explanation(result: MujunResult, english: bool = False) -> list[tuple[str, str]]:
    """The 说明 sheet's lines: (item, text)."""
    spec = result.spec
    counts = result.class_counts()
    n = result.graded
    bounds = boundaries([c.upto_percent for c in spec.classes], n)
    formula = " + ".join(f"{i.name}÷{i.benchmark:g}×{i.weight:g}" for i in spec.indicators)
    formula_en = " + ".join(f"{i.name_en}/{i.benchmark:g}*{i.weight:g}" for i in spec.indicators)
    cap = (
        _t(english, "不封顶", "uncapped")
        if all(i.cap is None for i in spec.indicators)
        else "；".join(
            f"{i.name} ≤ {i.cap:g}×{i.weight:g}" if i.cap is not None else f"{i.name} 不封顶"
            for i in spec.indicators
        )
    )
    rows: list[tuple[str, str]] = []
    if result.synthetic:
        rows.append((_t(english, "数据", "Data"), DEMO_NOTE[1] if english else DEMO_NOTE[0]))
    rows += [
        (
            _t(english, "评价办法", "Methodology"),
            f"{spec.name_en if english else spec.name}（{spec.id}）",
        ),
        (
            _t(english, "权重与标杆值", "Weights and benchmarks"),
            f"{spec.scheme_en if english else spec.scheme}：{spec.source}",
        ),
        (_t(english, "年份", "Year"), result.year or "—"),
        (
            _t(english, "计分公式", "Score"),
            _t(
                english,
                f"综合得分 = Σ 分值 × 指标值 ÷ 标杆值（标杆比值法）= {formula}；"
                "企业所在行业在标杆值表中有行时用该行业的标杆值，否则用默认值。",
                f"score = Σ points × value / benchmark (benchmark ratio) = {formula_en}; a firm's "
                "industry benchmarks when its industry has a row in the benchmark sheet, else "
                "the defaults.",
            ),
        ),
        (_t(english, "单项上限", "Cap"), cap),
        (
            _t(english, "无法计算的指标", "Indicators not computable"),
            _t(
                english,
                "分母为 0 或缺失（或分子缺失）的指标不计算（不会出现无穷大），"
                + ("按 0 分计" if spec.missing == "zero" else "按其余指标的权重折算")
                + "，并在“说明”列写明原因。",
                "an indicator whose denominator is 0 or missing (or whose numerator is missing) is "
                "not computed (never infinite), "
                + ("scores 0" if spec.missing == "zero" else "and the other weights are rescaled")
                + ", and the note column says why.",
            ),
        ),
    ]
    if spec.method == "percentile":
        rule = _t(
            english,
            "按参评企业（不含不定等级）得分的百分位分类："
            "第 c 类的累计名次上限 K_c = ⌊q_c × n ÷ 100⌋"
            "（向下取整，精确计算），名次 r ≤ K_c 的企业属于第一个满足条件的类；"
            "并列企业名次相同（取并列组的最好名次），跨越分界线的并列组整体归入较好的一类。",
            "classes by percentile of the graded firms' scores (exempt firms excluded): class c "
            "ends at rank K_c = floor(q_c × n / 100) (exact); a firm of rank r is in the first "
            "class with r ≤ K_c; tied firms share the best rank of their group, so a tie across a "
            "boundary goes, all of it, to the better class.",
        )
        detail = "；".join(
            f"{c.id} {c.name}：前 {float(c.upto_percent):g}%，K = {int(k):,}"
            for c, k in zip(spec.classes, bounds, strict=True)
        )
        rows.append((_t(english, "分类规则", "Classes"), f"{rule} n = {n:,}：{detail}"))
    else:
        detail = "；".join(
            f"{c.id} {c.name}：≥ {c.min_score:g}"
            if c.min_score is not None
            else f"{c.id} {c.name}：其余"
            for c in spec.classes
        )
        rows.append(
            (
                _t(english, "分类规则", "Classes"),
                _t(english, "按分数线分类（示例分数线）：", "by score thresholds (illustrative): ")
                + detail,
            )
        )
    rows.append(
        (
            spec.exempt_class,
            _t(
                english,
                f"标为不定等级的企业（{'、'.join(spec.exempt_reasons)} 等）"
                "计算得分但不排名、不参与百分位，"
                "等级为“不定等级”，并列出原因。",
                f"firms flagged exempt ({', '.join(spec.exempt_reasons)} …) are scored but not "
                "ranked or counted in the percentiles; their class is 不定等级, with the reason.",
            ),
        )
    )
    rows.append(
        (
            _t(english, "县域汇总", "Counties"),
            _t(
                english,
                "县的亩均税收 = Σ实缴税金 ÷ Σ用地面积（总量之比，不是企业比值的平均数），"
                "在有这两个数的企业（用地 > 0）上计算，含不定等级企业；"
                "各类占比 = 该类企业数 ÷ 参评企业数。",
                "a county's tax per mu = Σ tax / Σ land (the ratio of sums, not the mean of the "
                "firms' ratios), over the firms with both figures (land > 0), exempt firms "
                "included; class shares = class count / graded firms.",
            ),
        )
    )
    for c, row in counts.iterrows():
        share = "" if pd.isna(row["share"]) else f"，{row['share']:.1%}"
        rows.append(
            (f"{c}", f"{row['name_en'] if english else row['name']}：{int(row['count']):,}{share}")
        )
    for note in result.notes:
        rows.append((_t(english, "提示", "Note"), note.en if english else note.zh))
    rows.append(
        (
            _t(english, "来源", "Sources"),
            "浙政发〔2018〕5号 https://iruorou.com/xinwen/2018-01/28/content_5261555.htm ; "
            f"{spec.source} ; http://www.gu456.com/OpennessContent/show/3457811.html",
        )
    )
    return rows


def _notes(book: Workbook, result: MujunResult, english: bool) -> None:
    ws = book.add_worksheet(_t(english, "说明", "About"))
    header = book.add_format(_HEADER)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    red = book.add_format(
        {"text_wrap": True, "valign": "top", "bold": True, "font_color": "#C00000"}
    )
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 100)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.write_row(0, 0, [_t(english, "项目", "Item"), _t(english, "内容", "Text")], header)
    for r, (item, text) in enumerate(explanation(result, english), start=1):
        fmt = red if result.synthetic and r == 1 else wrap
        ws.write_string(r, 0, item, fmt)
        ws.write_string(r, 1, text, fmt)


def write_csv(result: MujunResult, path: str | os.PathLike[str], *, english: bool = False) -> None:
    """Every firm as CSV (UTF-8 with BOM, so that Excel opens it in Chinese)."""
    cols = firm_columns(result, english)
    frame = result.firms[[c for c, _, _ in cols]].copy()
    frame.columns = pd.Index([h for _, h, _ in cols])
    if result.synthetic:
        frame[_t(english, "数据性质", "Data")] = SYNTHETIC_MARK
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def write_template(spec: MujunSpec, path: str | os.PathLike[str]) -> None:
    """An empty firm workbook: 企业 (the firm table's headers), 标杆值 (the benchmark sheet's
    headers) and 说明 (what each column holds)."""
    book = xlsxwriter.Workbook(os.fspath(path))
    header = book.add_format(_HEADER)
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    firm_heads: list[tuple[str, str, str]] = [
        (f"{IDENTITY['code'][0]}", "统一社会信用代码（18 位），每家企业一行", "@"),
        (IDENTITY["name"][0], "企业全称", "@"),
        (IDENTITY["county"][0], "所在县（市、区）的 6 位行政区划代码，如 410883", "@"),
        (IDENTITY["industry"][0], "GB/T 4754 行业大类（2 位，如 13）或小类（4 位）", "@"),
        *((f"{f.name}（{f.unit}）", f"{f.name_en}，单位 {f.unit}", "0.00") for f in spec.fields),
        (
            IDENTITY["exempt"][0],
            "是/否：公用事业、政策扶持、新建投产未满3年、重大项目建设期等企业填“是”",
            "@",
        ),
        (IDENTITY["exempt_reason"][0], "不定等级时必填", "@"),
        (IDENTITY["year"][0], "评价年度（数据年份），全表相同", "0"),
    ]
    ws = book.add_worksheet(FIRM_SHEET)
    for k, (head, _, fmt) in enumerate(firm_heads):
        ws.set_column(k, k, max(_width(head) + 2, 12), text if fmt == "@" else None)
    ws.write_row(0, 0, [h for h, _, _ in firm_heads], header)
    ws.freeze_panes(1, 2)
    bench = book.add_worksheet(BENCHMARK_SHEET)
    bench_heads = ["行业代码", "行业名称", *(i.label() for i in spec.indicators)]
    for k, head in enumerate(bench_heads):
        bench.set_column(k, k, max(_width(head) + 2, 12), text if k < 2 else None)
    bench.write_row(0, 0, bench_heads, header)
    bench.freeze_panes(1, 2)
    about = book.add_worksheet("说明")
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 90)
    about.write_row(0, 0, ["列", "填写说明"], header)
    r = 1
    for head, note, _ in firm_heads:
        about.write_row(r, 0, [f"企业!{head}", note], wrap)
        r += 1
    about.write_row(
        r, 0,
        ["标杆值!行业代码", "2 位行业大类；每个行业一行。"
         "没有行的行业、留空的单元格按默认标杆值计分："
         + "；".join(f"{i.name} {i.benchmark:g}" for i in spec.indicators)
         + f"（{spec.scheme}）。"],
        wrap,
    )  # fmt: skip
    r += 1
    about.write_row(
        r, 0,
        ["计分", "综合得分 = Σ 分值 × 指标值 ÷ 标杆值："
         + " + ".join(f"{i.name}（{spec.field(i.numerator).name}÷"
                      f"{spec.field(i.denominator).name}）÷{i.benchmark:g}×{i.weight:g}"
                      for i in spec.indicators)],
        wrap,
    )  # fmt: skip
    r += 1
    about.write_row(r, 0, ["填好后", "kaoping mujun assess 企业.xlsx -o 结果.xlsx"], wrap)
    book.close()
