from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.hospital.actions import close_on_days_off, generate_sessions, hospital_unit


class Command(BaseCommand):
    help = (
        "Make the dated clinic sessions of the booking window from the weekly schedules, "
        "and close open sessions on the city's days off (idempotent; run daily by cron, "
        "before bookings open)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = hospital_unit()
        made = generate_sessions(unit)
        told = close_on_days_off(unit=unit)
        self.stdout.write(f"{made} sessions created; {told} patients told of a day off")
