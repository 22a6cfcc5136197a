"""What the departments' sheets change for the counties and the assessment: a county does not
give a figure a department supplies (form, upload, the check before submitting), and an
official assessment takes an approved sheet's figures instead of the counties' own.  An
academic period is collected as before, department accounts or not."""

from __future__ import annotations

import io
from typing import Any

import pytest
from tests.web.workflow import demo_figures, fill

from kaoping.errors import InputError
from kaoping.web.collection import services
from kaoping.web.collection.models import Period, Submission, Unit, Value
from kaoping.web.official.inputs import target_indicators
from kaoping.web.official.models import DepartmentSheet, Review, Target
from kaoping.web.results import services as results

from .sheet_data import ECO, ECO_FIGURES, STAT, fill_sheet


@pytest.fixture
def draft(official_users: dict[str, Any], official_periods: dict[str, Period]) -> Submission:
    """修武县's 2024 submission of the official period, empty."""
    return Submission.objects.create(
        unit=Unit.objects.get(code="410821"), period=official_periods["2024"]
    )


def test_a_county_cannot_give_a_supplied_figure_and_an_empty_one_is_ignored(
    official_users: dict[str, Any], draft: Submission
) -> None:
    county = official_users["county-410821"]
    with pytest.raises(InputError) as error:
        services.submission_save(
            actor=county,
            submission=draft,
            values={"pm25": "40", "gdp": "300", "budget_revenue": "20"},
            version=0,
        )
    assert [(p.code, p.where) for p in error.value] == [
        ("web.supplied_by_department", "pm25"),
        ("web.supplied_by_department", "gdp"),
    ]
    assert "由生态环境局统一报送" in error.value.problems[0].zh
    assert not Value.objects.exists()
    services.submission_save(
        actor=county,
        submission=draft,
        values={"pm25": "", "gdp": "", "budget_revenue": "20"},
        reasons={"pm25": "unknown"},
        version=0,
    )
    assert dict(Value.objects.values_list("indicator", "value")) == {"budget_revenue": 20.0}


def test_the_check_before_submitting_skips_the_supplied_indicators(
    official_users: dict[str, Any], draft: Submission
) -> None:
    """county_hqd_official has 40 indicators; 15 are supplied (统计局 12, 生态环境局 3): a
    county confirms the other 25."""
    blanks = services.unconfirmed_blanks(draft)
    assert len(blanks) == 40 - len(STAT) - len(ECO) == 25
    assert not set(blanks) & set(STAT + ECO)
    own = {k: v for k, v in demo_figures("410821").items() if k not in STAT + ECO}
    fill(draft, own)  # every indicator, the supplied ones too (as the demo data has them)
    Value.objects.filter(submission=draft, indicator__in=STAT + ECO).delete()
    assert services.unconfirmed_blanks(draft) == []
    submitted = services.submission_submit(actor=official_users["county-410821"], submission=draft)
    assert submitted.status == "submitted"


def test_an_upload_with_a_supplied_figure_names_its_cell_and_saves_nothing(
    official_users: dict[str, Any], draft: Submission
) -> None:
    from openpyxl import load_workbook

    county = official_users["county-410821"]
    Value.objects.create(submission=draft, indicator="pm25", value=39.0)  # from before: not shown
    book = load_workbook(io.BytesIO(services.submission_template(actor=county, submission=draft)))
    ws = book["填报表"]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    assert ws.cell(rows["pm25"], 5).value is None
    ws.cell(rows["budget_revenue"], 5, 20)
    buffer = io.BytesIO()
    book.save(buffer)
    services.submission_upload(  # the supplied rows left empty: ignored
        actor=county, submission=draft, filename="f.xlsx", content=buffer.getvalue(), version=0
    )
    assert Value.objects.get(submission=draft, indicator="budget_revenue").value == 20.0
    ws.cell(rows["pm25"], 5, 41)
    ws.cell(rows["budget_revenue"], 5, 25)
    book.save(buffer := io.BytesIO())
    with pytest.raises(services.UploadProblems) as error:
        services.submission_upload(
            actor=county, submission=draft, filename="f.xlsx", content=buffer.getvalue(), version=1
        )
    assert [(p.code, p.where) for p in error.value] == [
        ("web.supplied_by_department", f"f.xlsx!填报表!E{rows['pm25']}")
    ]
    assert Value.objects.get(submission=draft, indicator="budget_revenue").value == 20.0


def test_an_academic_period_is_collected_as_before_with_department_accounts(
    official_users: dict[str, Any], official_units: dict[str, Unit]
) -> None:
    period = Period.objects.create(code="2025", methodology="county_hqd", status="open")
    draft = Submission.objects.create(unit=official_units["410821"], period=period)
    services.submission_save(
        actor=official_users["county-410821"],
        submission=draft,
        values={"gdp": "300", "pm25": "40"},
        version=0,
    )
    assert dict(Value.objects.values_list("indicator", "value")) == {"gdp": 300.0, "pm25": 40.0}
    assert len(services.unconfirmed_blanks(draft)) == 38


def _approved_counties(period: Period) -> dict[str, dict[str, float]]:
    """Every county's 2024 submission approved with the demo data's figures of every
    indicator, the supplied ones too (what a county may have typed before the departments
    had accounts): those must not count."""
    figures = {}
    for code in ("410821", "410822", "410823"):
        submission = Submission.objects.create(
            unit=Unit.objects.get(code=code), period=period, status="approved"
        )
        given = demo_figures(code)
        fill(submission, given)
        figures[code] = {k: v for k, v in given.items() if v is not None}
    return figures


def test_an_approved_sheets_figures_and_not_the_countys_reach_the_assessment(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    """The figures frozen with the official assessment (``inputs["values"]``): for 生态环境局's
    indicators, its approved sheet's (ECO_FIGURES), never the county's own demo figures; while
    its sheet is only submitted, neither (the indicator has no figure: county_hqd_official
    scores a missing figure 0).  统计局's sheet carries the demo figures, approved."""
    period, analyst = official_periods["2024"], official_users["analyst"]
    own = _approved_counties(period)
    stat = {code: {i: row[i] for i in STAT if i in row} for code, row in own.items()}
    fill_sheet(period, "统计局", stat, status=Review.APPROVED)
    eco = fill_sheet(period, "生态环境局", ECO_FIGURES, status=Review.SUBMITTED)
    methodology = services.methodology_of(period.methodology)
    for code in own:
        for indicator in target_indicators(methodology):
            Target.objects.create(
                period=period, unit=Unit.objects.get(code=code), indicator=indicator,
                value=stat[code].get(indicator, 5.0) or 5.0,
            )  # fmt: skip
    for code in own:  # the demo data differ from the department's: the test can tell them
        assert all(own[code].get(i) != ECO_FIGURES[code][i] for i in ECO)

    def frozen(assessment: Any) -> dict[tuple[str, str], float]:
        return {(c, i): v for c, i, v in assessment.inputs["values"]}

    with pytest.raises(InputError) as error:  # no figure of 生态环境局's indicators at all
        results.assessment_compute(actor=analyst, period=period)
    assert sorted(p.where or "" for p in error.value) == sorted(ECO)
    DepartmentSheet.objects.filter(pk=eco.pk).update(status=Review.APPROVED)
    assessment = results.assessment_compute(actor=analyst, period=period)
    values = frozen(assessment)
    for code, row in ECO_FIGURES.items():
        for indicator, value in row.items():
            assert values[(code, indicator)] == value
    assert values[("410821", "gdp")] == stat["410821"]["gdp"]
    assert values[("410822", "budget_revenue")] == own["410822"]["budget_revenue"]  # the county's
    assert assessment.inputs["sources"]["pm25"] == "生态环境局"
    assert assessment.inputs["sources"]["gdp"] == "统计局"
    assert len(assessment.results) == 3
