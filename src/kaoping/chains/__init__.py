"""Industrial chains (产业链全景图) and investment attraction (招商引资): chains of nodes
(环节) with their enterprises, each node's strength and the gap lists, investment targets and
the signed projects that become key projects of the dispatch.

Plain pandas, no database; the platform's ``chains`` app stores chains, nodes, enterprises,
targets and signings and calls the same functions.

- the workbook's sheets and columns (:mod:`kaoping.chains.schema`), a workbook as
  :class:`ChainBook` with :func:`make_book` and :func:`check_book` (every problem across the
  sheets, :mod:`kaoping.chains.model`); :func:`read_book` / :func:`write_book` read and write
  the xlsx (:mod:`kaoping.chains.sheets`);
- GB/T 4754-2017 industry codes and the 统一社会信用代码's check character (GB 32100-2015)
  (:mod:`kaoping.chains.codes`);
- :func:`node_stats`, :func:`county_stats`, :class:`StrengthRules`, :func:`strength`,
  :func:`gaps`: what each node has, where, how strong, and the gap lists
  (:mod:`kaoping.chains.strength`);
- :func:`by_county`, :func:`group_share`, :func:`to_registry`, :func:`lifecycle`: signings per
  county and their shares, the registry projects they become and their 「三个一批」 rates
  (:mod:`kaoping.chains.signings`);
- :func:`demo_book`: three synthetic chains of Jiaozuo (:mod:`kaoping.chains.demo`).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaoping.chains.demo import demo_book
    from kaoping.chains.model import ChainBook, check_book, make_book
    from kaoping.chains.sheets import read_book, write_book
    from kaoping.chains.signings import by_county, group_share, lifecycle, to_registry
    from kaoping.chains.strength import StrengthRules, county_stats, gaps, node_stats, strength

# name -> module; imported on first use, so that the platform's models can read the schema
# without loading pandas
_LAZY: dict[str, str] = {
    "ChainBook": "kaoping.chains.model",
    "StrengthRules": "kaoping.chains.strength",
    "by_county": "kaoping.chains.signings",
    "check_book": "kaoping.chains.model",
    "county_stats": "kaoping.chains.strength",
    "demo_book": "kaoping.chains.demo",
    "gaps": "kaoping.chains.strength",
    "group_share": "kaoping.chains.signings",
    "lifecycle": "kaoping.chains.signings",
    "make_book": "kaoping.chains.model",
    "node_stats": "kaoping.chains.strength",
    "read_book": "kaoping.chains.sheets",
    "strength": "kaoping.chains.strength",
    "to_registry": "kaoping.chains.signings",
    "write_book": "kaoping.chains.sheets",
}

__all__ = [
    "ChainBook",
    "StrengthRules",
    "by_county",
    "check_book",
    "county_stats",
    "demo_book",
    "gaps",
    "group_share",
    "lifecycle",
    "make_book",
    "node_stats",
    "read_book",
    "strength",
    "to_registry",
    "write_book",
]


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kaoping.chains' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Namespace(types.ModuleType):
    """``kaoping.chains.strength`` stays the function once its module is imported (as
    ``kaoping.dispatch.progress``; see :mod:`kaoping`)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "strength" and isinstance(value, types.ModuleType):
            value = getattr(value, "strength", value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Namespace
