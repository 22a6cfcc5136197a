"""kaoping.scoring.stars: star levels, the one-step cap, the gate, against a hand-worked example.

The rule of the example (gate 30; stars 1, 2, 3 at scores 40, 50, 60; 3 stars also needs
tax_per_mu >= 30):

=====  =====  ==========  ========  ========  =====  ========  =======  ======
park   score  tax_per_mu  previous  eligible  star   change    capped   gate
=====  =====  ==========  ========  ========  =====  ========  =======  ======
A      65     35          1         3         2      up        True     False
B      65     20          2         2         2      same      False    False
C      25     50          3         0         0      demoted   False    True
D      55     40          None      2         2      new       False    False
E      45     —           3         1         1      down      False    False
F      35     10          0         0         0      same      False    False
=====  =====  ==========  ========  ========  =====  ========  =======  ======

A: 65 >= 60 and 35 >= 30, eligible for 3; last year 1, so at most 1 + 1 = 2 (capped).
B: 65 >= 60 but 20 < 30 blocks 3 stars; eligible for 2 (50 <= 65), as last year.
C: 25 < 30 (the gate): demoted to 0 although its tax would allow more.
D: new park: starts at its eligible level 2 (55 >= 50, < 60), no cap.
E: no tax value; 45 reaches only 1 star (no minimum there): drops from 3 to 1 in one year.
F: 35 is above the gate but below one star (40): 0, as last year.
Ranks: A and B tie at 65 -> both 1; D 3; E 4; F 5; C 6.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.methodology import load
from kaoping.scoring.stars import CHANGES, RATE_COLUMNS, StarRule, rate

SPEC = {
    "gate": 30,
    "max_step_up": 1,
    "levels": [
        {"star": 1, "min_score": 40},
        {"star": 2, "min_score": 50},
        {"star": 3, "min_score": 60, "minima": {"tax_per_mu": 30}},
    ],
}
RULE = StarRule.from_spec(SPEC)
SCORES = pd.Series({"A": 65.0, "B": 65.0, "C": 25.0, "D": 55.0, "E": 45.0, "F": 35.0})
VALUES = pd.DataFrame({"tax_per_mu": {"A": 35.0, "B": 20.0, "C": 50.0, "D": 40.0, "F": 10.0}})
PREVIOUS = pd.Series({"A": 1, "B": 2, "C": 3, "D": pd.NA, "E": 3, "F": 0})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return rate(SCORES, VALUES, PREVIOUS, RULE)


def test_the_hand_worked_example(table: pd.DataFrame) -> None:
    assert list(table.columns) == list(RATE_COLUMNS)
    assert table.index.name == "park"
    got = table[["eligible", "star", "change", "capped", "gate"]].to_dict("index")
    assert got == {
        "A": {"eligible": 3, "star": 2, "change": "up", "capped": True, "gate": False},
        "B": {"eligible": 2, "star": 2, "change": "same", "capped": False, "gate": False},
        "C": {"eligible": 0, "star": 0, "change": "demoted", "capped": False, "gate": True},
        "D": {"eligible": 2, "star": 2, "change": "new", "capped": False, "gate": False},
        "E": {"eligible": 1, "star": 1, "change": "down", "capped": False, "gate": False},
        "F": {"eligible": 0, "star": 0, "change": "same", "capped": False, "gate": False},
    }
    assert table["rank"].to_dict() == {"A": 1, "B": 1, "C": 6, "D": 3, "E": 4, "F": 5}
    assert table["previous"].isna().tolist() == [False, False, False, True, False, False]


def test_reasons_say_why_in_both_languages(table: pd.DataFrame) -> None:
    a, b, c, d, e = (table.loc[p] for p in "ABCDE")
    assert "每年最多升一级" in a["reason_zh"]
    assert "评为二星级" in a["reason_zh"]
    assert "at most one star up a year" in a["reason_en"]
    assert "tax_per_mu不低于 30" in b["reason_zh"]  # no labels given: named by id
    assert "it is 20" in b["reason_en"]
    assert "低于门槛 30" in c["reason_zh"]
    assert "降为市级专业园区" in c["reason_zh"]
    assert "below the gate" in c["reason_en"]
    assert "首次评定" in d["reason_zh"]
    assert "first time" in d["reason_en"]
    assert "降为一星级" in e["reason_zh"]
    for text in table["reason_zh"]:
        assert text.endswith("。")
    for text in table["reason_en"]:
        assert text[0].isupper()
        assert text.endswith(".")


def test_a_missing_value_does_not_meet_a_minimum() -> None:
    out = rate(pd.Series({"X": 70.0}), pd.DataFrame(), None, RULE)
    assert out.loc["X", "eligible"] == 2
    assert "无数据" in out.loc["X", "reason_zh"]
    assert out.loc["X", "change"] == "new"


def test_without_previous_every_park_is_new() -> None:
    out = rate(SCORES, VALUES, None, RULE)
    assert set(out["change"]) == {"new"}
    assert (out["star"] == out["eligible"]).all()
    assert not out["capped"].any()


def test_names_and_units_come_from_the_methodology() -> None:
    m = load("park_hqd")
    rule = StarRule.from_methodology(m)
    assert rule.top == 5
    assert rule.label_zh(5) == "五星级"
    assert rule.label_zh(0) == "无星级"
    five = rule.levels[4]
    minimum = five.minima["tax_per_mu"]
    score = five.min_score + 1
    out = rate(
        pd.Series({"P": score}),
        pd.DataFrame({"tax_per_mu": {"P": minimum - 1}}),
        pd.Series({"P": 4}),
        rule,
    )
    assert out.loc["P", "eligible"] == 4  # the 五星 minimum blocks 5 stars
    assert f"亩均税收不低于 {minimum:g}万元/亩" in out.loc["P", "reason_zh"]
    assert "Tax revenue per mu of land" in out.loc["P", "reason_en"]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        rate(pd.Series({"A": math.nan}), VALUES, None, RULE)
    with pytest.raises(ValueError, match="previous star"):
        rate(pd.Series({"A": 50.0}), VALUES, pd.Series({"A": 7}), RULE)
    with pytest.raises(ValueError, match=r"1\.\.n"):
        StarRule.from_spec({"gate": 0, "levels": [{"star": 2, "min_score": 10}]})
    with pytest.raises(ValueError, match="gate"):
        StarRule.from_spec({"gate": 50, "levels": [{"star": 1, "min_score": 40}]})


# -- properties --------------------------------------------------------------------------------

scores_st = st.floats(min_value=0, max_value=100, allow_nan=False)
taxes_st = st.one_of(st.none(), st.floats(min_value=0, max_value=80, allow_nan=False))
previous_st = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
parks_st = st.lists(st.tuples(scores_st, taxes_st, previous_st), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(parks_st, st.integers(min_value=1, max_value=2))
def test_properties(parks: list[tuple[float, float | None, int | None]], step: int) -> None:
    """The star never rises more than ``max_step_up`` a year; it never exceeds the eligible
    level (no protection of a star held); below the gate it is 0; the cap flags exactly the
    parks whose eligible level is more than a step above last year's."""
    rule = StarRule.from_spec({**SPEC, "max_step_up": step})
    names = [f"P{i}" for i in range(len(parks))]
    scores = pd.Series([p[0] for p in parks], index=names)
    values = pd.DataFrame(
        {"tax_per_mu": [math.nan if p[1] is None else p[1] for p in parks]}, index=names
    )
    previous = pd.Series([pd.NA if p[2] is None else p[2] for p in parks], index=names)
    out = rate(scores, values, previous, rule)
    for name, (score, _, before) in zip(names, parks, strict=True):
        row = out.loc[name]
        assert row["change"] in CHANGES
        assert 0 <= row["star"] <= row["eligible"] <= rule.top
        if before is not None:
            assert row["star"] <= before + step
            assert row["capped"] == (row["eligible"] > before + step)
        else:
            assert row["change"] == "new"
            assert not row["capped"]
        if score < rule.gate:
            assert row["star"] == 0
            assert row["gate"]
            assert row["change"] == ("new" if before is None else "demoted")
        else:
            assert not row["gate"]
        # ranks: 1 + the number of parks with a strictly higher score
        assert row["rank"] == 1 + int((scores > score).sum())
