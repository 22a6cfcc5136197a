"""Documents from results: the briefing text (通报/新闻稿, :mod:`~kaoping.report.briefing`),
the 通报 as Word in the layout of GB/T 9704 (:mod:`~kaoping.report.word`), the assessment
report and the county card as PDF (:mod:`~kaoping.report.pdf`), the charts drawn by
matplotlib (:mod:`~kaoping.report.charts`) and the tables they print
(:mod:`~kaoping.report.tables`).  Word, charts and PDF load their libraries when first used.

A layer above :mod:`kaoping.assess` and :mod:`kaoping.analysis`, below the CLI and the web.
"""

from __future__ import annotations

from kaoping.report.briefing import Briefing, Fact, Sentence, briefing

__all__ = ["Briefing", "Fact", "Sentence", "briefing"]
