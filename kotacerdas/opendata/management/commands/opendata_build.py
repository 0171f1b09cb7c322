"""Nightly: rebuild open data's tables and files from the services' figures."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.opendata.build import build, years_to_build
from kotacerdas.opendata.catalogue import sources


class Command(BaseCommand):
    help = "Rebuild the open datasets (this year, or every covered year with --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="every year the datasets cover")
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
        parser.add_argument("--figure", action="append", help="only this figure (app.function)")
        parser.add_argument("--memory", action="store_true", help="report peak Python memory")

    def handle(self, *args: Any, **options: Any) -> None:
        known = sources()
        figures = options["figure"]
        unknown = [key for key in figures or [] if key not in known]
        if unknown:
            raise CommandError(f"Angka tidak dikenal: {', '.join(unknown)}")
        years = options["year"] or years_to_build(full=options["full"])
        if options["memory"]:
            tracemalloc.start()
        started = time.monotonic()
        report = build(years, figures)
        seconds = time.monotonic() - started
        peak = ""
        if options["memory"]:
            peak = f", peak {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB"
            tracemalloc.stop()
        self.stdout.write(
            f"opendata: {report.tables} tables ({report.tables_changed} changed), "
            f"{report.datasets_changed} datasets changed, {report.failed} failed, "
            f"years {', '.join(map(str, years))}, {seconds:.1f} s{peak}"
        )
        if report.failed:
            raise CommandError(f"{report.failed} figure-years failed (see the log)")
