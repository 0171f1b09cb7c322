"""persons_citizen_may_act_for: self and own children under 18, from the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.people.access import (
    CITIZEN_SESSION_KEY,
    current_citizen,
    persons_citizen_may_act_for,
)
from kotacerdas.people.models import Citizen, Family, Person, Relationship
from kotacerdas.people.relations import years_before
from kotacerdas.regions.models import RT


@pytest.fixture
def card(
    rt: Callable[[str, int, int], RT],
    make_person: Callable[..., Person],
    make_family: Callable[..., Family],
) -> dict[str, Person]:
    """Grandparents' family card: their daughter lives on it with her husband and children."""
    home = rt(KEJAKSAN, 1, 1)
    family = make_family(home)

    def member(key: str, relationship: str, born: dt.date, sex: str = "F", **more: Any) -> Person:
        return make_person(
            home, key, family=family, relationship=relationship, birth_date=born, sex=sex, **more
        )

    return {
        "grandfather": member("grandfather", Relationship.HEAD, dt.date(1960, 1, 1), "M"),
        "grandmother": member("grandmother", Relationship.WIFE, dt.date(1962, 1, 1)),
        "mother": member("mother", Relationship.CHILD, dt.date(1990, 1, 1)),
        "father": member("father", Relationship.CHILD_IN_LAW, dt.date(1989, 1, 1), "M"),
        "baby": member("baby", Relationship.GRANDCHILD, dt.date(2025, 1, 1)),
        "boy": member("boy", Relationship.GRANDCHILD, dt.date(2012, 6, 1), "M"),
        "late": member(
            "late", Relationship.GRANDCHILD, dt.date(2015, 1, 1), status=Person.Status.DEAD
        ),
    }


def _names(citizen: Citizen) -> set[str]:
    return set(persons_citizen_may_act_for(citizen).values_list("name", flat=True))


def test_a_linked_mother_acts_for_herself_and_her_living_children(card: dict) -> None:
    citizen = Citizen.objects.create(phone="+6281234567890", person=card["mother"])
    assert _names(citizen) == {"mother", "baby", "boy"}


def test_the_father_on_the_card_acts_for_the_same_children(card: dict) -> None:
    citizen = Citizen.objects.create(phone="+6281234567890", person=card["father"])
    assert _names(citizen) == {"father", "baby", "boy"}


def test_grandparents_act_for_their_children_under_18_only(card: dict) -> None:
    """Their daughter (35) is of age: she acts for herself; her children are hers."""
    citizen = Citizen.objects.create(phone="+6281234567890", person=card["grandmother"])
    assert _names(citizen) == {"grandmother"}


def test_a_child_turning_18_today_is_no_longer_acted_for(card: dict) -> None:
    boy = card["boy"]
    eighteen_today = years_before(timezone.localdate(), 18)
    Person.objects.filter(pk=boy.pk).update(birth_date=eighteen_today)
    citizen = Citizen.objects.create(phone="+6281234567890", person=card["mother"])
    assert "boy" not in _names(citizen)
    Person.objects.filter(pk=boy.pk).update(birth_date=eighteen_today + dt.timedelta(days=1))
    assert "boy" in _names(citizen)


def test_nobody_for_an_unlinked_account_or_a_person_no_longer_living_here(
    card: dict, rt: Callable[[str, int, int], RT], make_person: Callable[..., Person]
) -> None:
    assert _names(Citizen.objects.create(phone="+6281234567890")) == set()
    Person.objects.filter(pk=card["mother"].pk).update(status=Person.Status.MOVED)
    moved = Citizen.objects.create(phone="+6281234567891", person=card["mother"])
    assert _names(moved) == set()
    alone = make_person(rt(KEJAKSAN, 1, 2), "alone")
    assert _names(Citizen.objects.create(phone="+6281234567892", person=alone)) == {"alone"}


def test_current_citizen_reads_the_session(db: Any) -> None:
    citizen = Citizen.objects.create(phone="+6281234567890")
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    assert current_citizen(request) is None
    request.session[CITIZEN_SESSION_KEY] = citizen.pk
    assert current_citizen(request) == citizen
