"""Population statistics pages: the staff's area in full, the public's with small counts hidden."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from kotacerdas.accounts.access import StaffRequest, require_register_reader, scope_q
from kotacerdas.core.excel import xlsx_response
from kotacerdas.people.models import Person
from kotacerdas.people.population import Population, population, suppress
from kotacerdas.regions.models import RT, Region

PUBLIC_CACHE_SECONDS = 600
DIMENSIONS = (
    ("education", gettext_lazy("Education")),
    ("occupation", gettext_lazy("Occupation")),
    ("religion", gettext_lazy("Religion")),
    ("marital_status", gettext_lazy("Marital status")),
    ("birth_certificate", gettext_lazy("Birth certificate (akta kelahiran)")),
)


def _area(request: HttpRequest) -> tuple[Q, str, tuple[str, str] | None, dict[str, str]]:
    """(filter on Person, name, sub-areas, the query) from ?kelurahan=&rw=&rt= (404 if unknown)."""
    code, rw, rt = (request.GET.get(k, "").strip() for k in ("kelurahan", "rw", "rt"))
    if not code:
        return Q(), _("Kota Cirebon"), ("rt__rw__kelurahan_id", _("Kelurahan")), {}
    kelurahan = Region.objects.filter(code=code, level=Region.Level.KELURAHAN).first()
    if kelurahan is None:
        raise Http404
    where = Q(rt__rw__kelurahan_id=code)
    if not rw.isdigit():
        return where, kelurahan.name, ("rt__rw__number", "RW"), {"kelurahan": code}
    where &= Q(rt__rw__number=int(rw))
    name = f"RW {int(rw):02d}, {kelurahan.name}"
    if not rt.isdigit():
        return where, name, ("rt__number", "RT"), {"kelurahan": code, "rw": rw}
    where &= Q(rt__number=int(rt))
    return where, f"RT {int(rt):03d} / {name}", None, {"kelurahan": code, "rw": rw, "rt": rt}


def _rts_in(where: Q) -> QuerySet[RT]:
    """The RTs of an area (a Person filter read from the RT's side)."""
    prefix = "rt__"
    mapped = Q()
    for child in where.children:
        key, value = child  # type: ignore[misc]
        mapped &= Q(**{key.removeprefix(prefix): value})
    return RT.objects.filter(mapped)


@require_GET
def population_staff(request: StaffRequest) -> HttpResponse:
    """The register's figures for an area the user reads in full (404 beyond it)."""
    require_register_reader(request.user)
    if not request.GET:
        own = _own_area(request.user)
        if own:
            return redirect(f"{request.path}?{urlencode(own)}")
    where, name, units_by, query = _area(request)
    area_rts = _rts_in(where)
    if not area_rts.exists() or area_rts.exclude(scope_q(request.user, "rw")).exists():
        raise Http404
    found = population(Person.objects.filter(where), area=name, units_by=units_by)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_workbook(found), "statistik-penduduk.xlsx")
    return render(request, "people/population.html", _context(found, query, public=False))


def _own_area(user: Any) -> dict[str, str]:
    """The widest area the user reads in full: the city ({}), a kelurahan or an RW."""
    readable = RT.objects.filter(scope_q(user, "rw"))
    if not readable.exclude(rw__kelurahan__isnull=True).exists():
        return {}
    if not RT.objects.exclude(pk__in=readable.values("pk")).exists():
        return {}
    codes = set(readable.values_list("rw__kelurahan_id", flat=True).distinct()[:2])
    if len(codes) != 1:
        return {}
    code = codes.pop()
    if not RT.objects.filter(rw__kelurahan_id=code).exclude(pk__in=readable.values("pk")).exists():
        return {"kelurahan": code}
    rws = set(readable.values_list("rw__number", flat=True).distinct()[:2])
    return {"kelurahan": code, "rw": str(rws.pop())} if len(rws) == 1 else {}


@login_not_required
@require_GET
def population_public(request: HttpRequest) -> HttpResponse:
    """The city's or a kelurahan's figures for anyone, small counts hidden; cached (aggregates)."""
    where, name, units_by, query = _area(request)
    if "rw" in query:
        raise Http404  # RW and RT figures are too small to publish
    key = f"people:population:{query.get('kelurahan', 'city')}:{get_language()}"
    context = cache.get(key)
    if context is None:
        found = population(Person.objects.filter(where), area=name, units_by=units_by)
        context = _context(found, query, public=True)
        cache.set(key, context, PUBLIC_CACHE_SECONDS)
    return render(request, "people/population.html", context)


def _context(found: Population, query: dict[str, str], *, public: bool) -> dict[str, Any]:
    threshold = settings.POPULATION_PUBLIC_MIN_COUNT if public else 0

    def shown(values: list[int]) -> list[int | None]:
        return suppress(values, threshold) if public else list(values)

    return {
        "found": found,
        "by_sex": dict(zip(found.by_sex, shown(list(found.by_sex.values())), strict=True)),
        "pyramid": _pyramid(found, shown),
        "pyramid_height": 8 + 14 * len(found.pyramid),
        "distributions": _distributions(found, shown),
        "units": _units(found, shown),
        "public": public,
        "threshold": threshold,
        "query": query,
        "kelurahan_list": Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name")
        if public
        else [],
    }


Shown = Callable[[list[int]], list[int | None]]


def _pyramid(found: Population, shown: Shown) -> list[dict[str, Any]]:
    """Rows of the age pyramid, oldest at the top of the SVG."""
    males = shown([band.male for band in found.pyramid])
    females = shown([band.female for band in found.pyramid])
    widest = max([b.male for b in found.pyramid] + [b.female for b in found.pyramid] + [1])
    return [
        {
            "label": band.label,
            "male": male,
            "female": female,
            # SVG numbers as text: a localised "20,5" would not draw.
            "male_width": f"{120 * (male or 0) / widest:.1f}",
            "female_width": f"{120 * (female or 0) / widest:.1f}",
            "y": 4 + 14 * (len(found.pyramid) - 1 - i),
        }
        for i, (band, male, female) in enumerate(zip(found.pyramid, males, females, strict=True))
    ]


def _distributions(found: Population, shown: Shown) -> list[dict[str, Any]]:
    parts = []
    for name, title in DIMENSIONS:
        rows = found.distributions.get(name, [])
        values = shown([n for _label, n in rows])
        biggest = max([n for _label, n in rows] + [1])
        parts.append(
            {
                "name": name,
                "title": title,
                "rows": [
                    {"label": label, "value": value, "width": round(100 * (value or 0) / biggest)}
                    for (label, _n), value in zip(rows, values, strict=True)
                ],
            }
        )
    return parts


def _units(found: Population, shown: Shown) -> list[dict[str, Any]]:
    return [
        {"label": unit.label, "key": unit.key, "male": m, "female": f, "total": t}
        for unit, m, f, t in zip(
            found.units,
            shown([u.male for u in found.units]),
            shown([u.female for u in found.units]),
            shown([u.total for u in found.units]),
            strict=True,
        )
    ]


def _workbook(found: Population) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Age and sex")[:31]
    sheet.append([found.area])
    sheet.append([_("Age"), _("Male"), _("Female"), _("Total")])
    for band in found.pyramid:
        sheet.append([band.label, band.male, band.female, band.total])
    for name, title in DIMENSIONS:
        part = book.create_sheet(str(title)[:31])
        part.append([str(title), _("Residents")])
        for label, n in found.distributions.get(name, []):
            part.append([label, n])
    if found.units:
        part = book.create_sheet(found.unit_label[:31])
        part.append([found.unit_label, _("Male"), _("Female"), _("Total")])
        for unit in found.units:
            part.append([unit.label, unit.male, unit.female, unit.total])
    return book
