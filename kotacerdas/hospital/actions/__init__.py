"""Every change to sessions, bookings, queues and beds goes through here.

One door, several rooms: callers write ``actions.book(...)``; the functions
live in modules by concern (``booking``, ``changes``, ``queue``, ``schedule``, ``reminders``,
``beds``). A test that replaces a function patches it where it is used,
e.g. ``kotacerdas.hospital.actions.booking._confirm_by_sms``.
"""

from __future__ import annotations

from kotacerdas.hospital.actions._common import hospital_unit, sms_phone
from kotacerdas.hospital.actions.beds import set_bed_status, set_ward_waiting
from kotacerdas.hospital.actions.booking import (
    Patient,
    book,
    booking_window,
    new_code,
    normalise_code,
    refusal,
    unavailable,
)
from kotacerdas.hospital.actions.changes import cancel, reschedule
from kotacerdas.hospital.actions.queue import (
    admit,
    call_next,
    check_in,
    check_in_window,
    mark_no_shows,
    pharmacy,
    recall,
    serve,
    skip,
)
from kotacerdas.hospital.actions.reminders import send_reminders
from kotacerdas.hospital.actions.schedule import (
    add_closure,
    add_leave,
    close_on_days_off,
    generate_sessions,
)
from kotacerdas.hospital.actions.sms import book_by_sms

__all__ = [
    "Patient",
    "add_closure",
    "add_leave",
    "admit",
    "book",
    "book_by_sms",
    "booking_window",
    "call_next",
    "cancel",
    "check_in",
    "check_in_window",
    "close_on_days_off",
    "generate_sessions",
    "hospital_unit",
    "mark_no_shows",
    "new_code",
    "normalise_code",
    "pharmacy",
    "recall",
    "refusal",
    "reschedule",
    "send_reminders",
    "serve",
    "set_bed_status",
    "set_ward_waiting",
    "skip",
    "sms_phone",
    "unavailable",
]
