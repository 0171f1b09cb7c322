"""What the queue screens, the ticket page and the bed pages show: read-only figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from kotacerdas.accounts.models import Unit
from kotacerdas.hospital.models import Bed, BedType, Booking, Clinic, Session, TaskTime, Ward

NEXT_SHOWN = 4
# A hall screen shows at most this many boards at once (three across, two down,
# legible from across the room at 1280x720); more boards rotate in pages.
BOARDS_PER_PAGE = 6
AHEAD = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)


@dataclass
class TicketState:
    serving: str
    ahead: int
    estimated_at: dt.datetime | None
    status: str
    status_label: str

    def as_json(self) -> dict[str, Any]:
        return {
            "serving": self.serving,
            "ahead": self.ahead,
            "estimated": timezone.localtime(self.estimated_at).strftime("%H:%M")
            if self.estimated_at
            else "",
            "status": self.status,
            "status_label": str(self.status_label),
        }


def ticket_state(booking: Booking, *, now: dt.datetime | None = None) -> TicketState:
    now = now or timezone.now()
    session = Session.objects.select_related("clinic").get(pk=booking.session_id)
    waiting = booking.status in AHEAD
    ahead = (
        session.bookings.filter(status__in=AHEAD, number__lt=booking.number).count()
        if waiting
        else 0
    )
    estimated = None
    if waiting:
        # The timetable, unless the queue is running late: then the people ahead decide.
        by_queue = max(now, session.starts_at) + dt.timedelta(
            minutes=ahead * session.minutes_per_patient
        )
        estimated = max(booking.estimated_at, by_queue)
    return TicketState(
        serving=session.label(session.serving_number),
        ahead=ahead,
        estimated_at=estimated,
        status=booking.status,
        status_label=booking.get_status_display(),
    )


@dataclass
class Board:
    """One session on a waiting-room screen."""

    session: Session
    serving: str
    next_numbers: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "session": self.session.pk,
            "clinic": self.session.clinic.name,
            "clinic_code": self.session.clinic.code,
            "doctor": self.session.doctor.name,
            "hours": self.session.hours,
            "serving": self.serving,
            "next": self.next_numbers,
            "called_at": self.session.called_at.isoformat() if self.session.called_at else "",
        }


@dataclass(frozen=True)
class BoardPage:
    """The boards one screen shows now, and where it is in the rotation."""

    boards: list[Board]
    number: int  # 1-based
    count: int

    @property
    def next_number(self) -> int:
        return self.number % self.count + 1

    @property
    def layout(self) -> str:
        """CSS classes for a grid that fills the screen with this many boards."""
        shown = max(1, len(self.boards))
        columns = min(3, shown) if shown != 4 else 2
        rows = -(-shown // columns)
        return f"cols-{columns} rows-{rows}"


def page_of(all_boards: list[Board], wanted: str | None) -> BoardPage:
    """Page ``wanted`` (a 1-based number as typed in the URL) of ``all_boards``.

    A number past the end starts again at the first page, so a screen that
    rotates on while a session closes never lands on an empty page.
    """
    count = max(1, -(-len(all_boards) // BOARDS_PER_PAGE))
    try:
        number = int(wanted or 1)
    except ValueError:
        number = 1
    if not 1 <= number <= count:
        number = 1
    start = (number - 1) * BOARDS_PER_PAGE
    return BoardPage(all_boards[start : start + BOARDS_PER_PAGE], number, count)


def boards(clinics: list[Clinic], *, date: dt.date | None = None) -> list[Board]:
    """Today's open sessions of ``clinics``: the number being served and the next ones."""
    date = date or timezone.localdate()
    sessions = list(
        Session.objects.filter(clinic__in=clinics, date=date, status=Session.Status.OPEN)
        .select_related("clinic", "doctor")
        .order_by("clinic__name", "start")
    )
    upcoming: dict[int, list[int]] = defaultdict(list)
    for session_id, number in (
        # Waiting at the clinic (task 3): who call_next will call, in that order.
        Booking.objects.filter(
            session__in=sessions,
            status=Booking.Status.CHECKED_IN,
            tasks__task=TaskTime.Task.CLINIC_WAITING,
        )
        .order_by("session_id", "number")
        .values_list("session_id", "number")
    ):
        if len(upcoming[session_id]) < NEXT_SHOWN:
            upcoming[session_id].append(number)
    return [
        Board(
            session=s,
            serving=s.label(s.serving_number),
            next_numbers=[s.label(n) for n in upcoming[s.pk]],
        )
        for s in sessions
    ]


# Beds ---------------------------------------------------------------------------


@dataclass
class WardRow:
    """One SIRS Online ``Fasyankes`` row."""

    ward: Ward
    rooms: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """``jumlah``: beds in service."""
        return sum(n for s, n in self.counts.items() if s != Bed.Status.OUT_OF_SERVICE)

    @property
    def used(self) -> int:
        """``terpakai``: occupied, or reserved for a patient on the way."""
        return self.counts.get(Bed.Status.OCCUPIED, 0) + self.counts.get(Bed.Status.RESERVED, 0)

    @property
    def free(self) -> int:
        """Ready for a patient now."""
        return self.counts.get(Bed.Status.AVAILABLE, 0)

    @property
    def preparing(self) -> int:
        """``prepare``: being cleaned."""
        return self.counts.get(Bed.Status.CLEANING, 0)

    @property
    def out_of_service(self) -> int:
        """Not in use (repairs, closed rooms): not in SIRS's ``jumlah``, still a bed."""
        return self.counts.get(Bed.Status.OUT_OF_SERVICE, 0)

    def sirs(self) -> dict[str, Any]:
        """The SIRS Online POST/PUT payload; SIRS wants the numbers as strings."""
        return {
            "id_tt": str(self.ward.bed_type),
            "ruang": self.ward.name,
            "jumlah_ruang": str(self.rooms),
            "jumlah": str(self.total),
            "terpakai": str(self.used),
            "kosong": str(self.total - self.used),
            "antrian": str(self.ward.waiting),
            "prepare": str(self.preparing),
            "prepare_plan": str(self.ward.planned_beds),
            "tgl_update": timezone.localtime(self.ward.updated_at).isoformat(),
        }


@dataclass
class ClassRow:
    bed_type: int
    label: Any
    total: int = 0
    used: int = 0
    free: int = 0
    preparing: int = 0
    out_of_service: int = 0
    waiting: int = 0
    updated_at: dt.datetime | None = None

    @property
    def beds(self) -> int:
        """Every bed of the class: occupied + free + being cleaned + out of service."""
        return self.total + self.out_of_service

    def as_json(self) -> dict[str, Any]:
        return {
            "id_tt": self.bed_type,
            "class": str(self.label),
            "total": self.total,
            "occupied": self.used,
            "free": self.free,
            "preparing": self.preparing,
            "out_of_service": self.out_of_service,
            "beds": self.beds,
            "waiting": self.waiting,
            "updated_at": timezone.localtime(self.updated_at).isoformat()
            if self.updated_at
            else "",
        }


def ward_rows(unit: Unit) -> list[WardRow]:
    wards = list(Ward.objects.filter(unit=unit).annotate(room_count=Count("rooms", distinct=True)))
    rows = {w.pk: WardRow(ward=w, rooms=w.room_count) for w in wards}  # type: ignore[attr-defined]
    for ward_id, status, n in (
        Bed.objects.filter(room__ward__unit=unit)
        .values_list("room__ward_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[ward_id].counts[status] = n
    return list(rows.values())


def class_rows(unit: Unit) -> tuple[list[ClassRow], dt.datetime | None]:
    by_type: dict[int, ClassRow] = {}
    for row in ward_rows(unit):
        bed_type = row.ward.bed_type
        summary = by_type.setdefault(
            bed_type, ClassRow(bed_type=bed_type, label=BedType(bed_type).label)
        )
        summary.total += row.total
        summary.used += row.used
        summary.free += row.free
        summary.preparing += row.preparing
        summary.out_of_service += row.out_of_service
        summary.waiting += row.ward.waiting
        if summary.updated_at is None or row.ward.updated_at > summary.updated_at:
            summary.updated_at = row.ward.updated_at
    rows = sorted(by_type.values(), key=lambda r: r.bed_type)
    latest = max((r.updated_at for r in rows if r.updated_at), default=None)
    return rows, latest


def last_bed_change(unit: Unit) -> dt.datetime | None:
    result: dt.datetime | None = Ward.objects.filter(unit=unit).aggregate(at=Max("updated_at"))[
        "at"
    ]
    return result


def active_q() -> Q:
    return Q(status__in=Booking.ACTIVE)
