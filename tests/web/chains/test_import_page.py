"""The office's workbook page: a workbook uploaded is stored in one go; one with problems is
refused naming each cell, nothing stored; the downloaded workbook uploaded back changes
nothing; the page never names a path of the server."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.chains import make_book
from kaoping.chains.codes import make_uscc
from kaoping.chains.sheets import write_book
from kaoping.web.chains.models import Chain, Enterprise, Node

from .conftest import small_book


def _upload(content: bytes, name: str = "产业链.xlsx") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, content)}


def _bigger() -> bytes:
    """The small chain plus a second chain GL 绿色食品 with one node and one enterprise."""
    book = small_book()
    return write_book(
        make_book(
            chains=[*book.chains.to_dict("records"), {"chain": "GL", "name": "绿色食品"}],
            nodes=[
                *book.nodes.to_dict("records"),
                {"node": "G1", "chain": "GL", "name": "面粉加工", "position": "中游",
                 "industries": "C1312"},
            ],
            edges=book.edges,
            enterprises=[
                *book.enterprises.to_dict("records"),
                {"uscc": make_uscc("410822", 9), "name": "丁面业", "county": "410822",
                 "nodes": "G1", "above_scale": True, "output": 3000.0},
            ],
            targets=book.targets,
        )
    )  # fmt: skip


def test_the_office_uploads_a_workbook_and_it_is_stored(
    chains: SimpleNamespace, client_for: Any
) -> None:
    client = client_for("analyst")
    client.client.cookies["django_language"] = "en"
    page = client.post("/chains/import/", _upload(_bigger()), follow=True)
    assert page.status_code == 200
    assert "The workbook was imported." in page.content.decode()
    assert Chain.objects.filter(code="GL").exists()
    assert Node.objects.get(code="G1").chain.code == "GL"
    assert Enterprise.objects.get(name="丁面业").county.code == "410822"


def test_a_workbook_with_problems_is_refused_by_cell_and_stores_nothing(
    chains: SimpleNamespace, client_for: Any
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_bigger()))
    nodes = book["环节"]
    letter = {c.value: c.column_letter for c in nodes[1]}
    nodes[f"{letter['上级环节编号']}6"] = "G9"  # G1's parent: no such node
    firms = book["企业"]
    firm = {c.value: c.column_letter for c in firms[1]}
    firms[f"{firm['统一社会信用代码']}5"] = make_uscc("410822", 9)[:-1] + "0"  # wrong check
    out = io.BytesIO()
    book.save(out)
    client = client_for("analyst")
    client.client.cookies["django_language"] = "en"
    before = (Chain.objects.count(), Node.objects.count(), Enterprise.objects.count())
    page = client.post("/chains/import/", _upload(out.getvalue(), "/srv/uploads/链.xlsx"))
    text = page.content.decode()
    assert "Nothing was changed" in text
    assert f"链.xlsx!环节!{letter['上级环节编号']}6" in text
    assert f"链.xlsx!企业!{firm['统一社会信用代码']}5" in text
    assert "/srv/uploads" not in text
    assert (Chain.objects.count(), Node.objects.count(), Enterprise.objects.count()) == before


def test_the_downloaded_workbook_uploaded_back_changes_nothing(
    chains: SimpleNamespace, client_for: Any
) -> None:
    client = client_for("analyst")
    download = client.get("/chains/workbook.xlsx")
    assert download.status_code == 200
    content = download.content
    before = {n.code: n.history.count() for n in Node.objects.all()}
    page = client.post("/chains/import/", _upload(content), follow=True)
    assert page.status_code == 200
    assert {n.code: n.history.count() for n in Node.objects.all()} == before
