from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.hospital.actions import send_reminders


class Command(BaseCommand):
    help = (
        "SMS reminders: the day before (after HOSPITAL_REMINDER_DAY_BEFORE_HOUR) and about "
        "HOSPITAL_REMINDER_MINUTES_BEFORE minutes before the estimated time. Each booking gets "
        "each reminder once, however often this runs; run every 5 minutes by cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(
            f"{sent['day_before']} day-before and {sent['hour_before']} hour-before reminders sent"
        )
