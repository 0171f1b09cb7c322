"""Give a city app a key for Open311 GeoReport v2, printed once.

    manage.py open311_key "SiCantik Cirebon"            # a new client
    manage.py open311_key "SiCantik Cirebon" --rotate   # a new key; the old one stops working

Only a hash of the key is stored: a lost key cannot be read back, only replaced.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kotacerdas.audit.actions import record
from kotacerdas.reports.models import Open311Client


class Command(BaseCommand):
    help = "Create an Open311 client (or --rotate its key) and print the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the city app, e.g. 'SiCantik Cirebon'")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="replace the key of an existing client (and reactivate it)",
        )

    def handle(self, *args: Any, name: str, rotate: bool, **options: Any) -> None:
        name = name.strip()
        if not name:
            raise CommandError("Give the client app a name.")
        key = secrets.token_urlsafe(32)
        with transaction.atomic():
            client = Open311Client.objects.select_for_update().filter(name=name).first()
            if client is None and rotate:
                raise CommandError(f"No Open311 client is called {name!r}.")
            if client is not None and not rotate:
                raise CommandError(
                    f"An Open311 client called {name!r} exists; use --rotate for a new key."
                )
            if client is None:
                client = Open311Client.objects.create(
                    name=name, key_hash=Open311Client.hash_key(key)
                )
                record("open311.client.create", obj=client)
            else:
                client.key_hash = Open311Client.hash_key(key)
                client.active = True
                client.save(update_fields=["key_hash", "active"])
                record("open311.client.rotate", obj=client)
        self.stderr.write(
            f"Open311 key for {client.name} (shown once; store it in the app's secrets):"
        )
        self.stdout.write(key)
