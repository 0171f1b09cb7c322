"""The form-free register actions: what the register holds afterwards, the life
event, the audit event, and the refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kotacerdas.accounts.models import User
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people import actions
from kotacerdas.people.models import Family, LifeEvent, Person, Relationship
from kotacerdas.regions.models import RT

NEW_KK = "3274012004200001"
CHILD_NIK = "3274011503180099"


@pytest.fixture
def home(rt: Callable[[str, int, int], RT]) -> RT:
    return rt(KEJAKSAN, 1, 1)


@pytest.fixture
def clerk(rw_operator: User) -> User:
    return rw_operator


def _audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def _refused(code: str, call: Callable[[], Any]) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        call()
    error = refused.value
    found = (
        [e for errors in error.error_dict.values() for e in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    assert code in [e.code for e in found], found
    return error


# record_birth -------------------------------------------------------------------


def test_a_birth_on_an_existing_card_joins_the_family_with_one_event_and_one_audit(
    home: RT, make_family: Callable[..., Family], clerk: User
) -> None:
    family = make_family(home)
    child = actions.record_birth(
        kk_number=family.kk_number,
        name="  Dinda   Putri ",
        sex="F",
        birth_date=dt.date(2026, 10, 1),
        birth_place="Cirebon",
        actor=clerk,
        source="births",
        note="BRJ-ABC234",
    )
    child.refresh_from_db()
    assert child.family == family and child.relationship == Relationship.CHILD
    assert child.name == "Dinda Putri" and child.nik is None
    assert (child.rt, child.address, child.status) == (home, family.address, Person.Status.ALIVE)
    event = LifeEvent.objects.get(person=child)
    assert (event.kind, event.date, event.source, event.note, event.recorded_by) == (
        LifeEvent.Kind.BIRTH,
        dt.date(2026, 10, 1),
        "births",
        "BRJ-ABC234",
        clerk,
    )
    audit = _audit("person.birth")
    assert audit.object_id == str(child.pk) and audit.actor == clerk
    assert audit.details["family"] == family.pk and audit.details["family_created"] is False
    assert AuditEvent.objects.count() == 1


def test_a_birth_with_a_new_kk_creates_the_family_at_the_given_address(
    home: RT, clerk: User
) -> None:
    child = actions.record_birth(
        kk_number=NEW_KK,
        rt=home,
        address="Jl. Pekiringan 3",
        nik=CHILD_NIK,
        name="Raka",
        sex="M",
        birth_date=dt.date(2018, 3, 15),
        birth_place="Cirebon",
        actor=clerk,
    )
    family = Family.objects.get(kk_number=NEW_KK)
    assert (family.rt, family.address) == (home, "Jl. Pekiringan 3")
    assert child.family == family and child.nik == CHILD_NIK
    assert _audit("person.birth").details["family_created"] is True


def test_a_birth_without_an_address_for_a_new_kk_is_refused(clerk: User, city: Any) -> None:
    with translation.override("id"):
        refused = _refused(
            "address",
            lambda: actions.record_birth(
                kk_number=NEW_KK,
                name="Raka",
                sex="M",
                birth_date=dt.date(2026, 1, 1),
                birth_place="Cirebon",
                actor=clerk,
            ),
        )
        assert refused.messages == [translation.gettext("The family's address is missing.")]
    assert not Person.objects.exists() and not Family.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_birth_with_a_nik_already_in_the_register_is_refused(
    home: RT, make_person: Callable[..., Person], make_family: Callable[..., Family], clerk: User
) -> None:
    holder = make_person(home, nik=CHILD_NIK)
    family = make_family(home)
    _refused(
        "nik_taken",
        lambda: actions.record_birth(
            family=family,
            nik=CHILD_NIK,
            name="Raka",
            sex="M",
            birth_date=dt.date(2018, 3, 15),
            birth_place="Cirebon",
            actor=clerk,
        ),
    )
    assert list(Person.objects.all()) == [holder]
    assert not LifeEvent.objects.exists()


def test_a_birth_in_the_future_is_refused(home: RT, make_family: Callable, clerk: User) -> None:
    _refused(
        "future",
        lambda: actions.record_birth(
            family=make_family(home),
            name="Raka",
            sex="M",
            birth_date=timezone.localdate() + dt.timedelta(days=1),
            birth_place="Cirebon",
            actor=clerk,
        ),
    )
    assert not Person.objects.exists()


# record_death, record_move_out -------------------------------------------------------


def test_a_death_sets_the_status_with_its_event_and_audit(
    home: RT, make_person: Callable[..., Person], clerk: User
) -> None:
    person = make_person(home)
    dead = actions.record_death(person, date=dt.date(2026, 11, 1), actor=clerk)
    assert Person.objects.get(pk=person.pk).status == Person.Status.DEAD == dead.status
    assert LifeEvent.objects.get(person=person).kind == LifeEvent.Kind.DEATH
    assert _audit("person.death").details["date"] == "2026-11-01"


def test_a_second_death_and_a_date_before_birth_are_refused(
    home: RT, make_person: Callable[..., Person], clerk: User
) -> None:
    person = make_person(home, birth_date=dt.date(2018, 3, 5))
    _refused(
        "before_birth", lambda: actions.record_death(person, date=dt.date(2018, 1, 1), actor=clerk)
    )
    actions.record_death(person, date=dt.date(2026, 11, 1), actor=clerk)
    _refused(
        "not_resident", lambda: actions.record_death(person, date=dt.date(2026, 11, 2), actor=clerk)
    )
    assert LifeEvent.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(action="person.death").count() == 1


def test_a_move_out_marks_the_person_moved(
    home: RT, make_person: Callable[..., Person], clerk: User
) -> None:
    person = make_person(home)
    actions.record_move_out(person, date=dt.date(2026, 6, 1), note="Bandung", actor=clerk)
    person.refresh_from_db()
    assert person.status == Person.Status.MOVED
    event = LifeEvent.objects.get(person=person)
    assert (event.kind, event.note) == (LifeEvent.Kind.MOVE_OUT, "Bandung")
    assert _audit("person.move_out").object_id == str(person.pk)
    future = timezone.localdate() + dt.timedelta(days=3)
    _refused("not_resident", lambda: actions.record_move_out(person, date=future, actor=clerk))


# record_move_in ------------------------------------------------------------------------


def test_someone_who_moved_away_comes_back_onto_a_family_card(
    rt: Callable[[str, int, int], RT],
    make_person: Callable[..., Person],
    make_family: Callable[..., Family],
    clerk: User,
) -> None:
    person = make_person(rt(KEJAKSAN, 1, 1), status=Person.Status.MOVED)
    family = make_family(rt(HARJAMUKTI, 1, 2))
    back = actions.record_move_in(
        person, date=dt.date(2026, 9, 1), family=family, relationship="3", actor=clerk
    )
    back.refresh_from_db()
    assert (back.status, back.family, back.relationship) == (
        Person.Status.ALIVE,
        family,
        Relationship.WIFE,
    )
    assert (back.rt, back.address) == (family.rt, family.address)
    assert LifeEvent.objects.get(person=person).kind == LifeEvent.Kind.MOVE_IN
    assert _audit("person.move_in").details["family"] == family.pk


def test_a_new_resident_moves_in_with_a_nik(home: RT, clerk: User) -> None:
    person = actions.record_move_in(
        new={
            "nik": CHILD_NIK,
            "name": "Budi",
            "sex": "M",
            "birth_date": dt.date(2018, 3, 15),
            "birth_place": "Bandung",
        },
        rt=home,
        address="Jl. Kalibaru 7",
        date=dt.date(2026, 9, 1),
        actor=clerk,
    )
    person.refresh_from_db()
    assert (person.nik, person.rt, person.address, person.status) == (
        CHILD_NIK,
        home,
        "Jl. Kalibaru 7",
        Person.Status.ALIVE,
    )
    assert LifeEvent.objects.get(person=person).kind == LifeEvent.Kind.MOVE_IN
    assert AuditEvent.objects.filter(action="person.move_in").count() == 1


def test_moving_in_is_refused_without_a_nik_for_the_dead_and_to_the_same_rt(
    home: RT, make_person: Callable[..., Person], clerk: User
) -> None:
    fields = {"name": "Budi", "sex": "M", "birth_date": dt.date(2018, 3, 15), "birth_place": "X"}
    _refused(
        "nik",
        lambda: actions.record_move_in(
            new=fields, rt=home, address="Jl. A", date=dt.date(2026, 1, 1), actor=clerk
        ),
    )
    here = make_person(home)
    _refused(
        "same",
        lambda: actions.record_move_in(
            here, rt=home, address="Jl. B", date=dt.date(2026, 1, 1), actor=clerk
        ),
    )
    dead = make_person(home, status=Person.Status.DEAD)
    _refused(
        "dead",
        lambda: actions.record_move_in(
            dead, rt=home, address="Jl. B", date=dt.date(2026, 1, 1), actor=clerk
        ),
    )
    assert Person.objects.count() == 2 and not LifeEvent.objects.exists()


# add_to_family -------------------------------------------------------------------------


def test_a_resident_joins_a_family_card_and_its_address(
    rt: Callable[[str, int, int], RT],
    make_person: Callable[..., Person],
    make_family: Callable[..., Family],
    clerk: User,
) -> None:
    person = make_person(rt(KEJAKSAN, 1, 1))
    family = make_family(rt(KEJAKSAN, 2, 1))
    joined = actions.add_to_family(person, family=family, relationship="3", actor=clerk)
    joined.refresh_from_db()
    assert (joined.family, joined.relationship, joined.rt) == (family, "3", family.rt)
    event = LifeEvent.objects.get(person=person)
    assert (event.kind, event.date) == (LifeEvent.Kind.FAMILY, timezone.localdate())
    audit = _audit("person.family")
    assert audit.details["family"] == family.pk and audit.details["previous_family"] is None
    _refused(
        "same", lambda: actions.add_to_family(person, family=family, relationship="3", actor=clerk)
    )
    _refused(
        "relationship",
        lambda: actions.add_to_family(person, family=family, relationship="99", actor=clerk),
    )
    assert LifeEvent.objects.filter(person=person).count() == 1


# correct_person ------------------------------------------------------------------------


def test_a_correction_changes_the_fields_and_moves_the_birth_event(
    home: RT, make_family: Callable[..., Family], clerk: User
) -> None:
    child = actions.record_birth(
        family=make_family(home),
        name="Dinda",
        sex="F",
        birth_date=dt.date(2026, 10, 1),
        birth_place="Cirebon",
        actor=clerk,
    )
    corrected = actions.correct_person(
        child,
        changes={"name": "Dinda Aulia", "birth_date": dt.date(2026, 9, 30), "sex": "F"},
        reason="Salah ketik di surat bidan",
        actor=clerk,
    )
    corrected.refresh_from_db()
    assert (corrected.name, corrected.birth_date) == ("Dinda Aulia", dt.date(2026, 9, 30))
    assert LifeEvent.objects.get(person=child, kind="birth").date == dt.date(2026, 9, 30)
    event = LifeEvent.objects.get(person=child, kind=LifeEvent.Kind.CORRECTION)
    assert event.note == "Salah ketik di surat bidan"
    assert _audit("person.correct").details["fields"] == ["birth_date", "name"]


def test_a_correction_is_refused_without_reason_change_or_with_a_taken_nik(
    home: RT, make_person: Callable[..., Person], clerk: User
) -> None:
    person = make_person(home, name="Siti")
    other = make_person(home, name="Wati")

    def correct(changes: dict[str, Any], reason: str = "KTP") -> Any:
        return lambda: actions.correct_person(person, changes=changes, reason=reason, actor=clerk)

    _refused("reason", correct({"name": "Sitti"}, reason=" "))
    _refused("unchanged", correct({"name": "Siti"}))
    _refused("field", correct({"status": "dead"}))
    _refused("nik_taken", correct({"nik": other.nik}))
    _refused("invalid_choice", correct({"sex": "X"}))
    person.refresh_from_db()
    assert person.name == "Siti" and person.nik != other.nik and person.sex == "F"
    assert not LifeEvent.objects.exists() and not AuditEvent.objects.exists()
