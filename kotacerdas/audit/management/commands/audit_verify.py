from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.audit.actions import first_broken_link
from kotacerdas.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit chain; name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_link()
        if broken is not None:
            sequence, reason = broken
            raise CommandError(f"Audit chain broken at event #{sequence}: {reason}")
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events")
