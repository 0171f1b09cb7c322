"""Every app's declared roles are the membership's choices; the codes are data and never change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kotacerdas.accounts.models import Membership, Unit, User
from kotacerdas.accounts.roles import role_choices, second_factor_roles

# The codes stored in Membership.role before roles moved to their services:
# the same strings, in the order the membership form has always shown them
# (the heads of kelurahan and kecamatan, the city leadership and the walidata
# joined the floor's roles in 2026-12).
CODES = [
    "city_admin",
    "registrar",
    "kelurahan_officer",
    "rw_operator",
    "lurah",
    "sekretaris_lurah",
    "camat",
    "city_leader",
    "data_steward",
    "sms_operator",
    "protection_officer",
    "school_coordinator",
    "posyandu_cadre",
    "health_officer",
    "midwife",
    "hospital_clerk",
    "clinic_staff",
    "ward_nurse",
    "wifi_officer",
    "class_trainer",
    "viewer",
]


def test_the_floor_and_the_services_roles_are_the_choices_in_their_old_order() -> None:
    assert [code for code, _label in role_choices()] == CODES


def test_the_second_factor_is_required_of_the_roles_that_reach_the_whole_city() -> None:
    assert second_factor_roles() == {"city_admin", "registrar", "protection_officer"}


@pytest.mark.django_db
def test_a_membership_takes_a_declared_role_and_refuses_any_other(city) -> None:
    user = User.objects.create_user("petugas")
    unit = Unit.objects.create(kind="agency", code="dp3a", name="DP3A", region_id="32.74")
    officer = Membership(user=user, unit=unit, role="protection_officer")
    officer.full_clean()
    assert officer.needs_second_factor
    with translation.override("en"):
        assert officer.get_role_display() == "Protection officer (UPTD PPA)"

    with pytest.raises(ValidationError, match="role"):
        Membership(user=user, unit=unit, role="janitor").full_clean()
