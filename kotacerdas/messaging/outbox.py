"""Sending stored outbound SMS: claim with a lease, commit, call the gateway, record.

No lock is held while a gateway is called (``core.outbound``):

1. **Claim** (one short transaction): up to ``SMS_SEND_BATCH`` due messages are
   locked with ``FOR UPDATE SKIP LOCKED`` — rows another worker is claiming
   are skipped, never waited for — marked ``sending`` with a lease
   (``lease_until``, ``SMS_SEND_LEASE_SECONDS`` ahead) and an attempt counted;
   commit. From here no other worker takes them until the lease expires.
2. **Call** the gateway, outside any transaction. A gateway that takes
   parallel calls (``Adapter.concurrent``: Kannel, the webhook) gets up to
   ``SMS_SEND_CONCURRENCY`` at once, each from a sending thread of the worker
   with its own kept-alive connection; the others one message at a time.
   (Kannel's sendsms answers only once bearerbox has taken the message, a few
   milliseconds; one call after the other, a worker waited on that and on its
   own commit for every message: 52 messages/s per worker.)
3. **Record** the outcomes as the calls return, a group of
   ``SMS_SEND_CONCURRENCY`` at a time, while the threads call on (at most
   two groups ahead): the accepted ones of a group in one UPDATE (one
   statement and one commit for 8 messages, not 8: under a rush the
   per-message UPDATE was a third of a sending worker's CPU), each row
   changed only while the message is still ours (``sending`` with our
   lease); a refused or failed call on its own (queued again with a
   back-off, or failed). A worker killed after the gateway took a message
   but before recording it sends that one again once the lease has run out,
   unless its delivery report came first (nothing else can tell it was
   taken), so that window is at most two groups of calls per worker.

A worker killed between 1 and 3 leaves its messages ``sending``; once their
lease has expired the next claim (or ``manage.py sms_sweep``) takes them
again. The lease is longer than any gateway's timeout, so a live worker's
message is never taken by a second one. A delivery report that arrives before
step 3 (Kannel answers fast) has already moved the message forward; the
outcome then only fills in what the report could not know.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from kotacerdas.core import outbound
from kotacerdas.messaging import statements, wake
from kotacerdas.messaging.adapters import get_adapter
from kotacerdas.messaging.adapters.base import Adapter, GatewayError, SendResult
from kotacerdas.messaging.models import Message

logger = logging.getLogger(__name__)

S = Message.Status
OUT = Message.Direction.OUT


def deliver(message_id: int | None = None) -> dict[str, Any]:
    """Send ``message_id`` (if it is still to be sent) and a batch of other due messages.

    Idempotent: a message already sent, or taken by another worker, is skipped.
    """
    claimed = claim(first=message_id, limit=settings.SMS_SEND_BATCH)
    if len(claimed) >= settings.SMS_SEND_BATCH:
        wake.senders(more=True)  # more are waiting: another worker takes the next batch
    by_adapter: dict[str, list[Message]] = {}
    for message in claimed:
        by_adapter.setdefault(message.adapter, []).append(message)
    statuses: dict[int, str] = {}
    for code, messages in by_adapter.items():
        adapter = get_adapter(code)
        size = min(settings.SMS_SEND_CONCURRENCY, len(messages)) if adapter.concurrent else 1
        send = partial(_send, adapter)
        if size > 1:
            # The sending threads hold no transaction of ours, whatever the caller does.
            outbound.ensure_no_transaction(f"SMS through {code}")
            outcomes = _send_in_window(send, messages, size)
        else:
            outcomes = record_outcomes([(message, send(message)) for message in messages])
        statuses.update(zip([m.pk for m in messages], outcomes, strict=True))
    if message_id is None or message_id not in statuses:
        return {"message": message_id, "skipped": True, "batch": len(claimed)}
    return {"message": message_id, "status": statuses[message_id], "batch": len(claimed)}


def due(now: dt.datetime) -> Q:
    """Outbound messages a worker may take now: queued and due, or a lease run out."""
    queued = Q(status=S.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return queued | Q(status=S.SENDING, lease_until__lt=now)


def claim(*, first: int | None, limit: int) -> list[Message]:
    """Take up to ``limit`` messages (``first`` among them if it can be taken) and commit.

    ``first`` is taken even before its retry time (an operator's resend, a
    test); the others only when due.
    """
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.SMS_SEND_LEASE_SECONDS)
    wanted = due(now)
    order: list[Any] = ["id"]
    if first is not None:
        named = Q(pk=first) & (Q(status=S.QUEUED) | Q(status=S.SENDING, lease_until__lt=now))
        wanted |= named
        order.insert(
            0, Case(When(pk=first, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    with transaction.atomic():
        messages = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(wanted, direction=OUT)
            .order_by(*order)[:limit]
        )
        if not messages:
            return []
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=S.SENDING, lease_until=lease, attempts=F("attempts") + 1
        )
    for message in messages:
        message.status = S.SENDING
        message.lease_until = lease
        message.attempts += 1
    return messages


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(size: int) -> ThreadPoolExecutor:
    """The worker's sending threads (made once: their HTTP connections stay open)."""
    with _pools_lock:
        pool = _pools.get(size)
        if pool is None:
            pool = _pools[size] = ThreadPoolExecutor(size, thread_name_prefix="sms-send")
        return pool


def stop_senders() -> None:
    """Close the sending threads' connections and end the threads (a test's end)."""
    with _pools_lock:
        pools = list(_pools.items())
        _pools.clear()
    for size, pool in pools:
        # One job per thread: each waits at the barrier until every thread holds one.
        everyone = threading.Barrier(size, timeout=30)

        def close(everyone: threading.Barrier = everyone) -> None:
            everyone.wait()
            connections.close_all()
            outbound.close_all()

        for job in [pool.submit(close) for _ in range(size)]:
            job.result()
        pool.shutdown()


def _send_in_window(
    send: Callable[[Message], SendResult], messages: list[Message], size: int
) -> list[str]:
    """Call the gateway for ``messages``, ``size`` calls at a time; the statuses after, in order.

    The sending threads run ahead of the recording by at most two groups of
    ``size``: once that many calls are out, the oldest group's outcomes are
    awaited and recorded in one go while the threads go on with the next.
    (Waiting for a whole group before calling the next held every thread on
    the slowest call of each group: a third of the rate.) So a worker killed
    mid-batch leaves at most ``2 * size`` messages taken by the gateway and
    not recorded.
    """
    pool = _pool(settings.SMS_SEND_CONCURRENCY)
    out: deque[tuple[Message, Future[SendResult]]] = deque()
    statuses: list[str] = []

    def record_oldest() -> None:
        group = [out.popleft() for _ in range(min(size, len(out)))]
        statuses.extend(record_outcomes([(m, call.result()) for m, call in group]))

    for message in messages:
        if len(out) >= 2 * size:
            record_oldest()
        out.append((message, pool.submit(send, message)))
    while out:
        record_oldest()
    return statuses


def _send(adapter: Adapter, message: Message) -> SendResult:
    try:
        return adapter.send(message)
    except GatewayError as exc:
        return SendResult(accepted=False, retry=exc.retry, error=str(exc))
    except Exception as exc:  # a bug or a misconfiguration: keep the message, try again later
        logger.exception("SMS %s: sending through %s failed", message.pk, message.adapter)
        return SendResult(accepted=False, retry=True, error=f"{type(exc).__name__}: {exc}")


def record_outcomes(outcomes: list[tuple[Message, SendResult]]) -> list[str]:
    """Record each (message, what the gateway said); the statuses after, in order.

    The accepted ones in one UPDATE (``statements.record_sent``), the others
    one by one.
    """
    statuses = {
        message.pk: record_outcome(message, result)
        for message, result in outcomes
        if not result.accepted
    }
    accepted = [(m.pk, r.gateway_id[:100], m.lease_until) for m, r in outcomes if r.accepted]
    if accepted:
        statuses.update(statements.record_sent(accepted))
    return [statuses[message.pk] for message, _result in outcomes]


def record_outcome(message: Message, result: SendResult) -> str:
    """Write what the gateway said, if the message is still ours; its status after."""
    if result.accepted:
        sent = statements.record_sent([(message.pk, result.gateway_id[:100], message.lease_until)])
        return sent[message.pk]
    now = timezone.now()
    ours = Message.objects.filter(pk=message.pk, status=S.SENDING, lease_until=message.lease_until)
    if result.retry and message.attempts < settings.SMS_MAX_ATTEMPTS:
        delay = settings.SMS_RETRY_SECONDS * 2 ** max(0, message.attempts - 1)
        changes: dict[str, Any] = {
            "next_attempt_at": now + dt.timedelta(seconds=delay),
            "last_error": result.error[:300],
        }
        status = S.QUEUED
    else:
        changes = {"last_error": result.error[:300]}
        status = S.FAILED
    if ours.update(status=status, lease_until=None, **changes):
        if status == S.QUEUED:
            _enqueue_retry(message.pk, changes["next_attempt_at"])
        else:
            logger.warning("SMS %s failed after %s attempts", message.pk, message.attempts)
        return status
    # Not ours any more: our lease ran out (another worker owns it now; leases
    # are longer than gateway timeouts, so the worker was stopped that long).
    current = Message.objects.filter(pk=message.pk).values_list("status", flat=True).first()
    return str(current)


def _enqueue_retry(message_id: int, when: dt.datetime) -> None:
    from kotacerdas.messaging.tasks import deliver_outbound

    if deliver_outbound.get_backend().supports_defer:
        deliver_outbound.using(run_after=when).enqueue(message_id)
    # Otherwise `manage.py sms_sweep` picks it up when it is due.
