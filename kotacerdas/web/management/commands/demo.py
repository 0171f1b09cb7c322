from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.accounts.demo import DEMO_PASSWORD
from kotacerdas.people.models import Person
from kotacerdas.web.declarations import DemoContext
from kotacerdas.web.discovery import demo_builders

# The demo renders birth certificates. WeasyPrint warns about the machine's
# HarfBuzz on every PDF ("Please install HarfBuzz version 13+ with
# harfbuzz-vector" for a colour font; "Using fontTools instead of
# HarfBuzz-Subset" where libharfbuzz-subset is missing, and then fontTools
# logs its subsetting): advice for whoever installs a server, not for someone
# trying the demo. The PDFs are right either way.
PDF_LOGGERS = ("weasyprint", "fontTools")


@contextmanager
def quiet_pdf_fonts() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in PDF_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic demo city (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "city"], default="small")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo city is synthetic data: it is never made in production.")
        started = time.perf_counter()
        context = DemoContext(scale=scale, seed=seed, rng=random.Random(seed), out=self.stdout)
        # The floor's builder first, then each service's, in INSTALLED_APPS order.
        with quiet_pdf_fonts():
            personas = [persona for build in demo_builders() for persona in build(context)]
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ({scale}) ready in {elapsed:.1f} s: {Person.objects.count():,} residents."
            )
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for persona in personas:
            self.stdout.write(f"  {persona.username:<18} {persona.what}")
        self.stdout.write(
            "  The TOTP personas use the key in README (or: manage.py totp_code admin)."
        )
