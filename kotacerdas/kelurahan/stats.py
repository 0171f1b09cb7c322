"""Letters issued per type, month and kelurahan, with their service times (working days
from the request reaching the kelurahan to the Lurah's signature); and the city
dashboard's figures (``FIGURES``).

First versions only: a correction is the same letter, not another one issued.
Service days are counted against the city calendar loaded once per call
(``workdays.calendar.days_off``), not one query per letter.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kotacerdas.kelurahan.models import Letter
from kotacerdas.web.figures import Figure, year_bounds
from kotacerdas.workdays.calendar import days_off, is_weekend

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ONE_DAY = dt.timedelta(days=1)


@dataclass
class Summary:
    year: int
    total: int = 0
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    by_type: list[dict[str, Any]] = field(default_factory=list)
    by_kelurahan: list[dict[str, Any]] = field(default_factory=list)
    median_days: float | None = None
    on_time: int = 0


def _rows(year: int, area: Q | None = None) -> list[tuple[Any, ...]]:
    start, end = year_bounds(year)
    letters = Letter.objects.filter(version=1, issued_on__gte=start, issued_on__lt=end)
    if area is not None:
        letters = letters.filter(area)
    return list(
        letters.values_list(
            "kelurahan_id",
            "kelurahan__name",
            "letter_type__code",
            "letter_type__title",
            "issued_on",
            "request__submitted_on",
            "letter_type__service_days",
        )
    )


def _service_days(rows: list[tuple[Any, ...]]) -> list[int | None]:
    starts = [row[5] for row in rows if row[5] is not None]
    if not starts:
        return [None] * len(rows)
    closed = {day.date for day in days_off(min(starts), max(row[4] for row in rows))}

    def count(start: dt.date | None, end: dt.date) -> int | None:
        if start is None:
            return None
        days, current = 0, start
        while current < end:
            current += ONE_DAY
            days += not is_weekend(current) and current not in closed
        return days

    return [count(row[5], row[4]) for row in rows]


def summary(year: int, area: Q | None = None) -> Summary:
    """One year's letters of an area (``access.figures_area_q``), or of the city."""
    rows = _rows(year, area)
    days = _service_days(rows)
    result = Summary(year=year, total=len(rows))
    types: dict[str, dict[str, Any]] = {}
    kelurahan: dict[str, dict[str, Any]] = {}
    for row, taken in zip(rows, days, strict=True):
        result.by_month[row[4].month - 1] += 1
        t = types.setdefault(
            row[2], {"code": row[2], "title": row[3], "months": [0] * 12, "days": []}
        )
        t["months"][row[4].month - 1] += 1
        k = kelurahan.setdefault(row[0], {"code": row[0], "name": row[1], "n": 0, "days": []})
        k["n"] += 1
        if taken is not None:
            t["days"].append(taken)
            k["days"].append(taken)
            result.on_time += taken <= row[6]
    for group in (*types.values(), *kelurahan.values()):
        group["median"] = statistics.median(group["days"]) if group["days"] else None
        group["total"] = sum(group.get("months", [group.get("n", 0)]))
    result.by_type = sorted(types.values(), key=lambda t: -t["total"])
    result.by_kelurahan = sorted(kelurahan.values(), key=lambda k: k["name"])
    known = [d for d in days if d is not None]
    result.median_days = statistics.median(known) if known else None
    return result


def bars(values: list[int], height: int = 120) -> list[dict[str, Any]]:
    """Bars of a server-rendered SVG chart: one per month, scaled to ``height``."""
    top = max(values) or 1
    return [
        {
            "label": MONTHS[i],
            "value": v,
            "height": round(v * height / top),
            "x": i * 28,
            "y": height - round(v * height / top),
        }
        for i, v in enumerate(values)
    ]


# The city dashboard ---------------------------------------------------------


def letters_issued(year: int) -> list[Figure]:
    """Letters issued per kelurahan and month, by letter type."""
    counts: Counter[tuple[str, dt.date, str]] = Counter(
        (row[0], row[4].replace(day=1), row[2]) for row in _rows(year)
    )
    return sorted(
        (Figure(k, m, n, group) for (k, m, group), n in counts.items()),
        key=lambda f: (f.kelurahan, f.month, f.group),
    )


def letters_on_time(year: int) -> list[Figure]:
    """Letters signed within their type's service level (working days), per kelurahan and month."""
    rows = _rows(year)
    counts: defaultdict[tuple[str, dt.date], int] = defaultdict(int)
    for row, taken in zip(rows, _service_days(rows), strict=True):
        if taken is not None and taken <= row[6]:
            counts[(row[0], row[4].replace(day=1))] += 1
    return sorted(
        (Figure(k, m, n) for (k, m), n in counts.items()), key=lambda f: (f.kelurahan, f.month)
    )


FIGURES = [letters_issued, letters_on_time]
