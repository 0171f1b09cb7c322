from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.accounts.models import Membership, User
from kotacerdas.people.identity import check_nik
from kotacerdas.people.models import Family, Person
from kotacerdas.regions.models import RT, RW


def test_the_small_demo_city_can_be_clicked_through(db):
    out = io.StringIO()
    call_command("demo", "--scale", "small", stdout=out)

    assert RW.objects.count() == 247
    assert 1300 <= RT.objects.count() <= 1400
    assert Person.objects.filter(rt__rw__kelurahan_id="32.74.01.1001", rt__rw__number=1).exists()
    assert Person.objects.filter(rt__rw__kelurahan_id="32.74.03.1002", rt__rw__number=1).exists()
    assert Family.objects.exists()
    for username in [
        "admin",
        "dukcapil",
        "kel.kejaksan",
        "rw01.kejaksan",
        "rw01.harjamukti",
        "sms.dkis",
        "ppa.petugas",
        "ppa.kepala",
        "guru.sdn1",
        "camat.kejaksan",
        "bidan.kejaksan",
    ]:
        assert username in out.getvalue()
        assert User.objects.get(username=username).check_password("cirebon-demo")
    # One membership per persona printed (the floor's and each service's own).
    sign_ins = out.getvalue().split("Demo sign-ins", 1)[1].splitlines()[1:-1]
    personas = {line.split()[0] for line in sign_ins}
    assert Membership.objects.count() == len(personas) == len(sign_ins) == 25


def test_demo_niks_agree_with_birth_date_and_sex(db):
    call_command("demo", "--scale", "small", stdout=io.StringIO())

    people = list(Person.objects.exclude(nik=None))
    assert len(people) > 100
    for person in people:
        check = check_nik(person.nik)
        assert check.valid, (person.nik, check.errors)
        assert (check.birth_date, check.sex) == (person.birth_date, person.sex)


def test_running_the_demo_twice_adds_nothing(db):
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    count = Person.objects.count()

    call_command("demo", "--scale", "small", stdout=io.StringIO())

    assert Person.objects.count() == count


def test_demo_ages_cover_children_and_elders(db):
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    today = dt.date.today()
    ages = [(today - p.birth_date).days // 365 for p in Person.objects.all()]

    assert min(ages) < 5
    assert max(ages) > 60
    assert sum(1 for age in ages if age < 15) > len(ages) * 0.15


def test_the_demo_refuses_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never"):
        call_command("demo", stdout=io.StringIO())
    assert not Person.objects.exists()


def test_an_older_demo_database_gains_the_units_added_since(db):
    from kotacerdas.accounts.models import Unit

    call_command("demo", "--scale", "small", stdout=io.StringIO())
    Membership.objects.filter(unit__code="sdn-kejaksan-1").delete()
    Unit.objects.filter(code="sdn-kejaksan-1").delete()

    call_command("demo", "--scale", "small", stdout=io.StringIO())

    assert Unit.objects.filter(code="sdn-kejaksan-1").exists()
    assert Membership.objects.filter(user__username="guru.sdn1").exists()
