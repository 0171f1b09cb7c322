"""The hospital, its clinic, sessions, staff personas and a signed-in citizen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.hospital.models import Bed, Clinic, Doctor, Room, Session, Ward
from kotacerdas.hospital.roles import HospitalRole
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen

NIK = "3274014503180001"
NIK2 = "3274010512900002"
CARD = "0001234567890"


@pytest.fixture
def hospital(city: dict[str, Any]) -> Unit:
    return Unit.objects.create(
        kind=Unit.Kind.HOSPITAL, code="rsd-gunung-jati", name="RSD Gunung Jati", region_id="32.74"
    )


@pytest.fixture
def other_hospital(city: dict[str, Any]) -> Unit:
    return Unit.objects.create(
        kind=Unit.Kind.HOSPITAL, code="rs-lain", name="RS Lain", region_id="32.74"
    )


@pytest.fixture
def clinic(hospital: Unit) -> Clinic:
    return Clinic.objects.create(
        unit=hospital, code="INT", name="Poli Penyakit Dalam", bpjs_code="INT"
    )


@pytest.fixture
def doctor(hospital: Unit) -> Doctor:
    return Doctor.objects.create(unit=hospital, name="dr. Andi, Sp.PD", bpjs_code=12345)


@pytest.fixture
def make_session(clinic: Clinic, doctor: Doctor) -> Callable[..., Session]:
    def make(
        date: dt.date | None = None,
        start: dt.time = dt.time(8, 0),
        end: dt.time = dt.time(12, 0),
        quota_jkn: int = 20,
        quota_non_jkn: int = 10,
    ) -> Session:
        return Session.objects.create(
            clinic=clinic,
            doctor=doctor,
            date=date or timezone.localdate() + dt.timedelta(days=2),
            start=start,
            end=end,
            quota_jkn=quota_jkn,
            quota_non_jkn=quota_non_jkn,
            minutes_per_patient=10,
        )

    return make


@pytest.fixture
def session(make_session: Callable[..., Session]) -> Session:
    """A session two days ahead: bookable."""
    return make_session()


@pytest.fixture
def today_session(make_session: Callable[..., Session]) -> Session:
    """Running now: started an hour ago, ends in three hours (check-in is open),
    both within today: near midnight it starts at 00:00 or ends at 23:59 instead,
    never an hour that puts "now" more than an hour into it (booking cut-offs)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - dt.timedelta(hours=1), midnight).time().replace(second=0, microsecond=0)
    end = min(now + dt.timedelta(hours=3), midnight + dt.timedelta(hours=23, minutes=59))
    return make_session(
        date=now.date(), start=start, end=end.time().replace(second=0, microsecond=0)
    )


@pytest.fixture
def clerk(make_member: Callable[..., User], hospital: Unit) -> User:
    return make_member("loket", HospitalRole.HOSPITAL_CLERK, hospital)


@pytest.fixture
def clinic_staff(make_member: Callable[..., User], hospital: Unit) -> User:
    return make_member("poli", HospitalRole.CLINIC_STAFF, hospital)


@pytest.fixture
def nurse(make_member: Callable[..., User], hospital: Unit) -> User:
    return make_member("perawat", HospitalRole.WARD_NURSE, hospital)


@pytest.fixture
def hospital_viewer(make_member: Callable[..., User], hospital: Unit) -> User:
    return make_member("direktur", Role.VIEWER, hospital)


@pytest.fixture
def other_staff(make_member: Callable[..., User], other_hospital: Unit) -> User:
    """Clerk, clinic staff and nurse of another hospital."""
    user = make_member("lain", HospitalRole.HOSPITAL_CLERK, other_hospital)
    from kotacerdas.accounts.models import Membership

    for role in (HospitalRole.CLINIC_STAFF, HospitalRole.WARD_NURSE):
        Membership.objects.create(user=user, unit=other_hospital, role=role)
    return user


@pytest.fixture
def citizen(db: Any) -> Citizen:
    return Citizen.objects.create(phone="+6281234567890")


def citizen_client(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return client


@pytest.fixture
def citizen_web(citizen: Citizen) -> Client:
    return citizen_client(citizen)


@pytest.fixture
def beds(hospital: Unit) -> list[Bed]:
    """Two wards: Kelas III with 2 rooms of 3 beds, ICU with 1 room of 2 beds."""
    made = []
    for name, bed_type, rooms, per_room in (("Melati", 5, 2, 3), ("ICU", 6, 1, 2)):
        ward = Ward.objects.create(unit=hospital, name=name, bed_type=bed_type)
        for r in range(rooms):
            room = Room.objects.create(ward=ward, name=f"{name} {r + 1}")
            for b in range(per_room):
                made.append(Bed.objects.create(room=room, label=f"TT{b + 1}"))
    return made
