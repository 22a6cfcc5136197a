"""The xlsx template: downloaded pre-filled with the county's unit, uploaded back filled; a bad
cell is named by its address and nothing is saved; a file for another unit is refused."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from kaoping.web.collection.models import Period, Submission, Value


def _template(client: Any) -> Any:
    response = client.get("/collect/2024/template.xlsx?layout=wide")  # one row per unit
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="410821-2024-wide.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def _upload(client: Any, workbook: Any, version: int = 0, name: str = "修武县.xlsx") -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return client.post("/collect/2024/upload/", {"version": str(version), "file": buffer})


def _column(sheet: Any, header: str) -> int:
    return next(c.column for c in sheet[2] if c.value == header)


def test_the_template_comes_pre_filled_with_the_unit_and_chinese_headers(
    client_for: Any, periods: dict[str, Period]
) -> None:
    sheet = _template(client_for("county-410821"))["填报表"]
    assert [c.value for c in sheet[2]][:4] == ["代码", "名称", "年份", "地区生产总值（亿元）"]
    assert [c.value for c in sheet[3]][:3] == ["410821", "修武县", "2024"]


def test_a_filled_template_is_saved(client_for: Any, periods: dict[str, Period]) -> None:
    client = client_for("county-410821")
    workbook = _template(client)
    sheet = workbook["填报表"]
    sheet.cell(3, _column(sheet, "地区生产总值（亿元）"), 215.3)
    sheet.cell(3, _column(sheet, "常住人口城镇化率（%）"), "56.2")
    assert _upload(client, workbook).status_code == 302
    saved = dict(Value.objects.values_list("indicator", "value"))
    assert saved["gdp"] == 215.3
    assert saved["urbanization"] == 56.2


def test_a_bad_cell_is_named_by_its_address_and_nothing_is_saved(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    workbook = _template(client)
    sheet = workbook["填报表"]
    column = _column(sheet, "地区生产总值（亿元）")
    sheet.cell(3, column, "二百")
    page = _upload(client, workbook)
    assert page.status_code == 200  # the form again, with the problems
    letter = sheet.cell(3, column).column_letter
    assert f"修武县.xlsx!填报表!{letter}3" in page.content.decode()
    assert not Value.objects.exists()
    assert Submission.objects.get().version == 0


def test_a_file_for_another_unit_is_refused(client_for: Any, periods: dict[str, Period]) -> None:
    client = client_for("county-410821")
    workbook = _template(client)
    workbook["填报表"]["A3"] = "410822"
    workbook["填报表"]["B3"] = "博爱县"
    page = _upload(client, workbook)
    assert page.status_code == 200  # the form again, with the problems
    assert "410822" in page.content.decode()
    assert not Value.objects.exists()


def test_only_the_county_downloads_and_uploads_its_template(
    client_for: Any, periods: dict[str, Period]
) -> None:
    assert client_for("analyst").get("/collect/2024/template.xlsx").status_code == 403
    assert client_for("viewer").post("/collect/2024/upload/", {}).status_code == 403
