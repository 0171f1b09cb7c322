"""A throwaway PostgreSQL database holding FreeRADIUS's ``radacct`` table (tests and the bench)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from psycopg import sql

SCHEMA = Path("/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql")


def server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, host, port = (
        db.get("USER") or "postgres",
        db.get("HOST") or "127.0.0.1",
        db.get("PORT") or 5432,
    )
    return f"postgres://{user}@{host}:{port}/{name}"


@contextmanager
def radacct_database(name: str) -> Iterator[str]:
    """Create ``name`` with the radacct schema FreeRADIUS ships; drop it afterwards."""
    admin = server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server_url(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCHEMA.read_text())  # type: ignore[call-overload]
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
