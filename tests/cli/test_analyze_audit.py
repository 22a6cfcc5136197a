"""``kaoping analyze audit`` and ``kaoping assess --audit``, on the bundled demo.

The numbers are the library's (tests/analysis/test_audit.py checks them against NumPy, SciPy
and pandas); here: the sections, the JSON's codes, the languages, the sheet and the errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import kaoping
import kaoping.cli.analyze_audit  # registers the command
from kaoping.cli import cli

DEMO = Path(kaoping.__file__).parent / "data" / "demo" / "henan_county_demo.csv"


@cache
def demo_json() -> dict[str, Any]:
    res = CliRunner().invoke(cli, ["analyze", "audit", "--demo", "-p", "2024", "--json"])
    assert res.exit_code == 0, res.output
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def test_the_json_has_every_section_with_the_librarys_codes() -> None:
    out = demo_json()
    assert list(out) == ["groups", "flags", "indicators", "correlations", "within"]
    assert len(out["indicators"]) == 38
    groups = {g["group"]: g for g in out["groups"]}
    assert list(groups)[-1] == "score"
    assert 0 < groups["score"]["alpha"] <= 1
    assert {"pc1_share", "above_one", "low_alpha"} <= set(groups["economy"])
    flags = {r["flag_parent"] for r in out["correlations"]}
    assert flags <= {"high", "ok", "weak", "negative"}
    assert {f["check"] for f in out["flags"]} >= {"outlier", "low_alpha"}
    # by default only the flagged pairs within groups
    assert all(p["flag"] in ("high", "negative") for p in out["within"])


def test_all_pairs_lists_every_pair(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "audit", "--demo", "--all-pairs", "--json"])
    assert res.exit_code == 0, res.output
    # 9, 4, 5, 5, 5, 10 indicators and 6 dimensions: 36 + 6 + 10 + 10 + 10 + 45 + 15 pairs
    assert len(json.loads(res.stdout)["within"]) == 132


def test_the_tables_speak_chinese_and_english(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "audit", "--demo"])
    assert res.exit_code == 0, res.output
    assert "各组一致性" in res.stdout
    assert "Cronbach's α" in res.stdout
    assert "疑似异常值" in res.stdout
    assert "可能有异常值" in res.stdout
    assert "个组的 α 偏低" in res.stderr  # the summary
    en = runner.invoke(cli, ["--lang", "en", "analyze", "audit", "--demo"])
    assert en.exit_code == 0, en.output
    assert "Consistency of each group" in en.stdout
    assert "possible outliers" in en.stdout
    assert "Economic strength" in en.stdout
    assert "group(s) with a low alpha" in en.stderr


def test_the_workbook_has_one_sheet_per_section(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "审计.xlsx"
    res = runner.invoke(cli, ["analyze", "audit", "--demo", "-o", str(out)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 5
    assert wb.sheetnames[2] == "指标统计（原始数据）"
    assert wb[wb.sheetnames[2]]["A1"].value == "指标代码"


def test_an_official_methodology_is_refused(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "audit", "--demo", "-m", "county_hqd_official"])
    assert res.exit_code == 1
    assert "学术路径" in res.stderr
    assert "Traceback" not in res.output


# --------------------------------------------------------------------------------------------
# kaoping assess --audit -o OUT.xlsx
# --------------------------------------------------------------------------------------------


def test_assess_audit_adds_the_sheet(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    args = ["assess", str(DEMO), "--units", "henan", "-p", "2024", "-o", str(out), "--audit"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert f"已写入 {out}" in res.stderr
    assert "疑似有异常值" in res.stderr
    wb = load_workbook(out)
    assert "统计审计" in wb.sheetnames
    assert "综合排名" in wb.sheetnames  # the workbook as without --audit
    ws = wb["统计审计"]
    assert ws["A1"].value.startswith("各组内部一致性")
    assert ws["A2"].value == "组"
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "指标统计" in " ".join(str(v) for v in cells if isinstance(v, str))
    assert "rd_intensity" in cells
    # flagged cells are filled, others not
    # the fill's colour; Excel ignores the alpha digits (XlsxWriter writes FF, openpyxl 00)
    marked = [c for row in ws.iter_rows() for c in row if str(c.fill.fgColor.rgb)[-6:] == "FCE4D6"]
    assert marked
    assert {c.value for c in marked} >= {"是"}


def test_assess_without_audit_has_no_audit_sheet(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    res = runner.invoke(
        cli, ["assess", str(DEMO), "--units", "henan", "-p", "2024", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "统计审计" not in load_workbook(out).sheetnames


@pytest.mark.parametrize("output", [None, "结果.csv"])
def test_assess_audit_needs_an_xlsx_output(
    runner: CliRunner, tmp_path: Path, output: str | None
) -> None:
    args = ["assess", str(DEMO), "--units", "henan", "--audit"]
    if output:
        args += ["-o", str(tmp_path / output)]
    res = runner.invoke(cli, args)
    assert res.exit_code == 2
    assert "kaoping analyze audit" in res.output
    assert not (tmp_path / "结果.csv").exists()


def test_assess_audit_refuses_an_official_result_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "结果.xlsx"
    args = ["assess", str(DEMO), "--units", "henan", "-m", "county_hqd_official", "-o", str(out),
            "--audit"]  # fmt: skip
    res = runner.invoke(cli, args)
    assert res.exit_code == 1
    assert "统计审计需要学术路径" in res.stderr
    assert not out.exists()
