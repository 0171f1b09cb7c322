"""The register's pages: saving the staff forms, life events, reads, look-ups, import start and export."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record, record_many
from kotacerdas.people.forms import FamilyForm, PersonForm
from kotacerdas.people.imports.form import ImportForm
from kotacerdas.people.lookups import count_lookup
from kotacerdas.people.models import (
    Family,
    ImportJob,
    LifeEvent,
    Person,
)

# Life events that change where a person stands in the register.
STATUS_AFTER = {
    LifeEvent.Kind.BIRTH: Person.Status.ALIVE,
    LifeEvent.Kind.MOVE_IN: Person.Status.ALIVE,
    LifeEvent.Kind.DEATH: Person.Status.DEAD,
    LifeEvent.Kind.MOVE_OUT: Person.Status.MOVED,
}


def save_person(form: PersonForm, *, request: HttpRequest) -> Person:
    """Create or update a resident from a valid form, with its audit event."""
    creating = form.instance.pk is None
    with transaction.atomic():
        person = form.save()
        record(
            "person.create" if creating else "person.update",
            obj=person,
            request=request,
            fields=sorted(form.changed_data),
            confirmed_warnings=len(form.warnings) + len(form.duplicates),
        )
    return person


def save_family(form: FamilyForm, *, request: HttpRequest) -> Family:
    creating = form.instance.pk is None
    with transaction.atomic():
        family = form.save()
        record(
            "family.create" if creating else "family.update",
            obj=family,
            request=request,
            fields=sorted(form.changed_data),
        )
    return family


def record_life_event(
    person: Person,
    *,
    kind: str,
    date: dt.date,
    note: str = "",
    actor: User | None,
    request: HttpRequest | None = None,
    source: str = "register",
    **details: Any,
) -> LifeEvent:
    """Record a life event with its audit event (``person.<kind>``); a birth,
    death or move sets the person's status to match. ``details`` go to the
    audit event (ids and field names, never personal data)."""
    with transaction.atomic():
        event = LifeEvent.objects.create(
            person=person, kind=kind, date=date, note=note, recorded_by=actor, source=source
        )
        status = STATUS_AFTER.get(LifeEvent.Kind(kind))
        if status is not None:
            person.status = status
            person.save(update_fields=["status", "updated_at"])
        record(
            f"person.{kind}",
            actor=actor,
            obj=person,
            request=request,
            life_event=event.pk,
            date=date.isoformat(),
            source=source,
            **details,
        )
    return event


def record_arrivals(
    arrivals: list[tuple[Person, str, dt.date]],
    *,
    note: str,
    actor: User | None,
    source: str,
) -> list[LifeEvent]:
    """The births and moves in of residents an import has just inserted in bulk
    (``(person, kind, date)``): what ``record_life_event`` writes for each, in a
    few inserts for all. They are registered as living here already, so no
    status changes; call inside the transaction that inserted them."""
    if any(
        STATUS_AFTER.get(LifeEvent.Kind(kind)) != person.status for person, kind, _d in arrivals
    ):
        raise ValueError("record_arrivals is for births and moves in of living residents")
    with transaction.atomic():
        events = LifeEvent.objects.bulk_create(
            [
                LifeEvent(
                    person=person, kind=kind, date=date, note=note, recorded_by=actor, source=source
                )
                for person, kind, date in arrivals
            ],
            batch_size=1000,
        )
        record_many(
            (
                (
                    f"person.{event.kind}",
                    event.person,
                    {"life_event": event.pk, "date": event.date.isoformat(), "source": source},
                )
                for event in events
            ),
            actor=actor,
        )
    return events


def record_read(person: Person, *, request: HttpRequest) -> None:
    """A full record (unmasked NIK, family) was shown: that is logged."""
    record("person.view", obj=person, request=request)


class LookupRefused(Exception):
    """The user has used up the ``register_lookup`` limit."""


def look_up_nik(nik: str, *, actor: User, purpose: str, request: HttpRequest) -> Person | None:
    """Resolve a NIK for someone with no scope over the register (a protection
    officer linking a person to a case): counted against ``register_lookup``
    and audited, found or not. The audit event names the resident by id, never
    the NIK; a look-up over the limit is refused (``LookupRefused``) and audited.
    """
    allowed = count_lookup(actor)
    person = (
        Person.objects.filter(nik=nik).only("pk", "name", "birth_date").first() if allowed else None
    )
    with transaction.atomic():
        record(
            "people.lookup",
            actor=actor,
            obj=person,
            request=request,
            purpose=purpose,
            found=person is not None,
            refused=not allowed,
        )
    if not allowed:
        raise LookupRefused
    return person


def start_import(form: ImportForm, *, user: User, request: HttpRequest) -> ImportJob:
    """Store an uploaded workbook and queue its processing once it is committed.

    The audit event (``people.import``) is written when the job finishes, with
    what was imported and rejected.
    """
    from kotacerdas.people.tasks import run_import  # the task runs these actions

    upload = form.cleaned_data["workbook"]
    with transaction.atomic():
        job = ImportJob.objects.create(
            uploaded_by=user,
            kelurahan=form.cleaned_data["kelurahan"],
            language=get_language() or settings.LANGUAGE_CODE,
            file_name=(upload.name or "")[-200:],
            content=form.content,
            dry_run=bool(form.cleaned_data.get("dry_run")),
        )
        transaction.on_commit(partial(run_import.enqueue, job.pk))
    return job


def rerun_import(job: ImportJob, *, user: User, dry_run: bool = False) -> ImportJob:
    """Run a stored file again (a dry run's changes applied, or after mapping
    its areas): a new job with the same file, queued once committed."""
    from kotacerdas.people.tasks import run_import

    with transaction.atomic():
        content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
        new = ImportJob.objects.create(
            uploaded_by=user,
            kelurahan_id=job.kelurahan_id,
            language=get_language() or settings.LANGUAGE_CODE,
            file_name=job.file_name,
            content=content,
            dry_run=dry_run,
        )
        transaction.on_commit(partial(run_import.enqueue, new.pk))
    return new


def record_export(*, count: int, request: HttpRequest) -> None:
    """A bulk copy of the register left the system: who, when and how many rows."""
    record("people.export", request=request, count=count)
