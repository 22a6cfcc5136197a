"""The registry (项目库) on the platform: imported from the city's sheet in one transaction,
every problem named by its cell, each project's changes kept in its history."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from django.db import transaction

from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import require_reviewer
from kaoping.web.collection.models import AuditEvent, Unit
from kaoping.web.projects.frames import PROJECT_FIELDS
from kaoping.web.projects.models import Project

__all__ = ["registry_import"]

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
