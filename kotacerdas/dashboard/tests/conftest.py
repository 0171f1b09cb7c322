"""Dashboard fixtures: precomputed values written straight into FigureValue, and the readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kotacerdas.accounts.models import Unit, User
from kotacerdas.accounts.roles import Role
from kotacerdas.dashboard.models import FigureRun, FigureValue

KEJAKSAN = "32.74.01.1001"
HARJAMUKTI = "32.74.03.1002"
WEIGHED = "posyandu.children_weighed"  # health and children's data: threshold 11
YEAR = timezone.localdate().year


@pytest.fixture
def put_value(city: Any) -> Callable[..., FigureValue]:
    def put(figure: str, kelurahan: str, month: int, value: int, group: str = "") -> FigureValue:
        now = timezone.now()
        FigureRun.objects.update_or_create(
            figure=figure, year=YEAR, defaults={"computed_at": now, "seconds": 0.1, "rows": 1}
        )
        return FigureValue.objects.create(
            figure=figure,
            kelurahan=kelurahan,
            month=dt.date(YEAR, month, 1),
            group=group,
            value=value,
            computed_at=now,
        )

    return put


@pytest.fixture
def weighings(put_value: Callable[..., FigureValue]) -> None:
    """Kejaksan: 40 in January, 3 in February; Harjamukti: 7 in January, 25 in March."""
    put_value(WEIGHED, KEJAKSAN, 1, 40)
    put_value(WEIGHED, KEJAKSAN, 2, 3)
    put_value(WEIGHED, HARJAMUKTI, 1, 7)
    put_value(WEIGHED, HARJAMUKTI, 3, 25)


def _unit(kind: str, code: str, region: str) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": code, "region_id": region}
    )
    return unit


@pytest.fixture
def lurah(make_member: Callable[..., User]) -> User:
    """The Lurah of Kejaksan."""
    return make_member("lurah", Role.LURAH, _unit("kelurahan", "kel-kejaksan", KEJAKSAN))


@pytest.fixture
def other_lurah(make_member: Callable[..., User]) -> User:
    """The Lurah of Harjamukti."""
    return make_member("lurahh", Role.LURAH, _unit("kelurahan", "kel-harjamukti", HARJAMUKTI))


@pytest.fixture
def camat(make_member: Callable[..., User]) -> User:
    return make_member("pakcamat", Role.CAMAT, _unit("kecamatan", "kec-kejaksan", "32.74.01"))


@pytest.fixture
def leader(make_member: Callable[..., User]) -> User:
    return make_member("walikota", Role.CITY_LEADER, _unit("agency", "setda", "32.74"))


@pytest.fixture
def steward(make_member: Callable[..., User]) -> User:
    return make_member("walidata", Role.DATA_STEWARD, _unit("agency", "dkis", "32.74"))


@pytest.fixture
def dinkes(make_member: Callable[..., User]) -> User:
    """A Dinkes health officer: E-Posyandu (and the hospital) in detail, the rest public."""
    return make_member("dinkes", "health_officer", _unit("agency", "dinkes", "32.74"))
