"""``kaoping analyze coupling`` and ``kaoping analyze obstacles`` on the bundled demo: exit codes,
headers, values cross-checked with the library, the JSON, the workbook, and bad options."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import kaoping.cli.analyze_coupling  # noqa: F401  (registers the commands)
from kaoping.analysis.coupling import coupling_of
from kaoping.analysis.obstacle import Obstacles, obstacles
from kaoping.assess import Result, assess
from kaoping.cli import cli
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.data.bundled import path as bundled_path
from kaoping.methodology import load


@pytest.fixture(scope="module")
def demo() -> Result:
    m = load("county_hqd")
    units = henan_units()
    return assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)


@pytest.fixture(scope="module")
def demo_obstacles(demo: Result) -> Obstacles:
    return obstacles(demo)


def _json(runner: CliRunner, args: list[str]) -> dict[str, list[dict[str, object]]]:
    res = runner.invoke(cli, ["analyze", *args, "--json"])
    assert res.exit_code == 0, res.output
    out: dict[str, list[dict[str, object]]] = json.loads(res.stdout)
    return out


def test_coupling_table_has_chinese_headers(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "coupling", "--demo"])
    assert res.exit_code == 0, res.output
    assert "耦合协调度（2024）" in res.stdout
    assert "耦合度 C" in res.stdout
    assert "经济实力" in res.stdout  # a subsystem column under its dimension's name
    assert "协调等级分布" in res.stdout
    assert "子系统：经济实力、创新发展" in res.stderr


def test_coupling_json_matches_the_library(runner: CliRunner, demo: Result) -> None:
    out = _json(runner, ["coupling", "--demo"])
    assert set(out) == {"coupling", "classes"}
    rows = {r["unit"]: r for r in out["coupling"]}
    assert len(rows) == 102
    expected = coupling_of(demo)
    assert rows["410122"]["D"] == pytest.approx(expected.loc["410122", "D"], rel=1e-12)
    assert rows["410122"]["class"] == expected.loc["410122", "class"]
    assert rows["410122"]["name"] == "中牟县"
    assert sum(int(str(c["units"])) for c in out["classes"]) == 102
    # sorted by D, highest first
    ds = [float(str(r["D"])) for r in out["coupling"]]
    assert ds == sorted(ds, reverse=True)


def test_coupling_options_reach_the_library(runner: CliRunner, demo: Result) -> None:
    args = ["coupling", "--demo", "--subsystems", "economy,green", "--form", "wang2021"]
    out = _json(runner, [*args, "--coefficients", "0.6,0.4"])
    row = next(r for r in out["coupling"] if r["unit"] == "410181")
    expected = coupling_of(demo, ["economy", "green"], coefficients=[0.6, 0.4], form="wang2021")
    assert row["C"] == pytest.approx(expected.loc["410181", "C"], rel=1e-12)
    assert row["T"] == pytest.approx(expected.loc["410181", "T"], rel=1e-12)
    assert set(row) >= {"economy", "green"}


def test_coupling_over_periods(runner: CliRunner) -> None:
    args = ["coupling", "--demo", "--over-periods", "--periods", "2023,2024"]
    out = _json(runner, args)
    assert set(out) == {"coupling", "summary", "classes"}
    assert len(out["coupling"]) == 204
    assert [r["period"] for r in out["summary"]] == ["2023", "2024"]
    assert set(out["classes"][0]) == {"class", "class_en", "range", "2023", "2024"}


def test_coupling_workbook(runner: CliRunner, tmp_path: Path, demo: Result) -> None:
    target = tmp_path / "耦合协调度.xlsx"
    res = runner.invoke(cli, ["analyze", "coupling", "--demo", "-o", str(target)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["耦合协调度（2024）", "协调等级分布（2024）"]
    ws = wb["耦合协调度（2024）"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["代码", "名称", "耦合度 C", "综合协调指数 T", "耦合协调度 D"]
    first = [c.value for c in ws[2]]
    assert first[4] == pytest.approx(coupling_of(demo)["D"].max(), rel=1e-12)
    assert ws.max_row == 103


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--coefficients", "a,b"], 2, "--coefficients"),
        (["--scale", "0"], 2, "--scale"),
        (["--form", "fan"], 2, "fan"),
        (["--coefficients", "0.5,0.6"], 2, "和为 1"),  # a usage error since the fix round
        (["--subsystems", "economy,gren"], 2, "gren"),
    ],
)
def test_bad_coupling_options(runner: CliRunner, extra: list[str], code: int, message: str) -> None:
    res = runner.invoke(cli, ["analyze", "coupling", "--demo", *extra])
    assert res.exit_code == code, res.output
    assert message in res.output


def test_obstacles_table_and_json(runner: CliRunner, demo_obstacles: Obstacles) -> None:
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo"])
    assert res.exit_code == 0, res.output
    assert "主要障碍因子（前 3 位，2024）" in res.stdout
    assert "障碍度" in res.stdout
    out = _json(runner, ["obstacles", "--demo", "--top", "2"])
    assert set(out) == {"top", "dimensions"}
    assert len(out["top"]) == 2 * 102
    first = out["top"][0]
    expected = demo_obstacles.top(2).iloc[0]
    assert first["indicator"] == expected["indicator"]
    assert first["degree"] == pytest.approx(expected["degree"], rel=1e-12)
    dims = {r["unit"]: r for r in out["dimensions"]}
    assert dims["410122"]["economy"] == pytest.approx(
        demo_obstacles.dimensions.loc["410122", "economy"], rel=1e-12
    )


def test_one_units_obstacles(runner: CliRunner, demo_obstacles: Obstacles) -> None:
    out = _json(runner, ["obstacles", "--demo", "--unit", "410122"])
    assert set(out) == {"unit", "dimensions"}
    assert len(out["unit"]) == 38
    assert out["unit"][0]["rank"] == 1
    expected = demo_obstacles.unit("410122")
    assert out["unit"][0]["indicator"] == expected.index[0]
    assert out["unit"][0]["degree"] == pytest.approx(expected["degree"].iloc[0], rel=1e-12)
    assert sum(float(str(r["degree"])) for r in out["dimensions"]) == pytest.approx(1.0)
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "--unit", "410122"])
    assert "中牟县（410122）各指标障碍度（2024）" in res.stdout


def test_unknown_unit_exits_1(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "--unit", "410123"])
    assert res.exit_code == 1
    assert "410123" in res.stderr
    assert "410122" in res.stderr  # the closest codes are suggested


def test_obstacles_workbook(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "障碍度.xlsx"
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "--top", "1", "-o", str(target)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["主要障碍因子（前 1 位，2024）", "各维度障碍度（2024）"]
    assert wb["主要障碍因子（前 1 位，2024）"].max_row == 103
    assert [c.value for c in wb["各维度障碍度（2024）"][1]][:3] == ["代码", "名称", "经济实力"]


def test_obstacles_refuse_z_scores(runner: CliRunner, tmp_path: Path) -> None:
    text = bundled_path("methodologies/county_hqd.yaml").read_text(encoding="utf-8")
    assert "normalization: {method: minmax, range: [0, 100]}" in text
    yaml = tmp_path / "z.yaml"
    yaml.write_text(
        text.replace("normalization: {method: minmax, range: [0, 100]}", "normalization: zscore"),
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "-m", str(yaml)])
    assert res.exit_code == 1
    assert "[0, 1]" in res.stderr
    assert "zscore" in res.stderr


def test_english_headers(runner: CliRunner) -> None:
    from kaoping.errors import set_language

    set_language("en")
    try:
        res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "--top", "1"])
    finally:
        set_language("zh")
    assert res.exit_code == 0, res.output
    assert "Main obstacles (top 1, 2024)" in res.stdout
    assert "Obstacle degree" in res.stdout


# --- fix round: probe items B7, B18, B19, C ---------------------------------------------------

SMALL = """\
id: small
name: 小型测试办法
name_en: Small test
normalization: {method: minmax, range: [0, 100]}
weighting: fixed
aggregation: arithmetic
dimensions:
  - id: solo
    name: 单指标维度
    name_en: Solo
    weight: 1
    indicators:
      - {id: a, name: 甲指标, direction: positive}
  - id: multi
    name: 多指标维度
    name_en: Multi
    weight: 1
    indicators:
      - {id: b, name: 乙指标, direction: positive}
      - {id: c, name: 丙指标, direction: positive}
"""
# 410122 is the lowest on a, b and c: min-max gives it 0 on both dimensions, so C = 0/0.
SMALL_DATA = """\
代码,名称,年份,甲指标,乙指标,丙指标
410122,中牟县,2024,1,1,1
410181,巩义市,2024,3,2,5
410182,荥阳市,2024,5,4,3
"""


def test_the_suggested_coefficients_run(runner: CliRunner) -> None:
    # B7: the example the message gives for six subsystems is accepted as it is
    res = runner.invoke(cli, ["analyze", "coupling", "--demo", "--coefficients", "0.5,0.5"])
    assert res.exit_code == 2
    example = "0.17,0.17,0.17,0.17,0.16,0.16"
    assert example in res.output
    out = _json(runner, ["coupling", "--demo", "--coefficients", example])
    assert len(out["coupling"]) == 102


def test_a_scale_too_narrow_is_one_usage_error_per_dimension(runner: CliRunner) -> None:
    # B18: demo scores reach ~87 of 100; 0,50 is too narrow for every dimension
    res = runner.invoke(cli, ["analyze", "coupling", "--demo", "--scale", "0,50"])
    assert res.exit_code == 2
    assert "--scale" in res.stderr
    assert "百分制得分除以 100" not in res.stderr
    assert res.stderr.count("超出给定的得分范围 0–50") == 6  # one line per dimension


@pytest.mark.parametrize(
    ("scale", "shown"), [("100,0", "收到 100,0"), ("a,b", "收到 a,b"), ("1,2,3", "须为 2 个")]
)
def test_bad_scales_are_usage_errors_in_plain_words(
    runner: CliRunner, scale: str, shown: str
) -> None:
    res = runner.invoke(cli, ["analyze", "coupling", "--demo", "--scale", scale])
    assert res.exit_code == 2
    assert "--scale" in res.stderr
    assert shown in res.stderr
    error = res.stderr.split("Error:", 1)[1]  # click's own lines quote the --help command
    assert "(0, 100)" not in error
    assert "'" not in error


def test_a_unit_with_every_score_zero_is_skipped_with_a_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    # B19: 410122 is left out (C, T, D empty, not counted), the other two are coupled
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "small.csv").write_text(SMALL_DATA, encoding="utf-8")
    args = ["coupling", str(tmp_path / "small.csv"), "-m", str(tmp_path / "small.yaml")]
    res = runner.invoke(cli, ["analyze", *args])
    assert res.exit_code == 0, res.output
    assert "1 个单位的各子系统得分均为 0（410122）" in res.stderr
    out = _json(runner, args)
    rows = {r["unit"]: r for r in out["coupling"]}
    assert rows["410122"]["D"] is None
    assert rows["410122"]["class"] is None
    # 410181: solo (3-1)/(5-1) = 0.5; multi ((2-1)/3 + (5-1)/4) / 2 = 2/3;
    # C = 2 sqrt(0.5 * 2/3) / (0.5 + 2/3) = 0.9897433, T = 7/12
    assert rows["410181"]["C"] == pytest.approx(2 * (1 / 3) ** 0.5 / (7 / 6), rel=1e-9)
    assert rows["410181"]["T"] == pytest.approx(7 / 12, rel=1e-9)
    assert sum(int(str(c["units"])) for c in out["classes"]) == 2


def test_one_class_column_in_the_users_language(runner: CliRunner, tmp_path: Path) -> None:
    # C: the terminal and the workbook show the class once; the JSON keeps both names
    res = runner.invoke(cli, ["analyze", "coupling", "--demo"])
    assert res.exit_code == 0, res.output
    assert "协调等级（英文）" not in res.stdout
    assert "coordination" not in res.stdout.lower().replace("coordination d", "")
    assert "耦合度形式：标准形式（几何平均/算术平均）" in res.stderr
    target = tmp_path / "c.xlsx"
    assert runner.invoke(cli, ["analyze", "coupling", "--demo", "-o", str(target)]).exit_code == 0
    wb = openpyxl.load_workbook(target)
    header = [c.value for c in wb["耦合协调度（2024）"][1]]
    assert header.count("协调等级") == 1
    assert "协调等级（英文）" not in header
    assert [c.value for c in wb["协调等级分布（2024）"][1]] == ["协调等级", "D 的区间", "单位数"]
    out = _json(runner, ["coupling", "--demo"])
    assert {"class", "class_en"} <= set(out["coupling"][0])
    assert {"class", "class_en"} <= set(out["classes"][0])


def test_one_class_column_in_english(runner: CliRunner) -> None:
    from kaoping.errors import set_language

    set_language("en")
    try:
        res = runner.invoke(cli, ["analyze", "coupling", "--demo", "--form", "wang2021"])
    finally:
        set_language("zh")
    assert res.exit_code == 0, res.output
    assert "Class (Chinese)" not in res.stdout
    assert "失调" not in res.stdout
    assert "协调" not in res.stdout
    assert "Extreme imbalance" in res.stdout  # the class counts, indexed in English
    assert "coupling form: the corrected form of Wang et al. (2021)" in res.stderr


def test_top_larger_than_the_indicators_is_titled_with_their_count(runner: CliRunner) -> None:
    # county_hqd has 38 indicators (see test_one_units_obstacles): --top 100 shows 38
    res = runner.invoke(cli, ["analyze", "obstacles", "--demo", "--top", "100"])
    assert res.exit_code == 0, res.output
    assert "主要障碍因子（前 38 位，2024）" in res.stdout
    assert "前 100 位" not in res.stdout
