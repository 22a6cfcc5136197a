"""Bad inputs on the command line: every one exits 1 with a message naming the file and the
cell or line (exit 2 only for Click's own usage errors), never a traceback, a hang or a
result computed from a misread number.  Files are built in the test from the example data
(20 fictional counties, 2023 and 2024)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kaoping.cli import cli

from ..data.xlsxkit import workbook  # noqa: TID252 (the tests' own helper, not a package)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data" / "example_counties.csv"
UNITS = ROOT / "examples" / "data" / "example_units.csv"
METHODOLOGY = ROOT / "examples" / "methodology" / "example.yaml"
LINES = DATA.read_text(encoding="utf-8").splitlines()


def run(runner: CliRunner, *args: str | Path) -> Result:
    result = runner.invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert "内部错误" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def refused(runner: CliRunner, where: str, *args: str | Path) -> str:
    result = run(runner, *args)
    assert result.exit_code == 1, result.output
    assert where in result.stderr, result.stderr
    return result.stderr


def write(folder: Path, lines: list[str], name: str = "data.csv") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_cell(row: int, column: int, text: str) -> list[str]:
    """The example data with the cell of 1-based ``row`` and ``column`` replaced."""
    lines = list(LINES)
    cells = lines[row - 1].split(",")
    cells[column - 1] = text
    lines[row - 1] = ",".join(cells)
    return lines


def ranking(result: Result) -> list[tuple[str, float, int]]:
    assert result.exit_code == 0, result.output
    return [(r["unit"], r["score"], r["rank"]) for r in json.loads(result.stdout)]


def test_an_unquoted_thousands_separator_is_refused_with_its_cell(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The header has 20 columns; 511.7 written 5,11.7 pushes the row one cell right, to U."""
    path = write(tmp_path, with_cell(2, 4, "5,11.7"))
    stderr = refused(runner, "data.csv!U2", "assess", path, "-m", METHODOLOGY)
    assert "86,200" in stderr


@pytest.mark.parametrize("period", ["2024.5", "2024.10"])
def test_a_period_written_with_a_dot_is_refused_with_its_cell(
    runner: CliRunner, tmp_path: Path, period: str
) -> None:
    path = write(tmp_path, with_cell(30, 3, period))
    stderr = refused(runner, "data.csv!C30", "assess", path, "-m", METHODOLOGY)
    assert period in stderr  # the value as written, to be corrected


@pytest.mark.parametrize("value", ["1e308", "-1e308", "1.7e308"])
def test_a_value_that_would_overflow_is_refused_with_its_cell(
    runner: CliRunner, tmp_path: Path, value: str
) -> None:
    path = write(tmp_path, with_cell(30, 4, value))
    stderr = refused(runner, "data.csv!D30", "assess", path, "-m", METHODOLOGY, "-p", "2024")
    assert "1e+150" in stderr  # the limit, so that the user sees how far off the figure is


@pytest.mark.parametrize(
    ("cell", "where"),
    [
        ('<c r="A2" t="s"><v>999</v></c>', "data.xlsx!Sheet1!A2"),
        ('<c r="D2" t="b"><v>7</v></c>', "data.xlsx!Sheet1!D2"),
        ('<c r="D2" t="n"><v>abc</v></c>', "data.xlsx!Sheet1!D2"),
        ('<c r="D2" t="d"><v>garbage</v></c>', "data.xlsx!Sheet1!D2"),
    ],
)
def test_a_damaged_workbook_cell_is_named(
    runner: CliRunner, tmp_path: Path, cell: str, where: str
) -> None:
    rows = [line.split(",") for line in LINES]
    path = tmp_path / "data.xlsx"
    path.write_bytes(workbook(rows, shared=True, cells={where.rpartition("!")[2]: cell}))
    said = [
        refused(runner, where, command[0], path, "-m", METHODOLOGY, *command[1:])
        for command in (["assess"], ["uncertainty", "-n", "5"])
    ]
    assert said[0] == said[1]  # both commands read the workbook the same way


def test_a_damaged_workbook_part_is_named(runner: CliRunner, tmp_path: Path) -> None:
    rows = [line.split(",") for line in LINES]
    path = tmp_path / "data.xlsx"
    path.write_bytes(workbook(rows, parts={"xl/worksheets/sheet1.xml": "<worksheet><sheetD"}))
    stderr = refused(runner, "data.xlsx", "assess", path, "-m", METHODOLOGY)
    assert "xl/worksheets/sheet1.xml" in stderr


def test_p_supplies_the_period_of_a_file_without_a_period_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = [line.split(",") for line in LINES if ",2023," not in line]
    path = write(tmp_path, [",".join(r[:2] + r[3:]) for r in rows])
    refused(runner, "data.csv!A1", "assess", path, "-m", METHODOLOGY)
    expected = ranking(run(runner, "assess", DATA, "-m", METHODOLOGY, "-p", "2024", "--json"))
    given = ranking(run(runner, "assess", path, "-m", METHODOLOGY, "-p", "2024", "--json"))
    assert given == expected
    result = run(runner, "uncertainty", path, "-m", METHODOLOGY, "-p", "2024年", "-n", "5")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["assess", DATA], ["uncertainty", DATA], ["template"]])
def test_a_bad_p_is_refused_naming_the_option(runner: CliRunner, command: list[object]) -> None:
    stderr = refused(runner, "-p/--period", *command, "-m", METHODOLOGY, "-p", "2024.5")
    assert "2024.5" in stderr


@pytest.mark.parametrize("header", ["名称", "县（市）"])
def test_names_match_units_with_units_when_the_file_has_no_codes(
    runner: CliRunner, tmp_path: Path, header: str
) -> None:
    lines = [",".join(line.split(",")[1:]) for line in LINES]
    lines[0] = lines[0].replace("名称", header, 1)
    path = write(tmp_path, lines)
    by_code = run(runner, "assess", DATA, "-m", METHODOLOGY, "--units", UNITS, "--json")
    by_name = run(runner, "assess", path, "-m", METHODOLOGY, "--units", UNITS, "--json")
    assert ranking(by_name) == ranking(by_code)
    unknown = write(tmp_path, [lines[0], lines[1].replace("东川县", "东川"), *lines[2:]])
    stderr = refused(runner, "data.csv!A2", "assess", unknown, "-m", METHODOLOGY, "--units", UNITS)
    assert "东川县" in stderr  # the suggestion
    refused(runner, "--units", "assess", path, "-m", METHODOLOGY)  # how to match names


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id: x\nz: " + "[" * 2000 + "]" * 2000 + "\n", "m.yaml:1"),
        ("~\n", "m.yaml:1"),
        ("id: c\nname: c\nbase: ../example.yaml\n", "m.yaml:3"),
        ("id: c\nname: c\nbase: /dev/zero\n", "m.yaml:3"),
    ],
)
def test_a_bad_methodology_is_refused_with_its_line(
    runner: CliRunner, tmp_path: Path, text: str, where: str
) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "m.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "example.yaml").write_text(METHODOLOGY.read_text("utf-8"), encoding="utf-8")
    for command in (["methodology", "check", path], ["assess", DATA, "-m", path]):
        refused(runner, f"{path.name}:{where.split(':')[1]}", *command)


def test_a_methodology_that_is_a_device_is_refused(runner: CliRunner) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    refused(runner, "/dev/zero", "methodology", "check", "/dev/zero")


# -- --previous -----------------------------------------------------------------------------

OFFICIAL = ["assess", ROOT / "src/kaoping/data/demo/henan_county_demo.csv"]
OFFICIAL_ARGS = ["-m", "county_hqd_official", "--units", "henan", "-p", "2024", "--json"]


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (workbook([["代码", "类别内排名"], ["410102", 1]])[:200], "p.xlsx"),
        (
            workbook(
                [["代码", "类别内排名"], ["410102", 1]],
                cells={"B2": '<c r="B2" t="b"><v>7</v></c>'},
            ),
            "p.xlsx!Sheet1!B2",
        ),
        ("代码,类别内排名\n410102,abc\n".encode(), "p.xlsx"),  # CSV named .xlsx: not a workbook
        (workbook([["代码", "年份"], ["410102", "2024"]]), "p.xlsx"),  # not a results file
        (workbook([["代码", "类别内排名"], ["410102", 0.5]]), "p.xlsx!Sheet1!B2"),
    ],
)
def test_a_bad_previous_results_file_is_refused_with_its_cell(
    runner: CliRunner, tmp_path: Path, content: bytes, where: str
) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(content)
    stderr = refused(runner, where, *OFFICIAL, *OFFICIAL_ARGS, "--previous", path)
    assert "发现 1 个问题" in stderr  # one problem, said once
    assert "请" in stderr.split(where, 1)[1]  # and how to fix it


def test_a_previous_that_is_neither_a_file_nor_a_period_is_refused(runner: CliRunner) -> None:
    stderr = refused(runner, "--previous", *OFFICIAL, *OFFICIAL_ARGS, "--previous", "1999")
    assert "1999" in stderr


# -- pipes: a subprocess, so that a regression times out instead of hanging the tests ----------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_are_refused_without_blocking(tmp_path: Path) -> None:
    for name in ("data.csv", "units.csv", "m.yaml"):
        os.mkfifo(tmp_path / name)
    commands = [
        ["assess", "data.csv", "-m", str(METHODOLOGY)],
        ["assess", str(DATA), "-m", str(METHODOLOGY), "--units", "units.csv"],
        ["methodology", "check", "m.yaml"],
    ]
    env = {**os.environ, "KAOPING_LANG": "zh"}
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "kaoping", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 1, done.stderr
        assert "命名管道" in done.stderr
