from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "kaoping.web.results"
    label = "results"
    verbose_name = _("Assessment and publication")
