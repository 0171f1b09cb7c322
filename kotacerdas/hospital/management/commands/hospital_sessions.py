from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.hospital.actions import generate_sessions, hospital_unit


class Command(BaseCommand):
    help = (
        "Make the dated clinic sessions of the booking window from the weekly schedules "
        "(idempotent; run daily by cron, before bookings open)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = generate_sessions(hospital_unit())
        self.stdout.write(f"{made} sessions created")
