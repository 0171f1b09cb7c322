from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kotacerdas.posyandu.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send each on-duty puskesmas health officer the number of new posyandu alerts "
        "of the last 24 hours by SMS (counts only; run daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests(timezone.now() - dt.timedelta(days=1))
        self.stdout.write(f"{sent} alert digests sent")
