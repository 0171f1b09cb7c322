from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.messaging.actions import receive


class Command(BaseCommand):
    help = "Pretend an SMS arrived through the file gateway (development and tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sender", help="the sender's number, e.g. 081234567890")
        parser.add_argument("text", help="the message")
        parser.add_argument("--id", default="", help="the gateway's message id, if any")

    def handle(self, *args: Any, sender: str, text: str, id: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Not in production: real messages come from a gateway.")
        message, created = receive(adapter="file", phone=sender, text=text, gateway_id=id)
        state = "stored" if created else "already stored (duplicate)"
        self.stdout.write(f"Message {message.pk} {state}; status {message.status}")
