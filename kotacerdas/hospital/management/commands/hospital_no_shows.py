from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.hospital.actions import mark_no_shows


class Command(BaseCommand):
    help = (
        "Bookings never checked in, of sessions that have ended, become no-shows "
        "(BPJS task 99). Idempotent; run every 15 minutes by cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{mark_no_shows()} bookings marked as no-shows")
