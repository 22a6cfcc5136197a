from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    name = "kaoping.web.official"
    label = "official"
    verbose_name = _("Official assessment")
