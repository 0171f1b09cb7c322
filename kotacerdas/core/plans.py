"""Statements planned for the values they run with, not prepared once for any.

With ``DATABASE_PREPARED_STATEMENTS`` psycopg prepares a statement the second
time a connection runs it, and after five runs PostgreSQL may keep one generic
plan for it, chosen without the values. For look-ups by key that saves the
planning on every request (a third of PostgreSQL's CPU on a booking). For a
search it can cost ten times what it saves: the generic plan of ``name ILIKE
%s … ORDER BY … LIMIT 51`` cannot know that the pattern is rare, and walks the
whole name index (111 ms for "siti" across the city, 14 ms planned for the
word). Run such statements inside :func:`planned_for_their_values`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections


@contextmanager
def planned_for_their_values(using: str = "default") -> Iterator[None]:
    """Statements run in this block are sent unprepared (PostgreSQL plans each
    one for its values); elsewhere, and with prepared statements off, nothing changes.

    The block's wrapper runs the statement itself, so execute wrappers
    installed before the block (none in the project today) do not see it;
    those installed inside it do."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get(
        "prepare_threshold"
    ):
        yield
        return

    def unprepared(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if many or params is None:
            return execute(sql, params, many, context)
        # What CursorWrapper._execute does, with psycopg's own switch for this statement.
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            return context["cursor"].cursor.execute(sql, params, prepare=False)

    with connection.execute_wrapper(unprepared):
        yield
