"""Every sentence of the demo's briefings (2020–2024; academic and official; Jiaozuo 4108 and
the province) states facts equal to the result table."""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Any

import pandas as pd
import pytest

from kaoping.assess import assess
from kaoping.data.bundled import JIAOZUO, demo_panel, henan_units, path
from kaoping.errors import KaopingWarning
from kaoping.methodology import load
from kaoping.report import Briefing, Fact, briefing
from kaoping.report.briefing import AnyResult, Lang

PERIODS = ["2020", "2021", "2022", "2023", "2024"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]")


@cache
def academic(period: str) -> AnyResult:
    m = load("county_hqd")
    units = henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return assess(m, demo_panel(m.name_to_id(), units), period, units=units)


@cache
def official(period: str) -> AnyResult:
    """As ``kaoping demo --official -p PERIOD`` computes it (ranks against the year before)."""
    from kaoping.cli import _official_inputs, _previous_ranks
    from kaoping.data.events import read_events

    m = load("county_hqd_official")
    units = henan_units()
    panel = demo_panel(m.name_to_id(), units)
    extra: dict[str, Any] = _official_inputs(m, None, None, None, None, panel, period, units)
    extra["events"] = read_events(path("demo/henan_events.csv"))
    earlier = [p for p in panel.periods if p < period]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        if earlier:
            extra["previous"] = _previous_ranks(earlier[-1], m, panel, units, extra)
        return assess(m, panel, period, units=units, **extra)


def previous_of(period: str, kind: str) -> AnyResult | None:
    earlier = [p for p in PERIODS if p < period]
    if not earlier or kind != "academic":
        return None  # the official result carries its own rank_change
    return academic(earlier[-1])


def dimension_rank(table: pd.DataFrame, unit: str, dimension: str) -> int:
    ranked = table[table["rank"].notna()]
    return int(pd.to_numeric(ranked[dimension]).rank(ascending=False, method="min")[unit])


def check(fact: Fact, result: AnyResult, previous: AnyResult | None, scope: pd.DataFrame) -> None:
    """``fact`` says what the table says."""
    table = result.table
    if fact.unit is not None:
        assert fact.unit in scope.index, fact
        assert fact.name == table.loc[fact.unit, "name"]
        row = table.loc[fact.unit]
    if fact.kind == "tier_count":
        has = scope["tier"].isna() if fact.tier is None else scope["tier"] == fact.tier
        assert fact.value == has.sum()
    elif fact.kind == "tier":
        assert fact.tier == (row["tier"] if isinstance(row["tier"], str) else None)
        assert fact.rank == row["rank"]
    elif fact.kind == "rank":
        assert fact.rank == row["rank"]
        assert fact.value == pytest.approx(row["score"], rel=1e-12)
    elif fact.kind == "category_rank":
        assert fact.category == row["category"]
        assert fact.rank == row["category_rank"]
        assert fact.value == pytest.approx(row["score"], rel=1e-12)
    elif fact.kind == "rank_change":
        assert previous is not None
        change = previous.table["rank"].reindex(scope.index) - scope["rank"]
        assert fact.value == previous.table.loc[fact.unit, "rank"] - row["rank"]
        assert fact.value in (change.max(), change.min())
        assert fact.rank == row["rank"]
    elif fact.kind == "category_rank_change":
        change = pd.to_numeric(scope["rank_change"])
        assert fact.value == row["rank_change"]
        assert fact.value in (change.max(), change.min())
        assert fact.category == row["category"]
        assert fact.rank == row["category_rank"]
    elif fact.kind == "award":
        assert fact.award in str(row["awards"]).split("、")
        assert fact.rank == row["rank"]
    elif fact.kind == "dimension_rank":
        assert fact.dimension is not None
        assert fact.rank == dimension_rank(table, str(fact.unit), fact.dimension)
        assert fact.value == pytest.approx(row[fact.dimension], rel=1e-12)
    else:  # pragma: no cover
        raise AssertionError(f"unknown fact {fact}")


def check_briefing(b: Briefing, result: AnyResult, previous: AnyResult | None) -> None:
    table = result.table
    scope = table[table["rank"].notna()]
    if b.city is not None:
        scope = scope[[str(c).startswith(b.city) for c in scope.index]]
    for sentence in b.sentences:
        for fact in sentence.facts:
            check(fact, result, previous, scope)
            if fact.name is not None and sentence.key != "city.tier.all":  # "全部": not named
                assert fact.name in sentence.text
            if fact.kind == "tier_count":
                assert str(int(fact.value or 0)) in sentence.text
            if fact.kind in ("rank", "category_rank", "dimension_rank") and b.city is not None:
                assert str(fact.rank) in sentence.text
            if fact.kind.endswith("rank_change"):
                assert str(abs(int(fact.value or 0))) in sentence.text
    # every unit of a tier sentence is listed, and none more
    for sentence in b.sentences:
        counts = [f for f in sentence.facts if f.kind == "tier_count"]
        for count in counts:
            units = {f.unit for f in sentence.facts if f.kind == "tier"}
            has = scope["tier"].isna() if count.tier is None else scope["tier"] == count.tier
            assert units == set(scope.index[has])
    # every award's winners in scope are named, and none more
    if "awards" in scope.columns:
        for sentence in b.sentences:
            if sentence.key == "award":
                award = sentence.facts[0].award
                winners = {c for c, a in scope["awards"].items() if award in str(a).split("、")}
                assert {f.unit for f in sentence.facts} == winners


@pytest.mark.parametrize("kind", ["academic", "official"])
@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("city", ["4108", None])
def test_every_fact_equals_the_table(kind: str, period: str, city: str | None) -> None:
    result = academic(period) if kind == "academic" else official(period)
    previous = previous_of(period, kind)
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        b = briefing(result, city=city, city_name="焦作市", previous=previous, lang=lang)
        check_briefing(b, result, previous)
        assert b.sentences


@pytest.mark.parametrize("kind", ["academic", "official"])
@pytest.mark.parametrize("period", PERIODS)
def test_english_has_no_chinese_but_the_names_of_the_data(kind: str, period: str) -> None:
    # Units, categories and awards have only Chinese names in the demo data.
    result = academic(period) if kind == "academic" else official(period)
    names = [*result.table["name"], *result.table["category"].dropna().unique()]
    if "awards" in result.table.columns:
        names += [a for found in result.table["awards"].dropna() for a in found.split("、")]
    for city in ("4108", None):
        b = briefing(
            result, city=city, city_name="Jiaozuo", previous=previous_of(period, kind), lang="en"
        )
        text = b.text
        for name in sorted(set(names), key=len, reverse=True):
            text = text.replace(name, "")
        assert not CJK.search(text.replace("“", "").replace("”", "")), text


def test_the_jiaozuo_briefing_reads_like_the_source() -> None:
    b = briefing(academic("2024"), city="4108", city_name="焦作市", previous=academic("2023"))
    assert b.sentences[0].text == (
        "在2024年全省县域经济高质量发展综合评价中，焦作市6个县（市）全部进入“第一方阵”（前30位）。"
    )
    assert b.sentences[0].key == "city.tier.all"
    assert {f.unit for f in b.sentences[0].facts if f.unit} == set(JIAOZUO)


def test_the_official_briefing_names_the_awards_and_the_moves_within_the_category() -> None:
    b = briefing(official("2024"), city="4108", city_name="焦作市")
    keys = b.keys()
    assert "award" in keys
    assert {"city.rise.category", "city.fall.category"} & set(keys)
    p = briefing(official("2024"))
    awarded = [s for s in p.sentences if s.key == "award"]
    assert sum(len(s.facts) for s in awarded) == sum(
        len(a.split("、")) for a in official("2024").table["awards"].dropna()
    )
