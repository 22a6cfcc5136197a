"""A judge's scoring services (:mod:`kaoping.web.parks.scoring`): one value saved at a time,
submitted when complete, nobody else's row reachable.

The event of these tests (:func:`build_event`, shared by the matrix and the browser test):
2026-q1, 焦作市 2026 年第一季度观摩评比, open; groups 县(市)组 = 修武县 410821, 博爱县 410822,
武陟县 410823 and 城区组 = 解放区 410802; criteria 项目建设 (max 40), 产业集聚 (max 30),
营商环境 (max 30); judges judge-a and judge-b of the event, judge-other only of 2026-q2.

Reference values, worked by hand: 4 counties × 3 criteria = 12 scores a judge owes.  After
judge-a scores 修武县 40, 25.5 and 0, its progress is 修武县 3/3 and every other county 0/3,
and submitting is refused with the 3 × 3 = 9 county × criterion pairs of 博爱县, 武陟县 and
解放区.  "４０" (full-width) is read as 40 by :func:`kaoping.data.parse_number`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Membership, Role, Unit
from kaoping.web.parks import scoring
from kaoping.web.parks.models import (
    Criterion,
    EventGroup,
    Judge,
    ObservationEvent,
    Score,
    Visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    """The services' messages in English (the texts matched below are the msgids)."""
    with translation.override("en"):
        yield


GROUPS = {"县(市)组": ["410821", "410822", "410823"], "城区组": ["410802"]}
NAMES = {"410821": "修武县", "410822": "博爱县", "410823": "武陟县", "410802": "解放区"}
CRITERIA = [("项目建设", 40.0, "投资规模、开工率、形象进度"), ("产业集聚", 30.0, ""),
            ("营商环境", 30.0, "审批时限、要素保障")]  # fmt: skip


def _account(name: str, role: Role = Role.JUDGE) -> Any:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        user = get_user_model().objects.create_user(username=name, password="pw")
        Membership.objects.create(user=user, role=role)
    return user


def build_event(
    groups: dict[str, list[str]] | None = None,
    status: str = ObservationEvent.Status.OPEN,
    code: str = "2026-q1",
) -> SimpleNamespace:
    """The event above (``groups`` and ``status`` may differ), with judge-a and judge-b, and
    judge-other judging only a draft 2026-q2; units created when missing."""
    groups = GROUPS if groups is None else groups
    event = ObservationEvent.objects.create(
        code=code, name="焦作市 2026 年第一季度观摩评比", period="2026-Q1", year=2026,
        status=status, opened_at=timezone.now(),
    )  # fmt: skip
    units: dict[str, Unit] = {}
    for order, (name, codes) in enumerate(groups.items()):
        group = EventGroup.objects.create(event=event, name=name, order=order)
        for unit_code in codes:
            units[unit_code], _ = Unit.objects.get_or_create(
                code=unit_code, defaults={"name": NAMES[unit_code]}
            )
            group.units.add(units[unit_code])
    criteria = [
        Criterion.objects.create(event=event, name=name, maximum=top, hint=hint, order=i)
        for i, (name, top, hint) in enumerate(CRITERIA)
    ]
    for first in list(units.values())[:1]:  # the first county's itinerary: two projects
        Visit.objects.create(event=event, unit=first, order=1, title="新材料产业园年产 5 万吨项目")
        Visit.objects.create(event=event, unit=first, order=2, title="智能装备制造基地")
    users = {name: _account(name) for name in ("judge-a", "judge-b", "judge-other")}
    judges = {
        name: Judge.objects.create(event=event, user=users[name], name=name, role="市直部门")
        for name in ("judge-a", "judge-b")
    }
    other = ObservationEvent.objects.create(
        code=f"{code}-next", name="第二季度", period="2026-Q2", year=2026
    )
    Judge.objects.create(event=other, user=users["judge-other"], name="judge-other")
    return SimpleNamespace(
        event=event, units=units, criteria=criteria, users=users, judges=judges, other=other
    )


@pytest.fixture
def obs(units: dict[str, Unit]) -> SimpleNamespace:
    return build_event()


def _fill(obs: SimpleNamespace, judge: str, value: float = 10.0) -> None:
    for unit in obs.units.values():
        for criterion in obs.criteria:
            scoring.save_score(obs.users[judge], obs.event, unit.code, criterion.pk, value)


def _codes(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return error.value.codes


# -- saving one value --------------------------------------------------------------------------


def test_a_value_is_saved_parsed_and_counted(obs: SimpleNamespace) -> None:
    a, event = obs.users["judge-a"], obs.event
    project, cluster, climate = obs.criteria
    assert scoring.save_score(a, event, "410821", project.pk, "４０").value == 40.0  # type: ignore[union-attr]
    scoring.save_score(a, event, "410821", cluster.pk, "25.5")
    scoring.save_score(a, event, "410821", str(climate.pk), 0)
    progress = {
        p.unit.code: (p.scored, p.required) for p in scoring.progress(obs.judges["judge-a"])
    }
    assert progress == {"410821": (3, 3), "410822": (0, 3), "410823": (0, 3), "410802": (0, 3)}
    assert [p.group for p in scoring.progress(obs.judges["judge-a"])] == ["县(市)组"] * 3 + [
        "城区组"
    ]
    assert scoring.scores_of(obs.judges["judge-a"]) == {
        (obs.units["410821"].pk, project.pk): 40.0,
        (obs.units["410821"].pk, cluster.pk): 25.5,
        (obs.units["410821"].pk, climate.pk): 0.0,
    }


def test_scoring_twice_updates_the_one_row(obs: SimpleNamespace) -> None:
    a, event, criterion = obs.users["judge-a"], obs.event, obs.criteria[0]
    first = scoring.save_score(a, event, "410821", criterion.pk, "30")
    second = scoring.save_score(a, event, "410821", criterion.pk, "35")
    again = scoring.save_score(a, event, "410821", criterion.pk, "35")  # a retried save
    assert first is not None
    assert second is not None
    assert again is not None
    assert first.pk == second.pk == again.pk
    assert list(Score.objects.values_list("value", flat=True)) == [35.0]


def test_an_empty_value_clears_the_score(obs: SimpleNamespace) -> None:
    a, event, criterion = obs.users["judge-a"], obs.event, obs.criteria[0]
    scoring.save_score(a, event, "410821", criterion.pk, "30")
    assert scoring.save_score(a, event, "410821", criterion.pk, "  ") is None
    assert scoring.save_score(a, event, "410821", criterion.pk, None) is None  # twice: no error
    assert Score.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "code", "zh", "en"),
    [
        ("41", "observation.out_of_range", "修武县“项目建设”的得分 41 超出范围：该项满分 40 分",
         "outside the range: this criterion's maximum is 40"),
        ("-1", "observation.out_of_range", "得分 -1 超出范围", "-1 points is outside"),
        ("40.01", "observation.out_of_range", "得分 40.01 超出范围", "40.01 points"),
        ("abc", "observation.not_a_number", "修武县“项目建设”的得分不是数字", "not a number"),
        ("12,3%", "observation.not_a_number", "请填 0 到 40 之间的分数", "between 0 and 40"),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_naming_the_county_and_criterion(
    obs: SimpleNamespace, raw: str, code: str, zh: str, en: str
) -> None:
    criterion = obs.criteria[0]
    scoring.save_score(obs.users["judge-a"], obs.event, "410821", criterion.pk, "20")
    with pytest.raises(InputError) as error:
        scoring.save_score(obs.users["judge-a"], obs.event, "410821", criterion.pk, raw)
    (problem,) = error.value.problems
    assert problem.code == code
    assert zh in problem.zh
    assert en in problem.en
    assert problem.where == "410821 修武县 · 项目建设"
    assert list(Score.objects.values_list("value", flat=True)) == [20.0]  # the old one kept


def test_the_bounds_themselves_are_allowed(obs: SimpleNamespace) -> None:
    for raw, expected in (("0", 0.0), ("40", 40.0), ("0.5", 0.5)):
        score = scoring.save_score(
            obs.users["judge-a"], obs.event, "410821", obs.criteria[0].pk, raw
        )
        assert score is not None
        assert score.value == expected


def test_a_county_or_criterion_outside_the_event_is_refused(obs: SimpleNamespace) -> None:
    outside = Unit.objects.create(code="410883", name="孟州市")  # a unit, not of the groups
    foreign = Criterion.objects.create(event=obs.other, name="别的活动", maximum=10)
    a = obs.users["judge-a"]
    with pytest.raises(InputError) as error:
        scoring.save_score(a, obs.event, outside.code, foreign.pk, "5")
    assert _codes(error) == ["observation.unknown_unit", "observation.unknown_criterion"]
    assert [p.where for p in error.value] == ["unit", "criterion"]
    with pytest.raises(InputError) as error:
        scoring.save_score(a, obs.event, "410821", "x1", "5")
    assert _codes(error) == ["observation.unknown_criterion"]
    assert Score.objects.count() == 0


def test_another_judges_row_cannot_be_written(obs: SimpleNamespace) -> None:
    """The judge row comes from the account: judge-a's saves land in judge-a's row only, and an
    account that is not a judge of the event (judge-other, a county, the analyst) is refused."""
    criterion = obs.criteria[0]
    scoring.save_score(obs.users["judge-b"], obs.event, "410821", criterion.pk, "12")
    scoring.save_score(obs.users["judge-a"], obs.event, "410821", criterion.pk, "30")
    by_judge = dict(Score.objects.values_list("judge__user__username", "value"))
    assert by_judge == {"judge-a": 30.0, "judge-b": 12.0}
    analyst = _account("analyst-x", Role.ANALYST)
    for intruder in (obs.users["judge-other"], analyst):
        with pytest.raises(PermissionDenied, match="not a judge of this observation"):
            scoring.save_score(intruder, obs.event, "410821", criterion.pk, "1")
    assert Score.objects.count() == 2
    assert scoring.scores_of(obs.judges["judge-a"]) == {
        (obs.units["410821"].pk, criterion.pk): 30.0
    }


@pytest.mark.parametrize("status", ["draft", "closed", "published"])
def test_a_closed_event_refuses_saves_and_submits(obs: SimpleNamespace, status: str) -> None:
    _fill(obs, "judge-a")
    ObservationEvent.objects.filter(pk=obs.event.pk).update(status=status)
    obs.event.refresh_from_db()
    with pytest.raises(PermissionDenied, match="not open for scoring"):
        scoring.save_score(obs.users["judge-a"], obs.event, "410821", obs.criteria[0].pk, "1")
    with pytest.raises(PermissionDenied, match="not open for scoring"):
        scoring.submit(obs.users["judge-a"], obs.event)
    assert set(Score.objects.values_list("value", flat=True)) == {10.0}


def test_an_event_closed_meanwhile_wins_over_a_stale_event_object(obs: SimpleNamespace) -> None:
    stale = ObservationEvent.objects.get(pk=obs.event.pk)  # read while open
    ObservationEvent.objects.filter(pk=obs.event.pk).update(status="closed")
    with pytest.raises(PermissionDenied):
        scoring.save_score(obs.users["judge-a"], stale, "410821", obs.criteria[0].pk, "1")
    assert Score.objects.count() == 0


# -- submitting ----------------------------------------------------------------------------------


def test_submit_lists_every_missing_county_and_criterion(obs: SimpleNamespace) -> None:
    a = obs.users["judge-a"]
    for criterion, raw in zip(obs.criteria, ("40", "25.5", "0"), strict=True):
        scoring.save_score(a, obs.event, "410821", criterion.pk, raw)
    with pytest.raises(InputError) as error:
        scoring.submit(a, obs.event)
    assert set(_codes(error)) == {"observation.missing_score"}
    assert [p.where for p in error.value] == [
        f"{code} {NAMES[code]} · {name}"
        for code in ("410822", "410823", "410802")
        for name, _top, _hint in CRITERIA
    ]
    first = error.value.problems[0]
    assert first.zh == "博爱县的“项目建设”还没有打分：请打分后再提交（满分 40 分，可填 0）。"
    assert Judge.objects.get(pk=obs.judges["judge-a"].pk).submitted_at is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SCORES_SUBMIT).exists()


def test_one_missing_criterion_is_named(obs: SimpleNamespace) -> None:
    _fill(obs, "judge-a")
    scoring.save_score(obs.users["judge-a"], obs.event, "410802", obs.criteria[2].pk, "")
    with pytest.raises(InputError) as error:
        scoring.submit(obs.users["judge-a"], obs.event)
    assert [p.where for p in error.value] == ["410802 解放区 · 营商环境"]


def test_a_complete_sheet_is_submitted_then_frozen_until_reopened(obs: SimpleNamespace) -> None:
    a = obs.users["judge-a"]
    _fill(obs, "judge-a", 20.0)
    judge = scoring.submit(a, obs.event)
    assert judge.submitted_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.SCORES_SUBMIT)
    assert (event.actor, event.data) == (a, {"event": "2026-q1", "judge": judge.pk, "scores": 12})
    with pytest.raises(PermissionDenied, match="submitted your scores"):
        scoring.save_score(a, obs.event, "410821", obs.criteria[0].pk, "1")
    with pytest.raises(PermissionDenied, match="submitted your scores"):
        scoring.submit(a, obs.event)
    assert set(Score.objects.values_list("value", flat=True)) == {20.0}
    # judge-b is not held up by judge-a's submission
    scoring.save_score(obs.users["judge-b"], obs.event, "410821", obs.criteria[0].pk, "3")
    # the organiser reopens judge-a's sheet
    Judge.objects.filter(pk=judge.pk).update(submitted_at=None)
    assert scoring.save_score(a, obs.event, "410821", obs.criteria[0].pk, "1") is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SCORES_SUBMIT).count() == 1


def test_progress_of_an_event_without_criteria_or_groups(units: dict[str, Unit]) -> None:
    built = build_event(groups={})
    assert scoring.progress(built.judges["judge-a"]) == []
    with pytest.raises(PermissionDenied):
        scoring.submit(built.users["judge-other"], built.event)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(points=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_any_points_inside_the_range_are_stored_outside_refused(
    obs: SimpleNamespace, points: float
) -> None:
    """Hypothesis: every value of 0..30 is stored exactly as given; every value outside is
    refused and leaves the stored one (reset to 15 before each example) as it was."""
    a, event, criterion = obs.users["judge-a"], obs.event, obs.criteria[1]  # max 30
    scoring.save_score(a, event, "410821", criterion.pk, 15)
    if 0 <= points <= 30:
        saved = scoring.save_score(a, event, "410821", criterion.pk, repr(points))
        assert saved is not None
        assert saved.value == points
    else:
        with pytest.raises(InputError) as error:
            scoring.save_score(a, event, "410821", criterion.pk, repr(points))
        assert error.value.codes == ["observation.out_of_range"]
        assert Score.objects.get().value == 15.0
    assert Score.objects.count() == 1
