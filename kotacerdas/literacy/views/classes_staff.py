"""The classes for DKIS and the door: the class list and form, registrations and the waiting
list, walk-in registration, and check-in (a typed code without JavaScript, or the offline
scanner page that sends its stored scans, each with its nonce, when the connection returns)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.literacy import access
from kotacerdas.literacy.actions import classes as actions
from kotacerdas.literacy.forms_classes import ClassSessionForm, DoorRegistrationForm, ScanForm
from kotacerdas.literacy.models import CheckIn, ClassSession, Registration

MAX_SCANS = 200  # per sync request


def class_staff_list(request: StaffRequest) -> HttpResponse:
    access.require_class_staff(request.user)
    sessions = access.classes_for_user(request.user).select_related("kelurahan")
    context = {
        "sessions": sessions.order_by("-starts_at")[:200],
        "may_add": access.organises_classes(request.user),
    }
    return render(request, "literacy/class_staff_list.html", context)


@require_http_methods(["GET", "POST"])
def class_add(request: StaffRequest) -> HttpResponse:
    access.require_class_staff(request.user)
    if not access.organises_classes(request.user):
        raise PermissionDenied
    return _class_form(request, None)


@require_http_methods(["GET", "POST"])
def class_edit(request: StaffRequest, session_id: int) -> HttpResponse:
    return _class_form(request, access.get_class_for_user(request.user, session_id, write=True))


def _class_form(request: StaffRequest, session: ClassSession | None) -> HttpResponse:
    form = ClassSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_session(
            form.save(commit=False), actor=request.user, created=session is None
        )
        form.save_m2m()
        messages.success(request, _("Class saved."))
        return redirect("literacy:class-staff", session_id=saved.pk)
    return render(request, "literacy/class_form.html", {"form": form, "session": session})


def class_staff_detail(request: StaffRequest, session_id: int) -> HttpResponse:
    session = access.get_class_for_user(request.user, session_id)
    registrations = session.registrations.order_by("pk")
    attended = set(
        session.checkins.filter(result=CheckIn.Result.OK).values_list("registration_id", flat=True)
    )
    context = {
        "session": session,
        "confirmed": registrations.filter(status=Registration.Status.CONFIRMED),
        "waiting": registrations.filter(status=Registration.Status.WAITING),
        "cancelled": registrations.filter(status=Registration.Status.CANCELLED).count(),
        "attended": attended,
        "runs_door": access.runs_door(request.user, session),
        "may_edit": access.organises_classes(request.user),
        "door_form": DoorRegistrationForm(),
    }
    return render(request, "literacy/class_staff_detail.html", context)


@require_POST
def door_register(request: StaffRequest, session_id: int) -> HttpResponse:
    session = access.get_class_for_user(request.user, session_id, door=True)
    form = DoorRegistrationForm(request.POST)
    if form.is_valid():
        try:
            ticket = actions.register(
                session,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                channel=Registration.Channel.DOOR,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s registered: %(status)s.")
                % {"name": ticket.name, "status": ticket.get_status_display()},
            )
    else:
        messages.error(request, _("Write the participant's name and mobile phone number."))
    return redirect("literacy:class-staff", session_id=session.pk)


@require_http_methods(["GET", "POST"])
def checkin_page(request: StaffRequest, session_id: int) -> HttpResponse:
    session = access.get_class_for_user(request.user, session_id, door=True)
    form = ScanForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        answer = actions.scan(
            session,
            nonce=form.cleaned_data["nonce"],
            secret=form.cleaned_data["code"],
            scanned_at=timezone.now(),
            actor=request.user,
        )
    fresh = ScanForm(initial={"nonce": secrets.token_hex(16)})
    counted = session.checkins.filter(result=CheckIn.Result.OK).count()
    context = {
        "session": session,
        "form": fresh,
        "answer": answer,
        "counted": counted,
        "errors": form.errors if request.method == "POST" else None,
    }
    return render(request, "literacy/checkin.html", context)


@require_POST
def checkin_sync(request: StaffRequest, session_id: int) -> HttpResponse:
    """The scanner page's stored scans: ``{"scans": [{"nonce", "code", "scanned_at"}]}``."""
    session = access.get_class_for_user(request.user, session_id, door=True)
    scans = _scans(request.body)
    if scans is None:
        return JsonResponse(
            {"error": _("The scans could not be read; nothing was stored.")}, status=400
        )
    results = [_one(session, scan, request) for scan in scans]
    return JsonResponse({"results": results})


def _scans(body: bytes) -> list[dict[str, Any]] | None:
    try:
        scans = json.loads(body or b"{}").get("scans")
    except (ValueError, AttributeError):
        return None
    valid = isinstance(scans, list) and len(scans) <= MAX_SCANS
    if not valid or not all(
        isinstance(s, dict) and isinstance(s.get("nonce"), str) and isinstance(s.get("code"), str)
        for s in scans
    ):
        return None
    return scans


def _one(session: ClassSession, scan: dict[str, Any], request: StaffRequest) -> dict[str, Any]:
    raw = scan.get("scanned_at")
    when = parse_datetime(raw) if isinstance(raw, str) else None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when)
    try:
        answer = actions.scan(
            session,
            nonce=scan["nonce"],
            secret=scan["code"],
            scanned_at=when or timezone.now(),
            actor=request.user,
        )
    except ValidationError as error:
        return {"nonce": scan["nonce"], "status": "refused", "reason": error.messages[0]}
    return {
        "nonce": scan["nonce"],  # as sent: the phone drops the scans answered
        "status": answer.status,
        "reason": answer.reason,
        "name": answer.name,
        "replayed": answer.replayed,
    }
