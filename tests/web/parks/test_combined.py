"""The annual composite (指标考核 + 观摩评比): a published assessment's county scores combined
with the year's observation composite by the year's shares, ranked within the observation's
groups; the counties with one part only listed as left out; the office sets the shares.

The state: the year of :func:`tests.web.parks.test_events._year`, whose observation composite
is 修武县 84.5, 博爱县 71.25 (县(市)组), 解放区 61.25, 中站区 51.25 (城区组); and
:func:`_assessment`, a published assessment scoring 修武县 90, 博爱县 95, 解放区 70 and 孟州市
410883 60 (no observation), with 中站区 absent.

By hand, shares 80/20 (the default, no AnnualComposite row): 修武县 0.8 x 90 + 0.2 x 84.5 =
72 + 16.9 = 88.9; 博爱县 0.8 x 95 + 0.2 x 71.25 = 76 + 14.25 = 90.25, first of 县(市)组
ahead of 修武县; 解放区 0.8 x 70 + 0.2 x 61.25 = 56 + 12.25 = 68.25, first of 城区组.
Shares 60/40: 修武县 54 + 33.8 = 87.8, 博爱县 57 + 28.5 = 85.5: 修武县 first.  The issue's
plain example: indicators 90, observation 80 -> 72 + 16 = 88 (80/20), 54 + 32 = 86 (60/40).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from tests.web.parks.test_events import _year

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Period
from kaoping.web.parks import events
from kaoping.web.parks.models import AnnualComposite
from kaoping.web.results.models import Assessment

pytestmark = pytest.mark.django_db

SCORES = {"410821": 90.0, "410822": 95.0, "410802": 70.0, "410883": 60.0}


def _assessment(
    code: str = "2025", status: str = "published", scores: dict[str, Any] = SCORES
) -> Assessment:
    period, _ = Period.objects.get_or_create(code=code, defaults={"methodology": "county_hqd"})
    results = [{"unit": u, "name": u, "score": s, "rank": i + 1}
               for i, (u, s) in enumerate(scores.items())]  # fmt: skip
    return Assessment.objects.create(
        period=period, methodology="county_hqd", inputs={}, inputs_hash="0" * 64,
        results=results, status=status,
        published_at=timezone.now() if status == "published" else None,
    )  # fmt: skip


def _table(table: events.CombinedTable) -> dict[str, tuple[int | None, float | None]]:
    return {r.code: (r.rank, r.combined) for rows in table.groups.values() for r in rows}


def test_the_combined_score_is_worked_by_hand_and_follows_the_shares(
    users: dict[str, Any],
) -> None:
    """See the module's docstring: 80/20 then 60/40; the order within 县(市)组 flips."""
    analyst = users["analyst"]
    _year(analyst)
    assessment = _assessment()
    table = events.combined(2026, assessment)
    assert (table.indicator_share, table.observation_share) == (80.0, 20.0)
    assert list(table.groups) == ["县(市)组", "城区组"]
    assert [r.code for r in table.groups["县(市)组"]] == ["410822", "410821"]
    assert _table(table) == {
        "410822": (1, pytest.approx(90.25)),
        "410821": (2, pytest.approx(88.9)),
        "410802": (1, pytest.approx(68.25)),
    }
    row = table.groups["县(市)组"][1]
    assert (row.name, row.indicator, row.observation) == ("修武县", 90.0, pytest.approx(84.5))
    events.set_shares(actor=analyst, year=2026, indicator_share="60")
    table = events.combined(2026, assessment)
    assert (table.indicator_share, table.observation_share) == (60.0, 40.0)
    assert _table(table) == {
        "410821": (1, pytest.approx(87.8)),
        "410822": (2, pytest.approx(85.5)),
        "410802": (1, pytest.approx(66.5)),  # 0.6 x 70 + 0.4 x 61.25 = 42 + 24.5
    }


def test_a_county_with_one_part_only_is_listed_as_left_out_not_dropped(
    users: dict[str, Any],
) -> None:
    """中站区 has an observation composite (51.25) but no score in the assessment; 孟州市 a
    score (60) but no observation; 解放区's score is missing (None) in a second assessment."""
    analyst = users["analyst"]
    _year(analyst)
    table = events.combined(2026, _assessment())
    assert [(r.code, r.group, r.missing, r.indicator, r.observation) for r in table.left_out] == [
        ("410803", "城区组", "indicators", None, pytest.approx(51.25))
    ]
    assert [(r.code, r.missing, r.indicator) for r in table.not_observed] == [
        ("410883", "observation", 60.0)
    ]
    other = _assessment("2024", scores={**SCORES, "410802": None})
    table = events.combined(2026, other)
    assert {r.code: r.missing for r in table.left_out} == {
        "410802": "indicators",
        "410803": "indicators",
    }
    assert list(_table(table)) == ["410822", "410821"]


def test_only_a_published_assessment_is_combined(users: dict[str, Any]) -> None:
    _year(users["analyst"])
    announced = _assessment(status="announced")
    with pytest.raises(InputError) as raised:
        events.combined(2026, announced)
    assert [p.code for p in raised.value.problems] == ["event.assessment_not_published"]
    assert list(events.published_assessments()) == []


@pytest.mark.parametrize("raw", ["abc", "", "120", "-1", "nan", "inf"])
def test_bad_shares_are_refused_naming_the_field_and_nothing_is_stored(
    users: dict[str, Any], raw: str
) -> None:
    with pytest.raises(InputError) as raised:
        events.set_shares(actor=users["analyst"], year=2026, indicator_share=raw)
    (problem,) = raised.value.problems
    assert (problem.code, problem.where) == ("event.bad_indicator_share", "indicator_share")
    assert "Share of the indicators" in problem.en
    assert "指标考核占比" in problem.zh
    assert AnnualComposite.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.COMPOSITE_SHARES).exists()


def test_setting_the_shares_keeps_the_years_weights_and_is_audited(
    users: dict[str, Any],
) -> None:
    AnnualComposite.objects.create(year=2026, weights={"2026-q1": 3})
    events.set_shares(actor=users["analyst"], year=2026, indicator_share=" 75 % ")
    settings = AnnualComposite.objects.get(year=2026)
    assert (settings.indicator_share, settings.observation_share) == (75.0, 25.0)
    assert settings.weights == {"2026-q1": 3}
    (audit,) = AuditEvent.objects.filter(action=AuditEvent.Action.COMPOSITE_SHARES)
    assert audit.data == {
        "year": 2026,
        "shares": {"indicators": 75.0, "observation": 25.0},
        "previous": {"indicators": 80.0, "observation": 20.0},
    }
    assert events.shares(2027) == (80.0, 20.0)


def test_only_the_office_sets_the_shares(users: dict[str, Any]) -> None:
    for who in ("viewer", "county-410821"):
        with pytest.raises(PermissionDenied):
            events.set_shares(actor=users[who], year=2026, indicator_share="60")
    assert AnnualComposite.objects.count() == 0


# -- the page ------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    """Signed in, reading English (the page's msgids; zh-Hans is the default language)."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _get(user: Any, path: str) -> str:
    response = _client(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_latest_published_assessment_unless_another_is_chosen(
    users: dict[str, Any],
) -> None:
    _year(users["analyst"])
    first = _assessment("2024", scores={"410821": 50.0, "410822": 40.0})
    latest = _assessment()
    html = _get(users["viewer"], "/parks/observation/year/2026/")
    assert "Indicators and observation" in html
    assert "Indicators (80%)" in html
    assert "Observation (20%)" in html
    assert f'<option value="{latest.pk}" selected>' in html
    assert "90.25" in html
    assert "88.90" in html
    assert "no score in this assessment" in html  # 中站区
    assert "1 county of the assessment is not in the observation" in html  # 孟州市
    assert 'name="indicator_share"' not in html  # not the office's
    html = _get(users["county-410821"], f"/parks/observation/year/2026/?assessment={first.pk}")
    assert f'<option value="{first.pk}" selected>' in html
    # 修武县 0.8 x 50 + 0.2 x 84.5 = 40 + 16.9 = 56.9; 博爱县 0.8 x 40 + 0.2 x 71.25 = 46.25
    assert "56.90" in html
    assert "46.25" in html
    assert "90.25" not in html


def test_an_unpublished_or_unknown_assessment_is_not_found(users: dict[str, Any]) -> None:
    announced = _assessment(status="announced")
    client = _client(users["analyst"])
    for pk in (announced.pk, 999, "x"):
        response = client.get(f"/parks/observation/year/2026/?assessment={pk}")
        assert response.status_code == 404


def test_the_office_changes_the_shares_from_the_page(users: dict[str, Any]) -> None:
    _year(users["analyst"])
    assessment = _assessment()
    client = _client(users["analyst"])
    response = client.post(
        "/parks/observation/year/2026/shares/",
        {"indicator_share": "60", "assessment": str(assessment.pk)},
    )
    assert response.status_code == 302
    assert (
        response["Location"] == f"/parks/observation/year/2026/?assessment={assessment.pk}#combined"
    )
    html = client.get(response["Location"]).content.decode()
    assert "Indicators (60%)" in html
    assert "Observation (40%)" in html
    assert "87.80" in html
    response = client.post(
        "/parks/observation/year/2026/shares/",
        {"indicator_share": "101", "assessment": str(assessment.pk)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The shares were not changed." in html
    assert 'id="share-problem"' in html
    assert "Share of the indicators" in html
    assert 'value="101"' in html  # what was typed, to correct
    assert "Indicators (60%)" in html  # the page still shows the stored shares
    assert AnnualComposite.objects.get(year=2026).indicator_share == 60.0
