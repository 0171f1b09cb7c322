from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from kotacerdas.web.models import Heartbeat


@task
def ping() -> dict[str, str]:
    """Proves a worker is taking tasks off the queue (see /healthz)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(id=1, defaults={"done_at": now})
    return {"done_at": now.isoformat()}
