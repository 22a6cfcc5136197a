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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from kaoping.web.official.models import Item

OPEN_STATUSES = (Assessment.Status.COMPUTED, Assessment.Status.ANNOUNCED)
"""An assessment still on its way to publication: it can go stale."""


def _audit(action: AuditEvent.Action, actor: Any, assessment: Assessment, **data: Any) -> None:
    AuditEvent.record(action, actor, period=assessment.period, assessment=assessment.pk, **data)


def inputs_hash(inputs: dict[str, Any]) -> str:
    """SHA-256 of the inputs' canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _gather(period: Period, excluded: list[list[str]] | None = None) -> dict[str, Any]:
    """The frozen inputs of an assessment of ``period``: approved figures only, and the units
    the analyst left out with the reason (``[code, name, reason]``)."""
    from kaoping.methodology import dumps  # pydantic: management commands start without it

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
    methodology = methodology_of(period.methodology)
    out: dict[str, Any] = {
        "period": period.code,
        "methodology": dumps(methodology),
        "units": units,
        "values": values,
        "excluded": excluded or [],
    }
    if methodology.official is not None:  # targets, departments' figures, items, previous …
        from kaoping.web.official.inputs import gather

        out.update(gather(period, methodology, codes, values))
    return out


ROBUSTNESS = {"samples": 1000, "seed": 1}
"""How an academic ranking's robustness is computed with it: the engine's uncertainty
analysis (weights drawn around their nominal values, Dirichlet, concentration 100), this many
samples, this seed.  Frozen with the inputs, so that a recomputation gives the same numbers."""


def _engine(inputs: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The methodology, panel and units of frozen inputs, for the engine."""
    import pandas as pd

    from kaoping.methodology import loads

    methodology = loads(inputs["methodology"], source="assessment")
    frame = pd.DataFrame(inputs["values"], columns=["unit", "indicator", "value"]).assign(
        period=inputs["period"]
    )
    if inputs.get("previous_values"):  # an official growth rule reads the previous period
        before = pd.DataFrame(inputs["previous_values"], columns=["unit", "indicator", "value"])
        frame = pd.concat([before.assign(period=inputs["previous"]["period"]), frame])
    panel = kaoping.Panel(frame)
    units = kaoping.Units(pd.DataFrame(inputs["units"], columns=["code", "name", "category"]))
    return methodology, panel, units


def result_of(inputs: dict[str, Any]) -> Any:
    """The engine's result of frozen inputs: a :class:`kaoping.assess.Result` (or an
    ``OfficialResult`` for an official methodology), whose records :func:`evaluate` stores
    and whose workbook the xlsx export is."""
    methodology, panel, units = _engine(inputs)
    if methodology.is_official:
        from kaoping.web.official.inputs import engine_arguments

        extra = engine_arguments(inputs, methodology)
        return kaoping.assess(methodology, panel, inputs["period"], units=units, **extra)
    return kaoping.assess(methodology, panel, inputs["period"], units=units)


def evaluate(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The results (one record per unit) of frozen inputs, by the engine; with
    ``inputs["robustness"]`` each record's ``robust``: its rank's 5%-95% interval and median
    and its probability of the first tier under the engine's uncertainty analysis."""
    records: list[dict[str, Any]] = result_of(inputs).to_records()
    spec = inputs.get("robustness")
    if spec:
        robust = _robustness(inputs, spec)
        for record in records:
            record["robust"] = robust.get(record["unit"])
    return records


def uncertainty_of(inputs: dict[str, Any]) -> Any:
    """The engine's uncertainty analysis of an academic ranking as it was computed with it
    (the spec frozen in ``inputs["robustness"]``: samples and seed), or None without one."""
    import warnings

    from kaoping.analysis.uncertainty import uncertainty
    from kaoping.errors import KaopingWarning

    spec = inputs.get("robustness")
    if not spec:
        return None
    methodology, panel, units = _engine(inputs)
    with warnings.catch_warnings():  # the assessment itself has said them
        warnings.simplefilter("ignore", KaopingWarning)
        return uncertainty(
            methodology, panel, inputs["period"], units=units, n=spec["samples"],
            rng=spec["seed"],
        )  # fmt: skip


def _robustness(inputs: dict[str, Any], spec: dict[str, int]) -> dict[str, dict[str, Any]]:
    found = uncertainty_of({**inputs, "robustness": spec})
    methodology = found.methodology
    first = methodology.tiers[0].name if methodology.tiers else None
    out: dict[str, dict[str, Any]] = {}
    for code, row in found.table.iterrows():
        if row.isna()["p05"]:
            continue
        out[str(code)] = {
            "p05": int(row["p05"]),
            "p95": int(row["p95"]),
            "median": int(row["median_rank"]),
            "tier": first,
            "p_first": None if first is None else round(float(row[f"P({first})"]), 4),
            "samples": spec["samples"],
        }
    return out


def completeness(period: Period) -> dict[str, Any]:
    """Where the period's collection stands: ``total`` units, ``approved`` (how many), and
    ``pending``: every unit not approved, with its submission's status (None: not started)."""
    status = dict(Submission.objects.filter(period=period).values_list("unit__code", "status"))
    units = list(Unit.objects.order_by("code").values_list("code", "name", "name_en"))
    pending = [
        {"code": code, "name": name, "name_en": name_en, "status": status.get(code)}
        for code, name, name_en in units
        if status.get(code) != Submission.Status.APPROVED
    ]
    return {"total": len(units), "approved": len(units) - len(pending), "pending": pending}


def assessment_compute(
    *, actor: Any, period: Period, excluded: Mapping[str, str] | None = None
) -> Assessment:
    """Compute the period's assessment from the approved figures, as a preview.

    Every unit must be approved, or named in ``excluded`` (unit code -> the reason it is left
    out, e.g. 数据未通过审核): a ranking with units silently missing is refused, with every
    such unit named.  The exclusions are frozen with the inputs, kept in the audit log and
    shown with the ranking (未参评).
    """
    access.require_reviewer(actor)
    excluded = {k: v.strip() for k, v in (excluded or {}).items()}
    state = completeness(period)
    pending = {p["code"]: p for p in state["pending"]}
    names = dict(Unit.objects.values_list("code", "name"))
    problems: list[Problem] = []
    for code, reason in excluded.items():
        if code not in names:
            problems.append(
                Problem("web.unknown_unit", f"没有单位 {code}。", f"there is no unit {code}.", code)
            )
        elif code not in pending:
            problems.append(
                Problem(
                    "web.excluded_but_approved",
                    f"{code}（{names[code]}）的填报已审核通过，应当参评，不能列为未参评。",
                    f"{code} ({names[code]}) is approved and takes part: it cannot be left out.",
                    code,
                )
            )
        elif not reason:
            problems.append(
                Problem(
                    "web.exclusion_reason",
                    f"请说明 {code}（{names[code]}）未参评的原因。",
                    f"say why {code} ({names[code]}) is left out.",
                    code,
                )
            )
    unnamed = [p for code, p in pending.items() if code not in excluded]
    if unnamed:
        listed = "、".join(f"{p['code']}（{p['name']}）" for p in unnamed[:20])
        more = f" 等 {len(unnamed)} 个单位" if len(unnamed) > 20 else ""
        listed_en = ", ".join(f"{p['code']} ({p['name']})" for p in unnamed[:20])
        more_en = f" and {len(unnamed) - 20} more" if len(unnamed) > 20 else ""
        problems.append(
            Problem(
                "web.incomplete",
                f"{period.code} 共 {state['total']} 个单位，审核通过 {state['approved']} 个；"
                f"{listed}{more} 尚未审核通过。请先审核，或逐个说明其未参评的原因。",
                f"{state['approved']} of {state['total']} units of {period.code} are approved; "
                f"{listed_en}{more_en} are not: review them first, or name each one with the "
                "reason it is left out.",
                "excluded",
            )
        )
    if state["approved"] == 0:
        problems.append(
            Problem(
                "web.nothing_approved",
                f"{period.code} 还没有审核通过的填报，无法计算。请先审核各县的数据。",
                f"no submission of {period.code} is approved yet: review the counties' "
                "figures first.",
                period.code,
            )
        )
    if problems:
        raise InputError(problems)
    left_out = [[code, names[code], excluded[code]] for code in sorted(excluded)]
    inputs = _gather(period, left_out)
    if methodology_of(period.methodology).official is None:  # how solid the ranking is
        inputs["robustness"] = dict(ROBUSTNESS)
    results = evaluate(inputs)  # engine problems (missing figures …) are raised as they are
    with transaction.atomic():
        assessment = Assessment.objects.create(
            period=period,
            methodology=period.methodology,
            inputs=inputs,
            inputs_hash=inputs_hash(inputs),
            results=results,
        )
        _audit(
            AuditEvent.Action.COMPUTE,
            actor,
            assessment,
            inputs_hash=assessment.inputs_hash,
            ranked=len(results),
            excluded=left_out,
        )
    return assessment


def is_stale(assessment: Assessment) -> bool:
    """Whether the period's approved figures (or units, or methodology) have changed since
    the assessment was computed: its frozen inputs are no longer what it would take now."""
    current = _gather(assessment.period, assessment.inputs.get("excluded", []))
    if "robustness" in assessment.inputs:  # how it was computed, not what from
        current["robustness"] = assessment.inputs["robustness"]
    return inputs_hash(current) != assessment.inputs_hash


def incomplete(assessment: Assessment) -> list[str]:
    """Units of the platform neither in the ranking nor left out with a reason (a unit added,
    or a preview computed before every unit had to be accounted for)."""
    ranked = {r["unit"] for r in assessment.results}
    left_out = {e["code"] for e in assessment.excluded}
    return [c for c in Unit.objects.values_list("code", flat=True) if c not in ranked | left_out]


def _ready(assessment: Assessment) -> list[Problem]:
    """Why the assessment cannot be shown to the counties or published: stale or incomplete."""
    problems: list[Problem] = []
    if is_stale(assessment):
        problems.append(
            Problem(
                "web.stale_preview",
                "计算之后又有数据审核通过或被修改，这一结果已过时：请重新计算，再公示或发布新的结果。",
                "figures were approved or changed after this was computed, so it is out of date: "
                "compute a new preview and announce or publish that.",
                "assessment",
            )
        )
    if methodology_of(assessment.period.methodology).official is not None:
        from kaoping.web.official.inputs import blocking

        problems += blocking(assessment.period)
    missing = incomplete(assessment)
    if missing:
        problems.append(
            Problem(
                "web.incomplete_preview",
                f"这一结果缺少 {len(missing)} 个单位（{'、'.join(missing[:10])}），"
                "且未说明原因：请重新计算。",
                f"this ranking lacks {len(missing)} unit(s) ({', '.join(missing[:10])}) with no "
                "reason given: compute it again.",
                "assessment",
            )
        )
    return problems


def assessment_discard(*, actor: Any, assessment: Assessment) -> Assessment:
    """Set a preview aside (it stays in the record, marked discarded, and is listed no more)."""
    access.require_reviewer(actor)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if current.status != Assessment.Status.COMPUTED:
            raise PermissionDenied(_("Only a preview can be discarded."))
        current.status = Assessment.Status.DISCARDED
        current.save(update_fields=["status"])
        _audit(AuditEvent.Action.DISCARD, actor, current)
    return current


def assessment_announce(*, actor: Any, assessment: Assessment, days: int) -> Assessment:
    """Announce the results (公示): counties may object for ``days`` days."""
    access.require_reviewer(actor)
    if assessment.status != Assessment.Status.COMPUTED:
        raise PermissionDenied(_("Only a computed assessment can be announced."))
    problems = _ready(assessment)
    if days < 1:
        problems.append(
            Problem(
                "web.bad_window",
                f"公示期须至少 1 天，收到 {days}。",
                f"the objection window must be at least 1 day; got {days}.",
                "days",
            )
        )
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        # a recomputation after accepted objections replaces the ranking announced before
        replaced = list(
            Assessment.objects.select_for_update()
            .filter(period=assessment.period, status=Assessment.Status.ANNOUNCED)
            .exclude(pk=assessment.pk)
        )
        for old in replaced:
            old.status = Assessment.Status.SUPERSEDED
            old.save(update_fields=["status"])
        assessment.status = Assessment.Status.ANNOUNCED
        assessment.objections_until = timezone.localdate() + dt.timedelta(days=days)
        assessment.save(update_fields=["status", "objections_until"])
        _audit(
            AuditEvent.Action.ANNOUNCE,
            actor,
            assessment,
            days=days,
            replaces=[old.pk for old in replaced],
        )
    return assessment


def objection_window_open(assessment: Assessment) -> bool:
    """Whether the announced assessment still takes objections (until its last day)."""
    return (
        assessment.status == Assessment.Status.ANNOUNCED
        and assessment.objections_until is not None
        and timezone.localdate() <= assessment.objections_until
    )


def objection_raise(
    *, actor: Any, assessment: Assessment, text: str, item: Item | None = None
) -> Objection:
    """A county objects to the announced results, within the window; with ``item``, to one
    approved bonus, penalty or veto item about itself in the assessment's period (official
    periods)."""
    unit_id = access.unit_id_of(actor)
    if unit_id is None:
        raise PermissionDenied(_("Only a county submitter raises an objection."))
    if not objection_window_open(assessment):
        raise PermissionDenied(_("The objection window of this assessment is closed."))
    if (
        item is not None
        and not type(item)
        .objects.filter(
            pk=item.pk, unit_id=unit_id, period_id=assessment.period_id, status="approved"
        )
        .exists()
    ):
        raise PermissionDenied(
            _("A county objects only to an approved item about itself in this period.")
        )
    if not text.strip():
        raise InputError(
            [Problem("web.empty_objection", "异议内容不能为空。", "the objection is empty.",
                     "text")]
        )  # fmt: skip
    with transaction.atomic():
        objection = Objection.objects.create(
            assessment=assessment, unit_id=unit_id, item=item, text=text.strip()
        )
        extra = {"item": item.pk} if item is not None else {}
        _audit(AuditEvent.Action.OBJECT, actor, assessment, objection=objection.pk, **extra)
    return objection


def objection_answer(
    *, actor: Any, objection: Objection, answer: str, accept: bool | None = None
) -> Objection:
    """The city office answers an objection, accepting it (the figures will be corrected: see
    :func:`submission_reopen`) or rejecting it; ``accept`` None records an answer that decides
    neither (an explanation), which counts as rejected."""
    access.require_reviewer(actor)
    if not answer.strip():
        raise InputError(
            [Problem("web.empty_answer", "答复不能为空。", "the answer is empty.", "answer")]
        )
    with transaction.atomic():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status != Objection.Status.OPEN:
            raise PermissionDenied(_("This objection has already been answered."))
        current.answer = answer.strip()
        current.status = Objection.Status.ACCEPTED if accept else Objection.Status.REJECTED
        current.answered_at = timezone.now()
        current.save(update_fields=["answer", "status", "answered_at"])
        _audit(
            AuditEvent.Action.ANSWER,
            actor,
            current.assessment,
            objection=current.pk,
            accepted=bool(accept),
        )
    return current


def objection_reply(*, actor: Any, objection: Objection, text: str) -> Objection:
    """The county that raised an objection replies once to the answer, while the ranking is
    still announced (before publication)."""
    unit_id = access.unit_id_of(actor)
    if unit_id is None or unit_id != objection.unit_id:
        raise PermissionDenied(_("Only the county that raised the objection may reply."))
    if not text.strip():
        raise InputError(
            [Problem("web.empty_reply", "回复不能为空。", "the reply is empty.", "reply")]
        )
    with transaction.atomic():
        current = (
            Objection.objects.select_for_update().select_related("assessment").get(pk=objection.pk)
        )
        if current.status == Objection.Status.OPEN:
            raise PermissionDenied(_("The objection has no answer yet to reply to."))
        if current.reply:
            raise PermissionDenied(_("A county replies once to an answer."))
        if current.assessment.status != Assessment.Status.ANNOUNCED:
            raise PermissionDenied(_("The ranking is no longer announced: no more replies."))
        current.reply = text.strip()
        current.replied_at = timezone.now()
        current.save(update_fields=["reply", "replied_at"])
        _audit(AuditEvent.Action.REPLY, actor, current.assessment, objection=current.pk)
    return current


def submission_reopen(*, actor: Any, objection: Objection) -> Submission:
    """After an accepted objection, give the county's approved submission back for correction
    (even in a closed period): returned with the answer as the reviewer's comment.  Then the
    county corrects and resubmits, the office approves, computes a new preview and announces
    it, which replaces the ranking announced before."""
    access.require_reviewer(actor)
    if objection.status != Objection.Status.ACCEPTED:
        raise PermissionDenied(_("Only an accepted objection reopens a submission."))
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(
            unit_id=objection.unit_id, period_id=objection.assessment.period_id
        )
        if current.status != Submission.Status.APPROVED:
            raise PermissionDenied(_("Only an approved submission can be reopened."))
        current.status = Submission.Status.RETURNED
        current.comment = objection.answer
        current.reopened = True
        current.save(update_fields=["status", "comment", "reopened"])
        AuditEvent.record(
            AuditEvent.Action.REOPEN,
            actor,
            submission=current,
            objection=objection.pk,
            assessment=objection.assessment_id,
        )
    return current


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
    if not problems:
        problems += _ready(assessment)
    accepted = assessment.objections.filter(status=Objection.Status.ACCEPTED).count()
    if accepted:
        problems.append(
            Problem(
                "web.accepted_objections",
                f"有 {accepted} 条异议成立：请重新打开相应县的填报、更正并审核，再重新计算并公示。",
                f"{accepted} objection(s) were accepted: reopen those counties' submissions, "
                "correct and approve them, then compute and announce again.",
                "objections",
            )
        )
    unanswered = assessment.objections.filter(status=Objection.Status.OPEN).count()
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
