"""``{{ item.points|points }}`` (``0.5``, not ``0.50``; ``—`` for a veto's none) and
``{{ item.status|item_status }}`` (an item's status in the page's language, in the words of an
item's decision: a rejected item is 不予认定, not an objection's 异议不成立)."""

from __future__ import annotations

from django import template

from kaoping.web.official.items import points_text, status_label

register = template.Library()
register.filter("points", points_text)
register.filter("item_status", status_label)
