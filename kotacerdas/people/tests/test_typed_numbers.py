"""A NIK, No. KK or phone number typed in groups (spaces, dots, dashes) is the number."""

from __future__ import annotations

import pytest

from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.core.inputs import is_digits, strip_separators
from kotacerdas.people.models import Family, Person

TYPED_NIK = "3274-0145.0318 0002"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("3274 0141 0892 0001", "3274014108920001"),
        ("3274.0141.0892.0001", "3274014108920001"),
        ("3274-0141-0892-0001", "3274014108920001"),
        (" 3274014108920001\t", "3274014108920001"),
        ("3274 O141", "3274O141"),  # a letter stays, for the check to name it
    ],
)
def test_separators_are_dropped_and_nothing_else(typed, number):
    assert strip_separators(typed) == number


def test_only_ascii_digits_are_digits():
    assert is_digits("3274014108920001", 16)
    assert not is_digits("²")
    assert not is_digits("١٢٣")
    assert not is_digits("327401410892000", 16)


def test_a_resident_typed_with_separators_is_stored_as_digits(rw_operator, rt, make_family):
    family = make_family(rt(KEJAKSAN, 1, 1))
    kk = family.kk_number
    response = signed_in(rw_operator).post(
        "/penduduk/tambah/",
        {
            "nik": TYPED_NIK,
            "kk_number": f"{kk[:4]}.{kk[4:8]}.{kk[8:12]}-{kk[12:]}",
            "relationship": "4",
            "name": "Siti Aminah",
            "sex": "F",
            "birth_date": "2018-03-05",
            "birth_place": "Cirebon",
            "rt": rt(KEJAKSAN, 1, 1).pk,
            "address": "Jl. Kartini No. 3",
            "phone": "+62 812.2345.6789",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert person.nik == "3274014503180002"
    assert person.family == family
    assert person.phone == "+6281223456789"


def test_the_form_leaves_room_for_the_separators(rw_operator, city):
    page = signed_in(rw_operator).get("/penduduk/tambah/").content.decode()

    for name in ("nik", "kk_number", "phone"):
        assert f'name="{name}" maxlength="32"' in page


def test_a_family_card_typed_with_dots_is_registered(rw_operator, rt):
    response = signed_in(rw_operator).post(
        "/keluarga/tambah/",
        {"kk_number": "3274.0112.0315.0001", "rt": rt(KEJAKSAN, 1, 2).pk, "address": "Gg. Mawar"},
    )

    assert response.status_code == 302
    assert Family.objects.get().kk_number == "3274011203150001"


def test_the_register_is_searched_by_a_nik_typed_in_groups(rw_operator, rt, make_person):
    person = make_person(rt(KEJAKSAN, 1, 1), name="Siti Aminah", nik="3274014503180002")
    make_person(rt(KEJAKSAN, 1, 1), name="Budi", nik="3274019907800001")

    response = signed_in(rw_operator).post("/penduduk/", {"q": "3274.0145 0318"})

    assert [p.pk for p in response.context["people"]] == [person.pk]
