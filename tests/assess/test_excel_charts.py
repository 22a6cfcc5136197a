"""The charts sheet of a result's workbook (kaoping.assess.excel_charts): the ranking bars, the
units per tier and one chosen unit's dimensions, read back from the workbooks that ``kaoping
demo`` and ``kaoping demo --official`` write and checked against the result computed here
(as the CLI computes it) and against the ranking sheet."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from tests.assess.chartbook import Chart, cells, charts, evaluate, parse

from kaoping import errors
from kaoping.assess import assess
from kaoping.assess.excel_charts import NO_TIER_COLOUR, add_charts
from kaoping.cli import cli
from kaoping.data.bundled import demo_panel, henan_units, path
from kaoping.errors import KaopingWarning
from kaoping.methodology import load, loads

KINDS = ["academic", "official"]
NO_TIER = "未列入方阵"


@cache
def computed(kind: str, methodology: str | None = None) -> Any:
    """The 2024 result as ``kaoping demo [--official]`` computes it."""
    from kaoping.cli import _official_inputs, _previous_ranks
    from kaoping.data.events import read_events

    m = load("county_hqd_official" if kind == "official" else "county_hqd")
    if methodology is not None:
        m = loads(methodology)
    units = henan_units()
    panel = demo_panel(m.name_to_id(), units)
    extra: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        if kind == "official":
            extra = _official_inputs(m, None, None, None, None, panel, "2024", units)
            extra["events"] = read_events(path("demo/henan_events.csv"))
            extra["previous"] = _previous_ranks("2023", m, panel, units, extra)
        return assess(m, panel, "2024", units=units, **extra)


@pytest.fixture
def chinese() -> Iterator[None]:
    before = errors._language
    errors.set_language("zh")
    yield
    errors._language = before


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbooks of ``kaoping demo``, ``kaoping demo --official`` and ``kaoping --lang en
    demo``; the language is put back afterwards."""
    folder = tmp_path_factory.mktemp("demo")
    before = errors._language
    out = {}
    try:
        for kind, args in {
            "academic": ["--lang", "zh", "demo"],
            "official": ["--lang", "zh", "demo", "--official"],
            "english": ["--lang", "en", "demo"],
        }.items():
            res = CliRunner().invoke(cli, [*args, "-o", str(folder / f"{kind}.xlsx")])
            assert res.exit_code == 0, res.output
            out[kind] = folder / f"{kind}.xlsx"
    finally:
        errors._language = before
    return out


def ranked(result: Any) -> pd.DataFrame:
    """The result's ranked units in rank order (the ranking sheet's order)."""
    table = result.table.sort_values(["rank", "score"], ascending=[True, False])
    return table[table["rank"].notna()]


def by_title(found: list[Chart]) -> dict[str, Chart]:
    return {c.title: c for c in found}


def headers(book: Any, row: int = 1) -> dict[str, str]:
    """Column letter -> header of the ranking sheet."""
    return {c.column_letter: c.value for c in book.worksheets[0][row]}


# --- the sheet and its charts ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_charts_sheet_follows_the_ranking_with_three_bar_charts(
    demo: dict[str, Path], kind: str
) -> None:
    book = load_workbook(demo[kind])
    assert book.sheetnames[:2] == ["综合排名", "图表"]
    found = charts(demo[kind])
    assert all(not found[s] for s in book.sheetnames if s != "图表")  # charts there only
    shapes = {c.title: (c.kind, c.direction) for c in found["图表"]}
    ranking = "总分排名" if kind == "official" else "综合排名"
    dimensions = "所选单位各维度得分（分）" if kind == "official" else "所选单位各维度得分"
    assert shapes == {
        ranking: ("barChart", "bar"),  # horizontal
        "各方阵单位数": ("barChart", "col"),
        dimensions: ("barChart", "col"),
    }
    for chart in found["图表"]:  # each bar's value and nothing else beside it
        assert chart.label_flags["showVal"] == "1"
        assert chart.label_flags["showSerName"] == chart.label_flags["showCatName"] == "0"
        refs = [r for s in chart.series for r in (s.title, s.categories, s.values) if r]
        assert {parse(r)[0] for r in refs} == {"图表"}  # all of it on the charts sheet


@pytest.mark.parametrize("kind", KINDS)
def test_the_ranking_bars_are_the_ranking_sheets_scores_in_rank_order_by_tier(
    demo: dict[str, Path], kind: str
) -> None:
    result = computed(kind)
    book = load_workbook(demo[kind])
    chart = next(c for c in charts(demo[kind])["图表"] if c.direction == "bar")
    table = ranked(result)
    n = len(table)
    assert n == 102
    # the ranking sheet, as pandas reads it: its ranked rows in order
    sheet = pd.read_excel(demo[kind], sheet_name=0)
    sheet = sheet[sheet["排名"].notna()]
    assert list(sheet["代码"].astype(str)) == list(table.index)
    # one series per tier: the same categories, the names in rank order
    assert {s.categories for s in chart.series} == {chart.series[0].categories}
    names = cells(book, chart.series[0].categories)
    assert names == list(table["name"]) == list(sheet["名称"])
    columns = [cells(book, s.values) for s in chart.series]
    titles = [cells(book, s.title)[0] for s in chart.series]
    tiers = [t if isinstance(t, str) else NO_TIER for t in table["tier"]]
    present = [t.name for t in result.methodology.tiers if t.name in tiers]
    assert titles == present + ([NO_TIER] if NO_TIER in tiers else [])  # best first
    scores = sheet["总分" if kind == "official" else "综合得分"]
    assert list(scores) == pytest.approx(list(table["score"]), rel=1e-12)
    for i, (tier, score) in enumerate(zip(tiers, scores, strict=True)):
        given = [(t, col[i]) for t, col in zip(titles, columns, strict=True) if col[i] is not None]
        assert given == [(tier, pytest.approx(score, rel=1e-12))], names[i]  # in its tier's
    colours = [s.colour for s in chart.series]
    assert len(set(colours)) == len(colours)
    assert (NO_TIER_COLOUR in colours) == (NO_TIER in tiers)
    # best at the top, every tier in the same place, every name, legible at 102 units
    assert chart.category_order == "maxMin"
    assert chart.overlap == 100
    assert chart.legend
    assert chart.height >= 0.5 * n
    assert chart.axis_titles[0] == "单位（按排名）"


@pytest.mark.parametrize("kind", KINDS)
def test_the_tier_counts_are_the_result_tables_in_the_methodologys_order(
    demo: dict[str, Path], kind: str
) -> None:
    result = computed(kind)
    book = load_workbook(demo[kind])
    found = by_title(charts(demo[kind])["图表"])
    chart = found["各方阵单位数"]
    (series,) = chart.series
    counts = ranked(result)["tier"].fillna(NO_TIER).value_counts()
    order = [t.name for t in result.methodology.tiers]
    if NO_TIER in counts:
        order.append(NO_TIER)
    assert cells(book, series.categories) == order
    assert cells(book, series.values) == [counts.get(t, 0) for t in order]
    assert sum(cells(book, series.values)) == 102
    if kind == "official":
        assert counts[NO_TIER] == ranked(result)["veto"].notna().sum() > 0  # the vetoed
    # each tier in its colour in the ranking bars
    bars = next(c for c in charts(demo[kind])["图表"] if c.direction == "bar")
    colour = {cells(book, s.title)[0]: s.colour for s in bars.series}
    assert {order[i]: c for i, c in series.points.items() if order[i] in colour} == colour


@pytest.mark.parametrize("kind", KINDS)
def test_the_dimension_chart_is_the_unit_chosen_in_the_drop_down_by_formulas(
    demo: dict[str, Path], kind: str
) -> None:
    result = computed(kind)
    table = ranked(result)
    book = load_workbook(demo[kind])
    ws = book["图表"]
    head = headers(book)
    # the drop-down list: every ranked unit, in B1; the first ranked chosen at first
    (listed,) = ws.data_validations.dataValidation
    assert listed.type == "list"
    assert str(listed.sqref) == "B1"
    assert not listed.formula1.startswith("=")
    assert cells(book, f"'图表'!{listed.formula1}") == list(table["name"])
    assert ws["B1"].value == table["name"].iloc[0]
    # the chart: the chosen unit's and the average's columns, the top-level dimensions
    chart = next(c for c in charts(demo[kind])["图表"] if c.title.startswith("所选单位"))
    chosen, average = chart.series
    dimensions = result.methodology.dimensions
    assert cells(book, chosen.categories) == [d.name for d in dimensions]
    assert chosen.title == "'图表'!$B$1"  # the legend names the unit chosen
    assert cells(book, average.title) == ["参评单位平均"]
    formulas = cells(book, chosen.values)
    means = cells(book, average.values)
    span = r"'综合排名'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)"  # column, first and last row
    for dim, formula, mean in zip(dimensions, formulas, means, strict=True):
        m = re.fullmatch(rf"=INDEX\({span},MATCH\(\$B\$2,{span},0\)\)", formula)
        assert m, formula
        assert head[m[1]] == dim.name  # the dimension's column
        assert head[m[4]] == "代码"  # matched by code
        assert (m[2], m[3], m[5], m[6]) == ("2", "103", "2", "103")  # every row of the table
        a = re.fullmatch(rf'=AVERAGEIFS\({span},{span},">0"\)', mean)
        assert a, mean
        assert (head[a[1]], head[a[4]]) == (dim.name, "排名")  # over the units with a rank
        assert evaluate(book, "图表", mean) == pytest.approx(table[dim.id].mean(), rel=1e-12)
    # choosing another unit: its own scores (the last ranked; official: a vetoed one too)
    others = [table.index[0], table.index[-1]]
    if kind == "official":
        others.append(table.index[table["veto"].notna()][0])
    for code in others:
        name = table.loc[code, "name"]
        assert evaluate(book, "图表", ws["B2"].value, chosen=name) == code
        got = [evaluate(book, "图表", f, chosen=name) for f in formulas]
        assert got == pytest.approx([table.loc[code, d.id] for d in dimensions], rel=1e-12)


def test_in_english_the_sheet_titles_and_axes_are_english(demo: dict[str, Path]) -> None:
    book = load_workbook(demo["english"])
    assert book.sheetnames[:2] == ["Ranking", "Charts"]
    found = by_title(charts(demo["english"])["Charts"])
    assert set(found) == {"Ranking", "Units per tier", "The chosen unit's dimension scores"}
    assert found["Ranking"].axis_titles == ("Unit (by rank)", "Score")
    assert found["Units per tier"].axis_titles == ("Tier", "Units")
    dims = found["The chosen unit's dimension scores"]
    assert cells(book, dims.series[0].categories)[0] == "Economic strength"
    assert cells(book, dims.series[1].title) == ["Average"]
    assert book["Charts"]["A1"].value == "Choose a unit"


# --- other results -----------------------------------------------------------------------------


def test_without_tiers_the_bars_are_one_series_and_there_is_no_tier_chart(
    tmp_path: Path, chinese: None
) -> None:
    result = computed("academic", "id: notiers\nname: 无方阵\nbase: county_hqd\ntiers: []\n")
    result.to_excel(tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    found = charts(tmp_path / "r.xlsx")["图表"]
    assert sorted(c.title for c in found) == ["所选单位各维度得分", "综合排名"]
    bars = by_title(found)["综合排名"]
    (series,) = bars.series
    assert not bars.legend
    assert cells(book, series.values) == pytest.approx(list(ranked(result)["score"]), rel=1e-12)


def test_two_ranked_units_of_one_name_are_told_apart_by_their_codes(
    tmp_path: Path, chinese: None
) -> None:
    result = computed("academic")
    first, second = ranked(result).index[:2]
    table = result.table.copy()
    table.loc[second, "name"] = table.loc[first, "name"]  # 新华区 in two cities, say
    twice = replace(result, table=table)
    twice.to_excel(tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    ws = book["图表"]
    (listed,) = ws.data_validations.dataValidation
    labels = cells(book, f"'图表'!{listed.formula1}")
    name = table.loc[first, "name"]
    assert labels[:2] == [f"{name}（{first}）", f"{name}（{second}）"]
    assert len(set(labels)) == len(labels) == 102
    formulas = [ws.cell(r, 2).value for r in range(5, 11)]
    for label, code in zip(labels[:2], (first, second), strict=True):
        assert evaluate(book, "图表", ws["B2"].value, chosen=label) == code
        got = [evaluate(book, "图表", f, chosen=label) for f in formulas]
        assert got == pytest.approx([table.loc[code, d.id] for d in result.methodology.dimensions])


def test_charts_made_again_read_the_table_where_it_has_moved(tmp_path: Path, chinese: None) -> None:
    """As the platform's export does: rows inserted above the ranking table, columns after
    its rank; add_charts again replaces the sheet, its formulas on the moved table."""
    result = computed("official")
    result.to_excel(tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    sheet.insert_rows(1, 3)
    with pytest.raises(ValueError, match=r"第 1 行没有列 .*header_row"):
        add_charts(book, result)
    sheet.insert_cols(2, 2)
    add_charts(book, result, header_row=4)
    assert [s.title for s in book.worksheets].count("图表") == 1
    assert book.sheetnames[1] == "图表"
    book.save(tmp_path / "moved.xlsx")
    book = load_workbook(tmp_path / "moved.xlsx")
    ws = book["图表"]
    head = headers(book, row=4)
    formula = ws["B5"].value
    assert re.search(r"'综合排名'!\$([A-Z]+)\$5:\$\1\$106", formula)
    assert head[re.search(r"INDEX\('综合排名'!\$([A-Z]+)", formula)[1]] == "经济实力"
    table = ranked(result)
    for code in (table.index[0], table.index[50]):
        got = evaluate(book, "图表", formula, chosen=table.loc[code, "name"])
        assert got == pytest.approx(table.loc[code, "economy"], rel=1e-12)
    assert len(charts(tmp_path / "moved.xlsx")["图表"]) == 3
