from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.http import HttpRequest
from django.utils import timezone

from kotacerdas.audit.models import (
    GENESIS_HASH,
    AuditEvent,
    ChainHead,
    canonical_details,
    chain_hash,
)


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
    event_ = event(action, actor=actor, obj=obj, request=request, **details)
    event_.save()
    return event_


def event(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """The event :func:`record` would append, unsaved: for a caller that stores it
    together with its change in one round trip (``core.inserts.insert_together``),
    in the same transaction and under the same rules."""
    if actor is None and request is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent(
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


def first_broken_link(
    batch_size: int = 20_000, *, workers: int | None = None
) -> tuple[int, str] | None:
    """Walk the chain; return (sequence, reason) of the first bad event, or None.

    Events still waiting for the sequencer are not part of the chain yet and
    are not checked here (see ``waiting_too_long``). On PostgreSQL, outside a
    transaction, ``workers`` processes (``AUDIT_VERIFY_WORKERS``) walk ranges
    of the chain side by side.
    """
    workers = settings.AUDIT_VERIFY_WORKERS if workers is None else workers
    if connection.vendor == "postgresql":
        if workers > 1 and not connection.in_atomic_block:
            walked = _walk_in_parallel(batch_size, workers)
        else:
            walked = _walk_postgresql(batch_size)
    else:
        walked = _walk(_iterate(batch_size))
    if isinstance(walked, tuple):
        return walked
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != walked:
        return walked + 1, "events missing at the end"
    return None


def _walk(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str] | int:
    """Check events given as chain_hash()'s fields and the stored hash; the first
    bad one as (sequence, reason), else the last sequence walked."""
    previous_hash, expected_sequence = GENESIS_HASH, 1
    for row in rows:
        sequence, stored_previous, stored_hash = row[0], row[9], row[10]
        if sequence != expected_sequence:
            return expected_sequence, "missing event"
        if stored_previous != previous_hash:
            return sequence, "previous hash does not match"
        if chain_hash(*row[:10]) != stored_hash:
            return sequence, "contents changed"
        previous_hash, expected_sequence = stored_hash, sequence + 1
    return expected_sequence - 1


def _walk_postgresql(batch_size: int) -> tuple[int, str] | int:
    """:func:`_walk` on PostgreSQL's rows from :data:`_CANONICAL`: the server writes
    each event's canonical JSON but for ``details`` (and the previous hash and
    sequence, which this walk checks anyway), Python re-encodes ``details``
    and hashes. The bytes hashed are exactly chain_hash()'s."""
    # Outside a transaction the next batch is read on a connection of its own
    # while this one is hashed: PostgreSQL's share of the walk (building the
    # canonical text) then runs on the other core. Inside one (tests, a
    # caller's atomic block) another connection would not see what this
    # transaction sees.
    batches = _batches(batch_size) if connection.in_atomic_block else _read_ahead(batch_size)
    link = _walk_batches(batches, GENESIS_HASH, 1)
    return link.broken or link.last


@dataclass(frozen=True)
class Link:
    """What a walk over consecutive events found: where it started (the first
    event and the hash it links to), where it ended, and the first bad event."""

    first: int | None = None
    first_previous: str = ""
    last: int = 0
    last_hash: str = ""
    broken: tuple[int, str] | None = None


def _walk_batches(
    batches: Iterable[list[tuple[Any, ...]]], previous_hash: str | None, expected_sequence: int
) -> Link:
    """Check :data:`_CANONICAL` rows in sequence order, from ``expected_sequence``
    on; ``previous_hash`` None: take the first event's as given (a range of
    the chain, whose start the caller links to the range before)."""
    sha256 = hashlib.sha256
    details_json = canonical_details
    first: int | None = None
    first_previous = ""
    for batch in batches:
        if first is None and batch:
            first, first_previous = batch[0][0], batch[0][1]
            if previous_hash is None:
                previous_hash, expected_sequence = first_previous, first
        for sequence, stored_previous, stored_hash, head, details, tail in batch:
            if sequence != expected_sequence:
                broken = (expected_sequence, "missing event")
                return Link(first, first_previous, expected_sequence - 1, "", broken)
            if stored_previous != previous_hash:
                broken = (sequence, "previous hash does not match")
                return Link(first, first_previous, sequence - 1, "", broken)
            # previous_hash is GENESIS_HASH or a digest checked just before:
            # hex digits, which JSON writes as they are.
            if head is None:  # fields PostgreSQL does not write as Python would
                digest = chain_hash(*details)
            else:
                text = (
                    f'{head}{details_json(details)}{tail}{previous_hash}","sequence":{sequence}}}'
                )
                digest = sha256(text.encode()).hexdigest()
            if digest != stored_hash:
                return Link(first, first_previous, sequence - 1, "", (sequence, "contents changed"))
            previous_hash, expected_sequence = stored_hash, sequence + 1
    return Link(first, first_previous, expected_sequence - 1, previous_hash or "")


def _walk_in_parallel(batch_size: int, workers: int) -> tuple[int, str] | int:
    """:func:`_walk_postgresql` by ``workers`` forked processes, each walking
    ranges of sequence numbers on a connection of its own (building the text
    and hashing then use every core); this process links the ranges end to
    start, in order, so the first bad event found is the first in the chain."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(sequence) FROM {connection.ops.quote_name(AuditEvent._meta.db_table)}"  # noqa: S608 (name from code)
        )
        end = cursor.fetchone()[0] or 0
    # A few ranges per worker, so one that meets a slow stretch is not last alone.
    size = max(batch_size, -(-end // (workers * 4)))
    ranges = [(low, min(low + size, end)) for low in range(0, end, size)]
    previous_hash, expected_sequence = GENESIS_HASH, 1
    # fork: a worker starts at once with Django set up; it opens its own
    # connection and leaves this process's alone (os._exit at the end, so
    # nothing inherited is closed on the server's side).
    with multiprocessing.get_context("fork").Pool(min(workers, len(ranges) or 1)) as pool:
        for link in pool.imap(partial(_walk_range, batch_size=batch_size), ranges):
            if link.first != expected_sequence:
                return expected_sequence, "missing event"
            if link.first_previous != previous_hash:
                return expected_sequence, "previous hash does not match"
            if link.broken is not None:
                return link.broken
            previous_hash, expected_sequence = link.last_hash, link.last + 1
    return expected_sequence - 1


def _walk_range(bounds: tuple[int, int], batch_size: int) -> Link:
    """In a worker process: walk the events with sequence in (low, high]."""
    low, high = bounds
    own = _worker_connection()
    try:
        return _walk_batches(_batches(batch_size, low, high, own), None, low + 1)
    finally:
        own.close()


def _worker_connection() -> Any:
    """A connection of a worker's own, with Django's settings and type handling,
    never from the pool (whose threads stayed in the parent process)."""
    default = connections[DEFAULT_DB_ALIAS]
    settings_dict = {
        **default.settings_dict,
        "OPTIONS": {k: v for k, v in default.settings_dict["OPTIONS"].items() if k != "pool"},
    }
    return type(default)(settings_dict, alias=f"audit-verify-{os.getpid()}")


def waiting_too_long(now: dt.datetime | None = None) -> int:
    """How many committed events have waited longer than the bound to be chained."""
    bound = dt.timedelta(seconds=settings.AUDIT_CHAIN_DELAY_SECONDS)
    cutoff = (now or timezone.now()) - bound
    return AuditEvent.objects.filter(sequence__isnull=True, at__lt=cutoff).count()


def _iterate(batch_size: int) -> Iterator[tuple[Any, ...]]:
    """Chained events as chain_hash()'s fields and the stored hash, in sequence order,
    by key ranges (other databases than PostgreSQL).

    Plain rows and not model instances: building an instance costs more than
    hashing the event, and ``audit_verify`` must keep up with millions.
    """
    events = AuditEvent.objects.order_by("sequence").values_list(*_HASHED, "hash")
    last = 0
    while batch := list(events.filter(sequence__gt=last)[:batch_size]):
        yield from batch
        last = batch[-1][0]


# Each chained event as (sequence, previous_hash, hash, head, details, tail):
# chain_hash()'s canonical JSON is head + canonical details + tail + the previous
# hash + '","sequence":N}'. PostgreSQL writes head and tail: keys in sorted
# order, the time as datetime.isoformat() in UTC, the address in its output
# form (which is what the driver hands Python), and the text fields between
# quotes as they are, which is what Python's JSON encoder writes for printable
# ASCII without '"' or '\'. For any other text head is NULL and Python writes
# that event itself (_with_fields). details comes as jsonb text: its canonical
# form sorts keys by code point and writes numbers as Python does, which
# PostgreSQL would not, so Python re-encodes it. (to_json() for the text
# fields would handle escapes too, but doubled PostgreSQL's CPU time: the
# server's share is what bounds the walk.)
_CANONICAL = r"""
SELECT e.sequence, e.previous_hash, e.hash,
    CASE WHEN (e.actor_name || e.action || e.object_type || e.object_id) COLLATE "C"
        ~ '^[ !#-[\]-~]*$'
    THEN '{"action":"' || e.action
        || '","actor":' || coalesce(e.actor_id::text, 'null')
        || ',"actor_name":"' || e.actor_name
        || '","at":"'
        || replace(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '')
        || '+00:00","client_address":' || coalesce('"' || abbrev(e.client_address) || '"', 'null')
        || ',"details":'
    END,
    e.details::text,
    ',"object_id":"' || e.object_id || '","object_type":"' || e.object_type
        || '","previous_hash":"'
FROM {table} AS e WHERE e.sequence > %s AND e.sequence <= %s ORDER BY e.sequence
"""


def _batches(
    batch_size: int, low: int = 0, high: int | None = None, db: Any = None
) -> Iterator[list[tuple[Any, ...]]]:
    """Chained events with sequence in (low, high] as :data:`_CANONICAL` rows,
    batch after batch by key range, on ``db`` (this thread's connection).

    Ranges of sequence numbers, not LIMIT: right after a large batch was
    chained the table's statistics do not know the new sequences yet, and
    with a LIMIT the planner then sorted the whole table for every batch.
    """
    db = db or connection
    table = db.ops.quote_name(AuditEvent._meta.db_table)
    sql = _CANONICAL.replace("{table}", table)
    last = low
    with db.cursor() as cursor:
        # JIT compiling the text building costs more than it saves, every batch.
        # Outside a transaction this is the read-ahead thread's own connection.
        cursor.execute("SET LOCAL jit = off" if db.in_atomic_block else "SET jit = off")
    while high is None or last < high:
        upper = last + batch_size if high is None else min(last + batch_size, high)
        with db.cursor() as cursor:
            cursor.execute(sql, [last, upper])
            batch = cursor.fetchall()
            if not batch:  # the end, or a gap as wide as a batch
                cursor.execute(
                    f"SELECT min(sequence) FROM {table} WHERE sequence > %s",  # noqa: S608 (name from code)
                    [last],
                )
                following = cursor.fetchone()[0]
                if following is None or (high is not None and following > high):
                    return
                last = following - 1
                continue
        if any(row[3] is None for row in batch):
            batch = _with_fields(batch, db)
        yield batch
        last = batch[-1][0]


def _with_fields(batch: list[tuple[Any, ...]], db: Any) -> list[tuple[Any, ...]]:
    """The batch with chain_hash()'s fields in place of details where head is NULL."""
    table = db.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(_HASHED)
    wanted = [row[0] for row in batch if row[3] is None]
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE sequence = ANY(%s)",  # noqa: S608 (names from code)
            [wanted],
        )
        fields = {row[0]: (*row[:8], json.loads(row[8]), row[9]) for row in cursor.fetchall()}
    return [(*row[:4], fields[row[0]], row[5]) if row[3] is None else row for row in batch]


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
