from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.access import (
    StaffRequest,
    reaches_beyond_a_kelurahan,
    require_register_reader,
)
from kotacerdas.accounts.models import User
from kotacerdas.core.excel import XLSX_CONTENT_TYPE, xlsx_response
from kotacerdas.core.inputs import is_digits, strip_separators
from kotacerdas.core.pagination import paginate
from kotacerdas.core.plans import planned_for_their_values
from kotacerdas.people import access, actions
from kotacerdas.people.forms import FamilyForm, LifeEventForm, PersonForm, SearchForm
from kotacerdas.people.imports import (
    REJECTED_PAGE_SIZE,
    ImportForm,
    export_workbook,
    template_workbook,
)
from kotacerdas.people.models import Person, Proposal
from kotacerdas.people.proposal_forms import LeaveProposalForm
from kotacerdas.people.templatetags.people_rows import ROW_COLUMNS, PersonRow

PAGE_SIZE = 50
SEARCH_LIMIT = 50


def search_people(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Digits search the NIK (from its start), anything else the name."""
    query = " ".join(query.split())
    digits = strip_separators(query)  # a NIK typed in groups: "3274 0145", "3274.0145"
    if is_digits(digits):
        return people.filter(nik__startswith=digits) if len(digits) >= 4 else people.none()
    words = [word for word in query.split(" ") if word]
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word)
    return people.filter(condition)


def first_matches(found: QuerySet[Person], query: str) -> list[Person]:
    """The first SEARCH_LIMIT + 1 matches in name order.

    With a word of three letters or more, PostgreSQL can fetch the matches
    through the trigram index and sort them: ordering by ``name || ''`` sorts
    exactly as ``name`` does but is nothing the name index can serve, which
    keeps the planner from walking the whole name index under the LIMIT
    (170 ms instead of 18 ms for "siti" across the city). Shorter words match
    so many names that walking the name index is the fast way; so does a NIK
    prefix, which may match a whole kecamatan.
    """
    words = query.split()
    name_search = not is_digits(strip_separators(query))  # digits search the NIK, in its own index
    trigram_word = name_search and any(len(word) >= 3 for word in words)
    ordering = (Concat("name", Value("")), "id") if trigram_word else ("name", "id")
    # Planned for the words searched: a prepared statement's generic plan
    # knows no word, and walked the name index again (111 ms for "siti").
    with planned_for_their_values(found.db):
        return list(found.order_by(*ordering)[: SEARCH_LIMIT + 1])


@require_http_methods(["GET", "POST"])
def person_list(request: StaffRequest) -> HttpResponse:
    """The register of the user's area. Searches are POSTed: a NIK or a name
    never travels in a URL (and so never lands in an access log)."""
    require_register_reader(request.user)
    people = access.persons_for_user(request.user).select_related("rt__rw__kelurahan")
    form = SearchForm(request.POST or None)
    results: list[PersonRow] | None = None
    page = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        results = [PersonRow.of(person) for person in first_matches(search_people(people, q), q)]
    else:
        page = paginate(
            people,
            ("name", "id"),
            request.GET.get("page"),
            per_page=PAGE_SIZE,
            count_key=_count_key(request.user, "people"),
            columns=ROW_COLUMNS,
        )
        page.object_list = [PersonRow._make(row) for row in page.object_list]
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": page,
            "results": results[:SEARCH_LIMIT] if results is not None else None,
            "more_results": results is not None and len(results) > SEARCH_LIMIT,
            "can_edit": access.can_edit_people(request.user),
        },
    )


def _count_key(user: User, what: str) -> str | None:
    """Wide scopes get a cached total (see core.pagination)."""
    return f"{what}-count:{user.pk}" if reaches_beyond_a_kelurahan(user) else None


def person_detail(request: StaffRequest, person_id: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, person_id)
    actions.record_read(person, request=request)
    return _person_page(request, person)


def _person_page(
    request: StaffRequest, person: Person, event_form: Any = None, *, status: int = 200
) -> HttpResponse:
    """The person's page; an RW operator proposes events where the kelurahan records them."""
    relatives = (
        # Only relatives in the user's area: a family may span RWs.
        access.persons_for_user(request.user)
        .filter(family_id=person.family_id)
        .exclude(pk=person.pk)
        .order_by("relationship", "birth_date")
        if person.family_id
        else []
    )
    can_edit = access.can_edit_people(request.user)
    proposes = can_edit and access.must_propose(request.user, person.rt)
    if event_form is None:
        event_form = LeaveProposalForm() if proposes else LifeEventForm()
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "relatives": relatives,
            "life_events": person.life_events.select_related("recorded_by"),
            "event_form": event_form,
            "can_edit": can_edit,
            "proposes": proposes,
            "pending": person.proposals.filter(status=Proposal.Status.PENDING).select_related(
                "proposed_by"
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person_create(request: StaffRequest) -> HttpResponse:
    access.require_editor(request.user)
    initial = {}
    family_id = request.GET.get("family")
    if family_id and family_id.isdigit():
        family = access.get_family_for_user(request.user, int(family_id), write=True)
        initial = {"kk_number": family.kk_number, "rt": family.rt_id, "address": family.address}
    form = _person_form(request, instance=None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = actions.save_person(form, request=request)
        messages.success(
            request, _("%(name)s has been added to the register.") % {"name": person.name}
        )
        return redirect("people:person-detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_edit(request: StaffRequest, person_id: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, person_id, write=True)
    if access.must_propose(request.user, person.rt):
        # An RW operator's correction waits for the kelurahan.
        return redirect("people:person-propose-correction", person_id=person.pk)
    form = _person_form(request, instance=person)
    if request.method == "POST" and form.is_valid():
        actions.save_person(form, request=request)
        messages.success(request, _("The changes have been saved."))
        return redirect("people:person-detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
def life_event_create(request: StaffRequest, person_id: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, person_id, write=True)
    if access.must_propose(request.user, person.rt):
        raise PermissionDenied  # the RW proposes (person_propose_leave)
    form = LifeEventForm(request.POST)
    if form.is_valid():
        try:
            _record_event(request, person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event has been recorded."))
            return redirect("people:person-detail", person_id=person.pk)
    return _person_page(request, person, form, status=400)


def _record_event(request: StaffRequest, person: Person, *, kind: str, **fields: Any) -> None:
    """A death or move out goes through its register action (which tells the services)."""
    leave = {"death": actions.record_death, "move_out": actions.record_move_out}.get(kind)
    if leave is not None:
        leave(person, actor=request.user, request=request, **fields)
    else:
        actions.record_life_event(person, kind=kind, actor=request.user, request=request, **fields)


def _person_form(
    request: StaffRequest, *, instance: Person | None, initial: dict | None = None
) -> PersonForm:
    return PersonForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        rts=access.rts_for_user(request.user),
        # A resident joins only a family the user may change.
        families=access.families_for_user(request.user, write=True),
        visible=access.persons_for_user(request.user),
        user=request.user,
    )


def family_list(request: StaffRequest) -> HttpResponse:
    require_register_reader(request.user)
    families = access.families_for_user(request.user).select_related("rt__rw__kelurahan")
    # RTs are numbered in kelurahan-code order, so (rt, id) walks the area
    # kelurahan by kelurahan, RW by RW, along an index.
    page = paginate(
        families,
        ("rt_id", "id"),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        count_key=_count_key(request.user, "families"),
    )
    heads = {
        p.family_id: p
        for p in Person.objects.filter(
            family__in=[f.pk for f in page.object_list], relationship="1"
        )
    }
    for family in page.object_list:
        family.head = heads.get(family.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "people/family_list.html",
        {"page": page, "can_edit": access.can_edit_people(request.user)},
    )


def family_detail(request: StaffRequest, family_id: int) -> HttpResponse:
    family = access.get_family_for_user(request.user, family_id)
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "members": access.persons_for_user(request.user)
            .filter(family=family)
            .order_by("relationship", "birth_date"),
            "can_edit": access.can_edit_people(request.user),
            "pending": family.proposals.filter(status=Proposal.Status.PENDING).select_related(
                "proposed_by"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def family_create(request: StaffRequest) -> HttpResponse:
    access.require_editor(request.user)
    form = FamilyForm(
        request.POST or None, rts=access.rts_for_user(request.user), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        family = actions.save_family(form, request=request)
        messages.success(request, _("The family has been registered."))
        for warning in form.warnings:
            messages.warning(request, warning)
        return redirect("people:family-detail", family_id=family.pk)
    return render(request, "people/family_form.html", {"form": form, "family": None})


@require_http_methods(["GET", "POST"])
def family_edit(request: StaffRequest, family_id: int) -> HttpResponse:
    family = access.get_family_for_user(request.user, family_id, write=True)
    form = FamilyForm(
        request.POST or None,
        instance=family,
        rts=access.rts_for_user(request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        actions.save_family(form, request=request)
        messages.success(request, _("The changes have been saved."))
        return redirect("people:family-detail", family_id=family.pk)
    return render(request, "people/family_form.html", {"form": form, "family": family})


@require_http_methods(["GET", "POST"])
def import_list(request: StaffRequest) -> HttpResponse:
    """Upload a workbook of residents; the user's past imports, to come back to."""
    access.require_editor(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        kelurahan=access.kelurahan_for_import(request.user),
    )
    if request.method == "POST" and form.is_valid():
        job = actions.start_import(form, user=request.user, request=request)
        return redirect("people:import-detail", job_id=job.pk)
    jobs = access.imports_for_user(request.user).defer("rejected", "notes")
    page = Paginator(jobs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_decide = access.can_decide_proposals(request.user)
    context = {"form": form, "page": page, "can_decide": can_decide}
    return render(request, "people/import_list.html", context)


def import_detail(request: StaffRequest, job_id: int) -> HttpResponse:
    """Progress while the import runs (the page reloads itself), then what was refused."""
    job = access.get_import_for_user(request.user, job_id)
    rejected = Paginator(job.rejected, REJECTED_PAGE_SIZE).get_page(request.GET.get("page"))
    can_decide = access.can_decide_proposals(request.user)
    context = {"job": job, "page": rejected, "can_decide": can_decide}
    response = render(request, "people/import_detail.html", context)
    if not job.is_finished:
        # The header does what the page's <meta> refresh does, for any client.
        response["Refresh"] = "3"
    return response


def import_template(request: StaffRequest) -> HttpResponse:
    access.require_editor(request.user)
    return xlsx_response(template_workbook(), "templat-impor-penduduk.xlsx")


@never_cache
@require_GET
def person_export(request: StaffRequest) -> FileResponse:
    """The current residents of the user's area as a workbook, audited."""
    access.require_editor(request.user)
    workbook, count = export_workbook(access.persons_for_export(request.user))
    actions.record_export(count=count, request=request)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"penduduk-{timezone.localdate():%Y-%m-%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
