"""The monthly evidence pack: on screen, as a PDF (WeasyPrint) and as an Excel workbook."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core import pdf
from kotacerdas.core.excel import xlsx_response
from kotacerdas.literacy import access, evidence


def _pack(request: StaffRequest) -> evidence.Pack:
    access.require_wifi_staff(request.user)
    month = evidence.Month.parse(request.GET.get("bulan"), timezone.localdate())
    return evidence.build(access.points_for_user(request.user), month)


def evidence_pack(request: StaffRequest) -> HttpResponse:
    pack = _pack(request)
    return render(request, "literacy/evidence.html", {"pack": pack, "small": evidence.SMALL})


def evidence_pdf(request: StaffRequest) -> HttpResponse:
    pack = _pack(request)
    html = render_to_string("literacy/evidence_pdf.html", {"pack": pack, "small": evidence.SMALL})
    content = pdf.html_to_pdf(html)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="melet-bukti-{pack.month.code}.pdf"'
    return response


def evidence_xlsx(request: StaffRequest) -> HttpResponse:
    pack = _pack(request)
    book = Workbook()
    kelurahan = book.active
    assert kelurahan is not None
    kelurahan.title = _("Kelurahan")
    points = book.create_sheet(_("Points"))
    head = [_("Uptime (%)"), _("Sessions"), _("Distinct devices"), _("Minutes online"),
            _("Data (GB)"), _("Outages"), _("Peak hours")]  # fmt: skip
    kelurahan.append([_("Kelurahan"), _("Kepmendagri code"), _("Points"), *head])
    points.append([_("Point"), _("Code"), *head])
    for line in pack.kelurahan:
        kelurahan.append([line.label, line.code, line.points, *_cells(line)])
    for line in pack.points:
        points.append([line.label, line.code, *_cells(line)])
    return xlsx_response(book, f"melet-bukti-{pack.month.code}.xlsx")


def _cells(line: evidence.Line) -> list[object]:
    return [round(line.uptime, 1), line.sessions_shown, line.devices_shown, line.minutes,
            float(line.gigabytes), line.outages, line.peak_shown]  # fmt: skip
