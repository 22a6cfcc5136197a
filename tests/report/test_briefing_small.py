"""The briefing of a small assessment worked by hand (four counties, two cities)."""

from __future__ import annotations

import pandas as pd
import pytest

from kaoping.assess import Result, assess
from kaoping.data import Panel, Units
from kaoping.methodology import loads
from kaoping.report import Fact, briefing

METHODOLOGY = """
id: small
name: 示例评价
name_en: example assessment
normalization: minmax
weighting: fixed
aggregation: arithmetic
tiers:
  - {name: 第一方阵, name_en: First tier, max_rank: 1}
  - {name: 第二方阵, name_en: Second tier, max_rank: 3}
  - {name: 第三方阵, name_en: Third tier}
dimensions:
  - id: d1
    name: 维度一
    name_en: Dimension one
    weight: 2
    indicators: [{id: a, name: 指标A, direction: positive}]
  - id: d2
    name: 维度二
    name_en: Dimension two
    indicators: [{id: b, name: 指标B, direction: positive}]
"""
UNITS = Units(
    pd.DataFrame(
        {
            "code": ["410801", "410802", "410901", "410902"],
            "name": ["A县", "B县", "C县", "D县"],
            "category": [
                "非重点生态功能区",
                "重点生态功能区",
                "非重点生态功能区",
                "重点生态功能区",
            ],
        }
    )
)
VALUES = {  # period -> indicator -> the values of A, B, C, D
    "2023": {"a": [2, 4, 3, 1], "b": [0, 2, 3, 1]},
    "2024": {"a": [4, 3, 2, 1], "b": [1, 2, 0, 3]},
}


def small(period: str) -> Result:
    rows = [
        {"unit": code, "indicator": ind, "period": period, "value": float(v)}
        for ind, values in VALUES[period].items()
        for code, v in zip(UNITS.codes, values, strict=True)
    ]
    result = assess(loads(METHODOLOGY), Panel(pd.DataFrame(rows)), period, units=UNITS)
    assert isinstance(result, Result)
    return result


def test_the_ranks_are_those_worked_by_hand() -> None:
    """Min-max: a → A 1, B 2/3, C 1/3, D 0; b → A 1/3, B 2/3, C 0, D 1.  Weights 2:1, so
    A = (2 + 1/3)/3 = 0.778, B = (4/3 + 2/3)/3 = 0.667, C = (2/3)/3 = 0.222, D = 1/3 = 0.333:
    ranks A 1, B 2, D 3, C 4; tiers A first, B and D second, C third.  In 2023 the ranks were
    B 1, C 2, A 3, D 4, so A rose 2, D rose 1, B fell 1 and C fell 2."""
    now, before = small("2024"), small("2023")
    assert now.table["rank"].to_dict() == {"410801": 1, "410802": 2, "410901": 4, "410902": 3}
    assert before.table["rank"].to_dict() == {"410801": 3, "410802": 1, "410901": 2, "410902": 4}
    assert now.table["tier"].tolist() == ["第一方阵", "第二方阵", "第三方阵", "第二方阵"]


def test_the_city_briefing() -> None:
    """City 4108 (A, B): A is first overall and first of 非重点, B first of 重点; A rose 2
    (3 -> 1), B fell 1 (1 -> 2); the city's best in d1 is A (1st), in d2 B (2nd, D is 1st),
    so the city leads in d1 and trails in d2.  The briefing, sentence by sentence:

    在2024年全省示例评价中，甲市共有2个县（市）参加排名。
    其中1个县（市）进入“第一方阵”（前1位）：A县。
    其中1个县（市）进入“第二方阵”（第2—3位）：B县。
    甲市各县（市）中，A县位次最高，居全省第1位。
    A县居非重点生态功能区县（市）第1位，为甲市同类县（市）中最高。
    B县居重点生态功能区县（市）第1位，为甲市同类县（市）中最高。
    甲市各县（市）中，A县进位最多，较上年前进2位。
    甲市各县（市）中，B县退位最多，较上年后退1位。
    分维度看，A县维度一居全省第1位，为甲市各县（市）各维度中的最好位次。
    维度二是甲市的相对短板，位次最好的B县居全省第2位。
    """
    b = briefing(small("2024"), city="4108", city_name="甲市", previous=small("2023"))
    doc = (test_the_city_briefing.__doc__ or "").split("\n\n", 1)[1]
    assert [s.text for s in b.sentences] == [line.strip() for line in doc.strip().splitlines()]
    assert b.sentences[1].facts == (
        Fact("tier_count", tier="第一方阵", value=1.0),
        Fact("tier", unit="410801", name="A县", tier="第一方阵", rank=1),
    )
    assert b.sentences[6].facts == (
        Fact("rank_change", unit="410801", name="A县", value=2.0, rank=1),
    )
    assert b.sentences[-1].facts == (
        Fact(
            "dimension_rank",
            unit="410802",
            name="B县",
            dimension="d2",
            rank=2,
            value=pytest.approx(200 / 3, rel=1e-12),
        ),
    )


def test_the_province_briefing_in_english() -> None:
    b = briefing(small("2024"), previous=small("2023"), lang="en")
    assert [s.text for s in b.sentences] == [
        "In the 2024 province-wide example assessment, 4 counties are ranked.",
        "The top 3 in the province: A县, B县, and D县.",
        "B县 ranks first among the 重点生态功能区 counties.",
        "A县 ranks first among the 非重点生态功能区 counties.",
        "A县 rose most in the province: up 2 places on the previous year.",
        "C县 fell most in the province: down 2 places on the previous year.",
    ]


def test_one_place_is_singular_in_english_and_the_city_must_exist() -> None:
    b = briefing(small("2024"), city="4109", city_name="Yi", previous=small("2023"), lang="en")
    assert "D县 rose most: up 1 place on the previous year." in b.text
    with pytest.raises(ValueError, match="4107"):
        briefing(small("2024"), city="4107")
    with pytest.raises(ValueError, match="lang"):
        briefing(small("2024"), lang="fr")  # type: ignore[arg-type]
