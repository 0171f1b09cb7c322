"""Inserting many new rows at once: PostgreSQL's COPY, else ``bulk_create``.

An extract's first load inserts a kelurahan's residents, their family cards and
their extract values (~35,000 rows for 15,000 residents). ``bulk_create``
prepares every value of every row in Python and sends them as one long INSERT
per batch; COPY streams the rows to the server in its own protocol, several
times cheaper on both sides. The ids are taken from the table's sequence first
(one query), so the objects have their primary key, as after ``bulk_create``,
for the rows that point at them.

Values go through each field's ``pre_save`` and ``get_db_prep_save`` (auto_now
times, foreign keys, JSON), as ``bulk_create`` would; a field left to its
database default is written with that default. Call inside a transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault, Value


def insert(model: type[Model], objects: Sequence[Model], *, batch_size: int = 1000) -> None:
    """Insert new ``objects`` of ``model`` and set their primary keys."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=batch_size)
        return
    for obj in objects:
        # A foreign key to an object saved after this one was made (a new family
        # card) takes that object's id now, as bulk_create does.
        obj._prepare_related_fields_for_save(operation_name="insert")
    meta = model._meta
    quote = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        if meta.auto_field is not None:
            missing = [obj for obj in objects if obj.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.auto_field.column, len(missing)],
                )
                for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                    obj.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        raw: Any = cursor.cursor  # psycopg's own cursor, for COPY
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        # Django's errors (IntegrityError for a NIK taken meanwhile), as from bulk_create.
        with connection.wrap_database_errors, raw.copy(sql) as copy:
            for obj in objects:
                copy.write_row([_value(field, obj) for field in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _value(field: Any, obj: Model) -> Any:
    value = field.pre_save(obj, True)
    if isinstance(value, DatabaseDefault):
        default = field.db_default
        value = default.value if isinstance(default, Value) else None
    return field.get_db_prep_save(value, connection)
