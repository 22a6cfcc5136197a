"""One test per validation rule: the problem code AND the line it is reported on.

Each YAML snippet marks the line where the problem must be reported with a ``# <-`` comment;
:func:`at` finds that line in the text, so the expected location is visible in the snippet.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from kaoping.errors import InputError, Problem
from kaoping.methodology import check, check_text, load, loads

SOURCE = "m.yaml"
FIXTURES = Path(__file__).parent / "fixtures"
CJK = re.compile(r"[\u4e00-\u9fff]")


def problems(text: str) -> list[Problem]:
    found = check_text(textwrap.dedent(text), SOURCE)
    for p in found:  # every problem, whatever the rule, is bilingual and located
        assert p.code.startswith("methodology.")
        assert CJK.search(p.zh), p.zh
        assert re.search(r"[A-Za-z]{3}", p.en)
        assert p.en != p.zh
        assert "\ue000" not in p.zh + p.en
        assert p.where is not None
        assert p.where.startswith(SOURCE + ":")
    return found


def at(text: str, marker: str = "# <-") -> str:
    """``m.yaml:LINE`` of the single line of ``text`` that contains ``marker``."""
    lines = textwrap.dedent(text).splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if marker in line]
    assert len(hits) == 1, f"marker {marker!r} found on lines {hits}"
    return f"{SOURCE}:{hits[0]}"


def the(text: str, code: str) -> Problem:
    """The one problem with ``code`` (the snippet may have no other problem of that code)."""
    found = problems(text)
    matching = [p for p in found if p.code == f"methodology.{code}"]
    assert len(matching) == 1, [(p.code, p.where, p.en) for p in found]
    return matching[0]


def codes(text: str) -> list[str]:
    return [p.code.removeprefix("methodology.") for p in problems(text)]


HEAD = """\
id: t
name: 测试
"""

# -- YAML syntax and files ---------------------------------------------------------------------


def test_yaml_syntax_error_gives_the_line() -> None:
    text = HEAD + "dimensions:\n  - id: d\n    name: a: b  # <-\n"
    p = the(text, "yaml_syntax")
    assert p.where == at(text)
    assert "YAML" in p.zh
    assert "line 5" in p.en


def test_tab_indentation_is_explained() -> None:
    text = HEAD + "dimensions:\n\t- id: d  # <-\n"
    p = the(text, "yaml_syntax")
    assert p.where == at(text)
    assert "Tab" in p.zh
    assert "tabs" in p.en


def test_full_width_colon_is_explained() -> None:
    text = "id: t\nname：测试  # <-\ndimensions: []\n"
    p = the(text, "yaml_syntax")
    assert "全角冒号" in p.zh
    assert "full-width" in p.en


def test_unquoted_percent_unit_is_explained() -> None:
    text = (
        HEAD + "dimensions:\n  - {id: d, name: D, indicators: [{id: a, name: A, unit: %}]}  # <-\n"
    )
    p = the(text, "yaml_syntax")
    assert p.where == at(text)
    assert 'unit: "%"' in p.zh
    assert 'unit: "%"' in p.en


def test_empty_file() -> None:
    assert codes("") == ["empty"]


def test_top_level_must_be_a_mapping() -> None:
    assert codes("- id: t\n") == ["not_a_mapping"]


def test_key_written_twice_names_both_lines() -> None:
    text = HEAD + (
        "name: 又一个  # <-\n"
        "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"
    )
    p = the(text, "duplicate_key")
    assert p.where == at(text)
    assert "第 2 行和第 3 行" in p.zh
    assert "lines 2 and 3" in p.en


def test_key_that_is_not_text() -> None:
    # YAML 1.1 reads the key `on` as the boolean true.
    text = HEAD + (
        "on: 1  # <-\n"
        "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"
    )
    assert the(text, "bad_key").where == at(text)


def test_anchors_under_x_keys_and_merge_keys() -> None:
    text = (
        HEAD
        + """\
x-stat: &stat {direction: positive, owner: 统计局}
dimensions:
  - id: d
    name: D
    indicators:
      - {<<: *stat, id: a, name: A}
      - {<<: *stat, id: b, name: B, direction: negative}
"""
    )
    # An explicit key overrides a merged one without a duplicate-key complaint.
    assert problems(text) == []
    m = loads(text)
    assert [(i.direction, i.owner) for i in m.indicators] == [
        ("positive", "统计局"),
        ("negative", "统计局"),
    ]


def test_recursive_alias() -> None:
    text = HEAD.replace("name: 测试", "name: &n [*n]  # <-") + ONE
    p = the(text, "recursive_alias")
    assert p.where == at(text)


def test_aliases_of_aliases_are_refused_before_they_expand() -> None:
    # "billion laughs": 7 levels of 10 aliases are 10^7 nodes from 500 bytes (before the cap:
    # 34 s and 1.9 GB); the cap stops at 100,000 nodes, a bundled methodology has ~1,000
    bomb = ["x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 7):
        bomb.append(f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "\n".join(bomb) + "\n" + HEAD + "description: *a6\n" + ONE
    [p] = check_text(text, SOURCE)
    assert (p.code, p.where) == ("methodology.too_large", f"{SOURCE}:1")
    assert check_text(HEAD + ONE, SOURCE) == []  # the same file without the aliases reads


def test_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    [p] = check(missing)
    assert p.code == "methodology.file_not_found"
    assert p.where == str(missing)
    with pytest.raises(InputError):
        load(missing)


def test_file_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: t\nname: 测试\n".encode("gbk"))
    [p] = check(path)
    assert p.code == "methodology.not_utf8"
    assert p.where == f"{path}:2"
    assert "UTF-8" in p.zh
    assert "UTF-8" in p.en


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    text = (
        HEAD
        + "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load(path).id == "t"


def test_locations_use_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "county.yaml"
    path.write_text(HEAD + "dimensions: []\n", encoding="utf-8")
    [p] = check(path)
    assert p.where == f"{path}:3"
    assert p.message("zh") == f"{path}:3: {p.zh}"
    assert p.message("en") == f"{path}:3: {p.en}"


# -- keys --------------------------------------------------------------------------------------


def test_unknown_key_suggests_the_closest_and_lists_the_allowed() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d
    name: D
    indicators:
      - id: a
        name: A
        direction: positive
        wieght: 2  # <-
"""
    )
    p = the(text, "unknown_key")
    assert p.where == at(text)
    assert "是否想写 weight" in p.zh
    assert "Did you mean weight?" in p.en
    assert "Allowed keys: id, name, direction, name_en" in p.en


def test_comma_inside_a_flow_mapping_is_explained() -> None:
    # In {…} the comma of "1,000" ends the value: "000 people" becomes a key without value.
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    indicators:\n"
        + "      - {id: a, name: A, name_en: Doctors per 1,000 people, direction: positive}  # <-\n"
    )
    p = the(text, "unknown_key")
    assert p.where == at(text)
    assert "'000 people'" in p.en
    assert "put that value in quotes" in p.en
    assert "加引号" in p.zh


def test_unknown_key_written_in_chinese_suggests_the_english_key() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    名称: 经济  # <-\n"
        "    indicators: [{id: a, name: A, direction: positive}]\n"
    )
    found = problems(text)
    unknown = [p for p in found if p.code == "methodology.unknown_key"]
    assert len(unknown) == 1
    assert unknown[0].where == at(text)
    assert "是否想写 name" in unknown[0].zh
    assert "methodology.missing_key" in [p.code for p in found]  # name is still missing


def test_missing_required_key_is_reported_on_its_mapping() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d
    name: D
    indicators:
      - {id: a, direction: positive}  # <-
"""
    )
    p = the(text, "missing_key")
    assert p.where == at(text)
    assert "指标 a 缺少必填项 name" in p.zh
    assert "indicator a lacks the required key name" in p.en


def test_missing_dimensions() -> None:
    text = "id: t  # <-\nname: 测试\n"
    p = the(text, "missing_key")
    assert p.where == at(text)
    assert "dimensions" in p.en


def test_missing_direction() -> None:
    text = HEAD + "dimensions:\n  - {id: d, name: D, indicators: [{id: a, name: A}]}  # <-\n"
    assert the(text, "missing_key").where == at(text)


# -- values ------------------------------------------------------------------------------------

ONE = "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}]\n"


def test_wrong_type_says_what_was_expected_and_received() -> None:
    text = "id: 12  # <-\nname: 测试\n" + ONE
    p = the(text, "wrong_type")
    assert p.where == at(text)
    assert "应为文本，收到 12" in p.zh
    assert "must be text, got 12" in p.en


def test_bad_id() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: 经济  # <-\n"
        "    name: D\n"
        "    indicators: [{id: a, name: A, direction: positive}]\n"
    )
    p = the(text, "bad_id")
    assert p.where == at(text)
    assert "rd_intensity" in p.en


def test_empty_name() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        '    name: "  "  # <-\n'
        "    indicators: [{id: a, name: A, direction: positive}]\n"
    )
    assert the(text, "empty_text").where == at(text)


def test_version_written_as_a_whole_number_is_kept_as_text() -> None:
    assert loads(HEAD + "version: 2025\n" + ONE).version == "2025"


def test_version_written_as_a_decimal_must_be_quoted() -> None:
    text = HEAD + "version: 1.10  # <-\n" + ONE
    p = the(text, "wrong_type")
    assert p.where == at(text)
    assert "quoted" in p.en


def test_weight_must_be_finite() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    weight: .nan  # <-\n"
        "    indicators: [{id: a, name: A, direction: positive}]\n"
    )
    p = the(text, "wrong_type")
    assert p.where == at(text)
    assert "finite" in p.en


def test_alpha_out_of_range() -> None:
    text = (
        HEAD
        + "weighting: {method: combine, subjective: equal, objective: entropy, alpha: 1.5}  # <-\n"
        + ONE
    )
    p = the(text, "out_of_range")
    assert p.where == at(text)
    assert "[0, 1]" in p.en
    assert "1.5" in p.zh


def test_range_must_increase() -> None:
    text = HEAD + "normalization: {method: minmax, range: [100, 1]}  # <-\n" + ONE
    p = the(text, "bad_range")
    assert p.where == at(text)
    assert "[100, 1]" in p.en


def test_range_must_be_two_numbers() -> None:
    text = HEAD + "normalization: {method: minmax, range: [100]}  # <-\n" + ONE
    p = the(text, "wrong_type")
    assert p.where == at(text)
    assert "two numbers" in p.en


def test_method_parameter_out_of_range() -> None:
    text = HEAD + "aggregation: {method: gra, rho: 2}  # <-\n" + ONE
    p = the(text, "bad_param")
    assert p.where == at(text)
    assert "(0, 1]" in p.en


def test_unknown_method_parameter_suggests_the_closest() -> None:
    text = HEAD + "aggregation:\n  method: gra\n  rh0: 0.5  # <-\n" + ONE
    p = the(text, "unknown_key")
    assert p.where == at(text)
    assert "Did you mean rho?" in p.en


def test_method_without_parameters_refuses_one() -> None:
    text = HEAD + "normalization: {method: minmax, ddof: 1}  # <-\n" + ONE
    p = the(text, "unknown_key")
    assert p.where == at(text)
    assert "takes no parameters" in p.en


def test_parameters_may_be_nested_under_params() -> None:
    m = loads(HEAD + "aggregation: {method: vikor, params: {v: 0.3}}\n" + ONE)
    assert m.aggregation.params["v"] == 0.3


def test_combine_needs_subjective_and_objective() -> None:
    text = HEAD + "weighting: {method: combine, subjective: ahp}  # <-\n" + ONE
    p = the(text, "missing_key")
    assert p.where == at(text)
    assert "objective" in p.en


def test_generalized_mean_needs_p() -> None:
    text = HEAD + "aggregation: {method: generalized}  # <-\n" + ONE
    p = the(text, "missing_key")
    assert p.where == at(text)
    assert "p" in p.en


# -- ids and names -----------------------------------------------------------------------------


def test_duplicate_id_names_both_lines() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: rd
    name: 研发
    indicators:
      - {id: rd, name: 研发投入, direction: positive}  # <-
"""
    )
    p = the(text, "duplicate_id")
    assert p.where == at(text)
    assert "第 4 行的维度和第 7 行的指标" in p.zh
    assert "the dimension at line 4 and the indicator at line 7" in p.en


def test_alias_that_names_another_indicator() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d
    name: D
    indicators:
      - {id: gdp, name: 地区生产总值, direction: positive}
      - {id: gdp_pc, name: 人均地区生产总值, direction: positive, aliases: [地区生产总值]}  # <-
"""
    )
    p = the(text, "duplicate_name")
    assert p.where == at(text)
    assert "indicator gdp (line 7)" in p.en


# -- directions and methods --------------------------------------------------------------------


def test_unknown_direction_lists_the_allowed() -> None:
    text = HEAD + (
        "dimensions: [{id: d, name: D, indicators: [{id: a, name: A, direction: postive}]}]  # <-\n"
    )
    p = the(text, "unknown_direction")
    assert p.where == at(text)
    assert "positive（正向）、negative（逆向）、moderate（适度）、constraint（约束）" in p.zh
    assert "Did you mean positive?" in p.en


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("正向", "positive"),
        ("逆向", "negative"),
        ("负向", "negative"),
        ("约束", "constraint"),
        ("Positive", "positive"),
    ],
)
def test_chinese_and_capitalised_directions_are_accepted(written: str, canonical: str) -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:\n"
        "      - {id: a, name: A, direction: positive}\n"
        f"      - {{id: b, name: B, direction: {written}}}\n"
    )
    assert loads(text).indicator("b").direction == canonical


@pytest.mark.parametrize("key", ["normalization", "weighting", "aggregation", "missing"])
def test_unknown_method(key: str) -> None:
    text = HEAD + f"{key}: magic  # <-\n" + ONE
    p = the(text, "unknown_method")
    assert p.where == at(text)
    assert "must be one of" in p.en


def test_unknown_method_written_as_its_chinese_name_is_suggested() -> None:
    text = HEAD + "weighting: 熵权法  # <-\n" + ONE
    p = the(text, "unknown_method")
    assert "是否想写 entropy" in p.zh


def test_unknown_option() -> None:
    text = (
        HEAD
        + "weighting: {method: combine, subjective: ahp, objective: cv, mode: sum}  # <-\n"
        + ONE
    )
    assert the(text, "unknown_option").where == at(text)


def test_method_names_are_case_insensitive() -> None:
    m = loads(
        HEAD + "normalization: MinMax\naggregation: {method: TOPSIS, normalization: minmax}\n" + ONE
    )
    assert (m.normalization.method, m.aggregation.method) == ("minmax", "topsis")


# -- indicators --------------------------------------------------------------------------------


def test_moderate_indicator_needs_an_optimum() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators: [{id: cpi, name: 价格涨幅, direction: 适度}]  # <-\n"
    )
    p = the(text, "missing_optimum")
    assert p.where == at(text)
    assert "optimum" in p.zh


def test_optimum_on_a_positive_indicator_is_refused() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:\n"
        "      - id: a\n"
        "        name: A\n"
        "        direction: positive\n"
        "        optimum: 3  # <-\n"
    )
    p = the(text, "unused_key")
    assert p.where == at(text)
    assert "moderate" in p.en


def test_constraint_indicator_has_no_weight() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d
    name: D
    indicators:
      - {id: a, name: A, direction: positive}
      - id: accidents
        name: 较大及以上生产安全事故
        direction: constraint
        weight: 1  # <-
"""
    )
    assert the(text, "unused_key").where == at(text)


def test_a_leaf_of_constraint_indicators_only_has_no_score() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:  # <-\n"
        "      - {id: a, name: A, direction: constraint}\n"
    )
    assert the(text, "no_scored_indicators").where == at(text)


def test_goalposts_need_lower_and_upper_on_scored_indicators() -> None:
    text = (
        HEAD
        + """\
normalization: goalposts
dimensions:
  - id: d
    name: D
    indicators:
      - {id: a, name: A, direction: positive, lower: 0, upper: 5}
      - {id: b, name: B, direction: positive, lower: 0}  # <-
      - {id: c, name: C, direction: constraint}
"""
    )
    p = the(text, "missing_goalposts")
    assert p.where == at(text)
    assert "upper" in p.en


def test_goalposts_lower_must_be_below_upper() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:\n"
        "      - {id: a, name: A, direction: negative, lower: 5, upper: 1}  # <-\n"
    )
    assert the(text, "bad_goalposts").where == at(text)


def test_target_must_be_positive_for_target_normalisation() -> None:
    text = HEAD + (
        "normalization: target\n"
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:\n"
        "      - {id: a, name: A, direction: positive, target: 0}  # <-\n"
    )
    assert the(text, "bad_target").where == at(text)


# -- weights -----------------------------------------------------------------------------------


def test_negative_weight_message() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: innovation
    name: 创新发展
    indicators:
      - {id: rd_intensity, name: R&D经费投入强度, direction: positive, weight: -0.2}  # <-
"""
    )
    p = the(text, "negative_weight")
    assert p.where == at(text)
    assert p.zh.startswith("指标 rd_intensity 的权重必须为非负数，收到 -0.2。")
    assert p.en.startswith("weight of indicator rd_intensity must be non-negative, got -0.2.")


def test_negative_dimension_weight() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    weight: -1  # <-\n"
        "    indicators: [{id: a, name: A, direction: positive}]\n"
    )
    p = the(text, "negative_weight")
    assert p.where == at(text)
    assert "dimension d" in p.en


def test_all_zero_sibling_weights() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d
    name: D
    indicators:  # <-
      - {id: a, name: A, direction: positive, weight: 0}
      - {id: b, name: B, direction: positive, weight: 0.0}
      - {id: c, name: C, direction: constraint}
"""
    )
    p = the(text, "zero_weights")
    assert p.where == at(text)


def test_one_zero_weight_among_positive_ones_is_fine() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - id: d\n"
        "    name: D\n"
        "    indicators:\n"
        "      - {id: a, name: A, direction: positive, weight: 0}\n"
        "      - {id: b, name: B, direction: positive}\n"
    )
    assert problems(text) == []


def test_all_zero_dimension_weights() -> None:
    text = (
        HEAD
        + """\
dimensions:  # <-
  - {id: d1, name: D1, weight: 0, indicators: [{id: a, name: A, direction: positive}]}
  - {id: d2, name: D2, weight: 0, indicators: [{id: b, name: B, direction: positive}]}
"""
    )
    assert the(text, "zero_weights").where == at(text)


# -- AHP matrices ------------------------------------------------------------------------------

TWO = """\
    indicators:
      - {id: a, name: A, direction: positive}
      - {id: b, name: B, direction: positive}
"""


def test_ahp_matrix_not_square_names_the_row() -> None:
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    ahp:\n      - [1, 3]\n      - [0.5]  # <-\n"
        + TWO
    )
    p = the(text, "ahp_not_square")
    assert p.where == at(text)
    assert "ahp[1]" in p.en


def test_ahp_matrix_of_the_wrong_size_names_the_children() -> None:
    text = (
        HEAD
        + (
            "dimensions:\n"
            "  - id: d\n"
            "    name: D\n"
            '    ahp: [[1, 2, 3], [0.5, 1, 2], ["1/3", 0.5, 1]]  # <-\n'
        )
        + TWO
    )
    p = the(text, "ahp_wrong_size")
    assert p.where == at(text)
    assert "2x2" in p.en
    assert "(a, b)" in p.en
    assert "2×2" in p.zh


def test_ahp_entry_must_be_positive() -> None:
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    ahp:\n      - [1, 0]  # <-\n      - [1, 1]\n"
        + TWO
    )
    p = the(text, "ahp_not_positive")
    assert p.where == at(text)
    assert "ahp[0][1]" in p.en


def test_ahp_entry_must_be_a_number_or_fraction() -> None:
    text = (
        HEAD
        + (
            "dimensions:\n"
            "  - id: d\n"
            "    name: D\n"
            "    ahp:\n"
            "      - [1, 3]\n"
            "      - [one third, 1]  # <-\n"
        )
        + TWO
    )
    p = the(text, "ahp_bad_entry")
    assert p.where == at(text)
    assert "ahp[1][0]" in p.en


def test_ahp_not_reciprocal_names_the_cell() -> None:
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    ahp:\n      - [1, 3]\n      - [0.5, 1]  # <-\n"
        + TWO
    )
    p = the(text, "ahp_not_reciprocal")
    assert p.where == at(text)
    assert "ahp[0][1]=3 but ahp[1][0]=0.5, expected 1/3" in p.en
    assert "ahp[0][1]=3，但 ahp[1][0]=0.5，应为 1/3" in p.zh


def test_ahp_diagonal_must_be_one() -> None:
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    ahp:\n      - [1, 2]\n      - [0.5, 2]  # <-\n"
        + TWO
    )
    p = the(text, "ahp_not_reciprocal")
    assert p.where == at(text)
    assert "ahp[1][1]" in p.en


@pytest.mark.parametrize(
    ("lower", "ok"),
    # kaoping.methods.weights.ahp needs a_ji = 1/a_ij to a relative 1e-6; so must we:
    # 1/3 = 0.333333333333... ; 0.3333333 is off by 1e-7 relative (passes), 0.333 by 1e-3.
    [('"1/3"', True), ("0.3333333", True), ("0.333", False), ("0.33", False)],
)
def test_ahp_reciprocity_tolerance(lower: str, ok: bool) -> None:
    text = HEAD + f"dimensions:\n  - id: d\n    name: D\n    ahp: [[1, 3], [{lower}, 1]]\n" + TWO
    assert codes(text) == ([] if ok else ["ahp_not_reciprocal"])


def test_ahp_fractions_are_read_exactly() -> None:
    m = loads(HEAD + 'dimensions:\n  - id: d\n    name: D\n    ahp: [[1, 3], ["1/3", 1]]\n' + TWO)
    assert m.dimension("d").ahp == ((1.0, 3.0), (1 / 3, 1.0))


def test_ahp_weighting_needs_a_matrix_on_every_node_with_two_children() -> None:
    text = (
        HEAD
        + """\
weighting: ahp
dimensions:
  - id: d
    name: D
    indicators:
      - {id: a, name: A, direction: positive}
  - id: e  # <-
    name: E
    indicators:
      - {id: b, name: B, direction: positive}
      - {id: c, name: C, direction: positive}
"""
    )
    found = problems(text)
    missing = [p for p in found if p.code == "methodology.ahp_missing"]
    # d has one indicator (no matrix needed); e has two; the top level has two dimensions.
    assert [p.where for p in missing] == [f"{SOURCE}:4", at(text)]
    assert "dimensions (d, e)" in missing[0].en
    assert "scored indicators (b, c)" in missing[1].en


def test_combined_weighting_with_subjective_ahp_needs_matrices() -> None:
    text = (
        HEAD
        + (
            "weighting: {method: combine, subjective: ahp, objective: entropy}\n"
            "dimensions:\n"
            "  - id: d  # <-\n"
            "    name: D\n"
        )
        + TWO
    )
    assert the(text, "ahp_missing").where == at(text)


def test_leaf_matrix_compares_only_scored_indicators() -> None:
    leaf = TWO + "      - {id: c, name: C, direction: constraint}\n"
    good = (
        HEAD
        + "weighting: ahp\ndimensions:\n  - id: d\n    name: D\n    ahp: [[1, 2], [0.5, 1]]\n"
        + leaf
    )
    assert problems(good) == []
    bad = (
        HEAD
        + (
            "weighting: ahp\n"
            "dimensions:\n"
            "  - id: d\n"
            "    name: D\n"
            "    ahp: [[1, 2, 1], [0.5, 1, 1], [1, 1, 1]]  # <-\n"
        )
        + leaf
    )
    assert the(bad, "ahp_wrong_size").where == at(bad)


def test_top_level_matrix_compares_the_dimensions() -> None:
    text = (
        HEAD
        + """\
ahp: [[1, 2], [0.5, 1], [1, 1]]  # <-
dimensions:
  - {id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}
  - {id: e, name: E, indicators: [{id: b, name: B, direction: positive}]}
"""
    )
    found = problems(text)
    assert [(p.code, p.where) for p in found] == [
        ("methodology.ahp_not_square", at(text)),  # 3 rows of 2
        ("methodology.ahp_wrong_size", at(text)),  # 2 dimensions
    ]
    assert "3 rows of 2 entries" in found[0].en
    assert "(d, e)" in found[1].en


# -- aggregation against normalisation ---------------------------------------------------------


def test_geometric_mean_over_a_range_from_zero_suggests_one() -> None:
    text = (
        HEAD
        + "normalization: {method: minmax, range: [0, 100]}\naggregation: geometric  # <-\n"
        + ONE
    )
    p = the(text, "aggregation_needs_positive")
    assert p.where == at(text)
    assert "range: [1, 100]" in p.zh
    assert "range: [1, 100]" in p.en
    assert "line 3" in p.en  # where the normalisation is


def test_geometric_mean_with_the_default_normalisation_is_refused() -> None:
    # The default is minmax over [0, 100], which gives 0 to the worst unit.
    assert codes(HEAD + "aggregation: geometric\n" + ONE) == ["aggregation_needs_positive"]


@pytest.mark.parametrize(
    ("normalization", "aggregation", "refused"),
    [
        ("{method: minmax, range: [1, 100]}", "geometric", False),
        ("{method: minmax, range: [-1, 1]}", "harmonic", True),
        ("{method: goalposts, range: [0, 1]}", "geometric", True),
        ("zscore", "geometric", True),
        ("{method: zscore, center: 100, scale: 10}", "harmonic", True),
        ("rank", "geometric", True),
        ("zscore", "{method: generalized, p: -1}", True),
        ("zscore", "{method: generalized, p: 2}", False),
        ("zscore", "arithmetic", False),
        ("vector", "geometric", False),  # reaches 0 only for a 0 value: checked on the data
    ],
)
def test_aggregations_that_need_positive_values(
    normalization: str, aggregation: str, refused: bool
) -> None:
    goalposts = ", lower: 0, upper: 1" if "goalposts" in normalization else ""
    text = (
        HEAD
        + f"normalization: {normalization}\naggregation: {aggregation}  # <-\n"
        + "dimensions:\n  - id: d\n    name: D\n"
        + f"    indicators: [{{id: a, name: A, direction: positive{goalposts}}}]\n"
    )
    found = problems(text)
    if refused:
        assert [(p.code, p.where) for p in found] == [
            ("methodology.aggregation_needs_positive", at(text))
        ]
    else:
        assert found == []


def test_positivity_is_checked_on_a_node_override() -> None:
    text = (
        HEAD
        + "dimensions:\n  - id: d\n    name: D\n    aggregation: {method: geometric}  # <-\n"
        + TWO
    )
    p = the(text, "aggregation_needs_positive")
    assert p.where == at(text)
    assert "dimension d" in p.en


# -- tiers -------------------------------------------------------------------------------------


def test_tiers_of_two_kinds() -> None:
    text = (
        HEAD
        + "tiers:\n  - {name: 第一方阵, max_rank: 30}\n  - {name: 第二方阵, min_score: 60}  # <-\n"
        + ONE
    )
    p = the(text, "tiers_mixed")
    assert p.where == at(text)
    assert "max_rank" in p.en


def test_rank_tiers_must_increase() -> None:
    text = (
        HEAD
        + "tiers:\n  - {name: 第一方阵, max_rank: 30}\n  - {name: 第二方阵, max_rank: 30}  # <-\n"
        + ONE
    )
    p = the(text, "tiers_not_increasing")
    assert p.where == at(text)
    assert "30" in p.zh


def test_score_tiers_must_decrease() -> None:
    text = (
        HEAD
        + "tiers:\n  - {name: 优秀, min_score: 80}\n  - {name: 良好, min_score: 90}  # <-\n"
        + ONE
    )
    assert the(text, "tiers_not_increasing").where == at(text)


def test_tier_with_both_thresholds() -> None:
    text = HEAD + "tiers:\n  - {name: 第一方阵, max_rank: 30, min_score: 90}  # <-\n" + ONE
    assert the(text, "tier_threshold").where == at(text)


def test_only_the_last_tier_may_omit_its_threshold() -> None:
    text = HEAD + "tiers:\n  - {name: 第一方阵}  # <-\n  - {name: 第二方阵, max_rank: 60}\n" + ONE
    assert the(text, "tier_threshold").where == at(text)
    ok = loads(HEAD + "tiers:\n  - {name: 第一方阵, max_rank: 30}\n  - {name: 其余}\n" + ONE)
    assert ok.tier_kind == "rank"


def test_tier_names_are_unique() -> None:
    text = (
        HEAD
        + "tiers:\n  - {name: 第一方阵, max_rank: 30}\n  - {name: 第一方阵, max_rank: 60}  # <-\n"
        + ONE
    )
    assert the(text, "duplicate_tier").where == at(text)


def test_max_rank_is_at_least_one() -> None:
    text = HEAD + "tiers:\n  - {name: 第一方阵, max_rank: 0}  # <-\n" + ONE
    assert the(text, "out_of_range").where == at(text)


# -- structure ---------------------------------------------------------------------------------


def test_node_with_children_and_indicators() -> None:
    text = (
        HEAD
        + """\
dimensions:
  - id: d  # <-
    name: D
    children: [{id: e, name: E, indicators: [{id: a, name: A, direction: positive}]}]
    indicators: [{id: b, name: B, direction: positive}]
"""
    )
    assert the(text, "children_and_indicators").where == at(text)


def test_node_with_neither_children_nor_indicators() -> None:
    text = HEAD + (
        "dimensions:\n"
        "  - {id: d, name: D, indicators: [{id: a, name: A, direction: positive}]}\n"
        "  - {id: e, name: E, children: []}  # <-\n"
    )
    assert the(text, "empty_node").where == at(text)


def test_empty_dimensions() -> None:
    text = HEAD + "dimensions: []  # <-\n"
    assert the(text, "no_dimensions").where == at(text)


# -- options a method does not use -------------------------------------------------------------


def test_range_is_refused_for_a_normalisation_that_ignores_it() -> None:
    text = HEAD + "normalization:\n  method: zscore\n  range: [0, 100]  # <-\n" + ONE
    p = the(text, "unused_key")
    assert p.where == at(text)
    assert "minmax" in p.en


def test_weighting_option_the_method_does_not_use() -> None:
    text = HEAD + "weighting:\n  method: entropy\n  alpha: 0.5  # <-\n" + ONE
    p = the(text, "unused_key")
    assert p.where == at(text)
    assert "combine" in p.en


def test_min_share_needs_skip() -> None:
    text = HEAD + "missing:\n  method: mean\n  min_share: 0.5  # <-\n" + ONE
    assert the(text, "unused_key").where == at(text)


def test_options_the_method_uses_are_accepted() -> None:
    m = loads(
        HEAD
        + "weighting: {method: combine, subjective: ahp, objective: entropy, alpha: 0.3, "
        + "mode: multiplicative, ri: donegan_dodd1991, strict: true, shift: 0.01}\n"
        + ONE
    )
    w = m.weighting
    assert (w.alpha, w.mode, w.ri, w.strict, w.shift, w.uses_ahp) == (
        0.3,
        "multiplicative",
        "donegan_dodd1991",
        True,
        0.01,
        True,
    )


# -- everything at once ------------------------------------------------------------------------


def test_a_file_with_several_errors_reports_all_of_them() -> None:
    # fixtures/several_errors.yaml, read by hand:
    #   line 5  aggregation geometric over minmax [0, 100] (line 3)
    #   line 8  second tier by min_score, first by max_rank
    #   line 9  weighting ahp, two dimensions, no top-level matrix
    #   line 12 economy's matrix: ahp[0][1]=3 but ahp[1][0]=0.5
    #   line 14 direction "postive"
    #   line 15 weight -0.2
    #   line 16 green has two scored indicators and no matrix
    #   line 19 unknown key wieght; gdp already used on line 14
    #   line 20 moderate indicator cpi without optimum
    expected = [
        ("aggregation_needs_positive", 5),
        ("tiers_mixed", 8),
        ("ahp_missing", 9),
        ("ahp_not_reciprocal", 12),
        ("unknown_direction", 14),
        ("negative_weight", 15),
        ("ahp_missing", 16),
        ("unknown_key", 19),
        ("duplicate_id", 19),
        ("missing_optimum", 20),
    ]
    path = FIXTURES / "several_errors.yaml"
    found = check(path)
    assert sorted(
        (p.code.removeprefix("methodology."), int(str(p.where).rsplit(":", 1)[1])) for p in found
    ) == sorted(expected)
    with pytest.raises(InputError) as info:
        load(path)
    assert len(info.value.problems) == len(expected)
    lines = [int(str(p.where).rsplit(":", 1)[1]) for p in info.value.problems]
    assert lines == sorted(lines)  # reported in file order
    text = info.value.message("en")
    assert text.count("\n") == len(expected) - 1
    assert "several_errors.yaml:14: direction" in text
    assert "第 14 行的指标和第 19 行的指标" in info.value.message("zh")
