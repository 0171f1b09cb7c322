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

:func:`insert_after` goes one step further on PostgreSQL: the statement that
takes the lock and the INSERTs whose values depend on its answer are one
statement, so the lock is held for that statement and the commit only, with
no round trip to Python in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def insert_after(
    head: str,
    head_params: Sequence[Any],
    objs: Sequence[models.Model],
    computed: Mapping[tuple[int, str], tuple[str, Sequence[Any]]],
    returning: str,
) -> tuple[Any, ...] | None:
    """PostgreSQL only: ``head`` (a data-modifying statement with RETURNING), then
    the INSERT of each of ``objs`` with values computed from its answer, as one statement.

    ``computed`` maps (index in ``objs``, field attname) to SQL over the
    columns of ``s`` (``head``'s RETURNING) and its parameters: those values
    are computed by the database instead of taken from the object. Returns the
    row ``SELECT returning FROM s`` gives, or None if ``head`` returned no row
    (then nothing is inserted). The objects get their values from the caller
    afterwards; only their state is set to saved here.

        WITH s AS (UPDATE … RETURNING …),
             i0 AS (INSERT INTO t0 (…) SELECT %s, s.number, … FROM s), …
        SELECT … FROM s
    """
    using = router.db_for_write(type(objs[0]))
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise NotImplementedError("insert_after() needs PostgreSQL's data-modifying WITH")
    parts, params = [f"WITH s AS ({head})"], list(head_params)
    for n, obj in enumerate(objs):
        mine = {attname for index, attname in computed if index == n}
        fields = _fields(obj, keep=mine)
        statement, values = _statement(obj, connection, fields)
        into, _values, placeholders = statement.partition(" VALUES (")
        columns = placeholders.removesuffix(")").split(", ")
        if len(columns) != len(fields) or len(values) != len(fields):
            raise ValueError(f"{type(obj).__name__}: not a plain row for insert_after()")
        select = []
        for field, placeholder, value in zip(fields, columns, values, strict=True):
            if field.attname in mine:
                sql_, extra = computed[n, field.attname]
                select.append(sql_)
                params.extend(extra)
            else:
                select.append(placeholder)
                params.append(value)
        # Django's INSERT, its values from the SELECT: the SQL is code's, values are bound.
        parts.append(f"i{n} AS ({into} SELECT {', '.join(select)} FROM s)")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{', '.join(parts)} SELECT {returning} FROM s", params)  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        for obj in objs:
            obj._state.adding = False
            obj._state.db = using
    return row  # type: ignore[no-any-return]


def _fields(obj: models.Model, keep: set[str] = frozenset()) -> tuple[models.Field[Any, Any], ...]:  # type: ignore[assignment]
    """The fields an INSERT of ``obj`` names: all but an auto primary key not yet set
    (unless its value is in ``keep``, computed elsewhere)."""
    meta = obj._meta
    return tuple(
        f
        for f in meta.local_concrete_fields
        if not (f is meta.auto_field and getattr(obj, f.attname) is None and f.attname not in keep)
    )


def _statement(
    obj: models.Model,
    connection: BaseDatabaseWrapper,
    fields: tuple[models.Field[Any, Any], ...] | None = None,
) -> tuple[str, list[Any]]:
    """The INSERT of ``obj`` and its values, as Django's compiler writes them.

    The text is the same for every row of a model with the same fields, so it
    is compiled once per process and only the values are prepared per row (as
    the compiler does: ``pre_save``, then ``get_db_prep_save``): compiling the
    three INSERTs of a booking cost twice as much as preparing their values.
    A field or value with SQL of its own (an expression, a custom placeholder)
    is compiled every time.
    """
    if fields is None:
        fields = _fields(obj)
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
