"""Every staff view: works for its role, 404 for another hospital's staff, 403 read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.conftest import signed_in
from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Bed, Booking, Session
from kotacerdas.hospital.tests.conftest import NIK, NIK2

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(today_session: Session) -> Booking:
    booking = actions.book(
        today_session.pk,
        actions.Patient(nik=NIK, medical_record="RM1"),
        channel=Booking.Channel.COUNTER,
    )
    actions.check_in(booking.code)
    actions.call_next(today_session)
    booking.refresh_from_db()
    return booking


PAGES = ["hospital:counter", "hospital:schedule", "hospital:clinic-today"]


@pytest.mark.parametrize("name", PAGES)
def test_queue_pages_work_for_staff_and_404_elsewhere(
    name: str,
    clerk: Any,
    hospital_viewer: Any,
    other_staff: Any,
    outsider: Any,
    today_session: Session,
) -> None:
    assert signed_in(clerk).get(reverse(name)).status_code == 200
    assert signed_in(hospital_viewer).get(reverse(name)).status_code == 200
    assert signed_in(other_staff).get(reverse(name)).status_code == 200  # their own, empty
    assert signed_in(outsider).get(reverse(name)).status_code == 404


def test_the_counter_shows_only_the_users_hospital(
    other_staff: Any, today_session: Session
) -> None:
    page = signed_in(other_staff).get(reverse("hospital:counter")).content.decode()
    assert today_session.doctor.name not in page


def test_session_queue_triad(
    clinic_staff: Any,
    hospital_viewer: Any,
    other_staff: Any,
    today_session: Session,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("hospital:session-queue", args=[today_session.pk])
    for i in range(5):
        actions.book(
            today_session.pk, actions.Patient(nik=f"32740145031800{i + 10}"), channel="counter"
        )
    client = signed_in(clinic_staff)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert signed_in(hospital_viewer).get(url).status_code == 200
    assert signed_in(other_staff).get(url).status_code == 404


def test_call_next_triad(
    clinic_staff: Any, hospital_viewer: Any, other_staff: Any, clerk: Any, today_session: Session
) -> None:
    booking = actions.book(
        today_session.pk, actions.Patient(nik=NIK, medical_record="RM1"), channel="counter"
    )
    actions.check_in(booking.code)
    url = reverse("hospital:call-next", args=[today_session.pk])
    assert signed_in(other_staff).post(url).status_code == 404
    assert signed_in(hospital_viewer).post(url).status_code == 403
    assert signed_in(clerk).post(url).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert signed_in(clinic_staff).post(url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CALLED


@pytest.mark.parametrize("name", ["hospital:recall", "hospital:skip", "hospital:serve"])
def test_booking_steps_triad(
    name: str, clinic_staff: Any, hospital_viewer: Any, other_staff: Any, called: Booking
) -> None:
    url = reverse(name, args=[called.pk])
    assert signed_in(other_staff).post(url).status_code == 404
    assert signed_in(hospital_viewer).post(url).status_code == 403
    called.refresh_from_db()
    assert called.status == Booking.Status.CALLED
    assert signed_in(clinic_staff).post(url).status_code == 302
    called.refresh_from_db()
    assert (
        called.status
        == {
            "hospital:recall": Booking.Status.CALLED,
            "hospital:skip": Booking.Status.SKIPPED,
            "hospital:serve": Booking.Status.SERVED,
        }[name]
    )


def test_pharmacy_triad(
    clinic_staff: Any, hospital_viewer: Any, other_staff: Any, called: Booking
) -> None:
    actions.serve(called)
    url = reverse("hospital:pharmacy", args=[called.pk, 6])
    assert signed_in(other_staff).post(url).status_code == 404
    assert signed_in(hospital_viewer).post(url).status_code == 403
    assert not called.tasks.filter(task=6).exists()
    assert signed_in(clinic_staff).post(url).status_code == 302
    assert called.tasks.filter(task=6).exists()


def test_walk_in_booking_triad(
    clerk: Any, hospital_viewer: Any, clinic_staff: Any, other_staff: Any, today_session: Session
) -> None:
    data = {
        "session": today_session.pk,
        "nik": NIK2,
        "visit_type": "1",
        "bpjs_card": "",
        "phone": "",
    }
    url = reverse("hospital:counter")
    assert signed_in(hospital_viewer).post(url, data).status_code == 403
    assert signed_in(clinic_staff).post(url, data).status_code == 403
    signed_in(other_staff).post(url, data)  # another hospital: the session is not theirs
    assert not Booking.objects.exists()
    assert signed_in(clerk).post(url, data).status_code == 302
    booking = Booking.objects.get()
    assert booking.channel == "counter" and booking.payer == "NON JKN"
    # Standing at the counter is arriving: no second queue at the kiosk.
    assert booking.status == Booking.Status.CHECKED_IN
    assert list(booking.tasks.values_list("task", flat=True)) == [1]  # new patient: admission


def test_admit_triad(
    clerk: Any, hospital_viewer: Any, other_staff: Any, today_session: Session
) -> None:
    booking = actions.book(today_session.pk, actions.Patient(nik=NIK), channel="counter")
    actions.check_in(booking.code)
    url = reverse("hospital:admit", args=[booking.pk])
    assert signed_in(other_staff).post(url).status_code == 404
    assert signed_in(hospital_viewer).post(url).status_code == 403
    assert signed_in(clerk).post(url, {"medical_record": "RM77"}).status_code == 302
    booking.refresh_from_db()
    assert booking.medical_record == "RM77"
    assert set(booking.tasks.values_list("task", flat=True)) == {1, 2, 3}


def test_leave_triad(clerk: Any, hospital_viewer: Any, session: Session) -> None:
    data = {
        "leave": "1",
        "l-doctor": session.doctor_id,
        "l-first_day": session.date,
        "l-last_day": session.date,
    }
    assert signed_in(hospital_viewer).post(reverse("hospital:schedule"), data).status_code == 403
    session.refresh_from_db()
    assert session.is_open
    assert signed_in(clerk).post(reverse("hospital:schedule"), data).status_code == 302
    session.refresh_from_db()
    assert not session.is_open


def test_nurse_station_triad(
    nurse: Any,
    hospital_viewer: Any,
    other_staff: Any,
    outsider: Any,
    beds: list[Bed],
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("hospital:nurse-station")
    client = signed_in(nurse)
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "TT1" in page
    assert signed_in(hospital_viewer).get(url).status_code == 200
    assert "TT1" not in signed_in(other_staff).get(url).content.decode()
    assert signed_in(outsider).get(url).status_code == 404


def test_bed_status_triad(
    nurse: Any, hospital_viewer: Any, other_staff: Any, beds: list[Bed]
) -> None:
    bed = beds[0]
    url = reverse("hospital:bed-status", args=[bed.pk])
    assert signed_in(other_staff).post(url, {"status": "occupied"}).status_code == 404
    assert signed_in(hospital_viewer).post(url, {"status": "occupied"}).status_code == 403
    bed.refresh_from_db()
    assert bed.status == Bed.Status.AVAILABLE
    assert signed_in(nurse).post(url, {"status": "nonsense"}).status_code == 302
    bed.refresh_from_db()
    assert bed.status == Bed.Status.AVAILABLE
    assert signed_in(nurse).post(url, {"status": "occupied"}).status_code == 302
    bed.refresh_from_db()
    assert bed.status == Bed.Status.OCCUPIED


def test_ward_waiting_triad(
    nurse: Any, hospital_viewer: Any, other_staff: Any, beds: list[Bed]
) -> None:
    ward = beds[0].room.ward
    url = reverse("hospital:ward-waiting", args=[ward.pk])
    assert signed_in(other_staff).post(url, {"waiting": 4}).status_code == 404
    assert signed_in(hospital_viewer).post(url, {"waiting": 4}).status_code == 403
    assert signed_in(nurse).post(url, {"waiting": -1}).status_code == 302
    ward.refresh_from_db()
    assert ward.waiting == 0
    assert signed_in(nurse).post(url, {"waiting": 4}).status_code == 302
    ward.refresh_from_db()
    assert ward.waiting == 4
