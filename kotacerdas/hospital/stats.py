"""Cirebon Lengko's figures for the city dashboard (kotacerdas.web.figures).

Bookings and no-shows count by the patient's kelurahan (patients found in the
residents register; a visitor from outside the city has none) and the month
of the visit. Free beds are a snapshot: now, by room class, counted at the
hospital's own region (its unit's kelurahan, or the city for a city hospital).
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from kotacerdas.hospital.models import Bed, Booking
from kotacerdas.web.figures import Figure, figures, year_bounds

PATIENT_KELURAHAN = "person__rt__rw__kelurahan_id"


def bookings(year: int) -> list[Figure]:
    """Outpatient bookings (not cancelled) per patient's kelurahan and month of the visit."""
    return _bookings(year, exclude_status=Booking.Status.CANCELLED)


def no_shows(year: int) -> list[Figure]:
    """Bookings whose patient did not come, per patient's kelurahan and month of the visit."""
    return _bookings(year, status=Booking.Status.NO_SHOW)


def _bookings(year: int, *, status: str = "", exclude_status: str = "") -> list[Figure]:
    first, after = year_bounds(year)
    chosen = Booking.objects.filter(session__date__gte=first, session__date__lt=after)
    if status:
        chosen = chosen.filter(status=status)
    if exclude_status:
        chosen = chosen.exclude(status=exclude_status)
    rows = (
        chosen.annotate(month=TruncMonth("session__date"))
        .values(PATIENT_KELURAHAN, "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan=PATIENT_KELURAHAN)


def free_beds(year: int) -> list[Figure]:
    """Free beds now, by room class (``group``: the SIRS bed type id); only for this year."""
    today = timezone.localdate()
    if year != today.year:
        return []  # beds are not kept month by month: there is only now
    rows = (
        Bed.objects.filter(status=Bed.Status.AVAILABLE)
        .annotate(
            region=Coalesce("room__ward__unit__rw__kelurahan_id", "room__ward__unit__region_id")
        )
        .values("region", "room__ward__bed_type")
        .annotate(n=Count("id"))
    )
    return figures(
        ({**row, "month": today} for row in rows),
        kelurahan="region",
        group="room__ward__bed_type",
    )


FIGURES = (bookings, no_shows, free_beds)
