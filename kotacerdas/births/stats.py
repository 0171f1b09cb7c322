"""Disdukcapil's dashboard: births reported and registered per kelurahan and
month, on time vs late, median days, and completeness against expected births."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils import timezone

from kotacerdas.births.models import Declaration
from kotacerdas.regions.models import Region

S = Declaration.Status
COUNTED = [S.SUBMITTED, S.NEEDS_CHANGES, S.VALIDATED, S.REGISTERED]


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def dashboard(year: int) -> dict[str, Any]:
    """Figures of one calendar year (by the date a birth was reported)."""
    rows = list(
        Declaration.objects.filter(status__in=COUNTED, submitted_at__year=year).values_list(
            "rt__rw__kelurahan_id", "birth_date", "submitted_at", "registered_at", "late", "status"
        )
    )
    kelurahan = dict(
        Region.objects.filter(level=Region.Level.KELURAHAN).values_list("code", "name")
    )
    months = list(range(1, 13))
    reported: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    registered: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    on_time = late = registered_total = 0
    to_report: list[int] = []
    to_certificate: list[int] = []
    for code, born, submitted_at, registered_at, is_late, status in rows:
        submitted = _local(submitted_at)
        assert submitted is not None
        reported[code][submitted.month - 1] += 1
        to_report.append((submitted - born).days)
        if is_late:
            late += 1
        else:
            on_time += 1
        registered_on = _local(registered_at)
        if status == S.REGISTERED and registered_on is not None:
            registered_total += 1
            if registered_on.year == year:
                registered[code][registered_on.month - 1] += 1
            to_certificate.append((registered_on - submitted).days)
    expected = settings.BIRTHS_POPULATION * settings.BIRTHS_CRUDE_BIRTH_RATE / 1000
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
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "months": months,
        "table": table,
        "reported_total": len(rows),
        "registered_total": registered_total,
        "on_time": on_time,
        "late": late,
        "late_after": settings.BIRTHS_LATE_AFTER_DAYS,
        "median_to_report": statistics.median(to_report) if to_report else None,
        "median_to_certificate": statistics.median(to_certificate) if to_certificate else None,
        "expected": round(expected),
        "population": settings.BIRTHS_POPULATION,
        "birth_rate": settings.BIRTHS_CRUDE_BIRTH_RATE,
        "completeness": round(100 * registered_total / expected, 1) if expected else None,
    }
