"""Shared fixtures of the command-line tests: Chinese messages and a Click runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kaoping.errors import set_language


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
