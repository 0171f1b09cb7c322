"""Writing what a Dukcapil extract (SIAK, OpenSID) brings, chunk by chunk.

New residents are inserted in bulk (``people.actions.imports``); here the rest:
the values each person had in the extract (``ImportedValues``, what next
month's comparison needs), and once the kelurahan was loaded before, the
life events of the month: a newcomer is a birth (under a year old) or a move
in, a changed resident goes through ``apply_extract``, a death or move out
through ``record_death``/``record_move_out``. A dry run writes none of it and
only counts and lists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kotacerdas.people.actions import bulk
from kotacerdas.people.actions.records import record_arrivals
from kotacerdas.people.actions.register import apply_extract, record_death, record_move_out
from kotacerdas.people.identity import mask_number
from kotacerdas.people.imports.monthly import register_values
from kotacerdas.people.imports.rows import CheckedChunk, Context, Update
from kotacerdas.people.imports.snapshot import ROW_DIGEST
from kotacerdas.people.models import ImportedValues, ImportJob, LifeEvent, Person

NEWBORN_DAYS = 366  # a newcomer younger than this in a monthly extract was born here


def write_extract_chunk(job: ImportJob, checked: CheckedChunk, ctx: Context) -> dict[str, Any]:
    """Remember the extract's values and record the month's changes; what the
    job reports. ``checked.people`` were inserted already (unless a dry run).

    Set-based but for the few who change: the values of the new residents and of
    every compared one are written in one insert each, the newcomers' life
    events (births, moves in) and their audit events in a few; only a resident
    who changed, died or moved goes through the register action of its own
    (life event, ``person_left`` for the services, audit)."""
    today = timezone.localdate()
    source = f"import:{ctx.file_format}"
    note = f"{ctx.file_format.upper()} · {job.file_name}"[:200]
    changes: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    left = updated = 0
    if not job.dry_run:
        bulk.insert(
            ImportedValues,
            [
                ImportedValues(
                    person=p, values={**register_values(p, ctx.fields), ROW_DIGEST: digest}
                )
                for p, digest in zip(checked.people, checked.digests, strict=True)
            ],
        )
    if ctx.monthly:
        arrivals: list[tuple[Person, str, dt.date]] = []
        for person in checked.people:
            newborn = (today - person.birth_date).days < NEWBORN_DAYS
            kind = LifeEvent.Kind.BIRTH if newborn else LifeEvent.Kind.MOVE_IN
            arrivals.append((person, kind, person.birth_date if newborn else today))
            changes.append({"kind": kind, "person": person.pk, "name": person.name, "fields": []})
        if arrivals and not job.dry_run:
            record_arrivals(arrivals, note=note, actor=job.uploaded_by, source=source)
    acting = [u.known.pk for u in checked.updates if u.comparison.leave or u.comparison.changes]
    people = Person.objects.in_bulk(acting) if acting and not job.dry_run else {}
    for update in checked.updates:
        comparison = update.comparison
        entry = {
            "row": update.row,
            "nik": mask_number(update.known.nik),
            "person": update.known.pk,
            "name": update.known.name,
        }
        if comparison.conflicts or comparison.status_conflict:
            conflicts.append(
                {
                    **entry,
                    "fields": _described(comparison.conflicts, ctx),
                    "status": comparison.status_conflict,
                    # The file's values as compared (RT by id): what "take the file's value" applies.
                    "values": {name: new for name, (_old, new) in comparison.conflicts.items()},
                }
            )
        if comparison.leave:
            left += 1
            changes.append({**entry, "kind": comparison.leave, "fields": []})
            if not job.dry_run:
                _leave(people[update.known.pk], comparison.leave, job, today, note, source)
        elif comparison.changes:
            updated += 1
            changes.append(
                {**entry, "kind": "update", "fields": _described(comparison.changes, ctx)}
            )
            if not job.dry_run:
                apply_extract(
                    people[update.known.pk],
                    changes=_typed_changes(update),
                    actor=job.uploaded_by,
                    date=today,
                    note=note,
                    source=source,
                )
    if not job.dry_run:
        _remember(
            [*checked.unchanged]
            + [
                (u.known.pk, {**(u.known.last or {}), **u.incoming, ROW_DIGEST: u.digest})
                for u in checked.updates
            ]
        )
    return {
        "changes": changes,
        "conflicts": conflicts,
        "left": left,
        "updated": updated,
        "unchanged": checked.unchanged_rows,
    }


def _leave(
    person: Person, leave: str, job: ImportJob, today: dt.date, note: str, source: str
) -> None:
    action = record_death if leave == Person.Status.DEAD else record_move_out
    # Changed meanwhile (recorded by hand already): nothing left to do.
    with contextlib.suppress(ValidationError):
        action(person, date=today, actor=job.uploaded_by, note=note, source=source)


def _typed_changes(update: Update) -> dict[str, Any]:
    """The candidate's values of the changed fields, as the register stores them."""
    typed: dict[str, Any] = {}
    for name in update.comparison.changes:
        if name == "kk_number":
            typed["family"] = update.candidate.family
        else:
            typed[name] = getattr(update.candidate, name)
    return typed


def _described(fields: dict[str, tuple[str, str]], ctx: Context) -> list[list[str]]:
    """[field label, register value, extract value], the RT written as people read it."""
    labels = {
        rt.pk: f"RT {rt.number:03d}/RW {rt.rw.number:02d}" for rt in ctx.writable_rts.values()
    }
    out = []
    for name, (old, new) in fields.items():
        if name == "rt":
            old = labels.get(int(old), old) if old.isdigit() else old
            new = labels.get(int(new), new) if new.isdigit() else new
        out.append([name, old, new])
    return out


def _remember(values: list[tuple[int, dict[str, str]]]) -> None:
    """Keep each person's values from this extract (merged already into what was kept)."""
    if not values:
        return
    ImportedValues.objects.bulk_create(
        [ImportedValues(person_id=pk, values=kept) for pk, kept in values],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["values", "imported_at"],
        batch_size=1000,
    )


def link_parents(kelurahan_id: str) -> int:
    """Point each resident's father and mother at the register's person with
    that NIK, once both are in. Returns how many links were made."""
    linked = 0
    for parent in ("father", "mother"):
        # Only who has a parent's NIK and no link yet: few rows, joined by the NIK index.
        people = Person.objects.filter(
            rt__rw__kelurahan=kelurahan_id,
            **{f"{parent}__isnull": True, f"{parent}_nik__in": Person.objects.values("nik")},
        ).exclude(**{f"{parent}_nik": ""})
        linked += people.update(
            **{
                parent: Subquery(
                    Person.objects.filter(nik=OuterRef(f"{parent}_nik")).values("pk")[:1]
                )
            }
        )
    return linked
