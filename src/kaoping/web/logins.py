"""Login throttling (django-axes) with two limits: a user name from one address is locked out
after ``AXES_FAILURE_LIMIT`` wrong passwords (5), and an address after
``LOGIN_FAILURES_PER_ADDRESS`` (10) over all the names tried from it, so that spraying one
password over many accounts is stopped as well as guessing one account's.  Both for
``AXES_COOLOFF_TIME`` (15 minutes).

Axes counts by its lockout parameters, ``[["username", "ip_address"], "ip_address"]`` in this
order, against one limit; :class:`LoginThrottle` applies the second limit to the second count.
A successful login forgives that user name's failures from the address only, not the others
tried from it (axes would forget every failure of the address).  :func:`username` keeps a
user name of any length from failing the database.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum

PARAMETERS = [["username", "ip_address"], "ip_address"]


def username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name tried (axes' own rule), cut to the length of axes' column: Django's login
    form does not limit it, and a longer one would make PostgreSQL refuse the failure's row."""
    from axes.models import AccessAttempt

    if credentials:
        name = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        name = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    most = AccessAttempt._meta.get_field("username").max_length
    return name[:most] if isinstance(name, str) else name


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]
    def __init__(self) -> None:
        if settings.AXES_LOCKOUT_PARAMETERS != PARAMETERS:
            raise ImproperlyConfigured(f"AXES_LOCKOUT_PARAMETERS must be {PARAMETERS}.")
        super().__init__()

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The user name's failures from this address, or the limit itself once the address
        has reached its own limit (axes compares the result with ``AXES_FAILURE_LIMIT``)."""
        pair, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return int(pair)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return int(count)
