"""The tall form of one unit (kaoping.methodology.template.write_form / read_form): written
with last period's figures, read back with figures, reasons for blanks and notes; a form that
was cut about is refused by cell, every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kaoping.errors import InputError
from kaoping.methodology import Methodology, load
from kaoping.methodology.template import is_form, read_form, write_form, write_template


@pytest.fixture(scope="module")
def methodology() -> Methodology:
    return load("county_hqd")


def _written(tmp_path: Path, methodology: Methodology, **kwargs: Any) -> Path:
    out = tmp_path / "form.xlsx"
    write_form(methodology, out, unit=("410883", "孟州市"), period="2024", **kwargs)
    return out


def test_what_is_written_is_read_back(tmp_path: Path, methodology: Methodology) -> None:
    out = _written(
        tmp_path,
        methodology,
        values={"gdp": 412.5, "fdi": None},
        reasons={"fdi": "not_applicable"},
        notes={"gdp": "快报数"},
    )
    form = read_form(out, methodology)
    assert (form.unit, form.period) == ("410883", "2024")
    assert form.values["gdp"] == 412.5
    assert form.values["fdi"] is None
    assert form.reasons == {"fdi": "not_applicable"}
    assert form.notes == {"gdp": "快报数"}
    assert len(form.values) == len(methodology.indicators)
    assert is_form(out)
    wide = write_template(methodology, tmp_path / "wide.xlsx", units=[("410883", "孟州市")])
    assert not is_form(wide)


def test_a_form_cut_about_is_refused_by_cell(tmp_path: Path, methodology: Methodology) -> None:
    out = _written(tmp_path, methodology)
    book = load_workbook(out)
    sheet = book["填报表"]
    sheet.cell(2, 2, "")  # the unit's code removed
    sheet.cell(4, 1, "gdpp")  # a typed-over indicator id (GDP's row)
    sheet.cell(6, 1, sheet.cell(5, 1).value)  # a row duplicated over another
    sheet.cell(7, 5, "12,3%")
    sheet.cell(8, 6, "忘了")
    book.save(out)
    with pytest.raises(InputError) as error:
        read_form(out, methodology)
    found = [(p.code, p.where) for p in error.value]
    assert ("form.missing_unit", "form.xlsx!填报表") in found
    assert ("form.unknown_indicator", "form.xlsx!填报表!A4") in found
    assert ("form.duplicate_indicator", "form.xlsx!填报表!A6") in found
    assert ("data.not_a_number", "form.xlsx!填报表!E7") in found
    assert ("form.bad_reason", "form.xlsx!填报表!F8") in found


def test_a_deleted_row_is_a_figure_lost_and_is_refused(
    tmp_path: Path, methodology: Methodology
) -> None:
    out = _written(tmp_path, methodology)
    book = load_workbook(out)
    book["填报表"].delete_rows(10)
    book.save(out)
    with pytest.raises(InputError) as error:
        read_form(out, methodology)
    (problem,) = error.value.problems
    assert problem.code == "form.missing_indicator"
    assert methodology.indicators[6].id in problem.en
