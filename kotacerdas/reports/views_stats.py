"""Wadul Bae statistics for the protection unit: a page and two workbooks.

The page and the general workbook are de-identified and small-cell
suppressed; the SIMFONI PPA workbook lists the unit's own cases one per row
(for re-entry into the national system) without names, stories or phones.
Both downloads are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.audit.actions import record
from kotacerdas.core.excel import xlsx_response
from kotacerdas.reports import access, stats

MONTH_FORMATS = ["%Y-%m"]
FIRST_YEAR = 2000  # Wadul Bae has no earlier data; far years overflow dates
MAX_MONTHS = 120
SIMFONI_NOTE = (
    "Kolom per blok SIMFONI PPA (korban, pelaku, lokasi/tempat kejadian, jenis kekerasan, "
    "layanan). Rincian kolom adalah bacaan kami atas formulir SIMFONI: "
    "[verifikasi dengan UPTD PPA Kota Cirebon / KemenPPPA]. Kolom kosong diisi petugas."
)


class MonthInput(forms.DateInput):
    input_type = "month"


class PeriodForm(forms.Form):
    """Whole months, read from the query string (it carries no personal data)."""

    dari = forms.DateField(
        label=gettext_lazy("From month"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(format="%Y-%m"),
        required=False,
    )
    sampai = forms.DateField(
        label=gettext_lazy("To month"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(format="%Y-%m"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = stats.this_year()
        first = data.get("dari") or default.first
        last = data.get("sampai") or max(first, default.last)
        if last < first:
            raise forms.ValidationError(_("The last month comes before the first month."))
        if first.year < FIRST_YEAR or last.year > timezone.localdate().year + 1:
            raise forms.ValidationError(
                _("Choose months between %(first)d and next year.") % {"first": FIRST_YEAR}
            )
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(months)d months at a time.") % {"months": MAX_MONTHS}
            )
        data["period"] = stats.Period(first, last)
        return data


def _period(request: StaffRequest) -> tuple[PeriodForm, stats.Period | None]:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        return form, stats.this_year()
    return form, form.cleaned_data["period"] if form.is_valid() else None


@require_GET
def show_statistics(request: StaffRequest) -> HttpResponse:
    access.require_protection_staff(request.user)
    form, period = _period(request)
    figures = stats.compute(access.cases_for_user(request.user), period or stats.this_year())
    for table in figures.tables:
        stats.suppress_table(table)
    waiting = None
    if access.officer_unit_ids(request.user):
        waiting = stats.waiting_reports(access.reports_for_user(request.user), timezone.localdate())
    return render(
        request,
        "reports/stats.html",
        {"form": form, "figures": figures, "summary": stats.summary(figures, waiting), **_small()},
    )


@never_cache
@require_GET
def export_statistics(request: StaffRequest) -> HttpResponse:
    """The page's tables as a workbook, suppressed the same way."""
    access.require_protection_staff(request.user)
    _form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(_("Choose a valid range of months."))
    figures = stats.compute(access.cases_for_user(request.user), period)
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
    record(
        "reports.export",
        request=request,
        kind="statistics",
        rows=rows,
        first=f"{period.first:%Y-%m}",
        last=f"{period.last:%Y-%m}",
    )
    return xlsx_response(workbook, f"wadul-statistik-{_name(period)}.xlsx")


@never_cache
@require_GET
def export_simfoni(request: StaffRequest) -> HttpResponse:
    """The unit's cases one per row in SIMFONI PPA's blocks, for re-entry by hand."""
    access.require_protection_staff(request.user)
    _form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(_("Choose a valid range of months."))
    rows = stats.simfoni_rows(access.cases_for_user(request.user), period)
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
    record(
        "reports.export",
        request=request,
        kind="simfoni",
        rows=len(rows),
        first=f"{period.first:%Y-%m}",
        last=f"{period.last:%Y-%m}",
    )
    return xlsx_response(workbook, f"wadul-simfoni-{_name(period)}.xlsx")


def _summary_sheet(sheet: Worksheet, figures: stats.Statistics) -> int:
    _bold_row(sheet, [_("Wadul Bae statistics, de-identified")])
    sheet.append([_("Months"), _name(figures.period)])
    sheet.append([_("Counts from 1 to %(top)d are shown as <%(small)d.") % _small()])
    lines = stats.summary(figures)
    for label, shown in lines:
        sheet.append([label, shown])
    return len(lines)


def _small() -> dict[str, int]:
    return {"top": stats.SMALL - 1, "small": stats.SMALL}


def _bold_row(sheet: Worksheet, values: list[str]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _name(period: stats.Period) -> str:
    return f"{period.first:%Y-%m}-{period.last:%Y-%m}"
