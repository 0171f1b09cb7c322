"""E-Posyandu's figures for the city dashboard (kotacerdas.web.figures).

SKDN by kelurahan and month: ``children_under_five`` is S (children under five
in the register, alive, on the last day of the month), ``children_weighed`` is
D (weighings at the kelurahan's posyandu that month); the dashboard divides D
by S for the participation rate. ``children_stunted`` counts weighings whose
length/height-for-age is stunted or severely stunted. The same definitions as
the SKDN page (``skdn.py``), city-wide and without a user's scope.

The dashboard calls these hourly: they read the SKDN tallies (``tallies.py``),
a few thousand rows, not the register's and the measurements' raw rows.
``from_rows=True`` counts the raw rows (what the tallies must equal).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

from kotacerdas.people.models import Person
from kotacerdas.posyandu import tallies
from kotacerdas.posyandu.children import five_years_before
from kotacerdas.posyandu.models import Measurement, RegisterTally, WeighingTally
from kotacerdas.posyandu.skdn import STUNTED, month_end
from kotacerdas.web.figures import Figure, figures

KELURAHAN = "posyandu__rw__kelurahan_id"


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, month, 1) for month in range(1, 13)]


def _weighings(year: int, field: str, from_rows: bool) -> list[Figure]:
    if from_rows:
        rows = Measurement.objects.filter(month__in=_months(year))
        if field == "stunted":
            rows = rows.filter(cat_pb_u__in=STUNTED)
        counted = rows.values(KELURAHAN, "month").annotate(n=Count("id"))
    else:
        counted = (
            WeighingTally.objects.filter(month__in=_months(year))
            .values(KELURAHAN, "month")
            .annotate(n=Sum(field))
            .filter(n__gt=0)
        )
    return figures(counted, kelurahan=KELURAHAN)


def children_weighed(year: int, *, from_rows: bool = False) -> list[Figure]:
    """D: children weighed per kelurahan and month."""
    return _weighings(year, "D", from_rows)


def children_stunted(year: int, *, from_rows: bool = False) -> list[Figure]:
    """Weighings found stunted (length/height-for-age) per kelurahan and month."""
    return _weighings(year, "stunted", from_rows)


def children_under_five(year: int, *, from_rows: bool = False) -> list[Figure]:
    """S: children under five in the register per kelurahan, at the end of each month."""
    months = _months(year)
    covered = set() if from_rows else tallies.covered_months(months)
    counted: dict[tuple[str, dt.date], int] = {}
    if covered:
        tallied = (
            RegisterTally.objects.filter(month__in=sorted(covered), age_group=-1)
            .values("rw__kelurahan_id", "month")
            .annotate(n=Sum("S"))
        )
        for row in tallied:
            counted[(row["rw__kelurahan_id"], row["month"])] = row["n"]
    missing = [m for m in months if m not in covered]
    for (kelurahan, month), n in _under_five_from_rows(missing).items():
        counted[(kelurahan, month)] = n
    return figures(
        {"kelurahan": kelurahan, "month": month, "n": n}
        for (kelurahan, month), n in counted.items()
        if n
    )


def _under_five_from_rows(months: list[dt.date]) -> dict[tuple[str, dt.date], int]:
    if not months:
        return {}
    ends = [month_end(month) for month in months]
    windows = {
        f"s{i}": Count("id", filter=Q(birth_date__gt=five_years_before(end), birth_date__lte=end))
        for i, end in enumerate(ends)
    }
    rows = (
        Person.objects.filter(
            status=Person.Status.ALIVE,
            birth_date__gt=five_years_before(min(ends)),
            birth_date__lte=max(ends),
        )
        .values("rt__rw__kelurahan_id")
        .annotate(**windows)
    )
    return {
        (row["rt__rw__kelurahan_id"], month): row[f"s{i}"]
        for row in rows
        for i, month in enumerate(months)
        if row[f"s{i}"] and row["rt__rw__kelurahan_id"]
    }


FIGURES = (children_weighed, children_under_five, children_stunted)
