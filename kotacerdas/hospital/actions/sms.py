"""Booking by SMS for patients with a feature phone (``DAFTAR``; see ``hospital/sms.py``).

The same booking as on the web, with the same quota, window, cut-off and
per-account caps: the sending number is the account (a ``Citizen``, as if it
had signed in with a one-time code, which is what an SMS from it proves), so
a booking made by SMS also shows on the web under that number.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.hospital.actions.booking import Patient, book, refusal, unavailable
from kotacerdas.hospital.models import Booking, Clinic, Session
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import Citizen, Person


def book_by_sms(
    message: Message,
    clinic: Clinic,
    date: dt.date,
    person: Person,
    *,
    bpjs_card: str = "",
    referral_number: str = "",
) -> Booking:
    """Book ``person`` in the first session of ``clinic`` on ``date`` with a place left.

    ``person`` was checked against the sending number by the caller
    (``access.patient_for_sender``). Raises ValidationError with the reason
    (nothing stored, not even the account) when no session can take it.
    """
    sessions = list(
        Session.objects.select_related("clinic")
        .filter(clinic=clinic, date=date, status=Session.Status.OPEN)
        .order_by("start", "pk")
    )
    if not sessions:
        raise ValidationError(
            _("%(clinic)s has no session on that day. Choose another day.")
            % {"clinic": clinic.code},
            code="no_session",
        )
    patient = Patient(
        nik=person.nik or "",
        bpjs_card=bpjs_card,
        referral_number=referral_number,
        person=person,
    )
    last: ValidationError | None = None
    with transaction.atomic():
        citizen, _created = Citizen.objects.get_or_create(phone=message.phone)
        for session in sessions:
            if (why := refusal(session)) is not None:
                last = ValidationError(why, code="not_bookable")
                continue
            try:
                return book(
                    session.pk,
                    patient,
                    channel=Booking.Channel.SMS,
                    citizen=citizen,
                    # The gateway may deliver one SMS twice: it books once.
                    idempotency_key=f"sms:{message.pk}",
                    loaded=session,
                )
            except ValidationError as exc:
                if exc.code != "full":
                    raise
                last = exc
        raise last or ValidationError(unavailable(), code="unavailable")
