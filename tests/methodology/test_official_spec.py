"""The ``official:`` section: what it accepts, and every mistake reported at its line."""

from __future__ import annotations

import pytest

from kaoping.methodology import check_text, dumps, loads

HEAD = """\
id: o
name: 示例
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: g, name: 增速, direction: positive}
      - {id: p, name: 细颗粒物, direction: negative}
      - {id: acc, name: 事故, direction: constraint}
"""


def _problems(official: str) -> list[tuple[str, str | None]]:
    return [(p.code, p.where) for p in check_text(HEAD + official, "m.yaml")]


def test_a_valid_section_loads_and_round_trips() -> None:
    text = HEAD + (
        "official:\n"
        "  categories: [X, Y]\n"
        "  total_points: 10\n"
        "  scoring:\n"
        "    g: {points: {X: 6, Y: 4}, rule: {method: completion, cap: 1.2}, target: 5}\n"
        "    p: {points: {X: 4, Y: 6}, rule: {method: rank_points, table: [4, 3, 2]}}\n"
        "  bonus: [{id: hon, name: 荣誉, points: 1, cap: 2}]\n"
        "  veto: [{id: v, name: 事故, indicator: acc, above: 0}]\n"
        "  awards: [{id: t, name: 先进, top: 3}]\n"
    )
    m = loads(text)
    assert m.is_official
    assert m.official is not None
    row = m.official.item("g")
    assert row is not None
    assert (row.points_for("X"), row.points_for("Y"), row.target) == (6.0, 4.0, 5.0)
    assert row.rule.get("cap") == 1.2
    assert row.rule.get("floor") == 0.0  # the default
    again = loads(dumps(m))
    assert again == m
    assert again.fingerprint() == m.fingerprint()


def test_bands_and_criteria_round_trip_as_the_parser_reads_them() -> None:
    """An assessment freezes its methodology as ``dumps``' text and reads it back: a bands
    rule (the bundled official example's water_quality) and a judged rule's criteria must come
    back as they were written, not as the tuples they are held in."""
    from kaoping.methodology import load

    text = HEAD + (
        "official:\n"
        "  total_points: 10\n"
        "  scoring:\n"
        "    g: {points: 5, rule: {method: judged, criteria: {a: 6, b: 4}, trim: false}}\n"
        "    p: {points: 5, rule: {method: bands, bands: [{min: 90, points: 5}, {max: 90, "
        "points: 1}]}}\n"
    )
    m = loads(text)
    assert loads(dumps(m)) == m
    bundled = load("county_hqd_official")
    assert loads(dumps(bundled)) == bundled


def test_points_must_total_the_same_in_every_category() -> None:
    got = _problems(
        "official:\n"
        "  categories: [X, Y]\n"
        "  total_points: 10\n"
        "  scoring:\n"
        "    g: {points: {X: 6, Y: 5}, rule: completion}\n"
        "    p: {points: {X: 4, Y: 4}, rule: efficacy}\n"
    )
    assert got == [("methodology.official_points_total", "m.yaml:14")]  # the table's first row


@pytest.mark.parametrize(
    ("official", "code", "line"),
    [
        ("  scoring:\n    gg: {points: 10, rule: completion}\n", "official_unknown_indicator", 13),
        ("  scoring:\n    acc: {points: 10, rule: completion}\n", "official_constraint_scored", 13),
        ("  scoring:\n    g: {points: 10, rule: magic}\n", "official_unknown_rule", 13),
        ("  scoring:\n    g: {points: 10, rule: vs_average}\n", "official_missing_param", 13),
        (
            "  scoring:\n    g: {points: 10, rule: {method: efficacy, bse: 0.6}}\n",
            "official_unknown_param",
            13,
        ),
        (
            "  scoring:\n    g: {points: 10, rule: {method: efficacy, base: 1.5}}\n",
            "official_bad_value",
            13,
        ),
        (
            "  scoring:\n    g:\n      points: 10\n"
            "      rule: {method: rank_points, table: [5, 8]}\n",
            "official_bad_value",
            15,
        ),
        (
            "  scoring:\n    g: {points: {X: 10}, rule: efficacy}\n",
            "official_points_without_categories",
            13,
        ),
        ("  scorin: {}\n", "official_unknown_key", 12),
    ],
)
def test_each_mistake_is_named_at_its_line(official: str, code: str, line: int) -> None:
    # lines: HEAD has 9, then official: (10), total_points (11), scoring: (12), its row (13)
    got = _problems("official:\n  total_points: 10\n" + official)
    assert (f"methodology.{code}", f"m.yaml:{line}") in got


def test_awards_vetoes_and_components_are_checked() -> None:
    got = _problems(
        "official:\n"
        "  total_points: 10\n"
        "  scoring: {g: {points: 10, rule: completion}}\n"
        "  veto: [{id: v, name: 否决, indicator: acc}]\n"
        "  awards: [{id: a, name: 奖, top: 0}, {id: b, name: 奖2}]\n"
        "  components: [{id: c, name: 部分, weight: 1, dimensions: [nowhere]}]\n"
    )
    codes = sorted(c for c, _ in got)
    assert codes == [
        "methodology.official_bad_award",
        "methodology.official_bad_value",
        "methodology.official_missing_param",
        "methodology.official_unknown_dimension",
    ]


def test_the_same_item_id_twice_is_an_error() -> None:
    got = _problems(
        "official:\n"
        "  total_points: 10\n"
        "  scoring: {g: {points: 10, rule: completion}}\n"
        "  bonus: [{id: x, name: 一, points: 1}]\n"
        "  penalty: [{id: x, name: 二, points: 1}]\n"
    )
    assert [c for c, _ in got] == ["methodology.official_duplicate"]


def test_messages_are_chinese_first_with_english() -> None:
    problems = check_text(HEAD + "official:\n  scoring:\n    g: {points: 10, rule: magic}\n")
    assert "计分方法" in problems[0].zh
    assert "rule" in problems[0].en


def test_rule_parameters_that_cannot_work_are_refused_on_load() -> None:
    def codes(rule: str, direction: str = "positive") -> list[str]:
        head = HEAD.replace(
            "{id: g, name: 增速, direction: positive}",
            f"{{id: g, name: 增速, direction: {direction}, optimum: 3}}"
            if direction == "moderate"
            else f"{{id: g, name: 增速, direction: {direction}}}",
        )
        text = (
            head
            + f"official:\n  total_points: 10\n  scoring:\n    g: {{points: 10, rule: {rule}}}\n"
        )
        return [p.code for p in check_text(text)]

    assert codes("{method: completion, floor: 1, cap: 1}") == ["methodology.official_bad_value"]
    assert codes("{method: completion, zero_below: 1.5}") == ["methodology.official_bad_value"]
    bad_sides = "{method: efficacy, satisfactory: 1, unacceptable: 5}"
    assert codes(bad_sides) == ["methodology.official_bad_value"]
    assert codes(bad_sides, "negative") == []
    assert codes("{method: efficacy, satisfactory: 3, unacceptable: 0}", "moderate") == [
        "methodology.official_moderate_rule"
    ]
    assert codes("completion", "moderate") == ["methodology.official_moderate_rule"]
    assert codes("efficacy", "moderate") == []


def test_a_category_with_zero_points_does_not_cap_a_points_table() -> None:
    text = HEAD + (
        "official:\n  categories: [X, Y]\n  total_points: 5\n  scoring:\n"
        "    g: {points: {X: 5, Y: 0}, rule: {method: rank_points, table: [5, 4, 3]}}\n"
        "    p: {points: {X: 0, Y: 5}, rule: efficacy}\n"
    )
    assert check_text(text) == []
