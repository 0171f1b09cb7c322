"""Cirebon Lengko: clinics, doctors' sessions, bookings and their queue; wards and beds.

Field names follow what they are; where BPJS Antrean or SIRS Online has a
name for the same thing, the docstring or ``help_text`` says which, so a
bridge maps them one to one (see docs/hospital.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Clinic(models.Model):
    """A poli. ``code`` is the hospital's own (it prefixes queue numbers: INT-12)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="clinics")
    code = models.CharField(_("code"), max_length=8, help_text=_("Prefix of queue numbers."))
    name = models.CharField(_("name"), max_length=100)
    bpjs_code = models.CharField(_("BPJS poli code"), max_length=8, blank=True)
    bpjs_subspecialist_code = models.CharField(
        _("BPJS subspecialist code"), max_length=8, blank=True
    )
    location = models.CharField(_("where"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Psychiatry, sexual health, HIV testing …: SMS give only the number, without the clinic's code, and the hall screen leaves the clinic out (its own screen, inside the clinic, still shows it)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="hospital_clinic_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Doctor(models.Model):
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="doctors")
    name = models.CharField(_("name"), max_length=120)
    bpjs_code = models.PositiveIntegerField(_("BPJS doctor code"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    """BPJS ``hari``: 1 = Monday … 7 = Sunday."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class WeeklySchedule(models.Model):
    """A doctor's practice hours in a clinic on one weekday; sessions are made from it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="schedules")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    quota_jkn = models.PositiveIntegerField(_("quota for JKN patients"))
    quota_non_jkn = models.PositiveIntegerField(_("quota for other patients"))
    minutes_per_patient = models.PositiveSmallIntegerField(_("minutes per patient"), default=10)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["clinic", "weekday", "start"]
        verbose_name = _("weekly schedule")
        verbose_name_plural = _("weekly schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "weekday", "start"], name="hospital_schedule_unique"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="schedule_order"),
        ]

    def __str__(self) -> str:
        return f"{self.clinic} · {self.doctor} · {self.get_weekday_display()} {self.start:%H:%M}"


class HospitalClosure(models.Model):
    """A day the hospital's clinics do not open although the city's calendar
    (``kotacerdas.workdays``) has it as a working day: the hospital's own
    decision, recorded by its registration clerks. The city's days off close
    the clinics by themselves (``settings.HOSPITAL_CLOSED_ON``)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure of the hospital")
        verbose_name_plural = _("closures of the hospital")
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="hospital_closure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class DoctorLeave(models.Model):
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="leaves")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_day"]
        verbose_name = _("doctor's leave")
        verbose_name_plural = _("doctors' leave")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="leave_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} {self.first_day}–{self.last_day}"


class Session(models.Model):
    """One doctor's practice in one clinic on one date (BPJS: jadwal + tanggalperiksa).

    ``last_number`` and the two ``booked_*`` counters are changed only with
    the row locked (``select_for_update``): that lock is what keeps the quota
    and makes queue numbers unique and gapless under a rush.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        HOLIDAY = "holiday", _("Day off in the city calendar")
        HOSPITAL = "hospital", _("Hospital closed")
        LEAVE = "leave", _("Doctor unavailable")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="sessions")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="sessions")
    schedule = models.ForeignKey(
        WeeklySchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    quota_jkn = models.PositiveIntegerField(_("quota for JKN patients"))
    quota_non_jkn = models.PositiveIntegerField(_("quota for other patients"))
    minutes_per_patient = models.PositiveSmallIntegerField(_("minutes per patient"), default=10)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closure = models.CharField(max_length=8, choices=Closure.choices, blank=True)
    last_number = models.PositiveIntegerField(default=0)
    booked_jkn = models.PositiveIntegerField(default=0)
    booked_non_jkn = models.PositiveIntegerField(default=0)
    serving_number = models.PositiveIntegerField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start", "clinic__name"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "date", "start"], name="hospital_session_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked_jkn__lte=models.F("quota_jkn"))
                & Q(booked_non_jkn__lte=models.F("quota_non_jkn")),
                name="session_within_quota",
            ),
        ]
        indexes = [models.Index(fields=["date", "clinic"], name="hospital_session_date")]

    def __str__(self) -> str:
        return f"{self.clinic} · {self.doctor} · {self.date} {self.hours}"

    @property
    def hours(self) -> str:
        """BPJS ``jampraktek``."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start))

    @property
    def ends_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.end))

    @property
    def quota(self) -> int:
        return self.quota_jkn + self.quota_non_jkn

    @property
    def remaining_jkn(self) -> int:
        return max(self.quota_jkn - self.booked_jkn, 0)

    @property
    def remaining_non_jkn(self) -> int:
        return max(self.quota_non_jkn - self.booked_non_jkn, 0)

    @property
    def remaining(self) -> int:
        return self.remaining_jkn + self.remaining_non_jkn

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def estimate(self, place: int) -> dt.datetime:
        """When the ``place``-th patient should be seen, by the timetable (BPJS ``estimasidilayani``)."""
        return self.starts_at + dt.timedelta(minutes=(place - 1) * self.minutes_per_patient)

    def label(self, number: int | None) -> str:
        return f"{self.clinic.code}-{number}" if number else "–"


class Booking(models.Model):
    """A queue number in a session (BPJS: antrean; Khanza: referensi_mobilejkn_bpjs)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CALLED = "called", _("Called")
        SKIPPED = "skipped", _("Skipped (not present when called)")
        SERVED = "served", _("Served")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")

    class Channel(models.TextChoices):
        WEB = "web", _("Online")
        COUNTER = "counter", _("Registration counter")
        SMS = "sms", _("SMS")

    class Payer(models.TextChoices):
        """BPJS ``jenispasien``."""

        JKN = "JKN", _("JKN (BPJS)")
        NON_JKN = "NON JKN", _("Not JKN (self-pay or other insurer)")

    class VisitType(models.IntegerChoices):
        """BPJS ``jeniskunjungan``."""

        REFERRAL = 1, _("Referral from primary care (FKTP)")
        INTERNAL = 2, _("Internal referral")
        FOLLOW_UP = 3, _("Follow-up visit (kontrol)")
        OTHER_HOSPITAL = 4, _("Referral from another hospital")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN, Status.CALLED, Status.SKIPPED)
    WAITING = (Status.BOOKED, Status.CHECKED_IN, Status.SKIPPED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    number = models.PositiveIntegerField(_("queue number"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    payer = models.CharField(max_length=8, choices=Payer.choices)
    visit_type = models.PositiveSmallIntegerField(_("visit type"), choices=VisitType.choices)
    nik = models.CharField(_("NIK"), max_length=16)
    bpjs_card = models.CharField(_("BPJS card number"), max_length=13, blank=True)
    medical_record = models.CharField(_("medical record number"), max_length=20, blank=True)
    referral_number = models.CharField(
        _("referral or control letter number"), max_length=30, blank=True
    )
    phone = models.CharField(_("mobile phone"), max_length=16, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    estimated_at = models.DateTimeField(_("estimated time"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_day_before = models.DateTimeField(null=True, blank=True)
    reminded_hour_before = models.DateTimeField(null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_to"
    )

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="hospital_booking_number"),
            models.UniqueConstraint(
                fields=["session", "nik"],
                condition=Q(status__in=["booked", "checked_in", "called", "skipped"]),
                name="hospital_one_active_booking",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "number"], name="hospital_booking_queue"),
            models.Index(fields=["citizen", "-created_at"], name="hospital_booking_citizen"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def queue_label(self) -> str:
        """BPJS ``nomorantrean``."""
        return f"{self.session.clinic.code}-{self.number}"

    @property
    def sms_number(self) -> str:
        """The queue number for an SMS: a sensitive clinic's code would say where the patient goes."""
        return str(self.number) if self.session.clinic.sensitive else self.queue_label

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def can_change(self) -> bool:
        """Cancel or reschedule: until check-in, and not after the session started."""
        return self.status == self.Status.BOOKED and timezone.now() < self.session.ends_at

    @property
    def is_new_patient(self) -> bool:
        """BPJS ``pasienbaru``: no medical record at this hospital yet."""
        return not self.medical_record

    @property
    def masked_nik(self) -> str:
        return f"{self.nik[:6]}••••••{self.nik[-4:]}" if self.nik else ""


class TaskTime(models.Model):
    """A BPJS task id with its time (``antrean/updatewaktu``); pushed by a bridge."""

    class Task(models.IntegerChoices):
        ADMISSION_WAITING = 1, _("Waiting at registration")
        ADMISSION_SERVICE = 2, _("Admission service")
        CLINIC_WAITING = 3, _("Waiting at the clinic")
        CLINIC_SERVICE = 4, _("Seen by the doctor")
        PHARMACY_WAITING = 5, _("Waiting at the pharmacy")
        PHARMACY_PREPARING = 6, _("Medicine being prepared")
        MEDICINE_READY = 7, _("Medicine ready")
        CANCELLED = 99, _("Did not come or cancelled")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="tasks")
    task = models.PositiveSmallIntegerField(choices=Task.choices)
    at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booking", "at", "task"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "task"], name="hospital_task_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booking} task {self.task}"

    @property
    def epoch_ms(self) -> int:
        """BPJS ``waktu``."""
        return int(self.at.timestamp() * 1000)


# Beds -----------------------------------------------------------------------


class BedType(models.IntegerChoices):
    """SIRS Online ``id_tt`` (Referensi/tempat_tidur); the live list may have more."""

    VVIP = 1, "VVIP"
    VIP = 2, "VIP"
    CLASS_1 = 3, _("Class I")
    CLASS_2 = 4, _("Class II")
    CLASS_3 = 5, _("Class III")
    ICU = 6, "ICU"
    HCU = 7, "HCU"
    ICCU = 8, "ICCU/ICVCU"
    RICU = 9, "RICU"
    NICU = 10, "NICU"
    PICU = 11, "PICU"
    ISOLATION = 12, _("Isolation")
    PERINATOLOGY = 14, _("Perinatology")
    ISOLATION_NEGATIVE = 28, _("Isolation, negative pressure")
    DELIVERY = 36, _("Delivery room (VK)")
    INTERMEDIATE = 37, _("Intermediate ward (IGD)")
    ICU_VENTILATOR = 38, _("ICU with ventilator")
    KRIS = 52, "KRIS JKN"


class Ward(models.Model):
    """A SIRS Online row: a ward (``ruang``) of one bed type (``id_tt``)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("ward"), max_length=100)
    bed_type = models.PositiveSmallIntegerField(_("bed type (SIRS id_tt)"), choices=BedType.choices)
    waiting = models.PositiveIntegerField(
        _("patients waiting for admission"), default=0, help_text="SIRS antrian"
    )
    planned_beds = models.PositiveIntegerField(
        _("beds planned"), default=0, help_text="SIRS prepare_plan"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["bed_type", "name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_bed_type_display()})"


class Room(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("room"), max_length=60)

    class Meta:
        ordering = ["ward", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        OCCUPIED = "occupied", _("Occupied")
        CLEANING = "cleaning", _("Being cleaned")
        RESERVED = "reserved", _("Reserved")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["room", "label"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="hospital_bed_label"),
        ]
        indexes = [models.Index(fields=["status"], name="hospital_bed_status")]

    def __str__(self) -> str:
        return f"{self.room} / {self.label}"
