"""Cirebon Lengko's figures for the city dashboard count real bookings and beds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count
from typing import Any

from django.utils import timezone

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.hospital import stats
from kotacerdas.hospital.models import Bed, Booking, Session
from kotacerdas.web.figures import Figure

_serial = count(1)


def _book(session: Session, person: Any, status: str = Booking.Status.BOOKED) -> Booking:
    serial = next(_serial)
    return Booking.objects.create(
        session=session,
        code=f"GJFIG{serial:05d}",
        number=serial,
        channel="web",
        payer="JKN",
        visit_type=1,
        nik=person.nik if person else "3274010101900001",
        person=person,
        status=status,
        estimated_at=session.starts_at,
    )


def test_bookings_and_no_shows_count_by_the_patients_kelurahan_and_visit_month(
    make_session: Callable[..., Session], make_person: Callable[..., Any], rt: Any
) -> None:
    today = timezone.localdate()
    year = today.year
    march = make_session(date=dt.date(year, 3, 10))
    june = make_session(date=dt.date(year, 6, 2))
    siti = make_person(rt(KEJAKSAN, 1, 1), nik="3274015203950001")
    budi = make_person(rt(HARJAMUKTI, 1, 1), name="Budi", nik="3274030407920002")
    _book(march, siti)
    _book(march, siti, Booking.Status.NO_SHOW)
    _book(march, siti, Booking.Status.CANCELLED)
    _book(june, budi, Booking.Status.SERVED)
    _book(june, None)  # a patient from outside the register: no kelurahan to count in

    assert stats.bookings(year) == [
        Figure(KEJAKSAN, dt.date(year, 3, 1), 2),
        Figure(HARJAMUKTI, dt.date(year, 6, 1), 1),
    ]
    assert stats.no_shows(year) == [Figure(KEJAKSAN, dt.date(year, 3, 1), 1)]
    assert stats.bookings(year + 1) == []


def test_free_beds_are_counted_now_by_room_class(beds: list[Bed]) -> None:
    Bed.objects.filter(pk__in=[beds[0].pk, beds[-1].pk]).update(status=Bed.Status.OCCUPIED)
    today = timezone.localdate()
    month = today.replace(day=1)

    # Kelas III (SIRS type 5): 6 beds, one taken; ICU (6): 2 beds, one taken.
    assert stats.free_beds(today.year) == [
        Figure("32.74", month, 5, "5"),
        Figure("32.74", month, 1, "6"),
    ]
    assert stats.free_beds(today.year - 1) == []
