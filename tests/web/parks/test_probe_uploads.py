"""The parks' two uploads (``/parks/registry/upload/`` and ``/parks/<year>/values/upload/``)
probed with malformed files through the pages: each answers the years' page with a message
that names the file (and the sheet and cell where there is one), never a 500 and never a path
of the server, and stores nothing (the parks, the figures, the year's status and ratings stay).

Before every probe: the three parks of :data:`tests.web.parks.test_park_import.REGISTRY`, and
2024 computed from stored figures (10 + 5 x the park's row + the indicator's column).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.parks import ratings
from kaoping.web.parks.models import Park, ParkRating, ParkValue, ParkYear

from .test_park_import import REGISTRY, parks

pytestmark = pytest.mark.django_db

HEADERS = ["代码", "名称", "类型", "所在县代码"]


def _book(rows: list[list[Any]], sheet: str, percent: str = "") -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet
    for row in rows:
        page.append(row)
    if percent:
        page[percent].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _bomb(sheet: str) -> bytes:
    """A real workbook whose sheet's XML is padded with 30 MB of spaces (about 30 KB packed)."""
    with zipfile.ZipFile(io.BytesIO(_book([HEADERS], sheet))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part] = parts[part].replace(b"<sheetData>", b"<sheetData>" + b" " * 30_000_000)
    return _zip(parts)


def _figures(header: list[Any], *rows: list[Any], percent: str = "") -> bytes:
    return _book([header, *rows], ratings.VALUES_SHEET, percent)


@pytest.fixture
def state(users: Any) -> dict[str, Any]:
    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024)
    for k, code in enumerate(REGISTRY["code"]):
        for i, indicator in enumerate(ratings._indicators(ratings.methodology_of(year))):
            ParkValue.objects.create(year=year, park=Park.objects.get(code=code),
                                     indicator=indicator.id, value=10.0 + 5 * k + i)  # fmt: skip
    ratings.year_compute(actor=analyst, year=year)
    client = Client()
    client.force_login(analyst)
    return {"analyst": analyst, "year": year, "client": client}


def _snapshot() -> Any:
    return (
        list(Park.objects.order_by("code").values_list()),
        list(ParkValue.objects.order_by("pk").values_list("park__code", "indicator", "value")),
        list(ParkYear.objects.values_list("year", "status")),
        ParkRating.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(state: dict[str, Any], url: str, name: str, content: bytes) -> str:
    before = _snapshot()
    response = state["client"].post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert _snapshot() == before
    for server in ("/tmp", tempfile.gettempdir(), str(Path(ratings.__file__).parents[3]),
                   "Traceback"):  # fmt: skip
        assert server not in html
    return html


def _problems(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r"<li class=\"error\">(.*?)</li>", html, flags=re.S)]


REGISTRY_CASES = {
    "empty": ("园区名录.xlsx", b" \n", "园区名录.xlsx"),
    "text named .xlsx": ("园区名录.xlsx", b"not a workbook", "园区名录.xlsx"),
    "old .xls": ("园区名录.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 500, "园区名录.xlsx"),
    "zip, no workbook": ("园区名录.xlsx", _zip({"a.txt": b"x"}), "园区名录.xlsx"),
    "zip bomb": ("园区名录.xlsx", _bomb("园区名录"), "园区名录.xlsx"),
    "no 园区名录 sheet": ("园区名录.xlsx", _book([HEADERS], "Sheet1"), "园区名录.xlsx"),
    "wrong headers": ("园区名录.xlsx", _book([["名字", "县"], ["a", "b"]], "园区名录"),
                      "园区名录.xlsx!园区名录"),
    "the code twice": ("园区名录.xlsx", _book([[*HEADERS, "代码"]], "园区名录"),
                       "园区名录.xlsx!园区名录!E1"),
    "a formula for the code": ("园区名录.xlsx", _book(
        [HEADERS, ["=B2", "新区", "开发区", "410821"]], "园区名录"), "园区名录.xlsx!园区名录!A2"),
    "a date for the area": ("园区名录.xlsx", _book(
        [[*HEADERS, "面积"], ["P9", "新区", "开发区", "410821", dt.date(2024, 1, 1)]], "园区名录"),
        "园区名录.xlsx!园区名录!E2"),
    "a name longer than its column": ("园区名录.xlsx", _book(
        [HEADERS, ["P9", "园" * 201, "开发区", "410821"]], "园区名录"),
        "园区名录.xlsx!园区名录!B2"),
    "industries longer than their column": ("园区名录.xlsx", _book(
        [[*HEADERS, "主导产业"], ["P9", "新区", "开发区", "410821", "、".join(["装备制造"] * 80)]],
        "园区名录"), "园区名录.xlsx!园区名录!E2"),
    "a code longer than its column": ("园区名录.xlsx", _book(
        [HEADERS, ["P" * 41, "新区", "开发区", "410821"]], "园区名录"),
        "园区名录.xlsx!园区名录!A2"),
    "a unix path": ("../../etc/x.xlsx", _book([["名字"]], "园区名录"), "x.xlsx!园区名录"),
    "a windows path": ("C:\\x\\y.xlsx", _book([["名字"]], "园区名录"), "y.xlsx!园区名录"),
    "a long chinese name": ("园" * 120 + ".xlsx", _book([["名字"]], "园区名录"), "园园园园"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REGISTRY_CASES))
def test_a_malformed_registry_is_refused_by_its_file_sheet_and_cell(
    state: dict[str, Any], case: str
) -> None:
    name, content, where = REGISTRY_CASES[case]
    html = _refused(state, "/parks/registry/upload/", name, content)
    assert any(where in p for p in _problems(html)), _problems(html)


def _header(year: ParkYear) -> list[str]:
    return ["代码", *(ratings.indicator_header(i) for i in ratings._indicators(
        ratings.methodology_of(year)))]  # fmt: skip


def _value_cases(year: ParkYear) -> dict[str, tuple[str, bytes, str]]:
    first = _header(year)[:2]
    return {
        "empty": ("指标.xlsx", b"", "指标.xlsx"),  # 0 bytes: refused before it is read
        "text named .xlsx": ("指标.xlsx", b"GIF89a", "指标.xlsx"),
        "zip bomb": ("指标.xlsx", _bomb(ratings.VALUES_SHEET), "指标.xlsx"),
        "no 园区指标 sheet": ("指标.xlsx", _book([first], "Sheet1"), "指标.xlsx"),
        "no 代码 column": ("指标.xlsx", _figures(first[1:], [1]), "指标.xlsx!园区指标!A1"),
        "no indicator column": ("指标.xlsx", _figures(["代码"], ["P1"]), "指标.xlsx!园区指标!B1"),
        "no rows": ("指标.xlsx", _figures(first), "指标.xlsx!园区指标"),
        "an indicator twice": ("指标.xlsx", _figures([*first, first[1]], ["P1", 1, 2]),
                               "指标.xlsx!园区指标!C1"),
        "the code twice": ("指标.xlsx", _figures([*first, "代码"], ["P1", 1, "P2"]),
                           "指标.xlsx!园区指标!C1"),
        "a formula": ("指标.xlsx", _figures(first, ["P1", "=1+1"]), "指标.xlsx!园区指标!B2"),
        "a percentage": ("指标.xlsx", _figures(first, ["P1", 0.25], percent="B2"),
                         "指标.xlsx!园区指标!B2"),
        "a date": ("指标.xlsx", _figures(first, ["P1", dt.date(2024, 3, 1)]),
                   "指标.xlsx!园区指标!B2"),
        "a unix path": ("../../etc/x.xlsx", _figures(first, ["P1", "x"]), "x.xlsx!园区指标!B2"),
        "a windows path": ("C:\\x\\y.xlsx", _figures(first, ["P1", "x"]), "y.xlsx!园区指标!B2"),
    }  # fmt: skip


def test_a_malformed_figures_sheet_is_refused_by_its_file_sheet_and_cell(
    state: dict[str, Any],
) -> None:
    for case, (name, content, where) in _value_cases(state["year"]).items():
        html = _refused(state, "/parks/2024/values/upload/", name, content)
        assert any(where in p for p in _problems(html)), (case, _problems(html))


@pytest.mark.parametrize("name", ["..", ".", "", "a/..", "C:\\", "\x00\x07", "园" * 200 + ".xlsx"])
def test_the_services_take_any_file_name(state: dict[str, Any], name: str) -> None:
    """A service called with whatever name (not only a browser's): the problems name the file
    by a short name of its own, never the server's temporary folder."""
    content = _book([["名字"]], "园区名录")
    with pytest.raises(InputError) as raised:
        ratings.registry_upload(actor=state["analyst"], file=io.BytesIO(content), name=name)
    (where,) = {p.where.split("!")[0] for p in raised.value}
    assert "/" not in where
    assert "\\" not in where
    assert len(where) <= 120
    assert where.endswith(".xlsx")


def test_the_named_file_is_shown_without_its_folders() -> None:
    assert ratings.upload_name("C:\\Users\\x\\园区名录.xlsx", "d.xlsx") == "园区名录.xlsx"
    assert ratings.upload_name("../../etc/x.xlsx", "d.xlsx") == "x.xlsx"
    assert ratings.upload_name("..", "d.xlsx") == "d.xlsx"
    long = ratings.upload_name("园" * 200 + ".xlsx", "d.xlsx")
    assert (len(long), long[-6:]) == (120, "….xlsx")


def test_a_good_sheet_after_the_refusals_still_goes_in(state: dict[str, Any]) -> None:
    """The refusals left nothing locked or half-done: the downloaded sheet uploads."""
    content = ratings.values_template(actor=state["analyst"], year=state["year"])
    book = load_workbook(io.BytesIO(content))
    book[ratings.VALUES_SHEET]["E2"] = 30
    out = io.BytesIO()
    book.save(out)
    response = state["client"].post(
        "/parks/2024/values/upload/", {"file": SimpleUploadedFile("指标.xlsx", out.getvalue())}
    )
    assert response.status_code == 302
    assert ParkValue.objects.get(park__code="P1", indicator="lead_investment_growth").value == 30
