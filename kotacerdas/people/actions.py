"""Every change to the residents register goes through here."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.people.forms import FamilyForm, PersonForm
from kotacerdas.people.imports import ImportForm
from kotacerdas.people.models import Family, ImportJob, LifeEvent, Person
from kotacerdas.people.tasks import run_import

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
) -> LifeEvent:
    """Record a birth, death or move, and set the person's status to match."""
    with transaction.atomic():
        event = LifeEvent.objects.create(
            person=person, kind=kind, date=date, note=note, recorded_by=actor, source=source
        )
        person.status = STATUS_AFTER[LifeEvent.Kind(kind)]
        person.save(update_fields=["status", "updated_at"])
        record(
            f"person.{kind}",
            actor=actor,
            obj=person,
            request=request,
            life_event=event.pk,
            date=date.isoformat(),
        )
    return event


def record_read(person: Person, *, request: HttpRequest) -> None:
    """A full record (unmasked NIK, family) was shown: that is logged."""
    record("person.view", obj=person, request=request)


def start_import(form: ImportForm, *, user: User, request: HttpRequest) -> ImportJob:
    """Store an uploaded workbook and queue its processing once it is committed.

    The audit event (``people.import``) is written when the job finishes, with
    what was imported and rejected.
    """
    upload = form.cleaned_data["workbook"]
    with transaction.atomic():
        job = ImportJob.objects.create(
            uploaded_by=user,
            kelurahan=form.cleaned_data["kelurahan"],
            language=get_language() or settings.LANGUAGE_CODE,
            file_name=(upload.name or "")[-200:],
            content=form.content,
        )
        transaction.on_commit(partial(run_import.enqueue, job.pk))
    return job


def record_export(*, count: int, request: HttpRequest) -> None:
    """A bulk copy of the register left the system: who, when and how many rows."""
    record("people.export", request=request, count=count)
