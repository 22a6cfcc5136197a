"""On-site observation events (观摩评比): judges' scores, each unit's result and rank within
its group, the 回头看 and the annual composite.

Plain pandas, no database; the platform's ``parks`` app stores events and scores and calls the
same functions.

- :class:`EventSpec` (groups, :class:`Criterion`, :class:`Judge`, aggregation settings) and
  :class:`EventResult` (:mod:`kaoping.observation.model`);
- :func:`check_scores`, :func:`missing_scores`, :func:`judge_flags`: what is wrong with the
  scores, what is not scored yet, which judges look wrong (:mod:`kaoping.observation.scores`);
- :func:`aggregate`: a judge's total of a unit is the sum of its criteria points; the unit's
  total is the mean, trimmed mean (one highest and one lowest total dropped, with at least
  ``trim_min_judges`` judges), weighted mean or trimmed weighted mean of its judges' totals,
  ranked within the group (:mod:`kaoping.observation.results`, where the formulas are);
- :func:`look_back`, :func:`composite`, :func:`combine`: the 回头看, the annual composite of the
  events, indicators 80 % + observation 20 % (:mod:`kaoping.observation.annual`);
- :mod:`kaoping.observation.io` reads an event's workbook and writes its results,
  :mod:`kaoping.observation.demo` makes a synthetic Jiaozuo event.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kaoping.observation.model import (
    AGGREGATIONS,
    Criterion,
    EventResult,
    EventSpec,
    Judge,
    check_spec,
)

if TYPE_CHECKING:
    from kaoping.observation.annual import combine, composite, look_back
    from kaoping.observation.results import aggregate
    from kaoping.observation.scores import check_scores, judge_flags, missing_scores

# name -> module; imported on first use, so that the platform's models can read the
# configuration classes without loading pandas
_LAZY: dict[str, str] = {
    "aggregate": "kaoping.observation.results",
    "check_scores": "kaoping.observation.scores",
    "combine": "kaoping.observation.annual",
    "composite": "kaoping.observation.annual",
    "judge_flags": "kaoping.observation.scores",
    "look_back": "kaoping.observation.annual",
    "missing_scores": "kaoping.observation.scores",
}

__all__ = [
    "AGGREGATIONS",
    "Criterion",
    "EventResult",
    "EventSpec",
    "Judge",
    "aggregate",
    "check_scores",
    "check_spec",
    "combine",
    "composite",
    "judge_flags",
    "look_back",
    "missing_scores",
]


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kaoping.observation' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
