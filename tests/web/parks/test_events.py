"""The organiser's services of the on-site observation (观摩评比): an event created, opened,
closed (waiting for or leaving out a judge whose scores are missing, recorded), the flagged
judges decided, published; its results the engine's on the same scores; the year's composite
fed into an official period's judged scores.

The state (:func:`make_event`): 修武县 410821 and 博爱县 410822 in 县(市)组, 解放区 410802 and
中站区 410803 in 城区组; criteria 项目建设 (at most 60) and 产业带动 (at most 40); judges j1…j5
(weights 1, except j5: 2).  :func:`fill_scores` gives every judge the scores of ``SCORES``
(judge -> unit -> (项目建设, 产业带动)).  By hand, trimmed (five judges: the highest and lowest
total of each county dropped): 修武县's totals 80, 82, 84, 86, 90 -> (82 + 84 + 86) / 3 = 84;
博爱县's 70, 71, 72, 73, 74 -> 72: 修武县 first of 县(市)组, 博爱县 second.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Membership, Role, Unit
from kaoping.web.parks import events
from kaoping.web.parks.models import Decision, Judge, ObservationEvent, Score

pytestmark = pytest.mark.django_db

GROUPS = {"县(市)组": ["410821", "410822"], "城区组": ["410802", "410803"]}
CRITERIA = [("项目建设", 60.0), ("产业带动", 40.0)]
# judge -> unit -> (项目建设, 产业带动): totals 修武县 80 82 84 86 90, 博爱县 70 … 74,
# 解放区 60 … 64, 中站区 50 … 54
SCORES: dict[str, dict[str, tuple[float, float]]] = {
    "j1": {"410821": (50, 30), "410822": (42, 28), "410802": (36, 24), "410803": (30, 20)},
    "j2": {"410821": (50, 32), "410822": (42, 29), "410802": (36, 25), "410803": (30, 21)},
    "j3": {"410821": (50, 34), "410822": (42, 30), "410802": (36, 26), "410803": (30, 22)},
    "j4": {"410821": (50, 36), "410822": (42, 31), "410802": (36, 27), "410803": (30, 23)},
    "j5": {"410821": (54, 36), "410822": (42, 32), "410802": (36, 28), "410803": (30, 24)},
}
UNITS = {"410821": "修武县", "410822": "博爱县", "410802": "解放区", "410803": "中站区"}


def judge_account(name: str) -> Any:
    user = get_user_model().objects.create_user(username=name, password="pw")
    Membership.objects.create(user=user, role=Role.JUDGE)
    return user


def make_event(
    actor: Any,
    code: str = "2026-q1",
    *,
    judges: tuple[str, ...] = ("j1", "j2", "j3", "j4", "j5"),
    period: str = "2026-Q1",
    kind: str = "quarter",
    reviews: tuple[str, ...] = (),
) -> ObservationEvent:
    for unit, name in UNITS.items():
        Unit.objects.get_or_create(code=unit, defaults={"name": name})
    accounts = [
        get_user_model().objects.filter(username=j).first() or judge_account(j) for j in judges
    ]
    return events.event_create(
        actor=actor, code=code, name=f"{period} 观摩", period=period, year=2026, kind=kind,
        groups=GROUPS, criteria=CRITERIA, reviews=reviews,
        judges=[{"user": u, "role": "市领导" if u.username == "j5" else "评委",
                 "weight": 2.0 if u.username == "j5" else 1.0} for u in accounts],
    )  # fmt: skip


def fill_scores(
    event: ObservationEvent, scores: dict[str, dict[str, tuple[float, float]]] = SCORES
) -> None:
    criteria = list(event.criteria.order_by("order"))
    for judge in event.judges.select_related("user"):
        for unit, points in scores.get(judge.user.username, {}).items():
            for criterion, value in zip(criteria, points, strict=True):
                Score.objects.create(
                    judge=judge, unit=Unit.objects.get(code=unit), criterion=criterion,
                    value=value,
                )  # fmt: skip


def _actions(action: AuditEvent.Action) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_an_event_is_created_with_its_groups_criteria_and_judges(
    users: dict[str, Any],
) -> None:
    event = make_event(users["analyst"])
    assert event.status == "draft"
    assert [g.name for g in event.groups.order_by("order")] == ["县(市)组", "城区组"]
    assert sorted(u.code for u in event.groups.get(name="城区组").units.all()) == GROUPS["城区组"]
    assert [(c.name, c.maximum) for c in event.criteria.order_by("order")] == CRITERIA
    assert event.judges.get(user__username="j5").weight == 2.0


def test_bad_input_is_every_problem_at_once_and_nothing_is_stored(
    users: dict[str, Any],
) -> None:
    make_event(users["analyst"])
    viewer = users["viewer"]  # not a judge
    with pytest.raises(InputError) as raised:
        events.event_create(
            actor=users["analyst"], code="2026-q1", name="", period="Q1", year=2026,
            groups={"A": ["410821", "999999"], "B": ["410821"]},
            criteria=[("x", 0.0), ("x", 10.0)], judges=[{"user": viewer, "weight": -1}],
        )  # fmt: skip
    codes = sorted(p.code for p in raised.value.problems)
    assert codes == sorted(
        ["event.code_taken", "event.no_name", "event.bad_period", "event.unknown_unit",
         "event.unit_twice", "event.bad_maximum", "event.criterion_twice", "event.not_a_judge",
         "event.bad_weight"]
    )  # fmt: skip
    assert ObservationEvent.objects.count() == 1


def test_only_the_office_creates_or_opens(users: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    event = make_event(users["analyst"])
    for who in ("viewer", "county-410821"):
        with pytest.raises(PermissionDenied):
            events.event_open(actor=users[who], event=event)
    with pytest.raises(PermissionDenied):
        make_event(users["county-410821"], code="x")


def test_an_event_opens_only_with_groups_criteria_and_a_judge(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    bare = make_event(analyst, judges=())
    with pytest.raises(InputError) as raised:
        events.event_open(actor=analyst, event=bare)
    assert [p.code for p in raised.value.problems] == ["event.no_judges"]
    event = make_event(analyst, code="2026-q2")
    events.event_open(actor=analyst, event=event)
    event.refresh_from_db()
    assert event.status == "open"
    assert _actions(AuditEvent.Action.EVENT_OPEN) == 1


def test_the_status_says_who_has_scored_how_much(users: dict[str, Any]) -> None:
    """Four counties x two criteria = 8 scores each; j5 has scored 修武县 only (2 of 8)."""
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event, {**SCORES, "j5": {"410821": (54, 36)}})
    rows = {r.judge.user.username: r for r in events.status(event)}
    assert (rows["j1"].scored, rows["j1"].required, rows["j1"].complete) == (8, 8, True)
    assert (rows["j5"].scored, rows["j5"].percent) == (2, 25)
    assert rows["j5"].missing_units == ["博爱县", "解放区", "中站区"]
    assert [r.judge.user.username for r in events.missing(event)] == ["j5"]


def test_closing_with_missing_scores_is_refused_naming_who(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event, {k: v for k, v in SCORES.items() if k != "j4"})
    with pytest.raises(InputError) as raised:
        events.event_close(actor=analyst, event=event)
    (problem,) = raised.value.problems
    assert problem.code == "event.missing_scores"
    assert "j4" in problem.en
    assert "8 scores missing" in problem.en
    event.refresh_from_db()
    assert event.status == "open"
    assert Decision.objects.count() == 0


def test_waiting_keeps_it_open_and_is_recorded(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event, {k: v for k, v in SCORES.items() if k != "j4"})
    with pytest.raises(InputError):  # a choice needs its reason
        events.event_close(actor=analyst, event=event, choice="wait")
    assert events.event_close(actor=analyst, event=event, choice="wait", reason="路上") is False
    event.refresh_from_db()
    assert event.status == "open"
    (decision,) = Decision.objects.all()
    assert (decision.kind, decision.judge.user.username, decision.reason) == ("wait", "j4", "路上")
    assert _actions(AuditEvent.Action.EVENT_DECIDE) == 1
    assert _actions(AuditEvent.Action.EVENT_CLOSE) == 0


def test_leaving_out_closes_and_is_recorded_with_its_reason(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event, {k: v for k, v in SCORES.items() if k != "j4"})
    assert events.event_close(actor=analyst, event=event, choice="exclude", reason="未到场")
    event.refresh_from_db()
    assert event.status == "closed"
    assert Judge.objects.get(event=event, user__username="j4").excluded
    (decision,) = Decision.objects.all()
    assert (decision.kind, decision.reason) == ("exclude", "未到场")
    assert _actions(AuditEvent.Action.EVENT_CLOSE) == 1


def test_a_complete_event_closes_without_a_choice(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event)
    assert events.event_close(actor=analyst, event=event)
    assert Decision.objects.count() == 0
    with pytest.raises(InputError):  # closed already
        events.event_close(actor=analyst, event=event)


# -- results, flags, publication -----------------------------------------------------------------


def closed_event(actor: Any, code: str = "2026-q1", scores: Any = SCORES, **kw: Any) -> Any:
    event = make_event(actor, code, **kw)
    events.event_open(actor=actor, event=event)
    fill_scores(event, scores)
    events.event_close(actor=actor, event=event)
    event.refresh_from_db()
    return event


def test_the_results_are_the_engines_on_the_same_scores_as_worked_by_hand(
    users: dict[str, Any],
) -> None:
    """Trimmed, five judges: 修武县 80 82 84 86 90 -> 84 (j2 j3 j4 kept: 项目建设 50, 产业带动
    (32 + 34 + 36) / 3 = 34); 博爱县 -> 72; 解放区 -> 62; 中站区 -> 52; each first or second of
    its group."""
    import pandas as pd

    from kaoping.observation import Criterion, EventSpec, Judge, aggregate

    event = closed_event(users["analyst"])
    result = events.results(event)
    table = result.table
    assert table.loc["410821", ["项目建设", "产业带动", "total"]].tolist() == pytest.approx(
        [50, 34, 84]
    )
    assert table["total"].to_dict() == pytest.approx(
        {"410821": 84, "410822": 72, "410802": 62, "410803": 52}
    )
    assert table["rank"].to_dict() == {"410821": 1, "410822": 2, "410802": 1, "410803": 2}
    rows = [(j, u, c, v) for j, per in SCORES.items() for u, vs in per.items()
            for c, v in zip(("项目建设", "产业带动"), vs, strict=True)]  # fmt: skip
    spec = EventSpec(
        code="x", period="2026-Q1", groups=GROUPS,
        criteria=[Criterion(n, m) for n, m in CRITERIA],
        judges=[Judge(j, j, weight=2.0 if j == "j5" else 1.0) for j in SCORES],
        aggregation="trimmed", names=UNITS,
    )  # fmt: skip
    engine = aggregate(spec, pd.DataFrame(rows, columns=["judge", "unit", "criterion", "score"]))
    pd.testing.assert_frame_equal(table.sort_index(), engine.table.sort_index(), check_names=False)


def _flat_j5(actor: Any) -> Any:
    """j5 gives every county 40 + 30 = 70: flagged ``flat``."""
    flat = {**SCORES, "j5": dict.fromkeys(UNITS, (40.0, 30.0))}
    return closed_event(actor, scores=flat)


def test_a_flagged_judge_blocks_publication_until_decided(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = _flat_j5(analyst)
    assert list(events.flags(event)["kind"]) == ["flat"]
    assert [j.user.username for j in events.undecided(event)] == ["j5"]
    with pytest.raises(InputError) as raised:
        events.event_publish(actor=analyst, event=event)
    assert [p.code for p in raised.value.problems] == ["event.undecided"]
    j5 = Judge.objects.get(event=event, user__username="j5")
    events.event_decide(actor=analyst, event=event, judge=j5, kind="keep", reason="核实无误")
    assert events.undecided(event) == []
    assert "j5" in events.spec_of(event).kept
    events.event_publish(actor=analyst, event=event)
    event.refresh_from_db()
    assert event.status == "published"
    assert _actions(AuditEvent.Action.EVENT_PUBLISH) == 1


def test_leaving_out_a_flagged_judge_recomputes_without_it(users: dict[str, Any]) -> None:
    """Without j5, four judges (fewer than five: no trimming): 修武县 (80 + 82 + 84 + 86) / 4
    = 83."""
    analyst = users["analyst"]
    event = _flat_j5(analyst)
    j5 = Judge.objects.get(event=event, user__username="j5")
    with pytest.raises(InputError):  # a reason is needed
        events.event_decide(actor=analyst, event=event, judge=j5, kind="exclude", reason=" ")
    events.event_decide(actor=analyst, event=event, judge=j5, kind="exclude", reason="无区分度")
    result = events.results(event)
    assert result.table.at["410821", "total"] == pytest.approx(83)
    assert result.left_out == {"j5": "excluded"}
    assert Decision.objects.get(kind="exclude").reason == "无区分度"
    events.event_publish(actor=analyst, event=event)


# -- the annual composite and its feed -----------------------------------------------------------

JUDGED = """\
id: judged_mini
name: 评议示例
dimensions:
  - id: econ
    name: 指标
    indicators: [{id: g, name: 增速, direction: positive}]
  - id: obs
    name: 观摩
    indicators: [{id: j, name: 观摩评比, direction: positive}]
official:
  total_points: 20
  compare_within: all
  scoring:
    g: {points: 10, rule: efficacy}
    j: {points: 10, rule: {method: judged, criteria: {进度: 60, 质量: 40}, trim: true}}
"""


def _year(analyst: Any) -> None:
    """2026-q1 (trimmed: 84 72 62 52), 2026-q2 with j1-j3 (mean: 82 71 61 51), a 回头看 of q1
    by j1-j3 with 修武县 at 90 (90 71 61 51), each published."""
    three = ("j1", "j2", "j3")
    q1 = closed_event(analyst)
    q2 = closed_event(analyst, "2026-q2", period="2026-Q2", judges=three)
    again = {j: {**SCORES[j], "410821": (54.0, 36.0)} for j in three}
    review = closed_event(analyst, "2026-r1", again, period="2026-Q3", judges=three,
                          kind="review", reviews=("2026-q1",))  # fmt: skip
    for event in (q1, q2, review):
        events.event_publish(actor=analyst, event=event)


def test_the_composite_folds_the_look_back_into_the_event_it_reviews(
    users: dict[str, Any],
) -> None:
    """q1 after the 回头看 (share 0.5): 修武县 (84 + 90) / 2 = 87, 博爱县 (72 + 71) / 2 = 71.5;
    with q2 equally weighted: 修武县 (87 + 82) / 2 = 84.5, 博爱县 (71.5 + 71) / 2 = 71.25,
    解放区 (61.5 + 61) / 2 = 61.25, 中站区 51.25."""
    _year(users["analyst"])
    table = events.composite(2026)
    assert [e.code for e in table.events] == ["2026-q1", "2026-q2"]
    assert table.reviews == {"2026-r1": ["2026-q1"]}
    assert table.totals.at["410821", "2026-q1"] == pytest.approx(87)
    assert table.table["composite"].to_dict() == pytest.approx(
        {"410821": 84.5, "410822": 71.25, "410802": 61.25, "410803": 51.25}
    )
    assert table.table["rank"].to_dict() == {"410821": 1, "410822": 2, "410802": 1, "410803": 2}


def test_the_composite_weights_come_from_the_years_settings(users: dict[str, Any]) -> None:
    """Weights q1 3, q2 1: 修武县 (3 x 87 + 82) / 4 = 85.75."""
    from kaoping.web.parks.models import AnnualComposite

    _year(users["analyst"])
    AnnualComposite.objects.create(year=2026, weights={"2026-q1": 3, "2026-q2": 1})
    assert events.composite(2026).table.at["410821", "composite"] == pytest.approx(85.75)


@pytest.fixture
def judged_period(db: Any) -> Any:
    from kaoping.web.collection.models import Period, StoredMethodology

    StoredMethodology.objects.create(key="judged_mini", name="评议示例", text=JUDGED)
    return Period.objects.create(code="2026-KH", methodology="judged_mini", status="closed")


def test_feeding_writes_the_composite_as_a_judges_scores(
    users: dict[str, Any], judged_period: Any
) -> None:
    """修武县 84.5 of 100 -> 进度 0.845 x 60 = 50.7, 质量 0.845 x 40 = 33.8; four counties x
    two criteria = 8 rows, written again: still 8."""
    from kaoping.web.official.models import JudgedScore

    analyst = users["analyst"]
    _year(analyst)
    assert events.feed(actor=analyst, year=2026, period=judged_period) == 8
    mine = dict(JudgedScore.objects.filter(unit__code="410821").values_list("criterion", "score"))
    assert mine == pytest.approx({"进度": 50.7, "质量": 33.8})
    assert set(JudgedScore.objects.values_list("judge", flat=True)) == {"观摩评比2026"}
    assert events.feed(actor=analyst, year=2026, period=judged_period) == 8
    assert JudgedScore.objects.count() == 8
    assert _actions(AuditEvent.Action.COMPOSITE_FEED) == 2


def test_feeding_is_refused_for_a_published_period_or_one_without_judges(
    users: dict[str, Any], judged_period: Any
) -> None:
    from kaoping.web.collection.models import Period
    from kaoping.web.official.models import JudgedScore
    from kaoping.web.results.models import Assessment

    analyst = users["analyst"]
    _year(analyst)
    plain = Period.objects.create(code="2026", methodology="county_hqd")
    with pytest.raises(InputError) as raised:
        events.feed(actor=analyst, year=2026, period=plain)
    assert [p.code for p in raised.value.problems] == ["web.no_judged"]
    Assessment.objects.create(period=judged_period, methodology="judged_mini", inputs={},
                              inputs_hash="0" * 64, results=[], status="published")  # fmt: skip
    with pytest.raises(InputError) as raised:
        events.feed(actor=analyst, year=2026, period=judged_period)
    assert [p.code for p in raised.value.problems] == ["web.judged_published"]
    assert JudgedScore.objects.count() == 0
    assert _actions(AuditEvent.Action.COMPOSITE_FEED) == 0


def test_a_year_without_a_published_event_feeds_nothing(
    users: dict[str, Any], judged_period: Any
) -> None:
    with pytest.raises(InputError) as raised:
        events.feed(actor=users["analyst"], year=2031, period=judged_period)
    assert [p.code for p in raised.value.problems] == ["event.no_composite"]
