"""A request's way along the chain: start, attach, check, endorse, approve, return, cancel, hand over.

Each function is one transaction that locks the request row, checks the
request is at the step the caller acts on, records a ``RequestStep`` and an
audit event, and sends any SMS after the commit (messaging stores it first).
Access (who may act) is the views' job through ``kelurahan.access``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.kelurahan import tokens
from kotacerdas.kelurahan.catalogue import PERSON_ROLES, REQUIREMENTS
from kotacerdas.kelurahan.models import Attachment, LetterRequest, LetterType, RequestStep
from kotacerdas.people.models import Citizen, Person
from kotacerdas.workdays.calendar import add_working_days

Status = LetterRequest.Status
Awaiting = LetterRequest.Awaiting


def _step(
    request: LetterRequest, action: str, actor: Any, reason: str = "", label: str = ""
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    RequestStep.objects.create(
        request=request,
        action=action,
        actor=user,
        actor_label=label or (user.get_full_name() or user.get_username() if user else ""),
        reason=reason,
    )
    record(f"kelurahan.request_{action}", actor=user, obj=request, reason=reason[:100])


def _locked(request_id: int) -> LetterRequest:
    return (
        LetterRequest.objects.select_for_update()
        .select_related("letter_type", "person", "kelurahan", "rw")
        .get(pk=request_id)
    )


def check_living(person: Person) -> None:
    if person.status != Person.Status.ALIVE:
        raise ValidationError(
            _("%(name)s is recorded as %(status)s: no letter can be requested for this resident.")
            % {"name": person.name, "status": person.get_status_display().lower()},
            code="not_living",
        )


def missing_requirements(request: LetterRequest) -> list[str]:
    have = set(request.attachments.values_list("requirement", flat=True)) | set(
        request.seen_on_paper
    )
    return [key for key in request.letter_type.requirements if key not in have]


def _missing_message(missing: Collection[str]) -> str:
    return _("Requirements missing: %(names)s.") % {
        "names": ", ".join(str(REQUIREMENTS.get(key, key)) for key in missing)
    }


def start(
    *,
    letter_type: LetterType,
    person: Person,
    data: dict[str, str],
    persons: dict[str, Person],
    channel: str,
    user: Any = None,
    citizen: Citizen | None = None,
) -> LetterRequest:
    """A new request. Online requests wait for their uploads (Belum lengkap);
    the RW and the counter see the papers, so theirs go straight to checking."""
    check_living(person)
    if channel == LetterRequest.Channel.ONLINE and not letter_type.citizen_may_request:
        raise ValidationError(
            _("This letter cannot be requested online; ask at the RW or the kelurahan counter."),
            code="not_online",
        )
    for role in persons:
        if role not in PERSON_ROLES or role not in letter_type.persons:
            raise ValidationError(_("This letter pulls no %(role)s.") % {"role": role})
    missing = [
        f["label"] for f in letter_type.extra_fields if not str(data.get(f["name"], "")).strip()
    ]
    if missing:
        raise ValidationError(
            _("Please fill in: %(fields)s.") % {"fields": ", ".join(missing)}, code="fields"
        )
    online = channel == LetterRequest.Channel.ONLINE
    with transaction.atomic():
        request = LetterRequest.objects.create(
            code=tokens.new_request_code(),
            letter_type=letter_type,
            person=person,
            persons={role: p.pk for role, p in persons.items()},
            data={f["name"]: str(data[f["name"]]).strip()[:300] for f in letter_type.extra_fields},
            rw=person.rt.rw,
            kelurahan=person.rt.rw.kelurahan,
            channel=channel,
            status=Status.INCOMPLETE if online else Status.CHECKING,
            awaiting=Awaiting.NOBODY if online else Awaiting.OPERATOR,
            created_by=user if user is not None and user.is_authenticated else None,
            citizen=citizen,
        )
        if not online:
            _submitted(request)
            request.save(update_fields=["submitted_on", "due_on"])
        _step(request, "started", user, label=_("Citizen online") if citizen else "")
    return request


def _submitted(request: LetterRequest) -> None:
    today = timezone.localdate()
    request.submitted_on = today
    request.due_on = add_working_days(today, request.letter_type.service_days)


def attach(
    request_id: int, requirement: str, name: str, content_type: str, content: bytes, actor: Any
) -> Attachment:
    """Store a requirement's file (already sniffed by the form)."""
    with transaction.atomic():
        request = _locked(request_id)
        if requirement not in request.letter_type.requirements:
            raise ValidationError(
                _("This letter does not ask for that document."), code="requirement"
            )
        if request.status not in (Status.INCOMPLETE, Status.CHECKING):
            raise ValidationError(_("Documents can only be added before the request is checked."))
        attachment = Attachment.objects.create(
            request=request,
            requirement=requirement,
            file_name=name[:200],
            content_type=content_type,
            content=content,
        )
        record(
            "kelurahan.attachment_added",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            obj=request,
            requirement=requirement,
        )
    return attachment


def submit(request_id: int, actor: Any = None) -> LetterRequest:
    """The citizen sends a complete request to the kelurahan (Belum lengkap → Diperiksa)."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != Status.INCOMPLETE:
            raise ValidationError(_("This request has already been sent."), code="state")
        check_living(request.person)
        missing = missing_requirements(request)
        if missing:
            raise ValidationError(_missing_message(missing), code="missing")
        request.status, request.awaiting, request.reason = Status.CHECKING, Awaiting.OPERATOR, ""
        _submitted(request)
        request.save(update_fields=["status", "awaiting", "reason", "submitted_on", "due_on"])
        _step(request, "submitted", actor, label=_("Citizen online"))
    return request


def check(request_id: int, user: Any, seen_on_paper: Collection[str]) -> LetterRequest:
    """The kelurahan operator finds every requirement uploaded or seen on paper."""
    with transaction.atomic():
        request = _expect(request_id, Status.CHECKING, Awaiting.OPERATOR)
        check_living(request.person)
        request.seen_on_paper = [k for k in request.letter_type.requirements if k in seen_on_paper]
        missing = missing_requirements(request)
        if missing:
            raise ValidationError(_missing_message(missing), code="missing")
        request.status, request.awaiting = Status.SIGNING, Awaiting.SEKRETARIS
        request.save(update_fields=["seen_on_paper", "status", "awaiting"])
        _step(request, "checked", user)
    return request


def endorse(request_id: int, user: Any) -> LetterRequest:
    """The Sekretaris Lurah passes the request to the Lurah."""
    with transaction.atomic():
        request = _expect(request_id, Status.SIGNING, Awaiting.SEKRETARIS)
        request.awaiting = Awaiting.LURAH
        request.save(update_fields=["awaiting"])
        _step(request, "endorsed", user)
    return request


def _expect(request_id: int, status: str, awaiting: str) -> LetterRequest:
    request = _locked(request_id)
    if request.status != status or request.awaiting != awaiting:
        raise ValidationError(
            _("This request is no longer at this step (it is now: %(status)s).")
            % {"status": request.get_status_display()},
            code="state",
        )
    return request


def send_back(request_id: int, user: Any, reason: str) -> LetterRequest:
    """Any step returns the request to whoever started it, with the reason (Belum lengkap)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the request is returned."), code="reason")
    with transaction.atomic():
        request = _locked(request_id)
        if request.status not in (Status.CHECKING, Status.SIGNING):
            raise ValidationError(
                _("Only a request being checked or signed can be returned."), code="state"
            )
        request.status, request.awaiting, request.reason = (
            Status.INCOMPLETE,
            Awaiting.NOBODY,
            reason[:300],
        )
        request.save(update_fields=["status", "awaiting", "reason"])
        _step(request, "returned", user, reason)
    return request


def resubmit(request_id: int, user: Any) -> LetterRequest:
    """The RW or counter sends a returned request back for checking."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != Status.INCOMPLETE:
            raise ValidationError(_("This request has already been sent."), code="state")
        check_living(request.person)
        request.status, request.awaiting = Status.CHECKING, Awaiting.OPERATOR
        if request.submitted_on is None:
            _submitted(request)
        request.save(update_fields=["status", "awaiting", "submitted_on", "due_on"])
        _step(request, "resubmitted", user)
    return request


def cancel(request_id: int, actor: Any, reason: str, *, label: str = "") -> LetterRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the request is cancelled."), code="reason")
    with transaction.atomic():
        request = _locked(request_id)
        if not request.is_open:
            raise ValidationError(_("This request is already finished."), code="state")
        request.status, request.awaiting, request.reason = (
            Status.CANCELLED,
            Awaiting.NOBODY,
            reason[:300],
        )
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "awaiting", "reason", "finished_at"])
        _step(request, "cancelled", actor, reason, label=label)
    return request


def hand_over(request_id: int, actor: Any, *, label: str = "") -> LetterRequest:
    """Siap diambil → Diambil: handed over at the counter, or downloaded by the citizen."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != Status.READY:
            return request
        request.status = Status.COLLECTED
        request.save(update_fields=["status"])
        _step(request, "collected", actor, label=label)
    return request


def late(queryset: Any, today: dt.date | None = None) -> Any:
    """Open requests past their service level (due in working days)."""
    today = today or timezone.localdate()
    return queryset.filter(status__in=[Status.CHECKING, Status.SIGNING], due_on__lt=today)
