"""The staff pages' look-ups are access functions scoped to the user's hospital."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from kotacerdas.accounts.models import Membership, Role
from kotacerdas.conftest import signed_in
from kotacerdas.hospital import access, actions
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.hospital.tests.conftest import NIK

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_patient(today_session: Session) -> Booking:
    booking = actions.book(today_session.pk, actions.Patient(nik=NIK), channel="counter")
    actions.check_in(booking.code)
    return booking


def test_the_counters_lists_are_those_of_the_users_hospital(
    clerk: Any, other_staff: Any, new_patient: Booking
) -> None:
    assert list(access.new_patients_for_user(clerk)) == [new_patient]
    assert access.today_sessions_for_user(clerk) == [new_patient.session]
    assert list(access.bookable_sessions_for_user(clerk)) == [new_patient.session]
    for scoped in (
        access.new_patients_for_user(other_staff),
        access.today_sessions_for_user(other_staff),
        access.bookable_sessions_for_user(other_staff),
    ):
        assert list(scoped) == []
    page = signed_in(other_staff).get(reverse("hospital:counter")).content.decode()
    assert new_patient.queue_label not in page


def test_only_a_clerk_books_walk_ins(hospital_viewer: Any, today_session: Session) -> None:
    assert list(access.bookable_sessions_for_user(hospital_viewer)) == []


def test_closed_sessions_are_listed_for_the_users_hospital_only(
    clerk: Any, other_staff: Any, session: Session
) -> None:
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)

    assert list(access.closed_sessions_for_user(clerk)) == [session]
    assert list(access.closed_sessions_for_user(other_staff)) == []


def test_get_doctor_for_user_works_404_403(
    clerk: Any, hospital_viewer: Any, other_staff: Any, doctor: Any
) -> None:
    assert access.get_doctor_for_user(clerk, doctor.pk, write=True) == doctor
    assert access.get_doctor_for_user(hospital_viewer, doctor.pk) == doctor
    with pytest.raises(PermissionDenied):
        access.get_doctor_for_user(hospital_viewer, doctor.pk, write=True)
    with pytest.raises(Http404):
        access.get_doctor_for_user(other_staff, doctor.pk)


def test_a_clerk_of_another_hospital_cannot_close_this_hospitals_doctor(
    other_staff: Any, session: Session
) -> None:
    data = {
        "leave": "1",
        "l-doctor": session.doctor_id,
        "l-first_day": session.date,
        "l-last_day": session.date,
    }
    signed_in(other_staff).post(reverse("hospital:schedule"), data)

    session.refresh_from_db()
    assert session.is_open


def test_a_clerk_elsewhere_who_only_reads_here_gets_403_for_a_leave(
    other_staff: Any, hospital: Any, session: Session
) -> None:
    Membership.objects.create(user=other_staff, unit=hospital, role=Role.VIEWER)
    data = {
        "leave": "1",
        "l-doctor": session.doctor_id,
        "l-first_day": session.date,
        "l-last_day": session.date,
    }
    response = signed_in(other_staff).post(reverse("hospital:schedule"), data)

    session.refresh_from_db()
    assert response.status_code == 403 and session.is_open
