"""Serialise a check-then-write on one key (a phone number, a device) across processes."""

from __future__ import annotations

import hashlib

from django.db import connection, transaction


def hold(key: str) -> None:
    """Hold a lock on ``key`` until the current transaction ends. Call inside ``atomic()``.

    On PostgreSQL a transaction-level advisory lock; on SQLite nothing is
    needed, since its IMMEDIATE transactions already let one writer in at a time.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locks.hold() needs an atomic() block")
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(
        hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
