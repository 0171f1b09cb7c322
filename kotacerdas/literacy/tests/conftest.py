"""Cirebon Melet personas: DKIS WiFi officer (the city), a WiFi officer of Kelurahan
Kejaksan, a read-only DKIS member; points in Kejaksan and Harjamukti."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.literacy.models import Point
from kotacerdas.literacy.roles import LiteracyRole


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
