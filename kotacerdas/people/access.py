"""Which residents and families a member of staff may see or change; which
citizen is signed in, and whom that citizen may act for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from kotacerdas.accounts.access import AnyUser, memberships, scope_q
from kotacerdas.accounts.models import PEOPLE_EDITORS
from kotacerdas.accounts.roles import Role
from kotacerdas.core.compiled import Lookup
from kotacerdas.people.models import Citizen, Family, ImportJob, Person, Proposal
from kotacerdas.people.relations import parents_from_family, years_before
from kotacerdas.regions.models import RT, Region

# The session key the phone sign-in (messaging) sets once the code is right.
CITIZEN_SESSION_KEY = "citizen_id"
# A citizen acts for her or his children until they come of age.
CHILD_UNTIL_AGE = 18


def persons_for_user(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.for_user(user)


def families_for_user(user: AnyUser, *, write: bool = False) -> QuerySet[Family]:
    return Family.objects.for_user(user, roles=PEOPLE_EDITORS if write else None)


def can_edit_people(user: AnyUser) -> bool:
    return user.is_authenticated and any(m.role in PEOPLE_EDITORS for m in memberships(user))


def get_person_for_user(user: AnyUser, person_id: int, *, write: bool = False) -> Person:
    """The person, if the user's area holds them: 404 outside it, 403 if read-only."""
    person = (
        persons_for_user(user)
        .select_related("rt__rw__kelurahan", "family")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404
    if (
        write
        and not Person.objects.for_user(user, roles=PEOPLE_EDITORS).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied
    return person


def get_family_for_user(user: AnyUser, family_id: int, *, write: bool = False) -> Family:
    family = (
        families_for_user(user).select_related("rt__rw__kelurahan").filter(pk=family_id).first()
    )
    if family is None:
        raise Http404
    if (
        write
        and not Family.objects.for_user(user, roles=PEOPLE_EDITORS).filter(pk=family.pk).exists()
    ):
        raise PermissionDenied
    return family


def require_editor(user: AnyUser) -> None:
    """For pages that create: a read-only member gets 403."""
    if not can_edit_people(user):
        raise PermissionDenied


def rts_for_user(user: AnyUser) -> QuerySet[RT]:
    """The RTs where the user may register residents and families."""
    return (
        RT.objects.filter(scope_q(user, "rw", roles=PEOPLE_EDITORS))
        .select_related("rw__kelurahan")
        .order_by("rw__kelurahan__name", "rw__number", "number")
    )


def persons_for_export(user: AnyUser) -> QuerySet[Person]:
    """Current residents where the user may edit: a bulk copy of personal data
    is for the people who keep the register, not for read-only members."""
    return Person.objects.for_user(user, roles=PEOPLE_EDITORS).filter(status=Person.Status.ALIVE)


def kelurahan_for_import(user: AnyUser) -> QuerySet[Region]:
    """The kelurahan holding at least one RT where the user may register residents."""
    kelurahan_codes = rts_for_user(user).order_by().values("rw__kelurahan_id")
    return Region.objects.filter(code__in=kelurahan_codes).order_by("name")


def imports_for_user(user: AnyUser) -> QuerySet[ImportJob]:
    """The user's own uploads, without the stored files."""
    return ImportJob.objects.filter(uploaded_by_id=user.pk).defer("content")


def get_import_for_user(user: AnyUser, job_id: int) -> ImportJob:
    """One of the user's uploads: 403 for a role that cannot edit, 404 for another's."""
    require_editor(user)
    job = imports_for_user(user).select_related("kelurahan").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


# Proposed changes ---------------------------------------------------------------

# Who decides what RW operators propose: the kelurahan and those above it.
DECIDERS = PEOPLE_EDITORS - {Role.RW_OPERATOR}


def must_propose(user: AnyUser, rt: RT) -> bool:
    """True when the user may change this RT's residents only as its RW operator:
    births, deaths, moves, splits and corrections then wait for the kelurahan."""
    return not RT.objects.filter(pk=rt.pk).filter(scope_q(user, "rw", roles=DECIDERS)).exists()


def proposals_for_user(user: AnyUser) -> QuerySet[Proposal]:
    """Proposals in the area where the user keeps the register (RW: its own RW)."""
    return Proposal.objects.for_user(user, roles=PEOPLE_EDITORS)


def can_decide_proposals(user: AnyUser) -> bool:
    return user.is_authenticated and any(m.role in DECIDERS for m in memberships(user))


def get_proposal_for_user(user: AnyUser, proposal_id: int, *, decide: bool = False) -> Proposal:
    """404 outside the user's area; 403 for deciding without a kelurahan role there."""
    proposal = (
        proposals_for_user(user)
        .select_related("rt__rw__kelurahan", "person", "family", "proposed_by", "decided_by")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    if decide and must_propose(user, proposal.rt):
        raise PermissionDenied
    return proposal


# Conflicts of the monthly extracts ------------------------------------------------


def conflict_jobs_for_user(user: AnyUser) -> QuerySet[ImportJob]:
    """Imports (not dry runs) of the kelurahan where the user decides the register:
    their conflicts are the user's to decide, whoever ran them (an operator, or
    Disdukcapil's ``import_residents``)."""
    kelurahan = RT.objects.filter(scope_q(user, "rw", roles=DECIDERS)).values("rw__kelurahan_id")
    return ImportJob.objects.filter(
        kelurahan__in=kelurahan, dry_run=False, status=ImportJob.Status.DONE
    ).defer("content")


def get_conflicts_for_user(user: AnyUser, job_id: int) -> ImportJob:
    """403 for a role that does not decide (RW operators, read-only); 404 for an
    import of another kelurahan."""
    if not can_decide_proposals(user):
        raise PermissionDenied
    job = conflict_jobs_for_user(user).select_related("kelurahan").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def get_conflict_for_user(user: AnyUser, job_id: int, index: int) -> tuple[ImportJob, Person]:
    """One conflict of an import and its resident, who must be in the user's area."""
    job = get_conflicts_for_user(user, job_id)
    if not 0 <= index < len(job.conflicts):
        raise Http404
    person = (
        Person.objects.for_user(user, roles=DECIDERS)
        .filter(pk=job.conflicts[index].get("person"))
        .first()
    )
    if person is None:
        raise Http404
    return job, person


# Citizens ---------------------------------------------------------------------


# Read on every signed-in citizen's request: compiled once (no ORDER BY: by key).
_citizen_by_pk = Lookup(Citizen, lambda pk: Citizen.objects.select_related("person").filter(pk=pk))


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen signed in with a phone code in this session, if any."""
    citizen_id = request.session.get(CITIZEN_SESSION_KEY)
    if citizen_id is None:
        return None
    # Asked by the view and by the header on the same request: one query.
    cached: Citizen | None = getattr(request, "_current_citizen", None)
    if cached is not None and cached.pk == citizen_id:
        return cached
    found = _citizen_by_pk.first(citizen_id)
    request._current_citizen = found  # type: ignore[attr-defined]
    return found


def persons_citizen_may_act_for(citizen: Citizen) -> QuerySet[Person]:
    """The register people this citizen may act for: the resident the account is
    linked to (``people.actions.link_citizen``) and that person's children under
    18 on the family card (``people.relations.parents_from_family``), all living.

    Nobody for an account not linked yet: the phone number alone proves nothing.
    Posyandu, births, hospital and letters ask this, not the family card.
    """
    living = Person.objects.filter(status=Person.Status.ALIVE)
    person = living.filter(pk=citizen.person_id).first() if citizen.person_id else None
    if person is None:
        return Person.objects.none()
    ids = {person.pk}
    if person.family_id is not None:
        adult_from = years_before(timezone.localdate(), CHILD_UNTIL_AGE)
        members = list(Person.objects.filter(family_id=person.family_id))
        for member in members:
            if member.status != Person.Status.ALIVE or member.birth_date <= adult_from:
                continue
            parents = parents_from_family(member, members)
            if person in (parents.mother, parents.father):
                ids.add(member.pk)
    return living.filter(pk__in=ids)
