"""The ``<month:…>`` path converter of the dispatch URLs: ``YYYY-MM``, so that a month never
matches ``registry``, ``months`` or ``issues``."""

from __future__ import annotations

from django.urls import register_converter


class MonthConverter:
    regex = r"\d{4}-(0[1-9]|1[0-2])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MonthConverter, "month")
