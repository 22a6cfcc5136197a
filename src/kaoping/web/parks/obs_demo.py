"""The demo's on-site observation (观摩评比, SYNTHETIC scores): Jiaozuo's four quarterly events
of the demo year with nine judge accounts ``judge-1`` … ``judge-9``, the groups 县(市)组 (7) and
城区组 (4), each event's itinerary taken from the key-project registry when the demo has one,
the scores of :func:`kaoping.observation.demo.event`; Q1–Q3 closed and published (in Q2 one
judge scored every county alike: flagged and left out, recorded), Q4 open with five judges
done, one partway and three not started; one 回头看 of Q1 and Q2, published; the year's
:class:`~kaoping.web.parks.models.AnnualComposite` with the quarters weighted equally.

Events go through the organiser's services (:mod:`kaoping.web.parks.events`); the judges'
scores are written as their phones would have saved them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kaoping.web.collection.models import Membership, Role, Unit
from kaoping.web.parks import events
from kaoping.web.parks.models import AnnualComposite, Judge, ObservationEvent, Score

__all__ = ["JUDGES", "fill"]

JUDGES = 9
"""Judge accounts of the demo: ``judge-1`` … ``judge-9``."""

YEAR = 2026
"""The demo year: the key projects' (their months run to 2026-11)."""


def _units() -> None:
    """The groups' units the demo has not created (it creates the ranked counties, not the
    districts nor the 示范区), named as the demo names units (the bundled Henan table)."""
    from kaoping.data import bundled
    from kaoping.observation.demo import GROUPS, NAMES

    table = bundled.henan_units()
    english = bundled.henan_names_en()
    for code in (c for members in GROUPS.values() for c in members):
        if Unit.objects.filter(code=code).exists():
            continue
        known = code in table.frame.index
        Unit.objects.create(
            code=code,
            name=table.name(code) if known else NAMES[code],
            name_en=english.get(code, ""),
            category=str(table.frame.at[code, "category"]) if known else "",
        )


def _accounts(password: str) -> list[Any]:
    from kaoping.observation.demo import JUDGES as SPEC

    users = []
    for k, judge in enumerate(SPEC[:JUDGES], start=1):
        user = get_user_model().objects.create(
            username=f"judge-{k}", password=password, first_name=judge.name
        )
        Membership.objects.create(user=user, role=Role.JUDGE)
        users.append(user)
    return users


def _event(
    analyst: Any,
    accounts: list[Any],
    *,
    code: str,
    name: str,
    quarter: str,
    kind: str = ObservationEvent.Kind.QUARTER,
    reviews: tuple[str, ...] = (),
    seed: int = 0,
    date: dt.date | None = None,
) -> tuple[ObservationEvent, Any]:
    from kaoping.observation import demo

    spec, scores = demo.event(seed=seed, quarter=quarter)
    created = events.event_create(
        actor=analyst, code=code, name=name, period=quarter, year=YEAR, kind=kind,
        aggregation=spec.aggregation, groups=spec.groups, reviews=reviews, date=date,
        criteria=[(c.name, c.maximum, c.hint) for c in spec.criteria],
        judges=[{"user": user, "role": j.role, "weight": j.weight}
                for user, j in zip(accounts, spec.judges, strict=False)],
    )  # fmt: skip
    events.event_open(actor=analyst, event=created)
    return created, scores


def _score(event: ObservationEvent, scores: Any, *, done: int, partway: int = 0) -> None:
    """The first ``done`` judges' every score (submitted), the next one's first ``partway``
    counties; the others none."""
    from kaoping.observation.demo import JUDGES as SPEC

    judges = {j.id: judge for j, judge in zip(SPEC, event.judges.order_by("pk"), strict=False)}
    criteria = {c.name: c for c in event.criteria.all()}
    units = {u.code: u for u in Unit.objects.filter(code__in=set(scores["unit"]))}
    order = list(dict.fromkeys(scores["unit"]))
    now = timezone.now()
    rows = []
    for k, (judge_id, judge) in enumerate(judges.items()):
        if k < done:
            allowed = set(order)
        elif k == done and partway:
            allowed = set(order[:partway])
        else:
            continue
        mine = scores[(scores["judge"] == judge_id) & scores["unit"].isin(allowed)]
        rows += [
            Score(judge=judge, unit=units[r.unit], criterion=criteria[r.criterion], value=r.score)
            for r in mine.itertuples()
        ]
        if k < done:
            Judge.objects.filter(pk=judge.pk).update(submitted_at=now)
    Score.objects.bulk_create(rows)


def _flat(event: ObservationEvent, judge: Judge) -> None:
    """The judge gives every county the same points (80 % of each criterion's maximum)."""
    for criterion in event.criteria.all():
        Score.objects.filter(judge=judge, criterion=criterion).update(
            value=round(0.8 * criterion.maximum * 2) / 2
        )


def _finish(analyst: Any, event: ObservationEvent) -> None:
    """Close, decide on every flagged judge (a flat one left out, the others kept after a
    check) and publish."""
    events.event_close(actor=analyst, event=event)
    event.refresh_from_db()
    kinds = events.flags(event).groupby("judge")["kind"].apply(set).to_dict()
    for judge in events.undecided(event):
        if "flat" in kinds.get(judge.user.username, set()):
            events.event_decide(actor=analyst, event=event, judge=judge, kind="exclude",
                                reason="各单位评分完全相同，无区分度（演示）")  # fmt: skip
        else:
            events.event_decide(actor=analyst, event=event, judge=judge, kind="keep",
                                reason="经核实评分有效（演示）")  # fmt: skip
    events.event_publish(actor=analyst, event=event)


def fill(*, analyst: Any, password: str) -> str:
    """Fill the observation (see the module); ``password`` is the demo accounts' hashed
    password.  Returns a line for the demo's summary."""
    with transaction.atomic():
        _units()
        accounts = _accounts(password)
        made = []
        for q in (1, 2, 3, 4):
            event, scores = _event(
                analyst, accounts, code=f"{YEAR}-q{q}", quarter=f"{YEAR}-Q{q}",
                name=f"{YEAR}年第{q}季度项目建设观摩评比（演示）",
                date=dt.date(YEAR, 3 * q - 1, 15),
            )  # fmt: skip
            if q < 4:
                _score(event, scores, done=JUDGES)
                if q == 2:
                    _flat(event, event.judges.order_by("pk").last())  # type: ignore[arg-type]
                _finish(analyst, event)
            else:
                _score(event, scores, done=5, partway=4)
            made.append(event)
        review, scores = _event(
            analyst, accounts, code=f"{YEAR}-hkk", quarter=f"{YEAR}-Q3", seed=7,
            kind=ObservationEvent.Kind.REVIEW, reviews=(f"{YEAR}-q1", f"{YEAR}-q2"),
            name=f"{YEAR}年上半年观摩项目回头看（演示）", date=dt.date(YEAR, 9, 20),
        )  # fmt: skip
        _score(review, scores, done=JUDGES)
        _finish(analyst, review)
        AnnualComposite.objects.create(
            year=YEAR, weights={e.code: 1.0 for e in made}, indicator_share=80.0,
            observation_share=20.0,
        )  # fmt: skip
    return (
        f"observation: {len(made)} quarterly events of {YEAR} and a look-back (synthetic "
        f"scores), {JUDGES} judge accounts judge-1 … judge-{JUDGES}; Q4 open for scoring"
    )
