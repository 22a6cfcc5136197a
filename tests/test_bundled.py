"""The files kaoping ships: default methodologies, Henan's units, the demo data, Jiaozuo's figures.

References: the counts of Henan's county-level units (82 县, 21 县级市, 54 市辖区; 102 县 and
县级市 in the provincial ranking) and the division changes are those of the issue and of
docs/research/domain.md section 8; the Jiaozuo figures are checked against the sentence of the
press-conference transcript stored beside each value.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import kaoping as kp
from kaoping.data import bundled
from kaoping.methodology import bundled as bundled_methodologies
from kaoping.methodology import check

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def methodology() -> kp.Methodology:
    return kp.load_methodology("county_hqd")


@pytest.fixture(scope="module")
def units() -> kp.Units:
    return bundled.henan_units()


# --- methodologies --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["county_hqd", "county_hqd_entropy_topsis"])
def test_bundled_methodology_has_no_problem(name: str) -> None:
    assert name in bundled_methodologies()
    assert check(name) == []


def test_default_methodology_is_complete(methodology: kp.Methodology) -> None:
    assert [d.name for d in methodology.dimensions] == [
        "经济实力",
        "创新发展",
        "协调发展",
        "绿色发展",
        "开放发展",
        "共享发展",
    ]
    assert 30 <= len(methodology.indicators) <= 40
    for ind in methodology.indicators:
        for field in ("name_en", "unit", "definition", "caliber", "frequency", "owner"):
            assert getattr(ind, field), f"{ind.id} has no {field}"
    kinds = {i.direction for i in methodology.indicators}
    assert kinds == {"positive", "negative", "moderate", "constraint"}
    assert all(i.optimum is not None for i in methodology.indicators if i.direction == "moderate")
    assert methodology.tiers[0].name == "第一方阵"
    assert methodology.tiers[0].max_rank == 30


def test_default_methodology_has_what_a_county_press_release_quotes(
    methodology: kp.Methodology,
) -> None:
    # the list, as (id, direction)
    required = {
        "gdp": "positive",
        "gdp_growth": "positive",
        "industry_va_growth": "positive",
        "tertiary_va_growth": "positive",
        "fai_growth": "positive",
        "budget_revenue": "positive",
        "tax_share": "positive",
        "urban_income": "positive",
        "rural_income": "positive",
        "income_ratio": "negative",
        "rd_intensity": "positive",
        "invention_patents": "positive",
        "hightech_va_share": "positive",
        "energy_intensity_reduction": "positive",
        "pm25": "negative",
        "good_air_days": "positive",
        "trade": "positive",
        "fdi": "positive",
        "signed_projects": "positive",
        "approval_days": "negative",
        "water_supply": "positive",
        "gas_coverage": "positive",
        "rural_power_reliability": "positive",
        "relapse_monitoring_share": "negative",
        "physicians": "positive",
    }
    got = {i.id: i.direction for i in methodology.indicators}
    assert {k: got.get(k) for k in required} == required


def test_entropy_topsis_variant_shares_the_indicators(methodology: kp.Methodology) -> None:
    variant = kp.load_methodology("county_hqd_entropy_topsis")
    assert [i.id for i in variant.indicators] == [i.id for i in methodology.indicators]
    assert variant.weighting.method == "entropy"
    assert variant.aggregation.method == "topsis"
    assert variant.id != methodology.id


# --- units ----------------------------------------------------------------------------------


def test_henan_counts_and_codes(units: kp.Units) -> None:
    frame = units.frame
    current = frame[frame["valid_to"].isna()]
    assert (current["kind"] == "县").sum() == 82
    assert (current["kind"] == "县级市").sum() == 21  # 20 + 济源 419001
    assert (current["kind"] == "市辖区").sum() == 54
    assert all(re.fullmatch(r"41\d{4}", code) for code in frame.index)
    assert len(bundled.ranked_counties(units)) == 102
    assert "419001" not in bundled.ranked_counties(units)


def test_jiaozuo_and_its_functional_zone(units: kp.Units) -> None:
    for code in bundled.JIAOZUO:
        assert units.frame.loc[code, "parent"] == "焦作市"
    assert units.name("410871") == "焦作城乡一体化示范区"
    assert units.frame.loc["410871", "kind"] == "功能区"


@pytest.mark.parametrize(
    ("old", "last_year", "new", "first_year"),
    [
        ("410728", 2018, "410783", 2019),  # 长垣县 -> 长垣市
        ("410381", 2020, "410307", 2021),  # 偃师市 -> 偃师区
        ("410322", 2020, "410308", 2021),  # 孟津县 -> 孟津区
        ("410306", 2020, "410308", 2021),  # 吉利区 -> 孟津区
    ],
)
def test_changed_divisions_keep_years_and_successors(
    units: kp.Units, old: str, last_year: int, new: str, first_year: int
) -> None:
    frame = units.frame
    assert frame.loc[old, "valid_to"] == last_year
    assert new in str(frame.loc[old, "successor"]).split()
    assert frame.loc[new, "valid_from"] == first_year
    assert units.is_valid(old, str(last_year))
    assert not units.is_valid(old, str(last_year + 1))
    assert units.is_valid(new, str(first_year))


def test_every_successor_is_a_unit_and_categories_say_illustrative(units: kp.Units) -> None:
    frame = units.frame
    for value in frame["successor"].dropna():
        for code in str(value).split():
            assert code in units
    with_category = frame[frame["category"].notna()]
    assert set(with_category["category"]) == {"重点生态功能区", "非重点生态功能区"}
    assert with_category["note"].str.contains("illustrative").all()


def test_every_unit_has_an_english_name_by_its_kind(units: kp.Units) -> None:
    """Pinyin as one word and the kind in English (make_henan_units.py): 县 County, 县级市
    City, 市辖区 District; the readings corrected by hand are the places' own (长垣 Cháng-
    yuán, 浚县 Xùn, 南乐 Nánlè, 召陵 Shàolíng), and the apostrophe parts 博爱 Bó'ài."""
    names = bundled.henan_names_en()
    assert set(names) == set(units.frame.index)
    endings = {"县": "County", "县级市": "City", "市辖区": "District", "功能区": "Zone"}
    for code, kind in units.frame["kind"].items():
        assert re.fullmatch(r"[A-Z][a-z']+( [A-Z][A-Za-z-]+)*", names[code]), names[code]
        assert names[code].endswith(endings[kind]), (code, names[code])
    expected = {"410783": "Changyuan City", "410621": "Xun County", "410923": "Nanle County",
                "411104": "Shaoling District", "410822": "Bo'ai County",
                "410104": "Guancheng Hui District", "410821": "Xiuwu County"}  # fmt: skip
    assert {code: names[code] for code in expected} == expected


# --- demo data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(methodology: kp.Methodology, units: kp.Units) -> kp.Panel:
    return bundled.demo_panel(methodology.name_to_id(), units)


def test_demo_data_covers_the_ranked_counties_for_five_years(
    demo: kp.Panel, methodology: kp.Methodology, units: kp.Units
) -> None:
    assert demo.periods == ("2020", "2021", "2022", "2023", "2024")
    assert set(demo.units) == set(bundled.ranked_counties(units))
    assert set(demo.indicators) == {i.id for i in methodology.indicators}
    pairs = zip(demo.frame["unit"], demo.frame["period"], strict=True)
    assert all(units.is_valid(u, p) for u, p in pairs)
    n_missing = int(demo.frame["value"].isna().sum())
    assert 0 < n_missing < 0.01 * len(demo.frame)  # a few missing cells


def test_demo_file_says_it_is_synthetic() -> None:
    text = bundled.path("demo/henan_county_demo.csv").read_text(encoding="utf-8-sig")
    first, last = text.splitlines()[0], text.splitlines()[-1]
    assert "合成数据" in first
    assert "SYNTHETIC" in first
    assert "不是" in last
    assert "真实" in last


@pytest.mark.parametrize(
    ("name", "renderer"),
    [
        ("demo/henan_county_demo.csv", "render"),
        ("demo/henan_targets.csv", "render_targets"),
        ("demo/henan_events.csv", "render_events"),
    ],
)
def test_demo_files_are_what_the_seeded_generator_writes(name: str, renderer: str) -> None:
    generator = _script("make_demo_data")
    bundled_text = bundled.path(name).read_text(encoding="utf-8-sig")
    assert getattr(generator, renderer)() == bundled_text
    first = bundled_text.splitlines()[0]
    assert "合成" in first
    assert "SYNTHETIC" in first


def test_official_example_runs_on_the_demo_files(demo: kp.Panel, units: kp.Units) -> None:
    from kaoping.data.events import read_events

    m = kp.load_methodology("county_hqd_official")
    assert m.official is not None
    assert m.official.targets is not None
    targets = kp.read_panel(
        Path(m.official.folder or ".") / m.official.targets, indicators=m.name_to_id()
    )
    events = read_events(bundled.path("demo/henan_events.csv"))
    panel = bundled.demo_panel(m.name_to_id(), units)
    result = kp.assess(m, panel, "2024", units=units, targets=targets, events=events)
    table = result.table
    assert len(table) == 102
    assert table["score"].notna().all()
    # every point is explained: the total is the indicator points plus bonus minus penalty
    np.testing.assert_allclose(
        table["score"], result.points.sum(axis=1) + table["bonus"] - table["penalty"]
    )
    assert (table["bonus"] <= 2.0).all()  # unit_caps.bonus
    assert table["veto"].notna().any()
    assert "410883" in result.explain("410883")


def test_demo_data_behaves_like_county_data(demo: kp.Panel) -> None:
    wide = demo.frame[demo.frame["period"] == "2024"].pivot(
        index="unit", columns="indicator", values="value"
    )
    # right-skewed amounts, income levels correlated with GDP per capita
    for ident in ("budget_revenue", "trade", "fdi"):
        col = wide[ident].dropna()
        assert col.mean() > col.median()
    pair = wide[["gdp_per_capita", "urban_income"]].dropna()
    assert np.corrcoef(pair["gdp_per_capita"], pair["urban_income"])[0, 1] > 0.3
    # GDP is GDP per capita times a population of 10-300 万人 (亿元 = 元/人 x 万人 / 1e4)
    population = wide["gdp"] / wide["gdp_per_capita"] * 1e4
    assert population.dropna().between(10, 300).all()


def test_demo_assessment_treats_the_planted_outlier_and_places_jiaozuo(
    demo: kp.Panel, methodology: kp.Methodology, units: kp.Units
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = kp.assess(methodology, demo, "2024", units=units)
    assert len(result.table) == 102
    assert result.table["rank"].min() == 1
    assert result.table["tier"].value_counts()["第一方阵"] == 30
    fdi = [i.id for i in methodology.scored_indicators].index("fdi")
    assert result.treatment.columns[fdi].action != "none"
    # the press conference: all six Jiaozuo counties in the 第一方阵 (top 30)
    assert (result.table.loc[list(bundled.JIAOZUO), "tier"] == "第一方阵").all()


# --- the real figures -----------------------------------------------------------------------


def test_jiaozuo_figures_match_their_quoted_sentences(methodology: kp.Methodology) -> None:
    panel = bundled.jiaozuo_press(methodology.name_to_id())
    assert set(panel.indicators) <= {i.id for i in methodology.indicators}
    import csv

    path = bundled.path("demo/jiaozuo_2020_press.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if len(r) == 6][1:]
    assert len(rows) == len(panel.frame) == 13
    for code, _name, indicator, _year, value, quote in rows:
        assert re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", quote), (indicator, quote)
        got = panel.frame[(panel.frame["unit"] == code) & (panel.frame["indicator"] == indicator)]
        assert got["value"].tolist() == [float(value)]
    mengzhou = panel.frame[panel.frame["unit"] == "410883"].set_index("indicator")["value"]
    assert mengzhou["gdp_growth"] == 8.2
    assert mengzhou["budget_revenue"] == 15.9


@pytest.mark.parametrize("module", ["kaoping.data.bundled", "kaoping.methodology.template"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
