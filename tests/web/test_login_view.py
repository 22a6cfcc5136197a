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


def test_pages_carry_a_content_security_policy_without_inline_code(
    client_for: Any, users: dict[str, Any]
) -> None:
    policy = client_for(None).get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
