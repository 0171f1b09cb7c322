"""Working-day deadlines: verification within 3 working days of a report, first
action within 5 working days of verification (LAPOR! SP4N's rules [verify];
both configurable). Weekends and the holidays in the Holiday table do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date]) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    closed = set(holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            remaining -= 1
    return current
