"""The 通报 as Word (.docx), laid out as a 党政机关公文 (GB/T 9704-2012).

The layout (§5 of the standard):

- A4 (210 x 297 mm); margins top 37 mm (天头), bottom 35 mm, left 28 mm (订口), right 26 mm: a
  text area of 156 x 225 mm;
- the title in 2号小标宋体 (22 pt), centred; the body in 3号仿宋体 (16 pt), 22 lines a page of
  28 characters a line (a document grid of lines and characters: lines 225 mm / 22 = 28.95 pt
  apart, characters 156 mm / 28 = 15.8 pt); headings of the first level in 黑体, of the second
  in 楷体; the page number in 4号半角宋体 (14 pt) as ``— 1 —``, right on odd pages and left on
  even ones, one character in from the text's edge, 7 mm below the text area;
- the attachment (附件) on a new page, ``附件`` in 3号黑体 at the top left.

The fonts are those the standard names as Chinese offices install them (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312); each is declared in the document's font table with the Noto
CJK font of the same style as its ``altName``, the font Word and WPS use where the named one is
not installed (and LibreOffice finds through fontconfig).

The issue that asked for this file says "28 lines of 28 characters"; the standard (§5.2.2)
says 22 lines of 28 characters, which is what is built.

The same inputs give the same file: the package's parts are written in a fixed order with a
fixed timestamp, and the document's dates are the date given.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kaoping.assess.official_result import OfficialResult
from kaoping.assess.result import Result
from kaoping.report.briefing import Briefing, Sentence, briefing
from kaoping.report.tables import Table, ranking_table, tier_label, tier_members

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

__all__ = ["FONTS", "Fonts", "notice_docx"]

Lang = Literal["zh", "en"]
AnyResult = Result | OfficialResult


@dataclass(frozen=True)
class Fonts:
    """The font names the document asks for, and the fallback (``altName``) of each."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"
    subheading: str = "楷体_GB2312"
    number: str = "宋体"
    latin: str = "Times New Roman"

    def fallbacks(self) -> dict[str, str]:
        """Font -> the Noto CJK font that stands in for it."""
        return {
            self.title: "Noto Serif CJK SC",
            self.body: "Noto Serif CJK SC",
            self.heading: "Noto Sans CJK SC",
            self.subheading: "Noto Serif CJK SC",
            self.number: "Noto Serif CJK SC",
        }


FONTS = Fonts()

# GB/T 9704-2012 in the units of Word's XML
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 5号: the ranking's rows (a table's size is not set by the standard)
CELL_MARGIN_PT = 3.6  # left and right in a table's cells
LINES, CHARS = 22, 28
TEXT_MM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"],
           PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"])  # fmt: skip
PT_PER_MM = 72 / 25.4
LINE_PITCH_PT = TEXT_MM[1] * PT_PER_MM / LINES  # 28.95
CHAR_PITCH_PT = TEXT_MM[0] * PT_PER_MM / CHARS  # 15.79
CHAR_SPACING_PT = -0.25  # condensed: 28 x (16 - 0.25) = 441 pt, within the 442.2 pt a line
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip entries' timestamp (the earliest a zip holds)


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _child(parent: Any, tag: str) -> Any:
    """``parent``'s child ``tag``, added first if missing (``w:rPr`` of ``w:rPrDefault``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert(0, found)
    return found


def _set_fonts(rpr_parent: Any, east_asia: str, latin: str, size_pt: float | None = None) -> None:
    """Set a run's, style's or the defaults' fonts (East Asian and Latin) and size, dropping
    theme fonts; every element in the schema's order."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    add = getattr(rpr_parent, "get_or_add_rPr", None)
    rpr = add() if add is not None else _child(rpr_parent, "w:rPr")
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    if size_pt is not None:
        sz = rpr.get_or_add_sz()
        sz.set(qn("w:val"), str(round(size_pt * 2)))
        cs = rpr.find(qn("w:szCs"))
        if cs is None:
            cs = OxmlElement("w:szCs")
            sz.addnext(cs)
        cs.set(qn("w:val"), str(round(size_pt * 2)))


def _style(doc: DocxDocument, name: str, east_asia: str, size: float, **para: Any) -> Any:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    _set_fonts(style.element, east_asia, FONTS.latin, size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.bold = para.pop("bold", False)
    grid = para.pop("grid", True)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    for key, value in para.items():
        setattr(fmt, key, value)
    if not grid:  # laid out by its own size, not the body's grid of 28 characters
        _no_grid(style.element)
    return style


_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
"""The elements of ``w:pPr`` that come after ``w:snapToGrid`` (ECMA-376 §17.3.1.26)."""
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
"""The elements of ``w:rPr`` that come after ``w:spacing`` (ECMA-376 §17.3.2.28)."""


def _no_grid(element: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = element.get_or_add_pPr()
    snap = ppr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        ppr.insert_element_before(snap, *_AFTER_SNAP)
    snap.set(qn("w:val"), "0")


def _defaults(doc: DocxDocument) -> None:
    """The document's default run: the body's fonts and size (the character grid counts its
    pitch from this size)."""
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _set_fonts(rpr_default, FONTS.body, FONTS.latin, BODY_PT)


def _condensed(style: Any, points: float) -> None:
    """Characters of ``style`` set ``points`` closer (negative) or wider apart."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *_AFTER_SPACING)
    spacing.set(qn("w:val"), str(round(points * 20)))


def _page(doc: DocxDocument) -> None:
    """A4, the standard's margins, a grid of 22 lines x 28 characters, odd/even footers."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # the number's line (4号, about 6 mm) ends 7 mm below the text area
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 6)
    grid = section._sectPr.find(qn("w:docGrid"))
    # a grid of lines; the 28 characters a line come from the body's character spacing (a
    # grid of characters is laid out differently by Word and LibreOffice: the latter gives a
    # character wider than the grid's pitch two cells)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _page_number(paragraph: Paragraph, *, odd: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    indent = Pt(NUMBER_PT)  # one character in from the edge of the text
    if odd:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent

    def run(text: str | None = None) -> Any:
        r = paragraph.add_run(text)
        _set_fonts(r._r, FONTS.number, FONTS.number, NUMBER_PT)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        r = run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            r._r.append(text)
    run("1")
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    run(" —")


def _font_table(doc: DocxDocument) -> None:
    """Declare every font used, with its Noto CJK stand-in as ``altName``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FONTS.fallbacks().items():
        if name in known:
            continue
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
        known.add(name)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph(doc: DocxDocument, text: str, style: str, **fmt: Any) -> Paragraph:
    p = doc.add_paragraph(text, style=style)
    for key, value in fmt.items():
        setattr(p.paragraph_format, key, value)
    return p


def _table(doc: DocxDocument, table: Table) -> DocxTable:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    out = doc.add_table(rows=1, cols=len(table.headers))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_PT * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    out._tbl.tblPr.append(margins)
    widths = [Mm(TEXT_MM[0] * w) for w in table.widths]
    for column, width in zip(out.columns, widths, strict=True):
        column.width = width
    header = out.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for cell, text, width in zip(header.cells, table.headers, widths, strict=True):
        cell.width = width
        p = cell.paragraphs[0]
        p.style = doc.styles["kaoping 表格"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(text)
        _set_fonts(r._r, FONTS.heading, FONTS.latin)
    for row, marked in zip(table.rows, table.marked, strict=True):
        cells = out.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = widths[i]
            p = cell.paragraphs[0]
            p.style = doc.styles["kaoping 表格"]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if table.numeric[i] else WD_ALIGN_PARAGRAPH.LEFT
            r = p.add_run(text)
            r.bold = marked
    made: DocxTable = out
    return made


def _sections(b: Briefing) -> list[tuple[str, list[Sentence]]]:
    """The briefing's sentences under the notice's headings, in the briefing's order."""
    groups: dict[str, list[Sentence]] = {
        "overall": [], "movers": [], "awards": [], "dims": [], "parks": [], "projects": [],
    }  # fmt: skip
    for s in b.sentences:
        if s.key.startswith(("parks.", "projects.")):
            groups[s.key.split(".")[0]].append(s)
        elif ".rise" in s.key or ".fall" in s.key:
            groups["movers"].append(s)
        elif s.key == "award":
            groups["awards"].append(s)
        elif s.key.startswith("city.dimension"):
            groups["dims"].append(s)
        else:
            groups["overall"].append(s)
    return [(k, v) for k, v in groups.items() if v]


HEADINGS = {
    "overall": ("总体情况", "Overall"),
    "movers": ("进位情况", "Rises and falls"),
    "awards": ("表彰情况", "Commendations"),
    "dims": ("分项情况", "By dimension"),
    "parks": ("产业集聚区", "Parks"),
    "projects": ("重点项目", "Key projects"),
    "charts": ("图表", "Charts"),
}
NUMERALS = "一二三四五六七八九十"


def _date_text(date: dt.date, lang: Lang) -> str:
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()


def notice_docx(
    result: AnyResult,
    *,
    city: str | None = None,
    city_name: str | None = None,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
    issuer: str | None = None,
    addressees: str | None = None,
    date: dt.date | None = None,
    draft: bool = False,
    charts: bool = True,
    geometry: dict[str, Any] | None = None,
    also: Sequence[Sentence] = (),
) -> bytes:
    """The 通报 of ``result`` as a Word document (the bytes of a .docx).

    Parameters
    ----------
    result, city, city_name, previous, lang
        As for :func:`kaoping.report.briefing`: the sentences of the notice are that briefing's.
    issuer : str, optional
        The issuing office, signed under the text (``焦作市发展和改革委员会``); none if not given.
    addressees : str, optional
        The 主送机关 line; by default the counties and departments of the city (city view) or
        the cities and counties of the province.
    date : datetime.date, optional
        The 成文日期 under the signature, and the document's creation date (default: today).
    draft : bool
        A draft for comment: 「征求意见稿」 at the top right of the first page.
    charts : bool
        Add the charts (tiers; the top of the ranking with the city's counties) as images.
    geometry : dict, optional
        GeoJSON of the units (``properties.adcode``): adds the map of tiers.
    also : sequence of Sentence
        More sentences, each under its heading: the parks'
        (:func:`~kaoping.report.briefing.parks_briefing`) and the key projects'
        (:func:`~kaoping.report.briefing.projects_briefing`).

    Returns
    -------
    bytes
        The .docx.  The same arguments give the same bytes.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    date = date or dt.date.today()
    b = briefing(result, city=city, city_name=city_name, previous=previous, lang=lang)
    b.sentences.extend(also)
    m = result.methodology
    assessment = (m.name_en or m.name) if lang == "en" else m.name
    doc = Document()
    _page(doc)
    _font_table(doc)
    _defaults(doc)
    exact = WD_LINE_SPACING.EXACTLY
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, FONTS.body, FONTS.latin, BODY_PT)
    normal.paragraph_format.line_spacing_rule = exact
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _condensed(normal, CHAR_SPACING_PT)
    body_indent = Pt(BODY_PT * 2)  # two characters
    _style(doc, "kaoping 标题", FONTS.title, TITLE_PT, alignment=WD_ALIGN_PARAGRAPH.CENTER,
           line_spacing_rule=exact, line_spacing=Pt(LINE_PITCH_PT * 1.2), grid=False)  # fmt: skip
    _style(doc, "kaoping 正文", FONTS.body, BODY_PT, first_line_indent=body_indent,
           alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)  # fmt: skip
    _style(doc, "kaoping 一级标题", FONTS.heading, BODY_PT, first_line_indent=body_indent,
           keep_with_next=True)  # fmt: skip
    _style(doc, "kaoping 主送", FONTS.body, BODY_PT)
    _style(doc, "kaoping 表格", FONTS.body, TABLE_PT, line_spacing_rule=WD_LINE_SPACING.SINGLE,
           grid=False)  # fmt: skip
    _style(doc, "kaoping 图题", FONTS.body, NUMBER_PT, alignment=WD_ALIGN_PARAGRAPH.CENTER,
           line_spacing_rule=WD_LINE_SPACING.SINGLE, space_after=Pt(6), grid=False)  # fmt: skip
    _style(doc, "kaoping 署名", FONTS.body, BODY_PT, alignment=WD_ALIGN_PARAGRAPH.RIGHT,
           right_indent=Pt(BODY_PT * 4))  # fmt: skip
    _style(doc, "kaoping 附件标识", FONTS.heading, BODY_PT)
    _style(doc, "kaoping 稿", FONTS.heading, BODY_PT, alignment=WD_ALIGN_PARAGRAPH.RIGHT)

    first = doc.paragraphs[0] if doc.paragraphs else None
    if draft:
        mark = _t(lang, "征求意见稿", "Draft for comment")
        if first is not None:
            first.text = mark
            first.style = doc.styles["kaoping 稿"]
        else:
            _paragraph(doc, mark, "kaoping 稿")
    _paragraph(doc, "", "Normal")
    place = city_name or city
    title = _t(
        lang,
        f"关于{result.period}年度{assessment}结果的通报",
        f"Notice on the results of the {result.period} {assessment}",
    )
    _paragraph(doc, title, "kaoping 标题")
    _paragraph(doc, "", "Normal")
    if addressees is None:
        addressees = (
            _t(
                lang,
                "各县（市）人民政府，市直有关单位：",
                "To the county governments and the city's departments:",
            )
            if city is not None
            else _t(lang, "各省辖市、各县（市）人民政府：", "To the city and county governments:")
        )
    _paragraph(doc, addressees, "kaoping 主送")
    scope = _t(lang, f"{place}", f"{place}") if place else _t(lang, "全省", "the province")
    _paragraph(
        doc,
        _t(
            lang,
            f"{result.period}年度{assessment}工作已经完成，现将{scope}有关结果通报如下。",
            f"The {result.period} {assessment} is complete; its results for {scope} follow.",
        ),
        "kaoping 正文",
    )
    first_tier = m.tiers[0].name if m.tiers else None
    members = tier_members(result, first_tier) if first_tier is not None else []
    n = 0
    for key, sentences in _sections(b):
        zh, en = HEADINGS[key]
        _paragraph(doc, f"{NUMERALS[n]}、{zh}" if lang == "zh" else f"{n + 1}. {en}",
                   "kaoping 一级标题")  # fmt: skip
        n += 1
        joiner = "" if lang == "zh" else " "
        _paragraph(doc, joiner.join(s.text for s in sentences), "kaoping 正文")
        if key == "overall" and members:  # the whole first tier, after the city's facts
            label = tier_label(result, first_tier, lang)
            sep = "、" if lang == "zh" else ", "
            _paragraph(
                doc,
                _t(lang, f"进入“{label}”的县（市）：", f"In the “{label}”: ") + sep.join(members)
                + _t(lang, "。", "."),
                "kaoping 正文",
            )  # fmt: skip
    figures = 0
    if city is not None:
        _paragraph(doc, _t(lang, f"表1  {place}各县（市）排名", f"Table 1. The ranks of {place}"),
                   "kaoping 图题", keep_with_next=True)  # fmt: skip
        _table(doc, ranking_table(result, city=city, only_city=True, previous=previous,
                                  lang=lang))  # fmt: skip
        _paragraph(doc, "", "Normal")
    if charts:
        from kaoping.report import charts as drawn

        zh, en = HEADINGS["charts"]
        _paragraph(doc, f"{NUMERALS[n]}、{zh}" if lang == "zh" else f"{n + 1}. {en}",
                   "kaoping 一级标题")  # fmt: skip
        n += 1
        made = [drawn.tier_chart(result, city=city, city_name=place, lang=lang)]
        made.append(drawn.ranking_chart(result, city=city, top=30, lang=lang))
        if geometry is not None:
            made.append(drawn.map_chart(result, geometry, city=city, lang=lang))
        for chart in made:
            figures += 1
            picture = doc.add_paragraph(style="kaoping 图题")
            picture.paragraph_format.keep_with_next = True
            width_mm = 150 if chart.figure.get_figheight() < 8 else 120
            picture.add_run().add_picture(io.BytesIO(chart.png(dpi=200)), width=Mm(width_mm))
            _paragraph(doc, _t(lang, f"图{figures}  {chart.title}",
                               f"Figure {figures}. {chart.title}"), "kaoping 图题")  # fmt: skip
            chart.figure.clear()
    attachment = _t(
        lang,
        f"{result.period}年度{assessment}排名",
        f"The {result.period} {assessment}: the ranking",
    )
    _paragraph(doc, "", "Normal")
    _paragraph(doc, _t(lang, f"附件：{attachment}", f"Attachment: {attachment}"), "kaoping 正文")
    _paragraph(doc, "", "Normal")
    if issuer:
        _paragraph(doc, issuer, "kaoping 署名", keep_with_next=True)
    _paragraph(doc, _date_text(date, lang), "kaoping 署名")
    # the attachment, on a new page
    brk = doc.add_paragraph(style="Normal")
    brk.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, _t(lang, "附件", "Attachment"), "kaoping 附件标识")
    _paragraph(doc, "", "Normal")
    _paragraph(doc, attachment, "kaoping 标题")
    _paragraph(doc, "", "Normal")
    _table(doc, ranking_table(result, city=city, previous=previous, lang=lang))
    props = doc.core_properties
    moment = dt.datetime(date.year, date.month, date.day)
    props.created = props.modified = moment
    props.last_printed = moment
    props.author = props.last_modified_by = issuer or "kaoping"
    props.title = title
    props.revision = 1
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The package again, every entry with the same timestamp (the same document, the same
    bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
