"""The registry (项目库) on the platform: imported from the city's sheet in one transaction,
every problem named by its cell, each project's changes kept in its history."""

from __future__ import annotations

import datetime as dt
import math
from typing import IO, Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kaoping.dispatch import sheets
from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer, require_reviewer, role_of
from kaoping.web.collection.models import AuditEvent, Role, Unit
from kaoping.web.projects import frames
from kaoping.web.projects.access import projects_visible_to
from kaoping.web.projects.frames import PROJECT_FIELDS
from kaoping.web.projects.models import Project

__all__ = [
    "FILTERS",
    "can_see_registry",
    "registry_export",
    "registry_import",
    "registry_projects",
    "registry_totals",
    "registry_upload",
    "require_registry",
]

FILTERS = ("county", "key_level", "batch", "stage", "bond", "q")
"""The registry's filters: a county's code, 重点级别, 三个一批 batch, stage, 专项债券 (``yes``
with a special bond, ``no`` without), and a search of the project's name or code."""


def can_see_registry(user: Any) -> bool:
    """The office, and the units that report projects (a county, an owner: their own rows);
    not viewers and departments (they see the published monthly results)."""
    return is_reviewer(user) or role_of(user) in (Role.COUNTY, Role.OWNER)


def require_registry(user: Any) -> None:
    if not can_see_registry(user):
        raise PermissionDenied(_("The registry is for the city office and the reporting units."))


def registry_projects(*, actor: Any, **filters: str) -> QuerySet[Project]:
    """The projects of the registry ``actor`` sees, narrowed by :data:`FILTERS` (empty: all).

    Raises
    ------
    PermissionDenied
        For viewers and departments.
    """
    require_registry(actor)
    query = projects_visible_to(actor).select_related("unit")
    if county := filters.get("county", ""):
        query = query.filter(unit__code=county)
    for name in ("key_level", "batch", "stage"):
        if value := filters.get(name, ""):
            query = query.filter(**{name: value})
    bond = filters.get("bond", "")
    if bond == "yes":
        query = query.filter(bond__gt=0)
    elif bond == "no":
        query = query.filter(Q(bond__isnull=True) | Q(bond__lte=0))
    if q := filters.get("q", "").strip():
        query = query.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return query


def registry_totals(query: QuerySet[Project]) -> dict[str, float]:
    """总投资, 年度计划 and 专项债券 (万元) of the projects of ``query``, and how many."""
    sums = query.aggregate(total=Sum("total"), annual_plan=Sum("annual_plan"), bond=Sum("bond"))
    return {"count": query.count(), **{k: v or 0.0 for k, v in sums.items()}}


def registry_export(*, actor: Any, empty: bool = False, **filters: str) -> bytes:
    """The registry's sheet (xlsx, the city's columns) of the projects ``actor`` sees (and
    ``filters`` keep), which :func:`kaoping.dispatch.sheets.read_registry` reads back; or the
    empty sheet to fill (``empty``)."""
    require_registry(actor)
    if empty:
        return sheets.registry_template()
    return sheets.registry_template(frames.registry(registry_projects(actor=actor, **filters)))


def registry_upload(*, actor: Any, file: IO[bytes], name: str) -> dict[str, int]:
    """Read an uploaded registry sheet (messages call it ``name``, never a server path) and
    import it (:func:`registry_import`): all or nothing.

    Raises
    ------
    PermissionDenied
        Unless the actor is an analyst or an administrator (checked before the file is read).
    kaoping.errors.InputError
        Every bad cell of the sheet, or every row the platform refuses.
    """
    require_reviewer(actor)
    frame = sheets.read_registry(file, name=name)
    return registry_import(actor=actor, frame=frame)


_DATES = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "DateField"}
_NUMBERS = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "FloatField"}
_FLAGS = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "BooleanField"}


def _where(frame: pd.DataFrame, index: Any, column: str) -> str:
    """The cell of a row that came from a sheet (``_row`` and the frame's ``source``), else
    the project."""
    row = frame.at[index, "_row"] if "_row" in frame.columns else None
    source = frame.attrs.get("source")
    if row is not None and source:
        cells = frame.attrs.get("columns", {})
        letter = cells.get(column)
        return f"{source}!{letter}{int(row)}" if letter else f"{source}!{int(row)}"
    return f"{frame.at[index, 'project']}.{column}"


def _value(name: str, raw: Any) -> Any:
    missing = raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NaT
    if name in _DATES:
        return None if missing or pd.isna(raw) else pd.Timestamp(raw).date()
    if name in _NUMBERS:
        return None if missing else float(raw)
    if name in _FLAGS:
        return bool(raw) if not missing else False
    return "" if missing else str(raw)


def registry_import(*, actor: Any, frame: pd.DataFrame) -> dict[str, int]:
    """Create or update the projects of a registry frame (as
    :func:`kaoping.dispatch.sheets.read_registry` returns it), all or none.

    Raises
    ------
    PermissionDenied
        Unless the actor is an analyst or an administrator.
    kaoping.errors.InputError
        ``projects.unknown_county`` for every row whose county code is not a unit of the
        platform (naming its cell), ``projects.duplicate`` for a project id twice; nothing is
        stored.
    """
    require_reviewer(actor)
    units = {u.code: u for u in Unit.objects.all()}
    problems: list[Problem] = []
    seen: set[str] = set()
    for index in frame.index:
        code = str(frame.at[index, "project"])
        county = str(frame.at[index, "county"])
        if county not in units:
            problems.append(
                Problem(
                    "projects.unknown_county",
                    f"县区代码 {county} 不是平台上的单位。请填写本市县（市、区）的 6 位代码，"
                    "或请系统管理员先添加该单位。",
                    f"county code {county} is not a unit of the platform; write the 6-digit code "
                    "of one of the city's counties, or ask the administrator to add the unit.",
                    _where(frame, index, "county"),
                )
            )
        if code in seen:
            problems.append(
                Problem(
                    "projects.duplicate",
                    f"项目编号 {code} 出现了两次。每个项目只填一行。",
                    f"project id {code} appears twice; give each project one row.",
                    _where(frame, index, "project"),
                )
            )
        seen.add(code)
    if problems:
        raise InputError(problems)
    created = updated = 0
    with transaction.atomic():
        for index in frame.index:
            code = str(frame.at[index, "project"])
            values = {
                name: _value(name, frame.at[index, name])
                for name in PROJECT_FIELDS
                if name in frame.columns
            }
            values["unit"] = units[str(frame.at[index, "county"])]
            project = Project.objects.filter(code=code).first()
            if project is None:
                Project(code=code, **values).save()
                created += 1
            else:
                changed = False
                for name, value in values.items():
                    if getattr(project, name) != value:
                        setattr(project, name, value)
                        changed = True
                if changed:
                    project._change_reason = "registry import"  # type: ignore[attr-defined]
                    project.save()
                    updated += 1
        AuditEvent.record(
            AuditEvent.Action.PROJECTS_IMPORT,
            actor,
            created=created,
            updated=updated,
            rows=len(frame),
            on=dt.date.today().isoformat(),
        )
    return {"created": created, "updated": updated, "unchanged": len(frame) - created - updated}
