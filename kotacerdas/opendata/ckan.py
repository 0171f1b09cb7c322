"""The CKAN Action API subset, read only: what a CKAN harvester and ckanapi call.

Each action takes the request's parameters (GET query or POST JSON body) and
returns the ``result``; errors are raised as :class:`ActionError` and become
CKAN's envelope in kotacerdas.opendata.views_api. Only published datasets
(approved, public, in an approved Daftar Data: ``Dataset.objects.published``)
are ever answered; anything else is "not found".
"""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kotacerdas.opendata import ckan_query
from kotacerdas.opendata.catalogue import GROUPS, PUBLISHED_LABELS, groups_of
from kotacerdas.opendata.models import Dataset, Organization, Resource
from kotacerdas.opendata.schedule import timeliness

Params = Mapping[str, Any]
Absolute = Callable[[str], str]  # request.build_absolute_uri
MIMETYPES = {"CSV": "text/csv", "JSON": "application/json"}


class ActionError(Exception):
    """status, CKAN's ``__type`` and a message; ``fields`` for a Validation Error."""

    def __init__(self, status: int, kind: str, message: str, **fields: list[str]) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields


def not_found(what: str) -> ActionError:
    return ActionError(404, "Not Found Error", f"Tidak ditemukan: {what}")


def invalid(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", f"{field}: {message}", **{field: [message]})


LARGEST = 2**31 - 1  # beyond it an OFFSET or LIMIT is no longer a number the database takes


def _natural(params: Params, field: str, default: int, maximum: int = LARGEST) -> int:
    raw = params.get(field, default)
    if raw in ("", None):
        return default
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise invalid(field, "Harus berupa bilangan bulat")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid(field, "Harus berupa bilangan bulat") from None
    if value < 0:
        raise invalid(field, "Harus bilangan bulat tidak negatif (0 atau lebih)")
    if value > maximum:
        raise invalid(field, f"Harus kurang dari atau sama dengan {maximum}")
    return value


def _text(params: Params, field: str, *, required: bool = False) -> str:
    value = params.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise invalid(field, "Harus berupa teks")
    if required and not str(value).strip():
        raise invalid(field, "Wajib diisi")
    return str(value).strip()


def _truthy(params: Params, field: str) -> bool:
    return str(params.get(field, "")).lower() in ("true", "1", "yes", "on")


def published() -> QuerySet[Dataset]:
    files = Resource.objects.defer("content").order_by("format")
    return (
        Dataset.objects.published()
        .select_related("organization")
        .prefetch_related(Prefetch("resources", queryset=files))
    )


def _time(moment: dt.datetime | None) -> str | None:
    """CKAN's form: naive UTC ISO 8601 with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_dict(org: Organization, count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(org.uuid),
        "name": org.name,
        "title": org.title,
        "display_name": org.title,
        "description": org.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": _time(org.created),
    }
    if count is not None:
        found["package_count"] = count
    return found


def group_dict(name: str, count: int | None = None) -> dict[str, Any]:
    title = GROUPS[name][0]
    found: dict[str, Any] = {
        "id": name,
        "name": name,
        "title": title,
        "display_name": title,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if count is not None:
        found["package_count"] = count
    return found


def resource_dict(resource: Resource, dataset: Dataset, absolute: Absolute) -> dict[str, Any]:
    url = reverse("opendata:download", args=[dataset.name, str(resource.uuid), resource.filename])
    return {
        "id": str(resource.uuid),
        "package_id": str(dataset.uuid),
        "name": f"{dataset.title} ({resource.format})",
        "description": f"{dataset.title}, format long Open Data Jabar.",
        "format": resource.format,
        "mimetype": MIMETYPES[resource.format],
        "url": absolute(url),
        "url_type": None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}",
        "created": _time(resource.created),
        "last_modified": _time(resource.last_modified),
        "metadata_modified": _time(resource.last_modified),
        "state": "active",
        "position": 0 if resource.format == "CSV" else 1,
    }


def package_dict(dataset: Dataset, absolute: Absolute) -> dict[str, Any]:
    resources = [resource_dict(r, dataset, absolute) for r in dataset.resources.all()]
    extras = {
        "konsep": dataset.concept,
        "definisi": dataset.definition,
        "satuan": dataset.unit,
        "frekuensi": dataset.frequency,
        "cakupan": dataset.coverage,
        "produsen_data": dataset.organization.title,
        "walidata": dataset.walidata,
        "metode": dataset.method,
        "klasifikasi": PUBLISHED_LABELS[dataset.classification],
        "sifat_data": PUBLISHED_LABELS[dataset.sensitivity],
        "jadwal_rilis_berikutnya": dataset.next_release.isoformat() if dataset.next_release else "",
        "ketepatan_waktu": timeliness(dataset.next_release),
        "tingkat": PUBLISHED_LABELS[dataset.level],
    }
    return {
        "id": str(dataset.uuid),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.definition,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "license_id": "cc-by",
        "license_title": "Creative Commons Attribution",
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "author": dataset.organization.title,
        "maintainer": dataset.walidata,
        "url": absolute(reverse("opendata:dataset", args=[dataset.name])),
        "version": None,
        "metadata_created": _time(dataset.metadata_created),
        "metadata_modified": _time(dataset.metadata_modified),
        "owner_org": str(dataset.organization.uuid),
        "organization": organization_dict(dataset.organization),
        "groups": [group_dict(name) for name in groups_of(dataset.app)],
        "tags": [{"name": dataset.app, "display_name": dataset.app, "state": "active"}],
        "num_tags": 1,
        "extras": [{"key": key, "value": value} for key, value in extras.items()],
        "resources": resources,
        "num_resources": len(resources),
    }


def _dataset(params: Params) -> Dataset:
    ident = _text(params, "id", required=True) or _text(params, "name_or_id")
    found = published().filter(Q(name=ident) | Q(uuid=ident) if _is_uuid(ident) else Q(name=ident))
    dataset = found.first()
    if dataset is None:
        raise not_found("dataset tidak ada atau belum diterbitkan")
    return dataset


def _is_uuid(text: str) -> bool:
    return (
        len(text) == 36
        and text.count("-") == 4
        and all(c in "0123456789abcdef-" for c in text.lower())
    )


def package_list(params: Params, absolute: Absolute) -> list[str]:
    limit = _natural(params, "limit", 0) or None
    offset = _natural(params, "offset", 0)
    names = list(Dataset.objects.published().order_by("name").values_list("name", flat=True))
    return names[offset : offset + limit if limit else None]


def package_show(params: Params, absolute: Absolute) -> dict[str, Any]:
    return package_dict(_dataset(params), absolute)


def package_search(params: Params, absolute: Absolute) -> dict[str, Any]:
    rows = _natural(params, "rows", 10, settings.OPENDATA_SEARCH_MAX_ROWS)
    start = _natural(params, "start", 0)
    try:
        query = ckan_query.parse(
            _text(params, "q"), _text(params, "fq"), _text(params, "sort"), timezone.now(), _group_q
        )
    except ckan_query.QueryError as error:
        raise ActionError(400, "Search Query Error", f"Search Query is invalid: {error}") from None
    found = Dataset.objects.published().filter(query.where).order_by(*query.order)
    matched = list(found.values_list("uuid", "metadata_modified", "next_release"))
    page = matched[start : start + rows] if rows else []
    return {
        "count": len(matched),
        "results": _packages(page, absolute),
        "sort": _text(params, "sort") or "score desc, metadata_modified desc",
        "facets": {},
        "search_facets": {},
    }


# Package dicts by (id, metadata_modified, site), in this process: a dataset's dict
# changes only when its metadata_modified does (its files and its metadata move it),
# so a page of search results costs one query once warm. The release date changes
# nightly without it and is filled in on each answer.
_PACKAGES: dict[tuple[uuid.UUID, dt.datetime, str], dict[str, Any]] = {}
PACKAGES_KEPT = 5000
Key = tuple[uuid.UUID, dt.datetime, dt.date | None]


def _packages(keys: list[Key], absolute: Absolute) -> list[dict[str, Any]]:
    site = absolute("/")
    missing = [ident for ident, modified, _ in keys if (ident, modified, site) not in _PACKAGES]
    if missing:
        if len(_PACKAGES) > PACKAGES_KEPT:
            _PACKAGES.clear()
        for dataset in published().filter(uuid__in=missing):
            key = (dataset.uuid, dataset.metadata_modified, site)
            _PACKAGES[key] = package_dict(dataset, absolute)
    found = []
    for ident, modified, release in keys:
        package = _PACKAGES.get((ident, modified, site))
        if package is not None:  # else it changed since the first query: the next harvest has it
            found.append(_with_release(package, release))
    return found


def _with_release(package: dict[str, Any], release: dt.date | None) -> dict[str, Any]:
    fresh = {
        "jadwal_rilis_berikutnya": release.isoformat() if release else "",
        "ketepatan_waktu": timeliness(release),
    }
    extras = [
        {"key": e["key"], "value": fresh.get(e["key"], e["value"])} for e in package["extras"]
    ]
    return {**package, "extras": extras}


def _group_q(name: str) -> Q:
    if name not in GROUPS:
        return Q(pk__in=[])
    where = Q(pk__in=[])
    for app in GROUPS[name][1]:
        where |= Q(figure__startswith=f"{app}.")
    return where


def _organizations() -> QuerySet[Organization]:
    counted = Count("datasets", filter=Q(datasets__in=Dataset.objects.published()))
    return Organization.objects.annotate(count=counted).order_by("name")


def organization_list(params: Params, absolute: Absolute) -> list[Any]:
    orgs = list(_organizations())
    if _truthy(params, "all_fields"):
        return [organization_dict(org, org.count) for org in orgs]  # type: ignore[attr-defined]
    return [org.name for org in orgs]


def organization_show(params: Params, absolute: Absolute) -> dict[str, Any]:
    ident = _text(params, "id", required=True)
    where = Q(name=ident) | Q(uuid=ident) if _is_uuid(ident) else Q(name=ident)
    org = _organizations().filter(where).first()
    if org is None:
        raise not_found("organisasi tidak ada")
    found = organization_dict(org, org.count)  # type: ignore[attr-defined]
    if _truthy(params, "include_datasets"):
        datasets = published().filter(organization=org).order_by("name")[:1000]
        found["packages"] = [package_dict(dataset, absolute) for dataset in datasets]
    return found


def _group_counts() -> dict[str, int]:
    figures = list(Dataset.objects.published().values_list("figure", flat=True))
    return {
        name: sum(1 for figure in figures if figure.split(".")[0] in apps)
        for name, (_title, apps) in GROUPS.items()
    }


def group_list(params: Params, absolute: Absolute) -> list[Any]:
    if _truthy(params, "all_fields"):
        return [group_dict(name, count) for name, count in _group_counts().items()]
    return list(GROUPS)


def group_show(params: Params, absolute: Absolute) -> dict[str, Any]:
    name = _text(params, "id", required=True)
    if name not in GROUPS:
        raise not_found("grup tidak ada")
    return group_dict(name, _group_counts()[name])


def resource_show(params: Params, absolute: Absolute) -> dict[str, Any]:
    ident = _text(params, "id", required=True)
    if not _is_uuid(ident):
        raise not_found("berkas tidak ada")
    resource = (
        Resource.objects.defer("content")
        .filter(uuid=ident, dataset__in=Dataset.objects.published())
        .select_related("dataset")
        .first()
    )
    if resource is None:
        raise not_found("berkas tidak ada")
    return resource_dict(resource, resource.dataset, absolute)


def status_show(params: Params, absolute: Absolute) -> dict[str, Any]:
    return {
        "ckan_version": "2.11.0",
        "site_title": "Data Terbuka Kota Cirebon",
        "site_url": absolute("/"),
        "site_description": "Data agregat layanan Kota Cerdas Cirebon",
        "locale_default": "id",
        "extensions": [],
    }


ACTIONS: dict[str, Callable[[Params, Absolute], Any]] = {
    function.__name__: function
    for function in (
        package_list,
        package_search,
        package_show,
        organization_list,
        organization_show,
        group_list,
        group_show,
        resource_show,
        status_show,
    )
}


def help_show(params: Params, absolute: Absolute) -> str:
    """Return the help string of one action (``name``): what every answer's ``help`` links to."""
    name = _text(params, "name", required=True)
    function = ACTIONS.get(name)
    if function is None:
        raise not_found(f"aksi {name}")
    return inspect.getdoc(function) or f"{name}: aksi CKAN, hanya baca."


ACTIONS["help_show"] = help_show
