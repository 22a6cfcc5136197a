"""Who may see and do what in the observation events and the parks.

Observation (issue 16): the city office (analysts, admins) organises every event and sees
everything at any time.  A judge scores only the events they are a judge of, only while the
event is open, and sees only their own scores until the event closes.  Once an event is closed
its results are computed: the judges of the event and each county (its own results only) see
them; once published everybody signed in sees all of them.

Parks: the office sees and computes every year; a year's league, park pages and ratings are
for everybody signed in once the year is published; before that a county sees the parks it
hosts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kaoping.web.collection.access import is_reviewer, role_of, unit_id_of
from kaoping.web.collection.models import Role, Unit
from kaoping.web.parks.models import Judge, ObservationEvent, Park, ParkYear

__all__ = [
    "can_see_park_year",
    "can_see_results",
    "judge_of",
    "require_judge",
    "require_results",
    "sees_all_results",
]

_AFTER_CLOSE = (ObservationEvent.Status.CLOSED, ObservationEvent.Status.PUBLISHED)


def judge_of(user: Any, event: ObservationEvent) -> Judge | None:
    """The user's judge row of the event (None: not one of its judges)."""
    if role_of(user) is None:
        return None
    return Judge.objects.filter(event=event, user=user).first()


def require_judge(user: Any, event: ObservationEvent) -> Judge:
    """The user's judge row; PermissionDenied unless they judge this event and it is open."""
    judge = judge_of(user, event)
    if judge is None:
        raise PermissionDenied(_("You are not a judge of this observation event."))
    if event.status != ObservationEvent.Status.OPEN:
        raise PermissionDenied(_("This observation event is not open for scoring."))
    return judge


def sees_all_results(user: Any, event: ObservationEvent) -> bool:
    """Every county's results and every judge's scores: the office always, the event's judges
    once it is closed, everybody signed in once it is published."""
    if is_reviewer(user):
        return True
    if role_of(user) is None:
        return False
    if event.status == ObservationEvent.Status.PUBLISHED:
        return True
    return event.status in _AFTER_CLOSE and judge_of(user, event) is not None


def can_see_results(user: Any, event: ObservationEvent, unit: Unit | None = None) -> bool:
    """The results page at all (``unit`` None), or one county's row of it: a county sees its
    own once the event is closed."""
    if sees_all_results(user, event):
        return True
    if role_of(user) != Role.COUNTY or event.status not in _AFTER_CLOSE:
        return False
    return unit is None or unit.pk == unit_id_of(user)


def require_results(user: Any, event: ObservationEvent, unit: Unit | None = None) -> None:
    if not can_see_results(user, event, unit):
        raise PermissionDenied(_("These results are not published yet."))


def can_see_park_year(user: Any, year: ParkYear, park: Park | None = None) -> bool:
    """A year's league (``park`` None) or one park's rating of that year."""
    if is_reviewer(user):
        return True
    if role_of(user) is None:
        return False
    if year.status == ParkYear.Status.PUBLISHED:
        return True
    if role_of(user) != Role.COUNTY or year.status != ParkYear.Status.COMPUTED:
        return False
    unit = Unit.objects.filter(pk=unit_id_of(user)).first()
    return park is not None and unit is not None and park.county_code == unit.code
