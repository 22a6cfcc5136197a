"""The audit log's hash chain, its check, and the database triggers that keep it append-only.

Every :class:`~kaoping.web.collection.models.AuditEvent` carries its place in the log (``seq``:
1, 2, 3 …, no gaps) and the SHA-256 of the previous event's hash followed by its own canonical
content (see :func:`digest`), so that an event changed, deleted or inserted behind the
platform's back breaks the chain from that event on: :func:`verify` (``python -m kaoping.web
verify_audit``) recomputes it and names the first broken event.

Appending takes the log's write lock before reading the last event, so that two requests never
chain to the same predecessor: SQLite's IMMEDIATE transactions (see ``settings.py``) hold the
database's write lock from their first statement; on PostgreSQL, :func:`append_lock` takes a
transaction-level advisory lock, held until the commit (which makes the event visible before
the next appender reads the last one).  The unique ``seq`` refuses a fork in any case.  The
services record their event last in their transaction, after their other locks.

The database itself refuses UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) of the table: the
triggers of :data:`TRIGGERS`, created by migration ``0009_audit_chain``.  Whoever owns the
database can still drop them (a DBA, or the SQLite file's owner); the chain is what shows it
then.  On PostgreSQL the role the platform runs as may also be refused UPDATE, DELETE and
TRUNCATE on the table (it only inserts and reads; migrations need the table's owner).  Keep the
line that :func:`verify` prints (its last event and hash) somewhere else, for instance with a
published ranking: ``verify_audit --head SEQ:HASH`` later shows that the log still passes
through it, i.e. that nothing up to that event was rewritten, even with the chain recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

GENESIS = "0" * 64
"""The "previous hash" of the first event."""

TABLE = "collection_auditevent"
GUARD = "the audit log is append-only"

# vendor -> (statements that create the guard, statements that drop it, trigger names)
TRIGGERS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "sqlite": (
        [
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{GUARD}: UPDATE refused'); END",
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{GUARD}: DELETE refused'); END",
        ],
        [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"],
        [f"{TABLE}_no_update", f"{TABLE}_no_delete"],
    ),
    "postgresql": (
        [
            "CREATE OR REPLACE FUNCTION kaoping_audit_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            # no percent sign: the statement is run both with and without parameters
            f"RAISE EXCEPTION USING MESSAGE = '{GUARD}: ' || TG_OP || ' refused', "
            "ERRCODE = 'insufficient_privilege'; END $$",
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION kaoping_audit_append_only()",
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kaoping_audit_append_only()",
        ],
        [
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
            f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
            "DROP FUNCTION IF EXISTS kaoping_audit_append_only()",
        ],
        [f"{TABLE}_append_only", f"{TABLE}_no_truncate"],
    ),
}


def _canonical(value: Any) -> Any:
    """The JSON value as the database gives it back: PostgreSQL's jsonb writes 1e+20 as
    100000000000000000000 (an int once read), so a whole number is written as an int."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def digest(
    previous: str,
    *,
    seq: int,
    timestamp: dt.datetime,
    actor_id: int | None,
    action: str,
    submission_id: int | None,
    period_id: int | None,
    data: Any,
) -> str:
    """SHA-256 (hex) of the previous event's hash and this event's canonical JSON: its place,
    its time in UTC to the microsecond, who, what, on which submission and period, and its
    data with sorted keys."""
    body = json.dumps(
        [
            seq,
            timestamp.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            actor_id,
            action,
            submission_id,
            period_id,
            _canonical(data),
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


APPEND_LOCK = int.from_bytes(b"kaoping", "big")
"""The PostgreSQL advisory lock of appending (an advisory lock needs no privilege on the
table, so the platform's role may be refused UPDATE, DELETE and TRUNCATE on it)."""


def append_lock(using: BaseDatabaseWrapper = connection) -> None:
    """Take the log's write lock for the rest of the transaction (call inside one, as the
    transaction's last step: it is held until the commit).  SQLite's IMMEDIATE transaction
    already holds the database's write lock: nothing to do there."""
    if using.vendor == "postgresql":
        with using.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])


def create_triggers(using: BaseDatabaseWrapper = connection) -> None:
    """The guard triggers (migration 0009, ``verify_audit --create-triggers``, and the test
    database after its flush)."""
    with using.cursor() as cursor:
        for statement in TRIGGERS.get(using.vendor, ([], [], []))[0]:
            cursor.execute(statement)


def drop_triggers(using: BaseDatabaseWrapper = connection) -> None:
    with using.cursor() as cursor:
        for statement in TRIGGERS.get(using.vendor, ([], [], []))[1]:
            cursor.execute(statement)


def missing_triggers(using: BaseDatabaseWrapper = connection) -> list[str]:
    """The guard triggers that are missing or disabled in this database."""
    wanted = TRIGGERS.get(using.vendor, ([], [], []))[2]
    with using.cursor() as cursor:
        if using.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:  # tgenabled 'D': disabled with ALTER TABLE … DISABLE TRIGGER
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in wanted if name not in present]


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the event (its place, or the place where one is missing) and
    what is wrong, in Chinese and English."""

    seq: int
    zh: str
    en: str


@dataclass(frozen=True)
class Checked:
    """The result of :func:`verify`: how many events, the last one's place and hash, and the
    first break (None: the chain is intact)."""

    count: int
    head: tuple[int, str] | None
    broken: Break | None


Row = tuple[int, int, dt.datetime, int | None, str, int | None, int | None, Any, str]
"""pk, seq, timestamp, actor_id, action, submission_id, period_id, data, hash."""


def verify(rows: Iterable[Row], head: tuple[int, str] | None = None) -> Checked:
    """Recompute the chain over the events in their order (``seq``) and report the first one
    that does not follow from its predecessor: a gap (an event deleted), a place out of order
    (an event inserted or renumbered), a hash that does not match (an event changed, or the
    chain rewritten from there).  ``head``: a (seq, hash) kept from an earlier check, which the
    chain must still pass through."""
    previous, expected, count = GENESIS, 1, 0
    last: tuple[int, str] | None = None
    passed_head = head is None
    for pk, seq, timestamp, actor_id, action, submission_id, period_id, data, stored in rows:
        count += 1
        if seq != expected:
            if seq > expected:
                gap = f"{expected}" if seq - 1 == expected else f"{expected}–{seq - 1}"
                zh = f"缺少第 {gap} 条事件（被删除了），其后是第 {seq} 条。"
                en = f"event {gap} is missing (deleted); the next one is {seq}."
            else:
                zh = f"第 {seq} 条事件（id {pk}）排在第 {expected} 条的位置：被插入或改了序号。"
                en = f"event {seq} (id {pk}) stands in place {expected}: inserted or renumbered."
            return Checked(count, last, Break(expected, zh, en))
        recomputed = digest(
            previous,
            seq=seq,
            timestamp=timestamp,
            actor_id=actor_id,
            action=action,
            submission_id=submission_id,
            period_id=period_id,
            data=data,
        )
        if recomputed != stored:
            when = timezone.localtime(timestamp)  # as the office reads its clock
            zh = (
                f"第 {seq} 条事件（id {pk}，{action}，{when:%Y-%m-%d %H:%M:%S}）的哈希不符："
                "它或它之前的链条在平台之外被改动过。"
            )
            en = (
                f"event {seq} (id {pk}, {action}, {when:%Y-%m-%d %H:%M:%S}) does not match "
                "its hash: it, or the chain before it, was changed outside the platform."
            )
            return Checked(count, last, Break(seq, zh, en))
        if head is not None and seq == head[0]:
            if stored != head[1]:
                zh = f"第 {seq} 条事件的哈希不是记下的 {head[1]}：此前的日志被重写过。"
                en = f"event {seq}'s hash is not the recorded {head[1]}: the log was rewritten."
                return Checked(count, last, Break(seq, zh, en))
            passed_head = True
        previous, expected, last = stored, seq + 1, (seq, stored)
    if not passed_head:
        assert head is not None
        zh = f"日志中没有记下的第 {head[0]} 条事件：其后的事件被删除了。"
        en = f"the log has no event {head[0]}, which was recorded: events were deleted."
        return Checked(count, last, Break(head[0], zh, en))
    return Checked(count, last, None)
