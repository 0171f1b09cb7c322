"""Patients' pages: find a session, book, the ticket; the kiosk; waiting-room screens."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.audit.actions import client_address
from kotacerdas.hospital import access, actions, queue, throttle
from kotacerdas.hospital.forms import BookingForm, CheckInForm, FindSessionsForm, RescheduleForm
from kotacerdas.hospital.models import Booking, Clinic, Session
from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people.access import current_citizen, persons_citizen_may_act_for
from kotacerdas.people.models import Citizen, Person

KIOSK_SESSION_KEY = "hospital_kiosk_booking"
# How long after a check-in the kiosk still shows that ticket (its page goes
# back to the start after 60 s by itself).
KIOSK_TICKET_SECONDS = 90
# Refusals about the session, not the patient: the form is not shown again.
GONE = {"full", "not_bookable", "closed", "ended", "unavailable"}


def _clinics() -> list[Clinic]:
    return list(
        Clinic.objects.filter(unit__code=settings.HOSPITAL_UNIT_CODE, active=True).order_by("name")
    )


def _open_sessions(clinic: Clinic) -> list[Session]:
    first, last = actions.booking_window()
    return list(
        Session.objects.filter(
            clinic=clinic, date__gte=first, date__lte=last, status=Session.Status.OPEN
        )
        .select_related("clinic", "doctor")
        .order_by("date", "start")
    )


def _qr(code: str) -> str:
    # segno draws the SVG from our own booking code: nothing user-supplied in it.
    return mark_safe(segno.make(code, micro=False).svg_inline(omitsize=True))  # noqa: S308


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    """Clinics and their sessions in the booking window, with the places left."""
    clinics = Clinic.objects.filter(unit__code=settings.HOSPITAL_UNIT_CODE, active=True)
    form = FindSessionsForm(request.GET or None, clinics=clinics)
    sessions: list[Session] = []
    clinic = None
    if form.is_valid():
        clinic = form.cleaned_data["clinic"]
        date = form.cleaned_data["date"]
        sessions = [s for s in _open_sessions(clinic) if date is None or s.date == date]
    now = timezone.now()
    rows = [(s, actions.refusal(s, now=now)) for s in sessions]
    first, last = actions.booking_window()
    return render(
        request,
        "hospital/index.html",
        {
            "form": form,
            "clinic": clinic,
            "rows": rows,
            "searched": bool(request.GET),
            "clinics": _clinics(),
            "first": first,
            "last": last,
            "citizen": current_citizen(request),
        },
    )


def _family(citizen: Citizen) -> list[Person]:
    """Whom the citizen may book for: self first, then her or his children under 18
    (the register's answer; not the whole family card)."""
    if citizen.person_id is None:
        # Not linked to the register: nobody to choose, the form asks for a NIK.
        # (Asking anyway cost a query's Python for an empty answer on every POST.)
        return []
    people = persons_citizen_may_act_for(citizen).order_by("birth_date", "pk")
    return sorted(people, key=lambda person: person.pk != citizen.person_id)


def _try_booking(
    request: HttpRequest,
    session: Session,
    citizen: Citizen,
    form: BookingForm,
    refused: str | None,
) -> tuple[Booking | None, str | None]:
    """The booking, or None and why: a refusal the patient cannot fix in the
    form (the session is gone), or the error added to the form."""
    try:
        booking = actions.book(
            session.pk,
            form.patient(form.person),
            channel=Booking.Channel.WEB,
            citizen=citizen,
            idempotency_key=form.cleaned_data["idempotency_key"],
            request=request,
            loaded=session,
        )
    except ValidationError as exc:
        # The places left, as read when this request came in; read again
        # only if they went while this request waited for the lock.
        if exc.code == "full" and session.remaining > 0:
            session.refresh_from_db()
        if exc.code in GONE:
            # Nothing the patient can change in the form: say so, offer other sessions.
            return None, " ".join(exc.messages)
        form.add_error(None, exc)
        return None, refused
    return booking, refused


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_public_session(session_id)
    citizen = current_citizen(request)
    refused = actions.refusal(session)
    if citizen is None:
        return render(
            request,
            "hospital/book.html",
            {"session": session, "refused": refused, "citizen": None},
        )
    form = BookingForm(request.POST or None, people=_family(citizen), me=citizen.person_id)
    if request.method == "POST" and form.is_valid():
        booking, refused = _try_booking(request, session, citizen, form, refused)
        if booking is not None:
            return redirect("hospital:ticket", code=booking.code)
    return render(
        request,
        "hospital/book.html",
        {"session": session, "refused": refused, "citizen": citizen, "form": form},
    )


@login_not_required
@never_cache
def my_bookings(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    bookings = (
        access.bookings_for_citizen(citizen)
        .select_related("session__clinic", "session__doctor", "person")
        .order_by("-session__date", "-created_at")[:50]
    )
    return render(request, "hospital/my_bookings.html", {"bookings": bookings})


@login_not_required
@never_cache
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    booking = access.get_booking_for_citizen(current_citizen(request), code)
    state = queue.ticket_state(booking)
    session = booking.session
    return render(
        request,
        "hospital/ticket.html",
        {
            "booking": booking,
            "session": session,
            "state": state,
            "qr": _qr(booking.code),
            "refresh": settings.HOSPITAL_REFRESH_SECONDS,
        },
    )


@login_not_required
@never_cache
def ticket_status(request: HttpRequest, code: str) -> JsonResponse:
    booking = access.get_booking_for_citizen(current_citizen(request), code)
    return JsonResponse(queue.ticket_state(booking).as_json())


@login_not_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    citizen = current_citizen(request)
    booking = access.get_booking_for_citizen(citizen, code)
    try:
        actions.cancel(booking, by_citizen=citizen, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Booking %(code)s is cancelled.") % {"code": booking.code})
    return redirect("hospital:ticket", code=booking.code)


@login_not_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, code: str) -> HttpResponse:
    citizen = current_citizen(request)
    booking = access.get_booking_for_citizen(citizen, code)
    if not booking.can_change:
        messages.error(request, _("This booking can no longer be changed."))
        return redirect("hospital:ticket", code=booking.code)
    now = timezone.now()
    candidates = [
        s
        for s in _open_sessions(booking.session.clinic)
        if s.pk != booking.session_id and s.remaining > 0 and actions.refusal(s, now=now) is None
    ]
    form = RescheduleForm(
        request.POST or None,
        sessions=Session.objects.filter(pk__in=[s.pk for s in candidates]).select_related("doctor"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.reschedule(
                booking, form.cleaned_data["session"].pk, citizen=citizen, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your booking was moved."))
            return redirect("hospital:ticket", code=new.code)
    return render(request, "hospital/reschedule.html", {"booking": booking, "form": form})


# The kiosk (anjungan pasien mandiri) ----------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and not throttle.allow_check_in(address):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many attempts from this device. Please ask at the registration counter, or try again in an hour."
            ),
        )
    elif request.method == "POST" and form.is_valid():
        try:
            booking = actions.check_in(form.cleaned_data["code"])
        except ValidationError as exc:
            if exc.code == "unknown":
                throttle.unknown_code(address)
            form.add_error("code", exc)
        else:
            # The ticket page reads it from the session: nothing to guess in its URL.
            request.session[KIOSK_SESSION_KEY] = [booking.pk, int(timezone.now().timestamp())]
            return redirect("hospital:kiosk-ticket")
    elif request.method == "GET":
        # Back at the start: the previous patient's ticket is gone from this kiosk.
        request.session.pop(KIOSK_SESSION_KEY, None)
    return render(request, "hospital/kiosk.html", {"form": form})


@login_not_required
@never_cache
def kiosk_ticket(request: HttpRequest) -> HttpResponse:
    # The kiosk is shared: the ticket shows for a short while after the check-in
    # only, so the next person at the screen cannot call the previous one's back.
    stored = request.session.get(KIOSK_SESSION_KEY)
    booking = None
    if isinstance(stored, list) and len(stored) == 2:
        booking_id, at = stored
        if timezone.now().timestamp() - at <= KIOSK_TICKET_SECONDS:
            booking = (
                Booking.objects.select_related("session__clinic", "session__doctor")
                .filter(pk=booking_id)
                .first()
            )
    if booking is None:
        request.session.pop(KIOSK_SESSION_KEY, None)
        return redirect("hospital:kiosk")
    return render(
        request,
        "hospital/kiosk_ticket.html",
        {"booking": booking, "state": queue.ticket_state(booking), "qr": _qr(booking.code)},
    )


@login_not_required
@require_POST
def kiosk_done(request: HttpRequest) -> HttpResponse:
    request.session.pop(KIOSK_SESSION_KEY, None)
    return redirect("hospital:kiosk")


# Waiting-room screens --------------------------------------------------------


def _display_clinics(request: HttpRequest, code: str | None) -> list[Clinic]:
    clinics = Clinic.objects.filter(unit__code=settings.HOSPITAL_UNIT_CODE, active=True)
    if code is not None:
        found = list(clinics.filter(code=code))
        if not found:
            raise Http404
        return found
    wanted = [c for c in request.GET.getlist("poli") if c]
    # The hall screen leaves sensitive clinics out unless asked for by name: a
    # patient who stands up for "JIW-3" in the main hall is seen going there.
    return list(clinics.filter(code__in=wanted) if wanted else clinics.filter(sensitive=False))


# A hall screen with more boards than fit turns to its next page this often.
PAGE_SECONDS = 15


def _display_query(request: HttpRequest, page: int | None = None) -> str:
    """The screen's own query (which clinics) with ``halaman`` set to ``page``."""
    query = request.GET.copy()
    query.pop("halaman", None)
    if page is not None:
        query["halaman"] = str(page)
    return query.urlencode()


@login_not_required
@never_cache
def display(request: HttpRequest, code: str | None = None) -> HttpResponse:
    clinics = _display_clinics(request, code)
    page = queue.page_of(queue.boards(clinics), request.GET.get("halaman"))
    data_url = (
        reverse("hospital:display-clinic-data", args=[code])
        if code
        else reverse("hospital:display-data")
    )
    return render(
        request,
        "hospital/display.html",
        {
            "page": page,
            "title": clinics[0].name if code else _("Outpatient clinics"),
            "data_url": data_url,
            "query": _display_query(request, page.number if page.count > 1 else None),
            "next_query": _display_query(request, page.next_number),
            "refresh": settings.HOSPITAL_REFRESH_SECONDS,
            "page_seconds": PAGE_SECONDS,
            "now": timezone.localtime(),
        },
    )


@login_not_required
@never_cache
def display_data(request: HttpRequest, code: str | None = None) -> JsonResponse:
    clinics = _display_clinics(request, code)
    page = queue.page_of(queue.boards(clinics), request.GET.get("halaman"))
    return JsonResponse(
        {
            "time": timezone.localtime().strftime("%H:%M"),
            "boards": [b.as_json() for b in page.boards],
            "page": page.number,
            "pages": page.count,
        }
    )
