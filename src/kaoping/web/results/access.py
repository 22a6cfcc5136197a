"""Who sees which assessment: reviewers every one (previews included); counties the announced
(公示, so that they may object) and published ones; viewers (leaders) and departments the
published ones only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kaoping.web.collection import access
from kaoping.web.collection.models import Role, Unit
from kaoping.web.results.models import Assessment

PUBLIC = (Assessment.Status.ANNOUNCED, Assessment.Status.PUBLISHED)


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("period")
    if access.is_reviewer(user):
        return qs
    role = access.role_of(user)
    if role == Role.COUNTY:
        return qs.filter(status__in=PUBLIC)
    if role in (Role.VIEWER, Role.DEPARTMENT):
        return qs.filter(status=Assessment.Status.PUBLISHED)
    return qs.none()


def may_see_figures(user: Any, assessment: Assessment, unit_code: str) -> bool:
    """Whether the user may read a unit's indicator figures in the assessment: reviewers
    always; everyone once it is published; a county its own while it is only announced (the
    announcement shows ranks and scores, not another unit's unpublished figures)."""
    if access.is_reviewer(user) or assessment.status == Assessment.Status.PUBLISHED:
        return True
    unit_id = access.unit_id_of(user)
    return unit_id is not None and Unit.objects.filter(pk=unit_id, code=unit_code).exists()
