"""Corrections (pembetulan) of a registered birth: requested, decided, applied to
the declaration, the register (through people.actions) and a new certificate."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.births.actions.base import locked
from kotacerdas.births.actions.registry import issue_certificate
from kotacerdas.births.models import Certificate, Correction, Declaration
from kotacerdas.people import actions as register_actions
from kotacerdas.people.models import Citizen


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
        declaration = locked(correction.declaration, Declaration.Status.REGISTERED)
        correction.status = Correction.Status.APPROVED if approve else Correction.Status.REJECTED
        correction.decided_by, correction.decided_at = actor, timezone.now()
        correction.decision_note = note
        correction.save()
        if approve:
            # A correction never brings a revoked akta back into force.
            _require_valid_certificate(declaration)
            _apply(declaration, correction, actor=actor, request=request)
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


def _apply(
    declaration: Declaration, correction: Correction, *, actor: User, request: HttpRequest
) -> None:
    from kotacerdas.births.forms import CorrectionForm

    data = {name: getattr(declaration, name) for name in CorrectionForm.Meta.fields}
    data.update({name: new for name, (_old, new) in correction.changes.items()})
    form = CorrectionForm(data=data, instance=declaration)
    # Validated when requested; the form turns the stored text back into values.
    form.fields["reason"].required = False
    if not form.is_valid():
        raise ValidationError(
            _("The correction is no longer valid: %(errors)s") % {"errors": form.errors.as_text()}
        )
    declaration.save()
    child = declaration.child
    if child is None:
        return
    # The register's own correction (its birth event follows a corrected date; the
    # audit keeps the old one), only for what changed in the child's record.
    changes = {
        field: value
        for field, value in (
            ("name", declaration.child_name),
            ("sex", declaration.child_sex),
            ("birth_date", declaration.birth_date),
        )
        if getattr(child, field) != value
    }
    if changes:
        register_actions.correct_person(
            child,
            changes=changes,
            reason=correction.reason,
            actor=actor,
            request=request,
            source="births",
        )
