from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.audit.actions import client_address
from kotacerdas.core.pagination import paginate
from kotacerdas.core.redirects import safe_next
from kotacerdas.messaging import access, actions
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.forms import CodeForm, LogFilterForm, PhoneForm
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.phones import mask_phone
from kotacerdas.people import actions as people_actions
from kotacerdas.people.access import persons_citizen_may_act_for
from kotacerdas.people.forms import CitizenLinkForm

PAGE_SIZE = 50
STATS_DAYS = 14
PHONE_SESSION_KEY = "citizen_sign_in_phone"
# Where to return after signing in (a path on this site), kept between the two steps.
NEXT_SESSION_KEY = "citizen_sign_in_next"


def message_log(request: StaffRequest) -> HttpResponse:
    """Every SMS in and out: numbers masked, texts never shown here."""
    log = access.messages_for_user(request.user)
    form = LogFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["direction"]:
            log = log.filter(direction=form.cleaned_data["direction"])
        if form.cleaned_data["status"]:
            log = log.filter(status=form.cleaned_data["status"])
    filtered = bool(form.is_bound and form.is_valid() and any(form.cleaned_data.values()))
    page = paginate(
        log,
        ("-created_at", "-id"),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        count_key=None if filtered else "sms-log-count",
    )
    since = timezone.now() - dt.timedelta(days=STATS_DAYS)
    per_day = (
        Message.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "direction", "purpose")
        .annotate(messages=Count("id"), segments=Sum("segments"))
        .order_by("-day", "direction", "purpose")
    )
    return render(
        request,
        "messaging/log.html",
        {
            "form": form,
            "page": page,
            "per_day": per_day,
            "stats_days": STATS_DAYS,
            "show_numbers": access.can_read_numbers(request.user),
            "can_operate": access.can_operate(request.user),
        },
    )


def failed_messages(request: StaffRequest) -> HttpResponse:
    failed = access.messages_for_user(request.user).filter(
        direction=Message.Direction.OUT, status=Message.Status.FAILED
    )
    page = paginate(failed, ("-created_at", "-id"), request.GET.get("page"), per_page=PAGE_SIZE)
    return render(
        request,
        "messaging/failed.html",
        {
            "page": page,
            "show_numbers": access.can_read_numbers(request.user),
            "can_operate": access.can_operate(request.user),
        },
    )


@require_POST
def resend(request: StaffRequest, message_id: int) -> HttpResponse:
    message = access.get_message_for_user(request.user, message_id, write=True)
    if message.direction != Message.Direction.OUT or message.status != Message.Status.FAILED:
        flash.error(request, _("Only a failed outgoing message can be sent again."))
    else:
        actions.resend(message, request=request)
        flash.success(
            request,
            _("The message to %(phone)s is queued again.") % {"phone": mask_phone(message.phone)},
        )
    return redirect("messaging:failed")


@login_not_required
def file_outbox(request: HttpRequest) -> HttpResponse:
    """For developers: what the file gateway 'sent' (DEBUG only; codes appear here)."""
    if not settings.DEBUG:
        raise Http404
    sent = list(reversed(FileAdapter().read()))[:100]
    return render(request, "messaging/file_outbox.html", {"sent": sent})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def citizen_sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: a mobile number. The answer never tells whether it is known."""
    form = PhoneForm(request.POST or None)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            actions.request_code(phone, client_address=client_address(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # In the session, not the URL: a phone number is personal data.
            request.session[PHONE_SESSION_KEY] = phone
            request.session[NEXT_SESSION_KEY] = next_url
            return redirect("messaging:citizen-code")
    return render(request, "messaging/citizen_sign_in.html", {"form": form, "next": next_url})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def citizen_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS."""
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect("messaging:citizen-sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            citizen = actions.verify_code(phone, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            request.session.cycle_key()
            request.session.pop(PHONE_SESSION_KEY, None)
            next_url = safe_next(request, request.session.pop(NEXT_SESSION_KEY, ""))
            request.session[access.CITIZEN_SESSION_KEY] = citizen.pk
            return HttpResponseRedirect(next_url or reverse("messaging:citizen-home"))
    return render(
        request,
        "messaging/citizen_code.html",
        {
            "form": form,
            "masked_phone": mask_phone(phone),
            "code_minutes": settings.OTP_CODE_MINUTES,  # as the SMS says
            "next": safe_next(request, request.session.get(NEXT_SESSION_KEY)),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def citizen_home(request: HttpRequest) -> HttpResponse:
    """The account: recent SMS, and its link to the register (asked once, by NIK)."""
    citizen = access.current_citizen(request)
    if citizen is None:
        return redirect("messaging:citizen-sign-in")
    form = CitizenLinkForm(request.POST or None) if citizen.person_id is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            people_actions.link_citizen(citizen, form.cleaned_data["nik"], request=request)
        except ValidationError as exc:
            form.add_error("nik", exc)
        else:
            flash.success(request, _("Your account is now linked to the population register."))
            return redirect("messaging:citizen-home")
    recent = Message.objects.filter(phone=citizen.phone, direction=Message.Direction.OUT)[:10]
    context = {
        "citizen": citizen,
        "recent": recent,
        "form": form,
        "acting_for": persons_citizen_may_act_for(citizen).order_by("birth_date", "pk"),
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "messaging/citizen_home.html", context, status=status)


@login_not_required
@require_POST
def citizen_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(access.CITIZEN_SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("web:home")
