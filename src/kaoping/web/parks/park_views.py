"""The parks' pages: the province-style league with star levels, a park's page, the annual
assessment (registry, figures, compute, publish)."""

from __future__ import annotations

from kaoping.web.parks.stubs import todo

parks = todo
years = todo
registry = todo
registry_upload = todo
league = todo
league_xlsx = todo
values = todo
values_upload = todo
compute = todo
publish = todo
park = todo
