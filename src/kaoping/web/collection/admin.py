"""Django's admin for the system administrator: units, periods, accounts' roles; submissions and
values with their history; the audit log read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from kaoping.web.collection.models import AuditEvent, Membership, Period, Submission, Unit, Value


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category")
    search_fields = ("code", "name")


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "methodology", "status", "previous")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("unit", "period", "status", "version")
    list_filter = ("period", "status")
    readonly_fields = ("status", "version")


@admin.register(Value)
class ValueAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("submission", "indicator", "value")
    readonly_fields = ("submission", "indicator", "value", "note")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor", "action", "submission", "period")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
