from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.messaging.actions import requeue_due


class Command(BaseCommand):
    help = "Queue SMS work that is due: retries, and anything whose task was lost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep going, every --every s")
        parser.add_argument("--every", type=float, default=15.0)

    def handle(self, *args: Any, loop: bool, every: float, **options: Any) -> None:
        while True:
            count = requeue_due()
            if count or not loop:
                self.stdout.write(f"{count} message(s) queued again")
            if not loop:
                return
            time.sleep(every)
