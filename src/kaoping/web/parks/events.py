"""The city office's side of the on-site observation (观摩评比): create an event, open it for
the judges, see who has scored, close it (waiting for or leaving out a judge whose scores are
missing, recorded), decide on the judges the engine flags, publish the ranks; and the year's
composite of the events, fed into an official period as a judged component.

Every service that changes something takes the ``actor`` first and checks that it is the
office (:func:`kaoping.web.collection.access.require_reviewer`); bad input is every
:class:`~kaoping.errors.Problem` at once, nothing half-written.  The arithmetic is the engine's
(:mod:`kaoping.observation`): :func:`spec_of` and :func:`scores_of` turn the rows into its
:class:`~kaoping.observation.EventSpec` and its frame of scores, so that no rule is written
twice.  Who has been left out comes from the rows too: ``Judge.excluded`` (closed without their
scores, or a flagged judge left out) and the KEEP decisions (a flagged judge kept).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import require_reviewer, role_of
from kaoping.web.collection.models import AuditEvent, Period, Role, Unit
from kaoping.web.parks.models import (
    AnnualComposite,
    Criterion,
    Decision,
    EventGroup,
    Judge,
    ObservationEvent,
    Score,
    Visit,
)

if TYPE_CHECKING:
    import pandas as pd

    from kaoping.observation import EventResult, EventSpec

__all__ = [
    "DEFAULT_CRITERIA",
    "JIAOZUO_GROUPS",
    "SHARES",
    "CombinedRow",
    "CombinedTable",
    "CompositeTable",
    "JudgeStatus",
    "combined",
    "composite",
    "event_close",
    "event_create",
    "event_decide",
    "event_open",
    "event_publish",
    "events_visible_to",
    "feed",
    "feed_judge",
    "flags",
    "missing",
    "published_assessments",
    "results",
    "scores_of",
    "set_shares",
    "shares",
    "spec_of",
    "status",
    "undecided",
]

JIAOZUO_GROUPS: dict[str, tuple[str, ...]] = {
    "县(市)组": ("410883", "410871", "410825", "410823", "410822", "410821", "410882"),
    "城区组": ("410802", "410803", "410804", "410811"),
}
"""焦作's groups of the quarterly observation (``shared/research/domain.md`` §4.6): 孟州,
示范区, 温县, 武陟, 博爱, 修武, 沁阳; 解放, 中站, 马村, 山阳."""

DEFAULT_CRITERIA: tuple[tuple[str, float, str], ...] = (
    ("项目建设", 40.0, "投资规模、建设进度、形象进度"),
    ("产业带动", 25.0, "主导产业、链条延伸、科技含量"),
    ("营商环境", 20.0, "要素保障、服务效率"),
    ("亮点特色", 15.0, "示范意义、创新做法"),
)
"""A new event's score sheet unless the office writes another: four criteria summing to 100."""

VISITS_PER_UNIT = 2
"""Projects of the registry visited per county when the itinerary is taken from it."""

LOOK_BACK_SHARE = 0.5
"""How much a 回头看 weighs against the event it reviews (``look_back_share`` in the year's
:class:`~kaoping.web.parks.models.AnnualComposite` weights overrides it)."""

_PERIOD = re.compile(r"^\d{4}(-[Qq][1-4])?$")


def _problems(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)


def _text_problems(
    model: Any, field_name: str, value: Any, where: str, zh: str, en: str
) -> list[Problem]:
    """A text longer than its column (PostgreSQL would refuse it: a 500) or holding a NUL
    character (which PostgreSQL refuses in any text), before the database sees it."""
    text = str(value)
    if "\x00" in text:
        return [Problem(
            "event.nul_character",
            f"{zh}含有空字符（NUL，字节 0）：请删除后重新填写。",
            f"{en} holds a NUL character (byte 0): delete it and type the text again.",
            where,
        )]  # fmt: skip
    limit = model._meta.get_field(field_name).max_length
    if limit is not None and len(text.strip()) > limit:
        return [Problem(
            "event.too_long",
            f"{zh}有 {len(text.strip())} 个字符，最多 {limit} 个：请缩短。",
            f"{en} has {len(text.strip())} characters, at most {limit}: shorten it.",
            where,
        )]  # fmt: skip
    return []


def _locked(event: ObservationEvent, allowed: str, code: str, zh: str, en: str) -> None:
    """Inside a transaction: ``event`` refreshed from its row, locked until the transaction
    ends (a judge's save locks it too), and :func:`_not` raised unless its status is
    ``allowed`` — a close or publication meanwhile (another tab, a double click) wins over
    the object the caller holds."""
    list(ObservationEvent.objects.select_for_update().filter(pk=event.pk).values_list("pk"))
    event.refresh_from_db()
    if event.status != allowed:
        raise InputError([_not(code, event, zh, en)])


def _audit(action: AuditEvent.Action, actor: Any, event: ObservationEvent, **data: Any) -> None:
    AuditEvent.record(action, actor, event=event.code, **data)


def _name(unit: Unit) -> str:
    return unit.name


# -- creating an event ---------------------------------------------------------------------------


def event_create(
    *,
    actor: Any,
    code: str,
    name: str,
    period: str,
    year: int,
    kind: str = "quarter",
    aggregation: str = "trimmed",
    groups: Mapping[str, Sequence[str]],
    criteria: Sequence[tuple[str, float] | tuple[str, float, str]],
    judges: Sequence[Mapping[str, Any]],
    visits: Sequence[tuple[str, str]] | None = None,
    reviews: Sequence[str] = (),
    date: Any = None,
    trim_min_judges: int = 5,
    far: float = 0.15,
) -> ObservationEvent:
    """A new event, as a draft: its groups (name -> unit codes, in order), criteria (name,
    maximum[, hint]), judges (``user``: an account with the judge role, ``role``, ``weight``,
    optionally ``name``), and the itinerary: ``visits`` (unit code, project visited) or, when
    None, up to :data:`VISITS_PER_UNIT` projects of each county from the registry (largest
    total investment first).  ``reviews``: the codes of the events a 回头看 reviews.

    Raises
    ------
    PermissionDenied
        Unless the actor is the city office.
    kaoping.errors.InputError
        Every problem of the input, each naming its field: a code taken or not a slug, a period
        not like 2026-Q1, an unknown county, a county in two groups, an empty group, a
        criterion without a positive maximum or named twice, an account that is not a judge or
        named twice, a weight not above 0, an unknown event reviewed.
    """
    require_reviewer(actor)
    problems: list[Problem] = []
    code = code.strip()
    name = name.strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
        problems.append(
            Problem(
                "event.bad_code",
                f"代码 “{code}” 只能包含字母、数字、- 和 _，如 2026-q1。",
                f"the code {code!r} may hold letters, digits, - and _ only, e.g. 2026-q1.",
                "code",
            )
        )
    elif ObservationEvent.objects.filter(code=code).exists():
        problems.append(
            Problem(
                "event.code_taken",
                f"代码 {code} 已被另一次观摩使用：请换一个。",
                f"the code {code} is already another event's: choose another.",
                "code",
            )
        )
    problems += _text_problems(ObservationEvent, "code", code, "code", "代码", "the code")
    problems += _text_problems(ObservationEvent, "name", name, "name", "名称", "the name")
    if not name:
        problems.append(Problem("event.no_name", "请填写名称。", "give the event a name.", "name"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(
            Problem(
                "event.bad_year",
                f"年份 {year} 不合理：请填写四位年份，如 2026。",
                f"the year {year} is not plausible: write a four-digit year such as 2026.",
                "year",
            )
        )
    if not _PERIOD.fullmatch(period.strip()):
        problems.append(
            Problem(
                "event.bad_period",
                f"季度 “{period}” 应写作 2026-Q1（或年份 2026）。",
                f"the quarter {period!r} should read 2026-Q1 (or a year, 2026).",
                "period",
            )
        )
    if kind not in ObservationEvent.Kind.values:
        problems.append(
            Problem("event.bad_kind", f"类型 “{kind}” 未知。", f"unknown kind {kind!r}.", "kind")
        )
    if aggregation not in ObservationEvent.Aggregation.values:
        problems.append(
            Problem(
                "event.bad_aggregation",
                f"汇总方式 “{aggregation}” 未知：可选 "
                f"{'、'.join(ObservationEvent.Aggregation.values)}。",
                f"unknown aggregation {aggregation!r}: choose one of "
                f"{', '.join(ObservationEvent.Aggregation.values)}.",
                "aggregation",
            )
        )
    units = {u.code: u for u in Unit.objects.all()}
    seen: dict[str, str] = {}
    for group, codes in groups.items():
        where = f"groups.{group}"
        problems += _text_problems(
            EventGroup,
            "name",
            group,
            "groups",
            f"组名 {str(group)[:20]}…",
            f"the group {str(group)[:20]}…",
        )
        if not str(group).strip():
            problems.append(
                Problem(
                    "event.group_no_name",
                    "每个组都要有名称。",
                    "give every group a name.",
                    "groups",
                )
            )
        if not codes:
            problems.append(
                Problem(
                    "event.empty_group",
                    f"组 {group} 没有单位。",
                    f"the group {group} has no county: add one or remove it.",
                    where,
                )
            )
        for unit in codes:
            if unit not in units:
                problems.append(
                    Problem(
                        "event.unknown_unit",
                        f"单位代码 {unit} 不是平台上的单位。",
                        f"{unit} is not a unit of the platform.",
                        where,
                    )
                )
            elif unit in seen:
                problems.append(
                    Problem(
                        "event.unit_twice",
                        f"{units[unit].name} 同时在 {seen[unit]} "
                        f"和 {group} 中：每个单位只能在一个组。",
                        f"{units[unit].name} is in both {seen[unit]} and {group}: "
                        "a county belongs to one group.",
                        where,
                    )
                )
            seen.setdefault(unit, str(group))
    if not groups:
        problems.append(
            Problem("event.no_groups", "请至少设一个组。", "add at least one group.", "groups")
        )
    names: set[str] = set()
    for i, row in enumerate(criteria):
        label, top = str(row[0]).strip(), row[1]
        where = f"criteria[{i + 1}]"
        problems += _text_problems(
            Criterion,
            "name",
            label,
            where,
            f"第 {i + 1} 个评分项的名称",
            f"the name of criterion {i + 1}",
        )
        if len(row) > 2:
            problems += _text_problems(
                Criterion,
                "hint",
                row[2],
                where,
                f"第 {i + 1} 个评分项的说明",
                f"the hint of criterion {i + 1}",
            )
        if not label:
            problems.append(
                Problem(
                    "event.criterion_no_name",
                    "评分项需要名称。",
                    "give the criterion a name.",
                    where,
                )
            )
        elif label in names:
            problems.append(
                Problem(
                    "event.criterion_twice",
                    f"评分项 {label} 出现了两次。",
                    f"the criterion {label} appears twice.",
                    where,
                )
            )
        names.add(label)
        if not isinstance(top, int | float) or not math.isfinite(top) or top <= 0:
            problems.append(
                Problem(
                    "event.bad_maximum",
                    f"评分项 {label} 的满分应为正数，收到 {top!r}。",
                    f"the maximum of {label} must be a number above 0, got {top!r}.",
                    where,
                )
            )
    accounts: set[int] = set()
    for i, entry in enumerate(judges):
        user = entry["user"]
        where = f"judges[{i + 1}]"
        if role_of(user) != Role.JUDGE:
            problems.append(
                Problem(
                    "event.not_a_judge",
                    f"账号 {user} 不是评委账号。",
                    f"the account {user} does not have the judge role.",
                    where,
                )
            )
        if user.pk in accounts:
            problems.append(
                Problem(
                    "event.judge_twice",
                    f"评委 {user} 出现了两次。",
                    f"the judge {user} appears twice.",
                    where,
                )
            )
        accounts.add(user.pk)
        problems += _text_problems(
            Judge,
            "role",
            entry.get("role", ""),
            where,
            f"评委 {user} 的角色",
            f"the role of {user}",
        )
        if entry.get("name"):
            problems += _text_problems(
                Judge, "name", entry["name"], where, f"评委 {user} 的姓名", f"the name of {user}"
            )
        weight = entry.get("weight", 1.0)
        if not isinstance(weight, int | float) or not math.isfinite(weight) or weight <= 0:
            problems.append(
                Problem(
                    "event.bad_weight",
                    f"评委 {user} 的权重应为正数，收到 {weight!r}。",
                    f"the weight of {user} must be a number above 0, got {weight!r}.",
                    where,
                )
            )
    reviews = [str(r) for r in reviews]
    # a NUL in a query's text: PostgreSQL refuses it (such a code is no event's, listed below)
    clean = [r for r in reviews if "\x00" not in r]
    reviewed = list(ObservationEvent.objects.filter(code__in=clean))
    for missing_code in sorted(set(reviews) - {e.code for e in reviewed}):
        problems.append(
            Problem(
                "event.unknown_review",
                f"没有代码为 {missing_code} 的观摩。",
                f"there is no event {missing_code} to review.",
                "reviews",
            )
        )
    _problems(problems)
    with transaction.atomic():
        event = ObservationEvent.objects.create(
            code=code,
            name=name,
            period=period.strip().upper(),
            year=year,
            kind=kind,
            aggregation=aggregation,
            trim_min_judges=trim_min_judges,
            far=far,
            date=date,
        )
        event.reviews.set(reviewed)
        for order, (group, codes) in enumerate(groups.items()):
            stored = EventGroup.objects.create(event=event, name=str(group).strip(), order=order)
            stored.units.set([units[c] for c in codes])
        for order, row in enumerate(criteria):
            Criterion.objects.create(
                event=event,
                name=str(row[0]).strip(),
                maximum=float(row[1]),
                order=order,
                hint=str(row[2]) if len(row) > 2 else "",
            )
        for entry in judges:
            user = entry["user"]
            Judge.objects.create(
                event=event,
                user=user,
                role=str(entry.get("role", "")),
                weight=float(entry.get("weight", 1.0)),
                # an account's name may be longer than the column: it is only shown
                name=str(entry.get("name") or user.get_full_name() or user.username)[:100],
            )
        _itinerary(event, [c for codes in groups.values() for c in codes], units, visits)
    return event


def _itinerary(
    event: ObservationEvent,
    codes: list[str],
    units: dict[str, Unit],
    visits: Sequence[tuple[str, str]] | None,
) -> None:
    if visits is not None:
        for order, (unit, title) in enumerate(visits):
            Visit.objects.create(event=event, unit=units[unit], order=order, title=title)
        return
    from kaoping.web.projects.models import Project

    order = 0
    for unit in codes:
        for project in Project.objects.filter(unit=units[unit]).order_by("-total", "code")[
            :VISITS_PER_UNIT
        ]:
            Visit.objects.create(
                event=event, unit=units[unit], order=order, project=project, title=project.name
            )
            order += 1


# -- opening, who has scored ---------------------------------------------------------------------


def event_open(*, actor: Any, event: ObservationEvent) -> None:
    """Open a draft event for scoring.

    Raises
    ------
    kaoping.errors.InputError
        ``event.not_draft`` when it is not a draft; ``event.no_units``, ``event.no_criteria``,
        ``event.no_judges`` when the score sheet is not complete.
    """
    require_reviewer(actor)
    problems: list[Problem] = []
    if event.status != ObservationEvent.Status.DRAFT:
        problems.append(_not("event.not_draft", event, "还在准备中", "being prepared"))
    if not Unit.objects.filter(pk__in=_unit_ids(event)).exists():
        problems.append(
            Problem(
                "event.no_units",
                "这次观摩还没有参评单位：请设组并加入单位。",
                "the event has no county to score: add groups with counties.",
                "groups",
            )
        )
    if not event.criteria.exists():
        problems.append(
            Problem(
                "event.no_criteria",
                "这次观摩还没有评分项。",
                "the event has no criterion: add its score sheet.",
                "criteria",
            )
        )
    if not event.judges.exists():
        problems.append(
            Problem(
                "event.no_judges",
                "这次观摩还没有评委：至少需要一名。",
                "the event has no judge: add at least one.",
                "judges",
            )
        )
    _problems(problems)
    with transaction.atomic():
        _locked(
            event, ObservationEvent.Status.DRAFT, "event.not_draft", "还在准备中", "being prepared"
        )
        event.status = ObservationEvent.Status.OPEN
        event.opened_at = timezone.now()
        event.save(update_fields=["status", "opened_at"])
        _audit(AuditEvent.Action.EVENT_OPEN, actor, event)


def _not(code: str, event: ObservationEvent, zh: str, en: str) -> Problem:
    return Problem(
        code,
        f"{event.name} 不是“{zh}”的状态（现为 {event.get_status_display()}）。",
        f"{event.name} is not {en} (it is {event.get_status_display()}).",
        "status",
    )


def _unit_ids(event: ObservationEvent) -> list[int]:
    return list(
        EventGroup.units.through.objects.filter(eventgroup__event=event)
        .order_by("eventgroup__order", "unit__code")
        .values_list("unit_id", flat=True)
    )


@dataclass
class JudgeStatus:
    """Where a judge is: scores saved of those required, submitted, left out, missing
    counties."""

    judge: Judge
    scored: int
    required: int
    submitted: bool
    excluded: bool
    missing_units: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.scored >= self.required

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.required) if self.required else 0


def status(event: ObservationEvent) -> list[JudgeStatus]:
    """Per judge of the event: how many of its county x criterion scores are saved, whether it
    has submitted, whether it is left out, and the counties it has not scored completely."""
    unit_ids = _unit_ids(event)
    criteria = event.criteria.count()
    required = len(unit_ids) * criteria
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    per_unit: dict[int, dict[int, int]] = {}
    for judge_id, unit_id, n in (
        Score.objects.filter(judge__event=event, unit_id__in=unit_ids)
        .values_list("judge_id", "unit_id")
        .annotate(n=Count("pk"))
    ):
        per_unit.setdefault(judge_id, {})[unit_id] = n
    rows = []
    for judge in event.judges.select_related("user").order_by("pk"):
        done = per_unit.get(judge.pk, {})
        rows.append(
            JudgeStatus(
                judge=judge,
                scored=sum(min(n, criteria) for n in done.values()),
                required=required,
                submitted=judge.submitted_at is not None,
                excluded=judge.excluded,
                missing_units=[names[u] for u in unit_ids if done.get(u, 0) < criteria],
            )
        )
    return rows


def missing(event: ObservationEvent) -> list[JudgeStatus]:
    """The judges still in the event (not left out) whose scores are not complete."""
    return [row for row in status(event) if not row.excluded and not row.complete]


# -- closing: wait for, or leave out, the judges with missing scores -----------------------------

WAIT = Decision.Kind.WAIT
EXCLUDE = Decision.Kind.EXCLUDE
KEEP = Decision.Kind.KEEP


def event_close(*, actor: Any, event: ObservationEvent, choice: str = "", reason: str = "") -> bool:
    """Close an open event; True when it closed.

    With every judge's scores complete it closes.  When some are missing it is refused,
    naming who and which counties, unless the organiser chooses: ``wait`` (it stays open, the
    decision is recorded for each judge waited for, False is returned) or ``exclude`` (those
    judges are left out of the results, recorded with the ``reason``, and it closes).

    Raises
    ------
    kaoping.errors.InputError
        ``event.not_open``; ``event.missing_scores`` (one per judge) without a choice;
        ``event.no_reason`` when a choice has no reason; ``event.nobody_left`` when leaving
        them out would leave no judge.
    """
    require_reviewer(actor)
    if event.status != ObservationEvent.Status.OPEN:
        _problems([_not("event.not_open", event, "开放打分", "open for scoring")])
    late = missing(event)
    reason = reason.strip()
    if late and choice not in (WAIT, EXCLUDE):
        _problems([_missing_problem(row) for row in late])
    if late and not reason:
        _problems(
            [
                Problem(
                    "event.no_reason",
                    "请写明理由（将记录在案）。",
                    "give the reason: it is recorded.",
                    "reason",
                )
            ]
        )
    if late and choice == EXCLUDE:
        still = event.judges.filter(excluded=False).exclude(pk__in=[r.judge.pk for r in late])
        if not still.exists():
            _problems(
                [
                    Problem(
                        "event.nobody_left",
                        "剔除这些评委后就没有评委了：请等待他们完成打分。",
                        "leaving these judges out would leave no judge: wait for their scores.",
                        "choice",
                    )
                ]
            )
    with transaction.atomic():
        _locked(
            event, ObservationEvent.Status.OPEN, "event.not_open", "开放打分", "open for scoring"
        )
        if {r.judge.pk for r in missing(event)} != {r.judge.pk for r in late}:
            _problems([Problem(  # scores saved or cleared meanwhile: look again
                "event.changed",
                "刚才有评委保存了分数：请刷新页面，再看一次谁的分数不全。",
                "a judge has saved scores meanwhile: reload the page and look again at whose "
                "scores are missing.",
                "event",
            )])  # fmt: skip
        for row in late:
            Decision.objects.create(
                event=event, judge=row.judge, kind=choice, reason=reason, by=actor
            )
            if choice == EXCLUDE:
                Judge.objects.filter(pk=row.judge.pk).update(excluded=True)
        if late:
            _audit(
                AuditEvent.Action.EVENT_DECIDE,
                actor,
                event,
                decision=str(choice),
                judges=[r.judge.name for r in late],
                reason=reason,
            )
        if late and choice == WAIT:
            return False
        event.status = ObservationEvent.Status.CLOSED
        event.closed_at = timezone.now()
        event.save(update_fields=["status", "closed_at"])
        _audit(AuditEvent.Action.EVENT_CLOSE, actor, event, excluded=[r.judge.name for r in late])
    return True


def _missing_problem(row: JudgeStatus) -> Problem:
    units = "、".join(row.missing_units)
    return Problem(
        "event.missing_scores",
        f"评委 {row.judge.name} 还有 {row.required - row.scored} 项分数未打（{units}）：请等待，"
        "或写明理由后将其剔除。",
        f"judge {row.judge.name} has {row.required - row.scored} scores missing "
        f"({', '.join(row.missing_units)}): wait, or leave the judge out with a reason.",
        f"judge {row.judge.name}",
    )


# -- the engine's view of the rows ---------------------------------------------------------------


def _kept(event: ObservationEvent) -> set[int]:
    """Judges whose latest flag decision is KEEP."""
    latest: dict[int, str] = {}
    for judge_id, kind in (
        Decision.objects.filter(event=event, judge__isnull=False, kind__in=(KEEP, EXCLUDE))
        .order_by("at", "pk")
        .values_list("judge_id", "kind")
    ):
        latest[judge_id] = kind
    return {j for j, kind in latest.items() if kind == KEEP}


def _judge_id(judge: Judge) -> str:
    return judge.user.username


def spec_of(event: ObservationEvent) -> EventSpec:
    """The engine's :class:`~kaoping.observation.EventSpec` of the event: its groups,
    criteria, judges (id = the account's name), aggregation, the judges left out
    (``Judge.excluded``) and the flagged ones kept (their latest decision is KEEP)."""
    from kaoping.observation import Criterion as Crit
    from kaoping.observation import EventSpec
    from kaoping.observation import Judge as Jdg

    groups = {
        g.name: [u.code for u in g.units.order_by("code")]
        for g in event.groups.prefetch_related("units").order_by("order")
    }
    names = {u.code: u.name for g in event.groups.all() for u in g.units.all()}
    judges = list(event.judges.select_related("user").order_by("pk"))
    kept = _kept(event)
    return EventSpec(
        code=event.code,
        period=event.period,
        groups=groups,
        criteria=[Crit(name=c.name, maximum=c.maximum, hint=c.hint) for c in event.criteria.all()],
        judges=[Jdg(id=_judge_id(j), name=j.name, role=j.role, weight=j.weight) for j in judges],
        aggregation=event.aggregation,
        trim_min_judges=event.trim_min_judges,
        far=event.far,
        excluded=frozenset(_judge_id(j) for j in judges if j.excluded),
        kept=frozenset(_judge_id(j) for j in judges if j.pk in kept and not j.excluded),
        names=names,
    )


def scores_of(event: ObservationEvent) -> pd.DataFrame:
    """Every saved score of the event: judge (account name), unit (code), criterion, score."""
    import pandas as pd

    rows = Score.objects.filter(judge__event=event).values_list(
        "judge__user__username", "unit__code", "criterion__name", "value"
    )
    return pd.DataFrame(list(rows), columns=["judge", "unit", "criterion", "score"]).astype(
        {"score": float}
    )


def results(event: ObservationEvent) -> EventResult:
    """The engine's result of the event from its rows (see :func:`spec_of`).

    Raises
    ------
    kaoping.errors.InputError
        As :func:`kaoping.observation.aggregate`: a score missing of a judge still in, …
    """
    from kaoping.observation import aggregate

    return aggregate(spec_of(event), scores_of(event))


def flags(event: ObservationEvent) -> pd.DataFrame:
    """The engine's flags of the event's judges (judge, kind, value, zh, en), over the judges
    still in."""
    from kaoping.observation import judge_flags

    return judge_flags(spec_of(event), scores_of(event))


def undecided(event: ObservationEvent) -> list[Judge]:
    """Flagged judges still in without a KEEP decision: the event cannot be published until
    the office keeps or leaves out each."""
    flagged = set(flags(event)["judge"]) if event.judges.exists() else set()
    kept = _kept(event)
    return [
        j
        for j in event.judges.select_related("user").filter(excluded=False).order_by("pk")
        if _judge_id(j) in flagged and j.pk not in kept
    ]


def event_decide(
    *, actor: Any, event: ObservationEvent, judge: Judge, kind: str, reason: str
) -> None:
    """Keep a flagged judge in the results, or leave a judge out, with a recorded reason.

    Raises
    ------
    kaoping.errors.InputError
        ``event.not_closed`` before the event closes or after it is published;
        ``event.bad_decision``, ``event.no_reason``; ``event.keep_incomplete`` when keeping a
        judge whose scores are missing; ``event.nobody_left`` when leaving out the last judge.
    """
    require_reviewer(actor)
    problems: list[Problem] = []
    if event.status != ObservationEvent.Status.CLOSED:
        problems.append(_not("event.not_closed", event, "已结束", "closed"))
    if judge.event_id != event.pk:
        problems.append(
            Problem(
                "event.other_judge",
                f"{judge.name} 不是这次观摩的评委。",
                f"{judge.name} is not a judge of this event.",
                "judge",
            )
        )
    if kind not in (KEEP, EXCLUDE):
        problems.append(
            Problem(
                "event.bad_decision",
                f"决定 “{kind}” 未知：可选保留或剔除。",
                f"unknown decision {kind!r}: keep or exclude.",
                "kind",
            )
        )
    if not reason.strip():
        problems.append(
            Problem(
                "event.no_reason",
                "请写明理由（将记录在案）。",
                "give the reason: it is recorded.",
                "reason",
            )
        )
    if kind == KEEP and any(r.judge.pk == judge.pk and not r.complete for r in status(event)):
        problems.append(
            Problem(
                "event.keep_incomplete",
                f"评委 {judge.name} 的分数不全，不能保留。",
                f"judge {judge.name}'s scores are not complete: the judge cannot be kept.",
                "judge",
            )
        )
    if kind == EXCLUDE and not event.judges.filter(excluded=False).exclude(pk=judge.pk).exists():
        problems.append(
            Problem(
                "event.nobody_left",
                "不能剔除最后一名评委。",
                "the last judge cannot be left out.",
                "judge",
            )
        )
    _problems(problems)
    with transaction.atomic():
        _locked(event, ObservationEvent.Status.CLOSED, "event.not_closed", "已结束", "closed")
        Decision.objects.create(
            event=event, judge=judge, kind=kind, reason=reason.strip(), by=actor
        )
        Judge.objects.filter(pk=judge.pk).update(excluded=kind == EXCLUDE)
        _audit(
            AuditEvent.Action.EVENT_DECIDE,
            actor,
            event,
            decision=kind,
            judges=[judge.name],
            reason=reason.strip(),
        )


def event_publish(*, actor: Any, event: ObservationEvent) -> None:
    """Publish a closed event's ranks (every signed-in user then sees them).

    Raises
    ------
    kaoping.errors.InputError
        ``event.not_closed``; ``event.undecided`` for each flagged judge still undecided; the
        engine's problems when the results cannot be computed.
    """
    require_reviewer(actor)
    if event.status != ObservationEvent.Status.CLOSED:
        _problems([_not("event.not_closed", event, "已结束", "closed")])
    waiting = undecided(event)
    _problems(
        [
            Problem(
                "event.undecided",
                f"评委 {j.name} 的分数被标记，请先决定保留还是剔除。",
                f"judge {j.name} is flagged: keep or leave the judge out before publishing.",
                f"judge {j.name}",
            )
            for j in waiting
        ]
    )
    results(event)  # the engine's own problems, before anything is written
    with transaction.atomic():
        _locked(event, ObservationEvent.Status.CLOSED, "event.not_closed", "已结束", "closed")
        event.status = ObservationEvent.Status.PUBLISHED
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at"])
        _audit(AuditEvent.Action.EVENT_PUBLISH, actor, event)


# -- the annual composite ------------------------------------------------------------------------


@dataclass
class CompositeTable:
    """The year's composite: ``events`` used (in order), their weights, each unit's totals per
    event on 0..100 (after the 回头看), and ``table`` (the engine's composite: composite,
    group, rank); ``pending``: the year's events not yet published."""

    year: int
    events: list[ObservationEvent]
    weights: dict[str, float]
    totals: pd.DataFrame
    table: pd.DataFrame
    pending: list[ObservationEvent]
    reviews: dict[str, list[str]]
    settings: AnnualComposite | None


def _on_100(event: ObservationEvent, totals: pd.Series) -> pd.Series:
    top = sum(c.maximum for c in event.criteria.all())
    return totals * (100.0 / top) if top else totals


def composite(year: int) -> CompositeTable:
    """The published events of ``year``: each quarter's totals on 0..100, a 回头看's totals
    folded into the events it reviews (:func:`kaoping.observation.look_back`, share
    :data:`LOOK_BACK_SHARE`), then the weighted mean per county
    (:func:`kaoping.observation.composite`) with the weights of the year's
    :class:`AnnualComposite` (default: the quarters equally), ranked in the latest event's
    groups."""
    import pandas as pd

    from kaoping.observation import composite as combine_events
    from kaoping.observation import look_back

    settings = AnnualComposite.objects.filter(year=year).first()
    chosen = dict(settings.weights) if settings else {}
    share = float(chosen.pop("look_back_share", LOOK_BACK_SHARE))
    events = list(ObservationEvent.objects.filter(year=year).order_by("period", "code"))
    published = [e for e in events if e.status == ObservationEvent.Status.PUBLISHED]
    pending = [e for e in events if e.status != ObservationEvent.Status.PUBLISHED]
    quarters = [e for e in published if e.kind == ObservationEvent.Kind.QUARTER]
    totals: dict[str, pd.Series] = {e.code: _on_100(e, results(e).table["total"]) for e in quarters}
    reviews: dict[str, list[str]] = {}
    for review in (e for e in published if e.kind == ObservationEvent.Kind.REVIEW):
        again = _on_100(review, results(review).table["total"])
        reviewed = [e.code for e in review.reviews.order_by("period", "code") if e.code in totals]
        reviews[review.code] = reviewed
        for code in reviewed:
            totals[code] = look_back(totals[code], again, share)
    weights = {code: float(chosen.get(code, 1.0)) for code in totals}
    groups: dict[str, list[str]] = {}
    if quarters:
        latest = quarters[-1]
        groups = {
            g.name: [u.code for u in g.units.order_by("code")]
            for g in latest.groups.prefetch_related("units").order_by("order")
        }
    if totals:
        table = combine_events(totals, weights, groups).rename(columns={"score": "composite"})
    else:
        table = pd.DataFrame(columns=["composite", "group", "rank", "events"])
    frame = pd.DataFrame(totals)
    return CompositeTable(
        year=year,
        events=quarters,
        weights=weights,
        totals=frame,
        table=table,
        pending=pending,
        reviews=reviews,
        settings=settings,
    )


def _judged_target(methodology: Any) -> tuple[str, list[tuple[str, float]]] | None:
    """The judged indicator the composite feeds: one named 观摩 when there is one, else the
    first; with its criteria and maxima."""
    from kaoping.web.official.judged import criteria_of

    rows = criteria_of(methodology)
    if not rows:
        return None
    indicators = list(dict.fromkeys(i for i, _, _ in rows))
    named = {s.id: s.name for s in methodology.indicators}
    chosen = next((i for i in indicators if "观摩" in str(named.get(i, i))), indicators[0])
    return chosen, [(c, top) for i, c, top in rows if i == chosen]


def feed_judge(year: int) -> str:
    """The judge's name the composite is written under in the period's judged scores."""
    return f"观摩评比{year}"


def feed(*, actor: Any, year: int, period: Period) -> int:
    """Write the year's composite into ``period``'s judged scores (评议) as one judge
    (:func:`feed_judge`): every criterion of the methodology's judged indicator gets the
    county's composite (0..100) scaled to the criterion's maximum; the judge's earlier rows are
    replaced, in one transaction.  Returns how many scores were written.

    Raises
    ------
    PermissionDenied
        Unless the actor is the city office.
    kaoping.errors.InputError
        ``web.no_judged`` when the period's methodology has no judged indicator;
        ``web.judged_published`` when its results are published; ``event.no_composite`` when
        no event of the year is published.
    """
    import pandas as pd

    from kaoping.web.collection.methodologies import methodology_of
    from kaoping.web.official import judged
    from kaoping.web.official.models import JudgedScore

    require_reviewer(actor)
    target = _judged_target(methodology_of(period.methodology))
    if target is None:
        judged._require_judged(period)  # its Problem
    assert target is not None
    judged._editable(period)
    table = composite(year)
    if table.table.empty:
        _problems(
            [
                Problem(
                    "event.no_composite",
                    f"{year} 年还没有已发布的观摩评比，没有可写入的综合得分。",
                    f"no observation event of {year} is published: there is no composite to feed.",
                    "year",
                )
            ]
        )
    indicator, criteria = target
    judge = feed_judge(year)
    units = {u.code: u for u in Unit.objects.filter(code__in=list(table.table.index))}
    rows = [
        JudgedScore(
            period=period,
            unit=units[code],
            judge=judge,
            criterion=name,
            score=round(float(value) / 100.0 * top, 4),
        )
        for code, value in table.table["composite"].items()
        if code in units and pd.notna(value)
        for name, top in criteria
    ]
    with transaction.atomic():
        removed, _ = JudgedScore.objects.filter(period=period, judge=judge).delete()
        for row in rows:
            row.save()  # one by one: the history of each row is kept
        AnnualComposite.objects.update_or_create(
            year=year, defaults={"period": period, "fed_at": timezone.now()}
        )
        AuditEvent.record(
            AuditEvent.Action.COMPOSITE_FEED,
            actor,
            period=period,
            year=year,
            judge=judge,
            indicator=indicator,
            scores=len(rows),
            replaced=removed,
        )
    return len(rows)


# -- indicators and observation: the annual composite ---------------------------------------------

SHARES = (80.0, 20.0)
"""The shares (%) of the indicator assessment and of the observation composite in the annual
composite when the year has no :class:`AnnualComposite` row (the issue's 80 % + 20 %)."""


def shares(year: int) -> tuple[float, float]:
    """The year's shares (indicators, observation) in percent: its :class:`AnnualComposite`'s,
    else :data:`SHARES`."""
    settings = AnnualComposite.objects.filter(year=year).first()
    if settings is None:
        return SHARES
    return float(settings.indicator_share), float(settings.observation_share)


def published_assessments() -> Any:
    """The assessments whose county scores may make the indicator part: the published ones,
    the latest first."""
    from kaoping.web.results.models import Assessment

    return (
        Assessment.objects.filter(status=Assessment.Status.PUBLISHED)
        .select_related("period")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
    )


@dataclass
class CombinedRow:
    """A county in the annual composite: its observation group, rank in it (1 = best, ties
    share the smallest rank), indicator score, observation composite and combined score; for a
    county left out, ``missing`` names the part it lacks (``indicators``, ``observation`` or
    ``both``) and ``combined`` is None."""

    code: str
    name: str
    group: str
    indicator: float | None
    observation: float | None
    combined: float | None = None
    rank: int | None = None
    missing: str = ""


@dataclass
class CombinedTable:
    """The year's annual composite with one published assessment: ``groups`` (observation
    group -> its ranked rows), ``left_out`` (the observation's counties without an indicator
    score) and ``not_observed`` (the assessment's counties without an observation
    composite), each listed, none dropped silently."""

    year: int
    assessment: Any
    indicator_share: float
    observation_share: float
    groups: dict[str, list[CombinedRow]]
    left_out: list[CombinedRow]
    not_observed: list[CombinedRow]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def combined(year: int, assessment: Any) -> CombinedTable:
    """The annual composite of ``year`` (指标考核 + 观摩评比): the indicator part is each
    county's ``score`` in the published ``assessment`` (its ``results`` records), the
    observation part the county's :func:`composite` of the year (0..100); the counties with
    both are combined by :func:`kaoping.observation.combine` with the year's :func:`shares`,

    .. math:: C_u = (p\\,I_u + q\\,O_u) / 100,\\quad p + q = 100,

    and ranked within their observation group (:func:`kaoping.methods.rank.within`).  A
    county with only one of the two parts is listed with the part it lacks.

    Raises
    ------
    kaoping.errors.InputError
        ``event.assessment_not_published`` when the assessment is not published; the
        engine's problems when the stored shares are bad.
    """
    import pandas as pd

    from kaoping.methods.rank import within
    from kaoping.observation import combine
    from kaoping.web.results.models import Assessment

    if assessment.status != Assessment.Status.PUBLISHED:
        _problems(
            [
                Problem(
                    "event.assessment_not_published",
                    f"考核 {assessment.period.code} 尚未发布，不能与观摩评比合成。",
                    f"the assessment {assessment.period.code} is not published: only a "
                    "published one is combined with the observation.",
                    "assessment",
                )
            ]
        )
    p, q = shares(year)
    observed = composite(year).table
    groups = {str(c): str(g) for c, g in observed["group"].items()}
    observation = {
        str(c): v for c, raw in observed["composite"].items() if (v := _number(raw)) is not None
    }
    indicators: dict[str, float] = {}
    scored: list[str] = []  # the assessment's counties, in its order
    for record in assessment.results:
        code = str(record.get("unit", ""))
        if not code:
            continue
        scored.append(code)
        value = _number(record.get("score"))
        if value is not None:
            indicators[code] = value
    everyone = list(dict.fromkeys([*observed.index.astype(str), *scored]))
    names = dict(Unit.objects.filter(code__in=everyone).values_list("code", "name"))
    names |= {
        str(r["unit"]): str(r.get("name") or r["unit"])
        for r in assessment.results
        if r.get("unit") and str(r["unit"]) not in names
    }
    both = [c for c in everyone if c in indicators and c in observation]
    rows: dict[str, CombinedRow] = {
        c: CombinedRow(c, names.get(c, c), groups.get(c, ""), indicators.get(c),
                       observation.get(c))
        for c in everyone
    }  # fmt: skip
    if both:
        out = combine(
            pd.Series({c: indicators[c] for c in both}),
            pd.Series({c: observation[c] for c in both}),
            indicator_share=p,
            observation_share=q,
        )
        ranks = within(out.to_numpy(), [groups.get(c) or None for c in both])
        for code, value, rank in zip(both, out.tolist(), ranks.tolist(), strict=True):
            rows[code].combined = float(value)
            rows[code].rank = None if math.isnan(rank) else int(rank)
    ranked: dict[str, list[CombinedRow]] = {}
    for group in dict.fromkeys(groups[c] for c in observed.index.astype(str)):
        members = [rows[c] for c in both if groups.get(c) == group]
        members.sort(key=lambda r: (r.rank or 10**9, -(r.combined or 0.0), r.code))
        if members:
            ranked[group] = members
    left_out = []
    for code in observed.index.astype(str):
        if code in both:
            continue
        row = rows[code]
        lacks = [n for n, part in (("indicators", indicators), ("observation", observation))
                 if code not in part]  # fmt: skip
        row.missing = "both" if len(lacks) == 2 else lacks[0]
        left_out.append(row)
    not_observed = []
    for code in scored:
        if code in both or code in groups:
            continue
        row = rows[code]
        row.missing = "observation"
        not_observed.append(row)
    return CombinedTable(
        year=year,
        assessment=assessment,
        indicator_share=p,
        observation_share=q,
        groups=ranked,
        left_out=left_out,
        not_observed=not_observed,
    )


def set_shares(*, actor: Any, year: int, indicator_share: Any) -> AnnualComposite:
    """The office sets the year's shares: ``indicator_share`` a number within 0..100 (the text
    of the form's field is accepted), the observation's the rest (100 − it).  Stored in the
    year's :class:`AnnualComposite` (created when missing) and recorded in the audit log under
    ``COMPOSITE_SHARES`` with ``shares``.

    Raises
    ------
    PermissionDenied
        Unless the actor is the city office.
    kaoping.errors.InputError
        ``event.bad_indicator_share`` naming the field when it is not a number within 0..100;
        nothing is stored.
    """
    require_reviewer(actor)
    raw = str(indicator_share).strip().replace("%", "").replace("％", "")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (0.0 <= value <= 100.0):  # NaN and infinities included
        _problems(
            [
                Problem(
                    "event.bad_indicator_share",
                    f"“指标考核占比”须为 0 到 100 之间的数，收到“{str(indicator_share)[:20]}”；"
                    "观摩评比占比为 100 减去它。",
                    f"'Share of the indicators' must be a number within 0..100; got "
                    f"'{str(indicator_share)[:20]}' (the observation's share is 100 minus it).",
                    "indicator_share",
                )
            ]
        )
    value = round(value, 2)
    before = shares(year)
    with transaction.atomic():
        settings: AnnualComposite = AnnualComposite.objects.get_or_create(year=year)[0]
        settings.indicator_share = value
        settings.observation_share = round(100.0 - value, 2)
        settings.save(update_fields=["indicator_share", "observation_share"])
        AuditEvent.record(
            AuditEvent.Action.COMPOSITE_SHARES,
            actor,
            year=year,
            shares={"indicators": value, "observation": settings.observation_share},
            previous={"indicators": before[0], "observation": before[1]},
        )
    return settings


def events_visible_to(user: Any) -> Any:
    """The events a user sees in the list: the office all; a judge those it judges; counties
    and viewers the closed (counties) and published ones."""
    from kaoping.web.collection.access import is_reviewer

    query = ObservationEvent.objects.all()
    if is_reviewer(user):
        return query
    role = role_of(user)
    if role is None:
        return query.none()
    after = (ObservationEvent.Status.CLOSED, ObservationEvent.Status.PUBLISHED)
    mine = Q(judges__user=user)
    if role == Role.JUDGE:
        return query.filter(mine).distinct()
    if role == Role.COUNTY:
        return query.filter(mine | Q(status__in=after)).distinct()
    return query.filter(mine | Q(status=ObservationEvent.Status.PUBLISHED)).distinct()
