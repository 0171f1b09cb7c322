"""Births writes the people register only through people.actions: the register's
own events and audit events are there, with births as their source."""

from __future__ import annotations

import datetime as dt

from kotacerdas.audit.models import AuditEvent
from kotacerdas.births import actions
from kotacerdas.births.models import Declaration
from kotacerdas.people.models import Family, LifeEvent

NEW_KK = "3274012004200001"


def test_a_birth_on_a_new_family_card_creates_the_family_through_the_register(
    make_declaration, registrar
):
    declaration = make_declaration(kk_number=NEW_KK, address="Jl. Pekiringan 3")
    declaration = actions.submit(declaration, request=None)
    declaration = actions.validate(declaration, actor=registrar, request=None)
    registered = actions.register(declaration, actor=registrar, request=None)
    family = Family.objects.get(kk_number=NEW_KK)
    assert registered.family == family and registered.child.family == family
    assert family.rt == declaration.rt and family.address == "Jl. Pekiringan 3"
    birth = AuditEvent.objects.get(action="person.birth")
    assert birth.object_id == str(registered.child_id)
    assert birth.details["source"] == "births" and birth.details["family_created"] is True
    event = LifeEvent.objects.get(person=registered.child)
    assert (event.source, event.note) == ("births", registered.reference)


def test_the_childs_nik_and_an_approved_correction_are_register_corrections(registered, registrar):
    actions.set_child_nik(registered, "3274016511260001", actor=registrar, request=None)
    nik = LifeEvent.objects.get(person=registered.child, kind=LifeEvent.Kind.CORRECTION)
    assert nik.source == "births" and registered.reference in nik.note
    correction = actions.request_correction(
        registered,
        {"birth_date": [registered.birth_date.isoformat(), "2026-11-20"]},
        "Tanggal salah tulis",
        request=None,
    )
    actions.decide_correction(correction, approve=True, note="", actor=registrar, request=None)
    child = Declaration.objects.get(pk=registered.pk).child
    assert child.birth_date == dt.date(2026, 11, 20)
    assert LifeEvent.objects.get(person=child, kind="birth").date == dt.date(2026, 11, 20)
    corrected = AuditEvent.objects.filter(action="person.correct").order_by("id")
    assert [e.details["fields"] for e in corrected] == [["nik"], ["birth_date"]]
    latest = LifeEvent.objects.filter(person=child, kind=LifeEvent.Kind.CORRECTION).first()
    assert latest is not None and latest.note == "Tanggal salah tulis"
