"""Outbound sending with leases, and inbound routing by batches, with parallel workers.

The claim is a short transaction; the gateway is called after it commits; the
outcome is recorded only while the message is still the worker's own.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kotacerdas.core import outbound
from kotacerdas.messaging import actions, outbox, router
from kotacerdas.messaging.adapters.base import SendResult
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.models import Message

S = Message.Status


def queued(count: int = 1) -> list[Message]:
    return Message.objects.bulk_create(
        Message(
            direction="out",
            adapter="file",
            phone=f"+62812{n:08d}",
            text=f"Pesan {n}",
            status=S.QUEUED,
        )
        for n in range(count)
    )


def expire_leases() -> None:
    Message.objects.filter(status=S.SENDING).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_claim_marks_the_message_sending_with_a_lease_and_counts_an_attempt(db, settings):
    settings.SMS_SEND_LEASE_SECONDS = 60
    [message] = queued()

    [claimed] = outbox.claim(first=message.pk, limit=10)

    message.refresh_from_db()
    assert message.status == S.SENDING
    assert message.attempts == claimed.attempts == 1
    assert message.lease_until == claimed.lease_until
    assert dt.timedelta(seconds=55) < message.lease_until - timezone.now() <= dt.timedelta(60)
    assert outbox.claim(first=message.pk, limit=10) == []  # leased: no second worker takes it


def test_a_message_whose_lease_expired_is_taken_again(db):
    [message] = queued()
    outbox.claim(first=None, limit=10)  # a worker takes it, then dies mid-call

    expire_leases()
    [again] = outbox.claim(first=None, limit=10)

    assert again.pk == message.pk
    assert again.attempts == 2


def test_a_message_waiting_for_its_retry_is_not_taken_early_by_a_batch(db):
    [waiting, ready] = queued(2)
    Message.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )

    assert [m.pk for m in outbox.claim(first=None, limit=10)] == [ready.pk]
    # Named, it is taken at once (an operator's resend, the retry task itself).
    assert [m.pk for m in outbox.claim(first=waiting.pk, limit=10)] == [waiting.pk]


def test_an_accepted_message_is_recorded_sent(db):
    [message] = queued()
    [claimed] = outbox.claim(first=message.pk, limit=1)

    status = outbox.record_outcome(claimed, SendResult(accepted=True, gateway_id="abc"))

    message.refresh_from_db()
    assert status == message.status == S.SENT
    assert message.gateway_id == "abc"
    assert message.sent_at is not None
    assert message.lease_until is None


def test_a_retryable_failure_queues_it_again_with_a_back_off_then_fails_it(db, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    [message] = queued()
    busy = SendResult(accepted=False, retry=True, error="Kannel 503")

    [claimed] = outbox.claim(first=message.pk, limit=1)
    assert outbox.record_outcome(claimed, busy) == S.QUEUED
    message.refresh_from_db()
    assert message.next_attempt_at > timezone.now()
    assert message.lease_until is None
    assert message.last_error == "Kannel 503"

    [claimed] = outbox.claim(first=message.pk, limit=1)
    assert outbox.record_outcome(claimed, busy) == S.FAILED
    message.refresh_from_db()
    assert message.status == S.FAILED
    assert message.attempts == 2


def test_an_outcome_after_the_lease_was_lost_changes_nothing(db):
    [message] = queued()
    [stale] = outbox.claim(first=None, limit=1)
    expire_leases()
    [current] = outbox.claim(first=None, limit=1)  # another worker owns it now

    outbox.record_outcome(stale, SendResult(accepted=False, retry=False, error="late"))

    message.refresh_from_db()
    assert message.status == S.SENDING
    assert message.lease_until == current.lease_until
    assert message.last_error == ""


def test_a_delivery_report_that_arrives_before_the_outcome_stands(db):
    [message] = queued()
    [claimed] = outbox.claim(first=message.pk, limit=1)
    assert actions.record_delivery(message, S.DELIVERED)  # Kannel was faster than we

    status = outbox.record_outcome(claimed, SendResult(accepted=True, gateway_id=str(message.pk)))

    message.refresh_from_db()
    assert status == message.status == S.DELIVERED
    assert message.sent_at is not None
    assert message.gateway_id == str(message.pk)


@pytest.mark.parametrize("path", ["orm", "kannel"])
def test_a_delivery_report_for_a_send_we_thought_failed_gives_it_a_sending_time(db, path):
    # smsbox restarted mid-call: our send looked failed and was put back for a
    # retry, but Kannel had it and reports it delivered. It is not sent again,
    # and it counts as sent (by the report's moment at the latest).
    [message] = queued()
    Message.objects.filter(pk=message.pk).update(adapter="kannel")
    [claimed] = outbox.claim(first=message.pk, limit=1)
    lost = SendResult(accepted=False, retry=True, error="connection reset")
    assert outbox.record_outcome(claimed, lost) == S.QUEUED
    before = timezone.now()
    if path == "orm":
        assert actions.record_delivery(message, S.DELIVERED)
    else:
        assert actions.advance_delivery_of(message.pk, adapter="kannel", status=S.DELIVERED)

    message.refresh_from_db()
    assert message.status == S.DELIVERED
    assert message.sent_at is not None and message.sent_at >= before
    # A sending time already known is kept.
    known = message.sent_at
    Message.objects.filter(pk=message.pk).update(status=S.SENT)
    actions.advance_delivery_of(message.pk, adapter="kannel", status=S.DELIVERED)
    message.refresh_from_db()
    assert message.sent_at == known


def test_accepted_outcomes_recorded_together_each_as_one_by_one(db, django_assert_num_queries):
    mine, reported, stolen, refused = queued(4)
    claimed = outbox.claim(first=None, limit=4)
    assert actions.record_delivery(reported, S.DELIVERED)  # Kannel was faster than we
    expire_leases()
    [current] = outbox.claim(first=stolen.pk, limit=1)  # another worker owns this one now
    Message.objects.filter(pk__in=[mine.pk, refused.pk]).update(lease_until=claimed[0].lease_until)
    outcomes = [(m, SendResult(accepted=True, gateway_id=f"gw{m.pk}")) for m in claimed[:3]]
    outcomes.append((claimed[3], SendResult(accepted=False, retry=False, error="refused")))

    # One UPDATE for the accepted, one for the refused, one look at the stolen one.
    with django_assert_num_queries(3):
        statuses = outbox.record_outcomes(outcomes)

    assert statuses == [S.SENT, S.DELIVERED, S.SENDING, S.FAILED]
    mine.refresh_from_db()
    reported.refresh_from_db()
    stolen.refresh_from_db()
    assert (mine.status, mine.gateway_id, mine.lease_until) == (S.SENT, f"gw{mine.pk}", None)
    assert mine.sent_at is not None
    assert (reported.status, reported.gateway_id) == (S.DELIVERED, f"gw{reported.pk}")
    assert reported.sent_at is not None
    assert (stolen.status, stolen.sent_at, stolen.lease_until) == (
        S.SENDING,
        None,
        current.lease_until,
    )


def test_the_gateway_is_called_outside_any_transaction(db, django_capture_on_commit_callbacks):
    seen: list[bool] = []

    def send(self: FileAdapter, message: Message) -> SendResult:
        seen.append(outbound.in_transaction())
        return SendResult(accepted=True, gateway_id="x")

    with (
        mock.patch.object(FileAdapter, "send", send),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = actions.send_sms("081234567890", "Halo", purpose="test")

    message.refresh_from_db()
    assert message.status == S.SENT
    assert seen == [False]


def test_a_worker_killed_mid_call_leaves_the_message_to_the_sweeper(db, settings):
    settings.SMS_STALE_SECONDS = 0
    [message] = queued()
    outbox.claim(first=message.pk, limit=1)  # ... and the worker is killed

    call_command("sms_sweep", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == S.SENDING  # its lease still runs: nobody else sends it

    expire_leases()
    call_command("sms_sweep", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == S.SENT
    assert message.attempts == 2
    assert [line["message"] for line in FileAdapter().read()] == [message.pk]


def test_one_deliver_sends_a_batch_and_the_later_tasks_find_nothing(db, settings):
    settings.SMS_SEND_BATCH = 10
    messages = queued(12)

    first = actions.deliver(messages[5].pk)
    assert first == {"message": messages[5].pk, "status": S.SENT, "batch": 10}
    # messages[0] went in the first batch; this task sends the two left.
    assert actions.deliver(messages[0].pk) == {
        "message": messages[0].pk,
        "skipped": True,
        "batch": 2,
    }
    assert actions.deliver(messages[11].pk) == {
        "message": messages[11].pk,
        "skipped": True,
        "batch": 0,
    }

    assert Message.objects.filter(status=S.SENT).count() == 12
    assert len(FileAdapter().read()) == 12


# Several workers at once: PostgreSQL, each thread on its own connection ------


def in_parallel(work: Callable[[], None], threads: int = 6) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_message():
    messages = queued(300) if connection.vendor == "postgresql" else []
    claims: list[list[int]] = []

    def work() -> None:
        while batch := outbox.claim(first=None, limit=7):
            claims.append([m.pk for m in batch])

    in_parallel(work)

    taken = Counter(pk for batch in claims for pk in batch)
    assert set(taken) == {m.pk for m in messages}
    assert set(taken.values()) == {1}
    assert len(claims) > 6  # the workers did share the work


@pytest.fixture
def counting_gateway() -> Iterator[Counter[int]]:
    sent: Counter[int] = Counter()
    lock = threading.Lock()

    def send(self: FileAdapter, message: Message) -> SendResult:
        with lock:
            sent[message.pk] += 1
        return SendResult(accepted=True, gateway_id=f"g{message.pk}")

    with mock.patch.object(FileAdapter, "send", send):
        yield sent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_senders_send_each_message_exactly_once(counting_gateway, settings):
    settings.SMS_SEND_BATCH = 5
    messages = queued(200) if connection.vendor == "postgresql" else []
    pks = iter([m.pk for m in messages])
    lock = threading.Lock()

    def work() -> None:  # one task per message, as the queue hands them out
        while True:
            with lock:
                pk = next(pks, None)
            if pk is None:
                return
            actions.deliver(pk)

    in_parallel(work)

    assert set(counting_gateway) == {m.pk for m in messages}
    assert set(counting_gateway.values()) == {1}
    assert Message.objects.filter(status=S.SENT).count() == 200


@pytest.fixture
def counting_keyword() -> Iterator[Counter[str]]:
    routed: Counter[str] = Counter()
    lock = threading.Lock()

    def handle(message: Message, rest: str) -> str:
        with lock:
            routed[rest] += 1
        return f"OK {rest}"

    router.register("HITUNG", handle, help="HITUNG <n>")
    yield routed
    router.unregister("HITUNG")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_routers_route_each_message_once(counting_keyword, settings: Any):
    settings.SMS_ROUTE_BATCH = 8
    if connection.vendor == "postgresql":
        Message.objects.bulk_create(
            Message(
                direction="in",
                adapter="file",
                phone=f"+62813{n:08d}",
                text=f"HITUNG {n}",
                status=S.RECEIVED,
            )
            for n in range(240)
        )

    def work() -> None:
        while actions.process(None)["batch"]:
            pass

    in_parallel(work)

    assert counting_keyword == Counter({str(n): 1 for n in range(240)})
    assert Message.objects.filter(direction="in", status=S.PROCESSED).count() == 240
    replies = Message.objects.filter(direction="out").values_list("reply_to", flat=True)
    assert len(replies) == len(set(replies)) == 240


def test_routing_claims_a_batch_with_a_lease_and_skips_what_is_no_longer_its_own(
    db, counting_keyword, settings
):
    settings.SMS_ROUTE_LEASE_SECONDS = 60
    first, second = Message.objects.bulk_create(
        Message(
            direction="in",
            adapter="file",
            phone=f"+628130000{n:04d}",
            text=f"HITUNG {n}",
            status=S.RECEIVED,
        )
        for n in range(2)
    )
    batch = actions._claim_inbound(None, 10)
    assert [m.pk for m in batch] == [first.pk, second.pk]
    assert actions._claim_inbound(None, 10) == []  # leased: no other worker takes them
    # The lease ran out and another worker routed the second message meanwhile.
    Message.objects.filter(pk=second.pk).update(status=S.PROCESSED, lease_until=None)

    assert [actions._route(m) for m in batch] == [S.PROCESSED, "skipped"]
    assert counting_keyword == Counter({"0": 1})
