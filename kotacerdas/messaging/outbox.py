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
3. **Record** the outcome at once, by the thread that made the call, in one
   UPDATE that only applies while the message is still ours (``sending`` with
   our lease): sent, queued again with a back-off, or failed after the last
   attempt. Recorded one by one, not once per batch: a worker killed after
   the gateway took a message but before recording it sends that one again
   (nothing can tell it was taken), so that window is one call per thread.

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
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from kotacerdas.core import outbound
from kotacerdas.messaging import wake
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
        send = partial(_send_and_record, adapter)
        threads = min(settings.SMS_SEND_CONCURRENCY, len(messages)) if adapter.concurrent else 1
        if threads > 1:
            # The sending threads hold no transaction of ours, whatever the caller does.
            outbound.ensure_no_transaction(f"SMS through {code}")
            outcomes = list(_pool(settings.SMS_SEND_CONCURRENCY).map(send, messages))
        else:
            outcomes = [send(message) for message in messages]
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
_checked = threading.local()
_pools_lock = threading.Lock()


def _pool(size: int) -> ThreadPoolExecutor:
    """The worker's sending threads (made once: their HTTP and database connections stay open)."""
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


def _send_and_record(adapter: Adapter, message: Message) -> str:
    """Call the gateway for one claimed message and record what it said; its status after."""
    if threading.current_thread().name.startswith("sms-send"):
        # A sending thread's own database connection: renewed as the worker's
        # are between tasks (CONN_MAX_AGE, or a broken one). Looked at once a
        # second, not per message: each look costs a health check query.
        now = time.monotonic()
        if now - getattr(_checked, "at", 0.0) > 1.0:
            close_old_connections()
            _checked.at = now
    return record_outcome(message, _send(adapter, message))


def _send(adapter: Adapter, message: Message) -> SendResult:
    try:
        return adapter.send(message)
    except GatewayError as exc:
        return SendResult(accepted=False, retry=exc.retry, error=str(exc))
    except Exception as exc:  # a bug or a misconfiguration: keep the message, try again later
        logger.exception("SMS %s: sending through %s failed", message.pk, message.adapter)
        return SendResult(accepted=False, retry=True, error=f"{type(exc).__name__}: {exc}")


def record_outcome(message: Message, result: SendResult) -> str:
    """Write what the gateway said, if the message is still ours; its status after."""
    now = timezone.now()
    ours = Message.objects.filter(pk=message.pk, status=S.SENDING, lease_until=message.lease_until)
    if result.accepted:
        changes: dict[str, Any] = {
            "sent_at": now,
            "gateway_id": result.gateway_id[:100],
            "last_error": "",
        }
        status = S.SENT
    elif result.retry and message.attempts < settings.SMS_MAX_ATTEMPTS:
        delay = settings.SMS_RETRY_SECONDS * 2 ** max(0, message.attempts - 1)
        changes = {
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
        elif status == S.FAILED:
            logger.warning("SMS %s failed after %s attempts", message.pk, message.attempts)
        return status
    # Not ours any more: a delivery report moved it forward first (keep its
    # status, add what it could not know), or our lease ran out (another
    # worker owns it now; leases are longer than gateway timeouts, so this
    # means the worker was stopped for that long).
    if result.accepted:
        Message.objects.filter(pk=message.pk, sent_at__isnull=True).exclude(
            status__in=[S.QUEUED, S.SENDING]
        ).update(sent_at=now, gateway_id=result.gateway_id[:100])
    current = Message.objects.filter(pk=message.pk).values_list("status", flat=True).first()
    return str(current)


def _enqueue_retry(message_id: int, when: dt.datetime) -> None:
    from kotacerdas.messaging.tasks import deliver_outbound

    if deliver_outbound.get_backend().supports_defer:
        deliver_outbound.using(run_after=when).enqueue(message_id)
    # Otherwise `manage.py sms_sweep` picks it up when it is due.
