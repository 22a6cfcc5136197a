"""Settings of the platform, from environment variables that fail loudly on a bad value.

======================================  ============================================================
``KAOPING_DATABASE_URL``                PostgreSQL in production
                                        (``postgres://user:pw@host:5432/db``); default: a SQLite
                                        file (WAL, IMMEDIATE transactions, a 20 s busy timeout:
                                        concurrent writers wait instead of failing).
``KAOPING_SQLITE_PATH``                 That SQLite file (default ``kaoping.sqlite3`` in the working
                                        folder; ``make demo`` uses ``kaoping-demo.sqlite3``).
``KAOPING_SECRET_KEY``                  Django's secret key; required unless ``KAOPING_DEBUG=1``.
``KAOPING_DEBUG``                       ``1`` for development (an insecure fixed key, debug pages).
``KAOPING_ALLOWED_HOSTS``               Comma-separated host names (default
                                        ``127.0.0.1,localhost``).
``KAOPING_ASSETS``                      The node_modules folder with ECharts (default: the
                                        checkout's, filled by ``make assets``).
``KAOPING_STATIC_ROOT``                 Where ``collectstatic`` gathers the static files that the
                                        platform serves itself in production (WhiteNoise; default
                                        ``staticfiles`` in the working folder).
``KAOPING_HTTPS``                       ``1`` (the default unless DEBUG): served over HTTPS, so
                                        cookies are sent over HTTPS only, http is redirected to
                                        https and browsers are told to keep to https for a year
                                        (HSTS).  ``0`` for a plain-http intranet (cookies then
                                        travel unencrypted: not recommended).
``KAOPING_PROXY_HTTPS``                 ``1`` behind a reverse proxy that ends TLS and sets
                                        ``X-Forwarded-Proto: https`` (trusted only when set).
``KAOPING_CLIENT_IP_HEADER``            Behind a reverse proxy: the header in which it passes the
                                        client's address (``X-Real-IP``; it must set it on every
                                        request). Unset: the connection's address (behind a proxy:
                                        the proxy's, so that every user would share one address's
                                        login limit).
``KAOPING_API_RATE``                    Requests per account to the JSON API (default
                                        ``60/minute``; also ``/second``, ``/hour``, ``/day``);
                                        past it the API answers 429 with ``Retry-After``.
``KAOPING_CACHE_DIR``                   The cache's folder, shared by the worker processes of
                                        one machine (default ``kaoping-cache`` in the working
                                        folder).
``KAOPING_LOGIN_FAILURES_PER_ADDRESS``  Wrong passwords from one address, over any user names, that
                                        lock the address out for 15 minutes (default 10; a user name
                                        is locked after 5 from one address).
``KAOPING_MEDIA_ROOT``                  Where the evidence files of bonus, penalty and veto items
                                        are kept (default: beside the SQLite file,
                                        ``<file>-media``; with PostgreSQL ``kaoping-media`` in the
                                        working folder).  Back it up with the database.
``KAOPING_EVIDENCE_MAX_MB``             The largest evidence file accepted, in MB (default 20).
``KAOPING_PHOTO_MAX_MB``                The largest photo of a project's works (形象进度照片)
                                        accepted, in MB (default 10); a photo of more than
                                        ``KAOPING_PHOTO_MAX_PIXELS`` pixels is refused too
                                        (default 40000000: a decompression bomb is not opened).
``KAOPING_PAGES_CACHE``                 The folder of the published pages' cache (default: beside
                                        the SQLite file, ``<file>-pages``; with PostgreSQL
                                        ``kaoping-pages-cache`` in the working folder).  Safe to
                                        delete.
======================================  ============================================================

Production: ``python -m kaoping.web check --deploy`` lists what is still missing;
``python -m kaoping.web collectstatic``, then any WSGI server on ``kaoping.web.wsgi``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def _flag(name: str, default: bool = False) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off, anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: use 1 or 0 (true/false, yes/no, on/off).")


def _whole(name: str, default: int, least: int = 1) -> int:
    """A whole number of at least ``least``; anything else is an error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < least:
        raise ImproperlyConfigured(f"{name}={raw!r}: use a whole number of at least {least}.")
    return int(raw)


def _client_address(header: str | None) -> tuple[str, ...]:
    """request.META keys of the client's address: the proxy's header (``X-Real-IP``), then
    the connection's address."""
    if not header:
        return ("REMOTE_ADDR",)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{0,63}", header.strip()):
        raise ImproperlyConfigured(
            f"KAOPING_CLIENT_IP_HEADER={header!r}: name the header, such as X-Real-IP."
        )
    return ("HTTP_" + header.strip().upper().replace("-", "_"), "REMOTE_ADDR")


def _rate(name: str, default: str) -> str:
    """A request rate as Django REST framework writes it: ``60/minute`` (second, minute,
    hour or day)."""
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]{0,6}/(second|minute|hour|day)", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: write a number of requests per second, minute, hour or day, "
            "such as 60/minute."
        )
    return raw


def _database(url: str | None, sqlite: str | None = None) -> dict[str, object]:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(sqlite or "kaoping.sqlite3").resolve(),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # one connection per worker, kept between requests: opening the file and setting
            # its pragmas took about a third of a cached page's time (checked before reuse)
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"KAOPING_DATABASE_URL: {error}; expected postgres://user:password@host:5432/name."
        ) from None
    if "postgresql" not in str(config.get("ENGINE", "")):
        raise ImproperlyConfigured(
            f"KAOPING_DATABASE_URL: {config.get('ENGINE')} is not supported; use a "
            "postgres://… URL, or leave the variable unset for the SQLite file."
        )
    return config


DEBUG = _flag("KAOPING_DEBUG")
SECRET_KEY = os.environ.get("KAOPING_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KAOPING_SECRET_KEY is not set: set it to a long random string (python -c "
            "'import secrets; print(secrets.token_urlsafe(50))'), or KAOPING_DEBUG=1 for "
            "development."
        )
    SECRET_KEY = "kaoping-development-only-not-secret"  # DEBUG only
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("KAOPING_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "kaoping.web.apps.StaticFiles",  # django.contrib.staticfiles, minus unused assets
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "kaoping.web.collection",
    "kaoping.web.results",
    "kaoping.web.official",
    "kaoping.web.projects",
    "kaoping.web.parks",
    "kaoping.web.chains",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also without DEBUG
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaoping.web.language.ChosenLanguageMiddleware",  # the cookie, not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kaoping.web.accounts.middleware.TemporaryPasswordMiddleware",  # a reset password: change it
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout into the lockout page
]
ROOT_URLCONF = "kaoping.web.urls"
WSGI_APPLICATION = "kaoping.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaoping.web.context.navigation",
            ]
        },
    }
]
DATABASES = {
    "default": _database(
        os.environ.get("KAOPING_DATABASE_URL"), os.environ.get("KAOPING_SQLITE_PATH")
    )
}
# "pages": what a published assessment shows, rendered once (kaoping.web.results.pages).  Files
# in one folder, so that every worker process of the server shares them (gunicorn's workers
# are processes: a per-process memory cache would render each page once per worker, and
# could not be cleared for all of them when a unit's English name changes), with no server
# to run and no writes to the database (SQLite takes one writer at a time).  Entries never
# expire: they are keyed by content (the assessment's inputs hash); at most MAX_ENTRIES
# files, the oldest third dropped when full.
_PAGES = os.environ.get("KAOPING_PAGES_CACHE") or (
    "kaoping-pages-cache"
    if os.environ.get("KAOPING_DATABASE_URL")
    else f"{DATABASES['default']['NAME']}-pages"
)
# evidence files of bonus, penalty and veto items: kept here, served by the platform to those
# allowed to see them (never by the web server as static files)
MEDIA_ROOT = Path(
    os.environ.get("KAOPING_MEDIA_ROOT")
    or (
        "kaoping-media"
        if os.environ.get("KAOPING_DATABASE_URL")
        else f"{DATABASES['default']['NAME']}-media"
    )
).resolve()
MEDIA_URL = None  # no public URL: see kaoping.web.official.item_views.evidence
EVIDENCE_MAX_BYTES = _whole("KAOPING_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# photos of the works (形象进度) on a project's monthly report, kept under MEDIA_ROOT/photos
PHOTO_MAX_BYTES = _whole("KAOPING_PHOTO_MAX_MB", 10) * 1024 * 1024
PHOTO_MAX_PIXELS = _whole("KAOPING_PHOTO_MAX_PIXELS", 40_000_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

LOCALE_PATHS = [Path(__file__).parent / "locale"]
# a new password (one's own, changed on /accounts/password/): at least 10 characters, not
# like the user name, not a common one, not only digits
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATICFILES_DIRS: list[object] = [Path(__file__).parent / "static"]
# ECharts from the npm registry (make assets: npm ci into the checkout's node_modules)
ASSETS = Path(os.environ.get("KAOPING_ASSETS") or Path(__file__).parents[3] / "node_modules")
if (ASSETS / "echarts" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/echarts", ASSETS / "echarts" / "dist"))
# the county map's GeoJSON, built from an npm package by `python -m kaoping.web build_maps`
MAPS = Path(os.environ.get("KAOPING_MAPS") or ASSETS / ".kaoping-maps")
if MAPS.is_dir():
    STATICFILES_DIRS.append(("vendor/maps", MAPS))
STATIC_ROOT = Path(os.environ.get("KAOPING_STATIC_ROOT") or "staticfiles").resolve()


def _city(raw: str) -> str:
    """The city whose counties the 通报, the report and the leaders' screen speak of: the
    first four digits of their codes (GB/T 2260), or empty (the units most share)."""
    raw = raw.strip()
    if raw and not re.fullmatch(r"[1-9][0-9]{3}", raw):
        raise ImproperlyConfigured(
            f"KAOPING_CITY={raw!r}: give the city's four-digit code prefix, such as 4108 (焦作市)."
        )
    return raw


KAOPING_CITY = _city(os.environ.get("KAOPING_CITY", ""))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # production: compressed files with a content hash in their names, cached for ever
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
HTTPS = _flag("KAOPING_HTTPS", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# sessions in the database, read through the cache (the file cache below, which every worker
# shares): a page costs no query to find its reader's session
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# HSTS preload is a commitment to browsers' built-in lists, not a setting to default on
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if _flag("KAOPING_PROXY_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy: this site's own scripts, styles and images only; nothing inline
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Logging: warnings and errors on standard error (gunicorn and systemd keep it), each line with
# the request's method, path and user and nothing else of the request (kaoping.web.logs): an
# internal error's traceback, a refused host, a CSRF failure, a login lockout
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "kaoping.web.logs.RequestFields"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s %(method)s %(path)s user=%(user)s: "
            "%(message)s"
        },
        "server": {"format": "%(asctime)s %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "line",
        },
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # a page not found or refused is the answer, not a fault: errors (5xx) only
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # runserver's line per request (development only; gunicorn writes its own)
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "kaoping": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# Login throttling (django-axes, see kaoping.web.logins): 5 failures for a user name from one
# address lock that pair out for 15 minutes, and KAOPING_LOGIN_FAILURES_PER_ADDRESS (10) over
# any user names lock the address out; a successful login forgives its own name's failures
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kaoping.web.accounts.backends.Backend",  # Django's, the role read with the user
]
AXES_HANDLER = "kaoping.web.logins.LoginThrottle"
AXES_USERNAME_CALLABLE = "kaoping.web.logins.username"
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURES_PER_ADDRESS = _whole(
    "KAOPING_LOGIN_FAILURES_PER_ADDRESS", 10, least=AXES_FAILURE_LIMIT
)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# the client's address: the connection's, or the header that the reverse proxy in front sets
# (and overwrites: a header the client could send itself would let it pick its address)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address(os.environ.get("KAOPING_CLIENT_IP_HEADER"))

# The cache (the API's request counts): files in KAOPING_CACHE_DIR, which every worker process
# on the machine shares -- gunicorn's workers each have their own memory, so a memory cache
# would count each worker's requests apart, and a database cache would add a write to SQLite's
# one writer on every API request
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("KAOPING_CACHE_DIR") or "kaoping-cache").resolve(),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(_PAGES).resolve(),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# The read-only JSON API of published results: token authentication (a token per account,
# made in the admin), JSON only (no browsable pages), KAOPING_API_RATE requests per account,
# an OpenAPI description at /api/schema/ for those logged in (a token or a session)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": _rate("KAOPING_API_RATE", "60/minute")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kaoping API",
    "DESCRIPTION": "Published county assessments: rankings, scores, tiers and the SHA-256 of "
    "their inputs. Read-only; send 'Authorization: Token <key>'.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}
