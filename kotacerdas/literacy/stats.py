"""Cirebon Melet's figures for the city dashboard (``FIGURES``): WiFi use and class attendance
per kelurahan and month; and the literacy mini-index (``literacy_index``).

Sessions are summed over the kelurahan's points; distinct devices are counted
across them (a device seen at two points of one kelurahan counts once), from
the devices per point and month the importer keeps. The dashboard suppresses small
counts when it publishes; these are the raw counts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from kotacerdas.literacy import index
from kotacerdas.literacy.models import CheckIn, DeviceMonth, UsageHour
from kotacerdas.web.figures import Figure, figures


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def wifi_sessions(year: int) -> list[Figure]:
    rows = (
        UsageHour.objects.filter(hour__year=year)
        .annotate(month=TruncMonth("hour", tzinfo=_zone()))
        .values("point__kelurahan_id", "month")
        .annotate(n=Sum("sessions"))
    )
    return figures(rows, kelurahan="point__kelurahan_id")


def wifi_distinct_devices(year: int) -> list[Figure]:
    rows = (
        DeviceMonth.objects.filter(month__year=year)
        .values("point__kelurahan_id", "month")
        .annotate(n=Count("device", distinct=True))
    )
    return figures(rows, kelurahan="point__kelurahan_id")


def class_attendance(year: int) -> list[Figure]:
    """Participants checked in at classes, by the class's kelurahan and month."""
    rows = (
        CheckIn.objects.filter(result=CheckIn.Result.OK, session__starts_at__year=year)
        .annotate(month=TruncMonth("session__starts_at", tzinfo=_zone()))
        .values("session__kelurahan_id", "month")
        .annotate(n=Count("pk"))
    )
    return figures(rows, kelurahan="session__kelurahan_id")


def literacy_index(year: int) -> list[index.IndexCell]:
    """The kelurahan literacy mini-index per pillar and quarter (1–5, small counts suppressed).

    Not a count, so not in ``FIGURES``: the dashboard shows it as it comes
    (``index`` and ``gain`` are None where suppressed); the method is in
    ``kotacerdas.literacy.index`` and on the public page /melet/indeks/.
    """
    return index.cells(year)


FIGURES = (wifi_sessions, wifi_distinct_devices, class_attendance)
