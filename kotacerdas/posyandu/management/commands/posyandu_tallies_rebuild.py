from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.posyandu import tallies


class Command(BaseCommand):
    help = (
        "Rebuild every SKDN tally from the raw rows: the weighings and the register "
        "(nightly from cron, and after a bulk load such as the demo or an import)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        weighings = tallies.rebuild_weighings()
        register = tallies.refresh_register()
        self.stdout.write(
            f"{weighings} weighing tallies, {register} register tallies "
            f"in {time.perf_counter() - started:.1f} s"
        )
