"""The clerk's closures of the hospital, beside the city's days off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import signed_in
from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, HospitalClosure, Session
from kotacerdas.hospital.tests.conftest import NIK
from kotacerdas.messaging.models import Message
from kotacerdas.workdays.models import DayOff

pytestmark = pytest.mark.django_db


def closure(session: Session) -> dict[str, Any]:
    return {"closure": "1", "c-date": session.date, "c-reason": "Visitasi akreditasi"}


def test_a_clerk_closes_the_hospital_for_a_day_and_the_patients_are_told(
    clerk: Any, session: Session
) -> None:
    booking = actions.book(
        session.pk, actions.Patient(nik=NIK, phone="081234567890"), channel="counter"
    )
    response = signed_in(clerk).post(reverse("hospital:schedule"), closure(session))
    assert response.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.closure == "hospital" and booking.status == Booking.Status.CANCELLED
    recorded = HospitalClosure.objects.get(date=session.date)
    assert recorded.reason == "Visitasi akreditasi" and recorded.recorded_by == clerk
    assert AuditEvent.objects.filter(action="hospital.closure.add").count() == 1
    assert "rumah sakit tutup" in Message.objects.get(purpose="hospital-cancelled").text
    # The hospital's own closure is not a day off for the rest of the city.
    assert not DayOff.objects.filter(date=session.date).exists()


def test_closure_triad(
    clerk: Any, hospital_viewer: Any, other_staff: Any, session: Session
) -> None:
    url = reverse("hospital:schedule")
    assert signed_in(hospital_viewer).post(url, closure(session)).status_code == 403
    session.refresh_from_db()
    assert session.is_open
    assert signed_in(other_staff).post(url, closure(session)).status_code == 302
    session.refresh_from_db()
    assert session.is_open, "another hospital's clerk closes only their own hospital"
    assert signed_in(clerk).post(url, closure(session)).status_code == 302
    session.refresh_from_db()
    assert not session.is_open


def test_a_closure_in_the_past_is_refused_and_changes_nothing(
    clerk: Any, today_session: Session
) -> None:
    data = {"closure": "1", "c-date": today_session.date - dt.timedelta(days=1), "c-reason": "X"}
    with translation.override("id"):
        page = signed_in(clerk).post(reverse("hospital:schedule"), data)
    assert page.status_code == 200 and "Tanggal itu sudah lewat" in page.content.decode()
    assert not HospitalClosure.objects.exists()


def test_the_schedule_page_lists_the_coming_days_off_of_the_city(
    clerk: Any, session: Session
) -> None:
    today = timezone.localdate()
    DayOff.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=90)).delete()
    DayOff.objects.create(
        date=today + dt.timedelta(days=10), kind="local", name="Hari Jadi Kota", source="Kepwal"
    )
    DayOff.objects.create(
        date=today + dt.timedelta(days=120), kind="local", name="Jauh sekali", source="Kepwal"
    )
    page = signed_in(clerk).get(reverse("hospital:schedule")).content.decode()
    assert "Hari Jadi Kota" in page and "Jauh sekali" not in page
