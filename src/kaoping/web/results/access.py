"""Who sees which assessment: reviewers every one (previews included); everyone else the
announced (公示) and published ones."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kaoping.web.collection import access
from kaoping.web.results.models import Assessment

PUBLIC = (Assessment.Status.ANNOUNCED, Assessment.Status.PUBLISHED)


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("period")
    if access.is_reviewer(user):
        return qs
    if access.role_of(user) is None:
        return qs.none()
    return qs.filter(status__in=PUBLIC)
