"""The park registry (园区名录): industrial parks as assessed units.

A park (产业集聚区, 开发区, 高新区, 经开区 or 专业园区) has a code, a name, a type, a host county,
its leading industries (主导产业), an area and a level (国家级, 省级 …).  The registry is one
sheet, ``园区名录``, of an xlsx file (or a CSV file) with these Chinese headers (the English
column names are accepted too):

=================  ==============  ===========================================================
header             column          cell
=================  ==============  ===========================================================
代码               ``code``        the park's code (text, unique), required
名称               ``name``        e.g. 孟州市产业集聚区, required
英文名称           ``name_en``     optional
类型               ``kind``        one of :data:`PARK_KINDS`, required
所在县代码         ``county_code`` the host county's six-digit code (GB/T 2260 or a 7x
                                   functional zone such as 410871), required
所在县             ``county_name`` optional (filled from ``counties`` when given)
主导产业           ``industries``  optional, several separated by 、 , ， ; or ；
面积(平方公里)     ``area_km2``    optional; when given a positive number
级别               ``level``       optional free text: 国家级, 省级 …
=================  ==============  ===========================================================

:func:`read_parks` reports every problem at once, each at its cell; :func:`write_parks_template`
writes the sheet (empty, or filled from a registry) with a 填表说明 sheet; :func:`park_units`
turns a registry into the :class:`~kaoping.data.Units` table the assessment takes, so a park
assessment is an ordinary methodology run on park-level indicators (domain.md §5.2).
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Final

import pandas as pd

from kaoping.data._parse import Bad, clean_text, header_key, is_missing, parse_code, parse_number
from kaoping.data._sheet import Grid, grid_from_bytes, is_blank, load_grid
from kaoping.data.units import Units
from kaoping.errors import InputError, Problem

__all__ = [
    "PARK_COLUMNS",
    "PARK_HEADERS",
    "PARK_KINDS",
    "PARK_SHEET",
    "park_units",
    "read_parks",
    "read_parks_bytes",
    "write_parks_template",
]

PARK_KINDS: Final[tuple[str, ...]] = ("产业集聚区", "开发区", "高新区", "经开区", "专业园区")
"""The park types (domain.md §5.2)."""

_KIND_ALIASES: Final[Mapping[str, str]] = {
    "高新技术产业开发区": "高新区",
    "高新技术开发区": "高新区",
    "经济技术开发区": "经开区",
    "经济开发区": "经开区",
}
"""Full names accepted for :data:`PARK_KINDS`."""

PARK_SHEET: Final = "园区名录"
"""The sheet of a workbook that holds the registry."""

PARK_COLUMNS: Final[tuple[str, ...]] = (
    "code",
    "name",
    "name_en",
    "kind",
    "county_code",
    "county_name",
    "industries",
    "area_km2",
    "level",
)
"""The columns of the frame :func:`read_parks` returns, in this order."""

PARK_HEADERS: Final[Mapping[str, str]] = {
    "code": "代码",
    "name": "名称",
    "name_en": "英文名称",
    "kind": "类型",
    "county_code": "所在县代码",
    "county_name": "所在县",
    "industries": "主导产业",
    "area_km2": "面积(平方公里)",
    "level": "级别",
}
"""The Chinese header of each column (what :func:`write_parks_template` writes)."""

_ACCEPTED: Final[Mapping[str, frozenset[str]]] = {
    "code": frozenset({"代码", "园区代码", "code"}),
    "name": frozenset({"名称", "园区名称", "name"}),
    "name_en": frozenset({"英文名称", "name_en"}),
    "kind": frozenset({"类型", "园区类型", "kind"}),
    "county_code": frozenset({"所在县代码", "所在县(市、区)代码", "county_code"}),
    "county_name": frozenset({"所在县", "所在县(市、区)", "county_name", "county"}),
    "industries": frozenset({"主导产业", "industries"}),
    "area_km2": frozenset({"面积(平方公里)", "面积(km²)", "面积(km2)", "面积", "area_km2"}),
    "level": frozenset({"级别", "level"}),
}
_REQUIRED: Final = ("code", "name", "kind", "county_code")
_COUNTY_CODE: Final = re.compile(r"[0-9]{6}")
_INDUSTRY_SEPARATORS: Final = re.compile(r"[、,，;；/]+")
_TEXT_COLUMNS: Final = ("name", "name_en", "county_name", "level")


def _role(header: object) -> str | None:
    key = header_key(header)
    for role, names in _ACCEPTED.items():
        if key in {header_key(n) for n in names}:
            return role
    return None


def read_parks(path: str | os.PathLike[str], *, counties: Units | None = None) -> pd.DataFrame:
    """Read a park registry: the sheet 园区名录 of an xlsx file, or a CSV file.

    Parameters
    ----------
    path : str or path-like
        The file.  A workbook must have a sheet named 园区名录.
    counties : Units, optional
        The county-level units (e.g. :func:`kaoping.data.bundled.henan_units`): a host county
        code not among them is a problem, and an empty 所在县 is filled with its name.

    Returns
    -------
    pandas.DataFrame
        One row per park in file order, columns :data:`PARK_COLUMNS`: text columns (NA when
        empty; ``industries`` joined with 、), ``area_km2`` a float (NaN when empty).

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once, each at its cell: ``parks.missing_column``, ``parks.missing_code``,
        ``parks.duplicate_code``, ``parks.missing_name``, ``parks.unknown_kind`` (listing the
        kinds), ``parks.bad_county_code`` (not six digits), ``parks.unknown_county`` (with
        ``counties``), ``parks.bad_area`` (not a positive number), ``parks.no_rows``, and the
        file problems of :func:`kaoping.data.read_units` (missing sheet, damaged workbook …).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "parks.csv").write_text(
    ...     "代码,名称,类型,所在县代码,主导产业,面积(平方公里)\\n"
    ...     "41088301,孟州市产业集聚区,产业集聚区,410883,装备制造、皮毛加工,29.6\\n",
    ...     encoding="utf-8")
    >>> parks = read_parks(folder / "parks.csv")
    >>> parks.loc[0, ["code", "kind", "county_code"]].tolist(), float(parks.loc[0, "area_km2"])
    (['41088301', '产业集聚区', '410883'], 29.6)
    """
    suffix = Path(path).suffix.lower()
    grid = load_grid(path, PARK_SHEET if suffix in (".xlsx", ".xlsm") else None)
    return _read_grid(grid, counties)


def read_parks_bytes(
    content: bytes,
    name: str,
    *,
    counties: Units | None = None,
    lengths: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """:func:`read_parks` of a file already read (an upload): ``name`` names it in every
    problem (``园区名录.xlsx!园区名录!D7``); a workbook (by its content, whatever its name)
    must have the sheet 园区名录.  ``lengths`` (column -> most characters, e.g. a database's
    column widths) makes a longer text a problem at its cell (``parks.too_long``).

    >>> sheet = "代码,名称,类型,所在县代码\\nP1,孟州市产业集聚区,产业集聚区,410883\\n"
    >>> parks = read_parks_bytes(sheet.encode(), "parks.csv")
    >>> parks.loc[0, ["code", "county_code"]].tolist()
    ['P1', '410883']
    """
    sheet = PARK_SHEET if content[:4] == b"PK\x03\x04" else None
    return _read_grid(grid_from_bytes(content, name, sheet), counties, lengths)


def _read_grid(
    grid: Grid, counties: Units | None, lengths: Mapping[str, int] | None = None
) -> pd.DataFrame:
    header_at = next(
        (
            position
            for position, (_, values) in enumerate(grid.rows[:20])
            if any(_role(v) == "code" for v in values if isinstance(v, str))
        ),
        None,
    )
    if header_at is None:
        raise InputError(
            [
                Problem(
                    "parks.missing_column",
                    "前 20 行中没有“代码”列的标题。园区名录的表头应为：代码、名称、英文名称、类型、"
                    "所在县代码、所在县、主导产业、面积(平方公里)、级别；可先下载模板再填写。",
                    "none of the first 20 rows has the 代码 (code) header; the registry's headers "
                    "are 代码, 名称, 英文名称, 类型, 所在县代码, 所在县, 主导产业, 面积(平方公里), "
                    "级别 — download the template and fill it in.",
                    grid.name,
                )
            ]
        )
    number, cells = grid.rows[header_at]
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for column, text in enumerate(cells, start=1):
        role = _role(text) if isinstance(text, str) else None
        if role is None:
            continue
        if role in columns:
            first = grid.where(number, columns[role])
            problems.append(
                Problem(
                    "parks.duplicate_column",
                    f"列“{text}”与 {first} 是同一列（重复）。请删除其中一列。",
                    f"column {text!r} repeats the column at {first}; delete one of them.",
                    grid.where(number, column),
                )
            )
            continue
        columns[role] = column
    for role in _REQUIRED:
        if role not in columns:
            problems.append(
                Problem(
                    "parks.missing_column",
                    f"第 {number} 行表头中没有“{PARK_HEADERS[role]}”列。请加上这一列"
                    "（园区名录必填：代码、名称、类型、所在县代码）。",
                    f"the header (row {number}) has no {PARK_HEADERS[role]} ({role}) column; add "
                    "it (the registry needs 代码, 名称, 类型 and 所在县代码).",
                    grid.where(number, len(cells) + 1),
                )
            )
    if problems:
        raise InputError(problems)

    records: list[dict[str, Any]] = []
    first_row: dict[str, str] = {}
    for row, values in grid.rows[header_at + 1 :]:
        if all(is_blank(v) for v in values):
            continue

        def cell(role: str, values: list[object] = values) -> object:
            column = columns.get(role)
            if column is None or column > len(values):
                return None
            return values[column - 1]

        def where(role: str, row: int = row) -> str:
            return grid.where(row, columns.get(role, 1))

        formulas = [
            Problem(
                "data.formula_without_value",
                f"公式 {grid.formulas[row, column]} 没有保存计算结果（文件可能由程序生成、未经 "
                "Excel 计算）。请在 Excel/WPS 中打开并保存一次，或直接填写内容。",
                f"the formula {grid.formulas[row, column]} has no saved result (the file was "
                "probably written by a program, not computed by Excel); open and save it in "
                "Excel or WPS, or enter the value.",
                grid.where(row, column),
            )
            for column in sorted(columns.values())
            if (row, column) in grid.formulas
        ]
        if formulas:  # the row's other cells are not judged: the formula may be its code
            problems += formulas
            continue
        record: dict[str, Any] = {}
        problems += _parse_row(record, cell, where, counties)
        for field, limit in (lengths or {}).items():
            text = record.get(field)
            if isinstance(text, str) and len(text) > limit:
                problems.append(
                    Problem(
                        "parks.too_long",
                        f"{PARK_HEADERS.get(field, field)}有 {len(text)} 个字符，最多 {limit} "
                        "个。请缩短。",
                        f"the {field} has {len(text)} characters, at most {limit}; shorten it.",
                        where(field),
                    )
                )
        code = record.get("code")
        if code is not None:
            if code in first_row:
                problems.append(
                    Problem(
                        "parks.duplicate_code",
                        f"园区代码 {code} 出现了两次：{first_row[code]} 和 {where('code')}。"
                        "每个园区的代码须唯一；请改正或删除其中一行。",
                        f"park code {code} appears twice, at {first_row[code]} and "
                        f"{where('code')}; every park needs its own code: correct or delete "
                        "one of the rows.",
                        where("code"),
                    )
                )
            else:
                first_row[code] = where("code")
        records.append(record)
    if not records and not problems:
        problems.append(
            Problem(
                "parks.no_rows",
                f"第 {number} 行表头下面没有园区。请填入园区后再导入。",
                f"there are no parks below the header (row {number}); add them, then import.",
                grid.name,
            )
        )
    if problems:
        raise InputError(problems)
    return _frame(records)


def _text(raw: object) -> str | None:
    if raw is None or is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = clean_text(str(raw))
    return text or None


def _parse_row(
    record: dict[str, Any],
    cell: Any,
    where: Any,
    counties: Units | None,
) -> list[Problem]:
    problems: list[Problem] = []
    code = parse_code(cell("code"))
    if isinstance(code, Bad):
        problems.append(Problem("parks.bad_code", code.zh, code.en, where("code")))
    elif code is None:
        problems.append(
            Problem(
                "parks.missing_code",
                "缺少园区代码。请填写该园区的代码（如 41088301），或删除这一行。",
                "the park code is missing; enter the park's code (e.g. 41088301) or delete the "
                "row.",
                where("code"),
            )
        )
    else:
        record["code"] = code
    label = record.get("code", "")
    for column in _TEXT_COLUMNS:
        record[column] = _text(cell(column))
    if record["name"] is None:
        problems.append(
            Problem(
                "parks.missing_name",
                f"园区 {label} 缺少名称。请填写园区名称（如 孟州市产业集聚区）。",
                f"park {label} has no name; enter its name (e.g. 孟州市产业集聚区).",
                where("name"),
            )
        )
    kind = _text(cell("kind"))
    kind = _KIND_ALIASES.get(kind, kind) if kind is not None else None
    if kind not in PARK_KINDS:
        got_zh = f"“{kind}”不是园区类型" if kind else "缺少园区类型"
        got_en = f"{kind!r} is not a park type" if kind else "the park type is missing"
        problems.append(
            Problem(
                "parks.unknown_kind",
                f"园区 {label}：{got_zh}。类型须为 {'、'.join(PARK_KINDS)} 之一。",
                f"park {label}: {got_en}; the type must be one of {', '.join(PARK_KINDS)}.",
                where("kind"),
            )
        )
    record["kind"] = kind if kind in PARK_KINDS else None
    county = _text(cell("county_code"))
    record["county_code"] = None
    if county is None or not _COUNTY_CODE.fullmatch(county):
        got_zh = f"“{county}”不是六位数字" if county else "为空"
        got_en = f"{county!r} is not six digits" if county else "is empty"
        problems.append(
            Problem(
                "parks.bad_county_code",
                f"园区 {label} 的所在县代码{got_zh}。请填写所在县（市、区）的六位行政区划代码"
                "（如 孟州市 410883），并把该列设为文本格式以保留前导零。",
                f"the host county code of park {label} {got_en}; enter the six-digit division "
                "code of its county (e.g. 410883 for 孟州市), in a column formatted as text.",
                where("county_code"),
            )
        )
    elif counties is not None and county not in counties:
        problems.append(
            Problem(
                "parks.unknown_county",
                f"园区 {label} 的所在县代码 {county} 不在单位表中。"
                "请检查代码（如 孟州市 410883）。",
                f"the host county code {county} of park {label} is not in the units table; check "
                "the code (e.g. 410883 for 孟州市).",
                where("county_code"),
            )
        )
    else:
        record["county_code"] = county
        if record["county_name"] is None and counties is not None:
            record["county_name"] = counties.name(county)
    industries = _text(cell("industries"))
    record["industries"] = (
        "、".join(p for p in _INDUSTRY_SEPARATORS.split(industries) if p.strip())
        if industries
        else None
    )
    raw_area = cell("area_km2")
    area = parse_number(raw_area)
    record["area_km2"] = math.nan
    if isinstance(area, Bad) or not (math.isnan(area) or (area > 0 and math.isfinite(area))):
        shown = _text(raw_area)
        problems.append(
            Problem(
                "parks.bad_area",
                f"园区 {label} 的面积“{shown}”不是正数。请填写以平方公里计的面积（如 29.6），"
                "不知道时留空。",
                f"the area {shown!r} of park {label} is not a positive number; enter the area "
                "in square kilometres (e.g. 29.6), or leave the cell empty when unknown.",
                where("area_km2"),
            )
        )
    elif not math.isnan(area):
        record["area_km2"] = float(area)
    return problems


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    data: dict[str, pd.Series] = {}
    for column in PARK_COLUMNS:
        values = [r.get(column) for r in records]
        data[column] = pd.Series(values, dtype="float64" if column == "area_km2" else "string")
    return pd.DataFrame(data)


def write_parks_template(
    path_or_buffer: str | os.PathLike[str] | IO[bytes], frame: pd.DataFrame | None = None
) -> None:
    """Write the registry workbook: sheet 园区名录 (headers, and the rows of ``frame`` when
    given, e.g. what :func:`read_parks` returned) and a 填表说明 sheet.

    The code columns are formatted as text so that Excel keeps their leading zeros;
    :func:`read_parks` reads the file back to an equal frame.
    """
    from openpyxl import Workbook

    from kaoping.data._xlsx_write import HEADER_FILL, style_reference

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = PARK_SHEET
    sheet.append([PARK_HEADERS[c] for c in PARK_COLUMNS])
    for cell in sheet[1]:
        cell.fill = HEADER_FILL
    if frame is not None:
        for _, row in frame.iterrows():
            sheet.append([_cell_value(row.get(c)) for c in PARK_COLUMNS])
    for column in ("A", "E"):  # 代码, 所在县代码
        for cell in sheet[column]:
            cell.number_format = "@"
    for column, width in zip("ABCDEFGHI", (12, 28, 36, 12, 12, 12, 28, 16, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C2"

    notes = book.create_sheet("填表说明")
    notes.append(["列", "说明 / Notes"])
    explanations = {
        "code": "必填。园区代码（文本，唯一）。Required: the park's code (text, unique).",
        "name": "必填。如 孟州市产业集聚区。Required, e.g. 孟州市产业集聚区.",
        "name_en": "可选。英文名称。Optional English name.",
        "kind": f"必填。{'、'.join(PARK_KINDS)} 之一。Required: one of {', '.join(PARK_KINDS)}.",
        "county_code": "必填。所在县（市、区）六位代码，如 410883。Required: six-digit county "
        "code, e.g. 410883.",
        "county_name": "可选。所在县名称。Optional: the county's name.",
        "industries": "可选。多个用“、”分隔。Optional: several separated by 、.",
        "area_km2": "可选。正数，单位平方公里。Optional: a positive number of km².",
        "level": "可选。国家级、省级等。Optional: 国家级, 省级 …",
    }
    for column in PARK_COLUMNS:
        notes.append([PARK_HEADERS[column], explanations[column]])
    style_reference(notes, (18, 80), freeze="A2")
    if isinstance(path_or_buffer, str | os.PathLike):
        book.save(os.fspath(path_or_buffer))
    else:
        buffer = io.BytesIO()
        book.save(buffer)
        path_or_buffer.write(buffer.getvalue())


def _cell_value(value: object) -> object:
    if value is None or is_missing(value):
        return None
    if isinstance(value, float):
        return value
    return str(value)


def park_units(frame: pd.DataFrame) -> Units:
    """The registry as the units table of an assessment: one unit per park.

    ``code`` and ``name`` are the park's; ``parent`` is the host county's code; ``kind`` and
    ``category`` are the park type (so ``category_rank`` of an assessment ranks a park among
    the parks of its type); ``note`` gives the leading industries, the area and the level.

    Examples
    --------
    >>> frame = pd.DataFrame({"code": ["41088301"], "name": ["孟州市产业集聚区"],
    ...     "kind": ["产业集聚区"], "county_code": ["410883"], "industries": ["装备制造、皮毛加工"],
    ...     "area_km2": [29.6]})
    >>> units = park_units(frame)
    >>> units.frame.loc["41088301", ["parent", "kind", "category"]].tolist()
    ['410883', '产业集聚区', '产业集聚区']
    >>> units.frame.loc["41088301", "note"]
    '主导产业：装备制造、皮毛加工；面积 29.6 平方公里'
    """
    notes: list[str | None] = []
    for _, row in frame.iterrows():
        parts: list[str] = []
        if _present(row.get("industries")):
            parts.append(f"主导产业：{row['industries']}")
        if _present(row.get("area_km2")):
            parts.append(f"面积 {float(row['area_km2']):g} 平方公里")
        if _present(row.get("level")):
            parts.append(f"级别：{row['level']}")
        notes.append("；".join(parts) or None)
    table = pd.DataFrame(
        {
            "code": frame["code"].astype(str).tolist(),
            "name": frame["name"].tolist(),
            "parent": frame["county_code"].tolist(),
            "category": frame["kind"].tolist(),
            "kind": frame["kind"].tolist(),
            "note": notes,
        }
    )
    return Units(table)


def _present(value: object) -> bool:
    return value is not None and not is_missing(value) and str(value) != ""
