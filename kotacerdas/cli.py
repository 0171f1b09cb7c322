"""`manage.py` as a function, so the package can also be run as `python -m kotacerdas`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
