"""The platform as production runs it (no DEBUG, a real key, HTTPS): Django's deployment
checks pass with no warning, the static files are collected and served by the application
itself (WhiteNoise) under content-hashed names, compressed and cached for good, and plain
http is redirected to https.

It runs in a child process: settings are read once per process from the environment, and the
suite's own process runs with the test settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = """
import io, re, django
django.setup()
from django.core.management import call_command
from django.test import Client
out = io.StringIO()
call_command("check", deploy=True, fail_level="WARNING", stdout=out)
print("check", out.getvalue().strip())
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
plain = client.get("/accounts/login/")
print("http", plain.status_code, plain["Location"])
page = client.get("/accounts/login/", secure=True)
css = re.search(r'href="(/static/kaoping/site\\.[0-9a-f]{12}\\.css)"', page.content.decode())
print("page", page.status_code, css.group(1))
print("hsts", page["Strict-Transport-Security"])
asset = client.get(css.group(1), secure=True)
print("asset", asset.status_code, asset["Cache-Control"])
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """What the child process printed (first word: the step), and its static folder."""
    folder = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "kaoping.web.settings",
        "KAOPING_SECRET_KEY": "x7-" + "kaoping-production-test-key-" * 3,
        "KAOPING_ALLOWED_HOSTS": "testserver,kaoping.example.cn",
        "KAOPING_SQLITE_PATH": str(folder / "kaoping.sqlite3"),
        "KAOPING_STATIC_ROOT": str(folder / "static"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION],
        env=env, cwd=folder, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines()), folder / "static"


def test_the_deployment_checks_pass_with_no_warning(
    production: tuple[dict[str, str], Path],
) -> None:
    assert production[0]["check"] == "System check identified no issues (1 silenced)."


def test_static_files_are_collected_compressed_and_hashed_without_unused_builds(
    production: tuple[dict[str, str], Path],
) -> None:
    static = production[1]
    assert list((static / "kaoping").glob("site.*.css.gz"))
    assert (static / "vendor" / "echarts" / "echarts.min.js").exists()
    assert not (static / "vendor" / "echarts" / "echarts.js.map").exists()  # 10 MB unused


def test_https_only_and_assets_served_by_the_application(
    production: tuple[dict[str, str], Path],
) -> None:
    lines = production[0]
    assert lines["http"] == "301 https://testserver/accounts/login/"
    assert lines["page"].startswith("200 /static/kaoping/site.")
    assert lines["hsts"] == "max-age=31536000; includeSubDomains"
    assert lines["asset"] == "200 max-age=315360000, public, immutable"
