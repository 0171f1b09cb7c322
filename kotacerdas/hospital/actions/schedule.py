"""Dated sessions from the weekly schedules, and the days they close, telling
every booked patient by SMS: the city's days off (``kotacerdas.workdays``, the
kinds in ``settings.HOSPITAL_CLOSED_ON``), the hospital's own closures, and
doctors' leave."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Unit, User
from kotacerdas.audit.actions import record
from kotacerdas.hospital.actions._common import _date, _sms, sms_phone
from kotacerdas.hospital.actions.changes import _release
from kotacerdas.hospital.models import (
    Booking,
    Doctor,
    DoctorLeave,
    HospitalClosure,
    Session,
    WeeklySchedule,
)
from kotacerdas.workdays.calendar import days_off


def generate_sessions(unit: Unit, *, today: dt.date | None = None, days: int | None = None) -> int:
    """Dated sessions from the weekly schedules for the booking window (idempotent)."""
    today = today or timezone.localdate()
    days = settings.HOSPITAL_BOOKING_DAYS if days is None else days
    closed_days = _closed_days(unit, today, today + dt.timedelta(days=days))
    leaves = list(
        DoctorLeave.objects.filter(doctor__unit=unit, last_day__gte=today).values_list(
            "doctor_id", "first_day", "last_day"
        )
    )
    schedules = list(
        WeeklySchedule.objects.filter(clinic__unit=unit, active=True, doctor__active=True)
    )
    sessions = []
    for offset in range(days + 1):
        date = today + dt.timedelta(days=offset)
        for schedule in schedules:
            if schedule.weekday != date.isoweekday():
                continue
            on_leave = any(d == schedule.doctor_id and a <= date <= b for d, a, b in leaves)
            closure = closed_days.get(date) or (Session.Closure.LEAVE if on_leave else "")
            sessions.append(
                Session(
                    clinic_id=schedule.clinic_id,
                    doctor_id=schedule.doctor_id,
                    schedule=schedule,
                    date=date,
                    start=schedule.start,
                    end=schedule.end,
                    quota_jkn=schedule.quota_jkn,
                    quota_non_jkn=schedule.quota_non_jkn,
                    minutes_per_patient=schedule.minutes_per_patient,
                    status=Session.Status.CLOSED if closure else Session.Status.OPEN,
                    closure=closure,
                )
            )
    before = Session.objects.filter(clinic__unit=unit).count()
    Session.objects.bulk_create(sessions, ignore_conflicts=True, batch_size=500)
    return Session.objects.filter(clinic__unit=unit).count() - before


def _closed_days(unit: Unit, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The dates from ``first`` to ``last`` on which every clinic of ``unit`` is closed."""
    closed: dict[dt.date, str] = {
        date: Session.Closure.HOSPITAL
        for date in HospitalClosure.objects.filter(
            unit=unit, date__gte=first, date__lte=last
        ).values_list("date", flat=True)
    }
    for day_off in days_off(first, last, kinds=settings.HOSPITAL_CLOSED_ON):
        closed[day_off.date] = Session.Closure.HOLIDAY
    return closed


def add_closure(
    unit: Unit,
    date: dt.date,
    reason: str,
    *,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Close every clinic of ``unit`` on ``date`` (the hospital's own decision);
    returns how many booked patients were told by SMS."""
    with transaction.atomic():
        closure, _created = HospitalClosure.objects.get_or_create(
            unit=unit, date=date, defaults={"reason": reason, "recorded_by": by}
        )
        sessions = Session.objects.filter(clinic__unit=unit, date=date, status=Session.Status.OPEN)
        told = _close(list(sessions.values_list("pk", flat=True)), Session.Closure.HOSPITAL)
        # Audited last: the audit chain's lock comes after the sessions' (see _close).
        record("hospital.closure.add", obj=closure, request=request)
        return told


def close_on_days_off(
    *,
    unit: Unit | None = None,
    dates: Iterable[dt.date] | None = None,
    today: dt.date | None = None,
) -> int:
    """Close the open sessions (of ``unit``, or every unit) that fall on a day off
    of the city's calendar, from today on; returns how many patients were told.

    Runs after a change to the calendar is committed (``days_off_changed``) and
    every day with ``hospital_sessions``, which also catches days off loaded by
    a migration. Idempotent: a closed session is left as it is.
    """
    today = today or timezone.localdate()
    if dates is None:
        first, last = today, today + dt.timedelta(days=settings.HOSPITAL_BOOKING_DAYS + 1)
        wanted = None
    else:
        wanted = {d for d in dates if d >= today}
        if not wanted:
            return 0
        first, last = min(wanted), max(wanted)
    closing = sorted(
        d.date
        for d in days_off(first, last, kinds=settings.HOSPITAL_CLOSED_ON)
        if wanted is None or d.date in wanted
    )
    with transaction.atomic():
        sessions = Session.objects.filter(date__in=closing, status=Session.Status.OPEN)
        if unit is not None:
            sessions = sessions.filter(clinic__unit=unit)
        session_ids = list(sessions.values_list("pk", flat=True))
        if not session_ids:
            return 0
        told = _close(session_ids, Session.Closure.HOLIDAY)
        record(
            "hospital.closure.city_days_off",
            dates=[d.isoformat() for d in closing],
            sessions=len(session_ids),
        )
    return told


def add_leave(
    doctor: Doctor,
    first_day: dt.date,
    last_day: dt.date,
    *,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Close the doctor's sessions in those days; returns how many patients were told by SMS."""
    if last_day < first_day:
        raise ValidationError(_("The last day is before the first day."))
    with transaction.atomic():
        leave = DoctorLeave.objects.create(
            doctor=doctor, first_day=first_day, last_day=last_day, recorded_by=by
        )
        sessions = Session.objects.filter(
            doctor=doctor,
            date__gte=first_day,
            date__lte=last_day,
            status=Session.Status.OPEN,
        )
        told = _close(list(sessions.values_list("pk", flat=True)), Session.Closure.LEAVE)
        record("hospital.leave.add", obj=leave, request=request, doctor=doctor.pk)
        return told


def _close(session_ids: list[int], closure: str) -> int:
    """Close the sessions and cancel their active bookings, telling each patient. In atomic().

    Locks in the order every action takes them: the sessions, then their
    bookings, and only then the audit chain (``record``). Taking the chain
    first would deadlock with a kiosk check-in (booking, then chain) or a
    booking (session, then chain) running at the same moment.
    """
    told = 0
    sessions = list(Session.objects.select_for_update().filter(pk__in=session_ids).order_by("pk"))
    active: dict[int, list[Booking]] = {s.pk: [] for s in sessions}
    for booking in (
        Booking.objects.select_for_update()
        .filter(session_id__in=session_ids, status__in=Booking.ACTIVE)
        .order_by("pk")
    ):
        active[booking.session_id].append(booking)
    for session in sessions:
        session.status = Session.Status.CLOSED
        session.closure = closure
        session.save(update_fields=["status", "closure", "updated_at"])
        record("hospital.session.close", obj=session, closure=closure)
        for booking in active[session.pk]:
            _release(session, booking, Booking.Status.CANCELLED)
            text = _(
                "RSD Gunung Jati: the clinic session on %(date)s is cancelled (%(reason)s). Booking %(code)s is void; please book another day. We apologise."
            ) % {
                "date": _date(session.date),
                "reason": session.get_closure_display().lower(),
                "code": booking.code,
            }
            if phone := sms_phone(booking):
                _sms(phone, text, purpose="hospital-cancelled", related=booking)
                told += 1
    return told
