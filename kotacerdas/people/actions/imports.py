"""The import's write path: rows are checked by people.imports.rows, saved here in chunks."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.people.actions import bulk
from kotacerdas.people.actions.extracts import link_parents, write_extract_chunk
from kotacerdas.people.imports.rows import CheckedChunk, Context, check_chunk, load_context
from kotacerdas.people.imports.sheet import ImportFileError, open_sheet
from kotacerdas.people.models import (
    Family,
    ImportJob,
    Person,
)

logger = logging.getLogger(__name__)


CHUNK_SIZE = 2000  # import rows per transaction; progress is saved after each chunk
BATCH_SIZE = 1000  # rows per INSERT


def process_import(job_id: int) -> dict[str, Any]:
    """Check and import the rows of a stored workbook. Idempotent: a finished job
    is left alone, an interrupted one resumes after its last saved chunk."""
    job = _claim(job_id)
    if job is None:
        return {"job": job_id, "status": "missing"}
    if job.is_finished:
        return _summary(job)
    with translation.override(job.language):
        try:
            with open_sheet(bytes(job.content)) as sheet:
                ctx, total = load_context(job, sheet)
                if job.rows_total != total or job.file_format != sheet.format.key:
                    ImportJob.objects.filter(pk=job.pk).update(
                        rows_total=total,
                        file_format=sheet.format.key,
                        unplaced_columns=sheet.unplaced,
                    )
                for start, rows in _chunks(sheet.rows(), skip=job.rows_processed):
                    if not _import_chunk(job.pk, start, rows, ctx):
                        return {"job": job_id, "status": "taken over"}
        except ImportFileError as exc:
            return _summary(_end(job.pk, ImportJob.Status.FAILED, error=str(exc)))
        except Exception:
            logger.exception("import job %s stopped", job_id)
            _end(
                job.pk,
                ImportJob.Status.FAILED,
                error=_(
                    "The import stopped because of an error in the system. The rows "
                    "counted as processed were imported; tell the city's helpdesk."
                ),
            )
            raise
        if ctx.is_extract and not job.dry_run:
            link_parents(job.kelurahan_id)
        return _summary(_end(job.pk, ImportJob.Status.DONE))


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.status == ImportJob.Status.QUEUED:
            job.status = ImportJob.Status.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
    return job


def _chunks(
    rows: Iterator[tuple[int, dict[str, Any]]], *, skip: int
) -> Iterator[tuple[int, list[tuple[int, dict[str, Any]]]]]:
    """(rows processed before the chunk, the chunk's rows), after ``skip`` rows."""
    done = 0
    chunk: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        if done < skip:
            done += 1
            continue
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield done, chunk
            done += len(chunk)
            chunk = []
    if chunk:
        yield done, chunk


def _import_chunk(
    job_id: int, start: int, rows: list[tuple[int, dict[str, Any]]], ctx: Context
) -> bool:
    """Import one chunk and save the job's progress in the same transaction.
    False if another run already processed these rows."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
                if job.status != ImportJob.Status.RUNNING or job.rows_processed != start:
                    return False
                unnumbered = _write_chunk(job, rows, ctx)
            ctx.unnumbered |= unnumbered
            return True
        except IntegrityError:
            # Someone registered one of these NIKs or No. KKs meanwhile: check again.
            if attempt == 2:
                raise
    return False


def _write_chunk(
    job: ImportJob, rows: list[tuple[int, dict[str, Any]]], ctx: Context
) -> set[tuple[str, dt.date]]:
    """Check one chunk's rows, save what passed and the job's progress. Call
    inside the transaction that holds the job's row lock."""
    checked: CheckedChunk = check_chunk(rows, ctx)
    if job.dry_run:
        ctx.planned_families.update((f.kk_number, f) for f in checked.new_families)
    else:
        bulk.insert(Family, checked.new_families, batch_size=BATCH_SIZE)
        bulk.insert(Person, checked.people, batch_size=BATCH_SIZE)
    fields = [
        "rows_processed",
        "rows_imported",
        "rows_rejected",
        "families_created",
        "rejected",
        "notes",
    ]
    if ctx.is_extract:
        found = write_extract_chunk(job, checked, ctx)
        job.rows_updated += found["updated"]
        job.rows_left += found["left"]
        job.rows_unchanged += found["unchanged"]
        if found["changes"]:
            job.changes = [*job.changes, *found["changes"]]
        if found["conflicts"]:
            job.conflicts = [*job.conflicts, *found["conflicts"]]
        fields += ["rows_updated", "rows_left", "rows_unchanged", "changes", "conflicts"]
    job.rows_processed += len(rows)
    job.rows_imported += len(checked.people)
    job.rows_rejected += len(checked.rejected)
    job.families_created += len(checked.new_families)
    if checked.rejected:
        job.rejected = [*job.rejected, *checked.rejected]
    if checked.notes:
        job.notes = [*job.notes, *checked.notes]
    job.save(update_fields=fields)
    return checked.unnumbered


def _end(job_id: int, status: str, *, error: str = "") -> ImportJob:
    """Finish an import job and write its one audit event (what was imported, not who)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
        if job.is_finished:
            return job
        job.status = status
        job.error = error[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        record(
            "people.import",
            actor=job.uploaded_by,
            obj=job,
            status=status,
            rows=job.rows_processed,
            imported=job.rows_imported,
            rejected=job.rows_rejected,
            families_created=job.families_created,
            updated=job.rows_updated,
            left=job.rows_left,
            conflicts=len(job.conflicts),
            dry_run=job.dry_run,
        )
    return job


def _summary(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job.pk,
        "status": job.status,
        "imported": job.rows_imported,
        "rejected": job.rows_rejected,
        "updated": job.rows_updated,
        "unchanged": job.rows_unchanged,
        "left": job.rows_left,
        "conflicts": len(job.conflicts),
        "dry_run": job.dry_run,
    }
