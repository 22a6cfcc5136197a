"""The Methodology model: the bundled test fixtures, the tree API, identity and round trips."""

from __future__ import annotations

import doctest
import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

import pydantic
import pytest

from kaoping.methodology import (
    Dimension,
    Indicator,
    Methodology,
    Params,
    _source,
    _text,
    dumps,
    load,
    loader,
    loads,
    model,
    validate,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def two() -> Methodology:
    return load(FIXTURES / "county_2level.yaml")


@pytest.fixture(scope="module")
def three() -> Methodology:
    return load(FIXTURES / "county_3level_ahp.yaml")


def _parent(m: Methodology, ident: str) -> str | None:
    parent = m.parent_of(ident)
    return None if parent is None else parent.id


# -- the two-level fixture ---------------------------------------------------------------------


def test_two_level_fixture_header(two: Methodology) -> None:
    assert (two.id, two.version, two.document, two.year) == (
        "county_hq_2025",
        "2025",
        "示例政办〔2025〕12号",
        2025,
    )
    assert two.normalization.method == "minmax"
    assert two.normalization.range == (1.0, 100.0)
    assert two.weighting.method == "fixed"
    assert two.aggregation.method == "geometric"
    assert (two.missing.method, two.missing.min_share) == ("skip", 0.5)
    assert two.treat_outliers is True
    assert [(t.name, t.max_rank) for t in two.tiers] == [
        ("第一方阵", 3),
        ("第二方阵", 6),
        ("第三方阵", None),
    ]
    assert two.tier_kind == "rank"


def test_two_level_fixture_tree(two: Methodology) -> None:
    # Read off the fixture: 4 dimensions holding 3 + 2 + 3 + 3 indicators, one of them
    # (major_accidents) a constraint.
    assert [d.id for d in two.nodes()] == ["economy", "innovation", "green", "sharing"]
    assert all(d.is_leaf for d in two.nodes())
    assert len(two.indicators) == 11
    assert [i.id for i in two.indicators][:4] == [
        "gdp_per_capita",
        "gdp_growth",
        "revenue_per_capita",
        "rd_intensity",
    ]
    assert "major_accidents" in [i.id for i in two.indicators]
    assert "major_accidents" not in [i.id for i in two.scored_indicators]
    assert len(two.scored_indicators) == 10
    assert [d.weight for d in two.dimensions] == [30.0, 20.0, 20.0, 30.0]


def test_two_level_fixture_indicator_fields(two: Methodology) -> None:
    gdp = two.indicator("gdp_per_capita")
    assert (gdp.name, gdp.name_en, gdp.unit, gdp.weight, gdp.owner, gdp.caliber) == (
        "人均地区生产总值",
        "GDP per capita",
        "元",
        2.0,
        "统计局",
        "现价",
    )
    assert two.indicator("gdp_growth").direction == "positive"  # written 正向
    assert two.indicator("pm25").direction == "negative"  # written 逆向
    cpi = two.indicator("cpi_rise")
    assert (cpi.direction, cpi.optimum) == ("moderate", 3.0)
    assert two.indicator("major_accidents").is_scored is False


# -- the three-level fixture -------------------------------------------------------------------


def test_three_level_fixture_tree(three: Methodology) -> None:
    assert [d.id for d in three.nodes()] == [
        "innovation",
        "innovation_input",
        "innovation_output",
        "coordination",
        "urban_rural",
        "fiscal",
        "green",
        "energy",
        "air",
        "water",
    ]
    assert [d.is_leaf for d in three.dimensions] == [False, False, False]
    assert _parent(three, "rd_staff") == "innovation_input"
    assert _parent(three, "innovation_input") == "innovation"
    assert three.parent_of("innovation") is None
    groups = [(d.id, [i.id for i in inds]) for d, inds in three.leaf_groups()]
    assert groups == [
        ("innovation_input", ["rd_intensity", "rd_staff"]),
        ("innovation_output", ["patents"]),
        ("urban_rural", ["urbanization", "income_ratio"]),  # farmland is a constraint
        ("fiscal", ["fiscal_self_sufficiency", "debt_ratio"]),
        ("energy", ["energy_per_gdp"]),
        ("air", ["good_air_days"]),
        ("water", ["water_quality"]),
    ]


def test_three_level_fixture_methods(three: Methodology) -> None:
    assert three.weighting.uses_ahp
    assert three.weighting.strict
    assert three.weighting.ri == "saaty1980"
    assert three.normalization.method == "goalposts"
    assert three.normalization.uses_range
    assert three.tier_kind == "score"
    assert [t.min_score for t in three.tiers] == [85.0, 70.0, None]
    assert three.ahp == ((1.0, 2.0, 3.0), (0.5, 1.0, 2.0), (1 / 3, 0.5, 1.0))
    assert three.dimension("urban_rural").ahp == ((1.0, 3.0), (1 / 3, 1.0))
    fiscal = three.dimension("fiscal")
    assert three.aggregation_of(fiscal).method == "gra"
    assert three.aggregation_of(fiscal).params == {"rho": 0.5}
    assert three.aggregation_of(three.dimension("air")).method == "arithmetic"
    assert three.aggregation_of(None).method == "arithmetic"
    debt = three.indicator("debt_ratio")
    assert (debt.direction, debt.optimum, debt.lower, debt.upper) == ("moderate", 80.0, 0.0, 150.0)


# -- the tree API ------------------------------------------------------------------------------


def test_name_to_id_maps_every_label(two: Methodology) -> None:
    names = two.name_to_id()
    assert names["gdp_per_capita"] == "gdp_per_capita"
    assert names["人均地区生产总值"] == "gdp_per_capita"
    assert names["GDP per capita"] == "gdp_per_capita"
    assert names["人均GDP"] == "gdp_per_capita"  # alias
    assert names["研发投入强度"] == "rd_intensity"
    assert names["较大及以上生产安全事故"] == "major_accidents"  # constraint ones too
    # 11 ids + 11 names + 1 English name + 2 aliases
    assert len(names) == 25


def test_unknown_ids_raise_key_error_with_suggestion(two: Methodology) -> None:
    with pytest.raises(KeyError, match="rd_intensity"):
        two.indicator("rd_intensty")
    with pytest.raises(KeyError):
        two.dimension("nowhere")
    with pytest.raises(KeyError):
        two.parent_of("nowhere")


def test_nodes_are_depth_first_parents_before_children() -> None:
    m = loads(
        """
id: t
name: 测试
dimensions:
  - id: a
    name: A
    children:
      - id: a1
        name: A1
        children:
          - {id: a11, name: A11, indicators: [{id: x, name: X, direction: positive}]}
      - {id: a2, name: A2, indicators: [{id: y, name: Y, direction: positive}]}
  - {id: b, name: B, indicators: [{id: z, name: Z, direction: positive}]}
"""
    )
    assert [n.id for n in m.nodes()] == ["a", "a1", "a11", "a2", "b"]
    assert [i.id for i in m.indicators] == ["x", "y", "z"]
    assert _parent(m, "a11") == "a1"
    assert _parent(m, "x") == "a11"


def test_tier_kind_is_none_without_tiers() -> None:
    m = loads(
        "id: t\nname: T\n"
        "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"
    )
    assert m.tier_kind is None
    assert m.tiers == ()


def test_a_tier_keeps_its_english_name_through_a_dump() -> None:
    m = loads(
        "id: t\nname: T\n"
        "tiers: [{name: 第一方阵, name_en: First tier, max_rank: 1}, {name: 第二方阵}]\n"
        "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"
    )
    named = [(t.name, t.name_en) for t in m.tiers]
    assert named == [("第一方阵", "First tier"), ("第二方阵", None)]
    assert loads(dumps(m)).tiers == m.tiers
    assert "name_en" not in m.tiers[1].to_data()  # absent, not null, in the dump


def test_the_bundled_tiers_have_english_names() -> None:
    names = [(t.name, t.name_en) for t in load("county_hqd").tiers]
    assert names == [("第一方阵", "First tier"), ("第二方阵", "Second tier"),
                     ("第三方阵", "Third tier")]  # fmt: skip


def test_models_are_frozen_and_hashable(two: Methodology) -> None:
    with pytest.raises(pydantic.ValidationError):
        two.indicators[0].weight = 5.0
    with pytest.raises(TypeError):
        two.aggregation.params["x"] = 1  # type: ignore[index]
    assert isinstance(hash(two), int)
    assert len({two, load(FIXTURES / "county_2level.yaml")}) == 1


def test_a_methodology_survives_pickling(three: Methodology) -> None:
    # Worker processes of the uncertainty analysis receive the methodology pickled.
    again = pickle.loads(pickle.dumps(three))
    assert again == three
    assert again.fingerprint() == three.fingerprint()
    assert [i.id for i in again.indicators] == [i.id for i in three.indicators]
    assert _parent(again, "rd_staff") == "innovation_input"


def test_params_behave_like_a_read_only_dict() -> None:
    p = Params({"rho": 0.5})
    assert p == {"rho": 0.5}
    assert p.get("v", 0.3) == 0.3
    assert dict(p) == {"rho": 0.5}
    assert hash(p) == hash(Params({"rho": 0.5}))


# -- identity ----------------------------------------------------------------------------------

MINIMAL = """\
id: t
name: 测试
dimensions:
  - {id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}
"""


def test_fingerprint_is_sha256_of_the_canonical_dump() -> None:
    # The canonical content of MINIMAL, written out by hand: every field with its default,
    # every number as a float, keys sorted, compact separators, prefixed by the format tag.
    indicator: dict[str, Any] = {
        "id": "a", "name": "A", "direction": "positive", "name_en": None, "unit": None,
        "optimum": None, "weight": 1.0, "definition": None, "caliber": None,
        "frequency": None, "owner": None, "lower": None, "upper": None, "target": None,
        "aliases": [], "kind": None, "min": None, "max": None, "soft_min": None,
        "soft_max": None, "change": None,
    }  # fmt: skip
    dimension = {
        "id": "d", "name": "D", "name_en": None, "description": None, "weight": 1.0,
        "ahp": None, "aggregation": None, "children": [], "indicators": [indicator],
    }  # fmt: skip
    expected = {
        "id": "t", "name": "测试", "name_en": None, "version": None, "document": None,
        "year": None, "description": None,
        "normalization": {"method": "minmax", "range": [0.0, 100.0], "params": {}},
        "weighting": {
            "method": "fixed", "subjective": None, "objective": None, "alpha": 0.5,
            "mode": "additive", "ri": "saaty1980", "strict": False, "shift": 0.0,
        },
        "aggregation": {"method": "arithmetic", "params": {}},
        "missing": {"method": "error", "min_share": None},
        "treat_outliers": False, "tiers": [], "ahp": None, "dimensions": [dimension],
        "plausibility": {
            "change": {"ratio": 3.0, "relative": None, "absolute": None}, "checks": [],
        },
    }  # fmt: skip
    text = json.dumps(expected, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(("kaoping.methodology/1\n" + text).encode("utf-8")).hexdigest()
    assert loads(MINIMAL).fingerprint() == digest


def test_fingerprint_ignores_spelling_that_does_not_change_meaning() -> None:
    same = """\
# a comment
name: 测试
id: t
normalization: minmax
weighting: {method: fixed}
dimensions:
  - id: d
    name: D
    weight: 1.0
    indicators:
      - id: a
        name: A
        direction: 正向
        weight: 1
"""
    assert loads(same).fingerprint() == loads(MINIMAL).fingerprint()
    assert loads(same) == loads(MINIMAL)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("direction: positive", "direction: negative"),
        ("name: A,", "name: B,"),
        ("name: 测试", "name: 测验"),
        ("direction: positive}", "direction: positive, weight: 2}"),
        ("direction: positive}", "direction: positive, unit: 元}"),
    ],
)
def test_fingerprint_changes_with_any_field(old: str, new: str) -> None:
    changed = MINIMAL.replace(old, new)
    assert changed != MINIMAL
    assert loads(changed).fingerprint() != loads(MINIMAL).fingerprint()


def test_fingerprint_is_stable_across_loads(three: Methodology) -> None:
    assert load(FIXTURES / "county_3level_ahp.yaml").fingerprint() == three.fingerprint()
    assert len(three.fingerprint()) == 64


@pytest.mark.parametrize("name", ["county_2level.yaml", "county_3level_ahp.yaml"])
def test_dump_then_load_gives_an_equal_methodology(name: str) -> None:
    m = load(FIXTURES / name)
    again = loads(dumps(m), "dumped.yaml")
    assert again == m
    assert again.fingerprint() == m.fingerprint()


# -- models built in Python --------------------------------------------------------------------


def test_validate_checks_a_model_built_in_python() -> None:
    a = Indicator(id="a", name="A", direction="positive")
    m = Methodology(
        id="t",
        name="测试",
        dimensions=(
            Dimension(id="d", name="D", indicators=(a,)),
            Dimension(
                id="e", name="E", indicators=(Indicator(id="a", name="B", direction="逆向"),)
            ),
        ),
    )
    [p] = validate(m)
    assert p.code == "methodology.duplicate_id"
    assert p.where == "dimensions[1].indicators[0].id"
    assert validate(load(FIXTURES / "county_3level_ahp.yaml")) == []


def test_field_rules_apply_to_models_built_in_python() -> None:
    with pytest.raises(pydantic.ValidationError, match=r"kp_negative|must be >= 0"):
        Indicator(id="a", name="A", direction="positive", weight=-1)


# -- documentation examples --------------------------------------------------------------------


@pytest.mark.parametrize("module", [model, loader, _source, _text])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
