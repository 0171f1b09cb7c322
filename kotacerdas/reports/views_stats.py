"""Wadul Bae statistics for the protection unit: a page and two workbooks
(written by ``workbooks``).

The page and the general workbook are de-identified and small-cell
suppressed; the SIMFONI PPA workbook lists the unit's own cases one per row
(for re-entry into the national system) without names, stories or phones.
Both downloads are audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.excel import xlsx_response
from kotacerdas.core.replica import stale_ok
from kotacerdas.reports import access, actions, stats, workbooks

MONTH_FORMATS = ["%Y-%m"]
FIRST_YEAR = 2000  # Wadul Bae has no earlier data; far years overflow dates
MAX_MONTHS = 120


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


@stale_ok()
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
        {
            "form": form,
            "figures": figures,
            "summary": stats.summary(figures, waiting),
            **workbooks.small(),
        },
    )


@stale_ok()
@never_cache
@require_GET
def export_statistics(request: StaffRequest) -> HttpResponse:
    """The page's tables as a workbook, suppressed the same way."""
    access.require_protection_staff(request.user)
    _form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(_("Choose a valid range of months."))
    figures = stats.compute(access.cases_for_user(request.user), period)
    workbook, rows = workbooks.statistics_workbook(figures)
    actions.record_export("statistics", rows=rows, period=period, request=request)
    return xlsx_response(workbook, f"wadul-statistik-{workbooks.period_name(period)}.xlsx")


@never_cache
@require_GET
def export_simfoni(request: StaffRequest) -> HttpResponse:
    """The unit's cases one per row in SIMFONI PPA's blocks, for re-entry by hand."""
    access.require_protection_staff(request.user)
    _form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(_("Choose a valid range of months."))
    rows = stats.simfoni_rows(access.cases_for_user(request.user), period)
    workbook = workbooks.simfoni_workbook(rows)
    actions.record_export("simfoni", rows=len(rows), period=period, request=request)
    return xlsx_response(workbook, f"wadul-simfoni-{workbooks.period_name(period)}.xlsx")
