"""``kaoping dispatch``: templates written, a month reported, bad sheets refused with every cell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kaoping.cli import cli
from kaoping.dispatch.demo import synthetic
from kaoping.dispatch.sheets import monthly_template, registry_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "dispatch"


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, list[Path]]:
    """The demo's registry and its sheets of January to November 2026 (December 2025's
    reports are the registry's 调度前 figures' month, left out)."""
    reg, rep = synthetic()
    registry = tmp_path / "项目库.xlsx"
    registry.write_bytes(registry_template(reg))
    sheets = []
    for mon in range(1, 12):
        path = tmp_path / f"{mon}月.xlsx"
        path.write_bytes(monthly_template(reg, f"2026-{mon:02d}", rep))
        sheets.append(path)
    return registry, sheets


def test_registry_template_writes_an_empty_registry(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "projects.xlsx"
    result = runner.invoke(cli, ["dispatch", "registry-template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["项目库", "填表说明"]
    assert wb["项目库"]["A1"].value == "项目编号"


def test_template_writes_one_row_a_project_of_the_registry(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "4月.xlsx"
    args = ["dispatch", "template", "--registry", str(EXAMPLES / "projects.csv")]
    result = runner.invoke(cli, [*args, "--month", "2026-04", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["月调度表"]
    codes = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert [c for c in codes if c] == ["XW-01", "XW-02", "BA-01", "BA-02", "WZ-01"]
    assert ws["D2"].value == "2026-04"
    assert "2026-04" in result.output


def test_template_refuses_a_month_that_is_not_a_month(runner: CliRunner, tmp_path: Path) -> None:
    args = ["dispatch", "template", "--registry", str(EXAMPLES / "projects.csv")]
    result = runner.invoke(cli, [*args, "--month", "2026.4", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "YYYY-MM" in result.output


def test_report_prints_the_headline_numbers_and_writes_the_workbook(
    runner: CliRunner, demo: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    registry, sheets = demo
    out = tmp_path / "11月结果.xlsx"
    result = runner.invoke(
        cli,
        ["dispatch", "report", *map(str, sheets), "--registry", str(registry), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    # the demo's headline answers (kaoping.dispatch.demo): 11 special-bond projects, 19.6 亿元
    assert "11 个，19.6 亿元" in result.output
    assert "红色预警" in result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["头条数字", "项目", "县区排名", "红色预警", "三个一批"]
    projects = wb["项目"]
    heads = [c.value for c in projects[1]]
    colour = heads.index("预警") + 1
    fills = {
        projects.cell(row=r, column=colour).value: projects.cell(row=r, column=colour).fill
        for r in range(2, projects.max_row + 1)
    }
    assert fills["红"].fgColor.rgb.endswith("FF9999")
    assert fills["绿"].fgColor.rgb.endswith("A9D08E")
    assert projects.freeze_panes == "C2"


def test_report_refuses_a_sheet_with_bad_cells_naming_each(
    runner: CliRunner, demo: tuple[Path, list[Path]]
) -> None:
    registry, sheets = demo
    november = sheets[-1]
    wb = load_workbook(november)
    ws = wb["月调度表"]
    ws["E2"] = "一百"  # not a number
    ws["J2"] = "很多"  # 现场施工人数, not a number either
    wb.save(november)
    result = runner.invoke(
        cli, ["dispatch", "report", *map(str, sheets), "--registry", str(registry)]
    )
    assert result.exit_code == 1
    assert "11月.xlsx!月调度表!E2" in result.output
    assert "11月.xlsx!月调度表!J2" in result.output
    assert "一百" in result.output
    assert "发现 2 个问题" in result.output


def test_report_refuses_a_cumulative_figure_lower_than_last_months(
    runner: CliRunner, demo: tuple[Path, list[Path]]
) -> None:
    registry, sheets = demo
    october, november = sheets[-2], sheets[-1]
    # a project reported in both months without a note: 当年累计 500 in October, 100 in November
    wb10, wb11 = load_workbook(october), load_workbook(november)
    ws10, ws11 = wb10["月调度表"], wb11["月调度表"]
    row = next(
        r
        for r in range(2, ws11.max_row + 1)
        if ws10.cell(row=r, column=5).value is not None
        and ws11.cell(row=r, column=5).value is not None
        and not ws11.cell(row=r, column=13).value
    )
    ws10.cell(row=row, column=6).value = 500.0
    ws11.cell(row=row, column=6).value = 100.0
    wb10.save(october)
    wb11.save(november)
    args = ["dispatch", "report", *map(str, sheets), "--registry", str(registry)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert f"11月.xlsx!月调度表!F{row}" in result.output
    assert "低于 2026-10 的 500 万元" in result.output
    ws11.cell(row=row, column=13).value = "10月数据有误，已更正"  # a note waives it
    wb11.save(november)
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output


def test_report_names_a_project_not_in_the_registry(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("项目编号,月份,本月完成投资\nXW-01,2026-03,10\nNOPE,2026-03,1\n", "utf-8")
    args = ["dispatch", "report", str(sheet), "--registry", str(EXAMPLES / "projects.csv")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "m.csv!A3" in result.output
    assert "NOPE" in result.output


def test_report_refuses_an_output_that_is_not_xlsx(runner: CliRunner, tmp_path: Path) -> None:
    args = ["dispatch", "report", str(EXAMPLES / "monthly.csv")]
    args += ["--registry", str(EXAMPLES / "projects.csv"), "-o", str(tmp_path / "x.txt")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2


def test_the_written_month_reads_back_in_python(tmp_path: Path) -> None:
    # the bytes the CLI writes are monthly_template's: one row per registry project
    reg, _ = synthetic()
    wb = load_workbook(io.BytesIO(monthly_template(reg, "2026-11")))
    assert wb["月调度表"].max_row >= len(reg) + 1
