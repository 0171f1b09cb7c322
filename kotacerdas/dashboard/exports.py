"""Every dashboard table downloads as CSV and as Excel, exactly as the page shows it.

Hidden counts stay hidden ("<5", "×"): a download is the same table, not the
numbers behind it. Shown counts become numbers in the spreadsheet.
"""

from __future__ import annotations

import csv

from django.http import HttpResponse
from openpyxl import Workbook

from kotacerdas.core.excel import xlsx_response
from kotacerdas.dashboard.tables import Table


def _cell(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _lines(table: Table) -> list[list[int | str]]:
    header: list[int | str] = list(table.header)
    return [header] + [[label, *map(_cell, cells)] for label, cells in table.rows]


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerows(_lines(table))
    return response


def excel_response(table: Table, filename: str, sheet: str) -> HttpResponse:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    for line in _lines(table):
        worksheet.append(line)
    return xlsx_response(workbook, filename)
