"""link_citizen: a citizen's account is linked to the register by NIK and the same number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN
from kotacerdas.people.actions import link_citizen
from kotacerdas.people.models import Citizen, Person
from kotacerdas.regions.models import RT

PHONE = "+6281234567890"


def _nik(person: Person) -> str:
    assert person.nik is not None
    return person.nik


@pytest.fixture
def siti(rt: Callable[[str, int, int], RT], make_person: Callable[..., Person]) -> Person:
    return make_person(rt(KEJAKSAN, 1, 1), name="Siti", phone=PHONE)


def _codes(call: Callable[[], Any]) -> list[str | None]:
    with pytest.raises(ValidationError) as refused:
        call()
    return [e.code for e in refused.value.error_list]


def test_the_nik_of_the_resident_with_the_accounts_number_links_the_account(
    siti: Person,
) -> None:
    citizen = Citizen.objects.create(phone=PHONE)
    assert link_citizen(citizen, f" {_nik(siti)} ", request=None) == siti
    assert Citizen.objects.get(pk=citizen.pk).person == siti
    audit = AuditEvent.objects.get(action="citizen.link")
    assert audit.object_id == str(citizen.pk) and audit.details["person"] == siti.pk


def test_a_wrong_nik_or_another_number_links_nothing_and_is_audited(siti: Person) -> None:
    stranger = Citizen.objects.create(phone="+6281300000000")
    assert _codes(lambda: link_citizen(stranger, _nik(siti), request=None)) == ["no_match"]
    owner = Citizen.objects.create(phone=PHONE)
    assert _codes(lambda: link_citizen(owner, "3274014503189999", request=None)) == ["no_match"]
    assert not Citizen.objects.filter(person__isnull=False).exists()
    assert AuditEvent.objects.filter(action="citizen.link_failed").count() == 2


def test_a_resident_no_longer_living_here_cannot_be_linked(siti: Person) -> None:
    Person.objects.filter(pk=siti.pk).update(status=Person.Status.DEAD)
    citizen = Citizen.objects.create(phone=PHONE)
    assert _codes(lambda: link_citizen(citizen, _nik(siti), request=None)) == ["no_match"]


def test_tries_are_limited_per_account_even_for_the_right_nik(siti: Person, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_link": (2, 3600)}
    citizen = Citizen.objects.create(phone=PHONE)
    for wrong in ("3274014503189998", "3274014503189999"):
        assert _codes(lambda: link_citizen(citizen, wrong, request=None)) == ["no_match"]  # noqa: B023
    assert _codes(lambda: link_citizen(citizen, _nik(siti), request=None)) == ["too_many"]
    assert Citizen.objects.get(pk=citizen.pk).person is None
    # Another account is counted apart.
    other = Citizen.objects.create(phone="+6281300000001")
    assert _codes(lambda: link_citizen(other, _nik(siti), request=None)) == ["no_match"]


def test_an_account_linked_to_someone_stays_with_them(
    siti: Person, rt: Callable[[str, int, int], RT], make_person: Callable[..., Person]
) -> None:
    sister = make_person(rt(KEJAKSAN, 1, 1), name="Wati", phone=PHONE)
    citizen = Citizen.objects.create(phone=PHONE, person=siti)
    assert _codes(lambda: link_citizen(citizen, _nik(sister), request=None)) == ["linked"]
    assert Citizen.objects.get(pk=citizen.pk).person == siti
    assert link_citizen(citizen, _nik(siti), request=None) == siti
