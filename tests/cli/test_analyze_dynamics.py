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
