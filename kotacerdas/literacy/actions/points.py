"""The WiFi point register: add, change, and the outages DKIS opens and closes."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.literacy.models import DownReport, Outage, Point

STATUS_OF_OUTAGE = Point.Status.DOWN


def save_point(point: Point, *, actor: User, created: bool) -> Point:
    """Store a point from the register's form (``point`` is validated, unsaved changes)."""
    with transaction.atomic():
        point.save()
        record(
            "literacy.point_added" if created else "literacy.point_changed", actor=actor, obj=point
        )
    return point


def _open_outage(point: Point, *, at: Any, cause: str = Outage.Cause.UNKNOWN) -> Outage:
    """The point's open outage, opened now if there is none. Call inside ``atomic()``."""
    Point.objects.select_for_update().filter(pk=point.pk).first()  # one opener at a time
    outage = Outage.objects.filter(point=point, ended_at__isnull=True).first()
    if outage is None:
        outage = Outage.objects.create(point=point, started_at=at, cause=cause)
        if point.status == Point.Status.ACTIVE:
            Point.objects.filter(pk=point.pk).update(status=STATUS_OF_OUTAGE)
    return outage


def report_down(report: DownReport) -> Outage:
    """A citizen's stored report opens an outage for DKIS, or joins the open one."""
    with transaction.atomic():
        outage = _open_outage(report.point, at=report.received_at)
        Outage.objects.filter(pk=outage.pk).update(reports=F("reports") + 1)
        report.outage = outage
        report.save(update_fields=["outage"])
        record("literacy.down_reported", obj=outage, channel=report.channel)
    outage.refresh_from_db()
    return outage


def receive_down_report(point: Point, channel: str, message: Any = None) -> Outage:
    """Store the report first (it is kept even if what follows fails), then process it."""
    report = DownReport.objects.create(point=point, channel=channel, message=message)
    return report_down(report)


def open_outage(point: Point, *, actor: User, cause: str, note: str, started_at: Any) -> Outage:
    """DKIS records an outage it knows of (a planned maintenance, a silent site)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                outage = _open_outage(point, at=started_at, cause=cause)
        except IntegrityError:  # another opened it between our check and insert
            outage = Outage.objects.get(point=point, ended_at__isnull=True)
        Outage.objects.filter(pk=outage.pk).update(cause=cause, note=note)
        record("literacy.outage_opened", actor=actor, obj=outage, cause=cause)
    outage.refresh_from_db()
    return outage


def close_outage(outage: Outage, *, actor: User, cause: str, note: str) -> Outage:
    """The point works again: the outage ends now with its cause, the point is active."""
    with transaction.atomic():
        outage.ended_at = timezone.now()
        outage.cause = cause
        outage.note = note
        outage.save(update_fields=["ended_at", "cause", "note"])
        Point.objects.filter(pk=outage.point_id, status=Point.Status.DOWN).update(
            status=Point.Status.ACTIVE
        )
        record("literacy.outage_closed", actor=actor, obj=outage, cause=cause)
    return outage
