"""Immunisation reminders: an SMS to the mother a few days before posyandu day.

The text names the posyandu and the day only: never the child, the vaccine
or anything about the child's health (an SMS is read on shared phones).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from kotacerdas.audit.actions import record
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.posyandu import children, immunisation
from kotacerdas.posyandu.models import Posyandu, Reminder

logger = logging.getLogger(__name__)


def reminder_text(posyandu: Posyandu, day: dt.date) -> str:
    with override("id"):
        return _(
            "%(posyandu)s opens on %(day)s. Your child has an immunisation due: "
            "please come and bring the KIA book."
        ) % {"posyandu": posyandu.name, "day": day.strftime("%d-%m-%Y")}


def send_reminders(today: dt.date) -> dict[str, int]:
    """For each posyandu opening in POSYANDU_REMINDER_DAYS_BEFORE days: one SMS per
    mother with a phone whose child has a dose due by then (never twice)."""
    counts = {"posyandu": 0, "sent": 0, "no_phone": 0, "already": 0, "refused": 0}
    target = today + dt.timedelta(days=settings.POSYANDU_REMINDER_DAYS_BEFORE)
    for posyandu in Posyandu.objects.filter(active=True, opening_day=target.day).select_related(
        "rw"
    ):
        counts["posyandu"] += 1
        kids = list(
            children.under_five(target).filter(rt__rw_id=posyandu.rw_id).select_related("family")
        )
        due = immunisation.due_by_child(kids, target)
        mothers = {}
        for child in kids:
            if not due[child.pk]:
                continue
            mother = children.parents_of(child).mother
            if mother is None or not mother.phone:
                counts["no_phone"] += 1
                continue
            mothers[mother.pk] = mother
        for mother in mothers.values():
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        mother=mother, posyandu=posyandu, posyandu_day=target
                    )
                    message = send_sms(
                        mother.phone,
                        reminder_text(posyandu, target),
                        purpose="posyandu_reminder",
                        related=reminder,
                    )
                    reminder.message = message
                    reminder.save(update_fields=["message"])
                    record("posyandu.reminder.sent", obj=reminder, posyandu=posyandu.pk)
            except IntegrityError:
                counts["already"] += 1
            except (ValidationError, RateLimited):
                logger.warning("posyandu reminder refused for reminder of person %s", mother.pk)
                counts["refused"] += 1
            else:
                counts["sent"] += 1
    return counts
