"""The judge's save (``/parks/observation/<code>/save/``) probed with malformed requests: each
answers 400 with a message (never a 500) and changes nothing; only an empty value clears.

The event is :func:`tests.web.parks.test_scoring.build_event`'s; judge-a has 35 points on
修武县 项目建设 (max 40) before every probe.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tests.web.conftest import CsrfClient
from tests.web.parks.test_scoring import build_event

from kaoping.web.collection.models import Unit
from kaoping.web.parks import scoring
from kaoping.web.parks.models import Criterion, Score

pytestmark = pytest.mark.django_db

BASE = "/parks/observation/2026-q1"


@pytest.fixture
def obs(units: dict[str, Unit]) -> SimpleNamespace:
    built = build_event()
    scoring.save_score(built.users["judge-a"], built.event, "410821", built.criteria[0].pk, "35")
    return built


def _body(unit: str, criterion: object, value: str) -> str:
    return f'{{"unit": {unit}, "criterion": {criterion}, "value": {value}}}'


def _post(obs: SimpleNamespace, body: str | bytes) -> Any:
    client = CsrfClient(obs.users["judge-a"])
    client.get(f"{BASE}/score/")
    token = client.client.cookies["csrftoken"].value
    return client.client.post(
        f"{BASE}/save/", body, content_type="application/json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )  # fmt: skip


def _stored(obs: SimpleNamespace) -> list[float]:
    project = obs.criteria[0]
    rows = Score.objects.filter(judge__user__username="judge-a", criterion=project)
    return list(rows.values_list("value", flat=True))


@pytest.mark.parametrize(
    "value",
    ["NaN", '"NaN"', '"NA"', '"—"', "Infinity", "-Infinity", "1e400", "9" * 400, '"1e999"',
     "true", '{"a": 1}', "[1]"],
)  # fmt: skip
def test_a_value_that_is_no_finite_number_is_refused_and_keeps_the_score(
    obs: SimpleNamespace, value: str
) -> None:
    project = obs.criteria[0]
    response = _post(obs, _body('"410821"', project.pk, value))
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["problems"]
    assert _stored(obs) == [35.0]


@pytest.mark.parametrize("value", ["-0.0", '"-0"', "0"])
def test_negative_zero_is_stored_and_shown_as_zero(obs: SimpleNamespace, value: str) -> None:
    project = obs.criteria[0]
    response = _post(obs, _body('"410821"', project.pk, value))
    assert response.status_code == 200
    assert response.json()["saved"] == "0"
    assert _stored(obs) == [0.0]


def test_a_county_code_with_spaces_is_saved_and_answered(obs: SimpleNamespace) -> None:
    project = obs.criteria[0]
    response = _post(obs, _body('" 410821 "', project.pk, "38"))
    assert response.status_code == 200
    assert response.json()["progress"]["unit"] == "410821"
    assert _stored(obs) == [38.0]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # nested past the decoder's recursion limit
        b"\xff\xfe{}",
        '"value"',
        "[1, 2]",
        "null",
        '{"unit": "410821", "criterion": 1}',  # no value
    ],
)
def test_an_unreadable_body_is_a_400_in_json(obs: SimpleNamespace, body: str | bytes) -> None:
    response = _post(obs, body)
    assert response.status_code == 400
    assert response.json()["problems"] == ["保存请求无法识别：请刷新页面后重新填写。"]
    assert _stored(obs) == [35.0]


@pytest.mark.parametrize(
    ("unit", "criterion"),
    [
        ('"410821\\u0000"', None),  # a NUL: PostgreSQL would refuse the query
        ('["410821"]', None),
        ('"410883"', None),  # a county of Jiaozuo not in the event
        ('"410821"', '"9999999999999999999999999"'),
        ('"410821"', "-1"),
        ('"410821"', "true"),
        ('"410821"', "1.5"),
    ],
)
def test_a_county_or_criterion_that_is_not_the_events_is_a_400(
    obs: SimpleNamespace, unit: str, criterion: str | None
) -> None:
    criterion = criterion or str(obs.criteria[0].pk)
    response = _post(obs, _body(unit, criterion, "1"))
    assert response.status_code == 400
    assert _stored(obs) == [35.0]


def test_a_criterion_of_another_event_is_a_400(obs: SimpleNamespace) -> None:
    theirs = Criterion.objects.create(event=obs.other, name="项目建设", maximum=40.0)
    response = _post(obs, _body('"410821"', theirs.pk, "1"))
    assert response.status_code == 400
    assert not Score.objects.filter(criterion=theirs).exists()
