"""Kiosk check-in, the clinic queue with BPJS task times, no-shows, reminders, closures."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, Session, TaskTime
from kotacerdas.hospital.tests.conftest import NIK, NIK2
from kotacerdas.messaging.models import Message
from kotacerdas.workdays.models import DayOff

pytestmark = pytest.mark.django_db
Task = TaskTime.Task


def walk_in(session: Session, nik: str = NIK, **fields: Any) -> Booking:
    return actions.book(
        session.pk,
        actions.Patient(nik=nik, phone="081234567890", **fields),
        channel=Booking.Channel.COUNTER,
    )


def kiosk(client: Client, code: str) -> Any:
    with translation.override("id"):
        return client.post(reverse("hospital:kiosk"), {"code": code}, follow=True)


def test_the_kiosk_checks_in_and_shows_the_ticket(client: Client, today_session: Session) -> None:
    booking = walk_in(today_session, medical_record="RM001")
    response = kiosk(client, booking.code.lower())
    page = response.content.decode()
    assert "INT-1" in page and "Anda sudah check-in" in page and "<svg" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert list(booking.tasks.values_list("task", flat=True)) == [Task.CLINIC_WAITING]


def test_the_kiosk_offers_no_way_into_staff_pages(client: Client, today_session: Session) -> None:
    sign_in = reverse("web:login")
    assert sign_in not in client.get(reverse("hospital:kiosk")).content.decode()
    ticket = kiosk(client, walk_in(today_session).code).content.decode()
    assert sign_in not in ticket
    assert sign_in in client.get(reverse("hospital:index")).content.decode()  # elsewhere, it is


def test_a_new_patient_starts_at_task_1(client: Client, today_session: Session) -> None:
    booking = walk_in(today_session)
    kiosk(client, booking.code)
    assert list(booking.tasks.values_list("task", flat=True)) == [Task.ADMISSION_WAITING]


def test_an_unknown_code_is_refused_clearly(client: Client, today_session: Session) -> None:
    response = kiosk(client, "GJXXXXXXXX")
    assert "Tidak ada pemesanan dengan kode GJXXXXXXXX" in response.content.decode()
    assert not Booking.objects.exists()


def test_check_in_on_the_wrong_day_changes_nothing(client: Client, session: Session) -> None:
    booking = walk_in(session)
    response = kiosk(client, booking.code)
    assert "bukan hari ini" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and not booking.tasks.exists()


def test_check_in_too_early_is_refused(
    client: Client, make_session: Callable[..., Session], settings: Any
) -> None:
    settings.HOSPITAL_BOOKING_CUTOFF_MINUTES = 0
    # Seven in the morning, whatever time the tests run: the 23:00 session's
    # check-in opens hours later.
    morning = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(7, 0)))
    with mock.patch("django.utils.timezone.now", return_value=morning):
        later = make_session(date=morning.date(), start=dt.time(23, 0), end=dt.time(23, 59))
        booking = walk_in(later)
        response = kiosk(client, booking.code)
    assert "dibuka pukul" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_call_recall_skip_serve_record_the_task_times(today_session: Session) -> None:
    first = walk_in(today_session, medical_record="RM1")
    second = walk_in(today_session, nik=NIK2, medical_record="RM2")
    actions.check_in(second.code)
    actions.check_in(first.code)
    called = actions.call_next(today_session)
    assert called == first  # the lowest number, not the first to arrive
    today_session.refresh_from_db()
    assert today_session.serving_number == 1
    actions.skip(called)
    actions.recall(called)
    actions.serve(called)
    actions.pharmacy(called, Task.PHARMACY_PREPARING)
    actions.pharmacy(called, Task.MEDICINE_READY)
    tasks = list(called.tasks.order_by("at", "task").values_list("task", flat=True))
    assert tasks == [3, 4, 5, 6, 7]
    times = [t.epoch_ms for t in called.tasks.order_by("task")]
    assert times == sorted(times)
    assert actions.call_next(today_session) == second
    with pytest.raises(Exception, match="Tidak ada pasien"):
        actions.call_next(today_session)


def test_sessions_that_ended_turn_unchecked_bookings_into_no_shows(
    make_session: Callable[..., Session],
) -> None:
    yesterday = make_session(date=timezone.localdate() - dt.timedelta(days=1))
    booking = Booking.objects.create(
        session=yesterday,
        code="GJTESTNOSHOW",
        number=1,
        channel="web",
        payer="JKN",
        visit_type=1,
        nik=NIK,
        estimated_at=yesterday.starts_at,
    )
    Session.objects.filter(pk=yesterday.pk).update(booked_jkn=1, last_number=1)
    call_command("hospital_no_shows", stdout=io.StringIO())
    call_command("hospital_no_shows", stdout=io.StringIO())
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert booking.tasks.filter(task=99).count() == 1
    yesterday.refresh_from_db()
    assert yesterday.booked_jkn == 0


def test_reminders_go_once_each(
    session: Session, today_session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = Session.objects.create(
        clinic=session.clinic,
        doctor=session.doctor,
        date=timezone.localdate() + dt.timedelta(days=1),
        start=dt.time(9, 0),
        end=dt.time(12, 0),
        quota_jkn=5,
        quota_non_jkn=5,
    )
    walk_in(tomorrow)
    soon = walk_in(today_session, nik=NIK2)
    Booking.objects.filter(pk=soon.pk).update(
        estimated_at=timezone.now() + dt.timedelta(minutes=30)
    )
    Booking.objects.update(created_at=timezone.now() - dt.timedelta(days=2))  # booked earlier
    evening = timezone.localtime().replace(hour=18, minute=0)
    first = actions.send_reminders(evening)
    again = actions.send_reminders(evening)
    assert again == {"day_before": 0, "hour_before": 0}
    assert first["day_before"] == 1
    texts = list(Message.objects.filter(purpose="hospital-reminder").values_list("text", flat=True))
    assert len(texts) == first["day_before"] + first["hour_before"]
    assert all(NIK not in t and "Penyakit" not in t for t in texts)


def test_a_doctors_leave_closes_sessions_and_tells_patients(
    session: Session, clerk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booking = walk_in(session)
    told = actions.add_leave(session.doctor, session.date, session.date)
    assert told == 1
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.status == Session.Status.CLOSED and session.closure == "leave"
    assert booking.status == Booking.Status.CANCELLED
    sms = Message.objects.get(purpose="hospital-cancelled")
    assert booking.code in sms.text and NIK not in sms.text
    with pytest.raises(Exception, match="ditutup"):
        walk_in(session, nik=NIK2)


def _every_day(clinic: Any, doctor: Any) -> None:
    from kotacerdas.hospital.models import WeeklySchedule

    for weekday in range(1, 8):
        WeeklySchedule.objects.create(
            clinic=clinic,
            doctor=doctor,
            weekday=weekday,
            start=dt.time(8),
            end=dt.time(12),
            quota_jkn=20,
            quota_non_jkn=5,
        )


def test_generate_sessions_skips_closures_and_is_idempotent(clinic: Any, doctor: Any) -> None:
    from kotacerdas.hospital.models import HospitalClosure

    _every_day(clinic, doctor)
    today = timezone.localdate()
    DayOff.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=6)).delete()
    HospitalClosure.objects.create(
        unit=clinic.unit, date=today + dt.timedelta(days=3), reason="Akreditasi"
    )
    DayOff.objects.create(
        date=today + dt.timedelta(days=5), kind="cuti_bersama", name="Cuti", source="SKB"
    )
    assert actions.generate_sessions(clinic.unit, today=today, days=6) == 7
    assert actions.generate_sessions(clinic.unit, today=today, days=6) == 0
    closed = Session.objects.get(date=today + dt.timedelta(days=3))
    assert closed.status == Session.Status.CLOSED and closed.closure == "hospital"
    city = Session.objects.get(date=today + dt.timedelta(days=5))
    assert city.status == Session.Status.CLOSED and city.closure == "holiday"
    assert Session.objects.filter(status=Session.Status.OPEN).count() == 5


def test_only_the_kinds_of_day_off_in_the_setting_close_the_clinics(
    clinic: Any, doctor: Any, settings: Any
) -> None:
    settings.HOSPITAL_CLOSED_ON = ["national"]
    _every_day(clinic, doctor)
    today = timezone.localdate()
    DayOff.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=2)).delete()
    DayOff.objects.create(
        date=today + dt.timedelta(days=1), kind="cuti_bersama", name="C", source="S"
    )
    DayOff.objects.create(date=today + dt.timedelta(days=2), kind="national", name="N", source="S")
    actions.generate_sessions(clinic.unit, today=today, days=2)
    assert Session.objects.get(date=today + dt.timedelta(days=1)).is_open
    assert not Session.objects.get(date=today + dt.timedelta(days=2)).is_open


def test_a_day_off_added_to_the_city_calendar_closes_booked_sessions(
    session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    from kotacerdas.workdays import actions as workdays

    booking = walk_in(session)
    DayOff.objects.filter(date=session.date).delete()
    with django_capture_on_commit_callbacks(execute=True):
        workdays.add_day_off(
            date=session.date, kind="local", name="Libur daerah", source="Keputusan Wali Kota"
        )
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.status == Session.Status.CLOSED and session.closure == "holiday"
    assert booking.status == Booking.Status.CANCELLED
    sms = Message.objects.get(purpose="hospital-cancelled")
    assert booking.code in sms.text and "hari libur" in sms.text


def test_the_daily_command_closes_sessions_on_days_off_loaded_without_the_admin(
    session: Session,
) -> None:
    booking = walk_in(session)
    DayOff.objects.filter(date=session.date).delete()
    DayOff.objects.create(date=session.date, kind="national", name="Libur", source="SKB")
    assert session.clinic.unit.code == settings.HOSPITAL_UNIT_CODE
    call_command("hospital_sessions", stdout=io.StringIO())
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.closure == "holiday" and booking.status == Booking.Status.CANCELLED


def test_screens_show_the_number_served_and_the_next_ones(
    client: Client, today_session: Session
) -> None:
    first = walk_in(today_session, medical_record="RM1")
    second = walk_in(today_session, nik=NIK2, medical_record="RM2")
    actions.check_in(first.code)
    actions.check_in(second.code)
    actions.call_next(today_session)
    page = client.get(reverse("hospital:display-clinic", args=["INT"])).content.decode()
    assert "INT-1" in page and "INT-2" in page and 'http-equiv="refresh"' in page
    data = client.get(reverse("hospital:display-data"), {"poli": "INT"}).json()
    assert data["boards"][0]["serving"] == "INT-1" and data["boards"][0]["next"] == ["INT-2"]
    assert client.get(reverse("hospital:display-data"), {"poli": "ANA"}).json()["boards"] == []
    assert client.get(reverse("hospital:display-clinic", args=["NOPE"])).status_code == 404


def _first(sqls: list[str], *needles: str) -> int:
    return next(i for i, sql in enumerate(sqls) if all(n in sql for n in needles))


@pytest.mark.parametrize("closure", ["hospital", "leave"])
def test_closing_sessions_locks_sessions_before_bookings_and_no_audit_row(
    session: Session, closure: str
) -> None:
    """Every action locks session, then booking; a closure too.

    A closure that took them the other way round would deadlock with a kiosk
    check-in in the same instant (each holds what the other waits for). The
    audit log has no row every writer locks any more (it is sequenced later),
    so it cannot be part of such a cycle.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walk_in(session)
    with CaptureQueriesContext(connection) as ctx:
        if closure == "hospital":
            actions.add_closure(session.clinic.unit, session.date, "Libur")
        else:
            actions.add_leave(session.doctor, session.date, session.date)
    sqls = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor != "postgresql":
        pytest.skip("FOR UPDATE is PostgreSQL's")
    assert _first(sqls, 'FROM "hospital_session"', "FOR UPDATE") < _first(
        sqls, 'FROM "hospital_booking"', "FOR UPDATE"
    )
    assert not any('"audit_chainhead"' in sql for sql in sqls)


def test_the_kiosk_slows_down_someone_trying_codes(
    client: Client, today_session: Session, settings: Any
) -> None:
    """After a few codes that match nothing, this device checks in nothing for an hour."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kiosk_unknown_codes": (3, 3600)}
    booking = walk_in(today_session, medical_record="RM001")
    for guess in ("GJAAAAAAAA", "GJCCCCCCCC", "GJDDDDDDDD"):
        assert "Tidak ada pemesanan" in kiosk(client, guess).content.decode()
    page = kiosk(client, booking.code).content.decode()
    assert "Terlalu banyak percobaan dari perangkat ini" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and not booking.tasks.exists()
    # Another device (address) is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    with translation.override("id"):
        other.post(reverse("hospital:kiosk"), {"code": booking.code})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_the_kiosk_limits_all_attempts_per_device(
    client: Client, today_session: Session, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kiosk_attempts": (2, 3600)}
    first, second = walk_in(today_session), walk_in(today_session, nik=NIK2)
    kiosk(client, first.code)
    kiosk(client, first.code)  # shown again: still an attempt
    page = kiosk(client, second.code).content.decode()
    assert "Terlalu banyak percobaan" in page
    second.refresh_from_db()
    assert second.status == Booking.Status.BOOKED


def test_a_new_patient_is_called_only_after_registration_at_the_counter(
    client: Client, today_session: Session
) -> None:
    """Tasks 1-2-3-4 in order: the clinic cannot call someone still at the counter."""
    new = walk_in(today_session)
    returning = walk_in(today_session, nik=NIK2, medical_record="RM2")
    actions.check_in(new.code)
    data = client.get(reverse("hospital:display-data"), {"poli": "INT"}).json()
    assert data["boards"][0]["next"] == []
    with translation.override("id"), pytest.raises(Exception, match="masih didaftarkan di loket"):
        actions.call_next(today_session)
    assert not new.tasks.filter(task=Task.CLINIC_SERVICE).exists()
    actions.check_in(returning.code)
    assert actions.call_next(today_session) == returning
    actions.admit(new, medical_record="RM9")
    assert actions.call_next(today_session) == new
    tasks = list(new.tasks.order_by("task").values_list("task", flat=True))
    assert tasks == [1, 2, 3, 4]
    times = [t.epoch_ms for t in new.tasks.order_by("task")]
    assert times == sorted(times)


def test_a_sensitive_clinic_is_not_named_in_sms_nor_on_the_hall_screen(
    client: Client,
    today_session: Session,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    clinic = today_session.clinic
    clinic.code, clinic.sensitive = "KLT", True
    clinic.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = walk_in(today_session, medical_record="RM1")
    Booking.objects.filter(pk=booking.pk).update(
        estimated_at=timezone.now() + dt.timedelta(minutes=30),
        created_at=timezone.now() - dt.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_reminders()["hour_before"] == 1
    texts = list(Message.objects.values_list("text", flat=True))
    assert len(texts) == 2
    assert all("KLT" not in t and booking.code in t for t in texts)
    actions.check_in(booking.code)
    actions.call_next(today_session)
    hall = client.get(reverse("hospital:display-data")).json()
    assert hall["boards"] == []
    own = client.get(reverse("hospital:display-clinic-data", args=["KLT"])).json()
    assert own["boards"][0]["serving"] == "KLT-1"


def test_the_next_person_at_the_kiosk_cannot_bring_back_the_previous_ticket(
    client: Client, today_session: Session
) -> None:
    booking = walk_in(today_session, medical_record="RM1")
    assert "INT-1" in kiosk(client, booking.code).content.decode()
    ticket = reverse("hospital:kiosk-ticket")
    # The patient walks away without pressing "Selesai"; the screen goes back to the start.
    client.get(reverse("hospital:kiosk"))
    assert client.get(ticket).status_code == 302
    # Nor once the short display time has passed.
    kiosk(client, booking.code)
    session = client.session
    session["hospital_kiosk_booking"][1] -= 3600
    session.save()
    assert client.get(ticket).status_code == 302


def test_no_reminder_right_after_the_confirmation_nor_after_check_in(
    session: Session, today_session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    """Booked this evening for tomorrow, or at the counter for the next hour: the
    confirmation SMS already gave the time. Checked in: already here."""
    local = timezone.localtime()
    tomorrow = Session.objects.create(
        clinic=session.clinic,
        doctor=session.doctor,
        date=local.date() + dt.timedelta(days=1),
        start=dt.time(9, 0),
        end=dt.time(12, 0),
        quota_jkn=5,
        quota_non_jkn=5,
    )
    evening = local.replace(hour=20, minute=0, second=0, microsecond=0)
    late = walk_in(tomorrow)
    Booking.objects.filter(pk=late.pk).update(created_at=evening - dt.timedelta(minutes=5))
    walk_in_now = walk_in(today_session, nik=NIK2)
    Booking.objects.filter(pk=walk_in_now.pk).update(
        estimated_at=timezone.now() + dt.timedelta(minutes=30)
    )
    assert actions.send_reminders(evening)["day_before"] == 0
    assert actions.send_reminders()["hour_before"] == 0
    # Booked days ago but already checked in: no "check in when you arrive".
    Booking.objects.filter(pk=walk_in_now.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    actions.check_in(walk_in_now.code)
    assert actions.send_reminders()["hour_before"] == 0
    assert not Message.objects.filter(purpose="hospital-reminder").exists()


def test_a_skipped_patient_who_never_came_back_is_a_no_show_when_the_session_ends(
    today_session: Session,
) -> None:
    skipped = walk_in(today_session, medical_record="RM1")
    waiting = walk_in(today_session, nik=NIK2, medical_record="RM2")
    actions.check_in(skipped.code)
    actions.check_in(waiting.code)
    actions.skip(actions.call_next(today_session))
    after_the_end = today_session.ends_at + dt.timedelta(minutes=1)
    assert actions.mark_no_shows(after_the_end) == 1
    skipped.refresh_from_db()
    waiting.refresh_from_db()
    assert skipped.status == Booking.Status.NO_SHOW
    assert list(skipped.tasks.order_by("task").values_list("task", flat=True)) == [3, 4, 99]
    assert waiting.status == Booking.Status.CHECKED_IN
