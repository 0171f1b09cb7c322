from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.accounts.models import Unit
from kotacerdas.audit.actions import client_address
from kotacerdas.core.pagination import paginate
from kotacerdas.people.access import current_citizen
from kotacerdas.reports import access, actions, progress
from kotacerdas.reports.forms import (
    AssignForm,
    AttachForm,
    CasePersonForm,
    CloseForm,
    CodeForm,
    DocumentForm,
    NoteForm,
    OpenCaseForm,
    PupilForm,
    ReportForm,
    StageForm,
)
from kotacerdas.reports.models import Case, CaseEvent, Report, Stage

SENT_SESSION_KEY = "wadul_sent_code"
PAGE_SIZE = 50


# Public: file a report, see its stage ---------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        citizen = current_citizen(request)
        # A pupil reporter signed in with their registered number reports for their school.
        pupil = actions.pupil_for_phone(citizen.phone) if citizen else None
        if pupil is not None:
            fields.update(pupil=pupil, school=pupil.school)
        try:
            report = actions.file_report(
                fields,
                channel=Report.Channel.WEB,
                client_address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The code goes to the next page through the session, not the URL.
            request.session[SENT_SESSION_KEY] = report.pk
            return redirect("reports:sent")
    return render(request, "reports/report_form.html", {"form": form})


@login_not_required
@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    report_id = request.session.get(SENT_SESSION_KEY)
    report = Report.objects.filter(pk=report_id).first() if report_id else None
    if report is None:
        return redirect("reports:report")
    # Shown once: on a shared computer the next person must not find this code.
    del request.session[SENT_SESSION_KEY]
    return render(request, "reports/report_sent.html", {"report": report})


@login_not_required
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The stage of a report, by its code (posted: a code is a key, not for logs)."""
    form = CodeForm(request.POST or None)
    stage = next_step = None
    if request.method == "POST" and not actions.allow_lookup(client_address(request)):
        form.add_error(None, _("Too many look-ups from this device. Try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        report = (
            Report.objects.select_related("case")
            .filter(tracking_code=form.cleaned_data["code"])
            .first()
        )
        if report is None:
            form.add_error("code", _("No report has this code. Check it and try again."))
        else:
            stage, next_step = actions.public_stage(report), progress.next_step(report)
    context = {"form": form, "stage": stage, "next_step": next_step}
    return render(request, "reports/status.html", context)


# Protection officers: triage --------------------------------------------------


def triage_queue(request: StaffRequest) -> HttpResponse:
    access.require_protection_staff(request.user)
    waiting = access.reports_for_user(request.user).filter(status=Report.Status.FOR_TRIAGE)
    page = paginate(
        waiting.select_related("kelurahan"),
        ("-still_happening", "-danger_to_life", "created_at", "id"),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "reports/triage_queue.html",
        {"page": page, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def report_detail(request: StaffRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    # Only cases of the report's own unit: attaching elsewhere would hand its
    # story and names to another unit's officers.
    cases = Case.objects.filter(unit_id=report.unit_id)
    decision = request.POST.get("decision")
    forms = {
        "open": OpenCaseForm(
            request.POST if decision == "open" else None, initial={"category": report.category_hint}
        ),
        "attach": AttachForm(request.POST if decision == "attach" else None, cases=cases),
        "close": CloseForm(request.POST if decision == "close" else None),
    }
    if request.method == "POST":
        form = forms.get(decision or "")
        if form is not None and form.is_valid():
            try:
                case = _triage(request, report, decision, form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("reports:triage")
            if case is not None:
                return redirect("reports:case", case_id=case.pk)
            return redirect("reports:triage")
    else:
        actions.record_report_view(report, actor=request.user, request=request)
    return render(request, "reports/report_detail.html", {"report": report, "forms": forms})


def _triage(request: StaffRequest, report: Report, decision: str | None, data: dict) -> Case | None:
    if decision == "open":
        return actions.open_case(
            report,
            category=data["category"],
            reason=data["reason"],
            actor=request.user,
            request=request,
        )
    if decision == "attach":
        return actions.attach_to_case(
            report, data["case_number"], reason=data["reason"], actor=request.user, request=request
        )
    actions.close_report(
        report,
        close_reason=data["close_reason"],
        note=data["note"],
        actor=request.user,
        request=request,
    )
    messages.success(request, _("The report has been closed."))
    return None


# Protection officers: cases ----------------------------------------------------


def case_list(request: StaffRequest) -> HttpResponse:
    access.require_protection_staff(request.user)
    cases = access.cases_for_user(request.user).select_related("kelurahan", "officer")
    overdue = request.GET.get("terlambat") == "1"
    if overdue:
        cases = cases.filter(
            first_action_at__isnull=True, action_due__lt=timezone.localdate()
        ).exclude(stage=Stage.SELESAI)
    else:
        cases = cases.exclude(stage=Stage.SELESAI) if request.GET.get("semua") != "1" else cases
    page = paginate(
        cases,
        ("-urgent", "-opened_at", "-id"),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    late_reports = (
        access.reports_for_user(request.user)
        .filter(status=Report.Status.FOR_TRIAGE, verify_due__lt=timezone.localdate())
        .count()
    )
    return render(
        request,
        "reports/case_list.html",
        {
            "page": page,
            "overdue": overdue,
            "late_reports": late_reports,
            "today": timezone.localdate(),
        },
    )


def case_detail(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    actions.record_view(case, actor=request.user, request=request)
    return _case_page(request, case)


def _case_page(
    request: StaffRequest,
    case: Case,
    *,
    stage_form: StageForm | None = None,
    note_form: NoteForm | None = None,
    person_form: CasePersonForm | None = None,
    assign_form: AssignForm | None = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    identities = access.can_see_identities(request.user, case)
    events = list(case.events.select_related("actor"))
    viewers = sorted(
        {(e.actor.get_username(), e.at) for e in events if e.kind == CaseEvent.Kind.VIEWED},
        key=lambda pair: pair[1],
        reverse=True,
    )
    return render(
        request,
        "reports/case_detail.html",
        {
            "case": case,
            "reports": case.reports.select_related("kelurahan", "school"),
            "timeline": [e for e in events if e.kind != CaseEvent.Kind.VIEWED],
            "viewers": viewers[:20],
            "identities": identities,
            "can_act": identities,
            "stage_form": stage_form or StageForm(initial={"to_stage": case.stage}),
            "note_form": note_form or NoteForm(),
            "person_form": person_form or CasePersonForm(actor=request.user, request=request),
            "assign_form": assign_form or AssignForm(case=case),
            "document_form": document_form or DocumentForm(),
            "people": case.people.select_related("person") if identities else [],
            "documents": case.documents.all() if identities else [],
        },
        status=status,
    )


@require_POST
def case_stage(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            actions.move_stage(
                case,
                form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("to_stage", exc)
        else:
            messages.success(request, _("The stage has been changed."))
            return redirect("reports:case", case_id=case.pk)
    return _case_page(request, case, stage_form=form, status=400)


@require_POST
def case_note(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        referred_to = form.cleaned_data["referred_to"]
        actions.add_event(
            case,
            kind=CaseEvent.Kind.REFERRAL if referred_to else CaseEvent.Kind.NOTE,
            referred_to=referred_to,
            text=form.cleaned_data["text"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Added to the case's timeline."))
        return redirect("reports:case", case_id=case.pk)
    return _case_page(request, case, note_form=form, status=400)


@require_POST
def case_assign(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = AssignForm(request.POST, case=case)
    if form.is_valid():
        actions.assign_officer(
            case, form.cleaned_data["officer"], actor=request.user, request=request
        )
        messages.success(request, _("The officer has been assigned."))
        return redirect("reports:case", case_id=case.pk)
    return _case_page(request, case, assign_form=form, status=400)


@require_POST
def case_person(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = CasePersonForm(request.POST, actor=request.user, request=request)
    if form.is_valid():
        actions.add_person(case, form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("The person has been added to the case."))
        return redirect("reports:case", case_id=case.pk)
    return _case_page(request, case, person_form=form, status=400)


@require_POST
def case_document(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        actions.add_document(
            case,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("The document has been added."))
        return redirect("reports:case", case_id=case.pk)
    return _case_page(request, case, document_form=form, status=400)


def document_download(request: StaffRequest, case_id: int, document_id: int) -> FileResponse:
    """Documents are read through the case's access check only, and each read is audited."""
    case = access.get_case_for_user(request.user, case_id)
    if not access.can_see_identities(request.user, case):
        raise PermissionDenied
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    actions.record_download(document, request=request)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=PurePath(document.file.name or "").name,
    )


# School coordinators: pupil reporters and what they sent ------------------


@require_http_methods(["GET", "POST"])
def school_home(request: StaffRequest) -> HttpResponse:
    schools = access.require_coordinator(request.user)
    school_units = Unit.objects.filter(pk__in=schools).order_by("name")
    form = PupilForm(request.POST or None, schools=school_units)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = actions.register_pupil(
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                class_name=form.cleaned_data["class_name"],
                phone=form.cleaned_data["phone"],
                actor=request.user,
                request=request,
            )
        except IntegrityError:
            # Registered for another pupil a moment ago (the form checked before).
            form.add_error("phone", _("This number cannot be registered as a pupil reporter."))
        else:
            messages.success(request, _("%(name)s is now a reporter.") % {"name": pupil.name})
            return redirect("reports:school")
    pupils = access.pupils_for_user(request.user).filter(active=True).select_related("school")
    sent = access.pupil_reports_for_user(request.user).select_related("pupil", "case")[:50]
    return render(
        request,
        "reports/school.html",
        {
            "form": form,
            "pupils": pupils,
            "sent": [(report, actions.public_stage(report)) for report in sent],
        },
    )


@require_POST
def pupil_deactivate(request: StaffRequest, pupil_id: int) -> HttpResponse:
    access.require_coordinator(request.user)
    pupil = access.get_pupil_for_user(request.user, pupil_id)
    actions.deactivate_pupil(pupil, request=request)
    messages.success(request, _("%(name)s is no longer a reporter.") % {"name": pupil.name})
    return redirect("reports:school")
