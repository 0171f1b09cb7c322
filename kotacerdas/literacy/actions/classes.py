"""The classes: sessions, tickets and the waiting list, door check-ins (by nonce), certificates.

Every write goes through here and is audited. A class's row is locked while
seats are counted (registration, cancellation and promotion), so two people
never take the last seat and the waiting list moves in order of arrival.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.core import tokens
from kotacerdas.literacy.models import CheckIn, ClassCertificate, ClassSession, Registration
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.messaging.phones import normalise_mobile
from kotacerdas.people.models import Citizen

logger = logging.getLogger(__name__)
S = Registration.Status


def save_session(session: ClassSession, *, actor: User, created: bool) -> ClassSession:
    """Store a class from the staff form (validated; volunteers saved by the caller's form)."""
    with transaction.atomic():
        session.save()
        record(
            "literacy.class_added" if created else "literacy.class_changed",
            actor=actor,
            obj=session,
            status=session.status,
        )
    return session


def _seats_taken(session: ClassSession) -> int:
    return session.registrations.filter(status=S.CONFIRMED).count()


def register(
    session: ClassSession,
    *,
    name: str,
    phone: str,
    channel: str,
    citizen: Citizen | None = None,
    actor: User | None = None,
) -> Registration:
    """A ticket: a seat if one is free, else a place on the waiting list.

    Refused (ValidationError, nothing stored) for a cancelled or past class,
    a phone that is not a mobile, or a phone already holding a ticket.
    """
    number = normalise_mobile(phone)  # ValidationError names the problem
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Write the participant's name."), code="name")
    with transaction.atomic():
        locked = ClassSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != ClassSession.Status.OPEN:
            raise ValidationError(_("This class was cancelled."), code="cancelled")
        if locked.ends_at <= timezone.now():
            raise ValidationError(_("This class is over."), code="over")
        live = locked.registrations.exclude(status=S.CANCELLED)
        if live.filter(phone=number).exists():
            raise ValidationError(
                _("This phone number already has a ticket for this class."), code="twice"
            )
        status = S.CONFIRMED if _seats_taken(locked) < locked.capacity else S.WAITING
        registration = Registration.objects.create(
            session=locked,
            code=tokens.new_token(),
            citizen=citizen,
            name=name[:100],
            phone=number,
            channel=channel,
            status=status,
            registered_by=actor,
        )
        record(
            "literacy.registered",
            actor=actor,
            obj=registration,
            session=locked.pk,
            channel=channel,
            status=status,
        )
    return registration


def cancel(registration: Registration, *, actor: User | None = None) -> Registration | None:
    """Cancel a ticket; a freed seat goes to the first on the waiting list (returned)."""
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=registration.session_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == S.CANCELLED:
            return None
        if current.checkins.filter(result=CheckIn.Result.OK).exists():
            raise ValidationError(
                _("This participant has already checked in; the ticket cannot be cancelled."),
                code="attended",
            )
        freed = current.status == S.CONFIRMED
        current.status = S.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        record("literacy.registration_cancelled", actor=actor, obj=current, session=session.pk)
        promoted = _promote(session) if freed else None
    registration.refresh_from_db()
    return promoted


def _promote(session: ClassSession) -> Registration | None:
    """Inside the class's lock: give free seats to the waiting list in order of arrival."""
    promoted = None
    while _seats_taken(session) < session.capacity:
        first = session.registrations.filter(status=S.WAITING).order_by("pk").first()
        if first is None:
            break
        first.status = S.CONFIRMED
        first.promoted_at = timezone.now()
        first.save(update_fields=["status", "promoted_at"])
        record("literacy.registration_promoted", obj=first, session=session.pk)
        _tell(first, promoted_text(session), "literacy_class_promoted")
        promoted = promoted or first
    return promoted


def _when(session: ClassSession) -> str:
    local = timezone.localtime(session.starts_at)
    return f"{date_format(local, 'l, j F Y')} {local:%H.%M}"


def promoted_text(session: ClassSession) -> str:
    with override("id"):
        return _(
            "Cirebon Melet: a seat is free for you in the class %(topic)s, %(when)s, %(place)s."
        ) % {"topic": session.topic[:60], "when": _when(session), "place": session.place[:60]}


def reminder_text(session: ClassSession) -> str:
    with override("id"):
        return _(
            "Cirebon Melet reminder: your class %(topic)s is tomorrow, %(when)s, at %(place)s. "
            "Show the ticket QR at the door."
        ) % {"topic": session.topic[:60], "when": _when(session), "place": session.place[:60]}


def _tell(registration: Registration, text: str, purpose: str) -> bool:
    """An SMS to the participant; a refused number or a rate limit is logged, not raised."""
    try:
        send_sms(registration.phone, text, purpose=purpose, related=registration)
    except (ValidationError, RateLimited):
        logger.warning("literacy SMS %s refused for registration %s", purpose, registration.pk)
        return False
    return True


def send_reminders(today: dt.date) -> dict[str, int]:
    """One SMS per confirmed ticket of every open class held tomorrow (local time), once."""
    counts = {"sent": 0, "refused": 0}
    tomorrow = today + dt.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=zone)
    due = Registration.objects.filter(
        status=S.CONFIRMED,
        reminded_at__isnull=True,
        session__status=ClassSession.Status.OPEN,
        session__starts_at__gte=start,
        session__starts_at__lt=start + dt.timedelta(days=1),
    ).select_related("session")
    for registration in due:
        with transaction.atomic():
            # Marked first, in the same transaction as the stored SMS: never twice.
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            sent = _tell(
                registration, reminder_text(registration.session), "literacy_class_reminder"
            )
        counts["sent" if sent else "refused"] += 1
    return counts


# --- Check-in ---------------------------------------------------------------


@dataclass(frozen=True)
class ScanAnswer:
    nonce: str
    status: str  # ok, already, refused
    reason: str
    name: str = ""
    replayed: bool = False


def _answer(checkin: CheckIn, *, replayed: bool) -> ScanAnswer:
    name = checkin.registration.name if checkin.registration_id else ""  # type: ignore[union-attr]
    return ScanAnswer(checkin.nonce, checkin.result, checkin.reason, name, replayed)


def _judge(session: ClassSession, secret: str) -> tuple[str, str, Registration | None]:
    registration = (
        Registration.objects.select_related("session").filter(code=secret).first()
        if tokens.is_token(secret)
        else None
    )
    R = CheckIn.Result
    if registration is None:
        return R.REFUSED, _("Unknown ticket code: check the code and scan again."), None
    if registration.session_id != session.pk:
        return (
            R.REFUSED,
            _("This ticket is for another class: %(topic)s, %(day)s.")
            % {
                "topic": registration.session.topic,
                "day": date_format(timezone.localtime(registration.session.starts_at), "j F Y"),
            },
            registration,
        )
    if registration.status == S.CANCELLED:
        return R.REFUSED, _("This ticket was cancelled."), registration
    if registration.status == S.WAITING:
        return R.REFUSED, _("This ticket is still on the waiting list: no seat yet."), registration
    if session.status == ClassSession.Status.CANCELLED:
        return R.REFUSED, _("This class was cancelled."), registration
    entry = registration.checkins.filter(result=R.OK).first()
    if entry is not None:
        return (
            R.ALREADY,
            _("Already checked in at %(time)s: counted once.")
            % {"time": timezone.localtime(entry.scanned_at).strftime("%H.%M")},
            registration,
        )
    return R.OK, _("Checked in."), registration


def scan(
    session: ClassSession, *, nonce: str, secret: str, scanned_at: dt.datetime, actor: User
) -> ScanAnswer:
    """Record one scan once per nonce (pretix's ``redeem`` with ``force``: offline scans count).

    A resend of a nonce returns the first answer and changes nothing.
    """
    nonce = "".join(c for c in nonce.strip() if c.isprintable())[:64]
    if not nonce:
        raise ValidationError(_("The scan has no nonce."), code="nonce")
    seen = CheckIn.objects.select_related("registration").filter(nonce=nonce).first()
    if seen is not None:
        return _replayed(seen, session)
    secret = "".join(c for c in tokens.canonical(secret) if c.isprintable())[:64]
    now = timezone.now()
    scanned_at = min(scanned_at, now)
    try:
        with transaction.atomic():
            result, reason, registration = _judge(session, secret)
            checkin = CheckIn.objects.create(
                nonce=nonce,
                session=session,
                registration=registration,
                secret=secret,
                result=result,
                reason=reason[:200],
                scanned_at=scanned_at,
                by=actor,
            )
            record("literacy.checkin", actor=actor, obj=checkin, session=session.pk, result=result)
    except IntegrityError:
        # The same nonce arrived twice at once, or the ticket was checked in by another scan.
        seen = CheckIn.objects.select_related("registration").filter(nonce=nonce).first()
        if seen is not None:
            return _replayed(seen, session)
        return scan(session, nonce=nonce, secret=secret, scanned_at=scanned_at, actor=actor)
    return _answer(checkin, replayed=False)


def _replayed(seen: CheckIn, session: ClassSession) -> ScanAnswer:
    if seen.session_id != session.pk:
        return ScanAnswer(
            seen.nonce, CheckIn.Result.REFUSED, _("This scan belongs to another class.")
        )
    return _answer(seen, replayed=True)


# --- Certificate ------------------------------------------------------------


def certificate_for(registration: Registration) -> ClassCertificate:
    """The attendee's certificate, issued on first use. Refused unless checked in."""
    existing = ClassCertificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    entry = registration.checkins.filter(result=CheckIn.Result.OK).first()
    if entry is None or registration.status != S.CONFIRMED:
        raise ValidationError(
            _(
                "A certificate is only for participants who attended: this ticket has no "
                "check-in at the door."
            ),
            code="not_attended",
        )
    session = registration.session
    shown = {
        "name": registration.name,
        "topic": session.topic,
        "pillars": session.pillar_labels(),
        "date": timezone.localtime(session.starts_at).date().isoformat(),
        "place": session.place,
        "attended_at": timezone.localtime(entry.scanned_at).isoformat(),
    }
    try:
        with transaction.atomic():
            certificate = ClassCertificate.objects.create(
                registration=registration, token=tokens.new_token(), shown=shown
            )
            record("literacy.certificate_issued", obj=certificate, session=session.pk)
    except IntegrityError:  # two first downloads at once
        return ClassCertificate.objects.get(registration=registration)
    return certificate
