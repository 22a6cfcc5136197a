"""What the platform's log lines say about a request: its method, its path and who made it,
and nothing else of it (not its query string, form values, cookies or headers), so that a log
of errors holds neither figures nor passwords nor keys.  See ``LOGGING`` in ``settings.py``."""

from __future__ import annotations

import logging

LONGEST_PATH = 200


class RequestFields(logging.Filter):
    """Give every record ``method``, ``path`` and ``user`` ("-" when the record has no
    request, as Django's request loggers attach one, or the user is anonymous)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        method = getattr(request, "method", None)
        path = getattr(request, "path", None)
        record.method = method if isinstance(method, str) else "-"
        record.path = path[:LONGEST_PATH] if isinstance(path, str) else "-"
        record.user = "-"
        user = getattr(request, "user", None) if method is not None else None
        try:
            if user is not None and user.is_authenticated:
                record.user = user.get_username()
        except Exception:  # the database is what failed: the line is still written
            record.user = "?"
        return True
