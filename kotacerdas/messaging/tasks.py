from __future__ import annotations

from typing import Any

from django.tasks import task

from kotacerdas.messaging import actions


@task
def process_inbound(message_id: int) -> dict[str, Any]:
    return actions.process(message_id)


@task
def deliver_outbound(message_id: int) -> dict[str, Any]:
    return actions.deliver(message_id)
