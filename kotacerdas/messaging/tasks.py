from __future__ import annotations

from typing import Any

from django.tasks import task

from kotacerdas.messaging import actions


@task
def process_inbound(message_id: int | None = None) -> dict[str, Any]:
    return actions.process(message_id)


# Its own queue and workers: a slow gateway never stalls inbound routing.
@task(queue_name="sms")
def deliver_outbound(message_id: int | None = None) -> dict[str, Any]:
    return actions.deliver(message_id)
