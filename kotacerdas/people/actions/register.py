"""Register actions without a form: what services and the register's pages call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.people.actions.records import record_life_event
from kotacerdas.people.identity import check_kk, check_nik
from kotacerdas.people.models import (
    Family,
    LifeEvent,
    Person,
    Relationship,
)
from kotacerdas.people.signals import person_left

# What a correction may change (the address, family and status have their own actions).
CORRECTABLE_FIELDS = frozenset(
    {
        "nik",
        "name",
        "sex",
        "birth_date",
        "birth_place",
        "religion",
        "education",
        "occupation",
        "marital_status",
        "phone",
    }
)


def nik_taken_message() -> str:
    return _("This NIK already belongs to someone in the register.")


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _require_resident(person: Person) -> None:
    if person.status != Person.Status.ALIVE:
        raise ValidationError(
            _("This person is not recorded as living here (now: %(status)s).")
            % {"status": person.get_status_display()},
            code="not_resident",
        )


def _check_date(person: Person, date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if date < person.birth_date:
        raise ValidationError(
            _("The date is before the person's date of birth."), code="before_birth"
        )


def _relationship(value: str) -> str:
    if value not in Relationship.values:
        raise ValidationError(
            _("Choose the person's relationship in the family card."), code="relationship"
        )
    return value


def _clean_nik(nik: str) -> str | None:
    number = "".join(nik.split())
    if not number:
        return None
    check = check_nik(number)
    if not check.valid:
        raise ValidationError(check.errors, code="nik")
    return number


def _save_new(person: Person) -> Person:
    """Insert a new resident; a NIK taken meanwhile is a clear refusal."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError(nik_taken_message(), code="nik_taken") from None
    return person


def add_to_family(
    person: Person,
    *,
    family: Family,
    relationship: str,
    actor: User | None,
    date: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    """Put a living resident on a family card; the address follows the card."""
    with transaction.atomic():
        person = _locked(person)
        _require_resident(person)
        relationship = _relationship(relationship)
        if person.family_id == family.pk and person.relationship == relationship:
            raise ValidationError(_("This person is already in this family."), code="same")
        date = date or timezone.localdate()
        _check_date(person, date)
        previous = person.family_id
        person.family, person.relationship = family, relationship
        person.rt_id, person.address = family.rt_id, family.address
        person.save(update_fields=["family", "relationship", "rt", "address", "updated_at"])
        record_life_event(
            person,
            kind=LifeEvent.Kind.FAMILY,
            date=date,
            note=note,
            actor=actor,
            request=request,
            source=source,
            family=family.pk,
            previous_family=previous,
            relationship=relationship,
        )
    return person


def record_birth(
    *,
    name: str,
    sex: str,
    birth_date: dt.date,
    birth_place: str,
    actor: User | None,
    family: Family | None = None,
    kk_number: str = "",
    rt: Any = None,
    address: str = "",
    nik: str = "",
    relationship: str = Relationship.CHILD,
    note: str = "",
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    """A newborn joins the register on a family card, with its birth event.

    The card is ``family``, else the one with ``kk_number``; a new No. KK
    creates the family at ``rt`` and ``address``.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("The child's name is missing."), code="name")
    if birth_date > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    child = Person(
        nik=_clean_nik(nik),
        name=name,
        sex=sex,
        birth_date=birth_date,
        birth_place=birth_place,
        relationship=_relationship(relationship),
    )
    child.clean_fields(exclude=["nik", "rt", "address", "family"])
    with transaction.atomic():
        family, created = _family_for_birth(family, kk_number, rt, address)
        child.family, child.rt_id, child.address = family, family.rt_id, family.address
        _save_new(child)
        record_life_event(
            child,
            kind=LifeEvent.Kind.BIRTH,
            date=birth_date,
            note=note,
            actor=actor,
            request=request,
            source=source,
            family=family.pk,
            family_created=created,
        )
    return child


def _family_for_birth(
    family: Family | None, kk_number: str, rt: Any, address: str
) -> tuple[Family, bool]:
    if family is not None:
        return family, False
    number = "".join(kk_number.split())
    found = Family.objects.filter(kk_number=number).first()
    if found is not None:
        return found, False
    if rt is None or not address.strip():
        raise ValidationError(_("The family's address is missing."), code="address")
    check = check_kk(number)
    if not check.valid:
        raise ValidationError(check.errors, code="kk")
    try:
        with transaction.atomic():
            return Family.objects.create(kk_number=number, rt=rt, address=address.strip()), True
    except IntegrityError:  # the same card created meanwhile
        return Family.objects.get(kk_number=number), False


def record_death(
    person: Person,
    *,
    date: dt.date,
    actor: User | None,
    note: str = "",
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    return _leave(person, LifeEvent.Kind.DEATH, date, note, actor, request, source)


def record_move_out(
    person: Person,
    *,
    date: dt.date,
    actor: User | None,
    note: str = "",
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    """The person left the city's register (``note``: where to, if known)."""
    return _leave(person, LifeEvent.Kind.MOVE_OUT, date, note, actor, request, source)


def _leave(
    person: Person,
    kind: str,
    date: dt.date,
    note: str,
    actor: User | None,
    request: HttpRequest | None,
    source: str,
) -> Person:
    """A resident leaves the register (death or move out): the life event sets the status."""
    with transaction.atomic():
        person = _locked(person)
        _require_resident(person)
        _check_date(person, date)
        record_life_event(
            person, kind=kind, date=date, note=note, actor=actor, request=request, source=source
        )
        person_left.send(Person, person=person, kind=kind, date=date, actor=actor)
    return person


def record_move_in(
    person: Person | None = None,
    *,
    date: dt.date,
    actor: User | None,
    rt: Any = None,
    address: str = "",
    family: Family | None = None,
    relationship: str = "",
    new: dict[str, Any] | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    """Someone comes to live at an address here: a person the register knows
    (back from elsewhere, or from another RT), or a ``new`` one (NIK, name,
    sex, birth date and place; other Person fields optional). On a ``family``
    card the address is the card's; otherwise ``rt`` and ``address``."""
    if (person is None) == (new is None):
        raise TypeError("record_move_in needs either a person or new")
    if family is not None:
        rt, address, relationship = family.rt, family.address, _relationship(relationship)
    if rt is None or not address.strip():
        raise ValidationError(_("The new address is missing."), code="address")
    with transaction.atomic():
        if person is None:
            person = _new_resident(new or {}, rt=rt, address=address.strip())
        else:
            person = _locked(person)
            if person.status == Person.Status.DEAD:
                raise ValidationError(_("A deceased person cannot move in."), code="dead")
            if person.status == Person.Status.ALIVE and person.rt_id == rt.pk:
                raise ValidationError(_("This person already lives in this RT."), code="same")
        _check_date(person, date)
        person.rt, person.address = rt, address.strip()
        if family is not None:
            person.family, person.relationship = family, relationship
        person.save(update_fields=["rt", "address", "family", "relationship", "updated_at"])
        record_life_event(
            person,
            kind=LifeEvent.Kind.MOVE_IN,
            date=date,
            note=note,
            actor=actor,
            request=request,
            source=source,
            family=family.pk if family else None,
        )
    return person


def _new_resident(fields: dict[str, Any], *, rt: Any, address: str) -> Person:
    unknown = set(fields) - CORRECTABLE_FIELDS
    if unknown:
        raise TypeError(f"Not a field of a new resident: {sorted(unknown)}")
    nik = _clean_nik(str(fields.get("nik") or ""))
    if nik is None:
        raise ValidationError(_("A person moving in needs a NIK."), code="nik")
    person = Person(**{**fields, "nik": nik}, rt=rt, address=address)
    person.name = " ".join(person.name.split())
    person.clean_fields(exclude=["rt", "family"])
    return _save_new(person)


def correct_person(
    person: Person,
    *,
    changes: dict[str, Any],
    reason: str,
    actor: User | None,
    date: dt.date | None = None,
    request: HttpRequest | None = None,
    source: str = "register",
) -> Person:
    """Correct recorded details (``changes``: field -> new value) for ``reason``.

    A corrected birth date moves the birth event with it (the audit keeps the
    old one). The address, family and status change through their own actions.
    """
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These details cannot be corrected this way: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="field",
        )
    if "nik" in changes:
        changes = {**changes, "nik": _clean_nik(str(changes["nik"] or ""))}
    with transaction.atomic():
        person = _locked(person)
        changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
        if not changed:
            raise ValidationError(
                _("Nothing was changed: change the data that is wrong."), code="unchanged"
            )
        for name in changed:
            setattr(person, name, changes[name])
        if "name" in changed:
            person.name = " ".join(person.name.split())
        if person.birth_date > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        person.clean_fields(exclude=[f.name for f in Person._meta.fields if f.name not in changed])
        try:
            with transaction.atomic():
                person.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise ValidationError(nik_taken_message(), code="nik_taken") from None
        if "birth_date" in changed:
            LifeEvent.objects.filter(person=person, kind=LifeEvent.Kind.BIRTH).update(
                date=person.birth_date
            )
        record_life_event(
            person,
            kind=LifeEvent.Kind.CORRECTION,
            date=date or timezone.localdate(),
            note=reason.strip()[:200],
            actor=actor,
            request=request,
            source=source,
            fields=changed,
        )
    return person


# What an extract may change on a registered person (people.imports.monthly).
EXTRACT_FIELDS = CORRECTABLE_FIELDS | {
    "rt",
    "address",
    "family",
    "relationship",
    "father_nik",
    "father_name",
    "mother_nik",
    "mother_name",
    "birth_certificate_number",
    "blood_type",
    "identity_card",
    "citizenship",
    "schooling",
}


def apply_extract(
    person: Person,
    *,
    changes: dict[str, Any],
    actor: User | None,
    date: dt.date,
    note: str = "",
    source: str = "import",
) -> Person:
    """Apply what Dukcapil's extract changed for a resident: one life event, a
    move (``move_in``) when the RT changed, else a correction naming the fields.

    Only changes the platform did not make itself since the last extract reach
    here (``people.imports.monthly`` lists the others as conflicts).
    """
    unknown = set(changes) - EXTRACT_FIELDS
    if unknown:
        raise TypeError(f"Not a field an extract changes: {sorted(unknown)}")
    with transaction.atomic():
        person = _locked(person)
        for name, value in changes.items():
            setattr(person, name, value)
        person.save(update_fields=[*sorted(changes), "updated_at"])
        if "birth_date" in changes:
            LifeEvent.objects.filter(person=person, kind=LifeEvent.Kind.BIRTH).update(
                date=person.birth_date
            )
        record_life_event(
            person,
            kind=LifeEvent.Kind.MOVE_IN if "rt" in changes else LifeEvent.Kind.CORRECTION,
            date=date,
            note=note[:200],
            actor=actor,
            source=source,
            fields=sorted(changes),
        )
    return person
