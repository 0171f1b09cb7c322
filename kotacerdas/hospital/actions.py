"""Every change to sessions, bookings, queues and beds goes through here.

Booking takes the session row with ``select_for_update``: the check of the
quota, the next queue number (a counter on that row) and the insert happen
while no one else can book the same session, so under a rush the quota holds
and numbers are 1, 2, 3 … with no gap and no repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Unit, User
from kotacerdas.audit.actions import record
from kotacerdas.core.locks import hold
from kotacerdas.hospital.models import (
    Bed,
    Booking,
    Doctor,
    DoctorLeave,
    Holiday,
    Session,
    TaskTime,
    Ward,
    WeeklySchedule,
)
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.people.models import Citizen, Person

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
CODE_PREFIX = "GJ"
CODE_LENGTH = 8
# Draws of a booking code before giving up (a clash is a 1-in-billions event).
CODE_ATTEMPTS = 3
Task = TaskTime.Task


def new_code() -> str:
    """``GJ7K3Q9PXA``: 22^8 ≈ 55 billion codes, no look-alike characters."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


def hospital_unit() -> Unit:
    return Unit.objects.get(code=settings.HOSPITAL_UNIT_CODE)


def _time(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _date(value: dt.date) -> str:
    return formats.date_format(value, "j M Y")


# Booking ------------------------------------------------------------------


@dataclass
class Patient:
    """Who the booking is for, as the form or the clerk entered it."""

    nik: str
    bpjs_card: str = ""
    medical_record: str = ""
    visit_type: int = Booking.VisitType.REFERRAL
    referral_number: str = ""
    phone: str = ""
    person: Person | None = None


def booking_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day one may book today (today itself, until the cut-off)."""
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=settings.HOSPITAL_BOOKING_DAYS)


def refusal(session: Session, *, now: dt.datetime | None = None) -> str | None:
    """Why ``session`` cannot be booked now, in words for the patient; None if it can."""
    now = now or timezone.now()
    first, last = booking_window(timezone.localdate(now))
    if not session.is_open:
        return _("This session is closed: %(reason)s.") % {
            "reason": session.get_closure_display() or _("closed by the hospital")
        }
    if session.date < first or session.date > last:
        return _(
            "Bookings are taken for %(first)s to %(last)s only; %(date)s is outside that window."
        ) % {"first": _date(first), "last": _date(last), "date": _date(session.date)}
    cutoff = session.starts_at - dt.timedelta(minutes=settings.HOSPITAL_BOOKING_CUTOFF_MINUTES)
    if now >= cutoff:
        return _(
            "Online booking for this session closed at %(time)s; please come to the registration counter."
        ) % {"time": _time(cutoff)}
    return None


def book(
    session_id: int,
    patient: Patient,
    *,
    channel: str,
    citizen: Citizen | None = None,
    clerk: User | None = None,
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
    loaded: Session | None = None,
) -> Booking:
    """Take the next queue number in a session, or raise ValidationError (nothing stored).

    The same ``idempotency_key`` (a form's hidden field) returns the booking it
    made the first time: a double tap or a retried request books once.
    ``loaded``: the session (with its clinic) as the caller has just read it,
    to spare reading it again for the checks before the lock.
    """
    if idempotency_key:
        earlier = _earlier(idempotency_key, citizen)
        if earlier is not None:
            return earlier
    counter = channel == Booking.Channel.COUNTER
    if citizen is not None:
        # A citizen's booking is confirmed and reminded only on their own
        # verified number: never SMS to a number someone typed in.
        patient = replace(patient, phone=citizen.phone)
    jkn = bool(patient.bpjs_card)
    # Everything that can be decided without the lock is decided here: under a
    # rush most requests come after the places are gone, and are told at once
    # rather than after queueing for the lock. (Places only come back by a
    # cancellation; a refusal a moment before one is the same as arriving a
    # moment earlier.) The locked part repeats only the in-memory checks on
    # the fresh row; the database's unique constraints stand behind the rest.
    unlocked = (
        loaded
        if loaded is not None and loaded.pk == session_id
        else Session.objects.select_related("clinic").filter(pk=session_id).first()
    )
    if unlocked is None:
        raise ValidationError(_("That session does not exist."), code="not_bookable")
    _check_bookable(unlocked, counter=counter)
    _check_quota(unlocked, jkn=jkn)
    try:
        _check_no_active_booking(session_id, patient.nik, citizen=citizen, counter=counter)
    except ValidationError:
        # The active booking may be this very form's, made by a twin a moment ago.
        if idempotency_key and (earlier := _earlier(idempotency_key, citizen)) is not None:
            return earlier
        raise
    for _attempt in range(CODE_ATTEMPTS):
        try:
            # The outer block holds the citizen's lock (online bookings) to the
            # commit; the inner one is the short part with the session locked.
            with transaction.atomic():
                if citizen is not None and not counter:
                    try:
                        _check_citizen_limits(citizen)
                    except ValidationError:
                        # The booking that reached the limit may be this form's own twin.
                        if (
                            idempotency_key
                            and (earlier := _earlier(idempotency_key, citizen)) is not None
                        ):
                            return earlier
                        raise
                with transaction.atomic():
                    # ``of=self``: only this session's row is locked, not its clinic's
                    # (that would make every session of the clinic wait on each other).
                    session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
                    session.clinic = unlocked.clinic
                    _check_bookable(session, counter=counter)
                    booking = _allocate(
                        session,
                        patient,
                        channel=channel,
                        citizen=citizen,
                        clerk=clerk,
                        idempotency_key=idempotency_key,
                    )
                    record(
                        "hospital.booking.create",
                        actor=clerk,
                        obj=booking,
                        request=request,
                        session=session.pk,
                        number=booking.number,
                        channel=channel,
                    )
        except IntegrityError:
            # The transaction is rolled back (the number with it). Which
            # constraint was it? A twin with the same key made the booking; a
            # parallel request for the same patient won; or, once in billions,
            # the random code was taken: then draw again.
            if idempotency_key and (earlier := _earlier(idempotency_key, citizen)) is not None:
                return earlier
            _check_no_active_booking(session_id, patient.nik, citizen=citizen, counter=counter)
            continue
        _confirm_by_sms(booking)
        return booking
    raise RuntimeError("Could not draw a free booking code")


def _check_bookable(session: Session, *, counter: bool) -> None:
    if counter:
        # The counter books walk-ins up to the end of the session, not only until the cut-off.
        if not session.is_open:
            raise ValidationError(_("This session is closed."), code="closed")
        if timezone.now() >= session.ends_at:
            raise ValidationError(_("This session has already ended."), code="ended")
    elif reason := refusal(session):
        raise ValidationError(reason, code="not_bookable")


def _check_no_active_booking(
    session_id: int, nik: str, *, citizen: Citizen | None = None, counter: bool = True
) -> None:
    """Refuse a second active booking of one NIK in one session.

    Online, a NIK anyone may type in: only the signed-in citizen who made the
    existing booking is told it exists. Anyone else gets the same answer as for a
    session they cannot book, so that the form does not tell whether a given
    NIK is booked at a clinic (psychiatry, say). The counter is told plainly.
    """
    owners = list(
        Booking.objects.filter(
            session_id=session_id, nik=nik, status__in=Booking.ACTIVE
        ).values_list("citizen_id", flat=True)[:1]
    )
    if not owners:
        return
    if not counter and citizen is not None and owners[0] != citizen.pk:
        raise ValidationError(unavailable(), code="unavailable")
    raise ValidationError(
        _("This patient already has a booking in this session."), code="duplicate"
    )


def unavailable() -> str:
    return _(
        "This session cannot be booked online for this patient. Please choose another session or ask at the registration counter."
    )


def _check_citizen_limits(citizen: Citizen) -> None:
    """The per-citizen caps on online bookings. Call inside ``atomic()``.

    Serialised per citizen, so parallel requests (for different sessions, which
    do not wait on each other's session lock) cannot all pass the count.
    """
    hold(f"hospital-citizen-bookings:{citizen.pk}")
    today = timezone.localdate()
    most = settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN
    active = Booking.objects.filter(
        citizen=citizen, status__in=Booking.ACTIVE, session__date__gte=today
    ).count()
    if active >= most:
        raise ValidationError(
            _(
                "You already have %(count)d active bookings, the most one account may hold. Cancel one you no longer need, or book at the registration counter."
            )
            % {"count": active},
            code="limit",
        )
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    most = settings.HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY
    made = Booking.objects.filter(citizen=citizen, created_at__gte=day_start).count()
    if made >= most:
        raise ValidationError(
            _(
                "You have made %(count)d bookings today, the most one account may make in a day. Please try again tomorrow or book at the registration counter."
            )
            % {"count": made},
            code="limit",
        )


def _earlier(key: str, citizen: Citizen | None) -> Booking | None:
    # A bare look-up first: almost every request finds nothing.
    found = Booking.objects.filter(idempotency_key=key).values_list("pk", "citizen_id").first()
    if found is None:
        return None
    if citizen is not None and found[1] != citizen.pk:
        raise ValidationError(_("This form was already used; please open the booking page again."))
    return Booking.objects.select_related("session__clinic").get(pk=found[0])


def _check_quota(session: Session, *, jkn: bool) -> None:
    if jkn and session.booked_jkn >= session.quota_jkn:
        raise ValidationError(
            _("The quota for JKN patients in this session is full; please choose another session."),
            code="full",
        )
    if not jkn and session.booked_non_jkn >= session.quota_non_jkn:
        raise ValidationError(
            _(
                "The quota for non-JKN patients in this session is full; please choose another session."
            ),
            code="full",
        )


def _allocate(
    session: Session,
    patient: Patient,
    *,
    channel: str,
    citizen: Citizen | None,
    clerk: User | None,
    idempotency_key: str | None,
    rescheduled_from: Booking | None = None,
) -> Booking:
    """The next number and the insert, with ``session`` locked. Call inside ``atomic()``.

    The caller has checked that the session takes bookings and that the patient
    has no active booking in it (the partial unique constraint backs that up).
    Nothing else is looked up here: every statement runs with the row locked.
    """
    jkn = bool(patient.bpjs_card)
    _check_quota(session, jkn=jkn)
    number = session.last_number + 1
    session.last_number = number
    if jkn:
        session.booked_jkn += 1
    else:
        session.booked_non_jkn += 1
    session.save(update_fields=["last_number", "booked_jkn", "booked_non_jkn", "updated_at"])
    return Booking.objects.create(
        session=session,
        code=new_code(),
        number=number,
        channel=channel,
        payer=Booking.Payer.JKN if jkn else Booking.Payer.NON_JKN,
        visit_type=patient.visit_type,
        nik=patient.nik,
        bpjs_card=patient.bpjs_card,
        medical_record=patient.medical_record,
        referral_number=patient.referral_number,
        phone=patient.phone,
        person=patient.person,
        citizen=citizen,
        booked_by=clerk,
        idempotency_key=idempotency_key or None,
        # By place, not by number: after cancellations the numbers run past the
        # quota, but the patient is only as far back as the places taken.
        estimated_at=session.estimate(session.booked_jkn + session.booked_non_jkn),
        rescheduled_from=rescheduled_from,
    )


def sms_phone(booking: Booking) -> str:
    """Where a booking's SMS go: the citizen's own verified number for their bookings
    (also those stored before the form stopped asking for one), else the number
    the clerk entered at the counter."""
    return booking.citizen.phone if booking.citizen is not None else booking.phone


def _sms(phone: str, text: str, *, purpose: str, related: Booking) -> None:
    """Send if the number takes it; a refused SMS never undoes the booking."""
    if not phone:
        return
    try:
        send_sms(phone, text, purpose=purpose, related=related)
    except (RateLimited, ValidationError) as exc:
        logger.warning("hospital SMS not sent for booking %s: %s", related.pk, exc.messages)


def _confirm_by_sms(booking: Booking) -> None:
    # No name, no clinic, no diagnosis: only what the patient needs to come.
    _sms(
        sms_phone(booking),
        _(
            "RSD Gunung Jati: booking %(code)s, queue %(number)s on %(date)s, estimated %(time)s. Check in at the kiosk on the day."
        )
        % {
            "code": booking.code,
            "number": booking.sms_number,
            "date": _date(booking.session.date),
            "time": _time(booking.estimated_at),
        },
        purpose="hospital-booking",
        related=booking,
    )


def cancel(
    booking: Booking,
    *,
    by_citizen: Citizen | None = None,
    by_user: User | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.can_change:
            raise ValidationError(
                _("This booking can no longer be cancelled (already checked in or finished).")
            )
        _release(session, booking, Booking.Status.CANCELLED)
        record("hospital.booking.cancel", actor=by_user, obj=booking, request=request)
    return booking


def _release(session: Session, booking: Booking, status: str) -> None:
    """Give the place back to the quota (never the number). Call with both rows locked."""
    was_active = booking.status in Booking.ACTIVE
    booking.status = status
    booking.save(update_fields=["status", "updated_at"])
    if was_active:
        field = "booked_jkn" if booking.payer == Booking.Payer.JKN else "booked_non_jkn"
        Session.objects.filter(pk=session.pk).update(**{field: F(field) - 1})
    TaskTime.objects.get_or_create(
        booking=booking, task=Task.CANCELLED, defaults={"at": timezone.now()}
    )


def reschedule(
    booking: Booking,
    new_session_id: int,
    *,
    citizen: Citizen | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    """Cancel ``booking`` and book the same patient in another session, all or nothing."""
    if new_session_id == booking.session_id:
        raise ValidationError(_("Choose a different session."))
    with transaction.atomic():
        # Lock both sessions in id order, so two reschedules never wait on each other.
        ids = sorted([booking.session_id, new_session_id])
        locked = {
            s.pk: s
            for s in Session.objects.select_for_update(of=("self",))
            .select_related("clinic")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        if new_session_id not in locked:
            raise ValidationError(_("That session does not exist."))
        old = Booking.objects.select_for_update().get(pk=booking.pk)
        if not old.can_change:
            raise ValidationError(
                _("This booking can no longer be changed (already checked in or finished).")
            )
        new_session = locked[new_session_id]
        # Every check before the old place is released: nothing is changed,
        # even inside a transaction that is rolled back, to find out an answer.
        _check_bookable(new_session, counter=False)
        _check_no_active_booking(new_session.pk, old.nik, citizen=old.citizen, counter=False)
        _release(locked[old.session_id], old, Booking.Status.CANCELLED)
        patient = Patient(
            nik=old.nik,
            bpjs_card=old.bpjs_card,
            medical_record=old.medical_record,
            visit_type=old.visit_type,
            referral_number=old.referral_number,
            phone=old.citizen.phone if old.citizen is not None else old.phone,
            person=old.person,
        )
        new = _allocate(
            new_session,
            patient,
            channel=old.channel,
            citizen=old.citizen,
            clerk=None,
            idempotency_key=None,
            rescheduled_from=old,
        )
        record("hospital.booking.reschedule", obj=new, request=request, previous=old.pk)
    _confirm_by_sms(new)
    return new


# Arrival and the queue -----------------------------------------------------


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


# Schedules, holidays, leave ----------------------------------------------


def generate_sessions(unit: Unit, *, today: dt.date | None = None, days: int | None = None) -> int:
    """Dated sessions from the weekly schedules for the booking window (idempotent)."""
    today = today or timezone.localdate()
    days = settings.HOSPITAL_BOOKING_DAYS if days is None else days
    holidays = set(
        Holiday.objects.filter(unit=unit, date__gte=today).values_list("date", flat=True)
    )
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
            closure = (
                Session.Closure.HOLIDAY
                if date in holidays
                else Session.Closure.LEAVE
                if on_leave
                else ""
            )
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


def add_holiday(unit: Unit, date: dt.date, name: str, *, request: HttpRequest | None = None) -> int:
    """Close every session on ``date``; returns how many booked patients were told by SMS."""
    with transaction.atomic():
        holiday, _created = Holiday.objects.get_or_create(
            unit=unit, date=date, defaults={"name": name}
        )
        sessions = Session.objects.filter(clinic__unit=unit, date=date, status=Session.Status.OPEN)
        told = _close(list(sessions.values_list("pk", flat=True)), Session.Closure.HOLIDAY)
        # Audited last: the audit chain's lock comes after the sessions' (see _close).
        record("hospital.holiday.add", obj=holiday, request=request)
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


# Reminders -----------------------------------------------------------------


def send_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """SMS the day before (after the configured hour) and about an hour before; each once.

    Only to patients who have not checked in, and only for bookings made before
    the reminder fell due: someone who books tomorrow's session this evening, or
    a walk-in booked at the counter for the next hour, has just had the
    confirmation SMS with the same time in it.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    sent = {"day_before": 0, "hour_before": 0}
    reminders_from = local.replace(
        hour=settings.HOSPITAL_REMINDER_DAY_BEFORE_HOUR, minute=0, second=0, microsecond=0
    )
    if local >= reminders_from:
        tomorrow = local.date() + dt.timedelta(days=1)
        due = Booking.objects.filter(
            session__date=tomorrow,
            session__status=Session.Status.OPEN,
            status=Booking.Status.BOOKED,
            reminded_day_before__isnull=True,
            created_at__lt=reminders_from,
        ).exclude(phone="", citizen__isnull=True)
        for booking in due.select_related("session__clinic", "citizen"):
            sent["day_before"] += _remind(booking, "reminded_day_before", now)
    before = dt.timedelta(minutes=settings.HOSPITAL_REMINDER_MINUTES_BEFORE)
    due = Booking.objects.filter(
        estimated_at__gt=now,
        estimated_at__lte=now + before,
        session__status=Session.Status.OPEN,
        status=Booking.Status.BOOKED,
        reminded_hour_before__isnull=True,
        created_at__lt=F("estimated_at") - before,
    ).exclude(phone="", citizen__isnull=True)
    for booking in due.select_related("session__clinic", "citizen"):
        sent["hour_before"] += _remind(booking, "reminded_hour_before", now)
    return sent


def _remind(booking: Booking, flag: str, now: dt.datetime) -> int:
    with transaction.atomic():
        # Claim the reminder first: a second run (or a parallel one) finds it taken.
        claimed = Booking.objects.filter(pk=booking.pk, **{f"{flag}__isnull": True}).update(
            **{flag: now}
        )
        if not claimed:
            return 0
        text = _(
            "RSD Gunung Jati reminder: queue %(number)s on %(date)s, estimated %(time)s. Booking %(code)s; check in at the kiosk when you arrive."
        ) % {
            "number": booking.sms_number,
            "date": _date(booking.session.date),
            "time": _time(booking.estimated_at),
            "code": booking.code,
        }
        _sms(sms_phone(booking), text, purpose="hospital-reminder", related=booking)
    return 1


# Beds ------------------------------------------------------------------------


def set_bed_status(bed: Bed, status: str, *, request: HttpRequest | None = None) -> Bed:
    if status not in Bed.Status.values:
        raise ValidationError(_("Unknown bed status."))
    with transaction.atomic():
        now = timezone.now()
        previous = bed.status
        Bed.objects.filter(pk=bed.pk).update(status=status, updated_at=now)
        Ward.objects.filter(pk=bed.room.ward_id).update(updated_at=now)
        bed.status, bed.updated_at = status, now
        record("hospital.bed.status", obj=bed, request=request, before=previous, after=status)
    return bed


def set_ward_waiting(ward: Ward, waiting: int, *, request: HttpRequest | None = None) -> Ward:
    if waiting < 0 or waiting > 999:
        raise ValidationError(_("Enter a number of patients between 0 and 999."))
    with transaction.atomic():
        ward.waiting = waiting
        ward.updated_at = timezone.now()
        ward.save(update_fields=["waiting", "updated_at"])
        record("hospital.ward.waiting", obj=ward, request=request, waiting=waiting)
    return ward
