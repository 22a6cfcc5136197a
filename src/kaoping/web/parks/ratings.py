"""The parks' annual assessment on the platform (产业集聚区/开发区考核): the registry (园区名录)
in and out, a year's figures (park x indicator of the year's methodology) in and out, the
ratings computed by the engine (:func:`kaoping.assess.assess` over ``park_hqd`` and
:func:`kaoping.scoring.stars.rate` with last year's star levels), and their publication.

Every write is the city office's (an analyst or an administrator), in one transaction, with an
audit event; a sheet with one bad cell changes nothing and every problem names its cell
(``园区名录.xlsx!园区名录!D7`` — the uploaded file's name, never a path of the server).
Reading follows :func:`kaoping.web.parks.access.can_see_park_year`: the office everything, a
county the parks it hosts once a year is computed, everybody signed in a published year.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer, require_reviewer, role_of, unit_id_of
from kaoping.web.collection.models import AuditEvent, Role, Unit
from kaoping.web.lang import lang
from kaoping.web.parks.access import can_see_park_year
from kaoping.web.parks.models import Park, ParkRating, ParkValue, ParkYear

__all__ = [
    "CITY",
    "STAR_NAMES",
    "LeagueSummary",
    "city_prefix",
    "city_summary",
    "league_export",
    "league_ratings",
    "park_history",
    "registry_export",
    "registry_import",
    "registry_upload",
    "require_league",
    "star_name",
    "upload_name",
    "values_template",
    "values_upload",
    "visible_years",
    "year_compute",
    "year_open",
    "year_publish",
]

CITY = "4108"
"""The platform's city (焦作市) when its units do not say otherwise: the first four digits of
its counties' codes."""

STAR_NAMES: dict[int, tuple[str, str]] = {
    0: ("无星级", "no star"),
    1: ("一星级", "one-star"),
    2: ("二星级", "two-star"),
    3: ("三星级", "three-star"),
    4: ("四星级", "four-star"),
    5: ("五星级", "five-star"),
}
"""The province's star titles (the methodology's ``stars:`` block may name them otherwise)."""

VALUES_SHEET = "园区指标"
"""The sheet of a year's figures: 代码, 园区名称, 类型, 所在县, then one column per indicator."""
_FACTS = ("代码", "园区名称", "类型", "所在县")

FIRST_GROUP = 30
"""The province's 第一方阵: the first 30 of the league."""


def star_name(level: int | None) -> str:
    """The title of a star level in the page's language (三星级 / three-star)."""
    zh, en = STAR_NAMES.get(int(level or 0), STAR_NAMES[0])
    return en if lang() == "en" else zh


# -- reading ------------------------------------------------------------------------------


def _own_unit(user: Any) -> Unit | None:
    if role_of(user) != Role.COUNTY:
        return None
    return Unit.objects.filter(pk=unit_id_of(user)).first()


def sees_league(user: Any, year: ParkYear) -> bool:
    """The league page of the year: the whole of it (:func:`can_see_park_year`), or, for a
    county while the year is computed and not yet published, the rows of its own parks."""
    if can_see_park_year(user, year):
        return True
    return year.status == ParkYear.Status.COMPUTED and _own_unit(user) is not None


def require_league(user: Any, year: ParkYear) -> None:
    if not sees_league(user, year):
        raise PermissionDenied(_("The parks' ratings of this year are not published yet."))


def visible_years(user: Any) -> list[ParkYear]:
    """The years whose league the user sees, newest first (drafts: the office only)."""
    years = ParkYear.objects.order_by("-year")
    if is_reviewer(user):
        return list(years)
    return [y for y in years.exclude(status=ParkYear.Status.DRAFT) if sees_league(user, y)]


def league_ratings(user: Any, year: ParkYear) -> QuerySet[ParkRating]:
    """The year's ratings the user sees, by rank: all of them, or a county's own parks while
    the year is computed and not published."""
    require_league(user, year)
    query = year.ratings.select_related("park").order_by("rank", "park__code")
    if can_see_park_year(user, year):
        return query
    unit = _own_unit(user)
    return query.filter(park__county_code=unit.code if unit else "")


def city_prefix() -> str:
    """The platform's city: ``KAOPING_CITY`` (settings) when set, else the first four digits
    most of the platform's units share (焦作: 4108; the province's demo has as many units of
    南阳 as of 焦作)."""
    from django.conf import settings

    if getattr(settings, "KAOPING_CITY", ""):
        return str(settings.KAOPING_CITY)
    counts = Counter(code[:4] for code in Unit.objects.values_list("code", flat=True) if code)
    if not counts:
        return CITY
    most = max(counts.values())
    tied = sorted(p for p, n in counts.items() if n == most)
    return CITY if CITY in tied else tied[0]  # a tie: 焦作, the demo's city, else the first


def city_name(prefix: str) -> str:
    """The city of a four-digit prefix (焦作市), from Henan's divisions; the prefix itself for
    a city they do not know."""
    import csv

    from kaoping.data.bundled import path

    with path("divisions/henan.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["code"].startswith(prefix) and row["parent"]:
                return row["parent"]
    return prefix


@dataclass(frozen=True)
class LeagueSummary:
    """The city's parks in a year's league: how many, in the top 10, 20, 30 (第一方阵), and the
    sentence the city reports ("3家产业集聚区进入全省前20、7家进入第一方阵")."""

    city: str
    parks: int
    top10: int
    top20: int
    top30: int
    stars: dict[int, int]
    sentence: str


def city_summary(ratings: Iterable[ParkRating], prefix: str) -> LeagueSummary:
    """The summary line of the city's parks among ``ratings`` (a year's whole league)."""
    mine = [r for r in ratings if r.park.county_code.startswith(prefix)]
    ranks = [r.rank for r in mine if r.rank is not None]
    top10, top20, top30 = (sum(1 for k in ranks if k <= n) for n in (10, 20, FIRST_GROUP))
    kinds = {r.park.kind for r in mine}
    city = city_name(prefix)
    kind_zh = next(iter(kinds)) if len(kinds) == 1 else "园区"
    if lang() == "en":
        sentence = (
            f"{city}: {top20} of its {len(mine)} parks in the province's top 20, "
            f"{top30} in the first group (the top {FIRST_GROUP})."
        )
    else:  # the city's own words
        sentence = (
            f"{city}{top20}家{kind_zh}进入全省前20、{top30}家进入第一方阵（前{FIRST_GROUP}名）。"
        )
    return LeagueSummary(
        city=city,
        parks=len(mine),
        top10=top10,
        top20=top20,
        top30=top30,
        stars=dict(Counter(int(r.star) for r in mine)),
        sentence=sentence,
    )


def park_history(user: Any, park: Park) -> list[ParkRating]:
    """The park's ratings of every year the user may see it in, oldest first."""
    rows = park.ratings.select_related("year").order_by("year__year")
    return [r for r in rows if can_see_park_year(user, r.year, park)]


def top10_text(count: int) -> str:
    """The source's "7次跻身全省前十" for a count of top-10 finishes."""
    if lang() == "en":
        return f"in the province's top ten {count} times"
    return f"{count}次跻身全省前十"


# -- the registry -------------------------------------------------------------------------


def _parks_frame(parks: Iterable[Park]) -> Any:
    import pandas as pd

    columns = ["code", "name", "name_en", "kind", "county_code", "county_name", "industries",
               "area_km2", "level"]  # fmt: skip
    rows = [{c: getattr(p, c) for c in columns} for p in parks]
    return pd.DataFrame(rows, columns=columns)


def registry_export(*, actor: Any) -> bytes:
    """The registry's sheet (园区名录, xlsx) with the current parks, which
    :func:`kaoping.data.parks.read_parks` reads back; the empty sheet when there is none."""
    require_reviewer(actor)
    from kaoping.data.parks import write_parks_template

    buffer = io.BytesIO()
    parks = list(Park.objects.order_by("code"))
    write_parks_template(buffer, _parks_frame(parks) if parks else None)
    return buffer.getvalue()


def upload_name(name: str | None, default: str) -> str:
    """The name an uploaded file is shown by: its last part (a browser may send
    ``C:\\x\\园区名录.xlsx`` or ``../x.xlsx``), without control characters, at most 120
    characters; ``default`` when nothing is left."""
    text = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if c.isprintable()).strip()
    if text in ("", ".", ".."):
        return default
    if len(text) > 120:
        suffix = Path(text).suffix[:10]
        text = f"{text[: 119 - len(suffix)]}…{suffix}"
    return text


def _read_parks(content: bytes, name: str) -> Any:
    """:func:`kaoping.data.parks.read_parks_bytes` of an upload: its problems name ``name``
    (the uploaded file's name), never a path of the server."""
    from kaoping.data.parks import PARK_COLUMNS, read_parks_bytes

    widths = {c: Park._meta.get_field(c).max_length for c in PARK_COLUMNS if c != "area_km2"}
    return read_parks_bytes(content, name, lengths={c: n for c, n in widths.items() if n})


def registry_upload(*, actor: Any, file: IO[bytes], name: str) -> dict[str, int]:
    """Read an uploaded 园区名录 and import it (:func:`registry_import`), all or nothing.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the city office (checked before the file is read).
    kaoping.errors.InputError
        Every bad cell of the sheet.
    """
    require_reviewer(actor)
    name = upload_name(name, "园区名录.xlsx")
    return registry_import(actor=actor, frame=_read_parks(file.read(), name), name=name)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "" if str(value) in ("<NA>", "nan", "NaT") else str(value)


def _area(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def registry_import(*, actor: Any, frame: Any, name: str = "") -> dict[str, int]:
    """Create or update the parks of a registry frame (as ``read_parks`` returns it) in one
    transaction; parks not in the frame stay (they may have ratings).  Returns how many were
    created, updated and unchanged."""
    require_reviewer(actor)
    created = updated = 0
    with transaction.atomic():
        for record in frame.to_dict("records"):
            values = {
                "name": _text(record.get("name")),
                "name_en": _text(record.get("name_en")),
                "kind": _text(record.get("kind")),
                "county_code": _text(record.get("county_code")),
                "county_name": _text(record.get("county_name")),
                "industries": _text(record.get("industries")),
                "area_km2": _area(record.get("area_km2")),
                "level": _text(record.get("level")),
            }
            park, made = Park.objects.get_or_create(code=_text(record["code"]), defaults=values)
            if made:
                created += 1
            elif any(getattr(park, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(park, key, value)
                park.save()
                updated += 1
        AuditEvent.record(
            AuditEvent.Action.PARKS_IMPORT, actor, file=Path(name).name, rows=len(frame),
            created=created, updated=updated,
        )  # fmt: skip
    return {"created": created, "updated": updated, "unchanged": len(frame) - created - updated}


# -- a year's figures ---------------------------------------------------------------------


def methodology_of(year: ParkYear) -> Any:
    from kaoping.methodology import load

    return load(year.methodology)


def _indicators(methodology: Any) -> list[Any]:
    return list(methodology.scored_indicators)


def indicator_header(indicator: Any) -> str:
    """The column header of an indicator in the year's sheet: 名称（单位）."""
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else str(indicator.name)


def year_open(*, actor: Any, year: int, methodology: str = "park_hqd") -> ParkYear:
    """Start a year's assessment (its figures being collected); the year must be new."""
    require_reviewer(actor)
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(Problem(
            "parks.bad_year", f"年份 {year} 不合理。请填写 4 位年份，如 2024。",
            f"year {year} is not plausible; write a four-digit year such as 2024.", "year",
        ))  # fmt: skip
    elif ParkYear.objects.filter(year=year).exists():
        problems.append(Problem(
            "parks.year_exists", f"{year} 年的园区考核已经存在。",
            f"the parks' assessment of {year} exists already.", "year",
        ))  # fmt: skip
    if problems:
        raise InputError(problems)
    return ParkYear.objects.create(year=year, methodology=methodology)


def values_template(*, actor: Any, year: ParkYear) -> bytes:
    """The year's sheet of figures: one row per park of the registry, one column per
    indicator of the year's methodology, filled with the figures stored so far; a second
    sheet 指标说明 says what each indicator is."""
    require_reviewer(actor)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kaoping.data._xlsx_write import HEADER_FILL, style_reference

    indicators = _indicators(methodology_of(year))
    stored = {(v.park_id, v.indicator): v.value for v in ParkValue.objects.filter(year=year)}
    book = Workbook()
    sheet = book.active
    sheet.title = VALUES_SHEET
    sheet.append([*_FACTS, *(indicator_header(i) for i in indicators)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for park in Park.objects.order_by("code"):
        facts = [park.code, park.name, park.kind, park.county_name or park.county_code]
        sheet.append([*facts, *(stored.get((park.pk, i.id)) for i in indicators)])
    sheet.freeze_panes = "C2"
    for letter, width in zip("ABCD", (14, 28, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("指标说明")
    notes.append(["指标", "列名", "单位", "方向", "权重", "说明"])
    for i in indicators:
        notes.append([i.id, indicator_header(i), i.unit or "", str(i.direction), i.weight,
                      i.definition or ""])  # fmt: skip
    style_reference(notes, (16, 30, 10, 8, 8, 60), freeze="B2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _headers(indicators: list[Any]) -> dict[str, str]:
    """Header key -> indicator id: its header, its name, English name, id, aliases."""
    from kaoping.data._parse import header_key

    out: dict[str, str] = {}
    for ind in indicators:
        for text in (indicator_header(ind), ind.name, ind.name_en, ind.id, *ind.aliases):
            if text:
                out[header_key(text)] = ind.id
    return out


def _where_year(year: ParkYear, what: str) -> Problem:
    return Problem(
        "parks.published",
        f"{year.year} 年的园区考核结果已经公布，指标数据不能再修改。",
        f"the parks' ratings of {year.year} are published; its figures can no longer change.",
        what,
    )


def read_values(content: bytes, name: str, year: ParkYear) -> dict[tuple[str, str], float | None]:
    """(park code, indicator id) -> value of an uploaded sheet of figures (None: left empty).

    Raises
    ------
    kaoping.errors.InputError
        Every problem by its cell: no 代码 column, a column that is no indicator of the year's
        methodology, a park code not in the registry or twice, a cell that is not a number.
    """
    from kaoping.data._parse import Bad, clean_text, header_key, is_missing, parse_number, show
    from kaoping.data._sheet import grid_from_bytes

    name = upload_name(name, "园区指标.xlsx")
    grid = grid_from_bytes(content, name, VALUES_SHEET if content[:2] == b"PK" else None)
    indicators = _indicators(methodology_of(year))
    known = _headers(indicators)
    first, header = grid.rows[0]
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    code_column = None
    first_at: dict[str, int] = {}  # indicator id (or 代码) -> its first column
    for index, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        key = header_key(text)
        role = "代码" if key == header_key("代码") else known.get(key)
        if role is not None and role in first_at:
            problems.append(Problem(
                "parks.duplicate_column",
                f"列 “{text}” 与 {grid.where(first, first_at[role] + 1)} 是同一列（重复）。"
                "请删除其中一列。",
                f"column “{text}” repeats the column at {grid.where(first, first_at[role] + 1)}; "
                "delete one of them.",
                grid.where(first, index + 1),
            ))  # fmt: skip
            continue
        if role is not None:
            first_at[role] = index
        if role == "代码":
            code_column = index
        elif role is not None:
            columns[index] = role
        elif key not in {header_key(f) for f in _FACTS}:
            problems.append(Problem(
                "parks.unknown_column",
                f"列 “{text}” 不是 {year.methodology} 的指标。"
                "请使用下载的表格的列名，或删除这一列。",
                f"column “{text}” is not an indicator of {year.methodology}; use the headers of "
                "the downloaded sheet, or delete the column.",
                grid.where(first, index + 1),
            ))  # fmt: skip
    if code_column is None:
        problems.append(Problem(
            "parks.no_code_column", "表格第一行没有 “代码” 列。请使用下载的表格。",
            "the sheet's first row has no 代码 (code) column; use the downloaded sheet.",
            grid.where(first, 1),
        ))  # fmt: skip
        raise InputError(problems)
    if not columns:
        problems.append(Problem(
            "parks.no_indicator_column",
            f"表格第一行没有 {year.methodology} 的指标列。请使用下载的表格。",
            f"the sheet's first row has no indicator column of {year.methodology}; use the "
            "downloaded sheet.",
            grid.where(first, len(header) + 1),
        ))  # fmt: skip
    parks = set(Park.objects.values_list("code", flat=True))
    seen: dict[str, str] = {}
    out: dict[tuple[str, str], float | None] = {}
    for row, cells in grid.rows[1:]:
        raw = cells[code_column] if code_column < len(cells) else None
        if all(is_missing(c) or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        code = clean_text(show(raw)) if raw is not None else ""
        where = grid.where(row, code_column + 1)
        if not code:
            problems.append(Problem(
                "parks.missing_code", "园区代码为空。请填写园区名录中的代码。",
                "the park's code is empty; write its code from the registry.", where,
            ))  # fmt: skip
            continue
        if code not in parks:
            problems.append(Problem(
                "parks.unknown_park",
                f"园区代码 {code} 不在园区名录中。请先导入园区名录，或改正代码。",
                f"park code {code} is not in the registry; import the registry first, or "
                "correct the code.",
                where,
            ))  # fmt: skip
            continue
        if code in seen:
            problems.append(Problem(
                "parks.duplicate_park",
                f"园区 {code} 出现了两次（第一次在 {seen[code]}）。每个园区只填一行。",
                f"park {code} appears twice (first at {seen[code]}); give each park one row.",
                where,
            ))  # fmt: skip
            continue
        seen[code] = where
        for index, indicator in columns.items():
            cell = cells[index] if index < len(cells) else None
            if (bad := _unsure(grid, row, index + 1, cell)) is not None:
                problems.append(bad)
                continue
            value = parse_number(cell)
            if isinstance(value, Bad):
                problems.append(Problem("parks.not_a_number", value.zh, value.en,
                                        grid.where(row, index + 1)))  # fmt: skip
                continue
            out[(code, indicator)] = None if math.isnan(value) else float(value) + 0.0  # -0: 0
    if not seen and not problems:
        problems.append(Problem(
            "parks.no_rows", "表格第一行下面没有园区。请填入园区的指标后再上传。",
            "there are no parks below the sheet's first row; fill in the parks' figures, then "
            "upload it.",
            grid.name,
        ))  # fmt: skip
    if problems:
        raise InputError(problems)
    return out


def _unsure(grid: Any, row: int, column: int, cell: Any) -> Problem | None:
    """A figure's cell the sheet does not say plainly: a formula without its saved result (it
    would be read as empty), a number formatted as a percentage (25% holds 0.25: 25 or 0.25
    of a % indicator?)."""
    where = grid.where(row, column)
    if (row, column) in grid.formulas:
        formula = grid.formulas[row, column]
        return Problem(
            "data.formula_without_value",
            f"公式 {formula} 没有保存计算结果（文件可能由程序生成、未经 Excel 计算）。"
            "请在 Excel/WPS 中打开并保存一次，或直接填写数值。",
            f"the formula {formula} has no saved result (the file was probably written by a "
            "program, not computed by Excel); open and save it in Excel or WPS, or enter the "
            "value.",
            where,
        )
    if (row, column) in grid.percent and isinstance(cell, int | float):
        shown = f"{cell * 100:.10g}%"
        return Problem(
            "data.not_a_number",
            f"“{shown}”是百分比格式（实际存的是 {cell!r}），无法确定该按 {cell * 100:.10g} 还是 "
            f"{cell!r} 计。请把单元格格式改为“常规”，按该指标的计量单位填写数字。",
            f"“{shown}” is formatted as a percentage (it holds {cell!r}), so it is ambiguous "
            f"whether {cell * 100:.10g} or {cell!r} is meant; set the cell format to General and "
            "write the number in the indicator's unit.",
            where,
        )
    return None


def values_upload(*, actor: Any, year: ParkYear, file: IO[bytes], name: str) -> dict[str, int]:
    """Store the figures of an uploaded sheet for the year, all or nothing.  A computed year
    goes back to collecting its figures (its ratings are gone until it is computed again);
    a published year's figures are frozen.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the city office (checked before the file is read).
    kaoping.errors.InputError
        Every bad cell (:func:`read_values`); ``parks.published`` for a published year.
    """
    require_reviewer(actor)
    name = upload_name(name, "园区指标.xlsx")
    if year.status == ParkYear.Status.PUBLISHED:
        raise InputError([_where_year(year, name)])
    found = read_values(file.read(), name, year)
    parks = {p.code: p for p in Park.objects.all()}
    stored = 0
    with transaction.atomic():
        year = _locked(year)  # a publish meanwhile wins over the object the caller holds
        if year.status == ParkYear.Status.PUBLISHED:
            raise InputError([_where_year(year, name)])
        for (code, indicator), value in found.items():
            ParkValue.objects.update_or_create(
                year=year, park=parks[code], indicator=indicator, defaults={"value": value}
            )
            stored += 1
        if year.status == ParkYear.Status.COMPUTED:
            year.ratings.all().delete()
            year.status = ParkYear.Status.DRAFT
            year.computed_at = None
            year.save()
        AuditEvent.record(
            AuditEvent.Action.PARK_VALUES, actor, year=year.year, file=Path(name).name,
            parks=len({c for c, _i in found}), values=stored,
        )  # fmt: skip
    return {"parks": len({c for c, _i in found}), "values": stored}


def _locked(year: ParkYear) -> ParkYear:
    """``year`` refreshed from its row, which stays locked until the transaction ends (call it
    inside one): a change meanwhile (a publication) is seen, not overwritten."""
    list(ParkYear.objects.select_for_update().filter(pk=year.pk).values_list("pk"))
    year.refresh_from_db()
    return year


# -- computing and publishing -------------------------------------------------------------


def star_rule(methodology: Any) -> Any:
    """The star rule of the methodology's ``stars:`` block."""
    from kaoping.scoring import stars

    if getattr(methodology, "stars", None) is not None:
        return stars.StarRule.from_methodology(methodology)
    raise InputError([Problem(
        "parks.no_star_rule", f"方法 {methodology.id} 没有 stars: 星级规则。",
        f"methodology {methodology.id} has no stars: block.", methodology.id,
    )])  # fmt: skip


def _previous(year: ParkYear) -> tuple[Any, list[Problem]]:
    """The star levels of the year before (computed or published), or None when there is no
    earlier year; a problem when the year before is still collecting its figures."""
    import pandas as pd

    before = ParkYear.objects.filter(year=year.year - 1).first()
    if before is None:
        return None, []
    if before.status == ParkYear.Status.DRAFT:
        return None, [Problem(
            "parks.previous_not_computed",
            f"请先计算 {before.year} 年：星级的升降以上一年的星级为准（每年最多升一级）。",
            f"compute {before.year} first: a star level moves from the year before's (at most "
            "one step up a year).",
            str(before.year),
        )]  # fmt: skip
    stars = dict(before.ratings.values_list("park__code", "star"))
    return pd.Series(stars, dtype="float64"), []


def rate_year(year: ParkYear) -> Any:
    """The engine's ratings of the year's figures: a frame indexed by park code as
    :func:`kaoping.scoring.stars.rate` returns it, with ``kind_rank`` added."""
    import pandas as pd

    from kaoping.assess import assess
    from kaoping.data.parks import park_units
    from kaoping.scoring import stars

    methodology = methodology_of(year)
    previous, problems = _previous(year)
    rows = list(ParkValue.objects.filter(year=year).values_list("park__code", "indicator", "value"))
    if not rows:
        problems.append(Problem(
            "parks.no_values", f"{year.year} 年还没有园区的指标数据。请先上传指标表。",
            f"{year.year} has no figures of the parks yet; upload the sheet of figures first.",
            str(year.year),
        ))  # fmt: skip
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=["unit", "indicator", "value"]).assign(period=str(year.year))
    from kaoping.data.panel import Panel

    codes = sorted(set(frame["unit"]))
    registry = _parks_frame(Park.objects.filter(code__in=codes).order_by("code"))
    result = assess(methodology, Panel(frame), str(year.year), units=park_units(registry))
    scores = result.table["score"]
    values = frame.pivot(index="unit", columns="indicator", values="value")
    table = stars.rate(scores, values, previous, star_rule(methodology))
    kinds = registry.set_index("code")["kind"].reindex(table.index)
    table["kind_rank"] = table["score"].groupby(kinds).rank(method="min", ascending=False)
    return table


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else int(number)


def year_compute(*, actor: Any, year: ParkYear) -> int:
    """Compute the year's ratings and store them (replacing earlier ones): status computed.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the city office.
    kaoping.errors.InputError
        A published year; no figures; the year before not computed; whatever the engine
        refuses (a missing figure names its park and indicator).
    """
    require_reviewer(actor)
    if year.status == ParkYear.Status.PUBLISHED:
        raise InputError([_where_year(year, str(year.year))])
    table = rate_year(year)
    parks = {p.code: p for p in Park.objects.filter(code__in=list(table.index))}
    with transaction.atomic():
        year = _locked(year)  # a publish meanwhile wins over the object the caller holds
        if year.status == ParkYear.Status.PUBLISHED:
            raise InputError([_where_year(year, str(year.year))])
        year.ratings.all().delete()
        ParkRating.objects.bulk_create(
            ParkRating(
                year=year,
                park=parks[str(code)],
                score=None if math.isnan(float(row["score"])) else float(row["score"]),
                rank=_int(row.get("rank")),
                kind_rank=_int(row.get("kind_rank")),
                eligible=_int(row.get("eligible"), 0) or 0,
                star=_int(row.get("star"), 0) or 0,
                previous=_int(row.get("previous")),
                change=_text(row.get("change")),
                capped=bool(row.get("capped", False)),
                # the engine's gate: True when the score is below it (demoted); the model's
                # field: the park passed it
                gate=not bool(row.get("gate", False)),
                reason_zh=_text(row.get("reason_zh")),
                reason_en=_text(row.get("reason_en")),
            )
            for code, row in table.iterrows()
        )
        year.status = ParkYear.Status.COMPUTED
        year.computed_at = timezone.now()
        year.save()
        AuditEvent.record(AuditEvent.Action.PARKS_COMPUTE, actor, year=year.year,
                          parks=len(table), on=dt.date.today().isoformat())  # fmt: skip
    return len(table)


def year_publish(*, actor: Any, year: ParkYear) -> None:
    """Publish a computed year: its league and the parks' pages for everybody signed in."""
    require_reviewer(actor)
    with transaction.atomic():
        year = _locked(year)  # new figures meanwhile send the year back: no publication
        if year.status != ParkYear.Status.COMPUTED:
            raise InputError([Problem(
                "parks.not_computed", f"{year.year} 年尚未计算（或已公布）。请先计算再公布。",
                f"{year.year} is not computed (or is published already); compute it first.",
                str(year.year),
            )])  # fmt: skip
        year.status = ParkYear.Status.PUBLISHED
        year.published_at = timezone.now()
        year.save()
        AuditEvent.record(AuditEvent.Action.PARKS_PUBLISH, actor, year=year.year,
                          parks=year.ratings.count())  # fmt: skip


def league_export(*, actor: Any, year: ParkYear) -> bytes:
    """The league the user sees as a workbook (园区排名): rank, park, kind, host county,
    score, star level, change, the threshold and the reasons."""
    from openpyxl import Workbook

    from kaoping.data._xlsx_write import style_reference

    book = Workbook()
    sheet = book.active
    sheet.title = "园区排名"
    sheet.append(["排名", "代码", "园区", "类型", "所在县", "得分", "类内排名", "星级", "上年星级",
                  "变化", "过门槛", "说明"])  # fmt: skip
    for r in league_ratings(actor, year):
        sheet.append([
            r.rank, r.park.code, r.park.name, r.park.kind, r.park.county_name or r.park.county_code,
            None if r.score is None else round(r.score, 2), r.kind_rank, STAR_NAMES[r.star][0],
            STAR_NAMES[r.previous][0] if r.previous is not None else "", r.change,
            "是" if r.gate else "否", r.reason_zh,
        ])  # fmt: skip
    style_reference(sheet, (6, 12, 28, 12, 12, 8, 8, 8, 8, 8, 8, 80), freeze="D2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
