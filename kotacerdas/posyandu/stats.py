"""E-Posyandu's figures for the city dashboard (kotacerdas.web.figures).

SKDN by kelurahan and month: ``children_under_five`` is S (children under five
in the register, alive, on the last day of the month), ``children_weighed`` is
D (weighings at the kelurahan's posyandu that month); the dashboard divides D
by S for the participation rate. ``children_stunted`` counts weighings whose
length/height-for-age is stunted or severely stunted. The same definitions as
the SKDN page (``skdn.py``), city-wide and without a user's scope.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from kotacerdas.people.models import Person
from kotacerdas.posyandu.children import five_years_before
from kotacerdas.posyandu.models import Measurement
from kotacerdas.posyandu.skdn import STUNTED, month_end
from kotacerdas.web.figures import Figure, figures

KELURAHAN = "posyandu__rw__kelurahan_id"


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, month, 1) for month in range(1, 13)]


def children_weighed(year: int) -> list[Figure]:
    """D: children weighed per kelurahan and month."""
    rows = (
        Measurement.objects.filter(month__in=_months(year))
        .values(KELURAHAN, "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan=KELURAHAN)


def children_stunted(year: int) -> list[Figure]:
    """Weighings found stunted (length/height-for-age) per kelurahan and month."""
    rows = (
        Measurement.objects.filter(month__in=_months(year), cat_pb_u__in=STUNTED)
        .values(KELURAHAN, "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan=KELURAHAN)


def children_under_five(year: int) -> list[Figure]:
    """S: children under five in the register per kelurahan, at the end of each month."""
    ends = [month_end(month) for month in _months(year)]
    windows = {
        f"s{i}": Count("id", filter=Q(birth_date__gt=five_years_before(end), birth_date__lte=end))
        for i, end in enumerate(ends)
    }
    rows = (
        Person.objects.filter(
            status=Person.Status.ALIVE,
            birth_date__gt=five_years_before(ends[0]),
            birth_date__lte=ends[-1],
        )
        .values("rt__rw__kelurahan_id")
        .annotate(**windows)
    )
    return figures(
        {"kelurahan": row["rt__rw__kelurahan_id"], "month": month, "n": row[f"s{i}"]}
        for row in rows
        for i, month in enumerate(_months(year))
        if row[f"s{i}"]
    )


FIGURES = (children_weighed, children_under_five, children_stunted)
