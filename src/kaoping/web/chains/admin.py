from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kaoping.web.chains.models import Chain, Edge, Enterprise, Node, Rules, Signing, Target


@admin.register(Chain)
class ChainAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "leader", "department"]
    search_fields = ["code", "name"]


@admin.register(Node)
class NodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "chain", "position", "parent", "order"]
    list_filter = ["chain", "position"]
    search_fields = ["code", "name", "industries"]


@admin.register(Edge)
class EdgeAdmin(SimpleHistoryAdmin):
    list_display = ["source", "target", "relation"]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["uscc", "name", "county", "above_scale", "output", "lead"]
    list_filter = ["county", "above_scale", "lead"]
    search_fields = ["uscc", "name"]
    filter_horizontal = ["nodes"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "node", "county", "kind", "priority"]
    list_filter = ["kind", "priority"]


@admin.register(Signing)
class SigningAdmin(SimpleHistoryAdmin):
    list_display = ["project", "investor", "county", "amount", "signed_on", "origin"]
    list_filter = ["county", "origin"]


@admin.register(Rules)
class RulesAdmin(SimpleHistoryAdmin):
    list_display = ["missing_below", "weak_below", "weak_share_pct", "weak_without_above_scale"]
