"""Fixtures of the platform's tests: two counties of Jiaozuo, a period and its predecessor, and
one account per role (a county submitter for each county)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kaoping.web.collection.models import Membership, Period, Role, Submission, Unit

from .workflow import demo_figures, fill


@pytest.fixture(autouse=True)
def _empty_caches() -> Any:
    """Each test starts with both caches empty: the API's request counts (by user id) and the
    results pages (by ids and hashes), which the next test's rolled-back database hands out
    again, never carry over."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def units(db: Any) -> dict[str, Unit]:
    return {
        "410821": Unit.objects.create(code="410821", name="修武县", category="非重点生态功能区"),
        "410822": Unit.objects.create(code="410822", name="博爱县", category="非重点生态功能区"),
    }


@pytest.fixture
def periods(db: Any) -> dict[str, Period]:
    last = Period.objects.create(code="2023", methodology="county_hqd", status="closed")
    this = Period.objects.create(
        code="2024", methodology="county_hqd", status="open", previous=last
    )
    return {"2023": last, "2024": this}


def _user(name: str, role: Role, unit: Unit | None = None) -> Any:
    user = get_user_model().objects.create_user(username=name, password="pw")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def users(units: dict[str, Unit]) -> dict[str, Any]:
    return {
        "admin": _user("admin", Role.ADMIN),
        "analyst": _user("analyst", Role.ANALYST),
        "viewer": _user("viewer", Role.VIEWER),
        "county-410821": _user("county-410821", Role.COUNTY, units["410821"]),
        "county-410822": _user("county-410822", Role.COUNTY, units["410822"]),
    }


@pytest.fixture
def submission(units: dict[str, Unit], periods: dict[str, Period]) -> Submission:
    """修武县's 2024 submission, empty, as a draft."""
    return Submission.objects.create(unit=units["410821"], period=periods["2024"])


class CsrfClient:
    """A test client that enforces CSRF as a browser meets it: every POST carries the token
    of the csrftoken cookie that an earlier GET set (tests never bypass the check)."""

    def __init__(self, user: Any | None = None) -> None:
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/accounts/login/")  # any page with a form sets the cookie
        token = self.client.cookies["csrftoken"].value
        return self.client.post(path, {**(data or {}), "csrfmiddlewaretoken": token}, **kwargs)


@pytest.fixture
def client_for(users: dict[str, Any]) -> Any:
    """client_for("county-410821"): a CSRF-enforcing client logged in as that account."""
    return lambda name: CsrfClient(users[name] if name else None)


@pytest.fixture
def approved(units: dict[str, Unit], periods: dict[str, Period]) -> dict[str, dict[str, float]]:
    """The 2024 figures of every indicator of 修武县 and 博爱县 (the demo data's: plausible),
    approved; 武陟县's only submitted (not approved: it must not count)."""
    units["410823"] = Unit.objects.create(code="410823", name="武陟县", category="重点生态功能区")
    figures: dict[str, dict[str, float]] = {}
    for code, status in (("410821", "approved"), ("410822", "approved"), ("410823", "submitted")):
        submission = Submission.objects.create(
            unit=units[code], period=periods["2024"], status=status
        )
        given = demo_figures(code)
        fill(submission, given)
        figures[code] = {k: v for k, v in given.items() if v is not None}
    return figures
