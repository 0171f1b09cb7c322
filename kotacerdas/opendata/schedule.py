"""The release schedule and the timeliness mark (tepat waktu / terlambat).

A monthly dataset promises its next release by the ``RELEASE_DAY`` of the next
month (the closed month's figures, built nightly); a yearly one by 31 January
of the next year. Each build moves the promise forward. A dataset whose
promised date has passed without a build is late: the mark is computed, never
entered by hand.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

RELEASE_DAY = 5
ON_TIME = "tepat waktu"
LATE = "terlambat"
UNSCHEDULED = "belum dijadwalkan"


def next_release(today: dt.date, frequency: str) -> dt.date:
    if frequency.lower() == "tahunan":
        return dt.date(today.year + 1, 1, 31)
    if today.month == 12:
        return dt.date(today.year + 1, 1, RELEASE_DAY)
    return dt.date(today.year, today.month + 1, RELEASE_DAY)


def timeliness(promised: dt.date | None, today: dt.date | None = None) -> str:
    if promised is None:
        return UNSCHEDULED
    today = today or timezone.localdate()
    return ON_TIME if today <= promised else LATE
