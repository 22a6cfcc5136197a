"""The command line: exit codes, JSON output, files written, messages on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data" / "example_counties.csv"
UNITS = ROOT / "examples" / "data" / "example_units.csv"
METHODOLOGY = ROOT / "examples" / "methodology" / "example.yaml"


def test_assess_prints_json_with_the_documented_keys(runner: CliRunner) -> None:
    res = runner.invoke(
        cli, ["assess", str(DATA), "-m", str(METHODOLOGY), "--units", str(UNITS), "--json"]
    )
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    assert len(records) == 20
    assert set(records[0]) >= {
        "unit",
        "name",
        "score",
        "rank",
        "category_rank",
        "tier",
        "dimensions",
    }
    assert records[0]["rank"] == 1
    assert [r["rank"] for r in records] == sorted(r["rank"] for r in records)
    assert set(records[0]["dimensions"]) == {
        "economy",
        "innovation",
        "coordination",
        "green",
        "openness",
        "sharing",
    }
    assert records[0]["name"].endswith("县")  # Chinese text, not \u escapes
    assert "\\u" not in res.stdout


def test_assess_defaults_to_the_latest_period_and_prints_a_table(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["assess", str(DATA), "-m", str(METHODOLOGY)])
    assert res.exit_code == 0, res.output
    assert "2024" in res.stdout
    assert "综合得分" in res.stdout
    assert "排名" in res.stdout


def test_assess_writes_a_workbook_with_chinese_headers(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    res = runner.invoke(
        cli,
        [
            "assess",
            str(DATA),
            "-m",
            str(METHODOLOGY),
            "--units",
            str(UNITS),
            "-p",
            "2023",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "综合排名",
        "图表",
        "标准化值",
        "原始数据",
        "指标权重",
        "未填报的数值",
        "说明",
    ]
    ws = wb["综合排名"]
    headers = [c.value for c in ws[1]]
    assert headers[:7] == ["代码", "名称", "类别", "综合得分", "排名", "类别内排名", "方阵"]
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 21


def test_assess_writes_csv(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    res = runner.invoke(cli, ["assess", str(DATA), "-m", str(METHODOLOGY), "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("代码,名称")
    assert len(text.splitlines()) == 21


def test_english_headers_with_lang_en(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["--lang", "en", "assess", str(DATA), "-m", str(METHODOLOGY)])
    assert res.exit_code == 0, res.output
    assert "Score" in res.stdout
    assert "Rank" in res.stdout


def test_bad_cells_exit_1_naming_every_cell(runner: CliRunner, tmp_path: Path) -> None:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[3] = "12,3%"  # one column too many when split: write it quoted
    bad_row = ",".join(row[:3]) + ',"12,3%",' + ",".join(lines[1].split(",")[4:])
    other = lines[2].split(",")
    other[5] = "abc"
    path = tmp_path / "bad.csv"
    path.write_text(
        "\n".join([",".join(header), bad_row, ",".join(other), *lines[3:]]), encoding="utf-8"
    )
    res = runner.invoke(cli, ["assess", str(path), "-m", str(METHODOLOGY)])
    assert res.exit_code == 1
    assert "bad.csv!D2" in res.stderr
    assert "12,3%" in res.stderr
    assert "bad.csv!F3" in res.stderr
    assert "abc" in res.stderr
    assert "Traceback" not in res.output


def test_unknown_period_is_exit_1(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["assess", str(DATA), "-m", str(METHODOLOGY), "-p", "1999"])
    assert res.exit_code == 1
    assert "1999" in res.stderr


def test_missing_file_is_a_usage_error_or_bad_input_never_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    res = runner.invoke(cli, ["assess", str(tmp_path / "nope.csv"), "-m", str(METHODOLOGY)])
    assert res.exit_code == 1
    assert "nope.csv" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["assess", str(DATA), "--bogus"]).exit_code == 2
    assert runner.invoke(cli, ["assess"]).exit_code == 2
    res = runner.invoke(cli, ["assess", str(DATA), "-m", str(METHODOLOGY), "-o", "x.txt"])
    assert res.exit_code == 2


def test_assess_without_m_uses_the_default_methodology(runner: CliRunner) -> None:
    # the example file lacks most of county_hqd's indicators: bad input (1), each one named
    res = runner.invoke(cli, ["assess", str(DATA)])
    assert res.exit_code == 1
    assert "rural_power_reliability" in res.stderr


def test_methodology_check_passes_a_good_file(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["methodology", "check", str(METHODOLOGY)])
    assert res.exit_code == 0, res.output
    assert "17" in res.stdout  # the example's indicators


def test_methodology_check_lists_problems_with_lines(runner: CliRunner, tmp_path: Path) -> None:
    text = METHODOLOGY.read_text(encoding="utf-8")
    text = text.replace("direction: positive, weight: 2", "direction: upward, weight: -2")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(cli, ["methodology", "check", str(path)])
    assert res.exit_code == 1
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "upward" in ln)
    assert res.stderr.count(f"bad.yaml:{line}") >= 2  # the direction and the weight


def test_a_flood_of_problems_is_cut_at_100_with_a_count(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "\n".join(f"4199{i:02d},2024,abc" for i in range(1, 100))
    rows += "\n" + "\n".join(f"4198{i:02d},2024,abc" for i in range(1, 30))
    f = tmp_path / "bad.csv"
    f.write_text("代码,年份,gdp\n" + rows + "\n", encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text(
        "id: m\nname: 示例\ndimensions:\n  - {id: e, name: 经济, indicators: "
        "[{id: gdp, name: 地区生产总值, direction: positive}]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["assess", str(f), "-m", str(m)])
    assert res.exit_code == 1
    assert "发现 128 个问题" in res.stderr
    assert res.stderr.count("  • ") == 100
    assert "另有 28 个问题未列出" in res.stderr
    monkeypatch.setenv("KAOPING_ALL_PROBLEMS", "1")
    res = runner.invoke(cli, ["assess", str(f), "-m", str(m)])
    assert res.stderr.count("  • ") == 128
