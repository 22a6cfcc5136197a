"""kaoping (考评): assess and rank county economies.

The engine is layered (imports point downward only)::

    kaoping.cli          command line
    kaoping.analysis     uncertainty and sensitivity (Monte Carlo, Sobol indices)
    kaoping.assess       Methodology + Panel + period -> Result (academic or official)
    kaoping.scoring      official scoring rules on NumPy arrays
    kaoping.methodology  indicator tree and method choices, from YAML
    kaoping.data         Panel of observations, readers, validation
    kaoping.methods      pure numerics on NumPy arrays

The names below are the short way in.  ``kaoping.assess`` is both a subpackage and, here, the
function :func:`kaoping.assess.assess`: the function wins on this namespace, as the README's
``kp.assess(methodology, panel, period)`` expects; import ``Result`` and the rest of the
subpackage with ``from kaoping.assess import …``.
"""

from kaoping.errors import InputError, KaopingError, Problem, set_language

__version__ = "0.1.0"

# imported after __version__, which the layers below may read
from kaoping.analysis.uncertainty import UncertaintySpec, uncertainty
from kaoping.assess import OfficialResult, Result, assess
from kaoping.data import Panel, Units, read_panel, read_units
from kaoping.methodology import Methodology
from kaoping.methodology import load as load_methodology

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
