"""Cirebon Lengko by plain SMS, for a patient with only a feature phone.

``DAFTAR <clinic code> <date> <NIK> [<BPJS card> <referral number>]`` books,
``BATAL <booking code>`` cancels, ``ANTRI <booking code>`` tells the queue.

The sending number is the only proof of who sends, so the register decides
(``access.patient_for_sender``): it must be the number the register holds
for the patient or for a member of the patient's family card. Replies carry
the queue number, the clinic, the date, the time to come and the booking
code: never a name or a NIK. Every command counts against one hourly limit
per sending number (``hospital_sms_commands`` in settings.RATE_LIMITS).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core import limits
from kotacerdas.core.inputs import strip_separators
from kotacerdas.hospital import access, actions, queue
from kotacerdas.hospital.actions._common import _date, _time
from kotacerdas.hospital.models import Booking, Clinic
from kotacerdas.messaging import router
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.phones import mobile_or_blank
from kotacerdas.people.identity import check_nik

# The dates people type: 12-12, 12/12, 12.12 (the next such day), the same
# with the year (12-12-2026), BESOK (tomorrow) and LUSA (the day after).
DAY_MONTH = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?")
WORDS = {"BESOK": 1, "LUSA": 2}
# How long before the estimated turn the reply asks the patient to come (as the
# ticket page says: "come 15 minutes early").
COME_BEFORE = dt.timedelta(minutes=15)
NIK_DIGITS = 16
CARD_DIGITS = 13


def parse_date(raw: str, today: dt.date) -> dt.date | None:
    word = raw.strip().upper()
    if word in WORDS:
        return today + dt.timedelta(days=WORDS[word])
    found = DAY_MONTH.fullmatch(raw.strip())
    if found is None:
        return None
    day, month, year = int(found[1]), int(found[2]), found[3]
    try:
        date = dt.date(int(year) if year else today.year, month, day)
        if not year and date < today:
            date = date.replace(year=today.year + 1)
    except ValueError:
        return None
    return date


def _take_digits(words: list[str], count: int) -> str:
    """Join leading words into a number of ``count`` digits (a NIK typed in groups)."""
    number = ""
    while words and len(number) < count:
        number += strip_separators(words.pop(0))
    return number


def _clinics() -> list[Clinic]:
    return list(
        Clinic.objects.filter(unit__code=settings.HOSPITAL_UNIT_CODE, active=True).order_by("code")
    )


def _find_clinic(code: str) -> Clinic | None:
    code = code.upper()
    return next((c for c in _clinics() if code in {c.code.upper(), c.bpjs_code.upper()}), None)


def _codes() -> str:
    return ", ".join(c.code for c in _clinics())


def _usage() -> str:
    return _(
        "To book a clinic visit send: DAFTAR <clinic code> <date, e.g. 12-12 or BESOK> <NIK>. Clinic codes: %(codes)s"
    ) % {"codes": _codes()}


def _not_registered() -> str:
    return _(
        "This number is not in the register for this patient. Please book at the registration counter, or ask your RW to record this number on the family card."
    )


def _limited(phone: str) -> str | None:
    """Why this sender is not served now: no mobile number (a landline, an
    operator's name: nothing in the register to match), or over the hourly limit."""
    if not phone:
        return _not_registered()
    if limits.hit("hospital_sms_commands", phone):
        return None
    return _(
        "Too many SMS from this number in the last hour. Please try again later or come to the registration counter."
    )


def handle_daftar(message: Message, rest: str) -> str:
    phone = mobile_or_blank(message.phone)
    if (refused := _limited(phone)) is not None:
        return refused
    words = [w for w in router.SEPARATORS.split(rest.strip()) if w]
    if len(words) < 3:
        return _usage()
    clinic = _find_clinic(words.pop(0))
    if clinic is None:
        return _("No clinic has that code. Clinic codes: %(codes)s") % {"codes": _codes()}
    raw_date = words.pop(0)
    date = parse_date(raw_date, timezone.localdate())
    if date is None:
        return _(
            "The date %(date)s was not understood. Write it as 12-12, 12-12-2026 or BESOK (tomorrow)."
        ) % {"date": raw_date[:12]}
    nik = _take_digits(words, NIK_DIGITS)
    checked = check_nik(nik)
    if not checked.valid:
        return " ".join(str(error) for error in checked.errors)
    card = _take_digits(words, CARD_DIGITS)
    referral = "".join(words).upper()[:30]
    if card and (len(card) != CARD_DIGITS or not card.isdigit() or not referral):
        return _(
            "For JKN add the 13-digit BPJS card number and the referral letter number after the NIK."
        )
    person = access.patient_for_sender(phone, nik)
    if person is None:
        return _not_registered()
    try:
        booking = actions.book_by_sms(
            message, clinic, date, person, bpjs_card=card, referral_number=referral
        )
    except ValidationError as exc:
        return " ".join(exc.messages)
    return _booked(booking)


def _clinic_words(booking: Booking) -> str:
    """A sensitive clinic is not named in an SMS (the code is the patient's own words)."""
    clinic = booking.session.clinic
    return "" if clinic.sensitive else f"{clinic.name}, "


def _booked(booking: Booking) -> str:
    return _(
        "RSD Gunung Jati: %(clinic)s%(date)s, queue %(number)s, come at %(time)s. Booking code %(code)s. To cancel: BATAL %(code)s. Queue: ANTRI %(code)s"
    ) % {
        "clinic": _clinic_words(booking),
        "date": _date(booking.session.date),
        "number": booking.sms_number,
        "time": _time(booking.estimated_at - COME_BEFORE),
        "code": booking.code,
    }


def _booking(message: Message, rest: str) -> tuple[Booking | None, str]:
    """The sender's booking by the code in ``rest``, or None and the reply to send."""
    phone = mobile_or_blank(message.phone)
    if (refused := _limited(phone)) is not None:
        return None, refused
    code = actions.normalise_code(rest)
    booking = access.get_booking_for_sender(phone, code)
    if booking is None:
        return None, _(
            "No booking with this code for this number. The code is in the booking SMS, e.g. BATAL GJ7K3Q9PXA."
        )
    return booking, ""


def handle_batal(message: Message, rest: str) -> str:
    booking, reply = _booking(message, rest)
    if booking is None:
        return reply
    try:
        actions.cancel(booking)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return _("RSD Gunung Jati: booking %(code)s is cancelled.") % {"code": booking.code}


def handle_antri(message: Message, rest: str) -> str:
    booking, reply = _booking(message, rest)
    if booking is None:
        return reply
    state = queue.ticket_state(booking)
    if state.estimated_at is None:
        return _("RSD Gunung Jati: booking %(code)s, queue %(number)s: %(status)s.") % {
            "code": booking.code,
            "number": booking.sms_number,
            "status": state.status_label,
        }
    serving = booking.session.serving_number
    if booking.session.clinic.sensitive:
        # Only the number: the label starts with the clinic's code.
        state.serving = str(serving) if serving else "–"
    return _(
        "RSD Gunung Jati: booking %(code)s, %(date)s, queue %(number)s. Now serving: %(serving)s; %(ahead)s ahead of you. Come at %(time)s."
    ) % {
        "code": booking.code,
        "date": _date(booking.session.date),
        "number": booking.sms_number,
        "serving": state.serving,
        "ahead": state.ahead,
        "time": _time(state.estimated_at - COME_BEFORE),
    }


def register_keywords() -> None:
    router.register(
        "DAFTAR",
        handle_daftar,
        # Short: the help reply lists every keyword in one SMS; "DAFTAR" alone
        # answers with the whole format and the clinic codes.
        help=gettext_lazy("DAFTAR: clinic"),
    )
    # Told in the booking's reply; left out of the help reply, which must fit one SMS.
    router.register(
        "BATAL", handle_batal, help=gettext_lazy("BATAL <code> cancels a booking"), listed=False
    )
    router.register(
        "ANTRI", handle_antri, help=gettext_lazy("ANTRI <code> for your queue"), listed=False
    )
