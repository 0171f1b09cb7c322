"""The collaboration behind the smart city: partners, agreements, contributions, the masterplan.

The masterplan page is public. The partners register holds MoU documents and
is for the walidata, the Wali Kota's office and the administrator (403 for
other members); a partner or document that does not exist is a 404.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.dashboard.masterplan import progress
from kotacerdas.dashboard.models import Agreement, MasterplanItem, Partner
from kotacerdas.dashboard.scope import require_steward


@login_not_required
def masterplan(request: HttpRequest) -> HttpResponse:
    """Masterplan 2028: each programme by smart-city dimension, with its progress."""
    items = progress(list(MasterplanItem.objects.all()))
    dimensions = [
        (MasterplanItem.Dimension(dimension).label, list(found))
        for dimension, found in groupby(items, key=lambda p: p.item.dimension)
    ]
    return render(request, "dashboard/masterplan.html", {"dimensions": dimensions})


def partners(request: StaffRequest) -> HttpResponse:
    require_steward(request.user)
    found = Partner.objects.prefetch_related("agreements", "contributions").order_by("kind", "name")
    kinds = [
        (Partner.Kind(kind).label, list(group))
        for kind, group in groupby(found, key=lambda p: p.kind)
    ]
    return render(request, "dashboard/partners.html", {"kinds": kinds})


def partner(request: StaffRequest, partner_id: int) -> HttpResponse:
    require_steward(request.user)
    found = get_object_or_404(Partner.objects.select_related("unit"), pk=partner_id)
    context = {
        "partner": found,
        "agreements": found.agreements.all(),
        "contributions": found.contributions.select_related("agreement"),
    }
    return render(request, "dashboard/partner.html", context)


def agreement_document(request: StaffRequest, agreement_id: int) -> FileResponse:
    require_steward(request.user)
    agreement = get_object_or_404(Agreement, pk=agreement_id)
    if not agreement.document:
        raise Http404
    response = FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=(agreement.document.name or "").rsplit("/", 1)[-1],
        content_type=agreement.document_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
