"""``audit_verify``'s walk outside a transaction, on PostgreSQL: the next batch is read
ahead on a connection of its own while this one is hashed."""

from __future__ import annotations

import threading

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
    assert first_broken_link(batch_size=40) is None
    assert not _readers()


def test_the_read_ahead_walk_names_a_changed_event_and_stops_its_reader():
    _chain(250)
    with connection.cursor() as cursor:  # an edit behind the application's back
        cursor.execute(
            "UPDATE audit_auditevent SET details = '{\"n\": 999}'::jsonb WHERE sequence = 77"
        )
    assert first_broken_link(batch_size=20) == (77, "contents changed")
    assert not _readers()  # the walk stopped early and its reader with it


def test_a_reader_error_reaches_the_walker(monkeypatch):
    _chain(30)

    def broken(batch_size):
        yield from []
        raise RuntimeError("connection lost")

    monkeypatch.setattr(actions, "_batches", broken)
    with pytest.raises(RuntimeError, match="connection lost"):
        first_broken_link()
    assert not _readers()
