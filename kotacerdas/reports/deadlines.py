"""Working-day deadlines: verification within 3 working days of a report, first
action within 5 working days of verification (LAPOR! SP4N's rules [verify];
both configurable). Weekends and the days off in the city's calendar
(``kotacerdas.workdays``: public holidays, cuti bersama, local days off) do
not count."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from kotacerdas.workdays.calendar import add_working_days


def verify_due(day: dt.date) -> dt.date:
    """The last day to verify a report received on ``day``."""
    return add_working_days(day, settings.WADUL_VERIFY_DAYS)


def action_due(day: dt.date) -> dt.date:
    """The last day for the first action on a case verified on ``day``."""
    return add_working_days(day, settings.WADUL_ACTION_DAYS)


def next_working_day(day: dt.date) -> dt.date:
    return add_working_days(day, 1)
