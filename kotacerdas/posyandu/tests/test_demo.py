from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.posyandu.models import Measurement, Posyandu, Pregnancy

pytestmark = pytest.mark.django_db


def test_the_demo_has_posyandu_weighings_and_personas_who_can_use_them():
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    assert Posyandu.objects.count() == 22
    assert Measurement.objects.exists() and Pregnancy.objects.count() == 2
    count = Measurement.objects.count()
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    assert Measurement.objects.count() == count
    kejaksan = Posyandu.objects.get(unit__code="posyandu-3274011001-01")
    cadre = signed_in(User.objects.get(username="kader.kejaksan"))
    assert cadre.get(f"/posyandu/{kejaksan.pk}/").status_code == 200
    officer = signed_in(User.objects.get(username="gizi.pkm"))
    assert officer.get("/posyandu/peringatan/").status_code == 200
    assert officer.get(f"/posyandu/{kejaksan.pk}/").status_code == 200
