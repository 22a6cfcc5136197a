"""Documents from results: the briefing text (通报/新闻稿); Word, PDF and charts come later.

A layer above :mod:`kaoping.assess` and :mod:`kaoping.analysis`, below the CLI and the web.
"""

from __future__ import annotations

from kaoping.report.briefing import Briefing, Fact, Sentence, briefing

__all__ = ["Briefing", "Fact", "Sentence", "briefing"]
