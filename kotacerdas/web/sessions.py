"""Django's database sessions, read and written with one plain statement each.

The session row is read on every signed-in request and written again when
``SessionKeepAliveMiddleware`` touches it. Through the ORM the read cost as
much Python as a booking's own look-ups (a query built and compiled, a model
instance made to take one column from it), and the write was three round trips
(BEGIN, UPDATE, COMMIT: Django's backend wraps the save in ``atomic()`` so that
an error cannot spoil a transaction around it, but a session is saved after the
view, outside any). Here the read is one SELECT of the data and the touch one
UPDATE in autocommit. The table, the rows, the expiry and the answers are
Django's: a session from either backend is read by the other. A new session
(``must_create``) is stored by Django's own code, which tells a key clash
apart.

    SESSION_ENGINE = "kotacerdas.web.sessions"
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table}"  # noqa: S608 (the model's table; values bound)
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's backend: a new key if anything is stored
            return {}
        return self.decode(row[0])  # type: ignore[no-any-return]

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            super().save(must_create=must_create)
            return
        model = self.model
        connection = connections[router.db_for_write(model)]
        if connection.in_atomic_block:  # inside a transaction, as Django does it
            super().save()
            return
        table = connection.ops.quote_name(model._meta.db_table)
        # The data as Django's own save() reads it (the stubs do not declare it).
        data = self.encode(self._get_session(no_load=False))  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET session_data = %s, expire_date = %s"  # noqa: S608 (as above)
                " WHERE session_key = %s",
                [
                    data,
                    connection.ops.adapt_datetimefield_value(self.get_expiry_date()),
                    self.session_key,
                ],
            )
            updated = cursor.rowcount
        if updated == 0:
            # Deleted meanwhile (signed out in another tab, cleared): Django's
            # answer, which SessionMiddleware turns into SessionInterrupted.
            raise UpdateError
