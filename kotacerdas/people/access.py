"""Which residents and families a member of staff may see or change; which
citizen is signed in, and whom that citizen may act for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kotacerdas.accounts.access import AnyUser, memberships, scope_q
from kotacerdas.accounts.models import PEOPLE_EDITORS
from kotacerdas.people.models import Citizen, Family, ImportJob, Person
from kotacerdas.regions.models import RT, Region

# The session key the phone sign-in (messaging) sets once the code is right.
CITIZEN_SESSION_KEY = "citizen_id"


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


# Citizens ---------------------------------------------------------------------


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen signed in with a phone code in this session, if any."""
    citizen_id = request.session.get(CITIZEN_SESSION_KEY)
    if citizen_id is None:
        return None
    return Citizen.objects.select_related("person").filter(pk=citizen_id).first()
