"""Shared types of the numerical kernels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from kaoping.errors import KaopingWarning

FloatArray = NDArray[np.float64]


class ConstantColumnWarning(KaopingWarning):
    """A column has a single value (max == min), so it cannot discriminate between units.

    ``columns`` holds the zero-based indices of the constant columns, so that the caller (who
    knows the indicator ids) can name them.
    """

    def __init__(self, message: str, columns: Sequence[int]) -> None:
        super().__init__(message)
        self.columns: tuple[int, ...] = tuple(int(c) for c in columns)
