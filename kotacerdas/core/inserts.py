"""Several new rows stored in one round trip to the database.

Inside a short critical section (a booking holds its session's row lock until
the commit) every round trip counts double: the request's thread waits for the
database, then for its turn at the interpreter again, while every other
booking of the session waits for it. :func:`insert_together` sends the
INSERTs of several rows as one statement on PostgreSQL, else one after the
other.

Only for plain rows: ``save()`` is not called (no overrides, no signals), and
a row's auto primary key is only known if it was set beforehand (e.g. drawn
with ``nextval`` in an earlier statement).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import sql

# The INSERT of one row, by model, fields and database: see _statement().
_statements: dict[tuple[type[models.Model], tuple[models.Field[Any, Any], ...], str], str] = {}


def insert_together(*objs: models.Model) -> None:
    """INSERT ``objs`` (new, unsaved) in one round trip where the database allows it."""
    if not objs:
        return
    using = router.db_for_write(type(objs[0]))
    connection = connections[using]
    statements = [_statement(obj, connection) for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            # One statement: the first INSERTs as data-modifying WITH queries
            # of the last (PostgreSQL runs each exactly once, and checks the
            # constraints, foreign keys between them included, at its end).
            # The text is the same for every booking, so it is prepared once.
            *firsts, (last, _params) = statements
            with_queries = ", ".join(f"i{n} AS ({s})" for n, (s, _p) in enumerate(firsts))
            cursor.execute(
                f"WITH {with_queries} {last}", [v for _s, values in statements for v in values]
            )
        else:
            for statement, params in statements:
                cursor.execute(statement, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def _statement(obj: models.Model, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """The INSERT of ``obj`` and its values, as Django's compiler writes them.

    The text is the same for every row of a model with the same fields, so it
    is compiled once per process and only the values are prepared per row (as
    the compiler does: ``pre_save``, then ``get_db_prep_save``): compiling the
    three INSERTs of a booking cost twice as much as preparing their values.
    A field or value with SQL of its own (an expression, a custom placeholder)
    is compiled every time.
    """
    meta = obj._meta
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not (f is meta.auto_field and getattr(obj, f.attname) is None)
    )
    values = [f.pre_save(obj, add=True) for f in fields]  # type: ignore[no-untyped-call]
    plain = not any(
        hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder_sql")
        for field, value in zip(fields, values, strict=True)
    )
    key = (type(obj), fields, connection.alias)
    if plain and key in _statements:
        params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
        return _statements[key], params
    query = sql.InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    [(statement, compiled)] = query.get_compiler(connection=connection).as_sql()
    if plain:
        _statements[key] = statement
    return statement, list(compiled)
