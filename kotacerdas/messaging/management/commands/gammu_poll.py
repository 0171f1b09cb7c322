from __future__ import annotations

import sqlite3
import time
from typing import Any

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.messaging.adapters.base import GatewayError
from kotacerdas.messaging.adapters.gammu import connect, poll_inbox, poll_sent


class Command(BaseCommand):
    help = (
        "Read gammu-smsd's database: store new inbound SMS (once each) and "
        "record the delivery status of the messages we sent through it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep going, every --every s")
        parser.add_argument("--every", type=float, default=2.0)

    def handle(self, *args: Any, loop: bool, every: float, **options: Any) -> None:
        while True:
            try:
                with connect() as db:
                    stored, duplicates = poll_inbox(db)
                    changed = poll_sent(db)
            except (GatewayError, sqlite3.Error, psycopg.Error) as exc:
                if not loop:
                    raise CommandError(f"gammu database: {exc}") from exc
                # The modem's machine or its database is away for a moment.
                self.stderr.write(f"gammu database: {exc}")
            else:
                if stored or duplicates or changed or not loop:
                    self.stdout.write(
                        f"{stored} message(s) stored, {duplicates} already stored, "
                        f"{changed} delivery status(es) recorded"
                    )
            if not loop:
                return
            time.sleep(every)
