"""Disdukcapil: work queues, decisions, the dashboard; and the public
verification page of a certificate's QR."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.audit.actions import client_address
from kotacerdas.births import access, actions, stats, tokens
from kotacerdas.births.forms import (
    ChildNikForm,
    DuplicateDecisionForm,
    ReasonForm,
    RegisterForm,
    RevokeForm,
)
from kotacerdas.births.models import Declaration, PossibleDuplicate
from kotacerdas.core import limits, pagecache
from kotacerdas.core.pagination import paginate
from kotacerdas.core.replica import stale_ok

PAGE_SIZE = 50
S = Declaration.Status


def queues(request: StaffRequest) -> HttpResponse:
    all_queues = access.registry_queues_for_user(request.user)
    slug = request.GET.get("antrean", "validasi")
    found = next((queue for queue in all_queues if queue[0] == slug), all_queues[0])
    counts = [(s, title, declarations.count()) for s, title, declarations in all_queues]
    page = paginate(
        found[2].select_related("rt__rw__kelurahan"),
        ("submitted_at", "id"),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "births/queues.html",
        {
            "queues": counts,
            "current": found[0],
            "title": found[1],
            "page": page,
            "today": timezone.localdate(),
            "registrar": access.is_registrar(request.user),
        },
    )


def _done(request: HttpRequest, declaration: Declaration, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("births:detail", declaration_id=declaration.pk)


def _refused(request: HttpRequest, declaration: Declaration, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return redirect("births:detail", declaration_id=declaration.pk)


@require_POST
def validate(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    try:
        actions.validate(declaration, actor=request.user, request=request)
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("Validated."))


@require_POST
def send_back(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what must be changed."))
        return redirect("births:detail", declaration_id=declaration.pk)
    try:
        actions.send_back(
            declaration, form.cleaned_data["reason"], actor=request.user, request=request
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("Sent back to the declarant; they were told by SMS."))


@require_POST
def approve_late(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    try:
        actions.approve_late(declaration, actor=request.user, request=request)
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("Late registration approved."))


@require_POST
def register(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("child_nik", [])))
        return redirect("births:detail", declaration_id=declaration.pk)
    try:
        declaration = actions.register(
            declaration,
            child_nik=form.cleaned_data["child_nik"],
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(
        request,
        declaration,
        _("Registered with akta number %(number)s. The parent was told by SMS.")
        % {"number": declaration.akta_number},
    )


@require_POST
def child_nik(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    form = ChildNikForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("child_nik", [])))
        return redirect("births:detail", declaration_id=declaration.pk)
    try:
        actions.set_child_nik(
            declaration, form.cleaned_data["child_nik"], actor=request.user, request=request
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("The child's NIK has been recorded."))


@require_POST
def mark_printed(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    certificate = declaration.current_certificate
    if certificate is None:
        raise Http404
    try:
        actions.mark_printed(certificate, actor=request.user, request=request)
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("Marked as printed and handed over."))


@require_POST
def revoke(request: StaffRequest, declaration_id: int) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    certificate = declaration.current_certificate
    form = RevokeForm(request.POST)
    if certificate is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
        return redirect("births:detail", declaration_id=declaration.pk)
    try:
        actions.revoke(
            certificate, form.cleaned_data["reason"], actor=request.user, request=request
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(request, declaration, _("The certificate has been revoked."))


@require_POST
def decide_correction(
    request: StaffRequest, declaration_id: int, correction_id: int
) -> HttpResponse:
    declaration = access.get_registry_declaration(request.user, declaration_id)
    correction = declaration.corrections.filter(pk=correction_id).first()
    if correction is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        actions.decide_correction(
            correction,
            approve=approve,
            note=request.POST.get("note", "")[:300],
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(
        request,
        declaration,
        _("Correction approved: a new certificate version was issued.")
        if approve
        else _("Correction rejected."),
    )


def _decide_duplicate(
    request: StaffRequest, declaration: Declaration, candidates: list[PossibleDuplicate]
) -> HttpResponse | None:
    """The registrar's decision from the posted form; None if the form is invalid."""
    form = DuplicateDecisionForm(request.POST)
    if not form.is_valid():
        return None
    duplicate = form.cleaned_data["decision"] == "duplicate"
    other_id = form.cleaned_data["duplicate_of"]
    other = next((c.other for c in candidates if c.other and c.other.pk == other_id), None)
    try:
        actions.decide_duplicate(
            declaration,
            duplicate=duplicate,
            duplicate_of=other,
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        return _refused(request, declaration, exc)
    return _done(
        request,
        declaration,
        _("Closed as a duplicate.")
        if duplicate
        else _("Not a duplicate: back in the queue to validate."),
    )


@require_http_methods(["GET", "POST"])
def duplicates(request: StaffRequest, declaration_id: int) -> HttpResponse:
    """The declaration and what it may duplicate, side by side; the registrar decides."""
    if request.method == "POST":
        declaration = access.get_registry_declaration(request.user, declaration_id)
    else:
        declaration = access.get_declaration_for_user(request.user, declaration_id)
        access.require_registry_reader(request.user)
    candidates = list(declaration.possible_duplicates.select_related("other", "other_person"))
    if request.method == "POST":
        decided = _decide_duplicate(request, declaration, candidates)
        if decided is not None:
            return decided
    return render(
        request,
        "births/duplicates.html",
        {
            "declaration": declaration,
            "candidates": candidates,
            "registrar": access.is_registrar(request.user),
        },
    )


@stale_ok()
def dashboard(request: StaffRequest) -> HttpResponse:
    access.require_registry_reader(request.user)
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = timezone.localdate().year
    return render(request, "births/dashboard.html", stats.dashboard(year))


# Public verification -----------------------------------------------------------------


@login_not_required
@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """Where a person types the code printed under the QR (a plain GET form, no JavaScript)."""
    typed = "".join(request.GET.get("kode", "").split())
    if typed and len(typed) <= tokens.LONGEST_TYPED and "/" not in typed:
        return redirect("births:verify", token=typed)
    error = _("Type the code printed under the QR code.") if "kode" in request.GET else ""
    return render(request, "births/verify.html", {"form_only": True, "error": error})


@login_not_required
@pagecache.shared_for("certificate_verification")
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """What the QR opens: valid, revoked or superseded, and only what the certificate shows.

    A code that is not found but is close to a real one (a typo, a dropped dash)
    is answered "check the code", not "not valid"; those look-ups are limited
    per address so the page cannot be used to home in on real codes.
    """
    certificate = tokens.find(token)
    if certificate is None:
        if not limits.hit("birth_code_unknown", client_address(request) or "-"):
            limited = {"verdict": "limited", "typed": token}
            return render(request, "births/verify.html", limited, status=429)
        verdict = "check" if tokens.near_miss(token) else "unknown"
        not_found = {"verdict": verdict, "typed": token}
        return render(request, "births/verify.html", not_found, status=404)
    dates = {
        name: dt.date.fromisoformat(certificate.shown[name])
        for name in ("birth_date", "registered_on")
    }
    context = {
        "certificate": certificate,
        "dates": dates,
        "code": tokens.grouped(certificate.token),
        "cache_seconds": pagecache.seconds("certificate_verification"),
    }
    return render(request, "births/verify.html", context)
