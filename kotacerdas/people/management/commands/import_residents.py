"""``manage.py import_residents FILE --kelurahan CODE [--dry-run] [--map FILE]``.

Disdukcapil's bulk loads: the same engine as the web import (formats, checks,
monthly comparison), run here and now for one kelurahan's file, without an
RW operator's area or look-up limits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.accounts.models import User
from kotacerdas.people.actions import process_import
from kotacerdas.people.actions.areas import read_map_file, save_area_mappings
from kotacerdas.people.imports.form import MAX_COMMAND_BYTES
from kotacerdas.people.imports.sheet import ImportFileError, check_upload
from kotacerdas.people.models import ImportJob
from kotacerdas.regions.models import Region

SERVICE_USER = "impor-kependudukan"


class Command(BaseCommand):
    help = "Import or update a kelurahan's residents from a SIAK extract, an OpenSID export or the template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kelurahan", required=True, help="Kepmendagri code, 32.74.01.1001")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument("--map", type=Path, help="CSV dusun,rw,rt,kelurahan_rw,kelurahan_rt")
        parser.add_argument("--user", help="Staff account to record as the importer.")

    def handle(self, *args: Any, **options: Any) -> None:
        kelurahan = Region.objects.filter(
            code=options["kelurahan"], level=Region.Level.KELURAHAN
        ).first()
        if kelurahan is None:
            raise CommandError(f"No kelurahan {options['kelurahan']}.")
        path: Path = options["file"]
        if path.stat().st_size > MAX_COMMAND_BYTES:
            raise CommandError(f"{path} is larger than {MAX_COMMAND_BYTES // 2**20} MB.")
        content = path.read_bytes()
        try:
            check_upload(content)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        user = self._user(options.get("user"))
        if options.get("map"):
            try:
                choices = read_map_file(options["map"].read_text(encoding="utf-8"), kelurahan)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            save_area_mappings(kelurahan, choices, actor=user)
        job = ImportJob.objects.create(
            uploaded_by=user,
            kelurahan=kelurahan,
            file_name=path.name[-200:],
            content=content,
            dry_run=options["dry_run"],
            from_command=True,
        )
        del content
        summary = process_import(job.pk)
        job.refresh_from_db()
        self._report(job, summary)

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username}.")
            return user
        user, created = User.objects.get_or_create(username=SERVICE_USER)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _report(self, job: ImportJob, summary: dict[str, Any]) -> None:
        out = self.stdout
        out.write(
            f"{'Dry run' if job.dry_run else 'Import'} {job.pk} ({job.file_format}): "
            f"{job.status}; rows {job.rows_processed}, new {job.rows_imported}, "
            f"updated {job.rows_updated}, left {job.rows_left}, unchanged {job.rows_unchanged}, "
            f"refused {job.rows_rejected}, conflicts {len(job.conflicts)}"
        )
        if job.error:
            out.write(job.error)
        for row in job.rejected[:20]:
            out.write(f"  row {row['row']} {row['nik']}: {row['reason']}")
        for conflict in job.conflicts[:20]:
            fields = ", ".join(f"{f[0]}: {f[1]!r} / {f[2]!r}" for f in conflict["fields"])
            out.write(f"  conflict row {conflict['row']} {conflict['nik']}: {fields}")
        if job.unplaced_columns:
            out.write("  columns not kept: " + ", ".join(job.unplaced_columns))
