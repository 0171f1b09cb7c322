from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from kotacerdas.audit.sequencer import BATCH_SIZE, chain_all, chain_pending

logger = logging.getLogger("kotacerdas.audit.sequencer")


class Command(BaseCommand):
    help = (
        "Chain committed audit events into the hash chain: a loop (for systemd), "
        "or one pass with --once (cron, tests)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="chain what waits, then stop")
        parser.add_argument(
            "--interval",
            type=float,
            default=0.5,
            help="seconds to wait when nothing is waiting (keep well under AUDIT_CHAIN_DELAY_SECONDS)",
        )
        parser.add_argument("--batch", type=int, default=BATCH_SIZE, help="events per transaction")

    def handle(self, *args: Any, once: bool, interval: float, batch: int, **options: Any) -> None:
        if once:
            chained = chain_all(batch)
            self.stdout.write(f"Chained {chained} audit events")
            return
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"audit sequencer running (batch {batch}, idle wait {interval} s)")
        self.stdout.flush()
        while not stopping:
            try:
                chained = chain_pending(batch)
            except DatabaseError:
                # The database restarted or failed over: reconnect and go on.
                logger.exception("audit sequencer: batch failed, trying again")
                close_old_connections()
                chained = 0
            if chained < batch:
                time.sleep(interval)
