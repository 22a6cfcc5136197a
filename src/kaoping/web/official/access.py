"""Who may see and do what on an official period.

- A department (职能部门) account supplies its indicators' figures for every county and
  proposes items under the rules it may propose; before publication it sees only those: its
  own sheet and the items it proposed.
- A county sees its own targets, the figures departments supplied for it (read-only; it may
  dispute one), and the items about itself.
- Analysts and admins see and decide everything.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Role
from kaoping.web.official.models import Item


def department_of(user: Any) -> str | None:
    """The department a department account speaks for (None for every other role)."""
    if access.role_of(user) != Role.DEPARTMENT:
        return None
    name: str = user.membership.department
    return name or None


def require_department(user: Any) -> str:
    """The user's department, or PermissionDenied."""
    name = department_of(user)
    if name is None:
        raise PermissionDenied(_("Only a department's account may do this."))
    return name


def items_visible_to(user: Any, period: Period) -> QuerySet[Item]:
    """The items of ``period`` a user may read: reviewers all; a department those it proposed;
    a county those about itself (a selector: every list and evidence download starts here)."""
    qs = Item.objects.filter(period=period).select_related("unit", "proposed_by")
    if access.is_reviewer(user):
        return qs
    department = department_of(user)
    if department is not None:
        return qs.filter(department=department)
    unit = access.unit_id_of(user)
    if unit is not None:
        return qs.filter(unit_id=unit)
    return qs.none()
