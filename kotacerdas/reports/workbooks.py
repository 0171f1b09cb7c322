"""The Wadul Bae workbooks: de-identified statistics, and SIMFONI PPA rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.reports import stats

SIMFONI_NOTE = (
    "Kolom per blok SIMFONI PPA (korban, pelaku, lokasi/tempat kejadian, jenis kekerasan, "
    "layanan). Rincian kolom adalah bacaan kami atas formulir SIMFONI: "
    "[verifikasi dengan UPTD PPA Kota Cirebon / KemenPPPA]. Kolom kosong diisi petugas."
)


def statistics_workbook(figures: stats.Statistics) -> tuple[Workbook, int]:
    """The statistics page's tables, small cells suppressed; and how many rows."""
    workbook = Workbook()
    summary = workbook.worksheets[0]
    summary.title = _("Summary")[:31]
    rows = _summary_sheet(summary, figures)
    for table in figures.tables:
        stats.suppress_table(table)
        sheet = workbook.create_sheet(table.title[:31])
        _bold_row(sheet, [table.title])
        _bold_row(sheet, [_("Group"), _("Cases")])
        for row in table.rows:
            sheet.append([row.label, row.shown])
        rows += len(table.rows)
    return workbook, rows


def simfoni_workbook(rows: list[list[Any]]) -> Workbook:
    """One case per row under SIMFONI PPA's blocks (merged headers in row 1)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "SIMFONI PPA"
    blocks: list[str] = []
    fields: list[str] = []
    for block, names in stats.SIMFONI_COLUMNS:
        blocks += [block.upper()] + [""] * (len(names) - 1)
        fields += names
    _bold_row(sheet, blocks)
    _bold_row(sheet, fields)
    sheet["A1"].comment = Comment(SIMFONI_NOTE, "Kota Cerdas")
    column = 1
    for _block, names in stats.SIMFONI_COLUMNS:
        if len(names) > 1:
            sheet.merge_cells(
                start_row=1, start_column=column, end_row=1, end_column=column + len(names) - 1
            )
        column += len(names)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD-MM-YYYY"
    return workbook


def _summary_sheet(sheet: Worksheet, figures: stats.Statistics) -> int:
    _bold_row(sheet, [_("Wadul Bae statistics, de-identified")])
    sheet.append([_("Months"), period_name(figures.period)])
    sheet.append([_("Counts from 1 to %(top)d are shown as <%(small)d.") % small()])
    lines = stats.summary(figures)
    for label, shown in lines:
        sheet.append([label, shown])
    return len(lines)


def small() -> dict[str, int]:
    return {"top": stats.SMALL - 1, "small": stats.SMALL}


def _bold_row(sheet: Worksheet, values: list[str]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def period_name(period: stats.Period) -> str:
    return f"{period.first:%Y-%m}-{period.last:%Y-%m}"
