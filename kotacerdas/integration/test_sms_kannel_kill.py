"""SMS through real Kannel while parts of it are killed mid-stream: nothing lost, nothing twice.

The production layout in miniature (``kannel_rig``): bearerbox with its
store file, smsbox, gunicorn serving the Kannel endpoint, two routing and two
sending ``db_worker`` processes and the sweep, on the test database. Phones
(fakesmsc) send a stream of messages from 200 numbers; each message gets one
reply, the help text. What must hold:

(a) every worker SIGKILLed while it holds leased messages, then restarted:
    the messages whose lease ran out are claimed again; every message is
    stored once and answered once, at the phone too;
(b) smsbox killed mid-stream, then restarted: bearerbox hands what smsbox had
    not acknowledged to the new smsbox (its store), and a message our server
    had already stored is stored once (Kannel's message id).

Marked ``kannel`` (real Kannel) and run on PostgreSQL: the processes share the
test database, as servers share production's.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from django.db import connection
from django.utils import timezone

from kotacerdas.integration import kannel_rig
from kotacerdas.integration.kannel_rig import Rig, wait_until
from kotacerdas.messaging.models import Message

pytestmark = [
    pytest.mark.kannel,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

STREAM = 600
PHONES = kannel_rig.numbers(70_000_000, 200, "INFO jadwal posyandu")


@pytest.fixture(scope="module")
def rig(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rig]:
    """One rig for the module (starting it is most of a test's time); each test
    counts from where the one before left it (``Baseline``)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    if not kannel_rig.installed():
        pytest.skip("Kannel is not installed: apt-get install kannel kannel-extras (CI does)")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    with django_db_blocker.unblock():
        db = connection.settings_dict
    prefix = f"sms-kill-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"} | {
        "KOTACERDAS_ENV": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": prefix,
        "SMS_MAX_PER_NUMBER_PER_HOUR": "100000",
        # Short leases and a sweep every second: a killed worker's messages
        # come back within seconds here (minutes in production). The sending
        # lease stays longer than the Kannel adapter's 5 s timeout.
        "SMS_ROUTE_LEASE_SECONDS": "3",
        "SMS_SEND_LEASE_SECONDS": "8",
        "SMS_STALE_SECONDS": "3",
    }
    running = Rig(tmp_path_factory.mktemp("sms-kill"), env)
    try:
        running.start_sweep()
        running.start_web(workers=2, threads=4, access_log=True)
        running.start_kannel()
        yield running
    finally:
        running.shutdown()
        store = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)


WORKERS = ("route-0", "route-1", "send-0", "send-1")


def _start_workers(rig: Rig) -> None:
    for name in WORKERS:
        rig.start_worker(name, "default" if name.startswith("route") else "sms")
    # Up before the phones send: on a busy machine Django's start-up took
    # longer than the stream, and the test found nothing leased to kill.
    rig.wait_for_workers(WORKERS)


@pytest.fixture
def workers(rig: Rig) -> Iterator[None]:
    """Each test's own workers, stopped before its database is emptied (a worker
    whose task row vanished under it would die of it)."""
    _start_workers(rig)
    yield
    for name in WORKERS:
        if name in rig.processes:
            rig.stop(name)


IN, OUT = Message.Direction.IN, Message.Direction.OUT


@dataclass
class Baseline:
    """What Kannel and the phones had counted before a test (the database is emptied after each)."""

    received: int
    at_phones: Counter[str]
    posted: Counter[str]

    @classmethod
    def of(cls, rig: Rig) -> Baseline:
        return cls(rig.kannel_counts()["received"], rig.replies_at_phones(), rig.posted_ids())

    def posted_since(self, rig: Rig) -> Counter[str]:
        return rig.posted_ids() - self.posted

    def received_since(self, rig: Rig) -> int:
        return rig.kannel_counts()["received"] - self.received

    def at_phones_since(self, rig: Rig) -> Counter[str]:
        return rig.replies_at_phones() - self.at_phones


def test_workers_killed_mid_stream_and_restarted_lose_and_double_nothing(
    rig: Rig, workers: None
) -> None:
    before = Baseline.of(rig)
    rig.phone_sends(PHONES, STREAM, interval=0.008)

    # Mid-stream, the moment the routing workers hold leased messages not yet
    # routed (and, if it comes within a few seconds, the senders hold some
    # being sent): all four die. Frozen first, so that what they hold cannot
    # change between the look and the kill.
    deadline = time.monotonic() + 20
    while True:
        for name in WORKERS:
            rig.freeze(name)
        now = timezone.now()
        held_in = Message.objects.filter(
            direction=IN, status="received", lease_until__gt=now
        ).count()
        held_out = Message.objects.filter(
            direction=OUT, status="sending", lease_until__gt=now
        ).count()
        if held_in and (held_out or time.monotonic() > deadline - 15):
            break
        assert time.monotonic() < deadline, "the workers never held leased messages"
        for name in WORKERS:
            rig.thaw(name)
        time.sleep(0.02)
    for name in WORKERS:
        rig.kill(name)
    assert held_in > 0  # the kill caught routing work in hand
    time.sleep(0.5)
    _start_workers(rig)

    _wait_for_every_reply(rig, before)
    _check_once_each(rig, before)
    # The stranded messages were routed again, by the restarted workers, after
    # their lease ran out: none was lost with the workers that had them.
    assert not Message.objects.filter(direction=IN).exclude(status="processed").exists()


def test_smsbox_restarted_mid_stream_is_redelivered_and_stored_once(
    rig: Rig, workers: None
) -> None:
    before = Baseline.of(rig)
    rig.phone_sends(PHONES, STREAM, interval=0.008)

    wait_until(
        lambda: Message.objects.filter(direction=IN).count() >= STREAM // 4,
        30,
        "the stream did not start",
    )
    # Killed while it holds messages bearerbox handed over and it has not
    # acknowledged (frozen first, so the count cannot change before the kill).
    deadline = time.monotonic() + 15
    while True:
        rig.freeze("smsbox")
        in_hand = rig.unacknowledged()
        if in_hand:
            break
        assert time.monotonic() < deadline, "smsbox never held unacknowledged messages"
        rig.thaw("smsbox")
        time.sleep(0.01)
    rig.kill("smsbox")
    at_kill = Message.objects.filter(direction=IN).count()
    time.sleep(1)
    rig.start_smsbox()

    _wait_for_every_reply(rig, before)
    assert at_kill < STREAM  # smsbox died mid-stream
    _check_once_each(rig, before)
    # What the dead smsbox held came again from bearerbox's store: none is
    # missing above. Any it had already posted to us came twice, and was
    # stored once (Kannel's id).
    assert in_hand > 0
    posted = before.posted_since(rig)
    stored = set(Message.objects.filter(direction=IN).values_list("gateway_id", flat=True))
    assert set(posted) == stored


def _wait_for_every_reply(rig: Rig, before: Baseline) -> None:
    wait_until(
        lambda: before.received_since(rig) >= STREAM,
        40,
        "bearerbox did not receive the whole stream",
    )

    counts: dict[str, int] = {}

    def answered() -> bool:
        counts["stored"] = (
            Message.objects.filter(direction=IN).values("gateway_id").distinct().count()
        )
        counts["sent"] = Message.objects.filter(direction=OUT, sent_at__isnull=False).count()
        counts["at phones"] = sum(before.at_phones_since(rig).values())
        return all(n >= STREAM for n in counts.values())

    try:
        wait_until(answered, 40, "not every message was stored and answered")
    except RuntimeError as exc:
        # Which stage fell behind, for the next person to read in CI's log.
        replies = Counter(Message.objects.filter(direction=OUT).values_list("status", flat=True))
        raise RuntimeError(
            f"{exc}: {counts} of {STREAM}; replies by status {dict(replies)}"
        ) from None
    time.sleep(1.5)  # a late duplicate (a retry, a second send) would show now


def _check_once_each(rig: Rig, before: Baseline) -> None:
    inbound = list(Message.objects.filter(direction=IN).values_list("gateway_id", "phone"))
    # Stored once each: as many as bearerbox took from the phones, no id twice.
    assert before.received_since(rig) == STREAM
    assert len(inbound) == STREAM
    assert len({gateway_id for gateway_id, _ in inbound}) == STREAM
    # Answered once each, in the database and at the phones.
    replies = Counter(Message.objects.filter(direction=OUT).values_list("reply_to_id", flat=True))
    assert len(replies) == STREAM and max(replies.values()) == 1
    assert before.at_phones_since(rig) == Counter(phone for _, phone in inbound)
