"""Background work of the residents register."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from kotacerdas.people import actions


@task
def run_import(job_id: int) -> dict[str, Any]:
    """Check and import an uploaded workbook. Safe to run twice: a finished job
    is left alone and an interrupted one resumes after its last saved chunk."""
    return actions.process_import(job_id)
