"""Assessment pipeline: Methodology + Panel + period -> Result (scores, ranks, tiers).

Academic methodologies give a :class:`Result`; official ones (with an ``official:`` section)
an :class:`OfficialResult` with points, bonus and penalty, veto, progress and awards.
"""

from kaoping.assess.official import assess_official
from kaoping.assess.official_result import OfficialResult
from kaoping.assess.pipeline import assess
from kaoping.assess.result import Result

__all__ = ["OfficialResult", "Result", "assess", "assess_official"]
