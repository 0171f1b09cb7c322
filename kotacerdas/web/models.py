from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The worker's last sign of life, for /healthz.

    /healthz enqueues a ``ping`` task now and then; the worker stamps
    ``done_at``. A ping left waiting too long means no worker is running.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    enqueued_at = models.DateTimeField(null=True)
    done_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"enqueued {self.enqueued_at}, done {self.done_at}"
