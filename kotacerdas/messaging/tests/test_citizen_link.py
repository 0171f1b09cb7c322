"""The citizen's account page links the account to the register by NIK."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen, Family, Person, Relationship
from kotacerdas.regions.models import RT

PHONE = "+6281234567890"
HOME = reverse("messaging:citizen-home")


def _signed_in(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return client


def test_a_citizen_links_the_account_and_sees_whom_it_acts_for(
    rt: Callable[[str, int, int], RT],
    make_person: Callable[..., Person],
    make_family: Callable[..., Family],
) -> None:
    home = rt(KEJAKSAN, 1, 1)
    family = make_family(home)
    father = make_person(
        home,
        "Pak Budi",
        sex="M",
        birth_date=dt.date(1988, 1, 1),
        phone=PHONE,
        family=family,
        relationship=Relationship.HEAD,
    )
    make_person(home, "Dinda", family=family, relationship=Relationship.CHILD)
    citizen = Citizen.objects.create(phone=PHONE)
    client = _signed_in(citizen)
    page = client.get(HOME)
    assert page.status_code == 200 and page.context["form"] is not None
    assert "Dinda" not in page.content.decode()

    wrong = client.post(HOME, {"nik": "3274014503189999"}, HTTP_ACCEPT_LANGUAGE="id")
    assert wrong.status_code == 400
    with translation.override("id"):
        refusal = translation.gettext(
            "No one with this NIK and your mobile number is in the register. Check the "
            "NIK, or ask your RW or posyandu cadre to write your number in the register."
        )
    assert refusal in wrong.content.decode()
    assert Citizen.objects.get(pk=citizen.pk).person is None

    linked = client.post(HOME, {"nik": father.nik})
    assert linked.status_code == 302
    assert Citizen.objects.get(pk=citizen.pk).person == father
    page = client.get(HOME)
    assert page.context["form"] is None
    assert [p.name for p in page.context["acting_for"]] == ["Pak Budi", "Dinda"]
    assert "no-store" in page["Cache-Control"]


def test_a_nik_that_is_not_16_digits_is_refused_before_any_try(db: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_link": (1, 3600)}
    citizen = Citizen.objects.create(phone=PHONE)
    client = _signed_in(citizen)
    assert client.post(HOME, {"nik": "12345"}).status_code == 400
    # The malformed NIK used no try: a real one is still checked.
    client.cookies["django_language"] = "en"
    page = client.post(HOME, {"nik": "3274014503189999"})
    assert "No one with this NIK" in page.content.decode()
