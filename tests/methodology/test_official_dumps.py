"""An official methodology written out (``dumps``) reads back as the same methodology: the
platform freezes a methodology's text with every assessment and recomputes from it, so a rule
that did not survive the round trip (bands, a judged rule's criteria: both written as lists of
lists until issue 14) made every official period fail to compute."""

from __future__ import annotations

import pathlib

import pytest

import kaoping.data
from kaoping.methodology import dumps, load, loads

JUDGED = """\
id: j
name: 评议
dimensions:
  - {id: o, name: 观摩, indicators: [{id: j, name: 观摩评比, direction: positive},
                                    {id: b, name: 水质, direction: positive}]}
official:
  total_points: 20
  scoring:
    j: {points: 10, rule: {method: judged, criteria: {进度: 60, 质量: 40}, trim: false}}
    b:
      points: 10
      rule: {method: bands, bands: [{min: 90, points: 10}, {min: 50, max: 90, points: 5},
                                    {max: 50, points: 0}]}
"""


BUNDLED = sorted(
    p.stem for p in (pathlib.Path(kaoping.data.__file__).parent / "methodologies").glob("*.yaml")
)


@pytest.mark.parametrize("key", BUNDLED)
def test_every_bundled_methodology_reads_back_from_its_text(key: str) -> None:
    methodology = load(key)
    again = loads(dumps(methodology), source="again")
    assert again.official == methodology.official
    assert dumps(again) == dumps(methodology)


def test_bands_and_criteria_read_back() -> None:
    methodology = loads(JUDGED, source="j.yaml")
    again = loads(dumps(methodology), source="again")
    assert again.official == methodology.official
    assert dict(again.official.item("j").rule.get("criteria")) == {"进度": 60, "质量": 40}
