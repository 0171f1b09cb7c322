"""Booking a place in a session, cancelling it, moving it to another session.

Booking takes its place with one UPDATE of the session's row (the quota in
its WHERE, the next queue number from its RETURNING) and inserts the booking
and its audit event in the same short transaction: the row stays locked only
for those, so under a rush the quota holds and numbers are 1, 2, 3 … with no
gap and no repeat, while the checks, the idempotency look-up and the SMS run
outside the lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import event, record
from kotacerdas.core.inserts import insert_together
from kotacerdas.core.locks import hold
from kotacerdas.hospital.actions._common import _date, _time, sms_number_or_none
from kotacerdas.hospital.models import Booking, Session, TaskTime
from kotacerdas.messaging.actions import new_sms, queue_sms
from kotacerdas.people.models import Citizen, Person

CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
CODE_PREFIX = "GJ"
CODE_LENGTH = 8
# Draws of a booking code before giving up (a clash is a 1-in-billions event).
CODE_ATTEMPTS = 3
Task = TaskTime.Task
# ``status IN (…)`` of Booking.ACTIVE in the statements written out: as
# literals (code's own constants), so that a prepared statement's generic plan
# still matches the partial index of active bookings (hospital_one_active_booking).
assert all(status.isidentifier() for status in Booking.ACTIVE)
_ACTIVE_IN = ", ".join(f"'{status}'" for status in Booking.ACTIVE)


def new_code() -> str:
    """``GJ7K3Q9PXA``: 22^8 ≈ 55 billion codes, no look-alike characters."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


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
    # One look-up for both: the booking this form made already (a double tap,
    # a retry), and an active booking of this patient in this session.
    earlier, owners = _earlier_or_owners(idempotency_key, session_id, patient.nik, citizen)
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
        _check_no_active_booking(
            session_id, patient.nik, citizen=citizen, counter=counter, owners=owners
        )
    except ValidationError:
        # The active booking may be this very form's, made by a twin a moment ago.
        if idempotency_key and (earlier := _earlier(idempotency_key, citizen)) is not None:
            return earlier
        raise
    for _attempt in range(CODE_ATTEMPTS):
        try:
            # One short transaction: the citizen's caps (under the citizen's own
            # lock, not the session's), then the place, the insert and the audit
            # event. The session's row is locked from the place's UPDATE to the
            # commit: two inserts, no Python work worth the name.
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
                # A booking by SMS is confirmed by the reply to that SMS. Any
                # other's confirmation is stored with the booking, in this
                # transaction: a server that dies after the commit cannot leave a
                # booking without its SMS. The number's limit is counted before
                # the place is taken (one UPSERT with the database cache), so
                # the session's row waits for none of it.
                confirm_to = (
                    sms_number_or_none(patient.phone) if channel != Booking.Channel.SMS else None
                )
                # The place and the booking's id in one statement, then the
                # booking, its audit event and its confirmation in one more:
                # the session's row waits for two round trips and the commit.
                booking = _allocate(
                    unlocked,
                    patient,
                    channel=channel,
                    citizen=citizen,
                    clerk=clerk,
                    idempotency_key=idempotency_key,
                    store=False,
                )
                rows: list[Any] = [booking]
                if booking.pk is None:  # no id drawn (not PostgreSQL): the booking first
                    booking.save(force_insert=True)
                    rows = []
                rows.append(
                    event(
                        "hospital.booking.create",
                        actor=clerk,
                        obj=booking,
                        request=request,
                        session=session_id,
                        number=booking.number,
                        channel=channel,
                    )
                )
                if confirm_to is not None:
                    rows.append(
                        new_sms(
                            confirm_to,
                            _confirmation(booking),
                            purpose="hospital-booking",
                            related=booking,
                        )
                    )
                insert_together(*rows)
        except IntegrityError:
            # The transaction is rolled back (the number with it). Which
            # constraint was it? A twin with the same key made the booking; a
            # parallel request for the same patient won; or, once in billions,
            # the random code was taken: then draw again.
            if idempotency_key and (earlier := _earlier(idempotency_key, citizen)) is not None:
                return earlier
            _check_no_active_booking(session_id, patient.nik, citizen=citizen, counter=counter)
            continue
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
    session_id: int,
    nik: str,
    *,
    citizen: Citizen | None = None,
    counter: bool = True,
    owners: list[int | None] | None = None,
) -> None:
    """Refuse a second active booking of one NIK in one session.

    Online, a NIK anyone may type in: only the signed-in citizen who made the
    existing booking is told it exists. Anyone else gets the same answer as for a
    session they cannot book, so that the form does not tell whether a given
    NIK is booked at a clinic (psychiatry, say). The counter is told plainly.
    """
    if owners is None:  # ``owners``: the citizens of such bookings, as read just before
        owners = list(
            Booking.objects.filter(session_id=session_id, nik=nik, status__in=Booking.ACTIVE)
            .order_by()
            .values_list("citizen_id", flat=True)[:1]
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
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    # Both counts in one statement (after the lock: a statement of its own
    # sees what the citizen's other requests committed while this one waited),
    # each its own subquery: one query with both conditions as FILTERs over
    # their OR took 4 times as long as the two.
    active, made = _count_citizens_bookings(citizen.pk, today, day_start)
    most = settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN
    if active >= most:
        raise ValidationError(
            _(
                "You already have %(count)d active bookings, the most one account may hold. Cancel one you no longer need, or book at the registration counter."
            )
            % {"count": active},
            code="limit",
        )
    most = settings.HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY
    if made >= most:
        raise ValidationError(
            _(
                "You have made %(count)d bookings today, the most one account may make in a day. Please try again tomorrow or book at the registration counter."
            )
            % {"count": made},
            code="limit",
        )


def _count_citizens_bookings(
    citizen_id: int, today: dt.date, day_start: dt.datetime
) -> tuple[int, int]:
    """The citizen's active bookings from ``today`` on, and the bookings made since
    ``day_start``, in one statement.

    Written out, not built through the ORM: on every online booking, building
    and compiling the two querysets cost as much Python as the whole locked
    part of the booking (issue 12).
    """
    ops = connection.ops
    booking = ops.quote_name(Booking._meta.db_table)
    session = ops.quote_name(Session._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {booking} b"  # noqa: S608 (names from code, values bound)
            f" JOIN {session} s ON s.id = b.session_id"
            f" WHERE b.citizen_id = %s AND b.status IN ({_ACTIVE_IN}) AND s.date >= %s),"
            f" (SELECT COUNT(*) FROM {booking} WHERE citizen_id = %s AND created_at >= %s)",
            [
                citizen_id,
                ops.adapt_datefield_value(today),
                citizen_id,
                ops.adapt_datetimefield_value(day_start),
            ],
        )
        row = cursor.fetchone()
    return int(row[0]), int(row[1])


def _earlier(key: str, citizen: Citizen | None) -> Booking | None:
    # A bare look-up first (no ordering, so no join): almost every request finds nothing.
    found = (
        Booking.objects.filter(idempotency_key=key).order_by().values_list("pk", "citizen_id")[:1]
    )
    return _earlier_found(found[0] if found else None, citizen)


def _earlier_found(found: tuple[int, int | None] | None, citizen: Citizen | None) -> Booking | None:
    """The booking (pk, citizen) found by an idempotency key, if it is this citizen's."""
    if found is None:
        return None
    if citizen is not None and found[1] != citizen.pk:
        raise ValidationError(_("This form was already used; please open the booking page again."))
    return Booking.objects.select_related("session__clinic").get(pk=found[0])


def _earlier_or_owners(
    key: str | None, session_id: int, nik: str, citizen: Citizen | None
) -> tuple[Booking | None, list[int | None]]:
    """In one statement: the booking made with ``key`` (see :func:`_earlier`), and the
    citizens of ``nik``'s active bookings in the session (for _check_no_active_booking)."""
    # Written out, as the counts above: the ORM's OR of a key and three
    # conditions cost more Python than the statement costs the database.
    where = f"session_id = %s AND nik = %s AND status IN ({_ACTIVE_IN})"
    params: list[Any] = [session_id, nik]
    if key:
        where, params = f"idempotency_key = %s OR ({where})", [key, *params]
    table = connection.ops.quote_name(Booking._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, citizen_id, idempotency_key FROM {table} WHERE {where} LIMIT 2",  # noqa: S608 (as above)
            params,
        )
        rows = cursor.fetchall()
    by_key = next(((pk, owner) for pk, owner, k in rows if key and k == key), None)
    if by_key is not None:
        return _earlier_found(by_key, citizen), []
    return None, [owner for _pk, owner, _k in rows]


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
    store: bool = True,
) -> Booking:
    """Take a place and the next number, then insert the booking. Call inside ``atomic()``.

    ``store=False``: the booking is returned unsaved, with its id drawn already,
    for the caller to insert with its other rows (``insert_together``).

    The caller has checked that the session takes bookings and that the patient
    has no active booking in it (the partial unique constraint backs that up).
    ``session`` need not be locked or fresh: the place is taken by one UPDATE
    that checks the quota and the status on the row itself.
    """
    jkn = bool(patient.bpjs_card)
    number, places, pk = _take_place(
        session, jkn=jkn, counter=channel == Booking.Channel.COUNTER, draw_id=not store
    )
    booking = Booking(
        pk=pk,
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
        estimated_at=session.estimate(places),
        rescheduled_from=rescheduled_from,
    )
    if store:
        booking.save(force_insert=True)
    return booking


def _take_place(
    session: Session, *, jkn: bool, counter: bool, draw_id: bool = False
) -> tuple[int, int, int | None]:
    """Count one place in and draw the next queue number, in one statement.

    Returns (number, places taken, the booking's id if ``draw_id``: drawn
    from its sequence in the same statement, so that the booking's audit
    event and SMS can name it before it is inserted). The UPDATE locks the session's row until
    the transaction ends, so numbers follow each other without gap or repeat,
    and its WHERE keeps the quota: under a rush each booking waits only for
    the others' two inserts, never for their checks. A rolled-back booking
    gives its number back with the rest of the transaction.
    """
    booked, quota = ("booked_jkn", "quota_jkn") if jkn else ("booked_non_jkn", "quota_non_jkn")
    table = connection.ops.quote_name(Session._meta.db_table)
    new_id = ", NULL"
    if draw_id and connection.vendor == "postgresql":
        new_id = f", nextval(pg_get_serial_sequence('{Booking._meta.db_table}', 'id'))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1,"  # noqa: S608 (names from code)
            f" {booked} = {booked} + 1, updated_at = %s"
            f" WHERE id = %s AND status = %s AND {booked} < {quota}"
            f" RETURNING last_number, booked_jkn + booked_non_jkn{new_id}",
            [
                connection.ops.adapt_datetimefield_value(timezone.now()),
                session.pk,
                Session.Status.OPEN,
            ],
        )
        taken = cursor.fetchone()
    if taken is None:
        # Closed or filled since the checks before: say which, from the fresh row.
        fresh = Session.objects.select_related("clinic").get(pk=session.pk)
        _check_bookable(fresh, counter=counter)
        _check_quota(fresh, jkn=jkn)
        raise ValidationError(unavailable(), code="not_bookable")
    return taken[0], taken[1], taken[2]


def _confirm_by_sms(booking: Booking, number: str) -> None:
    """Store the confirmation (call in the booking's transaction; the outbox sends it)."""
    queue_sms(number, _confirmation(booking), purpose="hospital-booking", related=booking)


def _confirmation(booking: Booking) -> str:
    """The confirmation SMS's text."""
    # No name, no clinic, no diagnosis: only what the patient needs to come.
    return _(  # type: ignore[no-any-return]
        "RSD Gunung Jati: booking %(code)s, queue %(number)s on %(date)s, estimated %(time)s. Check in at the kiosk on the day."
    ) % {
        "code": booking.code,
        "number": booking.sms_number,
        "date": _date(booking.session.date),
        "time": _time(booking.estimated_at),
    }


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
    # Counted before the locks, as in book(); stored with the new booking.
    confirm_to = sms_number_or_none(
        booking.citizen.phone if booking.citizen is not None else booking.phone
    )
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
        if confirm_to is not None:
            _confirm_by_sms(new, confirm_to)
    return new
