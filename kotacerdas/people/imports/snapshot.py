"""The register as an extract is compared with it: read once, in plain values.

A monthly extract of a kelurahan is ~15,000 rows of which ~1 % change. The
import reads the kelurahan's registered residents once, before the first row
(one query: the compared fields, the status, the No. KK and the values of the
last extract, as tuples, not model instances), and compares every row with
that snapshot in memory; only the people who change are read again, as model
instances, for the register actions. A NIK the snapshot does not hold (a
newcomer, or someone registered elsewhere) is looked up per chunk, in one
query for the chunk's unknown NIKs.

A row that is exactly what the last extract gave (its digest is kept with the
values, ``ROW_DIGEST``) for a resident the platform did not change since, in
the same place, is unchanged without being checked again (``unchanged``): the
99 % of a monthly extract cost a digest each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kotacerdas.people.models import Person

# Register field -> the column read for it (the family by its No. KK, the RT by id).
_COLUMN = {"kk_number": "family__kk_number", "rt": "rt_id"}


@dataclass(slots=True)
class Known:
    """A registered resident as the extract is compared with."""

    pk: int
    nik: str
    name: str
    status: str
    rt_id: int
    values: dict[str, str]  # the compared fields as text (monthly.register_values)
    last: dict[str, Any] | None  # ImportedValues.values: what the last extract gave


def known_people(people: QuerySet[Person], fields: list[str]) -> dict[str, Known]:
    """{NIK: Known} of ``people`` (with a NIK), in one query."""
    columns = [_COLUMN.get(name, name) for name in fields]
    rows = people.exclude(nik=None).values_list(
        "pk", "nik", "name", "status", "rt_id", "imported__values", *columns
    )
    return dict(_known(rows, fields))


def _known(rows: Iterable[tuple[Any, ...]], fields: list[str]) -> Iterable[tuple[str, Known]]:
    for pk, nik, name, status, rt_id, last, *values in rows:
        yield (
            nik,
            Known(
                pk=pk,
                nik=nik,
                name=name,
                status=status,
                rt_id=rt_id,
                values={
                    field: _as_text(value) for field, value in zip(fields, values, strict=True)
                },
                last=last,
            ),
        )


def _as_text(value: Any) -> str:
    """As ``monthly.register_values`` writes a person's value."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# Key of ImportedValues.values: the digest of the row the values came from.
ROW_DIGEST = "_row"


def row_digest(values: dict[str, Any]) -> str:
    """A digest of a row as its format translated it (stable across processes)."""
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=12).hexdigest()


def unchanged(
    values: dict[str, Any],
    known: Known | None,
    *,
    fields: list[str],
    rt_id: int | None,
    family_ok: bool,
    oldest_year: int,
) -> bool:
    """True when the row is exactly the one the last extract gave for ``known``
    and neither the register nor the row's place changed since: then checking it
    again can only find it valid and unchanged, and it is skipped.

    ``rt_id`` is the RT the row's RW/RT (or mapped dusun) is in today, None if
    that needs the full check; ``family_ok`` says the row's No. KK is a card in
    the uploader's area; ``oldest_year`` the person form's oldest birth year.
    """
    if known is None or not known.last or values.get("_errors"):
        return False
    last = known.last
    if last.get(ROW_DIGEST) != row_digest(values):
        return False
    if any(known.values[name] != last.get(name) for name in fields):
        return False  # changed in the platform since: compared in full
    status = values.get("status") or ""
    return (
        (not status or status == known.status)
        and rt_id == known.rt_id
        and family_ok
        and int(known.values.get("birth_date", "9999")[:4]) >= oldest_year
    )
