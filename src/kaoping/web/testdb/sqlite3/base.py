"""Django's SQLite backend with the test suite's flush (see :mod:`kaoping.web.testdb`)."""

from __future__ import annotations

from django.db.backends.sqlite3 import base, operations

from kaoping.web.testdb import FlushMixin


class DatabaseOperations(FlushMixin, operations.DatabaseOperations):
    pass


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
