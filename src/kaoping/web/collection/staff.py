"""Analysts manage units and accounts in Django's admin: a membership as analyst (or admin)
makes its user staff and a member of the ``analysts`` group, whose permissions are listed here;
any other role takes both away.  What the admin lets an analyst do beyond the permissions
(never touch a superuser, never hand out the admin role) is in :mod:`.admin`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from kaoping.web.collection.models import Membership, Role

ANALYSTS = "analysts"
STAFF_ROLES = (Role.ANALYST, Role.ADMIN)
PERMISSIONS = {
    # units, accounts and their roles (API tokens stay with the system admin: a token admin
    # for analysts would show and make tokens of any account, a superuser's included)
    "collection": ["add_unit", "change_unit", "view_unit", "add_membership",
                   "change_membership", "delete_membership", "view_membership",
                   # read-only: periods (managed on the periods page), figures, the audit log
                   "view_period", "view_submission", "view_value", "view_auditevent"],
    "auth": ["add_user", "change_user", "view_user"],
    # the departments (职能部门): their names and the items they may propose
    "official": ["add_department", "change_department", "view_department"],
}  # fmt: skip


def analyst_group() -> Group:
    """The ``analysts`` group, with exactly the permissions listed here (set each time: a
    permission taken off the list is taken from the group too)."""
    group, _ = Group.objects.get_or_create(name=ANALYSTS)
    wanted = Q(pk__in=[])
    for app, codenames in PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def sync_staff(
    membership: Membership, *, deleted: bool = False, previous_user: int | None = None
) -> None:
    """Make the user staff and an analyst, or neither, as the membership's role says; a user
    the membership was moved away from (``previous_user``) loses both."""
    if previous_user is not None and previous_user != membership.user_id:
        former = get_user_model().objects.filter(pk=previous_user).first()
        if former is not None:
            _set_staff(former, False)
    _set_staff(membership.user, not deleted and membership.role in STAFF_ROLES)


def _set_staff(user: Any, staff: bool) -> None:
    if user.is_staff != (staff or user.is_superuser):
        user.is_staff = staff or user.is_superuser
        user.save(update_fields=["is_staff"])
    if staff:
        user.groups.add(analyst_group())
    else:
        user.groups.remove(*user.groups.filter(name=ANALYSTS))
