"""Importing the registry (项目库) into the platform: all or nothing, every bad row named, the
history of each project kept, and the stored rows read back as the engine's frames."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied

from kaoping.dispatch import county_progress
from kaoping.dispatch.progress import progress
from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects import frames
from kaoping.web.projects.models import DispatchMonth, Project, Report
from kaoping.web.projects.registry import registry_import


def _frame(**overrides: list[Any]) -> pd.DataFrame:
    data: dict[str, list[Any]] = {
        "project": ["JZ-001", "JZ-002"],
        "name": ["新材料产业园", "物流园二期"],
        "county": ["410821", "410822"],
        "key_level": ["省重点", "市重点"],
        "industrial": [True, False],
        "total": [120000.0, 50000.0],
        "annual_plan": [24000.0, 12000.0],
        "bond": [20000.0, None],
        "planned_start": [pd.Timestamp("2025-03-01"), pd.Timestamp("2026-02-01")],
        "actual_start": [pd.Timestamp("2025-03-20"), pd.NaT],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_it_creates_the_projects_and_reads_them_back_as_the_engines_frame(
    users: dict[str, Any],
) -> None:
    counts = registry_import(actor=users["analyst"], frame=_frame())
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    first = Project.objects.get(code="JZ-001")
    assert (first.unit.code, first.key_level, first.bond) == ("410821", "省重点", 20000.0)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROJECTS_IMPORT).count() == 1
    reg = frames.registry()
    assert list(reg["project"]) == ["JZ-001", "JZ-002"]
    # the stored rows compute like the sheet: 2,000 of 24,000 in January = 8.33 %
    month = DispatchMonth.objects.create(month="2026-01")
    Report.objects.create(project=first, month=month, invested=2000.0, status="approved")
    table = progress(reg, frames.reports(approved_only=True), "2026-01")
    assert round(float(table.loc["JZ-001", "completion_pct"]), 2) == 8.33
    assert county_progress(table).loc["410822", "未开工"] == 1


def test_a_second_import_updates_and_keeps_the_history(users: dict[str, Any]) -> None:
    registry_import(actor=users["analyst"], frame=_frame())
    counts = registry_import(actor=users["analyst"], frame=_frame(annual_plan=[30000.0, 12000.0]))
    assert counts == {"created": 0, "updated": 1, "unchanged": 1}
    project = Project.objects.get(code="JZ-001")
    assert project.annual_plan == 30000.0
    assert [h.annual_plan for h in project.history.order_by("history_date")] == [24000.0, 30000.0]


def test_every_bad_row_is_named_and_nothing_is_stored(users: dict[str, Any]) -> None:
    frame = _frame(project=["JZ-001", "JZ-001"], county=["999999", "410822"])
    frame["_row"] = [2, 3]
    frame.attrs.update(source="项目库.xlsx!Sheet1", columns={"project": "A", "county": "D"})
    with pytest.raises(InputError) as caught:
        registry_import(actor=users["analyst"], frame=frame)
    where = sorted((p.code, p.where) for p in caught.value.problems)
    assert where == [
        ("projects.duplicate", "项目库.xlsx!Sheet1!A3"),
        ("projects.unknown_county", "项目库.xlsx!Sheet1!D2"),
    ]
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "county-410821"])
def test_it_requires_an_analyst(users: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        registry_import(actor=users[who], frame=_frame())
