"""Residents in and out of Excel workbooks, split by what changes together.

In: ``form.ImportForm`` checks the upload just enough to refuse a bad file at
once (``sheet`` reads the workbook); ``people.actions.start_import`` stores it
as an ``ImportJob`` and the task ``tasks.run_import`` runs
``people.actions.process_import``, which checks each chunk of rows with
``rows.check_chunk`` (the person form's rules) and saves what passed with the
job's progress in one transaction, so a run that stops half-way resumes where
it stopped and never imports a row twice. Each rejected row keeps its reason.

Formats: ``columns`` is the kelurahan template's format (headers, other
spellings, coded values); ``rows`` checks values by column key. A new format
(OpenSID, SIAK) is one module like ``columns`` mapping its headers and values
onto those keys, chosen when the sheet is opened.

Out: ``workbooks`` writes the template and the export (openpyxl's write-only
mode to a temporary file, so memory stays flat however large the kelurahan).
"""

from __future__ import annotations

from kotacerdas.people.imports.columns import COLUMNS, HEADER
from kotacerdas.people.imports.form import ImportForm
from kotacerdas.people.imports.sheet import ImportFileError
from kotacerdas.people.imports.workbooks import export_workbook, template_workbook

REJECTED_PAGE_SIZE = 100

__all__ = [
    "COLUMNS",
    "HEADER",
    "REJECTED_PAGE_SIZE",
    "ImportFileError",
    "ImportForm",
    "export_workbook",
    "template_workbook",
]
