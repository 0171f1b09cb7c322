"""The citizen's letters: request for self or family, upload requirements, follow, download.

Signed in with a phone code (``people.access.current_citizen``); a request is
the citizen's when it was made by this account or is for someone the account
acts for (``persons_citizen_may_act_for``): so a letter the RW started for a
resident is there for that resident to download. Anyone else's: 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.catalogue import REQUIREMENTS
from kotacerdas.kelurahan.forms import RequestForm, UploadForm
from kotacerdas.kelurahan.models import LetterRequest, LetterType
from kotacerdas.kelurahan.views_letters import pdf_response
from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people.access import current_citizen, persons_citizen_may_act_for
from kotacerdas.people.models import Citizen


def _requests_of(citizen: Citizen) -> QuerySet[LetterRequest]:
    return LetterRequest.objects.filter(
        Q(citizen=citizen) | Q(person__in=persons_citizen_may_act_for(citizen))
    ).select_related("letter_type", "person")


def _get(citizen: Citizen, code: str) -> LetterRequest:
    found = _requests_of(citizen).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@login_not_required
def my_letters(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    return render(
        request,
        "kelurahan/citizen_list.html",
        {
            "requests": _requests_of(citizen)[:50],
            "types": LetterType.objects.filter(active=True, citizen_may_request=True),
            "linked": persons_citizen_may_act_for(citizen).exists(),
        },
    )


@login_not_required
def citizen_new(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    letter_type = LetterType.objects.filter(
        active=True, citizen_may_request=True, code=request.GET.get("jenis", "")
    ).first()
    if letter_type is None:
        raise Http404
    people = persons_citizen_may_act_for(citizen).select_related("rt__rw__kelurahan")
    form = RequestForm(letter_type, request.POST or None, applicant_choices=people)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.start(
                letter_type=letter_type,
                person=form.cleaned_data["person"],
                data=form.extra(),
                persons={},
                channel=LetterRequest.Channel.ONLINE,
                citizen=citizen,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("kelurahan:citizen-request", code=created.code)
    return render(
        request,
        "kelurahan/request_form.html",
        {"form": form, "letter_type": letter_type, "citizen": True},
    )


@login_not_required
def citizen_request(request: HttpRequest, code: str) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    found = _get(citizen, code)
    letter = found.letters.filter(status="valid").defer("pdf", "scan").order_by("-version").first()
    have = set(found.attachments.values_list("requirement", flat=True))
    return render(
        request,
        "kelurahan/citizen_request.html",
        {
            "r": found,
            "letter": letter if found.status in ("ready", "collected") else None,
            "requirements": [
                (k, REQUIREMENTS.get(k, k), k in have) for k in found.letter_type.requirements
            ],
            "upload_form": UploadForm(found.letter_type.requirements),
            "steps": found.steps.all(),
        },
    )


@login_not_required
@require_POST
def citizen_act(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Upload a requirement, send the request, or cancel it."""
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    found = _get(citizen, code)
    try:
        if step == "upload":
            form = UploadForm(found.letter_type.requirements, request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
            file = form.cleaned_data["file"]
            actions.attach(
                found.pk,
                form.cleaned_data["requirement"],
                file.name,
                file.checked_content_type,
                file.read(),
                None,
            )
        elif step == "submit":
            actions.submit(found.pk)
        elif step == "cancel":
            actions.cancel(
                found.pk, None, request.POST.get("reason", ""), label=_("Citizen online")
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("kelurahan:citizen-request", code=found.code)


@login_not_required
def citizen_pdf(request: HttpRequest, code: str) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    found = _get(citizen, code)
    letter = found.letters.filter(status="valid").order_by("-version").first()
    if letter is None or found.status not in ("ready", "collected"):
        raise Http404
    response = pdf_response(letter)
    actions.hand_over(found.pk, None, label=_("Downloaded by the citizen"))
    return response
