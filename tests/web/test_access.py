"""Who may read and change a submission, as a matrix of roles x actions on 修武县's (410821)
submission: only its own county edits it, only reviewers review, viewers and the other county
see nothing of it.  Every action goes through the services (what any page, export or API call
would use), so the matrix holds whatever the entry point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaoping.web.collection import access, services
from kaoping.web.collection.models import AuditEvent, Submission

from .workflow import fill

ROLES = ["admin", "analyst", "viewer", "county-410821", "county-410822"]

Action = Callable[[Any, Submission], object]
ACTIONS: dict[str, Action] = {
    "view": lambda user, s: access.submissions_visible_to(user).get(pk=s.pk),
    "open": lambda user, s: services.submission_get_or_start(
        actor=user, unit=s.unit, period=s.period
    ),
    "save": lambda user, s: services.submission_save(
        actor=user, submission=s, values={"gdp": "1"}, version=s.version
    ),
    "submit": lambda user, s: (fill(s), services.submission_submit(actor=user, submission=s)),
    "approve": lambda user, s: (
        Submission.objects.filter(pk=s.pk).update(status="submitted"),
        services.submission_approve(actor=user, submission=s),
    ),
}

ALLOWED = {
    "admin": {"view", "open", "approve"},
    "analyst": {"view", "open", "approve"},
    "viewer": set(),
    "county-410821": {"view", "open", "save", "submit"},
    "county-410822": set(),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_matrix_allows(
    role: str, action: str, users: dict[str, Any], submission: Submission
) -> None:
    user = users[role]
    if action in ALLOWED[role]:
        ACTIONS[action](user, submission)
    else:
        with pytest.raises((PermissionDenied, Submission.DoesNotExist)):
            ACTIONS[action](user, submission)


def test_a_county_lists_only_its_own_submissions(
    users: dict[str, Any], submission: Submission
) -> None:
    other = Submission.objects.create(unit=users["county-410822"].membership.unit,
                                      period=submission.period)  # fmt: skip
    mine = access.submissions_visible_to(users["county-410821"])
    assert list(mine) == [submission]
    assert set(access.submissions_visible_to(users["analyst"])) == {submission, other}
    assert not access.submissions_visible_to(users["viewer"]).exists()


def test_an_anonymous_or_inactive_user_has_no_role(users: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert access.role_of(AnonymousUser()) is None
    county = users["county-410821"]
    county.is_active = False
    assert access.role_of(county) is None


def test_the_admin_shows_the_audit_log_but_cannot_change_it(
    users: dict[str, Any], submission: Submission
) -> None:
    from django.test import Client

    services.submission_save(
        actor=users["county-410821"], submission=submission, values={"gdp": "1"}, version=0
    )
    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/collection/auditevent/").status_code == 200
    event = AuditEvent.objects.get()
    assert client.get(f"/admin/collection/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/collection/auditevent/add/").status_code == 403
    assert client.get("/admin/collection/value/").status_code == 200
