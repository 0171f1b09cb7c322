"""Every change to birth declarations and certificates goes through here."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Unit, User
from kotacerdas.audit.actions import record
from kotacerdas.births import dedup
from kotacerdas.births.certificates import shown_on_certificate
from kotacerdas.births.forms import DeclarationForm, DocumentForm
from kotacerdas.births.models import (
    AktaCounter,
    BirthDocument,
    Certificate,
    Channel,
    Correction,
    Declaration,
    PossibleDuplicate,
)
from kotacerdas.births.requirements import missing_documents
from kotacerdas.births.tasks import render_certificate
from kotacerdas.core.locks import hold
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.people.actions import record_life_event
from kotacerdas.people.models import Citizen, Family, LifeEvent, Person, Relationship

logger = logging.getLogger(__name__)
# No 0/O, 1/I/L: read aloud over the phone and typed from an SMS.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _nik_taken() -> str:
    return _("This NIK already belongs to someone in the register.")


def new_reference() -> str:
    return "BRJ-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _sms(declaration: Declaration, message: Callable[[], str], purpose: str) -> None:
    """Tell the parent's number; never with names or numbers of the family in it.

    ``message`` gives the text with %(ref)s and %(url)s, in the site's language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = message() % {"ref": declaration.reference, "url": _account_url()}
    try:
        send_sms(declaration.parent_phone, text, purpose=purpose, related=declaration)
    except (RateLimited, ValidationError):
        logger.info("No %s SMS for declaration %s", purpose, declaration.pk)


def _account_url() -> str:
    return settings.BIRTHS_PUBLIC_BASE_URL.rstrip("/") + reverse("births:start")


# Declaring -------------------------------------------------------------------


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
    declaration.rt = form.rt
    declaration.family = form.family
    # A citizen gives the address themself: the register's is never shown to them.
    if form.family is not None and not declaration.address and citizen is None:
        declaration.address = form.family.address
    declaration.mother = Person.objects.filter(nik=declaration.mother_nik).first()
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
        if (creating and citizen is None) or phone_changed:
            _sms_started(declaration)
    return declaration


def _sms_started(declaration: Declaration) -> None:
    _sms(
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


# Disdukcapil -----------------------------------------------------------------


def _locked(declaration: Declaration, *statuses: str) -> Declaration:
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.status not in statuses:
        raise ValidationError(
            _("This report is now “%(status)s”; someone may have acted on it already.")
            % {"status": locked.get_status_display()}
        )
    return locked


def send_back(
    declaration: Declaration, reason: str, *, actor: User, request: HttpRequest | None
) -> Declaration:
    with transaction.atomic():
        declaration = _locked(
            declaration, Declaration.Status.SUBMITTED, Declaration.Status.VALIDATED
        )
        declaration.status = Declaration.Status.NEEDS_CHANGES
        declaration.changes_reason = reason
        declaration.validated_at = declaration.validated_by = None
        declaration.save()
        record("birth.send_back", obj=declaration, request=request)
        _sms(
            declaration,
            lambda: _(
                "Brojol Aja Klalen: birth report %(ref)s needs changes. Sign in with this "
                "number to see what to change: %(url)s",
            ),
            "births:changes",
        )
    return declaration


def decide_duplicate(
    declaration: Declaration,
    *,
    duplicate: bool,
    duplicate_of: Declaration | None,
    actor: User,
    request: HttpRequest | None,
) -> Declaration:
    with transaction.atomic():
        declaration = _locked(declaration, Declaration.Status.SUBMITTED)
        if not declaration.potential_duplicate:
            raise ValidationError(_("This report is not marked as a possible duplicate."))
        declaration.potential_duplicate = False
        if duplicate:
            declaration.status = Declaration.Status.DUPLICATE
            declaration.duplicate_of = duplicate_of
        declaration.save()
        record(
            "birth.duplicate" if duplicate else "birth.not_duplicate",
            obj=declaration,
            request=request,
            duplicate_of=duplicate_of.pk if duplicate_of else None,
        )
    return declaration


def validate(declaration: Declaration, *, actor: User, request: HttpRequest | None) -> Declaration:
    with transaction.atomic():
        declaration = _locked(declaration, Declaration.Status.SUBMITTED)
        if declaration.potential_duplicate:
            raise ValidationError(_("Decide on the possible duplicate first."))
        declaration.status = Declaration.Status.VALIDATED
        declaration.validated_by, declaration.validated_at = actor, timezone.now()
        declaration.save()
        record("birth.validate", obj=declaration, request=request, late=declaration.late)
    return declaration


def approve_late(
    declaration: Declaration, *, actor: User, request: HttpRequest | None
) -> Declaration:
    """The Kepala Dinas's decision for a late registration, recorded by a registrar."""
    with transaction.atomic():
        declaration = _locked(declaration, Declaration.Status.VALIDATED)
        if not declaration.needs_late_approval:
            raise ValidationError(_("This report needs no late-registration approval."))
        declaration.late_approved_by, declaration.late_approved_at = actor, timezone.now()
        declaration.save()
        record("birth.approve_late", obj=declaration, request=request)
    return declaration


def next_akta_number(*, late: bool) -> str:
    """The next akta number of today. Call inside ``atomic()``: the day's counter
    row stays locked until the registering transaction ends."""
    today = timezone.localdate()
    AktaCounter.objects.get_or_create(day=today)
    counter = AktaCounter.objects.select_for_update().get(day=today)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.BIRTHS_AKTA_FORMAT.format(
        city=settings.BIRTHS_CITY_CODE,
        kind="LT" if late else "LU",
        date=today.strftime("%d%m%Y"),
        number=counter.last,
    )


def register(
    declaration: Declaration, *, child_nik: str = "", actor: User, request: HttpRequest | None
) -> Declaration:
    """Register the birth: the child joins the register and the family card, a
    birth life event is recorded, the akta number drawn and the certificate issued."""
    with transaction.atomic():
        declaration = _locked(declaration, Declaration.Status.VALIDATED)
        if declaration.needs_late_approval:
            raise ValidationError(_("A late registration needs the approval first."))
        family = (
            declaration.family or Family.objects.filter(kk_number=declaration.kk_number).first()
        )
        if family is None:
            if declaration.rt is None:  # sending requires it; never reached from the queues
                raise ValidationError(_("The family's address is missing."))
            family = Family.objects.create(
                kk_number=declaration.kk_number, rt=declaration.rt, address=declaration.address
            )
            record("family.create", obj=family, request=request, actor=actor, source="births")
        try:
            with transaction.atomic():
                child = Person.objects.create(
                    nik=child_nik or None,
                    name=declaration.child_name,
                    sex=declaration.child_sex,
                    birth_date=declaration.birth_date,
                    birth_place=declaration.birth_place,
                    rt=family.rt,
                    address=family.address,
                    family=family,
                    relationship=Relationship.CHILD,
                )
        except IntegrityError:  # the NIK was given to someone else meanwhile
            raise ValidationError(_nik_taken()) from None
        record_life_event(
            child,
            kind=LifeEvent.Kind.BIRTH,
            date=declaration.birth_date,
            note=declaration.reference,
            actor=actor,
            request=request,
            source="births",
        )
        declaration.family, declaration.child = family, child
        declaration.akta_number = next_akta_number(late=declaration.late)
        declaration.status = Declaration.Status.REGISTERED
        declaration.registered_by, declaration.registered_at = actor, timezone.now()
        declaration.save()
        record(
            "birth.register",
            obj=declaration,
            request=request,
            actor=actor,
            child=child.pk,
            akta_number=declaration.akta_number,
        )
        issue_certificate(declaration, actor=actor)
        _sms(
            declaration,
            lambda: _(
                "Brojol Aja Klalen: the birth certificate for report %(ref)s is ready. Sign in "
                "with this number to download it: %(url)s",
            ),
            "births:registered",
        )
    return declaration


def issue_certificate(declaration: Declaration, *, actor: User) -> Certificate:
    """A new certificate version; the one it replaces is superseded. Call inside ``atomic()``."""
    previous = (
        Certificate.objects.select_for_update().filter(declaration=declaration).order_by("-version")
    )
    latest = previous.first()
    now = timezone.now()
    Certificate.objects.filter(declaration=declaration, status=Certificate.Status.VALID).update(
        status=Certificate.Status.SUPERSEDED, changed_at=now
    )
    certificate = Certificate.objects.create(
        declaration=declaration,
        version=latest.version + 1 if latest else 1,
        token=secrets.token_urlsafe(16),
        akta_number=declaration.akta_number or "",
        shown=shown_on_certificate(declaration),
        registrar_name=actor.get_full_name() or actor.get_username(),
        issued_by=actor,
        issued_at=now,
    )
    record("birth.certificate", obj=declaration, actor=actor, version=certificate.version)
    transaction.on_commit(partial(render_certificate.enqueue, certificate.pk))
    return certificate


def set_child_nik(
    declaration: Declaration, nik: str, *, actor: User, request: HttpRequest
) -> Person:
    with transaction.atomic():
        declaration = _locked(declaration, Declaration.Status.REGISTERED)
        child = Person.objects.select_for_update().get(pk=declaration.child_id)
        if child.nik:
            raise ValidationError(_("The child already has a NIK in the register."))
        child.nik = nik
        try:
            with transaction.atomic():
                child.save(update_fields=["nik", "updated_at"])
        except IntegrityError:
            raise ValidationError(_nik_taken()) from None
        record("birth.child_nik", obj=declaration, request=request, child=child.pk)
    return child


def mark_printed(
    certificate: Certificate, *, actor: User, request: HttpRequest | None
) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.VALID:
            raise ValidationError(_("Only a valid certificate is printed."))
        certificate.printed_at, certificate.printed_by = timezone.now(), actor
        certificate.save(update_fields=["printed_at", "printed_by"])
        record(
            "birth.print",
            obj=certificate.declaration,
            request=request,
            version=certificate.version,
        )
    return certificate


def record_certificate_download(
    certificate: Certificate, *, request: HttpRequest | None, citizen: Citizen | None = None
) -> None:
    record(
        "birth.certificate_read",
        obj=certificate.declaration,
        request=request,
        citizen=citizen.pk if citizen else None,
        version=certificate.version,
    )


def revoke(
    certificate: Certificate, reason: str, *, actor: User, request: HttpRequest | None
) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.VALID:
            raise ValidationError(_("This certificate is no longer valid."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_reason, certificate.changed_at = reason, timezone.now()
        certificate.save(update_fields=["status", "revoked_reason", "changed_at"])
        record(
            "birth.revoke",
            obj=certificate.declaration,
            request=request,
            version=certificate.version,
        )
    return certificate


# Corrections (pembetulan) ------------------------------------------------------


def request_correction(
    declaration: Declaration,
    changes: dict[str, list[str]],
    reason: str,
    *,
    request: HttpRequest | None,
    user: User | None = None,
    citizen: Citizen | None = None,
) -> Correction:
    if declaration.status != Declaration.Status.REGISTERED:
        raise ValidationError(_("Only a registered birth can be corrected."))
    if not changes:
        raise ValidationError(_("Nothing was changed: change the data that is wrong."))
    with transaction.atomic():
        _require_valid_certificate(declaration)
        if declaration.corrections.filter(status=Correction.Status.REQUESTED).exists():
            raise ValidationError(
                _("A correction of this birth is already waiting for a registrar.")
            )
        correction = Correction.objects.create(
            declaration=declaration,
            changes=changes,
            reason=reason,
            requested_by=user,
            requested_by_citizen=citizen,
        )
        record(
            "birth.correction_request",
            obj=declaration,
            request=request,
            citizen=citizen.pk if citizen else None,
            fields=sorted(changes),
        )
    return correction


def decide_correction(
    correction: Correction, *, approve: bool, note: str, actor: User, request: HttpRequest
) -> Correction:
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status != Correction.Status.REQUESTED:
            raise ValidationError(_("This correction has already been decided."))
        declaration = _locked(correction.declaration, Declaration.Status.REGISTERED)
        correction.status = Correction.Status.APPROVED if approve else Correction.Status.REJECTED
        correction.decided_by, correction.decided_at = actor, timezone.now()
        correction.decision_note = note
        correction.save()
        if approve:
            # A correction never brings a revoked akta back into force.
            _require_valid_certificate(declaration)
            _apply(declaration, correction.changes)
            issue_certificate(declaration, actor=actor)
        record(
            "birth.correction_approve" if approve else "birth.correction_reject",
            obj=declaration,
            request=request,
            correction=correction.pk,
        )
    return correction


def _require_valid_certificate(declaration: Declaration) -> None:
    if not Certificate.objects.filter(
        declaration=declaration, status=Certificate.Status.VALID
    ).exists():
        raise ValidationError(
            _("The certificate of this birth has been revoked: it cannot be corrected.")
        )


def _apply(declaration: Declaration, changes: dict[str, Any]) -> None:
    from kotacerdas.births.forms import CorrectionForm

    data = {name: getattr(declaration, name) for name in CorrectionForm.Meta.fields}
    data.update({name: new for name, (_old, new) in changes.items()})
    form = CorrectionForm(data=data, instance=declaration)
    # Validated when requested; the form turns the stored text back into values.
    form.fields["reason"].required = False
    if not form.is_valid():
        raise ValidationError(
            _("The correction is no longer valid: %(errors)s") % {"errors": form.errors.as_text()}
        )
    declaration.save()
    child = declaration.child
    if child is not None:
        child.name, child.sex, child.birth_date = (
            declaration.child_name,
            declaration.child_sex,
            declaration.birth_date,
        )
        child.save(update_fields=["name", "sex", "birth_date", "updated_at"])
        # The register's birth event follows the corrected date (the audit keeps the old one).
        LifeEvent.objects.filter(
            person=child, kind=LifeEvent.Kind.BIRTH, note=declaration.reference
        ).update(date=declaration.birth_date)
