"""The read-only JSON API of published assessments (token authentication, OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from kaoping.web.results.models import Assessment


class UnitResultSerializer(serializers.Serializer[dict[str, Any]]):
    unit = serializers.CharField(help_text="GB/T 2260 code")
    name = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    category_rank = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField(allow_null=True)
    dimensions = serializers.DictField(child=serializers.FloatField(allow_null=True))


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    period = serializers.CharField(source="period.code")
    results = UnitResultSerializer(many=True)

    class Meta:
        model = Assessment
        fields = ["id", "period", "methodology", "inputs_hash", "published_at", "results"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("period", str, description="Only this period, e.g. 2024")]
    )
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet[Assessment]):
    """Published assessments, newest first; the results of each unit with its rank and tier."""

    serializer_class = AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        qs = Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("period")
        period = self.request.query_params.get("period")
        return qs.filter(period__code=period) if period else qs
