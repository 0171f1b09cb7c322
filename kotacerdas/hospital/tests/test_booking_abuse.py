"""A signed-in citizen cannot exhaust sessions, lock out a NIK, or learn where a NIK is booked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.hospital.tests.conftest import NIK, NIK2
from kotacerdas.hospital.tests.test_booking import post
from kotacerdas.people.models import Citizen

pytestmark = pytest.mark.django_db

# Valid NIKs (Cirebon, Kota: 32.74), distinct birth dates.
NIKS = [f"32740105{day:02d}90{n:04d}" for n, day in enumerate(range(1, 13), start=3)]
DUPLICATE = "Pasien ini sudah memiliki pemesanan pada sesi ini."
GENERIC = "Sesi ini tidak dapat dipesan secara online untuk pasien ini"


@pytest.fixture
def sessions(make_session: Callable[..., Session]) -> list[Session]:
    from django.utils import timezone

    first = timezone.localdate() + dt.timedelta(days=1)
    return [make_session(date=first + dt.timedelta(days=n)) for n in range(10)]


def web(session: Session, nik: str, citizen: Citizen) -> Booking:
    return actions.book(
        session.pk, actions.Patient(nik=nik), channel=Booking.Channel.WEB, citizen=citizen
    )


def test_a_citizen_holds_at_most_three_active_bookings(
    citizen: Citizen, citizen_web: Client, sessions: list[Session], settings: Any
) -> None:
    assert settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN == 3
    for n in range(3):
        web(sessions[n], NIKS[n], citizen)
    response = post(citizen_web, sessions[3], nik=NIKS[3], key="fourth")
    assert response.status_code == 200
    with translation.override("id"):
        assert "Anda sudah memiliki 3 pemesanan aktif" in response.content.decode()
    assert Booking.objects.count() == 3
    # A past booking no longer counts; the counter is never capped.
    Session.objects.filter(pk=sessions[0].pk).update(date=sessions[0].date - dt.timedelta(days=5))
    web(sessions[3], NIKS[3], citizen)
    for n in range(4, 8):
        actions.book(sessions[n].pk, actions.Patient(nik=NIKS[n]), channel=Booking.Channel.COUNTER)


def test_book_then_cancel_loops_stop_at_the_daily_cap(
    citizen: Citizen, sessions: list[Session], settings: Any
) -> None:
    assert settings.HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY == 6
    for n in range(6):
        actions.cancel(web(sessions[n], NIKS[n], citizen), by_citizen=citizen)
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        web(sessions[6], NIKS[6], citizen)
    assert refused.value.code == "limit"
    assert "6 pemesanan hari ini" in refused.value.messages[0]
    # Another citizen is not affected.
    web(sessions[6], NIKS[6], Citizen.objects.create(phone="+6281300000009"))


def test_someone_elses_booking_of_a_nik_is_not_revealed(
    citizen: Citizen, citizen_web: Client, session: Session
) -> None:
    other = Citizen.objects.create(phone="+6281300000001")
    web(session, NIK, other)
    actions.book(session.pk, actions.Patient(nik=NIK2), channel=Booking.Channel.COUNTER)
    for nik in (NIK, NIK2):
        page = post(citizen_web, session, nik=nik, key=nik).content.decode()
        assert GENERIC in page and DUPLICATE not in page
    assert Booking.objects.count() == 2


def test_a_citizen_rebooking_their_own_patient_is_told_plainly(
    citizen: Citizen, citizen_web: Client, session: Session
) -> None:
    web(session, NIK, citizen)
    page = post(citizen_web, session, nik=NIK, key="again").content.decode()
    assert DUPLICATE in page and GENERIC not in page
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        actions.book(session.pk, actions.Patient(nik=NIK), channel=Booking.Channel.COUNTER)
    assert refused.value.code == "duplicate"


def test_reschedule_does_not_reveal_where_a_nik_is_booked(
    citizen: Citizen, citizen_web: Client, sessions: list[Session]
) -> None:
    mine = web(sessions[0], NIK, citizen)
    web(sessions[1], NIK, Citizen.objects.create(phone="+6281300000001"))
    with translation.override("id"):
        response = citizen_web.post(
            reverse("hospital:reschedule", args=[mine.code]), {"session": sessions[1].pk}
        )
    page = response.content.decode()
    assert GENERIC in page and DUPLICATE not in page
    mine.refresh_from_db()
    assert mine.status == Booking.Status.BOOKED
    sessions[0].refresh_from_db()
    assert sessions[0].booked_non_jkn == 1
