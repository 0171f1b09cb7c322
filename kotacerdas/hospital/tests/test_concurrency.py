"""A booking rush on PostgreSQL: the quota holds, numbers are 1…n without gaps.

Threads each open their own database connection and book at the same moment
(a barrier). PostgreSQL allows about 100 connections, shared with whatever
else runs, so 300 attempts come from 40 threads at once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.people.models import Citizen

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40


def nik(i: int) -> str:
    return f"327401{1 + i % 28:02d}{1 + (i // 28) % 12:02d}90{i + 1:04d}"


def rush(jobs: list[Callable[[], Any]], threads: int = THREADS) -> Counter[str]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(threads)
    chunks = [jobs[i::threads] for i in range(threads)]

    def work(mine: list[Callable[[], Any]]) -> None:
        try:
            start.wait()
            for job in mine:
                try:
                    job()
                    result = "booked"
                except ValidationError as exc:
                    result = exc.code or "refused"
                with lock:
                    outcomes[result] += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


def test_300_attempts_on_100_places_make_100_bookings_numbered_1_to_100(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(quota_jkn=60, quota_non_jkn=40)

    def attempt(i: int) -> Callable[[], Any]:
        card = f"{i + 1:013d}" if i % 3 else ""
        return lambda: actions.book(
            session.pk, actions.Patient(nik=nik(i), bpjs_card=card), channel="web"
        )

    outcomes = rush([attempt(i) for i in range(300)])

    assert outcomes["booked"] == 100
    assert outcomes["full"] == 200
    numbers = sorted(Booking.objects.filter(session=session).values_list("number", flat=True))
    assert numbers == list(range(1, 101))
    session.refresh_from_db()
    assert (session.booked_jkn, session.booked_non_jkn, session.last_number) == (60, 40, 100)
    assert Booking.objects.filter(session=session, payer="JKN").count() == 60


def test_a_retried_request_under_a_rush_books_once(make_session: Callable[..., Session]) -> None:
    session = make_session()
    citizen = Citizen.objects.create(phone="+6281234567890")
    same = [
        lambda: actions.book(
            session.pk,
            actions.Patient(nik=nik(1)),
            channel="web",
            citizen=citizen,
            idempotency_key="one-form",
        )
        for _ in range(20)
    ]
    outcomes = rush(same, threads=20)
    assert outcomes["booked"] == 20  # every retry gets the booking back
    assert Booking.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.last_number == 1


def test_one_patient_pressing_on_many_devices_gets_one_booking(
    make_session: Callable[..., Session],
) -> None:
    """Different forms (keys) for the same NIK at the same moment: one booking, no lost number.

    The duplicate check runs before the lock; the partial unique constraint
    decides the race, and the loser's number is rolled back with it.
    """
    session = make_session()

    def attempt(k: int) -> Callable[[], Any]:
        return lambda: actions.book(
            session.pk, actions.Patient(nik=nik(7)), channel="web", idempotency_key=f"form-{k}"
        )

    jobs = [attempt(k) for k in range(20)]
    outcomes = rush(jobs, threads=20)
    assert outcomes["booked"] == 1
    assert outcomes["duplicate"] == 19
    assert list(Booking.objects.filter(session=session).values_list("number", flat=True)) == [1]
    session.refresh_from_db()
    assert (session.last_number, session.booked_non_jkn) == (1, 1)


def test_one_citizen_booking_many_sessions_at_once_stays_within_the_cap(
    make_session: Callable[..., Session],
) -> None:
    """Different sessions do not wait on each other's lock: the citizen's own lock holds the cap."""
    import datetime as dt

    from django.utils import timezone

    citizen = Citizen.objects.create(phone="+6281234567891")
    first = timezone.localdate() + dt.timedelta(days=1)
    sessions = [make_session(date=first + dt.timedelta(days=n)) for n in range(10)]

    def attempt(k: int) -> Callable[[], Any]:
        return lambda: actions.book(
            sessions[k].pk, actions.Patient(nik=nik(k)), channel="web", citizen=citizen
        )

    outcomes = rush([attempt(k) for k in range(10)], threads=10)
    assert outcomes == Counter({"booked": 3, "limit": 7})
    assert Booking.objects.filter(citizen=citizen).count() == 3


def test_a_session_closed_in_the_middle_of_a_rush_takes_no_booking_after_and_leaves_no_gap(
    make_session: Callable[..., Session],
) -> None:
    """The place is taken by one UPDATE whose WHERE reads the row itself (open, not full).

    Requests that passed the checks before the close are refused by that
    statement; the numbers of those that got in follow each other, and each
    estimated time follows its place.
    """
    session = make_session(quota_jkn=150, quota_non_jkn=150)

    def attempt(i: int) -> Callable[[], Any]:
        card = f"{i + 1:013d}" if i % 2 else ""
        return lambda: actions.book(
            session.pk, actions.Patient(nik=nik(i), bpjs_card=card), channel="web"
        )

    def close() -> None:
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)

    jobs = [attempt(i) for i in range(240)]
    jobs.insert(120, close)
    outcomes = rush(jobs)

    bookings = list(Booking.objects.filter(session=session).order_by("number"))
    assert outcomes["booked"] == len(bookings) + 1  # the close counts as done
    assert outcomes["not_bookable"] == 240 - len(bookings)
    assert 0 < len(bookings) < 240
    assert [b.number for b in bookings] == list(range(1, len(bookings) + 1))
    assert [b.estimated_at for b in bookings] == [session.estimate(b.number) for b in bookings]
    session.refresh_from_db()
    assert session.booked_jkn + session.booked_non_jkn == session.last_number == len(bookings)
