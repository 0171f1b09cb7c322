"""Issuing letters: the Lurah's approval, the PDF and its signature, revocation, correction.

``approve`` is one transaction: it locks the request (two approvals at once
issue one letter: the second finds it no longer awaiting the Lurah), takes the
number from the kelurahan's counter and stores the letter with its frozen data
and template version. ``finalise`` runs after the commit and outside any
transaction: it renders the PDF, stores it, then (where BSrE is configured)
sends it to be signed and stores the signed PDF as returned: store → call → record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.kelurahan import numbering, pdf, signing, tokens
from kotacerdas.kelurahan.actions.requests import _expect, _step, check_living
from kotacerdas.kelurahan.letterdata import letter_data, mask_name, mask_nik
from kotacerdas.kelurahan.models import Letter, LetterRequest
from kotacerdas.messaging.actions import send_sms

Status = LetterRequest.Status


def signer_of(user: Any, request: LetterRequest) -> tuple[str, str]:
    return (user.get_full_name() or user.get_username(), f"Lurah {request.kelurahan.name}")


def approve(request_id: int, user: Any) -> Letter:
    """The Lurah approves: the letter is numbered and issued; the applicant is told by SMS."""
    with transaction.atomic():
        request = _expect(request_id, Status.SIGNING, LetterRequest.Awaiting.LURAH)
        check_living(request.person)
        letter = _issue(request, user, issued_on=timezone.localdate())
        request.status, request.awaiting = Status.READY, LetterRequest.Awaiting.NOBODY
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "awaiting", "finished_at"])
        _step(request, "approved", user)
        _tell_ready(request)
    return letter


def _issue(request: LetterRequest, user: Any, *, issued_on: dt.date) -> Letter:
    letter_type = request.letter_type
    template = letter_type.current_version()
    if template is None:
        raise ValidationError(_("This letter type has no published text yet."), code="no_template")
    scope = numbering.letter_scope(letter_type.code)
    sequence = numbering.take(request.kelurahan, issued_on.year, scope)
    number = numbering.format_number(
        letter_type.number_format or settings.KELURAHAN_NUMBER_FORMAT,
        sequence=sequence,
        code=letter_type.classification,
        kelurahan=request.kelurahan,
        date=issued_on,
    )
    valid_until = issued_on + dt.timedelta(days=letter_type.validity_days)
    signer_name, signer_title = signer_of(user, request)
    letter = Letter.objects.create(
        request=request,
        letter_type=letter_type,
        template=template,
        kelurahan=request.kelurahan,
        year=issued_on.year,
        sequence=sequence,
        scope=scope,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
        data=letter_data(
            request,
            number=number,
            issued_on=issued_on,
            valid_until=valid_until,
            signer_name=signer_name,
            signer_title=signer_title,
        ),
        masked_name=mask_name(request.person.name),
        masked_nik=mask_nik(request.person.nik or ""),
        signer_name=signer_name,
        signer_title=signer_title,
        token=tokens.new_token(),
        issued_by=user,
    )
    record("kelurahan.letter_issued", actor=user, obj=letter, request_id=request.pk, number=number)
    return letter


def _tell_ready(request: LetterRequest) -> None:
    phone = (request.citizen.phone if request.citizen_id else "") or request.person.phone  # type: ignore[union-attr]
    if not phone:
        return
    text = _(
        "Your letter (%(type)s, code %(code)s) is ready. Download it or collect it at the kelurahan."
    ) % {
        "type": request.letter_type.title,
        "code": request.code,
    }
    # Not a mobile number, or too many SMS this hour: the status page still says it.
    with contextlib.suppress(ValidationError):
        send_sms(phone, text, purpose="kelurahan_letter_ready", related=request)


def finalise(letter: Letter) -> Letter:
    """Render and store the PDF, then have it signed where BSrE is configured.

    Never inside a transaction: the BSrE call may take seconds and must not
    hold row locks (``signing.sign`` refuses to run inside one).
    """
    if letter.pdf is None:
        content = pdf.render(letter)
        Letter.objects.filter(pk=letter.pk, pdf__isnull=True).update(
            pdf=content, pdf_sha256=hashlib.sha256(content).hexdigest()
        )
        letter.refresh_from_db(fields=["pdf", "pdf_sha256"])
    signer = signing.configured_signer(letter.kelurahan_id)
    if signer is not None and not letter.signed_electronically:
        try:
            signed = signer.sign(bytes(letter.pdf))  # type: ignore[arg-type]
        except signing.SigningFailed as failure:
            record("kelurahan.letter_sign_failed", obj=letter, error=str(failure)[:200])
            return letter
        with transaction.atomic():
            Letter.objects.filter(pk=letter.pk).update(
                pdf=signed,
                pdf_sha256=hashlib.sha256(signed).hexdigest(),
                signed_electronically=True,
            )
            record("kelurahan.letter_signed", obj=letter, via="bsre")
        letter.refresh_from_db(fields=["pdf", "pdf_sha256", "signed_electronically"])
    return letter


def pdf_of(letter: Letter) -> bytes:
    if letter.pdf is None:
        finalise(letter)
    return bytes(letter.pdf)  # type: ignore[arg-type]


def revoke(letter_id: int, user: Any, reason: str) -> Letter:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the letter is revoked."), code="reason")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status != Letter.Status.VALID:
            raise ValidationError(_("This letter is no longer valid."), code="state")
        letter.status, letter.status_reason = Letter.Status.REVOKED, reason[:300]
        letter.save(update_fields=["status", "status_reason"])
        record("kelurahan.letter_revoked", actor=user, obj=letter, reason=reason[:100])
    return letter


def correct(letter_id: int, user: Any, data: dict[str, str], reason: str) -> Letter:
    """A new version with corrected extra fields and the same number; the old one is superseded."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what the correction is."), code="reason")
    with transaction.atomic():
        old = (
            Letter.objects.select_for_update()
            .select_related("request", "letter_type")
            .get(pk=letter_id)
        )
        if old.status != Letter.Status.VALID:
            raise ValidationError(_("Only a valid letter can be corrected."), code="state")
        fields = {f["name"] for f in old.letter_type.extra_fields}
        changed = {
            k: str(v).strip()[:300] for k, v in data.items() if k in fields and str(v).strip()
        }
        new = Letter.objects.get(pk=old.pk)
        new.pk, new.version, new.token = None, old.version + 1, tokens.new_token()
        new.data = old.data | changed
        new.template = old.letter_type.current_version() or old.template
        new.pdf, new.pdf_sha256, new.signed_electronically, new.scan = None, "", False, None
        new.issued_by, new.status, new.status_reason = user, Letter.Status.VALID, ""
        new.save(force_insert=True)
        old.status, old.status_reason = Letter.Status.SUPERSEDED, reason[:300]
        old.save(update_fields=["status", "status_reason"])
        record(
            "kelurahan.letter_corrected",
            actor=user,
            obj=new,
            supersedes=old.pk,
            reason=reason[:100],
        )
    return new


def attach_scan(letter_id: int, user: Any, content: bytes, content_type: str) -> Letter:
    """Without BSrE: the letter printed, signed by hand and stamped, scanned back."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        letter.scan, letter.scan_type = content, content_type
        letter.save(update_fields=["scan", "scan_type"])
        record("kelurahan.letter_scan_attached", actor=user, obj=letter)
    return letter
