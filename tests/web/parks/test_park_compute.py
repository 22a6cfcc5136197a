"""Computing a year's ratings on the platform: park_hqd over the stored figures, the star rule
with the year before's stars, stored as ParkRating rows with their reasons; then published.

Worked by hand.  park_hqd: 15 positive indicators, min-max to 0..100, fixed weights, the
weighted arithmetic mean; stars at 40/50/58/66/74 (4 stars also tax_per_mu >= 25, 5 stars
tax_per_mu >= 40), gate 30, one star up a year.  Every figure of a park is the same number:
high 50, middle 30, low 10, so a park's normalised value is 100, 50 or 0 on every indicator
and its score is that number whatever the weights.

- 2024 (no year before: every park new): P1 high -> 100, eligible 5 (tax 50 >= 40) -> 五星级;
  P2 middle -> 50, eligible 2 -> 二星级; P3 low -> 0, below the gate -> no star, not passed.
- 2025: P3 high -> 100, eligible 5, last year 0 -> 1 star (capped, up); P1 middle -> 50,
  eligible 2, last year 5 -> 2 (down: no protection of a star held); P2 low -> 0 -> demoted.
"""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.errors import InputError
from kaoping.methodology import load
from kaoping.web.collection.models import AuditEvent
from kaoping.web.parks import ratings
from kaoping.web.parks.models import ParkValue, ParkYear

from .test_park_import import parks

pytestmark = pytest.mark.django_db

LEVEL = {"high": 50.0, "middle": 30.0, "low": 10.0}


def _year(number: int, which: dict[str, str], stored: dict[str, Any]) -> ParkYear:
    year = ParkYear.objects.create(year=number)
    for indicator in load("park_hqd").scored_indicators:
        for code, level in which.items():
            ParkValue.objects.create(year=year, park=stored[code], indicator=indicator.id,
                                     value=LEVEL[level])  # fmt: skip
    return year


def _table(year: ParkYear) -> dict[str, tuple[Any, ...]]:
    return {
        r.park.code: (round(r.score or 0, 6), r.rank, r.star, r.previous, r.change, r.capped,
                      r.gate)
        for r in year.ratings.select_related("park")
    }  # fmt: skip


def test_two_years_computed_in_order_move_the_stars_as_the_rule_says(users: Any) -> None:
    analyst = users["analyst"]
    stored = parks(analyst)
    y2024 = _year(2024, {"P1": "high", "P2": "middle", "P3": "low"}, stored)
    assert ratings.year_compute(actor=analyst, year=y2024) == 3
    assert _table(y2024) == {
        "P1": (100.0, 1, 5, None, "new", False, True),
        "P2": (50.0, 2, 2, None, "new", False, True),
        "P3": (0.0, 3, 0, None, "new", False, False),
    }
    y2024.refresh_from_db()
    assert y2024.status == ParkYear.Status.COMPUTED
    assert y2024.ratings.get(park__code="P3").reason_zh  # every park says why
    y2025 = _year(2025, {"P3": "high", "P1": "middle", "P2": "low"}, stored)
    ratings.year_compute(actor=analyst, year=y2025)
    assert _table(y2025) == {
        "P3": (100.0, 1, 1, 0, "up", True, True),
        "P1": (50.0, 2, 2, 5, "down", False, True),
        "P2": (0.0, 3, 0, 2, "demoted", False, False),
    }
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PARKS_COMPUTE).count() == 2
    ratings.year_publish(actor=analyst, year=y2025)
    y2025.refresh_from_db()
    assert y2025.status == ParkYear.Status.PUBLISHED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PARKS_PUBLISH).count() == 1
    with pytest.raises(InputError) as raised:
        ratings.year_compute(actor=analyst, year=y2025)
    assert [p.code for p in raised.value] == ["parks.published"]


def test_a_year_is_not_computed_before_the_year_before(users: Any) -> None:
    analyst = users["analyst"]
    stored = parks(analyst)
    _year(2024, {"P1": "high", "P2": "middle", "P3": "low"}, stored)
    y2025 = _year(2025, {"P1": "high", "P2": "middle", "P3": "low"}, stored)
    with pytest.raises(InputError) as raised:
        ratings.year_compute(actor=analyst, year=y2025)
    assert [p.code for p in raised.value] == ["parks.previous_not_computed"]
    assert not y2025.ratings.exists()


def test_new_figures_send_a_computed_year_back_to_collecting(users: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    analyst = users["analyst"]
    stored = parks(analyst)
    year = _year(2024, {"P1": "high", "P2": "middle", "P3": "low"}, stored)
    ratings.year_compute(actor=analyst, year=year)
    content = ratings.values_template(actor=analyst, year=year)
    ratings.values_upload(actor=analyst, year=year, file=SimpleUploadedFile("a.xlsx", content),
                          name="a.xlsx")  # fmt: skip
    year.refresh_from_db()
    assert year.status == ParkYear.Status.DRAFT
    assert not year.ratings.exists()
    # the sheet round-trips: the same figures computed again give the same league
    ratings.year_compute(actor=analyst, year=year)
    assert year.ratings.get(park__code="P1").star == 5
