"""The 通报 as Word: re-read with python-docx, checked against GB/T 9704-2012 (§5: A4, margins
37/35/28/26 mm, title 2号小标宋 22 pt, body 3号仿宋 16 pt, 22 lines of 28 characters, page
numbers 4号 宋体 ``— n —`` right on odd and left on even pages) and against the result table."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache

import docx
import pytest
from docx.oxml.ns import qn
from tests.report.test_briefing_demo import academic, official

from kaoping.report import briefing
from kaoping.report.word import FONTS, notice_docx

DATE = dt.date(2025, 3, 1)


@cache
def notice(kind: str, lang: str = "zh", draft: bool = False) -> bytes:
    result = official("2024") if kind == "official" else academic("2024")
    previous = academic("2023") if kind == "academic" else None
    return notice_docx(
        result,
        city="4108",
        city_name="焦作市",
        previous=previous,
        lang=lang,  # type: ignore[arg-type]
        issuer="焦作市发展和改革委员会",
        date=DATE,
        draft=draft,
    )


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_the_page_is_a4_with_the_standards_margins_and_a_grid_of_22_lines() -> None:
    d = read(notice("official"))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)  # in twips
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)
    grid = s._sectPr.find(qn("w:docGrid"))
    # 225 mm of text height / 22 lines, in twentieths of a point
    assert int(grid.get(qn("w:linePitch"))) == round(225 / 25.4 * 72 / 22 * 20)


def test_body_and_title_fonts_and_sizes() -> None:
    d = read(notice("official"))
    body = d.styles["kaoping 正文"]
    title = d.styles["kaoping 标题"]
    fonts = body.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == FONTS.body == "仿宋_GB2312"
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.font.size.pt == 22
    assert body.font.size.pt == 16
    assert d.styles["kaoping 一级标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    # 28 characters of 16 pt, condensed by the body's spacing, fit the 156 mm line; 29 do not
    spacing = int(d.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    line = 156 / 25.4 * 72
    assert 28 * (16 + spacing) <= line < 29 * (16 + spacing)


def test_every_named_font_has_a_noto_fallback_in_the_font_table() -> None:
    with zipfile.ZipFile(io.BytesIO(notice("official"))) as z:
        table = z.read("word/fontTable.xml").decode()
    for name, alt in FONTS.fallbacks().items():
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in table


def test_page_numbers_odd_right_even_left_in_song_14pt() -> None:
    d = read(notice("official"))
    assert d.settings.odd_and_even_pages_header_footer
    s = d.sections[0]
    for footer, align in ((s.footer, 2), (s.even_page_footer, 0)):  # RIGHT, LEFT
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text.startswith("— ")
        assert p.text.endswith(" —")
        assert "PAGE" in p._p.xml
        assert all(r.font.size.pt == 14 for r in p.runs)


def test_the_text_is_the_briefing_and_the_tables_are_the_result() -> None:
    result = official("2024")
    d = read(notice("official"))
    text = "".join(p.text for p in d.paragraphs)
    for s in briefing(result, city="4108", city_name="焦作市").sentences:
        assert s.text in text
    city_table, full = d.tables
    table = result.table[result.table["rank"].notna()].sort_values("rank")
    rows = [[c.text for c in r.cells] for r in full.rows[1:]]
    assert [r[1] for r in rows] == list(table["name"])
    assert [float(r[4]) for r in rows] == [round(v, 2) for v in table["score"]]
    mine = table[[c.startswith("4108") for c in table.index]]
    assert [c.cells[1].text for c in city_table.rows[1:]] == list(mine["name"])
    # the header row repeats on every page
    assert full.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "2025年3月1日" in text
    assert "焦作市发展和改革委员会" in text
    assert len(d.inline_shapes) == 2  # tiers, top 30 (no map without geometry)


def test_draft_is_marked_and_english_has_english_headings() -> None:
    assert read(notice("official", draft=True)).paragraphs[0].text == "征求意见稿"
    assert read(notice("official")).paragraphs[0].text != "征求意见稿"
    english = "".join(p.text for p in read(notice("academic", "en")).paragraphs)
    assert "Notice on the results of the 2024" in english
    assert "Overall" in english


@pytest.mark.parametrize("kind", ["academic", "official"])
def test_the_same_inputs_give_the_same_bytes(kind: str) -> None:
    result = official("2024") if kind == "official" else academic("2024")
    again = notice_docx(
        result,
        city="4108",
        city_name="焦作市",
        previous=academic("2023") if kind == "academic" else None,
        issuer="焦作市发展和改革委员会",
        date=DATE,
    )
    assert again == notice(kind)
