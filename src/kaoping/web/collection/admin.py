"""Django's admin: the system administrator's, and the city office analysts' for units and
accounts (see :mod:`.staff` for their permissions).  An analyst never sees or edits a
superuser's account, never hands out the admin role and cannot change anyone's staff or
superuser flags, groups or permissions; submissions, values and the audit log are read-only
here (they change through the workflow's pages only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kaoping.web.accounts.services import county_accounts
from kaoping.web.collection.models import (
    AuditEvent,
    Membership,
    Period,
    Role,
    Submission,
    Unit,
    Value,
)
from kaoping.web.collection.periods import methodology_choices

admin.site.site_header = _("kaoping administration")
admin.site.site_title = _("kaoping")
admin.site.index_title = _("Units, accounts and records")

PRIVILEGES = ("is_superuser", "is_staff", "groups", "user_permissions")


def _roles_for(request: HttpRequest, db_field: Any, kwargs: dict[str, Any]) -> None:
    """The role choices a user may hand out: all to a superuser, all but admin otherwise."""
    if db_field.name == "role" and not request.user.is_superuser:
        kwargs["choices"] = [c for c in Role.choices if c[0] != Role.ADMIN]


def _henan_names_en() -> Any:
    from kaoping.data import bundled  # the engine's data package: loaded when first needed

    return bundled.henan_names_en()


def _forget_pages() -> None:
    """Empty the results pages' cache (kaoping.web.results.pages): they show the units'
    English names, which are not frozen with a ranking."""
    caches["pages"].clear()


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "category")
    search_fields = ("code", "name", "name_en")
    actions = ("fill_english_names",)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if not change and not obj.name_en:  # a Henan unit: its name from the bundled table
            obj.name_en = _henan_names_en().get(obj.code, "")
        super().save_model(request, obj, form, change)
        _forget_pages()

    def delete_model(self, request: HttpRequest, obj: Unit) -> None:
        super().delete_model(request, obj)
        _forget_pages()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        super().delete_queryset(request, queryset)  # the list's "delete selected"
        _forget_pages()

    @admin.action(description=_("Fill in missing English names from the bundled Henan table"))
    def fill_english_names(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        names = _henan_names_en()
        filled = 0
        for unit in queryset.filter(name_en=""):
            if unit.code in names:
                unit.name_en = names[unit.code]
                unit.save(update_fields=["name_en"])
                filled += 1
        _forget_pages()
        self.message_user(
            request,
            ngettext("%(n)d English name filled in.", "%(n)d English names filled in.", filled)
            % {"n": filled},
        )


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "methodology", "status", "previous")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "methodology":  # a methodology's key, never a free text or path
            return forms.ChoiceField(label=db_field.verbose_name, choices=methodology_choices)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "department")
    list_filter = ("role",)
    autocomplete_fields = ("unit",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.exclude(role=Role.ADMIN).exclude(user__is_superuser=True)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _roles_for(request, db_field, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # a role belongs to its account: moving it to another user is a new membership
        return ("user",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ("unit",)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _roles_for(request, db_field, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Accounts with their role and unit on one page."""

    inlines = (MembershipInline,)
    list_display = ("username", "role", "unit", "is_active", "last_login")
    list_filter = ("membership__role", "is_active")

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description=_("unit"), ordering="membership__unit__code")
    def unit(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.unit) if membership and membership.unit else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request).select_related("membership__unit")
        if request.user.is_superuser:
            return qs
        # not a superuser's account nor a system admin's (its password, its role)
        return qs.filter(is_superuser=False).exclude(membership__role=Role.ADMIN)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, *PRIVILEGES)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """An analyst sets no password here: a county's is reset on the county accounts page
        (a temporary one, in the audit log), anyone else's not at all."""
        if request.user.is_superuser:
            return super().user_change_password(request, id, form_url)
        accounts = county_accounts(actor=request.user)
        if not id.isdigit() or not accounts.filter(pk=id).exists():
            raise PermissionDenied(_("Only a county submitter's password is reset here."))
        return redirect("county-reset", user_id=int(id))


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
    list_display = ("seq", "timestamp", "actor", "action", "submission", "period")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
