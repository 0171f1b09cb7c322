from __future__ import annotations

import datetime as dt

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.people.actions.register import record_death

pytestmark = pytest.mark.django_db


def test_a_death_in_the_register_closes_the_residents_open_requests(
    started: LetterRequest, kelurahan_officer: User
) -> None:
    record_death(started.person, date=dt.date(2026, 11, 30), actor=kelurahan_officer)
    started.refresh_from_db()
    assert started.status == "cancelled"
    assert "kematian" in started.reason
    assert started.steps.last().action == "cancelled"  # type: ignore[union-attr]
