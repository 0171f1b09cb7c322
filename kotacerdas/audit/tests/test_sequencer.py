"""The sequencer chains what requests appended, once, in order, and only what committed."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from kotacerdas.audit.actions import first_broken_link, record, waiting_too_long
from kotacerdas.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from kotacerdas.audit.sequencer import chain_all, chain_pending

pytestmark = pytest.mark.django_db


def test_a_request_only_appends_its_event_and_touches_no_shared_row():
    event = record("test.append", extra=1)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.sequence is None
    assert stored.hash == stored.previous_hash == ""
    assert not ChainHead.objects.exists()


def test_the_sequencer_chains_waiting_events_in_arrival_order_in_batches():
    recorded = [record(f"test.{n}") for n in range(5)]

    assert chain_pending(batch_size=2) == 2
    assert chain_all(batch_size=2) == 3
    assert chain_all() == 0

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.pk for e in events] == [e.pk for e in recorded]
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(events))
    head = ChainHead.objects.get()
    assert (head.sequence, head.hash) == (5, events[-1].hash)
    assert first_broken_link() is None


def test_events_appended_later_continue_the_same_chain():
    record("test.first")
    chain_all()
    record("test.second")
    chain_all()

    first, second = AuditEvent.objects.order_by("sequence")
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    assert first_broken_link() is None


def test_an_event_rolled_back_with_its_change_is_never_chained():
    record("test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.rolled_back")
        raise RuntimeError("the change failed")
    record("test.also_kept")

    assert chain_all() == 2
    assert list(AuditEvent.objects.values_list("action", "sequence")) == [
        ("test.kept", 1),
        ("test.also_kept", 2),
    ]
    assert first_broken_link() is None


def test_waiting_events_are_not_part_of_the_chain_yet():
    record("test.chained")
    chain_all()
    record("test.waiting")

    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 1 events, 1 waiting to be chained" in out.getvalue()


def test_verify_reports_events_waiting_longer_than_the_bound(settings):
    settings.AUDIT_CHAIN_DELAY_SECONDS = 2
    event = record("test.stuck")
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(seconds=3))
    record("test.just_now")

    assert waiting_too_long() == 1
    with pytest.raises(CommandError, match="1 audit events waited more than 2 s"):
        call_command("audit_verify", stdout=io.StringIO())


def test_the_command_chains_once_and_says_how_many():
    record("test.a")
    record("test.b")
    out = io.StringIO()

    call_command("audit_sequencer", "--once", stdout=out)

    assert out.getvalue().strip() == "Chained 2 audit events"
    assert not AuditEvent.objects.filter(sequence__isnull=True).exists()
