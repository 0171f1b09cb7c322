"""The SKDN report as a workbook: the months of the chosen area, the breakdown
of the chosen month, and FORMAT F2 by age and sex."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def skdn_workbook(figures: dict[str, Any]) -> Workbook:
    """``figures`` as ``skdn.report`` returns them."""
    months = figures["months"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "SKDN"
    sheet.append([f"SKDN — {figures['label']}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Indicator"), *[m.strftime("%Y-%m") for m in months]])
    for name, column_label, is_ratio in figures["columns"]:
        values = [getattr(figures["total"].months[m], name) for m in months]
        sheet.append(
            [str(column_label), *[round(v, 1) if is_ratio and v is not None else v for v in values]]
        )
    detail = workbook.create_sheet(figures["month"].strftime("%Y-%m"))
    detail.append([_("Area"), *[str(label) for _n, label, _r in figures["columns"]]])
    for area in figures["breakdown"]:
        counts = area.months[figures["month"]]
        values = [getattr(counts, n) for n, _l, _r in figures["columns"]]
        detail.append([area.label, *[round(v, 1) if isinstance(v, float) else v for v in values]])
    ages = workbook.create_sheet(_("Age and sex"))
    ages.append([_("Age (months)"), *figures["age_header"]])
    for label, values in figures["age_rows"]:
        ages.append([label, *values])
    for ws in (sheet, detail, ages):
        ws.column_dimensions["A"].width = 36
    return workbook
