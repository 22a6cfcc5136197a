"""Start-up: ``import kaoping``, ``kaoping --help``/``--version`` and the platform's management
commands do not load the engine (pandas, numba, the methodology models, openpyxl); the
package's names still resolve, the same objects as before, on first use.

Each case runs in a fresh interpreter (this process has long imported everything) with
``-X importtime``, whose report names every module the process imported; no timing is asserted
(``benchmarks/bench_startup.py`` measures it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = ("kaoping.data", "kaoping.assess", "kaoping.analysis", "kaoping.methodology")
ENGINE += ("kaoping.scoring", "kaoping.methods")
HEAVY = ("pandas", "numba", "numpy", "openpyxl", "pydantic", "yaml")
IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", re.M)


def imported(args: list[str], env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The modules ``python -X importtime ARGS`` imported, and its stdout; fails on exit != 0."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return set(IMPORT_LINE.findall(done.stderr)), done.stdout


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` (a package or any of its submodules) among ``modules``."""
    return sorted(m for m in modules if m.partition(".")[0] in packages or m.startswith(packages))


def test_the_parser_sees_what_it_imports() -> None:
    # the check below cannot pass by reading nothing: importing pandas is seen
    modules, _ = imported(["-c", "import kaoping; kaoping.Panel"])
    assert "pandas" in modules
    assert "kaoping.data.panel" in modules


def test_import_kaoping_loads_none_of_the_engine() -> None:
    modules, _ = imported(["-c", "import kaoping"])
    assert "kaoping.errors" in modules
    assert loaded(modules, ENGINE + HEAVY) == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_none_of_the_engine(flag: str) -> None:
    modules, out = imported(["-m", "kaoping", flag])
    assert ("Usage: kaoping" in out) if flag == "--help" else (out == "kaoping, version 0.1.0\n")
    assert loaded(modules, ENGINE + HEAVY) == []


NAMES = """
import kaoping
from kaoping.assess import Result  # the subpackage first: kaoping.assess stays the function
import kaoping.analysis.uncertainty, kaoping.assess.official, kaoping.data, kaoping.methodology
assert kaoping.assess is kaoping.assess.__globals__["assess"], kaoping.assess
assert callable(kaoping.assess) and kaoping.assess.__module__.startswith("kaoping.assess")
assert kaoping.Result is Result
assert kaoping.load_methodology is kaoping.methodology.load
assert kaoping.Panel is kaoping.data.Panel and kaoping.read_units is kaoping.data.read_units
assert kaoping.uncertainty is kaoping.analysis.uncertainty.uncertainty
assert set(kaoping.__all__) <= set(dir(kaoping))
assert all(getattr(kaoping, name) is not None for name in kaoping.__all__)
try:
    kaoping.no_such_name
except AttributeError as error:
    assert "no_such_name" in str(error)
else:
    raise AssertionError("no AttributeError")
from kaoping import *  # noqa: F403
print("ok")
"""


def test_the_packages_names_resolve_on_first_use_to_the_same_objects() -> None:
    _, out = imported(["-c", NAMES])
    assert out == "ok\n"


# the platform's management commands, on a throw-away SQLite file with the development settings
COMMANDS = [
    ["check"],
    ["migrate", "--verbosity", "0"],
    ["createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com"],
    ["collectstatic", "--noinput", "--dry-run", "--verbosity", "0"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_management_commands_start_without_the_engine(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    env |= {
        "KAOPING_DEBUG": "1",
        "KAOPING_SQLITE_PATH": str(tmp_path / "kaoping.sqlite3"),
        "KAOPING_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SUPERUSER_PASSWORD": "a long enough password 1",
    }
    if command[0] == "createsuperuser":
        imported(["-m", "kaoping.web", "migrate", "--verbosity", "0"], env)
    modules, _ = imported(["-m", "kaoping.web", *command], env)
    assert "django.core.management" in modules
    # yaml is Django's (a template tag library imports it), not the engine's
    assert loaded(modules, ENGINE + tuple(h for h in HEAVY if h != "yaml")) == []
