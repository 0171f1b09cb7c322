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
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import event
from kotacerdas.core.inserts import insert_after, insert_together
from kotacerdas.hospital.actions._common import ACTIVE_IN, _date, _time, sms_number_or_none
from kotacerdas.hospital.actions.limits import check_citizen_limits
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.messaging.actions import new_sms, queue_sms
from kotacerdas.messaging.encoding import count_segments, count_sql
from kotacerdas.people.models import Citizen, Person

CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
CODE_PREFIX = "GJ"
CODE_LENGTH = 8
# Draws of a booking code before giving up (a clash is a 1-in-billions event).
CODE_ATTEMPTS = 3


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
            # lock, not the session's), then the place, the booking, its audit
            # event and its confirmation. On PostgreSQL the session's row is
            # locked for one statement and the commit.
            with transaction.atomic():
                if citizen is not None and not counter:
                    try:
                        check_citizen_limits(citizen)
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
                made = _place_and_store if connection.vendor == "postgresql" else _place_then_store
                booking = made(
                    unlocked,
                    patient,
                    channel=channel,
                    citizen=citizen,
                    clerk=clerk,
                    idempotency_key=idempotency_key,
                    request=request,
                    confirm_to=confirm_to,
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
    where = f"session_id = %s AND nik = %s AND status IN ({ACTIVE_IN})"
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


# Where the confirmation's queue number and estimated time go in its text
# before the database has drawn the number (see _place_and_store).
NUMBER_MARK, TIME_MARK = "\x01", "\x02"


def _place_and_store(
    session: Session,
    patient: Patient,
    *,
    channel: str,
    citizen: Citizen | None,
    clerk: User | None,
    idempotency_key: str | None,
    request: HttpRequest | None,
    confirm_to: str | None,
) -> Booking:
    """PostgreSQL: the place, the booking, its audit event and its confirmation in one
    statement (``insert_after``). Call inside ``atomic()``.

    Under a rush the session's row lock sets the pace, and its holder used to
    keep it across three round trips, waiting between them for a core and
    for its worker's interpreter. Now it keeps it for one statement and the
    commit: what depends on the number (the booking's number and estimated
    time, the event's ``number``, the SMS's text and segments) is computed by
    the database from the UPDATE's answer; the booking's are read back.
    """
    jkn = bool(patient.bpjs_card)
    booking = _unsaved(session, patient, channel=channel, citizen=citizen, clerk=clerk)
    booking.idempotency_key = idempotency_key or None
    audit = event(
        "hospital.booking.create",
        actor=clerk,
        obj=None,
        request=request,
        session=session.pk,
        number=0,
        channel=channel,
    )
    audit.object_type = Booking._meta.label_lower
    ops = connection.ops
    # The place's estimated time: its session's start plus a slot per place before it.
    estimated = "%s::timestamptz + (s.places - 1) * %s::integer * interval '1 minute'"
    at = [ops.adapt_datetimefield_value(session.starts_at), session.minutes_per_patient]
    details = audit._meta.get_field("details").get_db_prep_save(audit.details, connection)
    computed: dict[tuple[int, str], tuple[str, list[Any]]] = {
        (0, "id"): ("s.id", []),
        (0, "number"): ("s.number", []),
        (0, "estimated_at"): (estimated, at),
        (1, "object_id"): ("s.id::text", []),
        (1, "details"): ("jsonb_set(%s::jsonb, '{number}', to_jsonb(s.number))", [details]),
    }
    rows: list[Any] = [booking, audit]
    if confirm_to is not None:
        label = "" if session.clinic.sensitive else f"{session.clinic.code}-"
        text = _confirmation_text(booking.code, label + NUMBER_MARK, session.date, TIME_MARK)
        message = new_sms(confirm_to, text, purpose="hospital-booking", related=booking)
        # Units of the text as sent, but for the number's digits (one unit each).
        fixed = count_segments(text.replace(NUMBER_MARK, "").replace(TIME_MARK, "00:00"))
        message.encoding = fixed.encoding
        time = f"to_char(({estimated}) AT TIME ZONE %s, 'HH24:MI')"
        zone = timezone.get_current_timezone_name()
        computed |= {
            (2, "text"): (
                f"replace(replace(%s, %s, s.number::text), %s, {time})",
                [text, NUMBER_MARK, TIME_MARK, *at, zone],
            ),
            (2, "segments"): count_sql(fixed.encoding, fixed.units, "length(s.number::text)"),
            (2, "related_id"): ("s.id::text", []),
        }
        rows.append(message)
    head, params = _take_place_sql(session, jkn=jkn, draw_id=True)
    taken = insert_after(head, params, rows, computed, "s.id, s.number, s.places")
    if taken is None:
        _refuse_untaken(session, jkn=jkn, counter=channel == Booking.Channel.COUNTER)
    # Only the booking goes back to the caller; its event and SMS are stored
    # as the database wrote them. (The session's row is still locked until
    # the caller's commit: nothing more is done here.)
    booking.pk, booking.number, places = taken
    booking.estimated_at = session.estimate(places)
    return booking


def _place_then_store(
    session: Session,
    patient: Patient,
    *,
    channel: str,
    citizen: Citizen | None,
    clerk: User | None,
    idempotency_key: str | None,
    request: HttpRequest | None,
    confirm_to: str | None,
) -> Booking:
    """Elsewhere (SQLite): the place, then the booking, then its event and confirmation."""
    booking = _allocate(
        session,
        patient,
        channel=channel,
        citizen=citizen,
        clerk=clerk,
        idempotency_key=idempotency_key,
    )
    rows: list[Any] = [
        event(
            "hospital.booking.create",
            actor=clerk,
            obj=booking,
            request=request,
            session=session.pk,
            number=booking.number,
            channel=channel,
        )
    ]
    if confirm_to is not None:
        rows.append(
            new_sms(confirm_to, _confirmation(booking), purpose="hospital-booking", related=booking)
        )
    insert_together(*rows)
    return booking


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
    """Take a place and the next number, then insert the booking. Call inside ``atomic()``.

    The caller has checked that the session takes bookings and that the patient
    has no active booking in it (the partial unique constraint backs that up).
    ``session`` need not be locked or fresh: the place is taken by one UPDATE
    that checks the quota and the status on the row itself.
    """
    jkn = bool(patient.bpjs_card)
    head, params = _take_place_sql(session, jkn=jkn)
    with connection.cursor() as cursor:
        cursor.execute(head, params)
        taken = cursor.fetchone()
    if taken is None:
        _refuse_untaken(session, jkn=jkn, counter=channel == Booking.Channel.COUNTER)
    booking = _unsaved(session, patient, channel=channel, citizen=citizen, clerk=clerk)
    booking.number = taken[0]
    # By place, not by number: after cancellations the numbers run past the
    # quota, but the patient is only as far back as the places taken.
    booking.estimated_at = session.estimate(taken[1])
    booking.idempotency_key = idempotency_key or None
    booking.rescheduled_from = rescheduled_from
    booking.save(force_insert=True)
    return booking


def _unsaved(
    session: Session,
    patient: Patient,
    *,
    channel: str,
    citizen: Citizen | None,
    clerk: User | None,
) -> Booking:
    """The booking, but for its place: number and estimated time come with the place."""
    jkn = bool(patient.bpjs_card)
    return Booking(
        session=session,
        code=new_code(),
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
    )


def _take_place_sql(session: Session, *, jkn: bool, draw_id: bool = False) -> tuple[str, list[Any]]:
    """Count one place in and draw the next queue number, in one UPDATE.

    It returns ``number``, ``places`` (taken, this one included) and, if
    ``draw_id``, the booking's ``id`` drawn from its sequence (PostgreSQL).
    The UPDATE locks the session's row until the transaction ends, so numbers
    follow each other without gap or repeat, and its WHERE keeps the quota:
    under a rush each booking waits only for the others' inserts, never for
    their checks. A rolled-back booking gives its number back with the rest of
    the transaction. No row: the session is closed or its quota is full.
    """
    booked, quota = ("booked_jkn", "quota_jkn") if jkn else ("booked_non_jkn", "quota_non_jkn")
    table = connection.ops.quote_name(Session._meta.db_table)
    new_id = ""
    if draw_id:
        new_id = f", nextval(pg_get_serial_sequence('{Booking._meta.db_table}', 'id')) AS id"
    return (
        f"UPDATE {table} SET last_number = last_number + 1,"  # noqa: S608 (names from code)
        f" {booked} = {booked} + 1, updated_at = %s"
        f" WHERE id = %s AND status = %s AND {booked} < {quota}"
        f" RETURNING last_number AS number, booked_jkn + booked_non_jkn AS places{new_id}",
        [
            connection.ops.adapt_datetimefield_value(timezone.now()),
            session.pk,
            Session.Status.OPEN,
        ],
    )


def _refuse_untaken(session: Session, *, jkn: bool, counter: bool) -> NoReturn:
    """No place was taken: the session closed or filled since the checks before.
    Say which, from the fresh row."""
    fresh = Session.objects.select_related("clinic").get(pk=session.pk)
    _check_bookable(fresh, counter=counter)
    _check_quota(fresh, jkn=jkn)
    raise ValidationError(unavailable(), code="not_bookable")


def _confirm_by_sms(booking: Booking, number: str) -> None:
    """Store the confirmation (call in the booking's transaction; the outbox sends it)."""
    queue_sms(number, _confirmation(booking), purpose="hospital-booking", related=booking)


def _confirmation(booking: Booking) -> str:
    """The confirmation SMS's text."""
    return _confirmation_text(
        booking.code, booking.sms_number, booking.session.date, _time(booking.estimated_at)
    )


def _confirmation_text(code: str, number: str, date: dt.date, time: str) -> str:
    # No name, no clinic, no diagnosis: only what the patient needs to come.
    return _(  # type: ignore[no-any-return]
        "RSD Gunung Jati: booking %(code)s, queue %(number)s on %(date)s, estimated %(time)s. Check in at the kiosk on the day."
    ) % {"code": code, "number": number, "date": _date(date), "time": time}
