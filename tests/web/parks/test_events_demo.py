"""The demo's observation (:mod:`kaoping.web.parks.obs_demo`): four quarterly events of Jiaozuo
with nine judges, Q1–Q3 published, Q4 open partway, a 回头看, the year's composite of 11
counties in two groups, the itinerary from the key-project registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from kaoping.web.collection.models import Unit
from kaoping.web.parks import events, obs_demo
from kaoping.web.parks.models import Decision, Judge, ObservationEvent, Visit
from kaoping.web.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_years_observation(users: dict[str, Any]) -> None:
    Project.objects.create(code="P1", name="演示项目", unit=Unit.objects.get(code="410821"),
                           total=1000.0)  # fmt: skip
    line = obs_demo.fill(analyst=users["analyst"], password=make_password("demo"))
    assert "judge-9" in line
    assert Unit.objects.get(code="410871").name == "焦作城乡一体化示范区"
    status = dict(ObservationEvent.objects.values_list("code", "status"))
    assert status == {"2026-q1": "published", "2026-q2": "published", "2026-q3": "published",
                      "2026-q4": "open", "2026-hkk": "published"}  # fmt: skip
    q2 = ObservationEvent.objects.get(code="2026-q2")
    left_out = Judge.objects.filter(event=q2, excluded=True)
    assert [j.user.username for j in left_out] == ["judge-9"]
    assert Decision.objects.filter(event=q2, kind="exclude").count() == 1
    q4 = ObservationEvent.objects.get(code="2026-q4")
    done = [r.complete for r in events.status(q4)]
    assert done == [True] * 5 + [False] * 4
    assert Visit.objects.filter(event=q4, project__code="P1").exists()
    table = events.composite(2026)
    assert [e.code for e in table.events] == ["2026-q1", "2026-q2", "2026-q3"]
    assert table.reviews == {"2026-hkk": ["2026-q1", "2026-q2"]}
    assert table.table["group"].value_counts().to_dict() == {"县(市)组": 7, "城区组": 4}
    assert sorted(table.table["rank"][table.table["group"] == "城区组"]) == [1, 2, 3, 4]
