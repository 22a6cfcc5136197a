"""Helpers of the departments' sheets' tests: the indicators each department of the fixtures
supplies under county_hqd_official, plausible figures for them, a sheet filled for every
county, and a workbook as a department would upload it."""

from __future__ import annotations

import io
from typing import Any

from kaoping.web.collection.models import Period, Unit
from kaoping.web.official import sheets
from kaoping.web.official.models import DepartmentSheet, DepartmentValue

ECO = ["good_air_days", "pm25", "water_quality"]
"""What 生态环境局 supplies: the indicators whose owner it is (county_hqd.yaml, ``*ecology``)."""

STAT = [
    "gdp", "gdp_growth", "gdp_per_capita", "industry_va_growth", "tertiary_va_growth",
    "fai_growth", "rd_intensity", "hightech_va_share", "urbanization", "tertiary_share",
    "investment_rate", "energy_intensity_reduction",
]  # fmt: skip
"""What 统计局 supplies: its own indicators, and 能耗降低率 (owner 发展改革委、统计局: the
first of them with an account)."""

ECO_FIGURES = {
    "410821": {"good_air_days": 71.5, "pm25": 44.0, "water_quality": 90.0},
    "410822": {"good_air_days": 68.0, "pm25": 47.0, "water_quality": 100.0},
    "410823": {"good_air_days": 75.0, "pm25": 40.0, "water_quality": 80.0},
}
"""Plausible figures of 生态环境局 for the three counties (inside every hard and soft rule)."""


def fill_sheet(
    period: Period, department: str, figures: dict[str, dict[str, float]], status: str = "draft"
) -> DepartmentSheet:
    """A department's sheet with these figures (by the ORM, for a test's starting state)."""
    sheet, _ = DepartmentSheet.objects.get_or_create(period=period, department=department)
    for code, row in figures.items():
        unit = Unit.objects.get(code=code)
        for indicator, value in row.items():
            DepartmentValue.objects.update_or_create(
                sheet=sheet, unit=unit, indicator=indicator, defaults={"value": value}
            )
    DepartmentSheet.objects.filter(pk=sheet.pk).update(status=status)
    sheet.refresh_from_db()
    return sheet


def workbook(actor: Any, sheet: DepartmentSheet, cells: dict[str, object]) -> bytes:
    """The sheet's own workbook (:func:`sheets.sheet_template`) with ``cells`` (``"D5"`` ->
    value) written into its worksheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(sheets.sheet_template(actor=actor, sheet=sheet)))
    ws = book[sheets.SHEET]
    for address, value in cells.items():
        ws[address] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
