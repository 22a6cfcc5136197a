"""Judges' scores (评议) on the platform: entered or uploaded, checked against the methodology's
criteria and maxima, stored in one transaction, frozen into the assessment and aggregated by the
engine as the methodology says.

The methodology ``JUDGED`` (stored like an uploaded one): g (efficacy, 10 points) and j (judged:
进度 at most 60, 质量 at most 40, trimmed: the highest and lowest dropped with 5 judges or more;
10 points).  By hand for 修武县, five judges: 进度 50, 52, 54, 56, 58 -> without 50 and 58 the
mean is 54; 质量 30, 31, 32, 33, 40 -> without 30 and 40 the mean is 32; (54 + 32) / 100 = 0.86 of
10 points = 8.6.  博爱县, the same judges: 进度 60 x 5 -> 60, 质量 20 x 5 -> 20; 0.8 -> 8.0.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from kaoping.errors import InputError
from kaoping.web.collection.models import (
    AuditEvent,
    Period,
    StoredMethodology,
    Submission,
    Unit,
    Value,
)
from kaoping.web.official import judged
from kaoping.web.official.models import JudgedScore
from kaoping.web.results import services as results

JUDGED = """\
id: judged_mini
name: 评议示例
dimensions:
  - id: econ
    name: 指标
    indicators: [{id: g, name: 增速, direction: positive}]
  - id: obs
    name: 观摩
    indicators: [{id: j, name: 观摩评比, direction: positive}]
official:
  total_points: 20
  compare_within: all
  scoring:
    g: {points: 10, rule: efficacy}
    j: {points: 10, rule: {method: judged, criteria: {进度: 60, 质量: 40}, trim: true}}
"""
SCORES = {
    "410821": {"进度": [50, 52, 54, 56, 58], "质量": [30, 31, 32, 33, 40]},
    "410822": {"进度": [60] * 5, "质量": [20] * 5},
}


@pytest.fixture
def period(official_users: dict[str, Any], official_units: dict[str, Unit]) -> Period:
    StoredMethodology.objects.create(key="judged_mini", name="评议示例", text=JUDGED)
    Unit.objects.update(category="")
    this = Period.objects.create(code="2024", methodology="judged_mini", status="closed")
    for code, g in (("410821", 5.0), ("410822", 7.0)):
        s = Submission.objects.create(unit=official_units[code], period=this, status="approved")
        Value.objects.create(submission=s, indicator="g", value=g)
    return this


def _sheet(actor: Any, period: Period, change: Any = None) -> bytes:
    """The downloaded judges' sheet filled with ``SCORES`` (武陟县's rows removed)."""
    book = load_workbook(io.BytesIO(judged.judged_template(actor=actor, period=period)))
    sheet = book.active
    assert sheet is not None
    gone = []
    for row in sheet.iter_rows(min_row=3):
        code, _name, judge, criterion = (c.value for c in row[:4])
        if code not in SCORES:
            gone.append(row[0].row)
            continue
        row[4].value = SCORES[code][criterion][int(str(judge).removeprefix("评委")) - 1]
    for index in reversed(gone):
        sheet.delete_rows(index)
    if change:
        change(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_uploaded_scores_are_aggregated_as_worked_by_hand(
    period: Period, official_users: dict[str, Any]
) -> None:
    analyst = official_users["analyst"]
    content = _sheet(analyst, period)
    assert judged.judged_upload(actor=analyst, period=period, filename="评议.xlsx",
                                content=content) == 20  # fmt: skip
    table = judged.judged_table(period)
    shares = {r["code"]: r["aggregates"]["j"] for r in table["rows"]}
    assert shares["410821"] == pytest.approx(0.86)
    assert shares["410822"] == pytest.approx(0.8)
    assessment = results.assessment_compute(
        actor=analyst, period=period, excluded={"410823": "未参加评议"}
    )
    points = {r["unit"]: r["points"]["j"] for r in assessment.results}
    assert points == pytest.approx({"410821": 8.6, "410822": 8.0})
    assert len(assessment.inputs["judged"]) == 20
    assert results.assessment_verify(assessment=assessment)


@pytest.mark.parametrize(
    ("cell", "value", "code"),
    [
        ("E3", 61, "web.judged_above_maximum"),  # 进度 at most 60
        ("D4", "创新", "web.judged_unknown_criterion"),
        ("A5", "419999", "web.judged_unknown_unit"),
        ("E6", "很好", "data.bad_score"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_stored(
    period: Period, official_users: dict[str, Any], cell: str, value: Any, code: str
) -> None:
    analyst = official_users["analyst"]
    judged.judged_upload(actor=analyst, period=period, filename="a.xlsx",
                         content=_sheet(analyst, period))  # fmt: skip
    before = sorted(JudgedScore.objects.values_list("unit__code", "judge", "criterion", "score"))
    events = AuditEvent.objects.count()

    def spoil(sheet: Any) -> None:
        sheet[cell] = value

    with pytest.raises(InputError) as info:
        judged.judged_upload(actor=analyst, period=period, filename="评议.xlsx",
                             content=_sheet(analyst, period, spoil))  # fmt: skip
    # named by the cell: the score's cell for the value checks, the row's score cell otherwise
    assert [(p.code, p.where) for p in info.value.problems] == [
        (code, f"评议.xlsx!评委打分表!E{cell[1:]}")
    ]
    assert sorted(JudgedScore.objects.values_list("unit__code", "judge", "criterion", "score")) \
        == before  # fmt: skip
    assert AuditEvent.objects.count() == events


def test_one_judge_entered_on_the_page(period: Period, official_users: dict[str, Any]) -> None:
    analyst = official_users["analyst"]
    unit = Unit.objects.get(code="410821")
    judged.judged_enter(actor=analyst, period=period, unit=unit, judge="张三",
                        scores={"进度": "55", "质量": "35"})  # fmt: skip
    with pytest.raises(InputError) as info:
        judged.judged_enter(actor=analyst, period=period, unit=unit, judge="张三",
                            scores={"进度": "70", "质量": "x"})  # fmt: skip
    assert sorted(info.value.codes) == ["web.judged_above_maximum", "web.judged_bad_score"]
    assert dict(JudgedScore.objects.values_list("criterion", "score")) == {"进度": 55, "质量": 35}


def test_only_the_city_office_enters_scores(period: Period, official_users: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    for name in ("county-410821", "dept-stat", "viewer"):
        with pytest.raises(PermissionDenied):
            judged.judged_template(actor=official_users[name], period=period)


def test_a_period_without_judged_indicators_says_so(
    official_users: dict[str, Any], official_periods: dict[str, Period]
) -> None:
    with pytest.raises(InputError) as info:
        judged.judged_template(actor=official_users["analyst"], period=official_periods["2024"])
    assert info.value.codes == ["web.no_judged"]


def test_the_judged_indicator_is_not_on_the_county_form(period: Period) -> None:
    from kaoping.web.collection.services import indicators_of

    assert list(indicators_of("judged_mini")) == ["g"]


def test_an_overlong_judge_name_is_refused_before_the_database_sees_it(
    period: Period, official_users: dict[str, Any]
) -> None:
    """The column holds 100 characters (PostgreSQL would fail on more, SQLite keep them)."""
    with pytest.raises(InputError) as info:
        judged.judged_enter(actor=official_users["analyst"], period=period,
                            unit=Unit.objects.get(code="410821"), judge="评" * 101,
                            scores={"进度": "50"})  # fmt: skip
    assert info.value.codes == ["web.judged_long_judge"]
    assert not JudgedScore.objects.exists()
