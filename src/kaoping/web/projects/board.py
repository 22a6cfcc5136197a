"""Reads of the dispatch's results (重点项目月调度结果): which months a user may see, and a
month's figures, warnings, headline numbers and county ranks as the engine computes them.

A month's results count approved reports only (those of the month and of the months before
it); a month is published when the office closes it.  The office sees every month, the others
the closed ones; a county or an owner account its own projects' results (the ranking of the
counties: every project), a viewer or a department every project's.  Every number is
:mod:`kaoping.dispatch`'s: nothing here computes a rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.dispatch import alerts, questions, rankings
from kaoping.dispatch.progress import county_progress, progress
from kaoping.dispatch.schema import STATUSES
from kaoping.web.collection.access import is_reviewer, role_of
from kaoping.web.collection.models import Role, Unit
from kaoping.web.projects import frames
from kaoping.web.projects.access import projects_visible_to
from kaoping.web.projects.models import DispatchMonth, Project

__all__ = [
    "RULES",
    "MonthResults",
    "latest_month",
    "month_results",
    "require_month",
    "results_projects",
    "role_sees_pages",
    "tier_cutoffs",
    "visible_months",
]

RULES = "yinchuan"
"""The platform's warning rules (红黄绿预警): 银川's project rules (:data:`alerts.PRESETS`)."""

COLOURS = ("red", "yellow", "green")


def visible_months(user: Any) -> QuerySet[DispatchMonth]:
    """The months whose results ``user`` may see, latest first: every month to the office,
    the closed (published) ones to everyone else."""
    months = DispatchMonth.objects.order_by("-month")
    if is_reviewer(user):
        return months
    return months.filter(status=DispatchMonth.Status.CLOSED)


def latest_month(user: Any) -> DispatchMonth | None:
    """The latest month ``user`` may see the results of (None when there is none)."""
    return visible_months(user).first()


def require_month(user: Any, month: str) -> DispatchMonth:
    """The month of a results page: 404 when it was never opened, 403 to anyone but the office
    while it is open (its results are published when the office closes it)."""
    try:
        found = DispatchMonth.objects.get(month=month)
    except DispatchMonth.DoesNotExist:
        raise Http404(_("No dispatch month %(month)s.") % {"month": month}) from None
    if not is_reviewer(user) and found.status != DispatchMonth.Status.CLOSED:
        raise PermissionDenied(
            _("The results of %(month)s are published when the city office closes the month.")
            % {"month": month}
        )
    return found


def results_projects(user: Any) -> QuerySet[Project]:
    """The projects whose results ``user`` sees: a county's or an owner's own, every project
    to the office and to the readers of the published results (viewers, departments)."""
    if role_of(user) in (Role.COUNTY, Role.OWNER):
        return projects_visible_to(user)
    return Project.objects.all()


def role_sees_pages(user: Any) -> bool:
    """Whether ``user`` opens project pages at all: the office, counties and owners (their
    own projects); viewers and departments read the published results only."""
    return is_reviewer(user) or role_of(user) in (Role.COUNTY, Role.OWNER)


def tier_cutoffs(n: int) -> list[int]:
    """The last rank of each of three tiers (第一、二、三方阵) of ``n`` counties, a third each
    (rounded up); fewer tiers when there are fewer than three counties.

    >>> tier_cutoffs(7), tier_cutoffs(6), tier_cutoffs(2), tier_cutoffs(1), tier_cutoffs(0)
    ([3, 5, 7], [2, 4, 6], [1, 2], [1], [])
    """
    return sorted({math.ceil(n * k / 3) for k in (1, 2, 3)} - {0})


@dataclass
class MonthResults:
    """A month's results over a set of projects (see the module docstring)."""

    month: str
    registry: pd.DataFrame
    reports: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)
    """County code -> name."""

    @cached_property
    def table(self) -> pd.DataFrame:
        """:func:`kaoping.dispatch.progress.progress` of the month."""
        return progress(self.registry, self.reports, self.month)

    @cached_property
    def warnings(self) -> pd.DataFrame:
        """The month's warnings (:data:`RULES`), indexed like :attr:`table`."""
        return alerts.evaluate(
            RULES, self.table, registry=self.registry, reports=self.reports, month=self.month
        )

    @cached_property
    def counties(self) -> pd.DataFrame:
        """:func:`kaoping.dispatch.progress.county_progress` of the month."""
        return county_progress(self.table)

    def status_counts(self) -> dict[str, int]:
        counts = self.table["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def colour_counts(self) -> dict[str, int]:
        counts = self.warnings["colour"].value_counts()
        return {c: int(counts.get(c, 0)) for c in COLOURS}

    def new_starts(self) -> questions.NewStarts:
        return questions.new_starts(self.registry, self.month)

    def special_bonds(self) -> questions.Bonds:
        return questions.special_bonds(self.registry)

    def red(self) -> pd.DataFrame:
        return questions.red_projects(self.table, self.warnings)

    def ranking(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The counties' measures (:func:`rankings.county_measures`) and their ranks and tiers
        (:func:`rankings.rank_counties`, a third of the counties a tier)."""
        measures = rankings.county_measures(self.registry, self.table, self.month)
        ranked = rankings.rank_counties(measures, cutoffs=tier_cutoffs(len(measures)) or None)
        return measures, ranked


def month_results(month: str, projects: QuerySet[Project]) -> MonthResults:
    """The results of ``month`` over ``projects``: the approved reports up to the month."""
    return MonthResults(
        month=month,
        registry=frames.registry(projects),
        reports=frames.reports(approved_only=True, upto=month),
        names=dict(Unit.objects.values_list("code", "name")),
    )
