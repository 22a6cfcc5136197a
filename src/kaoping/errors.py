"""Errors and problems that say where and how to fix, in Chinese (default) or English.

Every layer reports bad input as :class:`Problem` objects: a stable ``code`` that the web layer
and tests can match on, the message in both languages, and where the problem is (a file and
line, a workbook cell ``data.xlsx!Sheet1!D7``, or a field path).  A step that finds problems
collects *all* of them and raises one :class:`InputError`, so a user fixes everything in one go.

The language is chosen with :func:`set_language` or the ``KAOPING_LANG`` environment variable
(``zh`` — the default — or ``en``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "InputError",
    "KaopingError",
    "KaopingWarning",
    "Problem",
    "get_language",
    "set_language",
]

_LANGUAGES = ("zh", "en")
_language: str | None = None


def set_language(lang: str) -> None:
    """Choose the language of messages: ``"zh"`` (简体中文, default) or ``"en"``."""
    global _language
    lang = _normalise_language(lang)
    _language = lang


def get_language() -> str:
    """The language messages are rendered in: ``"zh"`` or ``"en"``."""
    if _language is not None:
        return _language
    return _normalise_language(os.environ.get("KAOPING_LANG", "zh"))


def _normalise_language(lang: str) -> str:
    low = lang.strip().lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh"
    if low.startswith("en"):
        return "en"
    raise ValueError(f"language must be 'zh' or 'en', got {lang!r}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, where it is, and how to fix it.

    Parameters
    ----------
    code : str
        Stable dotted identifier, e.g. ``"data.not_a_number"``; never translated.
    zh, en : str
        The message in Simplified Chinese and in English, each saying what is wrong and the fix.
    where : str, optional
        Location: ``"county.yaml:12"``, ``"data.xlsx!Sheet1!D7"``, ``"dimensions[0].weight"``.
    """

    code: str
    zh: str
    en: str
    where: str | None = None

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language), prefixed by its location."""
        text = self.en if (lang or get_language()) == "en" else self.zh
        return f"{self.where}: {text}" if self.where else text

    def __str__(self) -> str:
        return self.message()


class KaopingError(Exception):
    """Base class of kaoping's domain errors (bad input, impossible requests)."""


class InputError(KaopingError, ValueError):
    """Bad input, with every problem found.

    ``str(error)`` lists all problems, one per line, in the current language.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._render())

    def _render(self, lang: str | None = None) -> str:
        return "\n".join(p.message(lang) for p in self.problems)

    def message(self, lang: str | None = None) -> str:
        return self._render(lang)

    def __str__(self) -> str:
        return self._render()

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class KaopingWarning(UserWarning):
    """Something the user should know that does not stop the computation."""
