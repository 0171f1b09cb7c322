from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kotacerdas.posyandu.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send immunisation reminders by SMS to mothers before posyandu day "
        "(run daily, e.g. from cron at 08:00; each mother gets one per posyandu day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, today: dt.date | None, **options: Any) -> None:
        counts = send_reminders(today or timezone.localdate())
        self.stdout.write(
            f"{counts['posyandu']} posyandu open soon: {counts['sent']} reminders sent, "
            f"{counts['already']} already sent, {counts['no_phone']} children without a "
            f"mother's phone, {counts['refused']} refused by the SMS gateway"
        )
