"""The issue ledger (问题台账): raised by the project's county or the office, moved step by step,
escalated a level when its time limit passes, every step in the audit log and the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Membership, Role, Unit
from kaoping.web.projects.access import projects_visible_to
from kaoping.web.projects.issues import issue_raise, issue_step, issues_escalate
from kaoping.web.projects.models import Issue, Project

D = dt.date


@pytest.fixture
def projects(units: dict[str, Unit]) -> dict[str, Project]:
    return {
        "A": Project.objects.create(code="A", name="甲", unit=units["410821"], total=1000.0),
        "B": Project.objects.create(code="B", name="乙", unit=units["410822"], total=2000.0),
    }


@pytest.fixture
def owner(projects: dict[str, Project]) -> Any:
    user = get_user_model().objects.create_user(username="owner-a", password="pw")
    Membership.objects.create(user=user, role=Role.OWNER)
    projects["A"].reporters.add(user)
    return user


def _raise(actor: Any, project: Project, **kw: Any) -> Issue:
    args: dict[str, Any] = {
        "kind": "land",
        "content": "用地指标未落实",
        "raised_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 31),
    }
    args.update(kw)
    return issue_raise(actor=actor, project=project, **args)


def test_a_county_raises_an_issue_on_its_project_and_the_office_sees_it_through(
    users: dict[str, Any], projects: dict[str, Project]
) -> None:
    issue = _raise(users["county-410821"], projects["A"])
    analyst = users["analyst"]
    issue_step(actor=analyst, issue=issue, to="assigned", text="自然资源局牵头")
    issue_step(actor=analyst, issue=issue, to="supervised")
    issue_step(actor=users["county-410821"], issue=issue, to="resolved", text="指标已调剂到位")
    issue_step(actor=analyst, issue=issue, to="closed")
    issue.refresh_from_db()
    assert (issue.status, issue.result) == ("closed", "指标已调剂到位")
    steps = AuditEvent.objects.filter(action=AuditEvent.Action.ISSUE_STEP)
    assert [e.data["after"] for e in steps] == ["assigned", "supervised", "resolved", "closed"]
    assert issue.history.count() == 5  # raised + four steps


def test_steps_the_ledger_does_not_allow_are_refused(
    users: dict[str, Any], projects: dict[str, Project]
) -> None:
    issue = _raise(users["analyst"], projects["A"])
    with pytest.raises(InputError) as caught:
        issue_step(actor=users["analyst"], issue=issue, to="closed")
    assert caught.value.problems[0].code == "issues.bad_step"
    issue_step(actor=users["analyst"], issue=issue, to="assigned")
    with pytest.raises(PermissionDenied):  # only the office assigns, supervises and closes
        issue_step(actor=users["county-410821"], issue=issue, to="supervised")
    with pytest.raises(InputError) as caught:
        issue_step(actor=users["county-410821"], issue=issue, to="resolved", text=" ")
    assert caught.value.problems[0].code == "issues.no_result"


def test_every_problem_of_a_new_issue_at_once(
    users: dict[str, Any], projects: dict[str, Project]
) -> None:
    with pytest.raises(InputError) as caught:
        _raise(users["analyst"], projects["A"], kind="weather", content="", deadline=D(2026, 2, 1))
    assert sorted(p.code for p in caught.value.problems) == [
        "issues.bad_kind",
        "issues.deadline_before",
        "issues.no_content",
    ]
    assert not Issue.objects.exists()


def test_others_may_not_raise_issues_on_a_project(
    users: dict[str, Any], projects: dict[str, Project], owner: Any
) -> None:
    for who in ("county-410822", "viewer"):
        with pytest.raises(PermissionDenied):
            _raise(users[who], projects["A"])
    with pytest.raises(PermissionDenied):  # an owner reports only its own projects
        _raise(owner, projects["B"])
    assert _raise(owner, projects["A"]).project.code == "A"
    assert list(projects_visible_to(owner).values_list("code", flat=True)) == ["A"]
    assert list(projects_visible_to(users["county-410822"]).values_list("code", flat=True)) == ["B"]
    assert not projects_visible_to(users["viewer"]).exists()


def test_an_overdue_issue_climbs_a_level_at_a_time_up_to_the_citys_leaders(
    users: dict[str, Any], projects: dict[str, Project]
) -> None:
    """Time limit 31 March: on 1 April → 市调度会, limit 16 April; on 17 April → 市主要领导;
    after that it stays.  A resolved issue is never escalated."""
    issue = _raise(users["analyst"], projects["A"])
    done = _raise(users["analyst"], projects["B"])
    issue_step(actor=users["analyst"], issue=done, to="assigned")
    issue_step(actor=users["county-410822"], issue=done, to="resolved", text="已解决")
    assert issues_escalate(today=D(2026, 3, 31)) == []
    assert [i.pk for i in issues_escalate(today=D(2026, 4, 1))] == [issue.pk]
    issue.refresh_from_db()
    assert (issue.level, issue.deadline) == ("meeting", D(2026, 4, 16))
    issues_escalate(today=D(2026, 4, 17))
    issue.refresh_from_db()
    assert issue.level == "leaders"
    assert issues_escalate(today=D(2026, 6, 1)) == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ISSUE_ESCALATE).count() == 2
