"""The kelurahan operator's decision on a conflict of an extract (``imports.monthly``).

A conflict is one entry of ``ImportJob.conflicts``: a resident whose details
the platform changed since the last extract while the extract says otherwise.
Each is decided once, in the transaction that holds the job's row lock, and
the decision is kept on the entry (``decision``, ``decided_at``):

- ``file`` ("pakai nilai berkas"): the file's values go in through the
  register actions (``apply_extract``: one life event naming the fields; a
  resident the register has as moved away and the file as living here moves in
  again with ``record_move_in``);
- ``platform`` ("pertahankan nilai platform"): the register keeps its values,
  and the declined extract values are remembered (``monthly.KEPT``) so that the
  same extract does not raise them again next month.

Either way one audit event, ``people.import_conflict``. Bad input (a decided
conflict, a value the register cannot take) is a ValidationError in the
user's language, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.people.actions.register import apply_extract, record_move_in
from kotacerdas.people.imports.monthly import KEPT
from kotacerdas.people.models import Family, ImportedValues, ImportJob, Person
from kotacerdas.regions.models import RT

FILE, PLATFORM = "file", "platform"
DECISIONS = (FILE, PLATFORM)
SOURCE = "import:decision"


def decide_conflict(
    job: ImportJob,
    index: int,
    *,
    person: Person,
    decision: str,
    actor: User,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    """Decide conflict ``index`` of ``job`` (reached through ``access``); the entry."""
    if decision not in DECISIONS:
        raise ValidationError(
            _("Choose whether to take the file's value or keep the platform's."), code="decision"
        )
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
        conflicts = list(locked.conflicts)
        conflict = dict(conflicts[index])
        if conflict.get("person") != person.pk:
            raise ValidationError(_("This conflict is not about this resident."), code="person")
        if conflict.get("decision"):
            raise ValidationError(
                _("This conflict was decided already; nothing was changed."), code="decided"
            )
        values: dict[str, str] | None = conflict.get("values")
        if values is None and conflict.get("fields"):
            raise ValidationError(
                _(
                    "This conflict was listed before the file's values were kept: import the "
                    "extract again to decide it."
                ),
                code="old",
            )
        values = values or {}
        note = f"{(locked.file_format or 'import').upper()} · {locked.file_name}"[:200]
        if decision == FILE:
            _take_file(locked, person, values, conflict.get("status", ""), actor, request, note)
        else:
            _keep_platform(person, values, conflict.get("status", ""))
        conflict.update(decision=decision, decided_at=timezone.now().isoformat())
        conflicts[index] = conflict
        locked.conflicts = conflicts
        locked.save(update_fields=["conflicts"])
        record(
            "people.import_conflict",
            actor=actor,
            obj=person,
            request=request,
            job=locked.pk,
            conflict=index,
            decision=decision,
            fields=sorted(values) + (["status"] if conflict.get("status") else []),
        )
    return conflict


def _take_file(
    job: ImportJob,
    person: Person,
    values: dict[str, str],
    status: str,
    actor: User,
    request: HttpRequest | None,
    note: str,
) -> None:
    today = timezone.localdate()
    changes = _typed(job, person, values, actor)
    if changes:
        apply_extract(person, changes=changes, actor=actor, date=today, note=note, source=SOURCE)
        person.refresh_from_db()
    if not status:
        return
    if status == Person.Status.ALIVE and person.status == Person.Status.MOVED:
        record_move_in(
            person,
            date=today,
            actor=actor,
            rt=person.rt,
            address=person.address,
            note=note,
            request=request,
            source=SOURCE,
        )
        return
    raise ValidationError(
        _(
            "The register cannot take this status from the file: record a death or a move "
            "on the resident's page, or keep the platform's value."
        ),
        code="status",
    )


def _typed(job: ImportJob, person: Person, values: dict[str, str], actor: User) -> dict[str, Any]:
    """The file's values (as compared: text, the RT by id) as the register stores them."""
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if name == "rt":
            rt = RT.objects.filter(pk=int(value or 0), rw__kelurahan=job.kelurahan_id).first()
            if rt is None:
                raise ValidationError(_("The file's RT is not an RT of this kelurahan."), code="rt")
            typed["rt"] = rt
        elif name == "birth_date":
            typed[name] = dt.date.fromisoformat(value)
        elif name != "kk_number":
            typed[name] = value
    if "kk_number" in values:
        typed["family"] = _family(values["kk_number"], typed, person, actor)
    return typed


def _family(kk_number: str, typed: dict[str, Any], person: Person, actor: User) -> Family | None:
    """The card with the file's No. KK; registered at the person's address if new."""
    if not kk_number:
        return None
    family = Family.objects.filter(kk_number=kk_number).first()
    if family is None:
        family = Family.objects.create(
            kk_number=kk_number,
            rt=typed.get("rt") or person.rt,
            address=typed.get("address") or person.address,
        )
        record("family.create", actor=actor, obj=family, source=SOURCE)
    return family


def _keep_platform(person: Person, values: dict[str, str], status: str) -> None:
    declined = {**values, **({"status": status} if status else {})}
    kept, _created = ImportedValues.objects.select_for_update().get_or_create(person=person)
    kept.values = {**kept.values, KEPT: {**(kept.values.get(KEPT) or {}), **declined}}
    kept.save(update_fields=["values", "imported_at"])
