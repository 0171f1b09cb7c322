"""Who may see and change the hospital's sessions, bookings and beds.

Staff belong to a hospital unit with a role: the registration clerk
(walk-ins, admission), clinic staff (the poli queue), ward nurses (beds), and
read-only viewers. Anything of another hospital is a 404, whoever asks; a
member whose role does not make that change gets a 403. A citizen sees only
the bookings they made.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Role
from kotacerdas.hospital.models import Bed, Booking, Session, Ward
from kotacerdas.people.models import Citizen

CLERK = {Role.HOSPITAL_CLERK}
CLINIC = {Role.CLINIC_STAFF}
NURSE = {Role.WARD_NURSE}
# Who reads the outpatient side (sessions, queues, bookings).
QUEUE_READERS = {Role.HOSPITAL_CLERK, Role.CLINIC_STAFF, Role.VIEWER}
# Who reads the wards.
WARD_READERS = {Role.WARD_NURSE, Role.HOSPITAL_CLERK, Role.VIEWER}


def unit_ids(user: AnyUser, roles: set[Role]) -> set[int]:
    """The user's hospital units in which they hold one of ``roles``."""
    return {m.unit_id for m in memberships(user) if m.role in roles and m.unit.kind == "hospital"}


def is_queue_staff(user: AnyUser) -> bool:
    return bool(unit_ids(user, QUEUE_READERS))


def is_ward_staff(user: AnyUser) -> bool:
    return bool(unit_ids(user, WARD_READERS))


def can(user: AnyUser, roles: set[Role], unit_id: int) -> bool:
    return unit_id in unit_ids(user, roles)


def require_queue_staff(user: AnyUser) -> set[int]:
    """Staff pages of the outpatient side: 404 to anyone who is not hospital staff."""
    units = unit_ids(user, QUEUE_READERS)
    if not units:
        raise Http404
    return units


def require_ward_staff(user: AnyUser) -> set[int]:
    units = unit_ids(user, WARD_READERS)
    if not units:
        raise Http404
    return units


def require_clerk(user: AnyUser) -> set[int]:
    """Counter pages that change things: 404 outside the hospital, 403 for other roles."""
    readers = require_queue_staff(user)
    clerk_units = unit_ids(user, CLERK) & readers
    if not clerk_units:
        raise PermissionDenied
    return clerk_units


def sessions_for_user(user: AnyUser) -> QuerySet[Session]:
    return Session.objects.filter(clinic__unit_id__in=unit_ids(user, QUEUE_READERS))


def get_session_for_user(
    user: AnyUser, session_id: int, *, write: bool = False, roles: set[Role] = CLINIC
) -> Session:
    """404 outside the user's hospital; 403 to change it without one of ``roles``."""
    session = (
        sessions_for_user(user).select_related("clinic", "doctor").filter(pk=session_id).first()
    )
    if session is None:
        raise Http404
    if write and not can(user, roles, session.clinic.unit_id):
        raise PermissionDenied
    return session


def get_booking_for_user(
    user: AnyUser, booking_id: int, *, write: bool = False, roles: set[Role] = CLINIC
) -> Booking:
    booking = (
        Booking.objects.filter(session__clinic__unit_id__in=unit_ids(user, QUEUE_READERS))
        .select_related("session__clinic", "session__doctor")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise Http404
    if write and not can(user, roles, booking.session.clinic.unit_id):
        raise PermissionDenied
    return booking


def wards_for_user(user: AnyUser) -> QuerySet[Ward]:
    return Ward.objects.filter(unit_id__in=unit_ids(user, WARD_READERS))


def get_bed_for_user(user: AnyUser, bed_id: int, *, write: bool = False) -> Bed:
    """404 outside the user's hospital; 403 to change it without being a ward nurse."""
    bed = (
        Bed.objects.filter(room__ward__unit_id__in=unit_ids(user, WARD_READERS))
        .select_related("room__ward")
        .filter(pk=bed_id)
        .first()
    )
    if bed is None:
        raise Http404
    if write and not can(user, NURSE, bed.room.ward.unit_id):
        raise PermissionDenied
    return bed


def get_ward_for_user(user: AnyUser, ward_id: int, *, write: bool = False) -> Ward:
    ward = wards_for_user(user).filter(pk=ward_id).first()
    if ward is None:
        raise Http404
    if write and not can(user, NURSE, ward.unit_id):
        raise PermissionDenied
    return ward


def bookings_for_citizen(citizen: Citizen) -> QuerySet[Booking]:
    return Booking.objects.filter(citizen=citizen)


def get_booking_for_citizen(citizen: Citizen | None, code: str) -> Booking:
    """A citizen's own booking; anyone else's (or none) is a 404."""
    if citizen is None:
        raise Http404
    booking = (
        bookings_for_citizen(citizen)
        .select_related("session__clinic", "session__doctor")
        .filter(code=code)
        .first()
    )
    if booking is None:
        raise Http404
    return booking
