"""E-Posyandu personas: a cadre in Kejaksan RW 01, one in Harjamukti RW 01, the
puskesmas of kecamatan Kejaksan, Dinkes, and a read-only puskesmas member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people.models import Person
from kotacerdas.posyandu.models import Posyandu
from kotacerdas.posyandu.roles import PosyanduRole
from kotacerdas.regions.models import RW


def _posyandu(kelurahan: str, code: str, puskesmas: Unit | None) -> Posyandu:
    rw = RW.objects.get(kelurahan_id=kelurahan, number=1)
    unit = Unit.objects.create(kind="posyandu", code=code, name=f"Posyandu {code}", rw=rw)
    return Posyandu.objects.create(
        unit=unit, name=f"Posyandu Melati {code}", rw=rw, puskesmas=puskesmas, opening_day=10
    )


@pytest.fixture
def puskesmas(city: Any) -> Unit:
    return Unit.objects.create(
        kind="puskesmas", code="pkm-327401", name="Puskesmas Kejaksan", region_id="32.74.01"
    )


@pytest.fixture
def posyandu(puskesmas: Unit) -> Posyandu:
    return _posyandu(KEJAKSAN, "posyandu-kejaksan-01", puskesmas)


@pytest.fixture
def other_posyandu(city: Any) -> Posyandu:
    return _posyandu(HARJAMUKTI, "posyandu-harjamukti-01", None)


@pytest.fixture
def cadre(make_member: Callable[..., User], posyandu: Posyandu) -> User:
    return make_member("kader", PosyanduRole.POSYANDU_CADRE, posyandu.unit)


@pytest.fixture
def other_cadre(make_member: Callable[..., User], other_posyandu: Posyandu) -> User:
    return make_member("kader2", PosyanduRole.POSYANDU_CADRE, other_posyandu.unit)


@pytest.fixture
def nutrition_officer(make_member: Callable[..., User], puskesmas: Unit) -> User:
    return make_member("gizi", PosyanduRole.HEALTH_OFFICER, puskesmas)


@pytest.fixture
def puskesmas_viewer(make_member: Callable[..., User], puskesmas: Unit) -> User:
    """Head of the puskesmas: reads, changes nothing."""
    return make_member("kapus", Role.VIEWER, puskesmas)


@pytest.fixture
def dinkes_officer(make_member: Callable[..., User], city: Any) -> User:
    dinkes = Unit.objects.create(kind="agency", code="dinkes", name="Dinkes", region_id="32.74")
    return make_member("dinkes", PosyanduRole.HEALTH_OFFICER, dinkes)


def months_ago(months: int, day: int = 3) -> dt.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


@pytest.fixture
def make_child(make_person: Callable[..., Person], rt: Callable[..., Any]) -> Callable[..., Person]:
    def make(
        name: str = "Aisyah Putri",
        *,
        kelurahan: str = KEJAKSAN,
        birth_date: dt.date | None = None,
        sex: str = "F",
        **fields: Any,
    ) -> Person:
        return make_person(
            rt(kelurahan, 1, 1),
            name,
            sex=sex,
            birth_date=birth_date or months_ago(14, 1),
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def _posyandu_defaults(db: Any) -> None:
    """The KBM table and schedule the data migration adds: a transactional test
    (live server) elsewhere in the suite flushes them, so put them back."""
    import importlib

    from django.apps import apps

    from kotacerdas.posyandu.models import MinimumGain, ScheduleDose

    if not MinimumGain.objects.exists() or not ScheduleDose.objects.exists():
        migration = importlib.import_module("kotacerdas.posyandu.migrations.0002_defaults")
        migration.add(apps, None)
        importlib.import_module("kotacerdas.posyandu.migrations.0003_dose_max_age").hb0_max_age(
            apps, None
        )
