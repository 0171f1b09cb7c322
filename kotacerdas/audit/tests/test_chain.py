from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.audit.actions import first_broken_link, record
from kotacerdas.audit.models import AuditEvent
from kotacerdas.audit.sequencer import chain_all


@pytest.fixture
def three_events(db):
    recorded = [record(f"test.{n}", extra=n) for n in range(3)]
    assert chain_all() == 3
    return [AuditEvent.objects.get(pk=event.pk) for event in recorded]


def test_each_event_holds_the_hash_of_the_one_before(three_events):
    first, second, third = three_events

    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert first_broken_link() is None


def test_events_cannot_be_changed_or_deleted_through_the_model(three_events):
    with pytest.raises(ValueError):
        three_events[0].save()
    with pytest.raises(ValueError):
        three_events[0].delete()


def test_verify_names_the_first_changed_event(three_events):
    AuditEvent.objects.filter(sequence=2).update(details={"extra": 99})

    with pytest.raises(CommandError, match="#2: contents changed"):
        call_command("audit_verify", stdout=io.StringIO())


def test_verify_notices_a_removed_event(three_events):
    AuditEvent.objects.filter(sequence=2).delete()

    assert first_broken_link() == (2, "missing event")


def test_verify_notices_a_removed_last_event(three_events):
    AuditEvent.objects.filter(sequence=3).delete()

    assert first_broken_link() == (3, "events missing at the end")


def test_verify_reports_an_intact_chain(three_events):
    out = io.StringIO()
    call_command("audit_verify", stdout=out)

    assert "intact: 3 events, 0 waiting to be chained" in out.getvalue()


@pytest.mark.parametrize(
    "fields",
    [
        {"actor": None, "actor_name": "", "client_address": None, "details": {}},
        {
            "actor": 42,
            "actor_name": "bidan.siti",
            "client_address": "2001:db8::1",
            "details": {
                "z": [1, 2.5, None, True],
                "a": {"ñ": "Cirebon \u201ckota\u201d"},
                "n": "\\n",
            },
        },
    ],
)
def test_the_hash_is_over_the_same_canonical_json_as_ever(fields):
    """Chains hashed before the fast path must still verify: the bytes are the same."""
    import datetime as dt
    import hashlib

    from kotacerdas.audit.models import canonical_json, chain_hash

    event = {
        "sequence": 7,
        "at": dt.datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "action": 'test."quoted"',
        "object_type": "hospital.booking",
        "object_id": "12",
        "previous_hash": "ab" * 32,
        **fields,
    }
    expected = canonical_json(event | {"at": event["at"].isoformat()})

    assert chain_hash(**event) == hashlib.sha256(expected.encode()).hexdigest()


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        '{"number": 280001, "channel": "web", "session": 59}',
        '{"z": [1, 2.5, null, true, 1e-05, 100000000000000000000], "a": {"ñ": "Cirebon \\u201c"}}',
        '{"n": "\\n\\t\\"\\\\/", "b": false, "x": 0.1, "y": -3}',
        '["list", {"k": 1}]',
        '"just a string"',
        "12.50",
    ],
)
def test_canonical_details_is_the_encoder_on_the_decoded_text(text):
    import json

    from kotacerdas.audit.models import _ENCODER, canonical_details

    assert canonical_details(text) == _ENCODER.encode(json.loads(text))
