from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from kotacerdas.audit.models import GENESIS_HASH, AuditEvent, ChainHead


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records.

    ``details`` must not carry personal data beyond what an auditor needs
    (ids and field names, not NIKs or names).
    """
    if actor is None and request is not None:
        actor = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            sequence=head.sequence + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=actor.get_username() if actor is not None else "",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            client_address=client_address(request) if request is not None else None,
            details=details,
            previous_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event


def client_address(request: HttpRequest) -> str | None:
    # Behind our reverse proxy, TrustedProxyMiddleware has already put the
    # client's address here; X-Forwarded-For is never read directly.
    return request.META.get("REMOTE_ADDR") or None


def first_broken_link(batch_size: int = 5000) -> tuple[int, str] | None:
    """Walk the chain; return (sequence, reason) of the first bad event, or None."""
    previous_hash, expected_sequence = GENESIS_HASH, 1
    for event in _iterate(batch_size):
        if event.sequence != expected_sequence:
            return expected_sequence, "missing event"
        if event.previous_hash != previous_hash:
            return event.sequence, "previous hash does not match"
        if event.compute_hash() != event.hash:
            return event.sequence, "contents changed"
        previous_hash, expected_sequence = event.hash, event.sequence + 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return expected_sequence, "events missing at the end"
    return None


def _iterate(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence
