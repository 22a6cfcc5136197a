"""Settings for the test suite: the platform's own, with a fixed key and a fast password hasher.

The database is the same choice as in production: the SQLite file (a throw-away test database)
unless ``KAOPING_DATABASE_URL`` names a PostgreSQL server, as CI's second run does.
"""

from __future__ import annotations

import os

os.environ.setdefault("KAOPING_SECRET_KEY", "kaoping-test-suite-only")

from kaoping.web.settings import *  # noqa: F403

# Django's backends, but flushing (after each transactional test) lifts the audit log's guard
# triggers for the moment it empties the tables: see kaoping.web.testdb
DATABASES["default"]["ENGINE"] = {  # noqa: F405
    "django.db.backends.sqlite3": "kaoping.web.testdb.sqlite3",
    "django.db.backends.postgresql": "kaoping.web.testdb.postgresql",
}[DATABASES["default"]["ENGINE"]]  # noqa: F405
# SQLite: the test database in memory, named so, as Django would choose by itself.  Said
# explicitly because pytest-django's xdist suffix knows only Django's own engine name: for the
# one above it would make the file name test_/…/kaoping.sqlite3_gw0, which cannot be opened.
# Each worker process has its own memory, so its own database; PostgreSQL gets test_kaoping_gw0 …
if DATABASES["default"]["ENGINE"] == "kaoping.web.testdb.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, tests only

# the browser tests talk to a live server over plain http on loopback: a secure-only cookie
# would never be sent back
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# the files as they are in the source tree (the manifest needs collectstatic first)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves them from the finders, as with DEBUG (no collectstatic before the tests)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# both caches in memory, per test process, emptied before each test (tests/web/conftest.py)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": None,
    },
}

# evidence files of the tests: a throw-away folder per test process
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="kaoping-test-media-")
# the browser tests' live server serves MEDIA_URL from MEDIA_ROOT (Django's _MediaFilesHandler)
# and fails on every request with None; a URL with a host is one it never handles, so the
# evidence files stay reachable through the platform's evidence page only, as in production
MEDIA_URL = "http://media.invalid/"
