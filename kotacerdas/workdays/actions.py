"""Every change to the calendar of days off: one transaction, one audit event,
and ``signals.days_off_changed`` once it is committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.workdays.models import DayOff
from kotacerdas.workdays.signals import days_off_changed

FIELDS = ("date", "kind", "name", "source")


def add_day_off(
    *,
    date: dt.date,
    kind: str,
    name: str,
    source: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> DayOff:
    """Add a day off, or raise ValidationError (nothing stored)."""
    day_off = DayOff(date=date, kind=kind, name=name.strip(), source=source.strip())
    with transaction.atomic():
        _check(day_off)
        day_off.save()
        record(
            "workdays.day_off.add",
            actor=actor,
            obj=day_off,
            request=request,
            date=date.isoformat(),
            kind=kind,
        )
        _announce([date])
    return day_off


def change_day_off(
    day_off: DayOff,
    *,
    date: dt.date,
    kind: str,
    name: str,
    source: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> DayOff:
    """Correct a day off (its date too), or raise ValidationError (nothing changed)."""
    with transaction.atomic():
        before = DayOff.objects.select_for_update().get(pk=day_off.pk)
        day_off.date, day_off.kind = date, kind
        day_off.name, day_off.source = name.strip(), source.strip()
        _check(day_off)
        changed = [f for f in FIELDS if getattr(before, f) != getattr(day_off, f)]
        day_off.save()
        record(
            "workdays.day_off.change",
            actor=actor,
            obj=day_off,
            request=request,
            fields=changed,
            date=date.isoformat(),
            previous_date=before.date.isoformat(),
        )
        _announce(sorted({before.date, date}))
    return day_off


def remove_day_off(
    day_off: DayOff, *, actor: Any = None, request: HttpRequest | None = None
) -> None:
    """Make the date a working day again (unless it is a weekend day)."""
    with transaction.atomic():
        date = day_off.date
        record(
            "workdays.day_off.remove",
            actor=actor,
            obj=day_off,
            request=request,
            date=date.isoformat(),
            kind=day_off.kind,
            name=day_off.name,
        )
        day_off.delete()
        _announce([date])


def _check(day_off: DayOff) -> None:
    taken = DayOff.objects.filter(date=day_off.date).exclude(pk=day_off.pk).first()
    if taken is not None:
        raise ValidationError(
            {
                "date": _("%(date)s is already in the calendar as “%(name)s”.")
                % {"date": formats.date_format(day_off.date, "j F Y"), "name": taken.name}
            }
        )
    if not day_off.source:
        raise ValidationError(
            {
                "source": _(
                    "Give the source: the decision that makes this a day off (SKB number, Wali Kota's decision or a link)."
                )
            }
        )
    day_off.full_clean(validate_unique=False)


def _announce(dates: list[dt.date]) -> None:
    # Robust: the calendar's change stands even if a service fails to follow it
    # (Django logs the error); the hospital's nightly hospital_sessions catches up.
    transaction.on_commit(lambda: days_off_changed.send_robust(sender=DayOff, dates=dates))
