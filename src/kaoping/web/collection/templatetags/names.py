"""``{{ thing|shown }}``: a unit's, dimension's, indicator's or methodology's name in the page's
language -- its ``name_en`` on an English page where it has one, else its (Chinese) name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from kaoping.web.lang import lang

register = template.Library()


def _field(thing: Any, key: str) -> str:
    value = thing.get(key) if isinstance(thing, Mapping) else getattr(thing, key, "")
    return str(value or "")


@register.filter
def shown(thing: Any) -> str:
    """``thing``: an object or a mapping with ``name`` and (optionally) ``name_en``."""
    name = _field(thing, "name")
    return (_field(thing, "name_en") or name) if lang() == "en" else name
