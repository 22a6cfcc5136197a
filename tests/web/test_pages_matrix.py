"""Every page, export, action and API call of the platform x every role: who gets through.

The table below is the platform's rights as the issue states them, written out per URL:
counties read and write only their own unit's figures and only while they may; analysts and
admins review, compute and publish; viewers read published results only; an anonymous visitor
is sent to the login page (the API answers 401).  Each row is requested by every role,
including with a crafted URL naming the other county, and the outcome is checked both ways:

- a GET that the row allows answers 200 (a start page may redirect); one it refuses answers
  403 or 404 (anonymous: a redirect to the login page), and never a 5xx;
- a POST that the row allows has its effect in the database; one it refuses leaves the
  database as it was (every request runs in a transaction rolled back afterwards, so the rows
  are independent of each other and of the order of the roles).

A last test walks the URL configuration: a new page without a row here fails it.

The state: 2024 has approved figures for 修武县 (410821) and 博爱县 (410822) and an assessment
of them, computed, announced (objection window open) or published; 2025 is open, 修武县's
submission a draft, 博爱县's submitted for review.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from kaoping.web.collection.models import (
    AuditEvent,
    Period,
    StoredMethodology,
    Submission,
    Unit,
    Value,
)
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment, Objection

from .workflow import LEFT_OUT, close_response, fill

ANON = "anonymous"
ROLES = [ANON, "admin", "analyst", "viewer", "county-410821", "county-410822"]
REVIEWERS = {"admin", "analyst"}
COUNTIES = {"county-410821", "county-410822"}
EVERYONE = REVIEWERS | COUNTIES | {"viewer"}
# the 2024 assessment: a preview; announced with its objection window open; announced with the
# window past; published
STATUSES = ["computed", "announced", "closed", "published"]


@dataclass
class Row:
    """One request and the roles it lets through, per assessment status where it matters."""

    name: str  # the URL pattern's name
    method: str
    path: str  # {pk}: the 2024 assessment; {analyst}, {county_410822} …: that account's id
    allowed: set[str] | dict[str, set[str]]  # roles, or status -> roles
    data: dict[str, Any] = field(default_factory=dict)  # {pk} filled in; callables called
    effect: Callable[[], object] | None = None  # a POST's effect, read before and after
    api: bool = False  # sent with the role's API token instead of a session
    ok: tuple[int, ...] = (200,)  # what an allowed GET answers

    def roles(self, status: str) -> set[str]:
        if not isinstance(self.allowed, dict):
            return self.allowed
        return self.allowed.get(status, self.allowed.get("announced", set()))


def _statuses(row: Row) -> list[str]:
    """Rows about results run in every state of the assessment; the others in one."""
    return STATUSES if isinstance(row.allowed, dict) else ["announced"]


def _audit(action: str) -> Callable[[], int]:
    """How many audit events of this action (publish, announce …) there are."""
    return lambda: AuditEvent.objects.filter(action=f"assessment.{action}").count()


def _status_of(code: str, what: str = "status") -> Callable[[], object]:
    """A field of the unit's 2025 submission."""
    return lambda: getattr(Submission.objects.get(period__code="2025", unit__code=code), what)


def _mini() -> str:
    """A two-indicator methodology (one of the bundled one's dimensions, cut down)."""
    return (
        "id: mini\nname: 简表\ndimensions:\n  - id: econ\n    name: 经济\n    indicators:\n"
        "      - {id: gdp, name: 地区生产总值, direction: 正向}\n"
        "      - {id: energy, name: 单位GDP能耗, direction: 逆向}\n"
    )


def _workbook() -> Any:
    """修武县's 2025 template with its GDP filled in, as an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from kaoping.web.collection import services

    submission = Submission.objects.get(period__code="2025", unit__code="410821")
    county = submission.unit.membership_set.get().user
    book = load_workbook(
        io.BytesIO(services.submission_template(actor=county, submission=submission, layout="wide"))
    )
    sheet = book["填报表"]
    column = next(c.column for c in sheet[2] if c.value == "地区生产总值（亿元）")
    sheet.cell(3, column, _gdp())
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("修武县.xlsx", buffer.getvalue())


PUBLIC_RESULTS = {"computed": REVIEWERS, "announced": REVIEWERS | COUNTIES, "published": EVERYONE}
# a results page of the period: the ranking to whoever may see it, and to everyone else a page
# that says why there is none yet (announced until …, not published yet) -- never a 404
RESULTS_PAGE = {status: EVERYONE for status in STATUSES}
OWN_FIGURES = {
    "computed": EVERYONE,  # the city office the preview's; everyone else: none yet
    # another county's figures: not before publication; a viewer: announced, not yet published
    "announced": REVIEWERS | {"county-410821", "viewer"},
    "published": EVERYONE,
}


def _gdp() -> float:
    """A plausible 2025 GDP for 修武县: 10% above its approved 2024 figure."""
    last = Value.objects.get(submission__unit__code="410821", submission__period__code="2024",
                             indicator="gdp").value  # fmt: skip
    assert last is not None
    return round(last * 1.1, 2)


FIGURES = {"gdp": lambda: str(_gdp()), "version": "0"}
# while the ranking is announced, objections: one open (by 修武县), one accepted (博爱县); the
# window past, 修武县's answered (rejected) and none accepted (it could not be published)
ANSWERED = {"computed": set(), "announced": REVIEWERS, "closed": set(), "published": set()}


def _objection(which: str, field: str) -> Callable[[], object]:
    """A field of the state's open or accepted objection (None when there is none)."""

    def read() -> object:
        unit = "410821" if which == "open" else "410822"
        return Objection.objects.filter(unit__code=unit).values_list(field, flat=True).first()

    return read


NEW = "Kp-matrix-5730"  # a new password that Django's validators accept


def _passwords() -> tuple[str, ...]:
    """Every account's password hash."""
    return tuple(get_user_model().objects.order_by("pk").values_list("password", flat=True))


ROWS = [
    Row("home", "GET", "/", EVERYONE, ok=(200, 302)),  # the start page sends each to its work
    Row("favicon", "GET", "/favicon.ico", EVERYONE | {ANON}, ok=(301,)),
    Row("collect", "GET", "/collect/2025/", COUNTIES),  # each county its own form
    Row("collect", "POST", "/collect/2025/", {"county-410821"}, FIGURES,
        _status_of("410821", "version")),
    Row("template", "GET", "/collect/2025/template.xlsx", COUNTIES),
    Row("template", "GET", "/collect/2025/template.xlsx?layout=wide", COUNTIES),
    Row("upload", "POST", "/collect/2025/upload/", {"county-410821"},  # the other: not its unit
        {"version": "0", "file": _workbook}, _status_of("410821", "version")),
    Row("submit", "POST", "/collect/2025/submit/", {"county-410821"}, {"confirm": "yes"},
        _status_of("410821")),
    Row("methodologies", "GET", "/methodologies/", REVIEWERS),
    Row("methodologies", "POST", "/methodologies/", REVIEWERS,
        {"key": "mini", "text": lambda: _mini()}, lambda: StoredMethodology.objects.count()),
    Row("methodology", "GET", "/methodologies/county_hqd/", REVIEWERS),
    Row("methodology", "GET", "/methodologies/county_hqd/?format=yaml", REVIEWERS),
    Row("periods", "GET", "/periods/", REVIEWERS),
    Row("periods", "POST", "/periods/", REVIEWERS,
        {"code": "2026", "methodology": "county_hqd", "previous": "", "deadline": ""},
        lambda: Period.objects.filter(code="2026").exists()),
    Row("period-status", "POST", "/periods/2025/status/", REVIEWERS, {"action": "close"},
        lambda: Period.objects.get(code="2025").status),
    Row("period-deadline", "POST", "/periods/2025/deadline/", REVIEWERS,
        {"deadline": "2030-01-01"}, lambda: Period.objects.get(code="2025").deadline),
    Row("dashboard", "GET", "/review/2025/", REVIEWERS),
    Row("review", "GET", "/review/2025/410822/", REVIEWERS),
    Row("review", "GET", "/review/2025/410821/", REVIEWERS),
    Row("review", "POST", "/review/2025/410822/", REVIEWERS, {"decision": "approve"},
        _status_of("410822")),
    Row("review", "POST", "/review/2025/410822/", REVIEWERS,
        {"decision": "return", "comment": "请核实"}, _status_of("410822")),
    Row("league", "GET", "/results/2024/", RESULTS_PAGE),
    Row("league", "GET", "/results/2024/?sort=score&category=非重点生态功能区", RESULTS_PAGE),
    Row("league", "GET", "/results/2024/?assessment={pk}", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=csv", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=xlsx", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=xlsx&assessment={pk}", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=docx", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=docx&assessment={pk}", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=pdf", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2024/?format=pdf&assessment={pk}", PUBLIC_RESULTS),
    Row("league", "GET", "/results/2025/", EVERYONE),  # nothing computed: "Compute" / why not
    Row("league", "GET", "/results/2025/?format=csv", set()),  # nothing to download
    Row("league", "GET", "/results/2025/?format=docx", set()),
    Row("profile", "GET", "/results/2024/unit/410821/", OWN_FIGURES),
    Row("profile", "GET", "/results/2024/unit/410821/?assessment={pk}",
        {**OWN_FIGURES, "computed": REVIEWERS, "announced": REVIEWERS | {"county-410821"}}),
    Row("profile", "GET", "/results/2024/unit/410821/?format=pdf", OWN_FIGURES),  # the card
    Row("profile", "GET", "/results/2024/unit/410821/?format=pdf&assessment={pk}",
        {**OWN_FIGURES, "computed": REVIEWERS, "announced": REVIEWERS | {"county-410821"}}),
    Row("map", "GET", "/results/2024/map/", RESULTS_PAGE),
    Row("map", "GET", "/results/2024/map/?by=tier&assessment={pk}", PUBLIC_RESULTS),
    # the leaders' screen (大屏): the league page's rules; a preview for the office only
    Row("screen", "GET", "/results/2024/screen/", RESULTS_PAGE),
    Row("screen", "GET", "/results/2024/screen/?assessment={pk}&city=4108&seconds=30",
        PUBLIC_RESULTS),
    Row("results-compute", "GET", "/results/2024/compute/", REVIEWERS),
    Row("results-compute", "POST", "/results/2024/compute/", REVIEWERS,
        {"exclude-410823": "yes", "reason-410823": "未审核"}, lambda: Assessment.objects.count()),
    Row("results-act", "POST", "/results/2024/act/",
        {"computed": REVIEWERS, "announced": set(), "published": set()},
        {"action": "discard", "assessment": "{pk}"}, _audit("discard")),
    Row("results-act", "POST", "/results/2024/act/",  # only once the window is past
        {"computed": set(), "announced": set(), "closed": REVIEWERS, "published": set()},
        {"action": "publish", "assessment": "{pk}"}, _audit("publish")),
    Row("results-act", "POST", "/results/2024/act/",
        {"computed": REVIEWERS, "announced": set(), "published": set()},
        {"action": "announce", "assessment": "{pk}", "days": "5"}, _audit("announce")),
    Row("objection", "POST", "/results/2024/objection/",
        {"computed": set(), "announced": COUNTIES, "closed": set(), "published": set()},
        {"assessment": "{pk}", "text": "第 3 项指标有误"}, lambda: Objection.objects.count()),
    Row("objection", "POST", "/results/2024/objection/", ANSWERED,
        {"assessment": "{pk}", "objection": "{open}", "action": "accept", "answer": "属实"},
        _objection("open", "status")),
    Row("objection", "POST", "/results/2024/objection/", ANSWERED,
        {"assessment": "{pk}", "objection": "{open}", "action": "reject", "answer": "无误"},
        _objection("open", "status")),
    Row("objection", "POST", "/results/2024/objection/",  # the county that raised it, once
        {"computed": set(), "announced": {"county-410822"}, "closed": set(),
         "published": set()},
        {"assessment": "{pk}", "objection": "{accepted}", "action": "reply", "reply": "谢谢"},
        _objection("accepted", "reply")),
    Row("objection", "POST", "/results/2024/objection/", ANSWERED,
        {"assessment": "{pk}", "objection": "{accepted}", "action": "reopen"},
        lambda: Submission.objects.get(period__code="2024", unit__code="410822").status),
    Row("password_change", "GET", "/accounts/password/", EVERYONE),
    Row("password_change", "POST", "/accounts/password/", EVERYONE,  # one's own: old pw "pw"
        {"old_password": "pw", "new_password1": NEW, "new_password2": NEW}, _passwords),
    Row("password_change_done", "GET", "/accounts/password/done/", EVERYONE),
    Row("county-accounts", "GET", "/accounts/counties/", REVIEWERS),
    Row("county-reset", "GET", "/accounts/counties/{county_410822}/reset/", REVIEWERS),
    Row("county-reset", "POST", "/accounts/counties/{county_410822}/reset/", REVIEWERS, {},
        _passwords),
    # an analyst's, an admin's or a viewer's password: not on this page, for nobody
    Row("county-reset", "GET", "/accounts/counties/{analyst}/reset/", set()),
    Row("county-reset", "POST", "/accounts/counties/{analyst}/reset/", set(), {}, _passwords),
    Row("county-reset", "POST", "/accounts/counties/{admin}/reset/", set(), {}, _passwords),
    Row("county-reset", "POST", "/accounts/counties/{viewer}/reset/", set(), {}, _passwords),
    Row("assessment-list", "GET", "/api/assessments/", EVERYONE, api=True),
    Row("assessment-detail", "GET", "/api/assessments/{pk}/",
        {"computed": set(), "announced": set(), "published": EVERYONE}, api=True),
    # the OpenAPI description: to those logged in, with a token or in the browser
    Row("api-schema", "GET", "/api/schema/", EVERYONE, api=True),
    Row("api-schema", "GET", "/api/schema/", EVERYONE),
]  # fmt: skip

# URL patterns that are Django's own (admin, language switch, login/logout): not ours to matrix
THEIRS = {"set_language", "login", "logout"}


@pytest.fixture
def state(
    users: dict[str, Any], units: dict[str, Unit], periods: dict[str, Period], approved: Any,
    request: pytest.FixtureRequest,
) -> Assessment:  # fmt: skip
    status = request.param
    analyst = users["analyst"]
    assessment = results.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    objections = {"open": 0, "accepted": 0}  # none: 404
    if status != "computed":
        results.assessment_announce(actor=analyst, assessment=assessment, days=5)
    if status in ("announced", "closed"):  # raised in the window
        raised = results.objection_raise(
            actor=users["county-410821"], assessment=assessment, text="增速有误"
        )
        objections["open"] = raised.pk
    if status == "announced":
        accepted = Objection.objects.create(
            assessment=assessment, unit=units["410822"], text="收入漏报",
            status=Objection.Status.ACCEPTED, answer="属实",
        )  # fmt: skip
        objections["accepted"] = accepted.pk
    if status == "closed":  # every objection answered: it may be published
        results.objection_answer(actor=analyst, objection=raised, answer="无误", accept=False)

    if status in ("closed", "published"):  # the services take today's date: move the window
        Assessment.objects.filter(pk=assessment.pk).update(objections_until=dt.date(2000, 1, 1))
        assessment.refresh_from_db()
    if status == "published":
        results.assessment_publish(actor=analyst, assessment=assessment)
    this = Period.objects.create(
        code="2025", methodology="county_hqd", status="open", previous=periods["2024"]
    )
    fill(Submission.objects.create(unit=units["410821"], period=this))  # blanks confirmed
    Submission.objects.create(unit=units["410822"], period=this, status="submitted")
    assessment.refresh_from_db()
    assessment.objection_ids = objections  # type: ignore[attr-defined]
    return assessment


def _client(row: Row, role: str, users: dict[str, Any]) -> Client:
    if role == ANON:
        return Client()
    if row.api:
        token, _ = Token.objects.get_or_create(user=users[role])
        return Client(headers={"Authorization": f"Token {token.key}"})
    client = Client()
    client.force_login(users[role])
    return client


def _check(row: Row, role: str, users: dict[str, Any], assessment: Assessment, status: str) -> str:
    """What went wrong for this role, or '' (the request is rolled back either way)."""
    allowed = role in row.roles(status)
    ids = {"pk": assessment.pk, **assessment.objection_ids}  # type: ignore[attr-defined]
    ids |= {name.replace("-", "_"): user.pk for name, user in users.items()}  # {county_410822}
    path = row.path.format(**ids)
    data = {k: v() if callable(v) else v.format(**ids) for k, v in row.data.items()}
    with transaction.atomic():
        client = _client(row, role, users)
        before = row.effect() if row.effect else None
        response = client.get(path) if row.method == "GET" else client.post(path, data)
        close_response(response)
        after = row.effect() if row.effect else None
        transaction.set_rollback(True)
    code = response.status_code
    if code >= 500:
        return f"{role}: {code}"
    if role == ANON and not allowed:
        to_login = code == 302 and response["Location"].startswith("/accounts/login/")
        if not (to_login or (row.path.startswith("/api/") and code == 401)):  # the API: 401
            return f"{role}: {code}, expected the login page or 401"
    if row.method == "POST":
        if allowed and before == after:
            return f"{role}: allowed, but nothing happened ({code})"
        if not allowed and before != after:
            return f"{role}: refused, but {before!r} -> {after!r} ({code})"
        return ""
    if allowed:
        ok = code in row.ok
        if ok and row.name == "assessment-list":  # the list is empty unless published
            listed = [a["id"] for a in response.json()]
            ok = listed == ([assessment.pk] if status == "published" else [])
        return "" if ok else f"{role}: {code}, expected 200"
    if role != ANON and code not in (403, 404):
        return f"{role}: {code}, expected 403 or 404"
    return ""


CASES = [(row, status) for row in ROWS for status in _statuses(row)]
NAMES = [f"{row.method} {row.path} {row.data.get('action') or row.data.get('decision') or ''}"
         f"[{status}]" for row, status in CASES]  # fmt: skip


@pytest.mark.parametrize(("row", "state"), CASES, ids=NAMES, indirect=["state"])
def test_each_role_gets_through_exactly_where_the_matrix_says(
    row: Row, state: Assessment, users: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    status = request.node.callspec.params["state"]
    problems = [p for role in ROLES if (p := _check(row, role, users, state, status))]
    assert problems == []


def _names(patterns: list[URLPattern | URLResolver], inside: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin: superusers and staff, tested in test_access.py
            names |= _names(pattern.url_patterns, inside + str(pattern.pattern))
        else:  # an unnamed URL could not have a row: it fails the test below
            names.add(pattern.name or f"(unnamed) {inside}{pattern.pattern}")
    return names


def _all_rows() -> list[Row]:
    """This matrix's rows and those of the official period's and the key projects' matrices
    (``tests/web/official/test_*matrix*.py``, ``tests/web/projects/test_*matrix*.py``,
    ``tests/web/parks/test_*matrix*.py``, each
    with its own state and roles)."""
    import importlib
    import pathlib

    rows = list(ROWS)
    for slice_ in ("official", "projects", "parks", "chains"):
        for path in sorted((pathlib.Path(__file__).parent / slice_).glob("test_*matrix*.py")):
            rows += importlib.import_module(f"{__package__}.{slice_}.{path.stem}").ROWS
    return rows


def test_every_page_of_the_platform_has_a_row_in_the_matrix() -> None:
    missing = _names(get_resolver().url_patterns) - THEIRS - {row.name for row in _all_rows()}
    assert missing == set()
