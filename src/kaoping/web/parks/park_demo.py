"""The demo's parks (SYNTHETIC, :mod:`kaoping.data.parks_demo`): the province's registry
imported through the registry service, every park's figures of 2018–2024, and each year
computed and published in order (a star moves from the year before's), so that the league of
2024 shows the source's sentences for Jiaozuo ("3家产业集聚区进入全省前20、7家进入第一方阵",
孟州 三星级, "7次跻身全省前十")."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kaoping.web.parks import ratings
from kaoping.web.parks.models import Park, ParkValue, ParkYear

__all__ = ["fill"]


def fill(*, analyst: Any, **_: Any) -> str:
    """Fill the parks: registry, figures, ratings of every demo year, published.  Returns a
    line for the demo's summary."""
    from kaoping.data import parks_demo

    registry = parks_demo.registry()
    ratings.registry_import(actor=analyst, frame=registry, name="园区名录（演示）.xlsx")
    parks = {p.code: p for p in Park.objects.all()}
    years = sorted(parks_demo.years())
    for number in years:
        year = ratings.year_open(actor=analyst, year=number)
        frame = parks_demo.values(number)
        with transaction.atomic():
            bulk_create_with_history(
                [
                    ParkValue(year=year, park=parks[str(r.park)], indicator=str(r.indicator),
                              value=None if pd.isna(r.value) else float(r.value))
                    for r in frame.itertuples()
                ],
                ParkValue,
                batch_size=1000,
            )  # fmt: skip
        ratings.year_compute(actor=analyst, year=year)
        ratings.year_publish(actor=analyst, year=ParkYear.objects.get(pk=year.pk))
    last = ParkYear.objects.get(year=years[-1])
    summary = ratings.city_summary(last.ratings.select_related("park"), ratings.city_prefix())
    return (
        f"parks: {len(parks)} parks (synthetic), {len(years)} years ({years[0]} to {years[-1]}) "
        f"computed and published; {summary.city} {summary.top20} in the top 20, "
        f"{summary.top30} in the top 30"
    )
