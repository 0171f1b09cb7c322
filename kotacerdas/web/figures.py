"""The one shape of a service's figures for the city dashboard.

Each service's ``stats.py`` lists its figures in ``FIGURES``: plain functions
``def name(year: int) -> list[Figure]`` returning one row per kelurahan and
month that has something to count (a missing row means zero). A figure with
a breakdown (beds by room class, children by growth status) puts it in
``group``; one without leaves ``group`` empty. The functions run one or two
aggregate queries each and read no user: the dashboard decides who sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kotacerdas.core.replica import stale_ok


@dataclass(frozen=True)
class Figure:
    kelurahan: str  # the kelurahan's Kepmendagri code, e.g. "32.74.01.1001"
    month: dt.date  # the first day of the month
    value: int
    group: str = ""


FigureFunction = Callable[[int], list[Figure]]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first day of ``year`` and of the next one (for ``__gte`` / ``__lt``)."""
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def month_of(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.replace(day=1)


def figures(
    rows: Iterable[Mapping[str, Any]],
    *,
    kelurahan: str = "kelurahan",
    month: str = "month",
    value: str = "n",
    group: str | None = None,
) -> list[Figure]:
    """Rows of a ``values(...).annotate(...)`` query as figures, sorted by kelurahan,
    month and group (rows without a kelurahan are dropped)."""
    found = (
        Figure(
            kelurahan=row[kelurahan],
            month=month_of(row[month]),
            value=int(row[value] or 0),
            group=str(row[group]) if group else "",
        )
        for row in rows
        if row[kelurahan]
    )
    return sorted(found, key=lambda figure: (figure.kelurahan, figure.month, figure.group))


def compute(function: FigureFunction, year: int) -> list[Figure]:
    """Run one of a service's ``FIGURES`` the way every caller should (the
    dashboard, open data): its reads may be a few seconds stale, so they go to
    the streaming replica when there is one (kotacerdas.core.replica)."""
    with stale_ok():
        return function(year)
