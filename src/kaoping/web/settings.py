"""Settings of the platform, from environment variables that fail loudly on a bad value.

=========================  =================================================================
``KAOPING_DATABASE_URL``   PostgreSQL in production (``postgres://user:pw@host:5432/db``);
                           default: a SQLite file (WAL, IMMEDIATE transactions, a 20 s busy
                           timeout: concurrent writers wait instead of failing).
``KAOPING_SQLITE_PATH``    That SQLite file (default ``kaoping.sqlite3`` in the working folder;
                           ``make demo`` uses ``kaoping-demo.sqlite3``).
``KAOPING_SECRET_KEY``     Django's secret key; required unless ``KAOPING_DEBUG=1``.
``KAOPING_DEBUG``          ``1`` for development (an insecure fixed key, debug pages).
``KAOPING_ALLOWED_HOSTS``  Comma-separated host names (default ``127.0.0.1,localhost``).
``KAOPING_ASSETS``         The node_modules folder with ECharts (default: the checkout's,
                           filled by ``make assets``).
``KAOPING_STATIC_ROOT``    Where ``collectstatic`` gathers the static files that the platform
                           serves itself in production (WhiteNoise; default ``staticfiles``
                           in the working folder).
``KAOPING_HTTPS``          ``1`` (the default unless DEBUG): served over HTTPS, so cookies are
                           sent over HTTPS only, http is redirected to https and browsers are
                           told to keep to https for a year (HSTS).  ``0`` for a plain-http
                           intranet (cookies then travel unencrypted: not recommended).
``KAOPING_PROXY_HTTPS``    ``1`` behind a reverse proxy that ends TLS and sets
                           ``X-Forwarded-Proto: https`` (trusted only when set).
``KAOPING_PAGES_CACHE``    The folder of the published pages' cache (default: beside the
                           SQLite file, ``<file>-pages``; with PostgreSQL
                           ``kaoping-pages-cache`` in the working folder).  Safe to delete.
=========================  =================================================================

Production: ``python -m kaoping.web check --deploy`` lists what is still missing;
``python -m kaoping.web collectstatic``, then any WSGI server on ``kaoping.web.wsgi``.
"""

from __future__ import annotations

import os
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
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also without DEBUG
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(_PAGES).resolve(),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

LOCALE_PATHS = [Path(__file__).parent / "locale"]
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

# Login throttling (django-axes): 5 failures for a user name from one address lock that pair
# out for 15 minutes; a successful login resets the count
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The read-only JSON API of published results: token authentication (a token per account,
# made in the admin), JSON only (no browsable pages), an OpenAPI description at /api/schema/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kaoping API",
    "DESCRIPTION": "Published county assessments: rankings, scores, tiers and the SHA-256 of "
    "their inputs. Read-only; send 'Authorization: Token <key>'.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
