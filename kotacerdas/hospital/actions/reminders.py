"""Reminders by SMS the day before a booking and about an hour before it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.hospital.actions._common import _date, _sms, _time, sms_phone
from kotacerdas.hospital.models import Booking, Session


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
