"""The parks' registry (园区名录) and a year's figures uploaded by the city office: all or
nothing, every problem named by its cell of the uploaded file (its name, never a server path).

The registry here: three parks, 修武县产业集聚区 (P1, in 410821), 博爱县产业集聚区 (P2, in
410822) and 郑州高新区 (P3, in 410102, outside the city).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kaoping.data.parks import write_parks_template
from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.parks import ratings
from kaoping.web.parks.models import Park, ParkValue, ParkYear

pytestmark = pytest.mark.django_db

REGISTRY = pd.DataFrame(
    {
        "code": ["P1", "P2", "P3"],
        "name": ["修武县产业集聚区", "博爱县产业集聚区", "郑州高新区"],
        "name_en": [None, None, None],
        "kind": ["产业集聚区", "产业集聚区", "高新区"],
        "county_code": ["410821", "410822", "410102"],
        "county_name": ["修武县", "博爱县", "中原区"],
        "industries": ["装备制造", "食品", "电子信息"],
        "area_km2": [20.5, 18.0, 99.0],
        "level": ["省级", "省级", "国家级"],
    }
)


def registry_file(frame: pd.DataFrame = REGISTRY, name: str = "园区名录.xlsx") -> Any:
    buffer = io.BytesIO()
    write_parks_template(buffer, frame)
    return SimpleUploadedFile(name, buffer.getvalue())


def parks(analyst: Any) -> dict[str, Park]:
    """The three parks of :data:`REGISTRY`, imported by ``analyst``."""
    ratings.registry_import(actor=analyst, frame=REGISTRY, name="园区名录.xlsx")
    return {p.code: p for p in Park.objects.all()}


def test_a_registry_upload_creates_the_parks_and_records_the_file_name(users: Any) -> None:
    done = ratings.registry_upload(
        actor=users["analyst"], file=registry_file(), name="园区名录.xlsx"
    )
    assert done == {"created": 3, "updated": 0, "unchanged": 0}
    p1 = Park.objects.get(code="P1")
    assert (p1.name, p1.kind, p1.county_code, p1.area_km2) == (
        "修武县产业集聚区", "产业集聚区", "410821", 20.5,
    )  # fmt: skip
    event = AuditEvent.objects.get(action=AuditEvent.Action.PARKS_IMPORT)
    assert event.data["file"] == "园区名录.xlsx"
    # the same sheet again changes nothing; one park renamed is one update
    again = REGISTRY.assign(name=["修武县产业集聚区", "博爱县高新区", "郑州高新区"])
    done = ratings.registry_upload(
        actor=users["analyst"], file=registry_file(again), name="园区名录.xlsx"
    )
    assert done == {"created": 0, "updated": 1, "unchanged": 2}


def test_the_downloaded_registry_reads_back_to_the_stored_parks(users: Any) -> None:
    parks(users["analyst"])
    content = ratings.registry_export(actor=users["analyst"])
    file = SimpleUploadedFile("again.xlsx", content)
    done = ratings.registry_upload(actor=users["analyst"], file=file, name="again.xlsx")
    assert done == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_bad_registry_names_every_bad_cell_by_the_file_name_and_stores_nothing(
    users: Any,
) -> None:
    """Row 3 (P2) has kind 工业园 (not a park type), row 4 (P3) the county code 4101 (not six
    digits): columns D and E of the sheet 园区名录."""
    bad = REGISTRY.assign(kind=["产业集聚区", "工业园", "高新区"],
                          county_code=["410821", "410822", "4101"])  # fmt: skip
    with pytest.raises(InputError) as raised:
        ratings.registry_upload(
            actor=users["analyst"], file=registry_file(bad, "名录.xlsx"), name="名录.xlsx"
        )
    wheres = sorted(p.where or "" for p in raised.value)
    assert wheres == ["名录.xlsx!园区名录!D3", "名录.xlsx!园区名录!E4"]
    assert all("/tmp" not in (p.where or "") + p.zh + p.en for p in raised.value)
    assert Park.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PARKS_IMPORT).exists()


@pytest.mark.parametrize("role", ["viewer", "county-410821"])
def test_only_the_office_imports_the_registry(users: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        ratings.registry_upload(actor=users[role], file=registry_file(), name="园区名录.xlsx")
    assert Park.objects.count() == 0


def _sheet(analyst: Any, year: ParkYear, edit: dict[str, Any], name: str = "指标.xlsx") -> Any:
    """The year's downloaded sheet of figures with ``edit`` (cell address -> value)."""
    book = load_workbook(io.BytesIO(ratings.values_template(actor=analyst, year=year)))
    sheet = book[ratings.VALUES_SHEET]
    for address, value in edit.items():
        sheet[address] = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_the_figures_sheet_has_a_row_per_park_and_a_column_per_indicator(users: Any) -> None:
    """park_hqd: 15 indicators after 代码 园区名称 类型 所在县 -> 19 columns; 3 parks + header."""
    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024)
    sheet = load_workbook(io.BytesIO(ratings.values_template(actor=analyst, year=year)))[
        ratings.VALUES_SHEET
    ]
    assert [c.value for c in sheet[1]][:5] == [
        "代码",
        "园区名称",
        "类型",
        "所在县",
        "主导产业投资增速（%）",
    ]
    assert sheet.max_column == 19
    assert [sheet.cell(r, 1).value for r in range(2, 5)] == ["P1", "P2", "P3"]


def test_an_uploaded_figures_sheet_is_stored_and_audited(users: Any) -> None:
    """E2 = P1's 主导产业投资增速 12.5, F3 = P2's 主导产业增加值增速 8; the rest empty (None)."""
    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024)
    file = _sheet(analyst, year, {"E2": 12.5, "F3": "8"})
    done = ratings.values_upload(actor=analyst, year=year, file=file, name="指标.xlsx")
    assert done == {"parks": 3, "values": 45}
    stored = ParkValue.objects.get(year=year, park__code="P1", indicator="lead_investment_growth")
    assert stored.value == 12.5
    assert ParkValue.objects.get(park__code="P2", indicator="lead_va_growth").value == 8.0
    assert ParkValue.objects.get(park__code="P3", indicator="lead_va_growth").value is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.PARK_VALUES)
    assert (event.data["file"], event.data["year"]) == ("指标.xlsx", 2024)


def test_a_bad_figures_sheet_names_every_bad_cell_and_stores_nothing(users: Any) -> None:
    """E2 is text (not a number), A4 a park not in the registry (P9), A3 P1 twice, and T1 a
    column that is no indicator of park_hqd."""
    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024)
    file = _sheet(analyst, year, {"E2": "十二", "A3": "P1", "A4": "P9", "T1": "GDP"},
                  name="坏表.xlsx")  # fmt: skip
    with pytest.raises(InputError) as raised:
        ratings.values_upload(actor=analyst, year=year, file=file, name="坏表.xlsx")
    found = sorted((p.where, p.code) for p in raised.value)
    assert found == [
        ("坏表.xlsx!园区指标!A3", "parks.duplicate_park"),
        ("坏表.xlsx!园区指标!A4", "parks.unknown_park"),
        ("坏表.xlsx!园区指标!E2", "parks.not_a_number"),
        ("坏表.xlsx!园区指标!T1", "parks.unknown_column"),
    ]
    assert ParkValue.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PARK_VALUES).exists()


def test_a_published_years_figures_are_frozen(users: Any) -> None:
    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024, status=ParkYear.Status.PUBLISHED)
    with pytest.raises(InputError) as raised:
        ratings.values_upload(actor=analyst, year=year, file=_sheet(analyst, year, {}),
                              name="指标.xlsx")  # fmt: skip
    assert [p.code for p in raised.value] == ["parks.published"]


def test_the_upload_page_lists_the_bad_cells(users: Any) -> None:
    from django.test import Client

    analyst = users["analyst"]
    parks(analyst)
    year = ParkYear.objects.create(year=2024)
    client = Client()
    client.force_login(analyst)
    file = _sheet(analyst, year, {"E2": "十二"}, name="坏表.xlsx")
    response = client.post("/parks/2024/values/upload/", {"file": file})
    assert response.status_code == 200
    assert "坏表.xlsx!园区指标!E2" in response.content.decode()
    assert ParkValue.objects.count() == 0
