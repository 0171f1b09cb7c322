"""Demo data for Cirebon Lengko: clinics, doctors, schedules, sessions, bookings, 446 beds.

Synthetic: doctors' names are invented, patients' NIKs are made up (valid in
shape only) and nobody is sent an SMS.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Unit
from kotacerdas.hospital import actions
from kotacerdas.hospital.actions import booking as booking_actions
from kotacerdas.hospital.models import (
    Bed,
    BedType,
    Booking,
    Clinic,
    Doctor,
    Room,
    Session,
    TaskTime,
    Ward,
    WeeklySchedule,
)
from kotacerdas.hospital.roles import HospitalRole
from kotacerdas.web.declarations import DemoContext

# (code = BPJS poli code, name, specialist title)
# Clinics whose name is kept out of SMS and the hall screen.
SENSITIVE = {"KLT"}
CLINICS = [
    ("INT", "Poli Penyakit Dalam", "Sp.PD"),
    ("ANA", "Poli Anak", "Sp.A"),
    ("OBG", "Poli Kandungan", "Sp.OG"),
    ("BED", "Poli Bedah", "Sp.B"),
    ("MAT", "Poli Mata", "Sp.M"),
    ("GIG", "Poli Gigi", "drg."),
    ("SAR", "Poli Saraf", "Sp.N"),
    ("JAN", "Poli Jantung", "Sp.JP"),
    ("THT", "Poli THT", "Sp.THT-KL"),
    ("KLT", "Poli Kulit dan Kelamin", "Sp.KK"),
    ("ORT", "Poli Orthopedi", "Sp.OT"),
    ("PAR", "Poli Paru", "Sp.P"),
]
FIRST_NAMES = [
    "Ahmad", "Budi", "Citra", "Dian", "Eka", "Fitri", "Gilang", "Hana", "Irfan", "Juwita",
    "Kurnia", "Lestari", "Maya", "Nanda", "Oki", "Putri", "Rizal", "Sari", "Taufik", "Wulan",
    "Yusuf", "Zahra", "Arif", "Bayu",
]  # fmt: skip
LAST_NAMES = ["Pratama", "Hidayat", "Saputra", "Wijaya", "Permana", "Kusuma", "Ramadhan", "Nugraha"]

# (ward, SIRS id_tt, rooms, beds per room): 446 beds, as since May 2024.
WARDS = [
    ("Paviliun Pakungwati VVIP", BedType.VVIP, 4, 1),
    ("Paviliun Pakungwati VIP", BedType.VIP, 12, 1),
    ("Ruang Sunan Kalijaga Kelas I", BedType.CLASS_1, 12, 2),
    ("Ruang Sunan Kalijaga Kelas II", BedType.CLASS_2, 14, 3),
    ("Gedung Nyi Mas Gandasari (KRIS)", BedType.KRIS, 40, 4),
    ("Ruang Sunan Gunung Jati Kelas III", BedType.CLASS_3, 25, 4),
    ("Ruang Sunan Ampel Kelas III", BedType.CLASS_3, 10, 3),
    ("ICU", BedType.ICU, 1, 10),
    ("HCU", BedType.HCU, 1, 8),
    ("ICCU", BedType.ICCU, 1, 6),
    ("NICU", BedType.NICU, 1, 10),
    ("PICU", BedType.PICU, 1, 6),
    ("Ruang Isolasi", BedType.ISOLATION, 6, 1),
    ("Ruang Isolasi Tekanan Negatif", BedType.ISOLATION_NEGATIVE, 4, 1),
    ("Perinatologi", BedType.PERINATOLOGY, 1, 14),
    ("Ruang Bersalin (VK)", BedType.DELIVERY, 1, 10),
]
STATUS_WEIGHTS = [
    (Bed.Status.OCCUPIED, 74),
    (Bed.Status.AVAILABLE, 18),
    (Bed.Status.CLEANING, 5),
    (Bed.Status.RESERVED, 2),
    (Bed.Status.OUT_OF_SERVICE, 1),
]


def _nik(rng: random.Random, serial: int) -> str:
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return f"3274{rng.randint(1, 5):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{serial:04d}"


def build_hospital(rng: random.Random, *, scale: str = "small") -> str:
    """Adds the hospital's data once; a database that already has clinics is left alone."""
    unit = Unit.objects.get(code="rsd-gunung-jati")
    if Clinic.objects.filter(unit=unit).exists():
        return "Hospital data already present: left as it is."
    with transaction.atomic():
        _clinics_and_schedules(unit, rng)
        made = actions.generate_sessions(unit)
        booked = _bookings(rng, per_session=12 if scale == "city" else 4)
        beds = _beds(unit, rng)
    return f"Hospital: {len(CLINICS)} clinics, {made} sessions, {booked} bookings, {beds} beds."


def _clinics_and_schedules(unit: Unit, rng: random.Random) -> None:
    for code, name, title in CLINICS:
        clinic = Clinic.objects.create(
            unit=unit,
            code=code,
            name=name,
            bpjs_code=code,
            location="Gedung Rawat Jalan",
            sensitive=code in SENSITIVE,
        )
        for half in (0, 1):
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            doctor = Doctor.objects.create(
                unit=unit,
                name=f"drg. {person}" if title == "drg." else f"dr. {person}, {title}",
                bpjs_code=rng.randint(10000, 99999),
            )
            # One doctor Monday/Wednesday/Friday, the other Tuesday/Thursday/Saturday.
            for weekday in (1 + half, 3 + half, 5 + half):
                WeeklySchedule.objects.create(
                    clinic=clinic,
                    doctor=doctor,
                    weekday=weekday,
                    start=dt.time(8, 0),
                    end=dt.time(12, 0),
                    quota_jkn=30,
                    quota_non_jkn=10,
                    minutes_per_patient=8,
                )
            if half == 0:
                WeeklySchedule.objects.create(
                    clinic=clinic,
                    doctor=doctor,
                    weekday=2,
                    start=dt.time(13, 0),
                    end=dt.time(16, 0),
                    quota_jkn=20,
                    quota_non_jkn=5,
                    minutes_per_patient=8,
                )


def _bookings(rng: random.Random, *, per_session: int) -> int:
    """Some bookings in every open session; today's are partly checked in and called."""
    today = timezone.localdate()
    serial = 0
    count = 0
    for session in Session.objects.filter(status=Session.Status.OPEN).select_related("clinic"):
        for _ in range(rng.randint(per_session // 2, per_session)):
            serial += 1
            jkn = rng.random() < 0.8
            patient = actions.Patient(
                nik=_nik(rng, serial),
                bpjs_card=f"{rng.randint(1, 10**13 - 1):013d}" if jkn else "",
                medical_record=f"RM{rng.randint(100000, 999999)}" if rng.random() < 0.6 else "",
                visit_type=rng.choice([1, 1, 1, 3, 3, 2]),
                referral_number=f"0123R001{rng.randint(1000000, 9999999)}" if jkn else "",
            )
            locked = Session.objects.select_for_update().get(pk=session.pk)
            try:
                booking_actions._check_bookable(locked, counter=True)
                booking = booking_actions._allocate(
                    locked,
                    patient,
                    channel=rng.choice([Booking.Channel.WEB, Booking.Channel.COUNTER]),
                    citizen=None,
                    clerk=None,
                    idempotency_key=None,
                )
            except ValidationError:
                break  # a session of today that has already ended

            count += 1
            if session.date == today and booking.number <= 6:
                _move_along(session, booking)
    return count


def _move_along(session: Session, booking: Booking) -> None:
    at = session.starts_at
    booking.status = Booking.Status.CHECKED_IN if booking.number > 2 else Booking.Status.SERVED
    booking.save(update_fields=["status"])
    TaskTime.objects.create(booking=booking, task=TaskTime.Task.CLINIC_WAITING, at=at)
    if booking.status == Booking.Status.SERVED:
        TaskTime.objects.create(booking=booking, task=TaskTime.Task.CLINIC_SERVICE, at=at)
        TaskTime.objects.create(booking=booking, task=TaskTime.Task.PHARMACY_WAITING, at=at)
        Session.objects.filter(pk=session.pk).update(serving_number=booking.number, called_at=at)


def _beds(unit: Unit, rng: random.Random) -> int:
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    beds = []
    for name, bed_type, rooms, per_room in WARDS:
        ward = Ward.objects.create(
            unit=unit, name=name, bed_type=bed_type, waiting=rng.randint(0, 4)
        )
        for number in range(1, rooms + 1):
            room = Room.objects.create(ward=ward, name=f"{name.split(' (')[0]} {number:02d}")
            beds += [
                Bed(room=room, label=f"TT{b}", status=rng.choices(statuses, weights)[0])
                for b in range(1, per_room + 1)
            ]
    Bed.objects.bulk_create(beds)
    return len(beds)


PERSONAS = [
    Persona(
        "loket.rsd",
        "Dewi Lestari",
        HospitalRole.HOSPITAL_CLERK,
        "rsd-gunung-jati",
        "RSD Gunung Jati registration clerk (walk-ins, new patients)",
    ),
    Persona(
        "poli.rsd",
        "Rudi Hartono",
        HospitalRole.CLINIC_STAFF,
        "rsd-gunung-jati",
        "RSD Gunung Jati clinic staff (call, recall, skip, served)",
    ),
    Persona(
        "perawat.rsd",
        "Nur Aini",
        HospitalRole.WARD_NURSE,
        "rsd-gunung-jati",
        "RSD Gunung Jati ward nurse (bed status)",
    ),
]


def build_demo(context: DemoContext) -> list[Persona]:
    """The hospital's personas, then its clinics, sessions, bookings and beds (HospitalConfig.demo)."""
    personas = build_personas(PERSONAS)
    context.write(build_hospital(context.rng, scale=context.scale))
    return personas
