"""Open311 GeoReport v2 under ``/open311/v2/``: other city apps file Wadul Bae reports.

Services are the report categories. A request is a report; its id is the
tracking code, returned at once (``type=realtime``), so a token is the same
code. What the endpoints show of a report is what the reporter may know plus
the kelurahan: code, category, open/closed, dates, the unit. Never the story,
the place as written, names or phone numbers (reporting.md §6, §9).

Every endpoint answers ``.json`` (top-level arrays, the "Spark convention")
and ``.xml``; errors are ``errors/error`` lists with the HTTP status set.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import dateparse, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kotacerdas.audit.actions import client_address, record
from kotacerdas.regions.models import Region
from kotacerdas.reports import actions
from kotacerdas.reports.codes import normalise_code
from kotacerdas.reports.forms import ReportForm
from kotacerdas.reports.models import AgeGroup, Category, Open311Client, Report, Stage
from kotacerdas.web.middleware import public_cacheable

SERVICE_GROUP = "Wadul Bae"
MAX_REQUESTS = 1000
MAX_DESCRIPTION = 4000
WINDOW = dt.timedelta(days=90)
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# XML names of the items of a list-valued field (the JSON side has arrays).
XML_ITEMS = {"attributes": "attribute", "values": "value"}
# Open311 parameter names of the report form's fields, for error messages.
PARAMETERS = {
    "story": "description",
    "category_hint": "service_code",
    "kelurahan": "attribute[kelurahan]",
    "place": "address_string",
    "age_group": "attribute[age_group]",
    "still_happening": "attribute[still_happening]",
    "danger_to_life": "attribute[danger_to_life]",
    "reporter_name": "first_name",
    "reporter_phone": "phone",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def open311_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Public and key-authenticated, never CSRF-protected (no cookies are used);
    the view returns data, rendered in the URL's format, in Indonesian."""

    @login_not_required
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        with translation.override("id"):
            try:
                root, data = view(request, *args, **kwargs)
            except Open311Error as error:
                errors = [{"code": error.status, "description": error.description}]
                return render(fmt, "errors", errors, status=error.status)
            return render(fmt, root, data)

    return wrapper


# Services -------------------------------------------------------------------


@public_cacheable  # the categories are the same for everyone
@require_GET
@open311_view
def service_list(request: HttpRequest) -> tuple[str, list[dict[str, Any]]]:
    return "services", [_service(category) for category in Category]


@public_cacheable
@require_GET
@open311_view
def service_definition(request: HttpRequest, service_code: str) -> tuple[str, dict[str, Any]]:
    category = _category(service_code, status=404)
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name")
    yes_no = [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}]
    lists: list[tuple[str, str, list[dict[str, str]]]] = [
        (
            "kelurahan",
            _("Kelurahan"),
            [{"key": region.code, "name": region.name} for region in kelurahan],
        ),
        ("still_happening", _("still happening"), yes_no),
        ("danger_to_life", _("life in danger"), yes_no),
        (
            "age_group",
            _("who is hurt"),
            [{"key": key, "name": str(name)} for key, name in AgeGroup.choices],
        ),
    ]
    attributes = [
        {
            "variable": True,
            "code": code,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": order,
            "description": description,
            "values": values,
        }
        for order, (code, description, values) in enumerate(lists, start=1)
    ]
    return "service_definition", {"service_code": category.value, "attributes": attributes}


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.value,
        "service_name": str(category.label),
        "description": _("A report to the child and mother protection unit: %(name)s.")
        % {"name": category.label},
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": SERVICE_GROUP,
    }


def _category(code: str, *, status: int) -> Category:
    try:
        return Category(code)
    except ValueError:
        raise Open311Error(status, _("Unknown service_code: %(code)s") % {"code": code}) from None


# Requests -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@open311_view
def service_requests(request: HttpRequest) -> tuple[str, list[dict[str, Any]]]:
    if request.method == "POST":
        return "service_requests", [_create_request(request)]
    # Listing reveals tracking codes (keys to a report's stage) and when harm
    # was reported where: only registered city apps may list, never the public.
    if Open311Client.for_key(request.GET.get("api_key", "")) is None:
        raise Open311Error(403, _("Listing requests needs a valid api_key"))
    reports = _query(request.GET)
    return "service_requests", [_public(report) for report in reports]


@require_GET
@open311_view
def service_request(request: HttpRequest, request_id: str) -> tuple[str, list[dict[str, Any]]]:
    return "service_requests", [_public(_report_by_code(request_id, request))]


@require_GET
@open311_view
def token(request: HttpRequest, token_id: str) -> tuple[str, list[dict[str, Any]]]:
    # Requests are realtime: the token a client may hold is the tracking code.
    report = _report_by_code(token_id, request)
    return "service_requests", [{"service_request_id": report.tracking_code, "token": token_id}]


def _create_request(request: HttpRequest) -> dict[str, Any]:
    data = request.POST
    client = Open311Client.for_key(data.get("api_key", ""))
    if client is None:
        raise Open311Error(403, _("Invalid api_key"))
    service_code = data.get("service_code", "")
    if not service_code:
        raise Open311Error(400, _("service_code is required"))
    category = _category(service_code, status=400)
    _check_location(data)
    description = data.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(
            400, _("description is longer than %(max)s characters") % {"max": MAX_DESCRIPTION}
        )
    form = ReportForm(
        {
            "story": description,
            "category_hint": category.value,
            "kelurahan": _attribute(data, "kelurahan"),
            "place": data.get("address_string", ""),
            "age_group": _attribute(data, "age_group") or AgeGroup.UNKNOWN,
            "still_happening": _attribute(data, "still_happening"),
            "danger_to_life": _attribute(data, "danger_to_life"),
            "reporter_name": " ".join(
                part for part in (data.get("first_name", ""), data.get("last_name", "")) if part
            ),
            "reporter_phone": data.get("phone", ""),
        }
    )
    if not form.is_valid():
        raise Open311Error(400, _form_errors(form))
    try:
        with transaction.atomic():
            report = actions.file_report(
                form.cleaned_data,
                channel=Report.Channel.OPEN311,
                # An app files for many citizens from one server: it is
                # counted as itself, with its own hourly limit.
                client_address=f"open311-app:{client.pk}",
                device_limit="open311_reports_per_app",
            )
            # Which app filed it, so a leaked key's reports can be found.
            record("open311.request", obj=report, client=client.pk)
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    notice = _(
        "Report received. Give the reporter the code %(code)s to check its stage. "
        "Emergency: SAPA 129 / 112."
    ) % {"code": report.tracking_code}
    return {
        "service_request_id": report.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }


def _attribute(data: Any, code: str) -> str:
    return str(data.get(f"attribute[{code}]", "")).strip()


def _check_location(data: Any) -> None:
    """One location, as GeoReport asks: lat and long, an address, or the kelurahan.

    Coordinates are checked but not kept: a point could identify a household.
    """
    lat, long = data.get("lat", ""), data.get("long", "")
    if bool(lat) != bool(long):
        raise Open311Error(400, _("lat and long must be given together"))
    if lat:
        try:
            latitude, longitude = float(lat), float(long)
        except ValueError:
            raise Open311Error(400, _("lat and long must be numbers")) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Open311Error(400, _("lat or long is out of range"))
    elif not data.get("address_string") and not _attribute(data, "kelurahan"):
        raise Open311Error(
            400, _("A location is required: address_string, lat and long, or attribute[kelurahan]")
        )


def _form_errors(form: ReportForm) -> str:
    return "; ".join(
        f"{PARAMETERS.get(field, field)}: {' '.join(str(message) for message in messages)}"
        for field, messages in form.errors.items()
    )


def _report_by_code(raw: str, request: HttpRequest | None = None) -> Report:
    if request is not None and not actions.allow_lookup(client_address(request)):
        raise Open311Error(429, _("Too many look-ups from this address. Try again in an hour."))
    code = normalise_code(raw)
    report = (
        Report.objects.select_related("case", "kelurahan", "unit")
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if report is None:
        raise Open311Error(404, _("No service request has this id"))
    return report


def _query(params: Any) -> QuerySet[Report]:
    reports = Report.objects.select_related("case", "kelurahan", "unit").order_by(
        "-created_at", "-id"
    )
    ids = _comma_list(params, "service_request_id")
    if ids:
        # GeoReport: a list of ids overrides every other argument.
        codes = [code for code in map(normalise_code, ids) if code]
        return reports.filter(tracking_code__in=codes)[:MAX_REQUESTS]
    codes = _comma_list(params, "service_code")
    if codes:
        unknown = [code for code in codes if code not in Category.values]
        if unknown:
            raise Open311Error(
                400, _("Unknown service_code: %(code)s") % {"code": ", ".join(unknown)}
            )
        reports = reports.filter(_service_code_in(codes))
    statuses = set(_comma_list(params, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed, or both"))
    if statuses == {"open"}:
        reports = reports.exclude(CLOSED)
    elif statuses == {"closed"}:
        reports = reports.filter(CLOSED)
    start, end = _window(params)
    return reports.filter(created_at__gte=start, created_at__lte=end)[:MAX_REQUESTS]


# A report is closed when triage closed it or its case reached the last stage.
CLOSED = Q(status=Report.Status.CLOSED) | Q(case__stage=Stage.SELESAI)


def _service_code_in(codes: list[str]) -> Q:
    # A report without a kind of harm is filed under "other" (see _public).
    condition = Q(category_hint__in=codes)
    if Category.OTHER in codes:
        condition |= Q(category_hint="")
    return condition


def _comma_list(params: Any, name: str) -> list[str]:
    return [item.strip() for item in params.get(name, "").split(",") if item.strip()]


def _window(params: Any) -> tuple[dt.datetime, dt.datetime]:
    """start_date and end_date, at most 90 days apart; the last 90 days by default."""
    start = _datetime(params, "start_date")
    end = _datetime(params, "end_date")
    if start is None:
        end = end or timezone.now()
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, _("end_date is before start_date"))
    if end - start > WINDOW:
        raise Open311Error(400, _("start_date and end_date are at most 90 days apart"))
    return start, end


def _datetime(params: Any, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = dateparse.parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s is not a date and time (e.g. 2026-01-31T00:00:00+07:00)") % {"name": name},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def open311_status(report: Report) -> str:
    if report.status == Report.Status.CLOSED:
        return "closed"
    if report.case is not None and report.case.is_closed:
        return "closed"
    return "open"


def _public(report: Report) -> dict[str, Any]:
    """The fields anyone may see: no story, no place as written, no people."""
    status = open311_status(report)
    if status == "closed" and report.case is not None and report.case.closed_at:
        updated = report.case.closed_at
    else:
        updated = report.triaged_at or report.created_at
    category = Category(report.category_hint or Category.OTHER)
    return {
        "service_request_id": report.tracking_code,
        "status": status,
        "service_code": category.value,
        "service_name": str(category.label),
        "agency_responsible": report.unit.name,
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(updated),
        "address": report.kelurahan.name if report.kelurahan else "",
    }


def _iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


# Rendering ------------------------------------------------------------------


def render(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        element = _element(root, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, list):
        item_tag = XML_ITEMS.get(tag) or _singular(tag)
        element.extend(_element(item_tag, item) for item in value)
    elif isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _singular(tag: str) -> str:
    # services/service, errors/error; service_requests/request by the spec.
    return {"service_requests": "request"}.get(tag, tag.removesuffix("s"))
