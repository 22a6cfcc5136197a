"""The test suite's database backends: Django's own SQLite and PostgreSQL backends, except that
flushing the database (what pytest-django does after each transactional test, such as a
browser test against the live server) drops the audit log's guard triggers, empties the tables
and creates the triggers again, in one transaction.

Production never uses these: ``settings.py`` names Django's backends, and only
``test_settings.py`` names these.  They open nothing that the database's owner could not do
anyway (drop a trigger); the audit log's hash chain is what shows that afterwards (see
:mod:`kaoping.web.collection.audit`).
"""

from __future__ import annotations

from typing import Any

from kaoping.web.collection import audit


def around_flush(vendor: str, statements: list[str], tables: list[str]) -> list[str]:
    """The flush's statements, between dropping and re-creating the guard triggers when the
    audit log is among the tables."""
    if audit.TABLE not in tables:
        return statements
    create, drop, _ = audit.TRIGGERS[vendor]
    return [*drop, *statements, *create]


class FlushMixin:
    """For a backend's DatabaseOperations: :func:`around_flush` around Django's flush."""

    connection: Any

    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = super().sql_flush(style, tables, **kwargs)  # type: ignore[misc]
        return around_flush(self.connection.vendor, statements, list(tables))
