"""``kaoping observation``: the demo event written and read back, its ranks printed and
written, and a bad workbook refused with every problem and no traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kaoping.cli import cli


def test_demo_then_results_prints_the_ranks_and_writes_the_workbook(
    runner: CliRunner, tmp_path: Path
) -> None:
    event, out = tmp_path / "观摩.xlsx", tmp_path / "结果.xlsx"
    done = runner.invoke(cli, ["observation", "demo", "-o", str(event)])
    assert done.exit_code == 0, done.output
    assert event.exists()
    done = runner.invoke(cli, ["observation", "results", str(event), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "县(市)组" in done.output
    assert "城区组" in done.output
    assert "孟州市" in done.output
    assert "所有评委的打分均已采用" in done.output
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["县(市)组", "城区组"]


def test_a_flat_judge_is_reported_and_left_out(runner: CliRunner, tmp_path: Path) -> None:
    event = tmp_path / "e.xlsx"
    assert runner.invoke(cli, ["observation", "demo", "-o", str(event)]).exit_code == 0
    wb = openpyxl.load_workbook(event)
    ws = wb["评分"]
    maxima = {"项目建设": 30, "产业转型": 20, "营商环境": 10, "观摩组织": 10}
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "J9":
            row[3].value = maxima[row[2].value]
    wb.save(event)
    done = runner.invoke(cli, ["observation", "results", str(event)])
    assert done.exit_code == 0, done.output
    assert "评委 J9 给 11 个单位的总分全部为 70" in done.output
    assert "未采用的评委：J9: 分数无差别" in done.output


def test_bad_scores_exit_1_with_every_problem_and_no_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    event = tmp_path / "e.xlsx"
    assert runner.invoke(cli, ["observation", "demo", "-o", str(event)]).exit_code == 0
    wb = openpyxl.load_workbook(event)
    wb["评分"]["D2"] = 99
    wb["评分"]["D3"] = None
    wb.save(event)
    done = runner.invoke(cli, ["observation", "results", str(event)])
    assert done.exit_code == 1
    assert "发现 2 个问题" in done.output
    assert "e.xlsx!评分!D2" in done.output
    assert "J1/410883" in done.output  # the missing 产业转型
    assert "Traceback" not in done.output


def test_the_output_must_be_xlsx(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(cli, ["observation", "demo", "-o", str(tmp_path / "e.csv")])
    assert done.exit_code == 2


def test_a_file_that_is_not_a_workbook_is_reported_once(runner: CliRunner, tmp_path: Path) -> None:
    """Each of the five sheets is read from the file; a file that does not open says so once
    (not once per sheet)."""
    bad = tmp_path / "观摩.xlsx"
    bad.write_bytes(b"not a workbook")
    done = runner.invoke(cli, ["observation", "results", str(bad)])
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    assert done.output.count("观摩.xlsx:") == 1
