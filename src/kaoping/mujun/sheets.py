"""The firm table (企业表) and the industry benchmark sheet (分行业标杆值), read with every bad cell
named.

Both are CSV or xlsx, one header row (within the first 10 rows; rows above it are a title).
Headers are matched ignoring spaces, case and full-width forms, with or without a trailing unit
in brackets (``用地面积（亩）``).

Firm table columns
------------------
=================  ==========================================================================
企业代码            统一社会信用代码 or any unique firm code; also 信用代码, code
企业名称            also 名称, name
县区代码            the 6-digit code of the county-level unit; also 区划代码, county
行业代码            GB/T 4754 code: the 2-digit 大类 (13), a 4-digit 小类 (1311, its 大类 is taken),
                   with or without the section letter (C13); an industrial division 06–46
the spec's fields   用地面积（亩）, 实缴税金（万元）… (:attr:`MujunSpec.fields`)
不定等级            flag: 是/否, 1/0, Y/N, true/false, √; blank = no
不定等级原因         required when flagged (公用事业、政策扶持、新建投产未满3年、重大项目建设期 …)
年份                optional; one year for the whole table
=================  ==========================================================================

Numbers are read as :func:`kaoping.data._parse.parse_number` reads them (``1,234.5`` and full-width
digits are numbers, ``12%`` is not); ``-``, ``—``, ``NA`` and blank are missing.  A field used as
a denominator must not be negative.

Benchmark sheet columns
-----------------------
``行业代码`` (the 2-digit 大类), optionally ``行业名称``, and one column per indicator headed by
its name, id or alias (``亩均税收``, ``亩均税收（万元/亩）``).  A blank cell means "use the spec's
default benchmark for this indicator"; a value must be a number > 0.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kaoping.data._parse import (
    Bad,
    clean_text,
    header_key,
    header_key_without_unit,
    parse_code,
    parse_number,
    parse_year,
    show,
)
from kaoping.data._sheet import Grid, load_grid
from kaoping.data.units import Units
from kaoping.errors import InputError, Problem
from kaoping.mujun.spec import MujunSpec

__all__ = [
    "BENCHMARK_SHEET",
    "FIRM_SHEET",
    "IDENTITY",
    "FirmTable",
    "division",
    "read_benchmarks",
    "read_firms",
]

FIRM_SHEET = "企业"
BENCHMARK_SHEET = "标杆值"

IDENTITY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "code": (
        "企业代码",
        "Firm code",
        ("统一社会信用代码", "信用代码", "企业统一社会信用代码", "firm_code"),
    ),
    "name": ("企业名称", "Firm name", ("名称", "单位名称", "firm_name")),
    "county": (
        "县区代码",
        "County code",
        ("区划代码", "县（市、区）代码", "县(市、区)代码", "所在县区代码", "county_code"),
    ),
    "industry": (
        "行业代码",
        "Industry code",
        ("国民经济行业代码", "行业大类代码", "industry_code"),
    ),
    "exempt": ("不定等级", "Exempt", ("是否不定等级", "不定等级标志")),
    "exempt_reason": ("不定等级原因", "Exempt reason", ("原因", "reason")),
    "year": ("年份", "Year", ("年度", "period")),
}
"""Column id -> (Chinese header, English header, aliases) of the firm table's other columns."""

_REQUIRED = ("code", "county", "industry")
_TRUE = frozenset({"是", "1", "y", "yes", "true", "√", "✓", "不定等级", "t"})
_FALSE = frozenset({"否", "0", "n", "no", "false", "", "f", "×"})
_SECTIONS = {"B": (6, 12), "C": (13, 43), "D": (44, 46)}
_DIVISION = re.compile(r"([A-Za-z])?(\d{1,4})")
_SKIPPED = frozenset(header_key(h) for h in ("序号", "备注", "说明", "note", "notes", "no."))


def division(raw: object, *, two_digits: bool = False) -> str | Bad | None:
    """The GB/T 4754 大类 (2 digits) of an industry code, or why it is not one.

    ``13``, ``"C13"``, ``"1311"`` and ``"C1311"`` give ``"13"``; a code typed as a number
    that lost its leading zero (``6``, ``610``) is padded (``"06"``).  Only the industrial
    divisions are accepted: 采矿业 B 06–12, 制造业 C 13–43, 电力、热力、燃气及水生产和供应业
    D 44–46.  With ``two_digits`` a 小类 is refused (the benchmark sheet is per 大类).

    >>> division(13), division("C1311"), division(6), division("A01") is None
    ('13', '13', '06', False)
    """
    code = parse_code(raw)
    if code is None or isinstance(code, Bad):
        return code
    match = _DIVISION.fullmatch(code.replace(" ", ""))
    fix_zh = (
        "请填写 GB/T 4754 的 2 位大类代码（如 13 农副食品加工业）或 4 位小类代码；工业企业的大类为 "
        "06–46（采矿业 B 06–12、制造业 C 13–43、电力热力燃气及水 D 44–46）。"
    )
    fix_en = (
        "write the 2-digit GB/T 4754 division (e.g. 13, agri-food processing) or a 4-digit "
        "class; industrial divisions are 06-46 (mining B 06-12, manufacturing C 13-43, "
        "utilities D 44-46)."
    )
    if match is None:
        return Bad(
            f'"{show(raw)}" 不是行业代码。{fix_zh}', f'"{show(raw)}" is no industry code; {fix_en}'
        )
    letter, digits = (match.group(1) or "").upper(), match.group(2)
    if two_digits and len(digits) > 2:
        return Bad(
            f'"{show(raw)}" 是小类代码；标杆值按 2 位大类给出，请填写 {digits.zfill(4)[:2]}。',
            f'"{show(raw)}" is a class code; benchmarks are given per 2-digit division: write '
            f"{digits.zfill(4)[:2]}.",
        )
    digits = digits.zfill(len(digits) + len(digits) % 2)
    value = int(digits[:2])
    if not 6 <= value <= 46:
        return Bad(
            f'"{show(raw)}" 不是工业行业（大类 {digits[:2]}）。{fix_zh}',
            f'"{show(raw)}" is not an industrial division (division {digits[:2]}); {fix_en}',
        )
    if letter:
        lo, hi = _SECTIONS.get(letter, (0, -1))
        if not lo <= value <= hi:
            return Bad(
                f'"{show(raw)}" 的门类字母 {letter} 与大类 {digits[:2]} 不符。{fix_zh}',
                f'"{show(raw)}": section {letter} does not hold division {digits[:2]}; {fix_en}',
            )
    return digits[:2]


@dataclass(frozen=True)
class FirmTable:
    """The firm table as read: one row per firm, canonical columns.

    ``frame`` has ``code, name, county, industry``, one float column per field of the spec,
    ``exempt`` (bool), ``exempt_reason`` (str, "" when not exempt) and ``row`` (the sheet's
    row number, for messages); ``year`` the table's year if it has a 年份 column; ``source``
    the file (and sheet) read.
    """

    frame: pd.DataFrame
    year: str | None = None
    source: str = ""


# ------------------------------------------------------------------------------------------
# the header


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # column id -> 0-based index


def _matcher(entries: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ident, texts in entries:
        for text in (ident, *texts):
            out.setdefault(header_key(text), ident)
    return out


def _lookup(cell: object, keys: dict[str, str]) -> str | None:
    key = header_key(cell)
    if key in keys:
        return keys[key]
    bare = header_key_without_unit(key)
    return keys.get(bare) if bare is not None else None


def _find_header(
    grid: Grid, keys: dict[str, str], anchor: str, what: tuple[str, str]
) -> tuple[_Header, list[Problem]]:
    problems: list[Problem] = []
    for row, values in grid.rows[:10]:
        found: dict[str, int] = {}
        unknown: list[int] = []
        for k, cell in enumerate(values):
            if cell is None or not clean_text(str(cell)):
                continue
            ident = _lookup(cell, keys)
            if ident is None:
                unknown.append(k)
            elif ident in found:
                problems.append(
                    Problem(
                        "mujun.duplicate_column",
                        f"列 {show(cell)} 与 {grid.where(row, found[ident] + 1)} 是同一列"
                        f"（{ident}）。请删去其中一列。",
                        f"column {show(cell)} is the same as {grid.where(row, found[ident] + 1)} "
                        f"({ident}); remove one of them.",
                        grid.where(row, k + 1),
                    )
                )
            else:
                found[ident] = k
        if anchor in found:
            for k in unknown:
                cell = values[k]
                if header_key(cell) in _SKIPPED:
                    continue
                problems.append(
                    Problem(
                        "mujun.unknown_column",
                        f"不认识的列 {show(cell)}。{what[0]}",
                        f"unknown column {show(cell)}; {what[1]}",
                        grid.where(row, k + 1),
                    )
                )
            return _Header(row, found), problems
    first = grid.rows[0][0] if grid.rows else 1
    raise InputError(
        [
            Problem(
                "mujun.no_header",
                f"前 10 行中没有表头行（需要含 {anchor} 列）。{what[0]}",
                f"no header row (with a {anchor} column) in the first 10 rows; {what[1]}",
                grid.where(first, 1),
            )
        ]
    )


def _numbers(
    cells: list[object], where: Callable[[int], str], label: tuple[str, str], nonnegative: bool
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[Problem]]:
    """Vectorised parse of a numeric column; the odd cells go through :func:`parse_number`."""
    series = pd.Series(cells, dtype=object)
    parsed_all = pd.to_numeric(series, errors="coerce")
    values = np.array(parsed_all.to_numpy(dtype=np.float64, na_value=np.nan), copy=True)
    odd = (np.isnan(values) & series.notna().to_numpy()) | np.isinf(values)
    odd |= series.map(lambda v: type(v) is bool).to_numpy(
        dtype=bool
    )  # True is not 1 in a firm table
    problems: list[Problem] = []
    for i in np.flatnonzero(odd):
        parsed = parse_number(cells[i])
        if isinstance(parsed, Bad):
            problems.append(
                Problem(
                    "mujun.not_a_number",
                    f"{label[0]}：{parsed.zh}",
                    f"{label[1]}: {parsed.en}",
                    where(int(i)),
                )
            )
            values[i] = np.nan
        else:
            values[i] = parsed
    if nonnegative:
        for i in np.flatnonzero(values < 0):
            problems.append(
                Problem(
                    "mujun.negative",
                    f"{label[0]}不能为负数，收到 {show(cells[i])}。"
                    "请填写实际值（≥ 0）；缺失请留空。",
                    f"{label[1]} cannot be negative, got {show(cells[i])}; write the actual "
                    "value (>= 0), or leave the cell empty if it is missing.",
                    where(int(i)),
                )
            )
            values[i] = np.nan
    return values, problems


# ------------------------------------------------------------------------------------------
# the firm table


def read_firms(
    path: str | os.PathLike[str],
    spec: MujunSpec,
    *,
    units: Units | None = None,
    sheet: str | None = None,
) -> FirmTable:
    """Read the firm table (CSV or xlsx; the first sheet unless ``sheet``).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    spec : MujunSpec
        Whose fields are the numeric columns.
    units : kaoping.data.units.Units, optional
        When given, every 县区代码 must be one of its codes (e.g. ``henan_units()``).
    sheet : str, optional
        Worksheet to read.

    Raises
    ------
    kaoping.errors.InputError
        Every bad cell at once, each by its address (``企业.xlsx!企业!F7``): ``mujun.no_header``,
        ``mujun.missing_column``, ``mujun.unknown_column``, ``mujun.duplicate_column``,
        ``mujun.not_a_number``, ``mujun.negative``, ``mujun.bad_code``, ``mujun.duplicate_firm``,
        ``mujun.bad_county``, ``mujun.unknown_county``, ``mujun.bad_industry``,
        ``mujun.bad_flag``, ``mujun.missing_reason``, ``mujun.bad_year``, ``mujun.mixed_years``,
        ``mujun.no_firms``; and the file problems of :func:`kaoping.data._sheet.load_grid`.
    """
    grid = load_grid(path, sheet)
    keys = _matcher(
        [(k, (zh, en, *aliases)) for k, (zh, en, aliases) in IDENTITY.items()]
        + [(f.id, (f.name, f.name_en, *f.aliases)) for f in spec.fields]
    )
    headers = "、".join([IDENTITY[k][0] for k in _REQUIRED] + [f.name for f in spec.fields])
    headers_en = ", ".join([IDENTITY[k][0] for k in _REQUIRED] + [f.name for f in spec.fields])
    what = (
        f"企业表的列：{headers}、企业名称、不定等级、不定等级原因"
        "（kaoping mujun template 可写出空白表）。",
        f"the firm table's columns are {headers_en}, 企业名称, 不定等级, 不定等级原因 (kaoping "
        "mujun template writes an empty one).",
    )
    header, problems = _find_header(grid, keys, "code", what)
    needed = [*_REQUIRED, *(f.id for f in spec.fields)]
    for ident in needed:
        if ident not in header.columns:
            label = IDENTITY[ident][0] if ident in IDENTITY else spec.field(ident).name
            problems.append(
                Problem(
                    "mujun.missing_column",
                    f"企业表缺少 {label} 列。请在表头加上这一列。",
                    f"the firm table lacks the column {label}; add it to the header.",
                    grid.where(header.row, 1),
                )
            )
    if any(p.code == "mujun.missing_column" for p in problems):
        raise InputError(problems)
    kept = [(r, v) for r, v in grid.rows if r > header.row and any(c is not None for c in v)]
    if not kept:
        raise InputError(
            [
                Problem(
                    "mujun.no_firms",
                    "企业表只有表头，没有企业。请每行填写一家企业。",
                    "the firm table has a header but no firm; fill in one firm per row.",
                    grid.where(header.row, 1),
                )
            ]
        )
    grid_rows = grid
    rownum = np.fromiter((r for r, _ in kept), dtype=np.int64, count=len(kept))

    def cells(ident: str) -> list[object]:
        k = header.columns.get(ident)
        if k is None:
            return [None] * len(kept)
        return [v[k] if k < len(v) else None for _, v in kept]

    def at(ident: str) -> Callable[[int], str]:
        column = header.columns[ident] + 1
        return lambda i: grid_rows.where(int(rownum[i]), column)

    frame: dict[str, Any] = {}
    codes, more = _codes(cells("code"), at("code"))
    problems += more
    frame["code"] = codes
    frame["name"] = [clean_text(str(c)) if c is not None else "" for c in cells("name")]
    county, more = _counties(cells("county"), at("county"), units)
    problems += more
    frame["county"] = county
    industry, more = _industries(cells("industry"), at("industry"), two_digits=False)
    problems += more
    frame["industry"] = industry
    denominators = {i.denominator for i in spec.indicators}
    for f in spec.fields:
        values, more = _numbers(
            cells(f.id),
            at(f.id),
            (f"{f.name}（{f.unit}）", f"{f.name_en} ({f.unit})"),
            nonnegative=f.id in denominators,
        )
        problems += more
        frame[f.id] = values
    exempt, reason, more = _exemptions(
        cells("exempt"), cells("exempt_reason"),
        at("exempt") if "exempt" in header.columns else None,
        at("exempt_reason") if "exempt_reason" in header.columns else None,
        grid_rows, rownum,
    )  # fmt: skip
    problems += more
    frame["exempt"] = exempt
    frame["exempt_reason"] = reason
    frame["row"] = rownum
    year: str | None = None
    if "year" in header.columns:
        year, more = _year(cells("year"), at("year"))
        problems += more
    if problems:
        raise InputError(problems)
    return FirmTable(pd.DataFrame(frame), year, grid.name)


def _codes(cells: list[object], where: Callable[[int], str]) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    codes: list[str] = []
    first: dict[str, int] = {}
    for i, raw in enumerate(cells):
        code = parse_code(raw)
        if code is None or isinstance(code, Bad):
            problems.append(
                Problem(
                    "mujun.bad_code",
                    "企业代码为空或无效。请填写企业的统一社会信用代码（18 位），每家企业一行。"
                    if code is None
                    else f"企业代码无效：{code.zh}",
                    "the firm code is empty or invalid; write the firm's unified social credit "
                    "code (18 characters), one firm per row."
                    if code is None
                    else f"invalid firm code: {code.en}",
                    where(i),
                )
            )
            codes.append("")
            continue
        if code in first:
            problems.append(
                Problem(
                    "mujun.duplicate_firm",
                    f"企业代码 {code} 重复（另见 {where(first[code])}）。每家企业只填一行。",
                    f"firm code {code} appears twice (see {where(first[code])}); one row per firm.",
                    where(i),
                )
            )
        first.setdefault(code, i)
        codes.append(code)
    return codes, problems


def _counties(
    cells: list[object], where: Callable[[int], str], units: Units | None
) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    out: list[str] = []
    known = set(units.codes) if units is not None else None
    cache: dict[tuple[type, object], str | Bad | None] = {}
    for i, raw in enumerate(cells):
        key = (type(raw), raw)
        code = cache[key] if key in cache else cache.setdefault(key, parse_code(raw))
        if code is None or isinstance(code, Bad) or not (len(code) == 6 and code.isdigit()):
            problems.append(
                Problem(
                    "mujun.bad_county",
                    f"县区代码 {show(raw) if raw is not None else '（空）'} 不是 6 位行政区划代码。"
                    "请填写企业所在县（市、区）的代码，如 410883（孟州市）。",
                    f"county code {show(raw) if raw is not None else '(empty)'} is not a 6-digit "
                    "division code; write the code of the firm's county-level unit, e.g. 410883.",
                    where(i),
                )
            )
            out.append("")
            continue
        if known is not None and code not in known:
            problems.append(
                Problem(
                    "mujun.unknown_county",
                    f"县区代码 {code} 不在单位表中。请核对代码（河南的县级单位见 kaoping 内置的"
                    "单位表 henan）。",
                    f"county code {code} is not in the units table; check the code (Henan's "
                    "county-level units are kaoping's bundled table henan).",
                    where(i),
                )
            )
        out.append(code)
    return out, problems


def _industries(
    cells: list[object], where: Callable[[int], str], *, two_digits: bool
) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    out: list[str] = []
    cache: dict[object, str | Bad | None] = {}
    for i, raw in enumerate(cells):
        key = (type(raw), raw)
        found = cache.get(key, "?")
        if found == "?":
            found = cache[key] = division(raw, two_digits=two_digits)
        if found is None or isinstance(found, Bad):
            problems.append(
                Problem(
                    "mujun.bad_industry",
                    "行业代码为空。请填写 GB/T 4754 的 2 位大类代码（如 13）。"
                    if found is None
                    else found.zh,
                    "the industry code is empty; write the 2-digit GB/T 4754 division (e.g. 13)."
                    if found is None
                    else found.en,
                    where(i),
                )
            )
            out.append("")
        else:
            out.append(found)
    return out, problems


def _exemptions(
    flags: list[object],
    reasons: list[object],
    flag_at: Callable[[int], str] | None,
    reason_at: Callable[[int], str] | None,
    grid: Grid,
    rownum: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], list[str], list[Problem]]:
    problems: list[Problem] = []
    exempt = np.zeros(len(flags), dtype=bool)
    texts = [clean_text(str(r)) if r is not None else "" for r in reasons]
    for i, raw in enumerate(flags):
        if raw is None:
            continue
        word = header_key(raw)
        if word in _TRUE:
            exempt[i] = True
        elif word not in _FALSE:
            assert flag_at is not None
            problems.append(
                Problem(
                    "mujun.bad_flag",
                    f"不定等级应填“是”或“否”（或 1/0），收到 {show(raw)}。",
                    f"不定等级 (exempt) must be 是 or 否 (or 1/0, yes/no), got {show(raw)}.",
                    flag_at(i),
                )
            )
    for i in map(int, np.flatnonzero(exempt)):
        if not texts[i]:
            where = reason_at(int(i)) if reason_at is not None else grid.where(int(rownum[i]), 1)
            problems.append(
                Problem(
                    "mujun.missing_reason",
                    "该企业标为不定等级，但没有填写原因。请在“不定等级原因”列写明（公用事业、"
                    "政策扶持、新建投产未满3年、重大项目建设期 …），结果公示时要列出。",
                    "the firm is flagged exempt but gives no reason; write it in the column "
                    "不定等级原因 (utility, policy support, new plant, major project under "
                    "construction …): the published results list it.",
                    where,
                )
            )
    return exempt, [t if e else "" for t, e in zip(texts, exempt, strict=True)], problems


def _year(cells: list[object], where: Callable[[int], str]) -> tuple[str | None, list[Problem]]:
    problems: list[Problem] = []
    rows: dict[tuple[type, object], list[int]] = {}
    for i, raw in enumerate(cells):
        if raw is not None:
            rows.setdefault((type(raw), raw), []).append(i)
    years: dict[int, int] = {}
    for (_, raw), found in rows.items():  # each distinct cell text parsed once
        year = parse_year(raw)
        if isinstance(year, Bad):
            problems += [Problem("mujun.bad_year", year.zh, year.en, where(i)) for i in found]
        elif year is not None:
            years.setdefault(year, found[0])
    if len(years) > 1:
        (a, i), (b, j) = sorted(years.items(), key=lambda item: item[1])[:2]
        problems.append(
            Problem(
                "mujun.mixed_years",
                f"企业表中有不止一个年份（{a} 见 {where(i)}，{b} 见 {where(j)}）。"
                "每次评价一个年度：请按年份分表。",
                f"the firm table holds more than one year ({a} at {where(i)}, {b} at "
                f"{where(j)}); one evaluation is one year: split the table by year.",
                where(j),
            )
        )
    return (str(min(years, key=lambda y: years[y])) if years else None), problems


# ------------------------------------------------------------------------------------------
# the benchmark sheet


def read_benchmarks(
    path: str | os.PathLike[str], spec: MujunSpec, *, sheet: str | None = None
) -> pd.DataFrame:
    """Read the industry benchmark sheet (分行业标杆值).

    Returns
    -------
    pandas.DataFrame
        Index the 2-digit 大类 (``industry``), a ``name`` column (行业名称, "" if none) and one
        float column per indicator id: the benchmark, NaN where the sheet leaves it blank (the
        spec's default applies).

    Raises
    ------
    kaoping.errors.InputError
        Every bad cell, by its address (``标杆值.xlsx!标杆值!C5``): ``mujun.no_header``,
        ``mujun.unknown_column`` (a header that is no indicator), ``mujun.duplicate_column``,
        ``mujun.bad_industry`` (not a 2-digit industrial division), ``mujun.duplicate_industry``,
        ``mujun.not_a_number``, ``mujun.bad_benchmark`` (<= 0), ``mujun.no_benchmark_column``.
    """
    grid = load_grid(path, sheet)
    keys = _matcher(
        [
            ("industry", (IDENTITY["industry"][0], "行业", "行业大类", *IDENTITY["industry"][2])),
            ("name", ("行业名称", "行业大类名称", "industry_name")),
        ]
        + [(i.id, (i.name, i.name_en, *i.aliases)) for i in spec.indicators]
    )
    names = "、".join(i.name for i in spec.indicators)
    what = (
        f"标杆值表的列为 行业代码、行业名称（可选）和指标列：{names}。",
        f"the benchmark sheet's columns are 行业代码, 行业名称 (optional) and the indicators: "
        f"{', '.join(i.name for i in spec.indicators)}.",
    )
    header, problems = _find_header(grid, keys, "industry", what)
    present = [i for i in spec.indicators if i.id in header.columns]
    if not present:
        problems.append(
            Problem(
                "mujun.no_benchmark_column",
                f"标杆值表没有任何指标列。{what[0]}",
                f"the benchmark sheet has no indicator column; {what[1]}",
                grid.where(header.row, 1),
            )
        )
    kept = [(r, v) for r, v in grid.rows if r > header.row and any(c is not None for c in v)]
    rownum = np.fromiter((r for r, _ in kept), dtype=np.int64, count=len(kept))

    def cells(ident: str) -> list[object]:
        k = header.columns[ident]
        return [v[k] if k < len(v) else None for _, v in kept]

    def at(ident: str) -> Callable[[int], str]:
        column = header.columns[ident] + 1
        return lambda i: grid.where(int(rownum[i]), column)

    industries, more = _industries(cells("industry"), at("industry"), two_digits=True)
    problems += more
    first: dict[str, int] = {}
    for i, code in enumerate(industries):
        if code and code in first:
            problems.append(
                Problem(
                    "mujun.duplicate_industry",
                    f"行业 {code} 的标杆值出现了两次（另见 {at('industry')(first[code])}）。"
                    "每个行业只填一行。",
                    f"industry {code} has two rows (see {at('industry')(first[code])}); one row "
                    "per industry.",
                    at("industry")(i),
                )
            )
        first.setdefault(code, i)
    out: dict[str, Any] = {
        "name": [clean_text(str(c)) if c is not None else "" for c in cells("name")]
        if "name" in header.columns
        else [""] * len(kept)
    }
    for ind in present:
        raw = cells(ind.id)
        values, more = _numbers(
            raw, at(ind.id), (f"{ind.name} 标杆值", f"{ind.name_en} benchmark"), False
        )
        problems += more
        for i in map(int, np.flatnonzero(values <= 0)):
            problems.append(
                Problem(
                    "mujun.bad_benchmark",
                    f"{ind.name}的标杆值须大于 0，收到 {show(raw[i])}。请填写正数（{ind.unit}），"
                    "或留空以使用默认标杆值 "
                    f"{ind.benchmark:g}。",
                    f"the benchmark of {ind.name_en} must be > 0, got {show(raw[i])}; write a "
                    f"positive number ({ind.unit}) or leave it empty for the default "
                    f"{ind.benchmark:g}.",
                    at(ind.id)(int(i)),
                )
            )
        out[ind.id] = values
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(out, index=pd.Index(industries, name="industry"))
    for ind in spec.indicators:
        if ind.id not in frame:
            frame[ind.id] = np.nan
    return frame[["name", *(i.id for i in spec.indicators)]]


def benchmarks_from_grid_path(path: Path, spec: MujunSpec) -> pd.DataFrame | None:
    """The 标杆值 sheet of a firm workbook (the template has one), or None when it has none
    or only its header."""
    try:
        grid = load_grid(path, BENCHMARK_SHEET)
    except InputError as exc:
        if exc.codes == ["data.missing_sheet"]:
            return None
        raise
    if len([r for r, v in grid.rows if any(c is not None for c in v)]) <= 1:
        return None
    return read_benchmarks(path, spec, sheet=BENCHMARK_SHEET)
