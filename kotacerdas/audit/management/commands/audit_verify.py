from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.audit.actions import first_broken_link, waiting_too_long
from kotacerdas.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit chain; name the first broken link, "
        "and events the sequencer has left waiting too long."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_link()
        if broken is not None:
            sequence, reason = broken
            raise CommandError(f"Audit chain broken at event #{sequence}: {reason}")
        chained = AuditEvent.objects.filter(sequence__isnull=False).count()
        waiting = AuditEvent.objects.filter(sequence__isnull=True).count()
        self.stdout.write(f"Audit chain intact: {chained} events, {waiting} waiting to be chained")
        late = waiting_too_long()
        if late:
            # Not tampering, but the sequencer is down or behind: the chain
            # does not yet vouch for these events.
            raise CommandError(
                f"{late} audit events waited more than {settings.AUDIT_CHAIN_DELAY_SECONDS} s "
                "to be chained: is audit_sequencer running?"
            )
