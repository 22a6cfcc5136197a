"""The password actions, with their rights: a county account's reset by an analyst or admin
(never an analyst's, an admin's, a superuser's or staff's), and a user's own change."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaoping.web.collection import access
from kaoping.web.collection.models import AuditEvent, Membership, Role

# no 0/O, 1/l/I: read out over the telephone
ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479"


def temporary_password() -> str:
    """Twelve random characters in three groups (``k7Qe-t3Ma-xPc9``: about 67 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def county_accounts(*, actor: Any) -> QuerySet[Any]:
    """The accounts whose password the city office may reset: county submitters (a selector:
    the page lists these, the reset accepts only these)."""
    access.require_reviewer(actor)
    return (
        get_user_model()
        .objects.filter(membership__role=Role.COUNTY, is_superuser=False, is_staff=False)
        .select_related("membership__unit")
        .order_by("membership__unit__code", "username")
    )


def county_password_reset(*, actor: Any, account: Any) -> str:
    """Give a county account a new temporary password, which it must change at its next
    login; its sessions end (Django checks the password's hash on each request) and a lockout
    of its name is lifted.  Returns the password, to be shown once."""
    with transaction.atomic():
        accounts = county_accounts(actor=actor).select_for_update(of=("self",))
        target = accounts.filter(pk=account.pk).first()
        if target is None:
            raise PermissionDenied(_("Only a county submitter's password is reset here."))
        password = temporary_password()
        target.set_password(password)
        target.save(update_fields=["password"])
        Membership.objects.filter(user=target).update(must_change_password=True)
        AuditEvent.record(
            AuditEvent.Action.PASSWORD_RESET,
            actor,
            account=target.username,
            unit=target.membership.unit.code,
        )
    from axes.utils import reset

    reset(username=target.username)
    return password


def password_change(*, actor: Any, form: PasswordChangeForm) -> None:
    """Save a user's own new password (the form checked the old one and the rules), and end
    an obligation to change it."""
    if form.user.pk != actor.pk:
        raise PermissionDenied(_("You may change your own password only."))
    with transaction.atomic():
        form.save()
        Membership.objects.filter(user=actor).update(must_change_password=False)
        AuditEvent.record(AuditEvent.Action.PASSWORD_CHANGE, actor, account=actor.username)
