"""The staff navigation offers each member the areas they work in, and no others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.conftest import signed_in
from kotacerdas.regions.models import RW

pytestmark = pytest.mark.django_db


def nav_targets(user: User, *, verified: bool = False) -> list[str]:
    html = signed_in(user, verified=verified).get(reverse("web:home")).content.decode()
    if 'class="wrap sub-nav"' not in html:
        return []
    nav = html.split('class="wrap sub-nav"', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


def test_rw_operator_sees_the_register_and_the_births_they_declare(rw_operator: User) -> None:
    assert nav_targets(rw_operator) == [
        reverse("people:person-list"),
        reverse("people:family-list"),
        reverse("people:population"),
        reverse("people:proposal-list"),
        reverse("kelurahan:queue"),
        reverse("births:list"),
    ]


def test_registrar_gets_the_birth_queues(registrar: User) -> None:
    assert reverse("births:queues") in nav_targets(registrar, verified=True)


def test_cadre_sees_posyandu_and_nothing_of_the_register(
    city: dict[str, Any], make_member: Callable[..., User]
) -> None:
    rw = RW.objects.get(kelurahan_id="32.74.01.1001", number=1)
    unit = Unit.objects.create(kind=Unit.Kind.POSYANDU, code="posyandu-x", name="Melati", rw=rw)
    cadre = make_member("kader", "posyandu_cadre", unit)
    assert nav_targets(cadre) == [reverse("posyandu:home")]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinic_staff", ["hospital:clinic-today"]),
        ("ward_nurse", ["hospital:nurse-station"]),
        # The counter also reports births on the parents' behalf; its own desk is a link.
        (
            "hospital_clerk",
            ["births:list", "hospital:clinic-today", "hospital:counter", "hospital:nurse-station"],
        ),
    ],
)
def test_hospital_staff_see_their_hospital_pages(
    city: dict[str, Any], make_member: Callable[..., User], role: Role, expected: list[str]
) -> None:
    unit = Unit.objects.create(kind=Unit.Kind.HOSPITAL, code="rsd", name="RSD", region_id="32.74")
    assert nav_targets(make_member("staff", role, unit)) == [reverse(name) for name in expected]


def test_member_of_no_unit_gets_no_service_navigation(outsider: User) -> None:
    assert nav_targets(outsider) == []
