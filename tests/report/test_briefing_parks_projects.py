"""The parks' and the key projects' sentences, against their tables.

The demo's park league of 2024 puts three of 焦作's parks in the province's top 20, as our
source says of 焦作 ("3家产业集聚区进入全省前二十"); the projects' sentence sums the city's rows
of the dispatch's county table, computed here again by pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from kaoping.assess.parks import league
from kaoping.dispatch.demo import synthetic
from kaoping.dispatch.progress import county_progress, progress
from kaoping.report.briefing import parks_briefing, projects_briefing


def test_three_of_jiaozuos_parks_are_in_the_top_twenty_as_the_source_says() -> None:
    table = league(2024)
    top, best = parks_briefing(table, city="4108", city_name="焦作市")
    mine = table[table["county_code"].str.startswith("4108")]
    in_top = mine[mine["rank"] <= 20].sort_values("rank")
    assert top.facts[0].value == len(in_top) == 3
    assert [f.name for f in top.facts[1:]] == list(in_top["name"])
    assert top.text.startswith("焦作市有3家产业集聚区进入全省前20位")
    first = mine.sort_values("rank").iloc[0]
    assert best.facts[0].rank == first["rank"]
    assert best.text == f"{first['name']}居全省第{first['rank']}位，为焦作市产业集聚区中最高。"


def test_a_city_without_parks_in_the_table_says_nothing() -> None:
    assert parks_briefing(league(2024), city="9999") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_projects_sentence_sums_the_citys_counties(lang: str) -> None:
    registry, reports = synthetic()
    counties = county_progress(progress(registry, reports, "2026-11"))
    (sentence,) = projects_briefing(
        counties,
        month="2026年11月",
        city="4108",
        city_name="焦作市",
        lang=lang,  # type: ignore[arg-type]
    )
    facts = {f.name: f.value for f in sentence.facts}
    mine = counties.loc[counties.index.str.startswith("4108")]
    assert facts["projects"] == mine["projects"].sum() == len(registry)
    assert facts["ytd"] == pytest.approx(mine["ytd"].sum())
    assert facts["completion_pct"] == pytest.approx(
        100 * mine["ytd"].sum() / mine["annual_plan"].sum()
    )
    assert facts["started"] == mine["started"].sum()
    ytd = mine["ytd"].sum()
    said = f"{ytd / 1e4:.1f}亿元" if lang == "zh" else f"{ytd / 1e5:.2f} billion yuan"
    assert said in sentence.text


def test_no_projects_no_sentence() -> None:
    empty = pd.DataFrame(columns=["projects", "ytd", "annual_plan", "started"])
    assert projects_briefing(empty, month="2026-11", city="4108") == []
