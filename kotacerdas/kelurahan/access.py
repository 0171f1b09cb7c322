"""Who may see and move which letter request.

- An RW operator starts requests for residents of the RW and sees them; a
  resident elsewhere is 404.
- The kelurahan operator, Sekretaris Lurah and Lurah see their kelurahan's
  requests and each acts at their own step of the chain.
- Read-only members of a kelurahan or kecamatan office (viewer, camat) and the
  Wali Kota's office see requests and figures of their area, and change nothing.

Outside the user's area: 404. Inside it without the role for the step: 403.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kotacerdas.accounts.access import NOTHING, AnyUser, area_q, memberships
from kotacerdas.accounts.models import Role, Unit
from kotacerdas.kelurahan.models import Correspondence, Letter, LetterRequest
from kotacerdas.people.models import Person
from kotacerdas.regions.models import Region

STARTERS = {Role.RW_OPERATOR, Role.KELURAHAN_OFFICER}
OFFICE_ROLES = {Role.KELURAHAN_OFFICER, Role.SEKRETARIS_LURAH, Role.LURAH}
READERS = STARTERS | OFFICE_ROLES | {Role.CAMAT, Role.CITY_LEADER, Role.VIEWER, Role.CITY_ADMIN}
# Who acts at each step of the chain.
STEP_ROLES = {
    LetterRequest.Awaiting.OPERATOR: Role.KELURAHAN_OFFICER,
    LetterRequest.Awaiting.SEKRETARIS: Role.SEKRETARIS_LURAH,
    LetterRequest.Awaiting.LURAH: Role.LURAH,
}
TERRITORIAL = {Unit.Kind.KELURAHAN, Unit.Kind.KECAMATAN, Unit.Kind.RW, Unit.Kind.AGENCY}


def _q(user: AnyUser, roles: Collection[str], path: str = "rw") -> Q:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    for m in memberships(user):
        if m.role in roles and m.unit.kind in TERRITORIAL:
            q |= area_q(m, path)
    return q


def _has(user: AnyUser, roles: Collection[str]) -> bool:
    return any(m.role in roles and m.unit.kind in TERRITORIAL for m in memberships(user))


def reads_letters(user: AnyUser) -> bool:
    return _has(user, READERS)


def starts_requests(user: AnyUser) -> bool:
    return _has(user, STARTERS)


def works_in_office(user: AnyUser) -> bool:
    """Kelurahan office roles: the queues, templates, registers."""
    return _has(user, OFFICE_ROLES)


def edits_templates(user: AnyUser) -> bool:
    return _has(user, {Role.KELURAHAN_OFFICER, Role.SEKRETARIS_LURAH, Role.LURAH})


def require_reader(user: AnyUser) -> None:
    if not reads_letters(user):
        raise PermissionDenied


def requests_for_user(user: AnyUser) -> QuerySet[LetterRequest]:
    return LetterRequest.objects.filter(_q(user, READERS))


def get_request_for_user(user: AnyUser, request_id: int, *, write: bool = False) -> LetterRequest:
    """404 outside the user's area; 403 when ``write`` and the user only reads."""
    found = (
        requests_for_user(user)
        .select_related("letter_type", "person", "rw", "kelurahan")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    if (
        write
        and not LetterRequest.objects.filter(
            _q(user, STARTERS | OFFICE_ROLES), pk=found.pk
        ).exists()
    ):
        raise PermissionDenied
    return found


def may_act(user: AnyUser, request: LetterRequest, awaiting: str) -> bool:
    """True when the user holds the role of step ``awaiting`` in the request's area."""
    role = STEP_ROLES.get(LetterRequest.Awaiting(awaiting)) if awaiting else None
    if role is None:
        return False
    return LetterRequest.objects.filter(_q(user, {role}), pk=request.pk).exists()


def require_step(user: AnyUser, request: LetterRequest, awaiting: str) -> None:
    if not may_act(user, request, awaiting):
        raise PermissionDenied


def is_office_of(user: AnyUser, request: LetterRequest) -> bool:
    """Kelurahan office roles of the request's kelurahan (return, cancel, hand over)."""
    return LetterRequest.objects.filter(_q(user, OFFICE_ROLES), pk=request.pk).exists()


def residents_for_user(user: AnyUser) -> QuerySet[Person]:
    """The residents this user may start a request for (their RW, or kelurahan)."""
    return Person.objects.filter(_q(user, STARTERS, "rt__rw"))


def residents_for_preview(user: AnyUser) -> QuerySet[Person]:
    """Residents whose data may fill a template's preview: the office's kelurahan, the RW's RW."""
    return Person.objects.filter(_q(user, STARTERS | OFFICE_ROLES, "rt__rw"))


def kelurahan_for_user(user: AnyUser, roles: Collection[str] | None = None) -> QuerySet[Region]:
    """The kelurahan whose office the user works in (templates, registers)."""
    codes = {
        m.unit.region_id
        for m in memberships(user)
        if m.role in (roles or OFFICE_ROLES)
        and m.unit.kind == Unit.Kind.KELURAHAN
        and m.unit.region_id
    }
    return Region.objects.filter(code__in=codes).order_by("name")


def letters_for_user(user: AnyUser) -> QuerySet[Letter]:
    return Letter.objects.filter(_q(user, READERS, "request__rw"))


def get_letter_for_user(user: AnyUser, letter_id: int, *, lurah: bool = False) -> Letter:
    """404 outside the area; 403 when ``lurah`` (revoke, correct) and the user is not its Lurah."""
    letter = (
        letters_for_user(user).select_related("request", "letter_type").filter(pk=letter_id).first()
    )
    if letter is None:
        raise Http404
    if (
        lurah
        and not Letter.objects.filter(_q(user, {Role.LURAH}, "request__rw"), pk=letter.pk).exists()
    ):
        raise PermissionDenied
    return letter


def correspondence_for_user(user: AnyUser) -> QuerySet[Correspondence]:
    return Correspondence.objects.filter(kelurahan__in=kelurahan_for_user(user, READERS))


def figures_area_q(user: AnyUser) -> Q:
    """For the statistics page: the letters of the user's area (a kecamatan, the city)."""
    return _q(user, READERS, "request__rw")
