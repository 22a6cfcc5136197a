"""Objections that can change something: accepted or rejected with the answer; an accepted one
lets the office reopen the county's approved submission, the county correct it, and the ranking
be recomputed and announced again, replacing the one announced before; the county replies once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection import services as collection
from kaoping.web.collection.models import AuditEvent, Period, Submission, Value
from kaoping.web.results import services
from kaoping.web.results.models import Assessment, Objection

from .workflow import LEFT_OUT


@pytest.fixture
def announced(users: dict[str, Any], periods: dict[str, Period], approved: Any) -> Assessment:
    analyst = users["analyst"]
    assessment = services.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    collection.period_close(actor=analyst, period=periods["2024"])  # collection is over
    return services.assessment_announce(actor=analyst, assessment=assessment, days=5)


def test_an_accepted_objection_reopens_recomputes_and_replaces_the_announcement(
    users: dict[str, Any], periods: dict[str, Period], announced: Assessment
) -> None:
    analyst, county = users["analyst"], users["county-410821"]
    objection = services.objection_raise(
        actor=county, assessment=announced, text="我县一般公共预算收入漏报了一笔土地出让收入"
    )
    with pytest.raises(PermissionDenied):  # nothing to reopen before it is accepted
        services.submission_reopen(actor=analyst, objection=objection)
    services.objection_answer(
        actor=analyst, objection=objection, answer="经核实属实，退回更正。", accept=True
    )
    objection.refresh_from_db()
    assert (objection.status, objection.answer) == ("accepted", "经核实属实，退回更正。")
    with pytest.raises(PermissionDenied):  # answered once
        services.objection_answer(actor=analyst, objection=objection, answer="再答", accept=False)

    submission = Submission.objects.get(unit__code="410821", period=periods["2024"])
    assert not access.can_edit_submission(county, submission)  # closed period, approved
    with pytest.raises(PermissionDenied):
        services.submission_reopen(actor=county, objection=objection)
    reopened = services.submission_reopen(actor=analyst, objection=objection)
    assert (reopened.status, reopened.reopened) == ("returned", True)
    assert reopened.comment == "经核实属实，退回更正。"
    assert access.can_edit_submission(county, reopened)  # even though the period is closed

    revenue = Value.objects.get(submission=submission, indicator="budget_revenue").value
    assert revenue is not None
    corrected = round(revenue * 1.05, 2)
    collection.submission_save(
        actor=county,
        submission=reopened,
        values={"budget_revenue": str(corrected)},
        version=reopened.version,
    )
    collection.submission_submit(actor=county, submission=reopened)
    approved = collection.submission_approve(actor=analyst, submission=reopened)
    assert not approved.reopened

    assert services.is_stale(announced)
    with pytest.raises(InputError) as error:
        services.assessment_publish(actor=analyst, assessment=announced)
    assert "web.stale_preview" in error.value.codes or "web.window_open" in error.value.codes

    fresh = services.assessment_compute(actor=analyst, period=periods["2024"], excluded=LEFT_OUT)
    assert ["410821", "budget_revenue", corrected] in fresh.inputs["values"]
    services.assessment_announce(actor=analyst, assessment=fresh, days=5)
    announced.refresh_from_db()
    assert announced.status == Assessment.Status.SUPERSEDED
    Assessment.objects.filter(pk=fresh.pk).update(objections_until=dt.date(2000, 1, 1))
    fresh.refresh_from_db()
    published = services.assessment_publish(actor=analyst, assessment=fresh)
    assert published.status == Assessment.Status.PUBLISHED
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-9:] == [
        "assessment.object",
        "assessment.answer",
        "submission.reopen",
        "submission.save",
        "submission.submit",
        "submission.approve",
        "assessment.compute",
        "assessment.announce",
        "assessment.publish",
    ]
    assert AuditEvent.objects.get(action="assessment.announce", data__replaces=[announced.pk])


def test_a_rejected_objection_gets_one_reply_from_its_county(
    users: dict[str, Any], announced: Assessment
) -> None:
    analyst, county, other = users["analyst"], users["county-410821"], users["county-410822"]
    objection = services.objection_raise(actor=county, assessment=announced, text="排名有误")
    with pytest.raises(PermissionDenied):  # nothing to reply to yet
        services.objection_reply(actor=county, objection=objection, text="请答复")
    services.objection_answer(
        actor=analyst, objection=objection, answer="数据来自统计局年报，无误。", accept=False
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REJECTED
    with pytest.raises(PermissionDenied):
        services.submission_reopen(actor=analyst, objection=objection)
    with pytest.raises(PermissionDenied):  # another county
        services.objection_reply(actor=other, objection=objection, text="我也有意见")
    with pytest.raises(InputError):
        services.objection_reply(actor=county, objection=objection, text="  ")
    services.objection_reply(actor=county, objection=objection, text="接受答复。")
    with pytest.raises(PermissionDenied):  # once
        services.objection_reply(actor=county, objection=objection, text="再说一次")
    objection.refresh_from_db()
    assert objection.reply == "接受答复。"
    assert objection.replied_at is not None
