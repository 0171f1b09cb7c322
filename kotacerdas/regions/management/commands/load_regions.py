from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.regions.actions import load_regions


class Command(BaseCommand):
    help = "Load a region list (code,level,name,parent_code); Kota Cirebon's by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=settings.REGIONS_FILE)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            result = load_regions(path)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{path.name}: {result.created} created, {result.updated} updated")
