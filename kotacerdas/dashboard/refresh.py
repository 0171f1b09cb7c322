"""Copy the services' figures into ``FigureValue``: the only place pages read them from.

A figure function answers for one whole year with one or two aggregate
queries. The hourly run recomputes the current year (and, in the first days
of January, the year before: late entries still arrive); the nightly run
recomputes every year the dashboard offers. Each figure and year is replaced
in one transaction, so a page sees either the old rows or the new ones; a
figure that fails keeps its old rows and records the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kotacerdas.dashboard.catalogue import FigureInfo, figure_catalogue
from kotacerdas.dashboard.models import FigureRun, FigureValue
from kotacerdas.web.figures import year_bounds

log = logging.getLogger(__name__)
LATE_ENTRIES_DAYS = 10  # in January, last year's figures still change for this long


@dataclass(frozen=True)
class Done:
    figure: str
    year: int
    rows: int
    seconds: float
    error: str = ""


def years_to_refresh(*, full: bool, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    if full:
        return list(range(today.year - settings.DASHBOARD_YEARS + 1, today.year + 1))
    if today.month == 1 and today.day <= LATE_ENTRIES_DAYS:
        return [today.year - 1, today.year]
    return [today.year]


def refresh(years: Iterable[int], keys: Iterable[str] | None = None) -> list[Done]:
    """Recompute the figures named by ``keys`` (all by default) for each year."""
    catalogue = figure_catalogue()
    chosen = [catalogue[key] for key in keys] if keys is not None else list(catalogue.values())
    return [refresh_one(info, year) for year in years for info in chosen]


def refresh_one(info: FigureInfo, year: int) -> Done:
    started = time.monotonic()
    now = timezone.now()
    try:
        found = info.function(year)
    except Exception as error:  # one broken service must not stop the others' figures
        log.exception("dashboard: figure %s failed for %s", info.key, year)
        _record_run(info.key, year, now, time.monotonic() - started, 0, repr(error))
        return Done(info.key, year, 0, time.monotonic() - started, repr(error))
    first, after = year_bounds(year)
    rows = [
        FigureValue(
            figure=info.key,
            kelurahan=figure.kelurahan,
            month=figure.month,
            group=figure.group[:60],
            value=figure.value,
            computed_at=now,
        )
        for figure in found
        if first <= figure.month < after and figure.value
    ]
    with transaction.atomic():
        FigureValue.objects.filter(figure=info.key, month__gte=first, month__lt=after).delete()
        FigureValue.objects.bulk_create(rows, batch_size=2000)
        seconds = time.monotonic() - started
        _record_run(info.key, year, now, seconds, len(rows), "")
    return Done(info.key, year, len(rows), seconds)


def _record_run(
    key: str, year: int, at: dt.datetime, seconds: float, rows: int, error: str
) -> None:
    if error:
        # Keep the last good time: the values shown are still those of that run.
        run, created = FigureRun.objects.get_or_create(
            figure=key,
            year=year,
            defaults={"computed_at": at, "seconds": seconds, "rows": rows, "error": error},
        )
        if not created:
            FigureRun.objects.filter(pk=run.pk).update(error=error)
        return
    FigureRun.objects.update_or_create(
        figure=key,
        year=year,
        defaults={"computed_at": at, "seconds": seconds, "rows": rows, "error": ""},
    )


def last_computed(year: int) -> dict[str, FigureRun]:
    """{figure key: its run} for the year: when each figure was computed."""
    return {run.figure: run for run in FigureRun.objects.filter(year=year)}
