"""The judge's pages (:mod:`kaoping.web.parks.score_views`): the event's counties with the
judge's progress, one county's criteria, the JSON save that ``score.js`` calls, the submit.

The event is :func:`tests.web.parks.test_scoring.build_event`'s (4 counties × 3 criteria,
maxima 40/30/30).  Worked by hand: judge-a scores 修武县 项目建设 = 35 and 产业集聚 = 25.5;
the list then says 修武县 2/3, the others 0/3, "2 of 12 scores given" and 10 missing; judge-b's
12 on 修武县 项目建设 never shows on judge-a's pages.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from tests.web.conftest import CsrfClient
from tests.web.parks.test_scoring import build_event

from kaoping.web.collection.models import Unit
from kaoping.web.parks import scoring
from kaoping.web.parks.models import Judge, ObservationEvent, Score

pytestmark = pytest.mark.django_db

BASE = "/parks/observation/2026-q1"


@pytest.fixture
def obs(units: dict[str, Unit]) -> SimpleNamespace:
    built = build_event()
    a, event = built.users["judge-a"], built.event
    project, cluster, _climate = built.criteria
    scoring.save_score(a, event, "410821", project.pk, "35")
    scoring.save_score(a, event, "410821", cluster.pk, "25.5")
    scoring.save_score(built.users["judge-b"], event, "410821", project.pk, "12")
    return built


def _as(obs: SimpleNamespace, name: str) -> CsrfClient:
    return CsrfClient(obs.users[name])


def _en(obs: SimpleNamespace, name: str) -> CsrfClient:
    """The judge's client reading the pages in English (the texts checked are the msgids)."""
    client = CsrfClient(obs.users[name])
    client.client.cookies["django_language"] = "en"
    return client


def _save(client: CsrfClient, **data: Any) -> Any:
    """A save as score.js sends it (JSON, the CSRF header)."""
    client.get(f"{BASE}/score/")  # the csrftoken cookie
    token = client.client.cookies["csrftoken"].value
    return client.client.post(
        f"{BASE}/save/", json.dumps(data), content_type="application/json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )  # fmt: skip


def test_the_event_page_lists_the_counties_by_group_with_the_judges_progress(
    obs: SimpleNamespace,
) -> None:
    html = _en(obs, "judge-a").get(f"{BASE}/score/").content.decode()
    assert re.findall(r"<h2>(.*?)</h2>", html) == ["县(市)组", "城区组"]
    counts = re.findall(
        r'unit-name">(.*?)</span>\s*<span class="unit-count"[^>]*>(.*?)</span>', html
    )
    assert counts == [("修武县", "2/3"), ("博爱县", "0/3"), ("武陟县", "0/3"), ("解放区", "0/3")]
    assert "2 of 12 scores given" in html
    assert re.search(r'<button type="submit" class="judge-button primary" disabled>', html)
    assert "10 scores are still missing" in html
    assert f'href="{BASE}/score/410821/"' in html  # continue where the judge stopped


def test_a_complete_sheet_enables_submit(obs: SimpleNamespace) -> None:
    for unit in obs.units.values():
        for criterion in obs.criteria:
            scoring.save_score(obs.users["judge-a"], obs.event, unit.code, criterion.pk, "5")
    html = _as(obs, "judge-a").get(f"{BASE}/score/").content.decode()
    assert re.search(r'<button type="submit" class="judge-button primary">', html)
    assert html.count("✓") == 4


def test_a_countys_page_has_its_visits_criteria_inputs_and_own_saved_values(
    obs: SimpleNamespace,
) -> None:
    html = _en(obs, "judge-a").get(f"{BASE}/score/410821/").content.decode()
    assert "新材料产业园年产 5 万吨项目" in html
    assert "智能装备制造基地" in html
    project, cluster, climate = obs.criteria
    inputs = re.findall(r"<input id=\"c(\d+)\"([^>]*)>", html)
    assert [int(pk) for pk, _ in inputs] == [project.pk, cluster.pk, climate.pk]
    attrs = dict(inputs)
    for pk, top, value in ((project.pk, "40", "35"), (cluster.pk, "30", "25.5"),
                           (climate.pk, "30", "")):  # fmt: skip
        assert 'type="number"' in attrs[str(pk)]
        assert 'inputmode="decimal"' in attrs[str(pk)]
        assert f'min="0" max="{top}"' in attrs[str(pk)]
        assert f'value="{value}"' in attrs[str(pk)]
    assert 'value="12"' not in html  # judge-b's score of the same cell
    assert "投资规模、开工率、形象进度" in html  # the hint
    assert "max 40" in html
    assert "2 of 3 criteria scored" in html
    assert 'rel="next" href="/parks/observation/2026-q1/score/410822/"' in html
    assert 'rel="prev"' not in html
    last = _en(obs, "judge-a").get(f"{BASE}/score/410802/").content.decode()
    assert 'rel="prev" href="/parks/observation/2026-q1/score/410823/"' in last
    assert "county 4 of 4" in last


def test_another_judge_sees_only_their_own_values(obs: SimpleNamespace) -> None:
    html = _en(obs, "judge-b").get(f"{BASE}/score/410821/").content.decode()
    assert 'value="12"' in html
    assert 'value="35"' not in html
    assert 'value="25.5"' not in html
    listing = _en(obs, "judge-b").get(f"{BASE}/score/").content.decode()
    assert "1 of 12 scores given" in listing


def test_a_county_outside_the_event_is_404(obs: SimpleNamespace) -> None:
    Unit.objects.create(code="410883", name="孟州市")
    assert _as(obs, "judge-a").get(f"{BASE}/score/410883/").status_code == 404


def test_the_json_save_stores_and_answers_the_progress(obs: SimpleNamespace) -> None:
    climate = obs.criteria[2]
    response = _save(_as(obs, "judge-a"), unit="410821", criterion=climate.pk, value="28")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True, "saved": "28",
        "progress": {"unit": "410821", "scored": 3, "required": 3, "complete": True},
        "totals": {"scored": 3, "required": 12, "left": 9},
    }  # fmt: skip
    cleared = _save(_as(obs, "judge-a"), unit="410821", criterion=climate.pk, value="")
    assert cleared.json()["saved"] is None
    assert cleared.json()["progress"]["scored"] == 2


def test_a_bad_value_answers_400_with_the_message_and_stores_nothing(
    obs: SimpleNamespace,
) -> None:
    project = obs.criteria[0]
    response = _save(_as(obs, "judge-a"), unit="410821", criterion=project.pk, value="45")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    (text,) = body["problems"]
    assert "项目建设" in text
    assert "45" in text
    assert "40" in text
    assert Score.objects.get(judge__user__username="judge-a", criterion=project).value == 35.0
    unreadable = _as(obs, "judge-a")
    unreadable.get(f"{BASE}/score/")
    token = unreadable.client.cookies["csrftoken"].value
    broken = unreadable.client.post(
        f"{BASE}/save/", "{not json", content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert broken.status_code == 400
    assert broken.json()["problems"] == ["保存请求无法识别：请刷新页面后重新填写。"]


def test_a_save_without_the_csrf_token_is_refused(obs: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(obs.users["judge-a"])
    response = client.post(
        f"{BASE}/save/", json.dumps({"unit": "410821", "criterion": obs.criteria[2].pk,
                                     "value": "3"}), content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert Score.objects.filter(criterion=obs.criteria[2]).count() == 0


def test_a_save_after_the_event_closed_answers_403_in_json(obs: SimpleNamespace) -> None:
    client = _as(obs, "judge-a")
    client.get(f"{BASE}/score/")  # the cookie, while open
    ObservationEvent.objects.filter(pk=obs.event.pk).update(status="closed")
    token = client.client.cookies["csrftoken"].value
    response = client.client.post(
        f"{BASE}/save/", json.dumps({"unit": "410821", "criterion": obs.criteria[2].pk,
                                     "value": "3"}), content_type="application/json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert _as(obs, "judge-a").get(f"{BASE}/score/").status_code == 403


def test_a_plain_form_save_redirects_back_to_the_county(obs: SimpleNamespace) -> None:
    """Without JavaScript each criterion is its own form with a Save button."""
    client = _as(obs, "judge-a")
    response = client.post(
        f"{BASE}/save/", {"unit": "410822", "criterion": obs.criteria[0].pk, "value": "33"}
    )
    assert (response.status_code, response["Location"]) == (302, f"{BASE}/score/410822/")
    with translation.override("zh-hans"):  # the page's language (translated by the lead)
        saved = gettext("Saved.")
    assert saved in client.get(f"{BASE}/score/410822/").content.decode()
    bad = client.post(
        f"{BASE}/save/", {"unit": "410822", "criterion": obs.criteria[0].pk, "value": "x"}
    )
    assert bad.status_code == 302
    page = client.get(bad["Location"]).content.decode()
    assert "得分不是数字" in page
    assert Score.objects.get(judge__user__username="judge-a", unit__code="410822").value == 33.0


def test_submit_refused_while_incomplete_then_submitted(obs: SimpleNamespace) -> None:
    client = _as(obs, "judge-a")
    refused = client.post(f"{BASE}/submit/")
    assert refused.status_code == 302
    page = client.get(refused["Location"]).content.decode()
    with translation.override("zh-hans"):
        missing = gettext("Not submitted: %(n)d scores are still missing.") % {"n": 10}
    assert missing in page
    assert "博爱县的“项目建设”还没有打分" in page
    assert Judge.objects.get(user__username="judge-a").submitted_at is None
    for unit in obs.units.values():
        for criterion in obs.criteria:
            scoring.save_score(obs.users["judge-a"], obs.event, unit.code, criterion.pk, "5")
    done = client.post(f"{BASE}/submit/")
    assert done.status_code == 302
    assert Judge.objects.get(user__username="judge-a").submitted_at is not None
    page = client.get(f"{BASE}/score/").content.decode()
    assert 'class="judge-submit"' not in page  # no Submit button any more
    unit_page = client.get(f"{BASE}/score/410821/").content.decode()
    assert unit_page.count(" disabled>") == 3  # read-only inputs
