"""Disdukcapil decides: send back, duplicates, validation, registration into the
people register (through people.actions), the akta and its certificates."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.births import tokens
from kotacerdas.births.actions.base import locked, sms_parent
from kotacerdas.births.certificates import shown_on_certificate
from kotacerdas.births.models import AktaCounter, Certificate, Declaration
from kotacerdas.births.tasks import render_certificate
from kotacerdas.people import actions as register_actions
from kotacerdas.people.models import Citizen, Person


def send_back(
    declaration: Declaration, reason: str, *, actor: User, request: HttpRequest | None
) -> Declaration:
    with transaction.atomic():
        declaration = locked(
            declaration, Declaration.Status.SUBMITTED, Declaration.Status.VALIDATED
        )
        declaration.status = Declaration.Status.NEEDS_CHANGES
        declaration.changes_reason = reason
        declaration.validated_at = declaration.validated_by = None
        declaration.save()
        record("birth.send_back", obj=declaration, request=request)
        sms_parent(
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
        declaration = locked(declaration, Declaration.Status.SUBMITTED)
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
        declaration = locked(declaration, Declaration.Status.SUBMITTED)
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
        declaration = locked(declaration, Declaration.Status.VALIDATED)
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
        declaration = locked(declaration, Declaration.Status.VALIDATED)
        if declaration.needs_late_approval:
            raise ValidationError(_("A late registration needs the approval first."))
        # The register's own action: the family card (new for a new No. KK), the
        # child, the birth event and its audit event.
        child = register_actions.record_birth(
            family=declaration.family,
            kk_number=declaration.kk_number,
            rt=declaration.rt,
            address=declaration.address,
            nik=child_nik,
            name=declaration.child_name,
            sex=declaration.child_sex,
            birth_date=declaration.birth_date,
            birth_place=declaration.birth_place,
            actor=actor,
            request=request,
            source="births",
            note=declaration.reference,
        )
        declaration.family, declaration.child = child.family, child
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
        sms_parent(
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
        token=tokens.new_token(),
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
        declaration = locked(declaration, Declaration.Status.REGISTERED)
        child = Person.objects.select_for_update().get(pk=declaration.child_id)
        if child.nik:
            raise ValidationError(_("The child already has a NIK in the register."))
        with translation.override(settings.LANGUAGE_CODE):  # the register's note
            reason = _("NIK given after registration (%(ref)s)") % {"ref": declaration.reference}
        child = register_actions.correct_person(
            child,
            changes={"nik": nik},
            reason=reason,
            actor=actor,
            request=request,
            source="births",
        )
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
