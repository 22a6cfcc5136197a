"""A user with a temporary password (set by the city office) is sent to the password change
page from every page, until they have chosen their own."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kaoping.web.collection.models import Membership

OPEN = ("password_change", "password_change_done", "logout", "set_language")


@functools.cache
def _open_paths() -> tuple[str, ...]:
    """The pages such a user may still open (resolved on first use, not at start-up)."""
    return tuple(reverse(name) for name in OPEN)


def must_change_password(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    try:
        membership: Membership = user.membership
    except Membership.DoesNotExist:
        return False
    return membership.must_change_password


class TemporaryPasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if must_change_password(request.user) and not request.path.startswith(_open_paths()):
            return redirect("password_change")
        return self.get_response(request)
