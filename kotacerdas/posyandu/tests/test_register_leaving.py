"""A death or move out recorded in the register closes what E-Posyandu has open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kotacerdas.people.actions import record_death, record_move_out
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import Alert, Pregnancy
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def test_a_death_closes_the_childs_open_alerts_in_the_same_transaction(
    cadre, posyandu, make_child, kelurahan_officer
):
    child = make_child("Aisyah Putri")
    measurement = {"date": months_ago(0, 1), "weight": Decimal("6.3"), "lenhei": Decimal("68")}
    actions.record_measurement(
        child, posyandu, {**measurement, "measure": "l"}, user=cadre, confirmed=True
    )
    assert Alert.objects.filter(handled_at=None).exists()

    record_death(child, date=months_ago(0, 1), actor=kelurahan_officer)

    assert not Alert.objects.filter(handled_at=None).exists()
    alert = Alert.objects.first()
    assert alert.handled_by == kelurahan_officer
    assert alert.handled_note == "Ditutup: daftar penduduk mencatat kematian."


def test_a_move_out_ends_an_open_pregnancy(cadre, posyandu, make_person, rt, kelurahan_officer):
    from kotacerdas.conftest import KEJAKSAN

    woman = make_person(rt(KEJAKSAN, 1, 1), "Nur Aini", birth_date=dt.date(1995, 1, 1))
    pregnancy = Pregnancy.objects.create(
        woman=woman, posyandu=posyandu, edd=dt.date(2027, 3, 1), recorded_by=cadre
    )
    moved = dt.date(2026, 11, 20)

    record_move_out(woman, date=moved, actor=kelurahan_officer, note="Ke Kuningan")

    pregnancy.refresh_from_db()
    assert pregnancy.ended_on == moved
