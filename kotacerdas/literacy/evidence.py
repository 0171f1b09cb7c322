"""The monthly evidence pack for DKIS: per point and per kelurahan, what the WiFi did.

Uptime comes from the outage history (the share of the month with no open
outage), use from the imported accounting: sessions, distinct devices in the
month (exact: the distinct device hashes of ``DeviceMonth``), minutes and data,
and the peak hours of the day. Counts from 1 to SMALL-1 are printed as
"<5": a kelurahan office's WiFi seen by two devices in a month points at people.
A kelurahan's distinct devices are counted across its points (a device seen
at two points counts once), not summed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour

from kotacerdas.literacy.models import DeviceMonth, Outage, Point, UsageHour

SMALL = 5
SMALL_TEXT = f"<{SMALL}"
PEAK_HOURS = 3


def suppress(count: int) -> str:
    return SMALL_TEXT if 0 < count < SMALL else f"{count:,}".replace(",", ".")


@dataclass
class Month:
    first: dt.date

    @classmethod
    def parse(cls, text: str | None, today: dt.date) -> Month:
        """``YYYY-MM`` as typed in the address, else the last whole month."""
        try:
            first = dt.date.fromisoformat(f"{text}-01") if text else None
        except ValueError:
            first = None
        if first is None:
            first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return cls(first)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> dt.datetime:
        following = (self.first + dt.timedelta(days=32)).replace(day=1)
        return dt.datetime.combine(following, dt.time(), ZoneInfo(settings.TIME_ZONE))

    @property
    def code(self) -> str:
        return f"{self.first:%Y-%m}"


@dataclass
class Line:
    """One row of the pack: a point, or a kelurahan (its points together)."""

    label: str
    code: str = ""
    points: int = 1
    uptime: float = 100.0
    sessions: int = 0
    devices: int = 0
    minutes: int = 0
    bytes_out: int = 0
    bytes_in: int = 0
    outages: int = 0
    peak: list[int] = field(default_factory=list)
    kelurahan: Any = None  # the Region of a point's line

    @property
    def sessions_shown(self) -> str:
        return suppress(self.sessions)

    @property
    def devices_shown(self) -> str:
        return suppress(self.devices)

    @property
    def peak_shown(self) -> str:
        return ", ".join(f"{hour:02d}.00" for hour in self.peak) or "—"

    @property
    def gigabytes(self) -> str:
        return f"{(self.bytes_in + self.bytes_out) / 1e9:.1f}"


@dataclass
class Pack:
    month: Month
    kelurahan: list[Line]
    points: list[Line]


def _downtime(points: QuerySet[Point], month: Month) -> tuple[dict[int, float], dict[int, int]]:
    """Seconds down per point within the month, and outages that touched it."""
    seconds: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    outages = Outage.objects.filter(point__in=points, started_at__lt=month.end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=month.start)
    )
    for point_id, started, ended in outages.values_list("point_id", "started_at", "ended_at"):
        until = min(ended or month.end, month.end)
        seconds[point_id] += max(0.0, (until - max(started, month.start)).total_seconds())
        counts[point_id] += 1
    return seconds, counts


def _peaks(usage: QuerySet[UsageHour], key: str) -> dict[Any, list[int]]:
    by_hour = (
        usage.annotate(h=ExtractHour("hour", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values(key, "h")
        .annotate(n=Sum("sessions"))
    )
    found: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for row in by_hour:
        found[row[key]].append((row["n"] or 0, row["h"]))
    return {k: [h for n, h in sorted(v, reverse=True)[:PEAK_HOURS] if n] for k, v in found.items()}


def build(points: QuerySet[Point], month: Month) -> Pack:
    """The pack for ``points`` (already scoped to the user) in ``month``: a few aggregate queries."""
    points = points.exclude(status=Point.Status.PENDING).select_related("kelurahan")
    span = (month.end - month.start).total_seconds()
    usage = UsageHour.objects.filter(point__in=points, hour__gte=month.start, hour__lt=month.end)
    sums: dict[int, Any] = {
        row["point"]: row
        for row in usage.values("point").annotate(
            s=Sum("sessions"), sec=Sum("seconds"), i=Sum("bytes_in"), o=Sum("bytes_out")
        )
    }
    seen = DeviceMonth.objects.filter(point__in=points, month=month.first)
    devices = dict(
        seen.values("point").annotate(n=Count("device", distinct=True)).values_list("point", "n")
    )
    by_kelurahan = dict(
        seen.values("point__kelurahan")
        .annotate(n=Count("device", distinct=True))
        .values_list("point__kelurahan", "n")
    )
    down, outages = _downtime(points, month)
    peaks = _peaks(usage, "point")
    kelurahan_peaks = _peaks(usage, "point__kelurahan")
    lines = []
    for point in points.order_by("kelurahan__name", "name"):
        row = sums.get(point.pk, {})
        lines.append(
            Line(
                label=point.name,
                code=point.code,
                uptime=100.0 * (1 - down.get(point.pk, 0.0) / span),
                sessions=row.get("s") or 0,
                devices=devices.get(point.pk, 0),
                minutes=(row.get("sec") or 0) // 60,
                bytes_in=row.get("i") or 0,
                bytes_out=row.get("o") or 0,
                outages=outages.get(point.pk, 0),
                peak=peaks.get(point.pk, []),
                kelurahan=point.kelurahan,
            )
        )
    return Pack(month, _kelurahan_lines(lines, by_kelurahan, kelurahan_peaks), lines)


def _kelurahan_lines(
    lines: list[Line], devices: dict[str, int], peaks: dict[str, list[int]]
) -> list[Line]:
    groups: dict[Any, list[Line]] = defaultdict(list)
    for line in lines:
        groups[line.kelurahan].append(line)
    result = []
    for region, members in groups.items():
        code = region.code if region else ""
        result.append(
            Line(
                label=region.name if region else "—",
                code=code,
                points=len(members),
                uptime=sum(m.uptime for m in members) / len(members),
                sessions=sum(m.sessions for m in members),
                devices=devices.get(code, 0),
                minutes=sum(m.minutes for m in members),
                bytes_in=sum(m.bytes_in for m in members),
                bytes_out=sum(m.bytes_out for m in members),
                outages=sum(m.outages for m in members),
                peak=peaks.get(code, []),
            )
        )
    return result
