"""Pure numerical kernels on NumPy arrays: normalise, weight, aggregate, rank.

Rows are units, columns are indicators; no pandas, no IO.  The formulas and their sources are
in each function's docstring and in ``shared/METHODS.md``.
"""

from kaoping.methods import aggregate, normalize, rank, weights
from kaoping.methods._common import ConstantColumnWarning, FloatArray

__all__ = ["ConstantColumnWarning", "FloatArray", "aggregate", "normalize", "rank", "weights"]
