"""The issue ledger (问题台账) on the platform: raise an issue on a project, move it a step on,
escalate the overdue ones; the rules are :mod:`kaoping.dispatch.ledger`'s, every step goes to
the audit log and each issue keeps its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.dispatch import ledger
from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects.access import can_report, require_see
from kaoping.web.projects.models import Issue, Project

__all__ = ["issue_raise", "issue_step", "issues_escalate"]


def issue_raise(
    *,
    actor: Any,
    project: Project,
    kind: str,
    content: str,
    raised_on: dt.date,
    deadline: dt.date | None = None,
    department: str = "",
    leader: str = "",
) -> Issue:
    """Raise an issue on a project: the office, or the project's county or owner.

    Raises
    ------
    PermissionDenied
        For anyone else.
    kaoping.errors.InputError
        ``issues.bad_kind``, ``issues.no_content``, ``issues.deadline_before`` (all at once).
    """
    require_see(actor, project)
    problems = []
    if kind not in Issue.Kind.values:
        problems.append(
            Problem(
                "issues.bad_kind",
                f"问题类型 {kind!r} 不存在。请选择：征迁、用地、资金、手续、施工、要素保障。",
                f"there is no issue kind {kind!r}; choose relocation, land, funds, permits, "
                "works or factors.",
                "kind",
            )
        )
    if not content.strip():
        problems.append(
            Problem(
                "issues.no_content",
                "请写明问题的内容。",
                "describe the issue.",
                "content",
            )
        )
    if deadline is not None and deadline < raised_on:
        problems.append(
            Problem(
                "issues.deadline_before",
                f"办理时限 {deadline} 早于提出日期 {raised_on}。请改为提出日期之后的日期。",
                f"the time limit {deadline} is before the day raised, {raised_on}; give a later "
                "date.",
                "deadline",
            )
        )
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        issue = Issue(
            project=project,
            kind=kind,
            content=content.strip(),
            raised_on=raised_on,
            deadline=deadline,
            department=department,
            leader=leader,
        )
        issue.save()
        AuditEvent.record(
            AuditEvent.Action.ISSUE_RAISE, actor, project=project.code, issue=issue.pk, kind=kind
        )
    return issue


def issue_step(
    *,
    actor: Any,
    issue: Issue,
    to: str,
    text: str = "",
    deadline: dt.date | None = None,
) -> Issue:
    """Move an issue a step on (:data:`kaoping.dispatch.ledger.TRANSITIONS`): the office
    assigns (交办, with a time limit), supervises (督办) and closes (销号) it or sends a
    resolution back; the project's county or owner reports it resolved (办结) with the result.

    Raises
    ------
    PermissionDenied
        A step the actor may not take.
    kaoping.errors.InputError
        ``issues.bad_step`` (a step the issue cannot take from where it is), ``issues.no_result``
        (办结 without the result).
    """
    require_see(actor, issue.project)
    if not (
        is_reviewer(actor) or (to == Issue.Status.RESOLVED and can_report(actor, issue.project))
    ):
        raise PermissionDenied(_("Only the city office may move this issue on."))
    if not ledger.can_move(issue.status, to):
        raise InputError(
            [
                Problem(
                    "issues.bad_step",
                    f"问题当前为「{Issue.Status(issue.status).label}」，不能转为「{to}」。",
                    f"the issue is {issue.status}; it cannot move to {to}.",
                    "to",
                )
            ]
        )
    if to == Issue.Status.RESOLVED and not text.strip():
        raise InputError(
            [Problem("issues.no_result", "办结时请写明处理结果。", "give the result.", "text")]
        )
    with transaction.atomic():
        before = issue.status
        issue.status = to
        if to == Issue.Status.RESOLVED:
            issue.result = text.strip()
        elif text.strip():
            issue.measures = (issue.measures + "\n" + text.strip()).strip()
        if deadline is not None:
            issue.deadline = deadline
        issue._change_reason = f"{before} -> {to}"  # type: ignore[attr-defined]
        issue.save()
        AuditEvent.record(
            AuditEvent.Action.ISSUE_STEP, actor, issue=issue.pk, before=before, after=to
        )
    return issue


def issues_escalate(*, today: dt.date, days: int = 15) -> list[Issue]:
    """Escalate every overdue issue a level (:func:`kaoping.dispatch.ledger.escalation`), with a
    new time limit ``days`` later; the system acts (no actor).  Returns the escalated issues."""
    moved = []
    with transaction.atomic():
        open_issues = Issue.objects.select_for_update().exclude(
            status__in=[Issue.Status.RESOLVED, Issue.Status.CLOSED]
        )
        for issue in open_issues.filter(deadline__lt=today):
            step = ledger.escalation(issue.status, issue.level, issue.deadline, today, days=days)
            if step is None:
                continue
            before = issue.level
            issue.level, issue.deadline = step
            issue._change_reason = f"escalated {before} -> {issue.level}"  # type: ignore[attr-defined]
            issue.save()
            AuditEvent.record(
                AuditEvent.Action.ISSUE_ESCALATE,
                None,
                issue=issue.pk,
                before=before,
                after=issue.level,
                deadline=issue.deadline.isoformat(),
            )
            moved.append(issue)
    return moved
