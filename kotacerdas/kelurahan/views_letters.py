"""Issued letters: the PDF, revocation, correction, the hand-signed scan, the public check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.audit.actions import client_address
from kotacerdas.core import limits
from kotacerdas.core.uploads import checked_content_type
from kotacerdas.kelurahan import access, tokens
from kotacerdas.kelurahan.actions import letters as actions
from kotacerdas.kelurahan.models import Letter


def pdf_response(letter: Letter) -> HttpResponse:
    response = HttpResponse(actions.pdf_of(letter), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="surat-{letter.request.code}-{letter.version}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def letter_pdf(request: StaffRequest, letter_id: int) -> HttpResponse:
    return pdf_response(access.get_letter_for_user(request.user, letter_id))


@require_POST
def revoke(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = access.get_letter_for_user(request.user, letter_id, lurah=True)
    try:
        actions.revoke(letter.pk, request.user, request.POST.get("reason", ""))
        messages.success(request, _("The letter is revoked; its verification page says so."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("kelurahan:request", request_id=letter.request_id)


@require_POST
def correct(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = access.get_letter_for_user(request.user, letter_id, lurah=True)
    data = {f["name"]: request.POST.get(f["name"], "") for f in letter.letter_type.extra_fields}
    try:
        new = actions.correct(letter.pk, request.user, data, request.POST.get("reason", ""))
        actions.finalise(new)
        messages.success(request, _("The corrected letter is issued; the old one is superseded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("kelurahan:request", request_id=letter.request_id)


@require_POST
def attach_scan(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = access.get_letter_for_user(request.user, letter_id)
    access.get_request_for_user(request.user, letter.request_id, write=True)
    upload = request.FILES.get("scan")
    try:
        if upload is None:
            raise ValidationError(_("Choose the scanned file."))
        kind = checked_content_type(upload, ("pdf", "jpg", "jpeg", "png"))
        if kind is None:
            raise ValidationError(_("Send a PDF, JPG or PNG file."))
        actions.attach_scan(letter.pk, request.user, upload.read(), kind)
        messages.success(request, _("The signed scan is attached."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("kelurahan:request", request_id=letter.request_id)


@login_not_required
def verify(request: HttpRequest, token: str = "") -> HttpResponse:
    """Public: what the QR opens. Status, number, date, signer, the PDF's SHA-256, masked name."""
    typed = token or request.GET.get("kode", "")
    context: dict[str, object] = {"typed": typed}
    if typed:
        if not limits.hit("letter_verify", client_address(request) or "-"):
            return render(request, "kelurahan/verify.html", {"limited": True}, status=429)
        letter = (
            Letter.objects.select_related("letter_type")
            .defer("pdf", "scan", "data")
            .filter(token=tokens.canonical(typed)[:40])
            .first()
        )
        context |= {
            "letter": letter,
            "unknown": letter is None,
            "code": tokens.grouped(letter.token) if letter else "",
        }
    response = render(
        request,
        "kelurahan/verify.html",
        context,
        status=200 if context.get("letter") or not typed else 404,
    )
    response["Cache-Control"] = "no-store"
    return response
