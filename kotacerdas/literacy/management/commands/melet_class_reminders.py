from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kotacerdas.literacy.actions.classes import send_reminders


class Command(BaseCommand):
    help = (
        "Send the SMS reminder to every confirmed participant of the classes held tomorrow "
        "(run daily from cron; each ticket gets one reminder, through the messaging outbox)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, today: dt.date | None, **options: Any) -> None:
        counts = send_reminders(today or timezone.localdate())
        self.stdout.write(
            f"Class reminders: {counts['sent']} sent, {counts['refused']} refused by the SMS gateway"
        )
