"""One way to answer a spreadsheet download: the city works in Excel."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """``workbook`` as an attachment named ``filename``, never stored by a shared cache.

    Spreadsheets of this platform hold figures or people's data of one scope:
    ``private, no-store`` keeps them off RW computers' disks and proxies.
    """
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
