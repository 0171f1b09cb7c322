"""The chain's pages for staff: the queue, starting a request, a request's page and its steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import StaffRequest, memberships
from kotacerdas.accounts.models import Role
from kotacerdas.core.pagination import paginate
from kotacerdas.kelurahan import access
from kotacerdas.kelurahan.actions import letters as letter_actions
from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.catalogue import REQUIREMENTS
from kotacerdas.kelurahan.forms import ReasonForm, RequestForm, UploadForm
from kotacerdas.kelurahan.models import LetterRequest, LetterType
from kotacerdas.people.models import Person

Status = LetterRequest.Status
PER_PAGE = 30


def queue(request: StaffRequest) -> HttpResponse:
    """Requests of the user's area by status, the late ones first in their own list."""
    access.require_reader(request.user)
    mine = access.requests_for_user(request.user)
    status = request.GET.get("status", "")
    shown = mine.filter(status=status) if status in Status.values else mine
    counts = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    late = actions.late(mine).select_related("letter_type", "rw", "kelurahan").order_by("due_on")
    page = paginate(
        shown.select_related("letter_type", "rw", "kelurahan"),
        ("-created_at", "-pk"),
        request.GET.get("page"),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "kelurahan/queue.html",
        {
            "page": page,
            "late": late[:50],
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "may_start": access.starts_requests(request.user),
            "office": access.works_in_office(request.user),
            "today": timezone.localdate(),
        },
    )


def new_request(request: StaffRequest) -> HttpResponse:
    """Start a request for a resident found by NIK (posted, never in the URL)."""
    if not access.starts_requests(request.user):
        raise PermissionDenied
    types = LetterType.objects.filter(active=True)
    letter_type = types.filter(code=request.GET.get("jenis", "")).first()
    if letter_type is None:
        return render(request, "kelurahan/choose_type.html", {"types": types})
    form = RequestForm(letter_type, request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = get_object_or_404(
            access.residents_for_user(request.user), nik=form.cleaned_data["nik"]
        )
        try:
            created = actions.start(
                letter_type=letter_type,
                person=person,
                data=form.extra(),
                persons=_persons(form, letter_type),
                channel=_channel(request.user),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Request %(code)s started.") % {"code": created.code})
            return redirect("kelurahan:request", request_id=created.pk)
    return render(
        request, "kelurahan/request_form.html", {"form": form, "letter_type": letter_type}
    )


def _persons(form: RequestForm, letter_type: LetterType) -> dict[str, Person]:
    """The other persons a letter pulls (mother, father, reporter), found in the whole register."""
    found: dict[str, Person] = {}
    for role in letter_type.persons:
        nik = form.cleaned_data.get(f"{role}_nik")
        if nik:
            person = Person.objects.filter(nik=nik).first()
            if person is None:
                raise ValidationError(
                    _("No resident has the NIK given for the %(role)s.") % {"role": role}
                )
            found[role] = person
    return found


def _channel(user: Any) -> str:
    rw = any(m.role == Role.RW_OPERATOR for m in memberships(user))
    return LetterRequest.Channel.RW if rw else LetterRequest.Channel.COUNTER


def request_detail(request: StaffRequest, request_id: int) -> HttpResponse:
    letter_request = access.get_request_for_user(request.user, request_id)
    user = request.user
    return render(
        request,
        "kelurahan/request_detail.html",
        {
            "r": letter_request,
            "steps": letter_request.steps.select_related("actor"),
            "attachments": letter_request.attachments.defer("content"),
            "requirements": [
                (k, REQUIREMENTS.get(k, k)) for k in letter_request.letter_type.requirements
            ],
            "letters": letter_request.letters.order_by("-version").defer("pdf", "scan"),
            "may_check": access.may_act(user, letter_request, "operator"),
            "may_endorse": access.may_act(user, letter_request, "sekretaris"),
            "may_approve": access.may_act(user, letter_request, "lurah"),
            "office": access.is_office_of(user, letter_request),
            "may_write": _may_write(user, letter_request),
            "is_lurah": access.may_act(user, letter_request, "lurah"),
            "upload_form": UploadForm(letter_request.letter_type.requirements),
            "reason_form": ReasonForm(),
        },
    )


def _may_write(user: Any, letter_request: LetterRequest) -> bool:
    try:
        access.get_request_for_user(user, letter_request.pk, write=True)
    except PermissionDenied:
        return False
    return True


@require_POST
def act(request: StaffRequest, request_id: int, step: str) -> HttpResponse:
    """One step of the chain: check, endorse, approve, return, resubmit, cancel, hand over."""
    letter_request = access.get_request_for_user(request.user, request_id, write=True)
    user, reason = request.user, request.POST.get("reason", "")
    try:
        if step == "check":
            access.require_step(user, letter_request, "operator")
            actions.check(letter_request.pk, user, request.POST.getlist("seen"))
        elif step == "endorse":
            access.require_step(user, letter_request, "sekretaris")
            actions.endorse(letter_request.pk, user)
        elif step == "approve":
            access.require_step(user, letter_request, "lurah")
            letter_actions.finalise(letter_actions.approve(letter_request.pk, user))
        elif step == "return":
            access.require_step(user, letter_request, letter_request.awaiting)
            actions.send_back(letter_request.pk, user, reason)
        elif step in ("resubmit", "cancel", "hand-over"):
            _counter_step(request, letter_request, step, reason)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("kelurahan:request", request_id=letter_request.pk)


def _counter_step(
    request: StaffRequest, letter_request: LetterRequest, step: str, reason: str
) -> None:
    if step == "resubmit":
        actions.resubmit(letter_request.pk, request.user)
        return
    if not access.is_office_of(request.user, letter_request):
        raise PermissionDenied
    if step == "cancel":
        actions.cancel(letter_request.pk, request.user, reason)
    else:
        actions.hand_over(letter_request.pk, request.user)


@require_POST
def upload(request: StaffRequest, request_id: int) -> HttpResponse:
    letter_request = access.get_request_for_user(request.user, request_id, write=True)
    form = UploadForm(letter_request.letter_type.requirements, request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            actions.attach(
                letter_request.pk,
                form.cleaned_data["requirement"],
                file.name,
                file.checked_content_type,
                file.read(),
                request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("kelurahan:request", request_id=letter_request.pk)


def attachment(request: StaffRequest, request_id: int, attachment_id: int) -> HttpResponse:
    letter_request = access.get_request_for_user(request.user, request_id)
    found = get_object_or_404(letter_request.attachments, pk=attachment_id)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="lampiran-{found.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def late_list(request: StaffRequest) -> HttpResponse:
    access.require_reader(request.user)
    late = actions.late(access.requests_for_user(request.user))
    return render(
        request,
        "kelurahan/late.html",
        {
            "late": late.select_related("letter_type", "rw", "kelurahan").order_by("due_on"),
            "today": timezone.localdate(),
            "by_kelurahan": late.values("kelurahan__name").annotate(n=Count("pk")).filter(~Q(n=0)),
        },
    )
