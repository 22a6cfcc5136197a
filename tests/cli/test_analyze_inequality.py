"""``kaoping analyze inequality`` on the bundled demo.

The numbers are the library's (tests/methods and tests/analysis check them against PySAL's
published values, hand-worked examples and double loops); here: the command gives the same
numbers as the library called directly and as the double loop on the same scores, its
sections in JSON and as sheets, the groups by category and by city, and its errors.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import kaoping
import kaoping.cli.analyze_inequality  # registers the command
from kaoping.cli import cli
from kaoping.errors import set_language

from ..methods.test_inequality import brute_dagum  # noqa: TID252

DEMO = Path(kaoping.__file__).parent / "data" / "demo" / "henan_county_demo.csv"
SECTIONS = ["summary", "within", "between", "theil", "theil_groups"]


@cache
def demo_json(*args: str) -> dict[str, Any]:
    res = CliRunner().invoke(cli, ["analyze", "inequality", "--demo", "--json", *args])
    assert res.exit_code == 0, res.output
    out: dict[str, Any] = json.loads(res.stdout)
    return out


@cache
def library(node: str = "score") -> tuple[pd.DataFrame, pd.Series]:
    """The demo's scores and categories, from the library directly."""
    from kaoping.analysis.periods import assess_periods, score_frame
    from kaoping.data.bundled import demo_panel, henan_units
    from kaoping.methodology import load

    m = load("county_hqd")
    units = henan_units()
    results = assess_periods(m, demo_panel(m.name_to_id(), units), units=units)
    return score_frame(results, node), results["2024"].table["category"]


def test_by_category_gives_the_librarys_numbers_and_the_double_loops() -> None:
    from kaoping.analysis.inequality import inequality_panel

    out = demo_json()
    assert list(out) == SECTIONS
    summary = {r["period"]: r for r in out["summary"]}
    assert list(summary) == ["2020", "2021", "2022", "2023", "2024"]
    scores, categories = library()
    lib = inequality_panel(scores, categories).summary
    for column in ("gini", "gini_within", "gini_net_between", "gini_transvariation", "cv"):
        assert summary["2024"][column] == pytest.approx(lib.loc["2024", column], rel=1e-12)
    ref = brute_dagum(scores["2024"].tolist(), categories.reindex(scores.index).tolist())
    assert summary["2024"]["gini"] == pytest.approx(ref["G"], rel=1e-12)
    assert summary["2024"]["gini_net_between"] == pytest.approx(ref["Gnb"], rel=1e-10)
    assert summary["2024"]["n"] == 102
    within = [r for r in out["within"] if r["period"] == "2024"]
    assert [r["group"] for r in within] == ref["labels"]  # by increasing mean
    between = [r for r in out["between"] if r["period"] == "2024"]
    assert len(between) == 1
    assert between[0]["group_j"] == ref["labels"][1]
    assert between[0]["gini"] == pytest.approx(ref["Gjh"][1, 0], rel=1e-12)
    theil = {r["period"]: r for r in out["theil"]}
    assert theil["2024"]["theil_t"] == pytest.approx(lib.loc["2024", "theil_t"], rel=1e-12)
    assert len(out["theil_groups"]) == 5 * 2


def test_by_city_groups_the_counties_into_their_17_cities() -> None:
    out = demo_json("--by", "city", "--periods", "2024")
    assert [r["period"] for r in out["summary"]] == ["2024"]
    groups = {r["group"]: r["n"] for r in out["within"]}
    assert len(groups) == 17
    assert groups["南阳市"] == 11
    assert groups["郑州市"] == 6
    assert len(out["between"]) == 17 * 16 // 2
    s = out["summary"][0]
    parts = s["gini_within"] + s["gini_net_between"] + s["gini_transvariation"]
    assert parts == pytest.approx(s["gini"], abs=1e-12)


def test_a_dimension_score_by_node() -> None:
    out = demo_json("--node", "green", "--periods", "2023,2024")
    scores, categories = library("green")
    ref = brute_dagum(scores["2023"].tolist(), categories.reindex(scores.index).tolist())
    assert out["summary"][0]["gini"] == pytest.approx(ref["G"], rel=1e-12)
    assert out["summary"][0]["gini"] != pytest.approx(demo_json()["summary"][3]["gini"])


def test_tables_and_sheets_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "区域差异.xlsx"
    res = runner.invoke(cli, ["analyze", "inequality", "--demo", "--periods", "2024",
                              "-o", str(target)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "基尼系数 G" in res.stdout
    assert "超变密度贡献率 %" in res.stdout
    assert "Dagum（1997）" in res.stderr
    sheets = load_workbook(target, read_only=True).sheetnames
    assert sheets == [
        "综合得分区域差异：基尼系数与 Dagum 分解",
        "Dagum 组内差异（按类别）",
        "Dagum 组间差异（按类别）",
        "泰尔指数分解（按类别）",
        "泰尔指数各组分项（按类别）",
    ]


def test_tables_in_english(runner: CliRunner) -> None:
    set_language("en")
    res = runner.invoke(cli, ["analyze", "inequality", "--demo", "--periods", "2024",
                              "--by", "city"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Gaps in the index: Gini and Dagum's decomposition" in res.stdout
    assert "Dagum between groups (by city)" in res.stdout
    assert "Transvariation Gt" in res.stdout


def test_a_data_file_without_categories_asks_for_units_or_cities(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "inequality", str(DEMO), "--periods", "2024"])
    assert res.exit_code == 1
    assert "--by city" in res.stderr
    by_city = runner.invoke(cli, ["analyze", "inequality", str(DEMO), "--periods", "2024",
                                  "--by", "city", "--json"])  # fmt: skip
    assert by_city.exit_code == 0, by_city.output
    # without a units table the cities are the codes' first four digits
    assert "4113" in {r["group"] for r in json.loads(by_city.stdout)["within"]}


def test_an_unknown_node_is_named(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "inequality", "--demo", "--node", "nope"])
    assert res.exit_code == 1
    assert "nope" in res.stderr
    assert "green" in res.stderr
