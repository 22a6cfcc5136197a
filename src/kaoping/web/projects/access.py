"""Who may see and report which project: county accounts their county's projects, project-owner
accounts (业主单位) only the projects they are named reporters of, the city office all."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaoping.web.collection.access import is_reviewer, role_of, unit_id_of
from kaoping.web.collection.models import Role
from kaoping.web.projects.models import Project

__all__ = ["can_report", "can_see", "projects_visible_to", "require_report", "require_see"]


def can_report(user: Any, project: Project) -> bool:
    """The project's county account or one of its project-owner accounts."""
    role = role_of(user)
    if role == Role.COUNTY:
        return project.unit_id == unit_id_of(user)
    if role == Role.OWNER:
        return project.reporters.filter(pk=user.pk).exists()
    return False


def can_see(user: Any, project: Project) -> bool:
    """The office sees every project; a county or an owner the projects it reports."""
    return is_reviewer(user) or can_report(user, project)


def require_see(user: Any, project: Project) -> None:
    if not can_see(user, project):
        raise PermissionDenied(_("This project is not one of yours."))


def require_report(user: Any, project: Project) -> None:
    if not can_report(user, project):
        raise PermissionDenied(_("Only the project's county or owner may report it."))


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """The projects a user sees (none for viewers and departments: they see the published
    monthly results, not the registry's rows)."""
    if is_reviewer(user):
        return Project.objects.all()
    role = role_of(user)
    if role == Role.COUNTY:
        return Project.objects.filter(unit_id=unit_id_of(user))
    if role == Role.OWNER:
        return Project.objects.filter(reporters=user)
    return Project.objects.none()
