"""Helpers of the platform's tests: plausible figures for a county, a submission filled so
that it can be submitted, and what an analyst names to rank the ``approved`` fixture."""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

from kaoping.data import bundled
from kaoping.methodology import load
from kaoping.web.collection.models import BlankReason, Submission, Value
from kaoping.web.collection.services import indicators_of
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment

LEFT_OUT = {"410823": "武陟县的数据尚未审核通过"}
"""What an analyst names to compute a ranking of the ``approved`` fixture: 武陟县 (submitted,
not approved) left out with the reason."""


def publish(analyst: Any, period: Any) -> Assessment:
    """The period's ranking of the approved figures (``LEFT_OUT`` named), computed, announced
    and published through the services, its objection window moved into the past (the
    services read today's date)."""
    assessment = results.assessment_compute(actor=analyst, period=period, excluded=LEFT_OUT)
    results.assessment_announce(actor=analyst, assessment=assessment, days=1)
    Assessment.objects.filter(pk=assessment.pk).update(objections_until=dt.date(2000, 1, 1))
    assessment.refresh_from_db()
    return results.assessment_publish(actor=analyst, assessment=assessment)


@functools.cache
def _demo() -> Any:
    return bundled.demo_panel(load("county_hqd").name_to_id())


def demo_figures(code: str, year: str = "2024") -> dict[str, float | None]:
    """Plausible figures of every indicator of county_hqd for a Henan county: the bundled
    (synthetic) demo data's, which keep the methodology's plausibility rules; None where the
    demo data has a gap."""
    row = _demo().matrix(year, list(indicators_of("county_hqd")), [code]).iloc[0]
    return {k: (None if math.isnan(v) else float(v)) for k, v in row.items()}


def fill(submission: Submission, figures: dict[str, float | None] | None = None) -> None:
    """Give every indicator of the submission a figure (``figures``) or, where there is none,
    a blank confirmed as not known: a submission that can be submitted."""
    figures = figures or {}
    for indicator in indicators_of(submission.period.methodology):
        value = figures.get(indicator)
        Value.objects.update_or_create(
            submission=submission,
            indicator=indicator,
            defaults={
                "value": value,
                "blank_reason": BlankReason.UNKNOWN if value is None else "",
            },
        )


def close_response(response: Any) -> None:
    """Close a response (a file response, an evidence file, holds its file open until then)
    without what closing it signals: request_finished closes the database connection, which
    on PostgreSQL ends the test's transaction (Django's test client disconnects the same
    handler around its requests)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
