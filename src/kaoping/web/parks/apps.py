from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "kaoping.web.parks"
    label = "parks"
    verbose_name = _("Parks and observation")
