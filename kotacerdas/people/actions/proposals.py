"""Register changes proposed at the RW and decided at the kelurahan.

An RW operator's birth, death, move in or out, family split or correction is
stored first as a :class:`~kotacerdas.people.models.Proposal` (``propose``),
exactly as entered. The kelurahan officer approves it (``approve``: applied
through the register actions, which record the life events, in one transaction
with the decision) or returns it with a reason (``return_proposal``). A proposal
that the register refuses on approval (the NIK was taken meanwhile, the person
has died) stays pending and the officer sees why; nothing is half-applied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.people.actions.register import (
    CORRECTABLE_FIELDS,
    add_to_family,
    correct_person,
    record_birth,
    record_death,
    record_move_in,
    record_move_out,
)
from kotacerdas.people.identity import check_kk
from kotacerdas.people.models import Family, Person, Proposal

SOURCE = "proposal"
Kind = Proposal.Kind


def propose(
    kind: str,
    *,
    actor: User,
    rt: Any,
    data: dict[str, Any],
    person: Person | None = None,
    family: Family | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Proposal:
    """Store a proposed change for the kelurahan to decide (one per person and kind)."""
    if person is not None and _pending(person=person, kind=kind):
        raise ValidationError(
            _("The same change for this person is already waiting for the kelurahan."),
            code="pending",
        )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            kind=kind,
            rt=rt,
            person=person,
            family=family,
            data=_jsonable(data),
            reason=reason.strip()[:300],
            proposed_by=actor,
        )
        record("people.proposal.create", obj=proposal, request=request, actor=actor, kind=kind)
    return proposal


def approve(proposal: Proposal, *, actor: User, request: HttpRequest | None = None) -> Proposal:
    """Apply the change through the register actions and record the decision."""
    with transaction.atomic():
        proposal = _locked_pending(proposal)
        result = APPLY[Kind(proposal.kind)](proposal, actor, request)
        proposal.status = Proposal.Status.APPROVED
        proposal.decided_by, proposal.decided_at = actor, timezone.now()
        if isinstance(result, Person):
            proposal.result_person = result
        elif isinstance(result, Family):
            proposal.result_family = result
        proposal.save()
        record("people.proposal.approve", obj=proposal, request=request, actor=actor)
    return proposal


def return_proposal(
    proposal: Proposal, *, actor: User, note: str, request: HttpRequest | None = None
) -> Proposal:
    """Send the proposal back to the RW with the reason; the register is unchanged."""
    if not note.strip():
        raise ValidationError(_("Give the reason for returning it to the RW."), code="note")
    with transaction.atomic():
        proposal = _locked_pending(proposal)
        proposal.status = Proposal.Status.RETURNED
        proposal.decided_by, proposal.decided_at = actor, timezone.now()
        proposal.decision_note = note.strip()[:300]
        proposal.save()
        record("people.proposal.return", obj=proposal, request=request, actor=actor)
    return proposal


def _pending(*, person: Person, kind: str) -> bool:
    return Proposal.objects.filter(
        person=person, kind=kind, status=Proposal.Status.PENDING
    ).exists()


def _locked_pending(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError(
            _("This proposal has already been decided (%(status)s).")
            % {"status": proposal.get_status_display()},
            code="decided",
        )
    return proposal


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in data.items()
    }


def _date(proposal: Proposal, key: str = "date") -> dt.date:
    return dt.date.fromisoformat(proposal.data[key])


def _person(proposal: Proposal) -> Person:
    assert proposal.person is not None
    return proposal.person


def _apply_birth(proposal: Proposal, actor: User, request: HttpRequest | None) -> Person:
    data = proposal.data
    return record_birth(
        name=data["name"],
        sex=data["sex"],
        birth_date=_date(proposal, "birth_date"),
        birth_place=data["birth_place"],
        nik=data.get("nik", ""),
        family=proposal.family,
        actor=actor,
        note=proposal.reason,
        request=request,
        source=SOURCE,
    )


def _apply_death(proposal: Proposal, actor: User, request: HttpRequest | None) -> Person:
    return record_death(
        _person(proposal),
        date=_date(proposal),
        note=proposal.reason,
        actor=actor,
        request=request,
        source=SOURCE,
    )


def _apply_move_out(proposal: Proposal, actor: User, request: HttpRequest | None) -> Person:
    return record_move_out(
        _person(proposal),
        date=_date(proposal),
        note=proposal.reason,
        actor=actor,
        request=request,
        source=SOURCE,
    )


def _apply_move_in(proposal: Proposal, actor: User, request: HttpRequest | None) -> Person:
    data = proposal.data
    new = {key: data[key] for key in ("nik", "name", "sex", "birth_place") if key in data}
    new["birth_date"] = _date(proposal, "birth_date")
    return record_move_in(
        new=new,
        date=_date(proposal),
        family=proposal.family,
        relationship=data.get("relationship", ""),
        rt=proposal.rt,
        address=data.get("address", "") or (proposal.family.address if proposal.family else ""),
        note=proposal.reason,
        actor=actor,
        request=request,
        source=SOURCE,
    )


def _apply_correction(proposal: Proposal, actor: User, request: HttpRequest | None) -> Person:
    changes = dict(proposal.data["changes"])
    if "birth_date" in changes:
        changes["birth_date"] = dt.date.fromisoformat(changes["birth_date"])
    return correct_person(
        _person(proposal),
        changes={k: v for k, v in changes.items() if k in CORRECTABLE_FIELDS},
        reason=proposal.reason,
        actor=actor,
        request=request,
        source=SOURCE,
    )


def _apply_split(proposal: Proposal, actor: User, request: HttpRequest | None) -> Family:
    """A new family card for some members of ``proposal.family``, at its address."""
    old = proposal.family
    assert old is not None
    number = proposal.data["kk_number"]
    check = check_kk(number)
    if not check.valid:
        raise ValidationError(check.errors, code="kk")
    try:
        with transaction.atomic():
            family = Family.objects.create(
                kk_number=number,
                rt=proposal.rt,
                address=proposal.data.get("address") or old.address,
            )
    except IntegrityError:
        raise ValidationError(
            _("This family card number is already in the register."), code="kk_taken"
        ) from None
    record("family.create", obj=family, request=request, actor=actor, proposal=proposal.pk)
    members: dict[str, str] = proposal.data["members"]
    people = Person.objects.filter(pk__in=[int(pk) for pk in members], family=old)
    if people.count() != len(members):
        raise ValidationError(
            _("Some of the members are no longer on the old family card."), code="members"
        )
    for person in people:
        add_to_family(
            person,
            family=family,
            relationship=members[str(person.pk)],
            actor=actor,
            note=proposal.reason,
            request=request,
            source=SOURCE,
        )
    return family


APPLY = {
    Kind.BIRTH: _apply_birth,
    Kind.DEATH: _apply_death,
    Kind.MOVE_IN: _apply_move_in,
    Kind.MOVE_OUT: _apply_move_out,
    Kind.CORRECTION: _apply_correction,
    Kind.SPLIT: _apply_split,
}

__all__ = ["APPLY", "approve", "propose", "return_proposal"]
