"""A judge's scoring of an on-site observation (观摩评比) on the platform: one value at a time,
saved as typed, then the judge's sheet handed in when every county has every criterion.

Services, keyword-friendly, rights checked here (not only in the views), each change in one
transaction:

- :func:`save_score` stores (or clears) one judge's points of one county on one criterion;
  saving the same value again changes nothing (a retried save after a lost answer is harmless);
- :func:`submit` hands the judge's sheet in (``Judge.submitted_at``, audit
  ``observation.submit``) once it is complete, and says which county × criterion is missing
  otherwise;
- :func:`progress` counts, per county of the event, the criteria the judge has scored.

A judge writes only their own :class:`~kaoping.web.parks.models.Judge` row's scores (the row
is found from the account, never named by the request), only while the event is open and only
until they submit (the organiser reopens a judge's sheet by clearing ``submitted_at``).  The
points are read by :func:`kaoping.data.parse_number` (``8.5``, full-width
digits); an empty value clears the score; a value outside 0..the criterion's maximum, or not a
number, is refused with a message naming the county and the criterion.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.errors import InputError, Problem
from kaoping.web.collection.models import AuditEvent, Unit
from kaoping.web.parks.access import require_judge
from kaoping.web.parks.models import Criterion, EventGroup, Judge, ObservationEvent, Score

__all__ = [
    "UnitProgress",
    "event_units",
    "missing",
    "progress",
    "require_scoring",
    "save_score",
    "scores_of",
    "submit",
]


@dataclass(frozen=True)
class UnitProgress:
    """How far a judge is with one county: ``scored`` of ``required`` criteria."""

    unit: Unit
    group: str
    scored: int
    required: int

    @property
    def complete(self) -> bool:
        return self.scored >= self.required

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "scored": self.scored,
            "required": self.required,
            "complete": self.complete,
        }


def event_units(event: ObservationEvent) -> list[tuple[str, Unit]]:
    """The event's counties in the order the judges meet them: by group (its order), then by
    code; a county named in two groups is listed under the first."""
    seen: set[int] = set()
    found: list[tuple[str, Unit]] = []
    for group in EventGroup.objects.filter(event=event).order_by("order", "pk"):
        for unit in group.units.order_by("code"):
            if unit.pk not in seen:
                seen.add(unit.pk)
                found.append((group.name, unit))
    return found


def scores_of(judge: Judge, unit: Unit | None = None) -> dict[tuple[int, int], float]:
    """The judge's own saved points: (unit id, criterion id) -> value (one county's only when
    ``unit`` is given).  Never another judge's."""
    rows = Score.objects.filter(judge=judge)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return {(u, c): v for u, c, v in rows.values_list("unit_id", "criterion_id", "value")}


def progress(judge: Judge) -> list[UnitProgress]:
    """Per county of the judge's event (in :func:`event_units`' order): the criteria scored of
    those required (every criterion of the event)."""
    required = Criterion.objects.filter(event_id=judge.event_id).count()
    counted: dict[int, int] = {}
    for unit_id, _criterion in scores_of(judge):
        counted[unit_id] = counted.get(unit_id, 0) + 1
    return [
        UnitProgress(unit=unit, group=group, scored=counted.get(unit.pk, 0), required=required)
        for group, unit in event_units(judge.event)
    ]


def _submitted_refusal() -> PermissionDenied:
    return PermissionDenied(
        _(
            "You have submitted your scores: they no longer change unless the organiser "
            "reopens your sheet."
        )
    )


def require_scoring(actor: Any, event: ObservationEvent) -> Judge:
    """The actor's judge row of the event, if they may still change it: a judge of the event,
    the event open, their sheet not submitted.  PermissionDenied otherwise."""
    judge = require_judge(actor, event)
    if judge.submitted_at is not None:
        raise _submitted_refusal()
    return judge


def _where(unit: Unit, criterion: Criterion) -> str:
    return f"{unit.code} {unit.name} · {criterion.name}"


def _points(number: float) -> str:
    """Points as a person writes them: 10, 8.5 (no trailing zeros, no exponent)."""
    return format(number, ".15g")


def _parse(raw: object, unit: Unit, criterion: Criterion) -> float | Problem | None:
    """The points typed (None: cleared) or the problem with them."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    from kaoping.data import Bad, parse_number

    parsed = parse_number(raw)
    where = _where(unit, criterion)
    top = _points(criterion.maximum)
    if isinstance(parsed, Bad):
        return Problem(
            "observation.not_a_number",
            f"{unit.name}“{criterion.name}”的得分不是数字：{parsed.zh}请填 0 到 {top} 之间的分数。",
            f"{unit.name}, {criterion.name!r}: the points are not a number: {parsed.en} "
            f"Give points between 0 and {top}.",
            where,
        )
    if math.isnan(parsed):  # "NA", "—", JSON's NaN: only an empty value clears a score
        shown = str(raw).strip()
        return Problem(
            "observation.not_a_number",
            f"{unit.name}“{criterion.name}”的得分“{shown}”不是数字：请填 0 到 {top} 之间的分数；"
            "要清除已填的分数，请把输入框清空。",
            f"{unit.name}, {criterion.name!r}: {shown!r} is not a number: give points between 0 "
            f"and {top}; to clear a score, empty the field.",
            where,
        )
    parsed += 0.0  # -0 is 0
    if not 0 <= parsed <= criterion.maximum:
        shown = _points(parsed)
        return Problem(
            "observation.out_of_range",
            f"{unit.name}“{criterion.name}”的得分 {shown} 超出范围：该项满分 {top} 分，"
            f"请填 0 到 {top} 之间的分数。",
            f"{unit.name}, {criterion.name!r}: {shown} points is outside the range: this "
            f"criterion's maximum is {top}; give points between 0 and {top}.",
            where,
        )
    return parsed


def _target(
    event: ObservationEvent, unit_code: str, criterion_id: object
) -> tuple[Unit | None, Criterion | None, list[Problem]]:
    """The county and the criterion named by the request, each checked against the event."""
    problems: list[Problem] = []
    code = str(unit_code or "").strip()
    known = code and "\x00" not in code  # PostgreSQL refuses a NUL in a query's text
    unit = Unit.objects.filter(code=code, pk__in=_unit_ids(event)).first() if known else None
    if unit is None:
        problems.append(
            Problem(
                "observation.unknown_unit",
                f"“{code}”不是本次观摩评比的参评单位：请从本次活动的单位列表中选择。",
                f"{code!r} is not one of the counties of this observation: choose one from the "
                "event's list of counties.",
                "unit",
            )
        )
    criterion = None
    with contextlib.suppress(ValueError):
        criterion = Criterion.objects.filter(event=event, pk=int(str(criterion_id))).first()
    if criterion is None:
        problems.append(
            Problem(
                "observation.unknown_criterion",
                f"“{criterion_id}”不是本次观摩评比的评分项目：请刷新页面后按页面上的评分项目打分。",
                f"{criterion_id!r} is not a criterion of this observation: reload the page and "
                "score the criteria it shows.",
                "criterion",
            )
        )
    return unit, criterion, problems


def _unit_ids(event: ObservationEvent) -> set[int]:
    return set(EventGroup.units.through.objects.filter(eventgroup__event=event)
               .values_list("unit_id", flat=True))  # fmt: skip


def save_score(
    actor: Any, event: ObservationEvent, unit_code: str, criterion_id: object, raw: object
) -> Score | None:
    """Store the actor's points of the county ``unit_code`` on the criterion ``criterion_id``
    (``raw`` as typed: a number or text); an empty ``raw`` clears the score.  Returns the
    stored score (None when cleared).  Saving the same value twice updates the one row.

    Raises
    ------
    PermissionDenied
        Unless the actor is a judge of the event, the event is open and the judge has not
        submitted.
    kaoping.errors.InputError
        ``observation.unknown_unit`` (not a county of the event's groups),
        ``observation.unknown_criterion``, ``observation.not_a_number``,
        ``observation.out_of_range`` (outside 0..the criterion's maximum).  Nothing stored.
    """
    require_scoring(actor, event)
    unit, criterion, problems = _target(event, unit_code, criterion_id)
    if problems:
        raise InputError(problems)
    assert unit is not None
    assert criterion is not None
    value = _parse(raw, unit, criterion)
    if isinstance(value, Problem):
        raise InputError([value])
    with transaction.atomic():
        # the event and the judge's row, locked: a close or a submit meanwhile wins
        current = ObservationEvent.objects.select_for_update().get(pk=event.pk)
        judge = require_scoring(actor, current)
        judge = Judge.objects.select_for_update().get(pk=judge.pk)
        if judge.submitted_at is not None:
            raise _submitted_refusal()
        if value is None:
            Score.objects.filter(judge=judge, unit=unit, criterion=criterion).delete()
            return None
        score, _created = Score.objects.update_or_create(
            judge=judge, unit=unit, criterion=criterion, defaults={"value": value}
        )
    return score


def missing(judge: Judge) -> list[tuple[Unit, Criterion]]:
    """The county × criterion pairs the judge has not scored, in the page's order."""
    criteria = list(Criterion.objects.filter(event_id=judge.event_id).order_by("order", "pk"))
    scored = set(scores_of(judge))
    return [
        (unit, criterion)
        for _group, unit in event_units(judge.event)
        for criterion in criteria
        if (unit.pk, criterion.pk) not in scored
    ]


def submit(actor: Any, event: ObservationEvent) -> Judge:
    """Hand in the actor's sheet of the event: every county scored on every criterion.

    Raises
    ------
    PermissionDenied
        Unless the actor is a judge of the event, the event open and the sheet not submitted.
    kaoping.errors.InputError
        ``observation.missing_score`` for each county × criterion not scored (all at once);
        nothing changes.
    """
    require_scoring(actor, event)
    with transaction.atomic():
        current = ObservationEvent.objects.select_for_update().get(pk=event.pk)
        judge = Judge.objects.select_for_update().get(pk=require_scoring(actor, current).pk)
        if judge.submitted_at is not None:
            raise _submitted_refusal()
        gaps = missing(judge)
        if gaps:
            raise InputError(
                Problem(
                    "observation.missing_score",
                    f"{unit.name}的“{criterion.name}”还没有打分：请打分后再提交"
                    f"（满分 {_points(criterion.maximum)} 分，可填 0）。",
                    f"{unit.name}: {criterion.name!r} has no points yet: score it, then submit "
                    f"(maximum {_points(criterion.maximum)}; 0 is allowed).",
                    _where(unit, criterion),
                )
                for unit, criterion in gaps
            )
        judge.submitted_at = timezone.now()
        judge.save(update_fields=["submitted_at"])
        AuditEvent.record(
            AuditEvent.Action.SCORES_SUBMIT,
            actor,
            event=current.code,
            judge=judge.pk,
            scores=Score.objects.filter(judge=judge).count(),
        )
    return judge
