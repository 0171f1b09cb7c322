"""Recompute the dashboard's figures: the current year (hourly; dashboard_rebuild does every year)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.dashboard.refresh import refresh, years_to_refresh


class Command(BaseCommand):
    help = "Recompute the city dashboard's figures from the services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only this year")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["year"] or years_to_refresh(full=False)
        done = refresh(years)
        failed = [item for item in done if item.error]
        rows = sum(item.rows for item in done)
        seconds = sum(item.seconds for item in done)
        self.stdout.write(
            f"dashboard: {len(done)} figure-years, {rows} rows in {seconds:.1f} s"
            f"{f', {len(failed)} failed' if failed else ''}"
        )
        for item in failed:
            self.stderr.write(f"  {item.figure} {item.year}: {item.error}")
