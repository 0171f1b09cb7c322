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

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.db.models import NOT_PROVIDED, Model
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
        obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
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
        columns = ", ".join(quote(str(field.column)) for field in fields)
        getters = [_getter(field) for field in fields]
        raw: Any = cursor.cursor  # psycopg's own cursor, for COPY
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        # Django's errors (IntegrityError for a NIK taken meanwhile), as from bulk_create.
        with connection.wrap_database_errors, raw.copy(sql) as copy:
            for obj in objects:
                copy.write_row([get(obj) for get in getters])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


# Fields whose Python value is what the database stores (psycopg adapts it).
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)


def _getter(field: Any) -> Callable[[Model], Any]:
    """How to read a field's database value off an object: the attribute itself
    for plain fields, else what ``bulk_create`` does (``pre_save``, then
    ``get_db_prep_save``: auto_now times, JSON)."""
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if isinstance(field, _PLAIN) and not automatic:
        if field.db_default is NOT_PROVIDED:
            return attrgetter(field.attname)
        read, default = attrgetter(field.attname), _db_default(field)
        # Left to the database default: write that default.
        return lambda obj: default if isinstance(v := read(obj), DatabaseDefault) else v

    def get(obj: Model) -> Any:
        value = field.pre_save(obj, True)
        if isinstance(value, DatabaseDefault):
            value = _db_default(field)
        return field.get_db_prep_save(value, connection)

    return get


def _db_default(field: Any) -> Any:
    """A field's database default as a value (a constant, or a ``Value`` of one)."""
    default = field.db_default
    if isinstance(default, Value):
        return default.value
    if hasattr(default, "resolve_expression"):
        raise TypeError(f"{field.name}: a computed database default cannot be copied")
    return default
