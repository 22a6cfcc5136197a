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

from kaoping.data.parks import write_parks_template
from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.parks import ratings
from kaoping.web.parks.models import Park

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
