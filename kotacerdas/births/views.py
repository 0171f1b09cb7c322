"""Declaring a birth: parents (signed in with their number), midwives and
facilities, kelurahan and RW operators. Disdukcapil's pages are in
``views_registry``; the public verification page is there too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.accounts.models import Unit
from kotacerdas.births import access, actions, steps
from kotacerdas.births.certificates import pdf_of
from kotacerdas.births.forms import (
    ClaimForm,
    CorrectionForm,
    DocumentForm,
    SearchForm,
)
from kotacerdas.births.models import Certificate, Declaration
from kotacerdas.births.requirements import missing_documents
from kotacerdas.core.inputs import strip_separators
from kotacerdas.core.pagination import paginate
from kotacerdas.core.plans import planned_for_their_values
from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people.access import current_citizen
from kotacerdas.people.models import Citizen

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and access.is_birth_staff(request.user)


def _load(
    request: HttpRequest, declaration_id: int, *, write: bool = False
) -> tuple[Declaration, Citizen | None]:
    """The declaration for the staff member or the parent asking; 404 otherwise."""
    if _staff(request):
        return (
            access.get_declaration_for_user(request.user, declaration_id, write=write),
            None,
        )
    citizen = current_citizen(request)
    return access.get_declaration_for_citizen(citizen, declaration_id), citizen


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    """To the phone sign-in, which brings the parent back to this page."""
    return to_citizen_sign_in(request)


def _signed_out(request: HttpRequest) -> bool:
    return not request.user.is_authenticated and current_citizen(request) is None


def _declaring_unit(request: HttpRequest) -> Unit:
    units = access.declaring_units(request.user)
    if not units:
        raise PermissionDenied
    return units[0]


# Start: the parent's own list, or the way in ------------------------------------


@login_not_required
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    mine = (
        list(access.declarations_for_citizen(citizen).order_by("-created_at")[:20])
        if citizen
        else []
    )
    waiting = (
        list(
            access.waiting_for_claim(citizen)
            .order_by("-created_at")
            .only("pk", "reference", "created_at")[:20]
        )
        if citizen
        else []
    )
    return render(
        request,
        "births/start.html",
        {
            "citizen": citizen,
            "declarations": mine,
            "waiting": waiting,
            "staff": _staff(request),
            "may_declare": request.user.is_authenticated and access.may_declare(request.user),
            "late_after": _late_after(),
        },
    )


def _late_after() -> int:
    return int(settings.BIRTHS_LATE_AFTER_DAYS)


@login_not_required
@never_cache
def declaration_detail(request: HttpRequest, declaration_id: int) -> HttpResponse:
    if _signed_out(request):  # the link in the SMS, opened before signing in
        return _to_sign_in(request)
    try:
        declaration, citizen = _load(request, declaration_id)
    except Http404:
        citizen = None if _staff(request) else current_citizen(request)
        if citizen is not None and access.waiting_for_claim(citizen).filter(pk=declaration_id):
            return redirect("births:claim", declaration_id=declaration_id)
        raise
    return _detail_page(request, declaration, citizen)


def _try_claim(
    request: HttpRequest, declaration: Declaration, citizen: Citizen, form: ClaimForm
) -> HttpResponse | None:
    """The report opened for the citizen (a redirect), or None with why on the form."""
    try:
        claimed = actions.claim_declaration(
            declaration, citizen, form.cleaned_data["nik"], request=request
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    if not claimed:
        form.add_error("nik", _("This NIK is not the mother's or the father's in this report."))
        return None
    messages.success(request, _("Thank you. The report is open for you now."))
    return redirect("births:detail", declaration_id=declaration.pk)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_declaration(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """A report a midwife or the kelurahan started for this number: shown only
    after the citizen gives the mother's or father's NIK (no data before that)."""
    if _signed_out(request):
        return _to_sign_in(request)
    citizen = current_citizen(request)
    declaration = access.get_claimable_declaration(citizen, declaration_id)
    assert citizen is not None
    locked = declaration.claim_failures >= settings.BIRTHS_CLAIM_MAX_ATTEMPTS
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and not locked and form.is_valid():
        claimed = _try_claim(request, declaration, citizen, form)
        if claimed is not None:
            return claimed
        locked = declaration.claim_failures >= settings.BIRTHS_CLAIM_MAX_ATTEMPTS
    if request.method == "POST":
        status = 400
    return render(
        request,
        "births/claim.html",
        {
            "declaration": declaration,
            "form": form,
            "locked": locked,
            "locked_message": actions.claim_locked_message(),
            "attempts_left": max(
                settings.BIRTHS_CLAIM_MAX_ATTEMPTS - declaration.claim_failures, 0
            ),
        },
        status=status,
    )


@require_POST
def reopen_claim(request: StaffRequest, declaration_id: int) -> HttpResponse:
    """Staff let the parent's number claim the report again and send the SMS again."""
    declaration = access.get_declaration_for_user(request.user, declaration_id, write=True)
    if declaration.declared_by_citizen_id is not None:
        raise Http404
    actions.reopen_claim(declaration, actor=request.user, request=request)
    messages.success(request, _("The parent's number has been told again by SMS."))
    return redirect("births:detail", declaration_id=declaration.pk)


def _detail_page(
    request: HttpRequest,
    declaration: Declaration,
    citizen: Citizen | None,
    *,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    documents = list(declaration.documents.all())
    may_change = citizen is not None or (
        request.user.is_authenticated and access.may_change(request.user, declaration)
    )
    registrar = request.user.is_authenticated and access.is_registrar(request.user)
    certificates = list(declaration.certificates.all())
    context: dict[str, Any] = {
        "declaration": declaration,
        "citizen": citizen,
        "documents": documents,
        "may_change": may_change and declaration.is_editable,
        "may_request_correction": may_change
        and not registrar
        and declaration.status == Declaration.Status.REGISTERED,
        "registrar": registrar,
        "staff": citizen is None,
        "certificate": next(
            (c for c in certificates if c.status == Certificate.Status.VALID), None
        ),
        "certificates": certificates,
        "corrections": list(declaration.corrections.all()),
        "duplicates": list(declaration.possible_duplicates.select_related("other", "other_person")),
        "late_after": _late_after(),
        "claim_locked": declaration.claim_failures >= settings.BIRTHS_CLAIM_MAX_ATTEMPTS,
        **_draft_context(declaration, documents, document_form),
    }
    if registrar:
        context.update(_registrar_forms())
    return render(request, "births/declaration_detail.html", context, status=status)


def _draft_context(
    declaration: Declaration, documents: list[Any], document_form: DocumentForm | None
) -> dict[str, Any]:
    """What is still to do: the steps, the documents (the first one missing chosen already)."""
    missing = missing_documents(declaration, {d.kind for d in documents})
    kinds = [kind for item in missing for kind in item.kinds]
    return {
        "missing": missing,
        "document_form": document_form or DocumentForm(initial={"kind": next(iter(kinds), None)}),
        "steps": steps.step_list(declaration, None),
        "unfinished": steps.unfinished(declaration),
    }


def _registrar_forms() -> dict[str, Any]:
    from kotacerdas.births.forms import ReasonForm, RegisterForm, RevokeForm

    return {
        "reason_form": ReasonForm(),
        "register_form": RegisterForm(),
        "revoke_form": RevokeForm(),
    }


# Documents ---------------------------------------------------------------------


@login_not_required
@require_POST
def upload_document(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration, citizen = _load(request, declaration_id, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_document(
                declaration,
                form,
                request=request,
                user=None if citizen else request.user,  # type: ignore[arg-type]
                citizen=citizen,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document has been added."))
            return redirect("births:detail", declaration_id=declaration.pk)
    return _detail_page(request, declaration, citizen, document_form=form, status=400)


@login_not_required
def document_download(request: HttpRequest, declaration_id: int, document_id: int) -> FileResponse:
    """Documents are read through the declaration's access check only; each read is audited."""
    declaration, citizen = _load(request, declaration_id)
    document = declaration.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    actions.record_document_read(document, request=request, citizen=citizen)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{declaration.reference}-{document.kind}.{document.extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_POST
def remove_document(request: HttpRequest, declaration_id: int, document_id: int) -> HttpResponse:
    declaration, citizen = _load(request, declaration_id, write=True)
    document = declaration.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    try:
        actions.remove_document(document, request=request, citizen=citizen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document has been removed."))
    return redirect("births:detail", declaration_id=declaration.pk)


@login_not_required
@require_POST
def submit_declaration(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration, citizen = _load(request, declaration_id, write=True)
    try:
        declaration = actions.submit(declaration, request=request, citizen=citizen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The report has been sent to Disdukcapil. You will get an SMS when it moves on."),
        )
    return redirect("births:detail", declaration_id=declaration.pk)


# The certificate and corrections -------------------------------------------------


@login_not_required
@never_cache
def certificate_pdf(request: HttpRequest, declaration_id: int) -> HttpResponse:
    if _signed_out(request):
        return _to_sign_in(request)
    declaration, citizen = _load(request, declaration_id)
    certificate = declaration.current_certificate
    if certificate is None:
        raise Http404
    content = pdf_of(certificate)
    actions.record_certificate_download(certificate, request=request, citizen=citizen)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="akta-{declaration.reference}-v{certificate.version}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_correction(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration, citizen = _load(request, declaration_id, write=True)
    if declaration.status != Declaration.Status.REGISTERED:
        raise Http404
    form = CorrectionForm(request.POST or None, instance=declaration)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_correction(
                declaration,
                form.changes(),
                form.cleaned_data["reason"],
                request=request,
                user=None if citizen else request.user,  # type: ignore[arg-type]
                citizen=citizen,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The correction has been sent to Disdukcapil."))
            return redirect("births:detail", declaration_id=declaration.pk)
    original = Declaration.objects.get(pk=declaration.pk)
    return render(
        request,
        "births/correction_form.html",
        {"form": form, "declaration": original},
    )


# Staff list ------------------------------------------------------------------------

SEARCH_LIMIT = 50


def _search(declarations: QuerySet[Declaration], query: str) -> list[Declaration]:
    """A reference, a child's name or a mother's NIK (typed in groups or not):
    the first SEARCH_LIMIT + 1."""
    nik = strip_separators(query)
    found = declarations.filter(
        Q(reference__iexact=query)
        | Q(child_name__icontains=query)
        | Q(mother_nik=nik, mother_nik__gt="")  # "-" alone finds no draft without a NIK
    ).order_by("-created_at", "-id")[: SEARCH_LIMIT + 1]
    with planned_for_their_values(found.db):  # as the register's search (core.plans)
        return list(found)


@require_http_methods(["GET", "POST"])
def declaration_list(request: StaffRequest) -> HttpResponse:
    """Searches are POSTed: a mother's NIK or a child's name never travels in a
    URL (and so never lands in an access log). The status filter is a GET."""
    if not access.is_birth_staff(request.user):
        raise PermissionDenied
    declarations = access.declarations_for_user(request.user).select_related("rt__rw__kelurahan")
    status = request.GET.get("status", "")
    if status in Declaration.Status.values:
        declarations = declarations.filter(status=status)
    form = SearchForm(request.POST or None)
    results: list[Declaration] | None = None
    page = None
    query = ""
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        results = _search(declarations, query)
    else:
        page = paginate(
            declarations, ("-created_at", "-id"), request.GET.get("page"), per_page=PAGE_SIZE
        )
    counts = access.status_counts_for_user(request.user)
    return render(
        request,
        "births/declaration_list.html",
        {
            "form": form,
            "page": page,
            "results": results[:SEARCH_LIMIT] if results is not None else None,
            "more_results": results is not None and len(results) > SEARCH_LIMIT,
            "status": status,
            "query": query,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in Declaration.Status.choices
            ],
            "may_declare": access.may_declare(request.user),
            "registry": access.reads_registry(request.user),
        },
    )
