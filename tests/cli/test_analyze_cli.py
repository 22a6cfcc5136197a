"""What every ``kaoping analyze KIND`` shares: its inputs (DATA or --demo, the periods) and its
outputs (tables, JSON, one sheet per table), through a command made here for the purpose."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import kaoping
from kaoping.cli import cli, domain_errors
from kaoping.cli.analyze import Inputs, Section, emit, input_options, output_options

DEMO = Path(kaoping.__file__).parent / "data" / "demo" / "henan_county_demo.csv"


@click.command("probe")
@input_options
@output_options
@click.option("--node", default="score")
@domain_errors
def probe(inputs: Inputs, as_json: bool, output: Path | None, node: str) -> None:
    """A command like the analyses: the scores of the chosen periods, and a summary."""
    from kaoping.analysis.periods import score_frame

    scores = score_frame(inputs.results(), node)
    summary = pd.DataFrame({"mean": scores.mean(), "gap": [math.nan] * scores.shape[1]})
    emit(
        [
            Section("scores", "得分", "Scores", scores),
            Section("summary", "汇总", "Summary", summary, headers={"mean": ("均值", "Mean")}),
        ],
        as_json=as_json,
        output=output,
        notes=[f"periods {','.join(inputs.periods)}; latest {inputs.result().period}"],
    )


def run(*args: str) -> Any:
    return CliRunner().invoke(probe, list(args))


def test_the_group_lists_its_analyses_under_kaoping() -> None:
    res = CliRunner().invoke(cli, ["analyze", "--help"])
    assert res.exit_code == 0, res.output
    assert "耦合协调度" in res.stdout


def test_it_wants_data_or_demo_but_not_both() -> None:
    neither = run()
    assert neither.exit_code == 2
    assert "--demo" in neither.output
    both = run(str(DEMO), "--demo")
    assert both.exit_code == 2


def test_periods_by_range_and_list_take_the_data_order() -> None:
    res = run("--demo", "--periods", "2023..2021", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(out["scores"][0]) == ["unit", "2021", "2022", "2023"]
    assert "periods 2021,2022,2023; latest 2023" in res.stderr
    listed = json.loads(run("--demo", "--periods", "2024,2020", "--json").stdout)
    assert list(listed["scores"][0]) == ["unit", "2020", "2024"]


def test_unknown_periods_are_all_named_with_the_choices() -> None:
    res = run("--demo", "--periods", "2019,2021,2030")
    assert res.exit_code == 1
    assert "2019" in res.stderr
    assert "2030" in res.stderr
    assert "可选：2020、2021、2022、2023、2024" in res.stderr
    one = run("--demo", "-p", "2031")
    assert one.exit_code == 1
    assert "-p/--period" in one.stderr


def test_an_unknown_node_names_the_dimensions() -> None:
    res = run("--demo", "--periods", "2024", "--node", "econ")
    assert res.exit_code == 1
    assert "economy" in res.stderr
    assert "--node" in res.stderr


def test_json_carries_every_row_and_nan_as_null() -> None:
    res = run("--demo", "--json")
    out = json.loads(res.stdout)
    assert len(out["scores"]) == 102  # the terminal shows 60, the JSON all
    assert all(row["gap"] is None for row in out["summary"])
    assert out["scores"][0]["unit"] == "410122"


def test_the_terminal_shows_the_first_rows_and_says_how_many_more() -> None:
    res = run("--demo", "--periods", "2024")
    assert res.exit_code == 0, res.output
    assert "另有 42 行未显示" in res.stdout  # 102 units, 60 shown
    assert "均值" in res.stdout  # a section's own header


def test_the_workbook_has_a_sheet_per_table_and_no_leftover(tmp_path: Path) -> None:
    out = tmp_path / "分析.xlsx"
    res = run("--demo", "--periods", "2022..2024", "-o", str(out))
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["得分", "汇总"]
    ws = wb["得分"]
    assert [c.value for c in ws[1]] == ["代码", "2022", "2023", "2024"]
    assert ws.max_row == 103
    expected = json.loads(run("--demo", "--periods", "2022..2024", "--json").stdout)
    # openpyxl writes 16 significant digits (Excel keeps 15): equal to the last but one
    assert ws.cell(row=2, column=4).value == pytest.approx(expected["scores"][0]["2024"], rel=1e-15)
    assert [p.name for p in tmp_path.iterdir()] == ["分析.xlsx"]


def test_an_output_that_is_not_xlsx_is_a_usage_error(tmp_path: Path) -> None:
    res = run("--demo", "--periods", "2024", "-o", str(tmp_path / "out.csv"))
    assert res.exit_code == 2
    assert not (tmp_path / "out.csv").exists()


def test_a_data_file_reads_like_assess() -> None:
    res = run(str(DEMO), "--units", "henan", "--periods", "2024", "--json")
    assert res.exit_code == 0, res.output
    demo = json.loads(run("--demo", "--periods", "2024", "--json").stdout)
    assert json.loads(res.stdout)["scores"] == demo["scores"]


def test_english_headers_and_messages() -> None:
    res = CliRunner().invoke(cli, ["--lang", "en", "analyze", "--help"])
    assert res.exit_code == 0
    out = run("--demo", "--periods", "2019")
    assert out.exit_code == 1
    from kaoping.errors import set_language

    set_language("en")
    try:
        english = run("--demo", "--periods", "2024")
        assert "Code" in english.stdout
        assert "Mean" in english.stdout
    finally:
        set_language("zh")


@click.command("one")
@input_options
@output_options
@domain_errors
def one(inputs: Inputs, as_json: bool, output: Path | None) -> None:
    """A one-period analysis: the latest (or -p's) ranking."""
    table = inputs.result().table[["score"]]
    emit([Section("one", "一期", "One period", table)], as_json=as_json, output=output)


def test_an_output_it_cannot_write_stops_it_before_any_work(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "out.xlsx"
    res = run("--demo", "-o", str(missing))
    assert res.exit_code == 2
    assert f"文件夹 {missing.parent} 不存在" in res.output
    assert res.stdout.count("代码") == 0  # nothing computed, nothing printed
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    assert run("--demo", "-o", str(folder)).exit_code == 2


def test_a_bad_period_in_periods_is_named_against_periods() -> None:
    res = run("--demo", "--periods", "abc")
    assert res.exit_code == 1
    assert "--periods: 数据中没有时期 abc" in res.stderr
    assert "-p/--period" not in res.stderr


def test_options_an_analysis_does_not_use_are_said() -> None:
    panel = run("--demo", "-p", "2022", "--json")
    assert panel.exit_code == 0, panel.output
    assert "-p 2022 只选一个时期" in panel.stderr
    assert "--periods" in panel.stderr
    single = CliRunner().invoke(one, ["--demo", "--periods", "2021..2023", "--json"])
    assert single.exit_code == 0, single.output
    assert "本分析只用一个时期（2023）" in single.stderr
    quiet = CliRunner().invoke(one, ["--demo", "-p", "2021", "--json"])
    assert "只用一个时期" not in quiet.stderr


def test_figures_not_given_are_counted_per_period_with_how_they_were_treated() -> None:
    import warnings

    from kaoping.assess import assess
    from kaoping.data import bundled
    from kaoping.errors import KaopingWarning
    from kaoping.methodology import load

    m, units = load("county_hqd"), bundled.henan_units()
    with warnings.catch_warnings(action="ignore", category=KaopingWarning):
        result = assess(m, bundled.demo_panel(m.name_to_id(), units), "2024", units=units)
    count = sum(len(v) for v in result.missing().values())
    assert count > 0  # the demo has gaps; the figure below is theirs
    res = CliRunner().invoke(one, ["--demo", "-p", "2024", "--json"])
    assert (
        f"2024：{count} 个数值未填报，按考核办法的 {m.missing.method} 方法估算（估）" in res.stderr
    )


def test_the_demo_data_refuse_a_methodology_they_do_not_fit() -> None:
    res = run("--demo", "-m", "park_hqd")
    assert res.exit_code == 2
    assert "不适用于考核办法 park_hqd" in res.output


def test_periods_that_name_no_period_are_a_usage_error() -> None:
    res = run("--demo", "--periods", " , ")
    assert res.exit_code == 2
    assert "--periods 没有给出任何时期" in res.output


def test_each_sheet_prints_one_page_wide_with_its_header_repeated(tmp_path: Path) -> None:
    out = tmp_path / "wide.xlsx"
    assert run("--demo", "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["得分"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1"
