"""The audit sequencer: gives committed events their place in the hash chain.

Requests only insert their event (``actions.record``); chaining them one at a
time would make every audited write in the city wait on one lock. Instead,
like Trillian's log signer integrating queued leaves, one sequencer at a time
takes a batch of committed, not yet chained events (in arrival order), gives
each the next sequence number and the hash over it and its predecessor's
hash, and writes the batch and the new chain head in one transaction.

Why this is safe:

- One at a time: the batch runs under a transaction-level PostgreSQL advisory
  lock (a second sequencer finds it taken and does nothing). On SQLite every
  write transaction is IMMEDIATE, so only one writer is in at a time anyway.
- Killed mid-batch: nothing of the batch is committed; the next run takes the
  same events again. The update only touches events still unchained, and
  ``sequence`` is unique, so nothing is ever chained twice.
- Rolled back: an event rolled back with its change was never committed, so
  the sequencer never sees it and the chain has no gap for it.
"""

from __future__ import annotations

import hashlib

from django.db import connection, transaction

from kotacerdas.audit.models import AuditEvent, ChainHead, chain_hash

BATCH_SIZE = 2000
# chain_hash()'s arguments between the sequence and the previous hash.
_HASHED_AFTER_SEQUENCE = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "client_address",
    "details",
)
_LOCK = int.from_bytes(
    hashlib.blake2b(b"audit-sequencer", digest_size=8).digest(), "big", signed=True
)


def chain_pending(batch_size: int = BATCH_SIZE) -> int:
    """Chain one batch of waiting events; return how many (0: none, or another sequencer runs)."""
    with transaction.atomic():
        if not _only_sequencer():
            return 0
        waiting = list(
            AuditEvent.objects.filter(sequence__isnull=True)
            .order_by("id")
            .values_list("id", *_HASHED_AFTER_SEQUENCE)[:batch_size]
        )
        if not waiting:
            return 0
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        sequence, previous = head.sequence, head.hash
        chained = []
        for row in waiting:
            sequence += 1
            at, actor, actor_name, action, object_type, object_id, address, details = row[1:]
            digest = chain_hash(
                sequence,
                at,
                actor,
                actor_name,
                action,
                object_type,
                object_id,
                address,
                details,
                previous,
            )
            chained.append((row[0], sequence, previous, digest))
            previous = digest
        _write(chained)
        head.sequence, head.hash = sequence, previous
        head.save(update_fields=["sequence", "hash"])
    return len(chained)


def chain_all(batch_size: int = BATCH_SIZE) -> int:
    """Chain batches until none is waiting; return how many events were chained."""
    total = 0
    while chained := chain_pending(batch_size):
        total += chained
    return total


def _only_sequencer() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK])
        return bool(cursor.fetchone()[0])


def _write(chained: list[tuple[int, int, str, str]]) -> None:
    """Store the batch's places in the chain: one statement, unchained rows only."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS e"  # noqa: S608 (table name from code, values bound)
                " SET sequence = v.sequence, previous_hash = v.previous_hash, hash = v.hash"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[])"
                " AS v(id, sequence, previous_hash, hash)"
                " WHERE e.id = v.id AND e.sequence IS NULL",
                [list(column) for column in zip(*chained, strict=True)],
            )
            written = cursor.rowcount
    else:
        events = [
            AuditEvent(pk=pk, sequence=sequence, previous_hash=previous, hash=digest)
            for pk, sequence, previous, digest in chained
        ]
        written = AuditEvent.objects.bulk_update(events, ["sequence", "previous_hash", "hash"])
    if written != len(chained):
        # Someone chained part of this batch meanwhile: roll back, start again.
        raise RuntimeError(f"audit sequencer wrote {written} of {len(chained)} events")
