from __future__ import annotations

import pytest

from kotacerdas.messaging import router
from kotacerdas.messaging.actions import process, receive
from kotacerdas.messaging.adapters import get_adapter
from kotacerdas.messaging.models import Message


@pytest.fixture
def echo_keyword():
    seen = []

    def handle(message, rest):
        seen.append(rest)
        return f"Terima kasih: {rest}"

    router.register("ECHO", handle, help="ECHO <teks>")
    yield seen
    router.unregister("ECHO")


@pytest.fixture
def failing_keyword():
    def handle(message, rest):
        raise RuntimeError("module is down")

    router.register("RUSAK", handle, help="RUSAK")
    yield
    router.unregister("RUSAK")


def _outbox():
    return get_adapter("file").read()


def test_an_sms_is_stored_routed_and_answered(db, echo_keyword, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, created = receive(adapter="file", phone="0812-3456-7890", text="echo  halo kota")

    message.refresh_from_db()
    assert created
    assert message.phone == "+6281234567890"
    assert message.status == Message.Status.PROCESSED
    assert message.keyword == "ECHO"
    assert echo_keyword == ["halo kota"]
    [sent] = _outbox()
    assert sent["to"] == "+6281234567890"
    assert sent["text"] == "Terima kasih: halo kota"
    reply = Message.objects.get(direction="out")
    assert reply.reply_to == message
    assert reply.status == Message.Status.SENT


@pytest.mark.parametrize("text", ["ECHO#a#b", "echo*a*b", "  #Echo   a b", "eChO a b"])
def test_separators_and_case_are_tolerated(
    db, echo_keyword, text, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone="081234567890", text=text)

    assert Message.objects.get(direction="in").keyword == "ECHO"


def test_the_same_gateway_message_twice_is_stored_once(
    db, echo_keyword, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = receive(
            adapter="file", phone="081234567890", text="ECHO a", gateway_id="k-1"
        )
        again, created_again = receive(
            adapter="file", phone="081234567890", text="ECHO a", gateway_id="k-1"
        )

    assert created_first and not created_again
    assert first.pk == again.pk
    assert Message.objects.filter(direction="in").count() == 1
    assert len(_outbox()) == 1


def test_without_an_id_the_same_text_within_seconds_is_a_duplicate(db, echo_keyword):
    receive(adapter="file", phone="081234567890", text="ECHO a")
    _, created = receive(adapter="file", phone="081234567890", text="ECHO a")
    _, other = receive(adapter="file", phone="081234567890", text="ECHO b")

    assert not created
    assert other
    assert Message.objects.filter(direction="in").count() == 2


def test_an_unknown_keyword_gets_a_short_help_reply(
    db, echo_keyword, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone="081234567890", text="HALO apa kabar")

    [sent] = _outbox()
    assert "ECHO <teks>" in sent["text"]
    assert len(sent["text"]) <= 160


def test_a_failing_handler_keeps_the_message_for_a_retry(
    db, failing_keyword, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = receive(adapter="file", phone="081234567890", text="RUSAK tolong")

    message.refresh_from_db()
    assert message.status == Message.Status.RETRY
    assert message.attempts == 1
    assert message.next_attempt_at is not None
    assert "module is down" in message.last_error
    assert message.text == "RUSAK tolong"
    assert _outbox() == []


def test_long_and_unicode_messages_arrive_whole(
    db, echo_keyword, django_capture_on_commit_callbacks
):
    story = "ECHO " + "Anak tetangga dipukul 😢 عبد الله " * 40
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = receive(adapter="file", phone="081234567890", text=story)

    message.refresh_from_db()
    assert message.text == story
    assert message.encoding == "ucs2"
    assert message.segments > 10
    assert echo_keyword[0] == story[5:].rstrip()


def test_a_sender_that_is_not_a_mobile_number_is_still_stored(db):
    message, created = receive(adapter="file", phone="INFO-OPERATOR", text="Promo")

    assert created
    assert message.phone == "INFO-OPERATOR"


def test_a_nul_byte_from_a_gateway_does_not_stop_the_message_being_stored(db):
    message, created = receive(
        adapter="file", phone="081234567890", text="ECHO a\x00b", gateway_id="n\x001"
    )

    message.refresh_from_db()
    assert created
    assert message.text == "ECHO a\ufffdb"


def test_routing_an_unknown_keyword_takes_a_fixed_handful_of_queries(db, django_assert_num_queries):
    # The help reply, the commonest answer in a flood: claim the batch (select
    # and lease), mark routed, store the reply. The help text is built once per
    # process, not per message.
    for i in range(2):
        receive(adapter="file", phone=f"08123456789{i}", text="INFO jadwal", gateway_id=f"g{i}")
    assert process()["batch"] == 2  # the first batch builds what is cached

    receive(adapter="file", phone="081234567899", text="INFO jadwal", gateway_id="g9")
    with django_assert_num_queries(QUERIES_UNKNOWN_KEYWORD):
        result = process()
    assert result["batch"] == 1
    assert Message.objects.get(gateway_id="g9").status == Message.Status.PROCESSED
    assert Message.objects.filter(direction="out", reply_to__gateway_id="g9").count() == 1


# Claim (savepoint, SELECT … FOR UPDATE SKIP LOCKED, UPDATE lease, release),
# the message's own transaction (savepoint, UPDATE … processed, INSERT reply, release).
QUERIES_UNKNOWN_KEYWORD = 8
