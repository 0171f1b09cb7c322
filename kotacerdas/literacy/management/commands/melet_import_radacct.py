"""``melet_import_radacct FILE.csv`` or ``melet_import_radacct --database-url URL``.

Counts WiFi use per point and hour from FreeRADIUS accounting; see
kotacerdas.literacy.imports. Prints what it read, counted and refused (lines
by number, never their content) and the unknown NAS with their row counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.literacy import imports
from kotacerdas.literacy.radacct import BadHeader


class Command(BaseCommand):
    help = (
        "Import FreeRADIUS radacct accounting (a CSV export or the table) into WiFi usage counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, help="CSV from COPY radacct TO … CSV HEADER"
        )
        parser.add_argument("--database-url", help="read radacct itself (read-only, incremental)")
        parser.add_argument(
            "--register-unknown",
            action="store_true",
            help="register each unknown NAS as a new point awaiting its details",
        )
        parser.add_argument("--show-bad", type=int, default=20, help="refused lines to list")

    def handle(self, *args: Any, **options: Any) -> None:
        file, url = options["file"], options["database_url"]
        if bool(file) == bool(url):
            raise CommandError(
                "Give either a CSV file or --database-url, not both and not neither."
            )
        if file is not None and not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            if file is not None:
                run = imports.import_csv(file, register_unknown=options["register_unknown"])
            else:
                run = imports.import_database(url, register_unknown=options["register_unknown"])
        except BadHeader as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:  # psycopg's OperationalError is not one: reported below
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{run.source}: {run.rows} rows read, {run.counted} counted, "
            f"{run.unchanged} already counted, {run.bad_count} refused"
        )
        for line, reason in run.bad[: options["show_bad"]]:
            self.stdout.write(f"  line {line}: {reason}")
        for nas, rows in sorted(run.unknown_nas.items()):
            self.stdout.write(f"  unknown NAS {nas}: {rows} rows")
