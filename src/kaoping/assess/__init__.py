"""Assessment pipeline: Methodology + Panel + period -> Result (scores, ranks, tiers)."""

from kaoping.assess.pipeline import assess
from kaoping.assess.result import Result

__all__ = ["Result", "assess"]
