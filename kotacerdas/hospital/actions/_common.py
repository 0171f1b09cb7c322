"""What the hospital's actions share: the hospital's unit, dates and times as
patients read them in an SMS, and sending an SMS that never undoes a change."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from kotacerdas.accounts.models import Unit
from kotacerdas.hospital.models import Booking
from kotacerdas.messaging.actions import RateLimited, send_sms, sms_number

# ``status IN (…)`` of Booking.ACTIVE in the statements written out: as
# literals (code's own constants), so that a prepared statement's generic plan
# still matches the partial index of active bookings (hospital_one_active_booking).
assert all(status.isidentifier() for status in Booking.ACTIVE)
ACTIVE_IN = ", ".join(f"'{status}'" for status in Booking.ACTIVE)

# One logger for every hospital action, as before the split into modules.
logger = logging.getLogger("kotacerdas.hospital.actions")


def hospital_unit() -> Unit:
    return Unit.objects.get(code=settings.HOSPITAL_UNIT_CODE)


def _time(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _date(value: dt.date) -> str:
    return formats.date_format(value, "j M Y")


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


def sms_number_or_none(phone: str) -> str | None:
    """The number a booking's SMS may go to now (counted against its hourly
    limit), or None: no number, not a mobile, or over the limit. Asked before
    the booking is stored, so that its SMS can be stored in the same
    transaction; a refusal never stops the booking."""
    if not phone:
        return None
    try:
        return sms_number(phone)
    except (RateLimited, ValidationError) as exc:
        logger.warning("hospital SMS not sent for a booking: %s", exc.messages)
        return None
