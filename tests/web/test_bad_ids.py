"""An assessment or objection id that is not one (``?assessment=abc``, a number beyond the
database's integers, ``１`` in full width) or names nothing answers 404 on every page and
action that takes one, the profile and the objection form included, never a 500, on SQLite
and PostgreSQL alike (test_league_view.py has the league table, the map and the actions)."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.web.collection.models import Period
from kaoping.web.results import services
from kaoping.web.results.models import Assessment, Objection

BAD = ["abc", "1.5", "-1", "0", "1e3", "0x10", "１", " 1", "9" * 30, str(2**63), "1;DROP"]
PAGES = ["/results/2024/", "/results/2024/unit/410821/", "/results/2024/map/"]


@pytest.fixture
def announced(users: dict[str, Any], periods: dict[str, Period], approved: Any) -> Assessment:
    assessment = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded={"410823": "未按期报送"}
    )
    services.assessment_announce(actor=users["analyst"], assessment=assessment, days=5)
    return assessment


@pytest.mark.parametrize("page", PAGES)
def test_a_page_given_a_bad_or_unknown_assessment_id_answers_404(
    client_for: Any, announced: Assessment, page: str
) -> None:
    for role in ("analyst", "county-410821"):
        client = client_for(role)
        assert client.get(f"{page}?assessment={announced.pk}").status_code == 200
        for bad in [*BAD, str(announced.pk + 1000)]:
            assert client.get(page, data={"assessment": bad}).status_code == 404, (role, bad)


def test_the_actions_given_a_bad_or_unknown_id_answer_404_and_change_nothing(
    client_for: Any, users: dict[str, Any], announced: Assessment
) -> None:
    objection = services.objection_raise(
        actor=users["county-410821"], assessment=announced, text="第 3 项有误"
    )
    analyst, county = client_for("analyst"), client_for("county-410821")
    for bad in [*BAD, str(announced.pk + 1000)]:
        act = {"action": "publish", "assessment": bad}
        assert analyst.post("/results/2024/act/", act).status_code == 404, bad
        raised = {"assessment": bad, "text": "又一条"}
        assert county.post("/results/2024/objection/", raised).status_code == 404, bad
        answer = {"assessment": str(announced.pk), "objection": bad, "answer": "已核实"}
        assert analyst.post("/results/2024/objection/", answer).status_code == 404, bad
    assert Objection.objects.get().pk == objection.pk
    assert Objection.objects.get().answer == ""
    announced.refresh_from_db()
    assert announced.status == Assessment.Status.ANNOUNCED
