"""The registry (项目库) and issue ledger (问题台账) pages, through the views as a browser posts
them (CSRF enforced): the registry's filters and totals, its sheet out and back in (a bad cell
changes nothing and is named), an issue raised, moved through every step and escalated.

The state is ``dispatch`` (tests/web/projects/conftest.py): A (修武县 410821, 省重点, total
120,000, plan 24,000, bond 20,000, 在建), B (修武县, 市重点, 50,000, 12,000, no bond, 前期) and
C (博爱县 410822, 市重点, 30,000, 9,000, no bond, 在建); money in 万元.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook
from tests.web.conftest import CsrfClient

from kaoping.dispatch import sheets
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects import registry_views
from kaoping.web.projects.models import Issue, Project

D = dt.date


def _client(dispatch: SimpleNamespace, role: str) -> CsrfClient:
    return CsrfClient(dispatch.users[role])


def _sheet(rows: dict[str, dict[str, Any]], *, add: list[dict[str, Any]] = ()) -> bytes:  # type: ignore[assignment]
    """The registry's exported sheet with cells changed (project id -> header -> value) and
    rows added (header -> value)."""
    from kaoping.web.projects import frames

    book = load_workbook(io.BytesIO(sheets.registry_template(frames.registry())))
    sheet = book["项目库"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        changes = rows.get(row[0].value, {})
        for header, value in changes.items():
            sheet.cell(row[0].row, headers[header], value)
    at = next(r for r in range(2, sheet.max_row + 2) if sheet.cell(r, 1).value is None)
    for extra in add:  # the first empty rows (the sheet's lists reach further down)
        for header, value in extra.items():
            sheet.cell(at, headers[header], value)
        at += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NEW = {"项目编号": "D", "项目名称": "光伏电站", "县区代码": "410822", "总投资（万元）": 8000}


# -- the registry ----------------------------------------------------------------------------------


def test_the_registry_lists_the_projects_with_the_totals_of_the_filtered_set(
    dispatch: SimpleNamespace,
) -> None:
    analyst = _client(dispatch, "analyst")
    page = analyst.get("/projects/registry/")
    assert page.status_code == 200
    assert [p.code for p in page.context["page"]] == ["A", "B", "C"]
    # all three: 120,000 + 50,000 + 30,000 = 200,000; plans 24,000 + 12,000 + 9,000 = 45,000
    assert page.context["totals"] == {
        "count": 3, "total": 200000.0, "annual_plan": 45000.0, "bond": 20000.0
    }  # fmt: skip
    assert 'action="/projects/registry/upload/"' in page.content.decode()
    bonds = analyst.get("/projects/registry/?bond=yes")
    assert [p.code for p in bonds.context["page"]] == ["A"]
    # 市重点 in 修武县: B alone (C is 市重点 too, but in 博爱县)
    city = analyst.get("/projects/registry/?key_level=市重点&county=410821")
    assert [p.code for p in city.context["page"]] == ["B"]
    assert city.context["totals"]["total"] == 50000.0
    assert [p.code for p in analyst.get("/projects/registry/?q=污水").context["page"]] == ["C"]
    assert [p.code for p in analyst.get("/projects/registry/?stage=在建").context["page"]] == [
        "A", "C"
    ]  # fmt: skip


def test_a_county_sees_its_own_rows_and_no_upload_form(dispatch: SimpleNamespace) -> None:
    page = _client(dispatch, "county-410821").get("/projects/registry/")
    assert [p.code for p in page.context["page"]] == ["A", "B"]
    assert page.context["totals"]["total"] == 170000.0  # 120,000 + 50,000
    assert "registry/upload/" not in page.content.decode()
    # naming the other county in the URL shows nothing of it
    other = _client(dispatch, "county-410821").get("/projects/registry/?county=410822")
    assert list(other.context["page"]) == []
    owner = _client(dispatch, "owner-a").get("/projects/registry/")
    assert [p.code for p in owner.context["page"]] == ["A"]


def test_viewers_see_no_registry_and_no_ledger(dispatch: SimpleNamespace) -> None:
    viewer = _client(dispatch, "viewer")
    for path in ("/projects/registry/", "/projects/registry.xlsx", "/projects/issues/"):
        assert viewer.get(path).status_code == 403


def test_the_export_reads_back_as_the_registry(dispatch: SimpleNamespace) -> None:
    response = _client(dispatch, "analyst").get("/projects/registry.xlsx")
    assert response.status_code == 200
    # RFC 5987: 项目库-YYYY-MM-DD.xlsx, percent-encoded UTF-8
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E9%A1%B9%E7%9B%AE%E5%BA%93-"
    )
    frame = sheets.read_registry(io.BytesIO(response.content), name="项目库.xlsx")
    assert list(frame["project"]) == ["A", "B", "C"]
    assert list(frame["total"]) == [120000.0, 50000.0, 30000.0]
    assert list(frame["county"]) == ["410821", "410821", "410822"]
    assert frame.set_index("project").at["A", "key_level"] == "省重点"
    # a county's export: its own rows
    mine = _client(dispatch, "county-410822").get("/projects/registry.xlsx")
    assert list(sheets.read_registry(io.BytesIO(mine.content), name="x.xlsx")["project"]) == ["C"]
    empty = _client(dispatch, "analyst").get("/projects/registry.xlsx?template=1")
    blank = load_workbook(io.BytesIO(empty.content))["项目库"]
    assert (blank["A1"].value, blank["A2"].value) == ("项目编号", None)  # headers only


def test_an_upload_with_a_bad_cell_changes_nothing_and_names_the_cell(
    dispatch: SimpleNamespace,
) -> None:
    # row 3 is B's (row 1 the headers, A row 2); 总投资 is the column V; D is added in row 5
    content = _sheet({"B": {"总投资（万元）": "五万", "项目名称": "物流园三期"}}, add=[NEW])
    upload = SimpleUploadedFile("项目库-11月.xlsx", content)
    response = _client(dispatch, "analyst").post("/projects/registry/upload/", {"file": upload})
    assert response.status_code == 200
    problems = response.context["file_problems"]
    assert len(problems) == 1
    assert problems[0].startswith("项目库-11月.xlsx!项目库!V3")
    assert "/tmp" not in response.content.decode()  # never a server path
    assert Project.objects.get(code="B").name == "物流园二期"
    assert not Project.objects.filter(code="D").exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PROJECTS_IMPORT).exists()


def test_an_upload_of_an_unknown_county_names_its_cell(dispatch: SimpleNamespace) -> None:
    content = _sheet({}, add=[{**NEW, "县区代码": "419999"}])  # the column D, row 5
    upload = SimpleUploadedFile("项目库.xlsx", content)
    response = _client(dispatch, "analyst").post("/projects/registry/upload/", {"file": upload})
    assert [p.split(":")[0] for p in response.context["file_problems"]] == ["项目库.xlsx!项目库!D5"]
    assert Project.objects.count() == 3


def test_a_good_upload_adds_and_updates_with_the_counts(dispatch: SimpleNamespace) -> None:
    content = _sheet({"B": {"项目名称": "物流园三期"}}, add=[NEW])
    upload = SimpleUploadedFile("项目库.xlsx", content)
    client = _client(dispatch, "analyst")
    response = client.post("/projects/registry/upload/", {"file": upload}, follow=True)
    assert response.redirect_chain == [("/projects/registry/", 302)]
    assert Project.objects.get(code="B").name == "物流园三期"
    assert Project.objects.get(code="D").unit.code == "410822"
    event = AuditEvent.objects.get(action=AuditEvent.Action.PROJECTS_IMPORT)
    assert (event.actor, event.data["created"], event.data["updated"]) == (
        dispatch.users["analyst"], 1, 1
    )  # fmt: skip
    text = str(next(iter(response.context["messages"])))
    assert re.findall(r"\d+", text) == ["1", "1", "2"]  # D new, B updated, A and C unchanged


def test_a_county_may_not_upload_the_registry(dispatch: SimpleNamespace) -> None:
    upload = SimpleUploadedFile("项目库.xlsx", _sheet({"A": {"项目名称": "改名"}}))
    response = _client(dispatch, "county-410821").post(
        "/projects/registry/upload/", {"file": upload}
    )
    assert response.status_code == 403
    assert Project.objects.get(code="A").name == "新材料产业园"


# -- the issue ledger ------------------------------------------------------------------------------


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The pages' today: 2026-12-03 (the views read timezone.localdate())."""
    day = D(2026, 12, 3)
    fake = SimpleNamespace(localdate=lambda: day, now=registry_views.timezone.now)
    monkeypatch.setattr(registry_views, "timezone", fake)
    return day


def test_an_issue_goes_from_raised_to_closed_through_the_pages_with_every_step_audited(
    dispatch: SimpleNamespace, today: dt.date
) -> None:
    county, analyst = _client(dispatch, "county-410821"), _client(dispatch, "analyst")
    response = county.post(
        "/projects/p/A/issues/raise/",
        {"kind": "land", "content": "用地指标未落实", "department": "自然资源局",
         "leader": "王副县长", "deadline": "2026-12-31"},
    )  # fmt: skip
    issue = Issue.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/projects/issues/{issue.pk}/")
    assert (issue.raised_on, issue.deadline, issue.status) == (today, D(2026, 12, 31), "open")
    step = f"/projects/issues/{issue.pk}/step/"
    assigned = {"to": "assigned", "text": "自然资源局牵头", "deadline": "2026-12-20"}
    assert analyst.post(step, assigned).status_code == 302
    # the county may not supervise: only the office moves an issue on, but 办结
    assert county.post(step, {"to": "supervised"}).status_code == 403
    assert analyst.post(step, {"to": "supervised", "text": "每周报送进展"}).status_code == 302
    assert county.post(step, {"to": "resolved", "text": "指标已调剂到位"}).status_code == 302
    assert analyst.post(step, {"to": "closed"}).status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.deadline, issue.result) == (
        "closed",
        D(2026, 12, 20),
        "指标已调剂到位",
    )
    raised = AuditEvent.objects.get(action=AuditEvent.Action.ISSUE_RAISE)
    assert raised.actor == dispatch.users["county-410821"]
    steps = AuditEvent.objects.filter(action=AuditEvent.Action.ISSUE_STEP).order_by("seq")
    assert [(e.actor.username, e.data["after"]) for e in steps] == [
        ("analyst", "assigned"), ("analyst", "supervised"), ("county-410821", "resolved"),
        ("analyst", "closed"),
    ]  # fmt: skip
    page = analyst.get(f"/projects/issues/{issue.pk}/")
    history = page.context["history"]
    assert [(h["what"], h["text"]) for h in history] == [
        ("raised", "用地指标未落实"), ("step", "自然资源局牵头"), ("step", "每周报送进展"),
        ("step", "指标已调剂到位"), ("step", ""),
    ]  # fmt: skip
    assert history[1]["deadline"] == "2026-12-20"
    assert page.context["steps"] == []  # closed: no step left


def test_a_new_issue_with_problems_names_each_field_and_raises_nothing(
    dispatch: SimpleNamespace, today: dt.date
) -> None:
    response = _client(dispatch, "owner-a").post(
        "/projects/p/A/issues/raise/",
        {"kind": "weather", "content": " ", "deadline": "2026-11-31"},  # no 31 November
    )
    assert response.status_code == 200
    assert set(response.context["problems"]) == {"kind", "content", "deadline"}
    assert "2026-11-31" in response.context["problems"]["deadline"][0]
    # a time limit before the day raised (2026-12-03)
    before = _client(dispatch, "owner-a").post(
        "/projects/p/A/issues/raise/",
        {"kind": "funds", "content": "资金未到位", "deadline": "2026-12-01"},
    )
    assert set(before.context["problems"]) == {"deadline"}
    assert not Issue.objects.exists()
    # the owner of A raises nothing on B (not one of its projects)
    refused = _client(dispatch, "owner-a").post(
        "/projects/p/B/issues/raise/", {"kind": "funds", "content": "资金未到位"}
    )
    assert refused.status_code == 403


def test_a_step_the_ledger_does_not_allow_is_named_on_the_page(
    dispatch: SimpleNamespace, today: dt.date
) -> None:
    issue = Issue.objects.create(project=dispatch.projects["A"], kind="funds", content="资金",
                                 raised_on=D(2026, 12, 1))  # fmt: skip
    response = _client(dispatch, "analyst").post(
        f"/projects/issues/{issue.pk}/step/", {"to": "closed"}
    )
    assert response.status_code == 200
    assert "to" in response.context["problems"]
    issue.refresh_from_db()
    assert issue.status == "open"
    # 办结 without the result, and a time limit that is not a date: both named at once
    Issue.objects.filter(pk=issue.pk).update(status="assigned")
    both = _client(dispatch, "analyst").post(
        f"/projects/issues/{issue.pk}/step/", {"to": "resolved", "text": "", "deadline": "明天"}
    )
    assert set(both.context["problems"]) == {"text", "deadline"}


@pytest.fixture
def ledger(dispatch: SimpleNamespace) -> dict[str, Issue]:
    """Issues judged on 2026-12-03: ``late`` (A, assigned, time limit 2026-11-30: 3 days past),
    ``due`` (A, time limit 2026-12-03: due today, not past), ``done`` (C, resolved, limit
    2026-11-01: past but resolved), ``top`` (C, at the leaders' level, limit 2026-11-15)."""

    def make(code: str, **kw: Any) -> Issue:
        return Issue.objects.create(project=dispatch.projects[code], content=f"{code} 问题",
                                    raised_on=D(2026, 10, 20), **kw)  # fmt: skip

    return {
        "late": make("A", kind="land", status="assigned", deadline=D(2026, 11, 30)),
        "due": make("A", kind="funds", status="supervised", deadline=D(2026, 12, 3)),
        "done": make("C", kind="works", status="resolved", deadline=D(2026, 11, 1)),
        "top": make("C", kind="permits", status="assigned", deadline=D(2026, 11, 15),
                    level="leaders"),
    }  # fmt: skip


def test_the_ledger_filters_and_flags_the_overdue_issues(
    dispatch: SimpleNamespace, ledger: dict[str, Issue], today: dt.date
) -> None:
    analyst = _client(dispatch, "analyst")
    page = analyst.get("/projects/issues/")
    assert {i.pk for i in page.context["page"]} == {i.pk for i in ledger.values()}
    flags = {i.pk: i.overdue for i in page.context["page"]}
    # overdue: past the limit and not resolved — late (11-30) and top (11-15); not due (today),
    # not done (resolved)
    assert flags == {ledger["late"].pk: True, ledger["due"].pk: False, ledger["done"].pk: False,
                     ledger["top"].pk: True}  # fmt: skip
    assert page.context["overdue"] == 2
    overdue = analyst.get("/projects/issues/?overdue=yes")
    assert {i.pk for i in overdue.context["page"]} == {ledger["late"].pk, ledger["top"].pk}
    land = analyst.get("/projects/issues/?kind=land&status=assigned")
    assert [i.pk for i in land.context["page"]] == [ledger["late"].pk]
    bo_ai = analyst.get("/projects/issues/?county=410822")
    assert {i.pk for i in bo_ai.context["page"]} == {ledger["done"].pk, ledger["top"].pk}
    # a county sees its projects' issues only, and no escalation button
    county = _client(dispatch, "county-410822").get("/projects/issues/")
    assert {i.pk for i in county.context["page"]} == {ledger["done"].pk, ledger["top"].pk}
    assert "issues/escalate/" not in county.content.decode()
    other = _client(dispatch, "county-410822").get(f"/projects/issues/{ledger['late'].pk}/")
    assert other.status_code == 403


def test_escalating_moves_the_overdue_issue_up_a_level_with_a_new_time_limit(
    dispatch: SimpleNamespace, ledger: dict[str, Issue], today: dt.date
) -> None:
    response = _client(dispatch, "analyst").post("/projects/issues/escalate/", follow=True)
    assert re.findall(r"\d+", str(next(iter(response.context["messages"])))) == ["1"]
    late = Issue.objects.get(pk=ledger["late"].pk)
    # county -> the city's dispatch meeting; new limit 2026-12-03 + 15 days = 2026-12-18
    assert (late.level, late.deadline) == ("meeting", D(2026, 12, 18))
    # due today, resolved, or already at the top: unchanged
    for name in ("due", "done", "top"):
        issue = Issue.objects.get(pk=ledger[name].pk)
        assert (issue.level, issue.deadline) == (ledger[name].level, ledger[name].deadline)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ISSUE_ESCALATE)
    assert event.actor == dispatch.users["analyst"]
    assert event.data == {"issue": late.pk, "before": "county", "after": "meeting",
                          "deadline": "2026-12-18"}  # fmt: skip
    page = _client(dispatch, "analyst").get(f"/projects/issues/{late.pk}/")
    assert [h["what"] for h in page.context["history"]] == ["escalated"]
    assert page.context["history"][0]["level"] == str(Issue.Level.MEETING.label)
    # a county may not escalate
    assert _client(dispatch, "county-410821").post("/projects/issues/escalate/").status_code == 403


def test_the_daily_command_escalates_as_of_the_day_given(
    dispatch: SimpleNamespace, ledger: dict[str, Issue]
) -> None:
    out = io.StringIO()
    # as of 2026-12-04 the one due on 12-03 is past too: late and due move up, top stays
    call_command("escalate_issues", "--today", "2026-12-04", stdout=out)
    assert out.getvalue().splitlines()[0] == "2026-12-04：2 个逾期问题升级。"
    moved = Issue.objects.filter(level="meeting").order_by("pk")
    assert [(i.pk, i.deadline) for i in moved] == [
        (ledger["late"].pk, D(2026, 12, 19)), (ledger["due"].pk, D(2026, 12, 19))
    ]  # fmt: skip
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ISSUE_ESCALATE)
    assert [e.actor for e in events] == [None, None]  # the system acts
