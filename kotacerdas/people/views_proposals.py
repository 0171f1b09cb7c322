"""Register changes proposed at the RW: proposing, the kelurahan's list, deciding.

An RW operator's changes wait for the kelurahan (``people.actions.proposals``);
a kelurahan officer (or anyone who decides there) who fills in the same forms
has the change applied at once, through the same path.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest, require_register_reader
from kotacerdas.core.pagination import paginate
from kotacerdas.people import access
from kotacerdas.people.actions import proposals as actions
from kotacerdas.people.models import Family, Person, Proposal
from kotacerdas.people.proposal_forms import (
    BirthProposalForm,
    CorrectionProposalForm,
    LeaveProposalForm,
    MoveInProposalForm,
    SplitProposalForm,
)

PAGE_SIZE = 50
FAMILY_KINDS = {
    "kelahiran": Proposal.Kind.BIRTH,
    "pindah-datang": Proposal.Kind.MOVE_IN,
    "pecah-kk": Proposal.Kind.SPLIT,
}


def proposal_list(request: StaffRequest) -> HttpResponse:
    """Pending proposals first (oldest first), then the decided ones, in the user's area."""
    require_register_reader(request.user)
    if not access.can_edit_people(request.user):
        raise PermissionDenied  # reads the register, proposes and decides nothing
    status = request.GET.get("status") or Proposal.Status.PENDING
    if status not in Proposal.Status.values:
        status = Proposal.Status.PENDING
    found = (
        access.proposals_for_user(request.user)
        .filter(status=status)
        .select_related("rt__rw__kelurahan", "person", "family", "proposed_by")
    )
    page = paginate(found, ("proposed_at", "id"), request.GET.get("page"), per_page=PAGE_SIZE)
    return render(
        request,
        "people/proposal_list.html",
        {"page": page, "status": status, "statuses": Proposal.Status.choices},
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request: StaffRequest, proposal_id: int) -> HttpResponse:
    """What was proposed, by whom and when; approve or return it (kelurahan)."""
    proposal = access.get_proposal_for_user(request.user, proposal_id)
    may_decide = proposal.is_pending and not access.must_propose(request.user, proposal.rt)
    if request.method == "POST":
        proposal = access.get_proposal_for_user(request.user, proposal_id, decide=True)
        return _decide(request, proposal)
    return render(
        request,
        "people/proposal_detail.html",
        {"proposal": proposal, "may_decide": may_decide, "shown": _shown(proposal)},
    )


def _decide(request: StaffRequest, proposal: Proposal) -> HttpResponse:
    try:
        if request.POST.get("decision") == "approve":
            actions.approve(proposal, actor=request.user, request=request)
            messages.success(request, _("The change has been applied to the register."))
        else:
            actions.return_proposal(
                proposal, actor=request.user, note=request.POST.get("note", ""), request=request
            )
            messages.success(request, _("The proposal has been returned to the RW."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("people:proposal-detail", proposal_id=proposal.pk)


@require_POST
def person_propose_leave(request: StaffRequest, person_id: int) -> HttpResponse:
    """A death or a move out of the city, from the person's page."""
    person = access.get_person_for_user(request.user, person_id, write=True)
    form = LeaveProposalForm(request.POST)
    if form.is_valid():
        data = {"date": form.cleaned_data["date"]}
        return _submit(request, form.cleaned_data["kind"], form, person=person, data=data)
    return _form_page(request, form, person=person, kind=request.POST.get("kind", ""))


@require_http_methods(["GET", "POST"])
def person_propose_correction(request: StaffRequest, person_id: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, person_id, write=True)
    form = CorrectionProposalForm(request.POST or None, instance=_copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            data = {"changes": form.changes()}
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _submit(request, Proposal.Kind.CORRECTION, form, person=person, data=data)
    return _form_page(request, form, person=person, kind=Proposal.Kind.CORRECTION)


@require_http_methods(["GET", "POST"])
def family_propose(request: StaffRequest, family_id: int, change: str) -> HttpResponse:
    """A birth, someone moving in, or a family split, from the family card's page."""
    kind = FAMILY_KINDS.get(change)
    if kind is None:
        raise Http404
    family = access.get_family_for_user(request.user, family_id, write=True)
    form = _family_form(kind, family, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "members")}
        if isinstance(form, SplitProposalForm):
            data["members"] = form.relationships()
        return _submit(request, kind, form, family=family, data=data)
    return _form_page(request, form, family=family, kind=kind)


def _family_form(kind: str, family: Family, data: Any) -> forms.Form:
    if kind == Proposal.Kind.BIRTH:
        return BirthProposalForm(data)
    if kind == Proposal.Kind.MOVE_IN:
        return MoveInProposalForm(data)
    members = list(
        Person.objects.filter(family=family, status=Person.Status.ALIVE).order_by(
            "relationship", "birth_date"
        )
    )
    return SplitProposalForm(data, members=members)


def _submit(
    request: StaffRequest,
    kind: str,
    form: forms.BaseForm,
    *,
    data: dict[str, Any],
    person: Person | None = None,
    family: Family | None = None,
) -> HttpResponse:
    """Store the proposal; where the user decides, apply it at once."""
    rt = person.rt if person is not None else family.rt  # type: ignore[union-attr]
    try:
        proposal = actions.propose(
            kind,
            actor=request.user,
            rt=rt,
            person=person,
            family=family,
            data=data,
            reason=form.cleaned_data.get("reason", ""),
            request=request,
        )
        if not access.must_propose(request.user, rt):
            actions.approve(proposal, actor=request.user, request=request)
            messages.success(request, _("The change has been applied to the register."))
            return redirect("people:proposal-detail", proposal_id=proposal.pk)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, form, person=person, family=family, kind=kind, status=400)
    messages.success(request, _("The proposal has been sent to the kelurahan."))
    return redirect("people:proposal-detail", proposal_id=proposal.pk)


def _form_page(
    request: StaffRequest,
    form: forms.BaseForm,
    *,
    kind: str,
    person: Person | None = None,
    family: Family | None = None,
    status: int | None = None,
) -> HttpResponse:
    labels = dict(Proposal.Kind.choices)
    return render(
        request,
        "people/proposal_form.html",
        {
            "form": form,
            "person": person,
            "family": family,
            "title": labels.get(kind, _("Proposed change")),
            "direct": not access.must_propose(
                request.user,
                person.rt if person is not None else family.rt,  # type: ignore[union-attr]
            ),
        },
        status=status or (400 if form.is_bound else 200),
    )


def _copy(person: Person) -> Person:
    """A detached copy for the correction form to fill, so the person is never changed here."""
    copy = Person.objects.get(pk=person.pk)
    copy.pk = None
    return copy


def _shown(proposal: Proposal) -> list[tuple[str, Any]]:
    """The proposed data as (label, value) rows, without any NIK in full."""
    data = dict(proposal.data)
    changes = data.pop("changes", {})
    members = data.pop("members", {})
    rows: list[tuple[str, Any]] = []
    for key, value in [*data.items(), *changes.items()]:
        if key in ("nik", "kk_number") and value:
            value = f"{str(value)[:6]}••••••{str(value)[-4:]}"
        rows.append((_label(key), value))
    if members:
        names = dict(
            Person.objects.filter(pk__in=[int(pk) for pk in members]).values_list("pk", "name")
        )
        rows.append((_("Members"), ", ".join(names.get(int(pk), "?") for pk in members)))
    return rows


def _label(key: str) -> str:
    for form in (MoveInProposalForm, SplitProposalForm, LeaveProposalForm):
        if key in form.base_fields:
            return str(form.base_fields[key].label)
    if key in CorrectionProposalForm.base_fields:
        return str(CorrectionProposalForm.base_fields[key].label)
    return key
