from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.reports.actions import send_deadline_reminders


class Command(BaseCommand):
    help = "Warn the officers on duty of deadlines due by the next working day (run daily by cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        for unit, counts in send_deadline_reminders().items():
            self.stdout.write(
                f"{unit}: {counts['due_reports']} reports and {counts['due_cases']} cases due, "
                f"{counts['late']} late"
            )
