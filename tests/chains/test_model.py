"""What is wrong with a chain workbook across its sheets: every problem at once, each named by
its row's key (a book made in Python) — the cells are named when it was read from a sheet
(tests/chains/test_sheets.py)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kaoping.chains import codes
from kaoping.chains.model import check_book, descendants, make_book, split_list


def _book(**changes: Any) -> Any:
    """A sound book: chain L with 上游 L1 (children L11, L12) and 中游 L2; one edge L11 → L2;
    two enterprises; a target on L12 and a signing filling it."""
    parts: dict[str, Any] = {
        "chains": [{"chain": "L", "name": "锂电"}],
        "nodes": [
            {"node": "L1", "chain": "L", "name": "材料", "position": "上游"},
            {"node": "L11", "chain": "L", "name": "正极", "position": "上游", "parent": "L1",
             "industries": "C3985"},
            {"node": "L12", "chain": "L", "name": "负极", "position": "上游", "parent": "L1",
             "industries": "3091"},
            {"node": "L2", "chain": "L", "name": "电芯", "position": "中游",
             "industries": "C3841、C3849"},
        ],
        "edges": [{"source": "L11", "target": "L2"}],
        "enterprises": [
            {"uscc": codes.make_uscc("410821", 1), "name": "甲", "county": "410821",
             "nodes": "L11", "above_scale": True, "output": 100.0},
            {"uscc": codes.make_uscc("410822", 2), "name": "乙", "county": "410822",
             "nodes": "L11、L2", "above_scale": False, "output": 50.0},
        ],
        "targets": [{"target": "T1", "node": "L12", "kind": "企业", "name": "负极企业"}],
        "signings": [
            {"project": "P1", "name": "负极项目", "investor": "丙", "amount": 5000.0,
             "signed_on": "2026-03-01", "node": "L12", "county": "410821", "target": "T1"},
        ],
    }  # fmt: skip
    parts.update(changes)
    return make_book(**parts)


def _codes(problems: list[Any]) -> list[tuple[str, str | None]]:
    return [(p.code, p.where) for p in problems]


def test_a_sound_book_has_no_problems() -> None:
    assert check_book(_book(), counties={"410821", "410822"}) == []


def test_lists_in_one_cell_are_split_and_codes_made_canonical() -> None:
    book = _book()
    assert book.nodes.set_index("node").at["L12", "industries"] == ("C3091",)
    assert book.nodes.set_index("node").at["L2", "industries"] == ("C3841", "C3849")
    assert book.enterprises.at[1, "nodes"] == ("L11", "L2")
    assert split_list(" a，b ; a\tc") == ("a", "b", "c")
    assert split_list(None) == ()


def test_every_problem_across_the_sheets_is_named_at_once() -> None:
    nodes = [
        {"node": "L1", "chain": "L", "name": "材料", "position": "上游"},
        {"node": "L2", "chain": "X", "name": "电芯", "position": "中游"},  # unknown chain
        {"node": "L3", "chain": "L", "name": "隔膜", "position": "上游", "parent": "L9"},
        {"node": "L4", "chain": "L", "name": "电解液", "position": "中游", "parent": "L1"},
        {"node": "L1", "chain": "L", "name": "又一个", "position": "上游"},  # duplicate id
    ]
    book = _book(
        nodes=nodes,
        edges=[{"source": "L1", "target": "L7"}, {"source": "L4", "target": "L4"}],
        enterprises=[
            {"uscc": codes.make_uscc("410821", 1), "name": "甲", "county": "410899",
             "nodes": "L1、L8"},
        ],
        targets=[{"target": "T1", "node": "L6", "kind": "企业", "name": "某企业"}],
        signings=[
            {"project": "P1", "name": "项目", "investor": "丙", "amount": -5.0,
             "signed_on": "2026-03-01", "node": "L5", "county": "410821", "target": "T9"},
        ],
    )  # fmt: skip
    found = _codes(check_book(book, counties={"410821", "410822"}))
    assert found == [
        ("chains.duplicate", "环节:L1.node"),
        ("chains.unknown_chain", "环节:L2.chain"),
        ("chains.unknown_parent", "环节:L3.parent"),
        ("chains.position_mismatch", "环节:L4.position"),
        ("chains.unknown_node", "供应关系:1.target"),
        ("chains.self_edge", "供应关系:2.target"),
        ("chains.unknown_node", f"企业:{codes.make_uscc('410821', 1)}.nodes"),
        ("chains.unknown_county", f"企业:{codes.make_uscc('410821', 1)}.county"),
        ("chains.unknown_node", "招商目标:T1.node"),
        ("chains.unknown_node", "签约项目:P1.node"),
        ("chains.unknown_target", "签约项目:P1.target"),
        ("chains.bad_amount", "签约项目:P1.amount"),
    ]


def test_a_parent_loop_is_not_a_tree() -> None:
    nodes = [
        {"node": "A", "chain": "L", "name": "甲", "position": "上游", "parent": "C"},
        {"node": "B", "chain": "L", "name": "乙", "position": "上游", "parent": "A"},
        {"node": "C", "chain": "L", "name": "丙", "position": "上游", "parent": "B"},
        {"node": "D", "chain": "L", "name": "丁", "position": "上游", "parent": "D"},
    ]
    problems = check_book(_book(nodes=nodes, edges=[], enterprises=[], targets=[], signings=[]))
    assert [(p.code, p.where) for p in problems] == [
        ("chains.not_a_tree", "环节:A.parent"),
        ("chains.not_a_tree", "环节:D.parent"),
    ]
    assert "A → C → B → A" in problems[0].zh
    # the walk below a node stops at the loop
    assert descendants(_book(nodes=nodes).nodes)["A"] == {"A", "B", "C"}


def test_a_parent_of_another_chain_is_refused() -> None:
    book = _book(
        chains=[{"chain": "L", "name": "锂电"}, {"chain": "M", "name": "装备"}],
        nodes=[
            {"node": "L1", "chain": "L", "name": "材料", "position": "上游"},
            {"node": "M1", "chain": "M", "name": "铸件", "position": "上游", "parent": "L1"},
        ],
        edges=[], enterprises=[], targets=[], signings=[],
    )  # fmt: skip
    assert _codes(check_book(book)) == [("chains.parent_other_chain", "环节:M1.parent")]


def test_a_bad_industry_code_and_a_bad_credit_code_are_named() -> None:
    good = codes.make_uscc("410821", 7)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    book = _book(
        nodes=[{"node": "L1", "chain": "L", "name": "材料", "position": "上游",
                "industries": "C3841、C9999"}],
        edges=[], targets=[], signings=[],
        enterprises=[{"uscc": wrong_check, "name": "甲", "county": "410821", "nodes": "L1"}],
    )  # fmt: skip
    problems = check_book(book)
    assert _codes(problems) == [
        ("chains.bad_industry", "环节:L1.industries"),
        ("chains.bad_uscc", f"企业:{wrong_check}.uscc"),
    ]
    assert "C9999" in problems[0].zh
    assert good[-1] in problems[1].zh  # says what the check character should be


def test_english_messages_say_the_same() -> None:
    book = _book(edges=[{"source": "L1", "target": "ZZ"}])
    (problem,) = check_book(book)
    assert problem.code == "chains.unknown_node"
    assert "ZZ" in problem.en
    assert "add the node" in problem.en


def test_frames_keep_their_attrs() -> None:
    nodes = pd.DataFrame(
        [{"node": "L1", "chain": "L", "name": "材料", "position": "上游", "_row": 5}]
    )
    nodes.attrs.update(source="链.xlsx!环节", columns={"node": "A", "chain": "B", "parent": "E"})
    book = make_book(chains=[{"chain": "Q", "name": "其他"}], nodes=nodes)
    assert _codes(check_book(book)) == [("chains.unknown_chain", "链.xlsx!环节!B5")]
