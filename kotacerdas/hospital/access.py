"""Who may see and change the hospital's sessions, bookings and beds.

Staff belong to a hospital unit with a role: the registration clerk
(walk-ins, admission), clinic staff (the poli queue), ward nurses (beds), and
read-only viewers. Anything of another hospital is a 404, whoever asks; a
member whose role does not make that change gets a 403. A citizen sees only
the bookings they made.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Role, Unit
from kotacerdas.core.compiled import Lookup
from kotacerdas.hospital.models import Bed, Booking, Doctor, Session, TaskTime, Ward
from kotacerdas.hospital.roles import HospitalRole
from kotacerdas.people.models import Citizen, Person

CLERK = {HospitalRole.HOSPITAL_CLERK}
CLINIC = {HospitalRole.CLINIC_STAFF}
NURSE = {HospitalRole.WARD_NURSE}
# Who reads the outpatient side (sessions, queues, bookings).
QUEUE_READERS = {HospitalRole.HOSPITAL_CLERK, HospitalRole.CLINIC_STAFF, Role.VIEWER}
# Who reads the wards.
WARD_READERS = {HospitalRole.WARD_NURSE, HospitalRole.HOSPITAL_CLERK, Role.VIEWER}


def unit_ids(user: AnyUser, roles: Collection[str]) -> set[int]:
    """The user's hospital units in which they hold one of ``roles``."""
    return {m.unit_id for m in memberships(user) if m.role in roles and m.unit.kind == "hospital"}


def is_queue_staff(user: AnyUser) -> bool:
    return bool(unit_ids(user, QUEUE_READERS))


def is_ward_staff(user: AnyUser) -> bool:
    return bool(unit_ids(user, WARD_READERS))


def works_at_counter(user: AnyUser) -> bool:
    return bool(unit_ids(user, CLERK | {Role.VIEWER}))


def works_in_clinics(user: AnyUser) -> bool:
    return bool(unit_ids(user, CLINIC | {Role.VIEWER}))


def can(user: AnyUser, roles: Collection[str], unit_id: int) -> bool:
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


def is_clerk(user: AnyUser) -> bool:
    return bool(unit_ids(user, CLERK))


def clerk_unit_for_user(user: AnyUser) -> Unit:
    """The hospital a clerk's change applies to (404/403 as ``require_clerk``)."""
    return Unit.objects.get(pk=min(require_clerk(user)))


def sessions_for_user(user: AnyUser) -> QuerySet[Session]:
    return Session.objects.filter(clinic__unit_id__in=unit_ids(user, QUEUE_READERS))


def today_sessions_for_user(user: AnyUser) -> list[Session]:
    """Today's sessions of the user's hospitals, by clinic and start."""
    return list(
        sessions_for_user(user)
        .filter(date=timezone.localdate())
        .select_related("clinic", "doctor")
        .order_by("clinic__name", "start")
    )


def bookable_sessions_for_user(user: AnyUser) -> QuerySet[Session]:
    """Today's open sessions a clerk may book walk-in patients into."""
    return Session.objects.filter(
        clinic__unit_id__in=unit_ids(user, CLERK),
        date=timezone.localdate(),
        status=Session.Status.OPEN,
    ).select_related("clinic", "doctor")


def closed_sessions_for_user(user: AnyUser) -> QuerySet[Session]:
    """Sessions from today on that a holiday or leave closed, in the user's hospitals."""
    return (
        sessions_for_user(user)
        .filter(date__gte=timezone.localdate(), status=Session.Status.CLOSED)
        .select_related("clinic", "doctor")
        .order_by("date", "start")
    )


def bookings_for_user(user: AnyUser) -> QuerySet[Booking]:
    return Booking.objects.filter(session__clinic__unit_id__in=unit_ids(user, QUEUE_READERS))


def new_patients_for_user(user: AnyUser) -> QuerySet[Booking]:
    """Checked in today without a medical record and not yet admitted: the
    patients the registration counter still has to register."""
    return (
        bookings_for_user(user)
        .filter(
            session__date=timezone.localdate(),
            status=Booking.Status.CHECKED_IN,
            medical_record="",
        )
        .exclude(tasks__task=TaskTime.Task.ADMISSION_SERVICE)
        .select_related("session__clinic")
        .order_by("session__clinic__name", "number")
    )


def doctors_for_user(user: AnyUser) -> QuerySet[Doctor]:
    return Doctor.objects.filter(unit_id__in=unit_ids(user, QUEUE_READERS), active=True)


def get_doctor_for_user(user: AnyUser, doctor_id: int, *, write: bool = False) -> Doctor:
    """404 outside the user's hospital; 403 to change their schedule without
    being a clerk of the doctor's hospital."""
    doctor = doctors_for_user(user).filter(pk=doctor_id).first()
    if doctor is None:
        raise Http404
    if write and not can(user, CLERK, doctor.unit_id):
        raise PermissionDenied
    return doctor


def get_session_for_user(
    user: AnyUser, session_id: int, *, write: bool = False, roles: Collection[str] = CLINIC
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
    user: AnyUser, booking_id: int, *, write: bool = False, roles: Collection[str] = CLINIC
) -> Booking:
    booking = (
        bookings_for_user(user)
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


# Read on every booking form and every booking of a rush: compiled once.
_public_session = Lookup(
    Session,
    lambda pk, unit: Session.objects.select_related("clinic", "doctor").filter(
        pk=pk, clinic__unit__code=unit
    ),
)


def get_public_session(session_id: int) -> Session:
    """A session of this hospital, with its clinic and doctor, as anyone may see
    it to book (open or not: the page says why it cannot be booked); else 404."""
    session = _public_session.first(session_id, settings.HOSPITAL_UNIT_CODE)
    if session is None:
        raise Http404
    return session


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


def patient_for_sender(phone: str, nik: str) -> Person | None:
    """The living resident with ``nik``, if ``phone`` is the number the register
    holds for her or for a living member of her family card; else None.

    An SMS booking's only proof of who sends it is the sending number, so the
    register decides: the patient's own number, or a relative's on the same
    card (a mother books for her child, a son for his father). An unknown NIK
    and a number that does not match give the same None: the reply must not
    tell whether a NIK is in the register.
    """
    if not phone:
        return None
    alive = Person.objects.filter(status=Person.Status.ALIVE)
    patient = alive.filter(nik=nik).first()
    if patient is None:
        return None
    if patient.phone == phone:
        return patient
    if patient.family_id is None:
        return None
    return patient if alive.filter(family_id=patient.family_id, phone=phone).exists() else None


def get_booking_for_sender(phone: str, code: str) -> Booking | None:
    """A booking an SMS from ``phone`` may cancel or follow, else None.

    Hers when it was made from this number (by SMS or by her account), or
    when this number is on the patient's family card in the register. Anyone
    else's code is the same None as a code that does not exist.
    """
    if not phone or not code:
        return None
    booking = Booking.objects.select_related("session__clinic", "citizen").filter(code=code).first()
    if booking is None:
        return None
    if booking.phone == phone or (booking.citizen is not None and booking.citizen.phone == phone):
        return booking
    return booking if patient_for_sender(phone, booking.nik) is not None else None
