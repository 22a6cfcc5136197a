"""The xlsx template: downloaded pre-filled with the county's unit, uploaded back filled; a bad
cell is named by its address and nothing is saved; a file for another unit is refused; a
damaged workbook (a part that does not decompress or is not XML, a damaged cell, a zip bomb)
gets the form again naming its part or cell, never a 500."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from kaoping.web.collection.models import Period, Submission, Value

from ..data.xlsxkit import corrupt, workbook  # noqa: TID252 (the tests' own helper)


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


# -- damaged workbooks: the form again naming what to fix, never a 500, nothing saved ---------


def _rows(client: Any) -> list[list[object]]:
    return [list(row) for row in _template(client)["填报表"].iter_rows(values_only=True)]


def _rebuilt(client: Any, **damage: Any) -> bytes:
    """The county's template rebuilt part by part (xlsxkit), with the damage asked for."""
    return workbook(_rows(client), sheet_name="填报表", **damage)


def _replaced(content: bytes, member: str, text: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = text.encode() if info.filename == member else source.read(info)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def _post_bytes(client: Any, content: bytes, name: str = "修武县.xlsx") -> Any:
    buffer = io.BytesIO(content)
    buffer.name = name
    return client.post("/collect/2024/upload/", {"version": "0", "file": buffer})


def _template_bytes(client: Any) -> bytes:
    response = client.get("/collect/2024/template.xlsx")
    assert response.status_code == 200
    return bytes(response.content)


SHEET = "xl/worksheets/sheet1.xml"
CASES: dict[str, tuple[Any, str]] = {
    "truncated": (lambda c: _template_bytes(c)[:400], "修武县.xlsx"),
    "member does not decompress": (lambda c: corrupt(_template_bytes(c), SHEET), SHEET),
    "sheet XML cut off": (lambda c: _replaced(_template_bytes(c), SHEET, "<worksheet><sh"), SHEET),
    "styles XML broken": (
        lambda c: _replaced(_template_bytes(c), "xl/styles.xml", "<styleSheet"),
        "xl/styles.xml",
    ),
    "shared string past the end": (
        lambda c: _rebuilt(c, shared=True, cells={"A3": '<c r="A3" t="s"><v>999</v></c>'}),
        "修武县.xlsx!填报表!A3",
    ),
    "number holding text": (
        lambda c: _rebuilt(c, cells={"D3": '<c r="D3" t="n"><v>abc</v></c>'}),
        "修武县.xlsx!填报表!D3",
    ),
    "logical value 7": (
        lambda c: _rebuilt(c, cells={"D3": '<c r="D3" t="b"><v>7</v></c>'}),
        "修武县.xlsx!填报表!D3",
    ),
    "date that is none": (
        lambda c: _rebuilt(c, cells={"D3": '<c r="D3" t="d"><v>garbage</v></c>'}),
        "修武县.xlsx!填报表!D3",
    ),
    "row beyond Excel": (
        lambda c: _rebuilt(c, extra_rows='<row r="2000000000"><c><v>1</v></c></row>'),
        "2000000000",
    ),
    "zip bomb": (
        lambda c: _replaced(
            _template_bytes(c), SHEET, "<worksheet><sheetData>" + " " * 30_000_000 + "</sheetData>"
        ),
        SHEET,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_workbook_gets_the_form_naming_the_problem_and_nothing_is_saved(
    client_for: Any, periods: dict[str, Period], case: str
) -> None:
    client = client_for("county-410821")
    build, shown = CASES[case]
    page = _post_bytes(client, build(client))
    assert page.status_code == 200  # the form again, with the problems
    text = page.content.decode()
    assert shown in text
    assert "/tmp" not in text  # an uploaded file never names a server path
    assert not Value.objects.exists()
    assert Submission.objects.get().version == 0


def test_the_rebuilt_template_uploads_like_the_template(
    client_for: Any, periods: dict[str, Period]
) -> None:
    """The builder's undamaged workbook is saved: the damaged cases differ by their damage."""
    client = client_for("county-410821")
    rows = _rows(client)
    rows[2][3] = 215.3
    assert _post_bytes(client, workbook(rows, sheet_name="填报表")).status_code == 302
    assert dict(Value.objects.values_list("indicator", "value"))["gdp"] == 215.3


def _upload_bytes(client: Any, content: bytes, name: str) -> Any:
    buffer = io.BytesIO(content)
    buffer.name = name
    return client.post("/collect/2024/upload/", {"version": "0", "file": buffer})


def test_a_countys_own_sheet_by_name_without_a_period_column_is_saved(
    client_for: Any, periods: dict[str, Period]
) -> None:
    """What a county office keeps: its name (县（市）), the indicators by name, no code and
    no year; the unit is matched by its name and the period is the form's."""
    client = client_for("county-410821")
    text = "县（市）,地区生产总值（亿元）,常住人口城镇化率（%）\n修武县,215.3,56.2\n"
    assert _upload_bytes(client, text.encode("utf-8"), "本县数据.csv").status_code == 302
    saved = dict(Value.objects.values_list("indicator", "value"))
    assert saved["gdp"] == 215.3
    assert saved["urbanization"] == 56.2


def test_a_sheet_naming_another_county_is_refused_naming_it(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    text = "县（市）,地区生产总值（亿元）\n博爱县,215.3\n"
    page = _upload_bytes(client, text.encode("utf-8"), "数据.csv")
    assert page.status_code == 200  # the form again, with the problem
    said = page.content.decode()
    assert "数据.csv!A2" in said  # the cell of the name
    assert "博爱县" in said
    assert not Value.objects.exists()
