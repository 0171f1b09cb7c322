"""The classes for citizens: upcoming classes, registration by phone code, the ticket with its
QR, cancelling, the quizzes, the certificate; the public certificate check and mini-index."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.core import tokens
from kotacerdas.literacy import certificates
from kotacerdas.literacy import index as mini_index
from kotacerdas.literacy.actions import classes as actions
from kotacerdas.literacy.actions import quizzes
from kotacerdas.literacy.forms_classes import OnlineRegistrationForm, QuizForm
from kotacerdas.literacy.models import ClassCertificate, ClassSession, Pillar, Quiz, Registration
from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people.access import current_citizen
from kotacerdas.people.models import Citizen

UPCOMING = 100


def _ticket(request: HttpRequest, code: str) -> tuple[Citizen, Registration] | HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    if not tokens.is_token(code):
        raise Http404
    found = (
        Registration.objects.select_related("session", "session__kelurahan")
        .filter(citizen=citizen, code=code)
        .first()
    )
    if found is None:
        raise Http404
    return citizen, found


@login_not_required
def class_list(request: HttpRequest) -> HttpResponse:
    upcoming = (
        ClassSession.objects.filter(status=ClassSession.Status.OPEN, ends_at__gt=timezone.now())
        .select_related("kelurahan")
        .order_by("starts_at", "pk")[:UPCOMING]
    )
    return render(request, "literacy/class_list.html", {"classes": upcoming})


@login_not_required
@require_http_methods(["GET", "POST"])
def class_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(ClassSession.objects.select_related("kelurahan"), pk=session_id)
    citizen = current_citizen(request)
    if request.method == "POST" and citizen is None:
        return to_citizen_sign_in(request)
    form = OnlineRegistrationForm(request.POST or None)
    if request.method == "POST" and citizen is not None and form.is_valid():
        try:
            ticket = actions.register(
                session,
                name=form.cleaned_data["name"],
                phone=citizen.phone,
                channel=Registration.Channel.ONLINE,
                citizen=citizen,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("literacy:ticket", code=ticket.code)
    taken = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    mine = (
        citizen
        and session.registrations.filter(citizen=citizen)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    context = {
        "session": session,
        "form": form,
        "citizen": citizen,
        "mine": mine,
        "seats_left": max(session.capacity - taken, 0),
    }
    return render(request, "literacy/class_detail.html", context)


@login_not_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    tickets = Registration.objects.filter(citizen=citizen).select_related("session")
    return render(request, "literacy/my_tickets.html", {"tickets": tickets.order_by("-pk")[:50]})


@login_not_required
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    found = _ticket(request, code)
    if isinstance(found, HttpResponse):
        return found
    _citizen, registration = found
    attended = registration.attended
    done = set(registration.submissions.values_list("quiz_id", flat=True))
    context = {
        "ticket": registration,
        "session": registration.session,
        "qr": certificates.qr_svg(registration.code, scale=6),
        "grouped": tokens.grouped(registration.code),
        "attended": attended,
        "quizzes": [(q, q.pk in done) for q in quizzes.quizzes_for(registration)],
    }
    return render(request, "literacy/ticket.html", context)


@login_not_required
@require_POST
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    found = _ticket(request, code)
    if isinstance(found, HttpResponse):
        return found
    try:
        actions.cancel(found[1])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Ticket cancelled. Thank you for letting us know."))
    return redirect("literacy:ticket", code=code)


@login_not_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    found = _ticket(request, code)
    if isinstance(found, HttpResponse):
        return found
    try:
        certificate = actions.certificate_for(found[1])
    except ValidationError as error:
        context = {"ticket": found[1], "reason": error.messages[0]}
        return render(request, "literacy/certificate_refused.html", context, status=403)
    response = HttpResponse(certificates.render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="sertifikat-cirebon-melet.pdf"'
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def quiz_take(request: HttpRequest, code: str, quiz_id: int) -> HttpResponse:
    found = _ticket(request, code)
    if isinstance(found, HttpResponse):
        return found
    registration = found[1]
    quiz = get_object_or_404(Quiz, pk=quiz_id, active=True)
    refused = quizzes.refusal(quiz, registration)
    form = QuizForm(quiz, request.POST or None)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            done = quizzes.submit(quiz, registration, form.answers())
        except ValidationError as error:
            refused = error.messages[0]
        else:
            messages.success(
                request,
                _("Answers sent: %(correct)s of %(total)s right.")
                % {"correct": done.correct, "total": done.total},
            )
            return redirect("literacy:ticket", code=code)
    context = {"quiz": quiz, "ticket": registration, "form": form, "refused": refused}
    return render(
        request,
        "literacy/quiz.html",
        context,
        status=409 if refused and request.method == "POST" else 200,
    )


@login_not_required
@never_cache
def certificate_verify_form(request: HttpRequest) -> HttpResponse:
    typed = tokens.canonical(request.GET.get("kode", ""))
    if tokens.is_token(typed):
        return redirect("literacy:certificate-verify", token=typed)
    if typed:  # not even the shape of a code
        context = {"typed": request.GET["kode"][:64]}
        return render(request, "literacy/certificate_verify.html", context, status=404)
    return render(request, "literacy/certificate_verify.html", {"form_only": True})


@login_not_required
@never_cache
def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """What the QR opens: valid and what the certificate shows, or not found (a forged code)."""
    canon = tokens.canonical(token)
    found = ClassCertificate.objects.filter(token=canon) if tokens.is_token(canon) else None
    certificate = found.first() if found is not None else None
    if certificate is None:
        return render(
            request, "literacy/certificate_verify.html", {"typed": token[:64]}, status=404
        )
    context = {
        "certificate": certificate,
        "shown": certificate.shown,
        "day": dt.date.fromisoformat(certificate.shown["date"]),
        "code": tokens.grouped(certificate.token),
    }
    return render(request, "literacy/certificate_verify.html", context)


@login_not_required
def literacy_index(request: HttpRequest) -> HttpResponse:
    context = {
        "cells": mini_index.cells(),
        "pillars": Pillar.choices,
        "threshold": settings.LITERACY_INDEX_MIN_COUNT,
    }
    return render(request, "literacy/literacy_index.html", context)
