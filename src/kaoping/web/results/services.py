"""Compute, announce, answer objections, publish, and verify an assessment.

The numbers come from the engine (:func:`kaoping.assess`) on the approved figures only.  What
they depend on is frozen with the assessment (the methodology's full text, every figure, the
units and their categories) and hashed; :func:`assessment_verify` recomputes from the frozen
inputs and says whether every number is identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import kaoping  # light: its names (kaoping.assess, kaoping.Panel …) load on first use
from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit, Value
from kaoping.web.results.models import Assessment, Objection

# pandas and kaoping.methodology (pydantic) are imported where they are used: management
# commands start without them.


def _audit(action: AuditEvent.Action, actor: Any, assessment: Assessment, **data: Any) -> None:
    AuditEvent.record(action, actor, period=assessment.period, assessment=assessment.pk, **data)


def inputs_hash(inputs: dict[str, Any]) -> str:
    """SHA-256 of the inputs' canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _gather(period: Period) -> dict[str, Any]:
    """The frozen inputs of an assessment of ``period``: approved figures only."""
    from kaoping.methodology import dumps

    approved = Submission.objects.filter(period=period, status=Submission.Status.APPROVED)
    rows = (
        Value.objects.filter(submission__in=approved, value__isnull=False)
        .order_by("submission__unit__code", "indicator")
        .values_list("submission__unit__code", "indicator", "value")
    )
    values = [[code, indicator, float(value)] for code, indicator, value in rows]
    codes = sorted({code for code, _, _ in values})
    units = [
        [u.code, u.name, u.category or None]
        for u in Unit.objects.filter(code__in=codes).order_by("code")
    ]
    return {
        "period": period.code,
        "methodology": dumps(methodology_of(period.methodology)),
        "units": units,
        "values": values,
    }


def evaluate(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The results (one record per unit) of frozen inputs, by the engine."""
    import pandas as pd

    from kaoping.methodology import loads

    methodology = loads(inputs["methodology"], source="assessment")
    panel = kaoping.Panel(
        pd.DataFrame(inputs["values"], columns=["unit", "indicator", "value"]).assign(
            period=inputs["period"]
        )
    )
    units = kaoping.Units(pd.DataFrame(inputs["units"], columns=["code", "name", "category"]))
    records: list[dict[str, Any]] = kaoping.assess(
        methodology, panel, inputs["period"], units=units
    ).to_records()
    return records


def assessment_compute(*, actor: Any, period: Period) -> Assessment:
    """Compute the period's assessment from the approved figures, as a preview."""
    access.require_reviewer(actor)
    inputs = _gather(period)
    if not inputs["values"]:
        raise InputError(
            [
                Problem(
                    "web.nothing_approved",
                    f"{period.code} 还没有审核通过的填报，无法计算。请先审核各县的数据。",
                    f"no submission of {period.code} is approved yet: review the counties' "
                    "figures first.",
                    period.code,
                )
            ]
        )
    results = evaluate(inputs)  # engine problems (missing figures …) are raised as they are
    with transaction.atomic():
        assessment = Assessment.objects.create(
            period=period,
            methodology=period.methodology,
            inputs=inputs,
            inputs_hash=inputs_hash(inputs),
            results=results,
        )
        _audit(AuditEvent.Action.COMPUTE, actor, assessment, inputs_hash=assessment.inputs_hash)
    return assessment


def assessment_announce(*, actor: Any, assessment: Assessment, days: int) -> Assessment:
    """Announce the results (公示): counties may object for ``days`` days."""
    access.require_reviewer(actor)
    if assessment.status != Assessment.Status.COMPUTED:
        raise PermissionDenied(_("Only a computed assessment can be announced."))
    if days < 1:
        raise InputError(
            [
                Problem(
                    "web.bad_window",
                    f"公示期须至少 1 天，收到 {days}。",
                    f"the objection window must be at least 1 day; got {days}.",
                    "days",
                )
            ]
        )
    with transaction.atomic():
        assessment.status = Assessment.Status.ANNOUNCED
        assessment.objections_until = timezone.localdate() + dt.timedelta(days=days)
        assessment.save(update_fields=["status", "objections_until"])
        _audit(AuditEvent.Action.ANNOUNCE, actor, assessment, days=days)
    return assessment


def objection_window_open(assessment: Assessment) -> bool:
    """Whether the announced assessment still takes objections (until its last day)."""
    return (
        assessment.status == Assessment.Status.ANNOUNCED
        and assessment.objections_until is not None
        and timezone.localdate() <= assessment.objections_until
    )


def objection_raise(*, actor: Any, assessment: Assessment, text: str) -> Objection:
    """A county objects to the announced results, within the window."""
    unit_id = access.unit_id_of(actor)
    if unit_id is None:
        raise PermissionDenied(_("Only a county submitter raises an objection."))
    if not objection_window_open(assessment):
        raise PermissionDenied(_("The objection window of this assessment is closed."))
    if not text.strip():
        raise InputError(
            [Problem("web.empty_objection", "异议内容不能为空。", "the objection is empty.",
                     "text")]
        )  # fmt: skip
    with transaction.atomic():
        objection = Objection.objects.create(
            assessment=assessment, unit_id=unit_id, text=text.strip()
        )
        _audit(AuditEvent.Action.OBJECT, actor, assessment, objection=objection.pk)
    return objection


def objection_answer(*, actor: Any, objection: Objection, answer: str) -> Objection:
    access.require_reviewer(actor)
    if not answer.strip():
        raise InputError(
            [Problem("web.empty_answer", "答复不能为空。", "the answer is empty.", "answer")]
        )
    with transaction.atomic():
        objection.answer = answer.strip()
        objection.save(update_fields=["answer"])
        _audit(AuditEvent.Action.ANSWER, actor, objection.assessment, objection=objection.pk)
    return objection


def assessment_publish(*, actor: Any, assessment: Assessment) -> Assessment:
    """Publish an announced assessment once its window is over and every objection answered."""
    access.require_reviewer(actor)
    problems = []
    if assessment.status != Assessment.Status.ANNOUNCED:
        problems.append(
            Problem(
                "web.not_announced",
                "只有公示过的考核结果才能发布。",
                "only an announced assessment can be published.",
                "status",
            )
        )
    elif assessment.objections_until and timezone.localdate() <= assessment.objections_until:
        until = assessment.objections_until.isoformat()
        problems.append(
            Problem(
                "web.window_open",
                f"公示期到 {until} 为止，期满后才能发布。",
                f"the objection window runs until {until}; publish after it.",
                "objections_until",
            )
        )
    unanswered = assessment.objections.filter(answer="").count()
    if unanswered:
        problems.append(
            Problem(
                "web.unanswered_objections",
                f"还有 {unanswered} 条异议没有答复。",
                f"{unanswered} objection(s) have no answer yet.",
                "objections",
            )
        )
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        assessment.status = Assessment.Status.PUBLISHED
        assessment.published_at = timezone.now()
        assessment.save(update_fields=["status", "published_at"])
        _audit(AuditEvent.Action.PUBLISH, actor, assessment, inputs_hash=assessment.inputs_hash)
    return assessment


def assessment_verify(*, assessment: Assessment) -> bool:
    """Recompute from the frozen inputs: True when their hash and every number are identical."""
    return inputs_hash(assessment.inputs) == assessment.inputs_hash and (
        evaluate(assessment.inputs) == assessment.results
    )
