"""Passwords: every user changes their own; the city office resets a county account's to a
temporary one, shown once, that the county must change at its next login; nobody resets an
analyst's, an admin's or a superuser's this way.  Both are in the audit log, the password
never."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from kaoping.web.accounts import services
from kaoping.web.collection.models import AuditEvent, Membership, Period, Unit

NEW = "Kp-county-7391"


def _reset(client: Any, user: Any) -> str:
    """Reset through the page; the temporary password it shows."""
    page = client.post(f"/accounts/counties/{user.pk}/reset/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    found = re.search(r'<p class="password"><code>([^<]+)</code>', page.content.decode())
    assert found is not None
    return found[1]


def test_the_page_lists_the_county_accounts_only(client_for: Any, users: dict[str, Any]) -> None:
    get_user_model().objects.create_superuser("root", password="pw")
    page = client_for("analyst").get("/accounts/counties/").content.decode()
    assert "county-410821" in page
    assert "410822 博爱县" in page
    for other in ("viewer", "root", "<td>analyst</td>", "<td>admin</td>"):
        assert other not in page


def test_an_analyst_resets_a_county_password_which_it_must_change_at_next_login(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    county = users["county-410821"]
    old_session = client_for("county-410821")
    temporary = _reset(client_for("analyst"), county)
    assert re.fullmatch(r"[a-zA-Z3479]{4}-[a-zA-Z3479]{4}-[a-zA-Z3479]{4}", temporary)
    # the county's open session ends: its password's hash changed
    assert old_session.get("/collect/2024/")["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="account.reset")
    assert (event.actor, event.data) == (users["analyst"], {"account": "county-410821",
                                                          "unit": "410821"})  # fmt: skip
    assert temporary not in str(AuditEvent.objects.values_list("data", flat=True))
    # logging in with it, every page sends the county to the password change
    client = client_for(None)
    login = client.post("/accounts/login/", {"username": "county-410821", "password": temporary})
    assert login.status_code == 302
    assert client.get("/collect/2024/")["Location"] == "/accounts/password/"
    assert "临时密码" in client.get("/accounts/password/").content.decode()
    changed = client.post(
        "/accounts/password/",
        {"old_password": temporary, "new_password1": NEW, "new_password2": NEW},
    )
    assert changed["Location"] == "/accounts/password/done/"
    assert client.get("/collect/2024/").status_code == 200  # still logged in, free to work
    assert not Membership.objects.get(user=county).must_change_password
    assert AuditEvent.objects.filter(action="account.password", actor=county).count() == 1


@pytest.mark.parametrize("target", ["analyst", "admin", "viewer", "root"])
def test_nobody_resets_an_analysts_admins_viewers_or_superusers_password_here(
    client_for: Any, users: dict[str, Any], target: str
) -> None:
    users["root"] = get_user_model().objects.create_superuser("root", password="pw")
    account = users[target]
    for reviewer in ("analyst", "admin"):
        client = client_for(reviewer)
        assert client.get(f"/accounts/counties/{account.pk}/reset/").status_code == 404
        assert client.post(f"/accounts/counties/{account.pk}/reset/").status_code == 404
        with pytest.raises(PermissionDenied, match="县级填报账户"):
            services.county_password_reset(actor=users[reviewer], account=account)
    account.refresh_from_db()
    assert account.check_password("pw")
    assert not AuditEvent.objects.exists()


def test_a_county_account_made_staff_is_not_reset_here(
    client_for: Any, users: dict[str, Any]
) -> None:
    county = users["county-410822"]
    county.is_staff = True
    county.save()
    assert client_for("analyst").post(f"/accounts/counties/{county.pk}/reset/").status_code == 404


def test_counties_and_viewers_neither_see_nor_reset(client_for: Any, users: dict[str, Any]) -> None:
    target = users["county-410822"]
    for role in ("county-410821", "viewer"):
        client = client_for(role)
        assert client.get("/accounts/counties/").status_code == 403
        assert client.post(f"/accounts/counties/{target.pk}/reset/").status_code == 403
    target.refresh_from_db()
    assert target.check_password("pw")


def test_a_reset_lifts_a_lockout_of_the_name(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for(None)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "county-410821", "password": "no"})
    temporary = _reset(client_for("analyst"), users["county-410821"])
    login = client.post("/accounts/login/", {"username": "county-410821", "password": temporary})
    assert login.status_code == 302


def test_the_admin_sends_an_analyst_to_the_reset_page_and_refuses_other_passwords(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("analyst")
    county = users["county-410821"]
    page = client.get(f"/admin/auth/user/{county.pk}/password/")
    assert page["Location"] == f"/accounts/counties/{county.pk}/reset/"
    other = users["viewer"]
    assert client.get(f"/admin/auth/user/{other.pk}/password/").status_code == 403
    assert (
        client.post(
            f"/admin/auth/user/{other.pk}/password/",
            {"password1": NEW, "password2": NEW, "usable_password": "true"},
        ).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.check_password("pw")


def test_a_new_password_follows_the_rules_in_chinese(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("viewer")
    page = client.post(
        "/accounts/password/",
        {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert page.status_code == 200
    said = page.content.decode()
    assert "此密码太短，至少要包含 10 个字符。" in said  # Django's own, in Chinese
    assert "密码只包含数字。" in said
    wrong = client.post(
        "/accounts/password/", {"old_password": "no", "new_password1": NEW, "new_password2": NEW}
    )
    assert "你的旧密码不正确。" in wrong.content.decode()
    users["viewer"].refresh_from_db()
    assert users["viewer"].check_password("pw")


def test_every_role_changes_its_own_password_from_the_header(
    client_for: Any, users: dict[str, Any], units: dict[str, Unit]
) -> None:
    for role in ("admin", "analyst", "viewer", "county-410821"):
        client = client_for(role)
        assert 'href="/accounts/password/"' in client.get("/accounts/password/").content.decode()
        answer = client.post(
            "/accounts/password/",
            {"old_password": "pw", "new_password1": NEW, "new_password2": NEW},
        )
        assert answer["Location"] == "/accounts/password/done/"
        users[role].refresh_from_db()
        assert users[role].check_password(NEW)
