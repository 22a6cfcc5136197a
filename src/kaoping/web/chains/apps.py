from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "kaoping.web.chains"
    label = "chains"
    verbose_name = _("Industrial chains")
