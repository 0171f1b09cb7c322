"""Booking by SMS (DAFTAR, BATAL, ANTRI) through the file gateway."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kotacerdas.audit.models import AuditEvent
from kotacerdas.hospital import sms
from kotacerdas.hospital.models import Booking, Clinic, Session
from kotacerdas.messaging.actions import receive
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.people.models import Citizen, Person, Relationship

MOTHER_PHONE = "+6281311110001"
KEJAKSAN = "32.74.01.1001"


@pytest.fixture
def family_people(rt: Any, make_person: Any, make_family: Any) -> dict[str, Person]:
    home = rt(KEJAKSAN, 1, 1)
    family = make_family(home)
    mother = make_person(
        home,
        "Siti Rahmawati",
        nik="3274014503900001",
        birth_date=dt.date(1990, 3, 5),
        family=family,
        relationship=Relationship.HEAD,
        phone=MOTHER_PHONE,
    )
    child = make_person(
        home,
        "Anak Siti",
        nik="3274014503180002",
        family=family,
        relationship=Relationship.CHILD,
    )
    stranger = make_person(
        rt(KEJAKSAN, 2, 1),
        "Orang Lain",
        nik="3274011203850003",
        sex="M",
        birth_date=dt.date(1985, 3, 12),
        phone="+6281399990009",
    )
    return {"mother": mother, "child": child, "stranger": stranger}


def _sms(text: str, phone: str = MOTHER_PHONE, capture: Any = None) -> str:
    """Send ``text`` from ``phone``; the reply's text."""
    before = len(FileAdapter().read())
    with capture(execute=True):
        receive(adapter="file", phone=phone, text=text)
    sent = FileAdapter().read()
    # More than one when an SMS queued earlier (a counter booking's confirmation,
    # whose task the test never ran) goes out in the same batch; the reply is last.
    assert len(sent) >= before + 1, sent
    assert sent[-1]["to"] == phone
    return str(sent[-1]["text"])


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    return lambda text, phone=MOTHER_PHONE: _sms(text, phone, django_capture_on_commit_callbacks)


def _day(session: Session) -> str:
    return f"{session.date:%d-%m-%Y}"


def test_daftar_books_the_patient_and_replies_with_queue_time_and_code(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    reply = send(f"DAFTAR int {_day(session)} 3274 0145 0390 0001")

    booking = Booking.objects.get()
    assert booking.channel == Booking.Channel.SMS
    assert booking.session == session
    assert booking.person == family_people["mother"]
    assert booking.payer == Booking.Payer.NON_JKN
    assert booking.citizen == Citizen.objects.get(phone=MOTHER_PHONE)
    assert booking.code in reply
    assert "INT-1" in reply
    assert "07:45" in reply  # the 08:00 turn, 15 minutes before
    assert f"BATAL {booking.code}" in reply
    # Nothing personal: no name, no NIK.
    assert "Siti" not in reply and "3274014503900001" not in reply
    # One SMS only: the reply is the confirmation.
    assert len(FileAdapter().read()) == 1
    assert AuditEvent.objects.filter(action="hospital.booking.create").count() == 1


def test_a_mother_books_for_her_child_from_her_own_number(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    send(f"DAFTAR INT {_day(session)} 3274014503180002")

    assert Booking.objects.get().person == family_people["child"]


def test_a_number_not_in_the_register_for_that_family_is_sent_to_the_counter(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    reply = send(f"DAFTAR INT {_day(session)} 3274011203850003")
    unknown = send(f"DAFTAR INT {_day(session)} 3274011203850099")

    assert not Booking.objects.exists()
    assert "loket pendaftaran" in reply and "RW" in reply
    # An unknown NIK gets the same answer: the reply tells nothing about the register.
    assert unknown == reply
    assert not Citizen.objects.exists()


def test_the_web_caps_per_account_hold_for_sms(
    settings: Any,
    make_session: Callable[..., Session],
    family_people: dict[str, Person],
    send: Callable[..., str],
) -> None:
    settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN = 1
    first = make_session(date=timezone.localdate() + dt.timedelta(days=2))
    second = make_session(date=timezone.localdate() + dt.timedelta(days=3))
    send(f"DAFTAR INT {_day(first)} 3274014503900001")

    reply = send(f"DAFTAR INT {_day(second)} 3274014503180002")

    assert Booking.objects.count() == 1
    assert "1" in reply and "loket pendaftaran" in reply


def test_a_full_session_is_refused_and_the_next_one_that_day_is_taken(
    make_session: Callable[..., Session],
    family_people: dict[str, Person],
    send: Callable[..., str],
) -> None:
    day = timezone.localdate() + dt.timedelta(days=2)
    full = make_session(date=day, quota_non_jkn=0)
    later = make_session(date=day, start=dt.time(13, 0), end=dt.time(15, 0))

    send(f"DAFTAR INT {_day(full)} 3274014503900001")

    assert Booking.objects.get().session == later
    Session.objects.filter(pk=later.pk).update(quota_non_jkn=1)
    reply = send(f"DAFTAR INT {_day(full)} 3274014503180002")
    assert "penuh" in reply
    assert Booking.objects.count() == 1


def test_a_day_outside_the_window_or_without_sessions_says_so(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    far = session.date + dt.timedelta(days=30)
    Session.objects.create(
        clinic=session.clinic,
        doctor=session.doctor,
        date=far,
        start=dt.time(8),
        end=dt.time(12),
        quota_jkn=5,
        quota_non_jkn=5,
    )

    outside = send(f"DAFTAR INT {far:%d-%m-%Y} 3274014503900001")
    empty = send(f"DAFTAR INT {far + dt.timedelta(days=1):%d/%m/%Y} 3274014503900001")

    assert "di luar rentang" in outside
    assert "tidak punya sesi" in empty
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DAFTAR", "DAFTAR <kode poli>"),
        ("DAFTAR INT BESOK", "DAFTAR <kode poli>"),
        ("DAFTAR XYZ BESOK 3274014503900001", "Tidak ada poli"),
        ("DAFTAR INT 31-02 3274014503900001", "tidak dikenali"),
        ("DAFTAR INT kemarin 3274014503900001", "tidak dikenali"),
        ("DAFTAR INT BESOK 32740145039", "16"),
        ("DAFTAR INT BESOK 3274014503900001 0001234567890", "rujukan"),
    ],
)
def test_bad_input_gets_a_clear_reply_and_books_nothing(
    session: Session,
    family_people: dict[str, Person],
    send: Callable[..., str],
    text: str,
    expected: str,
) -> None:
    reply = send(text)

    assert expected in reply
    assert not Booking.objects.exists()


def test_jkn_patients_add_card_and_referral(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    send(f"DAFTAR INT {_day(session)} 3274014503900001 0001234567890 0123R0011225B000001")

    booking = Booking.objects.get()
    assert booking.payer == Booking.Payer.JKN
    assert booking.bpjs_card == "0001234567890"
    assert booking.referral_number == "0123R0011225B000001"


def test_the_bpjs_poli_code_works_as_well(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    Clinic.objects.filter(pk=session.clinic_id).update(code="PD", bpjs_code="INT")

    send(f"DAFTAR int {_day(session)} 3274014503900001")

    assert Booking.objects.get().session == session


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12-12", dt.date(2026, 12, 12)),
        ("12/12", dt.date(2026, 12, 12)),
        ("1.1", dt.date(2027, 1, 1)),  # passed this year: next year's
        ("12-12-2026", dt.date(2026, 12, 12)),
        ("3/1/2027", dt.date(2027, 1, 3)),
        ("besok", dt.date(2026, 12, 3)),
        ("LUSA", dt.date(2026, 12, 4)),
        ("32-12", None),
        ("12-12-26", None),
        ("senin", None),
    ],
)
def test_the_dates_people_type(raw: str, expected: dt.date | None) -> None:
    assert sms.parse_date(raw, dt.date(2026, 12, 2)) == expected


def test_a_sensitive_clinic_is_not_named_in_the_reply(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    Clinic.objects.filter(pk=session.clinic_id).update(sensitive=True)

    reply = send(f"DAFTAR INT {_day(session)} 3274014503900001")

    assert "Penyakit Dalam" not in reply and "INT" not in reply


def test_batal_cancels_a_booking_made_from_this_number(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    send(f"DAFTAR INT {_day(session)} 3274014503900001")
    booking = Booking.objects.get()

    reply = send(f"batal {booking.code.lower()}")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.code in reply
    session.refresh_from_db()
    assert session.booked_non_jkn == 0


def test_batal_and_antri_from_another_number_get_the_unknown_code_reply(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    send(f"DAFTAR INT {_day(session)} 3274014503900001")
    booking = Booking.objects.get()

    other = "+6281399990009"
    cancel = send(f"BATAL {booking.code}", phone=other)
    follow = send(f"ANTRI {booking.code}", phone=other)
    unknown = send("BATAL GJAAAAAAAA", phone=other)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert cancel == follow == unknown
    assert booking.code not in cancel


def test_a_family_number_may_follow_a_booking_made_at_the_counter(
    session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    from kotacerdas.hospital import actions

    booking = actions.book(
        session.pk, actions.Patient(nik="3274014503180002"), channel=Booking.Channel.COUNTER
    )

    reply = send(f"ANTRI {booking.code}")

    assert "INT-1" in reply and "07:45" in reply
    assert "Anak" not in reply


def test_antri_tells_the_queue_and_batal_after_check_in_is_refused(
    today_session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    from kotacerdas.hospital import actions

    booking = actions.book(
        today_session.pk,
        actions.Patient(nik="3274014503900001", phone=MOTHER_PHONE),
        channel=Booking.Channel.COUNTER,
    )
    Session.objects.filter(pk=today_session.pk).update(serving_number=1)
    actions.check_in(booking.code)

    follow = send(f"ANTRI {booking.code}")
    cancel = send(f"BATAL {booking.code}")

    assert "INT-1" in follow
    assert "tidak bisa dibatalkan" in cancel
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_the_same_limit_per_number_for_every_command(
    settings: Any, session: Session, family_people: dict[str, Person], send: Callable[..., str]
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "hospital_sms_commands": (2, 3600)}
    send("ANTRI GJAAAAAAAA")
    send("BATAL GJAAAAAAAA")

    reply = send(f"DAFTAR INT {_day(session)} 3274014503900001")

    assert "Terlalu banyak SMS" in reply
    assert not Booking.objects.exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_daftar_is_in_the_help_reply_and_it_still_fits_one_sms(language: str) -> None:
    from django.utils import translation

    from kotacerdas.messaging import router

    with translation.override(language):
        help_reply = router.help_text()

    assert "DAFTAR" in help_reply and "BATAL" not in help_reply
    assert len(help_reply) <= 160


def test_a_sender_that_is_no_mobile_number_books_nothing(
    session: Session, family_people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        receive(
            adapter="file",
            phone="INFO-OPERATOR",
            text=f"DAFTAR INT {_day(session)} 3274014503900001",
        )

    assert not Booking.objects.exists()
    assert not Citizen.objects.exists()
    assert FileAdapter().read() == []
