from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "kaoping.web.collection"
    label = "collection"
    verbose_name = _("Collection and review")

    def ready(self) -> None:
        from kaoping.web.collection.models import Membership
        from kaoping.web.collection.staff import sync_staff

        def saving(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
            # the user before the change: moved to another user, the old one loses staff
            old = Membership.objects.filter(pk=instance.pk).values_list("user_id", flat=True)
            instance._previous_user = old.first() if instance.pk and not raw else None  # type: ignore[attr-defined]

        def saved(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
            if not raw:  # not while loading fixtures
                sync_staff(instance, previous_user=getattr(instance, "_previous_user", None))

        def deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
            sync_staff(instance, deleted=True)

        pre_save.connect(saving, sender=Membership, weak=False, dispatch_uid="kaoping-staff-was")
        post_save.connect(saved, sender=Membership, weak=False, dispatch_uid="kaoping-staff")
        post_delete.connect(deleted, sender=Membership, weak=False, dispatch_uid="kaoping-unstaff")
        post_migrate.connect(guard_audit_log, sender=self, dispatch_uid="kaoping-audit-guard")


def guard_audit_log(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate``: the audit log's guard triggers, created again where they are
    missing.  On SQLite a migration that alters the audit table rebuilds it (a new table,
    the rows copied, the old one dropped), and the old table's triggers go with it: without
    this, the log would silently accept UPDATE and DELETE again after such a migration."""
    from django.db import connections

    from kaoping.web.collection import audit

    database = connections[using]
    if audit.TABLE not in database.introspection.table_names():
        return  # migrated backwards past the log (or not yet to it)
    if audit.missing_triggers(database):
        audit.drop_triggers(database)
        audit.create_triggers(database)
