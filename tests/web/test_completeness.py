"""A ranking a city can stand behind: every unit approved or left out by name with a reason,
no announcement or publication of a preview that the approved figures have moved past, and
previews that can be set aside.  The fixture: 修武县 and 博爱县 approved, 武陟县 submitted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.collection import services as collection
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value
from kaoping.web.results import services
from kaoping.web.results.models import Assessment

from .workflow import LEFT_OUT, demo_figures, fill


def test_it_refuses_to_rank_while_a_unit_is_neither_approved_nor_left_out(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    Unit.objects.create(code="410825", name="温县", category="非重点生态功能区")  # not started
    with pytest.raises(InputError) as error:
        services.assessment_compute(actor=users["analyst"], period=periods["2024"])
    (problem,) = error.value.problems
    assert problem.code == "web.incomplete"
    assert "共 4 个单位，审核通过 2 个" in problem.zh
    assert "410823（武陟县）" in problem.zh
    assert "410825（温县）" in problem.zh
    assert Assessment.objects.count() == 0
    assert services.completeness(periods["2024"]) == {
        "total": 4,
        "approved": 2,
        "pending": [
            {"code": "410823", "name": "武陟县", "name_en": "", "status": "submitted"},
            {"code": "410825", "name": "温县", "name_en": "", "status": None},
        ],
    }


def test_a_unit_left_out_needs_a_reason_and_cannot_be_an_approved_one(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    with pytest.raises(InputError) as error:
        services.assessment_compute(
            actor=users["analyst"],
            period=periods["2024"],
            excluded={"410823": "  ", "410821": "不想要", "999999": "?"},
        )
    assert sorted((p.code, p.where) for p in error.value) == [
        ("web.excluded_but_approved", "410821"),
        ("web.exclusion_reason", "410823"),
        ("web.unknown_unit", "999999"),
    ]


def test_the_units_left_out_are_frozen_logged_and_shown(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    assessment = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    assert assessment.ranked == 2
    assert assessment.excluded == [
        {"code": "410823", "name": "武陟县", "reason": "武陟县的数据尚未审核通过"}
    ]
    assert assessment.inputs["excluded"] == [["410823", "武陟县", "武陟县的数据尚未审核通过"]]
    event = AuditEvent.objects.get(action="assessment.compute")
    assert event.data["excluded"] == [["410823", "武陟县", "武陟县的数据尚未审核通过"]]
    assert event.data["ranked"] == 2
    assert services.assessment_verify(assessment=assessment)


def test_a_preview_overtaken_by_an_approval_cannot_be_announced_or_published(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    analyst = users["analyst"]
    old = services.assessment_compute(actor=analyst, period=periods["2024"], excluded=LEFT_OUT)
    assert not services.is_stale(old)
    wuzhi = Submission.objects.get(unit__code="410823", period=periods["2024"])
    collection.submission_approve(actor=analyst, submission=wuzhi)
    assert services.is_stale(old)
    with pytest.raises(InputError) as error:
        services.assessment_announce(actor=analyst, assessment=old, days=5)
    assert error.value.codes == ["web.stale_preview"]
    fresh = services.assessment_compute(actor=analyst, period=periods["2024"])
    assert fresh.ranked == 3
    assert fresh.excluded == []
    services.assessment_announce(actor=analyst, assessment=fresh, days=5)
    # a figure changed behind the announced ranking's back (e.g. by the admin) is noticed too
    Value.objects.filter(submission=wuzhi, indicator="gdp").update(value=999.0)
    assert services.is_stale(fresh)


def test_an_old_preview_lacking_a_unit_is_incomplete(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    analyst = users["analyst"]
    assessment = services.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    Unit.objects.create(code="410825", name="温县")  # a unit added afterwards
    assert services.incomplete(assessment) == ["410825"]
    with pytest.raises(InputError) as error:
        services.assessment_announce(actor=analyst, assessment=assessment, days=5)
    assert error.value.codes == ["web.incomplete_preview"]  # its figures have not moved


def test_a_preview_can_be_discarded_and_only_a_preview(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    analyst = users["analyst"]
    assessment = services.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    with pytest.raises(PermissionDenied):
        services.assessment_discard(actor=users["county-410821"], assessment=assessment)
    discarded = services.assessment_discard(actor=analyst, assessment=assessment)
    assert discarded.status == Assessment.Status.DISCARDED
    assert AuditEvent.objects.filter(action="assessment.discard").count() == 1
    with pytest.raises(PermissionDenied):
        services.assessment_discard(actor=analyst, assessment=discarded)


def test_blanks_must_be_confirmed_before_submitting(
    users: dict[str, Any], submission: Submission
) -> None:
    county = users["county-410821"]
    figures = demo_figures("410821")
    values: dict[str, object] = {k: v for k, v in figures.items() if v is not None}
    values["fdi"] = ""
    values["trade"] = ""
    collection.submission_save(actor=county, submission=submission, values=values, version=0)
    with pytest.raises(InputError) as error:
        collection.submission_submit(actor=county, submission=submission)
    assert [(p.code, p.where) for p in error.value] == [
        ("web.unconfirmed_blank", "trade"),
        ("web.unconfirmed_blank", "fdi"),
    ]
    with pytest.raises(InputError) as error:
        collection.submission_save(
            actor=county, submission=submission, values={"fdi": ""}, reasons={"fdi": "懒"},
            version=1,
        )  # fmt: skip
    assert error.value.codes == ["web.bad_blank_reason"]
    collection.submission_save(
        actor=county,
        submission=submission,
        values={"fdi": "", "trade": ""},
        reasons={"fdi": "not_applicable", "trade": "unknown"},
        version=1,
    )
    submitted = collection.submission_submit(actor=county, submission=submission)
    assert submitted.status == Submission.Status.SUBMITTED
    reasons = dict(
        Value.objects.filter(submission=submission, value__isnull=True).values_list(
            "indicator", "blank_reason"
        )
    )
    assert reasons == {"fdi": "not_applicable", "trade": "unknown"}


def test_a_figure_given_forgets_the_reason_for_its_blank(
    users: dict[str, Any], submission: Submission
) -> None:
    fill(submission)  # every figure blank, "not known"
    county = users["county-410821"]
    collection.submission_save(
        actor=county, submission=submission, values={"gdp": "250"}, reasons={"gdp": "unknown"},
        version=0,
    )  # fmt: skip
    row = Value.objects.get(submission=submission, indicator="gdp")
    assert (row.value, row.blank_reason) == (250.0, "")


def test_impossible_figures_are_refused_and_unusual_ones_need_a_note(
    users: dict[str, Any], submission: Submission
) -> None:
    county = users["county-410821"]
    with pytest.raises(InputError) as error:
        collection.submission_save(
            actor=county,
            submission=submission,
            values={"tax_share": "-5", "gas_coverage": "104.37",
                    "rural_power_reliability": "100.86", "hightech_firms": "56.91"},
            version=0,
        )  # fmt: skip
    assert [(p.code, p.where) for p in error.value] == [
        ("plausibility.below_min", "tax_share"),
        ("plausibility.not_whole", "hightech_firms"),
        ("plausibility.above_max", "gas_coverage"),
        ("plausibility.above_max", "rural_power_reliability"),
    ]
    assert not Value.objects.filter(submission=submission).exists()
    # 90.5 % power reliability is possible but below its usual 95: a note makes it acceptable
    with pytest.raises(InputError) as error:
        collection.submission_save(
            actor=county, submission=submission, values={"rural_power_reliability": "90.5"},
            version=0,
        )  # fmt: skip
    assert error.value.codes == ["plausibility.soft_range"]
    collection.submission_save(
        actor=county,
        submission=submission,
        values={"rural_power_reliability": "90.5"},
        notes={"rural_power_reliability": "七月洪灾致线路受损"},
        version=0,
    )
    # the cross-check sees the whole submission: revenue above GDP is refused
    collection.submission_save(
        actor=county, submission=submission, values={"gdp": "100"}, version=1
    )
    with pytest.raises(InputError) as error:
        collection.submission_save(
            actor=county, submission=submission, values={"budget_revenue": "120"}, version=2
        )
    assert [(p.code, p.where) for p in error.value] == [("plausibility.cross", "budget_revenue")]
