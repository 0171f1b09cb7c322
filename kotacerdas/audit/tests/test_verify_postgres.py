"""``audit_verify``'s walk outside a transaction, on PostgreSQL: with one worker the
next batch is read ahead on a connection of its own while this one is hashed;
with more, forked processes walk ranges of the chain and this one links them."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from kotacerdas.audit import actions
from kotacerdas.audit.actions import first_broken_link, record
from kotacerdas.audit.sequencer import chain_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… to run it")


def _chain(events: int) -> None:
    for n in range(events):
        record("test.verify", n=n)
    chain_all()


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "audit-verify-reader"]


def test_the_read_ahead_walk_checks_every_event_across_batches():
    _chain(250)
    assert not connection.in_atomic_block
    assert first_broken_link(batch_size=40, workers=1) is None
    assert not _readers()


def test_the_read_ahead_walk_names_a_changed_event_and_stops_its_reader():
    _chain(250)
    with connection.cursor() as cursor:  # an edit behind the application's back
        cursor.execute(
            "UPDATE audit_auditevent SET details = '{\"n\": 999}'::jsonb WHERE sequence = 77"
        )
    assert first_broken_link(batch_size=20, workers=1) == (77, "contents changed")
    assert not _readers()  # the walk stopped early and its reader with it


def test_a_reader_error_reaches_the_walker(monkeypatch):
    _chain(30)

    def broken(batch_size):
        yield from []
        raise RuntimeError("connection lost")

    monkeypatch.setattr(actions, "_batches", broken)
    with pytest.raises(RuntimeError, match="connection lost"):
        first_broken_link(workers=1)
    assert not _readers()


def _record_odd_events() -> None:
    """Events whose fields PostgreSQL writes as Python does, and some it cannot."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from kotacerdas.audit.models import AuditEvent

    user = get_user_model().objects.create_user("bidan.siti", password="x")
    odd: list[dict[str, Any]] = [
        {"actor": user, "actor_name": "bidan.siti", "client_address": "2001:db8::1"},
        {"actor_name": "Dédé Sunarya", "object_id": "ñ-1"},  # not ASCII: Python writes it
        {"action": 'test."quoted"', "object_type": "back\\slash"},  # escapes: Python too
        {"object_id": "tab\there"},
        {"at": dt.datetime(2026, 12, 2, 3, 4, 5, tzinfo=dt.UTC)},  # no microseconds
        {"at": dt.datetime(2026, 12, 2, 3, 4, 5, 500000, tzinfo=dt.UTC)},  # .500000, not .5
        {"at": dt.datetime(26, 1, 2, 3, 4, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))},
        {"client_address": "10.0.0.0"},
        {"client_address": "::ffff:10.0.0.1"},
        {"details": {"z": [1, 2.5, None, True, 1e-05], "a": {"ñ": "Cirebon \u201ckota\u201d"}}},
        {"details": {"n": '\\n\t"', "big": 10**20, "x": 0.1, "Z": 1, "_": 2}},
        {"details": {}},
    ]
    for fields in odd:
        AuditEvent.objects.create(
            **{
                "at": dt.datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
                "action": "test.odd",
                "object_type": "hospital.booking",
                "object_id": "12",
                "client_address": "10.0.0.1",
                "details": {"n": 1},
                **fields,
            }
        )
    assert chain_all() == len(odd)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("atomic", [False, True])
def test_the_walk_hashes_the_bytes_the_sequencer_hashed(atomic, workers):
    """PostgreSQL writes most of each event's canonical JSON for the walk: for every
    kind of field it must be exactly what the sequencer hashed in Python."""
    from django.db import transaction

    _record_odd_events()
    if atomic:
        with transaction.atomic():  # other processes would not see it: walked here
            assert first_broken_link(batch_size=5, workers=workers) is None
    else:
        assert first_broken_link(batch_size=5, workers=workers) is None


@pytest.mark.parametrize(
    ("sequence", "change"),
    [
        (1, "actor_name = 'bidan.sita'"),
        (2, "actor_name = 'Dede Sunarya'"),  # a fallback event changed
        (3, "action = 'test.\"quoted'"),
        (5, "at = at + interval '1 microsecond'"),
        (8, "client_address = '10.0.0.1'"),
        (11, "details = details || '{\"x\": 0.2}'::jsonb"),
        (12, "object_type = 'x'"),
    ],
)
@pytest.mark.parametrize("workers", [1, 2])
def test_the_walk_names_a_changed_odd_event(sequence, change, workers):
    _record_odd_events()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {change} WHERE sequence = %s", [sequence])  # noqa: S608
    assert first_broken_link(batch_size=5, workers=workers) == (sequence, "contents changed")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_walk_goes_on_past_a_gap_wider_than_a_batch(workers):
    _chain(30)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence BETWEEN 4 AND 20")
    assert first_broken_link(batch_size=5, workers=workers) == (4, "missing event")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence <= 3")
    assert first_broken_link(batch_size=5, workers=workers) == (1, "missing event")


# With 2 workers and batches of 10, 120 events are walked as 12 ranges of 10:
# (0, 10], (10, 20] … ; event 41 is the first of a range, event 40 the last.
@pytest.mark.parametrize(
    ("change", "found"),
    [
        (
            "UPDATE audit_auditevent SET details = '{}'::jsonb WHERE sequence = 41",
            (41, "contents changed"),
        ),
        (
            "UPDATE audit_auditevent SET details = '{}'::jsonb WHERE sequence = 40",
            (40, "contents changed"),
        ),
        # A link between two ranges: only the process that joins them sees it.
        (
            "UPDATE audit_auditevent SET previous_hash = repeat('0', 64) WHERE sequence = 41",
            (41, "previous hash does not match"),
        ),
        ("DELETE FROM audit_auditevent WHERE sequence BETWEEN 41 AND 50", (41, "missing event")),
        ("DELETE FROM audit_auditevent WHERE sequence = 45", (45, "missing event")),
        ("DELETE FROM audit_auditevent WHERE sequence > 115", (116, "events missing at the end")),
        # Two bad events in different ranges: the first in the chain is named,
        # whichever worker finishes first.
        (
            "UPDATE audit_auditevent SET details = '{}'::jsonb WHERE sequence IN (23, 117)",
            (23, "contents changed"),
        ),
    ],
)
def test_workers_walking_ranges_name_the_first_bad_event_in_the_chain(change, found):
    _chain(120)
    with connection.cursor() as cursor:
        cursor.execute(change)
    assert first_broken_link(batch_size=10, workers=2) == found
    assert first_broken_link(batch_size=10, workers=1) == found  # the same as one walk


def test_workers_leave_the_callers_connection_usable():
    _chain(50)
    assert first_broken_link(batch_size=10, workers=2) is None
    with connection.cursor() as cursor:  # not closed by a worker on its way out
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone()[0] == 50
