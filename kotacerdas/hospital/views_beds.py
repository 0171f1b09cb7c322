"""Public bed availability: a page, its JSON, and the SIRS Online rows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kotacerdas.accounts.models import Unit
from kotacerdas.core import pagecache
from kotacerdas.hospital import queue


def _unit() -> Unit:
    unit = Unit.objects.filter(code=settings.HOSPITAL_UNIT_CODE).first()
    if unit is None:
        raise Http404
    return unit


@login_not_required
@require_GET
@pagecache.shared_for("beds")
@never_cache
def beds(request: HttpRequest) -> HttpResponse:
    unit = _unit()
    rows, latest = queue.class_rows(unit)
    totals = _totals(rows)
    return render(
        request,
        "hospital/beds.html",
        {
            "unit": unit,
            "rows": rows,
            "latest": latest,
            "totals": totals,
            "refresh": settings.HOSPITAL_REFRESH_SECONDS * 6,
            "cache_seconds": pagecache.seconds("beds"),
        },
    )


@login_not_required
@require_GET
@pagecache.shared_for("beds")
@never_cache
def beds_data(request: HttpRequest) -> JsonResponse:
    rows, latest = queue.class_rows(_unit())
    return JsonResponse(
        {
            "updated_at": timezone.localtime(latest).isoformat() if latest else "",
            # As the page prints them, so a refresh by script looks the same.
            "updated_label": date_format(timezone.localtime(latest), "j M Y H:i") if latest else "",
            "classes": [
                {
                    **r.as_json(),
                    "updated_label": date_format(timezone.localtime(r.updated_at), "j M H:i")
                    if r.updated_at
                    else "",
                }
                for r in rows
            ],
            "totals": _totals(rows),
        }
    )


def _totals(rows: list[queue.ClassRow]) -> dict[str, int]:
    """The footer: ``beds`` = occupied + free + preparing + out_of_service (every bed);
    ``total`` stays SIRS's beds in service."""
    return {
        "beds": sum(r.beds for r in rows),
        "total": sum(r.total for r in rows),
        "occupied": sum(r.used for r in rows),
        "free": sum(r.free for r in rows),
        "preparing": sum(r.preparing for r in rows),
        "out_of_service": sum(r.out_of_service for r in rows),
        "waiting": sum(r.waiting for r in rows),
    }


@login_not_required
@never_cache
@require_GET
def beds_sirs(request: HttpRequest) -> JsonResponse:
    """Rows in the SIRS Online ``Fasyankes`` shape (what a bridge PUTs to Kemenkes)."""
    return JsonResponse({"fasyankes": [row.sirs() for row in queue.ward_rows(_unit())]})
