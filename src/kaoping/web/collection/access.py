"""Who may see and do what: one helper per kind of object, used by every view and service.

A county submitter sees and edits only their own unit's submission, and edits it only while
the period is open (or the submission was reopened after an accepted objection) and the
submission is a draft or was returned; analysts and admins see
every submission and review them; viewers see published results only (not submissions).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaoping.web.collection.models import Membership, Period, Role, Submission

EDITABLE = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def role_of(user: Any) -> Role | None:
    """The user's role; None for an anonymous user or an account without a membership."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        membership: Membership = user.membership
    except Membership.DoesNotExist:
        return None
    return Role(membership.role)


def unit_id_of(user: Any) -> int | None:
    """The unit a county submitter submits for (None for every other role)."""
    if role_of(user) != Role.COUNTY:
        return None
    unit_id: int | None = user.membership.unit_id
    return unit_id


def is_reviewer(user: Any) -> bool:
    """Analysts and admins: they review, open and close periods."""
    return role_of(user) in (Role.ANALYST, Role.ADMIN)


def require_reviewer(user: Any) -> None:
    """PermissionDenied unless the user is an analyst or admin (for services and views)."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only the city office's analysts may do this."))


def can_view_submission(user: Any, submission: Submission) -> bool:
    if is_reviewer(user):
        return True
    unit = unit_id_of(user)
    return unit is not None and submission.unit_id == unit


def can_edit_submission(user: Any, submission: Submission) -> bool:
    unit = unit_id_of(user)
    return (
        unit is not None
        and submission.unit_id == unit
        and (submission.period.status == Period.Status.OPEN or submission.reopened)
        and submission.status in EDITABLE
    )


def submissions_visible_to(user: Any) -> QuerySet[Submission]:
    """The submissions a user may read (a selector: every list and export starts here)."""
    qs = Submission.objects.select_related("unit", "period")
    if is_reviewer(user):
        return qs
    unit = unit_id_of(user)
    if unit is None:
        return qs.none()
    return qs.filter(unit_id=unit)
