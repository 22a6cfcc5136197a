"""The bundled park methodology park_hqd and the ``stars:`` block of a methodology."""

from __future__ import annotations

import pytest

from kaoping.errors import InputError
from kaoping.methodology import load, loads
from kaoping.methodology.loader import check_text, dumps

NAMED = {  # domain.md 5.1: the indicators named in the press
    "主导产业投资增速",
    "实际利用省外资金",
    "主导产业增加值增速",
    "亩均税收",
    "战略性新兴产业增加值增速",
    "万元工业增加值能耗降低率",
}


def test_park_hqd_has_four_dimensions_and_fifteen_indicators() -> None:
    m = load("park_hqd")
    assert [d.name for d in m.dimensions] == ["产业升级", "创新驱动", "集约节约", "绿色发展"]
    assert len(m.indicators) == 15
    assert len(m.scored_indicators) == 15
    assert {i.name for i in m.indicators} >= NAMED
    for ind in m.indicators:
        assert ind.direction in ("positive", "negative"), ind.id
        assert ind.unit, ind.id
        assert ind.name_en, ind.id
    assert sum(d.weight for d in m.dimensions) == pytest.approx(100.0)
    assert all(i.weight > 0 for i in m.indicators)


def test_park_hqd_says_its_weights_are_illustrative() -> None:
    from kaoping.methodology.loader import bundled

    text = bundled()["park_hqd"].read_text(encoding="utf-8")
    assert "illustrative" in text.lower()
    assert "不是河南省的权重" in text


def test_the_stars_block_parses() -> None:
    stars = load("park_hqd").stars
    assert stars is not None
    assert [level.star for level in stars.levels] == [1, 2, 3, 4, 5]
    scores = [level.min_score for level in stars.levels]
    assert scores == sorted(scores)
    assert stars.gate < scores[0]
    assert stars.max_step_up == 1
    assert stars.levels[4].name == "五星级"
    assert dict(stars.levels[4].minima) == {"tax_per_mu": 35}
    # the block survives a dump and a reload
    m = load("park_hqd")
    assert loads(dumps(m)).stars == stars


BASE = """
id: p
name: 园区
dimensions:
  - id: d
    name: 维度
    indicators:
      - {id: tax_per_mu, name: 亩均税收, direction: positive}
      - {id: energy, name: 能耗, direction: negative}
"""


def problems(stars: str) -> list[tuple[str, str | None, str, str]]:
    return [(p.code, p.where, p.zh, p.en) for p in check_text(BASE + stars, "p.yaml")]


def test_a_methodology_without_stars_has_none() -> None:
    assert loads(BASE).stars is None


def test_levels_must_be_one_to_n_with_rising_scores() -> None:
    found = problems(
        "stars:\n"
        "  gate: 30\n"
        "  levels:\n"
        "    - {star: 1, min_score: 50}\n"
        "    - {star: 3, min_score: 45}\n"
    )
    codes = {f[0] for f in found}
    assert codes == {"methodology.stars_not_increasing", "methodology.stars_levels"}
    by = {f[0]: f for f in found}
    assert by["methodology.stars_not_increasing"][1] == "p.yaml:14"
    assert "45" in by["methodology.stars_not_increasing"][2]
    assert "1 到 2" in by["methodology.stars_levels"][2]
    assert "1, 3" in by["methodology.stars_levels"][3]


def test_the_gate_cannot_be_above_one_star() -> None:
    found = problems("stars: {gate: 70, levels: [{star: 1, min_score: 60}]}\n")
    assert [f[0] for f in found] == ["methodology.stars_gate"]
    assert "门槛" in found[0][2]
    assert "70" in found[0][3]


def test_minima_name_known_positive_indicators_with_numbers() -> None:
    found = problems(
        "stars:\n"
        "  gate: 30\n"
        "  levels:\n"
        "    - {star: 1, min_score: 40, minima: {tax_per_mo: 10}}\n"
        "    - {star: 2, min_score: 50, minima: {energy: 1}}\n"
        "    - {star: 3, min_score: 60, minima: {tax_per_mu: lots}}\n"
    )
    by = {f[0]: f for f in found}
    assert set(by) == {
        "methodology.stars_unknown_indicator",
        "methodology.stars_bad_indicator",
        "methodology.stars_bad_minimum",
    }
    assert "tax_per_mu" in by["methodology.stars_unknown_indicator"][3]  # did you mean
    assert by["methodology.stars_unknown_indicator"][1] == "p.yaml:13"
    assert "逆向" in by["methodology.stars_bad_indicator"][2]
    assert "lots" in by["methodology.stars_bad_minimum"][3]


def test_field_errors_are_clear() -> None:
    found = problems(
        "stars:\n"
        "  gate: 30\n"
        "  max_step_up: 0\n"
        "  levels:\n"
        "    - {star: 6, min_score: 140, bonus: 1}\n"
    )
    codes = sorted(f[0] for f in found)
    assert "methodology.out_of_range" in codes  # star 6, min_score 140, max_step_up 0
    assert codes.count("methodology.out_of_range") == 3
    assert "methodology.unknown_key" in codes
    unknown = next(f for f in found if f[0] == "methodology.unknown_key")
    assert "min_score" in unknown[3]  # lists the allowed keys
    with pytest.raises(InputError):
        loads(BASE + "stars: {levels: [{star: 1, min_score: 40}]}\n")  # no gate


def test_an_empty_level_list_is_refused() -> None:
    found = problems("stars: {gate: 30, levels: []}\n")
    assert [f[0] for f in found] == ["methodology.stars_no_levels"]
