"""``kaoping uncertainty``: JSON keys, the table, the workbook, bad --vary."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kaoping.cli import cli
from kaoping.data.bundled import path

DATA = str(path("demo/henan_county_demo.csv"))


def test_json_has_the_documented_keys_and_sobol(runner: CliRunner) -> None:
    args = ["uncertainty", DATA, "--units", "henan", "-n", "200", "--seed", "3", "--json"]
    res = runner.invoke(cli, [*args, "--vary", "weights,exclude=dimension", "--sobol", "64"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    units = out["units"]
    assert len(units) == 102
    assert set(units[0]) >= {
        "unit",
        "name",
        "nominal_rank",
        "median_rank",
        "p05",
        "p95",
        "tier_probabilities",
    }
    assert set(units[0]["tier_probabilities"]) == {"第一方阵", "第二方阵", "第三方阵"}
    assert set(out["sobol"]) == {"weights", "exclude"}
    assert set(out["sobol"]["weights"]) >= {"first", "total", "first_low", "total_high"}
    again = runner.invoke(cli, [*args, "--vary", "weights,exclude=dimension", "--sobol", "64"])
    assert again.stdout == res.stdout  # the seed fixes every number


def test_table_and_workbook(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "u.xlsx"
    res = runner.invoke(
        cli, ["uncertainty", DATA, "--units", "henan", "-n", "100", "--seed", "1", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "5%–95% 区间" in res.stdout
    assert "逐一剔除" in res.stdout
    assert openpyxl.load_workbook(out).sheetnames == ["排名区间", "逐一剔除", "说明"]


def test_bad_vary_is_a_usage_error(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["uncertainty", DATA, "--vary", "weights,colour"])
    assert res.exit_code == 2
    assert "colour" in res.output


def test_an_impossible_alternative_exits_1_naming_it(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["uncertainty", DATA, "--units", "henan", "--vary", "aggregation"])
    assert res.exit_code == 1
    assert "geometric" in res.stderr
