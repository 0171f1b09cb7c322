from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.conftest import KEJAKSAN
from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.models import LetterRequest, LetterType
from kotacerdas.people.models import Person

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _public_base(settings: Any) -> None:
    settings.KELURAHAN_PUBLIC_BASE_URL = "http://testserver"


@pytest.fixture
def resident(make_person: Callable[..., Person], rt: Callable[..., Any]) -> Person:
    """An adult of RW 01, Kejaksan, with a mobile number."""
    return make_person(
        rt(KEJAKSAN, 1, 1), "Dewi Lestari", nik="3274015203950001", phone="+6281234567890"
    )


def seed_letter_types() -> None:
    """The migration's seed again: a transactional test starts from an emptied database."""
    from django.apps import apps

    importlib.import_module("kotacerdas.kelurahan.migrations.0002_seed_letter_types").seed(
        apps, None
    )


@pytest.fixture
def domisili(db: Any) -> LetterType:
    seed_letter_types()
    return LetterType.objects.get(code="domisili")


@pytest.fixture
def started(resident: Person, domisili: LetterType, rw_operator: User) -> LetterRequest:
    """A domisili request the RW started: at the kelurahan operator."""
    return actions.start(
        letter_type=domisili,
        person=resident,
        data={"keperluan": "Melamar pekerjaan"},
        persons={},
        channel=LetterRequest.Channel.RW,
        user=rw_operator,
    )


@pytest.fixture
def at_lurah(
    started: LetterRequest, kelurahan_officer: User, sekretaris_lurah: User
) -> LetterRequest:
    actions.check(started.pk, kelurahan_officer, ["pengantar", "kk", "ktp"])
    return actions.endorse(started.pk, sekretaris_lurah)
