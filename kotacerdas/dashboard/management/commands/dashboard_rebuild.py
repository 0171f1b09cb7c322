"""Nightly: recompute every year of every dashboard figure (the hourly run does only this year)."""

from __future__ import annotations

from kotacerdas.dashboard.management.commands import dashboard_refresh
from kotacerdas.dashboard.refresh import years_to_refresh


class Command(dashboard_refresh.Command):
    help = "Recompute every year of the city dashboard's figures (nightly)."

    def handle(self, *args: object, **options: object) -> None:
        options["year"] = options.get("year") or years_to_refresh(full=True)
        super().handle(*args, **options)
