"""The analyst's periods page: the list with its counts, create a period (a draft, audited;
a taken code or an unknown methodology refused next to its field), open and close, the
deadline; closed to counties and viewers.  And the header's links, per role."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from kaoping.errors import InputError
from kaoping.web.collection import services
from kaoping.web.collection.models import AuditEvent, Period, Submission, Unit
from kaoping.web.context import links
from kaoping.web.results.models import Assessment

NEW = {"code": "2025-q3", "methodology": "county_hqd", "previous": "", "deadline": "2025-10-15"}


def _english(client: Any) -> Any:
    """The client reads the pages in English (the messages checked below are the msgids)."""
    client.client.cookies["django_language"] = "en"
    return client


def _part(pattern: str, html: str) -> str:
    """The first piece of the page that matches (the test fails when there is none)."""
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return found.group(0)


def _nav(page: Any) -> list[str]:
    """The links of the header's navigation, in order."""
    found = re.search(r"<nav\b.*?</nav>", page.content.decode(), re.S)
    return re.findall(r'href="([^"]+)"', found.group(0)) if found else []


def _assessment(period: Period, status: str) -> Assessment:
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status=status, inputs={},
        inputs_hash="ab" * 32, results=[],
    )  # fmt: skip


def test_a_reviewer_sees_every_period_with_its_counts_links_and_buttons(
    client_for: Any, units: dict[str, Unit], periods: dict[str, Period]
) -> None:
    Submission.objects.create(unit=units["410821"], period=periods["2024"], status="approved")
    Submission.objects.create(unit=units["410822"], period=periods["2024"], status="submitted")
    Submission.objects.create(unit=units["410821"], period=periods["2023"], status="approved")
    for name in ("analyst", "admin"):
        page = _english(client_for(name)).get("/periods/")
        assert page.status_code == 200
        counts = {p.code: (p.approved, p.submitted, p.total) for p in page.context["periods"]}
        assert counts == {"2024": (1, 1, 2), "2023": (1, 0, 1)}
        html = page.content.decode()
        assert "Open for submission" in html
        assert "Closed" in html
        assert 'href="/review/2024/"' in html
        assert 'href="/results/2023/"' in html
        # the open period can be closed, the closed one opened again
        close = _part(r'action="/periods/2024/status/".*?</form>', html)
        reopen = _part(r'action="/periods/2023/status/".*?</form>', html)
        assert 'value="close"' in close
        assert 'value="open"' not in close
        assert 'value="open"' in reopen
        assert "csrfmiddlewaretoken" in close


def test_counties_and_viewers_are_refused_every_periods_page(
    client_for: Any, periods: dict[str, Period]
) -> None:
    for name in ("county-410821", "viewer"):
        client = client_for(name)
        assert client.get("/periods/").status_code == 403
        assert client.post("/periods/", NEW).status_code == 403
        assert client.post("/periods/2024/status/", {"action": "close"}).status_code == 403
        assert client.post("/periods/2023/status/", {"action": "open"}).status_code == 403
        assert client.post("/periods/2024/deadline/", {"deadline": "2030-01-01"}).status_code == 403
    assert sorted(Period.objects.values_list("code", "status", "deadline")) == [
        ("2023", "closed", None),
        ("2024", "open", None),
    ]
    assert not AuditEvent.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(periods: dict[str, Period]) -> None:
    from django.test import Client

    assert Client().get("/periods/")["Location"].startswith("/accounts/login/")


def test_an_analyst_creates_a_period_as_a_draft_and_it_is_audited(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    client = _english(client_for("analyst"))
    done = client.post("/periods/", {**NEW, "previous": periods["2024"].pk})
    assert done.status_code == 302
    assert done["Location"] == "/periods/"
    period = Period.objects.get(code="2025-Q3")  # one spelling: upper case
    assert period.status == Period.Status.DRAFT
    assert period.methodology == "county_hqd"
    assert period.previous == periods["2024"]
    assert period.deadline == dt.date(2025, 10, 15)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.period) == ("period.create", users["analyst"], period)
    assert event.data == {"methodology": "county_hqd", "previous": "2024", "deadline": "2025-10-15"}
    page = client.get("/periods/")
    assert "Period 2025-Q3 was created" in page.content.decode()
    assert [p.code for p in page.context["periods"]] == ["2025-Q3", "2024", "2023"]


def test_a_taken_code_is_refused_next_to_the_field_and_nothing_is_created(
    client_for: Any, periods: dict[str, Period]
) -> None:
    page = _english(client_for("analyst")).post("/periods/", {**NEW, "code": "2024"})
    assert page.status_code == 200
    assert page.context["form"].errors["code"] == [
        "There is already a period 2024: choose another code."
    ]
    field = _part(r'<span class="problem" id="id_code_error">[^<]*</span>', page.content.decode())
    assert "There is already a period 2024" in field
    assert 'value="2024"' in page.content.decode()  # what was typed is shown again
    assert Period.objects.count() == 2
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("code", ["2025/Q3", "25", "Q3-2025", "2025-", ""])
def test_a_malformed_code_is_refused(
    client_for: Any, periods: dict[str, Period], code: str
) -> None:
    page = client_for("analyst").post("/periods/", {**NEW, "code": code})
    assert page.status_code == 200
    assert "code" in page.context["form"].errors
    assert Period.objects.count() == 2


@pytest.mark.parametrize("methodology", ["no_such_methodology", "/etc/passwd", ""])
def test_an_unknown_methodology_is_refused(
    client_for: Any, periods: dict[str, Period], methodology: str
) -> None:
    page = _english(client_for("analyst")).post("/periods/", {**NEW, "methodology": methodology})
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["methodology"]
    assert Period.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_the_form_offers_the_bundled_methodologies(
    client_for: Any, periods: dict[str, Period]
) -> None:
    from kaoping.methodology import bundled

    form = client_for("analyst").get("/periods/").context["form"]
    offered = [key for key, _ in form.fields["methodology"].choices]
    assert offered == [key for key in bundled() if key != "park_hqd"]
    assert "county_hqd" in offered


def test_a_park_methodology_is_not_offered_to_a_county_period(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    """park_hqd rates parks with star levels (issue 16): its units are parks, not counties."""
    page = _english(client_for("analyst")).post("/periods/", {**NEW, "methodology": "park_hqd"})
    assert list(page.context["form"].errors) == ["methodology"]
    with pytest.raises(InputError) as refused:
        services.period_create(actor=users["analyst"], code="2025", methodology="park_hqd")
    assert refused.value.codes == ["web.period_park_methodology"]
    assert Period.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_the_service_checks_rights_code_and_methodology_itself(
    users: dict[str, Any], periods: dict[str, Period]
) -> None:
    with pytest.raises(PermissionDenied):
        services.period_create(actor=users["county-410821"], code="2025", methodology="county_hqd")
    with pytest.raises(InputError) as refused:
        services.period_create(actor=users["analyst"], code="2024", methodology="nope")
    assert refused.value.codes == ["web.period_exists", "web.unknown_methodology"]
    assert [p.where for p in refused.value] == ["code", "methodology"]
    with pytest.raises(InputError) as malformed:
        services.period_create(actor=users["analyst"], code="2025/1", methodology="county_hqd")
    assert malformed.value.codes == ["web.period_code_malformed"]
    assert Period.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_closing_and_opening_change_the_status_and_are_audited(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    client = client_for("analyst")
    assert client.post("/periods/2024/status/", {"action": "close"})["Location"] == "/periods/"
    assert Period.objects.get(code="2024").status == "closed"
    client.post("/periods/2024/status/", {"action": "open"})
    assert Period.objects.get(code="2024").status == "open"
    services.period_create(actor=users["analyst"], code="2025", methodology="county_hqd")
    client.post("/periods/2025/status/", {"action": "open"})
    assert Period.objects.get(code="2025").status == "open"
    assert list(AuditEvent.objects.values_list("action", "period__code", "actor__username")) == [
        ("period.close", "2024", "analyst"),
        ("period.open", "2024", "analyst"),
        ("period.create", "2025", "analyst"),
        ("period.open", "2025", "analyst"),
    ]


def test_a_stale_button_changes_nothing_and_says_why(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = _english(client_for("analyst"))
    client.post("/periods/2023/status/", {"action": "close"})  # already closed
    client.post("/periods/2024/status/", {"action": "open"})  # already open
    client.post("/periods/2024/status/", {"action": "delete"})
    html = client.get("/periods/").content.decode()
    assert "Only an open period can be closed." in html
    assert "Only a period not yet open, or a closed one, can be opened." in html
    assert "Unknown action." in html
    assert dict(Period.objects.values_list("code", "status")) == {"2023": "closed", "2024": "open"}
    assert not AuditEvent.objects.exists()
    assert client.post("/periods/2099/status/", {"action": "open"}).status_code == 404
    assert client.get("/periods/2024/status/").status_code == 405


def test_the_deadline_is_set_changed_and_removed_from_the_list(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = _english(client_for("analyst"))
    client.post("/periods/2024/deadline/", {"deadline": "2025-03-31"})
    assert Period.objects.get(code="2024").deadline == dt.date(2025, 3, 31)
    assert 'value="2025-03-31"' in client.get("/periods/").content.decode()
    client.post("/periods/2024/deadline/", {"deadline": "31 March"})  # refused: not a date
    assert Period.objects.get(code="2024").deadline == dt.date(2025, 3, 31)
    assert "Write the deadline as a date" in client.get("/periods/").content.decode()
    client.post("/periods/2024/deadline/", {"deadline": ""})
    assert Period.objects.get(code="2024").deadline is None
    assert list(AuditEvent.objects.values_list("action", "data")) == [
        ("period.deadline", {"old": None, "new": "2025-03-31"}),
        ("period.deadline", {"old": "2025-03-31", "new": None}),
    ]


def test_the_header_links_each_role_to_its_work(
    client_for: Any, periods: dict[str, Period]
) -> None:
    # no assessment yet: no "Results" for anyone
    # the admin for units and accounts: analysts are staff by their role (staff.py); the
    # county accounts' page for a county's forgotten password
    assert _nav(client_for("analyst").get("/periods/")) == [
        "/review/2024/",
        "/projects/",  # key projects (重点项目月调度): office, counties, owners, viewers
        "/parks/observation/",  # on-site observation (观摩评比): office, counties, viewers, judges
        "/parks/",  # the parks' league: office, counties, viewers
        "/chains/",  # industrial chains (产业链全景图): office, counties, viewers
        "/periods/",
        "/methodologies/",
        "/accounts/counties/",
        "/admin/",
    ]
    assert _nav(client_for("admin").get("/periods/")) == [
        "/review/2024/",
        "/projects/",
        "/parks/observation/",
        "/parks/",
        "/chains/",
        "/periods/",
        "/methodologies/",
        "/accounts/counties/",
        "/admin/",
    ]
    county = client_for("county-410821").get("/collect/2024/")
    assert _nav(county) == [
        "/collect/2024/",
        "/projects/",
        "/parks/observation/",
        "/parks/",
        "/chains/",
    ]
    assert 'href="/collect/2024/" aria-current="page"' in county.content.decode()
    _assessment(periods["2023"], "published")
    _assessment(periods["2024"], "computed")  # a preview: the city office's only
    assert _nav(client_for("analyst").get("/periods/")) == [
        "/review/2024/", "/projects/", "/parks/observation/", "/parks/", "/chains/", "/periods/",
        "/methodologies/", "/results/2024/",
        "/accounts/counties/", "/admin/",
    ]  # fmt: skip
    assert _nav(client_for("county-410822").get("/collect/2024/")) == [
        "/collect/2024/", "/projects/", "/parks/observation/", "/parks/", "/chains/",
        "/results/2023/",
    ]  # fmt: skip
    assert _nav(client_for("viewer").get("/results/2023/")) == [
        "/projects/", "/parks/observation/", "/parks/", "/chains/", "/results/2023/",
    ]  # fmt: skip


def test_the_header_names_its_links_and_leaves_the_login_page_alone(
    client_for: Any, periods: dict[str, Period]
) -> None:
    html = _english(client_for("analyst")).get("/periods/").content.decode()
    nav = _part(r"<nav\b.*?</nav>", html)
    assert "Collection" in nav
    assert "Periods" in nav
    county = _english(client_for("county-410821")).get("/collect/2024/").content.decode()
    assert "Fill in figures" in county
    assert "<nav" not in client_for(None).get("/accounts/login/").content.decode()


def test_without_an_open_period_there_is_nothing_to_fill_in(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period]
) -> None:
    services.period_close(actor=users["analyst"], period=periods["2024"])
    assert _nav(client_for("analyst").get("/periods/")) == [
        "/projects/",
        "/parks/observation/",
        "/parks/",
        "/chains/",
        "/periods/",
        "/methodologies/",
        "/accounts/counties/",
        "/admin/",
    ]
    # its key projects, the observation and the parks
    assert _nav(client_for("county-410821").get("/")) == [
        "/projects/", "/parks/observation/", "/parks/", "/chains/",
    ]  # fmt: skip


def test_the_header_costs_at_most_three_queries(
    users: dict[str, Any], periods: dict[str, Period], django_assert_max_num_queries: Any
) -> None:
    _assessment(periods["2024"], "published")
    for name in ("analyst", "county-410821", "viewer"):
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username=name)  # nothing cached
        with django_assert_max_num_queries(3):
            found = links(request)
        assert found["results"] == "/results/2024/"


def test_a_period_of_an_unknown_methodology_does_not_break_the_page(
    client_for: Any, periods: dict[str, Period]
) -> None:
    # e.g. one created before methodologies were keys (a file path), or since removed
    Period.objects.create(code="2019", methodology="/srv/old/county.yaml", status="closed")
    page = client_for("analyst").get("/periods/")
    assert page.status_code == 200
    assert "/srv/old/county.yaml" in page.content.decode()
