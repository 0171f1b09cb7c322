"""Staff pages: the registration counter, the clinic queue, schedules, the nurse station."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.hospital import access, actions, queue
from kotacerdas.hospital.forms import (
    AdmitForm,
    BedStatusForm,
    ClosureForm,
    CounterBookingForm,
    LeaveForm,
    WaitingForm,
)
from kotacerdas.hospital.models import Bed, Booking, Room
from kotacerdas.workdays.calendar import days_off

# The registration counter ------------------------------------------------------


COUNTER_TICKET = "hospital_counter_ticket"


def _walk_in(request: StaffRequest, form: CounterBookingForm) -> Booking | None:
    """Book a walk-in patient from the session's quota and check them in: they
    stand at the counter, so they have arrived. None if the booking failed.

    The name the clerk typed goes to the ticket page through the session only
    (the booking keeps no name; never in a URL)."""
    try:
        booking = actions.book(
            form.cleaned_data["session"].pk,
            form.patient(),
            channel=Booking.Channel.COUNTER,
            clerk=request.user,
            request=request,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    request.session[COUNTER_TICKET] = {"booking": booking.pk, "name": form.cleaned_data["name"]}
    labels = {"number": booking.queue_label, "code": booking.code}
    try:
        actions.check_in(booking.code)
    except ValidationError as exc:
        messages.warning(
            request,
            _("Booked: %(number)s, code %(code)s. Not checked in yet: %(reason)s")
            % {**labels, "reason": " ".join(exc.messages)},
        )
    else:
        messages.success(request, _("Booked and checked in: %(number)s, code %(code)s.") % labels)
    return booking


@require_http_methods(["GET", "POST"])
def counter(request: StaffRequest) -> HttpResponse:
    """Today's sessions; walk-in bookings from the same quota; new patients to register."""
    access.require_queue_staff(request.user)
    bookable = access.bookable_sessions_for_user(request.user)
    form = CounterBookingForm(request.POST or None, sessions=bookable)
    if request.method == "POST":
        access.require_clerk(request.user)
        if form.is_valid() and (booking := _walk_in(request, form)) is not None:
            return redirect("hospital:counter-ticket", booking_id=booking.pk)
    return render(
        request,
        "hospital/counter.html",
        {
            "sessions": access.today_sessions_for_user(request.user),
            "form": form,
            "is_clerk": access.is_clerk(request.user),
            "new_patients": access.new_patients_for_user(request.user)[:100],
            "admit_form": AdmitForm(),
        },
    )


def counter_ticket(request: StaffRequest, booking_id: int) -> HttpResponse:
    """The walk-in's ticket to print (one receipt-width page): name, clinic,
    number, when to be at the clinic, the code."""
    booking = access.get_booking_for_user(request.user, booking_id, write=True, roles=access.CLERK)
    typed = request.session.get(COUNTER_TICKET) or {}
    name = typed.get("name", "") if typed.get("booking") == booking.pk else ""
    if not name and booking.person is not None:
        name = booking.person.name
    return render(
        request,
        "hospital/counter_ticket.html",
        {"booking": booking, "session": booking.session, "name": name},
    )


@require_POST
def admit(request: StaffRequest, booking_id: int) -> HttpResponse:
    booking = access.get_booking_for_user(request.user, booking_id, write=True, roles=access.CLERK)
    form = AdmitForm(request.POST)
    if form.is_valid():
        try:
            actions.admit(
                booking, medical_record=form.cleaned_data["medical_record"].strip(), request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(number)s registered.") % {"number": booking.queue_label})
    return redirect("hospital:counter")


def _close_sessions(
    request: StaffRequest, closure_form: ClosureForm, leave_form: LeaveForm
) -> int | None:
    """The posted closure of the hospital or doctor's leave: how many booked
    patients were told, or None when nothing was closed."""
    unit = access.clerk_unit_for_user(request.user)
    try:
        if "closure" in request.POST and closure_form.is_valid():
            data = closure_form.cleaned_data
            return actions.add_closure(
                unit, data["date"], data["reason"], by=request.user, request=request
            )
        if "leave" in request.POST and leave_form.is_valid():
            data = leave_form.cleaned_data
            doctor = access.get_doctor_for_user(request.user, data["doctor"].pk, write=True)
            return actions.add_leave(
                doctor, data["first_day"], data["last_day"], by=request.user, request=request
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return None


@require_http_methods(["GET", "POST"])
def schedule(request: StaffRequest) -> HttpResponse:
    """The hospital's closures and doctors' leave: both close sessions and tell the
    booked patients. The city's days off close the clinics by themselves."""
    access.require_queue_staff(request.user)
    closure_form = ClosureForm(request.POST if "closure" in request.POST else None, prefix="c")
    leave_form = LeaveForm(
        request.POST if "leave" in request.POST else None,
        doctors=access.doctors_for_user(request.user),
        prefix="l",
    )
    if request.method == "POST":
        told = _close_sessions(request, closure_form, leave_form)
        if told is not None:
            messages.success(
                request,
                _("Sessions closed; %(count)d booked patients were told by SMS.") % {"count": told},
            )
            return redirect("hospital:schedule")
    today = timezone.localdate()
    context: dict[str, object] = {"closure_form": closure_form, "leave_form": leave_form}
    context["closed"] = access.closed_sessions_for_user(request.user)[:100]
    context["is_clerk"] = access.is_clerk(request.user)
    context["city_days_off"] = days_off(
        today, today + dt.timedelta(days=90), kinds=settings.HOSPITAL_CLOSED_ON
    )
    return render(request, "hospital/schedule.html", context)


# The clinic queue ----------------------------------------------------------------


def clinic_today(request: StaffRequest) -> HttpResponse:
    access.require_queue_staff(request.user)
    sessions = access.today_sessions_for_user(request.user)
    counts: Counter[tuple[int, str]] = Counter()
    for session_id, status in (
        access.bookings_for_user(request.user)
        .filter(session__in=sessions)
        .values_list("session_id", "status")
    ):
        counts[(session_id, status)] += 1
    rows = [
        (
            s,
            counts[(s.pk, Booking.Status.BOOKED)],
            counts[(s.pk, Booking.Status.CHECKED_IN)],
            counts[(s.pk, Booking.Status.SERVED)],
        )
        for s in sessions
    ]
    return render(request, "hospital/clinic_today.html", {"rows": rows})


def session_queue(request: StaffRequest, session_id: int) -> HttpResponse:
    session = access.get_session_for_user(request.user, session_id)
    bookings = list(
        session.bookings.exclude(status=Booking.Status.CANCELLED)
        .prefetch_related("tasks")
        .order_by("number")
    )
    board = next((b for b in queue.boards([session.clinic]) if b.session.pk == session.pk), None)
    return render(
        request,
        "hospital/session_queue.html",
        {
            "session": session,
            "bookings": bookings,
            "board": board,
            "can_call": access.can(request.user, access.CLINIC, session.clinic.unit_id),
            "Status": Booking.Status,
        },
    )


@require_POST
def call_next(request: StaffRequest, session_id: int) -> HttpResponse:
    session = access.get_session_for_user(request.user, session_id, write=True)
    try:
        booking = actions.call_next(session, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Called %(number)s.") % {"number": booking.queue_label})
    return redirect("hospital:session-queue", session_id=session.pk)


def _booking_step(
    request: StaffRequest, booking_id: int, step: Callable[[Booking], object], done: str
) -> HttpResponse:
    booking = access.get_booking_for_user(request.user, booking_id, write=True)
    try:
        step(booking)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"number": booking.queue_label})
    return redirect("hospital:session-queue", session_id=booking.session_id)


@require_POST
def recall(request: StaffRequest, booking_id: int) -> HttpResponse:
    return _booking_step(
        request,
        booking_id,
        lambda b: actions.recall(b, request=request),
        _("Called %(number)s again."),
    )


@require_POST
def skip(request: StaffRequest, booking_id: int) -> HttpResponse:
    return _booking_step(
        request, booking_id, lambda b: actions.skip(b, request=request), _("%(number)s skipped.")
    )


@require_POST
def serve(request: StaffRequest, booking_id: int) -> HttpResponse:
    return _booking_step(
        request, booking_id, lambda b: actions.serve(b, request=request), _("%(number)s served.")
    )


@require_POST
def pharmacy(request: StaffRequest, booking_id: int, task: int) -> HttpResponse:
    return _booking_step(
        request,
        booking_id,
        lambda b: actions.pharmacy(b, task, request=request),
        _("Pharmacy step recorded for %(number)s."),
    )


# The nurse station --------------------------------------------------------------


def nurse_station(request: StaffRequest) -> HttpResponse:
    units = access.require_ward_staff(request.user)
    wards = list(access.wards_for_user(request.user).order_by("bed_type", "name"))
    ward_id = request.GET.get("ruang", "")
    ward = next((w for w in wards if str(w.pk) == ward_id), wards[0] if wards else None)
    rooms = (
        list(Room.objects.filter(ward=ward).prefetch_related("beds").order_by("name"))
        if ward
        else []
    )
    return render(
        request,
        "hospital/nurse_station.html",
        {
            "wards": wards,
            "ward": ward,
            "rooms": rooms,
            "statuses": Bed.Status.choices,
            "can_change": bool(access.unit_ids(request.user, access.NURSE) & units),
            "waiting_form": WaitingForm(initial={"waiting": ward.waiting}) if ward else None,
        },
    )


@require_POST
def bed_status(request: StaffRequest, bed_id: int) -> HttpResponse:
    bed = access.get_bed_for_user(request.user, bed_id, write=True)
    form = BedStatusForm(request.POST)
    if form.is_valid():
        actions.set_bed_status(bed, form.cleaned_data["status"], request=request)
    else:
        messages.error(request, _("Unknown bed status."))
    return redirect(f"{_station_url()}?ruang={bed.room.ward_id}#bed-{bed.pk}")


@require_POST
def ward_waiting(request: StaffRequest, ward_id: int) -> HttpResponse:
    ward = access.get_ward_for_user(request.user, ward_id, write=True)
    form = WaitingForm(request.POST)
    if form.is_valid():
        actions.set_ward_waiting(ward, form.cleaned_data["waiting"], request=request)
        messages.success(request, _("Waiting count saved."))
    else:
        messages.error(request, _("Enter a number of patients between 0 and 999."))
    return redirect(f"{_station_url()}?ruang={ward.pk}")


def _station_url() -> str:
    return reverse("hospital:nurse-station")
