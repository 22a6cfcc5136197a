"""Each close, decide, publish, upload and compute reads its event's or year's row again,
locked, inside its one transaction: a change meanwhile (another tab, a double click, another
member of the office) wins over the stale object the caller holds — it is refused with a
message, and nothing is half-written (no decision, audit or rating of the refused action)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests.web.parks.test_events import SCORES, closed_event, fill_scores, make_event
from tests.web.parks.test_park_compute import _year
from tests.web.parks.test_park_import import parks

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.parks import events, ratings
from kaoping.web.parks.models import Decision, Judge, ObservationEvent, ParkYear

pytestmark = pytest.mark.django_db


def _stale(event: ObservationEvent) -> ObservationEvent:
    return ObservationEvent.objects.get(pk=event.pk)


def test_a_second_close_from_a_stale_page_is_refused(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event, {k: v for k, v in SCORES.items() if k != "j4"})
    stale = _stale(event)
    assert events.event_close(actor=analyst, event=event, choice="exclude", reason="未到场")
    audits = AuditEvent.objects.count()
    with pytest.raises(InputError) as raised:
        events.event_close(actor=analyst, event=stale, choice="exclude", reason="未到场")
    assert raised.value.codes == ["event.not_open"]
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.count() == audits


def test_a_close_after_a_score_was_cleared_meanwhile_is_refused(users: dict[str, Any]) -> None:
    """The close looked at the scores, then a judge cleared one before the lock: it looks
    again and refuses, naming nobody wrongly; the event stays open."""
    analyst = users["analyst"]
    event = make_event(analyst)
    events.event_open(actor=analyst, event=event)
    fill_scores(event)
    original = events.missing

    def cleared_meanwhile(found: ObservationEvent) -> Any:
        rows = original(found)
        if not rows:  # the first look: complete; then j1 clears a score
            Judge.objects.get(event=found, user__username="j1").scores.first().delete()
        return rows

    events.missing = cleared_meanwhile  # type: ignore[assignment]
    try:
        with pytest.raises(InputError) as raised:
            events.event_close(actor=analyst, event=event)
    finally:
        events.missing = original  # type: ignore[assignment]
    assert raised.value.codes == ["event.changed"]
    assert _stale(event).status == "open"


def test_a_decision_after_publication_is_refused(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = closed_event(analyst)
    stale = _stale(event)
    events.event_publish(actor=analyst, event=event)
    j1 = Judge.objects.get(event=event, user__username="j1")
    with pytest.raises(InputError) as raised:
        events.event_decide(actor=analyst, event=stale, judge=j1, kind="exclude", reason="迟到")
    assert raised.value.codes == ["event.not_closed"]
    assert not Decision.objects.exists()
    assert not Judge.objects.get(pk=j1.pk).excluded


def test_a_second_publish_is_refused_and_audited_once(users: dict[str, Any]) -> None:
    analyst = users["analyst"]
    event = closed_event(analyst)
    stale = _stale(event)
    events.event_publish(actor=analyst, event=event)
    with pytest.raises(InputError):
        events.event_publish(actor=analyst, event=stale)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EVENT_PUBLISH).count() == 1


@pytest.fixture
def computed(users: Any) -> tuple[Any, ParkYear, ParkYear]:
    """2024 computed; ``stale`` is the page's object of it, read before it was published."""
    analyst = users["analyst"]
    year = _year(2024, {"P1": "high", "P2": "middle", "P3": "low"}, parks(analyst))
    ratings.year_compute(actor=analyst, year=year)
    stale = ParkYear.objects.get(pk=year.pk)
    ratings.year_publish(actor=analyst, year=ParkYear.objects.get(pk=year.pk))
    return analyst, year, stale


def test_figures_uploaded_on_a_stale_page_do_not_unpublish_the_year(
    computed: tuple[Any, ParkYear, ParkYear],
) -> None:
    analyst, year, stale = computed
    assert stale.status == ParkYear.Status.COMPUTED  # what the stale page believes
    book = load_workbook(io.BytesIO(ratings.values_template(actor=analyst, year=year)))
    book[ratings.VALUES_SHEET]["E2"] = 1
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputError) as raised:
        ratings.values_upload(actor=analyst, year=stale, name="指标.xlsx",
                              file=SimpleUploadedFile("指标.xlsx", out.getvalue()))  # fmt: skip
    assert raised.value.codes == ["parks.published"]
    year.refresh_from_db()
    assert year.status == ParkYear.Status.PUBLISHED
    assert year.ratings.count() == 3


def test_a_compute_on_a_stale_page_does_not_unpublish_the_year(
    computed: tuple[Any, ParkYear, ParkYear],
) -> None:
    analyst, year, stale = computed
    with pytest.raises(InputError) as raised:
        ratings.year_compute(actor=analyst, year=stale)
    assert raised.value.codes == ["parks.published"]
    year.refresh_from_db()
    assert (year.status, year.published_at is not None) == (ParkYear.Status.PUBLISHED, True)


def test_a_second_publish_of_a_year_is_refused(computed: tuple[Any, ParkYear, ParkYear]) -> None:
    analyst, _, stale = computed
    with pytest.raises(InputError):
        ratings.year_publish(actor=analyst, year=stale)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PARKS_PUBLISH).count() == 1
