"""Logging in and where each role lands; the page language (zh-Hans by default, English)."""

from __future__ import annotations

from typing import Any

from kaoping.web.collection.models import Period


def test_a_county_logs_in_and_lands_on_its_form(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    client = client_for(None)
    page = client.post("/accounts/login/", {"username": "county-410821", "password": "pw"})
    assert page.status_code == 302
    assert client.get("/")["Location"] == "/collect/2024/"


def test_a_wrong_password_says_so_in_chinese_by_default(
    client_for: Any, users: dict[str, Any]
) -> None:
    page = client_for(None).post("/accounts/login/", {"username": "analyst", "password": "no"})
    assert page.status_code == 200
    assert "用户名或密码错误" in page.content.decode()


def test_english_is_one_switch_away(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert (
        "Wrong user name or password"
        in client.post(
            "/accounts/login/", {"username": "analyst", "password": "no"}
        ).content.decode()
    )


def test_five_wrong_passwords_lock_the_account_out_for_a_while(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for(None)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "analyst", "password": "no"})
    locked = client.post("/accounts/login/", {"username": "analyst", "password": "pw"})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.client.session
    # another account from the same address is not affected
    other = client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert other.status_code == 302


def _fail(client: Any, name: str, address: str = "127.0.0.1", **headers: str) -> Any:
    return client.post(
        "/accounts/login/", {"username": name, "password": "no"}, REMOTE_ADDR=address, **headers
    )


def test_ten_wrong_passwords_over_many_names_lock_the_address_out(
    client_for: Any, users: dict[str, Any]
) -> None:
    """One password sprayed over many accounts: each name fails once only, yet the address
    is refused from the 10th failure on (axes: the address's own limit), the right password
    of another account included; another address is not affected."""
    client = client_for(None)
    for n in range(9):
        assert _fail(client, f"county-4108{n:02d}").status_code == 200  # wrong, not locked
    assert _fail(client, "county-410899").status_code == 429
    eleventh = client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert eleventh.status_code == 429
    assert "_auth_user_id" not in client.client.session
    elsewhere = client_for(None).post(
        "/accounts/login/", {"username": "viewer", "password": "pw"}, REMOTE_ADDR="10.1.2.3"
    )
    assert elsewhere.status_code == 302


def test_a_successful_login_forgives_its_own_name_only(
    client_for: Any, users: dict[str, Any]
) -> None:
    """Nine names sprayed, then a login to the sprayer's own account: the nine still count,
    so the next failure locks the address."""
    client = client_for(None)
    for n in range(9):
        _fail(client, f"name-{n}")
    own = client_for(None).post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert own.status_code == 302
    assert _fail(client, "name-9").status_code == 429


def test_a_forged_forwarded_for_header_does_not_change_the_address(
    client_for: Any, users: dict[str, Any]
) -> None:
    """Without KAOPING_CLIENT_IP_HEADER the address is the connection's: a client that sends
    another X-Forwarded-For with each try is still one address."""
    client = client_for(None)
    for n in range(10):
        _fail(client, f"name-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    locked = client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert locked.status_code == 429


def test_pages_carry_a_content_security_policy_without_inline_code(
    client_for: Any, users: dict[str, Any]
) -> None:
    policy = client_for(None).get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
