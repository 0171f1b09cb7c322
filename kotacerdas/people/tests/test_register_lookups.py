"""An RW operator does not learn from the register's refusals whether a NIK or
No. KK exists elsewhere in the city, and such look-ups are limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people.lookups import out_of_area_message, too_many_message
from kotacerdas.people.models import Family, ImportJob, Person
from kotacerdas.people.tests.test_import import row, workbook

PERSON_URL = "/penduduk/tambah/"
NEW_NIK = "3274014503180099"


def _person(rt, nik: str) -> dict[str, Any]:
    return {
        "nik": nik,
        "name": "Siti Aminah",
        "sex": "F",
        "birth_date": "2018-03-05",
        "birth_place": "Cirebon",
        "rt": rt(KEJAKSAN, 1, 1).pk,
        "address": "Jl. Kartini No. 3",
        "confirm": "on",
    }


def _id(message: Any) -> str:
    with translation.override("id"):
        return str(message())


@pytest.fixture
def two_lookups(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register_lookup": (2, 3600)}


def test_a_nik_in_the_operators_area_is_named_as_a_duplicate(rw_operator, rt, make_person):
    here = make_person(rt(KEJAKSAN, 1, 2))

    response = signed_in(rw_operator).post(PERSON_URL, _person(rt, here.nik))

    with translation.override("id"):
        assert response.context["form"].errors["nik"] == [
            translation.gettext("A person with this NIK is already in the register.")
        ]


def test_a_nik_elsewhere_gets_a_refusal_that_does_not_say_it_exists(rw_operator, rt, make_person):
    elsewhere = make_person(rt(HARJAMUKTI, 1, 1))

    response = signed_in(rw_operator).post(PERSON_URL, _person(rt, elsewhere.nik))

    assert response.context["form"].errors["nik"] == [_id(lambda: out_of_area_message("nik"))]
    assert Person.objects.count() == 1


def test_once_the_limit_is_used_up_a_new_nik_is_refused_like_one_elsewhere(
    rw_operator, rt, make_person, two_lookups
):
    client = signed_in(rw_operator)
    elsewhere = [make_person(rt(HARJAMUKTI, 1, 1)) for _ in range(3)]
    answers = [
        client.post(PERSON_URL, _person(rt, p.nik)).context["form"].errors["nik"] for p in elsewhere
    ]
    new = client.post(PERSON_URL, _person(rt, NEW_NIK)).context["form"].errors["nik"]

    out_of_area, too_many = _id(lambda: out_of_area_message("nik")), _id(too_many_message)
    assert answers == [[out_of_area], [out_of_area], [too_many]]
    assert new == [too_many]
    assert Person.objects.count() == 3


def test_a_kk_elsewhere_gets_the_same_refusal_when_registering_a_family(
    rw_operator, rt, make_family
):
    elsewhere = make_family(rt(HARJAMUKTI, 1, 1))
    here = make_family(rt(KEJAKSAN, 1, 1))
    client = signed_in(rw_operator)

    def post(kk: str) -> list[str]:
        data = {"kk_number": kk, "rt": rt(KEJAKSAN, 1, 2).pk, "address": "Gg. Mawar 2"}
        return (
            client.post(reverse("people:family-create"), data).context["form"].errors["kk_number"]
        )

    assert post(elsewhere.kk_number) == [_id(lambda: out_of_area_message("kk"))]
    with translation.override("id"):
        assert post(here.kk_number) == [
            translation.gettext("A family with this No. KK is already registered.")
        ]
    assert Family.objects.count() == 2


def test_an_import_says_the_same_for_a_nik_elsewhere_and_counts_the_look_ups(
    rw_operator, rt, make_person, two_lookups, django_capture_on_commit_callbacks
):
    from kotacerdas.people.tests.test_import import upload

    elsewhere = [make_person(rt(HARJAMUKTI, 1, 1)) for _ in range(3)]
    here = make_person(rt(KEJAKSAN, 1, 1))
    rows = [row(1, nik=p.nik) for p in [here, *elsewhere]] + [row(2)]
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(rw_operator), workbook(*rows))

    reasons = [entry["reason"] for entry in ImportJob.objects.get().rejected]
    with translation.override("en"):
        out_of_area, too_many = out_of_area_message("nik"), too_many_message()
    assert "already in the register" in reasons[0]
    assert reasons[1:] == [out_of_area, out_of_area, too_many, too_many]
    assert Person.objects.count() == 4


def test_an_operator_over_the_limit_still_edits_residents_of_the_area(
    kelurahan_officer, rt, make_person, settings
):
    from kotacerdas.people.lookups import count_lookup
    from kotacerdas.people.tests.test_person_edit import _data

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register_lookup": (1, 3600)}
    count_lookup(kelurahan_officer)
    count_lookup(kelurahan_officer)
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:person-edit", args=[person.pk])

    response = signed_in(kelurahan_officer).post(url, _data(person, occupation="Guru"))

    person.refresh_from_db()
    assert response.status_code == 302 and person.occupation == "Guru"
