"""The demo's key projects (SYNTHETIC): the registry of :func:`kaoping.dispatch.demo.synthetic`
imported through the registry service, every month opened and its reports approved, a
project-owner account, and issues raised on the projects that lag most."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kaoping.dispatch.demo import JIAOZUO, synthetic
from kaoping.dispatch.progress import progress
from kaoping.web.collection.models import Membership, Role, Unit
from kaoping.web.projects import frames, issues
from kaoping.web.projects.models import DispatchMonth, Project, Report
from kaoping.web.projects.registry import registry_import

__all__ = ["fill"]

LAST = "2026-11"


def fill(*, analyst: Any, password: str) -> str:
    """Fill the projects app; ``password`` is the demo accounts' hashed password.  Returns a
    line for the demo's summary."""
    # the demo's units are the ranked counties: Jiaozuo's 县(市), not its districts
    counties = tuple(Unit.objects.filter(code__in=JIAOZUO).values_list("code", flat=True))
    registry, reports = synthetic(counties, last=LAST)
    registry_import(actor=analyst, frame=registry)
    projects = {p.code: p for p in Project.objects.all()}
    months = sorted(set(reports["month"]))
    with transaction.atomic():
        stored = {
            m: DispatchMonth.objects.create(
                month=m,
                status=DispatchMonth.Status.OPEN
                if m == months[-1]
                else DispatchMonth.Status.CLOSED,
                deadline=dt.date(int(m[:4]), int(m[5:]), 1) + dt.timedelta(days=40),
            )
            for m in months
        }
        rows = [
            Report(
                project=projects[r.project],
                month=stored[r.month],
                invested=r.invested,
                stopped=bool(r.stopped),
                in_statistics=bool(r.in_statistics),
                workers=int(r.workers),
                progress=r.progress,
                note=r.note,
                # the last month is still being reported: a few wait for review
                status=Report.Status.SUBMITTED
                if r.month == months[-1] and i % 7 == 0
                else Report.Status.APPROVED,
            )
            for i, r in enumerate(reports.itertuples())
        ]
        bulk_create_with_history(rows, Report, batch_size=500)
        owner = get_user_model().objects.create(username="owner-demo", password=password)
        Membership.objects.create(user=owner, role=Role.OWNER)
        for project in list(projects.values())[:3]:
            project.reporters.add(owner)
    table = progress(frames.registry(), frames.reports(approved_only=True), months[-2])
    worst = table.sort_values("lag_pp", ascending=False).head(6)
    kinds = ["land", "relocation", "funds", "permits", "works", "factors"]
    today = dt.date(2026, 11, 20)
    for k, code in enumerate(worst.index):
        issue = issues.issue_raise(
            actor=analyst,
            project=projects[code],
            kind=kinds[k],
            content=f"滞后序时进度 {worst.at[code, 'lag_pp']:.1f} 个百分点，需协调解决（演示）",
            raised_on=today - dt.timedelta(days=30 + 5 * k),
            deadline=today - dt.timedelta(days=10 - 4 * k),
            department="市发展改革委",
        )
        if k % 2 == 0:
            issues.issue_step(actor=analyst, issue=issue, to="assigned", text="交办县区专班")
    issues.issues_escalate(today=today)
    return (
        f"key projects: {len(projects)} projects, {len(rows)} monthly reports "
        f"({months[0]} to {months[-1]}), {len(worst)} issues; owner account owner-demo"
    )
