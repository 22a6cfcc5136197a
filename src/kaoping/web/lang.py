"""The request's language for the engine's bilingual messages: a :class:`kaoping.errors.Problem`
carries Chinese and English, and Django's active language (not kaoping's process-wide one) says
which one a page shows."""

from __future__ import annotations

from django.utils.translation import get_language

from kaoping.errors import Problem


def lang() -> str:
    """``"en"`` when the page is in English, else ``"zh"`` (the default)."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def plain(problem: Problem) -> str:
    """The problem's message in the page's language, without its location (for a page that
    shows it next to the field it names)."""
    return problem.en if lang() == "en" else problem.zh
