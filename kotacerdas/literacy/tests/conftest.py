"""Cirebon Melet personas: DKIS WiFi officer (the city), a WiFi officer of Kelurahan
Kejaksan, a read-only DKIS member; points in Kejaksan and Harjamukti; two class trainers,
a class of each (Kejaksan, tomorrow, two seats; Harjamukti), a signed-in citizen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.literacy.models import ClassSession, Point, Question, Quiz
from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen


@pytest.fixture
def dkis(city: Any) -> Unit:
    return Unit.objects.create(kind="agency", code="dkis", name="DKIS", region_id="32.74")


@pytest.fixture
def wifi_officer(make_member: Callable[..., User], dkis: Unit) -> User:
    return make_member("wifi", LiteracyRole.WIFI_OFFICER, dkis)


@pytest.fixture
def kejaksan_wifi_officer(make_member: Callable[..., User], city: Any) -> User:
    unit = Unit.objects.create(kind="kelurahan", code="kel-kjs", name="Kel", region_id=KEJAKSAN)
    return make_member("wifikjs", LiteracyRole.WIFI_OFFICER, unit)


@pytest.fixture
def dkis_viewer(make_member: Callable[..., User], dkis: Unit) -> User:
    return make_member("dkisview", Role.VIEWER, dkis)


def make_point(code: str, kelurahan: str, **fields: Any) -> Point:
    defaults: dict[str, Any] = {
        "name": f"Kantor Kelurahan {code}",
        "kind": Point.Kind.KELURAHAN_OFFICE,
        "kelurahan_id": kelurahan,
        "latitude": Decimal("-6.706"),
        "longitude": Decimal("108.557"),
        "ssid": "Cirebon-Melet",
    }
    return Point.objects.create(code=code, **{**defaults, **fields})


@pytest.fixture
def point(city: Any) -> Point:
    return make_point("KJS01", KEJAKSAN, nas_id="10.10.1.1")


@pytest.fixture
def other_point(city: Any) -> Point:
    return make_point("HRJ01", HARJAMUKTI, nas_id="10.10.2.1")


# --- Classes ---------------------------------------------------------------


@pytest.fixture
def trainer(make_member: Callable[..., User], dkis: Unit) -> User:
    return make_member("relawan", LiteracyRole.CLASS_TRAINER, dkis)


@pytest.fixture
def other_trainer(make_member: Callable[..., User], dkis: Unit) -> User:
    return make_member("relawan2", LiteracyRole.CLASS_TRAINER, dkis)


def make_class(trainer: User | None = None, **fields: Any) -> ClassSession:
    start = timezone.now() + dt.timedelta(days=1)
    defaults: dict[str, Any] = {
        "topic": "Aman bertransaksi digital",
        "pillars": ["aman", "cakap"],
        "place": "Aula Kelurahan Kejaksan",
        "kelurahan_id": KEJAKSAN,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "capacity": 2,
        "audience": ClassSession.Audience.COMMUNITY,
        "trainer": trainer,
    }
    return ClassSession.objects.create(**{**defaults, **fields})


@pytest.fixture
def session(trainer: User) -> ClassSession:
    return make_class(trainer)


@pytest.fixture
def other_session(other_trainer: User) -> ClassSession:
    return make_class(other_trainer, topic="Cek fakta", kelurahan_id=HARJAMUKTI)


def citizen_client(phone: str = "+6281234567890") -> tuple[Client, Citizen]:
    citizen, _ = Citizen.objects.get_or_create(phone=phone)
    client = Client()
    store = client.session
    store[CITIZEN_SESSION_KEY] = citizen.pk
    store.save()
    return client, citizen


def make_quiz(pillar: str, kind: str, answers: tuple[int, ...] = (1, 2)) -> Quiz:
    quiz = Quiz.objects.create(pillar=pillar, kind=kind, title=f"Kuis {kind} {pillar}")
    for order, answer in enumerate(answers, 1):
        Question.objects.create(
            quiz=quiz,
            order=order,
            text=f"Soal {order}",
            options="Ya\nTidak\nMungkin",
            answer=answer,
        )
    return quiz
