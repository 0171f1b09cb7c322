"""Births → E-Posyandu: a registered baby is at once a child of the family's posyandu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts.models import Unit
from kotacerdas.births.tests.conftest import MOTHER_NIK
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people.models import Person
from kotacerdas.posyandu import children, immunisation
from kotacerdas.posyandu.models import Posyandu
from kotacerdas.posyandu.roles import PosyanduRole
from kotacerdas.regions.models import RW


def _posyandu(kelurahan: str, code: str) -> Posyandu:
    rw = RW.objects.get(kelurahan_id=kelurahan, number=1)
    unit = Unit.objects.create(kind="posyandu", code=code, name=code, rw=rw)
    return Posyandu.objects.create(unit=unit, name=f"Posyandu {code}", rw=rw, opening_day=10)


def test_a_registered_baby_shows_in_the_posyandu_of_the_family_rw(
    registered, make_member: Any, rt: Any
):
    rt(HARJAMUKTI, 1, 1)
    posyandu = _posyandu(KEJAKSAN, "posyandu-kejaksan-01")
    elsewhere = _posyandu(HARJAMUKTI, "posyandu-harjamukti-01")
    cadre = make_member("kader", PosyanduRole.POSYANDU_CADRE, posyandu.unit)
    other_cadre = make_member("kader2", PosyanduRole.POSYANDU_CADRE, elsewhere.unit)
    child = registered.child
    assert child.rt.rw_id == posyandu.rw_id

    day = signed_in(cadre).get(reverse("posyandu:day", args=[posyandu.pk]))
    assert day.status_code == 200
    assert child in day.context["waiting"]
    # The immunisation schedule starts from the birth date: HB-0 is due today
    # (whether it is still due on the next posyandu day depends on the calendar).
    due_today = immunisation.due_by_child([child], timezone.localdate())[child.pk]
    assert "HB0" in [status.dose.antigen for status in due_today]
    # The parents come from the family card the baby joined.
    parents = children.parents_of(child)
    assert parents.mother == Person.objects.get(nik=MOTHER_NIK)
    # Another RW's posyandu does not see the baby.
    assert signed_in(other_cadre).get(reverse("posyandu:child", args=[child.pk])).status_code == 404
    assert signed_in(cadre).get(reverse("posyandu:child", args=[child.pk])).status_code == 200
