"""kaoping (考评): assess and rank county economies.

The engine is layered (imports point downward only)::

    kaoping.cli          command line
    kaoping.analysis     uncertainty and sensitivity (Monte Carlo, Sobol indices)
    kaoping.assess       Methodology + Panel + period -> Result (academic or official)
    kaoping.scoring      official scoring rules on NumPy arrays
    kaoping.methodology  indicator tree and method choices, from YAML
    kaoping.data         Panel of observations, readers, validation
    kaoping.methods      pure numerics on NumPy arrays

The names below are the short way in.  They are loaded on first use (PEP 562), so that
``import kaoping`` (and ``kaoping --help``) does not load pandas, numba and the whole engine.
``kaoping.assess`` is both a subpackage and, here, the function :func:`kaoping.assess.assess`:
the function wins on this namespace, as the README's ``kp.assess(methodology, panel, period)``
expects; import ``Result`` and the rest of the subpackage with ``from kaoping.assess import …``.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from kaoping.errors import InputError, KaopingError, Problem, set_language

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kaoping.analysis.uncertainty import UncertaintySpec, uncertainty
    from kaoping.assess import OfficialResult, Result, assess
    from kaoping.data import Panel, Units, read_panel, read_units
    from kaoping.methodology import Methodology
    from kaoping.methodology import load as load_methodology

# name on this namespace -> (module, name in it), imported on first use
_LAZY: dict[str, tuple[str, str]] = {
    "UncertaintySpec": ("kaoping.analysis.uncertainty", "UncertaintySpec"),
    "uncertainty": ("kaoping.analysis.uncertainty", "uncertainty"),
    "OfficialResult": ("kaoping.assess", "OfficialResult"),
    "Result": ("kaoping.assess", "Result"),
    "assess": ("kaoping.assess", "assess"),
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
    "OfficialResult",
    "Panel",
    "Problem",
    "Result",
    "UncertaintySpec",
    "Units",
    "__version__",
    "assess",
    "load_methodology",
    "read_panel",
    "read_units",
    "set_language",
    "uncertainty",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kaoping' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Namespace(types.ModuleType):
    """This package's module: ``kaoping.assess`` stays the function.

    Importing a subpackage binds it on its parent (``kaoping.assess = <module>``); whoever
    imports ``kaoping.assess`` first (``from kaoping.assess import Result``), the name on this
    namespace is the subpackage's function, as it was when everything was imported eagerly.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "assess" and isinstance(value, types.ModuleType):
            value = getattr(value, "assess", value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Namespace
