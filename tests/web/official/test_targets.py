"""Targets (目标下达) through the services: the workbook the analyst downloads (last period's
actual beside each target), read back with every problem by cell and nothing saved when there
is one, one target corrected with its reason, a county's own targets, and the targets frozen
into an official assessment's inputs.

The official example (county_hqd_official) scores nine indicators against a target; in the
workbook they follow 代码、名称、类别 as pairs of columns (上年实际, 目标值): 地区生产总值增速 in
D and E, 规模以上工业增加值增速 F/G, 固定资产投资增速 H/I, R&D J/K, 常住人口城镇化率 L/M,
能耗降低率 N/O, 省外资金 P/Q, 城镇居民收入增速 R/S, 农村居民收入增速 T/U; the units 410821,
410822, 410823 are rows 3, 4, 5.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from tests.web.workflow import demo_figures, fill

from kaoping.errors import InputError
from kaoping.scoring import rules
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value
from kaoping.web.official import targets
from kaoping.web.official.models import Target
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment

from .targetbook import GDP, URBAN, as_file, column, download, put, row_of

TARGET_IDS = [
    "gdp_growth", "industry_va_growth", "fai_growth", "rd_intensity", "urbanization",
    "energy_intensity_reduction", "external_capital", "urban_income_growth",
    "rural_income_growth",
]  # fmt: skip


@pytest.fixture
def world(official_users: dict[str, Any], official_periods: dict[str, Period]) -> dict[str, Any]:
    return {**official_users, **official_periods}


def _approved_2023(period: Period, unit: Unit, figures: dict[str, float]) -> None:
    submission = Submission.objects.create(unit=unit, period=period, status="approved")
    for indicator, value in figures.items():
        Value.objects.create(submission=submission, indicator=indicator, value=value)


def _problems(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str | None]]:
    return [(p.code, p.where) for p in error.value]


# --------------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------------


def test_the_workbook_has_a_row_per_unit_and_last_years_actual_beside_each_target(
    world: dict[str, Any],
) -> None:
    book = download(world["analyst"], world["2024"])
    sheet = book["目标值"]
    assert "2024 目标值下达表" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers[:5] == ["代码", "名称", "类别", f"{GDP}上年实际", f"{GDP}目标值"]
    assert len(headers) == 3 + 2 * len(TARGET_IDS)
    assert headers[-1] == "农村居民人均可支配收入增速（%）目标值"
    assert [sheet.cell(r, 1).value for r in (3, 4, 5)] == ["410821", "410822", "410823"]
    assert sheet.cell(5, 3).value == "重点生态功能区"
    assert sheet.freeze_panes == "D3"
    # the actual is grey; the header columns are wide enough for two lines of the header
    assert sheet["D3"].fill.fgColor.rgb.endswith("EDEDED")
    assert sheet["E3"].fill.fgColor.rgb in (None, "00000000")
    assert sheet.column_dimensions["E"].width >= 12
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].operator == "greaterThan"
    assert "E3:E5" in str(validations[0].sqref)
    assert "D3" not in str(validations[0].sqref)


def test_last_years_actual_is_the_previous_periods_approved_figure(world: dict[str, Any]) -> None:
    """修武县's 2023 growth was approved at 6.1; 博爱县's 2023 submission is only submitted,
    so its actual is blank."""
    _approved_2023(world["2023"], Unit.objects.get(code="410821"), {"gdp_growth": 6.1})
    pending = Submission.objects.create(
        unit=Unit.objects.get(code="410822"), period=world["2023"], status="submitted"
    )
    Value.objects.create(submission=pending, indicator="gdp_growth", value=9.9)
    sheet = download(world["analyst"], world["2024"])["目标值"]
    assert sheet["D3"].value == 6.1
    assert sheet["D4"].value is None


def test_last_years_actual_prefers_the_published_assessments_frozen_figure(
    world: dict[str, Any],
) -> None:
    """The submission says 6.1, the published 2023 assessment froze 6.3 (a department's
    figure replaced the county's): the workbook shows what was assessed, 6.3."""
    _approved_2023(world["2023"], Unit.objects.get(code="410821"), {"gdp_growth": 6.1})
    Assessment.objects.create(
        period=world["2023"], methodology="county_hqd_official", status="published",
        inputs={"values": [["410821", "gdp_growth", 6.3]]}, inputs_hash="x" * 64, results=[],
        published_at=timezone.now(),
    )  # fmt: skip
    sheet = download(world["analyst"], world["2024"])["目标值"]
    assert sheet["D3"].value == 6.3


def test_the_workbook_is_prefilled_with_the_current_targets(world: dict[str, Any]) -> None:
    Target.objects.create(
        period=world["2024"], unit=Unit.objects.get(code="410822"), indicator="urbanization",
        value=52.5,
    )  # fmt: skip
    sheet = download(world["analyst"], world["2024"])["目标值"]
    assert sheet.cell(row_of(sheet, "410822"), column(sheet, f"{URBAN}目标值")).value == 52.5


# --------------------------------------------------------------------------------------------
# reading it back
# --------------------------------------------------------------------------------------------


def test_a_filled_workbook_issues_its_targets_with_history_and_one_audit_event(
    world: dict[str, Any],
) -> None:
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    sheet = book["目标值"]
    put(sheet, "410821", f"{GDP}目标值", 6.5)
    put(sheet, "410821", f"{URBAN}目标值", "48.2")  # text that is a number
    put(sheet, "410823", f"{GDP}目标值", 7)
    written = targets.targets_upload(actor=analyst, period=period, file=as_file(book, "t.xlsx"))
    assert written == 3
    stored = {(t.unit.code, t.indicator): t.value for t in Target.objects.all()}
    assert stored == {
        ("410821", "gdp_growth"): 6.5,
        ("410821", "urbanization"): 48.2,
        ("410823", "gdp_growth"): 7.0,
    }
    record = Target.history.get(unit__code="410821", indicator="gdp_growth")
    assert record.history_user == analyst
    assert record.history_change_reason == "targets.upload:t.xlsx"
    event = AuditEvent.objects.get(action="targets.upload")
    assert event.period == period
    assert event.actor == analyst
    assert event.data == {"file": "t.xlsx", "units": 2, "created": 3, "changed": 0, "unchanged": 0}


def test_the_downloaded_workbook_sent_back_unchanged_writes_nothing(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    Target.objects.create(
        period=period, unit=Unit.objects.get(code="410821"), indicator="gdp_growth", value=6.5
    )
    written = targets.targets_upload(
        actor=analyst, period=period, file=as_file(download(analyst, period))
    )
    assert written == 0
    assert Target.history.count() == 1  # only the creation above
    assert AuditEvent.objects.get(action="targets.upload").data["unchanged"] == 1


def test_an_empty_target_cell_leaves_the_target_as_it_is(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    Target.objects.create(
        period=period, unit=Unit.objects.get(code="410821"), indicator="gdp_growth", value=6.5
    )
    book = download(analyst, period)
    put(book["目标值"], "410821", f"{GDP}目标值", None)  # emptied
    put(book["目标值"], "410822", f"{GDP}目标值", 5.5)
    assert targets.targets_upload(actor=analyst, period=period, file=as_file(book)) == 1
    assert Target.objects.get(unit__code="410821").value == 6.5
    assert Target.objects.get(unit__code="410822").value == 5.5


def test_a_changed_target_keeps_the_old_value_in_its_history(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    put(book["目标值"], "410821", f"{GDP}目标值", 6.5)
    targets.targets_upload(actor=analyst, period=period, file=as_file(book))
    put(book["目标值"], "410821", f"{GDP}目标值", 7.0)
    assert targets.targets_upload(actor=analyst, period=period, file=as_file(book)) == 1
    values = [h.value for h in Target.history.order_by("history_date", "history_id")]
    assert values == [6.5, 7.0]
    change = targets.targets_history(actor=analyst, period=period)[0]
    assert (change.old, change.new, change.file, change.who) == (6.5, 7.0, "目标值.xlsx", "analyst")


def test_columns_in_another_order_and_without_title_or_actuals_are_read_by_their_headers(
    world: dict[str, Any],
) -> None:
    """A workbook of the analyst's own: the title row gone, the targets before the code, the
    actuals and the names left out, a blank-headed notes column kept."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "目标值"
    sheet.append([f"{URBAN}目标值", None, "代码", f"{GDP}目标值"])
    sheet.append([51.0, "按省下达", "410822", 5.2])
    sheet.append([None, None, 410823, 6.8])  # a code typed as a number
    written = targets.targets_upload(
        actor=world["analyst"], period=world["2024"], file=as_file(book)
    )
    assert written == 3
    stored = {(t.unit.code, t.indicator): t.value for t in Target.objects.all()}
    assert stored == {
        ("410822", "urbanization"): 51.0,
        ("410822", "gdp_growth"): 5.2,
        ("410823", "gdp_growth"): 6.8,
    }


def test_the_first_sheet_is_read_when_there_is_no_targets_sheet(world: dict[str, Any]) -> None:
    book = download(world["analyst"], world["2024"])
    book["目标值"].title = "Sheet1"
    put(book["Sheet1"], "410821", f"{GDP}目标值", 6.0)
    assert targets.targets_upload(actor=world["analyst"], period=world["2024"], file=as_file(book))


BAD = [
    # (what the cell holds, the code of the problem)
    ("六点五", "data.not_a_number"),
    ("6.5%", "data.not_a_number"),
    (0, "web.target_not_positive"),
    (-1.5, "web.target_not_positive"),
    (dt.date(2024, 6, 5), "data.not_a_number"),
]


@pytest.mark.parametrize(("cell", "code"), BAD, ids=[str(c) for c, _ in BAD])
def test_a_bad_target_cell_is_named_and_nothing_is_saved(
    world: dict[str, Any], cell: object, code: str
) -> None:
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    put(book["目标值"], "410821", f"{GDP}目标值", 6.5)  # a good one: not saved either
    at = put(book["目标值"], "410822", f"{URBAN}目标值", cell)
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=analyst, period=period, file=as_file(book))
    assert _problems(error) == [(code, f"目标值!{at}")]
    assert at == "M4"
    assert not Target.objects.exists()
    assert not AuditEvent.objects.filter(action="targets.upload").exists()


def test_a_percentage_formatted_cell_is_refused_as_ambiguous(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    put(book["目标值"], "410821", f"{GDP}目标值", 0.065)
    book["目标值"]["E3"].number_format = "0.0%"  # shows 6.5%
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=analyst, period=period, file=as_file(book))
    assert _problems(error) == [("data.not_a_number", "目标值!E3")]
    assert "6.5%" in error.value.problems[0].zh
    assert "常规" in error.value.problems[0].zh


def test_every_problem_of_the_workbook_is_named_at_once_by_its_cell(world: dict[str, Any]) -> None:
    """One workbook with every mistake: an unknown unit code (row 6), 博爱县 listed twice (rows
    4 and 7), a name that is not its code's unit's (row 5: 410823 is 武陟县), a column of an
    indicator that takes no target (V2), a column that is not the workbook's (W2), a target
    that is not a number (E3), one <= 0 (G3), and targets in a row without a code (row 8)."""
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    sheet = book["目标值"]
    sheet["E3"], sheet["G3"], sheet["I3"] = "高", 0, 9.0  # I3 is good, not saved either
    sheet["B5"] = "博爱县"
    sheet.append(["419999", "无名县", None, None, 5.0])
    sheet.append(["410822", "博爱县", None, None, 5.0])
    sheet.append([None, None, None, None, 5.0])
    sheet["V2"], sheet["W2"] = "税收占比（%）目标值", "备注"
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=analyst, period=period, file=as_file(book))
    assert sorted(_problems(error)) == sorted(
        [
            ("web.targets_unknown_indicator", "目标值!V2"),
            ("web.targets_unknown_column", "目标值!W2"),
            ("data.not_a_number", "目标值!E3"),
            ("web.target_not_positive", "目标值!G3"),
            ("web.targets_name_mismatch", "目标值!B5"),
            ("web.unknown_unit", "目标值!A6"),
            ("web.targets_unit_twice", "目标值!A7"),
            ("web.targets_no_code", "目标值!A8"),
        ]
    )
    twice = next(p for p in error.value if p.code == "web.targets_unit_twice")
    assert "第 4 行" in twice.zh
    assert "row 4" in twice.en
    unknown = next(p for p in error.value if p.code == "web.targets_unknown_indicator")
    assert f"{GDP}目标值" in unknown.zh  # the columns it could be
    assert not Target.objects.exists()


def test_two_columns_of_the_same_target_are_refused(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    book = download(analyst, period)
    book["目标值"]["V2"] = f"{GDP}目标值"
    book["目标值"]["V3"] = 6.0
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=analyst, period=period, file=as_file(book))
    assert _problems(error) == [("web.targets_duplicate_column", "目标值!V2")]
    assert "目标值!E2" in error.value.problems[0].zh


def test_a_sheet_without_a_code_column_is_refused(world: dict[str, Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["单位", f"{GDP}目标值"])
    book.active.append(["修武县", 6.5])
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=world["analyst"], period=world["2024"], file=as_file(book))
    assert [p.code for p in error.value] == ["web.targets_no_header"]


FILES = [
    ("targets.csv", "代码,地区生产总值增速（%）目标值\n410821,6.5\n".encode()),
    ("targets.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ("targets.xlsx", b"this is not a workbook"),
    ("../../etc/passwd", b"root:x:0:0"),
]


@pytest.mark.parametrize(("name", "content"), FILES, ids=[n for n, _ in FILES])
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_saying_so(
    world: dict[str, Any], name: str, content: bytes
) -> None:
    with pytest.raises(InputError) as error:
        targets.targets_upload(
            actor=world["analyst"], period=world["2024"], file=SimpleUploadedFile(name, content)
        )
    [problem] = error.value
    assert problem.code == "web.not_xlsx"
    assert ".xlsx" in problem.zh
    assert ".xlsx" in problem.en
    assert problem.where == name.rsplit("/", 1)[-1]  # the file's name, never a path
    for text in (problem.message("zh"), problem.message("en")):
        assert "etc/" not in text
        assert "/tmp" not in text
        assert "/work" not in text


def test_a_damaged_workbook_is_named_by_its_file_name_only(world: dict[str, Any]) -> None:
    with pytest.raises(InputError) as error:
        targets.targets_upload(
            actor=world["analyst"], period=world["2024"],
            file=SimpleUploadedFile("坏.xlsx", b"PK\x03\x04" + b"\x00" * 64),
        )  # fmt: skip
    [problem] = error.value
    assert problem.code == "data.unreadable_file"
    assert problem.where == "坏.xlsx"
    assert "/tmp" not in problem.message("zh")
    assert "/work" not in problem.message("en")


def test_a_file_larger_than_the_limit_is_refused(world: dict[str, Any]) -> None:
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * targets.MAX_BYTES)
    with pytest.raises(InputError) as error:
        targets.targets_upload(actor=world["analyst"], period=world["2024"], file=big)
    assert [p.code for p in error.value] == ["web.file_too_large"]


# --------------------------------------------------------------------------------------------
# who may, and when
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "county-410821", "dept-stat"])
def test_only_the_city_office_issues_targets(world: dict[str, Any], role: str) -> None:
    book = download(world["analyst"], world["2024"])
    put(book["目标值"], "410821", f"{GDP}目标值", 6.5)
    actor, period = world[role], world["2024"]
    with pytest.raises(PermissionDenied):
        targets.targets_workbook(actor=actor, period=period)
    with pytest.raises(PermissionDenied):
        targets.targets_upload(actor=actor, period=period, file=as_file(book))
    with pytest.raises(PermissionDenied):
        targets.target_set(
            actor=actor, period=period, unit=Unit.objects.get(code="410821"),
            indicator="gdp_growth", value="6.5", reason="省下达",
        )  # fmt: skip
    assert not Target.objects.exists()


def test_an_academic_period_has_no_targets(users: dict[str, Any], periods: dict[str, Any]) -> None:
    analyst, period = users["analyst"], periods["2024"]  # county_hqd: no official section
    for call in (
        lambda: targets.targets_workbook(actor=analyst, period=period),
        lambda: targets.targets_upload(actor=analyst, period=period, file=b"PK"),
        lambda: targets.targets_table(actor=analyst, period=period),
        lambda: targets.target_set(
            actor=analyst, period=period, unit=Unit.objects.get(code="410821"),
            indicator="gdp_growth", value="6.5", reason="省下达",
        ),
    ):  # fmt: skip
        with pytest.raises(InputError) as error:
            call()
        [problem] = error.value
        assert problem.code == "web.no_targets"
        assert "county_hqd" in problem.zh


def test_a_closed_period_s_targets_can_be_corrected_until_it_is_published(
    world: dict[str, Any],
) -> None:
    analyst, closed = world["analyst"], world["2023"]
    unit = Unit.objects.get(code="410821")
    targets.target_set(
        actor=analyst, period=closed, unit=unit, indicator="gdp_growth", value="6", reason="补下达"
    )
    Assessment.objects.create(
        period=closed, methodology="county_hqd_official", status="published", inputs={},
        inputs_hash="x" * 64, results=[], published_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="已经发布"):
        targets.target_set(
            actor=analyst, period=closed, unit=unit, indicator="gdp_growth", value="7",
            reason="改",
        )  # fmt: skip
    book = download(analyst, closed)  # the workbook can still be read
    put(book["目标值"], "410821", f"{GDP}目标值", 8.0)
    with pytest.raises(PermissionDenied):
        targets.targets_upload(actor=analyst, period=closed, file=as_file(book))
    assert Target.objects.get().value == 6.0


# --------------------------------------------------------------------------------------------
# one target
# --------------------------------------------------------------------------------------------


def test_a_corrected_target_keeps_who_why_and_the_old_value(world: dict[str, Any]) -> None:
    analyst, period = world["analyst"], world["2024"]
    unit = Unit.objects.get(code="410822")
    Target.objects.create(period=period, unit=unit, indicator="gdp_growth", value=6.5)
    target = targets.target_set(
        actor=analyst, period=period, unit=unit, indicator="gdp_growth", value="7.2",
        reason="按焦政〔2024〕3号调整",
    )  # fmt: skip
    assert target.value == 7.2
    assert Target.objects.get().value == 7.2
    record = target.history.latest()
    assert record.history_change_reason == "按焦政〔2024〕3号调整"
    assert record.history_user == analyst
    event = AuditEvent.objects.get(action="targets.set")
    assert event.data == {
        "unit": "410822", "indicator": "gdp_growth", "old": 6.5, "new": 7.2,
        "reason": "按焦政〔2024〕3号调整",
    }  # fmt: skip
    [change, created] = targets.targets_history(actor=analyst, period=period)
    assert (change.old, change.new, change.reason, change.who) == (
        6.5, 7.2, "按焦政〔2024〕3号调整", "analyst",
    )  # fmt: skip
    assert (created.old, created.new) == (None, 6.5)


def test_a_new_target_can_be_set_on_the_page(world: dict[str, Any]) -> None:
    unit = Unit.objects.get(code="410823")
    targets.target_set(
        actor=world["admin"], period=world["2024"], unit=unit, indicator="external_capital",
        value=" 1,250.5 ", reason="新增",
    )  # fmt: skip
    assert Target.objects.get(unit=unit).value == 1250.5
    assert AuditEvent.objects.get(action="targets.set").data["old"] is None


def test_a_bad_correction_names_every_field_and_changes_nothing(world: dict[str, Any]) -> None:
    unit = Unit.objects.get(code="410821")
    with pytest.raises(InputError) as error:
        targets.target_set(
            actor=world["analyst"], period=world["2024"], unit=unit, indicator="tax_share",
            value="-3", reason="  ",
        )  # fmt: skip
    assert _problems(error) == [
        ("web.targets_unknown_indicator", "indicator"),
        ("web.target_not_positive", "value"),
        ("web.target_reason_required", "reason"),
    ]
    for value, code in (("", "web.target_required"), ("五", "data.not_a_number")):
        with pytest.raises(InputError) as error:
            targets.target_set(
                actor=world["analyst"], period=world["2024"], unit=unit,
                indicator="gdp_growth", value=value, reason="x",
            )  # fmt: skip
        assert _problems(error) == [(code, "value")]
    assert not Target.objects.exists()
    assert not AuditEvent.objects.exists()


def test_setting_a_target_to_what_it_is_already_is_refused(world: dict[str, Any]) -> None:
    unit = Unit.objects.get(code="410821")
    Target.objects.create(period=world["2024"], unit=unit, indicator="gdp_growth", value=6.5)
    with pytest.raises(InputError) as error:
        targets.target_set(
            actor=world["analyst"], period=world["2024"], unit=unit, indicator="gdp_growth",
            value="6.50", reason="核对",
        )  # fmt: skip
    assert _problems(error) == [("web.target_unchanged", "value")]
    assert Target.history.count() == 1


# --------------------------------------------------------------------------------------------
# a county's own targets
# --------------------------------------------------------------------------------------------


def test_a_county_reads_its_own_targets_and_no_other(world: dict[str, Any]) -> None:
    period = world["2024"]
    mine, other = Unit.objects.get(code="410821"), Unit.objects.get(code="410822")
    Target.objects.create(period=period, unit=mine, indicator="urbanization", value=48.0)
    Target.objects.create(period=period, unit=mine, indicator="gdp_growth", value=6.5)
    Target.objects.create(period=period, unit=other, indicator="gdp_growth", value=5.0)
    own = targets.targets_for(actor=world["county-410821"], period=period, unit=mine)
    assert own == {"gdp_growth": 6.5, "urbanization": 48.0}
    assert list(own) == ["gdp_growth", "urbanization"]  # the methodology's order
    with pytest.raises(PermissionDenied):
        targets.targets_for(actor=world["county-410821"], period=period, unit=other)
    assert targets.targets_for(actor=world["analyst"], period=period, unit=other) == {
        "gdp_growth": 5.0
    }
    for role in ("viewer", "dept-stat", "dept-eco"):
        with pytest.raises(PermissionDenied):
            targets.targets_for(actor=world[role], period=period, unit=mine)


# --------------------------------------------------------------------------------------------
# completion, as the engine computes it
# --------------------------------------------------------------------------------------------


def test_completion_is_the_engines_ratio_by_hand() -> None:
    """7.2 of a target of 8 is 90%; a negative indicator's 4 against a target of 5 is
    5 / 4 = 125%; 0 of a negative indicator completes it infinitely well."""
    assert targets.percent(targets.completion(7.2, 8.0, 1)) == "90.0%"
    assert targets.percent(targets.completion(4.0, 5.0, -1)) == "125.0%"
    assert targets.percent(targets.completion(0.0, 5.0, -1)) == "∞"
    assert targets.completion(-1.0, 5.0, -1) is None  # the engine refuses it
    assert targets.completion(None, 5.0, 1) is None
    assert targets.completion(5.0, None, 1) is None
    assert targets.percent(None) == ""


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e6),
    st.sampled_from([1, -1]),
)
def test_completion_shown_is_the_engines_ratio_to_a_tenth_of_a_percent(
    x: float, t: float, d: int
) -> None:
    ratio = targets.completion(x, t, d)
    if d < 0 and x < 0:
        assert ratio is None
        return
    expected = rules.completion([x], t, 1.0, d)[1][0]
    assert ratio == expected
    shown = targets.percent(ratio)
    if ratio is not None and abs(ratio) != float("inf"):
        assert abs(float(shown.rstrip("%")) - ratio * 100) <= 0.05 + 1e-9 * abs(ratio * 100)


# --------------------------------------------------------------------------------------------
# the targets in an official assessment
# --------------------------------------------------------------------------------------------


@pytest.fixture
def official_2024(
    users: dict[str, Any], official_units: dict[str, Unit], official_periods: dict[str, Period]
) -> dict[str, dict[str, float]]:
    """Every unit's 2024 figures (the demo data's) approved, under the official example; no
    department account, so that every figure is the county's."""
    figures = {}
    for code, unit in official_units.items():
        submission = Submission.objects.create(
            unit=unit, period=official_periods["2024"], status="approved"
        )
        given = demo_figures(code)
        fill(submission, given)
        figures[code] = {k: v for k, v in given.items() if v is not None}
    return figures


def test_the_uploaded_targets_are_frozen_into_the_official_assessment(
    users: dict[str, Any], official_periods: dict[str, Period], official_2024: Any
) -> None:
    """Every unit gets a target for each of the nine indicators: twice its own figure for
    常住人口城镇化率 (scored by completion, 5 points, cap 1), so that its completion is 0.5 and
    it scores 5 x 0.5 = 2.5 points; 10 for the others.  The assessment freezes the targets as
    uploaded and scores by them."""
    analyst, period = users["analyst"], official_periods["2024"]
    book = download(analyst, period)
    sheet = book["目标值"]
    expected = []
    for code in ("410821", "410822", "410823"):
        for ident, text in zip(TARGET_IDS, [c.value for c in sheet[2]][4::2], strict=True):
            value = 2 * official_2024[code]["urbanization"] if ident == "urbanization" else 10.0
            put(sheet, code, text, value)
            expected.append([code, ident, value])
    assert targets.targets_upload(actor=analyst, period=period, file=as_file(book)) == 27
    assessment = results.assessment_compute(actor=analyst, period=period)
    assert assessment.inputs["targets"] == sorted(expected)
    for record in assessment.results:
        assert record["points"]["urbanization"] == pytest.approx(2.5)
    assert results.assessment_verify(assessment=assessment)
