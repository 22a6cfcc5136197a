from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kaoping.web.projects.models import DispatchMonth, Issue, Project, Report


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "key_level", "total", "annual_plan", "stage"]
    list_filter = ["unit", "key_level", "stage", "batch"]
    search_fields = ["code", "name", "owner"]
    filter_horizontal = ["reporters"]


@admin.register(DispatchMonth)
class DispatchMonthAdmin(admin.ModelAdmin):
    list_display = ["month", "deadline", "status"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "month", "invested", "status"]
    list_filter = ["month", "status"]


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "status", "level", "deadline"]
    list_filter = ["status", "level", "kind"]
