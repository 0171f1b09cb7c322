"""BPJS Antrean-shaped endpoints (WS RS): status antrean and sisa antrean.

Mobile JKN, or a bridge to it, posts JSON with the BPJS field names and
gets ``{"response": …, "metadata": {"code", "message"}}`` back: code 200 on
success, 201 with a message for the patient otherwise. Callers present the
token the hospital issued them in the ``x-token`` header
(``HOSPITAL_BPJS_TOKEN``); with no token configured the endpoints refuse.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kotacerdas.hospital import queue
from kotacerdas.hospital.actions import normalise_code
from kotacerdas.hospital.models import Booking, Session


def _answer(code: int, message: str, response: dict[str, Any] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"metadata": {"code": code, "message": message}}
    if response is not None:
        body = {"response": response, **body}
    return JsonResponse(body)


def _authorised(request: HttpRequest) -> bool:
    token = settings.HOSPITAL_BPJS_TOKEN
    given = request.headers.get("x-token", "")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def _payload(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _counts(session: Session) -> dict[str, int]:
    statuses = list(session.bookings.values_list("status", flat=True))
    return {
        "totalantrean": sum(s != Booking.Status.CANCELLED for s in statuses),
        "sisaantrean": sum(s in queue.AHEAD for s in statuses),
    }


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
HOURS = re.compile(r"((?:[01][0-9]|2[0-3]):[0-5][0-9])-((?:[01][0-9]|2[0-3]):[0-5][0-9])")
DOCTOR = re.compile(r"[0-9]{1,9}")  # ASCII digits only; within any database integer


def _status_query(data: dict[str, Any]) -> tuple[dt.date, dt.time, dt.time, int] | str:
    """The date, hours and doctor code asked about, or the message for what is wrong.

    Strict on purpose: ``str.isdigit`` takes "²" and ``time.fromisoformat``
    takes a time zone, and each ended in a 500 instead of BPJS's 201.
    """
    raw_date = str(data.get("tanggalperiksa", ""))
    try:
        if not DATE.fullmatch(raw_date):
            raise ValueError(raw_date)
        date = dt.date.fromisoformat(raw_date)
    except ValueError:
        return _("tanggalperiksa must be a date as yyyy-mm-dd.")
    hours = HOURS.fullmatch(str(data.get("jampraktek", "")).replace(" ", ""))
    if hours is None:
        return _("jampraktek must look like 08:00-12:00.")
    doctor = str(data.get("kodedokter", "")).strip()
    if not DOCTOR.fullmatch(doctor):
        return _("kodedokter must be the doctor's BPJS code, in digits 0-9.")
    start, end = (dt.time.fromisoformat(part) for part in hours.groups())
    return date, start, end, int(doctor)


@csrf_exempt
@login_not_required
@require_POST
def status_antrean(request: HttpRequest) -> JsonResponse:
    """Status Antrean: kodepoli, kodedokter, tanggalperiksa, jampraktek."""
    if not _authorised(request):
        return _answer(201, _("Token is missing or wrong."))
    data = _payload(request)
    parsed = _status_query(data)
    if isinstance(parsed, str):
        return _answer(201, parsed)
    date, start_time, end_time, doctor = parsed
    session = (
        Session.objects.filter(
            clinic__unit__code=settings.HOSPITAL_UNIT_CODE,
            clinic__bpjs_code=str(data.get("kodepoli", "")),
            doctor__bpjs_code=doctor,
            date=date,
            start=start_time,
            end=end_time,
        )
        .select_related("clinic", "doctor")
        .first()
    )
    if session is None:
        return _answer(
            201, _("There is no practice session for that clinic, doctor, date and hours.")
        )
    return _answer(
        200,
        "Ok",
        {
            "namapoli": session.clinic.name,
            "namadokter": session.doctor.name,
            **_counts(session),
            "antreanpanggil": session.label(session.serving_number),
            "sisakuotajkn": session.remaining_jkn,
            "kuotajkn": session.quota_jkn,
            "sisakuotanonjkn": session.remaining_non_jkn,
            "kuotanonjkn": session.quota_non_jkn,
            "keterangan": "" if session.is_open else session.get_closure_display(),
        },
    )


@csrf_exempt
@login_not_required
@require_POST
def sisa_antrean(request: HttpRequest) -> JsonResponse:
    """Sisa Antrean: kodebooking → the patient's place in the queue."""
    if not _authorised(request):
        return _answer(201, _("Token is missing or wrong."))
    code = normalise_code(str(_payload(request).get("kodebooking", "")))
    booking = (
        Booking.objects.filter(code=code, session__clinic__unit__code=settings.HOSPITAL_UNIT_CODE)
        .select_related("session__clinic", "session__doctor")
        .first()
        if code
        else None
    )
    if booking is None:
        return _answer(201, _("There is no booking with that code."))
    state = queue.ticket_state(booking)
    session = booking.session
    return _answer(
        200,
        "Ok",
        {
            "nomorantrean": booking.queue_label,
            "namapoli": session.clinic.name,
            "namadokter": session.doctor.name,
            "sisaantrean": state.ahead,
            "antreanpanggil": state.serving,
            "waktutunggu": state.ahead * session.minutes_per_patient * 60,
            "keterangan": str(state.status_label),
        },
    )
