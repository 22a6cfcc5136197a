"""The stored registry and reports as the frames :mod:`kaoping.dispatch` computes on (and
back): the one place that maps the ``projects`` models to the engine's columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from kaoping.dispatch.schema import MONTHLY, REGISTRY
from kaoping.web.projects.models import Project, Report

__all__ = ["PROJECT_FIELDS", "REPORT_FIELDS", "registry", "reports"]

# the registry's columns that are fields of Project under the same name (project and county
# are the code and the unit's code)
PROJECT_FIELDS = tuple(c.name for c in REGISTRY if c.name not in ("project", "county"))
REPORT_FIELDS = tuple(c.name for c in MONTHLY if c.name not in ("project", "name", "month"))


def registry(projects: Iterable[Project] | None = None) -> pd.DataFrame:
    """The registry frame (:data:`kaoping.dispatch.schema.REGISTRY` columns) of ``projects``
    (default: all)."""
    query = Project.objects.all() if projects is None else projects
    rows: list[dict[str, Any]] = [
        {"project": p.code, "county": p.unit.code, **{f: getattr(p, f) for f in PROJECT_FIELDS}}
        for p in (query.select_related("unit") if hasattr(query, "select_related") else query)
    ]
    frame = pd.DataFrame(rows, columns=["project", "county", *PROJECT_FIELDS])
    for col in REGISTRY:
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name])
        elif col.kind == "text" or col.kind == "choice":
            frame[col.name] = frame[col.name].replace("", None)
    return frame


def reports(*, approved_only: bool = False, upto: str | None = None) -> pd.DataFrame:
    """Every stored report as the monthly frame (:data:`~kaoping.dispatch.schema.MONTHLY`
    columns), optionally only approved ones and only months up to ``upto``."""
    query = Report.objects.all()
    if approved_only:
        query = query.filter(status=Report.Status.APPROVED)
    if upto is not None:
        query = query.filter(month__month__lte=upto)
    values = query.values_list("project__code", "month__month", *REPORT_FIELDS)
    return pd.DataFrame(list(values), columns=["project", "month", *REPORT_FIELDS])
