"""The sequencer as a real process on PostgreSQL: killed mid-batch, run beside writers.

The kill is placed, not timed: the test holds a row lock on one event of the
batch, so the sequencer's UPDATE is seen waiting in ``pg_stat_activity``,
halfway through writing its batch, when it gets SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction

from kotacerdas.audit.actions import first_broken_link, record
from kotacerdas.audit.models import AuditEvent, ChainHead
from kotacerdas.audit.sequencer import chain_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": db["NAME"],
    }


@pytest.fixture
def sequencer(database: dict[str, Any]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``manage.py audit_sequencer`` on the test database; stop what is left."""
    url = "postgres://{user}@{host}:{port}/{dbname}".format(**database)
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "audit_sequencer", *args],
            cwd=settings.BASE_DIR,
            env=os.environ | {"DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def started(process: subprocess.Popen[bytes]) -> None:
    """Wait for the sequencer loop's first line: from then on SIGTERM stops it cleanly."""
    assert process.stdout is not None
    assert b"running" in process.stdout.readline()


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_mid_batch_and_restarted_nothing_is_lost_or_chained_twice(
    database: dict[str, Any], sequencer: Callable[..., subprocess.Popen[bytes]]
) -> None:
    for n in range(300):
        record("test.before", n=n)
    chain_all()
    ids = [record("test.during", n=n).pk for n in range(3000)]
    with (
        psycopg.connect(**database, autocommit=False) as blocker,
        # Its own connection: inside a transaction pg_stat_activity is a snapshot.
        psycopg.connect(**database, autocommit=True) as watcher,
    ):
        # Lock an event in the middle of the sequencer's first batch.
        blocker.execute("SELECT 1 FROM audit_auditevent WHERE id = %s FOR UPDATE", [ids[1500]])
        process = sequencer("--once")

        def writing_backend() -> int | None:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND query LIKE 'UPDATE %%audit_auditevent%%'"
            ).fetchone()
            return row[0] if row else None

        # Generous: on a busy machine Django alone can take seconds to start.
        backend = wait_for(writing_backend, timeout=120, what="the sequencer's UPDATE")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        blocker.rollback()
        wait_for(
            lambda: (
                not watcher.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]
                ).fetchone()
            ),
            timeout=30,
            what="the killed sequencer's session to end",
        )

    assert AuditEvent.objects.filter(sequence__isnull=False).count() == 300
    assert ChainHead.objects.get().sequence == 300

    restarted = sequencer("--once")
    assert restarted.wait(timeout=120) == 0, restarted.stdout.read() if restarted.stdout else ""

    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 0
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 3301))
    assert ChainHead.objects.get().sequence == 3300
    assert first_broken_link() is None


def test_beside_writers_every_commit_is_chained_within_the_bound_and_no_rollback(
    sequencer: Callable[..., subprocess.Popen[bytes]],
) -> None:
    running = sequencer("--interval", "0.2")
    # A second sequencer at the same time must find the first one busy and do nothing wrong.
    second = sequencer("--interval", "0.2")
    started(running)
    started(second)
    rolled_back = []
    lock = threading.Lock()

    def write(worker: int) -> None:
        try:
            for n in range(100):
                try:
                    with transaction.atomic():
                        event = record("test.write", worker=worker, n=n)
                        if n % 10 == 0:
                            raise ValueError("the change failed")
                except ValueError:
                    with lock:
                        rolled_back.append(event.pk)
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    last_commit = time.monotonic()
    wait_for(
        lambda: not AuditEvent.objects.filter(sequence__isnull=True).exists(),
        timeout=10,
        what="every event to be chained",
    )
    delay = time.monotonic() - last_commit
    running.send_signal(signal.SIGTERM)
    second.send_signal(signal.SIGTERM)
    assert running.wait(timeout=30) == 0
    assert second.wait(timeout=30) == 0

    assert delay <= settings.AUDIT_CHAIN_DELAY_SECONDS
    assert AuditEvent.objects.count() == 8 * 90
    assert not AuditEvent.objects.filter(pk__in=rolled_back).exists()
    sequences = AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)
    assert list(sequences) == list(range(1, 1 + 8 * 90))
    assert first_broken_link() is None
