from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.posyandu import tallies


class Command(BaseCommand):
    help = (
        "Count the register's children under five again for SKDN's S and K, by RW and "
        "month (the months around today; run every 10 minutes from cron). Weighings "
        "are counted as they are saved; posyandu_tallies_rebuild rebuilds everything."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = tallies.refresh_register()
        self.stdout.write(f"{rows} register tallies in {time.perf_counter() - started:.1f} s")
