"""Cirebon Melet's figures for the city dashboard (``FIGURES``): WiFi use per kelurahan and month.

Sessions are summed over the kelurahan's points; distinct devices are counted
across them (a device seen at two points of one kelurahan counts once), from
the exact per-hour presence the importer keeps. The dashboard suppresses small
counts when it publishes; these are the raw counts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from kotacerdas.literacy.models import DeviceHour, UsageHour
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
        DeviceHour.objects.filter(hour__year=year)
        .annotate(month=TruncMonth("hour", tzinfo=_zone()))
        .values("point__kelurahan_id", "month")
        .annotate(n=Count("device", distinct=True))
    )
    return figures(rows, kelurahan="point__kelurahan_id")


FIGURES = (wifi_sessions, wifi_distinct_devices)
