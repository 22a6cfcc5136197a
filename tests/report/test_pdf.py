"""The report and the county card as PDF, read back with poppler (pdftotext, pdffonts,
pdftoppm) and pypdf: A4 pages, an embedded Noto CJK font, every briefing sentence and the
ranking's rows as the result table has them, the draft's mark only on a draft, English in
English, one page per card, the same bytes for the same inputs, and nothing fetched from
anywhere but the templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import re
import subprocess
import tempfile
import warnings
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from tests.report.test_briefing_demo import CJK, academic, official

from kaoping.analysis.margins import Margin, margins
from kaoping.analysis.uncertainty import UncertaintyResult, uncertainty
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import KaopingWarning
from kaoping.methodology import load
from kaoping.report import briefing
from kaoping.report.pdf import TEMPLATES, _pdf, county_card_pdf, default_date, report_pdf
from kaoping.report.tables import ranking_table

MAPS = Path(__file__).parents[2] / "node_modules" / ".kaoping-maps" / "henan.json"
A4 = (595.28, 841.89)  # points
TITLE = "Henan's counties in 2024: the official assessment"
DATE = dt.date(2025, 3, 1)


# --- the documents, each made once ---------------------------------------------------------


@cache
def robustness() -> UncertaintyResult:
    m = load("county_hqd")
    units = henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return uncertainty(m, demo_panel(m.name_to_id(), units), "2024", units=units, n=200,
                           rng=7)  # fmt: skip


@cache
def margin() -> Margin:
    """辉县市 (31st, the first of the second tier): what it takes to reach the first."""
    m = load("county_hqd")
    units = henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return margins(m, demo_panel(m.name_to_id(), units), "410782", "2024", goal="tier",
                       units=units, indicators=["rd_intensity"])  # fmt: skip


@cache
def geometry() -> dict[str, object]:
    data: dict[str, object] = json.loads(MAPS.read_text(encoding="utf-8"))
    return data


LOGGED: list[logging.LogRecord] = []
"""What WeasyPrint logged while the documents below were made (a CSS rule it ignored, a
resource it could not load …)."""


class _Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        LOGGED.append(record)


def _logged() -> logging.Handler:
    handler = _Keep(logging.WARNING)
    logging.getLogger("weasyprint").addHandler(handler)
    return handler


def report(kind: str, lang: str = "zh") -> bytes:
    """academic: Jiaozuo's view with the previous year, robustness and margins (and in
    Chinese the map); official: Jiaozuo's view in Chinese as a draft, the province's in
    English with a title and a date of its own."""
    return _made(kind, lang)


@cache
def _made(kind: str, lang: str) -> bytes:
    handler = _logged()
    try:
        return _report(kind, lang)
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)


def _report(kind: str, lang: str) -> bytes:
    if kind == "academic":
        return report_pdf(
            academic("2024"),
            city="4108",
            city_name="焦作市" if lang == "zh" else "Jiaozuo",
            previous=academic("2023"),
            lang=lang,  # type: ignore[arg-type]
            geometry=geometry() if lang == "zh" else None,
            uncertainty=robustness(),
            margins=[margin()],
        )
    if lang == "zh":
        return report_pdf(official("2024"), city="4108", city_name="焦作市", draft=True)
    return report_pdf(official("2024"), lang="en", title=TITLE, date=DATE)


def card(kind: str, unit: str, lang: str = "zh", draft: bool = False) -> bytes:
    return _card(kind, unit, lang, draft)


@cache
def _card(kind: str, unit: str, lang: str, draft: bool) -> bytes:
    result = official("2024") if kind == "official" else academic("2024")
    previous = academic("2023") if kind == "academic" else None
    handler = _logged()
    try:
        return county_card_pdf(result, unit, previous=previous, lang=lang, draft=draft)  # type: ignore[arg-type]
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)


# --- reading them back ---------------------------------------------------------------------


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext"
                             else [tool, *args, str(path)],
                             capture_output=True, check=True, text=True)  # fmt: skip
    return out.stdout


@cache
def text(pdf: bytes) -> str:
    return poppler("pdftotext", pdf)


@cache
def layout(pdf: bytes) -> str:
    """The text with each line as it is on the page (a table's row on one line)."""
    return poppler("pdftotext", pdf, "-layout")


def squeezed(s: str) -> str:
    return re.sub(r"\s+", "", s)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def png_pages(pdf: bytes, dpi: int) -> list[bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(Path(folder) / "p")],
                       check=True)  # fmt: skip
        return [p.read_bytes() for p in sorted(Path(folder).glob("p-*.png"))]


# --- the report ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "lang"), [("academic", "zh"), ("official", "zh"),
                                            ("academic", "en"), ("official", "en")])  # fmt: skip
def test_the_report_is_a4_pages_that_render(kind: str, lang: str) -> None:
    pdf = report(kind, lang)
    reader = PdfReader(io.BytesIO(pdf))
    assert 8 <= len(reader.pages) <= 30
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    pngs = png_pages(pdf, 50)
    assert len(pngs) == len(reader.pages)
    assert all(p.startswith(b"\x89PNG") for p in pngs)
    # the page numbers count every page
    n = len(reader.pages)
    words = squeezed(text(pdf))
    assert (f"第2页/共{n}页" if lang == "zh" else f"Page2of{n}") in words
    assert (f"第{n}页/共{n}页" if lang == "zh" else f"Page{n}of{n}") in words


@pytest.mark.parametrize("kind", ["academic", "official"])
def test_the_chinese_report_embeds_the_noto_cjk_fonts(kind: str) -> None:
    listed = poppler("pdffonts", report(kind)).splitlines()[2:]
    cjk = [line for line in listed if re.search(r"Noto-?(Sans|Serif)-?CJK", line)]
    assert any("Serif" in line for line in cjk)
    assert any("Sans" in line for line in cjk)
    for line in cjk:
        embedded, subset, unicode = line.split()[-5:-2]
        assert (embedded, subset, unicode) == ("yes", "yes", "yes"), line


@pytest.mark.parametrize(("kind", "lang"), [("academic", "zh"), ("official", "zh"),
                                            ("academic", "en"), ("official", "en")])  # fmt: skip
def test_every_briefing_sentence_is_in_the_report(kind: str, lang: str) -> None:
    result = academic("2024") if kind == "academic" else official("2024")
    city = "4108" if kind == "academic" or lang == "zh" else None
    b = briefing(
        result,
        city=city,
        city_name=("焦作市" if lang == "zh" else "Jiaozuo") if city else None,
        previous=academic("2023") if kind == "academic" else None,
        lang=lang,  # type: ignore[arg-type]
    )
    words = squeezed(text(report(kind, lang)))
    assert b.sentences
    for sentence in b.sentences:
        assert squeezed(sentence.text) in words, sentence.text


@pytest.mark.parametrize(("kind", "lang"), [("academic", "zh"), ("official", "zh"),
                                            ("academic", "en"), ("official", "en")])  # fmt: skip
def test_the_ranking_is_whole_first_to_last(kind: str, lang: str) -> None:
    result = academic("2024") if kind == "academic" else official("2024")
    city = "4108" if kind == "academic" or lang == "zh" else None
    table = ranking_table(
        result,
        city=city,
        previous=academic("2023") if kind == "academic" else None,
        lang=lang,  # type: ignore[arg-type]
    )
    draft = kind == "official" and lang == "zh"
    words = squeezed(layout(report(kind, lang)))
    if draft:  # the watermark's characters fall between a page's lines
        words = re.sub("[征求意见稿]", "", words)
    ranked = result.table[result.table["rank"].notna()].sort_values("rank")
    first, last = table.rows[0], table.rows[-1]
    assert first[1] == ranked["name"].iloc[0]
    assert last[1] == ranked["name"].iloc[-1]
    assert f"{ranked['score'].iloc[0]:.2f}" in first
    assert f"{ranked['score'].iloc[-1]:.2f}" in last
    # every row whole, its cells in order (no column cut off)
    for row in table.rows:
        cells = squeezed("".join(row))
        assert (re.sub("[征求意见稿]", "", cells) if draft else cells) in words, row


def test_the_cover_names_the_methodology_its_fingerprint_and_the_date() -> None:
    result = official("2024")
    words = squeezed(text(report("official")))
    assert result.methodology.fingerprint() in words
    assert squeezed(result.methodology.name) in words
    assert "2025年1月1日" in words  # default_date("2024")
    assert default_date("2024").isoformat() == "2025-01-01"
    info = PdfReader(io.BytesIO(report("official"))).metadata
    assert info is not None
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250101000000Z"
    assert info["/Title"] == "2024年度县域经济高质量发展考核评价（示例）报告"


def test_a_title_and_a_date_given_are_the_covers_and_the_metadatas() -> None:
    pdf = report("official", "en")
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info["/Title"] == TITLE
    assert info["/CreationDate"] == "D:20250301000000Z"
    assert "2025-03-01" in text(pdf)
    assert squeezed(TITLE) in squeezed(text(pdf))


def test_a_draft_is_marked_and_only_a_draft() -> None:
    assert "征求意见稿" in text(report("official"))  # a draft
    assert "征求意见稿" not in text(report("academic"))
    assert "Draft" not in text(report("official", "en"))
    assert "Draft for comment" in text(card("official", "410326", "en", draft=True))


@pytest.mark.parametrize("kind", ["academic", "official"])
def test_english_has_english_headings_and_no_chinese_but_the_datas(kind: str) -> None:
    words = text(report(kind, "en"))
    for heading in ("Contents", "1. Method", "2. Findings", "3. Ranking", "4. Tiers",
                    "Ranking by category", "Methodology fingerprint (SHA-256)"):  # fmt: skip
        assert heading in words
    if kind == "academic":
        assert "6. Robustness" in words
        assert "7. What it takes" in words
    else:
        assert "The scoring table" in words
    result = academic("2024") if kind == "academic" else official("2024")
    m = result.methodology
    names = [*result.table["name"], *result.table["category"].dropna().unique()]
    names += [i.unit for i in m.indicators if i.unit]
    if isinstance(result.table.get("awards"), pd.Series):
        names += [a for found in result.table["awards"].dropna() for a in found.split("、")]
    if m.official is not None:
        spec = m.official
        names += [i.name for i in (*spec.bonus, *spec.penalty, *spec.veto, *spec.gate)]
        names += [a.name for a in spec.awards]
    words = squeezed(words)  # a name wrapped over two lines is whole again
    for name in sorted({squeezed(n) for n in names}, key=len, reverse=True):
        words = words.replace(name, "")
    leftover = CJK.findall(words.replace("“", "").replace("”", ""))
    assert not leftover, "".join(leftover)


def test_the_robustness_and_the_margins_are_the_analyses() -> None:
    words = squeezed(text(report("academic")))
    assert "六、稳健性" in words
    assert "七、提升空间" in words
    u = robustness().table
    first = u.sort_values("nominal_rank").iloc[0]
    assert f"{int(first['p05'])}–{int(first['p95'])}" in words
    mg = margin()
    assert not mg.reached
    assert mg.holder is not None
    holder = academic("2024").table.loc[mg.holder, "name"]
    assert squeezed(f"辉县市距进入第一方阵差{mg.gap:.2f}分（目前由{holder}保持）") in words
    change = mg.changes[0]
    assert change.reachable
    assert f"{change.needed:g}" in words


def test_the_map_is_drawn_when_the_geometry_is_given() -> None:
    with_map = text(report("academic"))
    without = text(report("academic", "en"))
    assert "图3" in with_map
    assert "2024年各方阵分布" in squeezed(with_map)
    assert "Figure 3" not in without


def test_the_same_inputs_give_the_same_bytes() -> None:
    again = report_pdf(official("2024"), city="4108", city_name="焦作市", draft=True)
    assert again == report("official")
    trailer = again[again.rindex(b"/ID") :][:120]
    assert trailer.startswith(b"/ID [")


def test_nothing_is_fetched_but_the_templates_and_data_urls() -> None:
    for url in ("http://example.com/x.png", "https://example.com/x.css", "file:///etc/hosts"):
        with pytest.raises(ValueError, match="reads no URL"):
            _pdf(f'<html><body><img src="{url}"></body></html>')
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
        "BAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    assert _pdf(f'<link rel="stylesheet" href="common.css"><img src="{pixel}">').startswith(b"%PDF")


def test_the_templates_are_package_data() -> None:
    for name in ("report.html", "card.html", "_macros.html", "common.css", "report.css",
                 "card.css"):  # fmt: skip
        assert (TEMPLATES / name).is_file()
    assert TEMPLATES.parent.name == "report"
    assert TEMPLATES.parent.parent.name == "kaoping"


def test_the_analyses_must_be_of_the_result() -> None:
    with pytest.raises(ValueError, match="uncertainty is of county_hqd 2024"):
        report_pdf(academic("2023"), uncertainty=robustness())
    with pytest.raises(ValueError, match="the margin of 410782 is of 2024"):
        report_pdf(academic("2023"), margins=margin())


def test_the_language_is_checked() -> None:
    with pytest.raises(ValueError, match="lang"):
        report_pdf(academic("2024"), lang="fr")  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="999999"):
        county_card_pdf(academic("2024"), "999999")


# --- the county card -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "unit", "lang", "draft"),
    [
        ("academic", "410822", "zh", False),  # 博爱县, first
        ("official", "410222", "zh", True),  # 通许县: two bonus lines
        ("official", "410326", "en", True),  # 汝阳县: vetoed
        ("official", "410183", "zh", False),  # 新密市: an award
    ],
)
def test_a_card_is_one_a4_page_with_the_units_figures(
    kind: str, unit: str, lang: str, draft: bool
) -> None:
    pdf = card(kind, unit, lang, draft)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    assert len(png_pages(pdf, 100)) == 1
    result = official("2024") if kind == "official" else academic("2024")
    row = result.table.loc[unit]
    words = squeezed(text(pdf))
    assert squeezed(str(row["name"])) in words
    assert unit in words
    assert f"{row['score']:.2f}" in words
    assert str(int(row["rank"])) in words
    assert (("征求意见稿" if lang == "zh" else "Draftforcomment") in words) == draft
    for d in result.methodology.dimensions:
        assert squeezed(d.name if lang == "zh" else (d.name_en or d.name)) in words
    assert ("优势维度" if lang == "zh" else "Strongestdimension") in words
    assert ("短板维度" if lang == "zh" else "Weakestdimension") in words
    if isinstance(row.get("awards"), str):
        for award in row["awards"].split("、"):
            assert squeezed(award) in words
    if kind == "official":
        lines = official("2024").lines
        for name in lines.loc[lines["unit"] == unit, "name"]:
            assert squeezed(name) in words
        if isinstance(row["veto"], str):
            assert squeezed(row["veto"]) in words


def test_the_cards_strongest_and_weakest_dimensions_are_its_ranks_among_the_ranked() -> None:
    result = academic("2024")
    ranked = result.table[result.table["rank"].notna()]
    ranks = {d.id: int(pd.to_numeric(ranked[d.id]).rank(ascending=False, method="min")["410822"])
             for d in result.methodology.dimensions}  # fmt: skip
    best = min(ranks, key=lambda k: ranks[k])
    worst = max(ranks, key=lambda k: ranks[k])
    words = squeezed(text(card("academic", "410822")))
    name = {d.id: d.name for d in result.methodology.dimensions}
    assert f"优势维度{name[best]}（第{ranks[best]}位）" in words
    assert f"短板维度{name[worst]}（第{ranks[worst]}位）" in words


def test_an_academic_card_names_the_three_main_obstacles_the_engine_finds() -> None:
    from kaoping.analysis.obstacle import obstacles

    result = academic("2024")
    top = obstacles(result).top(3)
    mine = top[top["unit"] == "410822"]
    names = {i.id: i.name for i in result.methodology.indicators}
    words = squeezed(text(card("academic", "410822")))
    expected = "、".join(
        f"{names[r.indicator]} {100 * r.degree:.1f}%" for r in mine.itertuples(index=False)
    )
    assert len(mine) == 3
    assert squeezed("主要障碍因子" + expected) in words


def test_a_card_stays_one_page_with_many_lines_an_award_and_a_veto() -> None:
    result = official("2024")
    unit = "410183"  # 新密市, awarded
    one = result.lines.iloc[0]
    many = pd.DataFrame([{**one.to_dict(), "unit": unit, "name": f"{one['name']}（第{i}项）"}
                         for i in range(12)])  # fmt: skip
    table = result.table.copy()
    table.loc[unit, "veto"] = (
        "发生较大及以上生产安全事故（较大及以上生产安全事故起数 = 2，超过 0；"
        "示例：一票否决的原因写得长一些）"
    )
    heavy = dataclasses.replace(result, lines=pd.concat([result.lines, many]), table=table)
    for lang in ("zh", "en"):
        pdf = county_card_pdf(heavy, unit, lang=lang, draft=True)  # type: ignore[arg-type]
        assert pages(pdf) == 1
        assert ("另有" if lang == "zh" else "more in the result") in text(pdf)


def test_a_card_is_the_same_bytes_again() -> None:
    again = county_card_pdf(academic("2024"), "410822", previous=academic("2023"))
    assert again == card("academic", "410822")


def test_weasyprint_understood_every_rule_and_loaded_everything() -> None:
    # made here if no test before made them
    for kind, lang in (("academic", "zh"), ("official", "zh")):
        report(kind, lang)
    card("official", "410222", "zh", True)
    assert not LOGGED, [r.getMessage() for r in LOGGED]
