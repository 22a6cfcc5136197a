"""The departments' sheets as services: saving (parsed like cells, checked by the
methodology's rules, a stale save refused), the workbook and its upload (every bad cell named,
nothing stored), submit / return / approve, what a county sees and disputes, and what still
blocks an official announcement.

The rules quoted are county_hqd's (the official example's base): 空气质量优良天数比例 and
地表水考核断面达标率 are shares (hard range 0-100), PM2.5 an amount (at least 0; above 150
unusual: ``soft_max``), 地区生产总值 an amount (统计局's, not 生态环境局's)."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Period, Unit
from kaoping.web.collection.services import StaleEdit
from kaoping.web.official import sheets
from kaoping.web.official.models import DepartmentSheet, DepartmentValue, Dispute, Review

from .sheet_data import ECO, ECO_FIGURES, STAT, fill_sheet, workbook


@pytest.fixture
def eco(official_users: dict[str, Any], official_periods: dict[str, Period]) -> DepartmentSheet:
    """生态环境局's 2024 sheet, started empty by its account."""
    return sheets.sheet_get_or_start(
        actor=official_users["dept-eco"], period=official_periods["2024"]
    )


def _stored() -> dict[tuple[str, str], float | None]:
    return {
        (code, indicator): value
        for code, indicator, value in DepartmentValue.objects.values_list(
            "unit__code", "indicator", "value"
        )
    }


def test_each_department_supplies_the_indicators_it_owns_in_an_official_period_only(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    period = official_periods["2024"]
    assert sheets.indicators_for(period, "生态环境局") == ECO
    assert sheets.indicators_for(period, "统计局") == STAT
    assert sheets.indicators_for(period, "财政局") == []  # an owner without an account
    academic = Period.objects.create(code="2025", methodology="county_hqd", status="open")
    assert sheets.supplied(academic) == {}  # the counties give every figure, as before
    with pytest.raises(PermissionDenied):
        sheets.sheet_get_or_start(actor=official_users["dept-eco"], period=academic)


def test_a_department_saves_figures_parsed_like_cells_with_who_changed_what(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    department = official_users["dept-eco"]
    saved = sheets.sheet_save(
        actor=department,
        sheet=eco,
        values={
            ("410821", "pm25"): "45.5",
            ("410822", "good_air_days"): "７０",
            ("410823", "pm25"): "",
        },
        version=0,
    )
    assert saved.version == 1
    assert _stored() == {("410821", "pm25"): 45.5, ("410822", "good_air_days"): 70.0}
    sheets.sheet_save(actor=department, sheet=saved, values={("410821", "pm25"): 41}, version=1)
    pm25 = DepartmentValue.objects.get(unit__code="410821", indicator="pm25")
    assert [h.value for h in pm25.history.order_by("history_date")] == [45.5, 41.0]
    assert {h.history_user for h in pm25.history.all()} == {department}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.SHEET_SAVE).order_by("seq")
    assert [e.data["changed"] for e in events] == [
        ["410821/pm25", "410822/good_air_days"],
        ["410821/pm25"],
    ]
    assert {e.data["department"] for e in events} == {"生态环境局"}


def test_a_stale_save_is_refused_and_writes_nothing(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    department = official_users["dept-eco"]
    sheets.sheet_save(actor=department, sheet=eco, values={("410821", "pm25"): 45}, version=0)
    with pytest.raises(StaleEdit):
        sheets.sheet_save(actor=department, sheet=eco, values={("410821", "pm25"): 9}, version=0)
    assert _stored() == {("410821", "pm25"): 45.0}


def test_every_problem_is_raised_at_once_naming_county_and_indicator_and_nothing_is_saved(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    with pytest.raises(sheets.SheetProblems) as error:
        sheets.sheet_save(
            actor=official_users["dept-eco"],
            sheet=eco,
            values={
                ("410821", "pm25"): "45",  # fine, but not saved either
                ("419999", "pm25"): "40",  # no such county
                ("410821", "gdp"): "300",  # 统计局's indicator
                ("410822", "pm25"): "12,3%",  # not a number
                ("410822", "good_air_days"): "120",  # a share above 100
                ("410823", "water_quality"): "-5",  # a share below 0
            },
            version=0,
        )
    codes = {p.where: p.code for p in error.value}
    assert codes == {
        "419999.pm25": "web.unknown_unit",
        "410821.gdp": "web.not_the_departments_indicator",
        "410822.pm25": "data.not_a_number",
        "410822.good_air_days": "plausibility.above_max",
        "410823.water_quality": "plausibility.below_min",
    }
    by_where = {p.where: p.zh for p in error.value}
    assert by_where["410822.good_air_days"].startswith(
        "410822（博爱县）：空气质量优良天数比例 120%"
    )
    assert "超过上限 100%" in by_where["410822.good_air_days"]
    assert by_where["410823.water_quality"].startswith("410823（武陟县）：")
    assert set(error.value.cells) == {
        ("419999", "pm25"), ("410821", "gdp"), ("410822", "pm25"), ("410822", "good_air_days"),
        ("410823", "water_quality"),
    }  # fmt: skip
    assert _stored() == {}
    eco.refresh_from_db()
    assert eco.version == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SHEET_SAVE).exists()


def test_an_unusual_figure_is_saved_and_flagged_beside_it_not_refused(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    """PM2.5 of 160 μg/m³ is above its usual range (soft_max 150): a department's figure
    has no note to explain it, so it is saved and the rule is shown beside it."""
    sheets.sheet_save(
        actor=official_users["dept-eco"], sheet=eco, values={("410821", "pm25"): 160}, version=0
    )
    flags = sheets.sheet_flags(eco)
    assert list(flags) == [("410821", "pm25")]
    (flag,) = flags[("410821", "pm25")]
    assert (flag.code, flag.where) == ("plausibility.soft_range", "410821.pm25")
    assert flag.zh.startswith("细颗粒物(PM2.5)年均浓度 160μg/m³ 不在通常范围")


def test_a_cross_check_with_a_countys_approved_figure_is_shown_to_the_reviewer(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    """一般公共预算收入不超过地区生产总值 (budget_revenue <= gdp): 修武县's approved budget
    revenue of 30 亿元 against the GDP of 20 亿元 统计局 gives it is flagged at the GDP."""
    from kaoping.web.collection.models import Submission, Value

    period = official_periods["2024"]
    submission = Submission.objects.create(
        unit=Unit.objects.get(code="410821"), period=period, status="approved"
    )
    Value.objects.create(submission=submission, indicator="budget_revenue", value=30.0)
    sheet = fill_sheet(period, "统计局", {"410821": {"gdp": 20.0}, "410822": {"gdp": 200.0}})
    flags = sheets.sheet_flags(sheet)
    assert [p.code for p in flags[("410821", "gdp")]] == ["plausibility.cross"]
    assert ("410822", "gdp") not in flags  # no approved revenue of 博爱县: not evaluated


def test_only_its_own_department_edits_a_sheet_and_only_while_it_may(
    official_users: dict[str, Any], official_periods: dict[str, Period], eco: DepartmentSheet
) -> None:
    values = {("410821", "pm25"): 45}
    for name in ("dept-stat", "analyst", "admin", "county-410821", "viewer"):
        with pytest.raises(PermissionDenied):
            sheets.sheet_save(actor=official_users[name], sheet=eco, values=values, version=0)
    for name in ("analyst", "county-410821", "viewer"):
        with pytest.raises(PermissionDenied):
            sheets.sheet_get_or_start(actor=official_users[name], period=official_periods["2024"])
    DepartmentSheet.objects.filter(pk=eco.pk).update(status=Review.SUBMITTED)
    with pytest.raises(PermissionDenied):
        sheets.sheet_save(actor=official_users["dept-eco"], sheet=eco, values=values, version=0)
    DepartmentSheet.objects.filter(pk=eco.pk).update(status=Review.RETURNED)
    Period.objects.filter(pk=eco.period_id).update(status="closed")
    with pytest.raises(PermissionDenied):
        sheets.sheet_save(actor=official_users["dept-eco"], sheet=eco, values=values, version=0)
    assert _stored() == {}


# -- the workbook ---------------------------------------------------------------------------


def test_the_workbook_has_counties_as_rows_and_the_departments_indicators_as_columns(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    import io

    from openpyxl import load_workbook

    sheets.sheet_save(
        actor=official_users["dept-eco"], sheet=eco, values={("410822", "pm25"): 47}, version=0
    )
    book = load_workbook(
        io.BytesIO(sheets.sheet_template(actor=official_users["analyst"], sheet=eco))
    )
    ws = book[sheets.SHEET]
    assert [c.value for c in ws[3]] == [
        "代码", "名称", "空气质量优良天数比例（%）", "细颗粒物(PM2.5)年均浓度（μg/m³）",
        "地表水考核断面达标率（%）",
    ]  # fmt: skip
    assert [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=4)] == [
        ("410821", "修武县"), ("410822", "博爱县"), ("410823", "武陟县"),
    ]  # fmt: skip
    assert ws["D5"].value == 47  # 博爱县's PM2.5 as saved
    assert [ws["A2"].value, ws["B2"].value, ws["C2"].value, ws["D2"].value] == [
        "报送部门", "生态环境局", "期次", "2024",
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        sheets.sheet_template(actor=official_users["dept-stat"], sheet=eco)
    with pytest.raises(PermissionDenied):
        sheets.sheet_template(actor=official_users["county-410821"], sheet=eco)


def test_a_filled_workbook_is_saved_whole(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    department = official_users["dept-eco"]
    cells = {
        f"{col}{row}": ECO_FIGURES[code][ind]
        for row, code in ((4, "410821"), (5, "410822"), (6, "410823"))
        for col, ind in zip("CDE", ECO, strict=True)
    }
    content = workbook(department, eco, cells)
    saved = sheets.sheet_upload(
        actor=department, sheet=eco, filename="生态.xlsx", content=content, version=0
    )
    assert saved.version == 1
    assert _stored() == {(c, i): v for c, row in ECO_FIGURES.items() for i, v in row.items()}
    assert sheets.missing(saved) == {}
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.SHEET_SAVE)
    assert event.data["file"] == "生态.xlsx!报送表"


def test_every_bad_cell_of_a_workbook_is_named_and_nothing_is_stored(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    department = official_users["dept-eco"]
    content = workbook(
        department,
        eco,
        {
            "C4": 71.5,  # fine: not stored either
            "F3": "地区生产总值（亿元）",  # 统计局's indicator
            "G3": "幸福指数",  # no indicator at all
            "D5": "四十",  # not a number
            "E6": 130,  # a share above 100
            "A7": "419999",  # no such county
            "B7": "某某县",
            "C7": 70,
            "B8": "博爱县",  # a second row of 博爱县, by its name
            "C8": 69,
        },
    )
    with pytest.raises(InputError) as error:
        sheets.sheet_upload(
            actor=department, sheet=eco, filename="生态.xlsx", content=content, version=0
        )
    found = {p.where: p.code for p in error.value}
    assert found == {
        "生态.xlsx!报送表!F3": "web.not_the_departments_indicator",
        "生态.xlsx!报送表!G3": "web.sheet_unknown_column",
        "生态.xlsx!报送表!D5": "data.not_a_number",
        "生态.xlsx!报送表!E6": "plausibility.above_max",
        "生态.xlsx!报送表!A7": "web.unknown_unit",
        "生态.xlsx!报送表!A8": "web.sheet_duplicate_unit",
    }
    text = {p.where: p.zh for p in error.value}
    assert "不是生态环境局报送的指标" in text["生态.xlsx!报送表!F3"]
    assert text["生态.xlsx!报送表!E6"].startswith("410823（武陟县）：地表水考核断面达标率 130%")
    assert _stored() == {}
    eco.refresh_from_db()
    assert eco.version == 0


def test_a_workbook_of_another_period_is_refused(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    department = official_users["dept-eco"]
    content = workbook(department, eco, {"D2": "2023", "C4": 70})
    with pytest.raises(InputError) as error:
        sheets.sheet_upload(
            actor=department, sheet=eco, filename="x.xlsx", content=content, version=0
        )
    assert [(p.code, p.where) for p in error.value] == [
        ("web.sheet_wrong_period", "x.xlsx!报送表!D2")
    ]
    assert _stored() == {}


def test_an_upload_is_refused_to_anyone_but_the_department_while_it_may_edit(
    official_users: dict[str, Any], eco: DepartmentSheet
) -> None:
    content = workbook(official_users["dept-eco"], eco, {"C4": 70})
    for name in ("dept-stat", "analyst", "county-410821"):
        with pytest.raises(PermissionDenied):
            sheets.sheet_upload(
                actor=official_users[name], sheet=eco, filename="x.xlsx", content=content, version=0
            )
    assert _stored() == {}


# -- the review -----------------------------------------------------------------------------


def test_submit_needs_every_figure_then_return_and_approve(
    official_users: dict[str, Any], official_periods: dict[str, Period], eco: DepartmentSheet
) -> None:
    department, analyst = official_users["dept-eco"], official_users["analyst"]
    figures = {k: v for k, v in ECO_FIGURES.items() if k != "410823"}
    sheets.sheet_save(
        actor=department,
        sheet=eco,
        values={(c, i): v for c, row in figures.items() for i, v in row.items()}
        | {("410823", "pm25"): 40},
        version=0,
    )
    with pytest.raises(InputError) as error:
        sheets.sheet_submit(actor=department, sheet=eco)
    (problem,) = error.value
    assert problem.where == "410823"
    assert problem.zh.startswith(
        "410823（武陟县） 还没有填写：空气质量优良天数比例、地表水考核断面达标率。"
    )
    sheets.sheet_save(
        actor=department,
        sheet=eco,
        values={("410823", "good_air_days"): 75, ("410823", "water_quality"): 80},
        version=1,
    )
    with pytest.raises(PermissionDenied):
        sheets.sheet_submit(actor=official_users["dept-stat"], sheet=eco)
    with pytest.raises(PermissionDenied):
        sheets.sheet_approve(actor=analyst, sheet=eco)  # not submitted yet
    assert sheets.sheet_submit(actor=department, sheet=eco).status == Review.SUBMITTED
    with pytest.raises(PermissionDenied):  # submitted: no more changes
        sheets.sheet_save(actor=department, sheet=eco, values={("410821", "pm25"): 1}, version=2)
    for name in ("dept-eco", "county-410821", "viewer"):
        with pytest.raises(PermissionDenied):
            sheets.sheet_approve(actor=official_users[name], sheet=eco)
        with pytest.raises(PermissionDenied):
            sheets.sheet_return(actor=official_users[name], sheet=eco, comment="改")
    with pytest.raises(InputError):
        sheets.sheet_return(actor=analyst, sheet=eco, comment="  ")
    returned = sheets.sheet_return(actor=analyst, sheet=eco, comment="武陟县 PM2.5 请核实")
    assert (returned.status, returned.comment) == (Review.RETURNED, "武陟县 PM2.5 请核实")
    assert sheets.can_edit_sheet(department, returned)
    sheets.sheet_submit(actor=department, sheet=eco)
    approved = sheets.sheet_approve(actor=analyst, sheet=eco)
    assert (approved.status, approved.comment) == (Review.APPROVED, "")
    # an approved sheet goes back while the period is open (a dispute upheld), not after
    sheets.sheet_return(actor=analyst, sheet=eco, comment="异议属实")
    sheets.sheet_submit(actor=department, sheet=eco)
    sheets.sheet_approve(actor=analyst, sheet=eco)
    Period.objects.filter(pk=eco.period_id).update(status="closed")
    with pytest.raises(PermissionDenied):
        sheets.sheet_return(actor=analyst, sheet=eco, comment="太晚了")
    actions = [
        a.removeprefix("sheet.")
        for a in AuditEvent.objects.filter(action__startswith="sheet.")
        .order_by("seq")
        .values_list("action", flat=True)
    ]
    assert actions == ["save", "save", "submit", "return", "submit", "approve", "return",
                       "submit", "approve"]  # fmt: skip


# -- what a county sees, and disputes -------------------------------------------------------


def test_a_county_sees_a_departments_figure_once_it_is_sent_and_only_its_own(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    period = official_periods["2024"]
    county, unit = official_users["county-410821"], Unit.objects.get(code="410821")
    sheet = fill_sheet(period, "生态环境局", ECO_FIGURES)  # a draft: not shown
    seen = {s["indicator"]: s for s in sheets.supplied_for(actor=county, period=period, unit=unit)}
    assert set(seen) == set(ECO + STAT)
    assert seen["pm25"] == {
        "indicator": "pm25", "department": "生态环境局", "status": "draft", "value": None,
        "disputes": [],
    }  # fmt: skip
    assert seen["gdp"]["status"] is None  # 统计局 has not started
    DepartmentSheet.objects.filter(pk=sheet.pk).update(status=Review.SUBMITTED)
    seen = {s["indicator"]: s for s in sheets.supplied_for(actor=county, period=period, unit=unit)}
    assert (seen["pm25"]["value"], seen["pm25"]["status"]) == (44.0, "submitted")
    with pytest.raises(PermissionDenied):
        sheets.supplied_for(actor=official_users["county-410822"], period=period, unit=unit)
    with pytest.raises(PermissionDenied):
        sheets.supplied_for(actor=official_users["dept-eco"], period=period, unit=unit)
    assert sheets.supplied_for(actor=official_users["analyst"], period=period, unit=unit)


def test_a_county_disputes_a_sent_figure_once_and_the_office_answers(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    period = official_periods["2024"]
    county, analyst = official_users["county-410821"], official_users["analyst"]
    sheet = fill_sheet(period, "生态环境局", ECO_FIGURES)
    with pytest.raises(InputError) as error:  # a draft: nothing sent yet
        sheets.dispute_raise(actor=county, period=period, indicator="pm25", text="偏高")
    assert error.value.codes == ["web.dispute_nothing_sent"]
    DepartmentSheet.objects.filter(pk=sheet.pk).update(status=Review.APPROVED)
    for indicator, text, code in (
        ("budget_revenue", "有误", "web.not_supplied"),  # the county's own figure
        ("pm25", "  ", "web.dispute_text_required"),
    ):
        with pytest.raises(InputError) as error:
            sheets.dispute_raise(actor=county, period=period, indicator=indicator, text=text)
        assert error.value.codes == [code]
    for name in ("dept-eco", "analyst", "viewer"):
        with pytest.raises(PermissionDenied):
            sheets.dispute_raise(actor=official_users[name], period=period, indicator="pm25",
                                 text="偏高")  # fmt: skip
    dispute = sheets.dispute_raise(
        actor=county, period=period, indicator="pm25", text="应为 41，见监测站年报"
    )
    assert (dispute.unit.code, dispute.sheet, dispute.status) == ("410821", sheet, "open")
    with pytest.raises(InputError) as error:
        sheets.dispute_raise(actor=county, period=period, indicator="pm25", text="再问")
    assert error.value.codes == ["web.dispute_open"]
    for name in ("county-410821", "dept-eco", "viewer"):
        with pytest.raises(PermissionDenied):
            sheets.dispute_answer(actor=official_users[name], dispute=dispute, answer="无误")
    with pytest.raises(InputError):
        sheets.dispute_answer(actor=analyst, dispute=dispute, answer="")
    answered = sheets.dispute_answer(actor=analyst, dispute=dispute, answer="经核实无误")
    assert (answered.status, answered.answer) == ("answered", "经核实无误")
    assert answered.answered_at is not None
    with pytest.raises(PermissionDenied):  # once
        sheets.dispute_answer(actor=analyst, dispute=dispute, answer="again")
    raised, answer = AuditEvent.objects.filter(action__startswith="dispute.").order_by("seq")
    assert raised.action == AuditEvent.Action.DISPUTE_RAISE
    assert (raised.data["unit"], raised.data["indicator"]) == ("410821", "pm25")
    assert answer.action == AuditEvent.Action.DISPUTE_ANSWER
    assert answer.data["answer"] == "经核实无误"
    # answered: the figure may be disputed again; not once the period is closed
    sheets.dispute_raise(actor=county, period=period, indicator="pm25", text="仍有异议")
    Period.objects.filter(pk=period.pk).update(status="closed")
    period.refresh_from_db()
    with pytest.raises(PermissionDenied):
        sheets.dispute_raise(actor=county, period=period, indicator="good_air_days", text="x")


def test_what_blocks_the_announcement_names_departments_and_counties(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    period = official_periods["2024"]
    found = sheets.blocking(period)
    assert [(p.code, p.where) for p in found] == [
        ("web.sheet_not_approved", "生态环境局"),
        ("web.sheet_not_approved", "统计局"),
    ]
    assert found[1].zh == "统计局的报送表尚未开始填报：须审核通过后才能公示考核结果。"
    eco = fill_sheet(period, "生态环境局", ECO_FIGURES, status="approved")
    fill_sheet(period, "统计局", {}, status="submitted")
    for county in ("county-410822", "county-410823"):
        sheets.dispute_raise(
            actor=official_users[county], period=period, indicator="pm25", text="偏高"
        )
    found = sheets.blocking(period)
    assert [p.code for p in found] == ["web.sheet_not_approved", "web.open_disputes"]
    assert found[0].zh == "统计局的报送表已报送、待审核：须审核通过后才能公示考核结果。"
    assert found[1].zh.startswith(
        "还有 2 条对部门报送数据的异议没有答复（410822（博爱县）、410823（武陟县））"
    )
    DepartmentSheet.objects.filter(period=period).update(status="approved")
    for dispute in Dispute.objects.all():
        sheets.dispute_answer(actor=official_users["analyst"], dispute=dispute, answer="无误")
    assert sheets.blocking(period) == []
    assert eco.pk  # the approved sheet is the one that counts
    academic = Period.objects.create(code="2025", methodology="county_hqd", status="open")
    assert sheets.blocking(academic) == []


_CELLS = st.tuples(st.sampled_from(["410821", "410822", "410823"]), st.sampled_from(ECO))
_FIGURES = st.one_of(st.none(), st.floats(-50, 200, allow_nan=False), st.sampled_from(["x", ""]))


def _refused(indicator: str, value: object) -> bool:
    """What county_hqd's hard ranges refuse: a share outside 0-100 (优良天数比例, 达标率),
    PM2.5 below 0, and text that is no number."""
    if value is None or value == "":
        return False
    if isinstance(value, str):
        return True
    return value < 0 or (indicator != "pm25" and value > 100)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(figures=st.dictionaries(_CELLS, _FIGURES, max_size=9))
def test_a_save_stores_every_figure_it_is_given_or_none_and_names_exactly_the_bad_ones(
    official_users: dict[str, Any], eco: DepartmentSheet, figures: dict[Any, object]
) -> None:
    with transaction.atomic():  # each example from the same empty sheet
        bad = {k for k, v in figures.items() if _refused(k[1], v)}
        save = functools.partial(
            sheets.sheet_save, actor=official_users["dept-eco"], sheet=eco, values=figures
        )
        if bad:
            with pytest.raises(sheets.SheetProblems) as error:
                save(version=0)
            assert set(error.value.cells) == bad
            assert _stored() == {}
        else:
            save(version=0)
            given = {k: float(v) for k, v in figures.items() if v is not None and v != ""}
            assert _stored() == given
        transaction.set_rollback(True)
