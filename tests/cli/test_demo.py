"""``kaoping demo`` and ``kaoping template``: what a new user runs first."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli import cli
from kaoping.data import read_panel
from kaoping.data.bundled import JIAOZUO, demo_panel
from kaoping.methodology import load


def test_demo_shows_the_league_table_and_writes_the_workbook(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["demo"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "县域经济高质量发展综合评价 · 2024" in out
    assert "第一方阵" in out
    assert "类别内排名" in out
    assert out.count("★") == 6 + 1  # the six Jiaozuo rows and the caption
    assert "合成数据" in out  # the caption says the data are synthetic
    assert "合成数据" in res.stderr  # and so does the note
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx")
    about = [row for row in wb["说明"].iter_rows(values_only=True)]
    assert any("合成数据" in str(cell) for row in about for cell in row)


def test_demo_json_is_the_assess_format(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["demo", "--json"])
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    assert len(records) == 102
    assert set(records[0]) == {
        "unit",
        "name",
        "category",
        "score",
        "rank",
        "category_rank",
        "tier",
        "dimensions",
        "missing",
    }
    by_unit = {r["unit"]: r for r in records}
    assert all(by_unit[code]["tier"] == "第一方阵" for code in JIAOZUO)
    assert sum(r["tier"] == "第一方阵" for r in records) == 30


def test_demo_runs_the_entropy_topsis_variant(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["demo", "-m", "county_hqd_entropy_topsis", "--json", "-p", "2023"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) == 102


def test_template_round_trips_through_the_reader(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "填报表.xlsx"
    res = runner.invoke(cli, ["template", "-o", str(out), "-p", "2024"])
    assert res.exit_code == 0, res.output
    m = load("county_hqd")
    wb = openpyxl.load_workbook(out)
    ws = wb["填报表"]
    header = [c.value for c in ws[2]]
    assert header[:3] == ["代码", "名称", "年份"]
    assert len(header) == 3 + len(m.indicators)
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    assert len(rows) == 102
    assert [c.value for c in wb["指标说明"][1]][:2] == ["指标代码", "指标名称"]
    # fill two rows and read the file back as a user's file
    for row in (3, 4):
        for col in range(4, 4 + len(m.indicators)):
            ws.cell(row=row, column=col).value = float(row * 100 + col)
    wb.save(out)
    panel = read_panel(out, indicators=m.name_to_id(), period="2024")
    filled = panel.frame.dropna(subset=["value"])
    assert len(filled) == 2 * len(m.indicators)
    assert set(filled["indicator"]) == {i.id for i in m.indicators}


def test_assess_with_the_bundled_defaults(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["template", "-o", str(out), "--units", "none"]).exit_code == 0
    # the default methodology and --units henan on a user's own sheet: one county, one year
    wb = openpyxl.load_workbook(out)
    ws = wb["填报表"]
    m = load("county_hqd")
    # plausible figures (the methodology refuses impossible ones): the demo's 2024 rows
    demo = demo_panel(m.name_to_id()).matrix("2024", [i.id for i in m.indicators])
    for i, county in enumerate(("410883", "410882")):
        ws.cell(row=3 + i, column=1).value = county
        ws.cell(row=3 + i, column=3).value = "2024"
        for col, ind in enumerate(m.indicators, start=4):
            ws.cell(row=3 + i, column=col).value = float(demo.at[county, ind.id])
    wb.save(out)
    res = runner.invoke(cli, ["assess", str(out), "--units", "henan", "--json"])
    assert res.exit_code == 0, res.output
    names = {r["unit"]: r["name"] for r in json.loads(res.stdout)}
    assert names == {"410883": "孟州市", "410882": "沁阳市"}


def test_assess_help_says_how_to_use_ones_own_excel(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["assess", "--help"])
    assert res.exit_code == 0
    assert "kaoping template" in res.stdout
    assert "--units henan" in res.stdout


def test_demo_official_json_adds_the_official_keys(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["demo", "--official", "--json"])
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    assert len(records) == 102
    keys = {"points", "bonus", "penalty", "veto", "rank_change", "awards"}
    assert all(keys <= set(r) for r in records)
    vetoed = [r for r in records if r["veto"]]
    assert vetoed
    assert all(r["tier"] is None and r["awards"] == [] for r in vetoed)
    assert sum(1 for r in records if "高质量发展先进县（市）" in r["awards"]) >= 10
    assert any(r["rank_change"] for r in records)  # compared with 2023


def test_demo_official_table_and_workbook(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["demo", "--official"])
    assert res.exit_code == 0, res.output
    for text in ("总分", "加分", "进位", "表彰", "否决事项", "★"):
        assert text in res.stdout
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx")
    assert "加减分及否决" in wb.sheetnames


def test_assess_official_with_side_files_and_previous_period(
    runner: CliRunner, tmp_path: Path
) -> None:
    from kaoping.data.bundled import path

    data = path("demo/henan_county_demo.csv")
    events = path("demo/henan_events.csv")
    out = tmp_path / "o.csv"
    args = ["assess", str(data), "-m", "county_hqd_official", "--units", "henan"]
    res = runner.invoke(cli, [*args, "--bonus", str(events), "--previous", "2023", "-o", str(out)])
    assert res.exit_code == 0, res.output
    # the results file is itself a valid --previous
    res = runner.invoke(
        cli, [*args, "--bonus", str(events), "-p", "2024", "--previous", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert {r["rank_change"] for r in json.loads(res.stdout)} == {0}


def test_official_options_are_refused_for_an_academic_methodology(
    runner: CliRunner, tmp_path: Path
) -> None:
    from kaoping.data.bundled import path

    res = runner.invoke(
        cli, ["assess", str(path("demo/henan_county_demo.csv")), "--previous", "2023"]
    )
    assert res.exit_code == 2
    assert "--previous" in res.output
