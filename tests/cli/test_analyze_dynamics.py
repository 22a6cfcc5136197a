"""``kaoping analyze density | markov | convergence`` on the bundled (synthetic) demo: what they
print is what the library computes from the same assessments, the JSON parses, the workbook
has one sheet per table, and bad options are usage errors that name them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from numpy.testing import assert_allclose
from openpyxl import load_workbook

import kaoping.cli.analyze_dynamics  # noqa: F401  (registers the commands)
from kaoping.analysis import dynamics
from kaoping.analysis.periods import assess_periods, score_frame
from kaoping.assess import Result
from kaoping.cli import cli
from kaoping.data import bundled
from kaoping.errors import set_language
from kaoping.methodology import load


@cache
def results() -> dict[str, Result]:
    methodology = load("county_hqd")
    units = bundled.henan_units()
    return assess_periods(
        methodology, bundled.demo_panel(methodology.name_to_id(), units), units=units
    )


def run(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    res = runner.invoke(cli, ["analyze", *args, "--demo", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_density_json_is_the_librarys(runner: CliRunner) -> None:
    out = run(runner, "density", "--periods", "2020,2024")
    kde = dynamics.kernel_density(score_frame(results())[["2020", "2024"]])
    summary = pd.DataFrame(out["summary"]).set_index("period")
    assert_allclose(summary["bandwidth"], kde.bandwidth, rtol=1e-15)
    assert_allclose(summary["peak_at"], kde.summary()["peak_at"], rtol=1e-15)
    assert summary["n"].tolist() == [102, 102]
    curves = pd.DataFrame(out["density"])
    assert list(curves.columns) == ["score", "2020", "2024"]
    assert len(curves) == 256
    assert_allclose(curves["score"], kde.grid, rtol=1e-15)
    assert_allclose(curves["2024"], kde.density["2024"], rtol=1e-15)


def test_density_draws_the_chart_and_writes_the_workbook(runner: CliRunner, tmp_path: Path) -> None:
    chart, book = tmp_path / "核密度.png", tmp_path / "核密度.xlsx"
    res = runner.invoke(
        cli,
        ["analyze", "density", "--demo", "--node", "green", "--bandwidth", "2.5",
         "--points", "64", "--chart", str(chart), "-o", str(book)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "主峰位置" in res.stdout
    assert "带宽 h = 2.5" in res.stderr
    wb = load_workbook(book)
    assert wb.sheetnames == ["绿色发展核密度：各期带宽与主峰", "绿色发展核密度曲线"]
    curves = wb["绿色发展核密度曲线"]
    assert [c.value for c in curves[1]] == ["得分", "2020", "2021", "2022", "2023", "2024"]
    assert curves.max_row == 65
    kde = dynamics.kernel_density(score_frame(results(), "green"), bandwidth=2.5, points=64)
    assert curves.cell(row=2, column=6).value == pytest.approx(kde.density["2024"].iloc[0])
    svg = tmp_path / "核密度.svg"
    res = runner.invoke(cli, ["analyze", "density", "--demo", "--chart", str(svg)])
    assert res.exit_code == 0, res.output
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_density_refuses_bad_options_naming_them(runner: CliRunner, tmp_path: Path) -> None:
    bad = runner.invoke(cli, ["analyze", "density", "--demo", "--bandwidth", "wide"])
    assert bad.exit_code == 2
    assert "--bandwidth" in bad.output
    assert "'wide'" in bad.output
    jpg = runner.invoke(cli, ["analyze", "density", "--demo", "--chart", str(tmp_path / "a.jpg")])
    assert jpg.exit_code == 2
    assert ".png" in jpg.output
    assert not (tmp_path / "a.jpg").exists()


def test_markov_quartiles_are_the_librarys(runner: CliRunner) -> None:
    out = run(runner, "markov")
    found = dynamics.markov(score_frame(results()))
    matrix = pd.DataFrame(out["matrix"]).set_index("from")
    assert list(matrix.columns) == ["n", "Q1", "Q2", "Q3", "Q4"]
    assert matrix["n"].tolist() == found.counts.tolist()
    assert_allclose(matrix[["Q1", "Q2", "Q3", "Q4"]], found.matrix, rtol=1e-15)
    bounds = pd.DataFrame(out["bounds"]).set_index("class")
    assert_allclose(bounds["upper"], found.bounds["upper"], rtol=1e-15)  # type: ignore[index]
    shares = pd.DataFrame(out["distribution"]).set_index("class")
    assert_allclose(shares["initial"], found.initial, rtol=1e-15)


def test_markov_of_tiers_and_of_three_classes(runner: CliRunner) -> None:
    tiers = pd.DataFrame(run(runner, "markov", "--classes", "tiers")["matrix"]).set_index("from")
    assert list(tiers.index) == ["第一方阵", "第二方阵", "第三方阵"]
    found = dynamics.markov(
        score_frame(results()), classes="tiers", labels=dynamics.tier_labels(results())
    )
    assert_allclose(tiers[list(found.matrix.columns)], found.matrix, rtol=1e-15)
    three = run(runner, "markov", "--classes", "3", "--node", "openness")
    assert [r["from"] for r in three["matrix"]] == ["Q1", "Q2", "Q3"]
    assert_allclose([sum(v for k, v in r.items() if k.startswith("Q")) for r in three["matrix"]],
                    1.0)  # fmt: skip


def test_markov_refuses_bad_classes_naming_them(runner: CliRunner) -> None:
    one = runner.invoke(cli, ["analyze", "markov", "--demo", "--classes", "1"])
    assert one.exit_code == 2
    assert "--classes" in one.output
    mixed = runner.invoke(cli, ["analyze", "markov", "--demo", "--classes", "tiers", "--node",
                                "green"])  # fmt: skip
    assert mixed.exit_code == 2
    assert "--node" in mixed.output


def test_convergence_is_the_librarys(runner: CliRunner) -> None:
    out = run(runner, "convergence", "--node", "economy", "--periods", "2021..2024")
    scores = score_frame(results(), "economy")[["2021", "2022", "2023", "2024"]]
    sigma = dynamics.sigma_convergence(scores)
    beta = dynamics.beta_convergence(scores)
    table = pd.DataFrame(out["sigma"]).set_index("period")
    assert_allclose(table["sigma"], sigma.sigma, rtol=1e-15)
    (fit,) = out["beta"]
    assert (fit["start"], fit["end"], fit["span"], fit["n"]) == ("2021", "2024", 3.0, 102)
    for key in ("beta", "se", "t", "p", "r2", "speed", "half_life"):
        assert fit[key] == pytest.approx(getattr(beta, key), rel=1e-15), key


def test_convergence_on_the_terminal_in_english_and_in_a_workbook(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = tmp_path / "收敛.xlsx"
    res = runner.invoke(cli, ["analyze", "convergence", "--demo", "--measure", "cv",
                              "-o", str(book)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "收敛速度" in res.stdout
    assert "σ 由" in res.stderr
    wb = load_workbook(book)
    assert wb.sheetnames == ["综合得分σ收敛（变异系数）", "综合得分绝对β收敛"]
    rows = {r[0]: r[1] for r in wb["综合得分绝对β收敛"].iter_rows(min_row=2, values_only=True)}
    beta = dynamics.beta_convergence(score_frame(results()))
    assert rows["β"] == pytest.approx(beta.beta, rel=1e-14)
    assert rows["单位数"] == 102
    cv = dynamics.sigma_convergence(score_frame(results()), measure="cv")
    sigma_rows = list(wb["综合得分σ收敛（变异系数）"].iter_rows(min_row=2, values_only=True))
    assert_allclose([r[1] for r in sigma_rows], cv.sigma, rtol=1e-14)
    set_language("en")  # the autouse fixture sets Chinese back for the next test
    english = runner.invoke(cli, ["analyze", "convergence", "--demo"])
    assert english.exit_code == 0, english.output
    assert "Speed of convergence" in english.stdout
    assert "σ went from" in english.stderr


def test_an_unknown_node_is_a_domain_error_naming_the_choices(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "convergence", "--demo", "--node", "nosuch"])
    assert res.exit_code == 1
    assert "nosuch" in res.stderr
    assert "green" in res.stderr


# --------------------------------------------------------------------------------------------
# fix round: T in years, the option to change when periods or classes do not fit, scores of 0
# --------------------------------------------------------------------------------------------

QUARTERS = {"2020": "2024-Q1", "2021": "2024-Q2", "2022": "2024-Q3", "2023": "2024-Q4",
            "2024": "2025-Q1"}  # fmt: skip


def demo_csv(tmp_path: Path, name: str, *, periods: dict[str, str] | None = None,
             keep: set[str] | None = None, units: int | None = None) -> Path:  # fmt: skip
    """The bundled demo file (its title line dropped) with its years relabelled, only some
    years kept, or only the first few units."""
    lines = bundled.path("demo/henan_county_demo.csv").read_text(encoding="utf-8-sig")
    header, *rows = lines.splitlines()[1:]
    kept: list[str] = []
    codes: list[str] = []
    for row in rows:
        cells = row.split(",")
        if len(cells) < 3:  # the closing note
            continue
        if keep is not None and cells[2] not in keep:
            continue
        if units is not None and cells[0] not in codes:
            if len(codes) == units:
                continue
            codes.append(cells[0])
        cells[2] = (periods or {}).get(cells[2], cells[2])
        kept.append(",".join(cells))
    out = tmp_path / name
    out.write_text("\n".join([header.replace("年份", "时期"), *kept]) + "\n", encoding="utf-8")
    return out


def test_convergence_over_quarters_measures_t_in_years(runner: CliRunner, tmp_path: Path) -> None:
    data = demo_csv(tmp_path, "quarterly.csv", periods=QUARTERS)
    res = runner.invoke(cli, ["analyze", "convergence", str(data), "--json"])
    assert res.exit_code == 0, res.output
    (fit,) = json.loads(res.stdout)["beta"]
    assert (fit["start"], fit["end"], fit["span"], fit["span_unit"]) == (
        "2024-Q1", "2025-Q1", 1.0, "years",
    )  # fmt: skip
    # the same scores as the demo's 2020 -> 2024, over 1 year instead of 4: the growth, and
    # so beta, is 4 times the annual one (ln(y_end/y_start)/1 = 4 ln(y_end/y_start)/4)
    annual = dynamics.beta_convergence(score_frame(results()))
    assert fit["beta"] == pytest.approx(4 * annual.beta, rel=1e-9)
    terminal = runner.invoke(cli, ["analyze", "convergence", str(data)])
    assert terminal.exit_code == 0, terminal.output
    assert "年数 T" in terminal.stdout
    assert "/年" in terminal.stderr


def test_too_few_periods_name_the_option_or_the_data(runner: CliRunner, tmp_path: Path) -> None:
    for kind in ("markov", "convergence"):
        one = runner.invoke(cli, ["analyze", kind, "--demo", "--periods", "2024"])
        assert one.exit_code == 2, one.output
        assert "--periods" in one.output
        assert "数据中有：2020、2021、2022、2023、2024" in one.output
        assert kind not in one.output.split("Error:")[1]
    none = runner.invoke(cli, ["analyze", "convergence", "--demo", "--periods", ","])
    assert none.exit_code == 2
    assert "--periods 没有给出任何时期" in none.output  # said before any analysis runs
    data = demo_csv(tmp_path, "one_period.csv", keep={"2024"})
    single = runner.invoke(cli, ["analyze", "markov", str(data)])
    assert single.exit_code == 1
    assert "马尔可夫转移矩阵至少需要 2 个时期，数据中只有 1 个（2024）" in single.stderr
    assert "scores" not in single.stderr
    assert "发现 1 个问题" in single.stderr


def test_density_of_one_unit_is_one_problem(runner: CliRunner, tmp_path: Path) -> None:
    data = demo_csv(tmp_path, "one_unit.csv", units=1)
    res = runner.invoke(cli, ["analyze", "density", str(data)])
    assert res.exit_code == 1
    assert "发现 1 个问题" in res.stderr
    assert "410122" in res.stderr
    assert "kernel_density" not in res.stderr


def test_density_refuses_a_chart_it_cannot_write_before_writing_anything(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = tmp_path / "ok.xlsx"
    chart = tmp_path / "nofolder" / "c.png"
    res = runner.invoke(cli, ["analyze", "density", "--demo", "-o", str(book),
                              "--chart", str(chart)])  # fmt: skip
    assert res.exit_code == 2
    assert "--chart" in res.output
    assert not book.exists()


def test_markov_refuses_more_classes_than_the_data_bear(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "markov", "--demo", "--classes", "200"])
    assert res.exit_code == 2
    assert "--classes" in res.output
    # 102 units x 4 pairs of consecutive years = 408 transitions; isqrt(408) = 20 (400 <= 408)
    assert "最多用 20 类" in res.output
    assert "NaN" not in res.output
    assert run(runner, "markov", "--classes", "20")["matrix"][19]["from"] == "Q20"


SMALL = """\
id: tiny
name: 小型办法
version: "1"
normalization: {method: minmax, range: [0, 100]}
weighting: fixed
aggregation: arithmetic
tiers:
  - {name: 第一方阵, max_rank: 2}
  - {name: 第二方阵}
dimensions:
  - id: growth
    name: 增长
    weight: 1
    indicators:
      - {id: gdp_growth, name: 地区生产总值增速, unit: "%", kind: growth, direction: positive}
      - {id: fai_growth, name: 固定资产投资增速, unit: "%", kind: growth, direction: positive}
"""


def test_a_score_of_zero_says_why_and_which_range_to_use(runner: CliRunner, tmp_path: Path) -> None:
    # 410122 is the lowest on both indicators in both years: min-max over [0, 100] gives it
    # 0 on each, so its score is 0 and ln 0 is undefined
    method = tmp_path / "tiny.yaml"
    method.write_text(SMALL, encoding="utf-8")
    data = tmp_path / "tiny.csv"
    data.write_text(
        "代码,名称,年份,地区生产总值增速,固定资产投资增速\n"
        "410122,中牟县,2020,1.0,2.0\n410122,中牟县,2021,1.5,2.5\n"
        "410181,巩义市,2020,3.0,5.0\n410181,巩义市,2021,4.0,6.0\n"
        "410182,荥阳市,2020,5.0,4.0\n410182,荥阳市,2021,6.0,5.0\n"
        "410183,新密市,2020,4.0,7.0\n410183,新密市,2021,5.5,8.0\n",
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["analyze", "convergence", str(data), "-m", str(method)])
    assert res.exit_code == 1, res.output
    assert "发现 1 个问题" in res.stderr
    assert "410122/2020 = 0、410122/2021 = 0" in res.stderr
    assert "{method: minmax, range: [1, 100]}" in res.stderr
    assert "--measure cv 也不行" in res.stderr
    assert "综合得分）" not in res.stderr  # no advice to use the index it already is
    dimension = runner.invoke(cli, ["analyze", "convergence", str(data), "-m", str(method),
                                    "--node", "growth", "--measure", "cv"])  # fmt: skip
    assert dimension.exit_code == 1
    assert "--node" in dimension.stderr
    assert "--measure cv 只用于σ收敛" in dimension.stderr
