"""A parent linked to the register sees the registered birth of her or his child,
whoever declared it (people.access.persons_citizen_may_act_for)."""

from __future__ import annotations

from django.urls import reverse

from kotacerdas.births.access import declarations_for_citizen
from kotacerdas.births.tests.conftest import FATHER_NIK, citizen_client
from kotacerdas.people.models import Citizen, Person

FATHER_PHONE = "+6281300000007"


def _linked_father() -> Citizen:
    father = Person.objects.get(nik=FATHER_NIK)
    return Citizen.objects.create(phone=FATHER_PHONE, person=father)


def test_the_linked_father_sees_the_registered_birth_his_wife_declared(registered):
    father = _linked_father()
    assert list(declarations_for_citizen(father)) == [registered]
    page = citizen_client(father).get(reverse("births:detail", args=[registered.pk]))
    assert page.status_code == 200
    assert registered.akta_number in page.content.decode()


def test_before_registration_the_report_stays_with_whoever_declared_it(submitted):
    father = _linked_father()
    assert not declarations_for_citizen(father).exists()
    page = citizen_client(father).get(reverse("births:detail", args=[submitted.pk]))
    assert page.status_code == 404


def test_an_account_not_linked_to_the_register_sees_nothing_of_the_family(registered):
    stranger = Citizen.objects.create(phone=FATHER_PHONE)
    assert not declarations_for_citizen(stranger).exists()
    page = citizen_client(stranger).get(reverse("births:detail", args=[registered.pk]))
    assert page.status_code == 404
