"""Helpers of the items' tests: real small evidence files (a PDF, a PNG, a DOCX, an XLSX, built
here byte by byte or by openpyxl) and bad ones, as uploads; the files under the media root; an
item proposed through the service; ``mini``, an official period small enough to compute by
hand."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.web.collection.models import Period
from kaoping.web.official import items


def pdf(text: str = "evidence") -> bytes:
    """A one-page PDF 1.4 that says ``text`` (ASCII): the demo's stand-in document."""
    from kaoping.web.results.management.commands.demo import stand_in_pdf

    return stand_in_pdf(text)


def png() -> bytes:
    """A 2 x 1 PNG (one red, one white pixel), chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"\x00\xc9\x2a\x2a\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>关于通报批评的决定（测试）</w:t></w:r></w:p></w:body></w:document>"
)


def docx(*, parts_first: int = 0) -> bytes:
    """A minimal Word document ([Content_Types].xml, _rels/.rels, word/document.xml), as Word
    orders its parts; ``parts_first`` custom XML parts before the main one (so that the
    word/ part is not among the first entries a quick reader looks at)."""
    buffer = io.BytesIO()

    def entry(name: str) -> zipfile.ZipInfo:  # a fixed time: the same document, the same bytes
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("[Content_Types].xml"), _TYPES)
        archive.writestr(entry("_rels/.rels"), _RELS)
        for i in range(parts_first):
            archive.writestr(entry(f"customXml/item{i + 1}.xml"), "<x/>")
        archive.writestr(entry("word/document.xml"), _DOCUMENT)
    return buffer.getvalue()


def xlsx() -> bytes:
    """An Excel workbook (openpyxl's), one cell."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "通报名单"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def exe() -> bytes:
    """The start of a Windows program (MZ header, PE signature)."""
    return b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    """An uploaded file as Django hands it to a view (the browser's content type as given)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored() -> list[Path]:
    """Every file under the media root's evidence folder."""
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def propose(actor: Any, period: Any, **kwargs: Any) -> Any:
    """An item through the service: 修武县, criticised, its default points, a PDF."""
    given: dict[str, Any] = {
        "unit": "410821",
        "rule": "criticised",
        "points": "",
        "reason": "未按期完成整改，被省政府通报批评",
        "document": "豫政办〔2024〕12号",
        "date": "2024-06-30",
        "files": [upload("通报.pdf", pdf())],
    }
    given.update(kwargs)
    return items.item_propose(actor=actor, period=period, **given)


MINI = """\
id: items_official
name: 加减分测试办法
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: gdp_growth, name: 地区生产总值增速, direction: 正向, unit: "%"}
      - {id: revenue, name: 一般公共预算收入, direction: 正向, unit: 亿元}
official:
  total_points: 100
  compare_within: all
  missing: zero
  scoring:
    gdp_growth: {points: 60, rule: {method: completion, cap: 1.2}}
    revenue: {points: 40, rule: efficacy}
  bonus:
    - {id: demo_county, name: 示范县, points: 2}
  penalty:
    - {id: criticised, name: 通报批评, points: 0.5, cap: 2}
  veto:
    - {id: accident, name: 发生重大安全事故}
"""
A, B, C = "410821", "410822", "410823"
FIGURES = {A: (6.6, 20.0), B: (5.7, 30.0), C: (7.0, 11.0)}
TARGETS = {A: 6.0, B: 6.0, C: 5.0}


@pytest.fixture
def mini(official_users: dict[str, Any], official_units: dict[str, Any]) -> Period:
    """2024 under MINI, every county's figures approved and its gdp_growth target issued."""
    from kaoping.web.collection.models import StoredMethodology, Submission, Unit, Value
    from kaoping.web.official.models import Target

    Unit.objects.update(category="")
    StoredMethodology.objects.create(key="items_official", name="加减分测试办法", text=MINI)
    period = Period.objects.create(code="2024", methodology="items_official", status="closed")
    for code, (growth, revenue) in FIGURES.items():
        unit = official_units[code]
        submission = Submission.objects.create(unit=unit, period=period, status="approved")
        Value.objects.create(submission=submission, indicator="gdp_growth", value=growth)
        Value.objects.create(submission=submission, indicator="revenue", value=revenue)
        Target.objects.create(period=period, unit=unit, indicator="gdp_growth",
                              value=TARGETS[code])  # fmt: skip
    return period
