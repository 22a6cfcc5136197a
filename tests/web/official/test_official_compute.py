"""An official period computed end to end through the services (targets issued, items proposed
with their evidence by a department or the office and decided, computed, announced, published),
against a hand-worked example.

The methodology (``MINI`` below, stored like an uploaded one): two indicators compared over all
units (no categories), a bonus item (demo_county, 2 points), a penalty item (criticised,
1 point), a veto item (accident), tiers 第一方阵 (rank 1) and 第二方阵, awards 先进县 (the best)
and 进位县 (the most improved).  Units: 修武县 (A), 博爱县 (B), 武陟县 (C), no categories.

By hand, with the rules of kaoping.scoring.rules (METHODS.md, official path):

2023: gdp_growth targets 6.0 for all; values A 5.0, B 7.0, C 6.0 → completion 0.833, 1.167,
1.0 → 60 x r = 50, 70, 60; revenue 10 for all (equal values: the full 40).  Totals A 90,
B 110, C 100 → ranks B 1, C 2, A 3.  Published.

2024: gdp_growth targets A 6.0, B 6.0, C 5.0; values 6.6, 5.7, 7.0 → completion 1.1, 0.95,
1.4 (capped at 1.2) → 66, 57, 72.  revenue A 20, B 30, C 11: efficacy, base 0.6, best 30,
worst 11 → 40 x (0.6 + 0.4 (x − 11) / 19): A 40 x (0.6 + 0.4 x 9/19) = 31.578947…, B 40, C 24.
Indicator points A 97.578947…, B 97, C 96.  Approved items: A penalty 1, B bonus 2, C veto;
a rejected bonus of C and an undecided penalty of B count for nothing.
Totals A 96.578947…, B 99, C 96 → ranks B 1, A 2, C 3; 进位 against 2023: B →, A ↑1, C ↓1.
Tiers: B 第一方阵, A 第二方阵, C none (vetoed: keeps score and rank).  Awards: 先进县 B (the
best not vetoed), 进位县 A (the only one that rose).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kaoping.web.collection.models import Period, StoredMethodology, Submission, Unit, Value
from kaoping.web.official.models import Item, Target
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment

MINI = """\
id: mini_official
name: 简化考核办法
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: gdp_growth, name: 地区生产总值增速, direction: 正向, unit: "%"}
      - {id: revenue, name: 一般公共预算收入, direction: 正向, unit: 亿元}
tiers:
  - {name: 第一方阵, max_rank: 1}
  - {name: 第二方阵}
official:
  total_points: 100
  compare_within: all
  missing: zero
  scoring:
    gdp_growth: {points: 60, rule: {method: completion, cap: 1.2}}
    revenue: {points: 40, rule: efficacy}
  bonus:
    - {id: demo_county, name: 示范县, points: 2}
  penalty:
    - {id: criticised, name: 通报批评, points: 1, cap: 2}
  veto:
    - {id: accident, name: 发生重大安全事故}
  awards:
    - {id: advanced, name: 先进县, top: 1}
    - {id: progress, name: 进位县, most_improved: 1}
"""
A, B, C = "410821", "410822", "410823"
FIGURES = {
    "2023": {A: (5.0, 10.0), B: (7.0, 10.0), C: (6.0, 10.0)},
    "2024": {A: (6.6, 20.0), B: (5.7, 30.0), C: (7.0, 11.0)},
}
TARGETS = {"2023": {A: 6.0, B: 6.0, C: 6.0}, "2024": {A: 6.0, B: 6.0, C: 5.0}}


def _approve(period: Period, units: dict[str, Unit], analyst: Any) -> None:
    """The counties' figures (approved), and their targets issued by the office's service."""
    from kaoping.web.official.targets import target_set

    for code, (growth, revenue) in FIGURES[period.code].items():
        submission = Submission.objects.create(unit=units[code], period=period, status="approved")
        Value.objects.create(submission=submission, indicator="gdp_growth", value=growth)
        Value.objects.create(submission=submission, indicator="revenue", value=revenue)
        target_set(actor=analyst, period=period, unit=units[code], indicator="gdp_growth",
                   value=TARGETS[period.code][code], reason="目标下达")  # fmt: skip


def _item(period: Period, unit: Unit, rule: str, points: float | None, decision: str | None,
          by: Any, analyst: Any) -> Item:  # fmt: skip
    """An item proposed with a PDF (``by``: a department or the office) and decided."""
    from kaoping.web.official import items

    from .items_kit import pdf, upload

    item = items.item_propose(
        actor=by, period=period, unit=unit.code, rule=rule, points=points, reason="依据文件",
        document="示例〔2024〕1号", date="2024-06-01", files=[upload("依据.pdf", pdf())],
    )  # fmt: skip
    if decision == "approved":
        return items.item_approve(actor=analyst, item=item)
    if decision == "rejected":
        return items.item_reject(actor=analyst, item=item, reason="依据不足")
    return item


@pytest.fixture
def mini(official_users: dict[str, Any], official_units: dict[str, Unit]) -> dict[str, Any]:
    """Both periods of the example; 2023 published through the services."""
    Unit.objects.update(category="")
    analyst = official_users["analyst"]
    StoredMethodology.objects.create(key="mini_official", name="简化考核办法", text=MINI)
    last = Period.objects.create(code="2023", methodology="mini_official", status="closed")
    this = Period.objects.create(
        code="2024", methodology="mini_official", status="closed", previous=last
    )
    _approve(last, official_units, analyst)
    before = results.assessment_compute(actor=analyst, period=last)
    results.assessment_announce(actor=analyst, assessment=before, days=1)
    Assessment.objects.filter(pk=before.pk).update(objections_until=dt.date(2000, 1, 1))
    before.refresh_from_db()
    results.assessment_publish(actor=analyst, assessment=before)
    _approve(this, official_units, analyst)
    u, eco = official_units, official_users["dept-eco"]  # 生态环境局 may propose criticised
    _item(this, u[A], "criticised", 1.0, "approved", eco, analyst)
    _item(this, u[B], "demo_county", 2.0, "approved", analyst, analyst)
    _item(this, u[C], "accident", None, "approved", analyst, analyst)
    _item(this, u[C], "demo_county", 2.0, "rejected", analyst, analyst)
    _item(this, u[B], "criticised", 1.0, None, eco, analyst)
    return {"analyst": analyst, "2023": last, "2024": this, "before": before}


def _records(assessment: Assessment) -> dict[str, dict[str, Any]]:
    return {r["unit"]: r for r in assessment.results}


def test_the_previous_period_ranks_as_worked_by_hand(mini: dict[str, Any]) -> None:
    got = _records(mini["before"])
    assert {k: got[k]["score"] for k in got} == pytest.approx({A: 90.0, B: 110.0, C: 100.0})
    assert {k: got[k]["rank"] for k in got} == {A: 3, B: 1, C: 2}


def test_points_ranks_progress_tiers_and_awards_as_worked_by_hand(mini: dict[str, Any]) -> None:
    assessment = results.assessment_compute(actor=mini["analyst"], period=mini["2024"])
    got = _records(assessment)
    a_revenue = 40 * (0.6 + 0.4 * 9 / 19)
    assert got[A]["points"] == pytest.approx({"gdp_growth": 66.0, "revenue": a_revenue})
    assert got[B]["points"] == pytest.approx({"gdp_growth": 57.0, "revenue": 40.0})
    assert got[C]["points"] == pytest.approx({"gdp_growth": 72.0, "revenue": 24.0})
    assert {k: (got[k]["bonus"], got[k]["penalty"]) for k in got} == {
        A: (0.0, 1.0),
        B: (2.0, 0.0),
        C: (0.0, 0.0),
    }
    assert {k: got[k]["score"] for k in got} == pytest.approx(
        {A: 66 + a_revenue - 1, B: 99.0, C: 96.0}
    )
    assert {k: got[k]["rank"] for k in got} == {A: 2, B: 1, C: 3}
    assert {k: got[k]["previous_rank"] for k in got} == {A: 3, B: 1, C: 2}
    assert {k: got[k]["rank_change"] for k in got} == {A: 1, B: 0, C: -1}
    assert {k: got[k]["tier"] for k in got} == {A: "第二方阵", B: "第一方阵", C: None}
    assert {k: got[k]["awards"] for k in got} == {A: ["进位县"], B: ["先进县"], C: []}
    assert got[C]["veto"] == ["发生重大安全事故（依据：示例〔2024〕1号）"]  # with its document


def test_what_the_numbers_rest_on_is_frozen_and_reproduces_them(mini: dict[str, Any]) -> None:
    assessment = results.assessment_compute(actor=mini["analyst"], period=mini["2024"])
    inputs = assessment.inputs
    assert inputs["targets"] == [[A, "gdp_growth", 6.0], [B, "gdp_growth", 6.0],
                                 [C, "gdp_growth", 5.0]]  # fmt: skip
    assert [(i[1], i[2], i[3], i[4]) for i in inputs["items"]] == [
        (A, "penalty", "criticised", 1.0), (B, "bonus", "demo_county", 2.0),
        (C, "veto", "accident", None),
    ]  # fmt: skip
    import hashlib

    from .items_kit import pdf

    digest = hashlib.sha256(pdf()).hexdigest()  # each item's evidence, frozen by its digest
    assert [i[7] for i in inputs["items"]] == [[digest]] * 3
    assert inputs["previous"]["assessment"] == mini["before"].pk
    assert inputs["previous"]["inputs_hash"] == mini["before"].inputs_hash
    assert results.assessment_verify(assessment=assessment)
    assert not results.is_stale(assessment)


@pytest.mark.parametrize("change", ["target", "item", "previous"])
def test_a_change_to_what_it_rests_on_makes_the_preview_stale(
    mini: dict[str, Any], change: str
) -> None:
    assessment = results.assessment_compute(actor=mini["analyst"], period=mini["2024"])
    if change == "target":
        Target.objects.filter(period=mini["2024"], unit__code=A).update(value=6.5)
    elif change == "item":
        Item.objects.filter(period=mini["2024"], status="proposed").update(status="approved")
    else:  # the previous ranking withdrawn: a 2023 published again would be another one
        Assessment.objects.filter(pk=mini["before"].pk).update(status="superseded")
    assert results.is_stale(assessment)


def test_an_academic_period_keeps_its_inputs_as_before(
    approved: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    from tests.web.workflow import LEFT_OUT

    assessment = results.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    assert set(assessment.inputs) == {
        "period", "methodology", "units", "values", "excluded", "robustness"
    }  # fmt: skip


def test_not_announced_while_an_item_awaits_a_decision(mini: dict[str, Any]) -> None:
    from kaoping.errors import InputError

    analyst = mini["analyst"]
    assessment = results.assessment_compute(actor=analyst, period=mini["2024"])
    with pytest.raises(InputError) as info:
        results.assessment_announce(actor=analyst, assessment=assessment, days=5)
    assert info.value.codes == ["web.items_undecided"]
    assert "410822（博爱县）" in info.value.problems[0].zh
    Item.objects.filter(status="proposed").update(status="rejected")  # decided: not counted
    results.assessment_announce(actor=analyst, assessment=assessment, days=5)
    assert assessment.status == Assessment.Status.ANNOUNCED


def test_not_announced_while_a_departments_sheet_is_unapproved(
    mini: dict[str, Any], official_users: dict[str, Any]
) -> None:
    """A department that supplies an indicator of the period (here 统计局, owner of nothing in
    MINI: so an indicator with owner 统计局 is added) must have its sheet approved."""
    from kaoping.web.official.inputs import blocking

    StoredMethodology.objects.filter(key="mini_official").update(
        text=MINI.replace("unit: 亿元}", "unit: 亿元, owner: 统计局}")
    )
    found = blocking(mini["2024"])
    assert [p.code for p in found] == ["web.sheet_not_approved", "web.items_undecided"]
    assert found[0].where == "统计局"
