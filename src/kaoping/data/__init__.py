"""Observations and units: the Panel, the units table, CSV/xlsx readers and imputation.

``kaoping.data`` sits below ``kaoping.methodology``: it knows nothing of the indicator tree and
receives the indicator vocabulary (header text -> indicator id) as a plain mapping.
"""

from kaoping.data._parse import Bad, parse_number, parse_period
from kaoping.data.impute import IMPUTATION_METHODS, Imputation, impute
from kaoping.data.panel import Panel
from kaoping.data.readers import read_panel, read_units
from kaoping.data.units import Units

__all__ = [
    "IMPUTATION_METHODS",
    "Bad",
    "Imputation",
    "Panel",
    "Units",
    "impute",
    "parse_number",
    "parse_period",
    "read_panel",
    "read_units",
]
