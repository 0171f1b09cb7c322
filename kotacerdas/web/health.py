from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kotacerdas.web.models import Heartbeat
from kotacerdas.web.tasks import ping

# A ping is sent at most this often, and counts as lost after WORKER_DEADLINE.
PING_INTERVAL = dt.timedelta(seconds=15)
WORKER_DEADLINE = dt.timedelta(seconds=60)


@dataclass
class Health:
    database: str
    worker: str

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.worker in {"ok", "waiting"}


def check_health() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Health(database="unreachable", worker="unknown")
    return Health(database="ok", worker=_worker_state())


def _worker_state() -> str:
    now = timezone.now()
    with transaction.atomic():
        beat, _ = Heartbeat.objects.select_for_update().get_or_create(id=1)
        answered = beat.done_at is not None and (
            beat.enqueued_at is None or beat.done_at >= beat.enqueued_at
        )
        # One ping in flight at a time: an unanswered one keeps its clock running.
        if beat.enqueued_at is None or (answered and now - beat.enqueued_at >= PING_INTERVAL):
            beat.enqueued_at = now
            beat.save(update_fields=["enqueued_at"])
            transaction.on_commit(ping.enqueue)
    beat.refresh_from_db()
    if beat.done_at is not None and now - beat.done_at < WORKER_DEADLINE:
        return "ok"
    waited = now - (beat.enqueued_at or now)
    return "waiting" if waited < WORKER_DEADLINE else "not responding"
