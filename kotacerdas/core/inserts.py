"""Several new rows stored in one round trip to the database.

Inside a short critical section (a booking holds its session's row lock until
the commit) every round trip counts double: the request's thread waits for the
database, then for its turn at the interpreter again, while every other
booking of the session waits for it. :func:`insert_together` sends the
INSERTs of several rows as one query on PostgreSQL (the driver binds the
values on the client, as Django's PostgreSQL backend does unless told
otherwise), else one after the other.

Only for plain rows: ``save()`` is not called (no overrides, no signals), and
a row's auto primary key is only known if it was set beforehand (e.g. drawn
with ``nextval`` in an earlier statement).
"""

from __future__ import annotations

from django.db import connections, models, router
from django.db.models import sql


def insert_together(*objs: models.Model) -> None:
    """INSERT ``objs`` (new, unsaved) in one round trip where the database allows it."""
    if not objs:
        return
    using = router.db_for_write(type(objs[0]))
    connection = connections[using]
    statements = []
    for obj in objs:
        meta = obj._meta
        fields = [
            f
            for f in meta.local_concrete_fields
            if not (f is meta.auto_field and getattr(obj, f.attname) is None)
        ]
        query = sql.InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        statements.extend(query.get_compiler(using=using).as_sql())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _binds_on_client(cursor):
            cursor.execute(
                "; ".join(s for s, _ in statements), [p for _, params in statements for p in params]
            )
        else:
            for statement, params in statements:
                cursor.execute(statement, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def _binds_on_client(cursor: object) -> bool:
    import psycopg

    return isinstance(getattr(cursor, "cursor", None), psycopg.ClientCursor)
