from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from kotacerdas.audit.models import GENESIS_HASH, AuditEvent, ChainHead, chain_hash


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records.

    Only an insert: no lock shared with other writers. The event commits or
    rolls back with the change; ``audit.sequencer`` chains it once committed
    (``sequence`` and ``hash`` stay empty until then, about a second).

    ``details`` must not carry personal data beyond what an auditor needs
    (ids and field names, not NIKs or names).
    """
    if actor is None and request is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        client_address=client_address(request) if request is not None else None,
        details=details,
    )


def record_many(
    events: Iterable[tuple[str, models.Model | None, dict[str, Any]]],
    *,
    actor: Any = None,
    batch_size: int = 1000,
) -> int:
    """Append many events of one actor, without a request (a batch job such as an
    import writing its residents' life events): ``(action, obj, details)`` each,
    the same rules as ``record``, a few inserts instead of one per event.
    Returns how many were written."""
    at = timezone.now()
    actor_name = actor.get_username() if actor is not None else ""
    rows = [
        AuditEvent(
            at=at,
            actor=actor,
            actor_name=actor_name,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            details=details,
        )
        for action, obj, details in events
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def client_address(request: HttpRequest) -> str | None:
    # Behind our reverse proxy, TrustedProxyMiddleware has already put the
    # client's address here; X-Forwarded-For is never read directly.
    return request.META.get("REMOTE_ADDR") or None


# The columns chain_hash() takes, in its order.
_HASHED = (
    "sequence",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "client_address",
    "details",
    "previous_hash",
)


def first_broken_link(batch_size: int = 20_000) -> tuple[int, str] | None:
    """Walk the chain; return (sequence, reason) of the first bad event, or None.

    Events still waiting for the sequencer are not part of the chain yet and
    are not checked here (see ``waiting_too_long``).
    """
    previous_hash, expected_sequence = GENESIS_HASH, 1
    for row in _iterate(batch_size):
        sequence, stored_previous, stored_hash = row[0], row[9], row[10]
        if sequence != expected_sequence:
            return expected_sequence, "missing event"
        if stored_previous != previous_hash:
            return sequence, "previous hash does not match"
        if chain_hash(*row[:10]) != stored_hash:
            return sequence, "contents changed"
        previous_hash, expected_sequence = stored_hash, sequence + 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return expected_sequence, "events missing at the end"
    return None


def waiting_too_long(now: dt.datetime | None = None) -> int:
    """How many committed events have waited longer than the bound to be chained."""
    bound = dt.timedelta(seconds=settings.AUDIT_CHAIN_DELAY_SECONDS)
    cutoff = (now or timezone.now()) - bound
    return AuditEvent.objects.filter(sequence__isnull=True, at__lt=cutoff).count()


def _iterate(batch_size: int) -> Iterator[tuple[Any, ...]]:
    """Chained events as tuples, in sequence order, by key ranges.

    Plain rows and not model instances: building an instance costs more than
    hashing the event, and ``audit_verify`` must keep up with millions.
    """
    if connection.vendor == "postgresql":
        yield from _iterate_postgresql(batch_size)
        return
    events = AuditEvent.objects.order_by("sequence").values_list(*_HASHED, "hash")
    last = 0
    while batch := list(events.filter(sequence__gt=last)[:batch_size]):
        yield from batch
        last = batch[-1][0]


def _iterate_postgresql(batch_size: int) -> Iterator[tuple[Any, ...]]:
    # The driver hands jsonb over as text (Django decodes it in the ORM);
    # decoding it here directly is what makes the walk fast.
    loads = json.loads
    # Outside a transaction the next batch is read on a connection of its own
    # while this one is hashed: PostgreSQL's share of the walk (a third of it)
    # then runs on the other core. Inside one (tests, a caller's atomic block)
    # another connection would not see what this transaction sees.
    batches = _batches(batch_size) if connection.in_atomic_block else _read_ahead(batch_size)
    for batch in batches:
        for row in batch:
            yield (*row[:8], loads(row[8]), *row[9:])


def _batches(batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Chained events as raw rows, batch after batch by key range, on this thread's connection."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join((*_HASHED, "hash"))
    sql = f"SELECT {columns} FROM {table} WHERE sequence > %s ORDER BY sequence LIMIT %s"  # noqa: S608 (names from code)
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch_size])
            batch = cursor.fetchall()
        if not batch:
            return
        yield batch
        last = batch[-1][0]


_DONE = object()


def _read_ahead(batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """:func:`_batches` read by a thread (its own connection) one or two batches ahead."""
    ahead: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        """Hand ``item`` to the walker; False once the walker has stopped listening."""
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in _batches(batch_size):
                if not offer(batch):
                    return
            offer(_DONE)
        except BaseException as error:  # handed to the walker, which raises it
            offer(error)
        finally:
            connection.close()  # this thread's own connection

    reader = threading.Thread(target=read, name="audit-verify-reader", daemon=True)
    reader.start()
    try:
        while (batch := ahead.get()) is not _DONE:
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        stop.set()
        reader.join()
