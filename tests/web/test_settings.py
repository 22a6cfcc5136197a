"""Settings fail loudly on a bad value, naming the variable and the fix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kaoping.web import settings


def test_it_reads_flags_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAOPING_DEBUG", "yes")
    assert settings._flag("KAOPING_DEBUG") is True
    monkeypatch.setenv("KAOPING_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KAOPING_DEBUG='maybe': use 1 or 0"):
        settings._flag("KAOPING_DEBUG")


def test_sqlite_is_the_default_with_wal_and_immediate_transactions() -> None:
    config = settings._database(None)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_postgres_comes_from_one_url_and_other_engines_are_refused() -> None:
    config = settings._database("postgres://kp:secret@127.0.0.1:5433/kaoping")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["PORT"]) == ("kaoping", 5433)
    with pytest.raises(ImproperlyConfigured, match="use a postgres"):
        settings._database("mysql://kp:secret@127.0.0.1/kaoping")


def test_whole_numbers_are_read_and_anything_else_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "KAOPING_LOGIN_FAILURES_PER_ADDRESS"
    assert settings._whole(name, 10) == 10
    monkeypatch.setenv(name, "25")
    assert settings._whole(name, 10, least=5) == 25
    for bad in ("3", "ten", "２５", "-1"):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ImproperlyConfigured, match="use a whole number of at least 5"):
            settings._whole(name, 10, least=5)


def test_the_client_address_is_the_connections_unless_a_proxy_header_is_named() -> None:
    assert settings._client_address(None) == ("REMOTE_ADDR",)
    assert settings._client_address("X-Real-IP") == ("HTTP_X_REAL_IP", "REMOTE_ADDR")
    with pytest.raises(ImproperlyConfigured, match="name the header, such as X-Real-IP"):
        settings._client_address("X-Real-IP: 1.2.3.4")


def test_the_api_rate_is_a_number_per_unit_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings._rate("KAOPING_API_RATE", "60/minute") == "60/minute"
    monkeypatch.setenv("KAOPING_API_RATE", "1000/day")
    assert settings._rate("KAOPING_API_RATE", "60/minute") == "1000/day"
    for bad in ("60", "60/week", "0/minute", "many/hour"):
        monkeypatch.setenv("KAOPING_API_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="such as 60/minute"):
            settings._rate("KAOPING_API_RATE", "60/minute")
