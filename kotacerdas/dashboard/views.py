"""The city dashboard's pages: the city, one programme, one kelurahan, the downloads.

The city and programme pages are public (each reader sees what their scope
allows: kotacerdas.dashboard.scope); the kelurahan pages are for the Lurah,
the Camat, the agencies and the city leadership. Every page reads only the
precomputed values (kotacerdas.dashboard.refresh).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.dashboard.catalogue import figure_catalogue, programmes
from kotacerdas.dashboard.exports import csv_response, excel_response
from kotacerdas.dashboard.forms import MapForm, YearForm
from kotacerdas.dashboard.pages import blocks, map_block
from kotacerdas.dashboard.scope import require_kelurahan_reader, scope_for
from kotacerdas.dashboard.tables import figure_tables, load_year, places
from kotacerdas.regions.models import Region

CITY_ONLY = ("bulan",)


@login_not_required
def city(request: HttpRequest) -> HttpResponse:
    """Every programme at once: each figure's year by month, for the whole city."""
    form = YearForm(request.GET)
    year = form.year()
    scope = scope_for(request.user)
    chosen = list(figure_catalogue().values())
    context = {
        "form": form,
        "year": year,
        "programmes": blocks(chosen, year, scope, only=CITY_ONLY),
        "scope": scope,
    }
    return render(request, "dashboard/city.html", context)


@login_not_required
def programme(request: HttpRequest, app: str) -> HttpResponse:
    """One programme's figures by month, by kelurahan, by group and (in detail) both."""
    names = programmes()
    if app not in names:
        raise Http404
    form = YearForm(request.GET)
    year = form.year()
    scope = scope_for(request.user)
    chosen = [info for info in figure_catalogue().values() if info.app == app]
    context = {
        "form": form,
        "year": year,
        "app": app,
        "name": names[app],
        "programmes": blocks(chosen, year, scope),
        "detail": scope.detail(app),
    }
    return render(request, "dashboard/programme.html", context)


def my_area(request: StaffRequest) -> HttpResponse:
    """The kelurahan the reader opens: their own area's, or all for city-wide readers."""
    scope = scope_for(request.user)
    if not scope.reads_dashboard:
        raise PermissionDenied
    where = [place for place in places().values() if scope.reaches(place.code)]
    where.sort(key=lambda place: (place.kecamatan, place.name))
    return render(request, "dashboard/my_area.html", {"places": where})


def kelurahan(request: StaffRequest, code: str) -> HttpResponse:
    """All programmes for one kelurahan, and the city's 22 kelurahan ranked by a figure."""
    region = Region.objects.filter(code=code, level=Region.Level.KELURAHAN).first()
    if region is None:
        raise Http404
    scope = require_kelurahan_reader(request.user, code)
    form = MapForm(request.GET)
    year = form.year()
    chosen = list(figure_catalogue().values())
    context = {
        "form": form,
        "year": year,
        "region": region,
        "programmes": blocks(chosen, year, scope, kelurahan=code, only=("bulan", "kelompok")),
        "ranking": map_block(form.figure(), year, scope),
    }
    return render(request, "dashboard/kelurahan.html", context)


@login_not_required
def download(request: HttpRequest, key: str, table: str, fmt: str) -> HttpResponse:
    """One table of one figure as CSV or Excel, as the reader's page shows it."""
    info = figure_catalogue().get(key)
    if info is None or fmt not in ("csv", "xlsx"):
        raise Http404
    code = request.GET.get("kelurahan") or None
    if code is not None:
        require_kelurahan_reader(request.user, code)
        if code not in places():
            raise Http404
    year = YearForm(request.GET).year()
    scope = scope_for(request.user)
    rows = load_year(year, [key], groups=True).get(key, [])
    found = figure_tables(info, rows, year, scope, places(), code).get(table)
    if found is None:
        raise Http404
    filename = f"{slugify(info.key)}-{table}-{code or 'kota'}-{year}.{fmt}".replace("..", ".")
    if fmt == "csv":
        return csv_response(found, filename)
    return excel_response(found, filename, info.name)
