"""``python -m kaoping.web escalate_issues [--today YYYY-MM-DD] [--days N]``: escalate every
issue of the ledger (问题台账) past its time limit a level (县 → 市调度会 → 市主要领导), each with
a new time limit ``--days`` later (default 15); for a daily cron job.

One line: how many issues moved up, and each one's project, new level and time limit.  The
system acts (the audit events have no actor).  Messages in Chinese, or in English with
``KAOPING_LANG=en``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kaoping.errors import get_language
from kaoping.web.projects.issues import issues_escalate


def _say(zh: str, en: str) -> str:
    return en if get_language() == "en" else zh


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _say(
                f"--today {text} 不是日期，请写成 2026-12-31。",
                f"--today {text} is not a date; write it as 2026-12-31.",
            )
        ) from error


class Command(BaseCommand):
    help = "Escalate the overdue issues of the ledger a level, each with a new time limit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=_day, default=None, help="the day to judge by (default: today)"
        )
        parser.add_argument(
            "--days", type=int, default=15, help="the new time limit, in days (default 15)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError(_say("--days 必须至少为 1。", "--days must be at least 1."))
        today = options["today"] or timezone.localdate()
        moved = issues_escalate(today=today, days=options["days"])
        self.stdout.write(
            _say(
                f"{today}：{len(moved)} 个逾期问题升级。",
                f"{today}: {len(moved)} overdue issues escalated.",
            )
        )
        for issue in moved:
            self.stdout.write(
                f"  #{issue.pk} {issue.project.code} → {issue.level} ({issue.deadline})"
            )
