"""The exports of a ranking: the command line's workbook, recomputed from the assessment's
frozen inputs, with what the platform knows beside it, the CSV of its ranking sheet, and the
documents of :mod:`kaoping.report` (the 通报 as Word) for the platform's city.

The workbook is :meth:`kaoping.assess.Result.to_excel`'s (the ranking with every dimension's
score, normalised and raw values, weights, the figures not given, notes), written in the
page's language, and then on its ranking sheet: title rows above the table (the period, the
methodology, the status, the publication date, the inputs hash), the rank in the previous
period's published ranking and the change against it beside the rank, the names of units and
tiers in English on an English page, and two decimals shown for every score; its charts
sheet is then made again from that sheet (:func:`kaoping.assess.excel_charts.add_charts`), so
that its formulas point at the table where it now is and its names are the page's.  The CSV has the
same columns as that sheet, the numbers rounded to two decimals, and the title rows as
comment lines (``# …``) above the header.
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.web.lang import lang
from kaoping.web.results.models import Assessment
from kaoping.web.results.pages import period_label, tier_names, unit_names

_LANGUAGE = threading.Lock()
SCORE_FORMAT = "0.00"
CHANGE_FORMAT = '"↑"0;"↓"0;"→"'  # places up, places down, unchanged


@contextmanager
def _engine_language(language: str) -> Iterator[None]:
    """The engine's (process-wide) language set for the duration, one export at a time, and
    then put back as it was (unset included: then ``KAOPING_LANG`` decides again)."""
    from kaoping import errors

    with _LANGUAGE:
        before = errors._language
        errors.set_language(language)
        try:
            yield
        finally:
            errors._language = before


def facts(assessment: Assessment, previous: Assessment | None) -> list[tuple[str, str]]:
    """The title rows: what the export is of, and how to check it."""
    from kaoping.web.results.profile import frozen_methodology

    methodology = frozen_methodology(assessment)
    published = assessment.published_at
    return [
        (_("Period"), assessment.period.code),
        (_("Methodology"), f"{methodology.name} ({methodology.id})"),
        (_("Status"), str(assessment.get_status_display())),
        (_("Published on"), timezone.localdate(published).isoformat() if published else "—"),
        (_("Data fingerprint (SHA-256 of the inputs)"), assessment.inputs_hash),
        (
            _("Rank change against"),
            _("the published ranking of %(period)s")
            % {"period": period_label(previous.period.code)}
            if previous is not None
            else "—",
        ),
    ]


def title(assessment: Assessment) -> str:
    return _("Ranking %(period)s") % {"period": assessment.period.code}


def workbook(assessment: Assessment, previous: Assessment | None) -> Any:
    """The workbook (openpyxl) of ``assessment`` as described above."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from kaoping.assess.excel_charts import add_charts
    from kaoping.web.results.services import result_of

    result = result_of(assessment.inputs)
    with _engine_language(lang()), tempfile.TemporaryDirectory() as folder:
        book = load_workbook(result.to_excel(Path(folder) / "ranking.xlsx"))
        headers = {key: result.header(key) for key in ("unit", "name", "rank", "tier", "score")}
        scores = {headers["score"], *(result.header(d) for d in result.dimension_ids)}
        if "bonus" in result.table.columns:  # an official ranking: its points too
            extra = [c for c in result.table.columns if str(c).startswith("component:")]
            scores |= {result.header(k) for k in ("indicator_points", "bonus", "penalty", *extra)}
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    _english_names(sheet, columns, headers, assessment)
    _rank_change(sheet, columns[headers["rank"]], columns[headers["unit"]], previous)
    columns = {cell.value: cell.column for cell in sheet[1]}
    for heading, column in columns.items():
        if heading in scores:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = SCORE_FORMAT
    rows = facts(assessment, previous)
    sheet.insert_rows(1, len(rows) + 2)
    sheet["A1"] = title(assessment)
    sheet["A1"].font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(rows, start=2):
        sheet.cell(i, 1, label).font = Font(bold=True)
        sheet.cell(i, 2, value)
    sheet.freeze_panes = sheet.cell(len(rows) + 4, 1)  # below the header row
    about = book.worksheets[-1]
    for label, value in rows[2:]:
        about.append([label, value])
    with _engine_language(lang()):  # the charts again, reading the table where it is now
        add_charts(book, result, header_row=len(rows) + 3, tier_names=tier_names(assessment))
    return book


def _english_names(
    sheet: Any, columns: dict[Any, int], headers: dict[str, str], assessment: Assessment
) -> None:
    """On an English page: the units' and tiers' English names in the ranking sheet."""
    if lang() != "en":
        return
    names = unit_names(assessment.results)
    tiers = tier_names(assessment)
    for row in sheet.iter_rows(min_row=2):
        code = row[columns[headers["unit"]] - 1].value
        row[columns[headers["name"]] - 1].value = names.get(str(code), code)
        tier = row[columns[headers["tier"]] - 1]
        tier.value = tiers.get(tier.value, tier.value) if tier.value else tier.value


def _rank_change(sheet: Any, rank: int, unit: int, previous: Assessment | None) -> None:
    """Two columns after the rank: the rank in ``previous`` and the places gained since."""
    from openpyxl.utils import get_column_letter

    before = (
        {r["unit"]: r["rank"] for r in previous.results if r.get("rank") is not None}
        if previous is not None
        else {}
    )
    label = period_label(previous.period.code) if previous is not None else ""
    sheet.insert_cols(rank + 1, 2)
    widths = sheet.column_dimensions
    for column in range(sheet.max_column, rank + 2, -1):  # widths stay with their letters
        width = widths[get_column_letter(column - 2)].width
        widths[get_column_letter(column)].width = width
    for column in (rank + 1, rank + 2):
        widths[get_column_letter(column)].width = 14
    titles = (
        (
            _("Rank in %(period)s") % {"period": label},
            _("Rank change since %(period)s") % {"period": label},
        )
        if previous is not None
        else (_("Previous rank"), _("Rank change"))
    )
    for offset, title in enumerate(titles, start=1):
        header = sheet.cell(1, rank + offset, title)
        source = sheet.cell(1, rank)
        header.font, header.fill = copy(source.font), copy(source.fill)
        header.alignment = copy(source.alignment)
    for row in sheet.iter_rows(min_row=2):
        code, now = str(row[unit - 1].value), row[rank - 1].value
        old = before.get(code)
        row[rank].value = old
        row[rank + 1].value = None if old is None or now is None else old - int(now)
        row[rank + 1].number_format = CHANGE_FORMAT


def _bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(value: Any, number_format: str) -> str:
    """A cell as the CSV writes it: numbers rounded to two decimals, a change with its sign."""
    if value is None:
        return ""
    if number_format == CHANGE_FORMAT:
        return f"{int(value):+d}" if value else "0"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def ranking_csv(book: Any, heading: str, rows: list[tuple[str, str]]) -> bytes:
    """The ranking sheet as CSV (UTF-8 with a BOM, which Excel needs to read it as UTF-8):
    ``heading`` and ``rows`` as comment lines, then the table's header and rows."""
    sheet = book.worksheets[0]
    buffer = io.StringIO()
    buffer.write(f"# {heading}\n")
    for label, value in rows:
        buffer.write(f"# {label}: {value}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    for row in sheet.iter_rows(min_row=len(rows) + 3):
        writer.writerow([_shown(c.value, c.number_format) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def document_inputs(assessment: Assessment, previous: Assessment | None) -> dict[str, Any]:
    """What the 通报 and the report of ``assessment`` are written from: its result, the
    previous period's (an academic ranking's rises and falls are counted against it; an
    official one carries its own), the platform's city, the date (of publication, else of
    computation: the same assessment, the same document), draft while not published, the
    county map's geometry when built, and the page's language."""
    import json

    from django.conf import settings

    from kaoping.web.parks.ratings import city_name, city_prefix
    from kaoping.web.results.services import result_of

    result = result_of(assessment.inputs)
    before = None
    if previous is not None and previous.inputs and not result.methodology.is_official:
        before = result_of(previous.inputs)
    city = city_prefix()
    published = assessment.status == Assessment.Status.PUBLISHED
    moment = assessment.published_at if published and assessment.published_at else None
    moment = moment or assessment.computed_at
    maps = Path(settings.MAPS) / "henan.json"
    geometry = json.loads(maps.read_text(encoding="utf-8")) if maps.is_file() else None
    return {
        "result": result,
        "previous": before,
        "city": city,
        "city_name": city_name(city),
        "lang": lang(),
        "draft": not published,
        "geometry": geometry,
        "date": timezone.localtime(moment).date(),
    }


def parks_state(period: str) -> str:
    """What the notice's parks' sentences depend on: when the year's park ratings were
    published (part of the kept notice's key)."""
    from kaoping.web.parks.models import ParkYear

    found = (
        ParkYear.objects.filter(year=int(period), status=ParkYear.Status.PUBLISHED)
        .values_list("published_at", flat=True)
        .first()
        if period.isdigit() and len(period) == 4
        else None
    )
    return str(found)


def park_sentences(period: str, city: str, city_name: str) -> list[Any]:
    """The parks' sentences of the 通报 (:func:`kaoping.report.briefing.parks_briefing`): from
    the published park ratings of the assessment's year, none for another period or a year
    not published."""
    import pandas as pd

    from kaoping.report.briefing import parks_briefing
    from kaoping.web.parks.models import ParkRating, ParkYear

    if not (period.isdigit() and len(period) == 4):
        return []
    ratings = ParkRating.objects.filter(
        year__year=int(period), year__status=ParkYear.Status.PUBLISHED
    ).select_related("park")
    rows = [
        {"park": r.park.code, "name": r.park.name, "county_code": r.park.county_code,
         "rank": r.rank, "score": r.score}
        for r in ratings
    ]  # fmt: skip
    if not rows:
        return []
    league = pd.DataFrame(rows).set_index("park")
    return parks_briefing(league, city=city, city_name=city_name, lang=lang())  # type: ignore[arg-type]


def notice(assessment: Assessment, previous: Assessment | None) -> bytes:
    """The 通报 as Word (:func:`kaoping.report.word.notice_docx`), 征求意见稿 while the
    ranking is not published, with the parks' sentences where the year's park ratings are
    published."""
    from kaoping.report.word import notice_docx

    given = document_inputs(assessment, previous)
    result = given.pop("result")
    parks = park_sentences(assessment.period.code, given["city"], given["city_name"])
    return notice_docx(result, **given, also=parks)


def report(assessment: Assessment, previous: Assessment | None) -> bytes:
    """The assessment report as PDF (:func:`kaoping.report.pdf.report_pdf`): method, briefing,
    ranking, tiers, categories, charts and the map, and the rank intervals of an academic
    ranking's robustness (the uncertainty analysis again, as frozen with its inputs);
    marked as a draft while the ranking is not published."""
    from kaoping.report.pdf import report_pdf
    from kaoping.web.results.services import uncertainty_of

    given = document_inputs(assessment, previous)
    result = given.pop("result")
    # the rank intervals the pages show, from the same frozen spec (samples, seed)
    return report_pdf(result, **given, uncertainty=uncertainty_of(assessment.inputs))


def card(assessment: Assessment, previous: Assessment | None, unit: str) -> bytes:
    """A county's one-page card as PDF (:func:`kaoping.report.pdf.county_card_pdf`)."""
    from kaoping.report.pdf import county_card_pdf

    given = document_inputs(assessment, previous)
    return county_card_pdf(
        given["result"], unit, previous=given["previous"], lang=given["lang"],
        draft=given["draft"], date=given["date"],
    )  # fmt: skip


def export(assessment: Assessment, previous: Assessment | None, fmt: str) -> bytes:
    """The bytes of the ``xlsx`` workbook, the ``csv`` of its ranking sheet, the ``docx``
    通报 or the ``pdf`` report."""
    if fmt == "docx":
        return notice(assessment, previous)
    if fmt == "pdf":
        return report(assessment, previous)
    book = workbook(assessment, previous)
    if fmt == "xlsx":
        return _bytes(book)
    return ranking_csv(book, title(assessment), facts(assessment, previous))
