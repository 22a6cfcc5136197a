"""``python -m kaoping.web verify_audit``: recompute the audit log's hash chain.

Exit 0 and one line (how many events, the last one's number and hash) when the chain is
intact and the database's guard triggers are in place; exit 1 naming the first broken event,
or the missing triggers, otherwise (``--create-triggers`` re-creates them).
``--head SEQ:HASH`` (a line kept from an earlier run) also checks that the log still passes
through that event with that hash.  Messages in Chinese, or in English with
``KAOPING_LANG=en``.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from kaoping.errors import get_language
from kaoping.web.collection import audit
from kaoping.web.collection.models import AuditEvent

HEAD = re.compile(r"([0-9]{1,18}):([0-9a-f]{64})")
FIELDS = ("pk", "seq", "timestamp", "actor_id", "action", "submission_id", "period_id", "data",
          "hash")  # fmt: skip


def _say(zh: str, en: str) -> str:
    return en if get_language() == "en" else zh


class Command(BaseCommand):
    help = "Check the audit log's hash chain and its triggers; exit 1 at the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="an event's number and hash printed by an earlier run: the log must still "
            "pass through it",
        )
        parser.add_argument(
            "--create-triggers",
            action="store_true",
            help="(re-)create the triggers by which the database refuses to change or delete "
            "an event, then check",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        head = None
        if options["head"] is not None:
            found = HEAD.fullmatch(options["head"].strip())
            if found is None:
                raise CommandError(
                    _say(
                        f"--head {options['head']!r} 的格式不对：应为 序号:哈希，"
                        "如 120:3f5a…（64 位十六进制），即之前某次运行打印的那一行。",
                        f"--head {options['head']!r} is malformed: write SEQ:HASH, such as "
                        "120:3f5a… (64 hex digits), as an earlier run printed it.",
                    ),
                    returncode=2,
                )
            head = (int(found[1]), found[2])
        if options["create_triggers"]:
            with transaction.atomic():
                audit.drop_triggers(connection)
                audit.create_triggers(connection)
        rows = AuditEvent.objects.order_by("seq").values_list(*FIELDS).iterator(chunk_size=2000)
        try:
            checked = audit.verify(rows, head)
        finally:
            rows.close()  # the database cursor, when the check stopped at a break
        problems = []
        if checked.broken is not None:
            problems.append(_say(checked.broken.zh, checked.broken.en))
        missing = audit.missing_triggers(connection)
        if missing:
            problems.append(
                _say(
                    f"数据库中审计日志的保护触发器缺失或被停用：{', '.join(missing)}。"
                    "请查明是谁移除的，再用 verify_audit --create-triggers 重建。",
                    f"the database's guard triggers of the audit log are missing or "
                    f"disabled: {', '.join(missing)}; find out who removed them, then "
                    "re-create them with verify_audit --create-triggers.",
                )
            )
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        if checked.head is None:
            self.stdout.write(_say("审计日志为空。", "the audit log is empty."))
            return
        seq, digest = checked.head
        self.stdout.write(
            _say(
                f"审计日志完整：{checked.count} 条事件；最后一条 {seq}:{digest}",
                f"the audit log is intact: {checked.count} events; the last {seq}:{digest}",
            )
        )
