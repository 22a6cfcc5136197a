"""kaoping (考评): assess and rank county economies.

The engine is layered (imports point downward only)::

    kaoping.cli          command line
    kaoping.assess       Methodology + Panel + period -> Result
    kaoping.methodology  indicator tree and method choices, from YAML
    kaoping.data         Panel of observations, readers, validation
    kaoping.methods      pure numerics on NumPy arrays

The names below are the short way in; they are imported on first use, so that
``import kaoping.methods`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kaoping.errors import InputError, KaopingError, Problem, set_language

if TYPE_CHECKING:
    from kaoping.assess import Result, assess
    from kaoping.data import Panel, Units, read_panel, read_units
    from kaoping.methodology import Methodology
    from kaoping.methodology import load as load_methodology

__version__ = "0.1.0"

_LAZY = {
    "assess": ("kaoping.assess", "assess"),
    "Result": ("kaoping.assess", "Result"),
    "Panel": ("kaoping.data", "Panel"),
    "Units": ("kaoping.data", "Units"),
    "read_panel": ("kaoping.data", "read_panel"),
    "read_units": ("kaoping.data", "read_units"),
    "Methodology": ("kaoping.methodology", "Methodology"),
    "load_methodology": ("kaoping.methodology", "load"),
}

__all__ = [
    "InputError",
    "KaopingError",
    "Methodology",
    "Panel",
    "Problem",
    "Result",
    "Units",
    "__version__",
    "assess",
    "load_methodology",
    "read_panel",
    "read_units",
    "set_language",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'kaoping' has no attribute {name!r}")
