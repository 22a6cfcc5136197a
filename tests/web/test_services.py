"""Collection and review services: saving figures, stale edits, the review cycle, history and
the audit log.  Figures are parsed as the engine parses a cell (kaoping.data.parse_number)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.collection import services
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value

from .workflow import fill


def test_it_saves_figures_parsed_like_cells_and_records_who_changed_what(
    users: dict[str, Any], submission: Submission
) -> None:
    county = users["county-410821"]
    saved = services.submission_save(
        actor=county,
        submission=submission,
        values={"gdp": "1,234.5", "urbanization": "５６"},
        version=0,
    )
    assert saved.version == 1
    assert dict(Value.objects.values_list("indicator", "value")) == {
        "gdp": 1234.5,
        "urbanization": 56.0,
    }
    services.submission_save(actor=county, submission=saved, values={"gdp": "1300"}, version=1)
    gdp = Value.objects.get(indicator="gdp")
    assert [h.value for h in gdp.history.order_by("history_date")] == [1234.5, 1300.0]
    assert {h.history_user for h in gdp.history.all()} == {county}
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [AuditEvent.Action.SAVE, AuditEvent.Action.SAVE]


def test_it_reports_every_bad_figure_by_indicator_and_saves_nothing(
    users: dict[str, Any], submission: Submission
) -> None:
    with pytest.raises(InputError) as error:
        services.submission_save(
            actor=users["county-410821"],
            submission=submission,
            values={"gdp": "12,3%", "urbanization": "56", "nonsense": "1"},
            version=0,
        )
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("data.not_a_number", "gdp"),
        ("web.unknown_indicator", "nonsense"),
    ]
    assert not Value.objects.exists()
    submission.refresh_from_db()
    assert submission.version == 0
    assert not AuditEvent.objects.exists()


def test_it_refuses_the_second_of_two_concurrent_saves(
    users: dict[str, Any], submission: Submission
) -> None:
    county = users["county-410821"]
    # both opened the form at version 0; the first save wins, the second is refused
    services.submission_save(actor=county, submission=submission, values={"gdp": "1"}, version=0)
    with pytest.raises(services.StaleEdit, match=r"(version|版本) 1"):
        services.submission_save(
            actor=county, submission=submission, values={"gdp": "2"}, version=0
        )
    assert Value.objects.get(indicator="gdp").value == 1.0


def test_it_asks_for_a_note_when_a_figure_is_more_than_three_times_last_years(
    users: dict[str, Any],
    units: dict[str, Unit],
    periods: dict[str, Period],
    submission: Submission,
) -> None:
    last = Submission.objects.create(unit=units["410821"], period=periods["2023"])
    Value.objects.create(submission=last, indicator="gdp", value=100.0)
    county = users["county-410821"]
    with pytest.raises(InputError) as error:
        services.submission_save(
            actor=county, submission=submission, values={"gdp": "350"}, version=0
        )
    assert error.value.codes == ["plausibility.change"]  # the methodology's default ratio 3
    assert "3.50 times" in error.value.problems[0].en
    services.submission_save(
        actor=county,
        submission=submission,
        values={"gdp": "350"},
        notes={"gdp": "新投产的电厂并网"},
        version=0,
    )
    row = Value.objects.get(submission=submission, indicator="gdp")
    assert (row.value, row.note) == (350.0, "新投产的电厂并网")
    assert row.history.latest().history_change_reason == "新投产的电厂并网"
    # 2.9 times is plausible: no note needed
    services.submission_save(actor=county, submission=submission, values={"gdp": "290"}, version=1)


def test_a_submission_goes_through_submit_return_resubmit_approve(
    users: dict[str, Any], submission: Submission
) -> None:
    county, analyst = users["county-410821"], users["analyst"]
    fill(submission)  # every figure blank, "not known": it may be submitted
    services.submission_save(actor=county, submission=submission, values={"gdp": "1"}, version=0)
    services.submission_submit(actor=county, submission=submission)
    with pytest.raises(PermissionDenied):  # submitted: the county can no longer edit
        services.submission_save(
            actor=county, submission=submission, values={"gdp": "2"}, version=1
        )
    with pytest.raises(InputError, match="comment"):
        services.submission_return(actor=analyst, submission=submission, comment="  ")
    returned = services.submission_return(
        actor=analyst, submission=submission, comment="GDP 与统计年鉴不符"
    )
    assert (returned.status, returned.comment) == ("returned", "GDP 与统计年鉴不符")
    services.submission_save(actor=county, submission=submission, values={"gdp": "2"}, version=1)
    services.submission_submit(actor=county, submission=submission)
    approved = services.submission_approve(actor=analyst, submission=submission)
    assert approved.status == Submission.Status.APPROVED
    with pytest.raises(PermissionDenied):  # approved: nothing more to review
        services.submission_approve(actor=analyst, submission=submission)
    assert list(AuditEvent.objects.values_list("action", "actor__username")) == [
        ("submission.save", "county-410821"),
        ("submission.submit", "county-410821"),
        ("submission.return", "analyst"),
        ("submission.save", "county-410821"),
        ("submission.submit", "county-410821"),
        ("submission.approve", "analyst"),
    ]


def test_a_closed_period_accepts_no_figures(
    users: dict[str, Any], periods: dict[str, Period], submission: Submission
) -> None:
    services.period_close(actor=users["analyst"], period=periods["2024"])
    with pytest.raises(PermissionDenied):
        services.submission_save(
            actor=users["county-410821"], submission=submission, values={"gdp": "1"}, version=0
        )
    with pytest.raises(PermissionDenied):
        services.period_open(actor=users["county-410821"], period=periods["2024"])
    services.period_open(actor=users["analyst"], period=periods["2024"])
    services.submission_save(
        actor=users["county-410821"], submission=submission, values={"gdp": "1"}, version=0
    )


def test_the_audit_log_cannot_be_changed_or_deleted(
    users: dict[str, Any], periods: dict[str, Period]
) -> None:
    services.period_close(actor=users["analyst"], period=periods["2024"])
    event = AuditEvent.objects.get()
    event.data = {"forged": True}
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(data={})
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().data == {}
