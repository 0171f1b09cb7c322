from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kotacerdas.messaging import actions
from kotacerdas.messaging.adapters.base import GatewayError, SendResult
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.encoding import count_segments
from kotacerdas.messaging.models import Message


def test_send_sms_stores_then_sends_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = actions.send_sms("0812 3456 7890", "Jadwal posyandu besok", purpose="posyandu")
        assert FileAdapter().read() == []  # nothing leaves before the commit

    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.phone == "+6281234567890"
    assert message.segments == 1 and message.encoding == "gsm7"
    assert FileAdapter().read()[0]["text"] == "Jadwal posyandu besok"


@pytest.mark.parametrize("number", ["12345", "+12025550123", "022 1234567", "bukan nomor"])
def test_a_number_that_cannot_be_an_indonesian_mobile_is_refused(db, number):
    with pytest.raises(ValidationError):
        actions.send_sms(number, "Halo", purpose="test")
    assert not Message.objects.exists()


def test_a_flood_to_one_number_is_stopped(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sms_out_per_number": (3, 3600)}
    for _ in range(3):
        actions.send_sms("081234567890", "Halo", purpose="test")

    with pytest.raises(actions.RateLimited):
        actions.send_sms("081234567890", "Halo", purpose="test")
    assert Message.objects.count() == 3
    actions.send_sms("081298765432", "Halo", purpose="test")  # another number is fine


def _failing_send(error: Exception | SendResult):
    def send(self, message):
        if isinstance(error, Exception):
            raise error
        return error

    return mock.patch.object(FileAdapter, "send", send)


def test_a_gateway_that_is_down_is_retried_with_backoff_then_failed(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SMS_MAX_ATTEMPTS = 3
    with _failing_send(GatewayError("connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            message = actions.send_sms("081234567890", "Halo", purpose="test")
        message.refresh_from_db()
        assert message.status == Message.Status.QUEUED
        assert message.attempts == 1
        first_wait = message.next_attempt_at - message.created_at

        actions.deliver(message.pk)
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.next_attempt_at - message.created_at > first_wait  # backs off

        actions.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "connection refused" in message.last_error


def test_a_refusal_is_not_retried(db, django_capture_on_commit_callbacks):
    refused = SendResult(accepted=False, retry=False, error="403 wrong password")
    with _failing_send(refused), django_capture_on_commit_callbacks(execute=True):
        message = actions.send_sms("081234567890", "Halo", purpose="test")

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1


def test_delivery_reports_move_forward_only(db):
    message = actions.send_sms("081234567890", "Halo", purpose="test")
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT)

    assert actions.record_delivery(message, Message.Status.DELIVERED)
    assert not actions.record_delivery(message, Message.Status.SENT)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at is not None


def test_the_sweeper_sends_what_was_stored_but_never_queued(db, settings):
    settings.SMS_STALE_SECONDS = 0
    message = actions.send_sms("081234567890", "Halo", purpose="test")  # on_commit never ran

    out = io.StringIO()
    call_command("sms_sweep", stdout=out)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert "1 message(s)" in out.getvalue()


def test_the_sweeper_retries_an_inbound_message_whose_handler_failed(db, settings):
    settings.SMS_STALE_SECONDS = 0
    message, _ = actions.receive(adapter="file", phone="081234567890", text="HALO")

    call_command("sms_sweep", stdout=io.StringIO())

    message.refresh_from_db()
    assert message.status == Message.Status.PROCESSED


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "gsm7", 1),
        ("a" * 161, "gsm7", 2),
        ("{" * 80, "gsm7", 1),
        ("{" * 81, "gsm7", 2),
        ("é" * 160, "gsm7", 1),
        ("ą" * 70, "ucs2", 1),
        ("ą" * 71, "ucs2", 2),
        ("😢" * 35, "ucs2", 1),
        ("😢" * 36, "ucs2", 2),
    ],
)
def test_segments_are_counted_for_cost(text, encoding, segments):
    counted = count_segments(text)

    assert (counted.encoding, counted.count) == (encoding, segments)
