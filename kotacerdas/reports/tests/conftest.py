from __future__ import annotations

import pytest

from kotacerdas.accounts.models import Role, Unit
from kotacerdas.reports.roles import ReportsRole


@pytest.fixture
def dp3a(city):
    return Unit.objects.create(kind="agency", code="dp3a", name="UPTD PPA", region_id="32.74")


@pytest.fixture
def other_unit(city):
    return Unit.objects.create(kind="agency", code="p2tp2a", name="P2TP2A", region_id="32.74")


@pytest.fixture
def officer(make_member, dp3a):
    user = make_member("ppa", ReportsRole.PROTECTION_OFFICER, dp3a)
    user.phone = "+6281111111111"
    user.save()
    user.memberships.update(on_duty=True)
    return user


@pytest.fixture
def other_officer(make_member, other_unit):
    return make_member("p2tp2a", ReportsRole.PROTECTION_OFFICER, other_unit)


@pytest.fixture
def head_of_service(make_member, dp3a):
    """Read-only member of the protection unit."""
    return make_member("kepala", Role.VIEWER, dp3a)
