"""Node figures, strength and gap lists on a chain worked by hand.

Chain L: 上游 L1 with children L11 and L12, 中游 L2, 下游 L3.  Enterprises (output in 万元):
a (county X, on L11, 规上, 600), b (X, on L11 and L2, not 规上, 200), c (Y, on L2, 规上, 150),
d (Y, on L2, 50).  By hand, for the city: L11 and L1 have {a, b} (2, one 规上, 800 = 80 % of the
chain's 1000 — b counted once), L2 {b, c, d} (3, one 规上, 400 = 40 %), L12 and L3 nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from numpy.testing import assert_allclose

from kaoping.chains.model import make_book
from kaoping.chains.strength import StrengthRules, county_stats, gaps, node_stats, strength
from kaoping.errors import InputError


def _book(**changes: Any) -> Any:
    parts: dict[str, Any] = {
        "chains": [{"chain": "L", "name": "锂电"}],
        "nodes": [
            {"node": "L1", "chain": "L", "name": "材料", "position": "上游"},
            {"node": "L11", "chain": "L", "name": "正极", "position": "上游", "parent": "L1"},
            {"node": "L12", "chain": "L", "name": "负极", "position": "上游", "parent": "L1"},
            {"node": "L2", "chain": "L", "name": "电芯", "position": "中游"},
            {"node": "L3", "chain": "L", "name": "回收", "position": "下游"},
        ],
        "enterprises": [
            {"uscc": "a", "name": "a", "county": "X", "nodes": "L11", "above_scale": True,
             "output": 600.0, "tax": 30.0, "employees": 100},
            {"uscc": "b", "name": "b", "county": "X", "nodes": "L11、L2", "above_scale": False,
             "output": 200.0, "tax": 10.0, "employees": 40},
            {"uscc": "c", "name": "c", "county": "Y", "nodes": "L2", "above_scale": True,
             "output": 150.0},
            {"uscc": "d", "name": "d", "county": "Y", "nodes": "L2", "above_scale": False,
             "output": 50.0},
        ],
        "targets": [{"target": "T1", "node": "L12", "kind": "企业", "name": "负极企业"}],
        "signings": [
            {"project": "P1", "name": "回收项目", "investor": "丙", "amount": 8000.0,
             "signed_on": "2026-03-01", "node": "L3", "county": "Y"},
        ],
    }  # fmt: skip
    parts.update(changes)
    return make_book(**parts)


def test_node_figures_roll_up_the_subtree_counting_an_enterprise_once() -> None:
    stats = node_stats(_book())
    assert stats["enterprises"].to_dict() == {"L1": 2, "L11": 2, "L12": 0, "L2": 3, "L3": 0}
    assert stats["above_scale"].to_dict() == {"L1": 1, "L11": 1, "L12": 0, "L2": 1, "L3": 0}
    assert_allclose(stats["output"], [800, 800, 0, 400, 0])
    assert_allclose(stats["share_pct"], [80, 80, 0, 40, 0])
    assert_allclose(stats.loc["L1", ["tax", "employees"]].astype(float), [40, 140])
    assert stats["depth"].to_dict() == {"L1": 0, "L11": 1, "L12": 1, "L2": 0, "L3": 0}
    assert stats["leaf"].to_dict() == {"L1": False, "L11": True, "L12": True, "L2": True,
                                       "L3": True}  # fmt: skip


def test_a_county_scope_counts_its_own_enterprises() -> None:
    x = node_stats(_book(), county="X")
    assert x["enterprises"].to_dict() == {"L1": 2, "L11": 2, "L12": 0, "L2": 1, "L3": 0}
    # X's chain output is a + b = 800: L2 (b, 200) is 25 % of it
    assert_allclose(x.loc["L2", "share_pct"], 25.0)
    both = county_stats(_book())
    assert_allclose(both.loc[("L2", "X"), "city_share_pct"], 50.0)  # 200 of L2's 400
    assert_allclose(both.loc[("L2", "Y"), "city_share_pct"], 50.0)
    assert_allclose(both.loc[("L11", "X"), "city_share_pct"], 100.0)
    assert ("L11", "Y") not in both.index


def test_the_default_rules_judge_each_node_with_its_reason() -> None:
    s = strength(_book())
    assert s["strength"].to_dict() == {"L1": "薄弱", "L11": "薄弱", "L12": "缺失", "L2": "已有",
                                       "L3": "缺失"}  # fmt: skip
    assert s["action"].to_dict()["L12"] == "延链"
    assert s.loc["L11", "reason_zh"] == "2 家企业，少于 3 家"
    assert s.loc["L11", "reason_en"] == "2 enterprises, fewer than 3"
    assert s.loc["L12", "reason_zh"] == "没有企业"
    assert s.loc["L2", "reason_zh"] == "3 家企业，其中规上 1 家，产值占全链 40.0%"


def test_each_rule_the_user_sets_changes_the_judgement() -> None:
    book = _book()
    assert strength(book, StrengthRules(weak_below=2))["strength"]["L11"] == "已有"
    s = strength(book, StrengthRules(weak_below=2, weak_share_pct=50.0))
    assert s.loc["L2", "strength"] == "薄弱"
    assert s.loc["L2", "reason_zh"] == "产值占全链 40.0%，低于 50%"
    s = strength(book, StrengthRules(missing_below=3, weak_below=3))
    assert s.loc["L11", "strength"] == "缺失"  # 2 enterprises, fewer than 3 → missing
    assert s.loc["L11", "reason_zh"] == "2 家企业（少于 3 家即为缺失）"
    x = strength(book, county="X")
    # in X, L2 has b only: one enterprise and none above designated size
    assert x.loc["L2", "reason_zh"] == "1 家企业，少于 3 家；没有规上企业"
    relaxed = strength(
        book, StrengthRules(weak_below=1, weak_without_above_scale=False), county="X"
    )
    assert relaxed.loc["L2", "strength"] == "已有"


def test_the_gap_list_has_the_weak_and_missing_leaves_with_where_the_work_stands() -> None:
    city = gaps(_book())
    assert list(city.index) == ["L12", "L11", "L3"]  # 上游 first, missing before weak
    assert city["status"].to_dict() == {"L12": "已有目标", "L11": "待招商", "L3": "已签约"}
    assert city.loc["L12", "target_names"] == "负极企业"
    assert city.loc["L3", "signed_amount"] == 8000.0
    assert list(gaps(_book(), leaves_only=False).index) == ["L12", "L1", "L11", "L3"]
    # for X: the city's target counts, Y's signing does not
    x = gaps(_book(), county="X")
    assert x["status"].to_dict() == {"L12": "已有目标", "L11": "待招商", "L2": "待招商",
                                     "L3": "待招商"}  # fmt: skip


def test_rules_from_a_mapping_name_every_bad_entry() -> None:
    assert StrengthRules.from_mapping({"weak_below": 4}).weak_below == 4
    with pytest.raises(InputError) as error:
        StrengthRules.from_mapping(
            {
                "weak_belo": 4,
                "missing_below": -1,
                "weak_share_pct": 150,
                "weak_without_above_scale": "yes",
            }
        )
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("chains.unknown_rule", "rules.weak_belo"),
        ("chains.bad_rule", "rules.missing_below"),
        ("chains.bad_rule", "rules.weak_share_pct"),
        ("chains.bad_rule", "rules.weak_without_above_scale"),
    ]
    with pytest.raises(InputError, match="weak_below"):
        StrengthRules.from_mapping({"missing_below": 3, "weak_below": 2})
