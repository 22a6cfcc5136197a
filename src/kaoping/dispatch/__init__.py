"""Key-project dispatch (重点项目月调度): progress against 序时进度, warnings, rankings, 三个一批.

Plain pandas, no database: the registry (项目库) and the monthly reports (月调度) are frames
whose columns are named in :mod:`kaoping.dispatch.schema`; the platform's ``projects`` app
stores them and calls the same functions.

- :func:`progress` / :func:`county_progress`: a month's figures and status per project and
  county (:mod:`kaoping.dispatch.progress`);
- :func:`county_measures` / :func:`rank_counties` / :func:`as_indicator`: counties ranked by
  开工率, 投资完成率, 竣工率, 投产率, 履约率 (:mod:`kaoping.dispatch.rankings`);
- :func:`batch_rates`: the 「三个一批」 rates (:mod:`kaoping.dispatch.batches`);
- :func:`load_rules` / :func:`evaluate`: the red, yellow and green warnings (红黄绿预警) as
  rule sets in YAML, the presets :data:`PRESETS` (:mod:`kaoping.dispatch.alerts`);
- :func:`new_starts`, :func:`special_bonds`, :func:`red_projects`: the dashboard's headline
  questions (:mod:`kaoping.dispatch.questions`).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaoping.dispatch.alerts import PRESETS, RuleSet, evaluate, load_rules
    from kaoping.dispatch.batches import batch_rates
    from kaoping.dispatch.progress import county_progress, progress, project_series
    from kaoping.dispatch.questions import new_starts, red_projects, special_bonds
    from kaoping.dispatch.rankings import as_indicator, county_measures, rank_counties

# name -> module; imported on first use, so that the platform's models can read the schema
# without loading pandas
_LAZY: dict[str, str] = {
    "PRESETS": "kaoping.dispatch.alerts",
    "RuleSet": "kaoping.dispatch.alerts",
    "as_indicator": "kaoping.dispatch.rankings",
    "batch_rates": "kaoping.dispatch.batches",
    "county_measures": "kaoping.dispatch.rankings",
    "county_progress": "kaoping.dispatch.progress",
    "evaluate": "kaoping.dispatch.alerts",
    "load_rules": "kaoping.dispatch.alerts",
    "new_starts": "kaoping.dispatch.questions",
    "progress": "kaoping.dispatch.progress",
    "project_series": "kaoping.dispatch.progress",
    "rank_counties": "kaoping.dispatch.rankings",
    "red_projects": "kaoping.dispatch.questions",
    "special_bonds": "kaoping.dispatch.questions",
}

__all__ = [
    "PRESETS",
    "RuleSet",
    "as_indicator",
    "batch_rates",
    "county_measures",
    "county_progress",
    "evaluate",
    "load_rules",
    "new_starts",
    "progress",
    "project_series",
    "rank_counties",
    "red_projects",
    "special_bonds",
]


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kaoping.dispatch' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Namespace(types.ModuleType):
    """``kaoping.dispatch.progress`` stays the function once its module is imported (as
    ``kaoping.assess``; see :mod:`kaoping`)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "progress" and isinstance(value, types.ModuleType):
            value = getattr(value, "progress", value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Namespace
