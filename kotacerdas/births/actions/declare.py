"""A birth is declared: the report, its documents, sending it, and the parent's claim
of a report staff started."""

from __future__ import annotations

import hmac
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Unit, User
from kotacerdas.audit.actions import record
from kotacerdas.births import dedup, steps
from kotacerdas.births.actions.base import new_reference, sms_parent
from kotacerdas.births.forms import DeclarationForm, DocumentForm
from kotacerdas.births.models import BirthDocument, Channel, Declaration, PossibleDuplicate
from kotacerdas.births.requirements import missing_documents
from kotacerdas.core.locks import hold
from kotacerdas.people.models import Citizen, Person


def save_declaration(
    form: DeclarationForm,
    *,
    request: HttpRequest | None,
    user: User | None = None,
    unit: Unit | None = None,
    citizen: Citizen | None = None,
) -> Declaration:
    """Create or update a declaration (a draft until submitted) from a valid form."""
    declaration: Declaration = form.instance
    creating = declaration.pk is None
    key = form.cleaned_data.get("submission_key") or None if creating else None
    if key and (earlier := _earlier(key, user, citizen)) is not None:
        return earlier
    if not creating and not declaration.is_editable:
        raise ValidationError(_("This report has been sent and can no longer be changed."))
    if "kk_number" in form.fields:  # the family card's step (or the whole form)
        declaration.rt = form.rt
        declaration.family = form.family
    # A citizen gives the address themself: the register's is never shown to them.
    if form.family is not None and not declaration.address and citizen is None:
        declaration.address = form.family.address
    declaration.mother = (
        Person.objects.filter(nik=declaration.mother_nik).first()
        if declaration.mother_nik
        else None
    )
    declaration.father = (
        Person.objects.filter(nik=declaration.father_nik).first()
        if declaration.father_nik
        else None
    )
    declaration.late = declaration.reported_late()
    phone_changed = (
        not creating
        and citizen is None
        and declaration.declared_by_citizen_id is None
        and "parent_phone" in form.changed_data
    )
    if phone_changed:
        # A new number: whoever claimed the report with the old one no longer sees it.
        declaration.claimed_by, declaration.claimed_at, declaration.claim_failures = None, None, 0
    if creating:
        declaration.idempotency_key = key
        if citizen is not None:
            declaration.channel = Channel.PARENT
            declaration.declared_by_citizen = citizen
            declaration.parent_phone = citizen.phone
        else:
            assert user is not None and unit is not None
            declaration.channel = (
                Channel.FACILITY if unit.kind in ("puskesmas", "hospital") else Channel.AREA
            )
            declaration.declared_by, declaration.declared_by_unit = user, unit
    with transaction.atomic():
        if creating and citizen is not None:
            _check_open_drafts(citizen)
        for _attempt in range(5):
            if creating:
                declaration.reference = new_reference()
            try:
                with transaction.atomic():
                    declaration.save()
                break
            except IntegrityError:
                if not creating:
                    raise
                if key and (earlier := _earlier(key, user, citizen)) is not None:
                    return earlier  # the same form, sent twice at once
        else:
            raise RuntimeError("Could not draw a free reference")
        record(
            "birth.create" if creating else "birth.update",
            obj=declaration,
            request=request,
            citizen=citizen.pk if citizen else None,
            fields=sorted(form.changed_data),
        )
        # Staff give the parent's number on the reporter's step: the SMS goes once it is there.
        if (creating and citizen is None and declaration.parent_phone) or phone_changed:
            _sms_started(declaration)
    return declaration


def _sms_started(declaration: Declaration) -> None:
    sms_parent(
        declaration,
        lambda: _(
            "Brojol Aja Klalen: birth report %(ref)s has been started for this number. "
            "Sign in with this number to complete it: %(url)s",
        ),
        "births:started",
    )


# The parent claims a staff-started report ----------------------------------------


def claim_declaration(
    declaration: Declaration, citizen: Citizen, nik: str, *, request: HttpRequest | None
) -> bool:
    """Open a staff-started report to the citizen who gives the mother's or father's NIK.

    Failed attempts are counted on the report; after BIRTHS_CLAIM_MAX_ATTEMPTS
    it stays locked until staff open it again (``reopen_claim``).
    """
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.claimed_by_id is not None or locked.declared_by_citizen_id is not None:
            raise ValidationError(_("This report can no longer be claimed."))
        if locked.claim_failures >= settings.BIRTHS_CLAIM_MAX_ATTEMPTS:
            raise ValidationError(claim_locked_message())
        given = nik.strip().encode()
        matches = [
            hmac.compare_digest(given, known.encode())
            for known in (locked.mother_nik, locked.father_nik)
            if known
        ]
        if any(matches):
            locked.claimed_by, locked.claimed_at = citizen, timezone.now()
            locked.claim_failures = 0
            locked.save(update_fields=["claimed_by", "claimed_at", "claim_failures", "updated_at"])
            record("birth.claim", obj=locked, request=request, citizen=citizen.pk)
        else:
            locked.claim_failures += 1
            locked.save(update_fields=["claim_failures", "updated_at"])
            record(
                "birth.claim_failed",
                obj=locked,
                request=request,
                citizen=citizen.pk,
                failures=locked.claim_failures,
            )
    declaration.claimed_by, declaration.claimed_at = locked.claimed_by, locked.claimed_at
    declaration.claim_failures = locked.claim_failures
    return locked.claimed_by_id is not None


def claim_locked_message() -> str:
    return _(
        "Too many wrong NIKs were entered for this report. Ask the midwife or the kelurahan "
        "that started it to send it to you again."
    )


def reopen_claim(declaration: Declaration, *, actor: User, request: HttpRequest | None) -> None:
    """Staff reset the claim (after a lock or a wrong number) and tell the number again."""
    with transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).update(
            claimed_by=None, claimed_at=None, claim_failures=0, updated_at=timezone.now()
        )
        declaration.claimed_by, declaration.claimed_at, declaration.claim_failures = None, None, 0
        record("birth.claim_reopen", obj=declaration, request=request)
        _sms_started(declaration)


def _check_open_drafts(citizen: Citizen) -> None:
    """A citizen keeps a few drafts open at once, not an unlimited pile (disk, register)."""
    hold(f"births-drafts-{citizen.pk}")
    open_drafts = Declaration.objects.filter(
        declared_by_citizen=citizen, status=Declaration.Status.DRAFT
    ).count()
    if open_drafts >= settings.BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN:
        raise ValidationError(
            _(
                "You already have %(count)d unsent drafts. Finish and send one of them, "
                "or ask the kelurahan to close it, before starting another report."
            )
            % {"count": open_drafts}
        )


def _earlier(key: str, user: User | None, citizen: Citizen | None) -> Declaration | None:
    """The draft this form already saved, if the same person sent it."""
    earlier = Declaration.objects.filter(idempotency_key=key).first()
    if earlier is None:
        return None
    if (citizen is not None and earlier.declared_by_citizen_id != citizen.pk) or (
        citizen is None and (user is None or earlier.declared_by_id != user.pk)
    ):
        raise ValidationError(_("This form was already used; open the new report page again."))
    return earlier


def add_document(
    declaration: Declaration,
    form: DocumentForm,
    *,
    request: HttpRequest | None,
    user: User | None = None,
    citizen: Citizen | None = None,
) -> BirthDocument:
    if not declaration.is_editable:
        raise ValidationError(_("This report has been sent and can no longer be changed."))
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        # The same file sent twice (a double click, a retry) is kept once.
        Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
        same = declaration.documents.filter(kind=form.cleaned_data["kind"], sha256=form.sha256)
        if (earlier := same.first()) is not None:
            return earlier
        if declaration.documents.count() >= settings.BIRTHS_MAX_DOCUMENTS_PER_DECLARATION:
            raise ValidationError(
                _(
                    "This report already has %(count)d documents, the most it can hold. "
                    "Remove a document you do not need before adding another."
                )
                % {"count": settings.BIRTHS_MAX_DOCUMENTS_PER_DECLARATION}
            )
        if (
            declaration.documents.filter(kind=form.cleaned_data["kind"]).count()
            >= settings.BIRTHS_MAX_DOCUMENTS_PER_KIND
        ):
            raise ValidationError(
                _(
                    "This report already has %(count)d documents of this kind, the most it "
                    "can hold. Remove one before adding another."
                )
                % {"count": settings.BIRTHS_MAX_DOCUMENTS_PER_KIND}
            )
        document = BirthDocument(
            declaration=declaration,
            kind=form.cleaned_data["kind"],
            original_name=(upload.name or "")[-200:],
            content_type=form.content_type,
            size=upload.size,
            sha256=form.sha256,
            uploaded_by=user,
        )
        document.file.save(document.original_name, upload, save=False)
        try:
            document.save()
            record(
                "birth.document",
                obj=declaration,
                request=request,
                citizen=citizen.pk if citizen else None,
                document=document.pk,
                kind=document.kind,
            )
        except Exception:
            # Nothing half-saved: no row, so no file either.
            document.file.delete(save=False)
            raise
    return document


def remove_document(
    document: BirthDocument, *, request: HttpRequest | None, citizen: Citizen | None = None
) -> None:
    declaration = document.declaration
    if not declaration.is_editable:
        raise ValidationError(_("This report has been sent and can no longer be changed."))
    with transaction.atomic():
        record(
            "birth.document_remove",
            obj=declaration,
            request=request,
            citizen=citizen.pk if citizen else None,
            document=document.pk,
        )
        document.delete()
        transaction.on_commit(partial(document.file.delete, save=False))


def record_document_read(
    document: BirthDocument, *, request: HttpRequest | None, citizen: Citizen | None = None
) -> None:
    record(
        "birth.document_read",
        obj=document.declaration,
        request=request,
        citizen=citizen.pk if citizen else None,
        document=document.pk,
    )


def submit(
    declaration: Declaration, *, request: HttpRequest | None, citizen: Citizen | None = None
) -> Declaration:
    """Send a complete declaration to Disdukcapil; look for duplicates on the way."""
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if not declaration.is_editable:
            raise ValidationError(_("This report has already been sent."))
        declaration.late = declaration.reported_late()
        if unfinished := steps.unfinished(declaration):
            raise ValidationError(
                _("Fill in these steps first: %(list)s.")
                % {"list": "; ".join(str(step.title) for step in unfinished)}
            )
        missing = missing_documents(declaration)
        if missing:
            raise ValidationError(
                _("Still missing: %(list)s.") % {"list": "; ".join(str(m.text) for m in missing)}
            )
        declaration.status = Declaration.Status.SUBMITTED
        declaration.changes_reason = ""
        declaration.submitted_at = declaration.submitted_at or timezone.now()
        declaration.possible_duplicates.all().delete()
        # The reason is stored as text for the registrar: in the office's language,
        # whatever language the parent's page was in.
        with translation.override(settings.LANGUAGE_CODE):
            matches = dedup.find_duplicates(declaration)
        PossibleDuplicate.objects.bulk_create(
            PossibleDuplicate(
                declaration=declaration,
                other=match.other,
                other_person=match.person,
                reason=match.reason[:200],
            )
            for match in matches
        )
        declaration.potential_duplicate = bool(matches)
        declaration.save()
        record(
            "birth.submit",
            obj=declaration,
            request=request,
            citizen=citizen.pk if citizen else None,
            late=declaration.late,
            possible_duplicates=len(matches),
        )
    return declaration
