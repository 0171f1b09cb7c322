"""The public WiFi pages: every point by kelurahan (and on a map), and "this point is down"."""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kotacerdas.audit.actions import client_address
from kotacerdas.core import limits, pagecache
from kotacerdas.literacy.actions.points import receive_down_report
from kotacerdas.literacy.models import DownReport, Point

PUBLIC = (Point.Status.ACTIVE, Point.Status.DOWN)


def _tile_origin() -> str:
    parts = urlsplit(settings.LITERACY_TILE_URL.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _map_csp() -> dict[str, list[str]]:
    """The site's CSP, with the tile server allowed as a source of images."""
    csp: dict[str, Any] = settings.SECURE_CSP
    config = {key: list(value) for key, value in csp.items()}
    origin = settings.LITERACY_TILE_URL.startswith("https://") and _tile_origin()
    if origin:
        config["img-src"] = [*config.get("img-src", [CSP.SELF]), origin]
    return config


def _public_points() -> list[Point]:
    return list(
        Point.objects.filter(status__in=PUBLIC)
        .select_related("kelurahan")
        .order_by("kelurahan__name", "name")
    )


def _with_map_csp(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The site's CSP with the tile server allowed, on every answer, cached or fresh.

    The tile server is a setting, so the policy is built per response (what
    django.views.decorators.csp.csp_override sets, read at request time).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response._csp_config = _map_csp()  # type: ignore[attr-defined]
        return response

    return wrapper


@login_not_required
@_with_map_csp
@pagecache.shared_for("wifi_points")
@never_cache
def wifi_map(request: HttpRequest) -> HttpResponse:
    """Every point open to the public, by kelurahan and on the map: from the shared
    cache for PAGE_CACHE_WIFI_SECONDS (a point reported down shows within them)."""
    points = _public_points()
    by_kelurahan = [
        (name, list(group))
        for name, group in groupby(points, key=lambda p: p.kelurahan.name if p.kelurahan else "")
    ]
    markers = [
        {
            "code": p.code,
            "name": p.name,
            "lat": float(p.latitude),
            "lng": float(p.longitude),
            "down": p.status == Point.Status.DOWN,
            "report": reverse("literacy:report-down", args=[p.code]),
        }
        for p in points
        if p.latitude is not None and p.longitude is not None
    ]
    return render(
        request,
        "literacy/wifi_map.html",
        {
            "by_kelurahan": by_kelurahan,
            "count": len(points),
            "markers": markers,
            "tile_url": settings.LITERACY_TILE_URL,
            "tile_attribution": settings.LITERACY_TILE_ATTRIBUTION,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def report_down(request: HttpRequest, code: str) -> HttpResponse:
    point = get_object_or_404(Point, code=code.upper(), status__in=PUBLIC)
    if request.method == "POST":
        key = f"{point.pk}:{client_address(request) or ''}"
        if not limits.hit("wifi_down_reports", key):
            return render(
                request,
                "literacy/report_down.html",
                {
                    "point": point,
                    "refused": _("This point was just reported from here: DKIS knows."),
                },
                status=429,
            )
        receive_down_report(point, DownReport.Channel.WEB)
        return redirect("literacy:reported-down", code=point.code)
    return render(request, "literacy/report_down.html", {"point": point})


@login_not_required
def reported_down(request: HttpRequest, code: str) -> HttpResponse:
    point = get_object_or_404(Point, code=code.upper(), status__in=PUBLIC)
    return render(request, "literacy/report_down.html", {"point": point, "done": True})
