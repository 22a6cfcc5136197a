"""``kaoping chains``: the demo's workbook written, checked and read back; the gap list and
the signings per county printed, as JSON and as workbooks; a broken workbook refused with
every problem named by its cell and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kaoping.cli import cli

SIX = "410821,410822,410823,410825,410882,410883"


def test_the_demo_workbook_is_written_and_checks_clean(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "产业链.xlsx"
    done = runner.invoke(cli, ["chains", "template", "--demo", "-o", str(book)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["chains", "check", str(book)])
    assert done.exit_code == 0, done.output
    assert "没有发现问题：3 条产业链、40 个环节" in done.output
    assert "121 个签约项目" in done.output


def test_a_broken_workbook_is_refused_naming_each_cell(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "链.xlsx"
    assert runner.invoke(cli, ["chains", "template", "--demo", "-o", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    nodes = wb["环节"]
    headers = {cell.value: cell.column_letter for cell in nodes[1]}
    nodes[f"{headers['上级环节编号']}3"] = "XNY-99"  # an unknown parent
    nodes[f"{headers['上中下游']}4"] = "侧游"  # not a position
    wb.save(book)
    done = runner.invoke(cli, ["chains", "check", str(book)])
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    assert f"链.xlsx!环节!{headers['上级环节编号']}3" in done.output
    assert f"链.xlsx!环节!{headers['上中下游']}4" in done.output
    assert "发现 2 个问题" in done.output


def test_the_gap_list_is_printed_and_written(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "缺链.xlsx"
    done = runner.invoke(cli, ["chains", "gaps", "--demo", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "三元材料" in done.output
    assert "没有企业" in done.output
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1] if c.value]
    assert "原因" in " ".join(str(h) for h in header) or any(
        "原因" in str(c.value) for row in sheet.iter_rows(max_row=3) for c in row
    )
    done = runner.invoke(cli, ["chains", "gaps", "--demo", "--county", "410883", "--json"])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.output)
    assert {r["strength"] for r in rows} <= {"缺失", "薄弱"}
    assert all(r["status"] in ("待招商", "已有目标", "已签约") for r in rows)


def test_rules_from_a_file_change_the_list_and_bad_rules_are_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    strict = tmp_path / "rules.yaml"
    strict.write_text("weak_below: 1\nweak_share_pct: null\nweak_without_above_scale: false\n")
    done = runner.invoke(cli, ["chains", "gaps", "--demo", "--rules", str(strict), "--json"])
    assert done.exit_code == 0, done.output
    assert {r["strength"] for r in json.loads(done.output)} == {"缺失"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("weak_belo: 2\n")
    done = runner.invoke(cli, ["chains", "gaps", "--demo", "--rules", str(bad)])
    assert done.exit_code == 1
    assert "bad.yaml.weak_belo" in done.output


def test_signings_by_county_with_the_groups_share_and_rates(
    runner: CliRunner, tmp_path: Path
) -> None:
    done = runner.invoke(cli, ["chains", "signings", "--demo", "--group", SIX])
    assert done.exit_code == 0, done.output
    assert "签约项目 59 个" in done.output
    assert "48.8%、58.3%" in done.output
    done = runner.invoke(cli, ["chains", "signings", "--demo", "--group", SIX, "--json"])
    data = json.loads(done.output)
    assert round(data["group"]["amount_pct"], 1) == 58.3
    assert sum(r["projects"] for r in data["counties"]) == 121
    assert all(0 <= r["start_pct"] <= 100 for r in data["counties"])
    out = tmp_path / "签约.xlsx"
    assert runner.invoke(cli, ["chains", "signings", "--demo", "-o", str(out)]).exit_code == 0
    assert out.exists()


def test_a_book_or_demo_is_required(runner: CliRunner) -> None:
    done = runner.invoke(cli, ["chains", "gaps"])
    assert done.exit_code == 2
    assert "--demo" in done.output
