"""Child processes for the tests that need the platform as production runs it: settings are
read once per process from the environment, and the suite's own process runs with the test
settings.  Each child gets a clean environment (no KAOPING_ or DJANGO_ variable of the
suite's), the production settings module and a SQLite file in the test's folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEY = "x7-" + "kaoping-production-test-key-" * 3


def environment(folder: Path, **variables: str) -> dict[str, str]:
    """Production's settings (a real key, no DEBUG) on a SQLite file in ``folder``, plus
    ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "kaoping.web.settings",
        "KAOPING_SECRET_KEY": KEY,
        "KAOPING_SQLITE_PATH": str(folder / "kaoping.sqlite3"),
        **variables,
    }


def start(script: str, env: dict[str, str], folder: Path, *args: str) -> subprocess.Popen[str]:
    """``python -c script args…`` in ``folder``, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, cwd=folder, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def finish(child: subprocess.Popen[str]) -> tuple[str, str]:
    """Its standard output and error, once it has exited with 0 (else the test fails with
    both)."""
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, out + err
    return out, err


def run(script: str, env: dict[str, str], folder: Path, *args: str) -> tuple[str, str]:
    return finish(start(script, env, folder, *args))
