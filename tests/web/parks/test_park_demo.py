"""The demo's parks (:mod:`.park_demo`, SYNTHETIC data of :mod:`kaoping.data.parks_demo`):
every year computed and published in order, and the source's sentences on the pages —
"3家产业集聚区进入全省前20、7家进入第一方阵" on the 2024 league, 孟州市产业集聚区 三星级 and
"7次跻身全省前十" on its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaoping.web.parks.models import ParkYear

pytestmark = pytest.mark.django_db

parks_demo = pytest.importorskip("kaoping.data.parks_demo")


@pytest.fixture
def demo(users: Any) -> str:
    from kaoping.web.parks import park_demo

    return park_demo.fill(analyst=users["analyst"])


def test_the_demo_publishes_every_year_and_shows_the_sources_sentences(
    demo: str, users: Any
) -> None:
    years = parks_demo.years()
    assert list(ParkYear.objects.values_list("year", "status")) == [
        (y, ParkYear.Status.PUBLISHED) for y in years
    ]
    client = Client()
    client.force_login(users["viewer"])
    html = client.get(f"/parks/{years[-1]}/").content.decode()
    assert "3家产业集聚区进入全省前20、7家进入第一方阵" in html
    html = client.get(f"/parks/p/{parks_demo.MENGZHOU}/").content.decode()
    assert "孟州市产业集聚区" in html
    assert "三星级" in html.split('class="park-headline"')[1].split("</p>")[0]
    assert "7次跻身全省前十" in html
    assert "3 in the top 20, 7 in the top 30" in demo
