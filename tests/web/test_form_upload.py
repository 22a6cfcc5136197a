"""The tall form (one indicator per row): downloaded with last period's figures and the rules
as Excel data validation, filled in with figures, reasons for blanks and notes, uploaded back;
every problem named by its cell, beside its row of the page, and nothing saved."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from kaoping.web.collection.models import Period, Submission, Unit, Value

from .workflow import demo_figures


def _form(client: Any) -> Any:
    response = client.get("/collect/2024/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="410821-2024.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet: Any) -> dict[str, int]:
    """Indicator id -> its row in the form."""
    return {
        sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value
    }


def _upload(client: Any, book: Any, version: int = 0) -> Any:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "410821-2024.xlsx"
    return client.post("/collect/2024/upload/", {"version": str(version), "file": buffer})


def test_the_form_lists_every_indicator_with_last_periods_figure_and_its_rules(
    client_for: Any, units: dict[str, Unit], periods: dict[str, Period]
) -> None:
    last = Submission.objects.create(unit=units["410821"], period=periods["2023"])
    Value.objects.create(submission=last, indicator="gdp", value=412.5)
    sheet = _form(client_for("county-410821"))["填报表"]
    assert [c.value for c in sheet[2]][:5] == ["填报单位", "410821", "修武县", "期次", "2024"]
    assert [c.value for c in sheet[3]] == [
        "指标代码", "指标", "计量单位", "上期值", "本期值", "空缺原因", "说明", "口径与合理范围",
    ]  # fmt: skip
    rows = _rows(sheet)
    assert len(rows) == 40
    assert sheet.cell(rows["gdp"], 4).value == 412.5
    assert "须在 0–100% 之间" in sheet.cell(rows["gas_coverage"], 8).value
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    share = rules[f"E{rows['gas_coverage']}"]
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0.0", "100.0")
    count = rules[f"E{rows['hightech_firms']}"]
    assert (count.type, count.formula1) == ("whole", "0")
    reasons = next(dv for dv in rules.values() if dv.type == "list")
    assert reasons.formula1 == '"不详,不适用"'


def test_a_filled_form_saves_figures_reasons_and_notes(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    book = _form(client)
    sheet = book["填报表"]
    figures = demo_figures("410821")
    for ident, row in _rows(sheet).items():
        if ident == "fdi":
            sheet.cell(row, 6, "不适用")
        else:
            sheet.cell(row, 5, figures[ident])
    sheet.cell(_rows(sheet)["gdp"], 7, "按统计快报")
    response = _upload(client, book)
    assert response.status_code == 302
    saved = {v.indicator: v for v in Value.objects.filter(submission__unit__code="410821")}
    assert saved["gdp"].value == figures["gdp"]
    assert saved["gdp"].note == "按统计快报"
    assert (saved["fdi"].value, saved["fdi"].blank_reason) == (None, "not_applicable")
    # downloaded again, the form carries what was saved
    again = _form(client)["填报表"]
    rows = _rows(again)
    assert again.cell(rows["gdp"], 5).value == figures["gdp"]
    assert again.cell(rows["fdi"], 6).value == "不适用"
    assert again.cell(rows["gdp"], 7).value == "按统计快报"


def test_every_problem_is_named_by_its_cell_beside_its_row_and_nothing_is_saved(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    book = _form(client)
    sheet = book["填报表"]
    rows = _rows(sheet)
    sheet.cell(rows["gas_coverage"], 5, 104.37)  # impossible: a share above 100
    sheet.cell(rows["hightech_firms"], 5, 56.91)  # a count that is not whole
    sheet.cell(rows["gdp"], 5, 300)
    sheet.cell(rows["budget_revenue"], 5, 350)  # more revenue than GDP
    response = _upload(client, book)
    assert response.status_code == 200
    page = response.content.decode()
    assert "410821-2024.xlsx!填报表!E" + str(rows["gas_coverage"]) in page
    by_row = response.context["rows"]
    problems = {r["id"]: r["problems"] for r in by_row if r["problems"]}
    assert set(problems) == {"gas_coverage", "hightech_firms", "budget_revenue"}
    assert problems["gas_coverage"][0].startswith(
        f"410821-2024.xlsx!填报表!E{rows['gas_coverage']}: "
    )
    assert "超过上限 100%" in problems["gas_coverage"][0]
    assert not Value.objects.exists()


def test_a_typo_in_a_form_is_named_by_cell(client_for: Any, periods: dict[str, Period]) -> None:
    client = client_for("county-410821")
    book = _form(client)
    sheet = book["填报表"]
    rows = _rows(sheet)
    sheet.cell(rows["gdp"], 5, "三百")
    sheet.cell(rows["fdi"], 6, "忘了")
    sheet.cell(2, 5, "2025")  # another period
    response = _upload(client, book)
    assert response.status_code == 200
    listed = response.context["file_problems"]
    assert any(f"填报表!E{rows['gdp']}" in text for text in listed)
    assert any(f"填报表!F{rows['fdi']}" in text and "不详" in text for text in listed)
    assert not Value.objects.exists()
