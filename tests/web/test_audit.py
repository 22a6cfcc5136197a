"""The audit log is tamper-evident: a hash chain that ``verify_audit`` recomputes, and triggers by
which the database itself refuses to change or delete an event.

To play the DBA who edits the table behind the platform's back, a test lifts the guard the way
the database's owner can: on SQLite it drops the triggers, on PostgreSQL it disables them
(``ALTER TABLE … DISABLE TRIGGER``), runs its SQL, and puts them back.  It does so inside the
test's transaction, which is rolled back afterwards, DDL included (both databases roll back
DDL), so that no later test runs without them.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from kaoping.web.collection import audit
from kaoping.web.collection.models import AuditEvent, Period

from . import children

TABLE = audit.TABLE


def _record(n: int, **data: Any) -> list[AuditEvent]:
    return [AuditEvent.record(AuditEvent.Action.PERIOD_OPEN, None, n=i, **data) for i in range(n)]


def _as_dba(*statements: str) -> None:
    """Run raw SQL past the guard triggers, as the database's owner can, then restore them."""
    _checks_now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            for drop in audit.TRIGGERS["sqlite"][1]:
                cursor.execute(drop)
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        else:
            for create in audit.TRIGGERS["sqlite"][0]:
                cursor.execute(create)


def _checks_now() -> None:
    """PostgreSQL: run the deferred foreign-key checks of this test's inserts now (TRUNCATE is
    refused while they wait, which would hide the trigger's answer)."""
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")


def _verify(*args: str) -> tuple[int, str]:
    """verify_audit's exit status and what it said (in Chinese, the default)."""
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_each_event_hashes_the_one_before_it_and_its_own_content(db: Any) -> None:
    """The second event's hash, computed here from the documented recipe: SHA-256 of the first
    event's hash followed by the compact JSON list [seq, UTC time to the microsecond, actor,
    action, submission, period, data with sorted keys]."""
    period = Period.objects.create(code="2024", methodology="county_hqd")
    first = AuditEvent.record(AuditEvent.Action.PERIOD_CREATE, None, period=period)
    second = AuditEvent.record(AuditEvent.Action.PERIOD_OPEN, None, period=period, b=2, a="县")
    body = json.dumps(
        [2, second.timestamp.astimezone(audit.dt.UTC).isoformat(timespec="microseconds"),
         None, "period.open", None, period.pk, {"a": "县", "b": 2}],
        ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip
    assert first.seq == 1
    assert first.hash == hashlib.sha256((audit.GENESIS + json.dumps(
        [1, first.timestamp.astimezone(audit.dt.UTC).isoformat(timespec="microseconds"),
         None, "period.create", None, period.pk, {}], separators=(",", ":"),
    )).encode()).hexdigest()  # fmt: skip
    assert second.hash == hashlib.sha256((first.hash + body).encode()).hexdigest()
    # what the database gives back hashes the same (a float such as 1e20 included)
    AuditEvent.record(AuditEvent.Action.PERIOD_OPEN, None, big=1e20, small=0.1, nested=[1.0])
    status, said = _verify()
    assert status == 0
    assert said.startswith("审计日志完整：3 条事件；最后一条 3:")


def test_the_database_refuses_to_change_delete_or_empty_the_log(db: Any) -> None:
    _record(2)
    refused = [
        f"UPDATE {TABLE} SET action = 'period.close'",
        f"DELETE FROM {TABLE} WHERE seq = 2",
        f"DELETE FROM {TABLE}",  # Django's flush on SQLite
    ]
    if connection.vendor == "postgresql":
        refused.append(f"TRUNCATE {TABLE}")  # Django's flush on PostgreSQL
    for statement in refused:
        with transaction.atomic():
            _checks_now()
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                connection.cursor().execute(statement)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2]
    assert audit.missing_triggers() == []


def test_the_stock_flush_is_refused_and_only_the_test_backend_lifts_the_guard(db: Any) -> None:
    """Django's own flush statements (production's backend) fail on the audit log; the test
    suite's backend is Django's with the guard dropped and re-created around the flush
    (production names Django's own backends: see test_settings.py)."""
    _record(1)
    stock = type(connection.ops).__mro__[2]  # past the FlushMixin: Django's DatabaseOperations
    assert stock.__module__.startswith("django.db.backends.")
    statements = stock.sql_flush(connection.ops, no_style(), [TABLE])
    _checks_now()
    with pytest.raises(DatabaseError, match="append-only"):
        connection.ops.execute_sql_flush(statements)
    assert AuditEvent.objects.count() == 1
    with transaction.atomic():
        _checks_now()
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [TABLE]))
        assert AuditEvent.objects.count() == 0
        assert audit.missing_triggers() == []  # back in place after the flush
        transaction.set_rollback(True)


def test_a_row_changed_by_raw_sql_is_named(db: Any) -> None:
    events = _record(4)
    _as_dba(f"UPDATE {TABLE} SET data = '{{\"n\": 9}}' WHERE id = {events[2].pk}")
    status, said = _verify()
    assert status == 1
    assert said.startswith(f"第 3 条事件（id {events[2].pk}，period.open，")
    assert "哈希不符" in said


def test_a_deleted_row_is_named(db: Any) -> None:
    _record(4)
    _as_dba(f"DELETE FROM {TABLE} WHERE seq = 2")
    assert _verify() == (1, "缺少第 2 条事件（被删除了），其后是第 3 条。")


def test_a_deleted_last_row_is_found_from_a_kept_head(db: Any) -> None:
    events = _record(3)
    head = f"{events[-1].seq}:{events[-1].hash}"
    assert _verify("--head", head)[0] == 0
    _as_dba(f"DELETE FROM {TABLE} WHERE seq = 3")
    assert _verify()[0] == 0  # the chain alone cannot tell that its end was cut off
    assert _verify("--head", head) == (1, "日志中没有记下的第 3 条事件：其后的事件被删除了。")


def test_rows_inserted_out_of_order_are_named(db: Any) -> None:
    events = _record(3)
    row = (
        f"INSERT INTO {TABLE} (seq, timestamp, action, data, hash) VALUES "
        "({seq}, '2024-01-01 00:00:00', 'period.close', '{{}}', '{hash}')"
    )
    # at the end, with a made-up hash
    _as_dba(row.format(seq=4, hash="f" * 64))
    status, said = _verify()
    assert (status, said[:10]) == (1, "第 4 条事件（id")
    _as_dba(f"DELETE FROM {TABLE} WHERE seq = 4")
    # in the middle: the later ones moved up a place (seq is part of what each hash covers)
    _as_dba(f"UPDATE {TABLE} SET seq = seq + 10 WHERE seq >= 2",
            f"UPDATE {TABLE} SET seq = seq - 9 WHERE seq >= 12",
            row.format(seq=2, hash=events[1].hash))  # fmt: skip
    status, said = _verify()
    assert (status, said[:10]) == (1, "第 2 条事件（id")


def test_a_chain_recomputed_by_someone_who_knows_the_recipe_is_caught_by_a_kept_head(
    db: Any,
) -> None:
    events = _record(3)
    head = f"{events[1].seq}:{events[1].hash}"
    forged = audit.digest(
        events[0].hash, seq=2, timestamp=events[1].timestamp, actor_id=None,
        action="period.open", submission_id=None, period_id=None, data={"n": 99},
    )  # fmt: skip
    third = audit.digest(
        forged, seq=3, timestamp=events[2].timestamp, actor_id=None, action="period.open",
        submission_id=None, period_id=None, data={"n": 2},
    )  # fmt: skip
    _as_dba(
        f"UPDATE {TABLE} SET data = '{{\"n\": 99}}', hash = '{forged}' WHERE seq = 2",
        f"UPDATE {TABLE} SET hash = '{third}' WHERE seq = 3",
    )
    assert _verify()[0] == 0  # a consistent forgery: the chain alone cannot tell
    status, said = _verify("--head", head)
    assert status == 1
    assert said == f"第 2 条事件的哈希不是记下的 {events[1].hash}：此前的日志被重写过。"


def test_missing_or_disabled_triggers_fail_the_check_until_re_created(db: Any) -> None:
    _record(1)
    _checks_now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute(audit.TRIGGERS["sqlite"][1][1])
    status, said = _verify()
    assert status == 1
    assert "保护触发器缺失或被停用" in said
    call_command("verify_audit", "--create-triggers", stdout=io.StringIO())
    assert audit.missing_triggers() == []
    assert _verify()[0] == 0


def test_a_malformed_head_is_a_usage_error(db: Any) -> None:
    status, said = _verify("--head", "3:xyz")
    assert status == 2
    assert "序号:哈希" in said


def test_on_postgresql_appending_needs_no_right_to_change_the_log(db: Any) -> None:
    """A role with SELECT and INSERT only on the table (what a DBA may leave the platform)
    still appends, the advisory lock included, and is refused a DELETE by PostgreSQL itself."""
    if connection.vendor != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")
    _record(1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE kaoping_append_only NOLOGIN")  # rolled back with the test
        cursor.execute(f"GRANT SELECT, INSERT ON {TABLE} TO kaoping_append_only")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO kaoping_append_only")
        cursor.execute("SET LOCAL ROLE kaoping_append_only")
        _record(2)
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute("RESET ROLE")
    assert _verify()[0] == 0
    assert AuditEvent.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_on_postgresql_keep_one_chain() -> None:
    """Eight threads, each its own connection, append 15 events each at once: without the
    table lock two of them would read the same last event (a fork, refused by the unique
    seq, so an error in a thread)."""
    if connection.vendor != "postgresql":
        pytest.skip("threads share SQLite's in-memory test database; see the processes test")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(15):
                AuditEvent.record(AuditEvent.Action.PERIOD_OPEN, None, worker=worker, n=n)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 121))
    assert _verify()[0] == 0


CHILD = """
import sys, django
django.setup()
from django.core.management import call_command
step = sys.argv[1]
if step == "old":  # the log as it was before migration 0009, with three events
    call_command("migrate", "collection", "0008", verbosity=0)
    from django.db import connection
    with connection.cursor() as cursor:
        for i in range(3):
            cursor.execute(
                "INSERT INTO collection_auditevent (timestamp, action, data) VALUES "
                "(%s, 'period.open', %s)", [f"2024-01-0{i + 1} 08:00:00", '{"n": %d}' % i])
    call_command("migrate", verbosity=0)
elif step == "append":
    from kaoping.web.collection.models import AuditEvent
    for n in range(25):
        AuditEvent.record(AuditEvent.Action.PERIOD_OPEN, None, worker=sys.argv[2], n=n)
else:
    call_command("verify_audit")
"""


def test_worker_processes_on_one_sqlite_file_keep_one_chain_after_migrating_old_events(
    tmp_path: Path,
) -> None:
    """As gunicorn's workers do: four processes append to one SQLite file at once (IMMEDIATE
    transactions take the write lock before the last event is read).  The file starts with
    three events written before the chain existed, chained by migration 0009."""
    env = children.environment(tmp_path)
    children.run(CHILD, env, tmp_path, "old")
    for worker in [children.start(CHILD, env, tmp_path, "append", str(w)) for w in range(4)]:
        children.finish(worker)
    out, _ = children.run(CHILD, env, tmp_path, "verify")
    assert out.startswith("审计日志完整：103 条事件；最后一条 103:")


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_back_the_triggers_that_a_rebuilt_table_lost() -> None:
    """On SQLite, altering a column of the audit table (what a later migration may do)
    rebuilds it and drops its triggers; ``migrate`` creates them again (post_migrate), so that
    the log never silently accepts UPDATE and DELETE."""
    _record(1)
    if connection.vendor == "sqlite":
        old = AuditEvent._meta.get_field("action")
        new = type(old)(max_length=old.max_length + 1, choices=old.choices)
        new.set_attributes_from_name("action")
        new.model = AuditEvent
        with connection.schema_editor() as editor:  # the table made anew, its rows copied
            editor.alter_field(AuditEvent, old, new)
            editor.alter_field(AuditEvent, new, old)
    else:  # PostgreSQL keeps a table's triggers through ALTER TABLE: dropped by hand here
        audit.drop_triggers()
    assert audit.missing_triggers() != []
    call_command("migrate", verbosity=0)
    assert audit.missing_triggers() == []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'period.open'")  # raw SQL, past the model
