from __future__ import annotations

from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people.models import Person

URL = "/penduduk/tambah/"


def _form(rt, **overrides):
    data = {
        "nik": "3274014503180002",
        "name": "  Siti   Aminah ",
        "sex": "F",
        "birth_date": "2018-03-05",
        "birth_place": "Cirebon",
        "rt": rt.pk,
        "address": "Jl. Kartini No. 3",
        "phone": "0812-2345-6789",
    }
    data.update(overrides)
    return data


def test_an_rw_operator_adds_a_resident(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1)))

    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:person-detail", args=[person.pk])
    assert person.name == "Siti Aminah"
    assert person.phone == "+6281223456789"
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()


def test_a_bad_nik_is_refused_with_a_message_and_nothing_is_saved(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1), nik="32740145031800"))

    assert response.status_code == 200
    assert "16" in response.context["form"].errors["nik"][0]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_form_page_is_indonesian_by_default(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1), nik="32740145031800"))

    assert "harus" in response.context["form"].errors["nik"][0]


def test_a_newborn_may_have_no_nik_yet(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1), nik=""))

    assert response.status_code == 302
    assert Person.objects.get().nik is None


def test_a_nik_that_disagrees_with_the_birth_date_needs_confirmation(rw_operator, rt):
    client = signed_in(rw_operator)
    data = _form(rt(KEJAKSAN, 1, 1), birth_date="2018-03-06")

    first = client.post(URL, data)
    second = client.post(URL, {**data, "confirm": "on"})

    assert first.status_code == 200
    assert first.context["form"].warnings
    assert second.status_code == 302
    assert Person.objects.count() == 1


def test_a_possible_duplicate_is_shown_before_saving(rw_operator, rt, make_person):
    make_person(rt(HARJAMUKTI, 1, 1), name="Siti Aminah", nik="3274034503180009")
    client = signed_in(rw_operator)

    response = client.post(URL, _form(rt(KEJAKSAN, 1, 1)))

    assert response.status_code == 200
    # Someone of another kelurahan: counted, never shown (not even where they live).
    assert response.context["form"].duplicates == []
    assert response.context["form"].duplicates_elsewhere == 1
    assert "3274034503180009" not in response.text
    assert "Harjamukti" not in response.text
    assert Person.objects.count() == 1


def test_a_possible_duplicate_in_the_area_is_shown(rw_operator, rt, make_person):
    make_person(rt(KEJAKSAN, 1, 2), name="Siti Aminah", nik="3274014503180019")

    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1)))

    assert [p.name for p in response.context["form"].duplicates] == ["Siti Aminah"]
    assert "3274••••••••0019" in response.text


def test_a_nik_already_in_the_register_is_refused(rw_operator, rt, make_person):
    other = make_person(rt(HARJAMUKTI, 1, 1), name="Someone Else")

    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1), nik=other.nik))

    assert "nik" in response.context["form"].errors
    assert Person.objects.count() == 1


def test_an_operator_cannot_place_a_resident_in_another_rw(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 2, 1)))

    assert "rt" in response.context["form"].errors
    assert not Person.objects.exists()


def test_a_bad_phone_number_is_named(rw_operator, rt):
    response = signed_in(rw_operator).post(URL, _form(rt(KEJAKSAN, 1, 1), phone="12345"))

    assert "phone" in response.context["form"].errors


def test_a_read_only_viewer_gets_403(viewer, city):
    assert signed_in(viewer).get(URL).status_code == 403


def test_a_member_of_no_unit_gets_403(outsider, city):
    assert signed_in(outsider).get(URL).status_code == 403


def test_joining_a_family_by_its_kk_number(rw_operator, rt, make_family):
    family = make_family(rt(KEJAKSAN, 1, 1))

    response = signed_in(rw_operator).post(
        URL, _form(rt(KEJAKSAN, 1, 1), kk_number=family.kk_number, relationship="4")
    )

    assert response.status_code == 302
    assert Person.objects.get().family == family


def test_a_family_outside_the_area_cannot_be_joined(rw_operator, rt, make_family):
    family = make_family(rt(HARJAMUKTI, 1, 1))

    response = signed_in(rw_operator).post(
        URL, _form(rt(KEJAKSAN, 1, 1), kk_number=family.kk_number, relationship="4")
    )

    assert "kk_number" in response.context["form"].errors


def test_the_family_link_prefills_the_form_and_is_scoped(
    rw_operator, other_rw_operator, rt, make_family
):
    family = make_family(rt(KEJAKSAN, 1, 1))

    mine = signed_in(rw_operator).get(f"{URL}?family={family.pk}")
    theirs = signed_in(other_rw_operator).get(f"{URL}?family={family.pk}")

    assert mine.context["form"].initial["kk_number"] == family.kk_number
    assert theirs.status_code == 404
