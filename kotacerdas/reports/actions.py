"""Every change to reports and cases goes through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Membership, Unit, User
from kotacerdas.audit.actions import record
from kotacerdas.core import limits
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.messaging.models import Message
from kotacerdas.reports import deadlines
from kotacerdas.reports.codes import new_code
from kotacerdas.reports.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CasePerson,
    PupilReporter,
    Report,
    Stage,
)
from kotacerdas.reports.roles import ReportsRole
from kotacerdas.reports.stats import Period

logger = logging.getLogger(__name__)


def client_hash(address: str | None) -> str:
    """Counts reports per device without keeping anyone's address."""
    if not address:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


# The unit changes perhaps once in years; every report reads it.
CACHE_SECONDS = 300


def protection_unit() -> Unit:
    return cast(
        Unit,
        cache.get_or_set(
            f"wadul-unit:{settings.WADUL_UNIT_CODE}",
            lambda: Unit.objects.get(code=settings.WADUL_UNIT_CODE),
            CACHE_SECONDS,
        ),
    )


def file_report(
    fields: dict[str, Any],
    *,
    channel: str,
    sms: Message | None = None,
    client_address: str | None = None,
    device_limit: str = "wadul_reports_per_device",
) -> Report:
    """Store a report with a fresh tracking code; alert the duty officers if urgent.

    Refuses (ValidationError, nothing stored) a device or number that sent
    too many reports in the last hour (limits ``device_limit`` and
    ``wadul_reports_per_phone`` of settings.RATE_LIMITS).
    """
    hashed = client_hash(client_address)
    phone = fields.get("reporter_phone") or ""
    _refuse_a_flood(hashed, phone, device_limit)
    unit = protection_unit()
    verify_due = deadlines.verify_due(timezone.localdate())
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    tracking_code=new_code(),
                    channel=channel,
                    sms=sms,
                    unit=unit,
                    client_hash=hashed,
                    verify_due=verify_due,
                    **fields,
                )
                record("report.create", obj=report, channel=channel, urgent=report.urgent)
                if report.urgent:
                    _alert_duty_officers(report)
                if report.pupil_id is not None:
                    _tell_coordinators(report)
            return report
        except IntegrityError:
            # A tracking code collided (1 in 100 million); draw another.
            continue
    raise RuntimeError("Could not draw a free tracking code")


def _refuse_a_flood(hashed: str, phone: str, device_limit: str) -> None:
    # The shared limiter, not a count of stored reports: one place for every
    # limit, and no lock on the device and the number for the whole insert.
    if (hashed and not limits.hit(device_limit, hashed)) or (
        phone and not limits.hit("wadul_reports_per_phone", phone)
    ):
        raise ValidationError(
            _(
                "Too many reports were sent from here in the last hour. In an emergency "
                "call SAPA 129 or 112."
            ),
            code="flood",
        )


def _alert_duty_officers(report: Report) -> None:
    on_duty = (
        Membership.objects.filter(
            unit=report.unit, role=ReportsRole.PROTECTION_OFFICER, on_duty=True
        )
        .exclude(user__phone="")
        .select_related("user")
    )
    text = _("Wadul Bae: URGENT report %(code)s has arrived. Open the triage queue now.") % {
        "code": report.tracking_code
    }
    for membership in on_duty:
        _send_quietly(membership.user.phone, text, purpose="wadul:urgent", related=report)


def pupil_for_phone(phone: str) -> PupilReporter | None:
    """The active pupil reporter using this number who agreed by SMS, if any."""
    if not phone:
        return None
    return (
        PupilReporter.objects.filter(phone=phone, active=True, confirmed_at__isnull=False)
        .select_related("school")
        .first()
    )


def _tell_coordinators(report: Report) -> None:
    if report.school_id is None:
        return
    coordinators = (
        Membership.objects.filter(unit_id=report.school_id, role=ReportsRole.SCHOOL_COORDINATOR)
        .exclude(user__phone="")
        .select_related("user")
    )
    text = _("Wadul Bae: a pupil reporter of your school sent report %(code)s.") % {
        "code": report.tracking_code
    }
    for membership in coordinators:
        _send_quietly(membership.user.phone, text, purpose="wadul:school", related=report)


def register_pupil(
    *, school: Unit, name: str, class_name: str, phone: str, actor: User, request: HttpRequest
) -> PupilReporter:
    with transaction.atomic():
        pupil = PupilReporter.objects.create(
            school=school, name=name, class_name=class_name, phone=phone, registered_by=actor
        )
        record("pupil.register", obj=pupil, request=request)
        # The number's owner must agree before reports from it reach the school.
        _send_quietly(
            phone,
            _(
                "Wadul Bae: %(school)s registered this number as a school reporter; its "
                "reports would also reach the school. To agree, reply: PELAPOR YA"
            )
            % {"school": school.name},
            purpose="wadul:pupil",
            related=pupil,
        )
    return pupil


def answer_pupil_registration(phone: str, *, agree: bool) -> PupilReporter | None:
    """PELAPOR YA / PELAPOR TIDAK from the registered number."""
    with transaction.atomic():
        pupil = PupilReporter.objects.select_for_update().filter(phone=phone, active=True).first()
        if pupil is None:
            return None
        if agree:
            pupil.confirmed_at = timezone.now()
        else:
            pupil.active = False
        pupil.save(update_fields=["confirmed_at", "active"])
        record("pupil.agree" if agree else "pupil.decline", obj=pupil)
    return pupil


def deactivate_pupil(pupil: PupilReporter, *, request: HttpRequest) -> None:
    with transaction.atomic():
        pupil.active = False
        pupil.save(update_fields=["active"])
        record("pupil.deactivate", obj=pupil, request=request)


def open_case(
    report: Report, *, category: str, reason: str, actor: User, request: HttpRequest | None
) -> Case:
    """Triage: the report becomes a new case of its unit."""
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_for_triage(report)
        case = Case.objects.create(
            number=f"new-{report.tracking_code}",
            category=category,
            urgent=report.urgent,
            kelurahan=report.kelurahan,
            place=report.place,
            school=report.school,
            unit=report.unit,
            officer=actor,
            reported_at=report.created_at,
            verified_at=now,
            action_due=deadlines.action_due(timezone.localdate()),
        )
        # Numbered from the primary key: unique without a race between two officers.
        case.number = f"PPA-{timezone.localtime(now).year}-{case.pk:05d}"
        case.save(update_fields=["number"])
        _triaged(report, Report.Status.CASE, actor=actor, note=reason, case=case)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, text=reason)
        record("case.open", obj=case, request=request, report=report.pk)
    return case


def attach_to_case(
    report: Report, case: Case, *, reason: str, actor: User, request: HttpRequest | None
) -> Case:
    """Triage: a duplicate or a follow-up report joins an existing case of its own unit."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_for_triage(report)
        if case.unit_id != report.unit_id:
            raise ValidationError(
                _("A report can only join a case of its own protection unit."), code="other_unit"
            )
        _triaged(report, Report.Status.ATTACHED, actor=actor, note=reason, case=case)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.ATTACHED,
            actor=actor,
            text=f"{report.tracking_code}: {reason}",
        )
        record("report.attach", obj=report, request=request, case=case.pk)
    return case


def close_report(
    report: Report, *, close_reason: str, note: str, actor: User, request: HttpRequest | None
) -> Report:
    """Triage: not in scope, or spam; always with a reason."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_for_triage(report)
        report.close_reason = close_reason
        _triaged(report, Report.Status.CLOSED, actor=actor, note=note, case=None)
        record("report.close", obj=report, request=request, reason=close_reason)
    return report


def move_stage(
    case: Case, to_stage: str, *, reason: str, actor: User, request: HttpRequest | None
) -> Case:
    """Move a case to another stage (or reopen a closed one); the reporters hear the stage."""
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.stage == to_stage:
            raise ValidationError(_("The case is already at this stage."), code="same_stage")
        from_stage = case.stage
        case.stage = to_stage
        if from_stage == Stage.PENGADUAN and case.first_action_at is None:
            case.first_action_at = now
        case.closed_at = now if to_stage == Stage.SELESAI else None
        case.save(update_fields=["stage", "first_action_at", "closed_at"])
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.STAGE,
            actor=actor,
            from_stage=from_stage,
            to_stage=to_stage,
            text=reason,
        )
        record("case.stage", obj=case, request=request, from_stage=from_stage, to_stage=to_stage)
        label = Stage(to_stage).label
        for report in case.reports.exclude(reporter_phone=""):
            _send_quietly(
                report.reporter_phone,
                _("Wadul Bae %(code)s: your report is now at the stage: %(stage)s.")
                % {"code": report.tracking_code, "stage": label},
                purpose="wadul:stage",
                related=report,
            )
    return case


def add_event(
    case: Case,
    *,
    kind: str,
    text: str,
    actor: User,
    request: HttpRequest | None,
    referred_to: str = "",
) -> CaseEvent:
    """An internal note or a referral on the case's timeline."""
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case, kind=kind, actor=actor, text=text, referred_to=referred_to
        )
        record(f"case.{kind}", obj=case, request=request, event=event.pk)
    return event


def record_report_view(report: Report, *, actor: User, request: HttpRequest) -> None:
    """Opening a report (the reporter's words, maybe names) is audited."""
    record("report.view", actor=actor, obj=report, request=request)


def record_view(case: Case, *, actor: User, request: HttpRequest) -> None:
    """Every opening of a case is on its timeline and in the audit chain."""
    with transaction.atomic():
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.VIEWED, actor=actor)
        record("case.view", obj=case, request=request)


def _require_for_triage(report: Report) -> None:
    if report.status != Report.Status.FOR_TRIAGE:
        raise ValidationError(_("This report has already been triaged."), code="triaged")


def _triaged(report: Report, status: str, *, actor: User, note: str, case: Case | None) -> None:
    report.status = status
    report.case = case
    report.triage_note = note
    report.triaged_by = actor
    report.triaged_at = timezone.now()
    report.save(
        update_fields=["status", "case", "close_reason", "triage_note", "triaged_by", "triaged_at"]
    )


def _send_quietly(phone: str, text: str, *, purpose: str, related: Any) -> None:
    """An SMS that must not undo the change it reports (a bad number, a flood limit)."""
    try:
        send_sms(phone, text, purpose=purpose, related=related)
    except (RateLimited, ValidationError):
        logger.info("No %s SMS for %s %s", purpose, type(related).__name__, related.pk)


def public_stage(report: Report) -> str:
    """What the reporter may know: the stage, never details."""
    if report.status == Report.Status.FOR_TRIAGE:
        return _("Received, being checked by the protection unit")
    if report.status == Report.Status.CLOSED:
        return _("Closed")
    if report.case is None:
        return _("Received, being checked by the protection unit")
    return str(Stage(report.case.stage).label)


def deadlines_due(unit: Unit, *, today: dt.date | None = None) -> dict[str, int]:
    """Counts for one unit: due by the next working day, and already late."""
    today = today or timezone.localdate()
    horizon = deadlines.next_working_day(today)
    waiting = Report.objects.filter(unit=unit, status=Report.Status.FOR_TRIAGE)
    no_action = Case.objects.filter(unit=unit, first_action_at__isnull=True).exclude(
        stage=Stage.SELESAI
    )
    return {
        "due_reports": waiting.filter(verify_due__gte=today, verify_due__lte=horizon).count(),
        "due_cases": no_action.filter(action_due__gte=today, action_due__lte=horizon).count(),
        "late": waiting.filter(verify_due__lt=today).count()
        + no_action.filter(action_due__lt=today).count(),
    }


def send_deadline_reminders(*, today: dt.date | None = None) -> dict[str, dict[str, int]]:
    """One SMS per officer on duty, with counts only, for units with something due or late."""
    sent: dict[str, dict[str, int]] = {}
    units = Unit.objects.filter(reports__isnull=False).distinct()
    for unit in units:
        counts = deadlines_due(unit, today=today)
        if not any(counts.values()):
            continue
        sent[unit.code] = counts
        text = _(
            "Wadul Bae: %(reports)s reports to verify and %(cases)s cases to act on by the next "
            "working day; %(late)s late."
        ) % {"reports": counts["due_reports"], "cases": counts["due_cases"], "late": counts["late"]}
        with transaction.atomic():
            for membership in (
                Membership.objects.filter(
                    unit=unit, role=ReportsRole.PROTECTION_OFFICER, on_duty=True
                )
                .exclude(user__phone="")
                .select_related("user")
            ):
                _send_quietly(membership.user.phone, text, purpose="wadul:deadline", related=unit)
    return sent


def add_person(
    case: Case, data: dict[str, Any], *, actor: User, request: HttpRequest
) -> CasePerson:
    with transaction.atomic():
        involved = CasePerson.objects.create(
            case=case,
            part=data["part"],
            person=data.get("person"),
            name=data.get("name", ""),
            age_group=data["age_group"],
            note=data.get("note", ""),
            added_by=actor,
        )
        record(
            "case.person",
            obj=case,
            request=request,
            part=involved.part,
            # Which resident was looked up by NIK: officers have no register
            # scope otherwise, so each link must be traceable.
            person=involved.person_id,
        )
    return involved


def add_document(
    case: Case, *, title: str, upload: Any, actor: User, request: HttpRequest
) -> CaseDocument:
    with transaction.atomic():
        document = CaseDocument(case=case, title=title, size=upload.size, uploaded_by=actor)
        document.file.save(upload.name, upload, save=False)
        document.save()
        record("case.document", obj=case, request=request, document=document.pk)
    return document


def record_download(document: CaseDocument, *, request: HttpRequest) -> None:
    record("case.document_read", obj=document.case, request=request, document=document.pk)


def assign_officer(case: Case, officer: User, *, actor: User, request: HttpRequest) -> Case:
    with transaction.atomic():
        case.officer = officer
        case.save(update_fields=["officer"])
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.ASSIGNED, actor=actor, text=officer.get_username()
        )
        record("case.assign", obj=case, request=request, officer=officer.pk)
    return case


def allow_lookup(address: str | None) -> bool:
    """Count a tracking-code look-up from this device; False once it is over the hourly limit."""
    return limits.hit("wadul_lookups", client_hash(address) or "unknown")


def record_export(kind: str, *, rows: int, period: Period, request: HttpRequest) -> None:
    """A statistics or SIMFONI workbook left the system: who, which months, how many rows."""
    with transaction.atomic():
        record(
            "reports.export",
            request=request,
            kind=kind,
            rows=rows,
            first=f"{period.first:%Y-%m}",
            last=f"{period.last:%Y-%m}",
        )
