"""Production logs an internal error (500) on standard error with the request's method, path
and user, and its traceback, but nothing of what was sent: no form value, no query string, no
cookie, no password, no key."""

from __future__ import annotations

import logging
from pathlib import Path

from . import children

FAILING = """
import sys, types, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import path

call_command("migrate", verbosity=0)

def failing(request):
    request.POST.get("gdp")  # the view reads the figures, then fails
    raise RuntimeError("the view failed")

urls = types.ModuleType("failing_urls")
urls.urlpatterns = [path("collect/2025/", failing)]
sys.modules["failing_urls"] = urls
user = get_user_model().objects.create_user("county-410821", password="pw-Secret-9182")
client = Client(raise_request_exception=False)
client.force_login(user)
with override_settings(ROOT_URLCONF="failing_urls"):
    answer = client.post(
        "/collect/2025/?token=tok-5521", secure=True,
        data={"gdp": "86200.55", "password": "hunter2-Secret", "note": "县长手机 139"},
    )
print(answer.status_code, client.cookies["sessionid"].value)
"""


def test_an_internal_error_is_logged_with_the_request_but_without_its_values(
    tmp_path: Path,
) -> None:
    out, err = children.run(
        FAILING, children.environment(tmp_path, KAOPING_ALLOWED_HOSTS="testserver"), tmp_path
    )
    status, session = out.split()
    assert status == "500"
    lines = err.splitlines()
    first = next(line for line in lines if "django.request" in line)
    assert first.endswith(
        " ERROR django.request POST /collect/2025/ user=county-410821: "
        "Internal Server Error: /collect/2025/"
    )
    assert "RuntimeError: the view failed" in err  # the traceback follows
    for secret in ("86200.55", "hunter2", "Secret-9182", "tok-5521", "139", session,
                   children.KEY):  # fmt: skip
        assert secret not in err


def test_the_development_servers_line_per_request_is_kept() -> None:
    """Configuring "django" must not silence runserver's access lines (django.server, INFO):
    dictConfig resets the children of the loggers it configures."""
    server = logging.getLogger("django.server")
    assert server.isEnabledFor(logging.INFO)
    assert server.handlers
    assert not server.propagate
