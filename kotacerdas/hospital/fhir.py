"""HL7 FHIR R4 read API: Schedule, Slot, Appointment, and beds as Location.

Read-only, JSON (``application/fhir+json``). Schedule, Slot and Location carry
no personal data and are public; an Appointment is a citizen's own booking
and only that citizen (signed in with the phone code) reads it.

Mapping: a Schedule is one doctor in one clinic (id ``<clinic>-<doctor>``);
a Slot is one session, ``free`` while places are left, with the places in
the SMART Scheduling Links ``slot-capacity`` extension; an Appointment is one
booking (id = booking code).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Bed, Booking, Clinic, Room, Session, Ward
from kotacerdas.people.access import current_citizen

CONTENT_TYPE = "application/fhir+json"
SYSTEM = "urn:kotacerdas:rsd-gunung-jati"
BPJS_POLI = "urn:kotacerdas:bpjs:kodepoli"
SLOT_CAPACITY = "http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity"
V2_0116 = "http://terminology.hl7.org/CodeSystem/v2-0116"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
# A page of search results: 50 unless the client asks (``_count``), never more than 500.
DEFAULT_COUNT = 50
MAX_COUNT = 500

APPOINTMENT_STATUS: dict[str, str] = {
    Booking.Status.BOOKED: "booked",
    Booking.Status.CHECKED_IN: "checked-in",
    Booking.Status.CALLED: "arrived",
    Booking.Status.SKIPPED: "checked-in",
    Booking.Status.SERVED: "fulfilled",
    Booking.Status.CANCELLED: "cancelled",
    Booking.Status.NO_SHOW: "noshow",
}
BED_STATUS: dict[str, tuple[str, str, str]] = {
    Bed.Status.AVAILABLE: (V2_0116, "U", "Unoccupied"),
    Bed.Status.OCCUPIED: (V2_0116, "O", "Occupied"),
    Bed.Status.CLEANING: (V2_0116, "H", "Housekeeping"),
    Bed.Status.OUT_OF_SERVICE: (V2_0116, "C", "Closed"),
    # v2-0116 has no code for a bed held for an incoming patient.
    Bed.Status.RESERVED: (f"{SYSTEM}:bed-status", "reserved", "Reserved"),
}


class FhirError(Exception):
    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status, self.code, self.text = status, code, text


def _response(body: dict[str, Any], status: int = 200, private: bool = False) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    if private:
        # A citizen's own appointments: never kept by a shared or browser cache.
        response["Cache-Control"] = "private, no-store"
    return response


def outcome(status: int, code: str, text: str) -> HttpResponse:
    return _response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}],
        },
        status,
    )


def fhir_view(view: Callable[..., dict[str, Any]] | None = None, *, private: bool = False) -> Any:
    """Wrap a view returning a FHIR resource; ``private=True`` for personal data."""

    def decorate(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
        @login_not_required
        @require_GET
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return _response(view(request, *args, **kwargs), private=private)
            except FhirError as exc:
                response = outcome(exc.status, exc.code, exc.text)
                if private:
                    response["Cache-Control"] = "private, no-store"
                return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate(view) if view is not None else decorate


def _instant(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _service_type(clinic: Clinic) -> list[dict[str, Any]]:
    return [
        {
            "coding": [
                {
                    "system": BPJS_POLI,
                    "code": clinic.bpjs_code or clinic.code,
                    "display": clinic.name,
                }
            ],
            "text": clinic.name,
        }
    ]


def _int_param(request: HttpRequest, name: str, default: int, top: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    # str.isdigit() accepts "²" and other digits int() refuses: ASCII only.
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        raise FhirError(400, "invalid", f"{name} must be a whole number")
    return min(int(raw), top)


def _page_url(request: HttpRequest, offset: int) -> str:
    params = request.GET.copy()
    params["_offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _bundle(
    request: HttpRequest,
    source: QuerySet[Any] | list[Any],
    render: Callable[[Any], dict[str, Any]] = lambda r: r,
) -> dict[str, Any]:
    """A searchset page: ``total`` counts every match, ``_count``/``_offset`` choose the page.

    ``next``/``previous`` links carry the same search on to the other pages.
    """
    count = _int_param(request, "_count", DEFAULT_COUNT, MAX_COUNT)
    offset = _int_param(request, "_offset", 0, 10**7)
    total = source.count() if isinstance(source, QuerySet) else len(source)
    resources = [render(r) for r in source[offset : offset + count]]
    base = request.build_absolute_uri("/fhir/r4/")
    links = [{"relation": "self", "url": _page_url(request, offset)}]
    if offset + count < total and count:
        links.append({"relation": "next", "url": _page_url(request, offset + count)})
    if offset > 0:
        links.append({"relation": "previous", "url": _page_url(request, max(offset - count, 0))})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
    }
    if resources:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ]
    return bundle


# Search parameters ------------------------------------------------------------

_PREFIXED = re.compile(r"^(eq|ne|gt|lt|ge|le|sa|eb)?(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})[^&]*)?$")


def _date_q(field: str, values: list[str]) -> Q:
    """FHIR date search on a date field: ``date=2026-12-01``, ``date=ge2026-12-01&date=lt…``."""
    q = Q()
    for value in values:
        match = _PREFIXED.match(value)
        if match is None:
            raise FhirError(400, "invalid", f"Not a FHIR date: {value[:40]}")
        prefix, raw = match.group(1) or "eq", match.group(2)
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise FhirError(400, "invalid", f"Not a date: {raw}") from exc
        lookup = {
            "eq": "",
            "ne": "",
            "gt": "__gt",
            "sa": "__gt",
            "lt": "__lt",
            "eb": "__lt",
            "ge": "__gte",
            "le": "__lte",
        }[prefix]
        condition = Q(**{f"{field}{lookup}": day})
        q &= ~condition if prefix == "ne" else condition
    return q


def _start_q(values: list[str]) -> Q:
    """Slot ``start`` on a session's date and start time: ``start=ge2026-12-01T10:00``.

    Without a time it is a date search; with one, the session's start is
    compared (in the hospital's time zone; a zone suffix is ignored).
    """
    q = Q()
    for value in values:
        match = _PREFIXED.match(value)
        if match is None or match.group(3) is None:
            q &= _date_q("date", [value])
            continue
        prefix = match.group(1) or "eq"
        try:
            day = dt.date.fromisoformat(match.group(2))
            at = dt.time.fromisoformat(match.group(3))
        except ValueError as exc:
            raise FhirError(400, "invalid", f"Not a date and time: {value[:40]}") from exc
        same = Q(date=day)
        condition = {
            "eq": same & Q(start=at),
            "ne": ~(same & Q(start=at)),
            "gt": Q(date__gt=day) | (same & Q(start__gt=at)),
            "sa": Q(date__gt=day) | (same & Q(start__gt=at)),
            "ge": Q(date__gt=day) | (same & Q(start__gte=at)),
            "lt": Q(date__lt=day) | (same & Q(start__lt=at)),
            "eb": Q(date__lt=day) | (same & Q(start__lt=at)),
            "le": Q(date__lt=day) | (same & Q(start__lte=at)),
        }[prefix]
        q &= condition
    return q


def _slot_status_q(statuses: set[str], now: dt.datetime) -> Q:
    """The Slot statuses of ``_slot_status`` as a database filter (so paging and total agree)."""
    local = timezone.localtime(now)
    ended = Q(date__lt=local.date()) | Q(date=local.date(), end__lte=local.time())
    running = Q(status=Session.Status.OPEN) & ~ended
    places = Q(booked_jkn__lt=F("quota_jkn")) | Q(booked_non_jkn__lt=F("quota_non_jkn"))
    known = {
        "free": running & places,
        "busy": running & ~places,
        "busy-unavailable": ~Q(status=Session.Status.OPEN) | ended,
    }
    q = Q(pk__in=[])
    for status in statuses:
        if status in known:
            q |= known[status]
    return q


def _statuses(request: HttpRequest) -> set[str]:
    return {v for value in request.GET.getlist("status") for v in value.split(",") if v}


def _service_q(field: str, values: list[str]) -> Q:
    codes = {code.split("|")[-1] for value in values for code in value.split(",")}
    return Q(**{f"{field}__bpjs_code__in": codes}) | Q(**{f"{field}__code__in": codes})


def _sessions(request: HttpRequest) -> QuerySet[Session]:
    return Session.objects.filter(clinic__unit__code=settings.HOSPITAL_UNIT_CODE).select_related(
        "clinic", "doctor"
    )


# Schedule ----------------------------------------------------------------------


def _schedule(clinic: Clinic, doctor_id: int, doctor_name: str) -> dict[str, Any]:
    first, last = actions.booking_window()
    return {
        "resourceType": "Schedule",
        "id": f"{clinic.pk}-{doctor_id}",
        "identifier": [{"system": f"{SYSTEM}:schedule", "value": f"{clinic.code}-{doctor_id}"}],
        "active": clinic.active,
        "serviceType": _service_type(clinic),
        "actor": [{"display": doctor_name}, {"display": clinic.name}],
        "planningHorizon": {"start": first.isoformat(), "end": last.isoformat()},
    }


@fhir_view
def schedule_search(request: HttpRequest) -> dict[str, Any]:
    clinics = {c.pk: c for c in Clinic.objects.filter(unit__code=settings.HOSPITAL_UNIT_CODE)}
    pairs = Session.objects.filter(clinic__unit__code=settings.HOSPITAL_UNIT_CODE)
    if values := request.GET.getlist("service-type"):
        pairs = pairs.filter(_service_q("clinic", values))
    if values := request.GET.getlist("date"):
        pairs = pairs.filter(_date_q("date", values))
    if (active := request.GET.get("active")) in ("true", "false"):
        pairs = pairs.filter(clinic__active=active == "true")
    rows = (
        pairs.values_list("clinic_id", "doctor_id", "doctor__name")
        .distinct()
        .order_by("clinic_id", "doctor_id")
    )
    return _bundle(request, rows, lambda row: _schedule(clinics[row[0]], row[1], row[2]))


@fhir_view
def schedule_read(request: HttpRequest, resource_id: str) -> dict[str, Any]:
    match = re.fullmatch(r"(\d+)-(\d+)", resource_id)
    session = (
        _sessions(request).filter(clinic_id=match.group(1), doctor_id=match.group(2)).first()
        if match
        else None
    )
    if session is None:
        raise FhirError(404, "not-found", f"Schedule/{resource_id[:64]} is not known")
    return _schedule(session.clinic, session.doctor_id, session.doctor.name)


# Slot ------------------------------------------------------------------------------


def _slot_status(session: Session, now: dt.datetime) -> str:
    if not session.is_open or session.ends_at <= now:
        return "busy-unavailable"
    return "free" if session.remaining > 0 else "busy"


def _slot(session: Session, now: dt.datetime) -> dict[str, Any]:
    return {
        "resourceType": "Slot",
        "id": str(session.pk),
        "extension": [{"url": SLOT_CAPACITY, "valueInteger": session.remaining}],
        "serviceType": _service_type(session.clinic),
        "schedule": {"reference": f"Schedule/{session.clinic_id}-{session.doctor_id}"},
        "status": _slot_status(session, now),
        "start": _instant(session.starts_at),
        "end": _instant(session.ends_at),
        "comment": (
            f"kuotajkn={session.quota_jkn}; sisakuotajkn={session.remaining_jkn}; "
            f"kuotanonjkn={session.quota_non_jkn}; sisakuotanonjkn={session.remaining_non_jkn}"
        ),
    }


@fhir_view
def slot_search(request: HttpRequest) -> dict[str, Any]:
    sessions = _sessions(request)
    if dates := request.GET.getlist("date"):
        sessions = sessions.filter(_date_q("date", dates))
    if starts := request.GET.getlist("start"):
        sessions = sessions.filter(_start_q(starts))
    if not dates and not starts:
        first, last = actions.booking_window()
        sessions = sessions.filter(date__gte=first, date__lte=last)
    if values := request.GET.getlist("service-type"):
        sessions = sessions.filter(_service_q("clinic", values))
    if value := request.GET.get("schedule"):
        match = re.fullmatch(r"(?:Schedule/)?(\d+)-(\d+)", value)
        if match is None:
            raise FhirError(400, "invalid", "schedule must look like Schedule/<clinic>-<doctor>")
        sessions = sessions.filter(clinic_id=match.group(1), doctor_id=match.group(2))
    now = timezone.now()
    if statuses := _statuses(request):
        sessions = sessions.filter(_slot_status_q(statuses, now))
    return _bundle(request, sessions.order_by("date", "start", "pk"), lambda s: _slot(s, now))


@fhir_view
def slot_read(request: HttpRequest, resource_id: str) -> dict[str, Any]:
    known = re.fullmatch(r"[0-9]{1,18}", resource_id)
    session = _sessions(request).filter(pk=int(resource_id)).first() if known else None
    if session is None:
        raise FhirError(404, "not-found", f"Slot/{resource_id[:64]} is not known")
    return _slot(session, timezone.now())


# Appointment --------------------------------------------------------------------


def _appointment(booking: Booking) -> dict[str, Any]:
    session = booking.session
    end = booking.estimated_at + dt.timedelta(minutes=session.minutes_per_patient)
    return {
        "resourceType": "Appointment",
        "id": booking.code,
        "identifier": [
            {"system": f"{SYSTEM}:kodebooking", "value": booking.code},
            {"system": f"{SYSTEM}:nomorantrean", "value": booking.queue_label},
        ],
        "status": APPOINTMENT_STATUS[booking.status],
        "serviceType": _service_type(session.clinic),
        "appointmentType": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0276",
                    "code": "FOLLOWUP"
                    if booking.visit_type == Booking.VisitType.FOLLOW_UP
                    else "ROUTINE",
                }
            ]
        },
        "start": _instant(booking.estimated_at),
        "end": _instant(end),
        "minutesDuration": session.minutes_per_patient,
        "slot": [{"reference": f"Slot/{session.pk}"}],
        "created": _instant(booking.created_at),
        "participant": [
            {
                "actor": {"display": session.doctor.name},
                "required": "required",
                "status": "accepted",
            },
            {
                "type": [{"text": "patient"}],
                "actor": {"display": booking.masked_nik},
                "required": "required",
                "status": "accepted",
            },
        ],
    }


def _own_bookings(request: HttpRequest) -> QuerySet[Booking]:
    citizen = current_citizen(request)
    if citizen is None:
        raise FhirError(401, "login", "Sign in with your mobile number to read your appointments")
    return Booking.objects.filter(citizen=citizen).select_related(
        "session__clinic", "session__doctor"
    )


@fhir_view(private=True)
def appointment_search(request: HttpRequest) -> dict[str, Any]:
    bookings = _own_bookings(request)
    if values := request.GET.getlist("date"):
        bookings = bookings.filter(_date_q("session__date", values))
    if values := request.GET.getlist("service-type"):
        bookings = bookings.filter(_service_q("session__clinic", values))
    if statuses := _statuses(request):
        ours = [ours for ours, theirs in APPOINTMENT_STATUS.items() if theirs in statuses]
        bookings = bookings.filter(status__in=ours)
    return _bundle(request, bookings.order_by("session__date", "number", "pk"), _appointment)


@fhir_view(private=True)
def appointment_read(request: HttpRequest, resource_id: str) -> dict[str, Any]:
    booking = _own_bookings(request).filter(code=resource_id).first()
    if booking is None:
        # Someone else's booking is "not found" too: existence is not disclosed.
        raise FhirError(404, "not-found", f"Appointment/{resource_id[:64]} is not known")
    return _appointment(booking)


# Location (beds) -------------------------------------------------------------------


def _physical(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": PHYSICAL_TYPE, "code": code, "display": display}]}


def _locations(physical_type: str | None) -> list[dict[str, Any]]:
    unit_q = {"unit__code": settings.HOSPITAL_UNIT_CODE}
    out: list[dict[str, Any]] = []
    if physical_type in (None, "wa"):
        for ward in Ward.objects.filter(**unit_q).order_by("pk"):
            out.append(
                {
                    "resourceType": "Location",
                    "id": f"ward-{ward.pk}",
                    "identifier": [{"system": f"{SYSTEM}:sirs-id-tt", "value": str(ward.bed_type)}],
                    "status": "active",
                    "name": ward.name,
                    "physicalType": _physical("wa", "Ward"),
                }
            )
    if physical_type in (None, "ro"):
        for room in Room.objects.filter(**{f"ward__{k}": v for k, v in unit_q.items()}).order_by(
            "pk"
        ):
            out.append(
                {
                    "resourceType": "Location",
                    "id": f"room-{room.pk}",
                    "status": "active",
                    "name": room.name,
                    "physicalType": _physical("ro", "Room"),
                    "partOf": {"reference": f"Location/ward-{room.ward_id}"},
                }
            )
    if physical_type in (None, "bd"):
        for bed in (
            Bed.objects.filter(**{f"room__ward__{k}": v for k, v in unit_q.items()})
            .select_related("room")
            .order_by("pk")
        ):
            system, code, display = BED_STATUS[bed.status]
            out.append(
                {
                    "resourceType": "Location",
                    "id": f"bed-{bed.pk}",
                    "status": "suspended" if bed.status == Bed.Status.OUT_OF_SERVICE else "active",
                    "operationalStatus": {"system": system, "code": code, "display": display},
                    "name": f"{bed.room.name} / {bed.label}",
                    "physicalType": _physical("bd", "Bed"),
                    "partOf": {"reference": f"Location/room-{bed.room_id}"},
                }
            )
    return out


@fhir_view
def location_search(request: HttpRequest) -> dict[str, Any]:
    physical = request.GET.get("physical-type") or None
    if physical is not None and physical.split("|")[-1] not in ("wa", "ro", "bd"):
        raise FhirError(400, "not-supported", "physical-type is one of wa, ro, bd")
    rows = _locations(physical.split("|")[-1] if physical else None)
    if wanted := request.GET.get("operational-status"):
        codes = {c.split("|")[-1] for c in wanted.split(",")}
        rows = [r for r in rows if r.get("operationalStatus", {}).get("code") in codes]
    if partof := request.GET.get("partof"):
        ref = partof if partof.startswith("Location/") else f"Location/{partof}"
        rows = [r for r in rows if r.get("partOf", {}).get("reference") == ref]
    return _bundle(request, rows)


@fhir_view
def location_read(request: HttpRequest, resource_id: str) -> dict[str, Any]:
    kind = resource_id.split("-", 1)[0]
    physical = {"ward": "wa", "room": "ro", "bed": "bd"}.get(kind)
    found = [r for r in _locations(physical) if r["id"] == resource_id] if physical else []
    if not found:
        raise FhirError(404, "not-found", f"Location/{resource_id[:64]} is not known")
    return found[0]


@login_not_required
@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: what this server reads and searches."""

    def resource(kind: str, params: list[str]) -> dict[str, Any]:
        return {
            "type": kind,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": p, "type": "date" if p in ("date", "start") else "token"} for p in params
            ]
            + [{"name": "_count", "type": "number"}],
        }

    return _response(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-29",
            "kind": "instance",
            "fhirVersion": "4.0.1",
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "resource": [
                        resource("Schedule", ["service-type", "date", "active"]),
                        resource("Slot", ["start", "date", "status", "service-type", "schedule"]),
                        resource("Appointment", ["date", "status", "service-type"]),
                        resource("Location", ["physical-type", "operational-status", "partof"]),
                    ],
                }
            ],
        }
    )
