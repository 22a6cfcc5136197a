"""``base:``: a methodology that starts from another and changes only what it sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.errors import InputError
from kaoping.methodology import bundled, check, dumps, load, loads, resolve

BASE = """\
id: base_m
name: 基础办法
name_en: Base
weighting: fixed
tiers: [{name: 第一方阵, max_rank: 2}, {name: 其余}]
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: gdp, name: 地区生产总值, direction: positive, weight: 2}
      - {id: pm25, name: PM2.5, direction: negative}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_child_inherits_the_tree_and_overrides_methods(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", BASE)
    child = _write(
        tmp_path,
        "child.yaml",
        "base: base.yaml\nid: child_m\nname: 子办法\nweighting: entropy\naggregation: topsis\n",
    )
    m = load(child)
    assert (m.id, m.name, m.name_en) == ("child_m", "子办法", None)  # names are never inherited
    assert [i.id for i in m.indicators] == ["gdp", "pm25"]
    assert m.indicator("gdp").weight == 2
    assert [t.name for t in m.tiers] == ["第一方阵", "其余"]
    assert (m.weighting.method, m.aggregation.method) == ("entropy", "topsis")
    # the child written out is a whole methodology on its own
    again = loads(dumps(m))
    assert again == m


def test_child_dimensions_replace_the_whole_tree(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", BASE)
    child = _write(
        tmp_path,
        "child.yaml",
        "base: base.yaml\nid: c\nname: 子\ndimensions:\n"
        "  - {id: d, name: 维度, indicators: [{id: x, name: 指标, direction: positive}]}\n",
    )
    assert [i.id for i in load(child).indicators] == ["x"]


def test_a_problem_in_the_base_is_reported_at_its_line_in_the_base(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", BASE.replace("weight: 2", "weight: -2"))
    child = _write(tmp_path, "child.yaml", "base: base.yaml\nid: c\nname: 子\n")
    problems = check(child)
    assert [p.code for p in problems] == ["methodology.negative_weight"]
    assert problems[0].where == f"{tmp_path / 'base.yaml'}:10"


def test_a_child_without_its_own_id_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", BASE)
    child = _write(tmp_path, "child.yaml", "base: base.yaml\nname: 子\n")
    problems = check(child)
    assert [p.code for p in problems] == ["methodology.missing_key"]
    assert "id" in problems[0].en


def test_missing_base_names_the_line_and_the_bundled_choices(tmp_path: Path) -> None:
    child = _write(tmp_path, "child.yaml", "id: c\nname: 子\nbase: nowhere.yaml\n")
    with pytest.raises(InputError) as info:
        load(child)
    problem = info.value.problems[0]
    assert problem.code == "methodology.base_not_found"
    assert problem.where == f"{child}:3"
    assert "county_hqd" in problem.en


def test_a_cycle_of_bases_is_an_error_not_a_hang(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "base: b.yaml\nid: a\nname: A\n")
    _write(tmp_path, "b.yaml", "base: a.yaml\nid: b\nname: B\n")
    assert [p.code for p in check(tmp_path / "a.yaml")] == ["methodology.base_cycle"]


def test_base_must_be_text(tmp_path: Path) -> None:
    child = _write(tmp_path, "child.yaml", "base: [x]\nid: c\nname: 子\n")
    assert [p.code for p in check(child)] == ["methodology.wrong_type"]


def test_bundled_names_resolve_as_files_and_as_bases(tmp_path: Path) -> None:
    assert set(bundled()) >= {"county_hqd", "county_hqd_entropy_topsis"}
    assert resolve("county_hqd") == bundled()["county_hqd"]
    local = _write(tmp_path, "county_hqd", "not yaml of a methodology: [")
    assert resolve(local) == local  # an existing file wins over a bundled name
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    child = _write(folder, "mine.yaml", "base: county_hqd\nid: mine\nname: 我的\n")
    assert len(load(child).indicators) == len(load("county_hqd").indicators)
