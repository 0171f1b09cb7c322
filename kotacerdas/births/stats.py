"""Disdukcapil's dashboard: births reported and registered per kelurahan and
month, on time vs late, median days, and completeness against expected births
(population × crude birth rate, pro rata while the year runs); and at the end
the city dashboard's figures (``FIGURES``)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kotacerdas.births.models import Declaration
from kotacerdas.regions.models import Region
from kotacerdas.web.figures import Figure, figures

S = Declaration.Status
COUNTED = [S.SUBMITTED, S.NEEDS_CHANGES, S.VALIDATED, S.REGISTERED]


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def dashboard(year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Figures of one calendar year: births reported in it (by the day they were
    sent) and births registered in it (by the day of registration), each in the
    month it happened, whenever the other step was."""
    today = today or timezone.localdate()
    reported_rows = list(
        Declaration.objects.filter(status__in=COUNTED, submitted_at__year=year).values_list(
            "rt__rw__kelurahan_id", "birth_date", "submitted_at", "late"
        )
    )
    registered_rows = list(
        Declaration.objects.filter(status=S.REGISTERED, registered_at__year=year).values_list(
            "rt__rw__kelurahan_id", "submitted_at", "registered_at"
        )
    )
    kelurahan = dict(
        Region.objects.filter(level=Region.Level.KELURAHAN).values_list("code", "name")
    )
    months = list(range(1, 13))
    reported: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    registered: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    on_time = late = 0
    to_report: list[int] = []
    to_certificate: list[int] = []
    for code, born, submitted_at, is_late in reported_rows:
        submitted = _local(submitted_at)
        assert submitted is not None
        reported[code][submitted.month - 1] += 1
        to_report.append((submitted - born).days)
        if is_late:
            late += 1
        else:
            on_time += 1
    for code, submitted_at, registered_at in registered_rows:
        registered_on = _local(registered_at)
        assert registered_on is not None
        registered[code][registered_on.month - 1] += 1
        submitted = _local(submitted_at)
        if submitted is not None:
            to_certificate.append((registered_on - submitted).days)
    registered_total = len(registered_rows)
    # Expected births of the whole year; of the year so far while it runs.
    expected = settings.BIRTHS_POPULATION * settings.BIRTHS_CRUDE_BIRTH_RATE / 1000
    so_far = year == today.year
    if so_far:
        days_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
        expected *= today.timetuple().tm_yday / days_in_year
    table = [
        {
            "name": kelurahan.get(code, code),
            "cells": list(zip(reported[code], registered[code], strict=True)),
            "reported_total": sum(reported[code]),
            "registered_total": sum(registered[code]),
        }
        for code in sorted(reported.keys() | registered.keys(), key=lambda c: kelurahan.get(c, c))
    ]
    return {
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "months": months,
        "table": table,
        "reported_total": len(reported_rows),
        "registered_total": registered_total,
        "on_time": on_time,
        "late": late,
        "late_after": settings.BIRTHS_LATE_AFTER_DAYS,
        "median_to_report": statistics.median(to_report) if to_report else None,
        "median_to_certificate": statistics.median(to_certificate) if to_certificate else None,
        "expected": round(expected),
        "expected_so_far": so_far,
        "population": settings.BIRTHS_POPULATION,
        "birth_rate": settings.BIRTHS_CRUDE_BIRTH_RATE,
        "completeness": round(100 * registered_total / expected, 1) if expected else None,
    }


# The city dashboard's figures (kotacerdas.web.figures).


def births_reported(year: int) -> list[Figure]:
    """Births reported per kelurahan (the family's) and month they were sent."""
    rows = (
        Declaration.objects.filter(status__in=COUNTED, submitted_at__year=year)
        .annotate(month=TruncMonth("submitted_at"))
        .values("rt__rw__kelurahan_id", "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan="rt__rw__kelurahan_id")


def births_registered(year: int) -> list[Figure]:
    """Births registered by Disdukcapil per kelurahan and month of registration."""
    rows = (
        Declaration.objects.filter(status=S.REGISTERED, registered_at__year=year)
        .annotate(month=TruncMonth("registered_at"))
        .values("rt__rw__kelurahan_id", "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan="rt__rw__kelurahan_id")


FIGURES = (births_reported, births_registered)
