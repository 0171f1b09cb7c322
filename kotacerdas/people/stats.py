"""The register's figures for the city dashboard (``FIGURES``, see kotacerdas.web.figures).

The register keeps who lives here now, not its past: each figure is a snapshot
in the current month (rows only for the current year). The dashboard stores
them as it computes them, which builds the history month by month.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kotacerdas.people.models import Person
from kotacerdas.people.population import band_label, band_of
from kotacerdas.web.figures import Figure


def residents(year: int) -> list[Figure]:
    """Residents living here per kelurahan, by sex (M/F), in the current month."""
    today = timezone.localdate()
    if year != today.year:
        return []
    rows = (
        Person.objects.filter(status=Person.Status.ALIVE)
        .order_by()
        .values("rt__rw__kelurahan_id", "sex")
        .annotate(n=Count("pk"))
    )
    month = today.replace(day=1)
    return sorted(
        (Figure(row["rt__rw__kelurahan_id"], month, row["n"], row["sex"]) for row in rows),
        key=_order,
    )


def residents_by_age(year: int) -> list[Figure]:
    """Residents living here per kelurahan, by five-year age band, in the current month."""
    today = timezone.localdate()
    if year != today.year:
        return []
    rows = (
        Person.objects.filter(status=Person.Status.ALIVE)
        .order_by()
        .values("rt__rw__kelurahan_id")
        .annotate(born=ExtractYear("birth_date"), n=Count("pk"))
    )
    month = today.replace(day=1)
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["rt__rw__kelurahan_id"], band_label(band_of(year - row["born"])))
        totals[key] = totals.get(key, 0) + row["n"]
    return sorted((Figure(code, month, n, band) for (code, band), n in totals.items()), key=_order)


def _order(figure: Figure) -> tuple[str, dt.date, str]:
    return (figure.kelurahan, figure.month, figure.group)


FIGURES = [residents, residents_by_age]
