"""The database cache's table, so that `migrate` is all a site needs.

The cache is the one shared store of the rate limiter (settings.CACHES). The
table is not a model: Django's `createcachetable` makes it, and skips a
table that already exists, so this migration is safe on a site where an
operator already ran the command.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
