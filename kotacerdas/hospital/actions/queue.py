"""Arrival and the queue: the kiosk's check-in, the counter's registration of new
patients, the clinic calling, skipping and serving, the pharmacy's steps (BPJS
task ids 1 to 7) and the no-shows at the end of the day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.hospital.actions._common import _date, _time
from kotacerdas.hospital.actions.booking import normalise_code
from kotacerdas.hospital.actions.changes import _release
from kotacerdas.hospital.models import Booking, Session, TaskTime

Task = TaskTime.Task


def check_in_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    opens = session.starts_at - dt.timedelta(minutes=settings.HOSPITAL_CHECKIN_BEFORE_MINUTES)
    return opens, session.ends_at


def check_in(code: str, *, now: dt.datetime | None = None) -> Booking:
    """The kiosk: check a booking in by its code, or raise ValidationError (nothing changed).

    Checking in twice shows the same ticket again.
    """
    now = now or timezone.now()
    code = normalise_code(code)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("session__clinic")
            .filter(code=code)
            .first()
        )
        if booking is None:
            raise ValidationError(
                _("There is no booking with code %(code)s. Check the code on your SMS or ticket.")
                % {"code": code[:12]},
                code="unknown",
            )
        if booking.status in (Booking.Status.CHECKED_IN, Booking.Status.CALLED):
            return booking
        if booking.status != Booking.Status.BOOKED:
            raise ValidationError(
                _("This booking is %(status)s; it cannot be checked in.")
                % {"status": booking.get_status_display().lower()},
                code="status",
            )
        session = booking.session
        today = timezone.localdate(now)
        if session.date != today:
            raise ValidationError(
                _("This booking is for %(date)s, not today. Please come back on that day.")
                % {"date": _date(session.date)},
                code="wrong_day",
            )
        opens, closes = check_in_window(session)
        if now < opens:
            raise ValidationError(
                _("Check-in for this session opens at %(time)s.") % {"time": _time(opens)},
                code="early",
            )
        if now >= closes:
            raise ValidationError(
                _("This session ended at %(time)s; please ask at the registration counter.")
                % {"time": _time(closes)},
                code="late",
            )
        booking.status = Booking.Status.CHECKED_IN
        booking.save(update_fields=["status", "updated_at"])
        first_task = Task.ADMISSION_WAITING if booking.is_new_patient else Task.CLINIC_WAITING
        TaskTime.objects.create(booking=booking, task=first_task, at=now)
        record("hospital.booking.check_in", obj=booking, task=int(first_task))
    return booking


def _task(booking: Booking, task: int, at: dt.datetime) -> None:
    TaskTime.objects.get_or_create(booking=booking, task=task, defaults={"at": at})


def admit(
    booking: Booking, *, medical_record: str = "", request: HttpRequest | None = None
) -> None:
    """The counter finished registering a new patient: tasks 2 and 3."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.CHECKED_IN:
            raise ValidationError(_("Only a checked-in patient can be registered at the counter."))
        now = timezone.now()
        _task(booking, Task.ADMISSION_WAITING, now)
        _task(booking, Task.ADMISSION_SERVICE, now)
        _task(booking, Task.CLINIC_WAITING, now)
        if medical_record and not booking.medical_record:
            booking.medical_record = medical_record
            booking.save(update_fields=["medical_record", "updated_at"])
        record("hospital.booking.admit", obj=booking, request=request)


def call_next(session: Session, *, request: HttpRequest | None = None) -> Booking:
    """Call the lowest number waiting at the clinic (BPJS task 4).

    Waiting at the clinic means task 3: a returning patient has it from the
    kiosk; a new patient only once the counter has registered them (tasks
    2 and 3). Calling a new patient straight from the kiosk would record
    task 4 after task 1 with nothing between, which BPJS refuses, and send
    a patient with no medical record to the doctor.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        booking = (
            session.bookings.select_for_update()
            .filter(status=Booking.Status.CHECKED_IN, tasks__task=Task.CLINIC_WAITING)
            .order_by("number")
            .first()
        )
        if booking is None:
            at_counter = session.bookings.filter(status=Booking.Status.CHECKED_IN).count()
            if at_counter:
                raise ValidationError(
                    _(
                        "Nobody is waiting at the clinic yet; %(count)d new patients are still being registered at the counter."
                    )
                    % {"count": at_counter},
                    code="empty",
                )
            raise ValidationError(_("Nobody who has checked in is waiting."), code="empty")
        _call(session, booking)
        record("hospital.queue.call", obj=booking, request=request, number=booking.number)
    return booking


def _call(session: Session, booking: Booking) -> None:
    now = timezone.now()
    booking.status = Booking.Status.CALLED
    booking.save(update_fields=["status", "updated_at"])
    _task(booking, Task.CLINIC_SERVICE, now)
    session.serving_number = booking.number
    session.called_at = now
    session.save(update_fields=["serving_number", "called_at", "updated_at"])


def recall(booking: Booking, *, request: HttpRequest | None = None) -> Booking:
    """Call again: the one just called, or one skipped earlier who has now come."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status not in (Booking.Status.CALLED, Booking.Status.SKIPPED):
            raise ValidationError(_("Only a called or skipped patient can be called again."))
        _call(session, booking)
        record("hospital.queue.recall", obj=booking, request=request, number=booking.number)
    return booking


def skip(booking: Booking, *, request: HttpRequest | None = None) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.CALLED:
            raise ValidationError(_("Only a called patient can be skipped."))
        booking.status = Booking.Status.SKIPPED
        booking.save(update_fields=["status", "updated_at"])
        record("hospital.queue.skip", obj=booking, request=request, number=booking.number)
    return booking


def serve(booking: Booking, *, request: HttpRequest | None = None) -> Booking:
    """The doctor is done (task 5: the patient moves on to the pharmacy)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.CALLED:
            raise ValidationError(_("Only a called patient can be marked as served."))
        booking.status = Booking.Status.SERVED
        booking.save(update_fields=["status", "updated_at"])
        _task(booking, Task.PHARMACY_WAITING, timezone.now())
        record("hospital.queue.serve", obj=booking, request=request, number=booking.number)
    return booking


def pharmacy(booking: Booking, task: int, *, request: HttpRequest | None = None) -> None:
    """Tasks 6 (medicine being prepared) and 7 (ready), in order, after task 5."""
    if task not in (Task.PHARMACY_PREPARING, Task.MEDICINE_READY):
        raise ValidationError(_("Unknown pharmacy step."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        done = set(booking.tasks.values_list("task", flat=True))
        if booking.status != Booking.Status.SERVED or task - 1 not in done:
            raise ValidationError(_("The previous step has not been recorded yet."))
        _task(booking, task, timezone.now())
        record("hospital.queue.pharmacy", obj=booking, request=request, task=task)


def mark_no_shows(now: dt.datetime | None = None) -> int:
    """Bookings of sessions that have ended become no-shows (task 99): those never
    checked in, and those called and skipped who never came back to be called again.
    (A checked-in patient the clinic never called is the clinic's to sort out.)"""
    gone = (Booking.Status.BOOKED, Booking.Status.SKIPPED)
    now = now or timezone.now()
    local = timezone.localtime(now)
    ended = Session.objects.filter(date__lt=local.date()) | Session.objects.filter(
        date=local.date(), end__lte=local.time()
    )
    count = 0
    for booking_id in Booking.objects.filter(session__in=ended, status__in=gone).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # The session first, then the booking: the order cancel() takes them in.
            session = Session.objects.select_for_update(of=("self",)).get(bookings__pk=booking_id)
            booking = (
                Booking.objects.select_for_update().filter(pk=booking_id, status__in=gone).first()
            )
            if booking is None:
                continue
            _release(session, booking, Booking.Status.NO_SHOW)
            record("hospital.booking.no_show", obj=booking)
            count += 1
    return count
