"""A date as a form sends it (``YYYY-MM-DD`` from a date input), read the same way by every
service that takes one."""

from __future__ import annotations

import datetime as dt

from kaoping.errors import Problem

__all__ = ["form_date"]


def form_date(
    raw: dt.date | str | None, *, code: str, field: str, example: str = "2026-12-31"
) -> dt.date | Problem | None:
    """The date of ``raw`` (a date passes through; blank text: None), or a
    :class:`~kaoping.errors.Problem` ``code`` naming ``field`` when the text is not a date.

    >>> form_date(" 2026-12-10 ", code="x", field="deadline")
    datetime.date(2026, 12, 10)
    >>> form_date("", code="x", field="deadline") is None
    True
    >>> form_date("10.12.2026", code="x", field="deadline").where
    'deadline'
    """
    if raw is None or isinstance(raw, dt.date):
        return raw
    text = raw.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return Problem(
            code,
            f"“{text}”不是可识别的日期：请按 年-月-日 填写，例如 {example}。",
            f"{text!r} is not a date we can read: write it as year-month-day, e.g. {example}.",
            field,
        )
