"""Open data's public pages: the catalogue, a dataset, its files, the DCAT catalogue.

Everything here reads only published datasets and their built files, never a
service's records.
"""

from __future__ import annotations

import csv
import io
import uuid

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kotacerdas.opendata import dcat
from kotacerdas.opendata.access import published_dataset
from kotacerdas.opendata.ckan import MIMETYPES
from kotacerdas.opendata.models import Dataset, Organization, Resource
from kotacerdas.opendata.schedule import timeliness

PREVIEW_ROWS = 12


@login_not_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every published dataset, by producing agency."""
    datasets = list(Dataset.objects.published().select_related("organization").order_by("title"))
    agencies: dict[Organization, list[Dataset]] = {}
    for dataset in datasets:
        dataset.timeliness = timeliness(dataset.next_release)  # type: ignore[attr-defined]
        agencies.setdefault(dataset.organization, []).append(dataset)
    context = {
        "agencies": sorted(agencies.items(), key=lambda item: item[0].title),
        "count": len(datasets),
    }
    return render(request, "opendata/catalogue.html", context)


@login_not_required
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    """One dataset: its Satu Data metadata, timeliness, files and the first rows."""
    found = published_dataset(name)
    files = list(found.resources.order_by("format"))
    csv_file = next((f for f in files if f.format == Resource.Format.CSV), None)
    preview = (
        list(csv.reader(io.StringIO(bytes(csv_file.content).decode())))[: PREVIEW_ROWS + 1]
        if csv_file
        else []
    )
    context = {
        "dataset": found,
        "files": files,
        "timeliness": timeliness(found.next_release),
        "header": preview[:1],
        "preview": preview[1:],
    }
    return render(request, "opendata/dataset.html", context)


@login_not_required
def download(request: HttpRequest, name: str, resource_id: str, filename: str) -> HttpResponse:
    """A published dataset's file, under its own name."""
    found = published_dataset(name)
    try:
        wanted = uuid.UUID(resource_id)
    except ValueError:
        raise Http404 from None
    resource = Resource.objects.filter(dataset=found, uuid=wanted).first()
    if resource is None or filename != resource.filename:
        raise Http404
    response = HttpResponse(
        bytes(resource.content), content_type=f"{MIMETYPES[resource.format]}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{resource.filename}"'
    return response


@login_not_required
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    """The DCAT-AP catalogue: ``/catalog.ttl`` or ``/catalog.jsonld``."""
    if fmt == "ttl":
        return HttpResponse(
            dcat.turtle(request.build_absolute_uri), content_type="text/turtle; charset=utf-8"
        )
    if fmt == "jsonld":
        return HttpResponse(
            dcat.jsonld(request.build_absolute_uri), content_type="application/ld+json"
        )
    raise Http404
