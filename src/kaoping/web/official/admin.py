"""The departments in Django's admin: the system admin and the city office's analysts name
each department (as the methodologies write it as an indicator's owner: 统计局) and the bonus,
penalty and veto items it may propose (their ids in the methodology, e.g. ``["criticised"]``);
its accounts are memberships with the role 职能部门 and the same name.  Targets, sheets, items
and scores change through their pages only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kaoping.web.official.models import Department


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ("name", "rules")

    def clean_rules(self) -> list[str]:
        rules: Any = self.cleaned_data.get("rules") or []
        if not isinstance(rules, list) or not all(isinstance(r, str) and r for r in rules):
            raise forms.ValidationError(
                _('Write the item ids as a list of texts, e.g. ["criticised"].')
            )
        return rules


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ("name", "rules")
    search_fields = ("name",)
